#!/usr/bin/env bash
# vTPM attestation and ECDH commands (issue 6, attest part): tpm2-tools against build/host/vtpm-sim.
# tpm2_certify with an ECC AK (the attestation verified by openssl with the AK's PEM key, the
# certified Name in tpm2_print's TPMS_ATTEST equal to tpm2_readpublic's), tpm2_certifycreation with
# the ticket of tpm2_create (and a tampered one refused), tpm2_gettime, tpm2_nvcertify (contents and
# signature), tpm2_ecdhkeygen + tpm2_ecdhzgen (same Z on both sides) and ZGen with an openssl key
# loaded by tpm2_loadexternal against openssl's own ECDH; an audit session (tpm2_startauthsession
# --audit-session) and tpm2_getsessionauditdigest verified by openssl.
# Usage: tests/vtpm/tpm2tools_attest.sh [path/to/vtpm-sim]
here=$(cd "$(dirname "$0")" && pwd)
SIM=$(realpath "${1:-$here/../../build/host/vtpm-sim}")
. "$here/lib.sh"
cd "$VT_DIR" || exit 1

# Without a resource manager tpm2-tools leave their objects loaded and the engine has 3 slots: flush
# the transient objects after every command (the tools reload them from their context files).
tpm() {
	timeout 20 "$@" >"$VT_DIR/out" 2>"$VT_DIR/err"
	local rc=$?
	timeout 20 tpm2_flushcontext -t >/dev/null 2>&1
	return $rc
}
# openssl_ok NAME PEM SIG DATA: openssl verifies the plain (DER) ECDSA signature of DATA
openssl_ok() {
	openssl dgst -sha256 -verify "$2" -signature "$3" "$4" >/dev/null 2>&1 && ok "$1" || bad "$1"
}
# the same signature must fail over changed data
openssl_refuses() {
	cp "$4" changed.bin
	printf '\377' | dd of=changed.bin bs=1 seek=20 conv=notrunc 2>/dev/null
	openssl dgst -sha256 -verify "$2" -signature "$3" changed.bin >/dev/null 2>&1 && bad "$1" || ok "$1"
}

# attested FILE: hex of the TPMU_ATTEST member of a TPMS_ATTEST (after magic, type, qualifiedSigner,
# extraData, clockInfo (17 bytes) and firmwareVersion (8))
attested() {
	local h qs ed
	h=$(hex "$1")
	qs=$((16#${h:12:4}))
	ed=$((16#${h:$((16 + 2 * qs)):4}))
	printf '%s' "${h:$((20 + 2 * qs + 2 * ed + 50))}"
}

vt_start
check "startup clear" tpm tpm2_startup -c

check "createprimary -C o (ECC storage key)" tpm tpm2_createprimary -C o -G ecc -c srk.ctx
check "create a restricted ECC signing key (AK)" tpm tpm2_create -C srk.ctx -G ecc256:ecdsa-sha256:null \
	-a 'fixedtpm|fixedparent|sensitivedataorigin|userwithauth|restricted|sign' -u ak.pub -r ak.priv
check "load the AK" tpm tpm2_load -C srk.ctx -u ak.pub -r ak.priv -c ak.ctx
tpm tpm2_readpublic -c ak.ctx -f pem -o ak.pem

# ---- Certify ----
check "create a key to certify (with --creation-data, -d, -t)" tpm tpm2_create -C srk.ctx -G ecc256 \
	-u k.pub -r k.priv --creation-data k.cdata -d k.chash -t k.ticket
check "load it" tpm tpm2_load -C srk.ctx -u k.pub -r k.priv -c k.ctx
tpm tpm2_readpublic -c k.ctx -n k.name
check "tpm2_certify the key with the AK" tpm tpm2_certify -c k.ctx -C ak.ctx -g sha256 -o cert.att -s cert.sig -f plain
openssl_ok "openssl verifies the certification with the AK's PEM key" ak.pem cert.sig cert.att
openssl_refuses "... and refuses a changed attestation" ak.pem cert.sig cert.att
# tpm2_print (tpm2-tools 5.4) decodes only TPMS_QUOTE_INFO: it prints the header of other types and
# then stops, so the TPMU_ATTEST member is parsed here.
tpm tpm2_print -t TPMS_ATTEST cert.att
grep -q 'type: 8017' "$VT_DIR/out" && ok "tpm2_print: type TPM_ST_ATTEST_CERTIFY" || bad "tpm2_print: type TPM_ST_ATTEST_CERTIFY"
akqn=$(tpm2_readpublic -c ak.ctx 2>/dev/null | awk '/qualified name:/{print $3; exit}')
expect_eq "qualifiedSigner is the AK's qualified name" "$(hex cert.att | cut -c 13-84)" "0022$akqn"
certname=$(attested cert.att | cut -c 5-72)
expect_eq "the certified Name is tpm2_readpublic's" "$(attested cert.att | cut -c 1-4)$certname" "0022$(hex k.name)"
check_fails "the storage key is no signing key for tpm2_certify" tpm tpm2_certify -c k.ctx -C srk.ctx -g sha256 \
	-o x.att -s x.sig

# ---- CertifyCreation ----
check "tpm2_certifycreation with the ticket from tpm2_create" tpm tpm2_certifycreation -C ak.ctx -c k.ctx \
	-d k.chash -t k.ticket -g sha256 -o cc.sig --attestation cc.att -f plain
openssl_ok "openssl verifies the creation certification" ak.pem cc.sig cc.att
tpm tpm2_print -t TPMS_ATTEST cc.att
grep -q 'type: 801a\|type: 801A' "$VT_DIR/out" && ok "... type TPM_ST_ATTEST_CREATION" ||
	bad "... type TPM_ST_ATTEST_CREATION"
expect_eq "... carries the key's Name and creation hash" "$(attested cc.att)" "0022$(hex k.name)$(hex k.chash)"
cp k.chash bad.chash
printf '\001' | dd of=bad.chash bs=1 seek=$(($(stat -c %s bad.chash) - 1)) conv=notrunc 2>/dev/null
check_fails "tpm2_certifycreation refuses another creation hash" tpm tpm2_certifycreation -C ak.ctx -c k.ctx \
	-d bad.chash -t k.ticket -g sha256 -o x.sig --attestation x.att
grep -q '0x4e0\|0x4E0' "$VT_DIR/err" && ok "... with TPM_RC_TICKET (parameter 4)" || bad "... with TPM_RC_TICKET (parameter 4)"

# ---- GetTime ----
check "tpm2_gettime signed by the AK" tpm tpm2_gettime -c ak.ctx -g sha256 -o time.sig --attestation time.att -f plain \
	-q 0123
openssl_ok "openssl verifies the time attestation" ak.pem time.sig time.att
tpm tpm2_print -t TPMS_ATTEST time.att
grep -q 'type: 8019' "$VT_DIR/out" && ok "... type TPM_ST_ATTEST_TIME" || bad "... type TPM_ST_ATTEST_TIME"
grep -q 'extraData: 0123' "$VT_DIR/out" && ok "... qualifying data as extraData" || bad "... qualifying data as extraData"
check_fails "tpm2_gettime with a wrong endorsement password" tpm tpm2_gettime -c ak.ctx -P wrong -o x.sig --attestation x.att

# ---- NV_Certify ----
printf '0123456789abcdefFEDCBA9876543210' > nvdata
check "nvdefine 0x1500030 (32 bytes, authread|authwrite)" tpm tpm2_nvdefine 0x1500030 -C o -s 32 -a 'authread|authwrite'
check "nvwrite it" tpm tpm2_nvwrite 0x1500030 -C 0x1500030 -i nvdata
check "tpm2_nvcertify 16 bytes at offset 8" tpm tpm2_nvcertify -C ak.ctx -g sha256 -o nv.sig --attestation nv.att \
	-f plain --size 16 --offset 8 0x1500030
openssl_ok "openssl verifies the NV certification" ak.pem nv.sig nv.att
openssl_refuses "... and refuses a changed one" ak.pem nv.sig nv.att
expect_eq "the attestation ends with offset 8, size 16 and the bytes" "$(hex nv.att | tail -c 40)" \
	"00080010$(hexs 89abcdefFEDCBA98)"
nvname=$(tpm2_nvreadpublic 0x1500030 2>/dev/null | awk '/name:/{print $2; exit}')
expect_eq "... of the index's Name" "$(attested nv.att | cut -c 1-72)" "0022$nvname"

# ---- ECDH ----
check "create an ECDH key (P-256, decrypt)" tpm tpm2_create -C srk.ctx -G ecc256:ecdh -a 'fixedtpm|fixedparent|sensitivedataorigin|userwithauth|decrypt' \
	-u dh.pub -r dh.priv
check "load it" tpm tpm2_load -C srk.ctx -u dh.pub -r dh.priv -c dh.ctx
check "tpm2_ecdhkeygen" tpm tpm2_ecdhkeygen -c dh.ctx -u qe.bin -o z1.bin
check "tpm2_ecdhzgen with the ephemeral point" tpm tpm2_ecdhzgen -c dh.ctx -u qe.bin -o z2.bin
[ -s z1.bin ] && [ "$(stat -c %s z1.bin)" -ge 68 ] && ok "Z is a whole point" || bad "Z is a whole point"
expect_eq "Z of ecdhkeygen = Z of ecdhzgen" "$(hex z2.bin)" "$(hex z1.bin)"
check "tpm2_ecdhkeygen again" tpm tpm2_ecdhkeygen -c dh.ctx -u qe2.bin -o z3.bin
[ "$(hex qe2.bin)" != "$(hex qe.bin)" ] && ok "... with a new ephemeral key" || bad "... with a new ephemeral key"
check_fails "tpm2_ecdhzgen with the restricted storage key" tpm tpm2_ecdhzgen -c srk.ctx -u qe.bin -o x.bin
# an openssl key pair on each side: the vTPM's Z.x equals openssl's shared secret
openssl ecparam -name prime256v1 -genkey -noout -out ours.pem 2>/dev/null
openssl ecparam -name prime256v1 -genkey -noout -out theirs.pem 2>/dev/null
openssl ec -in ours.pem -pubout -out ours.pub.pem 2>/dev/null
openssl ec -in theirs.pem -pubout -out theirs.pub.pem 2>/dev/null
check "loadexternal our openssl key as an ECDH key" tpm tpm2_loadexternal -G ecc -r ours.pem -c ours.ctx -C n \
	-a 'userwithauth|decrypt'
# their public point as a TPM2B_ECC_POINT (as tpm2-tools write it: size, x, y)
pt=$(openssl ec -pubin -in theirs.pub.pem -text -noout 2>/dev/null | awk '/pub:/{p=1;next} /ASN1|NIST/{p=0} p' |
	tr -d ' :\n')
pt=${pt#04}
printf '%s' "0044 0020 ${pt:0:64} 0020 ${pt:64:64}" | tr -d ' ' | xxd -r -p > theirs.pt
check "tpm2_ecdhzgen with their point" tpm tpm2_ecdhzgen -c ours.ctx -u theirs.pt -o zo.bin
openssl pkeyutl -derive -inkey ours.pem -peerkey theirs.pub.pem -out zssl.bin 2>/dev/null
expect_eq "Z.x = openssl's ECDH secret" "$(hex zo.bin | cut -c 9-72)" "$(hex zssl.bin)"

# ---- audit session ----
# the tools above leave sessions behind (3 slots): flush the loaded and the saved ones
timeout 20 tpm2_flushcontext -s >/dev/null 2>&1
timeout 20 tpm2_flushcontext -l >/dev/null 2>&1
check "startauthsession --audit-session" tpm tpm2_startauthsession -S audit.ctx --audit-session
check "getrandom 8 in the audit session" tpm tpm2_getrandom 8 -S audit.ctx -o r1.bin
check "tpm2_getsessionauditdigest signed by the AK" tpm tpm2_getsessionauditdigest -c ak.ctx -g sha256 \
	-m audit1.att -s audit1.sig -f plain -S audit.ctx
openssl_ok "openssl verifies the session audit attestation" ak.pem audit1.sig audit1.att
tpm tpm2_print -t TPMS_ATTEST audit1.att
grep -q 'type: 8016' "$VT_DIR/out" && ok "... type TPM_ST_ATTEST_SESSION_AUDIT" || bad "... type TPM_ST_ATTEST_SESSION_AUDIT"
d1=$(attested audit1.att)
[ "${d1:2:4}" = 0020 ] && [ "${d1:6:64}" != "$(zeros 32)" ] && ok "... a 32-byte digest, not zeros" ||
	bad "... a 32-byte digest, not zeros"
check "getrandom 8 again in the audit session" tpm tpm2_getrandom 8 -S audit.ctx -o r2.bin
check "tpm2_getsessionauditdigest again" tpm tpm2_getsessionauditdigest -c ak.ctx -g sha256 \
	-m audit2.att -s audit2.sig -f plain -S audit.ctx
d2=$(attested audit2.att)
[ "${d2:6:64}" != "${d1:6:64}" ] && ok "the digest moved with the audited command" || bad "the digest moved with the audited command"
tpm2_flushcontext audit.ctx >/dev/null 2>&1

vt_summary
