/* <string.h> for BearSSL's freestanding build: it needs only memcpy/memmove/memset/memcmp/strlen,
 * which Mantle's image provides in core/str.c. This directory is on the include path of BearSSL's
 * image objects only. */
#ifndef MANTLE_CRYPTO_SHIM_STRING_H
#define MANTLE_CRYPTO_SHIM_STRING_H
#include "core/str.h"
#endif
