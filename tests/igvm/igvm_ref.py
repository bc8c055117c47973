#!/usr/bin/env python3
"""Independent re-implementation of Mantle's IGVM measurements, for checking the C tools.

Written from the specification text (../shared/reference/snp-tdx-igvm.md sections A-C, the SEV-SNP
firmware ABI PAGE_INFO layout, the TDX module's MEM.PAGE.ADD / MR.EXTEND records, the igvm crate's
VBS chunk layout), using only the Python standard library (hashlib, zlib, struct). It shares no code
with tools/igvm/.

  igvm_ref.py kat                 check this module against the reference's known-answer vectors
  igvm_ref.py measure FILE        print `name: hex` lines like `igvmdump --measure`
  igvm_ref.py elfpages ELF        print `gpa sha256` for every 4 KiB page of every PT_LOAD segment
  igvm_ref.py example FILE        write the example file of ref A.15
"""
import hashlib
import struct
import sys
import zlib

PAGE = 4096
MAGIC = 0x4D564749
OPTIONAL = 0x80000000

# Variable header types (ref A.6) and their exact body sizes.
SIZES = {
    0x001: 16, 0x101: 16, 0x102: 48, 0x103: 32, 0x104: 16, 0x105: 16, 0x106: 32,
    0x301: 16, 0x302: 24, 0x303: 16, 0x304: 20, 0x305: 24, 0x307: 8, 0x308: 8, 0x309: 8,
    0x30A: 8, 0x30B: 0x2B8, 0x30C: 8, 0x30D: 16, 0x30E: 8, 0x30F: 8, 0x310: 8, 0x311: 0x360,
    0x312: 8, 0x313: 8,
}
PLATFORM_SNP, PLATFORM_TDX, PLATFORM_VSM = 2, 3, 1


class Bad(Exception):
    pass


def parse(buf):
    """Returns (platforms {type: mask}, [(type, body_bytes)]) after the checks of ref A.4/A.5."""
    if len(buf) < 24:
        raise Bad("short")
    magic, ver, vho, vhs, total, csum = struct.unpack_from("<6I", buf, 0)
    if magic != MAGIC or ver != 1:
        raise Bad("magic/version")
    if total != len(buf) or vho < 24 or vho % 8 or vho + vhs >= len(buf):
        raise Bad("sizes")
    fixed = bytearray(buf[:24])
    fixed[20:24] = b"\0\0\0\0"
    if zlib.crc32(bytes(fixed) + buf[vho:vho + vhs]) != csum:
        raise Bad("checksum")
    pos, end, hdrs, platforms = vho, vho + vhs, [], {}
    while pos < end:
        typ, length = struct.unpack_from("<II", buf, pos)
        body = buf[pos + 8:pos + 8 + length]
        if pos + 8 + length > end:
            raise Bad("tlv length")
        t = typ & ~OPTIONAL
        if t in SIZES and SIZES[t] != length:
            raise Bad("tlv size")
        if t == 0x001:
            mask, _vtl, ptype = struct.unpack_from("<IBB", body, 0)
            platforms[ptype] = mask
        hdrs.append((t, body))
        pos += 8 + ((length + 7) & ~7)
    return platforms, hdrs


def page_of(buf, off):
    if off == 0:
        return bytes(PAGE)
    return buf[off:off + PAGE].ljust(PAGE, b"\0")


def mask_of(t, body):
    if t in (0x302, 0x303, 0x304, 0x305, 0x30D):
        return struct.unpack_from("<I", body, 8)[0]
    if t == 0x101:
        return struct.unpack_from("<I", body, 8)[0]
    return None


# ---- SEV-SNP launch digest (ref B.1): LD = SHA-384(PAGE_INFO) per page --------------------------------
def snp_extend(ld, page_type, gpa, contents=None):
    h = hashlib.sha384(contents).digest() if contents is not None else bytes(48)
    info = ld + h + struct.pack("<HBB4sQ", 0x70, page_type, 0, bytes(4), gpa)
    assert len(info) == 0x70
    return hashlib.sha384(info).digest()


def snp_digest(buf, kvm):
    platforms, hdrs = parse(buf)
    pm = platforms[PLATFORM_SNP]
    ld, areas, vmsas = bytes(48), {}, []
    for t, b in hdrs:
        m = mask_of(t, b)
        if m is not None and m & pm != pm:
            continue
        if t == 0x301:
            size, idx, _ = struct.unpack_from("<QII", b)
            areas[idx] = size
        elif t == 0x302:
            gpa, _m, off, flags, dtype = struct.unpack_from("<QIIIH", b)
            if flags & 4:
                continue
            if dtype == 1:
                ld = snp_extend(ld, 5, gpa)
            elif dtype in (2, 3):
                ld = snp_extend(ld, 6, gpa)
            elif flags & 2:
                ld = snp_extend(ld, 4, gpa)
            else:
                ld = snp_extend(ld, 1, gpa, page_of(buf, off))
        elif t == 0x303:
            gpa, _m, idx = struct.unpack_from("<QII", b)
            for o in range(0, areas[idx], PAGE):
                ld = snp_extend(ld, 4, gpa + o)
        elif t == 0x304:
            gpa, _m, off = struct.unpack_from("<QII", b)
            if kvm:
                vmsas.append(page_of(buf, off))
            else:
                ld = snp_extend(ld, 2, gpa, page_of(buf, off))
    for v in vmsas:
        ld = snp_extend(ld, 2, 0xFFFFFFFFF000, v)
    return ld


# ---- TDX MRTD (ref C.1): one running SHA-384 -------------------------------------------------------
def tdx_page_add(h, gpa):
    h.update(b"MEM.PAGE.ADD".ljust(16, b"\0") + struct.pack("<Q", gpa) + bytes(104))


def tdx_extend(h, gpa, data):
    for o in range(0, PAGE, 256):
        h.update(b"MR.EXTEND".ljust(16, b"\0") + struct.pack("<Q", gpa + o) + bytes(104) + data[o:o + 256])


def tdx_digest(buf):
    platforms, hdrs = parse(buf)
    pm = platforms[PLATFORM_TDX]
    h, areas = hashlib.sha384(), {}
    for t, b in hdrs:
        m = mask_of(t, b)
        if m is not None and m & pm != pm:
            continue
        if t == 0x301:
            size, idx, _ = struct.unpack_from("<QII", b)
            areas[idx] = size
        elif t == 0x302:
            gpa, _m, off, flags, _dt = struct.unpack_from("<QIIIH", b)
            if flags & 4:
                continue
            tdx_page_add(h, gpa)
            if not flags & 2:
                tdx_extend(h, gpa, page_of(buf, off))
        elif t == 0x303:
            gpa, _m, idx = struct.unpack_from("<QII", b)
            for o in range(0, areas[idx], PAGE):
                tdx_page_add(h, gpa + o)
    return h.digest()


# ---- VBS boot digest (igvm crate measurement/vbs.rs chunk layout) ----------------------------------
def vbs_digest(buf):
    platforms, hdrs = parse(buf)
    pm = platforms[PLATFORM_VSM]
    d, areas, regs = bytes(32), {}, []

    def rec(*parts):
        nonlocal d
        d = hashlib.sha256(d + b"".join(parts)).digest()

    def pages(pn, count, meta, data):
        for i in range(count):
            chunk = struct.pack("<IIQQQ", PAGE + 32, 2, 0, meta, pn + i)
            rec(chunk, bytes(PAGE) if meta & 4 else data)

    for t, b in hdrs:
        m = mask_of(t, b)
        if m is not None and m & pm != pm:
            continue
        if t == 0x301:
            size, idx, _ = struct.unpack_from("<QII", b)
            areas[idx] = size
        elif t == 0x302:
            gpa, _m, off, flags, _dt = struct.unpack_from("<QIIIH", b)
            if not flags & 4:
                pages(gpa // PAGE, 1, 4 if flags & 2 else 0, page_of(buf, off))
        elif t == 0x303:
            gpa, _m, idx = struct.unpack_from("<QII", b)
            pages(gpa // PAGE, areas[idx] // PAGE, 4, None)
        elif t == 0x304:
            _gpa, _m, off = struct.unpack_from("<QII", b)
            (n,) = struct.unpack_from("<I", buf, off)
            for i in range(n):
                r = buf[off + 4 + 32 * i: off + 36 + 32 * i]
                vtl, name = r[0], struct.unpack_from("<I", r, 1)[0]
                regs.append(struct.pack("<IIQIBBHII", 48, 0, 0, 0, vtl, 0, 0, 0, name) + r[16:32])
    for r in regs:
        rec(r)
    return d


def measure(buf):
    platforms, _ = parse(buf)
    out = []
    if PLATFORM_SNP in platforms:
        out.append(("snp-launch-digest", snp_digest(buf, False).hex()))
        out.append(("snp-launch-digest-kvm", snp_digest(buf, True).hex()))
    if PLATFORM_TDX in platforms:
        out.append(("tdx-mrtd", tdx_digest(buf).hex()))
    if PLATFORM_VSM in platforms:
        out.append(("vbs-boot-digest", vbs_digest(buf).hex()))
    out.append(("image-sha256", hashlib.sha256(buf).hexdigest()))
    return out


# ---- ELF pages (for the igvmdump round trip) -------------------------------------------------------
def elf_pages(elf):
    assert elf[:4] == b"\x7fELF" and elf[4] == 2
    phoff, = struct.unpack_from("<Q", elf, 0x20)
    phentsize, phnum = struct.unpack_from("<HH", elf, 0x36)
    pages = {}
    for i in range(phnum):
        p_type, _fl, off, _va, pa, filesz, memsz, _al = struct.unpack_from("<IIQQQQQQ", elf, phoff + i * phentsize)
        if p_type != 1 or memsz == 0:
            continue
        for gpa in range(pa & ~(PAGE - 1), (pa + memsz + PAGE - 1) & ~(PAGE - 1), PAGE):
            page = bytearray(pages.get(gpa, bytes(PAGE)))
            lo, hi = max(gpa, pa), min(gpa + PAGE, pa + filesz)
            if lo < hi:
                page[lo - gpa:hi - gpa] = elf[off + lo - pa: off + hi - pa]
            pages[gpa] = bytes(page)
    return pages


# ---- known answers (ref B.6, C.3, A.15) ------------------------------------------------------------
def example_file():
    """Ref A.15: SNP platform + policy + one PAGE_DATA of 0xCC bytes."""
    vh = struct.pack("<II", 0x001, 16) + struct.pack("<IBBHQ", 1, 2, 2, 1, 0)
    vh += struct.pack("<II", 0x101, 16) + struct.pack("<QII", 0x30000, 1, 0)
    vh += struct.pack("<II", 0x302, 24) + struct.pack("<QIIIHH", 0, 1, 104, 0, 0, 0)
    total = 24 + len(vh) + PAGE
    fixed = struct.pack("<6I", MAGIC, 1, 24, len(vh), total, 0)
    csum = zlib.crc32(fixed + vh)
    return struct.pack("<6I", MAGIC, 1, 24, len(vh), total, csum) + vh + b"\xcc" * PAGE


def kat():
    zero = bytes(PAGE)
    ok = True

    def check(name, got, want):
        nonlocal ok
        good = got == want
        ok &= good
        print("kat %-28s %s" % (name, "ok" if good else "MISMATCH got %s want %s" % (got, want)))

    ld = snp_extend(bytes(48), 1, 0x1000, zero)
    check("snp-B6-case-A", ld.hex(), "e6e4d78904d9d6b33c0cbfd121998fd2d11744dae606b3aee35e2a45d6869b60b35c63928a9232bef72d6be386f48ec6")
    ld = bytes(48)
    ld = snp_extend(ld, 1, 0x0, zero)
    ld = snp_extend(ld, 4, 0x1000)
    ld = snp_extend(ld, 3, 0x2000)
    ld = snp_extend(ld, 5, 0x3000)
    ld = snp_extend(ld, 6, 0x4000)
    ld = snp_extend(ld, 2, 0xFFFFFFFFF000, zero)
    check("snp-B6-case-B", ld.hex(), "341e92ce98d747b980a98e5e1f4cc7e30be602edb04608717cb60e2e6956a19466eec06a8ab749a9e9a666afe850f4c3")
    h = hashlib.sha384()
    tdx_page_add(h, 0)
    tdx_extend(h, 0, zero)
    check("tdx-C3-T1", h.hexdigest(), "236f0efa607ff8843f1855d7ef80dc3dda8fb455787a186b8787212951eab0096e3193bb26f817c2b63c21f5e10f9938")
    h = hashlib.sha384()
    tdx_page_add(h, 0xFFFFF000)
    check("tdx-C3-T2", h.hexdigest(), "8d411e4377a0da03b249acbe9a7939b44b4483b5a6c81341f00d60c1f417257f9a5c1c03f2f223c59f010f4933f238b8")
    ex = example_file()
    magic, ver, vho, vhs, total, csum = struct.unpack_from("<6I", ex, 0)
    check("file-A15-layout", (vho, vhs, total), (24, 80, 4200))
    check("file-A15-checksum", "0x%08X" % csum, "0xD59A2643")
    parse(ex)
    return ok


def main(argv):
    if len(argv) >= 2 and argv[1] == "kat":
        return 0 if kat() else 1
    if len(argv) == 3 and argv[1] == "measure":
        for name, val in measure(open(argv[2], "rb").read()):
            print("%s: %s" % (name, val))
        return 0
    if len(argv) == 3 and argv[1] == "elfpages":
        for gpa, page in sorted(elf_pages(open(argv[2], "rb").read()).items()):
            print("0x%x %s" % (gpa, hashlib.sha256(page).hexdigest()))
        return 0
    if len(argv) == 3 and argv[1] == "example":
        open(argv[2], "wb").write(example_file())
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
