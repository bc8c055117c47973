/* Persistent objects: EvictControl (TPM 2.0 Library Part 3, 28.5) and their place in the NV blob.
 *
 * A persistent object is kept in the NV blob (format 2) as its encoded state (the ContextSave
 * encoding of a key, vtpm_object_encode) under its persistent handle, and decoded into
 * t->pobjects[] whenever the blob is loaded or changed, so commands find it by handle like a
 * loaded object. Owner authorization persists into 0x81000000-0x817FFFFF, platform authorization
 * into 0x81800000-0x81FFFFFF (Part 2, 7.5 / PC Client handle ranges); Clear removes the owner's and
 * the endorsement hierarchy's persistent objects. */
#include "core/str.h"
#include "vtpm/internal.h"

#define PERSISTENT_PLATFORM_FIRST 0x81800000u

_Static_assert(VTPM_PSTATE_MAX == VTPM_KEY_STATE_MAX, "a persistent object holds any key's state");

uint32_t vtpm_persistent_count(const struct vtpm *t)
{
	uint32_t n = 0;

	for (unsigned i = 0; i < VTPM_PERSISTENT; i++)
		n += t->p.pobj[i].handle != 0;
	return n;
}

bool vtpm_persistent_reload(struct vtpm *t)
{
	bool ok = true;

	crypto_wipe(t->pobjects, sizeof(t->pobjects));
	for (unsigned i = 0; i < VTPM_PERSISTENT; i++) {
		const struct vtpm_pobj *p = &t->p.pobj[i];
		struct vtpm_object *o = &t->pobjects[i];

		if (!p->handle)
			continue;
		if ((p->handle >> 24) != TPM_HT_PERSISTENT || !vtpm_object_decode(o, p->data, p->len, false) ||
		    !vtpm_obj_is_key(o) || !o->has_sensitive) {
			ok = false;
			crypto_wipe(o, sizeof(*o));
			continue;
		}
		o->used = true;
		o->handle = p->handle;
		o->persistent = p->handle;
	}
	return ok;
}

void vtpm_persistent_clear_owner(struct vtpm *t)
{
	for (unsigned i = 0; i < VTPM_PERSISTENT; i++) {
		if (t->p.pobj[i].handle &&
		    (t->pobjects[i].hierarchy == TPM_RH_OWNER || t->pobjects[i].hierarchy == TPM_RH_ENDORSEMENT)) {
			crypto_wipe(&t->p.pobj[i], sizeof(t->p.pobj[i]));
			crypto_wipe(&t->pobjects[i], sizeof(t->pobjects[i]));
		}
	}
}

static int find_slot(const struct vtpm *t, uint32_t handle)
{
	for (unsigned i = 0; i < VTPM_PERSISTENT; i++)
		if (t->p.pobj[i].handle == handle)
			return (int)i;
	return -1;
}

/* The persistent range auth may use (Part 3, 28.5.1: TPM_RC_RANGE, parameter 1). */
static bool in_range(uint32_t auth, uint32_t handle)
{
	if ((handle >> 24) != TPM_HT_PERSISTENT)
		return false;
	return auth == TPM_RH_PLATFORM ? handle >= PERSISTENT_PLATFORM_FIRST : handle < PERSISTENT_PLATFORM_FIRST;
}

static uint32_t make_persistent(struct vtpm *t, struct vtpm_cmd *c, struct vtpm_object *o, uint32_t auth,
				uint32_t ph)
{
	struct vtpm_pobj *p;
	int slot;

	/* Only objects of a hierarchy with their sensitive area: not LoadExternal's, not stClear */
	if (!vtpm_obj_is_key(o) || !o->has_sensitive || o->hierarchy == TPM_RH_NULL || o->hierarchy == 0 ||
	    (o->attrs & TPMA_OBJECT_STCLEAR))
		return RC_H(TPM_RC_ATTRIBUTES, 2);
	if (auth == TPM_RH_OWNER ? o->hierarchy == TPM_RH_PLATFORM : o->hierarchy != TPM_RH_PLATFORM)
		return RC_H(TPM_RC_HIERARCHY, 2);
	if (find_slot(t, ph) >= 0)
		return TPM_RC_NV_DEFINED;
	slot = find_slot(t, 0);
	if (slot < 0)
		return TPM_RC_NV_SPACE;
	p = &t->p.pobj[slot];
	p->len = (uint16_t)vtpm_object_encode(o, p->data, sizeof(p->data));
	if (p->len == 0)
		return TPM_RC_FAILURE;
	p->handle = ph;
	if (!vtpm_persistent_reload(t)) {
		crypto_wipe(p, sizeof(*p));
		return TPM_RC_FAILURE;
	}
	c->nv_dirty = true;
	return 0;
}

uint32_t vtpm_cmd_evict_control(struct vtpm *t, struct vtpm_cmd *c)
{
	uint32_t auth = c->handles[0], oh = c->handles[1], ph;
	struct vtpm_object *o;
	int slot;

	if (!vtpm_get_u32(&c->in, &ph))
		return RC_P(TPM_RC_INSUFFICIENT, 1);
	if (vtpm_rd_left(&c->in))
		return TPM_RC_SIZE;
	if (auth != TPM_RH_OWNER && auth != TPM_RH_PLATFORM)
		return RC_H(TPM_RC_VALUE, 1);
	o = vtpm_object_find(t, oh);
	if (!o)
		return RC_H(TPM_RC_HANDLE, 2);
	if (!in_range(auth, ph))
		return RC_P(TPM_RC_RANGE, 1);
	if ((oh >> 24) == TPM_HT_TRANSIENT)
		return make_persistent(t, c, o, auth, ph);
	/* evicting: the handle names the object itself, in auth's range */
	if (oh != ph)
		return RC_H(TPM_RC_HANDLE, 2);
	slot = find_slot(t, ph);
	if (slot < 0)
		return RC_H(TPM_RC_HANDLE, 2);
	crypto_wipe(&t->p.pobj[slot], sizeof(t->p.pobj[slot]));
	crypto_wipe(&t->pobjects[slot], sizeof(t->pobjects[slot]));
	c->nv_dirty = true;
	return 0;
}
