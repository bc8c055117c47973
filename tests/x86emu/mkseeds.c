/* Writes every row of tests/x86emu/cases.h as an x86emu fuzzer seed (format: fuzzfmt.h).
 *   usage: mkseeds DIR */
#include <stdio.h>
#include <string.h>

#include "tests/x86emu/cases.h"
#include "tests/x86emu/fuzzfmt.h"

static void put64(uint8_t *p, uint64_t v)
{
	for (unsigned int i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

int main(int argc, char **argv)
{
	uint8_t buf[FZ_MEM + 4 + 16];

	if (argc != 2) {
		fprintf(stderr, "usage: %s DIR\n", argv[0]);
		return 2;
	}
	for (size_t i = 0; i < X86EMU_NCASES; i++) {
		const struct x86emu_case *tc = &x86emu_cases[i];
		size_t n = FZ_MEM;
		char path[512];

		memset(buf, 0, sizeof(buf));
		buf[FZ_MODE] = tc->mode;
		buf[FZ_CTL] = (uint8_t)(tc->cpl & 3);
		memcpy(buf + FZ_INSN, tc->bytes, tc->len);
		for (unsigned int r = 0; r < 5 && tc->in[r].reg; r++)
			put64(buf + FZ_GPR + 8 * (tc->in[r].reg - 1), tc->in[r].val);
		put64(buf + FZ_FLAGS, 2 | tc->flags_in);
		if (tc->addr) {
			uint64_t off = tc->addr - MEM_BASE;
			buf[n++] = (uint8_t)off;
			buf[n++] = (uint8_t)(off >> 8);
			buf[n++] = (uint8_t)(off >> 16);
			buf[n++] = 16;
			memcpy(buf + n, tc->mem_in, 16);
			n += 16;
		}
		snprintf(path, sizeof(path), "%s/%03zu-%s", argv[1], i, tc->name);
		FILE *f = fopen(path, "wb");
		if (!f || fwrite(buf, 1, n, f) != n) {
			perror(path);
			return 1;
		}
		fclose(f);
	}
	printf("x86emu: wrote %zu fuzzer seeds to %s\n", (size_t)X86EMU_NCASES, argv[1]);
	return 0;
}
