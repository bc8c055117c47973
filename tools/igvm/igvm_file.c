#include "tools/igvm/igvm_file.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#define MAX_AREAS 64

struct parse_state {
	struct igvm_file *f;
	char *err;
	size_t err_len;
	/* parameter areas: declared size, and whether inserted already (ref A.10, A.12) */
	size_t area_count;
	struct { uint32_t index; uint64_t bytes; bool inserted; } areas[MAX_AREAS];
	uint32_t all_masks;
	/* one VP context per (platform bit, vp index) */
	size_t vp_count;
	struct { uint32_t mask; uint16_t vp; } vps[256];
};

static bool fail(struct parse_state *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static bool fail(struct parse_state *s, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(s->err, s->err_len, fmt, ap);
	va_end(ap);
	return false;
}

static uint32_t rd32(const uint8_t *p)
{
	uint32_t v;
	memcpy(&v, p, 4);
	return v;
}

uint32_t igvm_checksum(const uint8_t *fixed, size_t fixed_len, const uint8_t *vh, size_t vh_len)
{
	uint8_t hdr[sizeof(struct igvm_fixed_header_v2)];
	uLong crc = crc32(0, Z_NULL, 0);

	memcpy(hdr, fixed, fixed_len);
	memset(hdr + offsetof(struct igvm_fixed_header, checksum), 0, 4);
	crc = crc32(crc, hdr, (uInt)fixed_len);
	crc = crc32(crc, vh, (uInt)vh_len);
	return (uint32_t)crc;
}

const char *igvm_type_name(uint32_t type)
{
	switch (type & ~IGVM_VHT_OPTIONAL_BIT) {
	case IGVM_VHT_SUPPORTED_PLATFORM: return "SUPPORTED_PLATFORM";
	case IGVM_VHT_GUEST_POLICY: return "GUEST_POLICY";
	case IGVM_VHT_RELOCATABLE_REGION: return "RELOCATABLE_REGION";
	case IGVM_VHT_PAGE_TABLE_RELOCATION_REGION: return "PAGE_TABLE_RELOCATION_REGION";
	case IGVM_VHT_CORIM_DOCUMENT: return "CORIM_DOCUMENT";
	case IGVM_VHT_CORIM_SIGNATURE: return "CORIM_SIGNATURE";
	case IGVM_VHT_CCA_POLICY: return "CCA_POLICY";
	case IGVM_VHT_PARAMETER_AREA: return "PARAMETER_AREA";
	case IGVM_VHT_PAGE_DATA: return "PAGE_DATA";
	case IGVM_VHT_PARAMETER_INSERT: return "PARAMETER_INSERT";
	case IGVM_VHT_VP_CONTEXT: return "VP_CONTEXT";
	case IGVM_VHT_REQUIRED_MEMORY: return "REQUIRED_MEMORY";
	case IGVM_VHT_VP_COUNT_PARAMETER: return "VP_COUNT_PARAMETER";
	case IGVM_VHT_SRAT: return "SRAT";
	case IGVM_VHT_MADT: return "MADT";
	case IGVM_VHT_MMIO_RANGES: return "MMIO_RANGES";
	case IGVM_VHT_SNP_ID_BLOCK: return "SNP_ID_BLOCK";
	case IGVM_VHT_MEMORY_MAP: return "MEMORY_MAP";
	case IGVM_VHT_ERROR_RANGE: return "ERROR_RANGE";
	case IGVM_VHT_COMMAND_LINE: return "COMMAND_LINE";
	case IGVM_VHT_SLIT: return "SLIT";
	case IGVM_VHT_PPTT: return "PPTT";
	case IGVM_VHT_VBS_MEASUREMENT: return "VBS_MEASUREMENT";
	case IGVM_VHT_DEVICE_TREE: return "DEVICE_TREE";
	case IGVM_VHT_ENVIRONMENT_INFO_PARAMETER: return "ENVIRONMENT_INFO_PARAMETER";
	default: return "UNKNOWN";
	}
}

const char *igvm_platform_name(uint8_t type)
{
	static const char *const names[] = { "NATIVE", "VSM_ISOLATION", "SEV_SNP", "TDX", "SEV", "SEV_ES", "CCA" };
	return type < sizeof(names) / sizeof(names[0]) ? names[type] : "UNKNOWN";
}

/* Exact body size of each known type (ref A.4 rule 6), or 0 for an unknown type. */
static uint32_t known_size(uint32_t type)
{
	switch (type) {
	case IGVM_VHT_SUPPORTED_PLATFORM: return sizeof(struct igvm_vhs_supported_platform);
	case IGVM_VHT_GUEST_POLICY: return sizeof(struct igvm_vhs_guest_policy);
	case IGVM_VHT_RELOCATABLE_REGION: return sizeof(struct igvm_vhs_relocatable_region);
	case IGVM_VHT_PAGE_TABLE_RELOCATION_REGION: return sizeof(struct igvm_vhs_page_table_relocation);
	case IGVM_VHT_CORIM_DOCUMENT:
	case IGVM_VHT_CORIM_SIGNATURE: return IGVM_VHS_CORIM_SIZE;
	case IGVM_VHT_CCA_POLICY: return IGVM_VHS_CCA_POLICY_SIZE;
	case IGVM_VHT_PARAMETER_AREA: return sizeof(struct igvm_vhs_parameter_area);
	case IGVM_VHT_PAGE_DATA: return sizeof(struct igvm_vhs_page_data);
	case IGVM_VHT_PARAMETER_INSERT: return sizeof(struct igvm_vhs_parameter_insert);
	case IGVM_VHT_VP_CONTEXT: return sizeof(struct igvm_vhs_vp_context);
	case IGVM_VHT_REQUIRED_MEMORY: return sizeof(struct igvm_vhs_required_memory);
	case IGVM_VHT_VP_COUNT_PARAMETER:
	case IGVM_VHT_SRAT:
	case IGVM_VHT_MADT:
	case IGVM_VHT_MMIO_RANGES:
	case IGVM_VHT_MEMORY_MAP:
	case IGVM_VHT_COMMAND_LINE:
	case IGVM_VHT_SLIT:
	case IGVM_VHT_PPTT:
	case IGVM_VHT_DEVICE_TREE:
	case IGVM_VHT_ENVIRONMENT_INFO_PARAMETER: return sizeof(struct igvm_vhs_parameter);
	case IGVM_VHT_SNP_ID_BLOCK: return sizeof(struct igvm_vhs_snp_id_block);
	case IGVM_VHT_ERROR_RANGE: return sizeof(struct igvm_vhs_error_range);
	case IGVM_VHT_VBS_MEASUREMENT: return sizeof(struct igvm_vhs_vbs_measurement);
	default: return 0;
	}
}

static bool is_parameter(uint32_t type)
{
	return known_size(type) == sizeof(struct igvm_vhs_parameter);
}

bool igvm_hdr_mask(const struct igvm_hdr *h, uint32_t *mask)
{
	if (!h->known)
		return false;
	switch (h->type) {
	case IGVM_VHT_SUPPORTED_PLATFORM:
	case IGVM_VHT_RELOCATABLE_REGION:
	case IGVM_VHT_PAGE_TABLE_RELOCATION_REGION:
	case IGVM_VHT_CORIM_DOCUMENT:
	case IGVM_VHT_CORIM_SIGNATURE:
	case IGVM_VHT_CCA_POLICY:
	case IGVM_VHT_SNP_ID_BLOCK:
	case IGVM_VHT_VBS_MEASUREMENT: *mask = rd32(h->body); return true;
	case IGVM_VHT_GUEST_POLICY: *mask = rd32(h->body + 8); return true;
	case IGVM_VHT_PAGE_DATA:
	case IGVM_VHT_PARAMETER_INSERT:
	case IGVM_VHT_VP_CONTEXT:
	case IGVM_VHT_REQUIRED_MEMORY:
	case IGVM_VHT_ERROR_RANGE: *mask = rd32(h->body + 8); return true;
	default: return false;
	}
}

const uint8_t *igvm_file_data(const struct igvm_file *f, uint32_t off, size_t len)
{
	if (off < f->data_start || off > f->size || len > f->size - off)
		return NULL;
	return f->buf + off;
}

const struct igvm_platform *igvm_file_platform(const struct igvm_file *f, uint32_t mask)
{
	for (size_t i = 0; i < f->platform_count; i++)
		if (f->platforms[i].mask == mask)
			return &f->platforms[i];
	return NULL;
}

const struct igvm_platform *igvm_file_platform_of_type(const struct igvm_file *f, uint8_t type)
{
	for (size_t i = 0; i < f->platform_count; i++)
		if (f->platforms[i].type == type)
			return &f->platforms[i];
	return NULL;
}

static bool check_platform(struct parse_state *s, const struct igvm_hdr *h)
{
	struct igvm_vhs_supported_platform p;
	struct igvm_file *f = s->f;

	memcpy(&p, h->body, sizeof(p));
	if (__builtin_popcount(p.compatibility_mask) != 1)
		return fail(s, "SUPPORTED_PLATFORM at 0x%x: compatibility mask 0x%x must have exactly one bit", h->offset, p.compatibility_mask);
	if (p.highest_vtl != 0 && p.highest_vtl != 2)
		return fail(s, "SUPPORTED_PLATFORM at 0x%x: highest_vtl %u is not 0 or 2", h->offset, p.highest_vtl);
	if (p.platform_type > IGVM_PLATFORM_TYPE_CCA)
		return fail(s, "SUPPORTED_PLATFORM at 0x%x: unknown platform type %u", h->offset, p.platform_type);
	if (p.platform_version != IGVM_PLATFORM_VERSION)
		return fail(s, "SUPPORTED_PLATFORM at 0x%x: platform version %u is not 1", h->offset, p.platform_version);
	if ((p.platform_type == IGVM_PLATFORM_TYPE_NATIVE || p.platform_type == IGVM_PLATFORM_TYPE_VSM_ISOLATION) &&
	    p.shared_gpa_boundary != 0)
		return fail(s, "SUPPORTED_PLATFORM at 0x%x: %s needs shared_gpa_boundary 0", h->offset, igvm_platform_name(p.platform_type));
	if (s->all_masks & p.compatibility_mask)
		return fail(s, "SUPPORTED_PLATFORM at 0x%x: mask 0x%x used twice", h->offset, p.compatibility_mask);
	if (igvm_file_platform_of_type(f, p.platform_type))
		return fail(s, "SUPPORTED_PLATFORM at 0x%x: platform %s declared twice", h->offset, igvm_platform_name(p.platform_type));
	if (f->platform_count == IGVM_MAX_PLATFORMS)
		return fail(s, "too many platforms");
	f->platforms[f->platform_count++] = (struct igvm_platform){
		.mask = p.compatibility_mask, .type = p.platform_type, .highest_vtl = p.highest_vtl,
		.shared_gpa_boundary = p.shared_gpa_boundary,
	};
	s->all_masks |= p.compatibility_mask;
	return true;
}

static int find_area(const struct parse_state *s, uint32_t index)
{
	for (size_t i = 0; i < s->area_count; i++)
		if (s->areas[i].index == index)
			return (int)i;
	return -1;
}

static bool check_vp_context(struct parse_state *s, const struct igvm_hdr *h)
{
	struct igvm_vhs_vp_context vp;
	const struct igvm_file *f = s->f;

	memcpy(&vp, h->body, sizeof(vp));
	const struct igvm_platform *p = igvm_file_platform(f, vp.compatibility_mask);
	if (!p)
		return fail(s, "VP_CONTEXT at 0x%x: mask 0x%x is not exactly one declared platform", h->offset, vp.compatibility_mask);
	if (vp.reserved)
		return fail(s, "VP_CONTEXT at 0x%x: reserved field not zero", h->offset);
	for (size_t i = 0; i < s->vp_count; i++)
		if (s->vps[i].mask == vp.compatibility_mask && s->vps[i].vp == vp.vp_index)
			return fail(s, "VP_CONTEXT at 0x%x: second context for vp %u on mask 0x%x", h->offset, vp.vp_index, vp.compatibility_mask);
	if (s->vp_count == sizeof(s->vps) / sizeof(s->vps[0]))
		return fail(s, "VP_CONTEXT at 0x%x: too many VP contexts", h->offset);
	s->vps[s->vp_count].mask = vp.compatibility_mask;
	s->vps[s->vp_count++].vp = vp.vp_index;

	switch (p->type) {
	case IGVM_PLATFORM_TYPE_SEV_SNP:
	case IGVM_PLATFORM_TYPE_SEV_ES:
		if (vp.gpa % IGVM_PAGE_SIZE)
			return fail(s, "VP_CONTEXT at 0x%x: VMSA gpa 0x%llx not page aligned", h->offset, (unsigned long long)vp.gpa);
		if (!igvm_file_data(f, vp.file_offset, IGVM_PAGE_SIZE))
			return fail(s, "VP_CONTEXT at 0x%x: VMSA data at 0x%x outside the file data", h->offset, vp.file_offset);
		return true;
	case IGVM_PLATFORM_TYPE_NATIVE: {
		const uint8_t *d = igvm_file_data(f, vp.file_offset, IGVM_PAGE_SIZE);
		if (vp.gpa)
			return fail(s, "VP_CONTEXT at 0x%x: native context needs gpa 0", h->offset);
		if (!d)
			return fail(s, "VP_CONTEXT at 0x%x: context data at 0x%x outside the file data", h->offset, vp.file_offset);
		for (size_t i = sizeof(struct igvm_native_vp_context_x64); i < IGVM_PAGE_SIZE; i++)
			if (d[i])
				return fail(s, "VP_CONTEXT at 0x%x: bytes after the native context are not zero", h->offset);
		return true;
	}
	case IGVM_PLATFORM_TYPE_VSM_ISOLATION: {
		const uint8_t *d = igvm_file_data(f, vp.file_offset, 4);
		if (vp.gpa)
			return fail(s, "VP_CONTEXT at 0x%x: VBS context needs gpa 0", h->offset);
		if (!d)
			return fail(s, "VP_CONTEXT at 0x%x: register count outside the file data", h->offset);
		uint32_t n = rd32(d);
		if (n == 0 || !igvm_file_data(f, vp.file_offset, 4 + (size_t)n * sizeof(struct igvm_vbs_vp_context_register)))
			return fail(s, "VP_CONTEXT at 0x%x: %u registers do not fit in the file data", h->offset, n);
		return true;
	}
	default:
		return fail(s, "VP_CONTEXT at 0x%x: not valid for platform %s", h->offset, igvm_platform_name(p->type));
	}
}

static bool check_page_data(struct parse_state *s, const struct igvm_hdr *h)
{
	struct igvm_vhs_page_data pd;

	memcpy(&pd, h->body, sizeof(pd));
	if (pd.flags & IGVM_PAGE_DATA_FLAG_IS_2MB_PAGE)
		return fail(s, "PAGE_DATA at 0x%x: 2 MiB pages are not supported (the reference parser reads 4 KiB)", h->offset);
	if (pd.gpa % IGVM_PAGE_SIZE)
		return fail(s, "PAGE_DATA at 0x%x: gpa 0x%llx not page aligned", h->offset, (unsigned long long)pd.gpa);
	if (pd.flags & ~IGVM_PAGE_DATA_FLAGS_KNOWN)
		return fail(s, "PAGE_DATA at 0x%x: reserved flags 0x%x", h->offset, pd.flags);
	if (pd.data_type > IGVM_PAGE_DATA_TYPE_CPUID_XF || pd.reserved)
		return fail(s, "PAGE_DATA at 0x%x: bad data type %u or reserved field", h->offset, pd.data_type);
	if (pd.file_offset && !igvm_file_data(s->f, pd.file_offset, IGVM_PAGE_SIZE))
		return fail(s, "PAGE_DATA at 0x%x: data at 0x%x is not 4096 bytes inside the file data", h->offset, pd.file_offset);
	return true;
}

static bool check_parameter_area(struct parse_state *s, const struct igvm_hdr *h)
{
	struct igvm_vhs_parameter_area pa;

	memcpy(&pa, h->body, sizeof(pa));
	if (pa.number_of_bytes == 0 || pa.number_of_bytes % IGVM_PAGE_SIZE || pa.number_of_bytes > (1ull << 32))
		return fail(s, "PARAMETER_AREA at 0x%x: size 0x%llx not a nonzero page multiple", h->offset, (unsigned long long)pa.number_of_bytes);
	if (find_area(s, pa.parameter_area_index) >= 0)
		return fail(s, "PARAMETER_AREA at 0x%x: index %u declared twice", h->offset, pa.parameter_area_index);
	if (pa.file_offset && !igvm_file_data(s->f, pa.file_offset, pa.number_of_bytes))
		return fail(s, "PARAMETER_AREA at 0x%x: initial data outside the file data", h->offset);
	if (s->area_count == MAX_AREAS)
		return fail(s, "too many parameter areas");
	s->areas[s->area_count].index = pa.parameter_area_index;
	s->areas[s->area_count].bytes = pa.number_of_bytes;
	s->areas[s->area_count++].inserted = false;
	return true;
}

static bool check_parameter_insert(struct parse_state *s, const struct igvm_hdr *h)
{
	struct igvm_vhs_parameter_insert pi;

	memcpy(&pi, h->body, sizeof(pi));
	int a = find_area(s, pi.parameter_area_index);
	if (a < 0 || s->areas[a].inserted)
		return fail(s, "PARAMETER_INSERT at 0x%x: area %u not declared, or inserted already", h->offset, pi.parameter_area_index);
	if (pi.gpa % IGVM_PAGE_SIZE || pi.gpa > UINT64_MAX - s->areas[a].bytes)
		return fail(s, "PARAMETER_INSERT at 0x%x: gpa 0x%llx misaligned or wrapping", h->offset, (unsigned long long)pi.gpa);
	s->areas[a].inserted = true;
	return true;
}

/* A parameter (VP_COUNT, MEMORY_MAP, COMMAND_LINE, ...) names a declared, not yet inserted area. */
static bool check_parameter(struct parse_state *s, const struct igvm_hdr *h)
{
	struct igvm_vhs_parameter p;

	memcpy(&p, h->body, sizeof(p));
	int a = find_area(s, p.parameter_area_index);
	if (a < 0 || s->areas[a].inserted)
		return fail(s, "%s at 0x%x: area %u not declared, or inserted already", igvm_type_name(h->type), h->offset, p.parameter_area_index);
	if (p.byte_offset >= s->areas[a].bytes)
		return fail(s, "%s at 0x%x: offset 0x%x outside area %u", igvm_type_name(h->type), h->offset, p.byte_offset, p.parameter_area_index);
	return true;
}

static bool check_range(struct parse_state *s, const struct igvm_hdr *h)
{
	if (h->type == IGVM_VHT_REQUIRED_MEMORY) {
		struct igvm_vhs_required_memory rm;
		memcpy(&rm, h->body, sizeof(rm));
		if (rm.gpa % IGVM_PAGE_SIZE || rm.number_of_bytes % IGVM_PAGE_SIZE)
			return fail(s, "REQUIRED_MEMORY at 0x%x: range not page aligned", h->offset);
		if ((rm.flags & ~IGVM_REQUIRED_MEMORY_FLAG_VTL2_PROTECTABLE) || rm.reserved)
			return fail(s, "REQUIRED_MEMORY at 0x%x: reserved bits set", h->offset);
		return true;
	}
	struct igvm_vhs_error_range er;
	memcpy(&er, h->body, sizeof(er));
	if (er.gpa % IGVM_PAGE_SIZE || er.size_bytes % IGVM_PAGE_SIZE)
		return fail(s, "ERROR_RANGE at 0x%x: range not page aligned", h->offset);
	return true;
}

static bool check_directive(struct parse_state *s, const struct igvm_hdr *h)
{
	uint32_t mask;

	if (igvm_hdr_mask(h, &mask) && (mask == 0 || (mask & ~s->all_masks)))
		return fail(s, "%s at 0x%x: mask 0x%x names undeclared platforms", igvm_type_name(h->type), h->offset, mask);
	switch (h->type) {
	case IGVM_VHT_PAGE_DATA: return check_page_data(s, h);
	case IGVM_VHT_PARAMETER_AREA: return check_parameter_area(s, h);
	case IGVM_VHT_PARAMETER_INSERT: return check_parameter_insert(s, h);
	case IGVM_VHT_VP_CONTEXT: return check_vp_context(s, h);
	case IGVM_VHT_REQUIRED_MEMORY:
	case IGVM_VHT_ERROR_RANGE: return check_range(s, h);
	default: return is_parameter(h->type) ? check_parameter(s, h) : true;
	}
}

static bool check_header(struct parse_state *s, const struct igvm_hdr *h)
{
	uint32_t mask;

	if (!h->known)
		return true;
	if (h->type == IGVM_VHT_SUPPORTED_PLATFORM)
		return check_platform(s, h);
	if (h->section == IGVM_SECTION_DIRECTIVE)
		return check_directive(s, h);
	if (igvm_hdr_mask(h, &mask) && (mask == 0 || (mask & ~s->all_masks)))
		return fail(s, "%s at 0x%x: mask 0x%x names undeclared platforms", igvm_type_name(h->type), h->offset, mask);
	if (h->type == IGVM_VHT_GUEST_POLICY && rd32(h->body + 12))
		return fail(s, "GUEST_POLICY at 0x%x: reserved field not zero", h->offset);
	return true;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

/* Appends the guest pages header h places for platform p (PAGE_DATA, inserted parameter pages, an
 * SNP VMSA) to list; area sizes come from the PARAMETER_AREAs seen so far. */
static bool pages_of(const struct igvm_platform *p, const struct igvm_hdr *h, uint64_t *area_bytes,
		     uint64_t **list, size_t *n, size_t *cap)
{
	uint64_t gpa, count = 1, v;
	uint32_t mask, idx;

	if (h->type == IGVM_VHT_PARAMETER_AREA) {
		memcpy(&v, h->body, 8);
		memcpy(&idx, h->body + 8, 4);
		if (idx < MAX_AREAS)
			area_bytes[idx] = v;
		return true;
	}
	if (!h->known || h->section != IGVM_SECTION_DIRECTIVE || !igvm_hdr_mask(h, &mask) || !(mask & p->mask))
		return true;
	memcpy(&gpa, h->body, 8);
	if (h->type == IGVM_VHT_PARAMETER_INSERT) {
		memcpy(&idx, h->body + 12, 4);
		count = idx < MAX_AREAS ? area_bytes[idx] / IGVM_PAGE_SIZE : 0;
	} else if (h->type == IGVM_VHT_VP_CONTEXT) {
		if (p->type != IGVM_PLATFORM_TYPE_SEV_SNP && p->type != IGVM_PLATFORM_TYPE_SEV_ES)
			return true;
	} else if (h->type != IGVM_VHT_PAGE_DATA) {
		return true;
	}
	for (uint64_t i = 0; i < count; i++) {
		if (*n == *cap) {
			*cap = *cap ? *cap * 2 : 1024;
			uint64_t *nl = realloc(*list, *cap * sizeof(**list));
			if (!nl)
				return false;
			*list = nl;
		}
		(*list)[(*n)++] = gpa + i * IGVM_PAGE_SIZE;
	}
	return true;
}

/* A loader cannot add the same guest page twice on one platform (SNP_LAUNCH_UPDATE and
 * TDH.MEM.PAGE.ADD both refuse): reject files that ask it to. */
static bool check_overlaps(struct parse_state *s)
{
	const struct igvm_file *f = s->f;
	uint64_t *list = NULL;
	size_t cap = 0;
	bool ok = true;

	for (size_t pi = 0; ok && pi < f->platform_count; pi++) {
		const struct igvm_platform *p = &f->platforms[pi];
		uint64_t area_bytes[MAX_AREAS] = { 0 };
		size_t n = 0;
		for (size_t i = 0; ok && i < f->count; i++)
			if (!pages_of(p, &f->hdrs[i], area_bytes, &list, &n, &cap))
				ok = fail(s, "out of memory");
		if (!ok)
			break;
		qsort(list, n, sizeof(*list), cmp_u64);
		for (size_t i = 1; i < n; i++) {
			if (list[i] == list[i - 1]) {
				ok = fail(s, "guest page 0x%llx is loaded twice for platform %s (mask 0x%x)",
					  (unsigned long long)list[i], igvm_platform_name(p->type), p->mask);
				break;
			}
		}
	}
	free(list);
	return ok;
}

static bool section_of(uint32_t type, enum igvm_section *sec)
{
	if (type >= IGVM_VHT_RANGE_PLATFORM_FIRST && type <= IGVM_VHT_RANGE_PLATFORM_LAST)
		*sec = IGVM_SECTION_PLATFORM;
	else if (type >= IGVM_VHT_RANGE_INIT_FIRST && type <= IGVM_VHT_RANGE_INIT_LAST)
		*sec = IGVM_SECTION_INIT;
	else if (type >= IGVM_VHT_RANGE_DIRECTIVE_FIRST && type <= IGVM_VHT_RANGE_DIRECTIVE_LAST)
		*sec = IGVM_SECTION_DIRECTIVE;
	else
		return false;
	return true;
}

/* Walks the TLV list (ref A.5). */
static bool parse_headers(struct parse_state *s)
{
	struct igvm_file *f = s->f;
	size_t pos = f->vh_offset, end = (size_t)f->vh_offset + f->vh_size, cap = 0;
	enum igvm_section stage = IGVM_SECTION_PLATFORM;

	while (pos < end) {
		if (end - pos < sizeof(struct igvm_vhs_variable_header))
			return fail(s, "variable header at 0x%zx: truncated type/length", pos);
		uint32_t raw = rd32(f->buf + pos), len = rd32(f->buf + pos + 4);
		size_t body = pos + 8;
		if (len > end - body)
			return fail(s, "variable header at 0x%zx: length %u runs past the variable header", pos, len);
		size_t next = body + (((size_t)len + 7) & ~(size_t)7);
		if (next > end)
			return fail(s, "variable header at 0x%zx: padding runs past the variable header", pos);
		for (size_t i = body + len; i < next; i++)
			if (f->buf[i])
				return fail(s, "variable header at 0x%zx: nonzero padding", pos);
		struct igvm_hdr h = {
			.type = raw & ~IGVM_VHT_OPTIONAL_BIT, .optional = (raw & IGVM_VHT_OPTIONAL_BIT) != 0,
			.length = len, .offset = (uint32_t)body, .body = f->buf + body,
		};
		uint32_t want = known_size(h.type);
		h.known = want != 0;
		if (!section_of(h.type, &h.section)) {
			if (!h.optional)
				return fail(s, "variable header at 0x%zx: type 0x%x is outside every section", pos, raw);
			h.section = stage;
		}
		if (h.section < stage)
			return fail(s, "variable header at 0x%zx: %s after a later section began", pos, igvm_type_name(h.type));
		stage = h.section;
		if (!h.known && !h.optional)
			return fail(s, "variable header at 0x%zx: unknown required type 0x%x", pos, raw);
		if (h.known && len != want)
			return fail(s, "variable header at 0x%zx: %s length %u, expected %u", pos, igvm_type_name(h.type), len, want);
		if (!check_header(s, &h))
			return false;
		if (f->count == cap) {
			cap = cap ? cap * 2 : 64;
			struct igvm_hdr *n = realloc(f->hdrs, cap * sizeof(*n));
			if (!n)
				return fail(s, "out of memory");
			f->hdrs = n;
		}
		f->hdrs[f->count++] = h;
		pos = next;
	}
	if (f->platform_count == 0)
		return fail(s, "no SUPPORTED_PLATFORM header");
	return check_overlaps(s);
}

static bool parse_fixed(struct parse_state *s)
{
	struct igvm_file *f = s->f;
	struct igvm_fixed_header fh;

	if (f->size < sizeof(fh))
		return fail(s, "file of %zu bytes is shorter than the fixed header", f->size);
	memcpy(&fh, f->buf, sizeof(fh));
	if (fh.magic != IGVM_MAGIC_VALUE)
		return fail(s, "bad magic 0x%08x (expected 0x%08x, \"IGVM\")", fh.magic, IGVM_MAGIC_VALUE);
	f->version = fh.format_version;
	f->header_size = sizeof(struct igvm_fixed_header);
	if (fh.format_version == IGVM_FORMAT_VERSION_2) {
		struct igvm_fixed_header_v2 v2;
		if (f->size < sizeof(v2))
			return fail(s, "file too short for a version 2 fixed header");
		memcpy(&v2, f->buf, sizeof(v2));
		if (v2.architecture > 1 || v2.page_size != IGVM_PAGE_SIZE)
			return fail(s, "version 2 header: architecture %u / page size %u unsupported", v2.architecture, v2.page_size);
		f->header_size = sizeof(v2);
	} else if (fh.format_version != IGVM_FORMAT_VERSION_1) {
		return fail(s, "unsupported format version %u", fh.format_version);
	}
	if (fh.total_file_size != f->size)
		return fail(s, "total_file_size %u but the file has %zu bytes", fh.total_file_size, f->size);
	if (fh.variable_header_offset < f->header_size || fh.variable_header_offset % 8)
		return fail(s, "variable_header_offset %u is inside the fixed header or not 8-byte aligned", fh.variable_header_offset);
	if ((uint64_t)fh.variable_header_offset + fh.variable_header_size >= f->size)
		return fail(s, "variable header [%u+%u] does not leave a file-data section in %zu bytes",
			    fh.variable_header_offset, fh.variable_header_size, f->size);
	f->vh_offset = fh.variable_header_offset;
	f->vh_size = fh.variable_header_size;
	f->data_start = fh.variable_header_offset + fh.variable_header_size;
	f->checksum = fh.checksum;
	uint32_t crc = igvm_checksum(f->buf, f->header_size, f->buf + f->vh_offset, f->vh_size);
	if (crc != fh.checksum)
		return fail(s, "checksum 0x%08x does not match the computed 0x%08x", fh.checksum, crc);
	return true;
}

bool igvm_file_parse(const uint8_t *buf, size_t size, struct igvm_file *f, char *err, size_t err_len)
{
	struct parse_state *s = calloc(1, sizeof(*s));

	memset(f, 0, sizeof(*f));
	if (!s) {
		snprintf(err, err_len, "out of memory");
		return false;
	}
	f->buf = buf;
	f->size = size;
	s->f = f;
	s->err = err;
	s->err_len = err_len;
	bool ok = size <= UINT32_MAX && parse_fixed(s) && parse_headers(s);
	if (size > UINT32_MAX)
		snprintf(err, err_len, "file larger than 4 GiB");
	free(s);
	if (!ok)
		igvm_file_free(f);
	return ok;
}

void igvm_file_free(struct igvm_file *f)
{
	free(f->hdrs);
	f->hdrs = NULL;
	f->count = 0;
}
