#!/usr/bin/env bash
# Measures x86emu decode+execute with valgrind callgrind: instructions executed inside bench_mov()
# (4-byte MMIO MOV) and bench_movsb() (REP MOVSB of 64 bytes), callbacks of the model vCPU included.
#   usage: bench.sh BENCH_BINARY OUTDIR
set -euo pipefail
bin=$1 out=$2
limit=600
status=0
printf '%-34s %12s\n' "x86emu benchmark" "instructions"
for w in mov movsb; do
	valgrind --tool=callgrind --callgrind-out-file="$out/callgrind.$w.out" --toggle-collect="bench_$w" \
		"$bin" "$w" >"$out/callgrind.$w.log" 2>&1 || { echo "x86emu-bench: $w run failed (see $out/callgrind.$w.log)"; exit 1; }
	n=$(sed -n 's/^summary: *\([0-9]*\).*/\1/p' "$out/callgrind.$w.out" | head -1)
	[ -n "$n" ] || n=$(sed -n 's/^totals: *\([0-9]*\).*/\1/p' "$out/callgrind.$w.out" | head -1)
	case $w in
	mov) label="decode+execute mov [rbx+0x10],eax" ;;
	movsb) label="decode+execute rep movsb (64 B)" ;;
	esac
	printf '%-34s %12s\n' "$label" "$n"
	if [ "$w" = mov ] && [ "$n" -ge "$limit" ]; then
		echo "x86emu-bench: MOV costs $n instructions, target is < $limit"
		status=1
	fi
done
exit $status
