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
