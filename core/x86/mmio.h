/* Emulation of the guest instruction behind an MMIO or string-I/O exit, through the x86 emulator.
 *
 * Guest physical memory falls in three classes (core_memmap()):
 *   - guest RAM: read and written directly (identity-mapped in Mantle);
 *   - hidden: Mantle's own memory. Reads return all-ones, writes are dropped, both are logged;
 *     nothing of Mantle's memory ever reaches the guest;
 *   - device: an emulated device's MMIO range (core/bus.h), reached through its handler;
 *   - anything else (no RAM, no registered device): unbacked, reads all-ones, writes dropped.
 */
#ifndef MANTLE_CORE_X86_MMIO_H
#define MANTLE_CORE_X86_MMIO_H

#include <stdint.h>

#include "core/vp.h"

enum gpa_class { GPA_RAM, GPA_HIDDEN, GPA_DEVICE, GPA_UNBACKED };

enum gpa_class mmio_classify(uint64_t gpa);

/* Emulates the instruction at the guest's CS:RIP. Returns VP_RESUME (RIP moved by the emulator) or
 * VP_INJECT (a fault was queued: #PF from the guest's page tables, #GP/#UD for what cannot be
 * emulated). */
enum vp_action mmio_emulate_insn(struct vp *vp);

/* Accesses to hidden memory so far (reads, writes), for the log and the tests. */
uint64_t mmio_hidden_reads(void);
uint64_t mmio_hidden_writes(void);

#endif
