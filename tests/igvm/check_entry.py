#!/usr/bin/env python3
"""Checks the entry state in Mantle's IGVM file against the ELF's symbols (passed in from nm):
SNP VMSA, VBS registers and the native context start at igvm_start64 on the boot stack, and the TDX
reset-vector page jumps to igvm_start32; the VMSA's other fields hold the 64-bit entry state.
Usage: check_entry.py FILE.igvm START64 START32 X86_STACKS IGVM_GDT (hex)"""
import struct
import sys

b = open(sys.argv[1], "rb").read()
start64, start32, stacks, gdt = (int(x, 16) for x in sys.argv[2:6])
rsp = stacks + 5 * 4096  # STACK_TOP(STACK_BOOT), arch/x86_64/layout.h
pos, end, seen = 24, 24 + struct.unpack_from("<I", b, 12)[0], set()
while pos < end:
    t, length = struct.unpack_from("<II", b, pos)
    body = b[pos + 8:pos + 8 + length]
    if t == 0x304:
        gpa, mask, off = struct.unpack_from("<QII", body)
        if mask == 1:    # SNP VMSA: RIP 0x178, RSP 0x1D8 (APM Vol 2 App. B)
            q = lambda o: struct.unpack_from("<Q", b, off + o)[0]  # noqa: E731
            assert q(0x178) == start64 and q(0x1D8) == rsp
            # CS {selector, attrib, limit, base} at 0x10; the VMSA's 12-bit attributes: 64-bit code
            # is P|S|code|R|A = 0x9B plus L (bit 9) and G (bit 11).
            assert struct.unpack_from("<HHIQ", b, off + 0x10) == (0x08, 0xA9B, 0xFFFFFFFF, 0)
            assert struct.unpack_from("<HH", b, off + 0x20) == (0x10, 0xC93)  # SS: data, D/B and G
            assert struct.unpack_from("<HHIQ", b, off + 0x60)[2:] == (23, gdt)  # GDTR limit, base
            assert q(0xD0) == 0x1D00  # EFER: SVME | NXE | LMA | LME
            assert (q(0x158), q(0x150), q(0x148)) == (0x80010033, 0xFF0000, 0x20)  # CR0, CR3, CR4
            assert b[off + 0xCA] == 0 and q(0x3B0) == 0x3 and q(0x3C8) == 1 << 46  # VMPL0, SNP|vTOM

        elif mask == 8:  # native context: RSP 0x20, RIP 0x80
            assert struct.unpack_from("<Q", b, off + 0x80)[0] == start64
            assert struct.unpack_from("<Q", b, off + 0x20)[0] == rsp
        elif mask == 4:  # VBS registers: Hyper-V names RIP 0x20010, RSP 0x20004
            n = struct.unpack_from("<I", b, off)[0]
            regs = {struct.unpack_from("<I", b, off + 5 + 32 * i)[0]: struct.unpack_from("<Q", b, off + 20 + 32 * i)[0]
                    for i in range(n)}
            assert regs[0x20010] == start64 and regs[0x20004] == rsp
        seen.add(mask)
    if t == 0x302:
        gpa, mask, off = struct.unpack_from("<QII", body)
        if gpa == 0xFFFFF000:
            assert mask == 2 and b[off + 0xFF0] == 0xE9
            assert (0xFFFFFFF5 + struct.unpack_from("<i", b, off + 0xFF1)[0]) & 0xFFFFFFFF == start32
            seen.add(2)
    pos += 8 + ((length + 7) & ~7)
assert seen == {1, 2, 4, 8}, seen
