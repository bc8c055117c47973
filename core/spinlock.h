/* Ticket spinlocks. Fair under contention, which matters once APs run guest vCPUs and share the
 * console and device locks.
 *
 * spin_lock_irqsave() returns a witness that spin_unlock_irqrestore() consumes, so "the caller holds
 * the lock" is carried in the type rather than in a comment.
 */
#ifndef MANTLE_CORE_SPINLOCK_H
#define MANTLE_CORE_SPINLOCK_H

#include <stdbool.h>
#include <stdint.h>

#include "core/arch.h"

struct spinlock {
	volatile uint32_t next;
	volatile uint32_t owner;
};

#define SPINLOCK_INIT { 0, 0 }

struct spinlock_held {
	struct spinlock *lock;
	bool irq_enabled;
};

static inline void spin_lock(struct spinlock *l)
{
	uint32_t ticket = __atomic_fetch_add(&l->next, 1, __ATOMIC_RELAXED);

	while (__atomic_load_n(&l->owner, __ATOMIC_ACQUIRE) != ticket)
		arch_cpu_relax();
}

static inline void spin_unlock(struct spinlock *l)
{
	__atomic_store_n(&l->owner, l->owner + 1, __ATOMIC_RELEASE);
}

static inline struct spinlock_held spin_lock_irqsave(struct spinlock *l)
{
	struct spinlock_held h = { .lock = l, .irq_enabled = arch_irq_save() };

	spin_lock(l);
	return h;
}

static inline void spin_unlock_irqrestore(struct spinlock_held h)
{
	spin_unlock(h.lock);
	arch_irq_restore(h.irq_enabled);
}

#endif
