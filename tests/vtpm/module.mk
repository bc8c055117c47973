# vTPM integration tests: tpm2-tools (TCTI mssim) against build/host/vtpm-sim.
.PHONY: vtpm-tpm2tools
TEST_TARGETS += vtpm-tpm2tools
HELP_TARGETS += vtpm-tpm2tools
vtpm-tpm2tools_HELP := tpm2-tools against build/host/vtpm-sim (PCRs, NV, sessions, contexts, power cycles, ECC and RSA keys, quote, EK, create/load/unseal, AES, HMAC, persistent keys, policy and encrypted sessions, credentials, duplicate/import, certify/certifycreation/gettime/nvcertify, ECDH, audit) + protocol/misbehaving-client tests

vtpm-tpm2tools: $(H)/vtpm-sim
	$(Q)tests/vtpm/tpm2tools.sh $(H)/vtpm-sim
	$(Q)tests/vtpm/tpm2tools_ecc.sh $(H)/vtpm-sim
	$(Q)tests/vtpm/tpm2tools_policy.sh $(H)/vtpm-sim
	$(Q)tests/vtpm/tpm2tools_keys.sh $(H)/vtpm-sim
	$(Q)tests/vtpm/tpm2tools_cred.sh $(H)/vtpm-sim
	$(Q)tests/vtpm/tpm2tools_attest.sh $(H)/vtpm-sim
	$(Q)tests/vtpm/simproto.sh $(H)/vtpm-sim

# libFuzzer target on vtpm_execute (clang), seeded with command streams recorded from the
# tpm2-tools tests (tools/vtpm-sim --record). `make test` runs a short smoke, `make fuzz` 10 minutes.
VTPM_FUZZ := $(H)/fuzz/fuzz_vtpm
VTPM_FUZZ_SMOKE_S ?= 20
VTPM_FUZZ_S ?= 600
.PHONY: vtpm-fuzz-smoke vtpm-fuzz
TEST_TARGETS += vtpm-fuzz-smoke
FUZZ_TARGETS += vtpm-fuzz
HELP_TARGETS += vtpm-fuzz
vtpm-fuzz_HELP := fuzz vtpm_execute for VTPM_FUZZ_S seconds (default 600) from tests/vtpm/seeds

$(VTPM_FUZZ): tests/vtpm/fuzz_vtpm.c $(wildcard vtpm/*.c vtpm/*.h core/crypto/*.c core/crypto/*.h) $(H)/bearssl/libbearssl.a
	@mkdir -p $(@D)
	@echo "  FUZZCC  $@"
	$(Q)clang -std=gnu11 -g -O1 -I. $(CRYPTO_HOST_CFLAGS) -DMANTLE_HOST=1 \
		-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
		tests/vtpm/fuzz_vtpm.c $(sort $(wildcard vtpm/*.c core/crypto/*.c)) $(H)/bearssl/libbearssl.a -o $@

vtpm-fuzz-smoke: $(VTPM_FUZZ)
	$(Q)mkdir -p $(H)/fuzz/corpus
	$(Q)$(VTPM_FUZZ) -max_total_time=$(VTPM_FUZZ_SMOKE_S) -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
		$(H)/fuzz/corpus tests/vtpm/seeds 2>$(H)/fuzz/smoke.log || { tail -40 $(H)/fuzz/smoke.log; exit 1; }
	@grep -E '^stat::number_of_executed_units|^stat::peak_rss_mb' $(H)/fuzz/smoke.log | sed 's/^/  vtpm-fuzz-smoke /'

vtpm-fuzz: $(VTPM_FUZZ)
	$(Q)mkdir -p $(H)/fuzz/corpus $(H)/fuzz/artifacts
	$(Q)$(VTPM_FUZZ) -max_total_time=$(VTPM_FUZZ_S) -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
		-artifact_prefix=$(H)/fuzz/artifacts/ $(H)/fuzz/corpus tests/vtpm/seeds

# Fuzz seeds for the policy commands, generated on the fuzz target's own platform so that session
# handles, nonces and signatures are those of the replay (tests/vtpm/seedgen_policy.c). The
# generated files are committed in tests/vtpm/seeds; rerun after changing the policy code.
VTPM_SEEDGEN := $(H)/vtpm-seedgen-policy
.PHONY: vtpm-policy-seeds
HELP_TARGETS += vtpm-policy-seeds
vtpm-policy-seeds_HELP := regenerate the policy fuzz seeds (tests/vtpm/seeds/policy-*)

$(VTPM_SEEDGEN): tests/vtpm/seedgen_policy.c tests/vtpm/seedgen.c tests/vtpm/seedgen.h $(wildcard vtpm/*.c vtpm/*.h core/crypto/*.c core/crypto/*.h) $(H)/bearssl/libbearssl.a
	@mkdir -p $(@D)
	@echo "  HOSTCC  $@"
	$(Q)$(HOST_CC) -std=gnu11 -Wall -Wextra -Werror -O1 -g -I. -Ibuild/bearssl-src/inc -DMANTLE_HOST=1 \
		tests/vtpm/seedgen_policy.c tests/vtpm/seedgen.c $(sort $(wildcard vtpm/*.c core/crypto/*.c)) $(H)/bearssl/libbearssl.a -o $@

vtpm-policy-seeds: $(VTPM_SEEDGEN)
	$(Q)$(VTPM_SEEDGEN) tests/vtpm/seeds

# make bench: vTPM per-command cost beside libtpms (same command bytes), SHA-256 MB/s beside OpenSSL.
VTPM_BENCH := $(H)/bench/bench_vtpm
VTPM_BENCH_N ?= 2000
.PHONY: vtpm-bench
BENCH_TARGETS += vtpm-bench
HELP_TARGETS += vtpm-bench
vtpm-bench_HELP := vTPM command cost vs libtpms and SHA-256 MB/s vs OpenSSL (VTPM_BENCH_N per round)

$(VTPM_BENCH): tests/vtpm/bench_vtpm.c $(wildcard vtpm/*.c vtpm/*.h core/crypto/*.c core/crypto/*.h) $(H)/bearssl/libbearssl.a
	@mkdir -p $(@D)
	@echo "  HOSTCC  $@"
	$(Q)$(HOST_CC) -std=gnu11 -Wall -Wextra -Werror -O2 -g -I. $(CRYPTO_HOST_CFLAGS) -DMANTLE_HOST=1 \
		tests/vtpm/bench_vtpm.c $(sort $(wildcard vtpm/*.c core/crypto/*.c)) $(H)/bearssl/libbearssl.a \
		-ltpms -lcrypto -o $@

vtpm-bench: $(VTPM_BENCH)
	$(Q)$(VTPM_BENCH) $(VTPM_BENCH_N)

# Fuzz seeds for credentials and duplication (tests/vtpm/seedgen_cred.c), generated like the policy
# seeds on the fuzz target's platform; committed as tests/vtpm/seeds/cred-*.
VTPM_SEEDGEN_CRED := $(H)/vtpm-seedgen-cred
.PHONY: vtpm-cred-seeds
HELP_TARGETS += vtpm-cred-seeds
vtpm-cred-seeds_HELP := regenerate the credential/duplication fuzz seeds (tests/vtpm/seeds/cred-*)

$(VTPM_SEEDGEN_CRED): tests/vtpm/seedgen_cred.c tests/vtpm/seedgen.c tests/vtpm/seedgen.h $(wildcard vtpm/*.c vtpm/*.h core/crypto/*.c core/crypto/*.h) $(H)/bearssl/libbearssl.a
	@mkdir -p $(@D)
	@echo "  HOSTCC  $@"
	$(Q)$(HOST_CC) -std=gnu11 -Wall -Wextra -Werror -O1 -g -I. -Ibuild/bearssl-src/inc -DMANTLE_HOST=1 \
		tests/vtpm/seedgen_cred.c tests/vtpm/seedgen.c $(sort $(wildcard vtpm/*.c core/crypto/*.c)) $(H)/bearssl/libbearssl.a -o $@

vtpm-cred-seeds: $(VTPM_SEEDGEN_CRED)
	$(Q)$(VTPM_SEEDGEN_CRED) tests/vtpm/seeds
