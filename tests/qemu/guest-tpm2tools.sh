#!/usr/bin/env bash
# QEMU test: Debian's tpm2-tools run inside the guest against Mantle's vTPM through the stock kernel's
# /dev/tpmrm0 (resource manager) and tpm_crb driver: random bytes, and a PCR extend whose result this
# script recomputes itself: PCR16 = SHA-256(0^32 || digest).
#   tests/qemu/guest-tpm2tools.sh IMAGE KERNEL INITRD_WITH_TPM2_TOOLS
set -uo pipefail
image=$1 kernel=$2 initrd=$3
top=$(cd "$(dirname "$0")/../.." && pwd)
logdir=$top/build/x86_64/qemu-tests
mkdir -p "$logdir"
console=$logdir/guest-tpm2tools.console
pass=0 fail=0
ok() { echo "ok   guest-tpm2tools/$1"; pass=$((pass + 1)); }
bad() {
	echo "FAIL guest-tpm2tools/$1: $2"
	tail -n 15 "$console" | sed 's/^/    /'
	fail=$((fail + 1))
}

digest=$(head -c 64 /dev/urandom | sha256sum | cut -c1-64)
"$top/tools/mantle-run" --image "$image" --kernel "$kernel" --initrd "$initrd" --timeout 150 \
	--log "$logdir/guest-tpm2tools.mantle.log" \
	--append "console=ttyS0 quiet mantle_tpm2tools=1 mantle_digest=$digest" </dev/null >"$console" 2>&1
st=$?
tr -d '\r' <"$console" >"$console.txt" && mv "$console.txt" "$console"
[ $st -eq 0 ] && ok "guest-finished" || bad "guest-finished" "mantle-run returned $st"

rnd=$(sed -n 's/^guest-tpm2: getrandom \([0-9a-f]*\)$/\1/p' "$console")
[ ${#rnd} -eq 32 ] && ok "tpm2_getrandom-16-bytes" || bad "tpm2_getrandom-16-bytes" "got '$rnd'"

hexbin() { printf "$(sed 's/../\\x&/g')"; }
want=$({ printf '%064d' 0 | hexbin; printf '%s' "$digest" | hexbin; } | sha256sum | cut -c1-64)
got=$(sed -n 's/^guest-tpm2: pcrread sha256:16:0x\([0-9A-Fa-f]*\)$/\1/p' "$console" | tr 'A-F' 'a-f')
[ "$got" = "$want" ] && ok "tpm2_pcrextend-then-pcrread" || bad "tpm2_pcrextend-then-pcrread" "got '$got', want '$want'"

echo "guest-tpm2tools: $pass passed, $fail failed"
[ $fail -eq 0 ]
