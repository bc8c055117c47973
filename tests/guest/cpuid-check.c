/* Runs inside the Linux guest: checks what CPUID tells the guest about Mantle (docs/guest-interface.md).
 * Prints one line of findings; exits 0 only if every check holds. Built static for the initramfs. */
#include <cpuid.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

struct regs {
	uint32_t a, b, c, d;
};

static struct regs leaf(uint32_t l, uint32_t s)
{
	struct regs r;

	__cpuid_count(l, s, r.a, r.b, r.c, r.d);
	return r;
}

int main(void)
{
	int bad = 0;
	struct regs r = leaf(1, 0);
	if (!(r.c & (1u << 31))) {
		printf("no hypervisor bit; ");
		bad++;
	}

	r = leaf(0x40000000, 0);
	char sig[13];
	memcpy(sig, &r.b, 4);
	memcpy(sig + 4, &r.c, 4);
	memcpy(sig + 8, &r.d, 4);
	sig[12] = '\0';
	printf("signature '%s' max 0x%x; ", sig, r.a);
	if (strcmp(sig, "MantlePVisor") != 0 || r.a < 0x40000002) {
		printf("wrong signature; ");
		bad++;
	}

	r = leaf(0x40000001, 0);
	printf("version %u.%u.%u; ", r.a >> 16, (r.a >> 8) & 0xff, r.a & 0xff);

	r = leaf(0x40000002, 0);
	printf("isolation: paravisor=%u type=%u; ", r.a & 1, r.b & 0xf);
	if (!(r.a & 1) || (r.b & 0xf) != 0) {
		printf("wrong isolation leaf; ");
		bad++;
	}

	r = leaf(0x80000001, 0);
	if (r.c & (1u << 2)) {
		printf("SVM visible; ");
		bad++;
	}
	r = leaf(0x8000000a, 0);
	if (r.a | r.b | r.c | r.d) {
		printf("SVM leaf not hidden; ");
		bad++;
	}
	r = leaf(0x8000001f, 0);
	if (r.a | r.b | r.c | r.d) {
		printf("SEV leaf not hidden; ");
		bad++;
	}
	printf("%s\n", bad ? "FAILED" : "all as expected");
	return bad ? 1 : 0;
}
