# Emulated devices. Each device is one file that registers itself with DEVICE() (devices/dev.h) and
# one line here that puts it in the images of the arches it belongs to. Port-I/O devices are x86 only.
IMAGE_SRCS += devices/dev.c
IMAGE_SRCS_x86_64 += devices/exit_port.c
IMAGE_SRCS_x86_64 += devices/log_port.c
IMAGE_SRCS_x86_64 += devices/tpm_crb.c
IMAGE_SRCS_x86_64 += devices/reset_port.c
