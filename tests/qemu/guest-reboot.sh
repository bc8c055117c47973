#!/usr/bin/env bash
# QEMU test: a guest-initiated platform reset (Linux `reboot -f`, through the FADT reset register at
# port 0xCF9) reboots the guest behind Mantle instead of resetting the machine. The vTPM goes through
# _TPM_Init and Startup(CLEAR): an NV index written in the first boot survives, PCR 16 extended in the
# first boot reads zero in the second, and Mantle measures the guest again for the second boot.
#   tests/qemu/guest-reboot.sh IMAGE KERNEL INITRD
set -uo pipefail
image=$1 kernel=$2 initrd=$3
top=$(cd "$(dirname "$0")/../.." && pwd)
logdir=$top/build/x86_64/qemu-tests
mkdir -p "$logdir"
console=$logdir/guest-reboot.console
mlog=$logdir/guest-reboot.mantle.log
pass=0 fail=0
ok() { echo "ok   guest-reboot/$1"; pass=$((pass + 1)); }
bad() {
	echo "FAIL guest-reboot/$1: $2"
	echo "---- last guest console lines ----"; tail -n 15 "$console" | sed 's/^/    /'
	echo "---- last Mantle log lines ----"; tr -d '\r' <"$mlog" | tail -n 10 | sed 's/^/    /'
	fail=$((fail + 1))
}

"$top/tools/mantle-run" --image "$image" --kernel "$kernel" --initrd "$initrd" --timeout 150 --log "$mlog" \
	--append "console=ttyS0 quiet mantle_reboot_test=1" </dev/null >"$console" 2>&1
st=$?
tr -d '\r' <"$console" >"$console.txt" && mv "$console.txt" "$console"
zero=0000000000000000000000000000000000000000000000000000000000000000

[ $st -eq 0 ] && ok "second-boot-reports-success" || bad "second-boot-reports-success" "mantle-run returned $st"
first=$(sed -n 's/^guest-reboot: first boot: nv \([^ ]*\), pcr16 \([0-9a-f]*\)$/\1 \2/p' "$console")
second=$(sed -n 's/^guest-reboot: second boot: nv \([^ ]*\), pcr16 \([0-9a-f]*\)$/\1 \2/p' "$console")
read -r nv1 pcr1 <<<"$first"
read -r nv2 pcr2 <<<"$second"
if [ "${nv1-}" = MANTLE01 ] && [ -n "${pcr1-}" ] && [ "$pcr1" != "$zero" ]; then
	ok "first-boot-wrote-nv-and-extended-pcr16"
else
	bad "first-boot-wrote-nv-and-extended-pcr16" "got '$first'"
fi
[ "${nv2-}" = MANTLE01 ] && ok "nv-survives-guest-reset" || bad "nv-survives-guest-reset" "got '$second'"
[ "${pcr2-}" = "$zero" ] && ok "pcrs-reset-by-startup-clear" || bad "pcrs-reset-by-startup-clear" "got '$second'"
if tr -d '\r' <"$mlog" | grep '^mantle: guest reset the platform; booting it again (boot 2)' >/dev/null &&
	[ "$(tr -d '\r' <"$mlog" | grep -c '^mantle: measured Mantle')" = 2 ]; then
	ok "mantle-rebooted-and-remeasured-the-guest"
else
	bad "mantle-rebooted-and-remeasured-the-guest" "no reboot or second measurement in Mantle's log"
fi
echo "guest-reboot: $pass passed, $fail failed"
[ $fail -eq 0 ]
