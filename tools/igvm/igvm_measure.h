/* Launch measurements of a parsed IGVM file, computed the way each platform's loader and firmware
 * would (ref B, C; microsoft/igvm igvm/src/measurement/{snp,tdx,vbs}.rs):
 *
 *   SNP  LD = SHA-384(PAGE_INFO) per 4 KiB page, chained (SEV-SNP Firmware ABI, SNP_LAUNCH_UPDATE,
 *        PAGE_INFO table). Directive order; PAGE_DATA without file data is a NORMAL zero page; every
 *        page of an inserted parameter area is UNMEASURED; the VMSA is measured at its VP_CONTEXT gpa.
 *        The KVM variant measures the VMSAs last, at GPA 0xFFFFFFFFF000 (ref B.4).
 *   TDX  MRTD = one running SHA-384 over 128-byte MEM.PAGE.ADD records and MR.EXTEND records with
 *        their 256 data bytes (Intel TDX Module spec, TDH.MEM.PAGE.ADD / TDH.MR.EXTEND). Parameter
 *        pages get PAGE.ADD only.
 *   VBS  SHA-256 chain over page chunks, then the VP registers (igvm crate vbs.rs).
 *
 * Headers apply to a platform when (mask & platform_mask) == platform_mask, as in the crate.
 * All hashing goes through core/crypto.
 */
#ifndef MANTLE_TOOLS_IGVM_MEASURE_H
#define MANTLE_TOOLS_IGVM_MEASURE_H

#include <stdbool.h>
#include <stdint.h>

#include "tools/igvm/igvm_file.h"

#define SNP_LD_SIZE 48
#define TDX_MR_SIZE 48
#define VBS_DIGEST_SIZE 32
#define SNP_KVM_VMSA_GPA 0xFFFFFFFFF000ull

/* SNP PAGE_INFO page types (SEV-SNP ABI "Page types"; ref B.2). */
enum snp_page_type {
	SNP_PAGE_TYPE_NORMAL = 1,
	SNP_PAGE_TYPE_VMSA = 2,
	SNP_PAGE_TYPE_ZERO = 3,
	SNP_PAGE_TYPE_UNMEASURED = 4,
	SNP_PAGE_TYPE_SECRETS = 5,
	SNP_PAGE_TYPE_CPUID = 6,
};

/* PAGE_INFO (SEV-SNP ABI, SNP_LAUNCH_UPDATE; ref B.1). The four VMPL permission bytes are all zero in
 * every launch Mantle describes, so their disputed order does not matter. */
struct snp_page_info {
	uint8_t digest_cur[48];
	uint8_t contents[48];
	uint16_t length;
	uint8_t page_type;
	uint8_t imi_page;
	uint8_t vmpl_perms[4];
	uint64_t gpa;
};
_Static_assert(sizeof(struct snp_page_info) == 0x70, "SNP PAGE_INFO is 0x70 bytes (ref B.1)");
_Static_assert(__builtin_offsetof(struct snp_page_info, page_type) == 0x62, "PAGE_INFO.PAGE_TYPE at 0x62");
_Static_assert(__builtin_offsetof(struct snp_page_info, gpa) == 0x68, "PAGE_INFO.GPA at 0x68");

/* One SNP_LAUNCH_UPDATE step: ld = SHA-384(PAGE_INFO{ld, contents_hash, type, gpa}). `page` is the
 * 4096-byte page for NORMAL and VMSA (hashed into CONTENTS), ignored (CONTENTS zero) otherwise. */
void snp_ld_extend(uint8_t ld[SNP_LD_SIZE], enum snp_page_type type, uint64_t gpa, const uint8_t *page);

/* TDX records into a running SHA-384 (struct crypto_hash_ctx, opaque here). */
struct crypto_hash_ctx;
void tdx_mr_page_add(struct crypto_hash_ctx *h, uint64_t gpa);
void tdx_mr_extend_page(struct crypto_hash_ctx *h, uint64_t gpa, const uint8_t page[4096]);

/* Each returns false (with a reason in err) when the file has no such platform or is inconsistent. */
bool igvm_measure_snp(const struct igvm_file *f, bool kvm, uint8_t out[SNP_LD_SIZE], char *err, size_t err_len);
bool igvm_measure_tdx(const struct igvm_file *f, uint8_t out[TDX_MR_SIZE], char *err, size_t err_len);
bool igvm_measure_vbs(const struct igvm_file *f, uint8_t out[VBS_DIGEST_SIZE], char *err, size_t err_len);

#endif
