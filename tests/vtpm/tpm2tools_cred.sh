#!/usr/bin/env bash
# vTPM credentials and duplication (issue 6, credentials part): tpm2-tools against build/host/vtpm-sim.
#  - EK/AK enrolment as attestation services do it: createek (RSA), createak under the EK (a
#    PolicySecret(endorsement) session), makecredential computed by the TPM and offline (-T none),
#    activatecredential -> the same secret; a credential made for another Name does not activate;
#  - duplicate + import to a second (RSA) parent with and without an inner wrapper, the imported key
#    signs and openssl verifies under the original public key; import of an openssl key; duplicate
#    refused for a fixedParent key;
#  - salted HMAC sessions with an RSA primary, with parameter encryption both ways;
#  - the EK persisted at 0x81010001 and an AK created under it after a vtpm-sim restart.
# Usage: tests/vtpm/tpm2tools_cred.sh [path/to/vtpm-sim]
here=$(cd "$(dirname "$0")" && pwd)
SIM=$(realpath "${1:-$here/../../build/host/vtpm-sim}")
. "$here/lib.sh"
cd "$VT_DIR" || exit 1

# No resource manager: flush transient objects after every command (3 object slots); the tools
# reload them from their context files.
tpm() {
	timeout 60 "$@" >"$VT_DIR/out" 2>"$VT_DIR/err"
	local rc=$?
	timeout 20 tpm2_flushcontext -t >/dev/null 2>&1
	return $rc
}
# name of a key (hex) from tpm2_readpublic's "name:" line
name_of() { tpm tpm2_readpublic -c "$1" && sed -n 's/^name: //p' "$VT_DIR/out"; }

vt_start "$VT_DIR/state"
check "startup clear" tpm tpm2_startup -c
if ! tpm tpm2_testparms rsa2048; then
	echo "SKIP tpm2tools_cred: this build has no RSA"
	vt_summary
	exit $?
fi

# ---- EK/AK enrolment ----
check "createek -G rsa" tpm tpm2_createek -c ek.ctx -G rsa -u ek.pub
check "createak under the EK (PolicySecret(endorsement) session)" \
	tpm tpm2_createak -C ek.ctx -c ak.ctx -G ecc -g sha256 -s ecdsa -u ak.pub -n ak.name
AKNAME=$(hex ak.name)
expect_eq "the AK's Name is SHA-256 of its public area" "$AKNAME" \
	"000b$(dgst sha256 "$(hex ak.pub | cut -c5-)")"
printf 'enrolment secret 0123456789abcd' > secret.bin
check "makecredential by the TPM" tpm tpm2_makecredential -u ek.pub -s secret.bin -n "$AKNAME" -o mc.out
check "makecredential offline (-T none)" tpm tpm2_makecredential -T none -u ek.pub -s secret.bin -n "$AKNAME" \
	-o mc_off.out
activate() { # activate BLOB OUT
	rm -f "$2"
	tpm tpm2_startauthsession --policy-session -S ps.ctx &&
		tpm tpm2_policysecret -S ps.ctx -c e &&
		tpm tpm2_activatecredential -c ak.ctx -C ek.ctx -i "$1" -o "$2" -P session:ps.ctx
	local rc=$?
	timeout 20 tpm2_flushcontext ps.ctx >/dev/null 2>&1
	return $rc
}
check "activatecredential of the TPM's blob" activate mc.out got1.bin
expect_eq "the same secret" "$(hex got1.bin 2>/dev/null)" "$(hex secret.bin)"
check "activatecredential of the offline blob" activate mc_off.out got2.bin
expect_eq "the same secret (offline blob)" "$(hex got2.bin 2>/dev/null)" "$(hex secret.bin)"
check "another AK" tpm tpm2_createak -C ek.ctx -c other.ctx -G ecc -g sha256 -s ecdsa -u other.pub -n other.name
OTHER=$(hex other.name)
check "makecredential for another Name" tpm tpm2_makecredential -T none -u ek.pub -s secret.bin -n "$OTHER" \
	-o mc_bad.out
check_fails "activatecredential refuses a credential for another Name" activate mc_bad.out got3.bin
grep -q '0x1df\|0x1DF' "$VT_DIR/err" && ok "... with TPM_RC_INTEGRITY (parameter 1)" ||
	bad "... with TPM_RC_INTEGRITY (parameter 1)"
cp mc.out mc_t.out
printf '\xff' | dd of=mc_t.out bs=1 seek=40 conv=notrunc 2>/dev/null
check_fails "activatecredential refuses a tampered blob" activate mc_t.out got4.bin

# ---- duplicate / import ----
check "source parent (ECC)" tpm tpm2_createprimary -C o -g sha256 -G ecc -c src.ctx
check "new parent (RSA)" tpm tpm2_createprimary -C o -g sha256 -G rsa -c dst.ctx
check "trial PolicyCommandCode(Duplicate)" tpm tpm2_startauthsession -S t.ctx
tpm tpm2_policycommandcode -S t.ctx -L dpol.dat TPM2_CC_Duplicate
timeout 20 tpm2_flushcontext t.ctx >/dev/null 2>&1
check "a duplicable signing key" tpm tpm2_create -C src.ctx -g sha256 -G ecc -L dpol.dat -u dk.pub -r dk.priv \
	-a "sensitivedataorigin|userwithauth|sign"
check "a fixedParent key with the same policy" tpm tpm2_create -C src.ctx -g sha256 -G ecc -L dpol.dat -u fk.pub \
	-r fk.priv -a "fixedtpm|fixedparent|sensitivedataorigin|userwithauth|sign"
tpm tpm2_load -C src.ctx -u dk.pub -r dk.priv -c dk.ctx
tpm tpm2_readpublic -c dk.ctx -f pem -o dk.pem
tpm tpm2_load -C src.ctx -u fk.pub -r fk.priv -c fk.ctx
duplicate() { # duplicate KEYCTX WRAPPER OUTPREFIX: the generated inner key (aes) into OUTPREFIX.key
	local key=
	[ "$2" = aes ] && key="-o $3.key"
	tpm tpm2_startauthsession --policy-session -S ds.ctx &&
		tpm tpm2_policycommandcode -S ds.ctx TPM2_CC_Duplicate &&
		tpm tpm2_duplicate -C dst.ctx -c "$1" -G "$2" -r "$3.dpriv" -s "$3.seed" $key -p session:ds.ctx
	local rc=$?
	timeout 20 tpm2_flushcontext ds.ctx >/dev/null 2>&1
	return $rc
}
printf 'message to sign' > msg
for w in aes null; do
	check "duplicate to the RSA parent (inner wrapper: $w)" duplicate dk.ctx $w d_$w
	if [ $w = aes ]; then
		check "import with the inner key" tpm tpm2_import -C dst.ctx -u dk.pub -i d_$w.dpriv -s d_$w.seed \
			-k d_$w.key -r imp_$w.priv
	else
		check "import without an inner wrapper" tpm tpm2_import -C dst.ctx -u dk.pub -i d_$w.dpriv -s d_$w.seed \
			-r imp_$w.priv
	fi
	check "load the imported key under the new parent" tpm tpm2_load -C dst.ctx -u dk.pub -r imp_$w.priv -c imp_$w.ctx
	rm -f sig_$w
	check "the imported key signs" tpm tpm2_sign -c imp_$w.ctx -g sha256 -f plain -o sig_$w msg
	check "openssl verifies it under the original public key" \
		openssl dgst -sha256 -verify dk.pem -signature sig_$w msg
	check "the imported key signs (TPMT_SIGNATURE)" tpm tpm2_sign -c imp_$w.ctx -g sha256 -o tss_$w msg
	check "tpm2_verifysignature with the original key" tpm tpm2_verifysignature -c dk.ctx -g sha256 -m msg -s tss_$w
done
check_fails "import refuses a duplicate for another parent" tpm tpm2_import -C src.ctx -u dk.pub -i d_null.dpriv \
	-s d_null.seed -r x.priv
check_fails "duplicate refuses a fixedParent key" duplicate fk.ctx null d_f
grep -q '0x182' "$VT_DIR/err" && ok "... with TPM_RC_ATTRIBUTES (handle 1)" ||
	bad "... with TPM_RC_ATTRIBUTES (handle 1)"

# an external key made by openssl
openssl genrsa -out ext.pem 2048 2>/dev/null
openssl rsa -in ext.pem -pubout -out ext.pub.pem 2>/dev/null
check "tpm2_import of an openssl RSA key" tpm tpm2_import -C dst.ctx -G rsa -i ext.pem -u ext.pub -r ext.priv
check "load it" tpm tpm2_load -C dst.ctx -u ext.pub -r ext.priv -c ext.ctx
rm -f ext.sig
check "it signs (RSASSA)" tpm tpm2_sign -c ext.ctx -g sha256 -s rsassa -f plain -o ext.sig msg
check "openssl verifies with the original public key" \
	openssl dgst -sha256 -verify ext.pub.pem -signature ext.sig msg

# ---- salted sessions with an RSA key ----
check "an RSA decryption primary" tpm tpm2_createprimary -C o -G rsa -c salt.ctx
check "startauthsession --hmac-session salted with the RSA key" \
	tpm tpm2_startauthsession --hmac-session -c salt.ctx -S ss.ctx
tpm tpm2_sessionconfig ss.ctx --enable-decrypt --enable-encrypt
IDX=0x01500031
check "nvdefine" tpm tpm2_nvdefine $IDX -C o -s 16 -a "ownerread|ownerwrite|authread|authwrite"
printf 'salted-rsa-sess!' > ss.bin
check "nvwrite through the salted session (decrypt)" tpm tpm2_nvwrite $IDX -C $IDX -P session:ss.ctx -i ss.bin
rm -f got.bin
check "nvread through the salted session (encrypt)" tpm tpm2_nvread $IDX -C $IDX -P session:ss.ctx -s 16 -o got.bin
expect_eq "salted round trip" "$(hex got.bin 2>/dev/null)" "$(hex ss.bin)"
rm -f got.bin
tpm tpm2_nvread $IDX -C o -s 16 -o got.bin
expect_eq "the index holds the plaintext" "$(hex got.bin 2>/dev/null)" "$(hex ss.bin)"
check "getrandom through the salted, encrypting session" tpm tpm2_getrandom -S ss.ctx --hex 16
timeout 20 tpm2_flushcontext ss.ctx >/dev/null 2>&1

# ---- the EK persisted, an AK after a restart ----
check "evictcontrol the EK to 0x81010001" tpm tpm2_evictcontrol -C o -c ek.ctx 0x81010001
vt_stop
vt_start "$VT_DIR/state"
check "startup after the restart" tpm tpm2_startup -c
check "createak against the persistent EK" \
	tpm tpm2_createak -C 0x81010001 -c ak2.ctx -G ecc -g sha256 -s ecdsa -u ak2.pub -n ak2.name
check "makecredential to the persistent EK" tpm tpm2_makecredential -T none -u ek.pub -s secret.bin \
	-n "$(hex ak2.name)" -o mc2.out
rm -f got5.bin
tpm tpm2_startauthsession --policy-session -S ps.ctx
tpm tpm2_policysecret -S ps.ctx -c e
check "activatecredential with the persistent EK" \
	tpm tpm2_activatecredential -c ak2.ctx -C 0x81010001 -i mc2.out -o got5.bin -P session:ps.ctx
expect_eq "the same secret after the restart" "$(hex got5.bin 2>/dev/null)" "$(hex secret.bin)"
timeout 20 tpm2_flushcontext ps.ctx >/dev/null 2>&1
check "evictcontrol removes the EK" tpm tpm2_evictcontrol -C o -c 0x81010001

vt_summary
