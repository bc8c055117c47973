#!/usr/bin/env bash
# vTPM part 2, ECC P-256 slice: tpm2-tools against build/host/vtpm-sim. CreatePrimary (twice, and
# again after a power cycle: the same key), ReadPublic (Name recomputed with openssl), Quote verified
# by tpm2_checkquote (the independent verifier) and by openssl, Sign/VerifySignature (signatures
# verified by openssl), restricted-key rules (hashcheck tickets, TPM_GENERATED data refused).
# Usage: tests/vtpm/tpm2tools_ecc.sh [path/to/vtpm-sim]
here=$(cd "$(dirname "$0")" && pwd)
SIM=$(realpath "${1:-$here/../../build/host/vtpm-sim}")
. "$here/lib.sh"
cd "$VT_DIR" || exit 1

AK_ATTRS='fixedtpm|fixedparent|sensitivedataorigin|userwithauth|restricted|sign'
SK_ATTRS='fixedtpm|fixedparent|sensitivedataorigin|userwithauth|sign'
flush() { tpm tpm2_flushcontext -t; }
# TPMT_PUBLIC's unique x || y (the last 68 bytes of a TPM2B_PUBLIC: 0020 x 0020 y)
unique_xy() { tail -c 68 "$1" | od -An -v -tx1 | tr -d ' \n' | sed -E 's/^0020(.{64})0020(.{64})$/\1\2/'; }
# the uncompressed point from a PEM public key, without the 04 prefix
pem_xy() { openssl ec -pubin -in "$1" -outform DER 2>/dev/null | tail -c 64 | od -An -v -tx1 | tr -d ' \n'; }

vt_start
check "startup clear" tpm tpm2_startup -c

# ---- capabilities ----
tpm tpm2_getcap ecc-curves
grep -q 'TPM2_ECC_NIST_P256' "$VT_DIR/out" && ok "ecc-curves lists NIST P-256" || bad "ecc-curves lists NIST P-256"
tpm tpm2_getcap algorithms
grep -q '^ecc:' "$VT_DIR/out" && grep -q '^ecdsa:' "$VT_DIR/out" && ok "algorithms list ecc and ecdsa" ||
	bad "algorithms list ecc and ecdsa"
check "testparms ecc256:ecdsa-sha256:null" tpm tpm2_testparms ecc256:ecdsa-sha256:null
# P-384 comes with the crypto layer's P-384 (tpm2tools_keys.sh tests it): TestParms and CreatePrimary agree
if tpm tpm2_testparms ecc384:ecdsa-sha384:null; then HAVE_P384=1; else HAVE_P384=0; fi
tpm tpm2_getcap ecc-curves
grep -q 'TPM2_ECC_NIST_P384' "$VT_DIR/out" && c384=1 || c384=0
expect_eq "ecc-curves lists P-384 exactly when TestParms accepts it" "$c384" "$HAVE_P384"
tpm tpm2_getcap commands
for cc in CreatePrimary Quote Sign VerifySignature; do
	grep -q "TPM2_CC_$cc\$\|TPM2_CC_$cc:" "$VT_DIR/out" && ok "command list names $cc" || bad "command list names $cc"
done

# ---- CreatePrimary: a restricted ECC signing key (AK) in the endorsement hierarchy ----
check "createprimary -C e -G ecc256 (restricted signing key)" \
	tpm tpm2_createprimary -C e -G ecc256:ecdsa-sha256:null -a "$AK_ATTRS" -c ak.ctx
flush
check "readpublic of the AK" tpm tpm2_readpublic -c ak.ctx -o ak.pub -n ak.name
flush
tpm tpm2_readpublic -c ak.ctx -o ak.pem -f pem
flush
expect_eq "Name = 000b || SHA-256(TPMT_PUBLIC)" "$(hex ak.name)" \
	"000b$(tail -c +3 ak.pub | openssl dgst -sha256 -binary | od -An -v -tx1 | tr -d ' \n')"
expect_eq "attributes in the public area" "$(head -c 10 ak.pub | tail -c 8 | od -An -v -tx1 | tr -d ' \n')" \
	"0023000b00050072"
xy=$(unique_xy ak.pub)
expect_eq "PEM point = public area's unique" "$(pem_xy ak.pem)" "$xy"
openssl ec -pubin -in ak.pem -check -noout >/dev/null 2>&1 && ok "openssl accepts the point (on P-256)" ||
	bad "openssl accepts the point (on P-256)"
check "createprimary again (same template)" \
	tpm tpm2_createprimary -C e -G ecc256:ecdsa-sha256:null -a "$AK_ATTRS" -c ak2.ctx
flush
tpm tpm2_readpublic -c ak2.ctx -o ak2.pub
flush
expect_eq "same template, same seed: same key" "$(hex ak2.pub)" "$(hex ak.pub)"
# tpm2-tools reads -u as the in-memory TSS struct TPMS_ECC_POINT (host-endian sizes, 130-byte TPM2Bs)
{ printf '\005\000other'; head -c 125 /dev/zero; head -c 130 /dev/zero; } > other.bin
check "createprimary with other unique data" \
	tpm tpm2_createprimary -C e -G ecc256:ecdsa-sha256:null -a "$AK_ATTRS" -u other.bin -c ak3.ctx
flush
tpm tpm2_readpublic -c ak3.ctx -o ak3.pub
flush
[ "$(unique_xy ak3.pub)" != "$xy" ] && ok "other unique: other key" || bad "other unique: other key"
check "createprimary -C o (unrestricted signing key)" \
	tpm tpm2_createprimary -C o -G ecc256:ecdsa-sha256:null -a "$SK_ATTRS" -c sk.ctx
flush
tpm tpm2_readpublic -c sk.ctx -o sk.pub
flush
tpm tpm2_readpublic -c sk.ctx -o sk.pem -f pem
flush
[ "$(unique_xy sk.pub)" != "$xy" ] && ok "owner and endorsement seeds give different keys" ||
	bad "owner and endorsement seeds give different keys"
check_fails "symmetric on a signing key refused" \
	tpm tpm2_createprimary -C o -G ecc256:ecdsa-sha256:aes128cfb -a "$SK_ATTRS" -c bad.ctx
check_fails "restricted key without a scheme refused" \
	tpm tpm2_createprimary -C o -G ecc256:null:null -a "$AK_ATTRS" -c bad.ctx
if [ $HAVE_P384 = 1 ]; then
	check "P-384 primary" tpm tpm2_createprimary -C o -G ecc384:ecdsa-sha384:null -a "$SK_ATTRS" -c p384.ctx
else
	check_fails "P-384 refused without P-384 in the crypto layer" \
		tpm tpm2_createprimary -C o -G ecc384:ecdsa-sha384:null -a "$SK_ATTRS" -c bad.ctx
fi
flush

# ---- Quote with the AK, checked by tpm2_checkquote and by openssl ----
d256=$(dgst sha256 "$(hexs quote-me)")
check "pcrextend 1" tpm tpm2_pcrextend "1:sha256=$d256"
nonce=$(openssl rand -hex 20)
check "quote sha256:0,1,2 with a nonce" \
	tpm tpm2_quote -c ak.ctx -l sha256:0,1,2 -q "$nonce" -m q.msg -s q.sig -o q.pcrs -g sha256
flush
check "tpm2_checkquote verifies it" tpm tpm2_checkquote -u ak.pem -m q.msg -s q.sig -f q.pcrs -g sha256 -q "$nonce"
check_fails "tpm2_checkquote refuses another nonce" \
	tpm tpm2_checkquote -u ak.pem -m q.msg -s q.sig -f q.pcrs -g sha256 -q "$(openssl rand -hex 20)"
m=$(hex q.msg)
expect_eq "TPMS_ATTEST magic and type (TPM_GENERATED, ATTEST_QUOTE)" "${m:0:12}" "ff5443478018"
qn=$(printf '4000000b%s' "$(hex ak.name)" | xxd -r -p | openssl dgst -sha256 -binary | od -An -v -tx1 | tr -d ' \n')
expect_eq "qualifiedSigner = 000b || H(TPM_RH_ENDORSEMENT || Name)" "${m:12:72}" "0022000b$qn"
expect_eq "extraData = the nonce" "${m:84:44}" "0014$nonce"
p1=$(dgst sha256 "$(zeros 32)$d256")
pdig=$(dgst sha256 "$(zeros 32)$p1$(zeros 32)")
expect_eq "pcrDigest = H(PCR0 || PCR1 || PCR2), recomputed" "${m: -64}" "$pdig"
expect_eq "PCR selection sha256:0,1,2" "${m: -88:20}" "00000001000b03070000"
check "quote again, signature in plain (DER) form" \
	tpm tpm2_quote -c ak.ctx -l sha256:0,1,2 -q "$nonce" -m q2.msg -s q2.der -f plain -g sha256
flush
openssl dgst -sha256 -verify ak.pem -signature q2.der q2.msg >/dev/null 2>&1 &&
	ok "openssl verifies the quote signature" || bad "openssl verifies the quote signature"

# ---- Sign / VerifySignature ----
printf 'message to sign' > msg
check "sign with the unrestricted key" tpm tpm2_sign -c sk.ctx -g sha256 -o sig.bin msg
flush
check "verifysignature" tpm tpm2_verifysignature -c sk.ctx -g sha256 -m msg -s sig.bin -t verified.tk
flush
expect_eq "verified ticket: TPM_ST_VERIFIED in the owner hierarchy" "$(head -c 6 verified.tk | od -An -v -tx1 | tr -d ' \n')" \
	"802240000001"
printf 'another message' > msg2
check_fails "verifysignature of another message fails" tpm tpm2_verifysignature -c sk.ctx -g sha256 -m msg2 -s sig.bin
flush
check "sign, plain (DER) output" tpm tpm2_sign -c sk.ctx -g sha256 -f plain -o sig.der msg
flush
openssl dgst -sha256 -verify sk.pem -signature sig.der msg >/dev/null 2>&1 && ok "openssl verifies the signature" ||
	bad "openssl verifies the signature"
openssl ecparam -name prime256v1 -genkey -noout -out ext.key 2>/dev/null
openssl dgst -sha256 -sign ext.key -out ext.der msg
openssl ec -in ext.key -pubout -out ext.pem 2>/dev/null
openssl dgst -sha256 -binary msg > msg.dgst
# restricted key: only digests the TPM hashed, with the ticket to prove it
check "sign a message with the AK (tpm2_sign hashes in the TPM, ticket)" tpm tpm2_sign -c ak.ctx -g sha256 -o sig2.bin msg
flush
check_fails "AK refuses an outside digest without a ticket" tpm tpm2_sign -c ak.ctx -g sha256 -d -o sig3.bin msg.dgst
grep -q '0x3e0\|0x3E0' "$VT_DIR/err" && ok "... with TPM_RC_TICKET (parameter 3)" || bad "... with TPM_RC_TICKET (parameter 3)"
flush
check "hash in the TPM with a ticket" tpm tpm2_hash -C e -g sha256 -t hash.tk -o hash.bin msg
expect_eq "hash is SHA-256 of the message" "$(hex hash.bin)" "$(hex msg.dgst)"
check "AK signs the digest with the hashcheck ticket" tpm tpm2_sign -c ak.ctx -g sha256 -d -t hash.tk -o sig4.bin hash.bin
flush
printf '\377TCG pretend attestation' > gen
check "hash of TPM_GENERATED-prefixed data" tpm tpm2_hash -C e -g sha256 -t gen.tk -o gen.bin gen
check_fails "AK refuses it (NULL ticket)" tpm tpm2_sign -c ak.ctx -g sha256 -d -t gen.tk -o sig5.bin gen.bin
flush

# ---- same key after a power cycle ----
check "shutdown clear" tpm tpm2_shutdown -c
vt_stop
vt_start "$VT_DIR/state"
check "startup clear after power cycle" tpm tpm2_startup -c
check "createprimary -C e after the power cycle" \
	tpm tpm2_createprimary -C e -G ecc256:ecdsa-sha256:null -a "$AK_ATTRS" -c ak4.ctx
flush
tpm tpm2_readpublic -c ak4.ctx -o ak4.pub
flush
expect_eq "same AK across the restart" "$(hex ak4.pub)" "$(hex ak.pub)"
check_fails "a context saved before the power cycle does not load" tpm tpm2_readpublic -c ak.ctx
# Clear changes the owner seed, not the endorsement seed; loaded and saved keys of both go
check "createprimary -C e before Clear" tpm tpm2_createprimary -C e -G ecc256:ecdsa-sha256:null -a "$AK_ATTRS" -c akc.ctx
flush
check "clear (platform)" tpm tpm2_clear -c p
check_fails "an endorsement key context saved before Clear does not load" tpm tpm2_readpublic -c akc.ctx
check "createprimary -C o after Clear" tpm tpm2_createprimary -C o -G ecc256:ecdsa-sha256:null -a "$SK_ATTRS" -c sk2.ctx
flush
tpm tpm2_readpublic -c sk2.ctx -o sk2.pub
flush
[ "$(unique_xy sk2.pub)" != "$(unique_xy sk.pub)" ] && ok "owner key changes with Clear" || bad "owner key changes with Clear"
check "createprimary -C e after Clear" tpm tpm2_createprimary -C e -G ecc256:ecdsa-sha256:null -a "$AK_ATTRS" -c ak5.ctx
flush
tpm tpm2_readpublic -c ak5.ctx -o ak5.pub
flush
expect_eq "endorsement key survives Clear" "$(hex ak5.pub)" "$(hex ak.pub)"

vt_summary
