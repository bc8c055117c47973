/* mkbundle: packs a guest kernel, initrd and command line into a Mantle guest bundle
 * (boot/bundle.h, docs/guest-bundle.md), which Mantle receives as its first boot module.
 *
 *   mkbundle -k KERNEL [-i INITRD] [-c CMDLINE] -o OUT
 *
 * The output is checked with Mantle's own parser before it is written.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "boot/bundle.h"

struct blob {
	uint8_t *data;
	size_t size;
};

static void die(const char *msg, const char *arg)
{
	fprintf(stderr, "mkbundle: %s%s%s\n", msg, arg ? ": " : "", arg ? arg : "");
	exit(1);
}

static struct blob read_file(const char *path)
{
	struct blob b = { 0 };
	FILE *f = fopen(path, "rb");

	if (!f)
		die(strerror(errno), path);
	if (fseek(f, 0, SEEK_END) != 0)
		die("cannot seek", path);
	long n = ftell(f);
	if (n < 0 || fseek(f, 0, SEEK_SET) != 0)
		die("cannot size", path);
	b.size = (size_t)n;
	b.data = malloc(b.size ? b.size : 1);
	if (!b.data || fread(b.data, 1, b.size, f) != b.size)
		die("cannot read", path);
	fclose(f);
	return b;
}

static uint64_t align_up(uint64_t v)
{
	return (v + BUNDLE_ALIGN - 1) & ~(uint64_t)(BUNDLE_ALIGN - 1);
}

int main(int argc, char **argv)
{
	const char *kernel = NULL, *initrd = NULL, *cmdline = "", *out = NULL;
	int opt;

	while ((opt = getopt(argc, argv, "k:i:c:o:")) != -1) {
		switch (opt) {
		case 'k': kernel = optarg; break;
		case 'i': initrd = optarg; break;
		case 'c': cmdline = optarg; break;
		case 'o': out = optarg; break;
		default: die("usage: mkbundle -k KERNEL [-i INITRD] [-c CMDLINE] -o OUT", NULL);
		}
	}
	if (!kernel || !out)
		die("usage: mkbundle -k KERNEL [-i INITRD] [-c CMDLINE] -o OUT", NULL);
	if (strlen(cmdline) >= BUNDLE_CMDLINE_MAX)
		die("command line too long", NULL);

	struct blob parts[3] = { read_file(kernel), { 0 }, { (uint8_t *)cmdline, strlen(cmdline) } };
	uint32_t types[3] = { BUNDLE_KERNEL, BUNDLE_INITRD, BUNDLE_CMDLINE };
	if (initrd)
		parts[1] = read_file(initrd);

	struct bundle_header h = { .version = BUNDLE_VERSION };
	struct bundle_entry e[3];
	memcpy(h.magic, BUNDLE_MAGIC, sizeof(h.magic));
	uint64_t off = align_up(sizeof(h) + sizeof(e));
	for (int i = 0; i < 3; i++) {
		if (i == 1 && !initrd)
			continue;
		e[h.entry_count++] = (struct bundle_entry){ .type = types[i], .offset = off, .size = parts[i].size };
		off = align_up(off + parts[i].size);
	}
	h.total_size = off;

	uint8_t *img = calloc(1, h.total_size);
	if (!img)
		die("out of memory", NULL);
	memcpy(img, &h, sizeof(h));
	memcpy(img + sizeof(h), e, h.entry_count * sizeof(e[0]));
	for (uint32_t i = 0; i < h.entry_count; i++) {
		const struct blob *b = &parts[e[i].type - 1];
		memcpy(img + e[i].offset, b->data, b->size);
	}

	static struct bundle_view view;
	enum bundle_status st = bundle_parse(img, h.total_size, &view);
	if (st != BUNDLE_OK)
		die("built an invalid bundle", bundle_status_name(st));

	FILE *f = fopen(out, "wb");
	if (!f || fwrite(img, 1, h.total_size, f) != h.total_size || fclose(f) != 0)
		die("cannot write", out);
	free(img);
	free(parts[0].data);
	free(parts[1].data);
	return 0;
}
