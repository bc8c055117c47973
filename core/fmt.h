/* printf-style formatting without libc.
 *
 * Conversions: %d %i %u %x %X %o %c %s %p %%, length modifiers hh h l ll z, flags '-' and '0', a width
 * (digits or '*') and a precision for %s ('.N' or '.*'). An unknown conversion is printed verbatim
 * so a typo shows in the log instead of consuming an argument.
 */
#ifndef MANTLE_CORE_FMT_H
#define MANTLE_CORE_FMT_H

#include <stdarg.h>
#include <stddef.h>

typedef void (*fmt_sink_fn)(void *ctx, char c);

/* Emits the formatted text through sink; returns the number of characters emitted. */
size_t fmt_vformat(fmt_sink_fn sink, void *ctx, const char *fmt, va_list ap);

/* snprintf semantics: writes at most cap-1 characters plus a NUL (when cap > 0) and returns the
 * length the full output would have had. */
size_t fmt_vsnprintf(char *buf, size_t cap, const char *fmt, va_list ap);
size_t fmt_snprintf(char *buf, size_t cap, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif
