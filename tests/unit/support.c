/* Host stand-ins for the arch hooks that core code calls, so core modules link into unit tests.
 *
 * arch_exit() turns a panic into a cmocka failure via mock_assert(), which a test can expect with
 * expect_assert_failure(); the console output is kept in a buffer tests may inspect.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/arch.h"
#include "tests/unit/support.h"

char support_console[8192];
size_t support_console_len;

void arch_console_write(const char *s, size_t len)
{
	size_t room = sizeof(support_console) - 1 - support_console_len;
	size_t n = len < room ? len : room;

	memcpy(support_console + support_console_len, s, n);
	support_console_len += n;
	support_console[support_console_len] = '\0';
}

void support_console_reset(void)
{
	support_console_len = 0;
	support_console[0] = '\0';
}

void arch_exit(enum mantle_exit code)
{
	mock_assert(0, code == MANTLE_EXIT_PANIC ? "panic" : "arch_exit", __FILE__, __LINE__);
	/* mock_assert longjmps out when a test expects it; otherwise the test has already failed. */
	abort();
}

bool arch_irq_save(void)
{
	return false;
}

void arch_irq_restore(bool enabled)
{
	(void)enabled;
}

void arch_cpu_relax(void)
{
}
