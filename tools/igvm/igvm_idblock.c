/* ECDSA P-384 signing for the SNP ID block. Mantle's crypto interface (core/crypto) has no ECC yet, so
 * this host-only code uses OpenSSL's libcrypto (already a dependency of the crypto cross-checks). */
#include "tools/igvm/igvm_idblock.h"

#include <stdio.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

/* Little-endian, zero-extended to 72 bytes: the SEV-SNP ABI's ECDSA encoding. */
static bool le72(const BIGNUM *bn, uint8_t out[72])
{
	return BN_bn2lebinpad(bn, out, 72) == 72;
}

static bool sign(EVP_PKEY *key, const struct snp_id_block *blk, struct igvm_vhs_snp_id_block *b)
{
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	unsigned char der[256];
	size_t der_len = sizeof(der);
	bool ok = false;

	if (md && EVP_DigestSignInit(md, NULL, EVP_sha384(), NULL, key) == 1 &&
	    EVP_DigestSign(md, der, &der_len, (const unsigned char *)blk, sizeof(*blk)) == 1) {
		const unsigned char *p = der;
		ECDSA_SIG *sig = d2i_ECDSA_SIG(NULL, &p, (long)der_len);
		if (sig) {
			ok = le72(ECDSA_SIG_get0_r(sig), b->id_key_signature.r_comp) &&
			     le72(ECDSA_SIG_get0_s(sig), b->id_key_signature.s_comp);
			ECDSA_SIG_free(sig);
		}
	}
	EVP_MD_CTX_free(md);
	return ok;
}

static bool public_key(EVP_PKEY *key, struct igvm_vhs_snp_id_block *b)
{
	BIGNUM *x = NULL, *y = NULL;
	bool ok = EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_EC_PUB_X, &x) == 1 &&
		  EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_EC_PUB_Y, &y) == 1 && le72(x, b->id_public_key.qx) &&
		  le72(y, b->id_public_key.qy);

	BN_free(x);
	BN_free(y);
	b->id_public_key.curve = SNP_ECC_CURVE_P384;
	b->id_public_key.reserved = 0;
	return ok;
}

bool igvm_snp_id_sign(struct igvm_vhs_snp_id_block *b, uint64_t policy, const char *key_path, char *err,
		      size_t err_len)
{
	FILE *f = fopen(key_path, "r");
	char group[32] = "";
	size_t glen = 0;

	if (!f) {
		snprintf(err, err_len, "%s: cannot open", key_path);
		return false;
	}
	EVP_PKEY *key = PEM_read_PrivateKey(f, NULL, NULL, NULL);
	fclose(f);
	if (!key || EVP_PKEY_get_base_id(key) != EVP_PKEY_EC ||
	    EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof(group), &glen) != 1 ||
	    strcmp(group, "secp384r1") != 0) {
		snprintf(err, err_len, "%s: not an ECDSA P-384 (secp384r1) private key in PEM", key_path);
		EVP_PKEY_free(key);
		return false;
	}
	struct snp_id_block blk;
	memset(&blk, 0, sizeof(blk));
	memcpy(blk.ld, b->ld, sizeof(blk.ld));
	memcpy(blk.family_id, b->family_id, sizeof(blk.family_id));
	memcpy(blk.image_id, b->image_id, sizeof(blk.image_id));
	blk.version = b->version;
	blk.guest_svn = b->guest_svn;
	blk.policy = policy;
	b->id_key_algorithm = SNP_ID_KEY_ALGO_ECDSA_P384_SHA384;
	bool ok = sign(key, &blk, b) && public_key(key, b);
	if (!ok)
		snprintf(err, err_len, "%s: signing failed", key_path);
	EVP_PKEY_free(key);
	return ok;
}
