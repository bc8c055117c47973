/* The vTPM as the guest sees it: the TPM 2.0 Command Response Buffer interface of the TCG PC Client
 * Platform TPM Profile (PTP) at 0xFED40000, locality 0, backed by vtpm_execute(). Also the measured
 * boot sink (core/measure.h) and the guest's TPM2 ACPI table and MSFT0101 device.
 *
 * The whole 4 KiB window is emulated (the command/response buffer too), so every guest access exits
 * to Mantle; a command written with REP MOVS costs one exit. Commands run synchronously inside the
 * CTRL_START write, so START and the REQ bits read back 0 at once, as Linux's tpm_crb expects
 * (../shared/reference/vtpm.md, 4.3-4.4). NV state lives in Mantle's memory for now (docs/vtpm.md).
 */
#include "devices/dev.h"

#include "core/acpi.h"
#include "core/arch.h"
#include "core/console.h"
#include "core/crypto/crypto.h"
#include "core/main.h"
#include "core/measure.h"
#include "core/memmap.h"
#include "core/pfa.h"
#include "core/str.h"
#include "core/tcglog.h"
#include "vtpm/vtpm.h"

#define CRB_BASE 0xfed40000u
#define CRB_SIZE 0x1000u
/* Register offsets (PTP CRB interface; Linux struct crb_regs_head/tail). */
#define CRB_LOC_STATE 0x00
#define CRB_LOC_CTRL 0x08
#define CRB_LOC_STS 0x0c
#define CRB_INTF_ID 0x30
#define CRB_CTRL_REQ 0x40
#define CRB_CTRL_STS 0x44
#define CRB_CTRL_CANCEL 0x48
#define CRB_CTRL_START 0x4c
#define CRB_CMD_SIZE 0x58
#define CRB_CMD_LADDR 0x5c
#define CRB_CMD_HADDR 0x60
#define CRB_RSP_SIZE 0x64
#define CRB_RSP_ADDR 0x68
#define CRB_DATA 0x80
#define CRB_DATA_SIZE (CRB_SIZE - CRB_DATA)

#define LOC_STATE_ASSIGNED (1u << 1)
#define LOC_STATE_VALID (1u << 7)
#define LOC_CTRL_REQUEST (1u << 0)
#define LOC_CTRL_RELINQUISH (1u << 1)
#define LOC_CTRL_SEIZE (1u << 2)
#define REQ_CMD_READY (1u << 0)
#define REQ_GO_IDLE (1u << 1)
#define STS_FATAL (1u << 0)
#define STS_IDLE (1u << 1)
/* INTF_ID: CRB active (type 1, version 1), 64-byte transfers, CapCRB, CRB selected, locality 0 only. */
#define INTF_ID_VALUE (0x1u | 0x1u << 4 | 0x3u << 11 | 0x1u << 14 | 0x1u << 17)

#define LOG_BYTES 0x10000u   /* LAML: 64 KiB, as QEMU gives its TPMs */
#define NV_BLOB_MAX 0x10000u

struct crb {
	uint8_t page[CRB_SIZE];  /* register image + data buffer, as the guest reads it */
	bool assigned;
	bool ready;              /* cmdReady seen, not idle */
	struct vtpm *tpm;
	uint64_t commands;
	struct tcglog log;
	uint64_t log_gpa;
	struct acpi_tpm2 tpm2;
	uint8_t ssdt[160];
	uint8_t nv[NV_BLOB_MAX];
	size_t nv_len;
};

static struct crb crb;

static void put32(uint32_t off, uint32_t v)
{
	memcpy(&crb.page[off], &v, 4);
}

/* Refreshes the register part of the image from the device state before a guest read. */
static void sync_registers(void)
{
	uint32_t why;

	memset(crb.page, 0, CRB_DATA);
	put32(CRB_LOC_STATE, LOC_STATE_VALID | (crb.assigned ? LOC_STATE_ASSIGNED : 0));
	put32(CRB_LOC_STS, crb.assigned ? 1u : 0u);
	put32(CRB_INTF_ID, INTF_ID_VALUE);
	put32(CRB_CTRL_STS, (vtpm_in_failure(crb.tpm, &why) ? STS_FATAL : 0) | (crb.ready ? 0 : STS_IDLE));
	put32(CRB_CMD_SIZE, CRB_DATA_SIZE);
	put32(CRB_CMD_LADDR, CRB_BASE + CRB_DATA);
	put32(CRB_RSP_SIZE, CRB_DATA_SIZE);
	put32(CRB_RSP_ADDR, CRB_BASE + CRB_DATA);
}

static void run_command(void)
{
	static uint8_t rsp[CRB_DATA_SIZE];
	uint32_t size = (uint32_t)crb.page[CRB_DATA + 2] << 24 | (uint32_t)crb.page[CRB_DATA + 3] << 16 |
			(uint32_t)crb.page[CRB_DATA + 4] << 8 | crb.page[CRB_DATA + 5];

	/* The engine checks the header against the length; a size beyond the buffer is cut to it, so
	 * the engine answers with the proper size error instead of reading past the buffer. */
	if (size > CRB_DATA_SIZE)
		size = CRB_DATA_SIZE;
	vtpm_set_locality(crb.tpm, 0);
	size_t n = vtpm_execute(crb.tpm, &crb.page[CRB_DATA], size, rsp, sizeof(rsp));
	memcpy(&crb.page[CRB_DATA], rsp, n);
	crb.commands++;
}

static void write_register(uint64_t off, uint32_t v)
{
	switch (off) {
	case CRB_LOC_CTRL:
		if (v & (LOC_CTRL_REQUEST | LOC_CTRL_SEIZE))
			crb.assigned = true;
		if (v & LOC_CTRL_RELINQUISH)
			crb.assigned = false;
		break;
	case CRB_CTRL_REQ:
		if (v & REQ_CMD_READY)
			crb.ready = true;
		if (v & REQ_GO_IDLE)
			crb.ready = false;
		break;
	case CRB_CTRL_START:
		/* START without locality or without cmdReady is ignored, as the PTP requires. */
		if ((v & 1) && crb.assigned && crb.ready)
			run_command();
		break;
	default:
		break; /* read-only registers, CANCEL (commands complete synchronously), interrupts */
	}
}

static int crb_read(struct vp *vp, uint64_t off, uint8_t size, uint64_t *val)
{
	(void)vp;
	if (off < CRB_DATA)
		sync_registers();
	*val = 0;
	memcpy(val, &crb.page[off], size);
	return 0;
}

static int crb_write(struct vp *vp, uint64_t off, uint8_t size, uint64_t val)
{
	(void)vp;
	if (off >= CRB_DATA) {
		memcpy(&crb.page[off], &val, size);
		return 0;
	}
	/* Registers are 32-bit; narrower or wider writes hit the register containing their start. */
	write_register(off & ~3ull, (uint32_t)(val << (8 * (off & 3))));
	return 0;
}

static const struct mmio_handler crb_mmio = {
	.name = "tpm-crb", .base = CRB_BASE, .size = CRB_SIZE, .read = crb_read, .write = crb_write,
};

/* Platform services for the engine. */
static bool plat_entropy(void *ctx, void *buf, size_t len)
{
	(void)ctx;
	return arch_entropy(buf, len);
}

static uint64_t plat_time_ms(void *ctx)
{
	(void)ctx;
	return arch_time_ms();
}

static size_t plat_nv_load(void *ctx, void *buf, size_t cap)
{
	(void)ctx;
	if (crb.nv_len > cap)
		return (size_t)-1;
	memcpy(buf, crb.nv, crb.nv_len);
	return crb.nv_len;
}

static bool plat_nv_store(void *ctx, const void *buf, size_t len)
{
	(void)ctx;
	if (len > sizeof(crb.nv))
		return false;
	memcpy(crb.nv, buf, len);
	crb.nv_len = len;
	return true;
}

static const struct vtpm_platform platform = {
	.entropy = plat_entropy, .time_ms = plat_time_ms, .nv_load = plat_nv_load, .nv_store = plat_nv_store,
};

/* Sends one command Mantle built itself; returns the response code. */
static uint32_t tpm_command(const uint8_t *cmd, size_t len)
{
	uint8_t rsp[64];
	size_t n = vtpm_execute(crb.tpm, cmd, len, rsp, sizeof(rsp));

	if (n < 10)
		return 0xffffffffu;
	return (uint32_t)rsp[6] << 24 | (uint32_t)rsp[7] << 16 | (uint32_t)rsp[8] << 8 | rsp[9];
}

static const struct tcglog_bank banks[] = {
	{ TPM_ALG_SHA1, 20 }, { TPM_ALG_SHA256, 32 }, { TPM_ALG_SHA384, 48 },
};
static const enum crypto_hash_alg bank_hash[] = { CRYPTO_SHA1, CRYPTO_SHA256, CRYPTO_SHA384 };

static size_t be16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
	return 2;
}

static size_t be32(uint8_t *p, uint32_t v)
{
	be16(p, (uint16_t)(v >> 16));
	be16(p + 2, (uint16_t)v);
	return 4;
}

/* TPM2_PCR_Extend (Part 3, 22.2) with a password session for the PCR handle (empty auth). */
static uint32_t pcr_extend(uint32_t pcr, const uint8_t *digests)
{
	uint8_t cmd[256];
	size_t n = 0;

	n += be16(cmd + n, 0x8002);             /* TPM_ST_SESSIONS */
	n += 4;                                  /* size, below */
	n += be32(cmd + n, 0x00000182);         /* TPM_CC_PCR_Extend */
	n += be32(cmd + n, pcr);
	n += be32(cmd + n, 9);                   /* authorization area size */
	n += be32(cmd + n, 0x40000009);         /* TPM_RS_PW */
	n += be16(cmd + n, 0);                   /* nonce */
	cmd[n++] = 0;                            /* session attributes */
	n += be16(cmd + n, 0);                   /* empty password */
	n += be32(cmd + n, sizeof(banks) / sizeof(banks[0]));
	for (size_t b = 0; b < sizeof(banks) / sizeof(banks[0]); b++) {
		n += be16(cmd + n, banks[b].alg);
		memcpy(cmd + n, digests, banks[b].size);
		n += banks[b].size;
		digests += banks[b].size;
	}
	be32(cmd + 2, (uint32_t)n);
	return tpm_command(cmd, n);
}

static int crb_measure(uint32_t pcr, uint32_t type, const void *data, size_t len, const void *event,
		       uint32_t event_len)
{
	uint8_t digests[20 + 32 + 48], *d = digests;

	for (size_t b = 0; b < sizeof(banks) / sizeof(banks[0]); b++) {
		crypto_hash(bank_hash[b], data, len, d);
		d += banks[b].size;
	}
	uint32_t rc = pcr_extend(pcr, digests);
	if (rc != 0) {
		console_printf("mantle: tpm: PCR_Extend(%u) failed with rc %x\n", pcr, rc);
		return -1;
	}
	return tcglog_add(&crb.log, pcr, type, digests, event, event_len);
}

static const struct measure_sink crb_sink = { .name = "vtpm", .measure = crb_measure };

/* _TPM_Init (the engine reloads its NV blob), TPM2_Startup(CLEAR) as the platform firmware would, and
 * an event log holding only the Spec ID event: the state before anything is measured. */
static int power_on(void)
{
	static const uint8_t startup_clear[12] = { 0x80, 0x01, 0, 0, 0, 12, 0, 0, 0x01, 0x44, 0, 0 };

	vtpm_power_on(crb.tpm, &platform);
	uint32_t rc = tpm_command(startup_clear, sizeof(startup_clear));
	if (rc != 0) {
		console_printf("mantle: tpm: Startup(CLEAR) failed with rc %x\n", rc);
		return -1;
	}
	crb.assigned = crb.ready = false;
	memset(crb.page, 0, sizeof(crb.page));
	memset((void *)(uintptr_t)crb.log_gpa, 0, LOG_BYTES);
	return tcglog_init(&crb.log, (void *)(uintptr_t)crb.log_gpa, LOG_BYTES, banks,
			   sizeof(banks) / sizeof(banks[0]));
}

/* A guest-initiated platform reset: the TPM goes through _TPM_Init and Startup(CLEAR) again, so PCRs
 * and sessions are reset while NV (kept in Mantle's memory) survives, and the log starts over. */
static void crb_reset(void)
{
	if (power_on() != 0)
		console_printf("mantle: tpm: reset failed; the TPM stays in failure mode\n");
}

static int crb_init(void)
{
	uint64_t pa, pages = (vtpm_state_size() + PAGE_SIZE - 1) / PAGE_SIZE;

	if (core_alloc_pages(pages, &pa) != 0)
		return -1;
	crb.tpm = (struct vtpm *)(uintptr_t)pa;
	crb.log_gpa = core_take_guest_firmware(LOG_BYTES, MEM_ACPI_NVS);
	if (power_on() != 0)
		return -1;
	acpi_build_tpm2(&crb.tpm2, CRB_BASE, crb.log_gpa, LOG_BYTES);
	if (acpi_build_tpm_ssdt(crb.ssdt, sizeof(crb.ssdt), CRB_BASE, CRB_SIZE) == 0 ||
	    acpi_add_table(&crb.tpm2.hdr) != 0 || acpi_add_table((const struct acpi_header *)crb.ssdt) != 0)
		return -1;
	if (bus_mmio_register(&crb_mmio) != 0)
		return -1;
	measure_register_sink(&crb_sink);
	console_printf("mantle: tpm: CRB at %x, event log at %llx (%u KiB), PCR banks sha1 sha256 sha384\n",
		       CRB_BASE, (unsigned long long)crb.log_gpa, LOG_BYTES / 1024);
	return 0;
}

static const struct device tpm_crb = { .name = "tpm-crb", .init = crb_init, .reset = crb_reset };
DEVICE(tpm_crb);
