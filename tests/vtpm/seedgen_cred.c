/* Writes fuzz seeds for the credential and duplication commands: command streams that reach the
 * success paths of credential.c, duplicate.c and secret.c when tests/vtpm/fuzz_vtpm.c replays them
 * (MakeCredential -> ActivateCredential, Duplicate -> Import -> Load, with and without wrappers).
 * Like seedgen_policy.c, every flow runs on the fuzz target's own platform (fixed entropy,
 * in-memory NV, Startup(CLEAR) first), so the ephemeral keys, seeds and session nonces of the
 * replay are those computed here and the blobs stay valid.
 * Usage: seedgen_cred OUTDIR  (make vtpm-cred-seeds) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/vtpm/seedgen.h"

const char *seedgen_name = "cred";

/* TPMT_PUBLIC of an ECC P-256 key: a storage key (sym AES-128-CFB, restricted decrypt) or an
 * ECDSA signing key, with an optional SHA-256 authPolicy and a one-byte unique.x tag. */
static void ecc_pub(struct cb *t, uint32_t attrs, bool storage, const uint8_t *pol, uint8_t tag)
{
	t->n = 0;
	u16(t, TPM_ALG_ECC); u16(t, TPM_ALG_SHA256); u32(t, attrs);
	if (pol)
		b2b(t, pol, 32);
	else
		u16(t, 0);
	if (storage) {
		u16(t, TPM_ALG_AES); u16(t, 128); u16(t, TPM_ALG_CFB); u16(t, TPM_ALG_NULL);
	} else {
		u16(t, TPM_ALG_NULL); u16(t, TPM_ALG_ECDSA); u16(t, TPM_ALG_SHA256);
	}
	u16(t, TPM_ECC_NIST_P256); u16(t, TPM_ALG_NULL);
	u16(t, tag ? 1 : 0);
	if (tag)
		u8(t, tag);
	u16(t, 0);
}

#define A_STORAGE 0x00030472u /* fixedTPM fixedParent sensitiveDataOrigin userWithAuth noDA restricted decrypt */
#define A_AK 0x00050072u      /* fixedTPM fixedParent sensitiveDataOrigin userWithAuth restricted sign */
#define A_DUP 0x00040060u     /* sensitiveDataOrigin userWithAuth sign: duplicable */

static uint32_t primary(uint8_t tag)
{
	struct cb c, t;
	ecc_pub(&t, A_STORAGE, true, NULL, tag);
	start(&c, TPM_ST_SESSIONS, TPM_CC_CreatePrimary);
	u32(&c, TPM_RH_OWNER); pw(&c, "");
	u16(&c, 4); u16(&c, 0); u16(&c, 0);
	b2b(&c, t.b, (uint16_t)t.n);
	u16(&c, 0); u32(&c, 0);
	expect(run(&c), 0, "CreatePrimary");
	return vtpm_be32(rsp + 10);
}

struct blob { uint8_t priv[400], pub[200]; uint16_t pl, ul; };

static void create(uint32_t parent, uint32_t attrs, const uint8_t *pol, struct blob *b)
{
	struct cb c, t;
	const uint8_t *p = rsp + 14;
	ecc_pub(&t, attrs, false, pol, 0);
	start(&c, TPM_ST_SESSIONS, TPM_CC_Create);
	u32(&c, parent); pw(&c, "");
	u16(&c, 4); u16(&c, 0); u16(&c, 0);
	b2b(&c, t.b, (uint16_t)t.n);
	u16(&c, 0); u32(&c, 0);
	expect(run(&c), 0, "Create");
	b->pl = vtpm_be16(p); memcpy(b->priv, p + 2, b->pl); p += 2 + b->pl;
	b->ul = vtpm_be16(p); memcpy(b->pub, p + 2, b->ul);
}

static uint32_t load(uint32_t parent, const struct blob *b)
{
	struct cb c;
	start(&c, TPM_ST_SESSIONS, TPM_CC_Load);
	u32(&c, parent); pw(&c, "");
	b2b(&c, b->priv, b->pl); b2b(&c, b->pub, b->ul);
	expect(run(&c), 0, "Load");
	return vtpm_be32(rsp + 10);
}

static void name_of(const struct blob *b, uint8_t name[34])
{
	name[0] = 0; name[1] = 0x0b;
	crypto_hash(CRYPTO_SHA256, b->pub, b->ul, name + 2);
}

/* EK/AK: MakeCredential to a storage key for the AK's Name, ActivateCredential, then a tampered
 * blob (TPM_RC_INTEGRITY). */
static void flow_credential(void)
{
	struct cb c;
	struct blob ak;
	uint8_t name[34], blob[200], secret[100];
	uint16_t bl, sl;
	uint32_t ek, akh;

	fresh();
	ek = primary(0);
	create(ek, A_AK, NULL, &ak);
	akh = load(ek, &ak);
	name_of(&ak, name);
	start(&c, TPM_ST_NO_SESSIONS, TPM_CC_MakeCredential);
	u32(&c, ek); b2b(&c, "credential 0123456789", 21); b2b(&c, name, 34);
	expect(run(&c), 0, "MakeCredential");
	bl = vtpm_be16(rsp + 10); memcpy(blob, rsp + 12, bl);
	sl = vtpm_be16(rsp + 12 + bl); memcpy(secret, rsp + 14 + bl, sl);
	for (int bad = 0; bad < 2; bad++) {
		start(&c, TPM_ST_SESSIONS, TPM_CC_ActivateCredential);
		u32(&c, akh); u32(&c, ek);
		u32(&c, 18);
		for (int i = 0; i < 2; i++) {
			u32(&c, TPM_RS_PW); u16(&c, 0); u8(&c, 1); u16(&c, 0);
		}
		blob[bl - 1] ^= (uint8_t)bad;
		b2b(&c, blob, bl); b2b(&c, secret, sl);
		expect(run(&c), bad ? RC_P(TPM_RC_INTEGRITY, 1) : 0, "ActivateCredential");
	}
}

/* Duplicate (policy session with PolicyCommandCode(Duplicate)) of a key to parent np (or
 * TPM_RH_NULL), inner wrapper when inner; Import under np2 and Load. */
static void dup_import(uint32_t key, const struct blob *kb, uint32_t np, uint32_t np2, bool inner)
{
	struct cb c, prm;
	struct crypto_hmac_ctx m;
	uint8_t nc[16], nt[32], cp[32], mac[32], hin[128], ekey[32], dup[600], seed[300];
	uint16_t kl, dl, sl;
	size_t n = 0;
	uint32_t s;
	struct blob ib;

	memset(nc, 0x22, 16);
	start(&c, TPM_ST_NO_SESSIONS, TPM_CC_StartAuthSession);
	u32(&c, TPM_RH_NULL); u32(&c, TPM_RH_NULL);
	b2b(&c, nc, 16); u16(&c, 0); u8(&c, TPM_SE_POLICY); u16(&c, TPM_ALG_NULL); u16(&c, TPM_ALG_SHA256);
	expect(run(&c), 0, "StartAuthSession");
	s = vtpm_be32(rsp + 10);
	memcpy(nt, rsp + 16, 32);
	start(&c, TPM_ST_NO_SESSIONS, TPM_CC_PolicyCommandCode);
	u32(&c, s); u32(&c, TPM_CC_Duplicate);
	expect(run(&c), 0, "PolicyCommandCode");
	prm.n = 0;
	u16(&prm, 0);
	if (inner) {
		u16(&prm, TPM_ALG_AES); u16(&prm, 128); u16(&prm, TPM_ALG_CFB);
	} else {
		u16(&prm, TPM_ALG_NULL);
	}
	vtpm_set_be32(hin, TPM_CC_Duplicate); n = 4;
	name_of(kb, hin + n); n += 34;
	if (np == TPM_RH_NULL) {
		vtpm_set_be32(hin + n, np); n += 4;
	} else {
		struct vtpm_object *o = vtpm_object_find(T, np);
		memcpy(hin + n, o->name, o->name_len); n += o->name_len;
	}
	memcpy(hin + n, prm.b, prm.n); n += prm.n;
	crypto_hash(CRYPTO_SHA256, hin, n, cp);
	crypto_hmac_init(&m, CRYPTO_SHA256, "", 0);
	crypto_hmac_update(&m, cp, 32); crypto_hmac_update(&m, nc, 16); crypto_hmac_update(&m, nt, 32);
	crypto_hmac_update(&m, "\0", 1);
	crypto_hmac_final(&m, mac);
	start(&c, TPM_ST_SESSIONS, TPM_CC_Duplicate);
	u32(&c, key); u32(&c, np);
	u32(&c, 4 + 2 + 16 + 1 + 2 + 32); u32(&c, s); b2b(&c, nc, 16); u8(&c, 0); b2b(&c, mac, 32);
	bytes(&c, prm.b, prm.n);
	expect(run(&c), 0, "Duplicate");
	{
		const uint8_t *p = rsp + 14;
		kl = vtpm_be16(p); memcpy(ekey, p + 2, kl); p += 2 + kl;
		dl = vtpm_be16(p); memcpy(dup, p + 2, dl); p += 2 + dl;
		sl = vtpm_be16(p); memcpy(seed, p + 2, sl);
	}
	start(&c, TPM_ST_SESSIONS, TPM_CC_Import);
	u32(&c, np2); pw(&c, "");
	b2b(&c, ekey, kl); b2b(&c, kb->pub, kb->ul); b2b(&c, dup, dl); b2b(&c, seed, sl);
	bytes(&c, prm.b + 2, prm.n - 2);
	expect(run(&c), 0, "Import");
	ib.pl = vtpm_be16(rsp + 14);
	memcpy(ib.priv, rsp + 16, ib.pl);
	memcpy(ib.pub, kb->pub, kb->ul);
	ib.ul = kb->ul;
	start(&c, TPM_ST_NO_SESSIONS, TPM_CC_FlushContext);
	u32(&c, key);
	expect(run(&c), 0, "FlushContext");
	(void)load(np2, &ib);
}

static void policy_dup(uint8_t d[32])
{
	uint8_t in[40] = { 0 };
	vtpm_set_be32(in + 32, TPM_CC_PolicyCommandCode);
	vtpm_set_be32(in + 36, TPM_CC_Duplicate);
	crypto_hash(CRYPTO_SHA256, in, 40, d);
}

static void flow_duplicate(uint32_t to_null, bool inner)
{
	struct blob kb;
	uint8_t pol[32];
	uint32_t p1, p2, k;

	fresh();
	policy_dup(pol);
	p1 = primary(0);
	create(p1, A_DUP, pol, &kb);
	k = load(p1, &kb);
	{
		struct cb c;
		start(&c, TPM_ST_NO_SESSIONS, TPM_CC_FlushContext);
		u32(&c, p1);
		expect(run(&c), 0, "FlushContext");
	}
	p2 = primary('n');
	dup_import(k, &kb, to_null ? TPM_RH_NULL : p2, p2, inner);
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s OUTDIR\n", argv[0]);
		return 2;
	}
	T = malloc(vtpm_state_size());
	flow_credential();
	save(argv[1], "activate");
	flow_duplicate(false, true);
	save(argv[1], "dup-import-inner");
	flow_duplicate(false, false);
	save(argv[1], "dup-import-outer");
	flow_duplicate(true, true);
	save(argv[1], "dup-null-import");
	free(T);
	return failures ? 1 : 0;
}
