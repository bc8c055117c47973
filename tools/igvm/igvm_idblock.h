/* SEV-SNP ID block for IGVM_VHT_SNP_ID_BLOCK (ref A.6, B.5): the loader turns it into the ID_BLOCK and
 * ID_AUTH of SNP_LAUNCH_FINISH, and the PSP refuses the launch unless the signature verifies and the
 * ID block's LD equals the launch digest. */
#ifndef MANTLE_TOOLS_IGVM_IDBLOCK_H
#define MANTLE_TOOLS_IGVM_IDBLOCK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "boot/igvm_defs.h"

/* SNP_LAUNCH_FINISH ID_BLOCK (SEV-SNP Firmware ABI, "ID_BLOCK" table): what the ID key signs. */
struct snp_id_block {
	uint8_t ld[48];
	uint8_t family_id[16];
	uint8_t image_id[16];
	uint32_t version; /* 1 */
	uint32_t guest_svn;
	uint64_t policy;
};
_Static_assert(sizeof(struct snp_id_block) == 0x60, "SNP ID_BLOCK is 0x60 bytes (SEV-SNP ABI)");
_Static_assert(offsetof(struct snp_id_block, policy) == 0x58, "ID_BLOCK.POLICY at 0x58");

#define SNP_ID_BLOCK_VERSION 1u
#define SNP_ID_KEY_ALGO_ECDSA_P384_SHA384 1u
#define SNP_ECC_CURVE_P384 2u

/* Signs the ID_BLOCK made of b's ld/family_id/image_id/version/guest_svn and `policy` with the
 * ECDSA P-384 private key in PEM file `key_path`; fills b's id_key_algorithm, signature (r, s
 * little-endian, zero-extended to 72 bytes) and public key (curve 2, Qx, Qy likewise). No author key. */
bool igvm_snp_id_sign(struct igvm_vhs_snp_id_block *b, uint64_t policy, const char *key_path, char *err,
		      size_t err_len);

#endif
