# Code shared by the x86 backends whose exits arrive in SVM form (tee/none, tee/snp).
IMAGE_SRCS_x86_64 += tee/svm_exit.c
