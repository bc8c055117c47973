# vtpm: the TPM 2.0 command engine. Pure C over core/crypto; built into the image, the host unit
# tests, tools/vtpm-sim and the fuzz target.
VTPM_SRCS := $(sort $(wildcard vtpm/*.c))
IMAGE_SRCS += $(VTPM_SRCS)

# Host build of the engine + crypto for tests and tools.
VTPM_HOST_SRCS := $(VTPM_SRCS) $(CRYPTO_HOST_SRCS)
VTPM_HOST_CFLAGS := $(CRYPTO_HOST_CFLAGS)

UNIT_TESTS += $(if $(wildcard tests/unit/test_vtpm.c),test_vtpm)
test_vtpm_SRCS := tests/unit/test_vtpm.c tests/unit/vtpm_engine_util.c tests/unit/vtpm_harness.c $(VTPM_HOST_SRCS)
test_vtpm_CFLAGS := $(VTPM_HOST_CFLAGS)
test_vtpm_LIBS := -lcrypto

UNIT_TESTS += $(if $(wildcard tests/unit/test_vtpm_sessions.c),test_vtpm_sessions)
test_vtpm_sessions_SRCS := tests/unit/test_vtpm_sessions.c tests/unit/vtpm_engine_util.c tests/unit/vtpm_harness.c \
	$(VTPM_HOST_SRCS)
test_vtpm_sessions_CFLAGS := $(VTPM_HOST_CFLAGS)
test_vtpm_sessions_LIBS := -lcrypto

UNIT_TESTS += $(if $(wildcard tests/unit/test_vtpm_ecc.c),test_vtpm_ecc)
test_vtpm_ecc_SRCS := tests/unit/test_vtpm_ecc.c tests/unit/crypto_test_util.c tests/unit/vtpm_harness.c $(VTPM_HOST_SRCS)
test_vtpm_ecc_CFLAGS := $(VTPM_HOST_CFLAGS)
test_vtpm_ecc_LIBS := -lcrypto

UNIT_TESTS += $(if $(wildcard tests/unit/test_vtpm_policy.c),test_vtpm_policy)
test_vtpm_policy_SRCS := tests/unit/test_vtpm_policy.c tests/unit/vtpm_policy_util.c tests/unit/vtpm_harness.c \
	$(VTPM_HOST_SRCS)
test_vtpm_policy_CFLAGS := $(VTPM_HOST_CFLAGS)
test_vtpm_policy_LIBS := -lcrypto

UNIT_TESTS += $(if $(wildcard tests/unit/test_vtpm_policy_auth.c),test_vtpm_policy_auth)
test_vtpm_policy_auth_SRCS := tests/unit/test_vtpm_policy_auth.c tests/unit/vtpm_policy_util.c \
	tests/unit/vtpm_harness.c $(VTPM_HOST_SRCS)
test_vtpm_policy_auth_CFLAGS := $(VTPM_HOST_CFLAGS)
test_vtpm_policy_auth_LIBS := -lcrypto

UNIT_TESTS += $(if $(wildcard tests/unit/test_vtpm_salt.c),test_vtpm_salt)
test_vtpm_salt_SRCS := tests/unit/test_vtpm_salt.c tests/unit/vtpm_harness.c $(VTPM_HOST_SRCS)
test_vtpm_salt_CFLAGS := $(VTPM_HOST_CFLAGS)
test_vtpm_salt_LIBS := -lcrypto

UNIT_TESTS += $(if $(wildcard tests/unit/test_vtpm_objects.c),test_vtpm_objects)
test_vtpm_objects_SRCS := tests/unit/test_vtpm_objects.c tests/unit/vtpm_objects_util.c tests/unit/vtpm_harness.c \
	$(VTPM_HOST_SRCS)
test_vtpm_objects_CFLAGS := $(VTPM_HOST_CFLAGS)
test_vtpm_objects_LIBS := -lcrypto

UNIT_TESTS += $(if $(wildcard tests/unit/test_vtpm_keys.c),test_vtpm_keys)
test_vtpm_keys_SRCS := tests/unit/test_vtpm_keys.c tests/unit/vtpm_objects_util.c tests/unit/vtpm_harness.c $(VTPM_HOST_SRCS)
test_vtpm_keys_CFLAGS := $(VTPM_HOST_CFLAGS)
test_vtpm_keys_LIBS := -lcrypto

UNIT_TESTS += $(if $(wildcard tests/unit/test_vtpm_cred.c),test_vtpm_cred)
test_vtpm_cred_SRCS := tests/unit/test_vtpm_cred.c tests/unit/vtpm_cred_util.c tests/unit/vtpm_objects_util.c \
	tests/unit/vtpm_harness.c $(VTPM_HOST_SRCS)
test_vtpm_cred_CFLAGS := $(VTPM_HOST_CFLAGS)
test_vtpm_cred_LIBS := -lcrypto

UNIT_TESTS += $(if $(wildcard tests/unit/test_vtpm_dup.c),test_vtpm_dup)
test_vtpm_dup_SRCS := tests/unit/test_vtpm_dup.c tests/unit/vtpm_cred_util.c tests/unit/vtpm_objects_util.c \
	tests/unit/vtpm_harness.c $(VTPM_HOST_SRCS)
test_vtpm_dup_CFLAGS := $(VTPM_HOST_CFLAGS)
test_vtpm_dup_LIBS := -lcrypto

# attestation and ECDH commands (issue 6, attest part)
UNIT_TESTS += $(if $(wildcard tests/unit/test_vtpm_attest.c),test_vtpm_attest)
test_vtpm_attest_SRCS := tests/unit/test_vtpm_attest.c tests/unit/vtpm_objects_util.c tests/unit/vtpm_harness.c \
	$(VTPM_HOST_SRCS)
test_vtpm_attest_CFLAGS := $(VTPM_HOST_CFLAGS)
test_vtpm_attest_LIBS := -lcrypto

UNIT_TESTS += $(if $(wildcard tests/unit/test_vtpm_ecdh.c),test_vtpm_ecdh)
test_vtpm_ecdh_SRCS := tests/unit/test_vtpm_ecdh.c tests/unit/vtpm_objects_util.c tests/unit/vtpm_harness.c \
	$(VTPM_HOST_SRCS)
test_vtpm_ecdh_CFLAGS := $(VTPM_HOST_CFLAGS)
test_vtpm_ecdh_LIBS := -lcrypto
