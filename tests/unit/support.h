#ifndef MANTLE_TESTS_UNIT_SUPPORT_H
#define MANTLE_TESTS_UNIT_SUPPORT_H

#include <stddef.h>

/* Everything core code printed through arch_console_write since the last reset. */
extern char support_console[8192];
extern size_t support_console_len;
void support_console_reset(void);

#endif
