# The default x86_64 guest payload: Debian's stock kernel and a busybox initramfs with tests/guest/init.
# Fetched from Debian's archive into build/guest/ (tools/fetch-guest.sh); nothing is installed.
GUEST_DIR := $(BUILD)/guest
GUEST_KERNEL_DEFAULT := $(GUEST_DIR)/vmlinuz
GUEST_INITRD_DEFAULT := $(GUEST_DIR)/initramfs.cpio.gz

$(GUEST_DIR)/vmlinuz $(GUEST_DIR)/busybox &: tools/fetch-guest.sh
	@echo "  FETCH   Debian guest kernel and busybox"
	$(Q)tools/fetch-guest.sh $(GUEST_DIR)

$(GUEST_DIR)/cpuid-check: tests/guest/cpuid-check.c
	@mkdir -p $(@D)
	@echo "  HOSTCC  $@ (static, for the guest)"
	$(Q)$(HOST_CC) -std=gnu11 -Wall -Wextra -Werror -O2 -static $< -o $@

$(GUEST_DIR)/tpm-bench: tests/guest/tpm-bench.c
	@mkdir -p $(@D)
	@echo "  HOSTCC  $@ (static, for the guest)"
	$(Q)$(HOST_CC) -std=gnu11 -Wall -Wextra -Werror -O2 -static $< -o $@

$(GUEST_DIR)/tpm-nv: tests/guest/tpm-nv.c
	@mkdir -p $(@D)
	@echo "  HOSTCC  $@ (static, for the guest)"
	$(Q)$(HOST_CC) -std=gnu11 -Wall -Wextra -Werror -O2 -static $< -o $@

$(GUEST_INITRD_DEFAULT): tests/guest/init $(GUEST_DIR)/busybox $(GUEST_DIR)/cpuid-check $(GUEST_DIR)/tpm-bench \
		$(GUEST_DIR)/tpm-nv
	@echo "  CPIO    $@"
	$(Q)rm -rf $(GUEST_DIR)/root && mkdir -p $(GUEST_DIR)/root/bin $(GUEST_DIR)/root/dev
	$(Q)cp $(GUEST_DIR)/busybox $(GUEST_DIR)/cpuid-check $(GUEST_DIR)/tpm-bench $(GUEST_DIR)/tpm-nv \
		$(GUEST_DIR)/root/bin/
	$(Q)cp tests/guest/init $(GUEST_DIR)/root/init && chmod 755 $(GUEST_DIR)/root/init
	$(Q)cd $(GUEST_DIR)/root && find . | LC_ALL=C sort | cpio -o -H newc --quiet | gzip -9 > ../initramfs.cpio.gz.tmp
	$(Q)mv $(GUEST_DIR)/initramfs.cpio.gz.tmp $@

.PHONY: guest
guest: $(GUEST_KERNEL_DEFAULT) $(GUEST_INITRD_DEFAULT)
HELP_TARGETS += guest
guest_HELP := fetch Debian's kernel and busybox and build the default guest initramfs (build/guest/)

# A second initramfs with Debian's tpm2-tools (and the shared libraries it loads, copied from this
# machine's installed packages) for the in-guest TPM test; the default one stays small and fast.
GUEST_INITRD_TPM2 := $(GUEST_DIR)/initramfs-tpm2.cpio.gz

$(GUEST_INITRD_TPM2): $(GUEST_INITRD_DEFAULT) tools/guest-add-tpm2.sh
	@echo "  CPIO    $@"
	$(Q)tools/guest-add-tpm2.sh $(GUEST_DIR)/root $(GUEST_DIR)/root-tpm2 $@
