#!/usr/bin/env bash
# vTPM benchmark: guest-side time for 1,000 TPM2_PCR_Extend through /dev/tpmrm0 (tests/guest/tpm-bench.c)
# behind Mantle, beside the same loop against QEMU's own TPM (tpm-crb backed by swtpm) with the same
# kernel booted directly; prints both and the ratio (issue 7's target: at most 1.0x). TCG.
#   tests/bench/tpm-bench.sh IMAGE KERNEL INITRD
set -uo pipefail
image=$1 kernel=$2 initrd=$3
top=$(cd "$(dirname "$0")/../.." && pwd)
append="console=ttyS0 quiet mantle_tpmbench=1"
work=$(mktemp -d)
cleanup() { [ -n "${swtpm_pid-}" ] && kill "$swtpm_pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

us_each() { sed -n 's/.*tpm-bench: [0-9]* PCR_Extend in [0-9.]* ms (\([0-9.]*\) us each).*/\1/p' | tail -1; }

behind=$("$top/tools/mantle-run" --image "$image" --kernel "$kernel" --initrd "$initrd" --append "$append" \
	--timeout 300 --log "$work/mantle.log" </dev/null 2>&1 | tr -d '\r' | us_each)

mkdir -p "$work/state"
swtpm socket --tpm2 --tpmstate dir="$work/state" --ctrl type=unixio,path="$work/swtpm.sock" \
	--flags startup-clear >/dev/null 2>&1 &
swtpm_pid=$!
for _ in $(seq 50); do [ -S "$work/swtpm.sock" ] && break; sleep 0.1; done
direct=$(timeout -k 5 300 qemu-system-x86_64 -machine q35 -cpu max -accel tcg -m 512 -smp 1 -display none \
	-vga none -net none -monitor none -serial stdio -no-reboot -device isa-debug-exit,iobase=0xf4,iosize=0x04 \
	-chardev socket,id=chrtpm,path="$work/swtpm.sock" -tpmdev emulator,id=tpm0,chardev=chrtpm \
	-device tpm-crb,tpmdev=tpm0 -kernel "$kernel" -initrd "$initrd" -append "$append" </dev/null 2>&1 |
	tr -d '\r' | us_each)

if [ -z "$behind" ] || [ -z "$direct" ]; then
	echo "tpm-bench: a run produced no result (behind Mantle: '${behind}', QEMU+swtpm: '${direct}')" >&2
	exit 1
fi
echo "tpm-pcr-extend-behind-mantle-us: $behind"
echo "tpm-pcr-extend-qemu-swtpm-us: $direct"
echo "tpm-pcr-extend-ratio: $(echo "$behind / $direct" | bc -l | xargs printf '%.2f') (target <= 1.0; TCG, 1000 commands each)"
