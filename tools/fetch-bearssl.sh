#!/usr/bin/env bash
# Fetches BearSSL as Debian's source package into build/ and unpacks it, without root and without
# touching the machine's apt configuration: apt runs against a private state directory whose only
# source list is a deb-src copy of the machine's own Debian sources. apt verifies every downloaded
# file (.dsc and tarballs) against the hashes in Debian's signed Sources index.
#
# The version is pinned here and only here. Usage: tools/fetch-bearssl.sh [OUTDIR]  (default build/bearssl-src)
# On success OUTDIR/inc and OUTDIR/src hold the upstream tree and OUTDIR/.mantle-version the pin.
set -euo pipefail

BEARSSL_DEB_VERSION=0.6+dfsg.1-3

root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$root/build/bearssl-src}
stamp=$out/.mantle-version
[ -f "$stamp" ] && [ "$(cat "$stamp")" = "$BEARSSL_DEB_VERSION" ] && exit 0

work=$root/build/bearssl-fetch
mkdir -p "$work"
# Two builds (one per arch) may ask at once: one fetches, the other waits for it.
exec 9>"$work/lock"
flock -w 600 9
[ -f "$stamp" ] && [ "$(cat "$stamp")" = "$BEARSSL_DEB_VERSION" ] && exit 0

state=$work/apt
mkdir -p "$state/lists/partial" "$state/cache/archives/partial" "$state/etc/preferences.d" \
	"$state/etc/apt.conf.d" "$state/etc/sources.list.d"
: >"$state/status"

# deb-src entries from the machine's Debian sources (deb822 and one-line formats).
srcs=$state/etc/sources.list.d/debian-src.sources
: >"$srcs"
for f in /etc/apt/sources.list.d/*.sources; do
	[ -f "$f" ] || continue
	grep -q 'debian' "$f" || continue
	sed -e 's/^Types:.*/Types: deb-src/' "$f" >>"$srcs"
	printf '\n' >>"$srcs"
done
list=$state/etc/sources.list
: >"$list"
for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
	[ -f "$f" ] || continue
	sed -n -e 's/^[[:space:]]*deb[[:space:]]\(.*debian.*\)/deb-src \1/p' "$f" >>"$list"
done
if [ ! -s "$srcs" ] && [ ! -s "$list" ]; then
	echo "fetch-bearssl: no Debian apt source configured on this machine" >&2
	exit 1
fi

apt_opts=(
	-o "Dir::State=$state" -o "Dir::State::Lists=$state/lists" -o "Dir::State::status=$state/status"
	-o "Dir::Cache=$state/cache" -o "Dir::Etc::SourceList=$list"
	-o "Dir::Etc::SourceParts=$state/etc/sources.list.d" -o "Dir::Etc::Preferences=$state/etc/preferences"
	-o "Dir::Etc::PreferencesParts=$state/etc/preferences.d" -o "Dir::Etc::Parts=$state/etc/apt.conf.d"
	-o "APT::Sandbox::User=$(id -un)" -o "Debug::NoLocking=1" -q
)
echo "fetch-bearssl: apt-get update (private state in $state)"
apt-get "${apt_opts[@]}" update >"$work/update.log" 2>&1 || { cat "$work/update.log" >&2; exit 1; }

dl=$work/dl
rm -rf "$dl" && mkdir -p "$dl"
echo "fetch-bearssl: apt-get source bearssl=$BEARSSL_DEB_VERSION"
(cd "$dl" && apt-get "${apt_opts[@]}" source --download-only "bearssl=$BEARSSL_DEB_VERSION") >"$work/source.log" 2>&1 ||
	{ cat "$work/source.log" >&2; exit 1; }
dsc=$(ls "$dl"/bearssl_*.dsc)
# apt already checked every file against the signed index; --no-check only skips dpkg-source's
# check of the uploader's OpenPGP signature on the .dsc (no Debian keyring is assumed here).
rm -rf "$out.tmp"
dpkg-source --no-check -x "$dsc" "$out.tmp" >"$work/extract.log" 2>&1 || { cat "$work/extract.log" >&2; exit 1; }
[ -d "$out.tmp/inc" ] && [ -d "$out.tmp/src" ] || { echo "fetch-bearssl: unexpected tree" >&2; exit 1; }
rm -rf "$out"
mv "$out.tmp" "$out"
echo "$BEARSSL_DEB_VERSION" >"$stamp"
echo "fetch-bearssl: BearSSL $BEARSSL_DEB_VERSION in $out"
