/* igvmdump: reads any IGVM file, checks it (tools/igvm/igvm_file.c) and prints it.
 *
 *   igvmdump FILE             every header and directive, one per line
 *   igvmdump --pages FILE     one line per PAGE_DATA: mask, gpa, type, flags, SHA-256 of its 4 KiB
 *   igvmdump --measure FILE   the launch measurements as `name: hex` lines (what `make measure` prints)
 *
 * A corrupt file gives one line "igvmdump: FILE: reason" on stderr and exit status 1.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/crypto/crypto.h"
#include "tools/igvm/igvm_file.h"
#include "tools/igvm/igvm_measure.h"

static const uint8_t zero_page[IGVM_PAGE_SIZE];

static void hex(FILE *o, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		fprintf(o, "%02x", p[i]);
}

static void print_vp_context(const struct igvm_file *f, const struct igvm_hdr *h)
{
	struct igvm_vhs_vp_context vp;

	memcpy(&vp, h->body, sizeof(vp));
	const struct igvm_platform *p = igvm_file_platform(f, vp.compatibility_mask);
	printf("gpa=0x%llx mask=0x%x vp=%u file_offset=0x%x platform=%s", (unsigned long long)vp.gpa,
	       vp.compatibility_mask, vp.vp_index, vp.file_offset, p ? igvm_platform_name(p->type) : "?");
	if (p && (p->type == IGVM_PLATFORM_TYPE_SEV_SNP || p->type == IGVM_PLATFORM_TYPE_SEV_ES)) {
		struct snp_vmsa v;
		memcpy(&v, igvm_file_data(f, vp.file_offset, sizeof(v)), sizeof(v));
		printf(" rip=0x%llx rsp=0x%llx cr0=0x%llx cr3=0x%llx cr4=0x%llx efer=0x%llx sev_features=0x%llx vtom=0x%llx",
		       (unsigned long long)v.rip, (unsigned long long)v.rsp, (unsigned long long)v.cr0,
		       (unsigned long long)v.cr3, (unsigned long long)v.cr4, (unsigned long long)v.efer,
		       (unsigned long long)v.sev_features, (unsigned long long)v.virtual_tom);
	} else if (p && p->type == IGVM_PLATFORM_TYPE_NATIVE) {
		struct igvm_native_vp_context_x64 c;
		memcpy(&c, igvm_file_data(f, vp.file_offset, sizeof(c)), sizeof(c));
		printf(" rip=0x%llx rsp=0x%llx cr0=0x%llx cr3=0x%llx cr4=0x%llx efer=0x%llx",
		       (unsigned long long)c.rip, (unsigned long long)c.rsp, (unsigned long long)c.cr0,
		       (unsigned long long)c.cr3, (unsigned long long)c.cr4, (unsigned long long)c.efer);
	} else if (p && p->type == IGVM_PLATFORM_TYPE_VSM_ISOLATION) {
		uint32_t n;
		memcpy(&n, igvm_file_data(f, vp.file_offset, 4), 4);
		printf(" registers=%u", n);
		for (uint32_t i = 0; i < n; i++) {
			struct igvm_vbs_vp_context_register r;
			uint64_t lo;
			memcpy(&r, igvm_file_data(f, vp.file_offset + 4 + i * 32, 32), 32);
			memcpy(&lo, r.register_value, 8);
			printf(" [vtl%u 0x%x=0x%llx]", r.vtl, r.register_name, (unsigned long long)lo);
		}
	}
}

/* The fields of the directive types that carry a GPA (PAGE_DATA, PARAMETER_INSERT, REQUIRED_MEMORY). */
static void print_placement(const struct igvm_hdr *h)
{
	if (h->type == IGVM_VHT_PAGE_DATA) {
		struct igvm_vhs_page_data p;
		memcpy(&p, h->body, sizeof(p));
		printf("gpa=0x%llx mask=0x%x file_offset=0x%x flags=0x%x data_type=%u", (unsigned long long)p.gpa,
		       p.compatibility_mask, p.file_offset, p.flags, p.data_type);
	} else if (h->type == IGVM_VHT_PARAMETER_INSERT) {
		struct igvm_vhs_parameter_insert p;
		memcpy(&p, h->body, sizeof(p));
		printf("gpa=0x%llx mask=0x%x index=%u", (unsigned long long)p.gpa, p.compatibility_mask, p.parameter_area_index);
	} else {
		struct igvm_vhs_required_memory p;
		memcpy(&p, h->body, sizeof(p));
		printf("gpa=0x%llx mask=0x%x bytes=0x%x flags=0x%x", (unsigned long long)p.gpa, p.compatibility_mask,
		       p.number_of_bytes, p.flags);
	}
}

static void print_other(const struct igvm_hdr *h)
{
	uint32_t mask;

	if (h->type == IGVM_VHT_SNP_ID_BLOCK) {
		struct igvm_vhs_snp_id_block b;
		memcpy(&b, h->body, sizeof(b));
		printf("mask=0x%x ld=", b.compatibility_mask);
		hex(stdout, b.ld, sizeof(b.ld));
		printf(" author_key_enabled=%u id_key_algorithm=%u", b.author_key_enabled, b.id_key_algorithm);
	} else if (h->length == sizeof(struct igvm_vhs_parameter) && !igvm_hdr_mask(h, &mask)) {
		struct igvm_vhs_parameter p;
		memcpy(&p, h->body, sizeof(p));
		printf("area=%u byte_offset=0x%x", p.parameter_area_index, p.byte_offset);
	} else if (igvm_hdr_mask(h, &mask)) {
		printf("mask=0x%x length=%u", mask, h->length);
	} else {
		printf("length=%u", h->length);
	}
}

static void print_header(const struct igvm_file *f, const struct igvm_hdr *h)
{
	printf("0x%06x %-28s ", h->offset - 8, igvm_type_name(h->type));
	if (!h->known) {
		printf("type=0x%x%s length=%u (skipped)\n", h->type, h->optional ? " optional" : "", h->length);
		return;
	}
	if (h->type == IGVM_VHT_SUPPORTED_PLATFORM) {
		struct igvm_vhs_supported_platform p;
		memcpy(&p, h->body, sizeof(p));
		printf("mask=0x%x platform=%s version=%u highest_vtl=%u shared_gpa_boundary=0x%llx", p.compatibility_mask,
		       igvm_platform_name(p.platform_type), p.platform_version, p.highest_vtl,
		       (unsigned long long)p.shared_gpa_boundary);
	} else if (h->type == IGVM_VHT_GUEST_POLICY) {
		struct igvm_vhs_guest_policy p;
		memcpy(&p, h->body, sizeof(p));
		printf("policy=0x%llx mask=0x%x", (unsigned long long)p.policy, p.compatibility_mask);
	} else if (h->type == IGVM_VHT_PARAMETER_AREA) {
		struct igvm_vhs_parameter_area p;
		memcpy(&p, h->body, sizeof(p));
		printf("index=%u bytes=0x%llx file_offset=0x%x", p.parameter_area_index,
		       (unsigned long long)p.number_of_bytes, p.file_offset);
	} else if (h->type == IGVM_VHT_PAGE_DATA || h->type == IGVM_VHT_PARAMETER_INSERT ||
		   h->type == IGVM_VHT_REQUIRED_MEMORY) {
		print_placement(h);
	} else if (h->type == IGVM_VHT_VP_CONTEXT) {
		print_vp_context(f, h);
	} else {
		print_other(h);
	}
	putchar('\n');
}

static void print_pages(const struct igvm_file *f)
{
	for (size_t i = 0; i < f->count; i++) {
		const struct igvm_hdr *h = &f->hdrs[i];
		if (!h->known || h->type != IGVM_VHT_PAGE_DATA)
			continue;
		struct igvm_vhs_page_data p;
		uint8_t d[32];
		memcpy(&p, h->body, sizeof(p));
		const uint8_t *data = p.file_offset ? igvm_file_data(f, p.file_offset, IGVM_PAGE_SIZE) : zero_page;
		crypto_hash(CRYPTO_SHA256, data, IGVM_PAGE_SIZE, d);
		printf("page mask=0x%x gpa=0x%llx type=%u flags=0x%x sha256=", p.compatibility_mask,
		       (unsigned long long)p.gpa, p.data_type, p.flags);
		hex(stdout, d, sizeof(d));
		putchar('\n');
	}
}

static int print_measurements(const struct igvm_file *f)
{
	uint8_t d[48];
	char err[256];
	int rc = 0;

	if (igvm_measure_snp(f, false, d, err, sizeof(err))) {
		printf("snp-launch-digest: ");
		hex(stdout, d, 48);
		putchar('\n');
	}
	if (igvm_measure_snp(f, true, d, err, sizeof(err))) {
		printf("snp-launch-digest-kvm: ");
		hex(stdout, d, 48);
		putchar('\n');
	}
	if (igvm_measure_tdx(f, d, err, sizeof(err))) {
		printf("tdx-mrtd: ");
		hex(stdout, d, 48);
		putchar('\n');
	} else if (igvm_file_platform_of_type(f, IGVM_PLATFORM_TYPE_TDX)) {
		fprintf(stderr, "igvmdump: tdx: %s\n", err);
		rc = 1;
	}
	if (igvm_measure_vbs(f, d, err, sizeof(err))) {
		printf("vbs-boot-digest: ");
		hex(stdout, d, 32);
		putchar('\n');
	} else if (igvm_file_platform_of_type(f, IGVM_PLATFORM_TYPE_VSM_ISOLATION)) {
		fprintf(stderr, "igvmdump: vbs: %s\n", err);
		rc = 1;
	}
	crypto_hash(CRYPTO_SHA256, f->buf, f->size, d);
	printf("image-sha256: ");
	hex(stdout, d, 32);
	putchar('\n');
	return rc;
}

static uint8_t *read_file(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	uint8_t *buf = NULL;
	size_t cap = 0, n = 0, r;

	if (!fp)
		return NULL;
	do {
		if (n == cap) {
			cap = cap ? cap * 2 : 65536;
			uint8_t *nb = realloc(buf, cap);
			if (!nb) {
				free(buf);
				fclose(fp);
				return NULL;
			}
			buf = nb;
		}
		r = fread(buf + n, 1, cap - n, fp);
		n += r;
	} while (r > 0);
	fclose(fp);
	*len = n;
	return buf;
}

int main(int argc, char **argv)
{
	enum { HEADERS, PAGES, MEASURE } mode = HEADERS;
	const char *path = NULL;
	struct igvm_file f;
	char err[256];
	size_t len;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--pages"))
			mode = PAGES;
		else if (!strcmp(argv[i], "--measure"))
			mode = MEASURE;
		else if (argv[i][0] != '-' && !path)
			path = argv[i];
		else
			path = NULL, i = argc;
	}
	if (!path) {
		fprintf(stderr, "usage: igvmdump [--pages | --measure] FILE.igvm\n");
		return 2;
	}
	uint8_t *buf = read_file(path, &len);
	if (!buf) {
		fprintf(stderr, "igvmdump: %s: %s\n", path, strerror(errno ? errno : ENOMEM));
		return 1;
	}
	if (!igvm_file_parse(buf, len, &f, err, sizeof(err))) {
		fprintf(stderr, "igvmdump: %s: %s\n", path, err);
		free(buf);
		return 1;
	}
	int rc = 0;
	if (mode == HEADERS) {
		printf("IGVM version %u, %zu bytes, variable header 0x%x+0x%x, checksum 0x%08x, %zu headers\n", f.version,
		       f.size, f.vh_offset, f.vh_size, f.checksum, f.count);
		for (size_t i = 0; i < f.count; i++)
			print_header(&f, &f.hdrs[i]);
	} else if (mode == PAGES) {
		print_pages(&f);
	} else {
		rc = print_measurements(&f);
	}
	igvm_file_free(&f);
	free(buf);
	return rc;
}
