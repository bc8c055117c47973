/* placeholder replaced below */
#include "tests/sim/snp_sim.h"
void snp_sim_guest_run(uint8_t vmpl) { (void)vmpl; }
