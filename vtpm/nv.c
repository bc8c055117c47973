/* NV indices (TPM 2.0 Library Part 3, 31): DefineSpace, UndefineSpace, ReadPublic, Write, Read,
 * Increment, Extend, SetBits, WriteLock, ReadLock. Index data lives in the NV blob (state.c); every
 * change is committed before the command returns. */
#include "core/str.h"
#include "vtpm/internal.h"

static unsigned nv_type(uint32_t attrs)
{
	return (attrs & TPMA_NV_TPM_NT_MASK) >> TPMA_NV_TPM_NT_SHIFT;
}

struct vtpm_nv_index *vtpm_nv_find(struct vtpm *t, uint32_t handle)
{
	for (unsigned i = 0; i < VTPM_NV_INDICES; i++) {
		if (t->p.nv[i].used && t->p.nv[i].handle == handle)
			return &t->p.nv[i];
	}
	return NULL;
}

/* TPMS_NV_PUBLIC (Part 2, 13.5). */
void vtpm_nv_public(const struct vtpm_nv_index *x, struct vtpm_wr *w)
{
	vtpm_put_u32(w, x->handle);
	vtpm_put_u16(w, x->name_alg);
	vtpm_put_u32(w, x->attrs);
	vtpm_put_tpm2b(w, x->policy, x->policy_len);
	vtpm_put_u16(w, x->size);
}

/* Name = nameAlg || H_nameAlg(TPMS_NV_PUBLIC) (Part 1, 16). */
void vtpm_nv_name(const struct vtpm_nv_index *x, uint8_t *name, uint16_t *len)
{
	uint8_t buf[128];
	struct vtpm_wr w = { .p = buf, .cap = sizeof(buf) };
	enum crypto_hash_alg h = CRYPTO_SHA256;

	(void)vtpm_hash_from_alg(x->name_alg, &h);
	vtpm_nv_public(x, &w);
	vtpm_set_be16(name, x->name_alg);
	crypto_hash(h, buf, w.len, name + 2);
	*len = (uint16_t)(2 + crypto_hash_size(h));
}

/* Startup: READ_STCLEAR/WRITE_STCLEAR locks are released at Startup(CLEAR) (Part 2, 13.4); a
 * WRITEDEFINE lock is permanent. */
void vtpm_nv_startup(struct vtpm *t, bool clear)
{
	if (!clear)
		return;
	for (unsigned i = 0; i < VTPM_NV_INDICES; i++) {
		struct vtpm_nv_index *x = &t->p.nv[i];
		if (!x->used)
			continue;
		x->attrs &= ~TPMA_NV_READLOCKED;
		if ((x->attrs & TPMA_NV_WRITE_STCLEAR) &&
		    !((x->attrs & TPMA_NV_WRITEDEFINE) && (x->attrs & TPMA_NV_WRITTEN)))
			x->attrs &= ~TPMA_NV_WRITELOCKED;
		if (x->attrs & TPMA_NV_CLEAR_STCLEAR)
			x->attrs &= ~TPMA_NV_WRITTEN;
	}
}

/* TPM2_Clear removes the owner's indices; the platform's (PLATFORMCREATE) stay. */
void vtpm_nv_clear_owner(struct vtpm *t)
{
	for (unsigned i = 0; i < VTPM_NV_INDICES; i++) {
		struct vtpm_nv_index *x = &t->p.nv[i];
		if (x->used && !(x->attrs & TPMA_NV_PLATFORMCREATE))
			crypto_wipe(x, sizeof(*x));
	}
}

static uint32_t check_define_attrs(uint32_t a, uint32_t auth_handle, uint16_t size, size_t dl)
{
	unsigned type = nv_type(a);

	if (!(a & (TPMA_NV_PPWRITE | TPMA_NV_OWNERWRITE | TPMA_NV_AUTHWRITE | TPMA_NV_POLICYWRITE)) ||
	    !(a & (TPMA_NV_PPREAD | TPMA_NV_OWNERREAD | TPMA_NV_AUTHREAD | TPMA_NV_POLICYREAD)))
		return TPM_RC_ATTRIBUTES;
	if (a & (TPMA_NV_WRITELOCKED | TPMA_NV_READLOCKED | TPMA_NV_WRITTEN))
		return TPM_RC_ATTRIBUTES;
	if ((auth_handle == TPM_RH_PLATFORM) != !!(a & TPMA_NV_PLATFORMCREATE))
		return TPM_RC_ATTRIBUTES;
	if ((a & TPMA_NV_POLICY_DELETE) && auth_handle != TPM_RH_PLATFORM)
		return TPM_RC_ATTRIBUTES;
	if ((a & TPMA_NV_ORDERLY) || (a & (0x7u << 20)) || (a & (0x3u << 8)))
		return TPM_RC_ATTRIBUTES; /* reserved bits; ORDERLY indices are not implemented */
	switch (type) {
	case TPM_NT_ORDINARY:
		if (size > VTPM_NV_INDEX_MAX)
			return TPM_RC_SIZE;
		return 0;
	case TPM_NT_COUNTER:
	case TPM_NT_BITS:
		if (size != 8)
			return TPM_RC_SIZE;
		if ((a & TPMA_NV_CLEAR_STCLEAR) && type == TPM_NT_COUNTER)
			return TPM_RC_ATTRIBUTES;
		return 0;
	case TPM_NT_EXTEND:
		return size == dl ? 0 : TPM_RC_SIZE;
	default:
		return TPM_RC_ATTRIBUTES; /* PIN_PASS/PIN_FAIL: part 2 */
	}
}

uint32_t vtpm_cmd_nv_define_space(struct vtpm *t, struct vtpm_cmd *c)
{
	uint8_t auth[VTPM_AUTH_MAX];
	uint16_t auth_len, pub_size;
	struct vtpm_nv_index x, *slot = NULL;
	enum crypto_hash_alg h;
	struct vtpm_rd pub;
	uint32_t rc, ah = c->handles[0];
	size_t start;

	if (ah != TPM_RH_OWNER && ah != TPM_RH_PLATFORM)
		return RC_H(TPM_RC_VALUE, 1);
	rc = vtpm_get_tpm2b(&c->in, auth, &auth_len, sizeof(auth));
	if (rc)
		return vtpm_param_rc(rc, 1);
	if (!vtpm_get_u16(&c->in, &pub_size))
		return RC_P(TPM_RC_INSUFFICIENT, 2);
	if (pub_size > vtpm_rd_left(&c->in))
		return RC_P(TPM_RC_INSUFFICIENT, 2);
	vtpm_rd_init(&pub, c->in.p + c->in.off, pub_size);
	c->in.off += pub_size;
	memset(&x, 0, sizeof(x));
	start = pub.off;
	if (!vtpm_get_u32(&pub, &x.handle) || !vtpm_get_u16(&pub, &x.name_alg) ||
	    !vtpm_get_u32(&pub, &x.attrs))
		return RC_P(TPM_RC_INSUFFICIENT, 2);
	rc = vtpm_get_tpm2b(&pub, x.policy, &x.policy_len, sizeof(x.policy));
	if (rc)
		return vtpm_param_rc(rc, 2);
	if (!vtpm_get_u16(&pub, &x.size))
		return RC_P(TPM_RC_INSUFFICIENT, 2);
	if (vtpm_rd_left(&pub) != 0 || pub.off - start != pub_size)
		return RC_P(TPM_RC_SIZE, 2);
	if (vtpm_rd_left(&c->in))
		return TPM_RC_SIZE;
	if ((x.handle >> 24) != TPM_HT_NV_INDEX)
		return RC_P(TPM_RC_HANDLE, 2);
	if (!vtpm_hash_from_alg(x.name_alg, &h))
		return RC_P(TPM_RC_HASH, 2);
	if (x.policy_len != 0 && x.policy_len != crypto_hash_size(h))
		return RC_P(TPM_RC_SIZE, 2);
	auth_len = vtpm_trim_zeros(auth, auth_len);
	if (auth_len > crypto_hash_size(h))
		return RC_P(TPM_RC_SIZE, 1);
	rc = check_define_attrs(x.attrs, ah, x.size, crypto_hash_size(h));
	if (rc)
		return RC_P(rc, 2);
	if (ah == TPM_RH_PLATFORM && !t->ph_enable_nv)
		return RC_H(TPM_RC_HIERARCHY, 1);
	if (vtpm_nv_find(t, x.handle))
		return TPM_RC_NV_DEFINED;
	for (unsigned i = 0; i < VTPM_NV_INDICES && !slot; i++) {
		if (!t->p.nv[i].used)
			slot = &t->p.nv[i];
	}
	if (!slot)
		return TPM_RC_NV_SPACE;
	x.used = true;
	memcpy(x.auth, auth, auth_len);
	x.auth_len = auth_len;
	*slot = x;
	c->nv_dirty = true;
	return 0;
}

static uint32_t nv_index_handle(struct vtpm *t, uint32_t h, unsigned n, struct vtpm_nv_index **out)
{
	if ((h >> 24) != TPM_HT_NV_INDEX)
		return RC_H(TPM_RC_VALUE, n);
	*out = vtpm_nv_find(t, h);
	return *out ? 0 : RC_H(TPM_RC_HANDLE, n);
}

uint32_t vtpm_cmd_nv_undefine_space(struct vtpm *t, struct vtpm_cmd *c)
{
	struct vtpm_nv_index *x;
	uint32_t ah = c->handles[0];
	uint32_t rc;

	if (ah != TPM_RH_OWNER && ah != TPM_RH_PLATFORM)
		return RC_H(TPM_RC_VALUE, 1);
	rc = nv_index_handle(t, c->handles[1], 2, &x);
	if (rc)
		return rc;
	if ((x->attrs & TPMA_NV_PLATFORMCREATE) && ah != TPM_RH_PLATFORM)
		return TPM_RC_NV_AUTHORIZATION;
	if (x->attrs & TPMA_NV_POLICY_DELETE)
		return RC_H(TPM_RC_ATTRIBUTES, 2);
	crypto_wipe(x, sizeof(*x));
	c->nv_dirty = true;
	return 0;
}

uint32_t vtpm_cmd_nv_read_public(struct vtpm *t, struct vtpm_cmd *c)
{
	uint8_t pub[128], name[2 + CRYPTO_HASH_MAX_DIGEST];
	struct vtpm_wr w = { .p = pub, .cap = sizeof(pub) };
	struct vtpm_nv_index *x;
	uint16_t nlen;
	uint32_t rc = nv_index_handle(t, c->handles[0], 1, &x);

	if (rc)
		return rc;
	vtpm_nv_public(x, &w);
	vtpm_nv_name(x, name, &nlen);
	vtpm_put_tpm2b(&c->out, pub, (uint16_t)w.len);
	vtpm_put_tpm2b(&c->out, name, nlen);
	return 0;
}

/* Which authorization handles may write/read an index (Part 3, 31.3.1 NvWriteAccessChecks /
 * NvReadAccessChecks). The index authorizing itself needs AUTHWRITE/AUTHREAD with a password or
 * HMAC session and POLICYWRITE/POLICYREAD with a policy session. */
uint32_t vtpm_nv_access(const struct vtpm_nv_index *x, uint32_t ah, bool write, bool policy)
{
	uint32_t a = x->attrs;
	uint32_t pp = write ? TPMA_NV_PPWRITE : TPMA_NV_PPREAD;
	uint32_t owner = write ? TPMA_NV_OWNERWRITE : TPMA_NV_OWNERREAD;
	uint32_t auth = policy ? (write ? TPMA_NV_POLICYWRITE : TPMA_NV_POLICYREAD)
			       : (write ? TPMA_NV_AUTHWRITE : TPMA_NV_AUTHREAD);

	if (ah == TPM_RH_PLATFORM)
		return (a & pp) ? 0 : TPM_RC_NV_AUTHORIZATION;
	if (ah == TPM_RH_OWNER)
		return (a & owner) ? 0 : TPM_RC_NV_AUTHORIZATION;
	if (ah == x->handle)
		return (a & auth) ? 0 : TPM_RC_NV_AUTHORIZATION;
	return RC_H(TPM_RC_VALUE, 1);
}

static uint32_t access_check(const struct vtpm_cmd *c, const struct vtpm_nv_index *x, bool write)
{
	bool policy = c->n_auths > 0 && c->auths[0].s && vtpm_session_is_policy(c->auths[0].s);

	return vtpm_nv_access(x, c->handles[0], write, policy);
}

static uint32_t write_checks(struct vtpm *t, struct vtpm_cmd *c, struct vtpm_nv_index **out,
			     unsigned want_type)
{
	struct vtpm_nv_index *x;
	uint32_t rc = nv_index_handle(t, c->handles[1], 2, &x);

	if (rc)
		return rc;
	rc = access_check(c, x, true);
	if (rc)
		return rc;
	if (x->attrs & TPMA_NV_WRITELOCKED)
		return TPM_RC_NV_LOCKED;
	if (want_type != 0xFF && nv_type(x->attrs) != want_type)
		return RC_H(TPM_RC_ATTRIBUTES, 2);
	*out = x;
	return 0;
}

uint32_t vtpm_cmd_nv_write(struct vtpm *t, struct vtpm_cmd *c)
{
	uint8_t data[VTPM_NV_BUFFER_MAX];
	struct vtpm_nv_index *x;
	uint16_t n, off;
	uint32_t rc = write_checks(t, c, &x, TPM_NT_ORDINARY);

	if (rc)
		return rc;
	rc = vtpm_get_tpm2b(&c->in, data, &n, sizeof(data));
	if (rc)
		return vtpm_param_rc(rc, 1);
	if (!vtpm_get_u16(&c->in, &off))
		return RC_P(TPM_RC_INSUFFICIENT, 2);
	if (vtpm_rd_left(&c->in))
		return TPM_RC_SIZE;
	if ((uint32_t)off + n > x->size)
		return TPM_RC_NV_RANGE;
	if ((x->attrs & TPMA_NV_WRITEALL) && n != x->size)
		return TPM_RC_NV_RANGE;
	if (!(x->attrs & TPMA_NV_WRITTEN))
		memset(x->data, 0xFF, x->size); /* unwritten bytes read back as erased flash */
	memcpy(x->data + off, data, n);
	x->attrs |= TPMA_NV_WRITTEN;
	c->nv_dirty = true;
	return 0;
}

uint32_t vtpm_cmd_nv_read(struct vtpm *t, struct vtpm_cmd *c)
{
	struct vtpm_nv_index *x;
	uint16_t n, off;
	uint32_t rc = nv_index_handle(t, c->handles[1], 2, &x);

	if (rc)
		return rc;
	rc = access_check(c, x, false);
	if (rc)
		return rc;
	if (!vtpm_get_u16(&c->in, &n))
		return RC_P(TPM_RC_INSUFFICIENT, 1);
	if (!vtpm_get_u16(&c->in, &off))
		return RC_P(TPM_RC_INSUFFICIENT, 2);
	if (vtpm_rd_left(&c->in))
		return TPM_RC_SIZE;
	if (x->attrs & TPMA_NV_READLOCKED)
		return TPM_RC_NV_LOCKED;
	if (!(x->attrs & TPMA_NV_WRITTEN))
		return TPM_RC_NV_UNINITIALIZED;
	if (n > VTPM_NV_BUFFER_MAX)
		return RC_P(TPM_RC_VALUE, 1);
	if ((uint32_t)off + n > x->size)
		return TPM_RC_NV_RANGE;
	vtpm_put_tpm2b(&c->out, x->data + off, n);
	return 0;
}

static uint64_t be64(const uint8_t *p)
{
	return ((uint64_t)vtpm_be32(p) << 32) | vtpm_be32(p + 4);
}

static void set_be64(uint8_t *p, uint64_t v)
{
	vtpm_set_be32(p, (uint32_t)(v >> 32));
	vtpm_set_be32(p + 4, (uint32_t)v);
}

uint32_t vtpm_cmd_nv_increment(struct vtpm *t, struct vtpm_cmd *c)
{
	struct vtpm_nv_index *x;
	uint32_t rc = write_checks(t, c, &x, TPM_NT_COUNTER);
	uint64_t v;

	if (rc)
		return rc;
	if (vtpm_rd_left(&c->in))
		return TPM_RC_SIZE;
	/* A new counter starts from the largest value any counter ever had (Part 1, 37.2.4); this TPM
	 * keeps none, so new counters start at 0 and the first increment reads 1. */
	v = (x->attrs & TPMA_NV_WRITTEN) ? be64(x->data) : 0;
	set_be64(x->data, v + 1);
	x->attrs |= TPMA_NV_WRITTEN;
	c->nv_dirty = true;
	return 0;
}

uint32_t vtpm_cmd_nv_extend(struct vtpm *t, struct vtpm_cmd *c)
{
	uint8_t data[VTPM_NV_BUFFER_MAX];
	struct crypto_hash_ctx ctx;
	enum crypto_hash_alg h = CRYPTO_SHA256;
	struct vtpm_nv_index *x;
	uint16_t n;
	uint32_t rc = write_checks(t, c, &x, TPM_NT_EXTEND);

	if (rc)
		return rc;
	rc = vtpm_get_tpm2b(&c->in, data, &n, sizeof(data));
	if (rc)
		return vtpm_param_rc(rc, 1);
	if (vtpm_rd_left(&c->in))
		return TPM_RC_SIZE;
	(void)vtpm_hash_from_alg(x->name_alg, &h);
	if (!(x->attrs & TPMA_NV_WRITTEN))
		memset(x->data, 0, x->size);
	crypto_hash_init(&ctx, h);
	crypto_hash_update(&ctx, x->data, x->size);
	crypto_hash_update(&ctx, data, n);
	crypto_hash_final(&ctx, x->data);
	x->attrs |= TPMA_NV_WRITTEN;
	c->nv_dirty = true;
	return 0;
}

uint32_t vtpm_cmd_nv_set_bits(struct vtpm *t, struct vtpm_cmd *c)
{
	struct vtpm_nv_index *x;
	uint64_t bits, v;
	uint32_t rc = write_checks(t, c, &x, TPM_NT_BITS);

	if (rc)
		return rc;
	if (!vtpm_get_u64(&c->in, &bits))
		return RC_P(TPM_RC_INSUFFICIENT, 1);
	if (vtpm_rd_left(&c->in))
		return TPM_RC_SIZE;
	v = (x->attrs & TPMA_NV_WRITTEN) ? be64(x->data) : 0;
	set_be64(x->data, v | bits);
	x->attrs |= TPMA_NV_WRITTEN;
	c->nv_dirty = true;
	return 0;
}

/* NV_WriteLock and NV_ReadLock: authorised like a write or a read, allowed only on an index whose
 * attributes permit the lock (`lockable`), and they set `lock`. */
static uint32_t nv_lock(struct vtpm *t, struct vtpm_cmd *c, bool write, uint32_t lockable, uint32_t lock)
{
	struct vtpm_nv_index *x;
	uint32_t rc = nv_index_handle(t, c->handles[1], 2, &x);

	if (rc)
		return rc;
	rc = access_check(c, x, write);
	if (rc)
		return rc;
	if (vtpm_rd_left(&c->in))
		return TPM_RC_SIZE;
	if (!(x->attrs & lockable))
		return RC_H(TPM_RC_ATTRIBUTES, 2);
	x->attrs |= lock;
	c->nv_dirty = true;
	return 0;
}

uint32_t vtpm_cmd_nv_write_lock(struct vtpm *t, struct vtpm_cmd *c)
{
	return nv_lock(t, c, true, TPMA_NV_WRITEDEFINE | TPMA_NV_WRITE_STCLEAR, TPMA_NV_WRITELOCKED);
}

uint32_t vtpm_cmd_nv_read_lock(struct vtpm *t, struct vtpm_cmd *c)
{
	return nv_lock(t, c, false, TPMA_NV_READ_STCLEAR, TPMA_NV_READLOCKED);
}
