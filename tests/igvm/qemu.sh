#!/usr/bin/env bash
# Boots Mantle's IGVM file under QEMU 7.2 (which cannot load IGVM) through tests/igvm/qemu_load.py, a
# minimal test loader: TDX-style (reset state -> igvm_start32) and native (the file's VP context ->
# igvm_start64). No TEE is involved: this runs the file's pages, page tables, entry code and Mantle's
# parameter parsing on a real (emulated) CPU. Usage: tests/igvm/qemu.sh ELF HOSTDIR
set -u
elf=$1 hostdir=$2
top=$(cd "$(dirname "$0")/../.." && pwd)
timeout_s=${QEMU_TIMEOUT:-60}
logdir=$top/build/x86_64/qemu-tests
mkdir -p "$logdir"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0

# boot NAME IGVM PLATFORM HOST_CMDLINE [hostile|RAM_MIB] -> $log, $code
boot() {
	local name=$1 igvm=$2 plat=$3 cmdline=$4 ram=256 extra=()
	case ${5-} in hostile) extra=(hostile) ;; [0-9]*) ram=$5 ;; esac
	log=$logdir/igvm-$name.log
	mkdir -p "$tmp/$name"
	mapfile -t load < <(python3 tests/igvm/qemu_load.py "$igvm" "$tmp/$name" "$ram" "$cmdline" "$plat" "${extra[@]}")
	timeout -k 5 "$timeout_s" qemu-system-x86_64 -machine q35 -cpu max -accel tcg -m "$ram" -smp 1 \
		-display none -vga none -net none -monitor none -serial stdio -no-reboot \
		-device isa-debug-exit,iobase=0xf4,iosize=0x04 "${load[@]}" </dev/null >"$log" 2>&1
	local st=$?
	if [ $st -eq 124 ] || [ $st -eq 137 ]; then code=timeout; else code=$("$top/tools/exit-code.sh" x86_64 $st); fi
}

expect() {
	local name=$1 want=$2
	shift 2
	# shellcheck disable=SC2254 # WANT may be a glob (guest:*)
	case $code in $want) ;; *) false ;; esac
	if [ $? -ne 0 ]; then
		echo "igvm-qemu: FAIL $name: exit code $code, expected $want"; tail -n 20 "$log" | sed 's/^/    /'
		fail=$((fail + 1)); return
	fi
	for re in "$@"; do
		if ! tr -d '\r' <"$log" | grep -E -- "$re" >/dev/null; then
			echo "igvm-qemu: FAIL $name: no line matches /$re/"; tail -n 20 "$log" | sed 's/^/    /'
			fail=$((fail + 1)); return
		fi
	done
	echo "igvm-qemu: ok   $name"
	pass=$((pass + 1))
}

"$hostdir/igvmgen" --cmdline "mantle.who=measured" -o "$tmp/m.igvm" "$elf" || exit 1

for plat in tdx native; do
	boot "$plat" "$tmp/m.igvm" $plat "console=ttyS0 mantle.who=host"
	expect "$plat: boots through the IGVM entry to a clean stop" 0 \
		'^mantle: IGVM launch, 1 vCPUs, 2 memory-map entries' 'booted via igvm$' \
		'^mantle: command line: "console=ttyS0 mantle.who=host mantle.who=measured"$' \
		'^mantle:   \[0000000000ff0000-[0-9a-f]+\] mantle' '^mantle: self-test: 0 failed'
done
# A bundle in the file reaches core_main as module 0 from the measured manifest. Random bytes are not
# a guest bundle: Mantle must refuse them with its bundle parser's reason.
head -c 12345 /dev/urandom >"$tmp/bundle.bin"
"$hostdir/igvmgen" --bundle "$tmp/bundle.bin" -o "$tmp/b.igvm" "$elf" || exit 1
boot bundle "$tmp/b.igvm" native ""
expect "bundle: module 0 from the manifest, in its own measured pages" 1 \
	'^mantle: module 0: \[[0-9a-f]+\+3039\]' '^mantle:   \[[0-9a-f]+-[0-9a-f]+\] module' \
	'^mantle: PANIC at .*not a usable guest bundle: bad magic'

# End to end: Debian's kernel and the test initramfs (make guest) in the file's measured bundle; the
# guest runs its checks behind Mantle and reports through the exit port. The test loader provides no
# firmware (the shim replaces SeaBIOS), so there are no ACPI tables: checks that need them (the TPM's
# ACPI device) fail there, and only the guest's start and its CPUID view are required here.
kernel=$top/build/guest/vmlinuz initrd=$top/build/guest/initramfs.cpio.gz
if [ "${IGVM_LINUX:-0}" != 1 ]; then
	echo "igvm-qemu: skip linux guest (opt-in: IGVM_LINUX=1; it follows the guest payload, which other work changes)"
elif [ -f "$kernel" ] && [ -f "$initrd" ] && [ -x "$hostdir/mkbundle" ]; then
	"$hostdir/mkbundle" -k "$kernel" -i "$initrd" -c "console=ttyS0 quiet mantle_test=1" -o "$tmp/linux.bundle" &&
		"$hostdir/igvmgen" --bundle "$tmp/linux.bundle" -o "$tmp/linux.igvm" "$elf" || exit 1
	boot linux "$tmp/linux.igvm" native "" 512
	expect "linux: Debian guest from the IGVM bundle runs behind Mantle and sees it in CPUID" 'guest:*' \
		'booted via igvm$' '^guest: init running' '^guest-check: cpuid: ok' '^guest: [0-9]+ check\(s\) failed'
else
	echo "igvm-qemu: skip linux guest (no build/guest payload or mkbundle: run make guest)"
fi

boot hostile "$tmp/m.igvm" native "" hostile
expect "hostile loader: RAM below the image is refused" 1 \
	'IGVM boot parameters unusable: the loaded image is not inside reported RAM'

echo "igvm-qemu: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
