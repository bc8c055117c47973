#include "core/tee.h"

#include "core/str.h"

extern const struct tee_backend *const __start_mantle_tee[], *const __stop_mantle_tee[];

const struct tee_backend *tee_select(const char *want)
{
	const struct tee_backend *best = NULL;

	for (const struct tee_backend *const *b = __start_mantle_tee; b < __stop_mantle_tee; b++) {
		if (want[0] && strcmp(want, (*b)->name) != 0)
			continue;
		if (best && (*b)->priority <= best->priority)
			continue;
		if ((*b)->probe())
			best = *b;
	}
	return best;
}
