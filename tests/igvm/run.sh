#!/usr/bin/env bash
# IGVM checks for `make test` (target igvm-test). Usage: tests/igvm/run.sh ELF IGVM HOSTDIR
#
#  1. The Python reference (tests/igvm/igvm_ref.py, hashlib/zlib only) reproduces the known-answer
#     vectors of ../shared/reference/snp-tdx-igvm.md (B.6, C.3, A.15).
#  2. igvmdump --measure on the generated file equals the Python computation, line for line.
#  3. Round trip: every page of every PT_LOAD segment of the ELF is a PAGE_DATA of the file, for all four
#     platforms, at its GPA, with the same SHA-256.
#  4. The reference example file (A.15) is accepted and measured alike by both implementations.
#  5. Hostile files (truncated, bit-flipped, wrong sizes, garbage) are refused with a message, exit 1.
#  5b. The SNP ID block's LD, public key and signature check out with openssl and the Python digest.
#  6. Reproducibility: two builds of one snapshot in separate trees give the same IGVM bytes.
set -u
elf=$1 igvm=$2 hostdir=$3
dump=$hostdir/igvmdump gen=$hostdir/igvmgen
ref="python3 tests/igvm/igvm_ref.py"
pass=0 fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

ok() { pass=$((pass + 1)); echo "igvm: ok   $1"; }
bad() { fail=$((fail + 1)); echo "igvm: FAIL $1" >&2; }
check() { if "${@:2}"; then ok "$1"; else bad "$1"; fi; }

# 1. known answers
if $ref kat >"$tmp/kat" 2>&1; then ok "python reference: $(grep -c ' ok$' "$tmp/kat") known-answer vectors"; else cat "$tmp/kat"; bad "python reference known answers"; fi

# 2. measurements: C (igvmdump) against Python
"$dump" --measure "$igvm" >"$tmp/c.txt" 2>&1 || bad "igvmdump --measure exit status"
$ref measure "$igvm" >"$tmp/py.txt" 2>&1 || bad "igvm_ref.py measure exit status"
for name in snp-launch-digest snp-launch-digest-kvm tdx-mrtd vbs-boot-digest image-sha256; do
	c=$(grep "^$name: " "$tmp/c.txt") py=$(grep "^$name: " "$tmp/py.txt")
	if [ -n "$c" ] && [ "$c" = "$py" ]; then ok "$name matches the independent computation"; else bad "$name: C '$c' vs python '$py'"; fi
done

# 3. round trip against the ELF
"$dump" --pages "$igvm" | awk '$2 == "mask=0xf" { sub("gpa=", "", $3); sub("sha256=", "", $6); print $3, $6 }' | sort >"$tmp/file-pages"
$ref elfpages "$elf" | sort >"$tmp/elf-pages"
missing=$(comm -23 "$tmp/elf-pages" "$tmp/file-pages" | wc -l)
n=$(wc -l <"$tmp/elf-pages")
if [ "$n" -gt 0 ] && [ "$missing" -eq 0 ]; then ok "round trip: all $n ELF pages at their GPAs with identical contents"; else bad "round trip: $missing of $n ELF pages missing or different"; fi
extra=$(comm -13 "$tmp/elf-pages" "$tmp/file-pages" | wc -l)
if [ "$extra" -eq 7 ]; then ok "round trip: 7 further all-platform pages (6 page tables + manifest)"; else bad "round trip: $extra non-ELF all-platform pages, expected 7"; fi
check "file structure: 4 platforms, 3 VP contexts, 3 parameter inserts" \
	test "$("$dump" "$igvm" | grep -c -e SUPPORTED_PLATFORM -e VP_CONTEXT -e PARAMETER_INSERT)" -eq 10

# 3b. entry state: the VP contexts and the TDX reset vector point at the ELF's own symbols (from nm)
sym() { nm "$elf" | awk -v s="$1" '$3 == s { print $1 }'; }
check "entry state: RIP = igvm_start64 and RSP = boot stack (SNP, VBS, native); TDX reset vector -> igvm_start32" \
	python3 tests/igvm/check_entry.py "$igvm" "$(sym igvm_start64)" "$(sym igvm_start32)" "$(sym x86_stacks)" "$(sym boot_gdt)"

# 4. the reference example file
$ref example "$tmp/ex.igvm"
"$dump" --measure "$tmp/ex.igvm" >"$tmp/ex-c.txt" 2>&1
$ref measure "$tmp/ex.igvm" >"$tmp/ex-py.txt"
check "reference example file (A.15): parsed and measured alike" cmp -s "$tmp/ex-c.txt" "$tmp/ex-py.txt"

# 5. hostile files: each must give exit status 1 and an "igvmdump:" reason, never a sanitizer report
hostile() {
	local name=$1 file=$2 out rc
	out=$("$dump" "$file" 2>&1); rc=$?
	if [ $rc -eq 1 ] && printf '%s' "$out" | grep -q '^igvmdump: ' && ! printf '%s' "$out" | grep -q Sanitizer; then
		ok "hostile: $name refused ($(printf '%s' "$out" | head -1 | cut -d: -f3- | cut -c1-60))"
	else
		bad "hostile: $name (exit $rc): $out"
	fi
}
size=$(stat -c %s "$igvm")
head -c 20 "$igvm" >"$tmp/h1"; hostile "truncated fixed header" "$tmp/h1"
head -c $((size - 1)) "$igvm" >"$tmp/h2"; hostile "one byte short" "$tmp/h2"
cp "$igvm" "$tmp/h3"; printf '\x07' | dd of="$tmp/h3" bs=1 seek=40 conv=notrunc status=none; hostile "bit flip in a header" "$tmp/h3"
head -c 4096 /dev/urandom >"$tmp/h4"; hostile "random bytes" "$tmp/h4"
python3 - "$igvm" "$tmp/h5" <<'EOF'
import struct, sys, zlib
b = bytearray(open(sys.argv[1], "rb").read())
# Re-sign a file whose first PAGE_DATA points past the end: only the offset check can catch it.
pos = 24
while struct.unpack_from("<I", b, pos)[0] != 0x302:
    pos += 8 + ((struct.unpack_from("<I", b, pos + 4)[0] + 7) & ~7)
struct.pack_into("<I", b, pos + 8 + 12, len(b) - 100)
vhs = struct.unpack_from("<I", b, 12)[0]
fixed = bytearray(b[:24]); fixed[20:24] = bytes(4)
struct.pack_into("<I", b, 20, zlib.crc32(bytes(fixed) + bytes(b[24:24 + vhs])))
open(sys.argv[2], "wb").write(b)
EOF
hostile "re-signed file with a page past the end" "$tmp/h5"

# 5b. SNP ID block: signed with a throw-away P-384 key, verified with openssl and the Python digest
openssl ecparam -name secp384r1 -genkey -noout -out "$tmp/id.pem" 2>/dev/null
for kvm in "" --kvm; do
	if "$gen" --snp-id-key "$tmp/id.pem" ${kvm:+--snp-id-kvm} -o "$tmp/signed.igvm" "$elf" &&
		python3 tests/igvm/check_idblock.py "$tmp/signed.igvm" "$tmp/id.pem" "$tmp" $kvm; then
		ok "SNP ID block${kvm:+ (KVM digest)}: LD, public key and ECDSA P-384 signature verify independently"
	else
		bad "SNP ID block${kvm:+ (KVM digest)}"
	fi
done
"$dump" --measure "$tmp/signed.igvm" | grep -v image-sha256 >"$tmp/signed.txt"
grep -v image-sha256 "$tmp/c.txt" >"$tmp/unsigned.txt"
check "SNP ID block changes no launch measurement" cmp -s "$tmp/signed.txt" "$tmp/unsigned.txt"
openssl ecparam -name prime256v1 -genkey -noout -out "$tmp/p256.pem" 2>/dev/null
if "$gen" --snp-id-key "$tmp/p256.pem" -o "$tmp/p256.igvm" "$elf" 2>"$tmp/p256.err"; then bad "P-256 ID key accepted"
else ok "ID key that is not P-384 refused ($(cut -c1-60 "$tmp/p256.err"))"; fi

# 6. reproducibility: one snapshot of the tree, built from scratch in two directories (BearSSL sources
# and library copied, not refetched); the checkout itself keeps changing under other engineers.
tar --exclude=./build -cf "$tmp/tree.tar" .
for t in a b; do
	mkdir -p "$tmp/$t/build/x86_64"
	tar -xf "$tmp/tree.tar" -C "$tmp/$t"
	cp -a build/bearssl-src "$tmp/$t/build/"
	[ -d build/x86_64/bearssl ] && cp -a build/x86_64/bearssl "$tmp/$t/build/x86_64/"
done
if make -C "$tmp/a" --no-print-directory -j2 Q=@ image >"$tmp/rebuild-a.log" 2>&1 &&
	make -C "$tmp/b" --no-print-directory -j2 Q=@ image >"$tmp/rebuild-b.log" 2>&1; then
	"$gen" -o "$tmp/first.igvm" "$tmp/a/build/x86_64/mantle.elf"
	"$gen" -o "$tmp/second.igvm" "$tmp/b/build/x86_64/mantle.elf"
	check "reproducible: two builds in separate trees give identical IGVM bytes" cmp -s "$tmp/first.igvm" "$tmp/second.igvm"
	"$dump" --measure "$tmp/first.igvm" >"$tmp/first.txt"
	"$dump" --measure "$tmp/second.igvm" >"$tmp/second.txt"
	check "reproducible: identical digests" cmp -s "$tmp/first.txt" "$tmp/second.txt"
else
	tail -5 "$tmp"/rebuild-*.log >&2
	bad "reproducible: a separate tree did not build"
fi

echo "igvm: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
