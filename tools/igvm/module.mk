# IGVM (issue 8, docs/igvm.md): igvmgen and igvmdump (host tools), the measurement code, the IGVM boot
# path (boot/igvm.c with arch/x86_64/igvm_*), `make measure`, unit tests, the script checks and a fuzzer.

IGVM_FILE := $(BUILD)/x86_64/mantle.igvm
IGVM_HDRS := boot/igvm_defs.h boot/igvm_layout.h boot/igvm.h $(wildcard tools/igvm/*.h)
IGVM_LIBS := -lz
IGVMGEN_SRCS := tools/igvm/igvmgen.c tools/igvm/igvm_writer.c tools/igvm/igvm_file.c tools/igvm/igvm_measure.c \
	tools/igvm/igvm_idblock.c $(CRYPTO_HOST_SRCS)
IGVMDUMP_SRCS := tools/igvm/igvmdump.c tools/igvm/igvm_file.c tools/igvm/igvm_measure.c $(CRYPTO_HOST_SRCS)

# boot/igvm*.c join the x86_64 image through arch/x86_64/arch.mk (ARCH_SRCS += $(wildcard boot/igvm*.c)).

HOST_TOOLS += $(H)/igvmgen $(H)/igvmdump
# Plain `make` (ARCH=x86_64) also wraps the image into the IGVM file.
HOST_TOOLS += $(if $(filter x86_64,$(ARCH)),$(IGVM_FILE))

$(H)/igvmgen: $(IGVMGEN_SRCS) $(IGVM_HDRS) arch/x86_64/layout.h
	@mkdir -p $(@D)
	@echo "  HOSTCC  $@"
	$(Q)$(HOST_CC) $(HOST_CFLAGS) $(CRYPTO_HOST_CFLAGS) $(filter %.c %.a,$(IGVMGEN_SRCS)) -o $@ $(HOST_LDFLAGS) $(IGVM_LIBS) -lcrypto

$(H)/igvmdump: $(IGVMDUMP_SRCS) $(IGVM_HDRS)
	@mkdir -p $(@D)
	@echo "  HOSTCC  $@"
	$(Q)$(HOST_CC) $(HOST_CFLAGS) $(CRYPTO_HOST_CFLAGS) $(filter %.c %.a,$(IGVMDUMP_SRCS)) -o $@ $(HOST_LDFLAGS) $(IGVM_LIBS)

# IGVM_CMDLINE='...' puts a measured command line in the file; IGVM_BUNDLE=path adds a guest bundle;
# IGVM_SNP_ID_KEY=key.pem (ECDSA P-384) adds a signed SNP ID block (IGVM_SNP_ID_KVM=1: KVM's digest).
IGVM_CMDLINE ?=
IGVM_BUNDLE ?=
IGVM_SNP_ID_KEY ?=
IGVM_SNP_ID_KVM ?=
IGVMGEN_FLAGS := $(if $(IGVM_CMDLINE),--cmdline '$(IGVM_CMDLINE)') $(if $(IGVM_BUNDLE),--bundle $(IGVM_BUNDLE)) \
	$(if $(IGVM_SNP_ID_KEY),--snp-id-key $(IGVM_SNP_ID_KEY) $(if $(IGVM_SNP_ID_KVM),--snp-id-kvm))

ifeq ($(ARCH),x86_64)
$(IGVM_FILE): $(O)/mantle.elf $(H)/igvmgen $(IGVM_BUNDLE) $(IGVM_SNP_ID_KEY)
	@echo "  IGVM    $@"
	$(Q)$(H)/igvmgen $(IGVMGEN_FLAGS) -o $@.tmp $< && mv $@.tmp $@

measure: $(IGVM_FILE) $(H)/igvmdump
	$(Q)$(H)/igvmdump --measure $(IGVM_FILE)
else
measure:
	$(Q)$(MAKE) --no-print-directory ARCH=x86_64 measure
endif

# Script checks: independent Python re-computation of the digests (with the reference's known-answer
# vectors), igvmdump round trip against the ELF, hostile files, a reproducibility rebuild, and a 5 s
# libFuzzer smoke run.
igvm-test: $(H)/igvmgen $(H)/igvmdump
	$(Q)$(MAKE) --no-print-directory ARCH=x86_64 $(IGVM_FILE)
	$(Q)tests/igvm/run.sh $(BUILD)/x86_64/mantle.elf $(IGVM_FILE) $(H)
	$(Q)$(MAKE) --no-print-directory igvm-fuzz IGVM_FUZZ_SECONDS=5 >$(H)/fuzz_igvm.log 2>&1 || \
		{ tail -40 $(H)/fuzz_igvm.log; echo "igvm: FAIL fuzz smoke"; exit 1; }
	$(Q)sed -n 's/^Done/igvm: ok   fuzz smoke: done/p' $(H)/fuzz_igvm.log

# Boots the IGVM file under QEMU 7.2 through a minimal test loader (tests/igvm/qemu_load.py): the TDX
# reset-state path and the native VP context, a bundle, plus a hostile memory map. No TEE: see
# docs/igvm.md. IGVM_LINUX=1 adds Debian's kernel in the bundle (needs `make guest`).
IGVM_LINUX ?= 0
igvm-qemu: $(H)/igvmgen
	$(Q)$(MAKE) --no-print-directory ARCH=x86_64 image
	$(Q)$(if $(filter 1,$(IGVM_LINUX)),$(MAKE) --no-print-directory $(H)/mkbundle >/dev/null 2>&1 || echo "igvm-qemu: no mkbundle")
	$(Q)IGVM_LINUX=$(IGVM_LINUX) QEMU_TIMEOUT=$(QEMU_TIMEOUT) tests/igvm/qemu.sh $(BUILD)/x86_64/mantle.elf $(H)

igvm-bench: $(H)/igvmdump
	$(Q)$(MAKE) --no-print-directory ARCH=x86_64 $(IGVM_FILE)
	$(Q)tests/igvm/bench.sh $(IGVM_FILE) $(H)

# libFuzzer over the file reader and the boot-time parameter parser (clang; no cmocka).
IGVM_FUZZ_SRCS := tests/igvm/fuzz_igvm.c tools/igvm/igvm_file.c boot/igvm.c core/memmap.c core/tee.c
$(H)/fuzz_igvm: $(IGVM_FUZZ_SRCS) $(IGVM_HDRS)
	@mkdir -p $(@D)
	@echo "  FUZZ    $@"
	$(Q)clang -std=gnu11 -g -O1 -I. -DMANTLE_HOST=1 -fsanitize=fuzzer,address,undefined $(IGVM_FUZZ_SRCS) -o $@ $(IGVM_LIBS)

IGVM_FUZZ_SECONDS ?= 300
igvm-fuzz: $(H)/fuzz_igvm
	$(Q)python3 tests/igvm/seeds.py $(H)/fuzz_igvm_seeds
	$(Q)mkdir -p $(H)/fuzz_igvm_corpus
	$(Q)$(H)/fuzz_igvm -max_total_time=$(IGVM_FUZZ_SECONDS) -max_len=65536 $(H)/fuzz_igvm_corpus $(H)/fuzz_igvm_seeds

.PHONY: measure igvm-test igvm-qemu igvm-bench igvm-fuzz
TEST_TARGETS += igvm-test igvm-qemu
BENCH_TARGETS += igvm-bench
FUZZ_TARGETS += igvm-fuzz
HELP_TARGETS += measure igvm-test igvm-qemu igvm-fuzz
measure_HELP := print the launch measurements of the IGVM file (SNP, SNP under KVM, TDX MRTD, VBS, file SHA-256)
igvm-test_HELP := IGVM checks: Python re-computation + known answers, igvmdump round trip, hostile files, reproducibility
igvm-qemu_HELP := boot the IGVM file under QEMU through a test loader (TDX reset state and native VP context)
igvm-fuzz_HELP := libFuzzer on the IGVM reader and boot parameter parser (IGVM_FUZZ_SECONDS, default 300)

# Unit tests (cmocka).
UNIT_TESTS += test_igvm_boot test_igvm_file
test_igvm_boot_SRCS := tests/unit/test_igvm_boot.c boot/igvm.c core/memmap.c core/tee.c
test_igvm_file_SRCS := tests/unit/test_igvm_file.c tools/igvm/igvm_file.c tools/igvm/igvm_writer.c \
	tools/igvm/igvm_measure.c $(CRYPTO_HOST_SRCS)
test_igvm_file_CFLAGS := $(CRYPTO_HOST_CFLAGS)
test_igvm_file_LIBS := $(IGVM_LIBS)
