# core/crypto: Mantle's crypto interface (crypto_*) over BearSSL.
#
# BearSSL comes from Debian's source package (tools/fetch-bearssl.sh pins the version) and is built
# three times: per image arch with the image's freestanding flags, and once for host tests and tools.
# Only core/crypto/*.c include its headers (BEARSSL_INC).

BEARSSL_SRC := $(BUILD)/bearssl-src
BEARSSL_STAMP := $(BEARSSL_SRC)/.mantle-version
# src/ holds BearSSL's internal inner.h, which only core/crypto/rsa_key.c includes (for its i31
# big-integer functions); it is on the path wherever core/crypto is compiled, so every build of
# core/crypto (image, unit tests, tools, fuzzers) finds it.
BEARSSL_INC := -I$(BEARSSL_SRC)/inc -I$(BEARSSL_SRC)/src
# Options shared by every BearSSL build: no OS entropy or time sources; AES-NI, SSE2 and POWER8
# paths off so the code stays general-register only. RDRAND stays on (x86 only, by BearSSL's own test).
BEARSSL_DEFS := -DBR_USE_URANDOM=0 -DBR_USE_GETENTROPY=0 -DBR_USE_WIN32_RAND=0 -DBR_USE_UNIX_TIME=0 \
	-DBR_USE_WIN32_TIME=0 -DBR_AES_X86NI=0 -DBR_SSE2=0 -DBR_POWER8=0
BEARSSL_IMAGE_DEFS := $(BEARSSL_DEFS) $(if $(filter x86_64,$(ARCH)),-DBR_RDRAND=1,-DBR_RDRAND=0)
BEARSSL_IMAGE_LIB := $(O)/bearssl/libbearssl.a
BEARSSL_HOST_LIB := $(H)/bearssl/libbearssl.a

CRYPTO_SRCS := $(sort $(wildcard core/crypto/*.c))

IMAGE_SRCS += $(CRYPTO_SRCS)
IMAGE_LIBS += $(BEARSSL_IMAGE_LIB)
# Mantle's own objects that include BearSSL headers (core/crypto only) need its include directory;
# -I is harmless elsewhere and the rule that only core/crypto includes them is checked by review.
IMAGE_CFLAGS_EXTRA += $(BEARSSL_INC)

$(BEARSSL_STAMP): tools/fetch-bearssl.sh
	$(Q)tools/fetch-bearssl.sh $(BEARSSL_SRC)
	@touch $@

# Third-party code: warnings are not errors there, and the image's -Werror is dropped.
$(BEARSSL_IMAGE_LIB): $(BEARSSL_STAMP) FORCE
	$(Q)$(MAKE) --no-print-directory -f core/crypto/bearssl.mk SRC=$(BEARSSL_SRC) OUT=$(@D) \
		BR_CC='$(CC)' BR_AR='$(if $(filter aarch64,$(ARCH)),aarch64-linux-gnu-ar,ar)' \
		BR_CFLAGS='-Icore/crypto/shim $(filter-out -Werror -Wall -Wextra,$(IMAGE_CFLAGS_COMMON)) $(ARCH_CFLAGS) -w $(BEARSSL_IMAGE_DEFS)'

$(BEARSSL_HOST_LIB): $(BEARSSL_STAMP) FORCE
	$(Q)$(MAKE) --no-print-directory -f core/crypto/bearssl.mk SRC=$(BEARSSL_SRC) OUT=$(@D) \
		BR_CC='$(HOST_CC)' BR_AR=ar BR_CFLAGS='-O2 -g -w -fPIC $(BEARSSL_DEFS)'

# rsa_key.c includes BearSSL's inner.h: in the image it sees the BR_* settings the archive was built with.
$(O)/core/crypto/rsa_key.o: IMAGE_CFLAGS += $(BEARSSL_IMAGE_DEFS)

# Host pieces other modules' tests and tools link: crypto sources + the host BearSSL.
CRYPTO_HOST_SRCS := $(CRYPTO_SRCS) $(BEARSSL_HOST_LIB)
CRYPTO_HOST_CFLAGS := $(BEARSSL_INC) $(BEARSSL_DEFS)

UNIT_TESTS += $(if $(wildcard tests/unit/test_crypto.c),test_crypto)
test_crypto_SRCS := tests/unit/test_crypto.c tests/unit/crypto_test_util.c $(CRYPTO_HOST_SRCS)
test_crypto_CFLAGS := $(CRYPTO_HOST_CFLAGS)
test_crypto_LIBS := -lcrypto

# core/crypto's image objects include BearSSL headers: the tree must be fetched first.
$(patsubst %.c,$(O)/%.o,$(CRYPTO_SRCS)): | $(BEARSSL_STAMP)

UNIT_TESTS += $(if $(wildcard tests/unit/test_crypto_ecc.c),test_crypto_ecc)
test_crypto_ecc_SRCS := tests/unit/test_crypto_ecc.c tests/unit/crypto_test_util.c $(CRYPTO_HOST_SRCS)
test_crypto_ecc_CFLAGS := $(CRYPTO_HOST_CFLAGS)
test_crypto_ecc_LIBS := -lcrypto

# RSA: published PKCS #1 vectors from Debian's python3-cryptography-vectors, read at run time.
RSA_VECTORS_DIR := /usr/lib/python3/dist-packages/cryptography_vectors/asymmetric/RSA
UNIT_TESTS += $(if $(wildcard tests/unit/test_crypto_rsa.c),test_crypto_rsa)
test_crypto_rsa_SRCS := tests/unit/test_crypto_rsa.c tests/unit/crypto_test_util.c $(CRYPTO_HOST_SRCS)
test_crypto_rsa_CFLAGS := $(CRYPTO_HOST_CFLAGS)
test_crypto_rsa_LIBS := -lcrypto
UNIT_TESTS += $(if $(wildcard tests/unit/test_crypto_rsa_vectors.c),test_crypto_rsa_vectors)
test_crypto_rsa_vectors_SRCS := tests/unit/test_crypto_rsa_vectors.c $(CRYPTO_HOST_SRCS)
test_crypto_rsa_vectors_CFLAGS := $(CRYPTO_HOST_CFLAGS) -DRSA_VECTORS_DIR='"$(RSA_VECTORS_DIR)"'
test_crypto_rsa_vectors_LIBS := -lcrypto
