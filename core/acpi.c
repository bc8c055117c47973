#include "core/acpi.h"

#include <stdbool.h>

#include "core/str.h"

/* Longest platform root table Mantle accepts: far beyond any real XSDT. */
#define ROOT_MAX_LEN (36u + 8u * ACPI_MAX_ENTRIES)

uint8_t acpi_checksum(const void *p, size_t len)
{
	const uint8_t *b = p;
	uint8_t sum = 0;

	for (size_t i = 0; i < len; i++)
		sum = (uint8_t)(sum + b[i]);
	return (uint8_t)(0u - sum);
}

static void fill_header(struct acpi_header *h, const char sig[4], uint32_t len, uint8_t rev)
{
	memcpy(h->signature, sig, 4);
	h->length = len;
	h->revision = rev;
	memcpy(h->oem_id, "MANTLE", 6);
	memcpy(h->oem_table_id, "MANTLEPV", 8);
	h->oem_revision = 1;
	memcpy(h->creator_id, "MNTL", 4);
	h->creator_revision = 1;
	h->checksum = 0;
}

/* Collects the physical addresses listed by the platform's XSDT (or RSDT on ACPI 1.0). */
static enum acpi_status read_root(uint64_t platform_rsdp, acpi_phys_fn phys, void *ctx,
				  uint64_t *entries, uint32_t *count)
{
	const struct acpi_rsdp *p = phys(ctx, platform_rsdp, 20);
	struct acpi_rsdp rsdp = { 0 };

	if (!p)
		return ACPI_NO_RSDP;
	memcpy(&rsdp, p, 20);
	if (memcmp(rsdp.signature, "RSD PTR ", 8) != 0 || acpi_checksum(p, 20) != 0)
		return ACPI_NO_RSDP;
	bool xsdt = false;
	uint64_t root = rsdp.rsdt_address;
	if (rsdp.revision >= 2) {
		p = phys(ctx, platform_rsdp, sizeof(rsdp));
		if (!p || acpi_checksum(p, sizeof(rsdp)) != 0)
			return ACPI_NO_RSDP;
		memcpy(&rsdp, p, sizeof(rsdp));
		if (rsdp.xsdt_address) {
			root = rsdp.xsdt_address;
			xsdt = true;
		}
	}
	const struct acpi_header *h = phys(ctx, root, sizeof(*h));
	struct acpi_header hdr;
	if (!h)
		return ACPI_BAD_ROOT;
	memcpy(&hdr, h, sizeof(hdr));
	if (memcmp(hdr.signature, xsdt ? "XSDT" : "RSDT", 4) != 0 || hdr.length < sizeof(hdr) ||
	    hdr.length > ROOT_MAX_LEN)
		return ACPI_BAD_ROOT;
	/* One copy of the whole table, then checksum and entries come from the copy. */
	uint8_t copy[ROOT_MAX_LEN];
	const uint8_t *t = phys(ctx, root, hdr.length);
	if (!t)
		return ACPI_BAD_ROOT;
	memcpy(copy, t, hdr.length);
	if (acpi_checksum(copy, hdr.length) != 0)
		return ACPI_BAD_ROOT;
	uint32_t esize = xsdt ? 8 : 4;
	*count = (hdr.length - sizeof(hdr)) / esize;
	for (uint32_t i = 0; i < *count; i++) {
		uint64_t v = 0;
		memcpy(&v, copy + sizeof(hdr) + i * esize, esize);
		entries[i] = v;
	}
	return ACPI_OK;
}

static size_t align16(size_t v)
{
	return (v + 15) & ~(size_t)15;
}

enum acpi_status acpi_rebuild(uint64_t platform_rsdp, acpi_phys_fn phys, void *ctx, uint8_t *area,
			      uint64_t area_gpa, size_t cap, const struct acpi_header *const *extra,
			      uint32_t extra_count, uint64_t *rsdp_gpa)
{
	uint64_t entries[ACPI_MAX_ENTRIES];
	uint32_t count = 0;
	enum acpi_status st = read_root(platform_rsdp, phys, ctx, entries, &count);

	if (st != ACPI_OK)
		return st;
	if (count + extra_count > ACPI_MAX_ENTRIES)
		return ACPI_TOO_MANY;

	size_t xsdt_off = align16(sizeof(struct acpi_rsdp));
	size_t xsdt_len = sizeof(struct acpi_header) + 8u * (count + extra_count);
	size_t off = align16(xsdt_off + xsdt_len);
	for (uint32_t i = 0; i < extra_count; i++) {
		if (extra[i]->length > cap || off > cap - extra[i]->length)
			return ACPI_NO_ROOM;
		memcpy(area + off, extra[i], extra[i]->length);
		struct acpi_header *h = (struct acpi_header *)(area + off);
		h->checksum = 0;
		h->checksum = acpi_checksum(h, h->length);
		entries[count++] = area_gpa + off;
		off = align16(off + extra[i]->length);
	}
	if (xsdt_off + xsdt_len > cap)
		return ACPI_NO_ROOM;

	struct acpi_header *x = (struct acpi_header *)(area + xsdt_off);
	fill_header(x, "XSDT", (uint32_t)xsdt_len, 1);
	memcpy(area + xsdt_off + sizeof(*x), entries, 8u * count);
	x->checksum = acpi_checksum(x, xsdt_len);

	struct acpi_rsdp *r = (struct acpi_rsdp *)area;
	memset(r, 0, sizeof(*r));
	memcpy(r->signature, "RSD PTR ", 8);
	memcpy(r->oem_id, "MANTLE", 6);
	r->revision = 2;
	r->length = sizeof(*r);
	r->xsdt_address = area_gpa + xsdt_off;
	r->checksum = acpi_checksum(r, 20);
	r->extended_checksum = acpi_checksum(r, sizeof(*r));
	*rsdp_gpa = area_gpa;
	return ACPI_OK;
}

void acpi_build_tpm2(struct acpi_tpm2 *t, uint64_t crb_base, uint64_t log_gpa, uint32_t log_len)
{
	memset(t, 0, sizeof(*t));
	fill_header(&t->hdr, "TPM2", sizeof(*t), 4);
	/* Linux's tpm_crb requires the control area at the start of the _CRS window + 0x40. */
	t->control_area = crb_base + 0x40;
	t->start_method = ACPI_TPM2_START_CRB;
	t->log_area_min_length = log_len;
	t->log_area_start = log_gpa;
	t->hdr.checksum = acpi_checksum(t, sizeof(*t));
}

/* AML PkgLength (ACPI 6.5, 20.2.4): `body` bytes follow; the encoding counts itself. */
static size_t pkglen(uint8_t *out, size_t body)
{
	if (body + 1 <= 63) {
		out[0] = (uint8_t)(body + 1);
		return 1;
	}
	size_t total = body + 2;
	out[0] = (uint8_t)(0x40 | (total & 0xf));
	out[1] = (uint8_t)(total >> 4);
	return 2;
}

struct aml {
	uint8_t *buf;
	size_t len;
};

static void emit(struct aml *a, const void *p, size_t n)
{
	memcpy(a->buf + a->len, p, n);
	a->len += n;
}

static void emit_name_seg(struct aml *a, uint8_t op_name, const char seg[4])
{
	emit(a, &op_name, 1);
	emit(a, seg, 4);
}

size_t acpi_build_tpm_ssdt(uint8_t *buf, size_t cap, uint32_t crb_base, uint32_t crb_size)
{
	uint8_t dev[128], crs_body[32], tmp[2];
	struct aml d = { dev, 0 }, crs = { crs_body, 0 };
	const uint8_t name = 0x08, string = 0x0d, one = 0x01, byte_prefix = 0x0a, buffer_op = 0x11;

	/* Memory32Fixed(ReadWrite, base, size) then EndTag (ACPI 6.5, 6.4.3.4 and 6.4.2.9). */
	uint8_t rd[14] = { 0x86, 0x09, 0x00, 0x01 };
	memcpy(rd + 4, &crb_base, 4);
	memcpy(rd + 8, &crb_size, 4);
	rd[12] = 0x79;
	rd[13] = 0x00;
	uint8_t bufsize[2] = { byte_prefix, sizeof(rd) };
	emit(&crs, bufsize, 2);
	emit(&crs, rd, sizeof(rd));

	emit(&d, "TPM0", 4);
	emit_name_seg(&d, name, "_HID");
	emit(&d, &string, 1);
	emit(&d, "MSFT0101", 9);
	emit_name_seg(&d, name, "_UID");
	emit(&d, &one, 1);
	emit_name_seg(&d, name, "_STA");
	uint8_t sta[2] = { byte_prefix, 0x0f };
	emit(&d, sta, 2);
	emit_name_seg(&d, name, "_CRS");
	emit(&d, &buffer_op, 1);
	emit(&d, tmp, pkglen(tmp, crs.len));
	emit(&d, crs_body, crs.len);

	/* Scope(\_SB_) { Device(TPM0) { ... } } */
	uint8_t devop[2] = { 0x5b, 0x82 }, dl[2], sl[2];
	size_t dl_n = pkglen(dl, d.len);
	size_t scope_body = 5 + 2 + dl_n + d.len;
	size_t sl_n = pkglen(sl, scope_body);
	size_t total = sizeof(struct acpi_header) + 1 + sl_n + scope_body;
	if (total > cap)
		return 0;

	struct aml out = { buf, sizeof(struct acpi_header) };
	uint8_t scope_op = 0x10;
	emit(&out, &scope_op, 1);
	emit(&out, sl, sl_n);
	emit(&out, "\\_SB_", 5);
	emit(&out, devop, 2);
	emit(&out, dl, dl_n);
	emit(&out, dev, d.len);
	fill_header((struct acpi_header *)buf, "SSDT", (uint32_t)total, 2);
	((struct acpi_header *)buf)->checksum = acpi_checksum(buf, total);
	return total;
}

static const struct acpi_header *extra_tables[ACPI_EXTRA_MAX];
static uint32_t extra_tables_count;

int acpi_add_table(const struct acpi_header *t)
{
	if (extra_tables_count == ACPI_EXTRA_MAX)
		return -1;
	extra_tables[extra_tables_count++] = t;
	return 0;
}

uint32_t acpi_extra_count(void)
{
	return extra_tables_count;
}

const struct acpi_header *const *acpi_extra_tables(void)
{
	return extra_tables;
}

const char *acpi_status_name(enum acpi_status st)
{
	static const char *const names[] = {
		[ACPI_OK] = "ok",
		[ACPI_NO_RSDP] = "no valid RSDP",
		[ACPI_BAD_ROOT] = "bad XSDT/RSDT",
		[ACPI_TOO_MANY] = "too many tables",
		[ACPI_NO_ROOM] = "tables do not fit",
	};

	if ((unsigned)st >= sizeof(names) / sizeof(names[0]))
		return "?";
	return names[st];
}
