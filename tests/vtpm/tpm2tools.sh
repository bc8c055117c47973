#!/usr/bin/env bash
# Drives build/host/vtpm-sim with Debian's tpm2-tools over TCTI mssim and checks each result
# against values computed independently here (openssl, od), not against the engine's own output.
# Usage: tests/vtpm/tpm2tools.sh [path/to/vtpm-sim]
here=$(cd "$(dirname "$0")" && pwd)
SIM=$(realpath "${1:-$here/../../build/host/vtpm-sim}")
. "$here/lib.sh"
cd "$VT_DIR" || exit 1

vt_start

# ---- startup, random ----
check "startup clear" tpm tpm2_startup -c
check "getrandom 32" tpm tpm2_getrandom -o r1 32
check "getrandom 32 again" tpm tpm2_getrandom -o r2 32
expect_eq "getrandom returns 32 bytes" "$(stat -c %s r1)" 32
[ "$(hex r1)" != "$(hex r2)" ] && ok "two getrandom draws differ" || bad "two getrandom draws differ"
check "stirrandom" bash -c 'head -c 64 /dev/urandom > stir && timeout 20 tpm2_stirrandom stir'
check "selftest full" tpm tpm2_selftest -f
check "incrementalselftest" tpm tpm2_incrementalselftest sha256
check "gettestresult" tpm tpm2_gettestresult
grep -q 'success' "$VT_DIR/out" && ok "test result is success" || bad "test result is success"

# ---- capabilities ----
for cap in algorithms commands pcrs properties-fixed properties-variable ecc-curves handles-transient \
	handles-persistent handles-permanent handles-pcr handles-nv-index handles-loaded-session \
	handles-saved-session; do
	check "getcap $cap" tpm tpm2_getcap "$cap"
done
tpm tpm2_getcap commands
grep -q 'TPM2_CC_GetRandom' "$VT_DIR/out" && grep -q 'TPM2_CC_NV_Write' "$VT_DIR/out" &&
	ok "command list names GetRandom and NV_Write" || bad "command list names GetRandom and NV_Write"
tpm tpm2_getcap pcrs
for b in sha1 sha256 sha384; do
	grep -q "$b: \[ 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23 \]" \
		"$VT_DIR/out" && ok "bank $b allocated with 24 PCRs" || bad "bank $b allocated with 24 PCRs"
done
tpm tpm2_getcap properties-fixed
grep -q 'TPM2_PT_PCR_COUNT' "$VT_DIR/out" && grep -A1 'TPM2_PT_PCR_COUNT' "$VT_DIR/out" | grep -q '0x18' &&
	ok "TPM_PT_PCR_COUNT is 24" || bad "TPM_PT_PCR_COUNT is 24"

# ---- PCRs across banks ----
d1=$(dgst sha1 "$(hexs a)"); d256=$(dgst sha256 "$(hexs a)"); d384=$(dgst sha384 "$(hexs a)")
check "pcrextend 10 in three banks" tpm tpm2_pcrextend "10:sha1=$d1,sha256=$d256,sha384=$d384"
for spec in "sha1 20 $d1" "sha256 32 $d256" "sha384 48 $d384"; do
	set -- $spec
	tpm tpm2_pcrread -o pcr.bin "$1:10"
	expect_eq "PCR 10 $1 = H(0^n || d)" "$(hex pcr.bin)" "$(dgst "$1" "$(zeros "$2")$3")"
done
prev=$(dgst sha256 "$(zeros 32)$d256")
check "pcrextend 10 again" tpm tpm2_pcrextend "10:sha256=$d256"
tpm tpm2_pcrread -o pcr.bin sha256:10
expect_eq "PCR 10 sha256 chains" "$(hex pcr.bin)" "$(dgst sha256 "$prev$d256")"
tpm tpm2_pcrread -o pcr.bin sha256:17
expect_eq "DRTM PCR 17 starts at all ones" "$(hex pcr.bin)" "$(printf 'ff%.0s' $(seq 32))"
check_fails "PCR 17 not extendable from locality 0" tpm tpm2_pcrextend "17:sha256=$d256"
printf 'event data' > ev
check "pcrevent 16" tpm tpm2_pcrevent 16 ev
e256=$(openssl dgst -sha256 -binary ev | od -An -v -tx1 | tr -d ' \n')
tpm tpm2_pcrread -o pcr.bin sha256:16
expect_eq "PCR 16 = H(0 || H(event))" "$(hex pcr.bin)" "$(dgst sha256 "$(zeros 32)$e256")"
check "pcrreset 16" tpm tpm2_pcrreset 16
tpm tpm2_pcrread -o pcr.bin sha256:16
expect_eq "PCR 16 reset to zero" "$(hex pcr.bin)" "$(zeros 32)"
check_fails "pcrreset 0 refused" tpm tpm2_pcrreset 0
head -c 3000 /dev/urandom > big
check "pcrevent with a 3000-byte file (hash sequence)" tpm tpm2_pcrevent 23 big
b256=$(openssl dgst -sha256 -binary big | od -An -v -tx1 | tr -d ' \n')
tpm tpm2_pcrread -o pcr.bin sha256:23
expect_eq "PCR 23 = H(0 || H(file)) via EventSequenceComplete" "$(hex pcr.bin)" "$(dgst sha256 "$(zeros 32)$b256")"

# ---- Hash and hash sequences ----
for alg in sha1 sha256 sha384 sha512; do
	check "hash $alg" tpm tpm2_hash -g "$alg" -o h.bin ev
	expect_eq "hash $alg matches openssl" "$(hex h.bin)" "$(openssl dgst -"$alg" -binary ev | od -An -v -tx1 | tr -d ' \n')"
done
check "hash of 3000 bytes (sequence)" tpm tpm2_hash -g sha256 -o h.bin big
expect_eq "sequence hash matches openssl" "$(hex h.bin)" "$b256"

# ---- HMAC keys: LoadExternal, ReadPublic, HMAC, HMAC_Start + sequence ----
head -c 32 /dev/urandom > hkey
printf 'mac me' > hmsg
check "loadexternal an HMAC key" tpm tpm2_loadexternal -C n -G hmac -r hkey -c hkey.ctx
check "readpublic of the key" tpm tpm2_readpublic -c hkey.ctx -o hpub -n hname
expect_eq "key Name = nameAlg || SHA-256(TPMT_PUBLIC)" "$(hex hname)" "000b$(tail -c +3 hpub | openssl dgst -sha256 -binary | od -An -v -tx1 | tr -d ' \n')"
check "hmac (one-shot TPM2_HMAC)" tpm tpm2_hmac -c hkey.ctx -o mac.bin hmsg
expect_eq "HMAC matches openssl" "$(hex mac.bin)" "$(openssl dgst -sha256 -mac HMAC -macopt hexkey:$(hex hkey) -binary hmsg | od -An -v -tx1 | tr -d ' \n')"
check "flush transient objects" tpm tpm2_flushcontext -t
check "hmac of 3000 bytes (HMAC_Start + SequenceUpdate + SequenceComplete)" tpm tpm2_hmac -c hkey.ctx -o mac.bin big
expect_eq "sequence HMAC matches openssl" "$(hex mac.bin)" "$(openssl dgst -sha256 -mac HMAC -macopt hexkey:$(hex hkey) -binary big | od -An -v -tx1 | tr -d ' \n')"
check "flush transient objects" tpm tpm2_flushcontext -t
check "loadexternal a key with an authValue" tpm tpm2_loadexternal -C n -G hmac -r hkey -c hkey2.ctx -p keypw
check "hmac with the key's password" tpm tpm2_hmac -c hkey2.ctx -p keypw -o mac.bin hmsg
check_fails "hmac with a wrong password" tpm tpm2_hmac -c hkey2.ctx -p nope -o mac.bin hmsg
check "flush transient objects" tpm tpm2_flushcontext -t

# ---- NV ----
printf 'hello nv' > msg
check "nvdefine ordinary" tpm tpm2_nvdefine 0x01500016 -C o -s 32 -a "ownerread|ownerwrite|authread|authwrite" -p nvpw
check "nvwrite" tpm tpm2_nvwrite 0x01500016 -C o -i msg
check "nvread" tpm tpm2_nvread 0x01500016 -C o -s 8 -o nv.bin
expect_eq "nvread returns written bytes" "$(hex nv.bin)" "$(hex msg)"
check "nvread with index auth" tpm tpm2_nvread 0x01500016 -C 0x01500016 -P nvpw -s 8 -o nv.bin
check_fails "nvread with wrong index auth" tpm tpm2_nvread 0x01500016 -C 0x01500016 -P wrong -s 8
grep -q '0x98e\|0x98E' "$VT_DIR/err" && ok "wrong auth answers TPM_RC_AUTH_FAIL for session 1" || bad "wrong auth answers TPM_RC_AUTH_FAIL for session 1"
check_fails "nvwrite out of range" tpm tpm2_nvwrite 0x01500016 -C o -i big
check "nvreadpublic" tpm tpm2_nvreadpublic 0x01500016
grep -q 'size: 32' "$VT_DIR/out" && ok "nvreadpublic reports size 32" || bad "nvreadpublic reports size 32"
check "nvdefine counter" tpm tpm2_nvdefine 0x01500017 -C o -s 8 -a "nt=counter|ownerread|ownerwrite"
check "nvincrement" tpm tpm2_nvincrement 0x01500017 -C o
check "nvincrement again" tpm tpm2_nvincrement 0x01500017 -C o
tpm tpm2_nvread 0x01500017 -C o -s 8 -o nv.bin
expect_eq "counter reads 2" "$(hex nv.bin)" "0000000000000002"
check "nvdefine extend" tpm tpm2_nvdefine 0x01500018 -C o -s 32 -g sha256 -a "nt=extend|ownerread|ownerwrite"
check "nvextend" tpm tpm2_nvextend 0x01500018 -C o -i msg
tpm tpm2_nvread 0x01500018 -C o -s 32 -o nv.bin
expect_eq "extend index = H(0^32 || data)" "$(hex nv.bin)" "$(dgst sha256 "$(zeros 32)$(hex msg)")"
check "nvdefine bits" tpm tpm2_nvdefine 0x01500019 -C o -s 8 -a "nt=bits|ownerread|ownerwrite"
check "nvsetbits 0x5" tpm tpm2_nvsetbits 0x01500019 -C o -i 0x5
check "nvsetbits 0x100" tpm tpm2_nvsetbits 0x01500019 -C o -i 0x100
tpm tpm2_nvread 0x01500019 -C o -s 8 -o nv.bin
expect_eq "bits index ORs" "$(hex nv.bin)" "0000000000000105"
check "nvdefine lockable" tpm tpm2_nvdefine 0x0150001a -C o -s 8 -a "ownerread|ownerwrite|write_stclear|read_stclear"
check "nvwrite lockable" tpm tpm2_nvwrite 0x0150001a -C o -i msg
check "nvwritelock" tpm tpm2_nvwritelock 0x0150001a -C o
check_fails "nvwrite after writelock" tpm tpm2_nvwrite 0x0150001a -C o -i msg
grep -q '0x148' "$VT_DIR/err" && ok "locked write answers TPM_RC_NV_LOCKED" || bad "locked write answers TPM_RC_NV_LOCKED"
check "nvreadlock" tpm tpm2_nvreadlock 0x0150001a -C o
check_fails "nvread after readlock" tpm tpm2_nvread 0x0150001a -C o -s 8
check "nvundefine" tpm tpm2_nvundefine 0x01500019 -C o
tpm tpm2_getcap handles-nv-index
grep -qi '0x1500019' "$VT_DIR/out" && bad "undefined index no longer listed" || ok "undefined index no longer listed"

# ---- HMAC sessions, context save/load through .ctx files ----
check "startauthsession --hmac-session" tpm tpm2_startauthsession --hmac-session -S s.ctx
check "sessionconfig: auth only" tpm tpm2_sessionconfig --disable-encrypt --disable-decrypt s.ctx
check "nvdefine authorized by the HMAC session" tpm tpm2_nvdefine 0x0150001b -C o -s 8 -a "ownerread|ownerwrite" -P session:s.ctx
check "nvwrite authorized by the same session (nonces roll)" tpm tpm2_nvwrite 0x0150001b -C o -i msg -P session:s.ctx
check "nvread authorized by the same session" tpm tpm2_nvread 0x0150001b -C o -s 8 -o nv.bin -P session:s.ctx
expect_eq "nvread through HMAC session" "$(hex nv.bin)" "$(hex msg)"
check "changeauth owner" tpm tpm2_changeauth -c o ownerpw
check_fails "HMAC session with the old (empty) owner auth fails" tpm tpm2_nvundefine 0x0150001b -C o -P session:s.ctx
tpm tpm2_getcap handles-saved-session
h=$(tpm2_sessionconfig s.ctx 2>/dev/null | sed -n 's/^Session-Handle: 0x0*//p')
grep -qi "0x0*$h" "$VT_DIR/out" && ok "saved session listed under TPM_HT_SAVED_SESSION" || bad "saved session listed under TPM_HT_SAVED_SESSION"
tpm tpm2_getcap handles-loaded-session
grep -qi "0x0*$h" "$VT_DIR/out" && bad "saved session not listed as loaded" || ok "saved session not listed as loaded"
check "flushcontext session" tpm tpm2_flushcontext s.ctx
check "nvundefine with new owner password" tpm tpm2_nvundefine 0x0150001b -C o -P ownerpw
check "changeauth owner back" tpm tpm2_changeauth -c o -p ownerpw

# ---- parameter encryption (AES-128-CFB) and bound sessions ----
check "startauthsession for encryption" tpm tpm2_startauthsession --hmac-session -S e.ctx
check "sessionconfig: encrypt + decrypt" tpm tpm2_sessionconfig --enable-encrypt --enable-decrypt e.ctx
check "getrandom with an encrypted response" tpm tpm2_getrandom -S e.ctx -o r3 16
expect_eq "encrypted getrandom still returns 16 bytes" "$(stat -c %s r3)" 16
printf 'cfb-protected data' > secret
check "nvdefine (encrypted auth parameter)" tpm tpm2_nvdefine 0x0150001d -C o -s 32 -a "ownerread|ownerwrite|authread|authwrite" -p idx -P session:e.ctx
check "nvwrite with decrypt session" tpm tpm2_nvwrite 0x0150001d -C o -i secret -P session:e.ctx
check "nvread with a password session" tpm tpm2_nvread 0x0150001d -C o -s 18 -o nv.bin
expect_eq "data written through CFB arrives in clear" "$(hex nv.bin)" "$(hex secret)"
check "nvread with encrypt session" tpm tpm2_nvread 0x0150001d -C o -s 18 -o nv.bin -P session:e.ctx
expect_eq "data read through CFB decrypts to the original" "$(hex nv.bin)" "$(hex secret)"
check "nvread with index auth (idx) proves the encrypted auth" tpm tpm2_nvread 0x0150001d -C 0x0150001d -P idx -s 18
check "flush encryption session" tpm tpm2_flushcontext e.ctx
check "session bound to the NV index" tpm tpm2_startauthsession --hmac-session -S b.ctx --bind-context 0x0150001d --bind-auth idx
check "bound session authorizes its bind entity" tpm tpm2_nvread 0x0150001d -C 0x0150001d -s 18 -P session:b.ctx
check "bound session authorizes another entity (owner)" tpm tpm2_nvread 0x0150001d -C o -s 18 -P session:b.ctx
check "flush bound session" tpm tpm2_flushcontext b.ctx
check "nvundefine" tpm tpm2_nvundefine 0x0150001d -C o

# ---- clock, dictionary attack, hierarchy ----
check "readclock" tpm tpm2_readclock
c1=$(sed -n 's/^ *clock: //p' "$VT_DIR/out")
check "setclock forward" tpm tpm2_setclock $((c1 + 100000))
tpm tpm2_readclock
c2=$(sed -n 's/^ *clock: //p' "$VT_DIR/out")
[ "$c2" -ge $((c1 + 100000)) ] && ok "clock moved forward" || bad "clock moved forward"
check_fails "setclock backwards refused" tpm tpm2_setclock 1
check "dictionarylockout parameters" tpm tpm2_dictionarylockout -s -n 7 -t 100 -l 200
tpm tpm2_getcap properties-variable
grep -A1 'TPM2_PT_MAX_AUTH_FAIL' "$VT_DIR/out" | grep -q '0x7' && ok "max auth fail is 7" || bad "max auth fail is 7"
check "dictionarylockout clear" tpm tpm2_dictionarylockout -c
check "hierarchycontrol: platform disables owner" tpm tpm2_hierarchycontrol -C p shEnable clear
check_fails "owner nvdefine with owner disabled" tpm tpm2_nvdefine 0x0150001c -C o -s 8 -a "ownerread|ownerwrite"
grep -q '0x185' "$VT_DIR/err" && ok "disabled hierarchy answers TPM_RC_HIERARCHY (handle 1)" || bad "disabled hierarchy answers TPM_RC_HIERARCHY (handle 1)"
check "hierarchycontrol: platform enables owner" tpm tpm2_hierarchycontrol -C p shEnable set
check "clearcontrol disable" tpm tpm2_clearcontrol -C l s
check_fails "clear refused while disabled" tpm tpm2_clear -c l
check "clearcontrol enable (platform)" tpm tpm2_clearcontrol -C p c

# ---- shutdown(STATE) + power cycle + Startup(STATE) restores PCRs and NV ----
tpm tpm2_pcrread -o before.bin sha256:10
check "shutdown state" tpm tpm2_shutdown
vt_stop
vt_start "$VT_DIR/state"
check "startup state after power cycle" tpm tpm2_startup
tpm tpm2_pcrread -o after.bin sha256:10
expect_eq "PCR 10 restored by Startup(STATE)" "$(hex after.bin)" "$(hex before.bin)"
tpm tpm2_nvread 0x01500016 -C o -s 8 -o nv.bin
expect_eq "NV survives the power cycle" "$(hex nv.bin)" "$(hex msg)"
tpm tpm2_nvread 0x01500017 -C o -s 8 -o nv.bin
expect_eq "counter survives the power cycle" "$(hex nv.bin)" "0000000000000002"
check "shutdown clear" tpm tpm2_shutdown -c
vt_stop
vt_start "$VT_DIR/state"
check_fails "startup state without saved state refused" tpm tpm2_startup
check "startup clear after power cycle" tpm tpm2_startup -c
tpm tpm2_pcrread -o pcr.bin sha256:10
expect_eq "PCR 10 zero after Startup(CLEAR)" "$(hex pcr.bin)" "$(zeros 32)"
check "read_stclear lock released by Startup(CLEAR)" tpm tpm2_nvread 0x0150001a -C o -s 8

# ---- PCR_Allocate takes effect at the next reset ----
check "pcrallocate sha256 only" tpm tpm2_pcrallocate sha1:none+sha256:all+sha384:none
check "shutdown clear" tpm tpm2_shutdown -c
vt_stop
vt_start "$VT_DIR/state"
check "startup clear" tpm tpm2_startup -c
tpm tpm2_getcap pcrs
grep -q 'sha1: \[ *\]' "$VT_DIR/out" && ok "sha1 bank deallocated after reset" || bad "sha1 bank deallocated after reset"
check "pcrallocate all banks back" tpm tpm2_pcrallocate sha1:all+sha256:all+sha384:all

# ---- Clear ----
check "clear (platform)" tpm tpm2_clear -c p
tpm tpm2_getcap handles-nv-index
grep -qi '0x1500016' "$VT_DIR/out" && bad "owner NV index removed by Clear" || ok "owner NV index removed by Clear"

vt_summary
