# x86 instruction emulator (issue 3, docs/x86emu.md): image sources, unit tests, differential test
# against the host CPU, libFuzzer target and callgrind benchmark. Outputs go to $(H)/x86emu/.

X86EMU_SRCS := $(sort $(wildcard core/x86emu/*.c))
X86EMU_HDRS := $(wildcard core/x86emu/*.h tests/x86emu/*.h)
X86EMU_FAKE := tests/x86emu/fakecpu.c
X86EMU_OUT := $(H)/x86emu

IMAGE_SRCS_x86_64 += $(X86EMU_SRCS)

UNIT_TESTS += test_x86emu test_x86emu_walk
test_x86emu_SRCS := tests/unit/test_x86emu.c $(X86EMU_FAKE) $(X86EMU_SRCS)
test_x86emu_walk_SRCS := tests/unit/test_x86emu_walk.c $(X86EMU_FAKE) $(X86EMU_SRCS)
# The generic unit-test rule only tracks core/*.h; the emulator's and the test table's headers too.
$(H)/tests/test_x86emu $(H)/tests/test_x86emu_walk: $(X86EMU_HDRS) core/x86emu/module.mk

X86EMU_CASES ?= 120000
X86EMU_CASES32 ?= 40000
X86EMU_SEED ?= 1

TEST_TARGETS += x86emu-difftest x86emu-fuzz-smoke
BENCH_TARGETS += x86emu-bench
FUZZ_TARGETS += x86emu-fuzz
HELP_TARGETS += x86emu-difftest x86emu-fuzz-smoke x86emu-fuzz x86emu-bench
x86emu-difftest_HELP := x86 emulator vs the host CPU: X86EMU_CASES 64-bit + X86EMU_CASES32 compat-mode cases
x86emu-fuzz-smoke_HELP := 60-second libFuzzer run of x86emu decode+execute
x86emu-fuzz_HELP := 10-minute libFuzzer run of x86emu decode+execute (X86EMU_FUZZ_SECONDS)
x86emu-bench_HELP := callgrind instruction counts: 4-byte MMIO MOV, REP MOVSB of 64 bytes

X86EMU_FUZZ_SECONDS ?= 600
X86EMU_FUZZ_CC ?= clang
X86EMU_FUZZ_FLAGS := -std=gnu11 -g -O1 -I. -DMANTLE_HOST=1 -fsanitize=fuzzer,address,undefined \
	-fno-sanitize-recover=all -Wall -Wextra -Werror -Wvla

.PHONY: x86emu-difftest x86emu-fuzz-smoke x86emu-fuzz x86emu-bench

$(X86EMU_OUT)/difftest: tests/x86emu/difftest.c tests/x86emu/difftest32.c tests/x86emu/native.S $(X86EMU_FAKE) $(X86EMU_SRCS) \
		$(X86EMU_HDRS) core/x86emu/module.mk
	@mkdir -p $(@D)
	@echo "  HOSTCC  $@"
	$(Q)$(HOST_CC) $(HOST_CFLAGS) tests/x86emu/difftest.c tests/x86emu/difftest32.c tests/x86emu/native.S $(X86EMU_FAKE) \
		$(X86EMU_SRCS) -o $@ $(HOST_LDFLAGS)

x86emu-difftest: $(X86EMU_OUT)/difftest
	$(Q)$< $(X86EMU_CASES) $(X86EMU_SEED) $(X86EMU_CASES32)

# Seeds: every row of the unit-test table (tests/x86emu/cases.h) as a fuzzer input.
$(X86EMU_OUT)/mkseeds: tests/x86emu/mkseeds.c $(X86EMU_HDRS)
	@mkdir -p $(@D)
	@echo "  HOSTCC  $@"
	$(Q)$(HOST_CC) $(HOST_CFLAGS) tests/x86emu/mkseeds.c -o $@ $(HOST_LDFLAGS)

$(X86EMU_OUT)/seeds.stamp: $(X86EMU_OUT)/mkseeds
	$(Q)rm -rf $(X86EMU_OUT)/seeds && mkdir -p $(X86EMU_OUT)/seeds
	$(Q)$< $(X86EMU_OUT)/seeds
	$(Q)touch $@

$(X86EMU_OUT)/fuzz: tests/x86emu/fuzz.c $(X86EMU_FAKE) $(X86EMU_SRCS) $(X86EMU_HDRS)
	@mkdir -p $(@D)
	@echo "  CLANG   $@"
	$(Q)$(X86EMU_FUZZ_CC) $(X86EMU_FUZZ_FLAGS) tests/x86emu/fuzz.c $(X86EMU_FAKE) $(X86EMU_SRCS) -o $@

# $(1): seconds. The corpus persists in $(X86EMU_OUT)/corpus between runs; tests/x86emu/regress keeps
# inputs that once failed. Crashes are written to $(X86EMU_OUT)/crash-*.
define x86emu_fuzz_run
	$(Q)mkdir -p $(X86EMU_OUT)/corpus
	$(Q)$(X86EMU_OUT)/fuzz -max_total_time=$(1) -timeout=10 -rss_limit_mb=2048 -max_len=512 \
		-artifact_prefix=$(X86EMU_OUT)/ -print_final_stats=1 $(X86EMU_OUT)/corpus $(X86EMU_OUT)/seeds \
		tests/x86emu/regress 2>$(X86EMU_OUT)/fuzz.log; \
	rc=$$?; grep -E '^(#[0-9]+.*DONE|stat::number_of_executed_units|==[0-9]+==ERROR|SUMMARY)' \
		$(X86EMU_OUT)/fuzz.log; \
	if [ $$rc -eq 0 ]; then echo "x86emu-fuzz: $(1) s, no crash (log $(X86EMU_OUT)/fuzz.log)"; \
	else echo "x86emu-fuzz: FAILED (exit $$rc, log $(X86EMU_OUT)/fuzz.log)"; exit 1; fi
endef

x86emu-fuzz-smoke: $(X86EMU_OUT)/fuzz $(X86EMU_OUT)/seeds.stamp
	$(call x86emu_fuzz_run,60)

x86emu-fuzz: $(X86EMU_OUT)/fuzz $(X86EMU_OUT)/seeds.stamp
	$(call x86emu_fuzz_run,$(X86EMU_FUZZ_SECONDS))

# Benchmark: built without sanitizers at -O2, measured with callgrind (inclusive instruction count of
# the measured function, which performs one decode + execute against the model vCPU).
$(X86EMU_OUT)/bench: tests/x86emu/bench.c $(X86EMU_FAKE) $(X86EMU_SRCS) $(X86EMU_HDRS) core/x86emu/module.mk
	@mkdir -p $(@D)
	@echo "  HOSTCC  $@"
	$(Q)$(HOST_CC) -std=gnu11 -O2 -g -I. -DMANTLE_HOST=1 -Wall -Wextra -Werror tests/x86emu/bench.c \
		$(X86EMU_FAKE) $(X86EMU_SRCS) -Wl,-z,now -o $@

x86emu-bench: $(X86EMU_OUT)/bench
	$(Q)tests/x86emu/bench.sh $(X86EMU_OUT)/bench $(X86EMU_OUT)
