/* Model vCPU for the x86emu host tests (see fakecpu.h). */
#include <string.h>

#include "tests/x86emu/fakecpu.h"

static enum x86emu_result fc_translate(struct fake_cpu *c, uint64_t la, uint32_t len, uint32_t acc,
				       uint64_t *off, struct x86emu_exception *exc)
{
	uint64_t pa = la;

	c->last_la = la;
	if (c->paging) {
		enum x86emu_result r = x86emu_walk(&fake_walk_ops, c, &c->pg, la, acc, &pa, exc);
		if (r != X86EMU_DONE)
			return r;
	}
	if (pa < c->mem_base || pa - c->mem_base > c->mem_size || len > c->mem_size - (pa - c->mem_base)) {
		c->outside = true;
		return X86EMU_UNHANDLEABLE;
	}
	*off = pa - c->mem_base;
	return X86EMU_DONE;
}

static enum x86emu_result fc_countdown(struct fake_cpu *c)
{
	c->mem_ops++;
	if (c->retry_countdown && --c->retry_countdown == 0)
		return X86EMU_RETRY;
	return X86EMU_DONE;
}

static enum x86emu_result fc_read(void *ctx, uint64_t la, void *buf, uint32_t len, uint32_t acc,
				  struct x86emu_exception *exc)
{
	struct fake_cpu *c = ctx;
	uint64_t off;
	enum x86emu_result r = fc_countdown(c);

	if (r == X86EMU_DONE)
		r = fc_translate(c, la, len, acc, &off, exc);
	if (r == X86EMU_DONE)
		memcpy(buf, c->mem + off, len);
	return r;
}

static enum x86emu_result fc_write(void *ctx, uint64_t la, const void *buf, uint32_t len, uint32_t acc,
				   struct x86emu_exception *exc)
{
	struct fake_cpu *c = ctx;
	uint64_t off;
	enum x86emu_result r = fc_countdown(c);

	if (r == X86EMU_DONE)
		r = fc_translate(c, la, len, acc, &off, exc);
	if (r == X86EMU_DONE)
		memcpy(c->mem + off, buf, len);
	return r;
}

static enum x86emu_result fc_probe(void *ctx, uint64_t la, uint32_t len, uint32_t acc,
				   struct x86emu_exception *exc)
{
	uint64_t off;

	return fc_translate(ctx, la, len, acc, &off, exc);
}

static enum x86emu_result fc_fetch(void *ctx, uint64_t la, void *buf, uint32_t len, uint32_t acc,
				   struct x86emu_exception *exc)
{
	struct fake_cpu *c = ctx;
	uint64_t off;
	enum x86emu_result r = fc_translate(c, la, len, acc, &off, exc);

	if (r == X86EMU_DONE)
		memcpy(buf, c->mem + off, len);
	return r;
}

static uint64_t fc_read_gpr(void *ctx, enum x86emu_gpr reg)
{
	return ((struct fake_cpu *)ctx)->gpr[reg & 15];
}

static void fc_write_gpr(void *ctx, enum x86emu_gpr reg, uint64_t val)
{
	((struct fake_cpu *)ctx)->gpr[reg & 15] = val;
}

static uint64_t fc_read_rip(void *ctx) { return ((struct fake_cpu *)ctx)->rip; }
static void fc_write_rip(void *ctx, uint64_t v) { ((struct fake_cpu *)ctx)->rip = v; }
static uint64_t fc_read_rflags(void *ctx) { return ((struct fake_cpu *)ctx)->rflags; }
static void fc_write_rflags(void *ctx, uint64_t v) { ((struct fake_cpu *)ctx)->rflags = v; }

static void fc_read_seg(void *ctx, enum x86emu_seg seg, struct x86emu_segdesc *out)
{
	*out = ((struct fake_cpu *)ctx)->seg[(unsigned int)seg % X86EMU_NR_SEGS];
}

static uint64_t fc_read_cr(void *ctx, unsigned int cr)
{
	return cr < 18 ? ((struct fake_cpu *)ctx)->cr[cr] : 0;
}

static void fc_read_vec(void *ctx, unsigned int reg, uint8_t *out, uint32_t len)
{
	memcpy(out, ((struct fake_cpu *)ctx)->vec[reg & 15], len > 32 ? 32 : len);
}

static void fc_write_vec(void *ctx, unsigned int reg, const uint8_t *in, uint32_t len)
{
	memcpy(((struct fake_cpu *)ctx)->vec[reg & 15], in, len > 32 ? 32 : len);
}

static void fc_log_io(struct fake_cpu *c, uint16_t port, uint32_t size, bool out, uint32_t val)
{
	if (c->io_n < sizeof(c->io_log) / sizeof(c->io_log[0]))
		c->io_log[c->io_n] = (struct fake_io){ .port = port, .size = (uint8_t)size, .out = out, .val = val };
	c->io_n++;
}

static enum x86emu_result fc_io_in(void *ctx, uint16_t port, uint32_t size, uint32_t *val,
				   struct x86emu_exception *exc)
{
	struct fake_cpu *c = ctx;
	(void)exc;
	*val = size >= 4 ? c->io_in_val : c->io_in_val & ((1u << (8 * size)) - 1);
	fc_log_io(c, port, size, false, *val);
	return X86EMU_DONE;
}

static enum x86emu_result fc_io_out(void *ctx, uint16_t port, uint32_t size, uint32_t val,
				    struct x86emu_exception *exc)
{
	(void)exc;
	fc_log_io(ctx, port, size, true, val);
	return X86EMU_DONE;
}

static void fc_raise(void *ctx, const struct x86emu_exception *exc)
{
	struct fake_cpu *c = ctx;
	c->raised = *exc;
	c->raised_n++;
}

const struct x86emu_ops fake_cpu_ops = {
	.read = fc_read, .write = fc_write, .probe = fc_probe, .fetch = fc_fetch,
	.read_gpr = fc_read_gpr, .write_gpr = fc_write_gpr,
	.read_rip = fc_read_rip, .write_rip = fc_write_rip,
	.read_rflags = fc_read_rflags, .write_rflags = fc_write_rflags,
	.read_seg = fc_read_seg, .read_cr = fc_read_cr,
	.read_vec = fc_read_vec, .write_vec = fc_write_vec,
	.io_in = fc_io_in, .io_out = fc_io_out, .raise = fc_raise,
};

static enum x86emu_result fw_read_pte(void *ctx, uint64_t gpa, uint32_t size, uint64_t *val)
{
	struct fake_cpu *c = ctx;
	uint64_t v = 0;

	if (gpa < c->mem_base || gpa - c->mem_base > c->mem_size - size)
		return X86EMU_UNHANDLEABLE;
	memcpy(&v, c->mem + (gpa - c->mem_base), size);
	*val = v;
	return X86EMU_DONE;
}

static enum x86emu_result fw_update_pte(void *ctx, uint64_t gpa, uint32_t size, uint64_t old, uint64_t val)
{
	struct fake_cpu *c = ctx;
	uint64_t cur = 0;

	if (gpa < c->mem_base || gpa - c->mem_base > c->mem_size - size)
		return X86EMU_UNHANDLEABLE;
	memcpy(&cur, c->mem + (gpa - c->mem_base), size);
	if (cur != old)
		return X86EMU_RETRY;
	memcpy(c->mem + (gpa - c->mem_base), &val, size);
	return X86EMU_DONE;
}

const struct x86emu_walk_ops fake_walk_ops = { .read_pte = fw_read_pte, .update_pte = fw_update_pte };

#define ATTR_DATA (0x3u | X86EMU_SEG_ATTR_S | X86EMU_SEG_ATTR_P) /* read/write, accessed */
#define ATTR_CODE (0xbu | X86EMU_SEG_ATTR_S | X86EMU_SEG_ATTR_P) /* execute/read, accessed */

void fake_cpu_init64(struct fake_cpu *c, unsigned int cpl)
{
	uint16_t dpl = (uint16_t)((cpl & 3) << X86EMU_SEG_ATTR_DPL_SHIFT);

	for (unsigned int i = 0; i < X86EMU_NR_SEGS; i++)
		c->seg[i] = (struct x86emu_segdesc){ .base = 0, .limit = 0xffffffff, .sel = 0x2b,
						     .attr = (uint16_t)(ATTR_DATA | dpl | X86EMU_SEG_ATTR_G) };
	c->seg[X86EMU_CS].attr = (uint16_t)(ATTR_CODE | dpl | X86EMU_SEG_ATTR_L | X86EMU_SEG_ATTR_G);
	c->cr[0] = (1ull << 0) | (1ull << 16) | (1ull << 31) | (1ull << 1) | (1ull << 5);
	c->cr[4] = (1ull << 5) | (1ull << 9) | (1ull << 10) | (1ull << 18);
	c->cr[X86EMU_CR_EFER] = (1ull << 8) | (1ull << 10) | (1ull << 11);
	c->cr[X86EMU_CR_XCR0] = 7;
	c->rflags = 0x2;
}

void fake_cpu_init_legacy(struct fake_cpu *c, bool prot, bool db)
{
	for (unsigned int i = 0; i < X86EMU_NR_SEGS; i++)
		c->seg[i] = (struct x86emu_segdesc){ .base = 0, .limit = prot ? 0xffffffff : 0xffff,
						     .attr = (uint16_t)(ATTR_DATA | (db ? X86EMU_SEG_ATTR_DB : 0)) };
	c->seg[X86EMU_CS].attr = (uint16_t)(ATTR_CODE | (db ? X86EMU_SEG_ATTR_DB : 0));
	c->cr[0] = prot ? 1 : 0;
	c->cr[4] = 1ull << 9;
	c->cr[X86EMU_CR_EFER] = 0;
	c->cr[X86EMU_CR_XCR0] = 3;
	c->rflags = 0x2;
}
