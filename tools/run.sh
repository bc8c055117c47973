#!/usr/bin/env bash
# `make run`: boots a Mantle image under QEMU (TCG) with the serial console on this terminal.
#   tools/run.sh ARCH IMAGE [CMDLINE...]
# Exits 0 when Mantle stops cleanly, otherwise with Mantle's code (1 panic, 2 exception) or QEMU's.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
arch=$1 image=$2
shift 2
mapfile -t cmd < <("$here/qemu-cmd.sh" "$arch" "$image" "$*")
echo "mantle: ${cmd[*]}" >&2
"${cmd[@]}"
st=$?
code=$("$here/exit-code.sh" "$arch" "$st")
case $code in
0) exit 0 ;;
qemu:*) echo "mantle: QEMU exited with status ${code#qemu:}" >&2; exit "${code#qemu:}" ;;
*) echo "mantle: stopped with exit code $code (1 panic, 2 exception)" >&2; exit "$code" ;;
esac
