/* vtpm-sim: Mantle's vTPM engine behind the Microsoft TPM simulator TCP protocol, so that TSS
 * clients (tpm2-tools with TCTI "mssim") can drive it.
 *
 *   vtpm-sim --port N [--state DIR] [--record DIR] [--timeout S]
 *   (also accepts tpm_server's "-port N"; the state DIR defaults to ".")
 *
 * --record DIR appends every command of each TPM-port connection to DIR/conn-<pid>-<n>.bin, back to
 * back; those streams are the fuzz target's seed corpus (tests/vtpm/seeds).
 *
 * Listens on 127.0.0.1:N (TPM command port) and 127.0.0.1:N+1 (platform port), one connection per
 * port at a time, the next accepted when the previous closes. NV state is DIR/vtpm-nv.bin, written
 * atomically (temporary file, fsync, rename). A client that disconnects mid-command, stalls for
 * longer than --timeout seconds (default IO_TIMEOUT_S) or announces an oversized command is
 * dropped; the server goes on with the next one.
 *
 * Protocol (ms-tpm-20-ref TpmTcpProtocol.h): every request starts with a big-endian u32 code.
 *   TPM port:  8 SEND_COMMAND (u8 locality, u32 len, cmd -> u32 len, rsp, u32 0),
 *              15 REMOTE_HANDSHAKE, 5/6/7 _TPM_Hash_Start/Data/End (at locality 4), 16, 20, 21
 *   Platform:  1/2 power on/off, 3/4 physical presence, 9/10 cancel, 11/12 NV on/off,
 *              13/14 key cache, 17 reset, 18 restart, 30 failure-mode test (acknowledged), 20, 21
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "vtpm/vtpm.h"

#define IO_TIMEOUT_S 10
static long io_timeout_s = IO_TIMEOUT_S;
#define MAX_WIRE_COMMAND (VTPM_MAX_COMMAND * 2)

enum {
	SIGNAL_POWER_ON = 1, SIGNAL_POWER_OFF = 2, SIGNAL_PHYS_PRES_ON = 3, SIGNAL_PHYS_PRES_OFF = 4,
	SIGNAL_HASH_START = 5, SIGNAL_HASH_DATA = 6, SIGNAL_HASH_END = 7, SEND_COMMAND = 8,
	SIGNAL_CANCEL_ON = 9, SIGNAL_CANCEL_OFF = 10, SIGNAL_NV_ON = 11, SIGNAL_NV_OFF = 12,
	SIGNAL_KEY_CACHE_ON = 13, SIGNAL_KEY_CACHE_OFF = 14, REMOTE_HANDSHAKE = 15,
	SET_ALTERNATIVE_RESULT = 16, SIGNAL_RESET = 17, SIGNAL_RESTART = 18, SESSION_END = 20,
	STOP = 21, TEST_FAILURE_MODE = 30,
};

static struct vtpm *tpm;
static const char *record_dir;
static FILE *record;
static unsigned record_conn;
static bool powered;
static char nv_path[4096], nv_tmp[4096];

static bool plat_entropy(void *ctx, void *buf, size_t len)
{
	(void)ctx;
	uint8_t *p = buf;
	while (len) {
		ssize_t n = getrandom(p, len, 0);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return false;
		}
		p += n;
		len -= (size_t)n;
	}
	return true;
}

static uint64_t plat_time_ms(void *ctx)
{
	struct timespec ts;

	(void)ctx;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static size_t plat_nv_load(void *ctx, void *buf, size_t cap)
{
	(void)ctx;
	int fd = open(nv_path, O_RDONLY | O_CLOEXEC);
	size_t got = 0;

	if (fd < 0)
		return errno == ENOENT ? 0 : (size_t)-1;
	while (got < cap) {
		ssize_t n = read(fd, (uint8_t *)buf + got, cap - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	/* A file larger than the buffer is corrupt by definition: report cap + 1 so the engine
	 * rejects it rather than parsing a prefix. */
	uint8_t extra;
	if (got == cap && read(fd, &extra, 1) == 1)
		got = cap + 1;
	close(fd);
	return got;
}

static bool plat_nv_store(void *ctx, const void *buf, size_t len)
{
	(void)ctx;
	int fd = open(nv_tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	size_t done = 0;

	if (fd < 0)
		return false;
	while (done < len) {
		ssize_t n = write(fd, (const uint8_t *)buf + done, len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			close(fd);
			return false;
		}
		done += (size_t)n;
	}
	if (fsync(fd) != 0 || close(fd) != 0)
		return false;
	return rename(nv_tmp, nv_path) == 0;
}

static const struct vtpm_platform platform = {
	.ctx = NULL,
	.entropy = plat_entropy,
	.time_ms = plat_time_ms,
	.nv_load = plat_nv_load,
	.nv_store = plat_nv_store,
};

static void power_on(void)
{
	vtpm_power_on(tpm, &platform);
	powered = true;
}

static bool read_full(int fd, void *buf, size_t len)
{
	uint8_t *p = buf;
	int one = 1;

	while (len) {
		setsockopt(fd, IPPROTO_TCP, TCP_QUICKACK, &one, sizeof(one));
		ssize_t n = recv(fd, p, len, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return false; /* closed, error or IO_TIMEOUT_S without data */
		p += n;
		len -= (size_t)n;
	}
	return true;
}

static bool write_full(int fd, const void *buf, size_t len)
{
	const uint8_t *p = buf;

	while (len) {
		ssize_t n = send(fd, p, len, MSG_NOSIGNAL);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return false;
		p += n;
		len -= (size_t)n;
	}
	return true;
}

static bool read_u32(int fd, uint32_t *v)
{
	uint8_t b[4];

	if (!read_full(fd, b, 4))
		return false;
	*v = ((uint32_t)b[0] << 24) | ((uint32_t)b[1] << 16) | ((uint32_t)b[2] << 8) | b[3];
	return true;
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static bool write_u32(int fd, uint32_t v)
{
	uint8_t b[4];

	put32(b, v);
	return write_full(fd, b, 4);
}

static bool send_command(int fd)
{
	static uint8_t cmd[MAX_WIRE_COMMAND], out[4 + VTPM_MAX_RESPONSE + 4];
	uint8_t loc;
	uint32_t len;
	size_t rlen;

	if (!read_full(fd, &loc, 1) || !read_u32(fd, &len))
		return false;
	if (len > sizeof(cmd))
		return false; /* drop the client rather than read an unbounded length */
	if (!read_full(fd, cmd, len))
		return false;
	if (!powered) {
		/* The reference simulator answers TPM_RC_FAILURE-style errors when off; do the same. */
		power_on();
	}
	if (record)
		fwrite(cmd, 1, len, record);
	vtpm_set_locality(tpm, loc);
	rlen = vtpm_execute(tpm, cmd, len, out + 4, VTPM_MAX_RESPONSE);
	put32(out, (uint32_t)rlen);
	put32(out + 4 + rlen, 0);
	return write_full(fd, out, 4 + rlen + 4);
}

/* Returns false when the connection should be closed. Sets *stop on STOP. */
static bool serve_tpm(int fd, bool *stop)
{
	uint32_t code, v;

	if (!read_u32(fd, &code))
		return false;
	switch (code) {
	case SEND_COMMAND:
		return send_command(fd);
	case REMOTE_HANDSHAKE: {
		uint8_t b[12];
		if (!read_u32(fd, &v) || v == 0)
			return false;
		put32(b, 1);
		put32(b + 4, 0x0D);
		put32(b + 8, 0);
		return write_full(fd, b, sizeof(b));
	}
	/* D-RTM signals come from locality 4 (the reference simulator does the same). The protocol
	 * has no error reply: a refused signal (e.g. before Startup) is logged. */
	case SIGNAL_HASH_START:
		vtpm_set_locality(tpm, 4);
		if (!vtpm_hash_start(tpm))
			fprintf(stderr, "vtpm-sim: _TPM_Hash_Start refused\n");
		return write_u32(fd, 0);
	case SIGNAL_HASH_END:
		if (!vtpm_hash_end(tpm))
			fprintf(stderr, "vtpm-sim: _TPM_Hash_End refused\n");
		return write_u32(fd, 0);
	case SIGNAL_HASH_DATA: {
		uint8_t chunk[256];
		if (!read_u32(fd, &v) || v > MAX_WIRE_COMMAND)
			return false;
		while (v) {
			uint32_t n = v < sizeof(chunk) ? v : sizeof(chunk);
			if (!read_full(fd, chunk, n))
				return false;
			(void)vtpm_hash_data(tpm, chunk, n);
			v -= n;
		}
		return write_u32(fd, 0);
	}
	case SET_ALTERNATIVE_RESULT:
		return read_u32(fd, &v) && write_u32(fd, 0);
	case SESSION_END:
		return false;
	case STOP:
		*stop = true;
		return false;
	default:
		return false;
	}
}

static bool serve_platform(int fd, bool *stop)
{
	uint32_t code;

	if (!read_u32(fd, &code))
		return false;
	switch (code) {
	case SIGNAL_POWER_ON:
		/* Like the reference: power-on when already on is a no-op (every TCTI init sends it). */
		if (!powered)
			power_on();
		return write_u32(fd, 0);
	case SIGNAL_POWER_OFF:
		powered = false;
		return write_u32(fd, 0);
	case SIGNAL_RESET:
	case SIGNAL_RESTART:
		power_on();
		return write_u32(fd, 0);
	case SIGNAL_PHYS_PRES_ON:
	case SIGNAL_PHYS_PRES_OFF:
	case SIGNAL_CANCEL_ON:
	case SIGNAL_CANCEL_OFF:
	case SIGNAL_NV_ON:
	case SIGNAL_NV_OFF:
	case SIGNAL_KEY_CACHE_ON:
	case SIGNAL_KEY_CACHE_OFF:
	case TEST_FAILURE_MODE:
		return write_u32(fd, 0);
	case SESSION_END:
		return false;
	case STOP:
		*stop = true;
		return false;
	default:
		(void)write_u32(fd, 1);
		return false;
	}
}

static int listen_on(uint16_t port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port),
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	int one = 1, fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&a, sizeof(a)) != 0 || listen(fd, 4) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

static int accept_client(int lfd)
{
	struct timeval tv = { .tv_sec = io_timeout_s };
	int one = 1, fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);

	if (fd < 0)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	return fd;
}

static void usage(void)
{
	fprintf(stderr, "usage: vtpm-sim --port N [--state DIR] [--record DIR] [--timeout S]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	const char *state = ".";
	long port = 2321;
	int lfd[2], cfd[2] = { -1, -1 };
	bool stop = false;

	for (int i = 1; i < argc; i++) {
		if ((!strcmp(argv[i], "--port") || !strcmp(argv[i], "-port")) && i + 1 < argc)
			port = strtol(argv[++i], NULL, 10);
		else if (!strcmp(argv[i], "--state") && i + 1 < argc)
			state = argv[++i];
		else if (!strcmp(argv[i], "--record") && i + 1 < argc)
			record_dir = argv[++i];
		else if (!strcmp(argv[i], "--timeout") && i + 1 < argc)
			io_timeout_s = strtol(argv[++i], NULL, 10);
		else
			usage();
	}
	if (port <= 0 || port >= 65535 || io_timeout_s <= 0 || io_timeout_s > 3600)
		usage();
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	signal(SIGPIPE, SIG_IGN);
	mkdir(state, 0700);
	snprintf(nv_path, sizeof(nv_path), "%s/vtpm-nv.bin", state);
	snprintf(nv_tmp, sizeof(nv_tmp), "%s/vtpm-nv.bin.tmp", state);
	tpm = calloc(1, vtpm_state_size());
	if (!tpm)
		return 1;
	lfd[0] = listen_on((uint16_t)port);
	lfd[1] = listen_on((uint16_t)(port + 1));
	if (lfd[0] < 0 || lfd[1] < 0) {
		fprintf(stderr, "vtpm-sim: cannot listen on 127.0.0.1:%ld/%ld: %s\n", port, port + 1,
			strerror(errno));
		return 1;
	}
	power_on();
	fprintf(stderr, "vtpm-sim: listening on 127.0.0.1:%ld (TPM) and %ld (platform), state %s\n",
		port, port + 1, nv_path);
	while (!stop) {
		struct pollfd p[2];
		for (int i = 0; i < 2; i++) {
			p[i].fd = cfd[i] >= 0 ? cfd[i] : lfd[i];
			p[i].events = POLLIN;
			p[i].revents = 0;
		}
		if (poll(p, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		for (int i = 0; i < 2 && !stop; i++) {
			if (!(p[i].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			if (cfd[i] < 0) {
				cfd[i] = accept_client(lfd[i]);
				if (i == 0 && cfd[i] >= 0 && record_dir) {
					char path[4200];
					snprintf(path, sizeof(path), "%s/conn-%d-%u.bin", record_dir, (int)getpid(),
						 record_conn++);
					record = fopen(path, "wb");
				}
				continue;
			}
			bool keep = i == 0 ? serve_tpm(cfd[i], &stop) : serve_platform(cfd[i], &stop);
			if (!keep) {
				close(cfd[i]);
				cfd[i] = -1;
				if (i == 0 && record) {
					fclose(record);
					record = NULL;
				}
			}
		}
	}
	free(tpm);
	return 0;
}
