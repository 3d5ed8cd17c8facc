// SPDX-License-Identifier: GPL-2.0
/*
 * qrtr-epc: a small AF_QIPCRTR client for the endpoint-ID API (tests/demos).
 * See --help.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>
#include <linux/qrtr.h>

#include <uapi/linux/socbpf_qrtr.h>

#ifndef AF_QIPCRTR
#define AF_QIPCRTR 42
#endif

static void usage(FILE *f)
{
	fprintf(f,
"Usage: qrtr-epc COMMAND [OPTIONS]\n"
"AF_QIPCRTR client with endpoint binding (SOL_QRTR QRTR_BIND_ENDPOINT).\n"
"\n"
"Commands:\n"
"  send NODE PORT     send datagrams, print each reply as\n"
"                     'reply ep=E from=N:P len=L data=...'\n"
"  wait NODE PORT     send one datagram, read its reply, then block in recv\n"
"                     until the socket reports an error; prints 'error=NAME'\n"
"  lookup             ask the name service for servers; prints\n"
"                     'server svc=S ver=V inst=I node=N port=P'\n"
"\n"
"Options:\n"
"  -e, --endpoint ID  bind the socket to endpoint ID first\n"
"  -d, --data STR     payload (default 'ping')\n"
"  -n, --count N      datagrams to send (send; default 1)\n"
"  -t, --timeout MS   per-reply / wait timeout (default 2000; wait: 0 = forever)\n"
"  -x, --expect STR   every reply must contain STR\n"
"  -s, --service S    lookup: only service S\n"
"  -q, --quiet        do not print replies\n"
"  -h, --help         this text\n"
"\n"
"Exit: 0 ok, 1 failure (timeout, unexpected reply, error), 2 usage.\n"
"\n"
"Examples:\n"
"  qrtr-epc send 7 1 -e 2 -d hello -x key=pci:0000:01:00.0\n"
"  qrtr-epc lookup -s 69\n"
"  qrtr-epc wait 7 1 -e 3 -t 10000\n");
}

static void die_usage(const char *msg, const char *arg)
{
	fprintf(stderr, "qrtr-epc: %s%s%s\nTry 'qrtr-epc --help'.\n", msg,
		arg ? " " : "", arg ? arg : "");
	exit(2);
}

static bool parse_u32(const char *s, unsigned int *out)
{
	char *end;
	unsigned long v;

	if (!s || !*s || *s == '-')
		return false;
	errno = 0;
	v = strtoul(s, &end, 0);
	if (errno || *end || v > 0xffffffffUL)
		return false;
	*out = (unsigned int)v;
	return true;
}

static const char *errname(int e)
{
	switch (e) {
	case ENETRESET: return "ENETRESET";
	case ECONNRESET: return "ECONNRESET";
	case ENODEV: return "ENODEV";
	case ENXIO: return "ENXIO";
	case EPIPE: return "EPIPE";
	case ENETUNREACH: return "ENETUNREACH";
	case EHOSTUNREACH: return "EHOSTUNREACH";
	case ENOTCONN: return "ENOTCONN";
	case ESHUTDOWN: return "ESHUTDOWN";
	case ECONNREFUSED: return "ECONNREFUSED";
	case ENETDOWN: return "ENETDOWN";
	case EAGAIN: return "EAGAIN";
	case EINVAL: return "EINVAL";
	case ENOENT: return "ENOENT";
	case EADDRNOTAVAIL: return "EADDRNOTAVAIL";
	default: return "E?";
	}
}

static int open_sock(unsigned int ep, bool have_ep)
{
	int one = 1, fd;

	fd = socket(AF_QIPCRTR, SOCK_DGRAM, 0);
	if (fd < 0) {
		fprintf(stderr, "qrtr-epc: socket(AF_QIPCRTR): %s\n",
			strerror(errno));
		exit(1);
	}
	if (setsockopt(fd, SOL_QRTR, QRTR_REPORT_ENDPOINT, &one, sizeof(one)))
		fprintf(stderr, "qrtr-epc: QRTR_REPORT_ENDPOINT: %s (ignored)\n",
			strerror(errno));
	if (have_ep) {
		__u32 v = ep;

		if (setsockopt(fd, SOL_QRTR, QRTR_BIND_ENDPOINT, &v,
			       sizeof(v))) {
			fprintf(stderr, "qrtr-epc: QRTR_BIND_ENDPOINT %u: %s (%s)\n",
				ep, strerror(errno), errname(errno));
			exit(1);
		}
	}
	return fd;
}

/*
 * Receive one datagram within @timeout_ms (<0: forever).
 * Return: length, 0 on timeout, -errno on error.
 */
static ssize_t recv_one(int fd, void *buf, size_t cap, int timeout_ms,
			struct sockaddr_qrtr *from, int *ep)
{
	char cbuf[CMSG_SPACE(sizeof(__u32)) * 2];
	struct iovec iov = { buf, cap };
	struct msghdr mh;
	struct cmsghdr *cm;
	struct pollfd pfd = { fd, POLLIN, 0 };
	ssize_t n;
	int r;

	r = poll(&pfd, 1, timeout_ms);
	if (r < 0)
		return -errno;
	if (r == 0)
		return 0;
	memset(&mh, 0, sizeof(mh));
	mh.msg_name = from;
	mh.msg_namelen = sizeof(*from);
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	mh.msg_control = cbuf;
	mh.msg_controllen = sizeof(cbuf);
	n = recvmsg(fd, &mh, MSG_DONTWAIT);
	if (n < 0)
		return -errno;
	*ep = -1;
	for (cm = CMSG_FIRSTHDR(&mh); cm; cm = CMSG_NXTHDR(&mh, cm)) {
		if (cm->cmsg_level == SOL_QRTR && cm->cmsg_type == QRTR_ENDPOINT &&
		    cm->cmsg_len >= CMSG_LEN(sizeof(__u32))) {
			__u32 v;

			memcpy(&v, CMSG_DATA(cm), sizeof(v));
			*ep = (int)v;
		}
	}
	return n ? n : 1;	/* a zero-length datagram still counts */
}

static void print_reply(const char *buf, ssize_t n, int ep,
			const struct sockaddr_qrtr *from)
{
	ssize_t i;

	printf("reply ep=%d from=%u:%u len=%zd data=", ep, from->sq_node,
	       from->sq_port, n);
	for (i = 0; i < n; i++)
		putchar(buf[i] >= 32 && buf[i] < 127 ? buf[i] : '.');
	putchar('\n');
	fflush(stdout);
}

static int do_send(unsigned int node, unsigned int port, int ep, int have_ep,
		   const char *data, unsigned int count, int timeout,
		   const char *expect, bool quiet, bool wait_err)
{
	static char buf[65536 + 1];
	struct sockaddr_qrtr to = { 0 }, from;
	unsigned int i;
	int fd, rep;

	fd = open_sock((unsigned int)ep, have_ep);
	to.sq_family = AF_QIPCRTR;
	to.sq_node = node;
	to.sq_port = port;
	for (i = 0; i < count; i++) {
		ssize_t n;

		if (sendto(fd, data, strlen(data), 0, (struct sockaddr *)&to,
			   sizeof(to)) < 0) {
			printf("error=%s send: %s\n", errname(errno),
			       strerror(errno));
			return 1;
		}
		n = recv_one(fd, buf, sizeof(buf) - 1, wait_err ? 5000 : timeout,
			     &from, &rep);
		if (n == 0) {
			printf("timeout after %u replies\n", i);
			return 1;
		}
		if (n < 0) {
			printf("error=%s recv: %s\n", errname((int)-n),
			       strerror((int)-n));
			return 1;
		}
		buf[n] = 0;
		if (!quiet)
			print_reply(buf, n, rep, &from);
		if (expect && !memmem(buf, (size_t)n, expect, strlen(expect))) {
			printf("unexpected reply (wanted '%s')\n", expect);
			return 1;
		}
	}
	if (!wait_err) {
		close(fd);
		return 0;
	}
	printf("waiting\n");
	fflush(stdout);
	for (;;) {
		ssize_t n = recv_one(fd, buf, sizeof(buf) - 1,
				     timeout ? timeout : -1, &from, &rep);

		if (n == 0) {
			printf("timeout: no error reported\n");
			return 1;
		}
		if (n < 0) {
			printf("error=%s %s\n", errname((int)-n),
			       strerror((int)-n));
			/* a later send must fail too (or be dropped) */
			if (sendto(fd, data, strlen(data), 0,
				   (struct sockaddr *)&to, sizeof(to)) < 0)
				printf("send-error=%s\n", errname(errno));
			else
				printf("send-ok\n");
			close(fd);
			return 0;
		}
		if (!quiet)
			print_reply(buf, n, rep, &from);
	}
}

static int do_lookup(int have_svc, unsigned int svc, int timeout)
{
	struct sockaddr_qrtr sq;
	socklen_t sl = sizeof(sq);
	struct qrtr_ctrl_pkt pkt;
	int fd, ep, found = 0;

	fd = open_sock(0, false);
	if (getsockname(fd, (struct sockaddr *)&sq, &sl)) {
		perror("qrtr-epc: getsockname");
		return 1;
	}
	memset(&pkt, 0, sizeof(pkt));
	pkt.cmd = QRTR_TYPE_NEW_LOOKUP;
	if (have_svc)
		pkt.server.service = svc;
	sq.sq_port = QRTR_PORT_CTRL;
	if (sendto(fd, &pkt, sizeof(pkt), 0, (struct sockaddr *)&sq,
		   sizeof(sq)) < 0) {
		perror("qrtr-epc: send lookup");
		return 1;
	}
	for (;;) {
		struct sockaddr_qrtr from;
		ssize_t n = recv_one(fd, &pkt, sizeof(pkt), timeout, &from, &ep);
		unsigned int inst;

		if (n <= 0) {
			printf("lookup: %s\n", n ? strerror((int)-n) : "timeout");
			return 1;
		}
		if ((size_t)n < sizeof(pkt) || pkt.cmd != QRTR_TYPE_NEW_SERVER)
			continue;
		if (!pkt.server.service && !pkt.server.instance &&
		    !pkt.server.node && !pkt.server.port)
			break;
		inst = pkt.server.instance;
		printf("server svc=%u ver=%u inst=%u node=%u port=%u\n",
		       pkt.server.service, inst & 0xff, inst >> 8,
		       pkt.server.node, pkt.server.port);
		found++;
	}
	printf("servers=%d\n", found);
	close(fd);
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "endpoint", required_argument, NULL, 'e' },
		{ "data", required_argument, NULL, 'd' },
		{ "count", required_argument, NULL, 'n' },
		{ "timeout", required_argument, NULL, 't' },
		{ "expect", required_argument, NULL, 'x' },
		{ "service", required_argument, NULL, 's' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	unsigned int ep = 0, count = 1, timeout = 2000, svc = 0, node, port;
	int have_ep = 0, have_svc = 0, have_timeout = 0, c;
	const char *data = "ping", *expect = NULL, *cmd;
	bool quiet = false;

	if (argc < 2)
		die_usage("missing command", NULL);
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		usage(stdout);
		return 0;
	}
	cmd = argv[1];
	optind = 2;
	while ((c = getopt_long(argc, argv, "e:d:n:t:x:s:qh", lopts, NULL)) != -1) {
		switch (c) {
		case 'e':
			if (!parse_u32(optarg, &ep))
				die_usage("bad --endpoint", optarg);
			have_ep = 1;
			break;
		case 'd':
			data = optarg;
			break;
		case 'n':
			if (!parse_u32(optarg, &count) || !count)
				die_usage("bad --count", optarg);
			break;
		case 't':
			if (!parse_u32(optarg, &timeout) || timeout > 3600000)
				die_usage("bad --timeout", optarg);
			have_timeout = 1;
			break;
		case 'x':
			expect = optarg;
			break;
		case 's':
			if (!parse_u32(optarg, &svc))
				die_usage("bad --service", optarg);
			have_svc = 1;
			break;
		case 'q':
			quiet = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			fprintf(stderr, "Try 'qrtr-epc --help'.\n");
			return 2;
		}
	}
	if (!strcmp(cmd, "lookup")) {
		if (optind != argc)
			die_usage("unexpected argument", argv[optind]);
		return do_lookup(have_svc, svc, (int)timeout);
	}
	if (strcmp(cmd, "send") && strcmp(cmd, "wait"))
		die_usage("unknown command", cmd);
	if (argc - optind != 2)
		die_usage("want NODE PORT", NULL);
	if (!parse_u32(argv[optind], &node))
		die_usage("bad NODE", argv[optind]);
	if (!parse_u32(argv[optind + 1], &port))
		die_usage("bad PORT", argv[optind + 1]);
	if (!strcmp(cmd, "wait"))
		return do_send(node, port, (int)ep, have_ep, data, 1,
			       have_timeout ? (int)timeout : 0, expect, quiet,
			       true);
	return do_send(node, port, (int)ep, have_ep, data, count, (int)timeout,
		       expect, quiet, false);
}
