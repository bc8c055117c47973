# tools/mkbundle: the host tool that packs a guest kernel, initrd and command line into a bundle.
MKBUNDLE := $(H)/mkbundle
HOST_TOOLS += $(MKBUNDLE)

$(MKBUNDLE): tools/mkbundle/mkbundle.c boot/bundle.c boot/bundle.h core/str.h
	@mkdir -p $(@D)
	@echo "  HOSTCC  $@"
	$(Q)$(HOST_CC) $(HOST_CFLAGS) tools/mkbundle/mkbundle.c boot/bundle.c -o $@ $(HOST_LDFLAGS)
