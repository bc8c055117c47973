#!/usr/bin/env python3
"""Writes fuzz seeds for tests/igvm/fuzz_igvm.c into the directory given: the reference example IGVM
file (ref A.15) and a well-formed boot region (command line, vp count, memory map pages)."""
import os
import struct
import sys

sys.path.insert(0, os.path.dirname(__file__))
import igvm_ref  # noqa: E402

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
open(os.path.join(out, "example.igvm"), "wb").write(igvm_ref.example_file())
cmdline = b"console=ttyS0".ljust(4096, b"\0")
vpcount = struct.pack("<I", 2).ljust(4096, b"\0")
memmap = struct.pack("<QQHHI", 0x100, 0x7F00, 0, 0, 0) + struct.pack("<QQHHI", 0x8000, 0x10, 1, 0, 0)
open(os.path.join(out, "boot-region.bin"), "wb").write(cmdline + vpcount + memmap.ljust(8192, b"\0"))
