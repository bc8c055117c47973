# The x86 guest side of the core: run loop and exit dispatch, CPUID/MSR policy, MMIO and string-I/O
# emulation through core/x86emu, and the guest launch. Only x86_64 images run x86 guests.
IMAGE_SRCS_x86_64 += $(sort $(wildcard core/x86/*.c))
