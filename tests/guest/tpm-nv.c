/* Runs inside the Linux guest: raw TPM 2.0 commands through /dev/tpmrm0 for the guest-reset test
 * (tests/qemu/guest-linux.sh): define and write an owner NV index, read it back, read PCR 16.
 *   tpm-nv define | write TEXT | read | pcr16
 * Prints what it read; exits 0 on TPM_RC_SUCCESS, 1 otherwise. Built static for the initramfs. */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define NV_INDEX 0x01500016u
#define OWNER 0x40000001u

static uint8_t cmd[256], rsp[256];
static size_t n;

static void u8(uint8_t v) { cmd[n++] = v; }
static void u16(uint16_t v) { u8((uint8_t)(v >> 8)); u8((uint8_t)v); }
static void u32(uint32_t v) { u16((uint16_t)(v >> 16)); u16((uint16_t)v); }

static void start(uint32_t cc)
{
	n = 0;
	u16(0x8002);  /* TPM_ST_SESSIONS */
	u32(0);       /* size, set in run() */
	u32(cc);
}

static void pw_session(void)
{
	u32(9);           /* authorization area size */
	u32(0x40000009);  /* TPM_RS_PW */
	u16(0);           /* nonce */
	u8(0);            /* attributes */
	u16(0);           /* empty password */
}

static int run(void)
{
	int fd = open("/dev/tpmrm0", O_RDWR);
	ssize_t got;

	cmd[2] = (uint8_t)(n >> 24);
	cmd[3] = (uint8_t)(n >> 16);
	cmd[4] = (uint8_t)(n >> 8);
	cmd[5] = (uint8_t)n;
	if (fd < 0 || write(fd, cmd, n) != (ssize_t)n || (got = read(fd, rsp, sizeof(rsp))) < 10)
		return -1;
	close(fd);
	uint32_t rc = (uint32_t)rsp[6] << 24 | (uint32_t)rsp[7] << 16 | (uint32_t)rsp[8] << 8 | rsp[9];
	if (rc)
		printf("rc 0x%x\n", rc);
	return rc ? -1 : (int)got;
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "define")) {
		start(0x12a); /* TPM2_NV_DefineSpace */
		u32(OWNER);
		pw_session();
		u16(0);                         /* auth */
		u16(4 + 2 + 4 + 2 + 2);         /* TPM2B_NV_PUBLIC size */
		u32(NV_INDEX);
		u16(0x000b);                    /* nameAlg SHA-256 */
		u32(0x00000002u | 0x00020000u); /* OWNERWRITE | OWNERREAD, ordinary index */
		u16(0);                         /* authPolicy */
		u16(8);                         /* dataSize */
		return run() < 0;
	}
	if (argc > 2 && !strcmp(argv[1], "write")) {
		size_t len = strlen(argv[2]) > 8 ? 8 : strlen(argv[2]);
		start(0x137); /* TPM2_NV_Write */
		u32(OWNER);
		u32(NV_INDEX);
		pw_session();
		u16((uint16_t)len);
		memcpy(cmd + n, argv[2], len);
		n += len;
		u16(0);       /* offset */
		return run() < 0;
	}
	if (argc > 1 && !strcmp(argv[1], "read")) {
		start(0x14e); /* TPM2_NV_Read */
		u32(OWNER);
		u32(NV_INDEX);
		pw_session();
		u16(8);
		u16(0);
		if (run() < 16)
			return 1;
		/* header(10) parameterSize(4) TPM2B size(2) data */
		printf("%.8s\n", (const char *)rsp + 16);
		return 0;
	}
	if (argc > 1 && !strcmp(argv[1], "pcr16")) {
		n = 0;
		u16(0x8001);
		u32(0);
		u32(0x17e);   /* TPM2_PCR_Read, SHA-256 bank, PCR 16 */
		u32(1);
		u16(0x000b);
		u8(3);
		u8(0);
		u8(0);
		u8(0x01);
		if (run() < 60)
			return 1;
		for (int i = 0; i < 32; i++)
			printf("%02x", rsp[10 + 4 + 10 + 4 + 2 + i]);
		printf("\n");
		return 0;
	}
	fprintf(stderr, "usage: tpm-nv define | write TEXT | read | pcr16\n");
	return 2;
}
