/* Starting the guest: what core_main() does once Mantle itself is up. */
#ifndef MANTLE_CORE_GUEST_H
#define MANTLE_CORE_GUEST_H

#include "core/bootinfo.h"

/* Boots the guest the boot modules carry and runs it to completion; does not return. Returns only if
 * no guest is configured. Implemented per guest architecture (core/x86/guest.c). */
void guest_launch(struct boot_info *bi);

#endif
