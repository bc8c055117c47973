# x86_64 image: an ELF with a PVH note, loaded by QEMU at its physical link address (see linker/x86_64.ld).
CC := gcc
ARCH_CFLAGS := -m64 -march=x86-64 -mno-red-zone -mgeneral-regs-only -mno-mmx -mno-sse -mno-sse2 \
	-mcmodel=small -fno-asynchronous-unwind-tables
ARCH_SRCS := $(sort $(wildcard arch/x86_64/*.c))
ARCH_ASM := $(sort $(wildcard arch/x86_64/*.S))
IMAGE := $(O)/mantle.elf
ARCH_LDFLAGS := -nostdlib -static -no-pie -Wl,--gc-sections -Wl,--build-id=none -Wl,-z,max-page-size=4096 \
	-Wl,-z,noexecstack -Wl,--no-warn-rwx-segments

image: $(IMAGE)

$(IMAGE): $(IMAGE_OBJS) $(IMAGE_LIBS) linker/x86_64.ld
	@echo "  LD      $@"
	$(Q)$(CC) $(ARCH_CFLAGS) $(ARCH_LDFLAGS) -Wl,-T,linker/x86_64.ld -Wl,-Map,$(O)/mantle.map \
		-o $@ $(IMAGE_OBJS) $(IMAGE_LIBS) -lgcc
