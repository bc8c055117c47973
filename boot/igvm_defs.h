/* IGVM file format: the structures shared by the host tools (tools/igvm/) and the boot path (boot/igvm.c).
 *
 * Normative source: microsoft/igvm igvm_defs/src/lib.rs (its rustdoc is the specification; there is no
 * separate document) and the reference parser/serializer igvm/src/lib.rs. Section numbers "ref A.x"
 * point at ../shared/reference/snp-tdx-igvm.md, which summarises them. All fields are little-endian.
 *
 * File layout (ref A.1):
 *   fixed header | variable header (TLV list, each entry 8-byte aligned) | file data
 * A PAGE_DATA / PARAMETER_AREA / VP_CONTEXT `file_offset` is relative to the start of the file; 0 means
 * "no data" (a page of zeroes).
 */
#ifndef MANTLE_BOOT_IGVM_DEFS_H
#define MANTLE_BOOT_IGVM_DEFS_H

#include <stddef.h>
#include <stdint.h>

#define IGVM_PAGE_SIZE 4096u

/* ---- Fixed header (igvm_defs IGVM_FIXED_HEADER; ref A.2, A.3) ---------------------------------- */
#define IGVM_MAGIC_VALUE 0x4D564749u /* "IGVM" read as a little-endian u32 */
#define IGVM_FORMAT_VERSION_1 1u
#define IGVM_FORMAT_VERSION_2 2u

struct igvm_fixed_header {
	uint32_t magic;
	uint32_t format_version;
	uint32_t variable_header_offset; /* >= sizeof(fixed header), 8-byte aligned */
	uint32_t variable_header_size;
	uint32_t total_file_size;
	uint32_t checksum; /* CRC-32 (zlib) of fixed header with checksum = 0, then the variable header */
};
_Static_assert(sizeof(struct igvm_fixed_header) == 0x18, "igvm_defs IGVM_FIXED_HEADER is 24 bytes (ref A.2)");
_Static_assert(offsetof(struct igvm_fixed_header, checksum) == 0x14, "IGVM_FIXED_HEADER.checksum at 0x14");

/* Version 2 (unstable in the crate): adds architecture and page size. */
struct igvm_fixed_header_v2 {
	struct igvm_fixed_header v1;
	uint32_t architecture; /* 0 X64, 1 AARCH64 */
	uint32_t page_size;    /* must be 4096 */
};
_Static_assert(sizeof(struct igvm_fixed_header_v2) == 0x20, "igvm_defs IGVM_FIXED_HEADER_V2 is 32 bytes (ref A.2)");

/* ---- Variable header TLVs (ref A.5, A.6) -------------------------------------------------------- */
struct igvm_vhs_variable_header {
	uint32_t type;
	uint32_t length; /* unpadded content size; the next entry starts at align8(8 + length) */
};
_Static_assert(sizeof(struct igvm_vhs_variable_header) == 8, "IGVM_VHS_VARIABLE_HEADER is 8 bytes (ref A.5)");

#define IGVM_VHT_OPTIONAL_BIT 0x80000000u

enum igvm_vht {
	IGVM_VHT_SUPPORTED_PLATFORM = 0x001,
	IGVM_VHT_GUEST_POLICY = 0x101,
	IGVM_VHT_RELOCATABLE_REGION = 0x102,
	IGVM_VHT_PAGE_TABLE_RELOCATION_REGION = 0x103,
	IGVM_VHT_CORIM_DOCUMENT = 0x104,
	IGVM_VHT_CORIM_SIGNATURE = 0x105,
	IGVM_VHT_CCA_POLICY = 0x106,
	IGVM_VHT_PARAMETER_AREA = 0x301,
	IGVM_VHT_PAGE_DATA = 0x302,
	IGVM_VHT_PARAMETER_INSERT = 0x303,
	IGVM_VHT_VP_CONTEXT = 0x304,
	IGVM_VHT_REQUIRED_MEMORY = 0x305,
	IGVM_VHT_VP_COUNT_PARAMETER = 0x307,
	IGVM_VHT_SRAT = 0x308,
	IGVM_VHT_MADT = 0x309,
	IGVM_VHT_MMIO_RANGES = 0x30A,
	IGVM_VHT_SNP_ID_BLOCK = 0x30B,
	IGVM_VHT_MEMORY_MAP = 0x30C,
	IGVM_VHT_ERROR_RANGE = 0x30D,
	IGVM_VHT_COMMAND_LINE = 0x30E,
	IGVM_VHT_SLIT = 0x30F,
	IGVM_VHT_PPTT = 0x310,
	IGVM_VHT_VBS_MEASUREMENT = 0x311,
	IGVM_VHT_DEVICE_TREE = 0x312,
	IGVM_VHT_ENVIRONMENT_INFO_PARAMETER = 0x313,
};

/* Section ranges; sections appear in this order and never go back (ref A.5). */
#define IGVM_VHT_RANGE_PLATFORM_FIRST 0x001u
#define IGVM_VHT_RANGE_PLATFORM_LAST 0x100u
#define IGVM_VHT_RANGE_INIT_FIRST 0x101u
#define IGVM_VHT_RANGE_INIT_LAST 0x200u
#define IGVM_VHT_RANGE_DIRECTIVE_FIRST 0x301u
#define IGVM_VHT_RANGE_DIRECTIVE_LAST 0x400u

/* IgvmPlatformType (ref A.7); every platform_version is 1. */
enum igvm_platform_type {
	IGVM_PLATFORM_TYPE_NATIVE = 0,
	IGVM_PLATFORM_TYPE_VSM_ISOLATION = 1,
	IGVM_PLATFORM_TYPE_SEV_SNP = 2,
	IGVM_PLATFORM_TYPE_TDX = 3,
	IGVM_PLATFORM_TYPE_SEV = 4,
	IGVM_PLATFORM_TYPE_SEV_ES = 5,
	IGVM_PLATFORM_TYPE_CCA = 6,
};
#define IGVM_PLATFORM_VERSION 1u

struct igvm_vhs_supported_platform {
	uint32_t compatibility_mask; /* exactly one bit */
	uint8_t highest_vtl;         /* 0 or 2 */
	uint8_t platform_type;
	uint16_t platform_version;
	uint64_t shared_gpa_boundary; /* 0 = enlightened; must be 0 for NATIVE and VSM */
};
_Static_assert(sizeof(struct igvm_vhs_supported_platform) == 16, "IGVM_VHS_SUPPORTED_PLATFORM is 16 bytes (ref A.6)");
_Static_assert(offsetof(struct igvm_vhs_supported_platform, shared_gpa_boundary) == 8, "shared_gpa_boundary at 8");

struct igvm_vhs_guest_policy {
	uint64_t policy; /* SnpPolicy / TdxPolicy (ref A.9) */
	uint32_t compatibility_mask;
	uint32_t reserved;
};
_Static_assert(sizeof(struct igvm_vhs_guest_policy) == 16, "IGVM_VHS_GUEST_POLICY is 16 bytes (ref A.6)");

/* SnpPolicy bits (SEV-SNP ABI "Guest policy"; ref A.9). Bit 17 is reserved and must be 1. */
#define SNP_POLICY_SMT (1ull << 16)
#define SNP_POLICY_RESERVED_MBO (1ull << 17)
#define SNP_POLICY_MIGRATE_MA (1ull << 18)
#define SNP_POLICY_DEBUG (1ull << 19)
#define SNP_POLICY_SINGLE_SOCKET (1ull << 20)
/* TdxPolicy bits (ref A.9). */
#define TDX_POLICY_DEBUG_ALLOWED (1ull << 0)
#define TDX_POLICY_SEPT_VE_DISABLE (1ull << 1)

struct igvm_vhs_relocatable_region {
	uint32_t compatibility_mask;
	uint16_t vp_index;
	uint8_t vtl;
	uint8_t flags;
	uint64_t relocation_alignment;
	uint64_t relocation_region_gpa;
	uint64_t relocation_region_size;
	uint64_t minimum_relocation_gpa;
	uint64_t maximum_relocation_gpa;
};
_Static_assert(sizeof(struct igvm_vhs_relocatable_region) == 48, "IGVM_VHS_RELOCATABLE_REGION is 48 bytes (ref A.6)");

struct igvm_vhs_page_table_relocation {
	uint32_t compatibility_mask;
	uint16_t vp_index;
	uint8_t vtl;
	uint8_t reserved;
	uint64_t gpa;
	uint64_t size;
	uint64_t used_size;
};
_Static_assert(sizeof(struct igvm_vhs_page_table_relocation) == 32, "IGVM_VHS_PAGE_TABLE_RELOCATION is 32 bytes (ref A.6)");

struct igvm_vhs_parameter_area {
	uint64_t number_of_bytes; /* page aligned */
	uint32_t parameter_area_index;
	uint32_t file_offset; /* 0 = zero-filled */
};
_Static_assert(sizeof(struct igvm_vhs_parameter_area) == 16, "IGVM_VHS_PARAMETER_AREA is 16 bytes (ref A.6)");

/* IgvmPageDataFlags and IgvmPageDataType (ref A.6). */
#define IGVM_PAGE_DATA_FLAG_IS_2MB_PAGE (1u << 0)
#define IGVM_PAGE_DATA_FLAG_UNMEASURED (1u << 1)
#define IGVM_PAGE_DATA_FLAG_SHARED (1u << 2)
#define IGVM_PAGE_DATA_FLAGS_KNOWN 0x7u
enum igvm_page_data_type {
	IGVM_PAGE_DATA_TYPE_NORMAL = 0,
	IGVM_PAGE_DATA_TYPE_SECRETS = 1,
	IGVM_PAGE_DATA_TYPE_CPUID_DATA = 2,
	IGVM_PAGE_DATA_TYPE_CPUID_XF = 3,
};

struct igvm_vhs_page_data {
	uint64_t gpa;
	uint32_t compatibility_mask;
	uint32_t file_offset; /* 0 = a page of zeroes */
	uint32_t flags;
	uint16_t data_type;
	uint16_t reserved;
};
_Static_assert(sizeof(struct igvm_vhs_page_data) == 24, "IGVM_VHS_PAGE_DATA is 24 bytes (ref A.6)");
_Static_assert(offsetof(struct igvm_vhs_page_data, data_type) == 0x14, "IGVM_VHS_PAGE_DATA.data_type at 0x14");

struct igvm_vhs_parameter_insert {
	uint64_t gpa;
	uint32_t compatibility_mask;
	uint32_t parameter_area_index;
};
_Static_assert(sizeof(struct igvm_vhs_parameter_insert) == 16, "IGVM_VHS_PARAMETER_INSERT is 16 bytes (ref A.6)");

/* Body of VP_COUNT, SRAT, MADT, MMIO_RANGES, MEMORY_MAP, COMMAND_LINE, SLIT, PPTT, DEVICE_TREE and
 * ENVIRONMENT_INFO (ref A.10). */
struct igvm_vhs_parameter {
	uint32_t parameter_area_index;
	uint32_t byte_offset;
};
_Static_assert(sizeof(struct igvm_vhs_parameter) == 8, "IGVM_VHS_PARAMETER is 8 bytes (ref A.10)");

/* 20 bytes, so its TLV is padded to 24 (ref A.6). The packed attribute keeps the u64 gpa from
 * padding the struct to 24: the crate declares it u64_le (alignment 1). */
struct __attribute__((packed)) igvm_vhs_vp_context {
	uint64_t gpa; /* SNP/SEV-ES: VMSA GPA; 0 for NATIVE and VBS */
	uint32_t compatibility_mask;
	uint32_t file_offset;
	uint16_t vp_index;
	uint16_t reserved;
};
_Static_assert(sizeof(struct igvm_vhs_vp_context) == 20, "IGVM_VHS_VP_CONTEXT is 20 bytes (ref A.6)");
_Static_assert(offsetof(struct igvm_vhs_vp_context, vp_index) == 0x10, "IGVM_VHS_VP_CONTEXT.vp_index at 0x10");

#define IGVM_REQUIRED_MEMORY_FLAG_VTL2_PROTECTABLE (1u << 0)
struct igvm_vhs_required_memory {
	uint64_t gpa;
	uint32_t compatibility_mask;
	uint32_t number_of_bytes;
	uint32_t flags;
	uint32_t reserved;
};
_Static_assert(sizeof(struct igvm_vhs_required_memory) == 24, "IGVM_VHS_REQUIRED_MEMORY is 24 bytes (ref A.6)");

struct igvm_vhs_memory_range {
	uint64_t starting_gpa_page_number;
	uint64_t number_of_pages;
};
_Static_assert(sizeof(struct igvm_vhs_memory_range) == 16, "IGVM_VHS_MEMORY_RANGE is 16 bytes (ref A.6)");

struct igvm_vhs_error_range {
	uint64_t gpa;
	uint32_t compatibility_mask;
	uint32_t size_bytes;
};
_Static_assert(sizeof(struct igvm_vhs_error_range) == 16, "IGVM_VHS_ERROR_RANGE is 16 bytes (ref A.6)");

/* SNP ID block (ref A.6; SEV-SNP ABI SNP_LAUNCH_FINISH ID_BLOCK / ID_AUTH). */
struct igvm_vhs_snp_id_block_signature {
	uint8_t r_comp[72];
	uint8_t s_comp[72];
};
struct igvm_vhs_snp_id_block_public_key {
	uint32_t curve; /* 2 = P-384 (SEV-SNP ABI) */
	uint32_t reserved;
	uint8_t qx[72];
	uint8_t qy[72];
};
_Static_assert(sizeof(struct igvm_vhs_snp_id_block_signature) == 144, "ID block signature is 144 bytes (ref A.6)");
_Static_assert(sizeof(struct igvm_vhs_snp_id_block_public_key) == 152, "ID block public key is 152 bytes (ref A.6)");

struct igvm_vhs_snp_id_block {
	uint32_t compatibility_mask;
	uint8_t author_key_enabled;
	uint8_t reserved[3];
	uint8_t ld[48];
	uint8_t family_id[16];
	uint8_t image_id[16];
	uint32_t version;
	uint32_t guest_svn;
	uint32_t id_key_algorithm;     /* 1 = ECDSA P-384 with SHA-384 */
	uint32_t author_key_algorithm;
	struct igvm_vhs_snp_id_block_signature id_key_signature;
	struct igvm_vhs_snp_id_block_public_key id_public_key;
	struct igvm_vhs_snp_id_block_signature author_key_signature;
	struct igvm_vhs_snp_id_block_public_key author_public_key;
};
_Static_assert(sizeof(struct igvm_vhs_snp_id_block) == 0x2B8, "IGVM_VHS_SNP_ID_BLOCK is 0x2B8 bytes (ref A.6)");
_Static_assert(offsetof(struct igvm_vhs_snp_id_block, id_key_signature) == 0x68, "id_key_signature at 0x68");
_Static_assert(offsetof(struct igvm_vhs_snp_id_block, id_public_key) == 0xF8, "id_public_key at 0xF8");
_Static_assert(offsetof(struct igvm_vhs_snp_id_block, author_public_key) == 0x220, "author_public_key at 0x220");

struct igvm_vhs_vbs_measurement {
	uint32_t compatibility_mask;
	uint32_t version;
	uint32_t product_id;
	uint32_t module_id;
	uint32_t security_version;
	uint32_t policy_flags;
	uint32_t boot_digest_algo;
	uint32_t signing_algo;
	uint8_t boot_measurement_digest[64];
	uint8_t signature[256];
	uint8_t public_key[512];
};
_Static_assert(sizeof(struct igvm_vhs_vbs_measurement) == 0x360, "IGVM_VHS_VBS_MEASUREMENT is 0x360 bytes (ref A.6)");

/* Known initialization/directive sizes that are not a struct above. */
#define IGVM_VHS_CORIM_SIZE 16u
#define IGVM_VHS_CCA_POLICY_SIZE 32u

/* ---- Parameter contents the loader writes (ref A.10) -------------------------------------------- */
enum igvm_memory_map_entry_type {
	IGVM_MEMORY_MAP_ENTRY_TYPE_MEMORY = 0,
	IGVM_MEMORY_MAP_ENTRY_TYPE_PLATFORM_RESERVED = 1,
	IGVM_MEMORY_MAP_ENTRY_TYPE_PERSISTENT = 2,
	IGVM_MEMORY_MAP_ENTRY_TYPE_VTL2_PROTECTABLE = 3,
	IGVM_MEMORY_MAP_ENTRY_TYPE_SPECIFIC_PURPOSE = 4,
	IGVM_MEMORY_MAP_ENTRY_TYPE_HIDDEN = 5,
};

/* Sorted; the list ends at the first entry with number_of_pages == 0. */
struct igvm_vhs_memory_map_entry {
	uint64_t starting_gpa_page_number;
	uint64_t number_of_pages;
	uint16_t entry_type;
	uint16_t flags;
	uint32_t reserved;
};
_Static_assert(sizeof(struct igvm_vhs_memory_map_entry) == 24, "IGVM_VHS_MEMORY_MAP_ENTRY is 24 bytes (ref A.10)");
_Static_assert(offsetof(struct igvm_vhs_memory_map_entry, entry_type) == 0x10, "entry_type at 0x10");

/* ---- VP context file data (ref A.11) ------------------------------------------------------------ */

/* VBS: a u32 register count, then this 32-byte entry per register. The value is a Hyper-V
 * HV_REGISTER_VALUE: a u64 for plain registers, {u64 base; u32 limit; u16 selector; u16 attributes}
 * for segments, {u16 pad[3]; u16 limit; u64 base} for GDTR/IDTR (igvm hv_defs.rs). */
struct __attribute__((packed)) igvm_vbs_vp_context_register {
	uint8_t vtl;
	uint32_t register_name; /* Hyper-V TLFS HV_REGISTER_NAME */
	uint8_t mbz[11];
	uint8_t register_value[16];
};
_Static_assert(sizeof(struct igvm_vbs_vp_context_register) == 0x20, "VbsVpContextRegister is 32 bytes (ref A.11)");
_Static_assert(offsetof(struct igvm_vbs_vp_context_register, register_value) == 0x10, "register_value at 0x10");

/* HV_REGISTER_NAME values (Hyper-V TLFS; igvm hv_defs.rs HvX64RegisterName). */
#define HV_X64_REGISTER_RSP 0x00020004u
#define HV_X64_REGISTER_RBP 0x00020005u
#define HV_X64_REGISTER_RSI 0x00020006u
#define HV_X64_REGISTER_RIP 0x00020010u
#define HV_X64_REGISTER_RFLAGS 0x00020011u
#define HV_X64_REGISTER_CR0 0x00040000u
#define HV_X64_REGISTER_CR3 0x00040002u
#define HV_X64_REGISTER_CR4 0x00040003u
#define HV_X64_REGISTER_ES 0x00060000u
#define HV_X64_REGISTER_CS 0x00060001u
#define HV_X64_REGISTER_SS 0x00060002u
#define HV_X64_REGISTER_DS 0x00060003u
#define HV_X64_REGISTER_FS 0x00060004u
#define HV_X64_REGISTER_GS 0x00060005u
#define HV_X64_REGISTER_TR 0x00060007u
#define HV_X64_REGISTER_IDTR 0x00070000u
#define HV_X64_REGISTER_GDTR 0x00070001u
#define HV_X64_REGISTER_EFER 0x00080001u
#define HV_X64_REGISTER_PAT 0x00080004u

/* NATIVE (crate: IgvmNativeVpContextX64; declared for format v2, parsed in any version by the
 * reference parser); the rest of its 4 KiB page must be zero (ref A.11). */
struct __attribute__((packed)) igvm_native_vp_context_x64 {
	uint64_t rax, rcx, rdx, rbx, rsp, rbp, rsi, rdi;
	uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
	uint64_t rip;
	uint64_t rflags;
	uint64_t idtr_base;
	uint16_t idtr_limit;
	uint16_t reserved[2];
	uint16_t gdtr_limit;
	uint64_t gdtr_base;
	uint16_t code_selector;
	uint16_t code_attributes;
	uint32_t code_base;
	uint32_t code_limit;
	uint16_t data_selector;
	uint16_t data_attributes;
	uint32_t data_base;
	uint32_t data_limit;
	uint64_t gs_base;
	uint64_t cr0;
	uint64_t cr3;
	uint64_t cr4;
	uint64_t efer;
};
_Static_assert(sizeof(struct igvm_native_vp_context_x64) == 0xE8, "IgvmNativeVpContextX64 is 0xE8 bytes (ref A.11)");
_Static_assert(offsetof(struct igvm_native_vp_context_x64, rip) == 0x80, "native rip at 0x80");
_Static_assert(offsetof(struct igvm_native_vp_context_x64, gdtr_limit) == 0x9E, "native gdtr_limit at 0x9E");
_Static_assert(offsetof(struct igvm_native_vp_context_x64, code_selector) == 0xA8, "native code selector at 0xA8");
_Static_assert(offsetof(struct igvm_native_vp_context_x64, gs_base) == 0xC0, "native gs_base at 0xC0");
_Static_assert(offsetof(struct igvm_native_vp_context_x64, efer) == 0xE0, "native efer at 0xE0");

/* SEV-SNP VMSA (AMD64 APM Vol 2 Appendix B, "VMSA / State Save Area"; ref D.6). Only the fields
 * Mantle's initial BSP state sets are named; the rest of the 4 KiB page stays zero. */
struct snp_vmsa_segment {
	uint16_t selector;
	uint16_t attrib;
	uint32_t limit;
	uint64_t base;
};
_Static_assert(sizeof(struct snp_vmsa_segment) == 16, "VMSA segment is 16 bytes (APM Vol 2 App. B)");

struct snp_vmsa {
	struct snp_vmsa_segment es, cs, ss, ds, fs, gs, gdtr, ldtr, idtr, tr; /* 0x000 */
	uint8_t reserved_0a0[0x0CA - 0x0A0];
	uint8_t vmpl;                                                       /* 0x0CA */
	uint8_t cpl;
	uint8_t reserved_0cc[4];
	uint64_t efer;                                                      /* 0x0D0 */
	uint8_t reserved_0d8[0x148 - 0x0D8];
	uint64_t cr4, cr3, cr0, dr7, dr6, rflags, rip;                      /* 0x148 */
	uint8_t reserved_180[0x1D8 - 0x180];
	uint64_t rsp;                                                       /* 0x1D8 */
	uint8_t reserved_1e0[0x268 - 0x1E0];
	uint64_t g_pat;                                                     /* 0x268 */
	uint8_t reserved_270[0x3B0 - 0x270];
	uint64_t sev_features;                                              /* 0x3B0 */
	uint64_t vintr_ctrl;
	uint64_t guest_exit_code;
	uint64_t virtual_tom;                                               /* 0x3C8 */
	uint8_t reserved_3d0[0x3E8 - 0x3D0];
	uint64_t xcr0;                                                      /* 0x3E8 */
	uint8_t reserved_3f0[0x408 - 0x3F0];
	uint32_t mxcsr;                                                     /* 0x408 */
	uint16_t x87_ftw, x87_fsw, x87_fcw;                                 /* 0x40C */
	uint8_t reserved_412[IGVM_PAGE_SIZE - 0x412];
};
_Static_assert(sizeof(struct snp_vmsa) == 4096, "the VMSA is one 4 KiB page (APM Vol 2 App. B)");
_Static_assert(offsetof(struct snp_vmsa, tr) == 0x090, "VMSA TR at 0x090");
_Static_assert(offsetof(struct snp_vmsa, vmpl) == 0x0CA, "VMSA VMPL at 0x0CA");
_Static_assert(offsetof(struct snp_vmsa, efer) == 0x0D0, "VMSA EFER at 0x0D0");
_Static_assert(offsetof(struct snp_vmsa, cr4) == 0x148, "VMSA CR4 at 0x148");
_Static_assert(offsetof(struct snp_vmsa, cr0) == 0x158, "VMSA CR0 at 0x158");
_Static_assert(offsetof(struct snp_vmsa, rip) == 0x178, "VMSA RIP at 0x178");
_Static_assert(offsetof(struct snp_vmsa, rsp) == 0x1D8, "VMSA RSP at 0x1D8");
_Static_assert(offsetof(struct snp_vmsa, g_pat) == 0x268, "VMSA G_PAT at 0x268");
_Static_assert(offsetof(struct snp_vmsa, sev_features) == 0x3B0, "VMSA SEV_FEATURES at 0x3B0");
_Static_assert(offsetof(struct snp_vmsa, virtual_tom) == 0x3C8, "VMSA VIRTUAL_TOM at 0x3C8");
_Static_assert(offsetof(struct snp_vmsa, xcr0) == 0x3E8, "VMSA XCR0 at 0x3E8");
_Static_assert(offsetof(struct snp_vmsa, mxcsr) == 0x408, "VMSA MXCSR at 0x408");
_Static_assert(offsetof(struct snp_vmsa, x87_fcw) == 0x410, "VMSA x87 FCW at 0x410");

/* SEV_FEATURES bits (VMSA 0x3B0; ref D.7). */
#define SEV_FEATURES_SNP (1ull << 0)
#define SEV_FEATURES_VTOM (1ull << 1)
#define SEV_FEATURES_REFLECT_VC (1ull << 2)
#define SEV_FEATURES_RESTRICTED_INJECTION (1ull << 3)
#define SEV_FEATURES_ALTERNATE_INJECTION (1ull << 4)

#endif
