# tools/vtpm-sim: the vTPM engine behind the MS TPM simulator protocol (build/host/vtpm-sim).
# Built without sanitizers and at -O2: it is what tpm2-tools and the benchmarks talk to.
VTPM_SIM := $(H)/vtpm-sim
HOST_TOOLS += $(VTPM_SIM)

$(VTPM_SIM): tools/vtpm-sim/main.c $(wildcard vtpm/*.c core/crypto/*.c) $(wildcard vtpm/*.h core/crypto/*.h) $(BEARSSL_HOST_LIB)
	@mkdir -p $(@D)
	@echo "  HOSTCC  $@"
	$(Q)$(HOST_CC) -std=gnu11 -Wall -Wextra -Werror -Wvla -O2 -g -I. -DMANTLE_HOST=1 $(CRYPTO_HOST_CFLAGS) \
		tools/vtpm-sim/main.c $(sort $(wildcard vtpm/*.c core/crypto/*.c)) $(BEARSSL_HOST_LIB) -o $@
