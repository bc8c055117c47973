/* panic() and CHECK(): for Mantle's own broken invariants only.
 *
 * Anything the guest or the host controls is rejected with an error code or a fault injected into the
 * guest, never with CHECK(): a guest must not be able to halt the paravisor by sending bad input.
 */
#ifndef MANTLE_CORE_PANIC_H
#define MANTLE_CORE_PANIC_H

__attribute__((noreturn, format(printf, 3, 4))) void panic_at(const char *file, int line,
							       const char *fmt, ...);

#define panic(...) panic_at(__FILE__, __LINE__, __VA_ARGS__)

/* Always on, in every build. */
#define CHECK(cond)                                                  \
	do {                                                         \
		if (__builtin_expect(!(cond), 0))                    \
			panic_at(__FILE__, __LINE__, "CHECK(%s) failed", #cond); \
	} while (0)

#endif
