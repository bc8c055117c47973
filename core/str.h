/* Freestanding subset of the C string functions.
 *
 * The names are the standard ones on purpose: the compiler emits calls to memcpy/memset/memmove/memcmp
 * for struct copies and large initialisers even under -ffreestanding. Host builds take these from libc
 * (core/str.c is linked only into the image), so the prototypes here must match libc's exactly.
 */
#ifndef MANTLE_CORE_STR_H
#define MANTLE_CORE_STR_H

#include <stddef.h>

void *memcpy(void *restrict dst, const void *restrict src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);

/* Copies at most cap-1 bytes and always NUL-terminates (cap > 0); returns strlen(src) so the caller
 * can detect truncation. Inline so host tests, which take the rest from libc, get it too. */
static inline size_t str_copy(char *dst, const char *src, size_t cap)
{
	size_t len = strlen(src);

	if (cap == 0)
		return len;
	size_t n = len < cap - 1 ? len : cap - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
	return len;
}

#endif
