# vTPM integration tests: tpm2-tools (TCTI mssim) against build/host/vtpm-sim.
.PHONY: vtpm-tpm2tools
TEST_TARGETS += vtpm-tpm2tools
HELP_TARGETS += vtpm-tpm2tools
vtpm-tpm2tools_HELP := run tpm2-tools against build/host/vtpm-sim (PCRs, NV, sessions, contexts, power cycles)

vtpm-tpm2tools: $(H)/vtpm-sim
	$(Q)tests/vtpm/tpm2tools.sh $(H)/vtpm-sim
