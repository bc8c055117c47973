#!/usr/bin/env bash
# Maps a QEMU exit status to what stopped the run, printing Mantle's logical exit code (core/arch.h:
# 0 ok, 1 panic, 2 exception), "guest:<status>" when Mantle ended the run with the guest's exit
# status, or "qemu:<status>" for a status Mantle did not produce.
#   tools/exit-code.sh ARCH STATUS
# x86_64 exits through isa-debug-exit, status = (value << 1) | 1: Mantle writes 0x10 + code
# (33, 35, 37) and 0x20 + guest status (65 + 2 * status, for guest statuses 0..63).
# aarch64 exits through semihosting SYS_EXIT: status = code.
arch=$1 st=$2
case $arch in
x86_64)
	case $st in
	33) echo 0 ;; 35) echo 1 ;; 37) echo 2 ;;
	*) if [ "$st" -ge 65 ] && [ "$st" -le 191 ] && [ $((st % 2)) -eq 1 ]; then
		echo "guest:$(((st - 65) / 2))"
	else
		echo "qemu:$st"
	fi ;;
	esac ;;
aarch64) case $st in 0 | 1 | 2) echo "$st" ;; *) echo "qemu:$st" ;; esac ;;
*) echo "qemu:$st" ;;
esac
