/* Mantle's log console: formatted output to the arch's log channel, serialised by a lock. */
#ifndef MANTLE_CORE_CONSOLE_H
#define MANTLE_CORE_CONSOLE_H

#include <stdarg.h>

void console_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void console_vprintf(const char *fmt, va_list ap);

/* For exception and panic paths: takes no lock (the interrupted context may hold it). */
void console_printf_nolock(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
