/* Guest page-table walker (SDM Vol. 3 ch. 4).
 *
 *   32-bit paging      CR3 -> PD (1024 x 4 B, bits 31:22) -> PT (bits 21:12)   4 MiB pages with CR4.PSE
 *   PAE                CR3 -> PDPT (4 x 8 B, bits 31:30) -> PD (21) -> PT (12) 2 MiB pages
 *   4-level (IA-32e)   CR3 -> PML4 (47:39) -> PDPT (38:30) -> PD (29:21) -> PT  1 GiB / 2 MiB pages
 *   5-level            CR3 -> PML5 (56:48) -> PML4 -> ...
 */
#include "core/x86emu/walk.h"

#define PTE_P (1ull << 0)
#define PTE_RW (1ull << 1)
#define PTE_US (1ull << 2)
#define PTE_A (1ull << 5)
#define PTE_D (1ull << 6)
#define PTE_PS (1ull << 7)
#define PTE_XD (1ull << 63)

#define CR0_PG (1ull << 31)
#define CR0_WP (1ull << 16)
#define CR4_PSE (1ull << 4)
#define CR4_PAE (1ull << 5)
#define CR4_LA57 (1ull << 12)
#define CR4_SMEP (1ull << 20)
#define CR4_SMAP (1ull << 21)
#define CR4_PKE (1ull << 22)
#define EFER_LMA (1ull << 10)
#define EFER_NXE (1ull << 11)

struct walk {
	const struct x86emu_walk_ops *ops;
	void *ctx;
	const struct x86emu_paging *pg;
	uint64_t la;
	uint32_t acc;
	bool ia32e, pae, nxe;
	uint64_t addr_mask;          /* physical-address bits 51:12 below MAXPHYADDR */
	uint64_t ent[5], ent_gpa[5]; /* entries used, top level first */
	unsigned int n;
	uint32_t esize;
};

static enum x86emu_result pf(const struct walk *w, uint32_t ec, struct x86emu_exception *exc)
{
	if (w->acc & X86EMU_ACC_WRITE)
		ec |= X86EMU_PF_W;
	if (w->acc & X86EMU_ACC_USER)
		ec |= X86EMU_PF_U;
	/* I is reported for fetches when NX or SMEP is in force (SDM Vol. 3 §4.7). */
	if ((w->acc & X86EMU_ACC_FETCH) && (w->nxe || (w->pg->cr4 & CR4_SMEP)))
		ec |= X86EMU_PF_I;
	exc->vector = X86EMU_EXC_PF;
	exc->has_error_code = true;
	exc->error_code = ec;
	exc->cr2 = w->la;
	return X86EMU_EXCEPTION;
}

/* Reserved bits of an entry at `level` (1 = PT ... 5 = PML5); `leaf_large` when PS makes it a leaf. */
static uint64_t rsvd_bits(const struct walk *w, unsigned int level, bool leaf_large)
{
	uint64_t r;

	if (w->esize == 4)
		return leaf_large ? (1ull << 21) : 0;
	r = ~w->addr_mask & 0x000ffffffffff000ull; /* bits MAXPHYADDR..51 */
	if (!w->nxe)
		r |= PTE_XD;
	if (!w->ia32e && level == 3)
		r |= PTE_XD | 0x1e6ull; /* PAE PDPTE: bits 2:1, 8:5 and 63 */
	if (w->ia32e && level >= 4)
		r |= PTE_PS;
	if (leaf_large)
		r |= ((1ull << (level == 3 ? 30 : 21)) - 1) & ~0x1fffull; /* bits 29/20 .. 13 */
	return r;
}

static enum x86emu_result check_access(const struct walk *w, bool rw, bool us, bool nx, uint64_t leaf,
				       struct x86emu_exception *exc)
{
	const struct x86emu_paging *pg = w->pg;
	bool write = w->acc & X86EMU_ACC_WRITE, fetch = w->acc & X86EMU_ACC_FETCH;
	bool user = w->acc & X86EMU_ACC_USER;

	if (user) {
		if (!us || (write && !rw) || (fetch && nx))
			return pf(w, X86EMU_PF_P, exc);
	} else {
		if (write && !rw && (pg->cr0 & CR0_WP))
			return pf(w, X86EMU_PF_P, exc);
		if (fetch && (nx || (us && (pg->cr4 & CR4_SMEP))))
			return pf(w, X86EMU_PF_P, exc);
		if (!fetch && us && (pg->cr4 & CR4_SMAP) &&
		    ((w->acc & X86EMU_ACC_IMPLICIT) || !(pg->rflags & X86EMU_FLAG_AC)))
			return pf(w, X86EMU_PF_P, exc);
	}
	/* Protection keys apply to data accesses to user pages under IA-32e paging (§4.6.2). */
	if (w->ia32e && us && !fetch && (pg->cr4 & CR4_PKE)) {
		unsigned int key = (unsigned int)((leaf >> 59) & 0xf);
		bool ad = (pg->pkru >> (2 * key)) & 1, wd = (pg->pkru >> (2 * key + 1)) & 1;
		if (ad || (write && wd && (user || (pg->cr0 & CR0_WP))))
			return pf(w, X86EMU_PF_P | X86EMU_PF_PK, exc);
	}
	return X86EMU_DONE;
}

/* Sets A in every entry used and D in the leaf for writes, each with a compare-and-exchange. */
static enum x86emu_result set_ad(struct walk *w)
{
	for (unsigned int i = 0; i < w->n; i++) {
		uint64_t nv = w->ent[i] | PTE_A;
		if (i == w->n - 1 && (w->acc & X86EMU_ACC_WRITE))
			nv |= PTE_D;
		/* The PAE PDPTE has no A bit. */
		if (nv == w->ent[i] || (w->pae && !w->ia32e && i == 0))
			continue;
		enum x86emu_result r = w->ops->update_pte(w->ctx, w->ent_gpa[i], w->esize, w->ent[i], nv);
		if (r != X86EMU_DONE)
			return r;
	}
	return X86EMU_DONE;
}

static void walk_setup(struct walk *w, unsigned int *levels, uint64_t *table)
{
	const struct x86emu_paging *pg = w->pg;
	unsigned int maxphy = pg->maxphyaddr >= 32 && pg->maxphyaddr <= 52 ? pg->maxphyaddr : 52;

	w->addr_mask = ((1ull << maxphy) - 1) & ~0xfffull;
	w->pae = (pg->cr4 & CR4_PAE) != 0;
	w->ia32e = w->pae && (pg->efer & EFER_LMA);
	w->nxe = w->pae && (pg->efer & EFER_NXE);
	if (!w->pae) {
		w->esize = 4;
		*levels = 2;
		*table = pg->cr3 & 0xfffff000ull;
		w->la &= 0xffffffffull;
	} else if (!w->ia32e) {
		w->esize = 8;
		*levels = 3;
		*table = pg->cr3 & 0xffffffe0ull;
		w->la &= 0xffffffffull;
	} else {
		w->esize = 8;
		*levels = (pg->cr4 & CR4_LA57) ? 5 : 4;
		*table = pg->cr3 & w->addr_mask;
	}
}

static unsigned int level_shift(const struct walk *w, unsigned int level)
{
	return w->esize == 4 ? (level == 2 ? 22 : 12) : 12 + 9 * (level - 1);
}

static uint64_t level_index(const struct walk *w, unsigned int level, unsigned int levels)
{
	uint64_t idx = w->la >> level_shift(w, level);

	if (w->esize == 4)
		return idx & 0x3ff;
	if (!w->ia32e && level == levels)
		return idx & 3;
	return idx & 0x1ff;
}

enum x86emu_result x86emu_walk(const struct x86emu_walk_ops *ops, void *ctx, const struct x86emu_paging *pg,
			       uint64_t la, uint32_t acc, uint64_t *gpa, struct x86emu_exception *exc)
{
	struct walk w = { .ops = ops, .ctx = ctx, .pg = pg, .la = la, .acc = acc };
	unsigned int levels;
	uint64_t table;
	bool rw = true, us = true, nx = false;

	if (!(pg->cr0 & CR0_PG)) {
		*gpa = la & 0xffffffffull;
		return X86EMU_DONE;
	}
	walk_setup(&w, &levels, &table);
	for (unsigned int level = levels; level >= 1; level--) {
		uint64_t e, egpa = table + level_index(&w, level, levels) * w.esize;
		if (ops->read_pte(ctx, egpa, w.esize, &e) != X86EMU_DONE)
			return X86EMU_UNHANDLEABLE;
		w.ent[w.n] = e;
		w.ent_gpa[w.n++] = egpa;
		if (!(e & PTE_P))
			return pf(&w, 0, exc);
		bool pae_pdpte = w.pae && !w.ia32e && level == 3;
		bool large = !pae_pdpte && (e & PTE_PS) &&
			     (w.esize == 4 ? (level == 2 && (pg->cr4 & CR4_PSE)) : (level == 2 || level == 3));
		if (e & rsvd_bits(&w, level, large))
			return pf(&w, X86EMU_PF_P | X86EMU_PF_RSVD, exc);
		if (!pae_pdpte) {
			rw = rw && (e & PTE_RW);
			us = us && (e & PTE_US);
			nx = nx || (w.nxe && (e & PTE_XD));
		}
		if (level == 1 || large) {
			uint64_t psize = 1ull << level_shift(&w, level);
			uint64_t base = w.esize == 4 ? (e & 0xfffff000ull) : (e & w.addr_mask);
			if (w.esize == 4 && large)
				base = (e & 0xffc00000ull) | (((e >> 13) & 0xffull) << 32);
			enum x86emu_result r = check_access(&w, rw, us, nx, e, exc);
			if (r != X86EMU_DONE)
				return r;
			r = set_ad(&w);
			if (r != X86EMU_DONE)
				return r;
			*gpa = (base & ~(psize - 1)) | (w.la & (psize - 1));
			return X86EMU_DONE;
		}
		table = w.esize == 4 ? (e & 0xfffff000ull) : (e & w.addr_mask);
	}
	return X86EMU_UNHANDLEABLE;
}
