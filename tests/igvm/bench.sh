#!/usr/bin/env bash
# `make bench` (igvm-bench): size of the IGVM file, what each platform's loader adds (and measures) at
# launch, and the memory the image asks for. Usage: tests/igvm/bench.sh IGVM HOSTDIR
set -eu
igvm=$1 dump=$2/igvmdump
"$dump" "$igvm" | python3 -c '
import os, re, sys
size = os.path.getsize(sys.argv[1])
areas, pages, req = {}, {1: 0, 2: 0, 4: 0, 8: 0}, 0
for line in sys.stdin:
    f = dict(re.findall(r"(\w+)=(0x[0-9a-f]+|\d+)", line))
    g = {k: int(v, 0) for k, v in f.items()}
    if " PARAMETER_AREA " in line:
        areas[g["index"]] = g["bytes"] // 4096
    for bit in pages:
        if "mask" not in g or not g["mask"] & bit:
            continue
        if " PAGE_DATA " in line:
            pages[bit] += 1
        elif " PARAMETER_INSERT " in line:
            pages[bit] += areas[g["index"]]
        elif " VP_CONTEXT " in line and g["gpa"]:
            pages[bit] += 1
    if " REQUIRED_MEMORY " in line:
        req += g["bytes"]
print("igvm-bench: %-36s %9d bytes (%d KiB; target <= 1024 KiB)" % ("IGVM file", size, size // 1024))
for name, bit in (("SNP", 1), ("TDX", 2), ("VBS", 4), ("native", 8)):
    print("igvm-bench: %-36s %9d bytes (%d pages)" % ("pages added at launch, " + name, pages[bit] * 4096, pages[bit]))
print("igvm-bench: %-36s %9d bytes (%d MiB)" % ("REQUIRED_MEMORY", req, req >> 20))
' "$igvm"
