# Host unit tests of the core library. Each test links only the sources it exercises plus
# tests/unit/support.c (host versions of the arch hooks the core calls).
SUPPORT := tests/unit/support.c

UNIT_TESTS += test_fmt test_memmap test_pfa test_cmdline
test_fmt_SRCS := tests/unit/test_fmt.c core/fmt.c
# The formatter tests feed deliberately malformed formats.
test_fmt_CFLAGS := -Wno-format -Wno-format-overflow -Wno-format-extra-args
test_memmap_SRCS := tests/unit/test_memmap.c core/memmap.c
test_pfa_SRCS := tests/unit/test_pfa.c core/pfa.c core/memmap.c core/panic.c core/console.c core/fmt.c $(SUPPORT)
test_cmdline_SRCS := tests/unit/test_cmdline.c core/cmdline.c

# The FDT reader's tests (aarch64 boot path) join once their sources exist.
UNIT_TESTS += $(if $(wildcard tests/unit/test_fdt.c core/fdt.c),test_fdt)
test_fdt_SRCS := tests/unit/test_fdt.c core/fdt.c

# Boot-protocol parsers (loader input: every pointer and length checked).
UNIT_TESTS += test_pvh
test_pvh_SRCS := tests/unit/test_pvh.c boot/pvh.c core/memmap.c
UNIT_TESTS += test_bundle test_linux
test_bundle_SRCS := tests/unit/test_bundle.c boot/bundle.c
test_linux_SRCS := tests/unit/test_linux.c boot/linux.c
UNIT_TESTS += test_x86_policy
test_x86_policy_SRCS := tests/unit/test_x86_policy.c core/x86/cpuid.c core/x86/msr.c core/bus.c

# The TPM CRB device over the real engine and crypto (host stand-ins for Mantle's memory services).
UNIT_TESTS += test_tpm_crb
test_tpm_crb_SRCS = tests/unit/test_tpm_crb.c devices/tpm_crb.c devices/dev.c core/bus.c core/acpi.c \
	core/tcglog.c core/measure.c $(SUPPORT) core/panic.c core/console.c core/fmt.c $(VTPM_HOST_SRCS)
test_tpm_crb_CFLAGS = $(VTPM_HOST_CFLAGS)
test_tpm_crb_LIBS := -lcrypto
UNIT_TESTS += test_acpi
test_acpi_SRCS := tests/unit/test_acpi.c core/acpi.c core/tcglog.c
test_acpi_CFLAGS := -D_GNU_SOURCE
