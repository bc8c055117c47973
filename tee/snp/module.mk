# tee/snp: the SEV-SNP backend (Mantle at VMPL0, the guest at a lower VMPL). docs/tee-snp.md.
SNP_SRCS := $(sort $(wildcard tee/snp/*.c))
IMAGE_SRCS_x86_64 += $(SNP_SRCS)

# Host tests run the same sources against the simulated platform in tests/sim/snp*.c (which
# implements arch/x86_64/hw.h's primitives) with OpenSSL as the independent PSP/VCEK side.
SNP_SIM_SRCS := $(filter-out tests/sim/snp_fuzz.c,$(sort $(wildcard tests/sim/snp*.c)))
SNP_TEST_SRCS := $(SNP_SRCS) tee/svm_exit.c core/tee.c $(SNP_SIM_SRCS) $(CRYPTO_HOST_SRCS) core/panic.c core/console.c \
	core/fmt.c tests/unit/support.c

UNIT_TESTS += $(if $(wildcard tests/unit/test_snp_mem.c),test_snp_mem)
test_snp_mem_SRCS := tests/unit/test_snp_mem.c $(SNP_TEST_SRCS)
test_snp_mem_CFLAGS := $(CRYPTO_HOST_CFLAGS)
test_snp_mem_LIBS := -lcrypto

UNIT_TESTS += $(if $(wildcard tests/unit/test_snp_ghcb.c),test_snp_ghcb)
test_snp_ghcb_SRCS := tests/unit/test_snp_ghcb.c $(SNP_TEST_SRCS)
test_snp_ghcb_CFLAGS := $(CRYPTO_HOST_CFLAGS)
test_snp_ghcb_LIBS := -lcrypto

UNIT_TESTS += $(if $(wildcard tests/unit/test_snp_greq.c),test_snp_greq)
test_snp_greq_SRCS := tests/unit/test_snp_greq.c $(SNP_TEST_SRCS)
test_snp_greq_CFLAGS := $(CRYPTO_HOST_CFLAGS)
test_snp_greq_LIBS := -lcrypto

# Mantle's own #VC/#HV through the arch's vector hook (modelled by tests/sim).
UNIT_TESTS += $(if $(wildcard tests/unit/test_snp_vc.c),test_snp_vc)
test_snp_vc_SRCS := tests/unit/test_snp_vc.c $(SNP_TEST_SRCS) core/x86/cpuid.c core/x86/msr.c core/bus.c
test_snp_vc_CFLAGS := $(CRYPTO_HOST_CFLAGS)
test_snp_vc_LIBS := -lcrypto

# core/tee.h's confidential services (mem_accept, mem_set_shared, attest, derive_key) and the absent ones.
UNIT_TESTS += $(if $(wildcard tests/unit/test_snp_tee.c),test_snp_tee)
test_snp_tee_SRCS := tests/unit/test_snp_tee.c $(SNP_TEST_SRCS)
test_snp_tee_CFLAGS := $(CRYPTO_HOST_CFLAGS)
test_snp_tee_LIBS := -lcrypto

# 2 MiB pages: PSMASH on converting a 4 KiB page inside a 2 MiB entry, lying hosts.
UNIT_TESTS += $(if $(wildcard tests/unit/test_snp_psmash.c),test_snp_psmash)
test_snp_psmash_SRCS := tests/unit/test_snp_psmash.c $(SNP_TEST_SRCS)
test_snp_psmash_CFLAGS := $(CRYPTO_HOST_CFLAGS)
test_snp_psmash_LIBS := -lcrypto

# Application processors: AP Creation create/destroy, a guest-started AP that runs.
UNIT_TESTS += $(if $(wildcard tests/unit/test_snp_ap.c),test_snp_ap)
test_snp_ap_SRCS := tests/unit/test_snp_ap.c $(SNP_TEST_SRCS)
test_snp_ap_CFLAGS := $(CRYPTO_HOST_CFLAGS)
test_snp_ap_LIBS := -lcrypto

# Extended guest requests: the certificate table parser and the exchange with lying hosts.
UNIT_TESTS += $(if $(wildcard tests/unit/test_snp_certs.c),test_snp_certs)
test_snp_certs_SRCS := tests/unit/test_snp_certs.c $(SNP_TEST_SRCS)
test_snp_certs_CFLAGS := $(CRYPTO_HOST_CFLAGS)
test_snp_certs_LIBS := -lcrypto

# The launch path: the arch's early hook (#VC before the first CPUID, deferred port I/O), vTOM shared
# aliases, Mantle's pool and spare pages validated before use, each exactly once.
UNIT_TESTS += $(if $(wildcard tests/unit/test_snp_boot.c),test_snp_boot)
test_snp_boot_SRCS := tests/unit/test_snp_boot.c $(SNP_TEST_SRCS)
test_snp_boot_CFLAGS := $(CRYPTO_HOST_CFLAGS)
test_snp_boot_LIBS := -lcrypto

# The whole backend with the core's CPUID/MSR policy (core/x86/cpuid.c, msr.c) answering the guest.
UNIT_TESTS += $(if $(wildcard tests/unit/test_snp_run.c),test_snp_run)
test_snp_run_SRCS := tests/unit/test_snp_run.c $(SNP_TEST_SRCS) core/x86/cpuid.c core/x86/msr.c core/bus.c
test_snp_run_CFLAGS := $(CRYPTO_HOST_CFLAGS)
test_snp_run_LIBS := -lcrypto

# libFuzzer over every host-supplied answer (tests/sim/snp_fuzz.c): a short smoke in `make test`,
# SNP_FUZZ_S seconds (default 600) in `make fuzz`.
SNP_FUZZ := $(H)/fuzz/fuzz_snp
SNP_FUZZ_SMOKE_S ?= 20
SNP_FUZZ_S ?= 600
.PHONY: snp-fuzz-smoke snp-fuzz
TEST_TARGETS += snp-fuzz-smoke
FUZZ_TARGETS += snp-fuzz
HELP_TARGETS += snp-fuzz
snp-fuzz_HELP := fuzz tee/snp's parsing of host answers (GHCB, PSC, MSR protocol, guest requests, doorbell) for SNP_FUZZ_S seconds

$(SNP_FUZZ): tests/sim/snp_fuzz.c $(SNP_SRCS) tee/svm_exit.c core/tee.c $(SNP_SIM_SRCS) $(wildcard tee/snp/*.h tests/sim/snp*.h) $(CRYPTO_SRCS) $(BEARSSL_HOST_LIB)
	@mkdir -p $(@D)
	@echo "  FUZZCC  $@"
	$(Q)clang -std=gnu11 -g -O1 -I. $(BEARSSL_INC) -DMANTLE_HOST=1 \
		-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
		tests/sim/snp_fuzz.c $(SNP_SRCS) tee/svm_exit.c core/tee.c $(SNP_SIM_SRCS) $(CRYPTO_SRCS) core/panic.c core/console.c \
		core/fmt.c tests/unit/support.c $(BEARSSL_HOST_LIB) -lcrypto -lcmocka -o $@

snp-fuzz-smoke: $(SNP_FUZZ)
	$(Q)mkdir -p $(H)/fuzz/snp-corpus
	$(Q)$(SNP_FUZZ) -max_total_time=$(SNP_FUZZ_SMOKE_S) -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
		$(H)/fuzz/snp-corpus 2>$(H)/fuzz/snp-smoke.log || { tail -40 $(H)/fuzz/snp-smoke.log; exit 1; }
	@grep -E '^stat::number_of_executed_units' $(H)/fuzz/snp-smoke.log | sed 's/^/  snp-fuzz-smoke /'

snp-fuzz: $(SNP_FUZZ)
	$(Q)mkdir -p $(H)/fuzz/snp-corpus $(H)/fuzz/snp-artifacts
	$(Q)$(SNP_FUZZ) -max_total_time=$(SNP_FUZZ_S) -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
		-artifact_prefix=$(H)/fuzz/snp-artifacts/ $(H)/fuzz/snp-corpus
