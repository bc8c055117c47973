#include "tools/igvm/igvm_measure.h"

#include <stdio.h>
#include <string.h>

#include "core/crypto/crypto.h"

#define MAX_AREAS 64

static const uint8_t zero_page[IGVM_PAGE_SIZE];

/* ---- SNP (ref B) --------------------------------------------------------------------------------- */

void snp_ld_extend(uint8_t ld[SNP_LD_SIZE], enum snp_page_type type, uint64_t gpa, const uint8_t *page)
{
	struct snp_page_info pi;

	memset(&pi, 0, sizeof(pi));
	memcpy(pi.digest_cur, ld, SNP_LD_SIZE);
	if (type == SNP_PAGE_TYPE_NORMAL || type == SNP_PAGE_TYPE_VMSA)
		crypto_hash(CRYPTO_SHA384, page, IGVM_PAGE_SIZE, pi.contents);
	pi.length = sizeof(pi);
	pi.page_type = (uint8_t)type;
	pi.gpa = gpa;
	crypto_hash(CRYPTO_SHA384, &pi, sizeof(pi), ld);
}

/* ---- TDX (ref C.1) -------------------------------------------------------------------------------- */

void tdx_mr_page_add(struct crypto_hash_ctx *h, uint64_t gpa)
{
	uint8_t rec[128] = "MEM.PAGE.ADD";

	memcpy(rec + 16, &gpa, 8);
	crypto_hash_update(h, rec, sizeof(rec));
}

void tdx_mr_extend_page(struct crypto_hash_ctx *h, uint64_t gpa, const uint8_t page[4096])
{
	for (uint32_t off = 0; off < IGVM_PAGE_SIZE; off += 256) {
		uint8_t rec[128] = "MR.EXTEND";
		uint64_t chunk = gpa + off;
		memcpy(rec + 16, &chunk, 8);
		crypto_hash_update(h, rec, sizeof(rec));
		crypto_hash_update(h, page + off, 256);
	}
}

/* ---- shared walk ---------------------------------------------------------------------------------- */

struct areas {
	size_t n;
	struct { uint32_t index; uint64_t bytes; } a[MAX_AREAS];
};

static bool area_bytes(const struct areas *t, uint32_t index, uint64_t *bytes)
{
	for (size_t i = 0; i < t->n; i++) {
		if (t->a[i].index == index) {
			*bytes = t->a[i].bytes;
			return true;
		}
	}
	return false;
}

static void area_add(struct areas *t, const struct igvm_hdr *h)
{
	struct igvm_vhs_parameter_area pa;

	memcpy(&pa, h->body, sizeof(pa));
	if (t->n < MAX_AREAS) {
		t->a[t->n].index = pa.parameter_area_index;
		t->a[t->n++].bytes = pa.number_of_bytes;
	}
}

static bool applies(const struct igvm_hdr *h, uint32_t platform_mask)
{
	uint32_t mask;

	if (!igvm_hdr_mask(h, &mask))
		return true; /* areas and parameters carry no mask */
	return (mask & platform_mask) == platform_mask;
}

/* The 4 KiB contents of a PAGE_DATA (file data, or zeroes). The reader checked the extent. */
static const uint8_t *page_contents(const struct igvm_file *f, const struct igvm_vhs_page_data *pd)
{
	return pd->file_offset ? igvm_file_data(f, pd->file_offset, IGVM_PAGE_SIZE) : zero_page;
}

static const struct igvm_platform *platform(const struct igvm_file *f, uint8_t type, char *err, size_t err_len)
{
	const struct igvm_platform *p = igvm_file_platform_of_type(f, type);

	if (!p)
		snprintf(err, err_len, "the file declares no %s platform", igvm_platform_name(type));
	return p;
}

/* One pass over the directives that apply to platform p, in file order: what SNP, TDX and VBS
 * measure differs, which pages and how the parameter areas are found does not. Each callback
 * returns false (after writing err) to stop the walk. */
struct walk {
	const struct igvm_file *f;
	char *err;
	size_t err_len;
	void *ctx;
	/* a private PAGE_DATA (shared pages are never measured) */
	bool (*page)(struct walk *w, const struct igvm_hdr *h, const struct igvm_vhs_page_data *pd);
	/* a PARAMETER_INSERT: `bytes` of its area at gpa */
	void (*insert)(struct walk *w, uint64_t gpa, uint64_t bytes);
	/* VP_CONTEXT and other directive types, NULL when the measurement ignores them */
	bool (*other)(struct walk *w, const struct igvm_hdr *h);
};

static bool walk_directives(struct walk *w, const struct igvm_platform *p)
{
	struct areas areas = { 0 };

	for (size_t i = 0; i < w->f->count; i++) {
		const struct igvm_hdr *h = &w->f->hdrs[i];
		if (!h->known || h->section != IGVM_SECTION_DIRECTIVE || !applies(h, p->mask))
			continue;
		if (h->type == IGVM_VHT_PARAMETER_AREA) {
			area_add(&areas, h);
		} else if (h->type == IGVM_VHT_PAGE_DATA) {
			struct igvm_vhs_page_data pd;
			memcpy(&pd, h->body, sizeof(pd));
			if (!w->page(w, h, &pd))
				return false;
		} else if (h->type == IGVM_VHT_PARAMETER_INSERT) {
			struct igvm_vhs_parameter_insert pi;
			uint64_t bytes;
			memcpy(&pi, h->body, sizeof(pi));
			if (!area_bytes(&areas, pi.parameter_area_index, &bytes)) {
				snprintf(w->err, w->err_len, "PARAMETER_INSERT at 0x%x: unknown area %u", h->offset,
					 pi.parameter_area_index);
				return false;
			}
			w->insert(w, pi.gpa, bytes);
		} else if (w->other && !w->other(w, h)) {
			return false;
		}
	}
	return true;
}

/* Every VP_CONTEXT for p, in file order, after the pages (KVM's SNP VMSAs, VBS registers). */
static bool walk_vp_contexts(struct walk *w, const struct igvm_platform *p,
			     bool (*vp)(struct walk *w, const struct igvm_hdr *h))
{
	for (size_t i = 0; i < w->f->count; i++) {
		const struct igvm_hdr *h = &w->f->hdrs[i];
		if (h->known && h->type == IGVM_VHT_VP_CONTEXT && applies(h, p->mask) && !vp(w, h))
			return false;
	}
	return true;
}

/* ---- SNP launch digest ------------------------------------------------------------------------ */

struct snp_walk {
	uint8_t ld[SNP_LD_SIZE];
	bool kvm;
};

static bool snp_page(struct walk *w, const struct igvm_hdr *h, const struct igvm_vhs_page_data *pd)
{
	struct snp_walk *sw = w->ctx;

	(void)h;
	if (pd->flags & IGVM_PAGE_DATA_FLAG_SHARED)
		return true;
	if (pd->data_type == IGVM_PAGE_DATA_TYPE_SECRETS)
		snp_ld_extend(sw->ld, SNP_PAGE_TYPE_SECRETS, pd->gpa, NULL);
	else if (pd->data_type == IGVM_PAGE_DATA_TYPE_CPUID_DATA || pd->data_type == IGVM_PAGE_DATA_TYPE_CPUID_XF)
		snp_ld_extend(sw->ld, SNP_PAGE_TYPE_CPUID, pd->gpa, NULL);
	else if (pd->flags & IGVM_PAGE_DATA_FLAG_UNMEASURED)
		snp_ld_extend(sw->ld, SNP_PAGE_TYPE_UNMEASURED, pd->gpa, NULL);
	else
		snp_ld_extend(sw->ld, SNP_PAGE_TYPE_NORMAL, pd->gpa, page_contents(w->f, pd));
	return true;
}

static void snp_insert(struct walk *w, uint64_t gpa, uint64_t bytes)
{
	struct snp_walk *sw = w->ctx;

	for (uint64_t off = 0; off < bytes; off += IGVM_PAGE_SIZE)
		snp_ld_extend(sw->ld, SNP_PAGE_TYPE_UNMEASURED, gpa + off, NULL);
}

/* A VMSA page: in place among the pages, or (KVM) at a fixed GPA after all of them (ref B.4). */
static bool snp_vmsa(struct walk *w, const struct igvm_hdr *h)
{
	struct snp_walk *sw = w->ctx;
	struct igvm_vhs_vp_context vp;

	if (h->type != IGVM_VHT_VP_CONTEXT || sw->kvm)
		return true;
	memcpy(&vp, h->body, sizeof(vp));
	snp_ld_extend(sw->ld, SNP_PAGE_TYPE_VMSA, vp.gpa, igvm_file_data(w->f, vp.file_offset, IGVM_PAGE_SIZE));
	return true;
}

static bool snp_kvm_vmsa(struct walk *w, const struct igvm_hdr *h)
{
	struct snp_walk *sw = w->ctx;
	struct igvm_vhs_vp_context vp;

	memcpy(&vp, h->body, sizeof(vp));
	snp_ld_extend(sw->ld, SNP_PAGE_TYPE_VMSA, SNP_KVM_VMSA_GPA, igvm_file_data(w->f, vp.file_offset, IGVM_PAGE_SIZE));
	return true;
}

bool igvm_measure_snp(const struct igvm_file *f, bool kvm, uint8_t out[SNP_LD_SIZE], char *err, size_t err_len)
{
	const struct igvm_platform *p = platform(f, IGVM_PLATFORM_TYPE_SEV_SNP, err, err_len);
	struct snp_walk sw = { .kvm = kvm };
	struct walk w = { f, err, err_len, &sw, snp_page, snp_insert, snp_vmsa };

	if (!p || !walk_directives(&w, p) || (kvm && !walk_vp_contexts(&w, p, snp_kvm_vmsa)))
		return false;
	memcpy(out, sw.ld, SNP_LD_SIZE);
	return true;
}

/* ---- TDX MRTD --------------------------------------------------------------------------------- */

static bool tdx_page(struct walk *w, const struct igvm_hdr *h, const struct igvm_vhs_page_data *pd)
{
	(void)h;
	if (pd->flags & IGVM_PAGE_DATA_FLAG_SHARED)
		return true;
	tdx_mr_page_add(w->ctx, pd->gpa);
	if (!(pd->flags & IGVM_PAGE_DATA_FLAG_UNMEASURED))
		tdx_mr_extend_page(w->ctx, pd->gpa, page_contents(w->f, pd));
	return true;
}

static void tdx_insert(struct walk *w, uint64_t gpa, uint64_t bytes)
{
	for (uint64_t off = 0; off < bytes; off += IGVM_PAGE_SIZE)
		tdx_mr_page_add(w->ctx, gpa + off);
}

static bool tdx_other(struct walk *w, const struct igvm_hdr *h)
{
	if (h->type != IGVM_VHT_VP_CONTEXT)
		return true;
	snprintf(w->err, w->err_len, "VP_CONTEXT at 0x%x applies to TDX, which has none", h->offset);
	return false;
}

bool igvm_measure_tdx(const struct igvm_file *f, uint8_t out[TDX_MR_SIZE], char *err, size_t err_len)
{
	const struct igvm_platform *p = platform(f, IGVM_PLATFORM_TYPE_TDX, err, err_len);
	struct crypto_hash_ctx h384;
	struct walk w = { f, err, err_len, &h384, tdx_page, tdx_insert, tdx_other };

	if (!p)
		return false;
	crypto_hash_init(&h384, CRYPTO_SHA384);
	if (!walk_directives(&w, p))
		return false;
	crypto_hash_final(&h384, out);
	return true;
}

/* ---- VBS (igvm crate vbs.rs: VBS_VM_BOOT_MEASUREMENT_CHUNK) --------------------------------------- */

#define VBS_CHUNK_VP_REGISTER 0u
#define VBS_CHUNK_GPA_PAGE 2u
#define VBS_GPA_PAGE_CHUNK_SIZE 32u
#define VBS_REGISTER_CHUNK_SIZE 48u
#define VBS_META_READ_WRITE 0x3ull
#define VBS_META_UNMEASURED (1ull << 2)

static void vbs_record(uint8_t digest[32], const void *a, size_t a_len, const void *b, size_t b_len)
{
	struct crypto_hash_ctx h;

	crypto_hash_init(&h, CRYPTO_SHA256);
	crypto_hash_update(&h, digest, 32);
	crypto_hash_update(&h, a, a_len);
	if (b_len)
		crypto_hash_update(&h, b, b_len);
	crypto_hash_final(&h, digest);
}

static void vbs_pages(uint8_t digest[32], uint64_t page_number, uint64_t count, uint64_t meta, const uint8_t *page)
{
	for (uint64_t i = 0; i < count; i++) {
		uint8_t chunk[VBS_GPA_PAGE_CHUNK_SIZE] = { 0 };
		uint32_t byte_count = IGVM_PAGE_SIZE + VBS_GPA_PAGE_CHUNK_SIZE, type = VBS_CHUNK_GPA_PAGE;
		uint64_t pn = page_number + i;
		memcpy(chunk, &byte_count, 4);
		memcpy(chunk + 4, &type, 4);
		memcpy(chunk + 16, &meta, 8);
		memcpy(chunk + 24, &pn, 8);
		/* Unmeasured pages contribute 4096 zero bytes of padding in place of their data. */
		vbs_record(digest, chunk, sizeof(chunk), (meta & VBS_META_UNMEASURED) || !page ? zero_page : page,
			   IGVM_PAGE_SIZE);
	}
}

static bool vbs_registers(const struct igvm_file *f, const struct igvm_hdr *h, uint8_t digest[32])
{
	struct igvm_vhs_vp_context vp;
	uint32_t n;

	memcpy(&vp, h->body, sizeof(vp));
	memcpy(&n, igvm_file_data(f, vp.file_offset, 4), 4);
	const uint8_t *regs = igvm_file_data(f, vp.file_offset + 4, (size_t)n * 32);
	if (!regs)
		return false;
	for (uint32_t i = 0; i < n; i++) {
		struct igvm_vbs_vp_context_register r;
		uint8_t chunk[VBS_REGISTER_CHUNK_SIZE] = { 0 };
		uint32_t byte_count = VBS_REGISTER_CHUNK_SIZE, type = VBS_CHUNK_VP_REGISTER;
		memcpy(&r, regs + (size_t)i * 32, sizeof(r));
		memcpy(chunk, &byte_count, 4);
		memcpy(chunk + 4, &type, 4);
		chunk[20] = r.vtl;
		memcpy(chunk + 28, &r.register_name, 4);
		memcpy(chunk + 32, r.register_value, 16);
		vbs_record(digest, chunk, sizeof(chunk), NULL, 0);
	}
	return true;
}

static bool vbs_page(struct walk *w, const struct igvm_hdr *h, const struct igvm_vhs_page_data *pd)
{
	uint64_t meta = (pd->flags & IGVM_PAGE_DATA_FLAG_UNMEASURED) ? VBS_META_UNMEASURED : 0;

	if (pd->data_type != IGVM_PAGE_DATA_TYPE_NORMAL) {
		snprintf(w->err, w->err_len, "PAGE_DATA at 0x%x: VBS takes only NORMAL pages", h->offset);
		return false;
	}
	if (!(pd->flags & IGVM_PAGE_DATA_FLAG_SHARED))
		vbs_pages(w->ctx, pd->gpa / IGVM_PAGE_SIZE, 1, meta, page_contents(w->f, pd));
	return true;
}

static void vbs_insert(struct walk *w, uint64_t gpa, uint64_t bytes)
{
	vbs_pages(w->ctx, gpa / IGVM_PAGE_SIZE, bytes / IGVM_PAGE_SIZE, VBS_META_UNMEASURED, NULL);
}

static bool vbs_other(struct walk *w, const struct igvm_hdr *h)
{
	struct igvm_vhs_error_range er;

	if (h->type != IGVM_VHT_ERROR_RANGE)
		return true;
	memcpy(&er, h->body, sizeof(er));
	vbs_pages(w->ctx, er.gpa / IGVM_PAGE_SIZE, (er.size_bytes + IGVM_PAGE_SIZE - 1) / IGVM_PAGE_SIZE,
		  VBS_META_READ_WRITE | VBS_META_UNMEASURED, NULL);
	return true;
}

static bool vbs_vp(struct walk *w, const struct igvm_hdr *h)
{
	if (vbs_registers(w->f, h, w->ctx))
		return true;
	snprintf(w->err, w->err_len, "VP_CONTEXT at 0x%x: registers outside the file", h->offset);
	return false;
}

bool igvm_measure_vbs(const struct igvm_file *f, uint8_t out[VBS_DIGEST_SIZE], char *err, size_t err_len)
{
	const struct igvm_platform *p = platform(f, IGVM_PLATFORM_TYPE_VSM_ISOLATION, err, err_len);
	uint8_t digest[32] = { 0 };
	struct walk w = { f, err, err_len, digest, vbs_page, vbs_insert, vbs_other };

	/* The VP registers are measured last (crate: "the cpu context ... measured last"). */
	if (!p || !walk_directives(&w, p) || !walk_vp_contexts(&w, p, vbs_vp))
		return false;
	memcpy(out, digest, sizeof(digest));
	return true;
}
