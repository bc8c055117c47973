#include "core/x86/mmio.h"

#include "core/bus.h"
#include "core/console.h"
#include "core/main.h"
#include "core/x86/msr.h"
#include "core/str.h"
#include "core/tee.h"
#include "core/x86emu/walk.h"
#include "core/x86emu/x86emu.h"

#define CR0_PG (1ull << 31)
#define VEC_GP 13
#define VEC_UD 6
/* Log the first few hidden-memory accesses in full, then one in every HIDDEN_LOG_EVERY. */
#define HIDDEN_LOG_FIRST 16
#define HIDDEN_LOG_EVERY 4096

static uint64_t hidden_reads, hidden_writes;

uint64_t mmio_hidden_reads(void)
{
	return hidden_reads;
}

uint64_t mmio_hidden_writes(void)
{
	return hidden_writes;
}

static bool is_guest_ram(uint32_t type)
{
	return type == MEM_USABLE || type == MEM_MODULE || type == MEM_ACPI_RECLAIM || type == MEM_ACPI_NVS;
}

enum gpa_class mmio_classify(uint64_t gpa)
{
	uint32_t type = memmap_type_at(core_memmap(), gpa);

	if (type == MEM_MANTLE)
		return GPA_HIDDEN;
	if (type == MEM_EMULATED)
		return GPA_DEVICE;
	return is_guest_ram(type) ? GPA_RAM : GPA_UNBACKED;
}

static void log_hidden(struct vp *vp, uint64_t gpa, bool write)
{
	uint64_t n = write ? ++hidden_writes : ++hidden_reads;

	if (n <= HIDDEN_LOG_FIRST || n % HIDDEN_LOG_EVERY == 0)
		console_printf("mantle: vp%u: guest %s of hidden memory at gpa %llx (rip %llx), %s (#%llu)\n",
			       vp->id, write ? "write" : "read", (unsigned long long)gpa,
			       (unsigned long long)vp->regs.rip, write ? "dropped" : "all-ones",
			       (unsigned long long)n);
}

/* A device access, split into naturally sized pieces of at most 8 bytes (the emulator passes up to 32
 * for vector moves). A handler's failure makes the whole instruction fault. */
static int device_access(struct vp *vp, uint64_t gpa, uint8_t *buf, uint32_t len, bool write)
{
	const struct mmio_handler *h = bus_mmio_find(gpa);

	if (!h)
		return -1;
	while (len) {
		uint8_t n = len >= 8 && !(gpa & 7) ? 8 : len >= 4 && !(gpa & 3) ? 4 : len >= 2 && !(gpa & 1) ? 2 : 1;
		uint64_t off = gpa - h->base, v = 0;
		if (off >= h->size || n > h->size - off)
			return -1;
		if (write) {
			memcpy(&v, buf, n);
			if (h->write(vp, off, n, v) != 0)
				return -1;
		} else {
			if (h->read(vp, off, n, &v) != 0)
				return -1;
			memcpy(buf, &v, n);
		}
		gpa += n;
		buf += n;
		len -= n;
	}
	return 0;
}

/* Physical access of at most one page. */
static int phys_access(struct vp *vp, uint64_t gpa, void *buf, uint32_t len, bool write)
{
	enum gpa_class c = mmio_classify(gpa);

	if (c == GPA_DEVICE)
		return device_access(vp, gpa, buf, len, write);

	/* A page never straddles classes: map types change only at page granularity for RAM, and
	 * a partial page is treated by the class of its first byte (as the nested tables map it). */
	if (c == GPA_RAM) {
		void *p = (void *)(uintptr_t)gpa;
		if (write)
			memcpy(p, buf, len);
		else
			memcpy(buf, p, len);
		return 0;
	}
	if (c == GPA_HIDDEN)
		log_hidden(vp, gpa, write);
	if (!write)
		memset(buf, 0xff, len);
	return 0;
}

static enum x86emu_result read_pte(void *ctx, uint64_t gpa, uint32_t size, uint64_t *val)
{
	(void)ctx;
	if (mmio_classify(gpa) != GPA_RAM || (gpa & (size - 1)))
		return X86EMU_UNHANDLEABLE;
	*val = size == 8 ? *(volatile uint64_t *)(uintptr_t)gpa : *(volatile uint32_t *)(uintptr_t)gpa;
	return X86EMU_DONE;
}

static enum x86emu_result update_pte(void *ctx, uint64_t gpa, uint32_t size, uint64_t old, uint64_t val)
{
	(void)ctx;
	if (mmio_classify(gpa) != GPA_RAM || (gpa & (size - 1)))
		return X86EMU_UNHANDLEABLE;
	bool ok = size == 8 ? __atomic_compare_exchange_n((uint64_t *)(uintptr_t)gpa, &old, val, false,
							  __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST)
			    : __atomic_compare_exchange_n((uint32_t *)(uintptr_t)gpa, &(uint32_t){ (uint32_t)old },
							  (uint32_t)val, false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
	return ok ? X86EMU_DONE : X86EMU_RETRY;
}

static const struct x86emu_walk_ops walk_ops = { .read_pte = read_pte, .update_pte = update_pte };

static enum x86emu_result translate(struct vp *vp, uint64_t la, uint32_t acc, uint64_t *gpa,
				    struct x86emu_exception *exc)
{
	if (!(vp->regs.cr0 & CR0_PG)) {
		*gpa = la & 0xffffffffull;
		return X86EMU_DONE;
	}
	struct x86emu_paging pg = {
		.cr0 = vp->regs.cr0, .cr3 = vp->regs.cr3, .cr4 = vp->regs.cr4, .efer = vp->regs.efer,
		.rflags = vp->regs.rflags, .pkru = 0, .maxphyaddr = 52,
	};
	return x86emu_walk(&walk_ops, vp, &pg, la, acc, gpa, exc);
}

static enum x86emu_result mem_rw(void *ctx, uint64_t la, void *buf, uint32_t len, uint32_t acc,
				 struct x86emu_exception *exc)
{
	struct vp *vp = ctx;
	uint64_t gpa;
	enum x86emu_result r = translate(vp, la, acc, &gpa, exc);

	if (r != X86EMU_DONE)
		return r;
	if (phys_access(vp, gpa, buf, len, (acc & X86EMU_ACC_WRITE) != 0) != 0) {
		*exc = (struct x86emu_exception){ .vector = VEC_GP, .has_error_code = true };
		return X86EMU_EXCEPTION;
	}
	return X86EMU_DONE;
}

static enum x86emu_result op_read(void *ctx, uint64_t la, void *buf, uint32_t len, uint32_t acc,
				  struct x86emu_exception *exc)
{
	return mem_rw(ctx, la, buf, len, acc & ~X86EMU_ACC_WRITE, exc);
}

static enum x86emu_result op_write(void *ctx, uint64_t la, const void *buf, uint32_t len, uint32_t acc,
				   struct x86emu_exception *exc)
{
	uint8_t tmp[32];

	if (len > sizeof(tmp))
		return X86EMU_UNHANDLEABLE;
	memcpy(tmp, buf, len);
	return mem_rw(ctx, la, tmp, len, acc | X86EMU_ACC_WRITE, exc);
}

static enum x86emu_result op_fetch(void *ctx, uint64_t la, void *buf, uint32_t len, uint32_t acc,
				   struct x86emu_exception *exc)
{
	return mem_rw(ctx, la, buf, len, (acc | X86EMU_ACC_FETCH) & ~X86EMU_ACC_WRITE, exc);
}

static uint64_t op_read_gpr(void *ctx, enum x86emu_gpr reg)
{
	return ((struct vp *)ctx)->regs.gpr[reg];
}

static void op_write_gpr(void *ctx, enum x86emu_gpr reg, uint64_t val)
{
	((struct vp *)ctx)->regs.gpr[reg] = val;
}

static uint64_t op_read_rip(void *ctx)
{
	return ((struct vp *)ctx)->regs.rip;
}

static void op_write_rip(void *ctx, uint64_t rip)
{
	((struct vp *)ctx)->regs.rip = rip;
}

static uint64_t op_read_rflags(void *ctx)
{
	return ((struct vp *)ctx)->regs.rflags;
}

static void op_write_rflags(void *ctx, uint64_t rflags)
{
	((struct vp *)ctx)->regs.rflags = rflags;
}

static void op_read_seg(void *ctx, enum x86emu_seg seg, struct x86emu_segdesc *out)
{
	const struct vp_segment *s = &((struct vp *)ctx)->regs.seg[seg];

	*out = (struct x86emu_segdesc){ .base = s->base, .limit = s->limit, .sel = s->sel, .attr = s->attr };
}

static uint64_t op_read_cr(void *ctx, unsigned int cr)
{
	const struct vp_regs *r = &((struct vp *)ctx)->regs;

	switch (cr) {
	case 0: return r->cr0;
	case 2: return r->cr2;
	case 3: return r->cr3;
	case 4: return r->cr4;
	case X86EMU_CR_EFER: return r->efer;
	case X86EMU_CR_XCR0: return r->xcr0;
	default: return 0;
	}
}

static void op_read_vec(void *ctx, unsigned int reg, uint8_t *out, uint32_t len)
{
	struct vp *vp = ctx;

	vp->tee->vp_vec(vp, reg, out, len, false);
}

static void op_write_vec(void *ctx, unsigned int reg, const uint8_t *in, uint32_t len)
{
	struct vp *vp = ctx;
	uint8_t tmp[32];

	memcpy(tmp, in, len <= sizeof(tmp) ? len : sizeof(tmp));
	vp->tee->vp_vec(vp, reg, tmp, len, true);
}

static enum x86emu_result op_io_in(void *ctx, uint16_t port, uint32_t size, uint32_t *val,
				   struct x86emu_exception *exc)
{
	struct vp *vp = ctx;
	const struct io_handler *h = bus_io_find(port);

	(void)exc;
	if (!h) {
		vp->tee->io_forward(port, (uint8_t)size, true, val);
		return X86EMU_DONE;
	}
	return h->in(vp, port, (uint8_t)size, val) == 0 ? X86EMU_DONE : X86EMU_UNHANDLEABLE;
}

static enum x86emu_result op_io_out(void *ctx, uint16_t port, uint32_t size, uint32_t val,
				    struct x86emu_exception *exc)
{
	struct vp *vp = ctx;
	const struct io_handler *h = bus_io_find(port);

	(void)exc;
	if (!h) {
		vp->tee->io_forward(port, (uint8_t)size, false, &val);
		return X86EMU_DONE;
	}
	return h->out(vp, port, (uint8_t)size, val) == 0 ? X86EMU_DONE : X86EMU_UNHANDLEABLE;
}

static void op_raise(void *ctx, const struct x86emu_exception *exc)
{
	struct vp *vp = ctx;

	if (exc->vector == 14)
		vp->regs.cr2 = exc->cr2;
	vp_inject_exception(vp, exc->vector, exc->has_error_code, exc->error_code);
}

static const struct x86emu_ops guest_ops = {
	.read = op_read, .write = op_write, .fetch = op_fetch,
	.read_gpr = op_read_gpr, .write_gpr = op_write_gpr,
	.read_rip = op_read_rip, .write_rip = op_write_rip,
	.read_rflags = op_read_rflags, .write_rflags = op_write_rflags,
	.read_seg = op_read_seg, .read_cr = op_read_cr,
	.read_vec = op_read_vec, .write_vec = op_write_vec,
	.io_in = op_io_in, .io_out = op_io_out, .raise = op_raise,
};

enum vp_action mmio_emulate_insn(struct vp *vp)
{
	struct x86emu emu = {
		.ops = &guest_ops,
		.ctx = vp,
		.mode = x86emu_mode_of(vp->regs.cr0, vp->regs.efer, vp->regs.seg[VP_CS].attr),
	};
	struct x86emu_insn insn;

	switch (x86emu_emulate(&emu, &insn)) {
	case X86EMU_DONE:
	case X86EMU_RETRY:
		return VP_RESUME;
	case X86EMU_EXCEPTION:
		return VP_INJECT;
	case X86EMU_UNHANDLEABLE:
	default:
		console_printf("mantle: vp%u: cannot emulate the instruction at rip %llx (exit %llx); #GP\n",
			       vp->id, (unsigned long long)vp->regs.rip, (unsigned long long)vp->exit.raw);
		vp_inject_exception(vp, VEC_GP, true, 0);
		return VP_INJECT;
	}
}
