# Helpers for the vTPM shell tests: start build/host/vtpm-sim on a free loopback port pair, always
# stop it on exit, bound every wait. Source it; set SIM to the binary first.
set -u

VT_DIR=$(mktemp -d "${TMPDIR:-/tmp}/vtpm-test.XXXXXX")
VT_PID=
VT_PORT=
VT_PASS=0
VT_FAIL=0

vt_cleanup() {
	if [ -n "$VT_PID" ]; then
		kill "$VT_PID" 2>/dev/null
		wait "$VT_PID" 2>/dev/null
	fi
	rm -rf "$VT_DIR"
}
trap vt_cleanup EXIT
trap 'exit 130' INT TERM

# vt_start [STATE_DIR]: starts the simulator; picks ports from the PID so parallel runs differ and
# retries on a collision.
vt_start() {
	local state=${1:-$VT_DIR/state} tries=0
	mkdir -p "$state"
	while [ $tries -lt 20 ]; do
		VT_PORT=$((20000 + (($$ * 7 + tries * 1009 + RANDOM) % 20000) * 2))
		"$SIM" --port "$VT_PORT" --state "$state" ${VTPM_RECORD:+--record "$VTPM_RECORD"} ${VT_SIM_ARGS:-} 2>"$VT_DIR/sim.log" &
		VT_PID=$!
		local i=0
		while [ $i -lt 50 ]; do
			if ! kill -0 "$VT_PID" 2>/dev/null; then
				break
			fi
			if (exec 3<>/dev/tcp/127.0.0.1/$((VT_PORT + 1))) 2>/dev/null; then
				export TPM2TOOLS_TCTI="mssim:host=127.0.0.1,port=$VT_PORT"
				return 0
			fi
			sleep 0.1
			i=$((i + 1))
		done
		kill "$VT_PID" 2>/dev/null
		wait "$VT_PID" 2>/dev/null
		VT_PID=
		tries=$((tries + 1))
	done
	echo "vtpm-test: could not start $SIM" >&2
	cat "$VT_DIR/sim.log" >&2
	exit 1
}

vt_stop() {
	if [ -n "$VT_PID" ]; then
		kill "$VT_PID" 2>/dev/null
		wait "$VT_PID" 2>/dev/null
		VT_PID=
	fi
}

# tpm: runs a tpm2 tool with a timeout; output goes to $VT_DIR/out, errors to $VT_DIR/err.
tpm() {
	timeout 20 "$@" >"$VT_DIR/out" 2>"$VT_DIR/err"
}

hex() { od -An -v -tx1 "$1" | tr -d ' \n'; }
hexs() { printf '%s' "$1" | od -An -v -tx1 | tr -d ' \n'; }
# dgst ALG HEXDATA -> hex digest of the bytes
dgst() { printf '%s' "$2" | xxd -r -p | openssl dgst "-$1" -binary | od -An -v -tx1 | tr -d ' \n'; }
zeros() { printf '%0*d' $(($1 * 2)) 0; }

ok() { VT_PASS=$((VT_PASS + 1)); echo "ok   $1"; }
bad() {
	VT_FAIL=$((VT_FAIL + 1))
	echo "FAIL $1"
	[ -s "$VT_DIR/err" ] && sed 's/^/     /' "$VT_DIR/err" | tail -5
	return 0
}
# check NAME CMD...: passes when the command succeeds
check() { local n=$1; shift; if "$@"; then ok "$n"; else bad "$n"; fi; }
# check_fails NAME CMD...: passes when the command fails
check_fails() { local n=$1; shift; if "$@"; then bad "$n (unexpectedly succeeded)"; else ok "$n"; fi; }
# expect_eq NAME GOT WANT
expect_eq() {
	if [ "$2" = "$3" ]; then ok "$1"; else
		bad "$1"
		echo "     got:  $2"
		echo "     want: $3"
	fi
}

vt_summary() {
	echo "$(basename "$0" .sh): $VT_PASS passed, $VT_FAIL failed"
	[ "$VT_FAIL" -eq 0 ]
}
