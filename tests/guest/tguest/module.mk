# tguest: the purpose-built test guest (docs/test-guest.md), a flat binary that looks like a bzImage so
# Mantle's Linux loader boots it. Built with the host's x86_64 gcc/binutils, freestanding, no libc.
# Included from the top-level Makefile after the generic module.mk fragments (it uses MKBUNDLE).
TGUEST_SRC := tests/guest/tguest
TGUEST_ELF := $(BUILD)/guest/tguest.elf
TGUEST_BIN := $(BUILD)/guest/tguest.bin
TGUEST_SRCS := $(TGUEST_SRC)/header.S $(TGUEST_SRC)/entry.S $(TGUEST_SRC)/lib.c $(TGUEST_SRC)/main.c
TGUEST_CFLAGS := -m64 -std=gnu11 -O2 -g -ffreestanding -fno-builtin -nostdlib -fno-stack-protector \
	-fno-pic -fno-pie -no-pie -static -mno-red-zone -mgeneral-regs-only -fno-asynchronous-unwind-tables \
	-fcf-protection=none -Wall -Wextra -Werror -Wvla -I$(TGUEST_SRC)
TGUEST_LDFLAGS := -Wl,-T,$(TGUEST_SRC)/tguest.ld -Wl,--build-id=none -Wl,-z,noexecstack \
	-Wl,--no-warn-rwx-segments -Wl,-Map,$(BUILD)/guest/tguest.map

$(TGUEST_ELF): $(TGUEST_SRCS) $(TGUEST_SRC)/tguest.h $(TGUEST_SRC)/tguest.ld $(TGUEST_SRC)/module.mk
	@mkdir -p $(@D)
	@echo "  HOSTCC  $@ (freestanding test guest)"
	$(Q)$(HOST_CC) $(TGUEST_CFLAGS) $(TGUEST_SRCS) -o $@ $(TGUEST_LDFLAGS)

$(TGUEST_BIN): $(TGUEST_ELF)
	@echo "  OBJCOPY $@"
	$(Q)objcopy -O binary -j .setup -j .text -j .low $< $@

.PHONY: tguest tguest-test tguest-bench
tguest: $(TGUEST_BIN)
ifeq ($(ARCH),x86_64)
tguest-test: image $(MKBUNDLE) $(TGUEST_BIN)
	$(Q)tests/qemu/guest-tguest.sh $(IMAGE) $(TGUEST_BIN)
tguest-bench: image $(MKBUNDLE) $(TGUEST_BIN)
	$(Q)tests/bench/tguest-exits.sh $(IMAGE) $(TGUEST_BIN)
else
tguest-test tguest-bench:
	@echo "$@: only x86_64 runs guests today"
endif

HELP_TARGETS += tguest tguest-test tguest-bench
tguest_HELP := build the freestanding test guest (build/guest/tguest.bin)
tguest-test_HELP := x86_64: boot tguest behind Mantle; real- and long-mode checks of CPUID, MSR, IO, MMIO, HLT, UD faults
tguest-bench_HELP := x86_64: CPUID exits per second Mantle handles in the tguest bench loop (TCG)
