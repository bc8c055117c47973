#!/usr/bin/env python3
"""A minimal IGVM loader for QEMU 7.2 (which has none), for tests only.

It plays the host side of a launch for one platform of the file, on plain guest RAM: every directive
that applies to that platform's mask is carried out — PAGE_DATA pages are written (as QEMU
`-device loader` blobs), parameter areas are filled the way a loader fills them (memory map of the
VM's RAM, command line, vp count) and inserted at their GPAs — and the BSP is started as the platform
would start it, by a 64 KiB shim BIOS (reset_shim.S), since QEMU resets the CPU in real mode:
  tdx     a TD vCPU's initial state (32-bit protected mode, paging off, ESI = 0), jumping where the
          file's own reset-vector page jumps (that page cannot sit at 0xFFFFF000: the BIOS is there);
  native  the file's native VP context (control registers, GDTR, selectors, RSP, RIP).
Nothing here is measured and nothing is confidential: this proves the file's contents and Mantle's
entry and boot path, not a TEE launch.

  qemu_load.py FILE.igvm WORKDIR RAM_MIB CMDLINE tdx|native [hostile]
prints QEMU arguments, one per line. `hostile` reports only 8 MiB of RAM, below Mantle's image.
"""
import os
import struct
import subprocess
import sys

sys.path.insert(0, os.path.dirname(__file__))
import igvm_ref  # noqa: E402

PAGE = 4096
PLATFORM = {"tdx": 3, "native": 0}


def main():
    path, work, ram_mib, cmdline, plat = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5]
    buf = open(path, "rb").read()
    platforms, hdrs = igvm_ref.parse(buf)
    mask = platforms[PLATFORM[plat]]
    pages, areas, params, target, defs = {}, {}, {}, None, []
    for t, b in hdrs:
        m = igvm_ref.mask_of(t, b)
        if m is not None and not m & mask:
            continue
        if t == 0x302:
            gpa, _m, off = struct.unpack_from("<QII", b)
            page = igvm_ref.page_of(buf, off)
            if gpa == 0xFFFFF000:
                target = (0xFFFFFFF5 + struct.unpack_from("<i", page, 0xFF1)[0]) & 0xFFFFFFFF
                defs = ["-DTARGET=0x%x" % target]
                continue
            pages[gpa] = page
        elif t == 0x301:
            size, idx, _ = struct.unpack_from("<QII", b)
            areas[idx] = bytearray(size)
        elif t in (0x30C, 0x30E, 0x307):
            idx, off = struct.unpack_from("<II", b)
            params[t] = (idx, off)
        elif t == 0x304:
            _gpa, _m, off = struct.unpack_from("<QII", b)
            defs = native_context(buf, off)
        elif t == 0x303:
            gpa, _m, idx = struct.unpack_from("<QII", b)
            fill(areas, params, 8 if "hostile" in sys.argv[6:] else ram_mib, cmdline)
            for o in range(0, len(areas[idx]), PAGE):
                pages[gpa + o] = bytes(areas[idx][o:o + PAGE])
    assert defs, "no entry state for this platform"
    shim = os.path.join(work, "shim.bin")
    obj = shim + ".o"
    here = os.path.dirname(os.path.abspath(__file__))
    subprocess.run(["gcc", "-c", "-m32", *defs, "-o", obj, os.path.join(here, "reset_shim.S")], check=True)
    subprocess.run(["ld", "-m", "elf_i386", "-Ttext", "0", "--oformat", "binary", "-o", shim, obj], check=True)
    args = ["-bios", shim]
    # Coalesce contiguous pages into one blob per run.
    run, n = [], 0
    for gpa in sorted(pages) + [None]:
        if run and (gpa is None or gpa != run[-1] + PAGE):
            f = os.path.join(work, "blob%d.bin" % n)
            open(f, "wb").write(b"".join(pages[g] for g in run))
            args += ["-device", "loader,file=%s,addr=0x%x,force-raw=on" % (f, run[0])]
            run, n = [], n + 1
        if gpa is not None:
            run.append(gpa)
    print("\n".join(args))


def native_context(buf, off):
    """IgvmNativeVpContextX64 (ref A.11) as -D defines for reset_shim.S."""
    q = lambda o: struct.unpack_from("<Q", buf, off + o)[0]  # noqa: E731
    h = lambda o: struct.unpack_from("<H", buf, off + o)[0]  # noqa: E731
    return ["-DCTX_RSP=0x%x" % q(0x20), "-DCTX_RIP=0x%x" % q(0x80), "-DCTX_GDT_LIMIT=0x%x" % h(0x9E),
            "-DCTX_GDT_BASE=0x%x" % q(0xA0), "-DCTX_CS=0x%x" % h(0xA8), "-DCTX_DS=0x%x" % h(0xB4),
            "-DCTX_CR0=0x%x" % q(0xC8), "-DCTX_CR3=0x%x" % q(0xD0), "-DCTX_CR4=0x%x" % q(0xD8),
            "-DCTX_EFER=0x%x" % q(0xE0)]


def fill(areas, params, ram_mib, cmdline):
    """What a loader writes: QEMU PC RAM (below 640 KiB, then 1 MiB up), the command line, 1 vCPU."""
    if 0x30C in params:
        idx, off = params[0x30C]
        mm = struct.pack("<QQHHI", 0, 0x9F, 0, 0, 0)
        mm += struct.pack("<QQHHI", 0x100, (ram_mib << 8) - 0x100, 0, 0, 0)
        areas[idx][off:off + len(mm)] = mm
    if 0x30E in params:
        idx, off = params[0x30E]
        c = cmdline.encode() + b"\0"
        areas[idx][off:off + len(c)] = c
    if 0x307 in params:
        idx, off = params[0x307]
        areas[idx][off:off + 4] = struct.pack("<I", 1)


if __name__ == "__main__":
    main()
