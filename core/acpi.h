/* The ACPI tables the guest gets: the platform's own (found through its RSDP) plus the tables of
 * Mantle's devices, behind a new RSDP and XSDT that Mantle writes into guest memory.
 * Layouts: ACPI 6.5, 5.2.5 (RSDP), 5.2.6 (header), 5.2.8 (XSDT), 5.2.11.2 (SSDT); TCG ACPI
 * Specification 1.3, 8.3 (TPM2 table); AML encodings from ACPI 6.5, 20.2. */
#ifndef MANTLE_CORE_ACPI_H
#define MANTLE_CORE_ACPI_H

#include <stddef.h>
#include <stdint.h>

struct acpi_header {
	char signature[4];
	uint32_t length;
	uint8_t revision;
	uint8_t checksum;
	char oem_id[6];
	char oem_table_id[8];
	uint32_t oem_revision;
	char creator_id[4];
	uint32_t creator_revision;
} __attribute__((packed));
_Static_assert(sizeof(struct acpi_header) == 36, "ACPI 6.5, 5.2.6: the table header is 36 bytes");

struct acpi_rsdp {
	char signature[8];
	uint8_t checksum;          /* over the first 20 bytes */
	char oem_id[6];
	uint8_t revision;          /* 2 for ACPI 2.0+ */
	uint32_t rsdt_address;
	uint32_t length;
	uint64_t xsdt_address;
	uint8_t extended_checksum; /* over all 36 bytes */
	uint8_t reserved[3];
} __attribute__((packed));
_Static_assert(sizeof(struct acpi_rsdp) == 36, "ACPI 6.5, 5.2.5.3: the RSDP is 36 bytes");
_Static_assert(offsetof(struct acpi_rsdp, xsdt_address) == 24, "ACPI 6.5, table 5.3");

/* TPM2 table with the log-area fields (TCG ACPI Specification, 8.3, table 7). */
struct acpi_tpm2 {
	struct acpi_header hdr;
	uint16_t platform_class;
	uint16_t reserved;
	uint64_t control_area;
	uint32_t start_method;
	uint8_t start_method_params[12];
	uint32_t log_area_min_length;
	uint64_t log_area_start;
} __attribute__((packed));
_Static_assert(sizeof(struct acpi_tpm2) == 76, "TCG ACPI 8.3: TPM2 with LAML/LASA is 76 bytes");
_Static_assert(offsetof(struct acpi_tpm2, start_method) == 48, "TCG ACPI 8.3: start method at 48");

#define ACPI_TPM2_START_CRB 7u

/* Reads `len` bytes of guest-physical memory (the platform's tables), or NULL if not addressable. */
typedef const void *(*acpi_phys_fn)(void *ctx, uint64_t pa, size_t len);

enum acpi_status {
	ACPI_OK = 0,
	ACPI_NO_RSDP,        /* bad signature or checksum */
	ACPI_BAD_ROOT,       /* XSDT/RSDT missing, bad signature, length or checksum */
	ACPI_TOO_MANY,       /* more root entries than Mantle copies */
	ACPI_NO_ROOM,        /* the output area is too small */
};

#define ACPI_MAX_ENTRIES 64u

/* Writes into `area` (guest-physical address `area_gpa`, `cap` bytes) a new RSDP (revision 2) and an
 * XSDT listing every table of the platform's root table followed by copies of `extra` (complete
 * tables; their checksums are set here). *rsdp_gpa receives the new RSDP's address. */
__attribute__((warn_unused_result)) enum acpi_status acpi_rebuild(uint64_t platform_rsdp, acpi_phys_fn phys,
								  void *ctx, uint8_t *area, uint64_t area_gpa,
								  size_t cap, const struct acpi_header *const *extra,
								  uint32_t extra_count, uint64_t *rsdp_gpa);

/* Fills a TPM2 table for a CRB interface at `crb_base` with the event log at log_gpa (log_len bytes). */
void acpi_build_tpm2(struct acpi_tpm2 *t, uint64_t crb_base, uint64_t log_gpa, uint32_t log_len);

/* Writes an SSDT declaring \_SB.TPM0 (_HID MSFT0101, _CRS the CRB window) into buf; returns its
 * length, or 0 if cap is too small. */
size_t acpi_build_tpm_ssdt(uint8_t *buf, size_t cap, uint32_t crb_base, uint32_t crb_size);

uint8_t acpi_checksum(const void *p, size_t len);

/* Tables devices contribute to the guest's ACPI (complete tables; checksums are set on install). */
#define ACPI_EXTRA_MAX 8u
__attribute__((warn_unused_result)) int acpi_add_table(const struct acpi_header *t);
uint32_t acpi_extra_count(void);
const struct acpi_header *const *acpi_extra_tables(void);

const char *acpi_status_name(enum acpi_status st);

#endif
