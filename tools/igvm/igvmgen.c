/* igvmgen: turns Mantle's x86_64 ELF (plus an optional guest bundle and command line) into an IGVM file.
 *
 *   igvmgen -o mantle.igvm [--cmdline STR] [--bundle FILE] [--snp-policy N] [--tdx-policy N]
 *           [--snp-features N] [--heap-mib N] [--snp-id-key KEY.pem [--snp-id-kvm] [--snp-guest-svn N]]
 *           mantle.elf
 *
 * The file supports four platforms (boot/igvm_layout.h has the masks and the guest-physical layout):
 * SEV-SNP, TDX, VBS (VSM isolation) and native. What goes in, in directive order:
 *   parameter areas (memory map, command line, vp count) and their inserts · REQUIRED_MEMORY ·
 *   the boot page tables and the manifest · every page of every PT_LOAD segment · the bundle ·
 *   SNP secrets and CPUID pages · the TDX reset-vector page · the VP contexts (SNP VMSA, VBS, native).
 * The VP contexts come last so the KVM convention (VMSA measured after every page) differs from the
 * IGVM-order digest only in the VMSA's GPA. With --snp-id-key, an SNP_ID_BLOCK signed with that
 * ECDSA P-384 key follows; its LD is the IGVM-order digest, or the KVM one with --snp-id-kvm.
 *
 * Output depends only on the inputs: no timestamps, paths or host state go into the file.
 */
#include <elf.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arch/x86_64/layout.h"
#include "boot/igvm_cpuid.h"
#include "boot/igvm_defs.h"
#include "boot/igvm_layout.h"
#include "tools/igvm/igvm_file.h"
#include "tools/igvm/igvm_idblock.h"
#include "tools/igvm/igvm_measure.h"
#include "tools/igvm/igvm_writer.h"

#define PAGE IGVM_PAGE_SIZE
#define IMAGE_LIMIT IGVM_TDX_RESET_PAGE_GPA /* the image must stay below the reset-vector page */

/* Initial BSP state for the 64-bit entry (arch/x86_64/igvm_entry.S). */
#define ENTRY_CR0 0x80010033ull  /* PG | WP | NE | ET | MP | PE */
#define ENTRY_CR4 0x20ull        /* PAE */
#define ENTRY_EFER 0xD00ull      /* NXE | LMA | LME */
#define EFER_SVME 0x1000ull      /* required in an SEV-ES/SNP VMSA */
#define ENTRY_RFLAGS 0x2ull
#define ENTRY_PAT 0x0007040600070406ull
/* Segment attributes, Hyper-V / native format (bits 15:12 = G, D/B, L, AVL) and the VMSA's 12-bit
 * format (bits 11:8 = G, D/B, L, AVL). */
#define ATTR_CODE64 0xA09Bu
#define ATTR_DATA 0xC093u
#define ATTR_TSS64 0x008Bu
#define VMSA_ATTR(a) ((uint16_t)(((a) & 0xFF) | (((a) >> 4) & 0xF00)))

struct options {
	const char *out, *elf, *bundle, *cmdline, *snp_id_key;
	uint64_t snp_policy, tdx_policy, snp_features;
	uint64_t heap_mib, snp_guest_svn;
	int snp_id_kvm;
};

struct page {
	uint64_t gpa;
	uint8_t data[PAGE];
};

struct image {
	struct page *pages; /* sorted by gpa, one per 4 KiB of every PT_LOAD's memsz */
	size_t count;
	uint64_t lo, hi;    /* page-aligned extent */
	uint64_t start64, start32, gdt, stacks;
	uint8_t *bundle;
	size_t bundle_len;
	uint64_t bundle_gpa;
};

static __attribute__((noreturn, format(printf, 1, 2))) void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "igvmgen: ");
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(1);
}

static uint8_t *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	size_t cap = 0, n = 0, r;

	if (!f)
		die("%s: %s", path, strerror(errno));
	do {
		if (n == cap) {
			cap = cap ? cap * 2 : 65536;
			buf = realloc(buf, cap);
			if (!buf)
				die("out of memory");
		}
		r = fread(buf + n, 1, cap - n, f);
		n += r;
	} while (r > 0);
	if (ferror(f))
		die("%s: read error", path);
	fclose(f);
	*len = n;
	return buf;
}

static struct page *page_at(struct image *im, uint64_t gpa)
{
	for (size_t i = 0; i < im->count; i++)
		if (im->pages[i].gpa == gpa)
			return &im->pages[i];
	return NULL;
}

static int cmp_page(const void *a, const void *b)
{
	const struct page *x = a, *y = b;
	return x->gpa < y->gpa ? -1 : x->gpa > y->gpa;
}

static void load_segments(struct image *im, const uint8_t *elf, size_t len, const Elf64_Ehdr *eh)
{
	if (eh->e_phentsize != sizeof(Elf64_Phdr) || eh->e_phoff > len ||
	    (size_t)eh->e_phnum * sizeof(Elf64_Phdr) > len - eh->e_phoff)
		die("program headers outside the ELF");
	im->lo = UINT64_MAX;
	for (unsigned i = 0; i < eh->e_phnum; i++) {
		Elf64_Phdr ph;
		memcpy(&ph, elf + eh->e_phoff + (size_t)i * sizeof(ph), sizeof(ph));
		if (ph.p_type != PT_LOAD || ph.p_memsz == 0)
			continue;
		if (ph.p_filesz > ph.p_memsz || ph.p_offset > len || ph.p_filesz > len - ph.p_offset)
			die("PT_LOAD %u: file extent outside the ELF", i);
		if (ph.p_paddr < IGVM_LAYOUT_END || ph.p_paddr > IMAGE_LIMIT || ph.p_memsz > IMAGE_LIMIT - ph.p_paddr)
			die("PT_LOAD %u at 0x%llx+0x%llx overlaps the IGVM boot region or the reset page", i,
			    (unsigned long long)ph.p_paddr, (unsigned long long)ph.p_memsz);
		uint64_t first = ph.p_paddr & ~(uint64_t)(PAGE - 1);
		uint64_t end = (ph.p_paddr + ph.p_memsz + PAGE - 1) & ~(uint64_t)(PAGE - 1);
		for (uint64_t gpa = first; gpa < end; gpa += PAGE) {
			struct page *p = page_at(im, gpa);
			if (!p) {
				im->pages = realloc(im->pages, (im->count + 1) * sizeof(*im->pages));
				if (!im->pages)
					die("out of memory");
				p = &im->pages[im->count++];
				memset(p, 0, sizeof(*p));
				p->gpa = gpa;
			}
			/* Copy the part of [p_paddr, p_paddr + filesz) that falls in this page. */
			uint64_t lo = gpa > ph.p_paddr ? gpa : ph.p_paddr;
			uint64_t hi = gpa + PAGE < ph.p_paddr + ph.p_filesz ? gpa + PAGE : ph.p_paddr + ph.p_filesz;
			if (lo < hi)
				memcpy(p->data + (lo - gpa), elf + ph.p_offset + (lo - ph.p_paddr), hi - lo);
		}
		if (first < im->lo)
			im->lo = first;
		if (end > im->hi)
			im->hi = end;
	}
	if (im->count == 0)
		die("no PT_LOAD segments");
	qsort(im->pages, im->count, sizeof(*im->pages), cmp_page);
}

static void find_symbols(struct image *im, const uint8_t *elf, size_t len, const Elf64_Ehdr *eh)
{
	if (eh->e_shentsize != sizeof(Elf64_Shdr) || eh->e_shoff > len ||
	    (size_t)eh->e_shnum * sizeof(Elf64_Shdr) > len - eh->e_shoff)
		die("section headers outside the ELF");
	for (unsigned i = 0; i < eh->e_shnum; i++) {
		Elf64_Shdr sh, strh;
		memcpy(&sh, elf + eh->e_shoff + (size_t)i * sizeof(sh), sizeof(sh));
		if (sh.sh_type != SHT_SYMTAB || sh.sh_entsize != sizeof(Elf64_Sym) || sh.sh_link >= eh->e_shnum)
			continue;
		memcpy(&strh, elf + eh->e_shoff + (size_t)sh.sh_link * sizeof(strh), sizeof(strh));
		if (sh.sh_offset > len || sh.sh_size > len - sh.sh_offset || strh.sh_offset > len ||
		    strh.sh_size > len - strh.sh_offset || strh.sh_size == 0 || elf[strh.sh_offset + strh.sh_size - 1])
			die("symbol table outside the ELF");
		for (size_t off = 0; off + sizeof(Elf64_Sym) <= sh.sh_size; off += sizeof(Elf64_Sym)) {
			Elf64_Sym sym;
			memcpy(&sym, elf + sh.sh_offset + off, sizeof(sym));
			if (sym.st_name >= strh.sh_size)
				die("symbol name outside the string table");
			const char *name = (const char *)elf + strh.sh_offset + sym.st_name;
			if (!strcmp(name, "igvm_start64"))
				im->start64 = sym.st_value;
			else if (!strcmp(name, "igvm_start32"))
				im->start32 = sym.st_value;
			else if (!strcmp(name, "boot_gdt"))
				im->gdt = sym.st_value;
			else if (!strcmp(name, "x86_stacks"))
				im->stacks = sym.st_value;
		}
	}
	if (!im->start64 || !im->start32 || !im->gdt || !im->stacks)
		die("the ELF lacks igvm_start64/igvm_start32/boot_gdt/x86_stacks (built without arch/x86_64/boot.S and igvm_entry.S?)");
	if (im->start32 > UINT32_MAX || im->gdt > UINT32_MAX)
		die("32-bit entry or GDT above 4 GiB");
}

static void load_elf(struct image *im, const char *path)
{
	size_t len;
	uint8_t *elf = read_file(path, &len);
	Elf64_Ehdr eh;

	if (len < sizeof(eh))
		die("%s: too short for an ELF header", path);
	memcpy(&eh, elf, sizeof(eh));
	if (memcmp(eh.e_ident, ELFMAG, SELFMAG) || eh.e_ident[EI_CLASS] != ELFCLASS64 ||
	    eh.e_ident[EI_DATA] != ELFDATA2LSB || eh.e_machine != EM_X86_64 || eh.e_type != ET_EXEC)
		die("%s: not an x86_64 ELF executable", path);
	load_segments(im, elf, len, &eh);
	find_symbols(im, elf, len, &eh);
	free(elf);
}

/* ---- pages igvmgen makes ------------------------------------------------------------------------- */

static void put64(uint8_t *p, uint64_t v)
{
	memcpy(p, &v, 8);
}

/* PML4 -> PDPT -> four PDs of 2 MiB pages: the low 4 GiB identity-mapped, RW, executable. */
static void build_page_tables(uint8_t pt[IGVM_PT_PAGES][PAGE])
{
	memset(pt, 0, IGVM_PT_PAGES * PAGE);
	put64(pt[0], IGVM_PT_PDPT_GPA | 0x3);
	for (int i = 0; i < 4; i++)
		put64(pt[1] + 8 * i, (IGVM_PT_PD_GPA + (uint64_t)i * PAGE) | 0x3);
	for (uint64_t i = 0; i < 4 * 512; i++)
		put64(pt[2 + i / 512] + 8 * (i % 512), (i << 21) | 0x83);
}

static void build_vmsa(const struct image *im, const struct options *o, struct snp_vmsa *v)
{
	struct snp_vmsa_segment code = { BOOT_CS, VMSA_ATTR(ATTR_CODE64), 0xFFFFFFFF, 0 };
	struct snp_vmsa_segment data = { BOOT_DS, VMSA_ATTR(ATTR_DATA), 0xFFFFFFFF, 0 };

	memset(v, 0, sizeof(*v));
	v->cs = code;
	v->es = v->ss = v->ds = data;
	v->fs = v->gs = (struct snp_vmsa_segment){ 0, VMSA_ATTR(ATTR_DATA), 0xFFFFFFFF, 0 };
	v->gdtr = (struct snp_vmsa_segment){ 0, 0, 23, im->gdt };
	v->idtr = (struct snp_vmsa_segment){ 0, 0, 0, 0 };
	v->ldtr = (struct snp_vmsa_segment){ 0, 0x82, 0xFFFF, 0 };
	v->tr = (struct snp_vmsa_segment){ 0, VMSA_ATTR(ATTR_TSS64), 0xFFFF, 0 };
	v->vmpl = 0;
	v->efer = ENTRY_EFER | EFER_SVME;
	v->cr0 = ENTRY_CR0;
	v->cr3 = IGVM_PT_PML4_GPA;
	v->cr4 = ENTRY_CR4;
	v->dr6 = 0xFFFF0FF0;
	v->dr7 = 0x400;
	v->rflags = ENTRY_RFLAGS;
	v->rip = im->start64;
	v->rsp = im->stacks + STACK_BOOT_TOP;
	v->g_pat = ENTRY_PAT;
	v->sev_features = o->snp_features;
	v->virtual_tom = (o->snp_features & SEV_FEATURES_VTOM) ? IGVM_SNP_VTOM : 0;
	v->xcr0 = 1;
	v->mxcsr = 0x1F80;
	v->x87_ftw = 0x5555;
	v->x87_fcw = 0x40;
}

static void build_native(const struct image *im, struct igvm_native_vp_context_x64 *c)
{
	memset(c, 0, sizeof(*c));
	c->rip = im->start64;
	c->rsp = im->stacks + STACK_BOOT_TOP;
	c->rflags = ENTRY_RFLAGS;
	c->gdtr_limit = 23;
	c->gdtr_base = im->gdt;
	c->code_selector = BOOT_CS;
	c->code_attributes = ATTR_CODE64;
	c->code_limit = 0xFFFFFFFF;
	c->data_selector = BOOT_DS;
	c->data_attributes = ATTR_DATA;
	c->data_limit = 0xFFFFFFFF;
	c->cr0 = ENTRY_CR0;
	c->cr3 = IGVM_PT_PML4_GPA;
	c->cr4 = ENTRY_CR4;
	c->efer = ENTRY_EFER;
}

static void vbs_reg(uint8_t *out, size_t *n, uint32_t name, const void *val, size_t val_len)
{
	struct igvm_vbs_vp_context_register r;

	memset(&r, 0, sizeof(r));
	r.vtl = 2; /* Mantle runs in VTL2 */
	r.register_name = name;
	memcpy(r.register_value, val, val_len);
	memcpy(out + 4 + *n * sizeof(r), &r, sizeof(r));
	(*n)++;
}

static void vbs_segment(uint8_t *out, size_t *n, uint32_t name, uint16_t sel, uint16_t attr)
{
	uint8_t v[16] = { 0 }; /* HV_X64_SEGMENT_REGISTER {u64 base; u32 limit; u16 selector; u16 attributes} */
	uint32_t limit = 0xFFFFFFFF;

	memcpy(v + 8, &limit, 4);
	memcpy(v + 12, &sel, 2);
	memcpy(v + 14, &attr, 2);
	vbs_reg(out, n, name, v, 16);
}

/* Returns the byte length of the VBS context blob (u32 count + registers) built in out. */
static size_t build_vbs(const struct image *im, uint8_t *out)
{
	size_t n = 0;
	uint8_t gdtr[16] = { 0 }; /* HV_X64_TABLE_REGISTER {u16 pad[3]; u16 limit; u64 base} */
	uint16_t limit = 23;
	const uint64_t rip = im->start64, rsp = im->stacks + STACK_BOOT_TOP, rflags = ENTRY_RFLAGS;
	const uint64_t cr0 = ENTRY_CR0, cr3 = IGVM_PT_PML4_GPA, cr4 = ENTRY_CR4, efer = ENTRY_EFER, pat = ENTRY_PAT;

	memcpy(gdtr + 6, &limit, 2);
	memcpy(gdtr + 8, &im->gdt, 8);
	vbs_reg(out, &n, HV_X64_REGISTER_GDTR, gdtr, 16);
	vbs_segment(out, &n, HV_X64_REGISTER_CS, BOOT_CS, ATTR_CODE64);
	vbs_segment(out, &n, HV_X64_REGISTER_DS, BOOT_DS, ATTR_DATA);
	vbs_segment(out, &n, HV_X64_REGISTER_ES, BOOT_DS, ATTR_DATA);
	vbs_segment(out, &n, HV_X64_REGISTER_SS, BOOT_DS, ATTR_DATA);
	vbs_segment(out, &n, HV_X64_REGISTER_FS, 0, ATTR_DATA);
	vbs_segment(out, &n, HV_X64_REGISTER_GS, 0, ATTR_DATA);
	vbs_reg(out, &n, HV_X64_REGISTER_CR0, &cr0, 8);
	vbs_reg(out, &n, HV_X64_REGISTER_CR3, &cr3, 8);
	vbs_reg(out, &n, HV_X64_REGISTER_CR4, &cr4, 8);
	vbs_reg(out, &n, HV_X64_REGISTER_EFER, &efer, 8);
	vbs_reg(out, &n, HV_X64_REGISTER_PAT, &pat, 8);
	vbs_reg(out, &n, HV_X64_REGISTER_RSP, &rsp, 8);
	vbs_reg(out, &n, HV_X64_REGISTER_RFLAGS, &rflags, 8);
	vbs_reg(out, &n, HV_X64_REGISTER_RIP, &rip, 8);
	uint32_t count = (uint32_t)n;
	memcpy(out, &count, 4);
	return 4 + n * sizeof(struct igvm_vbs_vp_context_register);
}

/* TDX reset vector (ref C.4): `jmp rel32` at 0xFFFFFFF0 to igvm_start32; EIP arithmetic wraps at 4 GiB
 * in 32-bit mode, so the displacement reaches the image at 16 MiB. */
static void build_reset_page(const struct image *im, uint8_t page[PAGE])
{
	uint32_t next = 0xFFFFFFF0u + 5;
	uint32_t rel = (uint32_t)im->start32 - next;

	memset(page, 0, PAGE);
	page[0xFF0] = 0xE9;
	memcpy(page + 0xFF1, &rel, 4);
}

/* ---- headers ------------------------------------------------------------------------------------- */

#define NO_DATA ((size_t)-1)

static void page_data(struct igvm_writer *w, uint64_t gpa, uint32_t mask, const uint8_t *data, uint16_t type)
{
	struct igvm_vhs_page_data pd = { .gpa = gpa, .compatibility_mask = mask, .data_type = type };

	pd.file_offset = data ? igvm_writer_data(w, data, PAGE, 1) : 0;
	igvm_writer_header(w, IGVM_VHT_PAGE_DATA, &pd, sizeof(pd), offsetof(struct igvm_vhs_page_data, file_offset));
}

static void platforms(struct igvm_writer *w, const struct options *o)
{
	const struct igvm_vhs_supported_platform p[] = {
		{ IGVM_MASK_SNP, 2, IGVM_PLATFORM_TYPE_SEV_SNP, IGVM_PLATFORM_VERSION,
		  (o->snp_features & SEV_FEATURES_VTOM) ? IGVM_SNP_VTOM : 0 },
		{ IGVM_MASK_TDX, 2, IGVM_PLATFORM_TYPE_TDX, IGVM_PLATFORM_VERSION, 0 },
		{ IGVM_MASK_VSM, 2, IGVM_PLATFORM_TYPE_VSM_ISOLATION, IGVM_PLATFORM_VERSION, 0 },
		{ IGVM_MASK_NATIVE, 0, IGVM_PLATFORM_TYPE_NATIVE, IGVM_PLATFORM_VERSION, 0 },
	};
	for (size_t i = 0; i < sizeof(p) / sizeof(p[0]); i++)
		igvm_writer_header(w, IGVM_VHT_SUPPORTED_PLATFORM, &p[i], sizeof(p[i]), NO_DATA);
	struct igvm_vhs_guest_policy snp = { .policy = o->snp_policy, .compatibility_mask = IGVM_MASK_SNP };
	struct igvm_vhs_guest_policy tdx = { .policy = o->tdx_policy, .compatibility_mask = IGVM_MASK_TDX };
	igvm_writer_header(w, IGVM_VHT_GUEST_POLICY, &snp, sizeof(snp), NO_DATA);
	igvm_writer_header(w, IGVM_VHT_GUEST_POLICY, &tdx, sizeof(tdx), NO_DATA);
}

static void parameters(struct igvm_writer *w)
{
	static const struct { uint32_t index, type; uint64_t gpa, bytes; } a[] = {
		{ IGVM_AREA_MEMMAP, IGVM_VHT_MEMORY_MAP, IGVM_MEMMAP_GPA, IGVM_MEMMAP_BYTES },
		{ IGVM_AREA_CMDLINE, IGVM_VHT_COMMAND_LINE, IGVM_CMDLINE_GPA, IGVM_CMDLINE_BYTES },
		{ IGVM_AREA_VPCOUNT, IGVM_VHT_VP_COUNT_PARAMETER, IGVM_VPCOUNT_GPA, IGVM_VPCOUNT_BYTES },
	};
	for (size_t i = 0; i < 3; i++) {
		struct igvm_vhs_parameter_area pa = { .number_of_bytes = a[i].bytes, .parameter_area_index = a[i].index };
		struct igvm_vhs_parameter p = { .parameter_area_index = a[i].index, .byte_offset = 0 };
		igvm_writer_header(w, IGVM_VHT_PARAMETER_AREA, &pa, sizeof(pa), NO_DATA);
		igvm_writer_header(w, a[i].type, &p, sizeof(p), NO_DATA);
	}
	for (size_t i = 0; i < 3; i++) {
		struct igvm_vhs_parameter_insert pi = { .gpa = a[i].gpa, .compatibility_mask = IGVM_MASK_ALL,
							 .parameter_area_index = a[i].index };
		igvm_writer_header(w, IGVM_VHT_PARAMETER_INSERT, &pi, sizeof(pi), NO_DATA);
	}
}

static uint64_t loaded_end(const struct image *im)
{
	return im->bundle_len ? im->bundle_gpa + ((im->bundle_len + PAGE - 1) & ~(uint64_t)(PAGE - 1)) : im->hi;
}

static void required_memory(struct igvm_writer *w, const struct image *im, const struct options *o)
{
	uint64_t end = ((loaded_end(im) + 0x1FFFFF) & ~0x1FFFFFull) + (o->heap_mib << 20);
	if (end - IGVM_LAYOUT_BASE > UINT32_MAX)
		die("REQUIRED_MEMORY of 0x%llx bytes does not fit its u32 size", (unsigned long long)(end - IGVM_LAYOUT_BASE));
	struct igvm_vhs_required_memory rm = { .gpa = IGVM_LAYOUT_BASE, .compatibility_mask = IGVM_MASK_ALL,
					       .number_of_bytes = (uint32_t)(end - IGVM_LAYOUT_BASE) };
	igvm_writer_header(w, IGVM_VHT_REQUIRED_MEMORY, &rm, sizeof(rm), NO_DATA);
}

static void boot_pages(struct igvm_writer *w, const struct image *im, const struct options *o)
{
	static uint8_t pt[IGVM_PT_PAGES][PAGE];
	static union { struct igvm_mantle_manifest m; uint8_t page[PAGE]; } man;

	build_page_tables(pt);
	for (int i = 0; i < IGVM_PT_PAGES; i++)
		page_data(w, IGVM_PT_PML4_GPA + (uint64_t)i * PAGE, IGVM_MASK_ALL, pt[i], IGVM_PAGE_DATA_TYPE_NORMAL);
	memset(&man, 0, sizeof(man));
	man.m.magic = IGVM_MANIFEST_MAGIC;
	man.m.version = IGVM_MANIFEST_VERSION;
	man.m.image_base = IGVM_LAYOUT_BASE;
	man.m.image_end = im->hi;
	man.m.bundle_base = im->bundle_len ? im->bundle_gpa : 0;
	man.m.bundle_size = im->bundle_len;
	if (o->cmdline && strlen(o->cmdline) >= sizeof(man.m.cmdline))
		die("--cmdline longer than %zu bytes", sizeof(man.m.cmdline) - 1);
	for (const char *c = o->cmdline; c && *c; c++)
		if ((unsigned char)*c < 0x20 || (unsigned char)*c >= 0x7F)
			die("--cmdline must be printable ASCII (boot/igvm.c refuses anything else)");
	if (o->cmdline)
		strcpy(man.m.cmdline, o->cmdline);
	page_data(w, IGVM_MANIFEST_GPA, IGVM_MASK_ALL, man.page, IGVM_PAGE_DATA_TYPE_NORMAL);
}

static void image_pages(struct igvm_writer *w, const struct image *im)
{
	uint8_t page[PAGE];

	for (size_t i = 0; i < im->count; i++)
		page_data(w, im->pages[i].gpa, IGVM_MASK_ALL, im->pages[i].data, IGVM_PAGE_DATA_TYPE_NORMAL);
	for (size_t off = 0; off < im->bundle_len; off += PAGE) {
		size_t n = im->bundle_len - off < PAGE ? im->bundle_len - off : PAGE;
		memset(page, 0, PAGE);
		memcpy(page, im->bundle + off, n);
		page_data(w, im->bundle_gpa + off, IGVM_MASK_ALL, page, IGVM_PAGE_DATA_TYPE_NORMAL);
	}
}

static void platform_pages(struct igvm_writer *w, const struct image *im, const struct options *o)
{
	static uint8_t reset[PAGE], cpuid[PAGE], vbs[4 + 32 * sizeof(struct igvm_vbs_vp_context_register)];
	static union { struct snp_vmsa v; uint8_t page[PAGE]; } vmsa;
	static union { struct igvm_native_vp_context_x64 c; uint8_t page[PAGE]; } native;

	/* SNP: the PSP fills the secrets page; the CPUID page lists the leaves the loader fills in and the
	 * PSP checks (boot/igvm_cpuid.h). */
	page_data(w, IGVM_SNP_SECRETS_GPA, IGVM_MASK_SNP, NULL, IGVM_PAGE_DATA_TYPE_SECRETS);
	igvm_snp_cpuid_template(cpuid);
	page_data(w, IGVM_SNP_CPUID_GPA, IGVM_MASK_SNP, cpuid, IGVM_PAGE_DATA_TYPE_CPUID_DATA);
	build_reset_page(im, reset);
	page_data(w, IGVM_TDX_RESET_PAGE_GPA, IGVM_MASK_TDX, reset, IGVM_PAGE_DATA_TYPE_NORMAL);

	build_vmsa(im, o, &vmsa.v);
	struct igvm_vhs_vp_context vp = { .gpa = IGVM_SNP_VMSA_GPA, .compatibility_mask = IGVM_MASK_SNP };
	vp.file_offset = igvm_writer_data(w, vmsa.page, PAGE, 0);
	igvm_writer_header(w, IGVM_VHT_VP_CONTEXT, &vp, sizeof(vp), offsetof(struct igvm_vhs_vp_context, file_offset));

	size_t vbs_len = build_vbs(im, vbs);
	vp = (struct igvm_vhs_vp_context){ .compatibility_mask = IGVM_MASK_VSM };
	vp.file_offset = igvm_writer_data(w, vbs, vbs_len, 0);
	igvm_writer_header(w, IGVM_VHT_VP_CONTEXT, &vp, sizeof(vp), offsetof(struct igvm_vhs_vp_context, file_offset));

	memset(&native, 0, sizeof(native));
	build_native(im, &native.c);
	vp = (struct igvm_vhs_vp_context){ .compatibility_mask = IGVM_MASK_NATIVE };
	vp.file_offset = igvm_writer_data(w, native.page, PAGE, 0);
	igvm_writer_header(w, IGVM_VHT_VP_CONTEXT, &vp, sizeof(vp), offsetof(struct igvm_vhs_vp_context, file_offset));
}

static uint64_t parse_u64(const char *opt, const char *s)
{
	char *end;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 0);
	if (errno || *s == '\0' || *end != '\0')
		die("%s: not a number: %s", opt, s);
	return v;
}

static void usage(void)
{
	fprintf(stderr, "usage: igvmgen -o OUT.igvm [--cmdline STR] [--bundle FILE] [--snp-policy N] [--tdx-policy N]\n"
			"               [--snp-features N] [--heap-mib N]\n"
			"               [--snp-id-key KEY.pem [--snp-id-kvm] [--snp-guest-svn N]] MANTLE.elf\n");
	exit(2);
}

static void parse_args(int argc, char **argv, struct options *o)
{
	*o = (struct options){
		.snp_policy = SNP_POLICY_RESERVED_MBO | SNP_POLICY_SMT, /* 0x30000, as COCONUT */
		.tdx_policy = 0,
		.snp_features = SEV_FEATURES_SNP | SEV_FEATURES_VTOM,
		.heap_mib = 32,
	};
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (!strcmp(a, "--snp-id-kvm")) {
			o->snp_id_kvm = 1;
			continue;
		}
		if (a[0] != '-') {
			if (o->elf)
				usage();
			o->elf = a;
			continue;
		}
		if (!v)
			usage();
		i++;
		if (!strcmp(a, "-o"))
			o->out = v;
		else if (!strcmp(a, "--cmdline"))
			o->cmdline = v;
		else if (!strcmp(a, "--bundle"))
			o->bundle = v;
		else if (!strcmp(a, "--snp-policy"))
			o->snp_policy = parse_u64(a, v);
		else if (!strcmp(a, "--tdx-policy"))
			o->tdx_policy = parse_u64(a, v);
		else if (!strcmp(a, "--snp-features"))
			o->snp_features = parse_u64(a, v);
		else if (!strcmp(a, "--heap-mib"))
			o->heap_mib = parse_u64(a, v);
		else if (!strcmp(a, "--snp-id-key"))
			o->snp_id_key = *v ? v : NULL;
		else if (!strcmp(a, "--snp-guest-svn"))
			o->snp_guest_svn = parse_u64(a, v);
		else
			usage();
	}
	if (!o->out || !o->elf)
		usage();
	if (!(o->snp_features & SEV_FEATURES_SNP))
		die("--snp-features must include bit 0 (SNPActive)");
	if (!(o->snp_policy & SNP_POLICY_RESERVED_MBO))
		die("--snp-policy must set bit 17 (reserved, must be one)");
	if (o->heap_mib > 4096)
		die("--heap-mib too large");
	if (o->snp_guest_svn > UINT32_MAX)
		die("--snp-guest-svn must fit in 32 bits");
}

/* Lays out the whole file; `id` (optional) is appended as the last directive. */
static void build(const struct image *im, const struct options *o, const struct igvm_vhs_snp_id_block *id,
		  uint8_t **out, size_t *out_len)
{
	struct igvm_writer w;

	igvm_writer_init(&w);
	platforms(&w, o);
	parameters(&w);
	required_memory(&w, im, o);
	boot_pages(&w, im, o);
	image_pages(&w, im);
	platform_pages(&w, im, o);
	if (id)
		igvm_writer_header(&w, IGVM_VHT_SNP_ID_BLOCK, id, sizeof(*id), NO_DATA);
	if (igvm_writer_finish(&w, out, out_len))
		die("the file would exceed 4 GiB");
	igvm_writer_free(&w);
}

/* The ID block's LD is the launch digest of the file without it (the block itself is not measured). */
static void sign_id_block(const uint8_t *file, size_t len, const struct options *o, struct igvm_vhs_snp_id_block *id)
{
	struct igvm_file f;
	char err[256];

	if (!igvm_file_parse(file, len, &f, err, sizeof(err)))
		die("generated file does not parse: %s", err);
	memset(id, 0, sizeof(*id));
	id->compatibility_mask = IGVM_MASK_SNP;
	id->version = SNP_ID_BLOCK_VERSION;
	id->guest_svn = (uint32_t)o->snp_guest_svn;
	if (!igvm_measure_snp(&f, o->snp_id_kvm, id->ld, err, sizeof(err)))
		die("%s", err);
	igvm_file_free(&f);
	if (!igvm_snp_id_sign(id, o->snp_policy, o->snp_id_key, err, sizeof(err)))
		die("%s", err);
}

int main(int argc, char **argv)
{
	struct options o;
	struct image im = { 0 };
	struct igvm_vhs_snp_id_block id;
	uint8_t *out;
	size_t out_len;

	parse_args(argc, argv, &o);
	load_elf(&im, o.elf);
	if (o.bundle) {
		im.bundle = read_file(o.bundle, &im.bundle_len);
		im.bundle_gpa = (im.hi + 0x1FFFFF) & ~0x1FFFFFull;
		if (im.bundle_len == 0 || im.bundle_len > IMAGE_LIMIT - im.bundle_gpa)
			die("%s: empty, or too large to fit below 4 GiB", o.bundle);
	}
	build(&im, &o, NULL, &out, &out_len);
	if (o.snp_id_key) {
		sign_id_block(out, out_len, &o, &id);
		free(out);
		build(&im, &o, &id, &out, &out_len);
	}

	FILE *f = fopen(o.out, "wb");
	if (!f || fwrite(out, 1, out_len, f) != out_len || fclose(f))
		die("%s: %s", o.out, strerror(errno));
	free(out);
	free(im.pages);
	free(im.bundle);
	return 0;
}
