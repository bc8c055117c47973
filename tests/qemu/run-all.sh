#!/usr/bin/env bash
# QEMU integration tests: boots a built Mantle image under TCG and checks its serial output and exit
# status. Every run is bounded by QEMU_TIMEOUT seconds; a failing case prints the last serial lines.
#   tests/qemu/run-all.sh ARCH IMAGE
set -uo pipefail
arch=$1 image=$2
top=$(cd "$(dirname "$0")/../.." && pwd)
timeout_s=${QEMU_TIMEOUT:-60}
logdir=$top/build/$arch/qemu-tests
mkdir -p "$logdir"
pass=0 fail=0

# boot NAME CMDLINE [extra qemu args...]: runs QEMU, leaves the serial log in $log and the logical
# exit code (tools/exit-code.sh) in $code.
boot() {
	local name=$1 cmdline=$2
	shift 2
	log=$logdir/$name.log
	mapfile -t cmd < <("$top/tools/qemu-cmd.sh" "$arch" "$image" "$cmdline")
	timeout -k 5 "$timeout_s" "${cmd[@]}" "$@" </dev/null >"$log" 2>&1
	local st=$?
	if [ $st -eq 124 ] || [ $st -eq 137 ]; then
		code=timeout
	else
		code=$("$top/tools/exit-code.sh" "$arch" "$st")
	fi
}

fail_case() {
	echo "FAIL $arch/$1: $2"
	echo "---- last serial lines ($log) ----"
	tail -n 25 "$log" | sed 's/^/    /'
	echo "----"
	fail=$((fail + 1))
}

# expect NAME WANT_CODE PATTERN...: each extended regex must match some line of the log.
expect() {
	local name=$1 want=$2
	shift 2
	if [ "$code" != "$want" ]; then
		fail_case "$name" "exit code $code, expected $want"
		return
	fi
	# grep reads all of its input (no -q): with pipefail, -q exiting early would fail the pipeline
	# through tr's SIGPIPE whenever the log is longer than one pipe write.
	for re in "$@"; do
		if ! tr -d '\r' <"$log" | grep -E -- "$re" >/dev/null; then
			fail_case "$name" "no line matches /$re/"
			return
		fi
	done
	echo "ok   $arch/$name"
	pass=$((pass + 1))
}

banner="^Mantle [0-9]+\.[0-9]+\.[0-9]+ \([0-9a-f]{7,}(-dirty)?\) $arch, booted via "

# A clean boot: banner with version and git revision, every self-test passes (each one took a real
# exception whose report was printed), then a clean stop.
# The first report carries the full dump an unexpected exception gets.
case $arch in
x86_64) dump='^  cr0 [0-9a-f]{16}  cr2 [0-9a-f]{16}  cr3' ;;
*) dump='ESR_EL2=0x[0-9a-f]+ EC=0x00 .* ELR_EL2=0x[0-9a-f]+ FAR_EL2=' ;;
esac
boot boot ""
expect boot 0 "$banner" '^mantle: exception \(expected by self-test\)' "$dump" '^selftest: undef: ok' \
	'^selftest: wx-text: ok' '^selftest: rodata: ok' '^selftest: nx-data: ok' '^selftest: guard: ok' \
	'^mantle: self-test: 0 failed' '^mantle: no guest configured'

# The command line and a boot module reach core_main intact. The module is random bytes, not a guest
# bundle: x86_64 must refuse it with a clear panic (never crash); aarch64 runs no guests yet.
mod=$logdir/module.bin
head -c 12345 /dev/urandom >"$mod"
boot module "mantle.test=1 hello=world" -initrd "$mod"
if [ "$arch" = x86_64 ]; then
	expect module 1 '^mantle: command line: "mantle.test=1 hello=world"' \
		'^mantle: module 0: \[[0-9a-f]+\+3039\]' '^mantle:   \[[0-9a-f]+-[0-9a-f]+\] module' \
		'^mantle: PANIC at .*not a usable guest bundle: bad magic'
else
	expect module 0 '^mantle: command line: "mantle.test=1 hello=world"' \
		'^mantle: module 0: \[[0-9a-f]+\+3039\]' '^mantle:   \[[0-9a-f]+-[0-9a-f]+\] module' \
		'^mantle: aarch64 cannot run guests yet'
fi

# Unrecoverable faults taken on purpose: the handler reports them and QEMU exits with the exception code.
for f in undef wx stack; do
	boot "fatal-$f" "mantle.fatal=$f"
	expect "fatal-$f" 2 "^selftest: taking a fatal '$f' fault on purpose" '^mantle: EXCEPTION'
done
if [ "$arch" = x86_64 ]; then
	# The stack overflow can only be reported from the #DF handler's IST stack.
	expect fatal-stack-on-ist 2 '^mantle: EXCEPTION: vector 8 \(#DF double fault\)'
fi

# A self-test failure is a panic, not a silent success.
boot bad-fatal "mantle.fatal=nonsense"
expect bad-fatal 1 '^mantle: PANIC at .*self-test failed'

echo "qemu-$arch: $pass passed, $fail failed"
[ $fail -eq 0 ]
