#include "core/fmt.h"

#include <stdbool.h>
#include <stdint.h>

#define FMT_MAX_WIDTH 100000

struct fmt_spec {
	bool left;      /* '-' */
	bool zero;      /* '0' */
	unsigned width;
	int precision;  /* -1: none */
	int length;     /* -2 hh, -1 h, 0 int, 1 l, 2 ll, 3 z */
};

struct fmt_out {
	fmt_sink_fn sink;
	void *ctx;
	size_t count;
};

static void out_char(struct fmt_out *o, char c)
{
	o->sink(o->ctx, c);
	o->count++;
}

static void out_pad(struct fmt_out *o, char c, unsigned n)
{
	while (n--)
		out_char(o, c);
}

/* Writes digits of v in base into the end of buf; returns the number of digits. */
static unsigned utoa_rev(uint64_t v, unsigned base, bool upper, char *buf, unsigned cap)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	unsigned n = 0;

	do {
		buf[cap - 1 - n] = digits[v % base];
		v /= base;
		n++;
	} while (v && n < cap);
	return n;
}

static void out_number(struct fmt_out *o, const struct fmt_spec *sp, uint64_t mag, bool neg,
		       unsigned base, bool upper, const char *prefix)
{
	char buf[24];
	unsigned nd = utoa_rev(mag, base, upper, buf, sizeof(buf));
	unsigned plen = 0;

	while (prefix[plen])
		plen++;
	unsigned len = nd + plen + (neg ? 1u : 0u);
	unsigned pad = sp->width > len ? sp->width - len : 0;

	if (!sp->left && !sp->zero)
		out_pad(o, ' ', pad);
	if (neg)
		out_char(o, '-');
	for (unsigned i = 0; i < plen; i++)
		out_char(o, prefix[i]);
	if (!sp->left && sp->zero)
		out_pad(o, '0', pad);
	for (unsigned i = sizeof(buf) - nd; i < sizeof(buf); i++)
		out_char(o, buf[i]);
	if (sp->left)
		out_pad(o, ' ', pad);
}

static void out_string(struct fmt_out *o, const struct fmt_spec *sp, const char *s)
{
	size_t len = 0;

	if (!s)
		s = "(null)";
	while (s[len] && (sp->precision < 0 || len < (size_t)sp->precision))
		len++;
	unsigned pad = sp->width > len ? sp->width - (unsigned)len : 0;
	if (!sp->left)
		out_pad(o, ' ', pad);
	for (size_t i = 0; i < len; i++)
		out_char(o, s[i]);
	if (sp->left)
		out_pad(o, ' ', pad);
}

static uint64_t arg_unsigned(const struct fmt_spec *sp, va_list *ap)
{
	switch (sp->length) {
	case -2: return (uint8_t)va_arg(*ap, unsigned int);
	case -1: return (uint16_t)va_arg(*ap, unsigned int);
	case 1: return va_arg(*ap, unsigned long);
	case 2: return va_arg(*ap, unsigned long long);
	case 3: return va_arg(*ap, size_t);
	default: return va_arg(*ap, unsigned int);
	}
}

static int64_t arg_signed(const struct fmt_spec *sp, va_list *ap)
{
	switch (sp->length) {
	case -2: return (int8_t)va_arg(*ap, int);
	case -1: return (int16_t)va_arg(*ap, int);
	case 1: return va_arg(*ap, long);
	case 2: return va_arg(*ap, long long);
	case 3: return (int64_t)va_arg(*ap, size_t);
	default: return va_arg(*ap, int);
	}
}

/* Parses flags, width, precision and length after '%'; returns the conversion character's position. */
static const char *parse_spec(const char *p, struct fmt_spec *sp, va_list *ap)
{
	*sp = (struct fmt_spec){ .precision = -1 };
	for (;; p++) {
		if (*p == '-')
			sp->left = true;
		else if (*p == '0')
			sp->zero = true;
		else
			break;
	}
	if (*p == '*') {
		int w = va_arg(*ap, int);
		if (w < 0) {
			sp->left = true;
			w = w == INT32_MIN ? INT32_MAX : -w;
		}
		sp->width = w < FMT_MAX_WIDTH ? (unsigned)w : FMT_MAX_WIDTH;
		p++;
	}
	/* Widths saturate: a guest- or host-influenced format must not overflow the arithmetic. */
	for (; *p >= '0' && *p <= '9'; p++) {
		if (sp->width < FMT_MAX_WIDTH)
			sp->width = sp->width * 10 + (unsigned)(*p - '0');
	}
	if (*p == '.') {
		p++;
		sp->precision = 0;
		if (*p == '*') {
			sp->precision = va_arg(*ap, int);
			p++;
		}
		for (; *p >= '0' && *p <= '9'; p++) {
			if (sp->precision < FMT_MAX_WIDTH)
				sp->precision = sp->precision * 10 + (*p - '0');
		}
	}
	if (*p == 'h') {
		sp->length = p[1] == 'h' ? -2 : -1;
		p += p[1] == 'h' ? 2 : 1;
	} else if (*p == 'l') {
		sp->length = p[1] == 'l' ? 2 : 1;
		p += p[1] == 'l' ? 2 : 1;
	} else if (*p == 'z') {
		sp->length = 3;
		p++;
	}
	return p;
}

/* Returns false for an unknown conversion so the caller can echo it. */
static bool convert(struct fmt_out *o, char c, struct fmt_spec *sp, va_list *ap)
{
	switch (c) {
	case 'd':
	case 'i': {
		int64_t v = arg_signed(sp, ap);
		uint64_t mag = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
		out_number(o, sp, mag, v < 0, 10, false, "");
		return true;
	}
	case 'u': out_number(o, sp, arg_unsigned(sp, ap), false, 10, false, ""); return true;
	case 'x': out_number(o, sp, arg_unsigned(sp, ap), false, 16, false, ""); return true;
	case 'X': out_number(o, sp, arg_unsigned(sp, ap), false, 16, true, ""); return true;
	case 'o': out_number(o, sp, arg_unsigned(sp, ap), false, 8, false, ""); return true;
	case 'p':
		out_number(o, sp, (uintptr_t)va_arg(*ap, void *), false, 16, false, "0x");
		return true;
	case 'c': {
		char s[2] = { (char)va_arg(*ap, int), 0 };
		sp->precision = 1;
		out_string(o, sp, s);
		return true;
	}
	case 's': out_string(o, sp, va_arg(*ap, const char *)); return true;
	case '%': out_char(o, '%'); return true;
	default: return false;
	}
}

size_t fmt_vformat(fmt_sink_fn sink, void *ctx, const char *fmt, va_list ap)
{
	struct fmt_out o = { .sink = sink, .ctx = ctx };
	va_list aq;

	/* Work on a copy so helpers can take a va_list pointer portably. */
	va_copy(aq, ap);
	for (const char *p = fmt; *p; p++) {
		if (*p != '%') {
			out_char(&o, *p);
			continue;
		}
		const char *start = p;
		struct fmt_spec sp;
		p = parse_spec(p + 1, &sp, &aq);
		if (*p == '\0') {
			for (const char *q = start; q < p; q++)
				out_char(&o, *q);
			break;
		}
		if (!convert(&o, *p, &sp, &aq)) {
			for (const char *q = start; q <= p; q++)
				out_char(&o, *q);
		}
	}
	va_end(aq);
	return o.count;
}

struct buf_sink {
	char *buf;
	size_t cap;
	size_t pos;
};

static void buf_put(void *ctx, char c)
{
	struct buf_sink *b = ctx;

	if (b->pos + 1 < b->cap)
		b->buf[b->pos] = c;
	b->pos++;
}

size_t fmt_vsnprintf(char *buf, size_t cap, const char *fmt, va_list ap)
{
	struct buf_sink b = { .buf = buf, .cap = cap };
	size_t n = fmt_vformat(buf_put, &b, fmt, ap);

	if (cap > 0)
		buf[n < cap ? n : cap - 1] = '\0';
	return n;
}

size_t fmt_snprintf(char *buf, size_t cap, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	size_t n = fmt_vsnprintf(buf, cap, fmt, ap);
	va_end(ap);
	return n;
}
