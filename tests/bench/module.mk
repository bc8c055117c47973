# Guest boot-time benchmark: Debian's kernel to init behind Mantle vs booted directly (TCG).
.PHONY: boot-bench
boot-bench: image $(MKBUNDLE) $(GUEST_KERNEL_DEFAULT) $(GUEST_INITRD_DEFAULT)
	$(Q)tests/bench/boot-time.sh $(O)/mantle.elf $(GUEST_KERNEL_DEFAULT) $(GUEST_INITRD_DEFAULT) 5

ifeq ($(ARCH),x86_64)
BENCH_TARGETS += boot-bench
endif
HELP_TARGETS += boot-bench
boot-bench_HELP := time QEMU start to guest init behind Mantle and direct (5 runs each) and print the ratio

# vTPM device: 1,000 PCR_Extend from inside the guest, behind Mantle vs QEMU's tpm-crb + swtpm.
.PHONY: tpm-bench
tpm-bench: image $(MKBUNDLE) $(GUEST_KERNEL_DEFAULT) $(GUEST_INITRD_DEFAULT)
	$(Q)tests/bench/tpm-bench.sh $(O)/mantle.elf $(GUEST_KERNEL_DEFAULT) $(GUEST_INITRD_DEFAULT)

ifeq ($(ARCH),x86_64)
BENCH_TARGETS += tpm-bench
endif
HELP_TARGETS += tpm-bench
tpm-bench_HELP := guest-side PCR_Extend cost through /dev/tpmrm0 behind Mantle vs QEMU's TPM with swtpm
