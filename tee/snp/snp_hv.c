/* #HV doorbell page registration and event intake (see snp_hv.h). */
#include "tee/snp/snp_hv.h"

#include "tee/snp/snp_psc.h"

enum snp_hv_status snp_hv_setup(struct snp_hv *hv, struct snp_mem *m, struct snp_ghcb_state *g,
				uint64_t gpa)
{
	hv->gpa = 0;
	if (snp_mem_make_shared(m, g, gpa, 1) != SNP_PSC_OK)
		return SNP_HV_PSC;
	snp_map_shared_alias(gpa, 1);
	struct snp_ghcb_call c = { .exit_code = SVM_VMGEXIT_HV_DOORBELL, .info1 = SNP_HV_DOORBELL_SET,
				   .info2 = gpa };
	if (snp_ghcb_call(g, &c) != SNP_GHCB_OK)
		return SNP_HV_HOST_REFUSED;
	c = (struct snp_ghcb_call){ .exit_code = SVM_VMGEXIT_HV_DOORBELL, .info1 = SNP_HV_DOORBELL_QUERY };
	if (snp_ghcb_call(g, &c) != SNP_GHCB_OK || c.info2 != gpa)
		return SNP_HV_BAD_RESPONSE;
	hv->gpa = gpa;
	return SNP_HV_OK;
}

bool snp_hv_take(struct snp_hv *hv, struct vp_event *ev)
{
	if (!hv->gpa)
		return false;
	uint16_t *head = snp_shared_va(hv->gpa);
	uint16_t v = __atomic_exchange_n(head, (uint16_t)0, __ATOMIC_SEQ_CST);
	uint8_t vector = (uint8_t)v, flags = (uint8_t)(v >> 8);

	if (flags & SNP_HV_FLAG_MC)
		hv->bogus++;
	if (flags & SNP_HV_FLAG_NMI) {
		*ev = (struct vp_event){ .type = VP_EVENT_NMI, .vector = 2 };
		return true;
	}
	if (vector == 0)
		return false;
	if (vector < 32) {
		hv->bogus++;
		return false;
	}
	*ev = (struct vp_event){ .type = VP_EVENT_INTR, .vector = vector };
	return true;
}
