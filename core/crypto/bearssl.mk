# Builds BearSSL (Debian's source package, unpacked by tools/fetch-bearssl.sh) into one static archive.
# Invoked by core/crypto/module.mk as a sub-make so that the source list is read after the fetch:
#   make -f core/crypto/bearssl.mk SRC=<tree> OUT=<dir> BR_CC=<cc> BR_CFLAGS=<flags> BR_AR=<ar>
# Only the primitive families Mantle uses are compiled; the SSL engine and X.509 are left out.
SRC ?= build/bearssl-src
OUT ?= build/host/bearssl
BR_CC ?= gcc
BR_AR ?= ar
BR_DIRS := aead codec ec hash int kdf mac rand rsa symcipher
BR_SRCS := $(SRC)/src/settings.c $(foreach d,$(BR_DIRS),$(wildcard $(SRC)/src/$(d)/*.c))
BR_OBJS := $(patsubst $(SRC)/src/%.c,$(OUT)/obj/%.o,$(BR_SRCS))

$(OUT)/libbearssl.a: $(BR_OBJS)
	@echo "  AR      $@"
	@rm -f $@
	@$(BR_AR) rcs $@ $(BR_OBJS)

$(OUT)/obj/%.o: $(SRC)/src/%.c
	@mkdir -p $(@D)
	@$(BR_CC) $(BR_CFLAGS) -I$(SRC)/inc -I$(SRC)/src -MMD -MP -c $< -o $@

-include $(BR_OBJS:.o=.d)
