#include "core/panic.h"

#include <stdarg.h>

#include "core/arch.h"
#include "core/console.h"
#include "core/fmt.h"

void panic_at(const char *file, int line, const char *fmt, ...)
{
	char msg[200];
	va_list ap;

	va_start(ap, fmt);
	fmt_vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	/* No lock: the panicking context may hold the console lock. */
	console_printf_nolock("mantle: PANIC at %s:%d: %s\n", file, line, msg);
	arch_exit(MANTLE_EXIT_PANIC);
}
