# tee/snp: the SEV-SNP backend (Mantle at VMPL0, the guest at a lower VMPL). docs/tee-snp.md.
SNP_SRCS := $(sort $(wildcard tee/snp/*.c))
IMAGE_SRCS_x86_64 += $(SNP_SRCS)

# Host tests run the same sources against the simulated platform in tests/sim/snp*.c (which
# implements arch/x86_64/hw.h's primitives) with OpenSSL as the independent PSP/VCEK side.
SNP_SIM_SRCS := $(sort $(wildcard tests/sim/snp*.c))
SNP_TEST_SRCS := $(SNP_SRCS) $(SNP_SIM_SRCS) $(CRYPTO_HOST_SRCS) core/panic.c core/console.c \
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

# The whole backend with the core's CPUID/MSR policy (core/x86/cpuid.c, msr.c) answering the guest.
UNIT_TESTS += $(if $(wildcard tests/unit/test_snp_run.c),test_snp_run)
test_snp_run_SRCS := tests/unit/test_snp_run.c $(SNP_TEST_SRCS) core/x86/cpuid.c core/x86/msr.c core/bus.c
test_snp_run_CFLAGS := $(CRYPTO_HOST_CFLAGS)
test_snp_run_LIBS := -lcrypto
