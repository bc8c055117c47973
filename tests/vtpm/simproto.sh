#!/usr/bin/env bash
# vtpm-sim's handling of the simulator protocol itself, byte for byte, and of misbehaving clients:
# a raw SEND_COMMAND, a handshake, a client that disconnects mid-command, one that announces a
# length it never delivers, an oversized length, an unknown platform code, and STOP.
# Usage: tests/vtpm/simproto.sh [path/to/vtpm-sim]
here=$(cd "$(dirname "$0")" && pwd)
SIM=$(realpath "${1:-$here/../../build/host/vtpm-sim}")
VT_SIM_ARGS="--timeout 1"
. "$here/lib.sh"
cd "$VT_DIR" || exit 1

vt_start
check "startup" tpm tpm2_startup -c

# raw_exchange PORT HEXREQUEST NBYTES -> hex of the first NBYTES of the reply (timeout 5 s)
raw_exchange() {
	timeout 5 bash -c '
		exec 3<>/dev/tcp/127.0.0.1/$1 || exit 1
		printf "%s" "$2" | xxd -r -p >&3
		head -c "$3" <&3 | od -An -v -tx1 | tr -d " \n"
	' _ "$@"
}

# SEND_COMMAND(locality 0, GetRandom(16)) then SESSION_END
out=$(raw_exchange "$VT_PORT" "00000008""00""0000000c""80010000000c0000017b0010""00000014" 36)
expect_eq "SEND_COMMAND reply length is 28" "${out:0:8}" "0000001c"
expect_eq "GetRandom response header" "${out:8:24}" "80010000001c000000000010"
expect_eq "trailing zero after the response" "${out:64:8}" "00000000"

out=$(raw_exchange "$VT_PORT" "0000000f""00000001" 12)
expect_eq "REMOTE_HANDSHAKE answers version 1, flags 0x0d, 0" "$out" "000000010000000d00000000"

out=$(raw_exchange $((VT_PORT + 1)) "00000001" 4)
expect_eq "POWER_ON acknowledged" "$out" "00000000"
out=$(raw_exchange $((VT_PORT + 1)) "00000063" 4)
expect_eq "unknown platform code answers 1" "$out" "00000001"

# A client that disconnects in the middle of a command.
timeout 5 bash -c 'exec 3<>/dev/tcp/127.0.0.1/$1; printf "\x00\x00\x00\x08\x00\x00\x00\x00\x64\x80\x01" >&3' _ "$VT_PORT"
check "served after a client vanished mid-command" tpm tpm2_getrandom 8

# A client that announces 100 bytes, sends 5 and stalls: dropped after --timeout, next one served.
( exec 3<>/dev/tcp/127.0.0.1/$VT_PORT; printf '\x00\x00\x00\x08\x00\x00\x00\x00\x64\x80\x01\x00\x00\x00' >&3; sleep 4 ) &
staller=$!
sleep 0.3
t0=$(date +%s%N)
check "served while a stalled client holds the port" tpm tpm2_getrandom 8
t1=$(date +%s%N)
ms=$(( (t1 - t0) / 1000000 ))
[ "$ms" -lt 4000 ] && ok "stalled client dropped after the timeout (${ms} ms)" || bad "stalled client dropped after the timeout (${ms} ms)"
kill "$staller" 2>/dev/null; wait "$staller" 2>/dev/null

# An oversized length.
timeout 5 bash -c 'exec 3<>/dev/tcp/127.0.0.1/$1; printf "\x00\x00\x00\x08\x00\xff\xff\xff\xff" >&3; sleep 0.2' _ "$VT_PORT"
check "served after an oversized length" tpm tpm2_getrandom 8

# A malformed TPM command still gets a well-formed TPM error (TPM_RC_COMMAND_SIZE).
out=$(raw_exchange "$VT_PORT" "00000008""00""0000000c""80010000000e0000017b0010""00000014" 14)
expect_eq "size-field mismatch answers TPM_RC_COMMAND_SIZE" "$out" "0000000a80010000000a00000142"

# STOP ends the server.
timeout 5 bash -c 'exec 3<>/dev/tcp/127.0.0.1/$1; printf "\x00\x00\x00\x15" >&3; sleep 0.2' _ "$((VT_PORT + 1))"
i=0; while kill -0 "$VT_PID" 2>/dev/null && [ $i -lt 30 ]; do sleep 0.1; i=$((i + 1)); done
kill -0 "$VT_PID" 2>/dev/null && bad "STOP ends the server" || ok "STOP ends the server"
wait "$VT_PID" 2>/dev/null; VT_PID=

vt_summary
