/* The Linux boot-protocol header that makes tguest.bin look like a bzImage to Mantle's loader
 * (boot/linux.c linux_parse()). Layout from Documentation/arch/x86/boot.rst, "The real-mode kernel
 * header": the setup part is (setup_sects + 1) * 512 bytes, the protected-mode part follows it and is
 * what the loader copies to the load address. Nothing in the setup part ever runs: Mantle enters the
 * 32-bit entry point directly. */

	.section .setup, "a"
	.globl tguest_setup
tguest_setup:
	.org 0x1f1
	.byte 1				/* setup_sects: the setup part is 2 * 512 bytes */
	.word 0				/* root_flags */
	.long tguest_syssize		/* syssize: protected-mode part in 16-byte units */
	.word 0				/* ram_size (obsolete) */
	.word 0				/* vid_mode */
	.word 0				/* root_dev */
	.word 0xaa55			/* boot_flag */
	.org 0x200
	.byte 0xeb			/* jump: a short jmp over the header... */
	.byte hdr_end - tguest_setup - 0x202 /* ...whose length tells the loader where the header ends */
	.ascii "HdrS"			/* 0x202 header */
	.word 0x020f			/* 0x206 version 2.15 */
	.long 0				/* 0x208 realmode_swtch */
	.word 0				/* 0x20c start_sys_seg */
	.word 0				/* 0x20e kernel_version */
	.byte 0				/* 0x210 type_of_loader (the loader writes it) */
	.byte 0x01			/* 0x211 loadflags: LOADED_HIGH */
	.word 0				/* 0x212 setup_move_size */
	.long 0x2000000			/* 0x214 code32_start (the loader writes the real one) */
	.long 0				/* 0x218 ramdisk_image */
	.long 0				/* 0x21c ramdisk_size */
	.long 0				/* 0x220 bootsect_kludge */
	.word 0				/* 0x224 heap_end_ptr */
	.byte 0				/* 0x226 ext_loader_ver */
	.byte 0				/* 0x227 ext_loader_type */
	.long 0				/* 0x228 cmd_line_ptr */
	.long 0x7fffffff		/* 0x22c initrd_addr_max */
	.long 0x200000			/* 0x230 kernel_alignment: 2 MiB, so Mantle loads us at 32 MiB */
	.byte 1				/* 0x234 relocatable_kernel (Mantle requires it) */
	.byte 21			/* 0x235 min_alignment: log2(2 MiB) */
	.word 0				/* 0x236 xloadflags */
	.long 255			/* 0x238 cmdline_size */
	.long 0				/* 0x23c hardware_subarch */
	.quad 0				/* 0x240 hardware_subarch_data */
	.long 0				/* 0x248 payload_offset */
	.long 0				/* 0x24c payload_length */
	.quad 0				/* 0x250 setup_data */
	.quad 0x2000000			/* 0x258 pref_address */
	.long tguest_init_size		/* 0x260 init_size: image + bss from the load address */
	.long 0				/* 0x264 handover_offset */
hdr_end:
	.org 0x400			/* end of the setup part */
