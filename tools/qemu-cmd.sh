#!/usr/bin/env bash
# Prints (one argument per line) the QEMU command that boots a Mantle image: the single place where
# the machine, CPU and exit-device choices live, shared by `make run` and tests/qemu/.
#   tools/qemu-cmd.sh ARCH IMAGE [CMDLINE]
# TCG only: KVM cannot host a nested hypervisor on our machines, and the tests must run anywhere.
set -euo pipefail
arch=$1 image=$2 cmdline=${3-}
case $arch in
x86_64)
	args=(qemu-system-x86_64 -machine q35 -cpu max -accel tcg -m 512 -smp 1
		-display none -vga none -net none -monitor none -serial stdio -no-reboot
		-device isa-debug-exit,iobase=0xf4,iosize=0x04
		-kernel "$image")
	;;
aarch64)
	args=(qemu-system-aarch64 -machine virt,virtualization=on,gic-version=3 -cpu max -accel tcg
		-m 512 -smp 1 -nographic -monitor none -serial stdio -no-reboot
		-semihosting-config enable=on,target=native
		-kernel "$image")
	;;
*)
	echo "qemu-cmd.sh: unknown ARCH '$arch' (x86_64 or aarch64)" >&2
	exit 2
	;;
esac
[ -n "$cmdline" ] && args+=(-append "$cmdline")
printf '%s\n' "${args[@]}"
