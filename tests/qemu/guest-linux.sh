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
	devmem-hidden-write-dropped; do
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

echo "guest-linux: $pass passed, $fail failed"
[ $fail -eq 0 ]
