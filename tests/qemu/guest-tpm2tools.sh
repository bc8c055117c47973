#!/usr/bin/env bash
# QEMU test: Debian's tpm2-tools run inside the guest against Mantle's vTPM through the stock kernel's
# tpm_crb driver, all through /dev/tpmrm0 (the kernel's resource manager): random bytes, a PCR extend
# whose result this script recomputes itself (PCR16 = SHA-256(0^32 || digest)), then an ECC attestation
# key and a quote over PCRs 0, 4, 9, 12 and 16, which tpm2_checkquote verifies here
# against the host's nonce, and whose PCR 4 and 16 values this script recomputes from the booted kernel
# and the digest. Then a secret sealed under PolicyPCR(16) that unseals only while PCR 16 holds, and an
# RSA EK (TCG template) with an RSA AK under it.
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
nonce=$(head -c 16 /dev/urandom | sha256sum | cut -c1-32)
secret=s$(head -c 12 /dev/urandom | sha256sum | cut -c1-23)
"$top/tools/mantle-run" --image "$image" --kernel "$kernel" --initrd "$initrd" --timeout 300 \
	--log "$logdir/guest-tpm2tools.mantle.log" \
	--append "console=ttyS0 quiet mantle_tpm2tools=1 mantle_digest=$digest mantle_nonce=$nonce mantle_secret=$secret" \
	</dev/null >"$console" 2>&1
st=$?
tr -d '\r' <"$console" >"$console.txt" && mv "$console.txt" "$console"
[ $st -eq 0 ] && ok "guest-finished" || bad "guest-finished" "mantle-run returned $st"

rnd=$(sed -n 's/^guest-tpm2: getrandom \([0-9a-f]*\)$/\1/p' "$console")
[ ${#rnd} -eq 32 ] && ok "tpm2_getrandom-16-bytes" || bad "tpm2_getrandom-16-bytes" "got '$rnd'"

hexbin() { printf "$(sed 's/../\\x&/g')"; }
want=$({ printf '%064d' 0 | hexbin; printf '%s' "$digest" | hexbin; } | sha256sum | cut -c1-64)
got=$(sed -n 's/^guest-tpm2: pcrread sha256:16:0x\([0-9A-Fa-f]*\)$/\1/p' "$console" | tr 'A-F' 'a-f')
[ "$got" = "$want" ] && ok "tpm2_pcrextend-then-pcrread" || bad "tpm2_pcrextend-then-pcrread" "got '$got', want '$want'"

# The quote: files out of the console, verified with the host's tpm2_checkquote.
q=$logdir/guest-tpm2tools.quote
rm -rf "$q" && mkdir -p "$q"
for f in ak.pem q.msg q.sig q.pcrs ek.pem; do
	sed -n "/^guest-tpm2-file-begin $f\$/,/^guest-tpm2-file-end $f\$/p" "$console" | sed '1d;$d' | base64 -d >"$q/$f" 2>/dev/null
done
if grep -q '^guest-tpm2: quote rc 0$' "$console" &&
	tpm2_checkquote -u "$q/ak.pem" -m "$q/q.msg" -s "$q/q.sig" -f "$q/q.pcrs" -g sha256 -q "$nonce" >"$q/check.yaml" 2>&1; then
	ok "tpm2_quote-verified-by-tpm2_checkquote"
else
	bad "tpm2_quote-verified-by-tpm2_checkquote" "$(tail -3 "$q/check.yaml" 2>/dev/null)"
fi
if tpm2_checkquote -u "$q/ak.pem" -m "$q/q.msg" -s "$q/q.sig" -f "$q/q.pcrs" -g sha256 \
	-q "$(head -c 16 /dev/urandom | sha256sum | cut -c1-32)" >/dev/null 2>&1; then
	bad "checkquote-refuses-another-nonce" "a quote verified against the wrong nonce"
else
	ok "checkquote-refuses-another-nonce"
fi
# tpm2_checkquote prints the quoted bank as YAML lines "  4 : 0x..." (the quote holds only sha256).
pcr_in_quote() { sed -n "s/^ *$1 *: *0x\([0-9A-Fa-f]*\)\$/\1/p" "$q/check.yaml" | head -1 | tr 'A-F' 'a-f'; }
kernel_pcr=$({ printf '%064d' 0 | hexbin; sha256sum <"$kernel" | cut -c1-64 | hexbin; } | sha256sum | cut -c1-64)
[ "$(pcr_in_quote 4)" = "$kernel_pcr" ] && ok "quoted-pcr4-is-the-booted-kernel" ||
	bad "quoted-pcr4-is-the-booted-kernel" "quote has '$(pcr_in_quote 4)', computed $kernel_pcr"
[ "$(pcr_in_quote 16)" = "$want" ] && ok "quoted-pcr16-is-the-extend" ||
	bad "quoted-pcr16-is-the-extend" "quote has '$(pcr_in_quote 16)', computed $want"

# Sealing under PolicyPCR(16): unseals while PCR 16 holds, refused (TPM_RC_POLICY_FAIL for session 1,
# 0x99D) once it moved.
grep -q '^guest-tpm2: seal rc 0$' "$console" && ok "seal-under-policypcr" || bad "seal-under-policypcr" "create/load failed"
got=$(sed -n 's/^guest-tpm2: unseal-1 //p' "$console")
[ "$got" = "$secret" ] && ok "unseal-with-pcr-policy" || bad "unseal-with-pcr-policy" "got '$got'"
grep -q -i '^guest-tpm2: unseal-2 refused (\?0x0*99d)\?$' "$console" && ok "unseal-refused-after-pcr-extend" ||
	bad "unseal-refused-after-pcr-extend" "$(grep '^guest-tpm2: unseal-2' "$console")"
# RSA EK from the TCG EK Credential Profile template, and an RSA AK under it (PolicySecret session).
if grep -q '^guest-tpm2: rsa-ek-ak rc 0 ' "$console" &&
	openssl pkey -pubin -in "$q/ek.pem" -noout -text 2>/dev/null | grep 'Public-Key: (2048 bit)' >/dev/null; then
	ok "rsa-ek-and-ak ($(sed -n 's/^guest-tpm2: rsa-ek-ak rc 0 in //p' "$console"))"
else
	bad "rsa-ek-and-ak" "$(grep '^guest-tpm2: \(rsa-ek-ak\|ek:\)' "$console")"
fi

echo "guest-tpm2tools: $pass passed, $fail failed"
[ $fail -eq 0 ]
