# Mantle top-level build.
#
# One image per architecture (ARCH=x86_64 default, ARCH=aarch64), host-side unit tests and tools.
# Modules outside core/ and arch/ plug in through a `module.mk` fragment next to their sources; the
# fragment appends to the variables documented in docs/build.md and never edits this file.

ARCH ?= x86_64
VERSION := 0.1.0

BUILD := build
O := $(BUILD)/$(ARCH)
H := $(BUILD)/host

Q ?= @
# Timeouts (seconds) for QEMU runs; TCG only, never KVM.
QEMU_TIMEOUT ?= 60

.DEFAULT_GOAL := all

# ---------------------------------------------------------------------------------------------------
# Variables that module.mk fragments extend.
IMAGE_SRCS :=               # C sources linked into every arch's image
IMAGE_SRCS_x86_64 :=        # ... into the x86_64 image only
IMAGE_SRCS_aarch64 :=       # ... into the aarch64 image only
IMAGE_ASM_x86_64 :=         # assembly (.S) linked into the x86_64 image
IMAGE_ASM_aarch64 :=        # ... into the aarch64 image
IMAGE_LIBS :=               # extra archives (per-arch paths) linked into the image
IMAGE_CFLAGS_EXTRA :=       # extra -I / -D for image objects
UNIT_TESTS :=               # names; each defines <name>_SRCS (and optional <name>_CFLAGS, <name>_LIBS)
TEST_TARGETS :=             # phony targets `make test` runs after the unit tests
BENCH_TARGETS :=            # phony targets `make bench` runs
FUZZ_TARGETS :=             # phony targets `make fuzz` runs (long runs)
HOST_TOOLS :=               # host programs `make` builds
HELP_TARGETS :=             # extra `make help` entries: each target T also sets T_HELP := description

# ---------------------------------------------------------------------------------------------------
# Host toolchain: unit tests and tools run under ASan+UBSan.
HOST_CC ?= gcc
HOST_CFLAGS := -std=gnu11 -Wall -Wextra -Werror -Wvla -g -O1 -I. -DMANTLE_HOST=1 \
	-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
HOST_LDFLAGS := -fsanitize=address,undefined
CMOCKA_LIBS := -lcmocka

# ---------------------------------------------------------------------------------------------------
# Image toolchain: freestanding, no libc, no floating point/SIMD in Mantle's own code.
IMAGE_CFLAGS_COMMON := -std=gnu11 -ffreestanding -fno-builtin -nostdlib -fno-stack-protector \
	-fno-pic -fno-pie -fno-common -ffunction-sections -fdata-sections \
	-Wall -Wextra -Werror -Wvla -Wno-unused-parameter -O2 -g -I. -I$(O)/gen -DMANTLE_IMAGE=1

include arch/$(ARCH)/arch.mk
-include $(sort $(wildcard */module.mk */*/module.mk))
# The freestanding test guest sits one level deeper than the wildcard reaches (it uses MKBUNDLE).
include tests/guest/tguest/module.mk
BENCH_TARGETS += tguest-bench

IMAGE_CFLAGS := $(IMAGE_CFLAGS_COMMON) $(ARCH_CFLAGS) $(IMAGE_CFLAGS_EXTRA)

CORE_SRCS := $(sort $(wildcard core/*.c))
ALL_IMAGE_SRCS := $(CORE_SRCS) $(ARCH_SRCS) $(IMAGE_SRCS) $(IMAGE_SRCS_$(ARCH))
IMAGE_OBJS := $(patsubst %.c,$(O)/%.o,$(ALL_IMAGE_SRCS)) \
	$(patsubst %.S,$(O)/%.o,$(ARCH_ASM) $(IMAGE_ASM_$(ARCH))) \
	$(O)/gen/version.o

# The revision string is regenerated on every build but only rewritten when it changes, so an
# unchanged tree does not relink.
GITREV := $(shell git rev-parse --short=12 HEAD 2>/dev/null || echo unknown)$(shell \
	git diff --quiet HEAD -- 2>/dev/null || echo -dirty)

# Every arch links $(O)/mantle.elf the same way; an arch whose IMAGE is something else (aarch64's
# mantle.bin) adds the conversion rule in its arch.mk.
$(O)/mantle.elf: $(IMAGE_OBJS) $(IMAGE_LIBS) $(LINKER_SCRIPT)
	@echo "  LD      $@"
	$(Q)$(CC) $(ARCH_CFLAGS) $(ARCH_LDFLAGS) -Wl,-T,$(LINKER_SCRIPT) -Wl,-Map,$(O)/mantle.map \
		-o $@ $(IMAGE_OBJS) $(IMAGE_LIBS) -lgcc

image: $(IMAGE)

$(O)/gen/version.c: FORCE
	@mkdir -p $(@D)
	@printf '#include "core/version.h"\nconst char mantle_version[] = "%s";\nconst char mantle_gitrev[] = "%s";\nconst char mantle_arch[] = "%s";\n' \
		'$(VERSION)' '$(GITREV)' '$(ARCH)' > $@.tmp
	@cmp -s $@.tmp $@ && rm -f $@.tmp || mv $@.tmp $@

$(O)/gen/%.o: $(O)/gen/%.c
	@echo "  CC      $<"
	$(Q)$(CC) $(IMAGE_CFLAGS) -MMD -MP -c $< -o $@

$(O)/%.o: %.c
	@mkdir -p $(@D)
	@echo "  CC      $<"
	$(Q)$(CC) $(IMAGE_CFLAGS) -MMD -MP -c $< -o $@

$(O)/%.o: %.S
	@mkdir -p $(@D)
	@echo "  AS      $<"
	$(Q)$(CC) $(IMAGE_CFLAGS) -D__ASSEMBLY__ -MMD -MP -c $< -o $@

# ---------------------------------------------------------------------------------------------------
# Host unit tests: build/host/tests/<name>, one binary per UNIT_TESTS entry.
HOST_TEST_BINS := $(addprefix $(H)/tests/,$(UNIT_TESTS))
# Each test binary is one compiler run over several sources, so per-file dependency output would keep
# only the last file's headers: every project header is a prerequisite instead (a header change
# rebuilds the tests, which is cheap next to missing a rebuild).
PROJECT_HEADERS := $(filter-out $(BUILD)/%,$(wildcard */*.h */*/*.h */*/*/*.h))

define unit_test_rule
$(H)/tests/$(1): $$($(1)_SRCS) $$(PROJECT_HEADERS) Makefile
	@mkdir -p $$(@D)
	@echo "  HOSTCC  $$@"
	$$(Q)$$(HOST_CC) $$(HOST_CFLAGS) $$($(1)_CFLAGS) $$($(1)_SRCS) -o $$@ $$(HOST_LDFLAGS) \
		$$($(1)_LIBS) $$(CMOCKA_LIBS)
endef
$(foreach t,$(UNIT_TESTS),$(eval $(call unit_test_rule,$(t))))

# ---------------------------------------------------------------------------------------------------
.PHONY: all image deps unit test test-qemu run bench fuzz clean help FORCE

all: image $(HOST_TOOLS)

deps:
	$(Q)tools/deps.sh

unit: $(HOST_TEST_BINS)
	$(Q)tools/run-unit.sh $(HOST_TEST_BINS)

# `make test` is the whole suite CI runs: host unit tests, module checks, both arches under QEMU.
test: deps
	$(Q)$(MAKE) --no-print-directory unit
	$(Q)$(if $(strip $(TEST_TARGETS)),$(MAKE) --no-print-directory $(TEST_TARGETS))
	$(Q)$(MAKE) --no-print-directory ARCH=x86_64 test-qemu
	$(Q)$(MAKE) --no-print-directory ARCH=aarch64 test-qemu

test-qemu: image
	$(Q)QEMU_TIMEOUT=$(QEMU_TIMEOUT) tests/qemu/run-all.sh $(ARCH) $(IMAGE)
ifeq ($(ARCH),x86_64)
	$(Q)$(MAKE) --no-print-directory $(MKBUNDLE) $(GUEST_KERNEL_DEFAULT) $(GUEST_INITRD_DEFAULT)
	$(Q)tests/qemu/guest-linux.sh $(IMAGE) $(GUEST_KERNEL_DEFAULT) $(GUEST_INITRD_DEFAULT)
	$(Q)tests/qemu/guest-reboot.sh $(IMAGE) $(GUEST_KERNEL_DEFAULT) $(GUEST_INITRD_DEFAULT)
	$(Q)$(MAKE) --no-print-directory $(GUEST_INITRD_TPM2)
	$(Q)tests/qemu/guest-tpm2tools.sh $(IMAGE) $(GUEST_KERNEL_DEFAULT) $(GUEST_INITRD_TPM2)
	$(Q)$(MAKE) --no-print-directory $(TGUEST_BIN)
	$(Q)tests/qemu/guest-tguest.sh $(IMAGE) $(TGUEST_BIN)
endif

# x86_64 boots a guest behind Mantle (Debian's kernel and a busybox shell unless GUEST_KERNEL,
# GUEST_INITRD and GUEST_APPEND name another); aarch64 boots Mantle alone until it runs guests.
GUEST_KERNEL ?= $(GUEST_KERNEL_DEFAULT)
GUEST_INITRD ?= $(GUEST_INITRD_DEFAULT)
GUEST_APPEND ?= console=ttyS0 quiet
GUEST_RUN_DEPS := $(filter $(GUEST_KERNEL_DEFAULT) $(GUEST_INITRD_DEFAULT),$(GUEST_KERNEL) $(GUEST_INITRD))

run: deps
ifeq ($(ARCH),x86_64)
	$(Q)$(MAKE) --no-print-directory image $(MKBUNDLE) $(GUEST_RUN_DEPS)
	$(Q)tools/mantle-run --kernel $(GUEST_KERNEL) $(if $(GUEST_INITRD),--initrd $(GUEST_INITRD)) \
		--append "$(GUEST_APPEND)" --mantle "$(RUN_ARGS)"
else
	$(Q)$(MAKE) --no-print-directory image
	$(Q)tools/run.sh $(ARCH) $(IMAGE) $(RUN_ARGS)
endif

bench: deps
	$(Q)$(if $(strip $(BENCH_TARGETS)),$(MAKE) --no-print-directory $(BENCH_TARGETS),echo "no benchmarks registered")

fuzz: deps
	$(Q)$(if $(strip $(FUZZ_TARGETS)),$(MAKE) --no-print-directory $(FUZZ_TARGETS),echo "no fuzz targets registered")

clean:
	rm -rf $(BUILD)

help:
	@echo "Mantle $(VERSION) — targets (ARCH=x86_64|aarch64, default x86_64):"
	@echo "  make              build the image for ARCH ($(IMAGE)) and host tools"
	@echo "  make image        build only the image"
	@echo "  make run          x86_64: boot Debian's kernel to a busybox shell behind Mantle (GUEST_KERNEL=, GUEST_INITRD=,"
	@echo "                   GUEST_APPEND= boot your own); aarch64: boot Mantle alone. RUN_ARGS='...' is Mantle's command line"
	@echo "  make test         install missing Debian packages, run host unit tests, module checks and QEMU boots of both arches"
	@echo "  make unit         host unit tests only (cmocka, ASan+UBSan)"
	@echo "  make test-qemu    QEMU integration tests for ARCH"
	@echo "  make bench        benchmarks registered by modules"
	@echo "  make fuzz         long fuzz runs registered by modules"
	@echo "  make deps         install the Debian packages the build and tests need (as root)"
	@echo "  make clean        remove build/"
	@$(foreach t,$(HELP_TARGETS),printf '  make %-15s %s\n' '$(t)' '$(subst ','\'',$($(t)_HELP))';)

-include $(IMAGE_OBJS:.o=.d)
