/* Mantle's command line: space-separated `key=value` or bare `key` words (no quoting). */
#ifndef MANTLE_CORE_CMDLINE_H
#define MANTLE_CORE_CMDLINE_H

#include <stdbool.h>
#include <stddef.h>

/* Copies the value of the last `key=value` word into val (NUL-terminated, truncated to cap-1) and
 * returns true; a bare `key` yields "". Returns false if the key is absent. */
bool cmdline_get(const char *cmdline, const char *key, char *val, size_t cap);

#endif
