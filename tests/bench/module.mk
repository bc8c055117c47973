# Guest boot-time benchmark: Debian's kernel to init behind Mantle vs booted directly (TCG).
.PHONY: boot-bench
boot-bench: image $(MKBUNDLE) $(GUEST_KERNEL_DEFAULT) $(GUEST_INITRD_DEFAULT)
	$(Q)tests/bench/boot-time.sh $(O)/mantle.elf $(GUEST_KERNEL_DEFAULT) $(GUEST_INITRD_DEFAULT) 5

ifeq ($(ARCH),x86_64)
BENCH_TARGETS += boot-bench
endif
HELP_TARGETS += boot-bench
boot-bench_HELP := time QEMU start to guest init behind Mantle and direct (5 runs each) and print the ratio
