/* Where Mantle's IGVM file puts things in guest-physical memory. tools/igvm/igvmgen.c writes these pages;
 * arch/x86_64/igvm_entry.S and boot/igvm.c read them. Changing a value here changes the launch
 * measurement. The boot region sits directly below the image so one claim covers both.
 *
 *   0x00FF0000  boot PML4           measured (PAGE_DATA)        identity map of the low 4 GiB
 *   0x00FF1000  boot PDPT           measured                    (2 MiB pages, NX clear, RW)
 *   0x00FF2000  4 boot PDs          measured
 *   0x00FF6000  manifest            measured                    struct igvm_mantle_manifest
 *   0x00FF7000  command line        parameter area 1, unmeasured  COMMAND_LINE at offset 0
 *   0x00FF8000  vp count            parameter area 2, unmeasured  VP_COUNT_PARAMETER at offset 0
 *   0x00FF9000  memory map (2 pg)   parameter area 0, unmeasured  MEMORY_MAP at offset 0
 *   0x00FFB000  SNP secrets page    SNP only (SECRETS)
 *   0x00FFC000  SNP CPUID page      SNP only (CPUID_DATA)
 *   0x00FFD000  SNP VMSA of the BSP SNP only (VP_CONTEXT gpa; not 2 MiB aligned, ref D.5)
 *   0x00FFE000  (two spare pages)
 *   0x01000000  Mantle's ELF image  measured, every page of every PT_LOAD segment (.bss as zero pages)
 *   above       optional guest bundle, 2 MiB aligned, measured
 *   0xFFFFF000  TDX reset-vector page  TDX only: `jmp igvm_start32` at 0xFFFFFFF0 (ref C.4)
 */
#ifndef MANTLE_BOOT_IGVM_LAYOUT_H
#define MANTLE_BOOT_IGVM_LAYOUT_H

#define IGVM_LAYOUT_BASE 0x00FF0000
#define IGVM_PT_PML4_GPA 0x00FF0000
#define IGVM_PT_PDPT_GPA 0x00FF1000
#define IGVM_PT_PD_GPA 0x00FF2000 /* four consecutive pages */
#define IGVM_PT_PAGES 6
#define IGVM_MANIFEST_GPA 0x00FF6000
#define IGVM_CMDLINE_GPA 0x00FF7000
#define IGVM_CMDLINE_BYTES 0x1000
#define IGVM_VPCOUNT_GPA 0x00FF8000
#define IGVM_VPCOUNT_BYTES 0x1000
#define IGVM_MEMMAP_GPA 0x00FF9000
#define IGVM_MEMMAP_BYTES 0x2000
#define IGVM_SNP_SECRETS_GPA 0x00FFB000
#define IGVM_SNP_CPUID_GPA 0x00FFC000
#define IGVM_SNP_VMSA_GPA 0x00FFD000
#define IGVM_LAYOUT_END 0x00FFE000
/* The ELF image starts 64 KiB above the boot region; [IGVM_LAYOUT_END, IGVM_IMAGE_GPA) is not loaded. */
#define IGVM_IMAGE_GPA 0x01000000
#define IGVM_TDX_RESET_PAGE_GPA 0xFFFFF000

/* Parameter area indices (IGVM_VHS_PARAMETER_AREA.parameter_area_index). */
#define IGVM_AREA_MEMMAP 0
#define IGVM_AREA_CMDLINE 1
#define IGVM_AREA_VPCOUNT 2

/* Compatibility-mask bits, one per SUPPORTED_PLATFORM in Mantle's file. */
#define IGVM_MASK_SNP 0x1
#define IGVM_MASK_TDX 0x2
#define IGVM_MASK_VSM 0x4
#define IGVM_MASK_NATIVE 0x8
#define IGVM_MASK_ALL 0xF

/* vTOM on SNP: GPAs at or above this are host-shared, below are private; no C-bit needed in page
 * tables (SEV_FEATURES.vTOM, ref D.7). Also the SNP SUPPORTED_PLATFORM shared_gpa_boundary. */
#define IGVM_SNP_VTOM 0x0000400000000000 /* 2^46 */

#ifndef __ASSEMBLY__
#include <stdint.h>

#define IGVM_MANIFEST_MAGIC 0x4C544E4Du /* "MNTL" */
#define IGVM_MANIFEST_VERSION 1u
#define IGVM_MANIFEST_CMDLINE_MAX 1024u

/* The measured page igvmgen writes at IGVM_MANIFEST_GPA: what the build put in the file, so the
 * boot path learns it from measured memory rather than from the host. */
struct igvm_mantle_manifest {
	uint32_t magic;
	uint32_t version;
	uint64_t image_base;  /* IGVM_LAYOUT_BASE: the boot region, then the ELF's PT_LOAD pages, */
	uint64_t image_end;   /* up to image_end (page aligned) */
	uint64_t bundle_base; /* guest bundle, 0/0 if none */
	uint64_t bundle_size;
	char cmdline[IGVM_MANIFEST_CMDLINE_MAX]; /* build-time command line, NUL-terminated */
};
_Static_assert(sizeof(struct igvm_mantle_manifest) == 40 + IGVM_MANIFEST_CMDLINE_MAX,
	       "manifest layout is fixed: it is measured");
#endif

#endif
