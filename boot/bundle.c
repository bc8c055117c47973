#include "boot/bundle.h"

#include <stdbool.h>

#include "core/str.h"

struct span {
	uint64_t off, size;
};

static bool spans_overlap(struct span a, struct span b)
{
	return a.size && b.size && a.off < b.off + b.size && b.off < a.off + a.size;
}

/* Checks one entry against the bundle's size; offsets and sizes are validated before any sum. */
static enum bundle_status check_entry(const struct bundle_entry *e, uint64_t total)
{
	if (e->type < BUNDLE_KERNEL || e->type > BUNDLE_CMDLINE || e->reserved)
		return BUNDLE_BAD_ENTRY;
	if (e->offset % BUNDLE_ALIGN || e->offset > total || e->size > total - e->offset)
		return BUNDLE_BAD_ENTRY;
	return BUNDLE_OK;
}

static enum bundle_status copy_cmdline(const uint8_t *p, uint64_t size, char *out)
{
	if (size >= BUNDLE_CMDLINE_MAX)
		return BUNDLE_BAD_CMDLINE;
	for (uint64_t i = 0; i < size; i++) {
		if (p[i] == '\0')
			return BUNDLE_BAD_CMDLINE;
		out[i] = (char)p[i];
	}
	out[size] = '\0';
	return BUNDLE_OK;
}

static enum bundle_status check_layout(const struct bundle_entry *e, uint32_t n, uint64_t table_end)
{
	for (uint32_t i = 0; i < n; i++) {
		struct span a = { e[i].offset, e[i].size };
		if (spans_overlap(a, (struct span){ 0, table_end }))
			return BUNDLE_OVERLAP;
		for (uint32_t j = i + 1; j < n; j++) {
			if (e[i].type == e[j].type)
				return BUNDLE_DUPLICATE;
			if (spans_overlap(a, (struct span){ e[j].offset, e[j].size }))
				return BUNDLE_OVERLAP;
		}
	}
	return BUNDLE_OK;
}

enum bundle_status bundle_parse(const uint8_t *data, uint64_t len, struct bundle_view *out)
{
	struct bundle_header h;
	struct bundle_entry e[BUNDLE_MAX_ENTRIES];
	enum bundle_status st;

	if (len < sizeof(h))
		return BUNDLE_TRUNCATED;
	memcpy(&h, data, sizeof(h));
	if (memcmp(h.magic, BUNDLE_MAGIC, sizeof(h.magic)) != 0)
		return BUNDLE_BAD_MAGIC;
	if (h.version != BUNDLE_VERSION)
		return BUNDLE_BAD_VERSION;
	if (h.entry_count > BUNDLE_MAX_ENTRIES)
		return BUNDLE_TOO_MANY_ENTRIES;
	uint64_t table_end = sizeof(h) + (uint64_t)h.entry_count * sizeof(e[0]);
	if (h.total_size > len || h.total_size < table_end)
		return BUNDLE_TRUNCATED;
	memcpy(e, data + sizeof(h), h.entry_count * sizeof(e[0]));

	for (uint32_t i = 0; i < h.entry_count; i++) {
		if ((st = check_entry(&e[i], h.total_size)) != BUNDLE_OK)
			return st;
	}
	if ((st = check_layout(e, h.entry_count, table_end)) != BUNDLE_OK)
		return st;

	*out = (struct bundle_view){ 0 };
	for (uint32_t i = 0; i < h.entry_count; i++) {
		switch (e[i].type) {
		case BUNDLE_KERNEL:
			out->kernel_off = e[i].offset;
			out->kernel_size = e[i].size;
			break;
		case BUNDLE_INITRD:
			out->initrd_off = e[i].offset;
			out->initrd_size = e[i].size;
			break;
		default:
			if ((st = copy_cmdline(data + e[i].offset, e[i].size, out->cmdline)) != BUNDLE_OK)
				return st;
			break;
		}
	}
	return out->kernel_size ? BUNDLE_OK : BUNDLE_NO_KERNEL;
}

const char *bundle_status_name(enum bundle_status st)
{
	static const char *const names[] = {
		[BUNDLE_OK] = "ok",
		[BUNDLE_TRUNCATED] = "truncated",
		[BUNDLE_BAD_MAGIC] = "bad magic (not a Mantle guest bundle)",
		[BUNDLE_BAD_VERSION] = "unsupported version",
		[BUNDLE_TOO_MANY_ENTRIES] = "too many entries",
		[BUNDLE_BAD_ENTRY] = "malformed entry",
		[BUNDLE_OVERLAP] = "overlapping entries",
		[BUNDLE_DUPLICATE] = "duplicate entry type",
		[BUNDLE_NO_KERNEL] = "no kernel",
		[BUNDLE_BAD_CMDLINE] = "bad command line",
	};

	if ((unsigned)st >= sizeof(names) / sizeof(names[0]))
		return "?";
	return names[st];
}
