# Constant-time check of core/crypto (docs/crypto.md "Constant time"): tests/ct/ct_check.c, built
# without sanitizers (valgrind and ASan do not mix) at the image's -O2, with CRYPTO_CT_VALGRIND so the
# declassification points in core/crypto become valgrind client requests, then run under memcheck.
# Any branch or address that depends on a value marked secret fails the target; ct.supp lists the
# BearSSL paths that branch on secrets by design, with the reasons.
CT_OUT := $(H)/ct
CT_CHECK := $(CT_OUT)/ct_check

$(CT_CHECK): tests/ct/ct_check.c $(CRYPTO_SRCS) $(BEARSSL_HOST_LIB) $(PROJECT_HEADERS) tests/ct/module.mk
	@mkdir -p $(@D)
	@echo "  HOSTCC  $@"
	$(Q)$(HOST_CC) -std=gnu11 -O2 -g -Wall -Wextra -Werror -Wvla -I. -DMANTLE_HOST=1 -DCRYPTO_CT_VALGRIND \
		$(CRYPTO_HOST_CFLAGS) tests/ct/ct_check.c $(CRYPTO_SRCS) $(BEARSSL_HOST_LIB) -o $@

crypto-ct: $(CT_CHECK)
	$(Q)valgrind -q --error-exitcode=3 --track-origins=yes --suppressions=tests/ct/ct.supp $(CT_CHECK) \
		&& echo "crypto-ct: 1 passed, 0 failed" || { echo "crypto-ct: 0 passed, 1 failed"; exit 1; }

.PHONY: crypto-ct
TEST_TARGETS += crypto-ct
HELP_TARGETS += crypto-ct
crypto-ct_HELP := valgrind check that core/crypto's private-key paths do not branch or index on secrets

# make bench: core/crypto's public-key operations beside OpenSSL's (tests/ct/bench_crypto.c).
CRYPTO_BENCH := $(H)/bench/bench_crypto
$(CRYPTO_BENCH): tests/ct/bench_crypto.c $(CRYPTO_SRCS) $(BEARSSL_HOST_LIB) $(PROJECT_HEADERS) tests/ct/module.mk
	@mkdir -p $(@D)
	@echo "  HOSTCC  $@"
	$(Q)$(HOST_CC) -std=gnu11 -O2 -g -Wall -Wextra -Werror -Wvla -I. -DMANTLE_HOST=1 $(CRYPTO_HOST_CFLAGS) \
		tests/ct/bench_crypto.c $(CRYPTO_SRCS) $(BEARSSL_HOST_LIB) -lcrypto -o $@

crypto-bench: $(CRYPTO_BENCH)
	$(Q)$(CRYPTO_BENCH)

.PHONY: crypto-bench
BENCH_TARGETS += crypto-bench
HELP_TARGETS += crypto-bench
crypto-bench_HELP := RSA-2048 keygen, RSA/ECDSA sign and verify: core/crypto vs OpenSSL, per operation
