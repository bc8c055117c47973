/* Mantle's own #VC handling (see snp_vc.h). */
#include "tee/snp/snp_vc.h"

#include "core/str.h"

/* Leaves whose output depends on ECX (SDM/APM CPUID): matched on the subleaf too. */
static bool leaf_has_subleaves(uint32_t leaf)
{
	switch (leaf) {
	case 0x4: case 0x7: case 0xb: case 0xd: case 0xf: case 0x10: case 0x12: case 0x14: case 0x17:
	case 0x18: case 0x1d: case 0x1f: case 0x24: case 0x8000001d: case 0x80000020: case 0x80000026:
		return true;
	default:
		return false;
	}
}

bool snp_cpuid_page_check(const struct snp_cpuid_page *p)
{
	if (p->count > SNP_CPUID_MAX || p->reserved0 || p->reserved1)
		return false;
	for (uint32_t i = 0; i < p->count; i++) {
		const struct snp_cpuid_fn *f = &p->fn[i];
		if (f->reserved || (f->ecx_in && !leaf_has_subleaves(f->eax_in)))
			return false;
		for (uint32_t j = 0; j < i; j++)
			if (p->fn[j].eax_in == f->eax_in && p->fn[j].ecx_in == f->ecx_in &&
			    p->fn[j].xcr0_in == f->xcr0_in && p->fn[j].xss_in == f->xss_in)
				return false;
	}
	return true;
}

bool snp_cpuid_lookup(const struct snp_cpuid_page *p, uint32_t leaf, uint32_t subleaf, uint32_t out[4])
{
	uint32_t n = p->count < SNP_CPUID_MAX ? p->count : SNP_CPUID_MAX;
	uint32_t sub = leaf_has_subleaves(leaf) ? subleaf : 0;

	for (uint32_t i = 0; i < n; i++) {
		const struct snp_cpuid_fn *f = &p->fn[i];
		if (f->eax_in != leaf || f->ecx_in != sub)
			continue;
		out[0] = f->eax;
		out[1] = f->ebx;
		out[2] = f->ecx;
		out[3] = f->edx;
		return true;
	}
	return false;
}

bool snp_cpuid_msr_protocol(uint32_t leaf, uint32_t out[4])
{
	for (uint64_t reg = 0; reg < 4; reg++) {
		uint64_t r = snp_msr_protocol(GHCB_MSR_CPUID_REQ | (reg << 30) | ((uint64_t)leaf << 32));
		if ((r & GHCB_MSR_INFO_MASK) != GHCB_MSR_CPUID_RESP || ((r >> 30) & 3) != reg)
			return false;
		out[reg] = (uint32_t)(r >> 32);
	}
	return true;
}

static enum snp_vc_status vc_cpuid(const struct snp_vc *vc, struct snp_vc_ctx *ctx)
{
	uint32_t leaf = (uint32_t)ctx->rax, sub = (uint32_t)ctx->rcx, r[4] = { 0 };

	if (vc->cpuid) {
		/* Leaves the PSP-checked page does not list read as zero: the host is never asked. */
		(void)snp_cpuid_lookup(vc->cpuid, leaf, sub, r);
	} else if (vc->ghcb && vc->ghcb->page) {
		struct snp_ghcb_call c = { .exit_code = SVM_EXIT_CPUID, .rax = leaf, .rcx = sub,
					   .in = SNP_GHCB_R_RAX | SNP_GHCB_R_RCX,
					   .out = SNP_GHCB_R_RAX | SNP_GHCB_R_RBX | SNP_GHCB_R_RCX |
						  SNP_GHCB_R_RDX };
		if (snp_ghcb_call(vc->ghcb, &c) != SNP_GHCB_OK)
			return SNP_VC_HOST_FAILED;
		r[0] = (uint32_t)c.rax, r[1] = (uint32_t)c.rbx, r[2] = (uint32_t)c.rcx, r[3] = (uint32_t)c.rdx;
	} else if (!snp_cpuid_msr_protocol(leaf, r)) {
		return SNP_VC_HOST_FAILED;
	}
	ctx->rax = r[0], ctx->rbx = r[1], ctx->rcx = r[2], ctx->rdx = r[3];
	ctx->rip += 2;
	return SNP_VC_OK;
}

static enum snp_vc_status vc_msr(const struct snp_vc *vc, struct snp_vc_ctx *ctx, bool write)
{
	struct snp_ghcb_call c = { .exit_code = SVM_EXIT_MSR, .info1 = write, .rcx = ctx->rcx,
				   .rax = ctx->rax & 0xffffffffu, .rdx = ctx->rdx & 0xffffffffu,
				   .in = SNP_GHCB_R_RCX | (write ? SNP_GHCB_R_RAX | SNP_GHCB_R_RDX : 0),
				   .out = write ? 0 : SNP_GHCB_R_RAX | SNP_GHCB_R_RDX };

	if (!vc->ghcb || snp_ghcb_call(vc->ghcb, &c) != SNP_GHCB_OK)
		return SNP_VC_HOST_FAILED;
	if (!write) {
		ctx->rax = (uint32_t)c.rax;
		ctx->rdx = (uint32_t)c.rdx;
	}
	ctx->rip += 2;
	return SNP_VC_OK;
}

/* IN/OUT forms Mantle uses: E4-E7 (imm8 port), EC-EF (DX port), with an optional 66 prefix. */
static enum snp_vc_status vc_ioio(const struct snp_vc *vc, struct snp_vc_ctx *ctx)
{
	const uint8_t *b = (const uint8_t *)(uintptr_t)ctx->rip;
	uint32_t len = 0, size;
	bool opsize = false;

	if (b[0] == 0x66) {
		opsize = true;
		len = 1;
	}
	uint8_t op = b[len];
	uint16_t port;
	if (op >= 0xe4 && op <= 0xe7) {
		port = b[len + 1];
		len += 2;
	} else if (op >= 0xec && op <= 0xef) {
		port = (uint16_t)ctx->rdx;
		len += 1;
	} else {
		return SNP_VC_UNSUPPORTED;
	}
	bool in = (op & 2) == 0;
	size = (op & 1) ? (opsize ? 2 : 4) : 1;
	uint64_t info1 = ((uint64_t)port << SVM_IOIO_PORT_SHIFT) | (in ? SVM_IOIO_IN : 0) |
			 (size == 4 ? SVM_IOIO_SZ32 : size == 2 ? SVM_IOIO_SZ16 : SVM_IOIO_SZ8);
	uint64_t mask = size == 4 ? 0xffffffffull : size == 2 ? 0xffffull : 0xffull;
	struct snp_ghcb_call c = { .exit_code = SVM_EXIT_IOIO, .info1 = info1, .rax = ctx->rax & mask,
				   .in = SNP_GHCB_R_RAX, .out = in ? SNP_GHCB_R_RAX : 0 };
	if (!vc->ghcb || snp_ghcb_call(vc->ghcb, &c) != SNP_GHCB_OK)
		return SNP_VC_HOST_FAILED;
	if (in)
		ctx->rax = size == 4 ? (c.rax & mask) : (ctx->rax & ~mask) | (c.rax & mask);
	ctx->rip += len;
	return SNP_VC_OK;
}

/* RDTSC (0F 31) / RDTSCP (0F 01 F9), when the host intercepts them: its time, not a secret. */
static enum snp_vc_status vc_rdtsc(const struct snp_vc *vc, struct snp_vc_ctx *ctx, bool rdtscp)
{
	const uint8_t *b = (const uint8_t *)(uintptr_t)ctx->rip;

	if (rdtscp ? (b[0] != 0x0f || b[1] != 0x01 || b[2] != 0xf9) : (b[0] != 0x0f || b[1] != 0x31))
		return SNP_VC_UNSUPPORTED;
	struct snp_ghcb_call c = { .exit_code = rdtscp ? SVM_EXIT_RDTSCP : SVM_EXIT_RDTSC,
				   .out = SNP_GHCB_R_RAX | SNP_GHCB_R_RDX | (rdtscp ? SNP_GHCB_R_RCX : 0) };
	if (!vc->ghcb || snp_ghcb_call(vc->ghcb, &c) != SNP_GHCB_OK)
		return SNP_VC_HOST_FAILED;
	ctx->rax = (uint32_t)c.rax;
	ctx->rdx = (uint32_t)c.rdx;
	if (rdtscp)
		ctx->rcx = (uint32_t)c.rcx;
	ctx->rip += rdtscp ? 3 : 2;
	return SNP_VC_OK;
}

enum snp_vc_status snp_vc_handle(const struct snp_vc *vc, struct snp_vc_ctx *ctx, uint64_t exit_code)
{
	switch (exit_code) {
	case SVM_EXIT_RDTSC:
		return vc_rdtsc(vc, ctx, false);
	case SVM_EXIT_RDTSCP:
		return vc_rdtsc(vc, ctx, true);
	case SVM_EXIT_CPUID:
		return vc_cpuid(vc, ctx);
	case SVM_EXIT_MSR: {
		const uint8_t *b = (const uint8_t *)(uintptr_t)ctx->rip;
		if (b[0] != 0x0f || (b[1] != 0x30 && b[1] != 0x32))
			return SNP_VC_UNSUPPORTED;
		return vc_msr(vc, ctx, b[1] == 0x30);
	}
	case SVM_EXIT_IOIO:
		return vc_ioio(vc, ctx);
	default:
		return SNP_VC_UNSUPPORTED;
	}
}

/* ------------------------------------------------------------------------------------------------ */
/* The exception entry points. One CPU: plain statics (per-CPU state comes with SMP). */

static const struct snp_vc *own_vc;
static volatile uint32_t vc_depth;
static uint64_t hv_count;

void snp_vc_install(const struct snp_vc *vc)
{
	own_vc = vc;
	vc_depth = 0;
	hv_count = 0;
	x86_set_vector_handler(X86_VEC_VC, snp_vc_exception);
	x86_set_vector_handler(X86_VEC_HV, snp_hv_exception);
}

void snp_vc_uninstall(void)
{
	x86_set_vector_handler(X86_VEC_VC, NULL);
	x86_set_vector_handler(X86_VEC_HV, NULL);
	own_vc = NULL;
}

void snp_vc_exception(struct x86_frame *f)
{
	if (vc_depth++ != 0 || !own_vc)
		snp_terminate(GHCB_TERM_SET_MANTLE, SNP_TERM_VC_NESTED);
	if (f->error == SVM_EXIT_PAGE_NOT_VALIDATED)
		snp_terminate(GHCB_TERM_SET_MANTLE, SNP_TERM_REMAP);

	struct snp_vc_ctx ctx = { .rax = f->rax, .rbx = f->rbx, .rcx = f->rcx, .rdx = f->rdx, .rip = f->rip };
	enum snp_vc_status s = snp_vc_handle(own_vc, &ctx, f->error);
	if (s == SNP_VC_UNSUPPORTED)
		snp_terminate(GHCB_TERM_SET_MANTLE, SNP_TERM_VC_UNKNOWN);
	if (s != SNP_VC_OK)
		snp_terminate(GHCB_TERM_SET_MANTLE, SNP_TERM_VC_HOST);
	f->rax = ctx.rax, f->rbx = ctx.rbx, f->rcx = ctx.rcx, f->rdx = ctx.rdx, f->rip = ctx.rip;
	vc_depth--;
}

void snp_hv_exception(struct x86_frame *f)
{
	(void)f;
	hv_count++;
}

uint64_t snp_hv_notifications(void)
{
	return hv_count;
}
