# aarch64 image: a Linux arm64 Image (flat binary with the boot header), entered at EL2 by QEMU's
# `-kernel` on `-M virt,virtualization=on`. Linked at its load address (linker/aarch64.ld).
# This fragment sets variables; the top Makefile links $(O)/mantle.elf, and the rule below turns it
# into the flat $(IMAGE).
CC := aarch64-linux-gnu-gcc
OBJCOPY := aarch64-linux-gnu-objcopy
# No FP/SIMD in Mantle's own code; -mstrict-align because data accesses before the MMU is on are
# Device memory, where unaligned accesses fault; no outlined atomics (they would need libgcc's
# runtime LSE detection).
ARCH_CFLAGS := -march=armv8-a -mgeneral-regs-only -mstrict-align -mno-outline-atomics \
	-mcmodel=small -fno-asynchronous-unwind-tables -fno-unwind-tables
ARCH_SRCS := $(sort $(wildcard arch/aarch64/*.c))
ARCH_ASM := $(sort $(wildcard arch/aarch64/*.S))
LINKER_SCRIPT := linker/aarch64.ld
ARCH_LDFLAGS := -nostdlib -static -no-pie -Wl,--gc-sections -Wl,--build-id=none \
	-Wl,-z,max-page-size=4096 -Wl,-z,noexecstack -Wl,--no-warn-rwx-segments
IMAGE := $(O)/mantle.bin

$(IMAGE): $(O)/mantle.elf
	@echo "  OBJCOPY $@"
	$(Q)$(OBJCOPY) -O binary $< $@
