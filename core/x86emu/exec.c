/* x86emu execution core: dispatch, RIP advance, exceptions, register widths, effective addresses,
 * segmentation and canonical checks, and page-split memory access.
 *
 * Commit order: an executor performs all reads first, then memory writes, then register and flag
 * writes, so a fault or retry on any memory access leaves registers untouched.
 */
#include "core/str.h"
#include "core/x86emu/exec.h"

static const x86emu_exec_fn exec_table[X86EMU_OP_COUNT] = {
	[X86EMU_OP_ADD] = x86emu_exec_alu, [X86EMU_OP_OR] = x86emu_exec_alu,
	[X86EMU_OP_ADC] = x86emu_exec_alu, [X86EMU_OP_SBB] = x86emu_exec_alu,
	[X86EMU_OP_AND] = x86emu_exec_alu, [X86EMU_OP_SUB] = x86emu_exec_alu,
	[X86EMU_OP_XOR] = x86emu_exec_alu, [X86EMU_OP_CMP] = x86emu_exec_alu,
	[X86EMU_OP_TEST] = x86emu_exec_alu,
	[X86EMU_OP_MOV] = x86emu_exec_mov,
	[X86EMU_OP_MOVZX] = x86emu_exec_movx,
	[X86EMU_OP_MOVSX] = x86emu_exec_movx,
	[X86EMU_OP_MOVSXD] = x86emu_exec_movx,
	[X86EMU_OP_XCHG] = x86emu_exec_xchg,
	[X86EMU_OP_CMPXCHG] = x86emu_exec_cmpxchg,
	[X86EMU_OP_BT] = x86emu_exec_bt, [X86EMU_OP_BTS] = x86emu_exec_bt,
	[X86EMU_OP_BTR] = x86emu_exec_bt, [X86EMU_OP_BTC] = x86emu_exec_bt,
	[X86EMU_OP_MOVNTI] = x86emu_exec_mov,
	[X86EMU_OP_MOVBE] = x86emu_exec_movbe,
	[X86EMU_OP_MOVS] = x86emu_exec_string, [X86EMU_OP_STOS] = x86emu_exec_string,
	[X86EMU_OP_LODS] = x86emu_exec_string, [X86EMU_OP_INS] = x86emu_exec_string,
	[X86EMU_OP_OUTS] = x86emu_exec_string,
	[X86EMU_OP_IN] = x86emu_exec_port, [X86EMU_OP_OUT] = x86emu_exec_port,
	[X86EMU_OP_VMOV] = x86emu_exec_vmov, [X86EMU_OP_VMOVD] = x86emu_exec_vmov,
	[X86EMU_OP_VMOVQ] = x86emu_exec_vmov,
};

enum x86emu_result x86emu_fault(struct x86emu *emu, uint8_t vector, bool has_ec, uint32_t ec)
{
	emu->exc.vector = vector;
	emu->exc.has_error_code = has_ec && emu->mode != X86EMU_MODE_REAL;
	emu->exc.error_code = emu->exc.has_error_code ? ec : 0;
	emu->exc.cr2 = 0;
	return X86EMU_EXCEPTION;
}

unsigned int x86emu_cpl(struct x86emu *emu)
{
	struct x86emu_segdesc ss;

	if (emu->mode == X86EMU_MODE_REAL)
		return 0;
	if (emu->cpl_cache)
		return emu->cpl_cache - 1u;
	emu->ops->read_seg(emu->ctx, X86EMU_SS, &ss);
	emu->cpl_cache = (uint8_t)(((ss.attr >> X86EMU_SEG_ATTR_DPL_SHIFT) & 3) + 1);
	return emu->cpl_cache - 1u;
}



uint64_t x86emu_gpr_read(struct x86emu *emu, const struct x86emu_insn *insn, unsigned int reg,
			 unsigned int size)
{
	reg &= 15;
	if (size == 1 && !insn->rex && reg >= 4 && reg < 8)
		return (emu->ops->read_gpr(emu->ctx, (enum x86emu_gpr)(reg - 4)) >> 8) & 0xff;
	return emu->ops->read_gpr(emu->ctx, (enum x86emu_gpr)reg) & x86emu_size_mask(size);
}

void x86emu_gpr_write(struct x86emu *emu, const struct x86emu_insn *insn, unsigned int reg,
		      unsigned int size, uint64_t val)
{
	reg &= 15;
	if (size == 1 && !insn->rex && reg >= 4 && reg < 8) {
		enum x86emu_gpr r = (enum x86emu_gpr)(reg - 4);
		uint64_t old = emu->ops->read_gpr(emu->ctx, r);
		emu->ops->write_gpr(emu->ctx, r, (old & ~0xff00ull) | ((val & 0xff) << 8));
		return;
	}
	if (size >= 4) {
		/* A 32-bit destination is zero-extended to 64 bits (SDM Vol. 1 §3.4.1.1). */
		emu->ops->write_gpr(emu->ctx, (enum x86emu_gpr)reg, val & x86emu_size_mask(size));
		return;
	}
	uint64_t old = emu->ops->read_gpr(emu->ctx, (enum x86emu_gpr)reg);
	uint64_t m = x86emu_size_mask(size);
	emu->ops->write_gpr(emu->ctx, (enum x86emu_gpr)reg, (old & ~m) | (val & m));
}

uint64_t x86emu_ea(struct x86emu *emu, const struct x86emu_insn *insn)
{
	uint64_t ea = (uint64_t)insn->disp;

	if (insn->base != 0xff)
		ea += emu->ops->read_gpr(emu->ctx, (enum x86emu_gpr)(insn->base & 15));
	if (insn->index != 0xff)
		ea += emu->ops->read_gpr(emu->ctx, (enum x86emu_gpr)(insn->index & 15)) << insn->scale;
	if (insn->rip_rel)
		ea += emu->ops->read_rip(emu->ctx) + insn->len;
	return ea & x86emu_size_mask(insn->addrsize);
}

/* Both ends of [la, la + size) canonical: 48-bit linear addresses, 57 with CR4.LA57 (bit 12). */
static inline __attribute__((always_inline)) bool canonical(struct x86emu *emu, uint64_t la, uint32_t size)
{
	unsigned int sh = (emu->ops->read_cr(emu->ctx, 4) & (1ull << 12)) ? 64 - 57 : 64 - 48;
	uint64_t last = la + size - 1;

	return (uint64_t)((int64_t)(la << sh) >> sh) == la && (uint64_t)((int64_t)(last << sh) >> sh) == last;
}

static enum x86emu_result seg_fault(struct x86emu *emu, unsigned int seg)
{
	return x86emu_fault(emu, seg == X86EMU_SS ? X86EMU_EXC_SS : X86EMU_EXC_GP, true, 0);
}

/* Segment type and limit checks for a non-64-bit access (SDM Vol. 3 §5.3, §5.4). */
static enum x86emu_result seg_check(struct x86emu *emu, unsigned int seg, uint64_t off, uint32_t size,
				    uint32_t acc, uint64_t *la)
{
	struct x86emu_segdesc d;

	emu->ops->read_seg(emu->ctx, (enum x86emu_seg)seg, &d);
	uint16_t type = d.attr & X86EMU_SEG_ATTR_TYPE;
	if (emu->mode != X86EMU_MODE_REAL) {
		if (!(d.attr & X86EMU_SEG_ATTR_P) || !(d.attr & X86EMU_SEG_ATTR_S))
			return seg_fault(emu, seg);
		bool code = (type & 8) != 0;
		if ((acc & X86EMU_ACC_WRITE) && (code || !(type & 2)))
			return seg_fault(emu, seg);
		if (!(acc & X86EMU_ACC_WRITE) && code && !(type & 2))
			return seg_fault(emu, seg);
		if (!code && (type & 4)) {
			/* Expand-down: valid offsets are limit+1 .. 0xffff or 0xffffffff. */
			uint64_t top = (d.attr & X86EMU_SEG_ATTR_DB) ? 0xffffffffull : 0xffffull;
			if (off <= d.limit || off + size - 1 > top)
				return seg_fault(emu, seg);
			*la = (d.base + off) & 0xffffffffull;
			return X86EMU_DONE;
		}
	}
	if (off + size - 1 > d.limit)
		return seg_fault(emu, seg);
	*la = (d.base + off) & 0xffffffffull;
	return X86EMU_DONE;
}

static inline __attribute__((always_inline)) enum x86emu_result linear(struct x86emu *emu, unsigned int seg, uint64_t off, uint32_t size,
				 uint32_t acc, uint64_t *la)
{
	if (emu->mode != X86EMU_MODE_LONG64)
		return seg_check(emu, seg, off, size, acc, la);
	uint64_t base = 0;
	if (seg == X86EMU_FS || seg == X86EMU_GS) {
		struct x86emu_segdesc d;
		emu->ops->read_seg(emu->ctx, (enum x86emu_seg)seg, &d);
		base = d.base;
	}
	*la = base + off;
	if (!canonical(emu, *la, size))
		return seg_fault(emu, seg);
	return X86EMU_DONE;
}

static inline __attribute__((always_inline)) uint32_t user_acc(struct x86emu *emu, uint32_t acc)
{
	return x86emu_cpl(emu) == 3 ? acc | X86EMU_ACC_USER : acc;
}

/* Alignment check (SDM Vol. 3 §6.15 "Interrupt 17"): at CPL 3 with CR0.AM and RFLAGS.AC, a data access
 * not aligned to its size (at most 16, as the host CPU does for 32-byte VEX moves) raises #AC(0).
 * `acc` already carries X86EMU_ACC_USER. */
static inline __attribute__((always_inline)) enum x86emu_result align_check(struct x86emu *emu, uint64_t la,
									   uint32_t size, uint32_t acc)
{
	uint32_t align = size > 16 ? 16 : size;

	if (!(acc & X86EMU_ACC_USER) || size < 2 || !(la & (align - 1)))
		return X86EMU_DONE;
	if ((emu->ops->read_cr(emu->ctx, 0) & (1ull << 18)) && (emu->ops->read_rflags(emu->ctx) & X86EMU_FLAG_AC))
		return x86emu_fault(emu, X86EMU_EXC_AC, true, 0);
	return X86EMU_DONE;
}

/* ops->probe over every page piece of an access. */
static enum x86emu_result probe(struct x86emu *emu, uint64_t la, uint32_t size, uint32_t acc)
{
	uint64_t amask = emu->mode == X86EMU_MODE_LONG64 ? ~0ull : 0xffffffffull;
	uint32_t done = 0;

	if (!emu->ops->probe)
		return X86EMU_DONE;
	while (done < size) {
		uint64_t a = (la + done) & amask;
		uint32_t chunk = (uint32_t)(4096 - (a & 4095));
		if (chunk > size - done)
			chunk = size - done;
		enum x86emu_result r = emu->ops->probe(emu->ctx, a, chunk, acc, &emu->exc);
		if (r != X86EMU_DONE)
			return r;
		done += chunk;
	}
	return X86EMU_DONE;
}

enum x86emu_result x86emu_mem_probe_write(struct x86emu *emu, unsigned int seg, uint64_t off,
					  uint32_t size)
{
	uint64_t la;
	enum x86emu_result r = linear(emu, seg, off, size, X86EMU_ACC_WRITE, &la);

	if (r != X86EMU_DONE)
		return r;
	return probe(emu, la, size, user_acc(emu, X86EMU_ACC_WRITE));
}

/* One access split into page-sized pieces. A write that crosses a page probes every piece first, so
 * a fault on the second page leaves the first unwritten. */
static inline __attribute__((always_inline)) enum x86emu_result mem_access(struct x86emu *emu, uint64_t la, const uint8_t *buf, uint32_t size,
				     uint32_t acc, bool write)
{
	uint64_t amask = emu->mode == X86EMU_MODE_LONG64 ? ~0ull : 0xffffffffull;
	uint32_t done = 0;

	if ((la & 4095) + size <= 4096) { /* the common case: one page */
		if (write)
			return emu->ops->write(emu->ctx, la, buf, size, acc, &emu->exc);
		return emu->ops->read(emu->ctx, la, (uint8_t *)buf, size, acc, &emu->exc);
	}
	if (write) {
		enum x86emu_result r = probe(emu, la, size, acc);
		if (r != X86EMU_DONE)
			return r;
	}
	while (done < size) {
		uint64_t a = (la + done) & amask;
		uint32_t chunk = (uint32_t)(4096 - (a & 4095));
		if (chunk > size - done)
			chunk = size - done;
		enum x86emu_result r;
		if (write)
			r = emu->ops->write(emu->ctx, a, buf + done, chunk, acc, &emu->exc);
		else
			r = emu->ops->read(emu->ctx, a, (uint8_t *)buf + done, chunk, acc, &emu->exc);
		if (r != X86EMU_DONE)
			return r;
		done += chunk;
	}
	return X86EMU_DONE;
}

enum x86emu_result x86emu_mem_read(struct x86emu *emu, const struct x86emu_insn *insn, unsigned int seg,
				   uint64_t off, void *buf, uint32_t size, uint32_t acc)
{
	uint64_t la;
	enum x86emu_result r;

	(void)insn;
	r = linear(emu, seg, off, size, acc, &la);
	if (r != X86EMU_DONE)
		return r;
	acc = user_acc(emu, acc);
	r = align_check(emu, la, size, acc);
	if (r != X86EMU_DONE)
		return r;
	return mem_access(emu, la, buf, size, acc, false);
}

enum x86emu_result x86emu_mem_write(struct x86emu *emu, const struct x86emu_insn *insn, unsigned int seg,
				    uint64_t off, const void *buf, uint32_t size)
{
	uint64_t la;
	uint32_t acc;
	enum x86emu_result r;

	(void)insn;
	r = linear(emu, seg, off, size, X86EMU_ACC_WRITE, &la);
	if (r != X86EMU_DONE)
		return r;
	acc = user_acc(emu, X86EMU_ACC_WRITE);
	r = align_check(emu, la, size, acc);
	if (r != X86EMU_DONE)
		return r;
	return mem_access(emu, la, buf, size, acc, true);
}

/* Guest memory is little-endian and so is every host this builds for (x86-64 image and tests). */
#if __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "x86emu assumes a little-endian host"
#endif

/* Constant-size copies so the compiler emits single moves instead of a memcpy call (the image builds
 * with -fno-builtin, hence the explicit builtins). */
static uint64_t le_load(const uint8_t *b, unsigned int size)
{
	uint8_t v8;
	uint16_t v16;
	uint32_t v32;
	uint64_t v64;

	switch (size) {
	case 1: __builtin_memcpy(&v8, b, 1); return v8;
	case 2: __builtin_memcpy(&v16, b, 2); return v16;
	case 4: __builtin_memcpy(&v32, b, 4); return v32;
	default: __builtin_memcpy(&v64, b, 8); return v64;
	}
}

static void le_store(uint8_t *b, uint64_t v, unsigned int size)
{
	uint8_t v8 = (uint8_t)v;
	uint16_t v16 = (uint16_t)v;
	uint32_t v32 = (uint32_t)v;

	switch (size) {
	case 1: __builtin_memcpy(b, &v8, 1); break;
	case 2: __builtin_memcpy(b, &v16, 2); break;
	case 4: __builtin_memcpy(b, &v32, 4); break;
	default: __builtin_memcpy(b, &v, 8); break;
	}
}

enum x86emu_result x86emu_rm_read(struct x86emu *emu, const struct x86emu_insn *insn, unsigned int size,
				  uint32_t acc, uint64_t *val)
{
	uint8_t b[8];
	enum x86emu_result r;

	if (!insn->mem) {
		*val = x86emu_gpr_read(emu, insn, insn->modrm_rm, size);
		return X86EMU_DONE;
	}
	r = x86emu_mem_read(emu, insn, insn->seg, x86emu_ea(emu, insn), b, size, acc);
	if (r == X86EMU_DONE)
		*val = le_load(b, size);
	return r;
}

enum x86emu_result x86emu_rm_write(struct x86emu *emu, const struct x86emu_insn *insn, unsigned int size,
				   uint64_t val)
{
	uint8_t b[8];

	if (!insn->mem) {
		x86emu_gpr_write(emu, insn, insn->modrm_rm, size, val);
		return X86EMU_DONE;
	}
	le_store(b, val, size);
	return x86emu_mem_write(emu, insn, insn->seg, x86emu_ea(emu, insn), b, size);
}

void x86emu_flags_update(struct x86emu *emu, uint64_t mask, uint64_t val)
{
	uint64_t f = emu->ops->read_rflags(emu->ctx);
	emu->ops->write_rflags(emu->ctx, (f & ~mask) | (val & mask));
}

/* A struct x86emu_insn comes from x86emu_decode(), but it is plain memory the caller holds: refuse
 * one whose fields could index or size anything out of range. */
static bool insn_sane(const struct x86emu *emu, const struct x86emu_insn *insn)
{
	uint8_t os = insn->opsize, as = insn->addrsize;

	return insn->op != X86EMU_OP_NONE && insn->op < X86EMU_OP_COUNT && exec_table[insn->op] &&
	       insn->mode == (uint8_t)emu->mode && insn->len != 0 && insn->len <= X86EMU_MAX_INSN_LEN &&
	       os <= 32 && ((0x100010116ull >> os) & 1) /* 1, 2, 4, 8, 16, 32 */ &&
	       as <= 8 && ((0x114u >> as) & 1) /* 2, 4, 8 */ &&
	       insn->scale <= 3 && insn->seg < X86EMU_NR_SEGS && insn->align <= 32;
}

enum x86emu_result x86emu_execute(struct x86emu *emu, const struct x86emu_insn *insn)
{
	enum x86emu_result r;

	if (!insn_sane(emu, insn))
		return X86EMU_UNHANDLEABLE;
	emu->hold_rip = false;
	emu->cpl_cache = 0;
	r = exec_table[insn->op](emu, insn);
	if (r == X86EMU_EXCEPTION) {
		emu->ops->raise(emu->ctx, &emu->exc);
		return r;
	}
	if (r != X86EMU_DONE || emu->hold_rip)
		return r;
	uint64_t mask = emu->mode == X86EMU_MODE_LONG64 ? ~0ull :
			emu->mode == X86EMU_MODE_PROT32 ? 0xffffffffull : 0xffffull;
	emu->ops->write_rip(emu->ctx, (emu->ops->read_rip(emu->ctx) + insn->len) & mask);
	return X86EMU_DONE;
}

/* Instruction fetch at CS:RIP: up to 15 bytes, stopping at the CS limit outside 64-bit mode and
 * fetching the second page only when the decoder asks for more. */
enum x86emu_result x86emu_emulate(struct x86emu *emu, struct x86emu_insn *insn)
{
	uint8_t buf[X86EMU_MAX_INSN_LEN];
	struct x86emu_segdesc cs;
	uint64_t rip = emu->ops->read_rip(emu->ctx), base = 0, limit = ~0ull;
	uint32_t have = 0, want = X86EMU_MAX_INSN_LEN;
	uint32_t acc;
	enum x86emu_result r;

	emu->cpl_cache = 0;
	acc = user_acc(emu, X86EMU_ACC_FETCH);

	if (emu->mode != X86EMU_MODE_LONG64) {
		emu->ops->read_seg(emu->ctx, X86EMU_CS, &cs);
		base = cs.base;
		limit = cs.limit;
		rip &= 0xffffffffull;
	}
	for (;;) {
		uint64_t la = base + rip + have;
		if (emu->mode != X86EMU_MODE_LONG64)
			la &= 0xffffffffull;
		uint32_t chunk = (uint32_t)(4096 - (la & 4095));
		if (chunk > want - have)
			chunk = want - have;
		if (rip + have > limit) {
			r = x86emu_fault(emu, X86EMU_EXC_GP, true, 0);
			break;
		}
		if (rip + have + chunk - 1 > limit)
			chunk = (uint32_t)(limit - (rip + have) + 1);
		r = emu->ops->fetch(emu->ctx, la, buf + have, chunk, acc, &emu->exc);
		if (r != X86EMU_DONE)
			break;
		have += chunk;
		r = x86emu_decode(insn, emu->mode, buf, have, &emu->exc);
		if (r != X86EMU_RETRY || have >= want)
			break;
	}
	if (r == X86EMU_EXCEPTION) {
		emu->ops->raise(emu->ctx, &emu->exc);
		return r;
	}
	if (r != X86EMU_DONE)
		return r;
	return x86emu_execute(emu, insn);
}

enum x86emu_mode x86emu_mode_of(uint64_t cr0, uint64_t efer, uint16_t cs_attr)
{
	if (!(cr0 & 1))
		return X86EMU_MODE_REAL;
	if ((efer & (1ull << 10)) && (cs_attr & X86EMU_SEG_ATTR_L))
		return X86EMU_MODE_LONG64;
	return (cs_attr & X86EMU_SEG_ATTR_DB) ? X86EMU_MODE_PROT32 : X86EMU_MODE_PROT16;
}
