/* PVALIDATE, RMPADJUST and the validated-page bitmap (see snp_mem.h for the threat this answers). */
#include "tee/snp/snp_mem.h"

#include "arch/x86_64/hw.h"
#include "arch/x86_64/platform.h"
#include "core/str.h"

static bool bit_get(const uint64_t *map, uint64_t pfn)
{
	return (map[pfn / 64] >> (pfn % 64)) & 1;
}

static void bit_set(uint64_t *map, uint64_t pfn, bool v)
{
	if (v)
		map[pfn / 64] |= 1ull << (pfn % 64);
	else
		map[pfn / 64] &= ~(1ull << (pfn % 64));
}

void snp_map_shared_alias(uint64_t gpa, uint64_t pages)
{
	x86_mmu_map_data(SNP_VTOM + gpa, SNP_VTOM + gpa, pages * SNP_PAGE_SIZE);
}

void snp_mem_setup(struct snp_mem *m, uint64_t *valid, uint64_t *owned, uint64_t pages)
{
	*m = (struct snp_mem){ .valid = valid, .owned = owned, .pages = pages };
	memset(valid, 0, snp_mem_words(pages) * 8);
	memset(owned, 0, snp_mem_words(pages) * 8);
}

/* [gpa, gpa + pages * 4 KiB) is page-aligned, non-empty and tracked. */
static bool range_ok(const struct snp_mem *m, uint64_t gpa, uint64_t pages)
{
	if (gpa & (SNP_PAGE_SIZE - 1) || pages == 0)
		return false;
	uint64_t pfn = gpa >> SNP_PAGE_SHIFT;
	return pfn < m->pages && pages <= m->pages - pfn;
}

bool snp_mem_is_validated(const struct snp_mem *m, uint64_t gpa)
{
	uint64_t pfn = gpa >> SNP_PAGE_SHIFT;

	return pfn < m->pages && bit_get(m->valid, pfn);
}

bool snp_mem_is_owned(const struct snp_mem *m, uint64_t gpa)
{
	uint64_t pfn = gpa >> SNP_PAGE_SHIFT;

	return pfn < m->pages && bit_get(m->owned, pfn);
}

bool snp_mem_remap_detected(const struct snp_mem *m, uint64_t gpa)
{
	return snp_mem_is_validated(m, gpa);
}

enum snp_mem_status snp_mem_mark_launch_validated(struct snp_mem *m, uint64_t gpa, uint64_t pages)
{
	if (!range_ok(m, gpa, pages))
		return SNP_MEM_RANGE;
	for (uint64_t i = 0; i < pages; i++)
		bit_set(m->valid, (gpa >> SNP_PAGE_SHIFT) + i, true);
	return SNP_MEM_OK;
}

enum snp_mem_status snp_mem_own(struct snp_mem *m, uint64_t gpa, uint64_t pages)
{
	if (!range_ok(m, gpa, pages))
		return SNP_MEM_RANGE;
	for (uint64_t i = 0; i < pages; i++)
		bit_set(m->owned, (gpa >> SNP_PAGE_SHIFT) + i, true);
	return SNP_MEM_OK;
}

/* Maps a PVALIDATE/RMPADJUST return code (APM3) to a status. */
static enum snp_mem_status hw_status(uint32_t rc)
{
	switch (rc) {
	case SNP_PVALIDATE_SUCCESS:
		return SNP_MEM_OK;
	case SNP_PVALIDATE_FAIL_INPUT:
		return SNP_MEM_HW_INPUT;
	case SNP_RMPADJUST_FAIL_PERMISSION:
		return SNP_MEM_HW_PERMISSION;
	case SNP_PVALIDATE_FAIL_SIZEMISMATCH:
		return SNP_MEM_HW_SIZE;
	default:
		return SNP_MEM_HW_UNKNOWN;
	}
}

/* One PVALIDATE. A validate must change the RMP (CF = 0); so must a rescind. */
static enum snp_mem_status pvalidate_one(struct snp_mem *m, uint64_t gpa, uint32_t size, bool validate)
{
	uint8_t cf = 0;
	uint32_t rc = hw_pvalidate((uint64_t)(uintptr_t)snp_va(gpa), size, validate ? 1 : 0, &cf);

	if (rc != SNP_PVALIDATE_SUCCESS)
		return hw_status(rc);
	if (size == HW_PAGE_2M)
		m->pvalidate_2m++;
	else
		m->pvalidate_4k++;
	return cf ? SNP_MEM_HW_UNCHANGED : SNP_MEM_OK;
}

/* Rescinds pages [gpa, end) that this call validated, best effort (used to roll back). The bitmap was
 * not updated for them yet. */
static void rollback(struct snp_mem *m, uint64_t gpa, uint64_t end)
{
	(void)m;
	for (uint64_t a = gpa; a < end;) {
		uint8_t cf;
		if ((a & (SNP_2M_SIZE - 1)) == 0 && end - a >= SNP_2M_SIZE &&
		    hw_pvalidate((uint64_t)(uintptr_t)snp_va(a), HW_PAGE_2M, 0, &cf) == 0) {
			a += SNP_2M_SIZE;
			continue;
		}
		(void)hw_pvalidate((uint64_t)(uintptr_t)snp_va(a), HW_PAGE_4K, 0, &cf);
		a += SNP_PAGE_SIZE;
	}
}

/* A 2 MiB block: one 2 MiB PVALIDATE, or 512 4 KiB ones when the RMP holds 4 KiB entries. */
static enum snp_mem_status validate_2m(struct snp_mem *m, uint64_t gpa, uint64_t *done)
{
	enum snp_mem_status s = pvalidate_one(m, gpa, HW_PAGE_2M, true);

	if (s != SNP_MEM_HW_SIZE) {
		if (s == SNP_MEM_OK)
			*done = gpa + SNP_2M_SIZE;
		return s;
	}
	m->size_fallbacks++;
	for (uint64_t a = gpa; a < gpa + SNP_2M_SIZE; a += SNP_PAGE_SIZE) {
		s = pvalidate_one(m, a, HW_PAGE_4K, true);
		if (s != SNP_MEM_OK)
			return s;
		*done = a + SNP_PAGE_SIZE;
	}
	return SNP_MEM_OK;
}

enum snp_mem_status snp_mem_validate(struct snp_mem *m, uint64_t gpa, uint64_t pages)
{
	if (!range_ok(m, gpa, pages))
		return SNP_MEM_RANGE;
	uint64_t pfn = gpa >> SNP_PAGE_SHIFT;
	for (uint64_t i = 0; i < pages; i++)
		if (bit_get(m->valid, pfn + i))
			return SNP_MEM_DOUBLE;

	enum snp_mem_status s = snp_mem_pvalidate_untracked(m, gpa, pages);
	if (s != SNP_MEM_OK)
		return s;
	for (uint64_t i = 0; i < pages; i++)
		bit_set(m->valid, pfn + i, true);
	return SNP_MEM_OK;
}

enum snp_mem_status snp_mem_pvalidate_untracked(struct snp_mem *m, uint64_t gpa, uint64_t pages)
{
	if (gpa & (SNP_PAGE_SIZE - 1) || pages == 0 || pages > (UINT64_MAX - gpa) / SNP_PAGE_SIZE)
		return SNP_MEM_RANGE;
	uint64_t end = gpa + pages * SNP_PAGE_SIZE, a = gpa, done = gpa;
	enum snp_mem_status s = SNP_MEM_OK;
	while (a < end && s == SNP_MEM_OK) {
		if ((a & (SNP_2M_SIZE - 1)) == 0 && end - a >= SNP_2M_SIZE) {
			s = validate_2m(m, a, &done);
			a += SNP_2M_SIZE;
		} else {
			s = pvalidate_one(m, a, HW_PAGE_4K, true);
			if (s == SNP_MEM_OK)
				done = a + SNP_PAGE_SIZE;
			a += SNP_PAGE_SIZE;
		}
	}
	if (s != SNP_MEM_OK)
		/* CF = 1 means the page was validated before this call: it is not ours to rescind. */
		rollback(m, gpa, done);
	return s;
}

enum snp_mem_status snp_mem_invalidate(struct snp_mem *m, uint64_t gpa, uint64_t pages)
{
	if (!range_ok(m, gpa, pages))
		return SNP_MEM_RANGE;
	uint64_t pfn = gpa >> SNP_PAGE_SHIFT;
	for (uint64_t i = 0; i < pages; i++)
		if (!bit_get(m->valid, pfn + i))
			return SNP_MEM_NOT_VALIDATED;
	for (uint64_t i = 0; i < pages; i++) {
		uint64_t a = gpa + i * SNP_PAGE_SIZE;
		enum snp_mem_status s = pvalidate_one(m, a, HW_PAGE_4K, false);
		if (s == SNP_MEM_HW_SIZE && (a & (SNP_2M_SIZE - 1)) == 0 && pages - i >= SNP_PAGES_PER_2M) {
			s = pvalidate_one(m, a, HW_PAGE_2M, false);
			if (s == SNP_MEM_OK) {
				for (uint64_t j = 0; j < SNP_PAGES_PER_2M; j++)
					bit_set(m->valid, pfn + i + j, false);
				i += SNP_PAGES_PER_2M - 1;
				continue;
			}
		}
		/* FAIL_SIZEMISMATCH changed nothing: the page is still validated and stays recorded so.
		 * After any other outcome the page is no longer trusted as validated. */
		if (s == SNP_MEM_HW_SIZE)
			return s;
		bit_set(m->valid, pfn + i, false);
		if (s != SNP_MEM_OK)
			return s;
	}
	return SNP_MEM_OK;
}

static enum snp_mem_status rmpadjust_one(uint64_t gpa, uint32_t size, uint64_t attrs)
{
	return hw_status(hw_rmpadjust((uint64_t)(uintptr_t)snp_va(gpa), size, attrs));
}

enum snp_mem_status snp_mem_grant(struct snp_mem *m, uint64_t gpa, uint64_t pages, uint8_t vmpl,
				  uint8_t perms)
{
	if (!range_ok(m, gpa, pages) || vmpl == 0 || vmpl > 3 || (perms & ~SNP_RMP_PERM_ALL))
		return SNP_MEM_RANGE;
	uint64_t pfn = gpa >> SNP_PAGE_SHIFT;
	for (uint64_t i = 0; i < pages; i++) {
		if (bit_get(m->owned, pfn + i))
			return SNP_MEM_OWNED;
		if (!bit_get(m->valid, pfn + i))
			return SNP_MEM_NOT_VALIDATED;
	}
	uint64_t attrs = SNP_RMPADJUST_ATTRS(vmpl, perms, false);
	uint64_t end = gpa + pages * SNP_PAGE_SIZE;
	for (uint64_t a = gpa; a < end;) {
		enum snp_mem_status s = SNP_MEM_HW_SIZE;
		if ((a & (SNP_2M_SIZE - 1)) == 0 && end - a >= SNP_2M_SIZE) {
			s = rmpadjust_one(a, HW_PAGE_2M, attrs);
			if (s == SNP_MEM_OK) {
				a += SNP_2M_SIZE;
				continue;
			}
		}
		if (s != SNP_MEM_HW_SIZE)
			return s;
		s = rmpadjust_one(a, HW_PAGE_4K, attrs);
		if (s != SNP_MEM_OK)
			return s;
		a += SNP_PAGE_SIZE;
	}
	return SNP_MEM_OK;
}

enum snp_mem_status snp_mem_make_vmsa(struct snp_mem *m, uint64_t gpa, uint8_t vmpl)
{
	if (!range_ok(m, gpa, 1) || vmpl == 0 || vmpl > 3)
		return SNP_MEM_RANGE;
	if (!snp_mem_is_owned(m, gpa))
		return SNP_MEM_OWNED; /* a VMSA must be a Mantle page the guest cannot write */
	if (!snp_mem_is_validated(m, gpa))
		return SNP_MEM_NOT_VALIDATED;
	enum snp_mem_status s = rmpadjust_one(gpa, HW_PAGE_4K, SNP_RMPADJUST_ATTRS(vmpl, 0, false));
	if (s != SNP_MEM_OK)
		return s;
	return rmpadjust_one(gpa, HW_PAGE_4K, SNP_RMPADJUST_ATTRS(vmpl, SNP_RMP_PERM_READ, true));
}

enum snp_mem_status snp_mem_unmake_vmsa(struct snp_mem *m, uint64_t gpa, uint8_t vmpl)
{
	if (!range_ok(m, gpa, 1) || vmpl == 0 || vmpl > 3)
		return SNP_MEM_RANGE;
	if (!snp_mem_is_owned(m, gpa))
		return SNP_MEM_OWNED;
	if (!snp_mem_is_validated(m, gpa))
		return SNP_MEM_NOT_VALIDATED;
	return rmpadjust_one(gpa, HW_PAGE_4K, SNP_RMPADJUST_ATTRS(vmpl, 0, false));
}

const char *snp_mem_status_name(enum snp_mem_status s)
{
	static const char *const names[] = {
		[SNP_MEM_OK] = "ok", [SNP_MEM_RANGE] = "bad range",
		[SNP_MEM_DOUBLE] = "already validated", [SNP_MEM_NOT_VALIDATED] = "not validated",
		[SNP_MEM_OWNED] = "Mantle's page", [SNP_MEM_HW_UNCHANGED] = "RMP unchanged (CF=1)",
		[SNP_MEM_HW_INPUT] = "FAIL_INPUT", [SNP_MEM_HW_PERMISSION] = "FAIL_PERMISSION",
		[SNP_MEM_HW_SIZE] = "FAIL_SIZEMISMATCH", [SNP_MEM_HW_UNKNOWN] = "unknown return code",
	};

	return (unsigned)s < sizeof(names) / sizeof(names[0]) ? names[s] : "?";
}
