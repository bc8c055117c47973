#include "core/cmdline.h"

#include "core/str.h"

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

bool cmdline_get(const char *cmdline, const char *key, char *val, size_t cap)
{
	size_t klen = strlen(key);
	bool found = false;
	const char *p = cmdline;

	while (*p) {
		while (is_space(*p))
			p++;
		const char *w = p;
		while (*p && !is_space(*p))
			p++;
		size_t wlen = (size_t)(p - w);
		if (wlen < klen || strncmp(w, key, klen) != 0)
			continue;
		if (wlen == klen) {
			found = true;
			if (cap)
				val[0] = '\0';
		} else if (w[klen] == '=') {
			found = true;
			size_t vlen = wlen - klen - 1;
			if (cap) {
				size_t n = vlen < cap - 1 ? vlen : cap - 1;
				memcpy(val, w + klen + 1, n);
				val[n] = '\0';
			}
		}
	}
	return found;
}
