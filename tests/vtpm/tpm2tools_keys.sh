#!/usr/bin/env bash
# vTPM object model (issue 6, objects part): tpm2-tools against build/host/vtpm-sim. EK from the
# TCG templates (readpublic shows the profile's attributes and policy), a storage key and children:
# create/load/unseal of sealed data, a tampered private blob, ECC signatures verified by openssl,
# a quote with an ECC AK child verified by tpm2_checkquote, AES (cfb, cbc, ctr) and HMAC with
# caller-supplied keys cross-checked with openssl, changeauth, evictcontrol across a restart.
# RSA and P-384 steps run when the engine reports those algorithms (TestParms); otherwise each is
# reported as "skip" (the crypto layer's RSA/P-384 arrive on their own branch).
# Usage: tests/vtpm/tpm2tools_keys.sh [path/to/vtpm-sim]
here=$(cd "$(dirname "$0")" && pwd)
SIM=$(realpath "${1:-$here/../../build/host/vtpm-sim}")
. "$here/lib.sh"
cd "$VT_DIR" || exit 1

EK_POLICY=837197674484b3f81a90cc8d46a5d724fd52d76e06520b64f2a1da1b331469aa
VT_SKIP=0
skip() { VT_SKIP=$((VT_SKIP + 1)); echo "skip $1"; }
flush() { :; }
# Without a resource manager tpm2-tools leave their objects loaded and the engine has 3 slots: flush
# the transient objects after every command (the tools reload them from their context files).
tpm() {
	timeout 20 "$@" >"$VT_DIR/out" 2>"$VT_DIR/err"
	local rc=$?
	timeout 20 tpm2_flushcontext -t >/dev/null 2>&1
	return $rc
}
# bytes 3..10 of a TPM2B_PUBLIC: type, nameAlg, attributes
pub_head() { head -c 10 "$1" | tail -c 8 | od -An -v -tx1 | tr -d ' \n'; }

vt_start
check "startup clear" tpm tpm2_startup -c
tpm tpm2_testparms rsa2048 && HAVE_RSA=1 || HAVE_RSA=0
tpm tpm2_testparms ecc384 && HAVE_P384=1 || HAVE_P384=0
echo "     (RSA: $HAVE_RSA, P-384: $HAVE_P384)"

# ---- EK from the EK Credential Profile templates ----
check "createek -G ecc (template L-2)" tpm tpm2_createek -c ek.ctx -G ecc -u ek.pub
check "readpublic of the ECC EK" tpm tpm2_readpublic -c ek.ctx
grep -qi "authorization policy: $EK_POLICY" "$VT_DIR/out" && ok "ECC EK carries the profile's policy" ||
	bad "ECC EK carries the profile's policy"
grep -q 'raw: 0x300b2' "$VT_DIR/out" && ok "ECC EK attributes 0x300b2 (adminWithPolicy, restricted decrypt)" ||
	bad "ECC EK attributes 0x300b2 (adminWithPolicy, restricted decrypt)"
expect_eq "ECC EK type/nameAlg/attributes in the public area" "$(pub_head ek.pub)" "0023000b000300b2"
grep -q 'aes' "$VT_DIR/out" && grep -q 'cfb' "$VT_DIR/out" && ok "ECC EK is a parent with AES-128-CFB" ||
	bad "ECC EK is a parent with AES-128-CFB"
flush
check "createek -G ecc again: the same key" tpm tpm2_createek -c ek2.ctx -G ecc -u ek2.pub
expect_eq "same EK (endorsement seed)" "$(hex ek2.pub)" "$(hex ek.pub)"
flush
if [ $HAVE_RSA = 1 ]; then
	check "createek -G rsa (template L-1)" tpm tpm2_createek -c ekr.ctx -G rsa -u ekr.pub
	expect_eq "RSA EK type/nameAlg/attributes" "$(pub_head ekr.pub)" "0001000b000300b2"
	tpm tpm2_readpublic -c ekr.ctx
	grep -qi "authorization policy: $EK_POLICY" "$VT_DIR/out" && ok "RSA EK carries the profile's policy" ||
		bad "RSA EK carries the profile's policy"
	flush
else
	skip "createek -G rsa (no RSA in this build)"
fi

# ---- storage key, sealed data ----
check "createprimary -C o (ECC storage key)" tpm tpm2_createprimary -C o -G ecc -c srk.ctx
printf 'the sealed secret' > secret
check "create a sealed object (password)" tpm tpm2_create -C srk.ctx -p sealpw -i secret -u seal.pub -r seal.priv
check "load it" tpm tpm2_load -C srk.ctx -u seal.pub -r seal.priv -c seal.ctx
flush
check "unseal with the password" tpm tpm2_unseal -c seal.ctx -p sealpw -o unsealed
expect_eq "unsealed = sealed" "$(hex unsealed)" "$(hex secret)"
check_fails "unseal with a wrong password" tpm tpm2_unseal -c seal.ctx -p nope
check_fails "unseal without a password" tpm tpm2_unseal -c seal.ctx
cp seal.priv bad.priv
printf '\001' | dd of=bad.priv bs=1 seek=$(($(stat -c %s bad.priv) - 1)) conv=notrunc 2>/dev/null
check_fails "a tampered private blob does not load" tpm tpm2_load -C srk.ctx -u seal.pub -r bad.priv -c bad.ctx
grep -q '0x1df\|0x1DF' "$VT_DIR/err" && ok "... TPM_RC_INTEGRITY (parameter 1)" || bad "... TPM_RC_INTEGRITY (parameter 1)"
# tpm2-tools reads -u as the in-memory TSS TPMS_ECC_POINT (host-endian sizes, 130-byte TPM2Bs)
{ printf '\005\000other'; head -c 125 /dev/zero; head -c 130 /dev/zero; } > other.bin
check "createprimary with other unique (another parent)" tpm tpm2_createprimary -C o -G ecc -c srk2.ctx -u other.bin
check_fails "the blob does not load under another parent" tpm tpm2_load -C srk2.ctx -u seal.pub -r seal.priv -c bad.ctx
flush

# ---- CreateLoaded (tpm2_create -c) ----
check "create -c (CreateLoaded) a sealed object" tpm tpm2_create -C srk.ctx -i secret -u cl.pub -r cl.priv -c cl.ctx
check "unseal the CreateLoaded object" tpm tpm2_unseal -c cl.ctx -o unsealed_cl
expect_eq "its secret" "$(hex unsealed_cl)" "$(hex secret)"
check "its outPrivate loads too" tpm tpm2_load -C srk.ctx -u cl.pub -r cl.priv -c cl2.ctx

# ---- changeauth of the sealed object ----
check "changeauth of the object" tpm tpm2_changeauth -c seal.ctx -C srk.ctx -p sealpw -r seal2.priv newpw
check "load the re-wrapped private" tpm tpm2_load -C srk.ctx -u seal.pub -r seal2.priv -c seal2.ctx
flush
check "unseal with the new password" tpm tpm2_unseal -c seal2.ctx -p newpw -o unsealed2
expect_eq "same secret under the new password" "$(hex unsealed2)" "$(hex secret)"
check_fails "the old password no longer works on it" tpm tpm2_unseal -c seal2.ctx -p sealpw

# ---- ECC signing keys, verified by openssl ----
printf 'message to sign' > msg
sign_check() { # NAME ALG HASH [SCHEME [OPENSSL-SIGOPTS...]]
	local n=$1 alg=$2 h=$3 sch=${4:-} && shift 4 2>/dev/null || shift $#
	local sargs=() && [ -n "$sch" ] && sargs=(-s "$sch")
	check "create $n signing key" tpm tpm2_create -C srk.ctx -G "$alg" -u "$n.pub" -r "$n.priv"
	check "load $n" tpm tpm2_load -C srk.ctx -u "$n.pub" -r "$n.priv" -c "$n.ctx"
	flush
	tpm tpm2_readpublic -c "$n.ctx" -f pem -o "$n.pem"
	check "sign with $n" tpm tpm2_sign -c "$n.ctx" -g "$h" "${sargs[@]}" -f plain -o "$n.sig" msg
	openssl dgst "-$h" -verify "$n.pem" "$@" -signature "$n.sig" msg >/dev/null 2>&1 &&
		ok "openssl verifies the $n signature" || bad "openssl verifies the $n signature"
	check "sign with $n (TPMT_SIGNATURE)" tpm tpm2_sign -c "$n.ctx" -g "$h" "${sargs[@]}" -o "$n.tsig" msg
	check "verifysignature with $n" tpm tpm2_verifysignature -c "$n.ctx" -g "$h" -m msg -s "$n.tsig"
	printf 'other' > msg2
	check_fails "verifysignature of another message with $n" tpm tpm2_verifysignature -c "$n.ctx" -g "$h" -m msg2 -s "$n.tsig"
}
sign_check p256 ecc256:ecdsa-sha256:null sha256
if [ $HAVE_P384 = 1 ]; then sign_check p384 ecc384:ecdsa-sha384:null sha384; else skip "P-384 signing (no P-384 in this build)"; fi
if [ $HAVE_RSA = 1 ]; then
	sign_check rsassa rsa2048:rsassa-sha256:null sha256
	sign_check rsapss rsa2048:rsapss-sha256:null sha256 rsapss -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:32
else
	skip "RSA signing (no RSA in this build)"
fi

# ---- private keys made by openssl, loaded with LoadExternal ----
openssl ecparam -name prime256v1 -genkey -noout -out ext256.pem 2>/dev/null
openssl ec -in ext256.pem -pubout -out ext256.pub.pem 2>/dev/null
check "loadexternal an openssl P-256 private key" tpm tpm2_loadexternal -G ecc -r ext256.pem -c ext256.ctx -C n
check "sign with it" tpm tpm2_sign -c ext256.ctx -g sha256 -f plain -o ext256.sig msg
openssl dgst -sha256 -verify ext256.pub.pem -signature ext256.sig msg >/dev/null 2>&1 &&
	ok "openssl verifies it with its own public key" || bad "openssl verifies it with its own public key"
if [ $HAVE_RSA = 1 ]; then
	openssl genrsa -out extrsa.pem 2048 2>/dev/null
	openssl rsa -in extrsa.pem -pubout -out extrsa.pub.pem 2>/dev/null
	check "loadexternal an openssl RSA-2048 private key" tpm tpm2_loadexternal -G rsa -r extrsa.pem -c extrsa.ctx -C n
	check "sign with it (rsassa)" tpm tpm2_sign -c extrsa.ctx -g sha256 -s rsassa -f plain -o extrsa.sig msg
	openssl dgst -sha256 -verify extrsa.pub.pem -signature extrsa.sig msg >/dev/null 2>&1 &&
		ok "openssl verifies the RSA signature with its own public key" ||
		bad "openssl verifies the RSA signature with its own public key"
	check_fails "loadexternal of a private key into the owner hierarchy is refused" \
		tpm tpm2_loadexternal -G rsa -r extrsa.pem -c x.ctx -C o
else
	skip "loadexternal of an RSA private key (no RSA in this build)"
fi

# ---- quote with an ECC AK created under the storage key ----
check "create a restricted ECC signing key (AK)" tpm tpm2_create -C srk.ctx -G ecc256:ecdsa-sha256:null \
	-a 'fixedtpm|fixedparent|sensitivedataorigin|userwithauth|restricted|sign' -u ak.pub -r ak.priv
check "load the AK" tpm tpm2_load -C srk.ctx -u ak.pub -r ak.priv -c ak.ctx
flush
tpm tpm2_readpublic -c ak.ctx -f pem -o ak.pem
nonce=$(openssl rand -hex 16)
check "quote sha256:0,1 with the AK" tpm tpm2_quote -c ak.ctx -l sha256:0,1 -q "$nonce" -m q.msg -s q.sig -o q.pcrs -g sha256
check "tpm2_checkquote verifies it" tpm tpm2_checkquote -u ak.pem -m q.msg -s q.sig -f q.pcrs -g sha256 -q "$nonce"
check_fails "tpm2_checkquote refuses another nonce" tpm tpm2_checkquote -u ak.pem -m q.msg -s q.sig -f q.pcrs -g sha256 -q 00
if [ $HAVE_RSA = 1 ]; then
	check "create a restricted RSA signing key (RSA AK under the storage key)" tpm tpm2_create -C srk.ctx \
		-G rsa2048:rsassa-sha256:null -a 'fixedtpm|fixedparent|sensitivedataorigin|userwithauth|restricted|sign' \
		-u rak0.pub -r rak0.priv
	check "load it" tpm tpm2_load -C srk.ctx -u rak0.pub -r rak0.priv -c rak0.ctx
	tpm tpm2_readpublic -c rak0.ctx -f pem -o rak0.pem
	check "quote with the RSA AK" tpm tpm2_quote -c rak0.ctx -l sha256:0,1 -q "$nonce" -m rq0.msg -s rq0.sig -o rq0.pcrs -g sha256
	check "tpm2_checkquote verifies the RSA quote" \
		tpm tpm2_checkquote -u rak0.pem -m rq0.msg -s rq0.sig -f rq0.pcrs -g sha256 -q "$nonce"
	check_fails "tpm2_checkquote refuses it with another nonce" \
		tpm tpm2_checkquote -u rak0.pem -m rq0.msg -s rq0.sig -f rq0.pcrs -g sha256 -q 01
	openssl dgst -sha256 -binary msg > msg.dgst
	check_fails "the RSA AK refuses an outside digest without a ticket" tpm tpm2_sign -c rak0.ctx -g sha256 -d -o x.sig msg.dgst
	grep -q '0x3e0\|0x3E0' "$VT_DIR/err" && ok "... with TPM_RC_TICKET (parameter 3)" || bad "... with TPM_RC_TICKET (parameter 3)"
fi
if [ $HAVE_RSA = 1 ] && tpm tpm2_getcap commands && grep -q PolicySecret "$VT_DIR/out"; then
	check "createak (RSA, under the RSA EK)" tpm tpm2_createak -C ekr.ctx -c rak.ctx -G rsa -g sha256 -s rsassa -u rak.pub -f pem
	cp rak.pub rak.pem
	check "quote with the RSA AK" tpm tpm2_quote -c rak.ctx -l sha256:0,1 -q "$nonce" -m rq.msg -s rq.sig -o rq.pcrs -g sha256
	check "tpm2_checkquote verifies the RSA quote" tpm tpm2_checkquote -u rak.pem -m rq.msg -s rq.sig -f rq.pcrs -g sha256 -q "$nonce"
	flush
else
	skip "createak + RSA quote (needs RSA and policy sessions in this build)"
fi

# ---- RSA encryption ----
if [ $HAVE_RSA = 1 ]; then
	check "create an RSA-2048 key with no scheme" tpm tpm2_create -C srk.ctx -G rsa2048:null:null -u rk.pub -r rk.priv
	check "load it" tpm tpm2_load -C srk.ctx -u rk.pub -r rk.priv -c rk.ctx
	tpm tpm2_readpublic -c rk.ctx -f pem -o rk.pem
	printf 'rsa plaintext' > rmsg
	for sch in oaep rsaes; do
		check "rsaencrypt -s $sch" tpm tpm2_rsaencrypt -c rk.ctx -s "$sch" -o "rmsg.$sch" rmsg
		check "rsadecrypt -s $sch" tpm tpm2_rsadecrypt -c rk.ctx -s "$sch" -o "rdec.$sch" "rmsg.$sch"
		expect_eq "$sch: decrypted = plaintext" "$(hex "rdec.$sch")" "$(hex rmsg)"
	done
	openssl pkeyutl -encrypt -pubin -inkey rk.pem -pkeyopt rsa_padding_mode:oaep -pkeyopt rsa_oaep_md:sha256 \
		-pkeyopt rsa_mgf1_md:sha256 -in rmsg -out ossl.enc 2>/dev/null
	check "rsadecrypt of openssl's OAEP (SHA-256) ciphertext" tpm tpm2_rsadecrypt -c rk.ctx -s oaep -o ossl.dec ossl.enc
	expect_eq "... gives the plaintext" "$(hex ossl.dec)" "$(hex rmsg)"
	openssl pkeyutl -encrypt -pubin -inkey rk.pem -in rmsg -out ossl15.enc 2>/dev/null
	check "rsadecrypt of openssl's PKCS#1 v1.5 ciphertext" tpm tpm2_rsadecrypt -c rk.ctx -s rsaes -o ossl15.dec ossl15.enc
	expect_eq "... gives the plaintext" "$(hex ossl15.dec)" "$(hex rmsg)"
	check "create an RSA key with the OAEP scheme" tpm tpm2_create -C srk.ctx -G rsa2048:oaep-sha256:null -u ro.pub -r ro.priv
	check "load it" tpm tpm2_load -C srk.ctx -u ro.pub -r ro.priv -c ro.ctx
	check_fails "the key's scheme wins: RSAES refused for an OAEP key" tpm tpm2_rsaencrypt -c ro.ctx -s rsaes -o x.enc rmsg
	grep -q '0x2d2\|0x2D2' "$VT_DIR/err" && ok "... TPM_RC_SCHEME (parameter 2)" || bad "... TPM_RC_SCHEME (parameter 2)"
else
	skip "rsaencrypt/rsadecrypt (no RSA in this build)"
fi

# ---- AES: a created key round-trips; a loaded-external key of known bits matches openssl ----
iv=$(openssl rand -hex 16)
printf '%s' "$iv" | xxd -r -p > iv.bin
head -c 64 /dev/urandom > plain
check "create an AES-128 key (mode chosen per command)" tpm tpm2_create -C srk.ctx -G aes128 -u aes.pub -r aes.priv
check "load it" tpm tpm2_load -C srk.ctx -u aes.pub -r aes.priv -c aes.ctx
for m in cfb cbc ctr; do
	check "encryptdecrypt -G $m with the created key" tpm tpm2_encryptdecrypt -c aes.ctx -G "$m" -t iv.bin -o "cenc.$m" plain
	[ -s "cenc.$m" ] && [ "$(hex "cenc.$m")" != "$(hex plain)" ] && ok "... ciphertext differs from the plaintext" ||
		bad "... ciphertext differs from the plaintext"
	check "decrypt -G $m with the created key" tpm tpm2_encryptdecrypt -d -c aes.ctx -G "$m" -t iv.bin -o "cdec.$m" "cenc.$m"
	expect_eq "created key: AES-128-$m round trip" "$(hex "cdec.$m")" "$(hex plain)"
done
head -c 16 /dev/urandom > aes.key
key=$(hex aes.key)
check "loadexternal an AES-128 key of known bits" tpm tpm2_loadexternal -G aes -r aes.key -c aesx.ctx -C n
for m in cfb cbc ctr; do
	check "encryptdecrypt -G $m" tpm tpm2_encryptdecrypt -c aesx.ctx -G "$m" -t iv.bin -o "enc.$m" plain
	openssl enc "-aes-128-$m" -K "$key" -iv "$iv" -nopad -in plain -out "ossl.$m" 2>/dev/null
	expect_eq "AES-128-$m ciphertext = openssl's" "$(hex "enc.$m")" "$(hex "ossl.$m")"
	check "decrypt -G $m" tpm tpm2_encryptdecrypt -d -c aesx.ctx -G "$m" -t iv.bin -o "dec.$m" "enc.$m"
	expect_eq "AES-128-$m round trip" "$(hex "dec.$m")" "$(hex plain)"
done

# ---- HMAC with created keys ----
check "create an HMAC key" tpm tpm2_create -C srk.ctx -G hmac -u hk.pub -r hk.priv
check "load it" tpm tpm2_load -C srk.ctx -u hk.pub -r hk.priv -c hk.ctx
check "tpm2_hmac" tpm tpm2_hmac -c hk.ctx -g sha256 -o mac.bin msg
expect_eq "an HMAC-SHA-256 is 32 bytes" "$(stat -c %s mac.bin 2>/dev/null)" 32
check "tpm2_hmac again" tpm tpm2_hmac -c hk.ctx -g sha256 -o mac1.bin msg
expect_eq "same key, same HMAC" "$(hex mac1.bin)" "$(hex mac.bin)"
check "create a second HMAC key" tpm tpm2_create -C srk.ctx -G hmac -u hk2.pub -r hk2.priv
check "load it" tpm tpm2_load -C srk.ctx -u hk2.pub -r hk2.priv -c hk2.ctx
check "tpm2_hmac with it" tpm tpm2_hmac -c hk2.ctx -g sha256 -o mac2.bin msg
[ -s mac2.bin ] && [ "$(hex mac2.bin)" != "$(hex mac.bin)" ] && ok "another key, another HMAC" ||
	bad "another key, another HMAC"
check_fails "a sealed object is no HMAC key" tpm tpm2_hmac -c seal.ctx -p sealpw -g sha256 -o mac3.bin msg

# ---- persistent storage key across a restart ----
check "evictcontrol the storage key to 0x81000001" tpm tpm2_evictcontrol -C o -c srk.ctx 0x81000001
check "getcap handles-persistent" tpm tpm2_getcap handles-persistent
grep -q '0x81000001' "$VT_DIR/out" && ok "0x81000001 is listed" || bad "0x81000001 is listed"
check_fails "owner may not use the platform range" tpm tpm2_evictcontrol -C o -c srk.ctx 0x81800001
check "shutdown" tpm tpm2_shutdown -c
vt_stop
vt_start "$VT_DIR/state"
check "startup after the restart" tpm tpm2_startup -c
check "load the sealed object under 0x81000001" tpm tpm2_load -C 0x81000001 -u seal.pub -r seal.priv -c seal3.ctx
check "tpm2_hmac with the key created before the restart, loaded under 0x81000001" \
	tpm tpm2_load -C 0x81000001 -u hk.pub -r hk.priv -c hk3.ctx
tpm tpm2_hmac -c hk3.ctx -g sha256 -o mac4.bin msg
expect_eq "same HMAC after the restart" "$(hex mac4.bin)" "$(hex mac.bin)"
check "unseal it" tpm tpm2_unseal -c seal3.ctx -p sealpw -o unsealed3
expect_eq "the secret, after the restart" "$(hex unsealed3)" "$(hex secret)"
check "readpublic 0x81000001" tpm tpm2_readpublic -c 0x81000001
check "evictcontrol removes it" tpm tpm2_evictcontrol -C o -c 0x81000001
tpm tpm2_getcap handles-persistent
grep -q '0x81000001' "$VT_DIR/out" && bad "0x81000001 is gone" || ok "0x81000001 is gone"
check_fails "nothing loads under it any more" tpm tpm2_load -C 0x81000001 -u seal.pub -r seal.priv -c seal4.ctx

echo "     ($VT_SKIP steps skipped)"
vt_summary
