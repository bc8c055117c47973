/* aarch64 runs no guest yet: the `none` backend's EL2 + stage-2 half arrives with its own issue. An
 * "absent" guest_launch keeps core_main the same on every arch and says so when a module is given. */
#include "core/guest.h"

#include "core/console.h"

void guest_launch(struct boot_info *bi)
{
	if (bi->module_count)
		console_printf("mantle: aarch64 cannot run guests yet; boot module ignored\n");
}
