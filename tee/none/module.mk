# tee/none: the non-isolated backend. On x86_64 it runs the guest with AMD SVM + nested paging.
IMAGE_SRCS_x86_64 += tee/none/svm.c
IMAGE_ASM_x86_64 += tee/none/svm_entry.S
