#!/usr/bin/env bash
# QEMU test: Debian's stock kernel boots behind Mantle (tee/none, SVM + NPT under TCG) to the test
# init (tests/guest/init), which checks what the guest sees of Mantle and reports through the guest
# exit port. This script then checks, from the host side, the guest's verdict, Mantle's log and that
# no RAM range the guest was given overlaps Mantle's memory.
#   tests/qemu/guest-linux.sh IMAGE KERNEL INITRD
set -uo pipefail
image=$1 kernel=$2 initrd=$3
top=$(cd "$(dirname "$0")/../.." && pwd)
logdir=$top/build/x86_64/qemu-tests
mkdir -p "$logdir"
console=$logdir/guest-linux.console
mlog=$logdir/guest-linux.mantle.log
pass=0 fail=0

ok() { echo "ok   guest-linux/$1"; pass=$((pass + 1)); }
bad() {
	echo "FAIL guest-linux/$1: $2"
	echo "---- last guest console lines ($console) ----"; tail -n 20 "$console" | sed 's/^/    /'
	echo "---- last Mantle log lines ($mlog) ----"; tail -n 15 "$mlog" | tr -d '\r' | sed 's/^/    /'
	fail=$((fail + 1))
}

# Mantle's image starts at its link address; the guest reads it back through /dev/mem.
hidden=0x$(nm "$image" | awk '$3 == "__image_start" {print $1}' | sed 's/^0*//')
"$top/tools/mantle-run" --image "$image" --kernel "$kernel" --initrd "$initrd" --timeout 120 \
	--log "$mlog" --append "console=ttyS0 quiet iomem=relaxed mantle_test=1 mantle_hidden=$hidden" \
	</dev/null >"$console" 2>&1
st=$?
tr -d '\r' <"$console" >"$console.txt" && mv "$console.txt" "$console"

if [ $st -eq 0 ] && grep -q '^mantle: guest stopped with status 0' "$mlog"; then
	ok "exit-status-through-exit-port"
else
	bad "exit-status-through-exit-port" "mantle-run returned $st"
fi
for c in cpuid cpuinfo-hypervisor cpuinfo-no-svm e820-hides-mantle devmem-hidden-reads-ones \
	devmem-hidden-write-dropped tpm-device tpmrm-device tpm-eventlog tpm-oversized-command-refused \
	tpm-usable-after-register-abuse; do
	if grep -q "^guest-check: $c: ok" "$console"; then ok "$c"; else bad "$c" "no passing guest-check line"; fi
done
if grep -q "^mantle: vp0: guest read of hidden memory at gpa ${hidden#0x}" "$mlog" &&
	grep -q "^mantle: vp0: guest write of hidden memory at gpa ${hidden#0x}" "$mlog"; then
	ok "hidden-accesses-logged"
else
	bad "hidden-accesses-logged" "Mantle did not log the guest's accesses to its memory"
fi

# Every range Mantle claimed for itself, from its log, against every RAM range the guest saw.
mapfile -t mranges < <(tr -d '\r' <"$mlog" | sed -n 's/^mantle:   \[\([0-9a-f]*\)-\([0-9a-f]*\)\] mantle$/0x\1 0x\2/p')
mapfile -t granges < <(sed -n 's/^guest-e820: \(0x[0-9a-f]*\) \(0x[0-9a-f]*\) System RAM$/\1 \2/p' "$console")
overlap=""
[ ${#mranges[@]} -gt 0 ] && [ ${#granges[@]} -gt 0 ] || overlap="ranges not found in the logs"
for m in "${mranges[@]}"; do
	read -r ms me <<<"$m"
	for g in "${granges[@]}"; do
		read -r gs ge <<<"$g"
		if [ $((ms)) -le $((ge)) ] && [ $((gs)) -le $((me)) ]; then
			overlap="$overlap Mantle $ms-$me overlaps guest RAM $gs-$ge;"
		fi
	done
done
if [ -z "$overlap" ]; then
	ok "e820-excludes-every-mantle-range (${#mranges[@]} Mantle ranges, ${#granges[@]} guest RAM ranges)"
else
	bad "e820-excludes-every-mantle-range" "$overlap"
fi

# Measured boot: the event log the guest read must replay (tpm2_eventlog, independent of Mantle's
# code) to exactly the PCRs the guest read, and the PCRs of the kernel, initrd and command line must be
# what this script computes itself from the files it booted: PCR = SHA-256(0^32 || SHA-256(data)).
hexbin() { printf "$(sed 's/../\\x&/g')"; }
extend_once() { { printf '%064d' 0 | hexbin; printf '%s' "$1" | hexbin; } | sha256sum | cut -c1-64; }
sed -n '/^guest-eventlog-begin/,/^guest-eventlog-end/p' "$console" | sed '1d;$d' | base64 -d >"$logdir/eventlog.bin" 2>/dev/null
replay=$(tpm2_eventlog "$logdir/eventlog.bin" 2>/dev/null | awk '/^  sha256:/ { on = 1; next } /^  [a-z]/ { on = 0 } on && /:/ { gsub(/[ :]+/, " "); print }')
append="console=ttyS0 quiet iomem=relaxed mantle_test=1 mantle_hidden=$hidden"
declare -A want=(
	[4]=$(extend_once "$(sha256sum <"$kernel" | cut -c1-64)")
	[9]=$(extend_once "$(sha256sum <"$initrd" | cut -c1-64)")
	[12]=$(extend_once "$(printf '%s' "$append" | sha256sum | cut -c1-64)")
)
for pcr in 0 4 9 12; do
	guest=$(sed -n "s/^guest-pcr: sha256 $pcr \([0-9A-Fa-f]*\)\$/\1/p" "$console" | tr 'A-F' 'a-f')
	log=$(printf '%s\n' "$replay" | awk -v p="$pcr" '$1 == p { sub(/^0x/, "", $2); print $2 }')
	if [ -z "$guest" ] || [ "$guest" != "$log" ]; then
		bad "eventlog-replays-pcr$pcr" "guest read '${guest}', the log replays to '${log}'"
	elif [ -n "${want[$pcr]-}" ] && [ "$guest" != "${want[$pcr]}" ]; then
		bad "pcr$pcr-matches-booted-file" "guest read $guest, computed ${want[$pcr]}"
	else
		ok "eventlog-replays-pcr$pcr${want[$pcr]+ (and matches the booted file)}"
	fi
done

echo "guest-linux: $pass passed, $fail failed"
[ $fail -eq 0 ]
