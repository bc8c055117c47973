#!/usr/bin/env bash
# CPUID exits per second: tguest (docs/test-guest.md) executes N CPUIDs of Mantle's leaf between
# "tguest: bench-start N" and "tguest: bench-end N"; this script timestamps both lines as they
# arrive on the guest console and divides. Every CPUID is an SVM exit that Mantle's run loop
# dispatches (core/x86/vp.c on_cpuid), so this is the round trip guest -> Mantle -> guest. QEMU runs
# under TCG (no KVM), so the figure measures QEMU's SVM emulation as much as Mantle; compare runs
# on the same machine only. One run.
#   tests/bench/tguest-exits.sh IMAGE TGUEST_BIN [N]
set -uo pipefail
image=$1 tguest=$2 n=${3:-200000}
top=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

load=$(cut -d' ' -f1 /proc/loadavg)
t_start="" t_end=""
while IFS= read -r line; do
	line=${line%$'\r'}
	case $line in
	"tguest: bench-start $n") t_start=$(date +%s.%N) ;;
	"tguest: bench-end $n") t_end=$(date +%s.%N) ;;
	esac
done < <("$top/tools/mantle-run" --image "$image" --kernel "$tguest" --timeout 120 --log "$work/mantle.log" \
	--append "console=ttyS0 tguest.bench=$n" </dev/null 2>&1)

if [ -z "$t_start" ] || [ -z "$t_end" ]; then
	echo "tguest-exits: the guest printed no bench-start/bench-end $n lines; Mantle's log:" >&2
	tail -n 15 "$work/mantle.log" | tr -d '\r' >&2
	exit 1
fi
exits=$(tr -d '\r' <"$work/mantle.log" | sed -n 's/^mantle: vp0 exits: .*cpuid=\([0-9]*\).*/\1/p')
s=$(echo "$t_end - $t_start" | bc -l)
echo "cpuid-exits-per-second: $(echo "$n / $s" | bc -l | xargs printf '%.0f') ($n CPUID exits in $(printf '%.3f' "$s") s; TCG, one run, host load average $load; Mantle counted ${exits:-?} CPUID exits in the whole run)"
