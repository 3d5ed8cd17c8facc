// SPDX-License-Identifier: GPL-2.0
/*
 * qrtr-bench: datagram round trips per second and one-way throughput between
 * two local sockets (AF_QIPCRTR or AF_UNIX SOCK_DGRAM), or through the
 * qrtr-tun path against qrtr-emu's echo service.  A benchmark, never a test.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <stdbool.h>
#include <stdint.h>
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

#define MAX_SIZE 65536

enum fam { FAM_QRTR, FAM_UNIX };

static struct {
	enum fam fam;
	size_t size;
	double duration;
	unsigned int window;
	unsigned int node, port, endpoint;
	bool have_target, have_ep;
	const char *label;
} opt = { .fam = FAM_QRTR, .size = 64, .duration = 2.0, .window = 16 };

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void usage(FILE *f)
{
	fprintf(f,
"Usage: qrtr-bench MODE [OPTIONS]\n"
"Modes:\n"
"  rtt      ping-pong between two local sockets of --family\n"
"  tput     one-way stream between two local sockets of --family\n"
"  tun-rtt  ping-pong with a qrtr-emu echo port (--node N --port P)\n"
"  tun-tput keep --window datagrams in flight to a qrtr-emu echo port\n"
"Options:\n"
"  -f, --family qrtr|unix  socket family for rtt/tput (default qrtr)\n"
"  -s, --size BYTES        datagram size (default 64, max 65536)\n"
"  -d, --duration SECS     measuring time (default 2)\n"
"  -w, --window N          tun-tput datagrams in flight (default 16)\n"
"  -n, --node N, -p, --port P   tun target (qrtr-emu --echo-raw)\n"
"  -e, --endpoint ID       bind the tun client to this endpoint\n"
"  -l, --label STR         name printed in the result line\n"
"  -h, --help\n"
"Prints one line: 'result label=L mode=M family=F size=S ops=N secs=T\n"
"ops_per_sec=X mbytes_per_sec=Y usec_per_op=Z'.\n"
"Examples:\n"
"  qrtr-bench rtt -f qrtr -s 64 -d 3\n"
"  qrtr-bench tput -f unix -s 4096\n"
"  qrtr-emu -k bench0 -n 7 -s 4242:1:0@1 --echo-raw &\n"
"  qrtr-bench tun-rtt -n 7 -p 1\n");
}

static void die_usage(const char *m, const char *a)
{
	fprintf(stderr, "qrtr-bench: %s %s\nTry 'qrtr-bench --help'.\n", m,
		a ? a : "");
	exit(2);
}

static void die(const char *what)
{
	fprintf(stderr, "qrtr-bench: %s: %s\n", what, strerror(errno));
	exit(1);
}

/* A pair of connected-by-address datagram sockets. */
struct pair {
	int a, b;
	struct sockaddr_qrtr qa, qb;
};

static void make_pair(struct pair *p)
{
	if (opt.fam == FAM_UNIX) {
		int sv[2];

		if (socketpair(AF_UNIX, SOCK_DGRAM, 0, sv))
			die("socketpair");
		p->a = sv[0];
		p->b = sv[1];
		return;
	}
	{
		socklen_t sl = sizeof(p->qa);
		struct sockaddr_qrtr *q[2] = { &p->qa, &p->qb };
		int *fd[2] = { &p->a, &p->b }, i, sz = 4 << 20;

		for (i = 0; i < 2; i++) {
			*fd[i] = socket(AF_QIPCRTR, SOCK_DGRAM, 0);
			if (*fd[i] < 0)
				die("socket(AF_QIPCRTR)");
			setsockopt(*fd[i], SOL_SOCKET, SO_RCVBUF, &sz, sizeof(sz));
			sl = sizeof(*q[i]);
			/* autobind happens on first send; force it with bind(0) */
			memset(q[i], 0, sizeof(*q[i]));
			q[i]->sq_family = AF_QIPCRTR;
			if (getsockname(*fd[i], (struct sockaddr *)q[i], &sl))
				die("getsockname");
			q[i]->sq_port = 0;
			if (bind(*fd[i], (struct sockaddr *)q[i], sizeof(*q[i])))
				die("bind");
			sl = sizeof(*q[i]);
			if (getsockname(*fd[i], (struct sockaddr *)q[i], &sl))
				die("getsockname");
		}
	}
}

/* send to the peer of @fd in @p, retrying while the receiver is full */
static int send_peer(struct pair *p, int fd, const void *buf, size_t len)
{
	for (;;) {
		ssize_t n;

		if (opt.fam == FAM_UNIX)
			n = send(fd, buf, len, 0);
		else
			n = sendto(fd, buf, len, 0,
				   (struct sockaddr *)(fd == p->a ? &p->qb : &p->qa),
				   sizeof(struct sockaddr_qrtr));
		if (n >= 0)
			return 0;
		if (errno == ENOSPC || errno == ENOBUFS || errno == EAGAIN ||
		    errno == EINTR) {
			sched_yield();
			continue;
		}
		return -errno;
	}
}

static volatile int stop_flag;

struct srv_arg {
	struct pair *p;
	bool echo;
	unsigned long msgs;
	unsigned long long bytes;
	double t_first, t_last;
};

static void *server(void *arg)
{
	struct srv_arg *s = arg;
	static char buf[MAX_SIZE];

	for (;;) {
		ssize_t n = recv(s->p->b, buf, sizeof(buf), 0);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (n == 1 && buf[0] == 'Q')
			break;
		if (!s->msgs)
			s->t_first = now();
		s->msgs++;
		s->bytes += (unsigned long long)n;
		s->t_last = now();
		if (s->echo && send_peer(s->p, s->p->b, buf, (size_t)n))
			break;
	}
	return NULL;
}

static void report(const char *mode, const char *fam, unsigned long ops,
		   unsigned long long bytes, double secs)
{
	if (secs <= 0)
		secs = 1e-9;
	printf("result label=%s mode=%s family=%s size=%zu ops=%lu secs=%.3f "
	       "ops_per_sec=%.0f mbytes_per_sec=%.2f usec_per_op=%.2f\n",
	       opt.label ? opt.label : fam, mode, fam, opt.size, ops, secs,
	       ops / secs, bytes / secs / 1e6, ops ? secs * 1e6 / ops : 0.0);
	fflush(stdout);
}

static int run_local(bool rtt)
{
	static char buf[MAX_SIZE];
	struct srv_arg sa = { 0 };
	struct pair p;
	pthread_t th;
	unsigned long ops = 0;
	double t0, t1;
	const char *fam = opt.fam == FAM_UNIX ? "unix" : "qrtr";

	make_pair(&p);
	memset(buf, 'x', opt.size);
	sa.p = &p;
	sa.echo = rtt;
	if (pthread_create(&th, NULL, server, &sa))
		die("pthread_create");
	t0 = now();
	t1 = t0 + opt.duration;
	if (rtt) {
		while (now() < t1) {
			if (send_peer(&p, p.a, buf, opt.size))
				die("send");
			if (recv(p.a, buf, sizeof(buf), 0) < 0)
				die("recv");
			ops++;
		}
		t1 = now();
	} else {
		while ((ops & 63) || now() < t1) {
			if (send_peer(&p, p.a, buf, opt.size))
				die("send");
			ops++;
		}
	}
	buf[0] = 'Q';
	if (send_peer(&p, p.a, buf, 1))
		die("send quit");
	pthread_join(th, NULL);
	if (rtt) {
		report("rtt", fam, ops, (unsigned long long)ops * opt.size * 2,
		       t1 - t0);
	} else {
		/* throughput as seen by the receiver */
		report("tput", fam, sa.msgs, sa.bytes, sa.t_last - t0);
		if (sa.msgs != ops)
			printf("# sent %lu, received %lu\n", ops, sa.msgs);
	}
	close(p.a);
	close(p.b);
	return 0;
}

static int run_tun(bool tput)
{
	static char buf[MAX_SIZE], rbuf[MAX_SIZE];
	struct sockaddr_qrtr to = { 0 };
	unsigned long ops = 0, inflight = 0, sent = 0;
	double t0, t1;
	int fd;

	if (!opt.have_target)
		die_usage("tun modes need --node and --port", NULL);
	fd = socket(AF_QIPCRTR, SOCK_DGRAM, 0);
	if (fd < 0)
		die("socket(AF_QIPCRTR)");
	if (opt.have_ep) {
		__u32 v = opt.endpoint;

		if (setsockopt(fd, SOL_QRTR, QRTR_BIND_ENDPOINT, &v, sizeof(v)))
			die("QRTR_BIND_ENDPOINT");
	}
	to.sq_family = AF_QIPCRTR;
	to.sq_node = opt.node;
	to.sq_port = opt.port;
	memset(buf, 'y', opt.size);
	t0 = now();
	t1 = t0 + opt.duration;
	while (now() < t1) {
		unsigned int want = tput ? opt.window : 1;
		struct pollfd pfd = { fd, POLLIN, 0 };

		while (inflight < want) {
			if (sendto(fd, buf, opt.size, 0, (struct sockaddr *)&to,
				   sizeof(to)) < 0) {
				if (errno == EAGAIN || errno == ENOBUFS ||
				    errno == ENOSPC)
					break;
				die("sendto");
			}
			inflight++;
			sent++;
		}
		if (poll(&pfd, 1, 1000) <= 0) {
			fprintf(stderr, "qrtr-bench: no echo for 1 s (%lu in flight)\n",
				inflight);
			return 1;
		}
		if (recv(fd, rbuf, sizeof(rbuf), 0) < 0)
			die("recv");
		inflight--;
		ops++;
	}
	t1 = now();
	report(tput ? "tun-tput" : "tun-rtt", "qrtr-tun", ops,
	       (unsigned long long)ops * opt.size * 2, t1 - t0);
	close(fd);
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "family", required_argument, NULL, 'f' },
		{ "size", required_argument, NULL, 's' },
		{ "duration", required_argument, NULL, 'd' },
		{ "window", required_argument, NULL, 'w' },
		{ "node", required_argument, NULL, 'n' },
		{ "port", required_argument, NULL, 'p' },
		{ "endpoint", required_argument, NULL, 'e' },
		{ "label", required_argument, NULL, 'l' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	const char *mode;
	char *end;
	int c, have_node = 0, have_port = 0;
	unsigned long v;

	if (argc < 2)
		die_usage("missing MODE", NULL);
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		usage(stdout);
		return 0;
	}
	mode = argv[1];
	optind = 2;
	while ((c = getopt_long(argc, argv, "f:s:d:w:n:p:e:l:h", lo, NULL)) != -1) {
		if (c == 'h') {
			usage(stdout);
			return 0;
		}
		if (c == '?' || !optarg)
			die_usage("bad option", NULL);
		if (c == 'f') {
			if (!strcmp(optarg, "qrtr"))
				opt.fam = FAM_QRTR;
			else if (!strcmp(optarg, "unix"))
				opt.fam = FAM_UNIX;
			else
				die_usage("bad --family (qrtr|unix):", optarg);
			continue;
		}
		if (c == 'l') {
			opt.label = optarg;
			continue;
		}
		if (c == 'd') {
			opt.duration = strtod(optarg, &end);
			if (*end || opt.duration <= 0 || opt.duration > 3600)
				die_usage("bad --duration", optarg);
			continue;
		}
		errno = 0;
		v = strtoul(optarg, &end, 0);
		if (errno || *end || !*optarg || *optarg == '-' || v > UINT32_MAX)
			die_usage("bad number", optarg);
		switch (c) {
		case 's':
			if (v < 1 || v > MAX_SIZE)
				die_usage("bad --size (1..65536)", optarg);
			opt.size = v;
			break;
		case 'w':
			if (v < 1 || v > 1024)
				die_usage("bad --window (1..1024)", optarg);
			opt.window = (unsigned int)v;
			break;
		case 'n':
			opt.node = (unsigned int)v;
			have_node = 1;
			break;
		case 'p':
			opt.port = (unsigned int)v;
			have_port = 1;
			break;
		case 'e':
			opt.endpoint = (unsigned int)v;
			opt.have_ep = true;
			break;
		}
	}
	if (optind != argc)
		die_usage("unexpected argument", argv[optind]);
	opt.have_target = have_node && have_port;
	if (!strcmp(mode, "rtt"))
		return run_local(true);
	if (!strcmp(mode, "tput"))
		return run_local(false);
	if (!strcmp(mode, "tun-rtt"))
		return run_tun(false);
	if (!strcmp(mode, "tun-tput"))
		return run_tun(true);
	die_usage("unknown MODE", mode);
	return 2;
}
