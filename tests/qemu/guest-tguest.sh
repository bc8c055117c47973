#!/usr/bin/env bash
# QEMU test: tguest (tests/guest/tguest, docs/test-guest.md), a freestanding guest that runs in real
# mode and in long mode behind Mantle (tee/none, SVM + NPT under TCG) and checks CPUID, MSR, port I/O,
# MMIO to unbacked and to Mantle's hidden memory, HLT woken by the PIT, and #UD for VMMCALL and the
# SVM instructions. Every check the guest must pass is listed here, so a check that goes missing
# fails as surely as one that reports FAIL; Mantle's log must show the exits behind them.
#   tests/qemu/guest-tguest.sh IMAGE TGUEST_BIN
set -uo pipefail
image=$1 tguest=$2
top=$(cd "$(dirname "$0")/../.." && pwd)
logdir=$top/build/x86_64/qemu-tests
mkdir -p "$logdir"
console=$logdir/guest-tguest.console
mlog=$logdir/guest-tguest.mantle.log
bench_n=200000
pass=0 fail=0

real_checks=(cpuid-signature io-in8-exit-port io-in16-exit-port msr-efer-svme-hidden hlt-pit-wakeup vmmcall-ud)
long_checks=(
	cpuid-signature cpuid-isolation-leaf cpuid-hypervisor-bit cpuid-vmx-hidden cpuid-osxsave-follows-cr4
	cpuid-svm-hidden cpuid-svm-leaf-zero cpuid-sev-leaf-zero
	msr-efer-read msr-efer-write-same msr-efer-write-nxe msr-efer-write-svme-gp
	msr-efer-clear-lme-with-paging-gp msr-efer-reserved-bit-gp msr-efer-unchanged
	msr-vm-hsave-pa-read-gp msr-vm-hsave-pa-write-gp msr-vm-cr-read-gp
	io-in8-exit-port io-in16-exit-port io-in32-exit-port
	mmio-unbacked-read64 mmio-unbacked-read-sizes mmio-unbacked-write-dropped
	mmio-hidden-read mmio-hidden-write-dropped mmio-sse-movdqu-load mmio-sse-movdqu-store-dropped
	hlt-pit-wakeup
	vmrun-ud vmmcall-ud vmload-ud vmsave-ud stgi-ud clgi-ud skinit-ud
)
bench_checks=(cpuid-loop)

ok() { echo "ok   guest-tguest/$1"; pass=$((pass + 1)); }
bad() { echo "FAIL guest-tguest/$1: $2"; fail=$((fail + 1)); }
has() { grep -qx -- "$1" "$console"; }

# Mantle's image starts at its link address; the guest reads and writes it and must see nothing.
hidden=0x$(nm "$image" | awk '$3 == "__image_start" {print $1}' | sed 's/^0*//')
"$top/tools/mantle-run" --image "$image" --kernel "$tguest" --timeout 60 --log "$mlog" \
	--append "console=ttyS0 tguest.hidden=$hidden tguest.bench=$bench_n" </dev/null >"$console" 2>&1
st=$?
tr -d '\r' <"$console" >"$console.txt" && mv "$console.txt" "$console"
tr -d '\r' <"$mlog" >"$mlog.txt" && mv "$mlog.txt" "$mlog"

if [ $st -eq 0 ] && grep -q '^mantle: guest stopped with status 0$' "$mlog" && has 'tguest: 0 checks failed'; then
	ok "exit-status-0-through-exit-port"
else
	bad "exit-status-0-through-exit-port" "mantle-run returned $st ($(grep -m1 'checks failed' "$console"))"
fi
for line in 'tguest: Mantle test guest, 32-bit entry at 0x2000000' 'tguest: real: entered real mode' \
	'tguest: back in 32-bit protected mode' 'tguest: in long mode'; do
	if has "$line"; then ok "mode: ${line#tguest: }"; else bad "mode" "no line '$line'"; fi
done
for mode in real long bench; do
	declare -n list=${mode}_checks
	for c in "${list[@]}"; do
		if has "tguest: $mode: $c: ok"; then
			ok "$mode/$c"
		else
			bad "$mode/$c" "$(grep -m1 "^tguest: $mode: $c: " "$console" || echo "no line for this check")"
		fi
	done
	unset -n list
done
want_run=$((${#real_checks[@]} + ${#long_checks[@]} + ${#bench_checks[@]}))
if has "tguest: $want_run checks run" && ! grep -q ': FAIL' "$console"; then
	ok "no-unlisted-checks ($want_run run)"
else
	bad "no-unlisted-checks" "expected 'tguest: $want_run checks run' and no FAIL line: $(grep -m1 'checks run' "$console")"
fi
if has "tguest: bench-start $bench_n" && has "tguest: bench-end $bench_n"; then
	ok "bench-lines"
else
	bad "bench-lines" "no bench-start/bench-end $bench_n lines"
fi

# The exits behind the checks, counted by Mantle (core/x86/guest.c print_exit_counts).
exits=$(grep -m1 '^mantle: vp0 exits:' "$mlog")
count() { sed -n "s/.* $1=\([0-9]*\).*/\1/p" <<<"$exits"; }
for want in cpuid:$bench_n msr:1 io:1 mmio:1 hypercall:2 unsupported:6; do
	kind=${want%%:*} min=${want#*:} n=$(count "${want%%:*}")
	if [ -n "$n" ] && [ "$n" -ge "$min" ]; then
		ok "exits-$kind ($n >= $min)"
	else
		bad "exits-$kind" "wanted at least $min $kind exits in '$exits'"
	fi
done
if grep -q "^mantle: vp0: guest read of hidden memory at gpa ${hidden#0x} " "$mlog" &&
	grep -q "^mantle: vp0: guest write of hidden memory at gpa ${hidden#0x} " "$mlog"; then
	ok "hidden-accesses-logged"
else
	bad "hidden-accesses-logged" "Mantle did not log the guest's read and write at $hidden"
fi

if ! grep -q 'cannot emulate' "$mlog"; then
	ok "no-emulation-failures"
else
	bad "no-emulation-failures" "$(grep -m1 'cannot emulate' "$mlog")"
fi

if [ $fail -ne 0 ]; then
	echo "---- last guest console lines ($console) ----"; tail -n 20 "$console" | sed 's/^/    /'
	echo "---- last Mantle log lines ($mlog) ----"; tail -n 15 "$mlog" | sed 's/^/    /'
fi
echo "guest-tguest: $pass passed, $fail failed"
[ $fail -eq 0 ]
