/* Mantle's vTPM: a TPM 2.0 command engine.
 *
 * vtpm_execute() is pure: it reads a command buffer and writes a response buffer, touching nothing
 * but the `struct vtpm` it is given. What it needs from the platform (entropy, time, persistence of
 * the NV blob) comes through `struct vtpm_platform`. The same sources build into the image, the host
 * unit tests, tools/vtpm-sim and the fuzz target.
 *
 * docs/vtpm.md lists the implemented commands and the NV blob format.
 */
#ifndef MANTLE_VTPM_VTPM_H
#define MANTLE_VTPM_VTPM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct vtpm_platform {
	void *ctx;
	/* Fills buf with len bytes of full entropy; false if the source failed. */
	bool (*entropy)(void *ctx, void *buf, size_t len);
	/* Milliseconds from any fixed origin, monotonic while powered. */
	uint64_t (*time_ms)(void *ctx);
	/* Reads the persisted NV blob into buf; returns its length, 0 when none was ever stored, or
	 * (size_t)-1 when the store could not be read. */
	size_t (*nv_load)(void *ctx, void *buf, size_t cap);
	/* Persists the NV blob atomically (all or nothing); false on failure. */
	bool (*nv_store)(void *ctx, const void *buf, size_t len);
};

/* Maximum command and response sizes (TPM_PT_MAX_COMMAND_SIZE / TPM_PT_MAX_RESPONSE_SIZE). */
#define VTPM_MAX_COMMAND 4096u
#define VTPM_MAX_RESPONSE 4096u

struct vtpm;

/* Size of struct vtpm, for callers that place it themselves (the image uses a static one). */
size_t vtpm_state_size(void);

/* _TPM_Init: binds the platform, seeds the DRBG, loads (or manufactures) the NV blob. A torn or
 * corrupt blob puts the TPM in failure mode (every command then answers TPM_RC_FAILURE, except
 * GetTestResult which reports why); the blob is never used half-way. */
void vtpm_power_on(struct vtpm *t, const struct vtpm_platform *plat);

/* Locality of the following commands (0..4; others are clamped to 0). */
void vtpm_set_locality(struct vtpm *t, uint8_t locality);

/* Executes one command. Always returns a well-formed response of at least 10 bytes when
 * rsp_cap >= 10 (0 otherwise). */
size_t vtpm_execute(struct vtpm *t, const uint8_t *cmd, size_t cmd_len, uint8_t *rsp, size_t rsp_cap);

/* _TPM_Hash_Start/Data/End (TPM 2.0 Library Part 3, 9.5-9.7; PC Client PTP), locality 4 only.
 * After Startup (D-RTM): Hash_Start resets PCRs 17-22 to zero and starts an event hash in every
 * bank, Hash_Data feeds it, Hash_End extends PCR 17 with the digests. Before Startup (H-CRTM): the
 * digests are kept and the next Startup(CLEAR) sets PCR 0 to 0...04 extended with them. They return
 * false (and do nothing) in failure mode, at another locality, or out of sequence. */
bool vtpm_hash_start(struct vtpm *t);
bool vtpm_hash_data(struct vtpm *t, const void *data, size_t len);
bool vtpm_hash_end(struct vtpm *t);

/* True when the TPM is in failure mode; *why gets the failure code. */
bool vtpm_in_failure(const struct vtpm *t, uint32_t *why);

#endif
