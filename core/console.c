#include "core/console.h"

#include "core/arch.h"
#include "core/fmt.h"
#include "core/spinlock.h"

/* Lines are assembled in a buffer so one arch_console_write call carries a whole line: cheaper on a
 * port-I/O UART and keeps lines from two CPUs from interleaving mid-line. */
struct line_buf {
	char buf[160];
	size_t len;
};

static struct spinlock console_lock = SPINLOCK_INIT;

static void line_flush(struct line_buf *lb)
{
	if (lb->len)
		arch_console_write(lb->buf, lb->len);
	lb->len = 0;
}

static void line_put(void *ctx, char c)
{
	struct line_buf *lb = ctx;

	if (c == '\n') {
		/* Serial terminals want CR LF. */
		if (lb->len + 2 > sizeof(lb->buf))
			line_flush(lb);
		lb->buf[lb->len++] = '\r';
		lb->buf[lb->len++] = '\n';
		line_flush(lb);
		return;
	}
	if (lb->len == sizeof(lb->buf))
		line_flush(lb);
	lb->buf[lb->len++] = c;
}

static void console_emit(const char *fmt, va_list ap)
{
	struct line_buf lb = { .len = 0 };

	fmt_vformat(line_put, &lb, fmt, ap);
	line_flush(&lb);
}

void console_vprintf(const char *fmt, va_list ap)
{
	struct spinlock_held h = spin_lock_irqsave(&console_lock);

	console_emit(fmt, ap);
	spin_unlock_irqrestore(h);
}

void console_printf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	console_vprintf(fmt, ap);
	va_end(ap);
}

void console_printf_nolock(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	console_emit(fmt, ap);
	va_end(ap);
}
