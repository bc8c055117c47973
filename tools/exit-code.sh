#!/usr/bin/env bash
# Maps a QEMU exit status to Mantle's logical exit code (core/arch.h: 0 ok, 1 panic, 2 exception),
# printing it, or "qemu:<status>" for a status Mantle did not produce.
#   tools/exit-code.sh ARCH STATUS
# x86_64 exits through isa-debug-exit: status = ((0x10 + code) << 1) | 1 = 33, 35, 37.
# aarch64 exits through semihosting SYS_EXIT: status = code.
arch=$1 st=$2
case $arch in
x86_64) case $st in 33) echo 0 ;; 35) echo 1 ;; 37) echo 2 ;; *) echo "qemu:$st" ;; esac ;;
aarch64) case $st in 0 | 1 | 2) echo "$st" ;; *) echo "qemu:$st" ;; esac ;;
*) echo "qemu:$st" ;;
esac
