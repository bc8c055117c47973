/* Virtual processors: the state the core sees of a guest vCPU, the normalised exit every backend
 * produces, and the run loop that dispatches exits.
 *
 * A backend (core/tee.h) enters the guest with `vp->regs`, and on every exit fills `vp->exit` and
 * syncs `vp->regs` back, so handlers read and write one plain structure whatever the TEE.
 */
#ifndef MANTLE_CORE_VP_H
#define MANTLE_CORE_VP_H

#include <stdbool.h>
#include <stdint.h>

/* General-purpose registers in encoding order (SDM vol. 2, table 2-2). */
enum vp_gpr {
	VP_RAX, VP_RCX, VP_RDX, VP_RBX, VP_RSP, VP_RBP, VP_RSI, VP_RDI,
	VP_R8, VP_R9, VP_R10, VP_R11, VP_R12, VP_R13, VP_R14, VP_R15,
	VP_NR_GPRS
};

/* Segment registers in encoding order. */
enum vp_seg { VP_ES, VP_CS, VP_SS, VP_DS, VP_FS, VP_GS, VP_NR_SEGS };

/* A segment register with its hidden part, in the VMCB/VMSA layout (AMD APM vol. 2, 15.5.1 and
 * appendix B): attr bits 3:0 type, 4 S, 6:5 DPL, 7 P, 8 AVL, 9 L, 10 D/B, 11 G. */
struct vp_segment {
	uint16_t sel;
	uint16_t attr;
	uint32_t limit;
	uint64_t base;
};
_Static_assert(sizeof(struct vp_segment) == 16, "APM vol. 2, appendix B: segment fields are 16 bytes");

struct vp_regs {
	uint64_t gpr[VP_NR_GPRS];
	uint64_t rip;
	uint64_t rflags;
	uint64_t cr0, cr2, cr3, cr4;
	uint64_t efer;       /* as the guest sees it (backend-private bits such as SVME removed) */
	uint64_t xcr0;
	struct vp_segment seg[VP_NR_SEGS];
	struct vp_segment gdtr, idtr, ldtr, tr;
	uint8_t cpl;
};

enum vp_exit_kind {
	VP_EXIT_NONE = 0,     /* nothing for the core (e.g. an external interrupt the guest took) */
	VP_EXIT_CPUID,
	VP_EXIT_MSR,
	VP_EXIT_IO,
	VP_EXIT_MMIO,         /* guest access to a GPA that is not plain guest RAM */
	VP_EXIT_HLT,
	VP_EXIT_HYPERCALL,
	VP_EXIT_SHUTDOWN,     /* triple fault or equivalent: the guest cannot continue */
	VP_EXIT_EXCEPTION,    /* an intercepted guest exception */
	VP_EXIT_UNSUPPORTED,  /* the guest used a feature hidden from it (e.g. VMRUN): #UD */
	VP_EXIT_FAILED,       /* the backend could not enter the guest; details in `raw` */
	VP_EXIT_KINDS
};

struct vp_exit {
	uint32_t kind;
	/* Bytes to skip when the handler completes the instruction; 0 when the backend does not know
	 * (the core then decodes the instruction itself). */
	uint8_t insn_len;
	uint64_t raw;         /* backend exit code, for logs */
	uint64_t info1, info2;
	union {
		struct {
			uint32_t leaf, subleaf;
		} cpuid;
		struct {
			uint32_t index;
			bool write;   /* value in EDX:EAX */
		} msr;
		struct {
			uint16_t port;
			uint8_t size; /* 1, 2 or 4 */
			bool in;
			bool string;
			bool rep;
		} io;
		struct {
			uint64_t gpa;
			bool write;
			bool fetch;
		} mmio;
		struct {
			uint8_t vector;
			uint32_t error;
		} exc;
	} u;
};

/* Events the core asks a backend to deliver on the next entry. */
enum vp_event_type { VP_EVENT_EXCEPTION, VP_EVENT_INTR, VP_EVENT_NMI };

struct vp_event {
	uint8_t type;
	uint8_t vector;
	bool has_error;
	uint32_t error;
};

struct tee_backend;

struct vp {
	uint32_t id;
	const struct tee_backend *tee;
	void *tee_state;      /* backend-private (VMCB, VMSA, TD VCPU...) */
	struct vp_regs regs;
	struct vp_exit exit;
	bool stop;            /* set by a handler when the guest is finished */
	bool reset;           /* ...because it asked for a platform reset (the guest is rebooted) */
	uint8_t stop_status;  /* the guest's exit status */
	uint64_t exits[VP_EXIT_KINDS];
};

/* Guest exit statuses (the value tools/mantle-run returns): 0..62 as the guest wrote them to its
 * exit port (devices/exit_port.c; larger values are clamped to 62), VP_STATUS_SHUTDOWN when the guest
 * triple-faulted. */
#define VP_STATUS_GUEST_MAX 62
#define VP_STATUS_SHUTDOWN 63

/* What a handler did with an exit. */
enum vp_action {
	VP_ADVANCE,   /* the instruction completed: skip it */
	VP_RESUME,    /* RIP already set (or the instruction must run again): enter as is */
	VP_INJECT,    /* an event was queued with vp_inject(): do not skip the instruction */
};

typedef enum vp_action (*vp_exit_handler)(struct vp *vp);

/* Queues an exception for the guest (through the backend). */
void vp_inject_exception(struct vp *vp, uint8_t vector, bool has_error, uint32_t error);

/* Runs the vCPU until a handler stops it; returns the guest's exit status. */
uint8_t vp_run_loop(struct vp *vp);

/* Ends the guest's run with `status` (0 = success) after the current exit. */
void vp_stop(struct vp *vp, uint8_t status);

/* Ends the guest's run because it reset the platform: Mantle reboots the guest (core/x86/guest.c). */
void vp_request_reset(struct vp *vp);

#endif
