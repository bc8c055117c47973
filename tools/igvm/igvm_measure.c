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

bool igvm_measure_snp(const struct igvm_file *f, bool kvm, uint8_t out[SNP_LD_SIZE], char *err, size_t err_len)
{
	const struct igvm_platform *p = platform(f, IGVM_PLATFORM_TYPE_SEV_SNP, err, err_len);
	struct areas areas = { 0 };
	uint8_t ld[SNP_LD_SIZE] = { 0 };

	if (!p)
		return false;
	for (size_t i = 0; i < f->count; i++) {
		const struct igvm_hdr *h = &f->hdrs[i];
		if (!h->known || h->section != IGVM_SECTION_DIRECTIVE || !applies(h, p->mask))
			continue;
		if (h->type == IGVM_VHT_PARAMETER_AREA) {
			area_add(&areas, h);
		} else if (h->type == IGVM_VHT_PAGE_DATA) {
			struct igvm_vhs_page_data pd;
			memcpy(&pd, h->body, sizeof(pd));
			if (pd.flags & IGVM_PAGE_DATA_FLAG_SHARED)
				continue;
			if (pd.data_type == IGVM_PAGE_DATA_TYPE_SECRETS)
				snp_ld_extend(ld, SNP_PAGE_TYPE_SECRETS, pd.gpa, NULL);
			else if (pd.data_type == IGVM_PAGE_DATA_TYPE_CPUID_DATA || pd.data_type == IGVM_PAGE_DATA_TYPE_CPUID_XF)
				snp_ld_extend(ld, SNP_PAGE_TYPE_CPUID, pd.gpa, NULL);
			else if (pd.flags & IGVM_PAGE_DATA_FLAG_UNMEASURED)
				snp_ld_extend(ld, SNP_PAGE_TYPE_UNMEASURED, pd.gpa, NULL);
			else
				snp_ld_extend(ld, SNP_PAGE_TYPE_NORMAL, pd.gpa, page_contents(f, &pd));
		} else if (h->type == IGVM_VHT_PARAMETER_INSERT) {
			struct igvm_vhs_parameter_insert pi;
			uint64_t bytes;
			memcpy(&pi, h->body, sizeof(pi));
			if (!area_bytes(&areas, pi.parameter_area_index, &bytes)) {
				snprintf(err, err_len, "PARAMETER_INSERT at 0x%x: unknown area %u", h->offset, pi.parameter_area_index);
				return false;
			}
			for (uint64_t off = 0; off < bytes; off += IGVM_PAGE_SIZE)
				snp_ld_extend(ld, SNP_PAGE_TYPE_UNMEASURED, pi.gpa + off, NULL);
		} else if (h->type == IGVM_VHT_VP_CONTEXT && !kvm) {
			struct igvm_vhs_vp_context vp;
			memcpy(&vp, h->body, sizeof(vp));
			snp_ld_extend(ld, SNP_PAGE_TYPE_VMSA, vp.gpa, igvm_file_data(f, vp.file_offset, IGVM_PAGE_SIZE));
		}
	}
	/* KVM adds the VMSAs at LAUNCH_FINISH, after every page, at a fixed GPA (ref B.4). */
	for (size_t i = 0; kvm && i < f->count; i++) {
		const struct igvm_hdr *h = &f->hdrs[i];
		if (h->known && h->type == IGVM_VHT_VP_CONTEXT && applies(h, p->mask)) {
			struct igvm_vhs_vp_context vp;
			memcpy(&vp, h->body, sizeof(vp));
			snp_ld_extend(ld, SNP_PAGE_TYPE_VMSA, SNP_KVM_VMSA_GPA, igvm_file_data(f, vp.file_offset, IGVM_PAGE_SIZE));
		}
	}
	memcpy(out, ld, SNP_LD_SIZE);
	return true;
}

bool igvm_measure_tdx(const struct igvm_file *f, uint8_t out[TDX_MR_SIZE], char *err, size_t err_len)
{
	const struct igvm_platform *p = platform(f, IGVM_PLATFORM_TYPE_TDX, err, err_len);
	struct areas areas = { 0 };
	struct crypto_hash_ctx h384;

	if (!p)
		return false;
	crypto_hash_init(&h384, CRYPTO_SHA384);
	for (size_t i = 0; i < f->count; i++) {
		const struct igvm_hdr *h = &f->hdrs[i];
		if (!h->known || h->section != IGVM_SECTION_DIRECTIVE || !applies(h, p->mask))
			continue;
		if (h->type == IGVM_VHT_PARAMETER_AREA) {
			area_add(&areas, h);
		} else if (h->type == IGVM_VHT_PAGE_DATA) {
			struct igvm_vhs_page_data pd;
			memcpy(&pd, h->body, sizeof(pd));
			if (pd.flags & IGVM_PAGE_DATA_FLAG_SHARED)
				continue;
			tdx_mr_page_add(&h384, pd.gpa);
			if (!(pd.flags & IGVM_PAGE_DATA_FLAG_UNMEASURED))
				tdx_mr_extend_page(&h384, pd.gpa, page_contents(f, &pd));
		} else if (h->type == IGVM_VHT_PARAMETER_INSERT) {
			struct igvm_vhs_parameter_insert pi;
			uint64_t bytes;
			memcpy(&pi, h->body, sizeof(pi));
			if (!area_bytes(&areas, pi.parameter_area_index, &bytes)) {
				snprintf(err, err_len, "PARAMETER_INSERT at 0x%x: unknown area %u", h->offset, pi.parameter_area_index);
				return false;
			}
			for (uint64_t off = 0; off < bytes; off += IGVM_PAGE_SIZE)
				tdx_mr_page_add(&h384, pi.gpa + off);
		} else if (h->type == IGVM_VHT_VP_CONTEXT) {
			snprintf(err, err_len, "VP_CONTEXT at 0x%x applies to TDX, which has none", h->offset);
			return false;
		}
	}
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

bool igvm_measure_vbs(const struct igvm_file *f, uint8_t out[VBS_DIGEST_SIZE], char *err, size_t err_len)
{
	const struct igvm_platform *p = platform(f, IGVM_PLATFORM_TYPE_VSM_ISOLATION, err, err_len);
	struct areas areas = { 0 };
	uint8_t digest[32] = { 0 };

	if (!p)
		return false;
	for (size_t i = 0; i < f->count; i++) {
		const struct igvm_hdr *h = &f->hdrs[i];
		if (!h->known || h->section != IGVM_SECTION_DIRECTIVE || !applies(h, p->mask))
			continue;
		if (h->type == IGVM_VHT_PARAMETER_AREA) {
			area_add(&areas, h);
		} else if (h->type == IGVM_VHT_PAGE_DATA) {
			struct igvm_vhs_page_data pd;
			memcpy(&pd, h->body, sizeof(pd));
			if (pd.data_type != IGVM_PAGE_DATA_TYPE_NORMAL) {
				snprintf(err, err_len, "PAGE_DATA at 0x%x: VBS takes only NORMAL pages", h->offset);
				return false;
			}
			if (pd.flags & IGVM_PAGE_DATA_FLAG_SHARED)
				continue;
			uint64_t meta = (pd.flags & IGVM_PAGE_DATA_FLAG_UNMEASURED) ? VBS_META_UNMEASURED : 0;
			vbs_pages(digest, pd.gpa / IGVM_PAGE_SIZE, 1, meta, page_contents(f, &pd));
		} else if (h->type == IGVM_VHT_PARAMETER_INSERT) {
			struct igvm_vhs_parameter_insert pi;
			uint64_t bytes;
			memcpy(&pi, h->body, sizeof(pi));
			if (!area_bytes(&areas, pi.parameter_area_index, &bytes)) {
				snprintf(err, err_len, "PARAMETER_INSERT at 0x%x: unknown area %u", h->offset, pi.parameter_area_index);
				return false;
			}
			vbs_pages(digest, pi.gpa / IGVM_PAGE_SIZE, bytes / IGVM_PAGE_SIZE, VBS_META_UNMEASURED, NULL);
		} else if (h->type == IGVM_VHT_ERROR_RANGE) {
			struct igvm_vhs_error_range er;
			memcpy(&er, h->body, sizeof(er));
			vbs_pages(digest, er.gpa / IGVM_PAGE_SIZE, (er.size_bytes + IGVM_PAGE_SIZE - 1) / IGVM_PAGE_SIZE,
				  VBS_META_READ_WRITE | VBS_META_UNMEASURED, NULL);
		}
	}
	/* The VP registers are measured last (crate: "the cpu context ... measured last"). */
	for (size_t i = 0; i < f->count; i++) {
		const struct igvm_hdr *h = &f->hdrs[i];
		if (h->known && h->type == IGVM_VHT_VP_CONTEXT && applies(h, p->mask) && !vbs_registers(f, h, digest)) {
			snprintf(err, err_len, "VP_CONTEXT at 0x%x: registers outside the file", h->offset);
			return false;
		}
	}
	memcpy(out, digest, sizeof(digest));
	return true;
}
