#!/usr/bin/env python3
"""Checks an SNP_ID_BLOCK written by igvmgen --snp-id-key, independently of tools/igvm:
the ID block's LD equals igvm_ref.py's launch digest (IGVM order, or KVM's with --kvm), its public key
is the key's (from `openssl ec -pubout`), and its signature over the SEV-SNP ABI ID_BLOCK
(LD, FAMILY_ID, IMAGE_ID, VERSION, GUEST_SVN, POLICY from GUEST_POLICY) verifies with `openssl dgst`.
Usage: check_idblock.py FILE.igvm KEY.pem WORKDIR [--kvm]"""
import os
import struct
import subprocess
import sys

sys.path.insert(0, os.path.dirname(__file__))
import igvm_ref  # noqa: E402


def der_int(v):
    b = v.to_bytes((v.bit_length() + 8) // 8 or 1, "big")
    return b"\x02" + bytes([len(b)]) + b


def main():
    path, key, work = sys.argv[1:4]
    kvm = "--kvm" in sys.argv[4:]
    buf = open(path, "rb").read()
    _platforms, hdrs = igvm_ref.parse(buf)
    idb = [b for t, b in hdrs if t == 0x30B]
    policy = [struct.unpack_from("<Q", b)[0] for t, b in hdrs if t == 0x101 and struct.unpack_from("<I", b, 8)[0] == 1]
    assert len(idb) == 1 and len(policy) == 1, "one SNP ID block and one SNP policy expected"
    b = idb[0]
    mask, author = struct.unpack_from("<IB", b)
    ld, family, image = b[8:56], b[56:72], b[72:88]
    version, svn, id_algo, _author_algo = struct.unpack_from("<IIII", b, 0x58)
    r, s = b[0x68:0x68 + 72], b[0x68 + 72:0x68 + 144]
    curve = struct.unpack_from("<I", b, 0xF8)[0]
    qx, qy = b[0x100:0x100 + 72], b[0x100 + 72:0x100 + 144]
    assert mask == 1 and author == 0 and version == 1 and id_algo == 1 and curve == 2
    assert ld == igvm_ref.snp_digest(buf, kvm), "ID block LD is not the launch digest"
    pub = subprocess.run(["openssl", "ec", "-in", key, "-pubout", "-outform", "DER"], check=True,
                         capture_output=True).stdout
    assert pub[-97] == 4 and pub[-96:-48] == qx[:48][::-1] and pub[-48:] == qy[:48][::-1], "public key mismatch"
    assert qx[48:] == bytes(24) and qy[48:] == bytes(24) and r[48:] == bytes(24) and s[48:] == bytes(24)
    block = ld + family + image + struct.pack("<IIQ", version, svn, policy[0])
    assert len(block) == 0x60
    body = der_int(int.from_bytes(r, "little")) + der_int(int.from_bytes(s, "little"))
    open(os.path.join(work, "idblock.bin"), "wb").write(block)
    open(os.path.join(work, "idblock.sig"), "wb").write(b"\x30" + bytes([len(body)]) + body)
    open(os.path.join(work, "id.pub"), "wb").write(pub)
    v = subprocess.run(["openssl", "dgst", "-sha384", "-verify", os.path.join(work, "id.pub"), "-keyform", "DER",
                        "-signature", os.path.join(work, "idblock.sig"), os.path.join(work, "idblock.bin")],
                       capture_output=True, text=True)
    assert v.returncode == 0 and "Verified OK" in v.stdout, v.stdout + v.stderr


if __name__ == "__main__":
    main()
