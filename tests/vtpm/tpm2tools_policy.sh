#!/usr/bin/env bash
# vTPM policy sessions with tpm2-tools against build/host/vtpm-sim: policy digests from trial
# sessions (tpm2_createpolicy, tpm2_policy*) recomputed with openssl from Part 3's formulas; an NV
# index readable under PolicyPCR until the PCR is extended; PolicyOR; PolicyAuthorize with an ECC
# signing key and tpm2_verifysignature's ticket (a forged ticket fails); PolicySecret against the
# owner; PolicyCommandCode; PolicyPassword / PolicyAuthValue; encrypted HMAC sessions through
# tpm2_sessionconfig; salted sessions (tpm2_startauthsession -c <ECC decryption primary>); a secret
# sealed under PolicyPCR(16) that unseals until PCR 16 is extended.
# Usage: tests/vtpm/tpm2tools_policy.sh [path/to/vtpm-sim]
here=$(cd "$(dirname "$0")" && pwd)
SIM=$(realpath "${1:-$here/../../build/host/vtpm-sim}")
. "$here/lib.sh"
cd "$VT_DIR" || exit 1

ZERO=$(zeros 32)
# pext DIGEST CC ARGS: SHA-256(DIGEST || CC (4 bytes) || ARGS), all hex
pext() { dgst sha256 "$1$(printf '%08x' "$2")$3"; }
flushall() { tpm tpm2_flushcontext -t; tpm tpm2_flushcontext -s; }
IDX=0x01500100
nvattrs='ownerwrite|ownerread|policyread|policywrite'

vt_start
check "startup clear" tpm tpm2_startup -c

# ---- trial digests ----
tpm tpm2_pcrread sha256:0,1 -o pcrs.bin
pcrdig=$(openssl dgst -sha256 -binary pcrs.bin | od -An -v -tx1 | tr -d ' \n')
# TPML_PCR_SELECTION {1, {SHA-256, 3, 03 00 00}}
want_pcr=$(pext "$ZERO" 0x17F "00000001000b03030000$pcrdig")
check "trial PolicyPCR" tpm tpm2_startauthsession -S trial.ctx
tpm tpm2_policypcr -S trial.ctx -l sha256:0,1 -L pcr.policy
tpm tpm2_flushcontext trial.ctx
expect_eq "PolicyPCR digest = H(0 || CC || selection || H(PCR0 || PCR1))" "$(hex pcr.policy)" "$want_pcr"
tpm tpm2_createpolicy --policy-pcr -l sha256:0,1 -L pcr2.policy
expect_eq "tpm2_createpolicy gives the same digest" "$(hex pcr2.policy)" "$want_pcr"

want_cc=$(pext "$ZERO" 0x16C 0000014e)
tpm tpm2_startauthsession -S trial.ctx
check "trial PolicyCommandCode(NV_Read)" tpm tpm2_policycommandcode -S trial.ctx -L cc.policy TPM2_CC_NV_Read
tpm tpm2_flushcontext trial.ctx
expect_eq "PolicyCommandCode digest" "$(hex cc.policy)" "$want_cc"

want_pw=$(pext "$ZERO" 0x16B "")
tpm tpm2_startauthsession -S trial.ctx
check "trial PolicyPassword" tpm tpm2_policypassword -S trial.ctx -L pw.policy
tpm tpm2_flushcontext trial.ctx
expect_eq "PolicyPassword digest uses PolicyAuthValue's code" "$(hex pw.policy)" "$want_pw"
tpm tpm2_startauthsession -S trial.ctx
tpm tpm2_policyauthvalue -S trial.ctx -L av.policy
tpm tpm2_flushcontext trial.ctx
expect_eq "PolicyAuthValue digest" "$(hex av.policy)" "$want_pw"

want_loc=$(pext "$ZERO" 0x16F 03)
tpm tpm2_startauthsession -S trial.ctx
check "trial PolicyLocality(0, 1)" tpm tpm2_policylocality -S trial.ctx -L loc.policy 3
tpm tpm2_flushcontext trial.ctx
expect_eq "PolicyLocality digest" "$(hex loc.policy)" "$want_loc"

# ---- PolicyPCR on an NV index: readable until the PCR changes ----
check "nvdefine with policyread under PolicyPCR" tpm tpm2_nvdefine $IDX -C o -s 8 -a "$nvattrs" -L pcr.policy
printf 'pcrgated' > data.bin
check "nvwrite (owner)" tpm tpm2_nvwrite $IDX -C o -i data.bin
tpm tpm2_startauthsession --policy-session -S ps.ctx
check "policypcr in a policy session" tpm tpm2_policypcr -S ps.ctx -l sha256:0,1
rm -f got.bin
check "nvread under the PCR policy" tpm tpm2_nvread $IDX -C $IDX -P session:ps.ctx -s 8 -o got.bin
expect_eq "data read under the policy" "$(hex got.bin)" "$(hex data.bin)"
tpm tpm2_flushcontext ps.ctx
check "pcrextend of PCR 1" tpm tpm2_pcrextend 1:sha256=$(dgst sha256 01)
tpm tpm2_startauthsession --policy-session -S ps.ctx
tpm tpm2_policypcr -S ps.ctx -l sha256:0,1
check_fails "nvread after the extend fails" tpm tpm2_nvread $IDX -C $IDX -P session:ps.ctx -s 8
grep -q '0x99d\|0x99D\|policy check failed' "$VT_DIR/err" && ok "the failure is TPM_RC_POLICY_FAIL" ||
	bad "the failure is TPM_RC_POLICY_FAIL"
tpm tpm2_flushcontext ps.ctx
check_fails "a password cannot read a policy-only index" tpm tpm2_nvread $IDX -C $IDX -s 8
flushall

# ---- PolicyOR: CommandCode(NV_Read) or Password ----
want_or=$(pext "$ZERO" 0x171 "$want_cc$want_pw")
tpm tpm2_startauthsession -S trial.ctx
check "trial PolicyOR" tpm tpm2_policyor -S trial.ctx -L or.policy -l sha256:cc.policy,pw.policy
tpm tpm2_flushcontext trial.ctx
expect_eq "PolicyOR digest = H(0 || CC || d1 || d2)" "$(hex or.policy)" "$want_or"
IDX2=0x01500101
check "nvdefine under the OR policy (auth 'orpass')" tpm tpm2_nvdefine $IDX2 -C o -s 8 -a "$nvattrs" -L or.policy -p orpass
printf 'orbranch' > or.bin
tpm tpm2_nvwrite $IDX2 -C o -i or.bin
tpm tpm2_startauthsession --policy-session -S ps.ctx
tpm tpm2_policycommandcode -S ps.ctx TPM2_CC_NV_Read
check "policyor after the command-code branch" tpm tpm2_policyor -S ps.ctx -l sha256:cc.policy,pw.policy
rm -f got.bin
check "nvread through the command-code branch" tpm tpm2_nvread $IDX2 -C $IDX2 -P session:ps.ctx -s 8 -o got.bin
expect_eq "OR branch 1 data" "$(hex got.bin)" "$(hex or.bin)"
tpm tpm2_flushcontext ps.ctx
tpm tpm2_startauthsession --policy-session -S ps.ctx
tpm tpm2_policypassword -S ps.ctx
tpm tpm2_policyor -S ps.ctx -l sha256:cc.policy,pw.policy
check_fails "password branch with a wrong password" tpm tpm2_nvread $IDX2 -C $IDX2 -P session:ps.ctx+wrong -s 8
tpm tpm2_flushcontext ps.ctx
tpm tpm2_startauthsession --policy-session -S ps.ctx
tpm tpm2_policypassword -S ps.ctx
tpm tpm2_policyor -S ps.ctx -l sha256:cc.policy,pw.policy
rm -f got.bin
check "nvread through the password branch" tpm tpm2_nvread $IDX2 -C $IDX2 -P session:ps.ctx+orpass -s 8 -o got.bin
expect_eq "OR branch 2 data" "$(hex got.bin)" "$(hex or.bin)"
tpm tpm2_flushcontext ps.ctx
tpm tpm2_startauthsession --policy-session -S ps.ctx
tpm tpm2_policylocality -S ps.ctx zero
check_fails "policyor from a digest in no branch" tpm tpm2_policyor -S ps.ctx -l sha256:cc.policy,pw.policy
tpm tpm2_flushcontext ps.ctx
# PolicyCommandCode alone: NV_Read only, so NV_Write through the same branch fails
tpm tpm2_startauthsession --policy-session -S ps.ctx
tpm tpm2_policycommandcode -S ps.ctx TPM2_CC_NV_Read
tpm tpm2_policyor -S ps.ctx -l sha256:cc.policy,pw.policy
check_fails "command-code branch does not authorize NV_Write" tpm tpm2_nvwrite $IDX2 -C $IDX2 -P session:ps.ctx -i or.bin
grep -q '0x9a4\|0x9A4' "$VT_DIR/err" && ok "the failure is TPM_RC_POLICY_CC" || bad "the failure is TPM_RC_POLICY_CC"
tpm tpm2_flushcontext ps.ctx
flushall

# ---- PolicyAuthorize with an ECC signing key ----
check "createprimary ECC signing key (owner)" \
	tpm tpm2_createprimary -C o -G ecc256:ecdsa-sha256:null -a 'fixedtpm|fixedparent|sensitivedataorigin|userwithauth|sign' -c signer.ctx
tpm tpm2_readpublic -c signer.ctx -n signer.name
flushall
tpm tpm2_startauthsession -S trial.ctx
check "trial PolicyAuthorize" tpm tpm2_policyauthorize -S trial.ctx -L authz.policy -n signer.name
tpm tpm2_flushcontext trial.ctx
want_authz=$(dgst sha256 "$(pext "$ZERO" 0x16A "$(hex signer.name)")")
expect_eq "PolicyAuthorize digest = H(H(0 || CC || keyName) || '')" "$(hex authz.policy)" "$want_authz"
IDX3=0x01500102
check "nvdefine under the authorized policy" tpm tpm2_nvdefine $IDX3 -C o -s 8 -a "$nvattrs" -L authz.policy
printf 'approved' > ap.bin
tpm tpm2_nvwrite $IDX3 -C o -i ap.bin
# approve the command-code policy: sign H(approvedPolicy || policyRef) and get the ticket
check "sign the approved policy" tpm tpm2_sign -c signer.ctx -g sha256 -o cc.sig cc.policy
flushall
check "verifysignature issues a ticket" tpm tpm2_verifysignature -c signer.ctx -g sha256 -m cc.policy -s cc.sig -t cc.tkt
flushall
flushall
tpm tpm2_startauthsession --policy-session -S ps.ctx
tpm tpm2_policycommandcode -S ps.ctx TPM2_CC_NV_Read
check "policyauthorize with the ticket" tpm tpm2_policyauthorize -S ps.ctx -i cc.policy -n signer.name -t cc.tkt
rm -f got.bin
check "nvread under the authorized policy" tpm tpm2_nvread $IDX3 -C $IDX3 -P session:ps.ctx -s 8 -o got.bin
expect_eq "authorized data" "$(hex got.bin)" "$(hex ap.bin)"
tpm tpm2_flushcontext ps.ctx
# forge the ticket: flip the last byte of its digest
cp cc.tkt forged.tkt
last=$(tail -c 1 cc.tkt | od -An -tu1 | tr -d ' ')
{ head -c -1 cc.tkt; printf "\\$(printf '%03o' $(((last + 1) % 256)))"; } > forged.tkt
tpm tpm2_startauthsession --policy-session -S ps.ctx
tpm tpm2_policycommandcode -S ps.ctx TPM2_CC_NV_Read
check_fails "policyauthorize with a forged ticket" tpm tpm2_policyauthorize -S ps.ctx -i cc.policy -n signer.name -t forged.tkt
check_fails "... and the read fails" tpm tpm2_nvread $IDX3 -C $IDX3 -P session:ps.ctx -s 8
tpm tpm2_flushcontext ps.ctx
# a policy that was not approved: the session's digest is not cc.policy
tpm tpm2_startauthsession --policy-session -S ps.ctx
tpm tpm2_policypassword -S ps.ctx
check_fails "policyauthorize of an unapproved digest" tpm tpm2_policyauthorize -S ps.ctx -i cc.policy -n signer.name -t cc.tkt
tpm tpm2_flushcontext ps.ctx
flushall

# ---- PolicySigned: the signer's ECDSA signature over H(nonceTPM || expiration || cpHashA || ref) ----
printf '\x00\x00\x00\x00' > exp0.bin # no nonce, expiration 0, no cpHashA, no policyRef
check "tpm2_sign of the PolicySigned data" tpm tpm2_sign -c signer.ctx -g sha256 -o ps.sig exp0.bin
flushall
tpm tpm2_startauthsession -S trial.ctx
check "trial policysigned" tpm tpm2_policysigned -S trial.ctx -g sha256 -s ps.sig -c signer.ctx -L signed.policy
tpm tpm2_flushcontext trial.ctx
want_signed=$(dgst sha256 "$(pext "$ZERO" 0x160 "$(hex signer.name)")")
expect_eq "PolicySigned digest = H(H(0 || CC || Name(signer)) || '')" "$(hex signed.policy)" "$want_signed"
IDX10=0x01500109
tpm tpm2_nvdefine $IDX10 -C o -s 8 -a "$nvattrs" -L signed.policy
printf 'signedok' > sg.bin
tpm tpm2_nvwrite $IDX10 -C o -i sg.bin
flushall
tpm tpm2_startauthsession --policy-session -S ps.ctx
check "policysigned with the signer's signature" tpm tpm2_policysigned -S ps.ctx -g sha256 -s ps.sig -c signer.ctx
rm -f got.bin
check "nvread under PolicySigned" tpm tpm2_nvread $IDX10 -C $IDX10 -P session:ps.ctx -s 8 -o got.bin
expect_eq "PolicySigned data" "$(hex got.bin)" "$(hex sg.bin)"
tpm tpm2_flushcontext ps.ctx
flushall
printf '\x00\x00\x00\x01' > exp1.bin # a signature over other data
tpm tpm2_sign -c signer.ctx -g sha256 -o bad.sig exp1.bin
flushall
tpm tpm2_startauthsession --policy-session -S ps.ctx
check_fails "policysigned with a signature over other data" tpm tpm2_policysigned -S ps.ctx -g sha256 -s bad.sig -c signer.ctx
grep -q '0x5db\|0x5DB' "$VT_DIR/err" && ok "the failure is TPM_RC_SIGNATURE (parameter 5)" ||
	bad "the failure is TPM_RC_SIGNATURE (parameter 5)"
tpm tpm2_flushcontext ps.ctx
flushall

# ---- PolicyAuthorizeNV: the approved policy lives in an NV index as a TPMT_HA ----
IDX8=0x01500107
IDX9=0x01500108
tpm tpm2_nvdefine $IDX8 -C o -s 34 -a 'ownerwrite|ownerread|authread'
{ printf '\x00\x0b'; cat cc.policy; } > ha.bin
check "nvwrite the approved policy (TPMT_HA)" tpm tpm2_nvwrite $IDX8 -C o -i ha.bin
tpm tpm2_nvreadpublic $IDX8
nv8name=$(sed -n 's/^ *name: *//p' "$VT_DIR/out" | head -1)
tpm tpm2_startauthsession -S trial.ctx
check "trial policyauthorizenv" tpm tpm2_policyauthorizenv -S trial.ctx -C $IDX8 -L anv.policy $IDX8
tpm tpm2_flushcontext trial.ctx
expect_eq "PolicyAuthorizeNV digest = H(0 || CC || Name(index))" "$(hex anv.policy)" "$(pext "$ZERO" 0x192 "$nv8name")"
tpm tpm2_nvdefine $IDX9 -C o -s 8 -a "$nvattrs" -L anv.policy
printf 'nvapprov' > anv.bin
tpm tpm2_nvwrite $IDX9 -C o -i anv.bin
tpm tpm2_startauthsession --policy-session -S ps.ctx
tpm tpm2_policycommandcode -S ps.ctx TPM2_CC_NV_Read
check "policyauthorizenv of the approved policy" tpm tpm2_policyauthorizenv -S ps.ctx -C $IDX8 $IDX8
rm -f got.bin
check "nvread under PolicyAuthorizeNV" tpm tpm2_nvread $IDX9 -C $IDX9 -P session:ps.ctx -s 8 -o got.bin
expect_eq "PolicyAuthorizeNV data" "$(hex got.bin)" "$(hex anv.bin)"
tpm tpm2_flushcontext ps.ctx
tpm tpm2_startauthsession --policy-session -S ps.ctx
tpm tpm2_policypassword -S ps.ctx
check_fails "policyauthorizenv of a policy not in the index" tpm tpm2_policyauthorizenv -S ps.ctx -C $IDX8 $IDX8
grep -q '0x84\b\|0x084\|value is out of range' "$VT_DIR/err" && ok "the failure is TPM_RC_VALUE" || bad "the failure is TPM_RC_VALUE"
tpm tpm2_flushcontext ps.ctx
flushall

# ---- PolicySecret against the owner hierarchy ----
check "owner auth set" tpm tpm2_changeauth -c o ownerpw
tpm tpm2_startauthsession -S trial.ctx
tpm tpm2_policysecret -S trial.ctx -c o -L secret.policy ownerpw
tpm tpm2_flushcontext trial.ctx
want_secret=$(dgst sha256 "$(pext "$ZERO" 0x151 40000001)")
expect_eq "PolicySecret digest = H(H(0 || CC || Name(owner)) || '')" "$(hex secret.policy)" "$want_secret"
IDX4=0x01500103
check "nvdefine under PolicySecret(owner)" tpm tpm2_nvdefine $IDX4 -C o -P ownerpw -s 8 -a "$nvattrs" -L secret.policy
printf 'ownersec' > os.bin
tpm tpm2_nvwrite $IDX4 -C o -P ownerpw -i os.bin
tpm tpm2_startauthsession --policy-session -S ps.ctx
check "policysecret with the owner password" tpm tpm2_policysecret -S ps.ctx -c o ownerpw
rm -f got.bin
check "nvread under PolicySecret" tpm tpm2_nvread $IDX4 -C $IDX4 -P session:ps.ctx -s 8 -o got.bin
expect_eq "PolicySecret data" "$(hex got.bin)" "$(hex os.bin)"
tpm tpm2_flushcontext ps.ctx
# a negative expiration returns a ticket, which tpm2_policyticket replays in a new session
printf '\x40\x00\x00\x01' > owner.name
tpm tpm2_startauthsession --policy-session -S ps.ctx
check "policysecret -t -3600 returns a ticket" \
	tpm tpm2_policysecret -S ps.ctx -c o -t -3600 --ticket secret.tkt --timeout secret.to ownerpw
tpm tpm2_flushcontext ps.ctx
expect_eq "timeout: 8 bytes, bit 63 set (no nonce: ends at TPM Reset)" \
	"$(stat -c %s secret.to)/$(head -c 1 secret.to | od -An -tx1 | tr -d ' ' | cut -c1)" "8/8"
tpm tpm2_startauthsession --policy-session -S ps.ctx
check "policyticket with the PolicySecret ticket" \
	tpm tpm2_policyticket -S ps.ctx -n owner.name --ticket secret.tkt --timeout secret.to
rm -f got.bin
check "nvread under the replayed PolicySecret" tpm tpm2_nvread $IDX4 -C $IDX4 -P session:ps.ctx -s 8 -o got.bin
expect_eq "PolicyTicket data" "$(hex got.bin)" "$(hex os.bin)"
tpm tpm2_flushcontext ps.ctx
cp secret.tkt forged.tkt
printf '\x00' | dd of=forged.tkt bs=1 seek=$(($(stat -c %s secret.tkt) - 1)) conv=notrunc 2>/dev/null
tpm tpm2_startauthsession --policy-session -S ps.ctx
check_fails "policyticket with a forged ticket" \
	tpm tpm2_policyticket -S ps.ctx -n owner.name --ticket forged.tkt --timeout secret.to
tpm tpm2_flushcontext ps.ctx
tpm tpm2_startauthsession --policy-session -S ps.ctx
check_fails "policysecret with a wrong owner password" tpm tpm2_policysecret -S ps.ctx -c o wrongpw
tpm tpm2_flushcontext ps.ctx
tpm tpm2_dictionarylockout -c -p '' >/dev/null 2>&1
flushall

# ---- PolicyAuthValue on a write ----
IDX5=0x01500104
check "nvdefine with policywrite under PolicyAuthValue (auth 'idxpw')" \
	tpm tpm2_nvdefine $IDX5 -C o -P ownerpw -s 8 -a "$nvattrs" -L av.policy -p idxpw
printf 'authval!' > av.bin
tpm tpm2_startauthsession --policy-session -S ps.ctx
tpm tpm2_policyauthvalue -S ps.ctx
check "nvwrite under PolicyAuthValue (HMAC with the authValue)" tpm tpm2_nvwrite $IDX5 -C $IDX5 -P session:ps.ctx+idxpw -i av.bin
tpm tpm2_flushcontext ps.ctx
rm -f got.bin
tpm tpm2_nvread $IDX5 -C o -P ownerpw -s 8 -o got.bin
expect_eq "written under PolicyAuthValue" "$(hex got.bin)" "$(hex av.bin)"
tpm tpm2_startauthsession --policy-session -S ps.ctx
tpm tpm2_policyauthvalue -S ps.ctx
check_fails "nvwrite under PolicyAuthValue with a wrong authValue" tpm tpm2_nvwrite $IDX5 -C $IDX5 -P session:ps.ctx+nope -i av.bin
tpm tpm2_flushcontext ps.ctx
tpm tpm2_dictionarylockout -c -p '' >/dev/null 2>&1
flushall

# ---- PolicyNV, PolicyCounterTimer and the digest-only assertions ----
IDX7=0x01500106
tpm tpm2_nvdefine $IDX7 -C o -P ownerpw -s 2 -a 'ownerwrite|ownerread|authread|authwrite' -p nvpass
printf '\xaa\x55' > nv7.bin
tpm tpm2_nvwrite $IDX7 -C o -P ownerpw -i nv7.bin
tpm tpm2_nvreadpublic $IDX7
nv7name=$(sed -n 's/^ *name: *//p' "$VT_DIR/out" | head -1)
tpm tpm2_startauthsession --policy-session -S ps.ctx
printf '\xbb' > opb.bin
check_fails "policynv eq with another value" tpm tpm2_policynv -S ps.ctx -i opb.bin $IDX7 eq -P nvpass
grep -q '0x126' "$VT_DIR/err" && ok "the failure is TPM_RC_POLICY" || bad "the failure is TPM_RC_POLICY"
printf '\xab' > opb.bin
check "policynv ult (aa < ab)" tpm tpm2_policynv -S ps.ctx -L nv.policy -i opb.bin $IDX7 ult -P nvpass
tpm tpm2_flushcontext ps.ctx
expect_eq "PolicyNV digest = H(0 || CC || H(operandB || offset || op) || nvName)" "$(hex nv.policy)" \
	"$(pext "$ZERO" 0x149 "$(dgst sha256 ab00000005)$nv7name")"
tpm tpm2_startauthsession --policy-session -S ps.ctx
check_fails "policynv with a wrong index password" tpm tpm2_policynv -S ps.ctx -i opb.bin $IDX7 ult -P wrong
grep -q '0x98e\|0x98E\|authorization failure' "$VT_DIR/err" && ok "the failure is TPM_RC_AUTH_FAIL" ||
	bad "the failure is TPM_RC_AUTH_FAIL"
tpm tpm2_flushcontext ps.ctx
tpm tpm2_dictionarylockout -c -p '' >/dev/null 2>&1
tpm tpm2_startauthsession --policy-session -S ps.ctx
check "policycountertimer --ult 600000 (time since start-up)" tpm tpm2_policycountertimer -S ps.ctx -L ct.policy --ult 600000
check_fails "policycountertimer --ugt 600000" tpm tpm2_policycountertimer -S ps.ctx --ugt 600000
tpm tpm2_flushcontext ps.ctx
expect_eq "PolicyCounterTimer digest = H(0 || CC || H(operandB || offset || op))" "$(hex ct.policy)" \
	"$(pext "$ZERO" 0x16D "$(dgst sha256 00000000000927c000000005)")"
printf '\x5c%.0s' $(seq 32) > h32.bin
tpm tpm2_startauthsession -S trial.ctx
{ printf '\x00\x20'; cat h32.bin; } > cp2b.bin # tpm2-tools reads a TPM2B_DIGEST here
check "trial policycphash" tpm tpm2_policycphash -S trial.ctx -L cp.policy --cphash-input cp2b.bin
tpm tpm2_flushcontext trial.ctx
expect_eq "PolicyCpHash digest" "$(hex cp.policy)" "$(pext "$ZERO" 0x16E "$(hex h32.bin)")"
tpm tpm2_startauthsession -S trial.ctx
check "trial policynamehash" tpm tpm2_policynamehash -S trial.ctx -L nh.policy -n h32.bin
tpm tpm2_flushcontext trial.ctx
expect_eq "PolicyNameHash digest" "$(hex nh.policy)" "$(pext "$ZERO" 0x170 "$(hex h32.bin)")"
tpm tpm2_startauthsession -S trial.ctx
check "trial policytemplate" tpm tpm2_policytemplate -S trial.ctx -L tp.policy --template-hash h32.bin
tpm tpm2_flushcontext trial.ctx
expect_eq "PolicyTemplate digest" "$(hex tp.policy)" "$(pext "$ZERO" 0x190 "$(hex h32.bin)")"
tpm tpm2_startauthsession -S trial.ctx
check "trial policynvwritten s" tpm tpm2_policynvwritten -S trial.ctx -L nw.policy s
tpm tpm2_flushcontext trial.ctx
expect_eq "PolicyNvWritten digest" "$(hex nw.policy)" "$(pext "$ZERO" 0x18F 01)"
tpm tpm2_startauthsession -S trial.ctx
check "trial policyduplicationselect --include-object" \
	tpm tpm2_policyduplicationselect -S trial.ctx -L ds.policy -n signer.name -N signer.name --include-object
tpm tpm2_flushcontext trial.ctx
expect_eq "PolicyDuplicationSelect digest" "$(hex ds.policy)" \
	"$(pext "$ZERO" 0x188 "$(hex signer.name)$(hex signer.name)01")"
flushall

# ---- encrypted HMAC sessions (tpm2_sessionconfig) ----
tpm tpm2_startauthsession --hmac-session -S hs.ctx
check "sessionconfig decrypt|encrypt" tpm tpm2_sessionconfig hs.ctx --enable-decrypt --enable-encrypt
printf 'encrypted-param!' > enc.bin
IDX6=0x01500105
tpm tpm2_nvdefine $IDX6 -C o -P ownerpw -s 16 -a 'ownerwrite|ownerread|authread|authwrite'
check "nvwrite with a decrypt session" tpm tpm2_nvwrite $IDX6 -C $IDX6 -P session:hs.ctx -i enc.bin
rm -f got.bin
check "nvread with an encrypt session" tpm tpm2_nvread $IDX6 -C $IDX6 -P session:hs.ctx -s 16 -o got.bin
expect_eq "round trip through parameter encryption" "$(hex got.bin)" "$(hex enc.bin)"
rm -f got.bin
tpm tpm2_nvread $IDX6 -C o -P ownerpw -s 16 -o got.bin
expect_eq "the TPM stored the plaintext" "$(hex got.bin)" "$(hex enc.bin)"
tpm tpm2_flushcontext hs.ctx
flushall

# ---- salted sessions: an ECC decryption primary ----
check_fails "a signing key cannot salt a session" tpm tpm2_startauthsession --hmac-session -c signer.ctx -S bad.ctx
grep -q '0x182' "$VT_DIR/err" && ok "the failure is TPM_RC_ATTRIBUTES on handle 1" ||
	bad "the failure is TPM_RC_ATTRIBUTES on handle 1"
flushall
check "createprimary: an ECC P-256 storage key to salt with" tpm tpm2_createprimary -C o -P ownerpw -G ecc256 -c salt.ctx
flushall
check "startauthsession --hmac-session salted with the ECC primary" \
	tpm tpm2_startauthsession --hmac-session -c salt.ctx -S ss.ctx
tpm tpm2_sessionconfig ss.ctx --enable-decrypt --enable-encrypt
printf 'salted-session!!' > ss.bin
check "nvwrite through the salted session (decrypt)" tpm tpm2_nvwrite $IDX6 -C $IDX6 -P session:ss.ctx -i ss.bin
rm -f got.bin
check "nvread through the salted session (encrypt)" tpm tpm2_nvread $IDX6 -C $IDX6 -P session:ss.ctx -s 16 -o got.bin
expect_eq "salted round trip" "$(hex got.bin)" "$(hex ss.bin)"
rm -f got.bin
tpm tpm2_nvread $IDX6 -C o -P ownerpw -s 16 -o got.bin
expect_eq "salted write stored the plaintext" "$(hex got.bin)" "$(hex ss.bin)"
check "getrandom through the salted, encrypting session" tpm tpm2_getrandom -S ss.ctx --hex 16
tpm tpm2_flushcontext ss.ctx

# ---- sealing under PolicyPCR (what systemd-cryptenroll --tpm2-pcrs does): the secret unseals
# through a policy session while PCR 16 holds, and is refused once PCR 16 was extended ----
flushall
check "createprimary: the storage key" tpm tpm2_createprimary -C o -P ownerpw -G ecc256 -c srk.ctx
tpm tpm2_pcrreset 16
tpm tpm2_startauthsession -S trial.ctx
tpm tpm2_policypcr -S trial.ctx -l sha256:16 -L seal.policy
tpm tpm2_flushcontext trial.ctx
head -c 32 /dev/urandom > seal.secret
flushall
check "create a sealed object under PolicyPCR(16)" \
	tpm tpm2_create -C srk.ctx -L seal.policy -i seal.secret -u seal.pub -r seal.priv
flushall
check "load it" tpm tpm2_load -C srk.ctx -u seal.pub -r seal.priv -c seal.ctx
flushall
rm -f unsealed.bin
check "unseal through PolicyPCR while PCR 16 holds" tpm tpm2_unseal -c seal.ctx -p pcr:sha256:16 -o unsealed.bin
expect_eq "the unsealed secret" "$(hex unsealed.bin)" "$(hex seal.secret)"
check_fails "unseal with a password instead of the policy" tpm tpm2_unseal -c seal.ctx
check "extend PCR 16" tpm tpm2_pcrextend 16:sha256=$(zeros 32 | sed 's/^00/01/')
flushall
check_fails "unseal after PCR 16 moved is refused" tpm tpm2_unseal -c seal.ctx -p pcr:sha256:16
tpm tpm2_pcrreset 16
flushall
check "after a PCR reset to the sealed value it unseals again" tpm tpm2_unseal -c seal.ctx -p pcr:sha256:16 -o unsealed.bin

vt_summary
