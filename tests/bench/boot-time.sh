#!/usr/bin/env bash
# Boot-time benchmark: wall time from QEMU's start to the guest init's first line, for the same
# kernel, initrd and QEMU flags booted behind Mantle and booted directly by QEMU. Several runs each,
# under TCG; prints the means and their ratio (issue 4's target: at most 1.5x).
#   tests/bench/boot-time.sh IMAGE KERNEL INITRD [RUNS]
set -uo pipefail
image=$1 kernel=$2 initrd=$3 runs=${4:-5}
top=$(cd "$(dirname "$0")/../.." && pwd)
append="console=ttyS0 quiet mantle_bench=1"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$top/build/host/mkbundle" -k "$kernel" -i "$initrd" -c "$append" -o "$work/bundle" || exit 1

# Seconds from start to the first "guest: init running" line of the command's output, or "timeout".
time_to_init() {
	local t0 t line
	t0=$(date +%s.%N)
	while IFS= read -r line; do
		case $line in
		*"guest: init running"*)
			t=$(date +%s.%N)
			echo "$t - $t0" | bc -l
			return
			;;
		esac
	done < <(timeout -k 5 120 "$@" </dev/null 2>&1)
	echo timeout
}

mapfile -t mantle_cmd < <("$top/tools/qemu-cmd.sh" x86_64 "$image" "")
mantle_cmd+=(-initrd "$work/bundle" -debugcon "file:$work/mantle.log")
direct_cmd=(qemu-system-x86_64 -machine q35 -cpu max -accel tcg -m 512 -smp 1 -display none -vga none
	-net none -monitor none -serial stdio -no-reboot -device isa-debug-exit,iobase=0xf4,iosize=0x04
	-kernel "$kernel" -initrd "$initrd" -append "$append")

mean() { printf '%s\n' "$@" | awk '{ s += $1 } END { printf "%.3f", s / NR }'; }

behind=() direct=()
for i in $(seq "$runs"); do
	b=$(time_to_init "${mantle_cmd[@]}")
	d=$(time_to_init "${direct_cmd[@]}")
	[ "$b" = timeout ] || [ "$d" = timeout ] && { echo "boot-time: run $i timed out" >&2; exit 1; }
	behind+=("$b") direct+=("$d")
done
mb=$(mean "${behind[@]}") md=$(mean "${direct[@]}")
echo "boot-time-behind-mantle-s: $mb (runs: ${behind[*]})"
echo "boot-time-direct-s: $md (runs: ${direct[*]})"
echo "boot-time-ratio: $(echo "$mb / $md" | bc -l | xargs printf '%.2f') (target <= 1.5; TCG, $runs runs each)"
