#!/usr/bin/env bash
# Fetches the default guest payload from Debian's archive into build/guest/: the stock kernel of
# `linux-image-amd64` (its vmlinuz only) and busybox from `busybox-static`. The packages are
# downloaded with apt-get and unpacked with dpkg-deb, never installed on this machine.
#   tools/fetch-guest.sh OUTDIR    -> OUTDIR/vmlinuz, OUTDIR/busybox, OUTDIR/VERSIONS
set -euo pipefail
out=${1:?usage: fetch-guest.sh OUTDIR}
mkdir -p "$out"
out=$(cd "$out" && pwd)
mkdir -p "$out/debs"
cd "$out/debs"

# The kernel package the metapackage currently points at (apt verifies it against Debian's signed
# indexes); refresh the package lists once if they are missing or stale.
resolve() {
	apt-cache depends linux-image-amd64 2>/dev/null | sed -n 's/^ *Depends: \(linux-image-[0-9].*-amd64\)$/\1/p' | head -1
}
kpkg=$(resolve)
if [ -z "$kpkg" ] || ! apt-get download "$kpkg" busybox-static >download.log 2>&1; then
	if [ "$(id -u)" -ne 0 ]; then
		cat download.log >&2 2>/dev/null || true
		echo "fetch-guest: cannot download the guest kernel; as root run: apt-get update" >&2
		exit 1
	fi
	apt-get update -q >/dev/null
	kpkg=$(resolve)
	[ -n "$kpkg" ] || { echo "fetch-guest: linux-image-amd64 has no kernel dependency" >&2; exit 1; }
	apt-get download "$kpkg" busybox-static >download.log 2>&1 || { cat download.log >&2; exit 1; }
fi

kdeb=$(ls -t "$kpkg"_*.deb | head -1)
bdeb=$(ls -t busybox-static_*.deb | head -1)
rm -rf x && mkdir x
dpkg-deb --fsys-tarfile "$kdeb" | tar -x -C x --wildcards './boot/vmlinuz-*'
dpkg-deb --fsys-tarfile "$bdeb" | tar -x -C x ./bin/busybox
cp x/boot/vmlinuz-* "$out/vmlinuz.tmp" && mv "$out/vmlinuz.tmp" "$out/vmlinuz"
cp x/bin/busybox "$out/busybox.tmp" && mv "$out/busybox.tmp" "$out/busybox"
rm -rf x
{
	echo "kernel: $(dpkg-deb -f "$kdeb" Package) $(dpkg-deb -f "$kdeb" Version)"
	echo "busybox: $(dpkg-deb -f "$bdeb" Package) $(dpkg-deb -f "$bdeb" Version)"
} >"$out/VERSIONS"
cat "$out/VERSIONS"
