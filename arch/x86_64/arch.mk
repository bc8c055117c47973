# x86_64 image: an ELF with a PVH note, loaded by QEMU at its physical link address (see linker/x86_64.ld).
# This fragment sets variables only; the link rule for $(O)/mantle.elf is in the top Makefile, after
# every module has added its objects.
CC := gcc
ARCH_CFLAGS := -m64 -march=x86-64 -mno-red-zone -mgeneral-regs-only -mno-mmx -mno-sse -mno-sse2 \
	-mcmodel=small -fno-asynchronous-unwind-tables
ARCH_SRCS := $(sort $(wildcard arch/x86_64/*.c))
ARCH_ASM := $(sort $(wildcard arch/x86_64/*.S))
LINKER_SCRIPT := linker/x86_64.ld
ARCH_LDFLAGS := -nostdlib -static -no-pie -Wl,--gc-sections -Wl,--build-id=none -Wl,-z,max-page-size=4096 \
	-Wl,-z,noexecstack -Wl,--no-warn-rwx-segments
IMAGE := $(O)/mantle.elf

# Boot protocols in boot/ (shared with host tests): PVH to start Mantle; the guest bundle and the
# Linux x86 boot protocol to start an x86 guest.
ARCH_SRCS += boot/pvh.c boot/bundle.c boot/linux.c
# IGVM launch: the parameter-area parser (docs/igvm.md).
ARCH_SRCS += $(wildcard boot/igvm*.c)
