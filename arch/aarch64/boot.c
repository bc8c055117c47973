/* aarch64 boot: everything Mantle needs from the device tree is copied into struct boot_info and
 * struct aarch64_platform here, before core_main() runs; the DTB is never read afterwards.
 *
 * The DTB is loader input: a malformed one is reported and ends the run, it never crashes it.
 */
#include "core/arch.h"
#include "core/bootinfo.h"
#include "core/console.h"
#include "core/fdt.h"
#include "core/str.h"

#include "arch/aarch64/aarch64.h"

struct aarch64_platform aarch64_plat = { .uart = AARCH64_DEFAULT_UART };

static struct boot_info boot_info;

static void add_range(struct boot_info *bi, uint64_t base, uint64_t size, uint32_t type,
		      const char *what)
{
	enum memmap_status st = memmap_add(&bi->mem, base, size, type);

	if (st != MEMMAP_OK && st != MEMMAP_EMPTY_RANGE)
		console_printf("aarch64: ignoring %s [%llx+%llx] (memmap status %d)\n", what,
			       (unsigned long long)base, (unsigned long long)size, (int)st);
}

/* Adds every `reg` entry of `node` (cells from `parent`) as `type`; returns the count added. */
static unsigned add_reg(struct boot_info *bi, const struct fdt *f, uint32_t parent, uint32_t node,
			uint32_t type, const char *what)
{
	struct fdt_cells cells;
	uint64_t base, size;
	unsigned n = 0;

	if (fdt_cells(f, parent, &cells) != FDT_OK) {
		console_printf("aarch64: %s: unusable #address-cells/#size-cells\n", fdt_node_name(f, node));
		return 0;
	}
	for (uint32_t i = 0; fdt_reg(f, node, cells, i, &base, &size) == FDT_OK; i++, n++)
		add_range(bi, base, size, type, what);
	return n;
}

static bool is_memory_node(const struct fdt *f, uint32_t node)
{
	const char *type;

	return fdt_prop_string(f, node, "device_type", &type) == FDT_OK && strcmp(type, "memory") == 0;
}

static bool is_disabled(const struct fdt *f, uint32_t node)
{
	const char *status;

	return fdt_prop_string(f, node, "status", &status) == FDT_OK && strcmp(status, "okay") != 0 &&
	       strcmp(status, "ok") != 0;
}

/* /memory nodes, /reserved-memory children, the memreserve block; then the DTB and the image. */
static void read_memory(struct boot_info *bi, const struct fdt *f)
{
	uint32_t node, rsv;
	uint64_t addr, size;
	unsigned ram = 0;

	for (enum fdt_status st = fdt_first_child(f, f->root, &node); st == FDT_OK;
	     st = fdt_next_sibling(f, node, &node)) {
		if (is_memory_node(f, node) && !is_disabled(f, node))
			ram += add_reg(bi, f, f->root, node, MEM_USABLE, "memory");
	}
	if (ram == 0)
		console_printf("aarch64: the device tree describes no memory\n");
	if (fdt_path(f, "/reserved-memory", &rsv) == FDT_OK) {
		for (enum fdt_status st = fdt_first_child(f, rsv, &node); st == FDT_OK;
		     st = fdt_next_sibling(f, node, &node))
			(void)add_reg(bi, f, rsv, node, MEM_RESERVED, "reserved-memory");
	}
	for (uint32_t i = 0; fdt_memreserve(f, i, &addr, &size) == FDT_OK; i++)
		add_range(bi, addr, size, MEM_RESERVED, "memreserve");
	add_range(bi, bi->fdt, bi->fdt_size, MEM_RESERVED, "device tree");
	add_range(bi, bi->image_base, bi->image_end - bi->image_base, MEM_MANTLE, "image");
}

/* Root-level devices' MMIO windows, which the MMU maps as Device memory. */
static void read_devices(const struct fdt *f)
{
	struct fdt_cells cells;
	uint32_t node;
	uint64_t base, size;

	if (fdt_cells(f, f->root, &cells) != FDT_OK)
		return;
	for (enum fdt_status st = fdt_first_child(f, f->root, &node); st == FDT_OK;
	     st = fdt_next_sibling(f, node, &node)) {
		if (is_memory_node(f, node) || is_disabled(f, node))
			continue;
		for (uint32_t i = 0; fdt_reg(f, node, cells, i, &base, &size) == FDT_OK; i++) {
			if (size == 0)
				continue;
			if (aarch64_plat.device_count == AARCH64_MAX_DEVICES) {
				console_printf("aarch64: more than %u device ranges; %s not mapped\n",
					       AARCH64_MAX_DEVICES, fdt_node_name(f, node));
				return;
			}
			aarch64_plat.devices[aarch64_plat.device_count++] =
				(struct aarch64_range){ .base = base, .size = size };
		}
	}
}

/* /chosen/stdout-path ("/pl011@9000000:115200n8" or an alias) naming an arm,pl011 node whose
 * reg covers at least UARTDR..UARTFR. */
static void read_console(const struct fdt *f, uint32_t chosen)
{
	char path[128];
	const char *sp;
	uint32_t node, parent;
	struct fdt_cells cells;
	uint64_t base, size;

	if (fdt_prop_string(f, chosen, "stdout-path", &sp) != FDT_OK)
		return;
	size_t len = 0;
	while (sp[len] && sp[len] != ':' && len < sizeof(path) - 1) {
		path[len] = sp[len];
		len++;
	}
	path[len] = '\0';
	if (path[0] != '/') {
		uint32_t aliases;
		const char *target;
		if (fdt_path(f, "/aliases", &aliases) != FDT_OK ||
		    fdt_prop_string(f, aliases, path, &target) != FDT_OK)
			return;
		str_copy(path, target, sizeof(path));
	}
	if (fdt_path(f, path, &node) != FDT_OK || !fdt_prop_has_string(f, node, "compatible", "arm,pl011"))
		return;
	if (fdt_parent(f, node, &parent) != FDT_OK || fdt_cells(f, parent, &cells) != FDT_OK ||
	    fdt_reg(f, node, cells, 0, &base, &size) != FDT_OK || size < 0x1c)
		return;
	aarch64_plat.uart = base;
	aarch64_console_set_base(base);
}

static void read_chosen(struct boot_info *bi, const struct fdt *f)
{
	uint32_t chosen;
	const char *args;
	uint64_t start, end;

	if (fdt_path(f, "/chosen", &chosen) != FDT_OK)
		return;
	read_console(f, chosen);
	if (fdt_prop_string(f, chosen, "bootargs", &args) == FDT_OK &&
	    str_copy(bi->cmdline, args, sizeof(bi->cmdline)) >= sizeof(bi->cmdline))
		console_printf("aarch64: command line truncated to %u bytes\n", BOOTINFO_CMDLINE_MAX - 1);
	if (fdt_prop_u64(f, chosen, "linux,initrd-start", &start) == FDT_OK &&
	    fdt_prop_u64(f, chosen, "linux,initrd-end", &end) == FDT_OK) {
		if (end > start) {
			bi->modules[0].base = start;
			bi->modules[0].size = end - start;
			bi->modules[0].cmdline[0] = '\0';
			bi->module_count = 1;
		} else {
			console_printf("aarch64: ignoring initrd with end 0x%llx <= start 0x%llx\n",
				       (unsigned long long)end, (unsigned long long)start);
		}
	}
}

static void read_psci(const struct fdt *f)
{
	uint32_t psci;
	const char *method;

	if (fdt_path(f, "/psci", &psci) != FDT_OK || fdt_prop_string(f, psci, "method", &method) != FDT_OK)
		return;
	if (strcmp(method, "smc") == 0)
		aarch64_plat.psci = PSCI_CONDUIT_SMC;
	else if (strcmp(method, "hvc") == 0)
		aarch64_plat.psci = PSCI_CONDUIT_HVC;
}

void arch_boot(uint64_t dtb)
{
	struct boot_info *bi = &boot_info;
	struct fdt f;
	enum fdt_status st = FDT_ERR_BADLAYOUT;

	memmap_init(&bi->mem);
	bi->loader = "linux-arm64";
	bi->image_base = (uint64_t)(uintptr_t)__image_start;
	bi->image_end = (uint64_t)(uintptr_t)__image_end;
	/* The boot protocol requires an 8-byte aligned DTB of at most 2 MiB (FDT_MAX_SIZE). */
	if (dtb != 0 && dtb % 8 == 0)
		st = fdt_init(&f, (const void *)(uintptr_t)dtb, FDT_MAX_SIZE);
	if (st != FDT_OK) {
		console_printf("mantle: PANIC: no usable device tree at 0x%llx (%s)\n",
			       (unsigned long long)dtb, fdt_strerror(st));
		arch_exit(MANTLE_EXIT_PANIC);
	}
	if (dtb < bi->image_end && bi->image_base < dtb + f.size) {
		console_printf("mantle: PANIC: device tree [%llx+%x] overlaps the image\n",
			       (unsigned long long)dtb, f.size);
		arch_exit(MANTLE_EXIT_PANIC);
	}
	bi->fdt = dtb;
	bi->fdt_size = f.size;
	read_chosen(bi, &f);
	read_psci(&f);
	read_memory(bi, &f);
	read_devices(&f);
	core_main(bi);
}
