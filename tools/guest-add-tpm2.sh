#!/usr/bin/env bash
# Builds the tpm2-tools test initramfs: the default guest root plus /usr/bin/tpm2 (tpm2-tools' multi-
# call binary, with tpm2_* links), every shared library it needs, and the TCTI for /dev/tpmrm0 that
# tpm2-tss loads at run time. Everything comes from this machine's installed Debian packages.
#   tools/guest-add-tpm2.sh BASE_ROOT NEW_ROOT OUT.cpio.gz
set -euo pipefail
base=$1 root=$2
out=$(cd "$(dirname "$3")" && pwd)/$(basename "$3")
tpm2=$(command -v tpm2) || { echo "guest-add-tpm2: tpm2-tools is not installed (make deps)" >&2; exit 1; }
tcti=$(ls /usr/lib/x86_64-linux-gnu/libtss2-tcti-device.so.0 2>/dev/null) ||
	{ echo "guest-add-tpm2: libtss2-tcti-device is not installed" >&2; exit 1; }
rm -rf "$root"
cp -a "$base" "$root"
mkdir -p "$root/usr/bin" "$root/lib64" "$root/lib/x86_64-linux-gnu"
cp "$tpm2" "$root/usr/bin/tpm2"
for t in getrandom pcrextend pcrread createprimary createek createak quote checkquote readpublic \
	flushcontext startup selftest getcap startauthsession policypcr create load unseal; do
	ln -sf tpm2 "$root/usr/bin/tpm2_$t"
done
# The binary's libraries, the TCTI and its own dependencies (tpm2-tss dlopens the TCTI by name).
for lib in $( (ldd "$tpm2"; ldd "$tcti") | awk '/=> \//{print $3}' | sort -u) "$tcti"; do
	cp -L "$lib" "$root/lib/x86_64-linux-gnu/"
done
cp -L /lib64/ld-linux-x86-64.so.2 "$root/lib64/"
(cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc --quiet | gzip -6 >"$out.tmp")
mv "$out.tmp" "$out"
