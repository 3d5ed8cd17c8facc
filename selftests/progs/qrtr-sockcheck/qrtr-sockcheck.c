// SPDX-License-Identifier: GPL-2.0
/*
 * qrtr-sockcheck: checks of socbpf_qrtr's AF_QIPCRTR sockets and qrtr-tun,
 * one scenario per sub-command, used by selftests/guest/qrtr/test_sock.sh.
 * Each prints what it checks and exits 0 only if every check passed.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <net/if.h>
#include <linux/qrtr.h>
#include <linux/sockios.h>

#include <uapi/linux/socbpf_qrtr.h>
#include <socbpf/qrtr_wire.h>

#ifndef AF_QIPCRTR
#define AF_QIPCRTR 42
#endif

#define TUN_PATH "/dev/qrtr-tun"
#define DBG "/sys/kernel/debug/socbpf_qrtr"
#define REMOTE_NODE 7

static int failures;

static void fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	printf("# FAIL: ");
	vprintf(fmt, ap);
	printf("\n");
	va_end(ap);
	failures++;
}

#define CHECK(cond, ...) do { if (!(cond)) fail(__VA_ARGS__); } while (0)
#define CHECK_ERR(expr, err, what) do { \
	errno = 0; \
	long __r = (long)(expr); \
	if (__r != -1 || errno != (err)) \
		fail("%s: want errno %d (%s), got ret %ld errno %d (%s)", \
		     what, err, strerror(err), __r, errno, strerror(errno)); \
} while (0)

static void die(const char *what)
{
	printf("# FATAL: %s: %s\n", what, strerror(errno));
	exit(2);
}

static int qsock(void)
{
	int fd = socket(AF_QIPCRTR, SOCK_DGRAM, 0);

	if (fd < 0)
		die("socket(AF_QIPCRTR)");
	return fd;
}

static struct sockaddr_qrtr getname(int fd)
{
	struct sockaddr_qrtr sq = {0};
	socklen_t sl = sizeof(sq);

	if (getsockname(fd, (struct sockaddr *)&sq, &sl) < 0)
		die("getsockname");
	return sq;
}

static struct sockaddr_qrtr addr(unsigned int node, unsigned int port)
{
	struct sockaddr_qrtr sq = {
		.sq_family = AF_QIPCRTR, .sq_node = node, .sq_port = port,
	};
	return sq;
}

static int bind_any(int fd)
{
	struct sockaddr_qrtr sq = getname(fd);

	sq.sq_port = 0;
	return bind(fd, (struct sockaddr *)&sq, sizeof(sq));
}

static ssize_t send_to(int fd, unsigned int node, unsigned int port,
		       const void *buf, size_t len, int flags)
{
	struct sockaddr_qrtr sq = addr(node, port);

	return sendto(fd, buf, len, flags, (struct sockaddr *)&sq, sizeof(sq));
}

static ssize_t send_ep(int fd, unsigned int node, unsigned int port,
		       const void *buf, size_t len, unsigned int ep, int type)
{
	struct sockaddr_qrtr sq = addr(node, port);
	char cbuf[CMSG_SPACE(sizeof(uint32_t))] = {0};
	struct iovec iov = { .iov_base = (void *)buf, .iov_len = len };
	struct msghdr msg = {
		.msg_name = &sq, .msg_namelen = sizeof(sq),
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
	};
	struct cmsghdr *c = CMSG_FIRSTHDR(&msg);

	c->cmsg_level = SOL_QRTR;
	c->cmsg_type = type;
	c->cmsg_len = CMSG_LEN(sizeof(uint32_t));
	memcpy(CMSG_DATA(c), &ep, sizeof(ep));
	return sendmsg(fd, &msg, 0);
}

/* Receive with a timeout; returns length, -1 (errno set) or -2 timeout. */
static ssize_t recv_ep(int fd, void *buf, size_t len,
		       struct sockaddr_qrtr *from, int *ep, int timeout_ms)
{
	char cbuf[CMSG_SPACE(sizeof(uint32_t)) * 2];
	struct sockaddr_qrtr sq = {0};
	struct iovec iov = { .iov_base = buf, .iov_len = len };
	struct msghdr msg = {
		.msg_name = &sq, .msg_namelen = sizeof(sq),
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
	};
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	struct cmsghdr *c;
	ssize_t n;

	if (poll(&pfd, 1, timeout_ms) == 0)
		return -2;
	n = recvmsg(fd, &msg, MSG_DONTWAIT);
	if (n < 0)
		return -1;
	if (from)
		*from = sq;
	if (ep) {
		*ep = -1;
		for (c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c))
			if (c->cmsg_level == SOL_QRTR &&
			    c->cmsg_type == QRTR_ENDPOINT)
				memcpy(ep, CMSG_DATA(c), sizeof(uint32_t));
	}
	return n;
}

static int setopt(int fd, int opt, unsigned int val)
{
	return setsockopt(fd, SOL_QRTR, opt, &val, sizeof(val));
}

static unsigned int getopt_u32(int fd, int opt)
{
	unsigned int val = 0xdead;
	socklen_t l = sizeof(val);

	if (getsockopt(fd, SOL_QRTR, opt, &val, &l) < 0)
		die("getsockopt");
	return val;
}

/* ---- qrtr-tun helpers ---- */

static int tun_open(const char *key, unsigned int *id)
{
	struct qrtr_tun_info info;
	char k[QRTR_TUN_KEY_MAX] = {0};
	int fd;

	fd = open(TUN_PATH, O_RDWR | O_NONBLOCK);
	if (fd < 0)
		return -1;
	if (key) {
		snprintf(k, sizeof(k), "%s", key);
		if (ioctl(fd, QRTR_TUN_SET_KEY, k) < 0)
			goto err;
	}
	if (ioctl(fd, QRTR_TUN_GET_INFO, &info) < 0)
		goto err;
	if (id)
		*id = info.endpoint_id;
	return fd;
err:
	{
		int e = errno;

		close(fd);
		errno = e;
	}
	return -1;
}

static int tun_write(int fd, uint32_t type, uint32_t snode, uint32_t sport,
		     uint32_t dnode, uint32_t dport, const void *pl,
		     uint32_t len, bool confirm)
{
	unsigned char buf[512] = {0};
	struct qrtr_wire_hdr_v1 *h = (void *)buf;

	qrtr_wire_build_v1(h, type, snode, sport, dnode, dport, len, confirm);
	memcpy(buf + sizeof(*h), pl, len);
	return write(fd, buf, sizeof(*h) + SOCBPF_ALIGN4(len));
}

static int tun_ctrl(int fd, uint32_t cmd, uint32_t a, uint32_t b,
		    uint32_t c, uint32_t d)
{
	struct qrtr_wire_ctrl p = {0};

	p.cmd = cpu_to_le32(cmd);
	p.server.service = cpu_to_le32(a);
	p.server.instance = cpu_to_le32(b);
	p.server.node = cpu_to_le32(c);
	p.server.port = cpu_to_le32(d);
	return tun_write(fd, cmd, REMOTE_NODE, QRTR_PORT_CTRL,
			 cmd == QRTR_TYPE_HELLO ? QRTR_NODE_BCAST : 1,
			 QRTR_PORT_CTRL, &p, sizeof(p), false);
}

/* Read one frame (timeout ms); returns payload length or -1. */
static int tun_read(int fd, struct qrtr_wire_pkt *pkt, void *pl, size_t plen,
		    int timeout_ms)
{
	unsigned char buf[70000];
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	ssize_t n;

	if (poll(&pfd, 1, timeout_ms) <= 0)
		return -1;
	n = read(fd, buf, sizeof(buf));
	if (n < 0)
		return -1;
	if (qrtr_wire_parse(buf, n, pkt) != QRTR_WIRE_OK) {
		fail("kernel sent a frame that does not parse (%zd bytes)", n);
		return -1;
	}
	if (pl)
		memcpy(pl, buf + pkt->hdrlen,
		       pkt->size < plen ? pkt->size : plen);
	return pkt->size;
}

/* Read frames until one of @type arrives (skipping others). */
static int tun_expect(int fd, uint32_t type, struct qrtr_wire_pkt *pkt,
		      void *pl, size_t plen)
{
	int i, n;

	for (i = 0; i < 16; i++) {
		n = tun_read(fd, pkt, pl, plen, 2000);
		if (n < 0)
			return -1;
		if (pkt->type == type)
			return n;
	}
	return -1;
}

static long dbg_stat(const char *name)
{
	char line[256];
	size_t l = strlen(name);
	long v = -1;
	FILE *f = fopen(DBG "/stats", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, name, l) && line[l] == '=')
			v = atol(line + l + 1);
	fclose(f);
	return v;
}

static bool wait_stat(const char *name, long want)
{
	int i;

	for (i = 0; i < 200; i++) {
		if (dbg_stat(name) == want)
			return true;
		usleep(10000);
	}
	return false;
}

/* ---- scenarios ---- */

static int t_roundtrip(void)
{
	int a = qsock(), b = qsock(), ep;
	struct sockaddr_qrtr sa, sb, from;
	char buf[64];
	ssize_t n;

	CHECK(bind_any(b) == 0, "bind b: %s", strerror(errno));
	sb = getname(b);
	CHECK(send_to(a, sb.sq_node, sb.sq_port, "hello", 5, 0) == 5,
	      "send a->b: %s", strerror(errno));
	sa = getname(a);
	CHECK(sa.sq_port >= 0x4000 && sa.sq_port <= 0x7fff,
	      "sendto autobound a to an ephemeral port (got %#x)", sa.sq_port);
	CHECK(setopt(b, QRTR_REPORT_ENDPOINT, 1) == 0, "report ep");
	n = recv_ep(b, buf, sizeof(buf), &from, &ep, 2000);
	CHECK(n == 5 && !memcmp(buf, "hello", 5), "b got hello (n=%zd)", n);
	CHECK(from.sq_node == sa.sq_node && from.sq_port == sa.sq_port,
	      "source is a (%u:%u)", from.sq_node, from.sq_port);
	CHECK(ep == 0, "local packet reports endpoint 0 (got %d)", ep);
	CHECK(send_to(b, sa.sq_node, sa.sq_port, "world!", 6, 0) == 6,
	      "send b->a");
	n = recv_ep(a, buf, sizeof(buf), &from, NULL, 2000);
	CHECK(n == 6 && !memcmp(buf, "world!", 6), "a got reply (n=%zd)", n);
	/* 64 KiB - 1 is the largest datagram */
	{
		static char big[65535];

		CHECK(setsockopt(b, SOL_SOCKET, SO_RCVBUF, &(int){1 << 20},
				 sizeof(int)) == 0, "rcvbuf");
		CHECK(send_to(a, sb.sq_node, sb.sq_port, big, sizeof(big), 0) ==
		      (ssize_t)sizeof(big), "64K-1 datagram: %s",
		      strerror(errno));
		n = recv_ep(b, big, sizeof(big), NULL, NULL, 2000);
		CHECK(n == (ssize_t)sizeof(big), "got 64K-1 datagram (%zd)", n);
		CHECK_ERR(send_to(a, sb.sq_node, sb.sq_port, big, 65536, 0),
			  EMSGSIZE, "64K datagram");
	}
	close(a);
	close(b);
	return 0;
}

static int t_bind(void)
{
	int a = qsock(), b = qsock(), c = qsock();
	struct sockaddr_qrtr sq = getname(a), bad;
	char buf[8];

	CHECK(sq.sq_family == AF_QIPCRTR && sq.sq_port == 0 && sq.sq_node,
	      "unbound getsockname: fam %u node %u port %u", sq.sq_family,
	      sq.sq_node, sq.sq_port);
	CHECK_ERR(recv(a, buf, sizeof(buf), MSG_DONTWAIT), EADDRNOTAVAIL,
		  "recv on unbound socket");
	bad = sq;
	bad.sq_port = 0x5000;
	CHECK(bind(a, (struct sockaddr *)&bad, sizeof(bad)) == 0,
	      "bind 0x5000: %s", strerror(errno));
	CHECK(getname(a).sq_port == 0x5000, "getsockname port 0x5000");
	CHECK_ERR(bind(b, (struct sockaddr *)&bad, sizeof(bad)), EADDRINUSE,
		  "bind taken port");
	bad.sq_port = QRTR_PORT_CTRL;
	CHECK_ERR(bind(b, (struct sockaddr *)&bad, sizeof(bad)), EADDRINUSE,
		  "bind control port");
	bad = sq;
	bad.sq_node = sq.sq_node + 1;
	CHECK_ERR(bind(b, (struct sockaddr *)&bad, sizeof(bad)), EINVAL,
		  "bind foreign node");
	bad = sq;
	bad.sq_family = AF_INET;
	CHECK_ERR(bind(b, (struct sockaddr *)&bad, sizeof(bad)), EINVAL,
		  "bind wrong family");
	CHECK_ERR(bind(b, (struct sockaddr *)&sq, 4), EINVAL,
		  "bind short address");
	CHECK(bind_any(b) == 0, "autobind via port 0");
	CHECK(getname(b).sq_port >= 0x4000, "port 0 picks ephemeral");
	/* rebind a to another port frees the old one */
	bad = sq;
	bad.sq_port = 0x5001;
	CHECK(bind(a, (struct sockaddr *)&bad, sizeof(bad)) == 0, "rebind");
	bad.sq_port = 0x5000;
	CHECK(bind(c, (struct sockaddr *)&bad, sizeof(bad)) == 0,
	      "old port reusable after rebind: %s", strerror(errno));
	close(a);
	a = qsock();
	bad.sq_port = 0x5001;
	CHECK(bind(a, (struct sockaddr *)&bad, sizeof(bad)) == 0,
	      "port reusable after close: %s", strerror(errno));
	/* connect + send without address */
	{
		struct sockaddr_qrtr sc = getname(c), peer;
		socklen_t l = sizeof(peer);

		CHECK(connect(b, (struct sockaddr *)&sc, sizeof(sc)) == 0,
		      "connect");
		CHECK(getpeername(b, (struct sockaddr *)&peer, &l) == 0 &&
		      peer.sq_port == sc.sq_port, "getpeername");
		CHECK(send(b, "x", 1, 0) == 1, "send on connected socket");
		CHECK(recv_ep(c, buf, sizeof(buf), NULL, NULL, 2000) == 1,
		      "connected send arrives");
		CHECK_ERR(send(a, "x", 1, 0), ENOTCONN, "send unconnected");
	}
	CHECK_ERR(socket(AF_QIPCRTR, SOCK_STREAM, 0), EPROTOTYPE,
		  "SOCK_STREAM");
	close(a);
	close(b);
	close(c);
	return 0;
}

static int t_poll(void)
{
	int a = qsock(), b = qsock(), v = -1;
	struct pollfd pfd;
	struct sockaddr_qrtr sb;
	struct ifreq ifr;
	char buf[32];

	CHECK(bind_any(b) == 0, "bind");
	sb = getname(b);
	pfd = (struct pollfd){ .fd = b, .events = POLLIN };
	CHECK(poll(&pfd, 1, 0) == 0, "idle socket not readable");
	CHECK_ERR(recv(b, buf, sizeof(buf), MSG_DONTWAIT), EAGAIN,
		  "nonblocking recv on empty socket");
	CHECK(send_to(a, sb.sq_node, sb.sq_port, "0123456789", 10, 0) == 10,
	      "send");
	CHECK(poll(&pfd, 1, 2000) == 1 && (pfd.revents & POLLIN),
	      "readable after send (revents %#x)", pfd.revents);
	CHECK(ioctl(b, TIOCINQ, &v) == 0 && v == 10, "TIOCINQ = 10 (got %d)",
	      v);
	CHECK(ioctl(a, TIOCOUTQ, &v) == 0 && v > 0, "TIOCOUTQ > 0 (got %d)",
	      v);
	memset(&ifr, 0, sizeof(ifr));
	CHECK(ioctl(b, SIOCGIFADDR, &ifr) == 0, "SIOCGIFADDR: %s",
	      strerror(errno));
	{
		struct sockaddr_qrtr *q = (struct sockaddr_qrtr *)&ifr.ifr_addr;

		CHECK(q->sq_family == AF_QIPCRTR && q->sq_node == sb.sq_node &&
		      q->sq_port == sb.sq_port, "SIOCGIFADDR gives %u:%u",
		      q->sq_node, q->sq_port);
	}
	CHECK(recv(b, buf, 4, 0) == 4, "truncated recv returns 4");
	pfd.revents = 0;
	CHECK(poll(&pfd, 1, 0) == 0, "not readable after recv");
	CHECK(ioctl(b, TIOCINQ, &v) == 0 && v == 0, "TIOCINQ = 0 (got %d)", v);
	pfd.events = POLLOUT;
	CHECK(poll(&pfd, 1, 0) == 1 && (pfd.revents & POLLOUT), "writable");
	close(a);
	close(b);
	return 0;
}

static int t_sockopt(void)
{
	int a = qsock(), b = qsock();
	unsigned int val = 1;
	socklen_t l;

	CHECK(getopt_u32(a, QRTR_BIND_ENDPOINT) == 0, "default unbound");
	CHECK(getopt_u32(a, QRTR_REPORT_ENDPOINT) == 0, "default no report");
	CHECK(setopt(a, QRTR_REPORT_ENDPOINT, 1) == 0, "set report");
	CHECK(getopt_u32(a, QRTR_REPORT_ENDPOINT) == 1, "report reads back");
	CHECK(setopt(a, QRTR_REPORT_ENDPOINT, 0) == 0 &&
	      getopt_u32(a, QRTR_REPORT_ENDPOINT) == 0, "report clears");
	CHECK_ERR(setsockopt(a, SOL_QRTR, QRTR_BIND_ENDPOINT, &val, 2), EINVAL,
		  "bind_endpoint short optlen");
	CHECK_ERR(setopt(a, QRTR_BIND_ENDPOINT, QRTR_ENDPOINT_ID_MAX + 1),
		  EINVAL, "bind_endpoint id > max");
	CHECK_ERR(setopt(a, QRTR_BIND_ENDPOINT, QRTR_ENDPOINT_ID_MAX), ENODEV,
		  "bind_endpoint to an unknown id");
	CHECK(setopt(a, QRTR_BIND_ENDPOINT, 0) == 0, "bind_endpoint 0 unbinds");
	CHECK_ERR(setsockopt(a, SOL_SOCKET + 1000, QRTR_BIND_ENDPOINT, &val,
			     sizeof(val)), ENOPROTOOPT, "wrong level");
	CHECK_ERR(setopt(a, 99, 1), ENOPROTOOPT, "unknown option");
	CHECK_ERR(setsockopt(a, SOL_QRTR, QRTR_BIND_ENDPOINT, NULL,
			     sizeof(val)), EFAULT, "bad pointer");
	l = 2;
	CHECK_ERR(getsockopt(a, SOL_QRTR, QRTR_BIND_ENDPOINT, &val, &l),
		  EINVAL, "getsockopt short optlen");
	l = sizeof(val);
	CHECK_ERR(getsockopt(a, SOL_QRTR, 99, &val, &l), ENOPROTOOPT,
		  "getsockopt unknown option");
	/* sendmsg endpoint cmsg validation */
	CHECK(bind_any(b) == 0, "bind b");
	CHECK_ERR(send_ep(a, getname(b).sq_node, getname(b).sq_port, "x", 1, 0,
			  QRTR_ENDPOINT), EINVAL, "cmsg endpoint 0");
	CHECK_ERR(send_ep(a, getname(b).sq_node, getname(b).sq_port, "x", 1,
			  QRTR_ENDPOINT_ID_MAX + 1, QRTR_ENDPOINT), EINVAL,
		  "cmsg endpoint > max");
	CHECK_ERR(send_ep(a, getname(b).sq_node, getname(b).sq_port, "x", 1, 1,
			  99), EINVAL, "unknown cmsg type");
	CHECK_ERR(send_ep(a, REMOTE_NODE, 1, "x", 1, QRTR_ENDPOINT_ID_MAX,
			  QRTR_ENDPOINT), ENETRESET,
		  "cmsg endpoint that does not exist");
	CHECK_ERR(send_to(a, 99, 1, "x", 1, 0), ECONNRESET,
		  "send to an unknown node");
	CHECK_ERR(send_to(a, 1, 1, "x", 1, MSG_OOB), EINVAL, "MSG_OOB");
	close(a);
	close(b);
	return 0;
}

/* Two devices, both node 7 with a server on port 100. */
static int t_endpoints(void)
{
	struct qrtr_wire_ctrl ctrl;
	struct qrtr_wire_pkt pkt;
	unsigned int e1 = 0, e2 = 0;
	int t1, t2, l, c, u, r, ep, i, n, seen1 = 0, seen2 = 0;
	struct sockaddr_qrtr from, sr, sc;
	char buf[256];

	t1 = tun_open("devA", &e1);
	t2 = tun_open("devB", &e2);
	if (t1 < 0 || t2 < 0)
		die("open " TUN_PATH);
	printf("# devA is endpoint %u, devB is endpoint %u\n", e1, e2);
	CHECK(e1 && e2 && e1 != e2, "distinct endpoint ids");
	CHECK_ERR(tun_open("devA", NULL), EBUSY, "second live link for devA");
	CHECK_ERR(ioctl(t1, QRTR_TUN_SET_KEY, "late"), EBUSY,
		  "SET_KEY after registration");

	for (i = 0; i < 2; i++) {
		int t = i ? t2 : t1;

		CHECK(tun_ctrl(t, QRTR_TYPE_HELLO, 0, 0, 0, 0) > 0, "hello");
		n = tun_expect(t, QRTR_TYPE_HELLO, &pkt, NULL, 0);
		CHECK(n >= 0 && pkt.dst_node == REMOTE_NODE &&
		      pkt.src_port == QRTR_PORT_CTRL,
		      "ns answers HELLO on dev%c", 'A' + i);
		CHECK(tun_ctrl(t, QRTR_TYPE_NEW_SERVER, 42, 1, REMOTE_NODE,
			       100) > 0, "announce server");
	}
	CHECK(wait_stat("ns_servers", 2), "name service has both servers");

	/* a lookup reports both, tagged with their endpoint */
	l = qsock();
	CHECK(setopt(l, QRTR_REPORT_ENDPOINT, 1) == 0, "report");
	memset(&ctrl, 0, sizeof(ctrl));
	ctrl.cmd = cpu_to_le32(QRTR_TYPE_NEW_LOOKUP);
	ctrl.server.service = cpu_to_le32(42);
	CHECK(send_to(l, 1, QRTR_PORT_CTRL, &ctrl, sizeof(ctrl), 0) ==
	      sizeof(ctrl), "NEW_LOOKUP: %s", strerror(errno));
	for (i = 0; i < 4; i++) {
		n = recv_ep(l, &ctrl, sizeof(ctrl), &from, &ep, 2000);
		if (n != sizeof(ctrl))
			break;
		if (!ctrl.server.service)
			break;	/* end of listing */
		CHECK(le32_to_cpu(ctrl.server.node) == REMOTE_NODE &&
		      le32_to_cpu(ctrl.server.port) == 100, "server 7:100");
		seen1 += ep == (int)e1;
		seen2 += ep == (int)e2;
	}
	CHECK(seen1 == 1 && seen2 == 1, "lookup lists both devices (%d, %d)",
	      seen1, seen2);
	CHECK(n == sizeof(ctrl) && !ctrl.server.service && ep == 0,
	      "listing ends with the all-zero sentinel");

	/* a local server is announced to both devices, and its removal */
	{
		int s = qsock(), k;
		struct sockaddr_qrtr ss;

		CHECK(bind_any(s) == 0, "bind server");
		ss = getname(s);
		memset(&ctrl, 0, sizeof(ctrl));
		ctrl.cmd = cpu_to_le32(QRTR_TYPE_NEW_SERVER);
		ctrl.server.service = cpu_to_le32(77);
		ctrl.server.instance = cpu_to_le32(2);
		CHECK(send_to(s, 1, QRTR_PORT_CTRL, &ctrl, sizeof(ctrl), 0) ==
		      sizeof(ctrl), "local NEW_SERVER");
		for (k = 0; k < 2; k++) {
			n = tun_expect(k ? t2 : t1, QRTR_TYPE_NEW_SERVER, &pkt,
				       &ctrl, sizeof(ctrl));
			CHECK(n == sizeof(ctrl) &&
			      pkt.dst_node == QRTR_NODE_BCAST &&
			      le32_to_cpu(ctrl.server.service) == 77 &&
			      le32_to_cpu(ctrl.server.node) == 1 &&
			      le32_to_cpu(ctrl.server.port) == ss.sq_port,
			      "dev%c hears the local server", 'A' + k);
		}
		memset(&ctrl, 0, sizeof(ctrl));
		ctrl.cmd = cpu_to_le32(QRTR_TYPE_DEL_SERVER);
		ctrl.server.service = cpu_to_le32(77);
		ctrl.server.instance = cpu_to_le32(2);
		CHECK(send_to(s, 1, QRTR_PORT_CTRL, &ctrl, sizeof(ctrl), 0) ==
		      sizeof(ctrl), "local DEL_SERVER");
		for (k = 0; k < 2; k++)
			CHECK(tun_expect(k ? t2 : t1, QRTR_TYPE_DEL_SERVER,
					 &pkt, NULL, 0) >= 0,
			      "dev%c hears the removal", 'A' + k);
		close(s);
		for (k = 0; k < 2; k++) {
			n = tun_expect(k ? t2 : t1, QRTR_TYPE_DEL_CLIENT, &pkt,
				       &ctrl, sizeof(ctrl));
			CHECK(n >= 12 && pkt.dst_node == QRTR_NODE_BCAST &&
			      le32_to_cpu(ctrl.client.port) == ss.sq_port,
			      "dev%c hears DEL_CLIENT on close", 'A' + k);
		}
		CHECK(wait_stat("ns_servers", 2), "only the devices' servers");
	}

	/* tx: socket bound to devB reaches devB's node 7 only */
	c = qsock();
	CHECK(setopt(c, QRTR_BIND_ENDPOINT, e2) == 0, "bind c to devB");
	CHECK(getopt_u32(c, QRTR_BIND_ENDPOINT) == e2, "bound id reads back");
	CHECK(send_to(c, REMOTE_NODE, 100, "to-B", 4, 0) == 4, "c sends: %s",
	      strerror(errno));
	n = tun_expect(t2, QRTR_TYPE_DATA, &pkt, buf, sizeof(buf));
	sc = getname(c);
	CHECK(n == 4 && !memcmp(buf, "to-B", 4) && pkt.dst_node == REMOTE_NODE &&
	      pkt.dst_port == 100 && pkt.src_port == sc.sq_port,
	      "devB got c's packet");
	CHECK(tun_read(t1, &pkt, NULL, 0, 100) < 0, "devA got nothing");
	CHECK_ERR(send_ep(c, REMOTE_NODE, 100, "x", 1, e1, QRTR_ENDPOINT),
		  EINVAL, "cmsg endpoint conflicting with the binding");

	/* tx: unbound socket picks devA with a cmsg */
	u = qsock();
	CHECK(send_ep(u, REMOTE_NODE, 100, "to-A", 4, e1, QRTR_ENDPOINT) == 4,
	      "cmsg send: %s", strerror(errno));
	n = tun_expect(t1, QRTR_TYPE_DATA, &pkt, buf, sizeof(buf));
	CHECK(n == 4 && !memcmp(buf, "to-A", 4), "devA got u's packet");
	CHECK(tun_read(t2, &pkt, NULL, 0, 100) < 0, "devB got nothing");

	/* rx: report endpoint, bound socket filters */
	r = qsock();
	CHECK(bind_any(r) == 0 && setopt(r, QRTR_REPORT_ENDPOINT, 1) == 0,
	      "r setup");
	sr = getname(r);
	CHECK(tun_write(t1, QRTR_TYPE_DATA, REMOTE_NODE, 100, 1, sr.sq_port,
			"fromA", 5, false) > 0, "devA -> r");
	CHECK(tun_write(t2, QRTR_TYPE_DATA, REMOTE_NODE, 100, 1, sr.sq_port,
			"fromB", 5, true) > 0, "devB -> r (confirm_rx)");
	seen1 = seen2 = 0;
	for (i = 0; i < 2; i++) {
		n = recv_ep(r, buf, sizeof(buf), &from, &ep, 2000);
		CHECK(n == 5 && from.sq_node == REMOTE_NODE &&
		      from.sq_port == 100, "r got a packet from 7:100");
		seen1 += ep == (int)e1 && !memcmp(buf, "fromA", 5);
		seen2 += ep == (int)e2 && !memcmp(buf, "fromB", 5);
	}
	CHECK(seen1 == 1 && seen2 == 1, "cmsg names each source endpoint");
	n = tun_expect(t2, QRTR_TYPE_RESUME_TX, &pkt, &ctrl, sizeof(ctrl));
	CHECK(n >= 8 && pkt.dst_node == REMOTE_NODE && pkt.dst_port == 100 &&
	      le32_to_cpu(ctrl.client.port) == sr.sq_port,
	      "reading a confirm_rx packet sends RESUME_TX to devB");

	CHECK(setopt(c, QRTR_REPORT_ENDPOINT, 1) == 0, "c report");
	CHECK(tun_write(t1, QRTR_TYPE_DATA, REMOTE_NODE, 100, 1, sc.sq_port,
			"A2c", 3, false) > 0, "devA -> c");
	CHECK(tun_write(t2, QRTR_TYPE_DATA, REMOTE_NODE, 100, 1, sc.sq_port,
			"B2c", 3, false) > 0, "devB -> c");
	n = recv_ep(c, buf, sizeof(buf), &from, &ep, 2000);
	CHECK(n == 3 && !memcmp(buf, "B2c", 3) && ep == (int)e2,
	      "c (bound to devB) gets devB's packet first (n=%d ep=%d)", n, ep);
	CHECK(recv_ep(c, buf, sizeof(buf), &from, &ep, 200) == -2,
	      "c never sees devA's packet");

	/* tx flow control towards 7:200 on devA */
	{
		int f = qsock(), confirms = 0;
		struct sockaddr_qrtr sf;

		for (i = 0; i < 10; i++) {
			CHECK(send_ep(f, REMOTE_NODE, 200, "fc", 2, e1,
				      QRTR_ENDPOINT) == 2, "flow send %d", i);
			if (tun_expect(t1, QRTR_TYPE_DATA, &pkt, NULL, 0) >= 0)
				confirms += pkt.confirm_rx;
		}
		CHECK(confirms == 1, "exactly one confirm_rx in 10 (%d)",
		      confirms);
		CHECK(setopt(f, QRTR_BIND_ENDPOINT, e1) == 0, "bind f");
		CHECK_ERR(send_to(f, REMOTE_NODE, 200, "fc", 2, MSG_DONTWAIT),
			  EAGAIN, "11th packet would block");
		sf = getname(f);
		memset(&ctrl, 0, sizeof(ctrl));
		ctrl.cmd = cpu_to_le32(QRTR_TYPE_RESUME_TX);
		ctrl.client.node = cpu_to_le32(REMOTE_NODE);
		ctrl.client.port = cpu_to_le32(200);
		CHECK(tun_write(t1, QRTR_TYPE_RESUME_TX, REMOTE_NODE, 200, 1,
				sf.sq_port, &ctrl, sizeof(ctrl), false) > 0,
		      "devA resumes");
		CHECK(send_to(f, REMOTE_NODE, 200, "fc", 2, MSG_DONTWAIT) == 2,
		      "sending resumes after RESUME_TX: %s", strerror(errno));
		close(f);
	}

	/* malformed frames are rejected with EINVAL and counted */
	{
		unsigned char junk[64] = { 9, 0, 0, 0 }, one = 1;
		long ver = dbg_stat("drop_version");
		long shrt = dbg_stat("drop_short");
		long size = dbg_stat("drop_size");

		CHECK_ERR(write(t1, junk, sizeof(junk)), EINVAL, "bad version");
		CHECK_ERR(write(t1, &one, 1), EINVAL, "1-byte v1 frame");
		junk[0] = 1;
		CHECK_ERR(write(t1, junk, sizeof(junk)), EINVAL,
			  "v1 frame with a wrong size field");
		CHECK(dbg_stat("drop_version") == ver + 1 &&
		      dbg_stat("drop_short") == shrt + 1 &&
		      dbg_stat("drop_size") == size + 1,
		      "drops counted per reason");
		CHECK(tun_write(t1, QRTR_TYPE_DATA, 1, 5, 1, sr.sq_port, "x",
				1, false) < 0 && errno == EINVAL,
		      "spoofed local source rejected");
	}

	/* DEL_CLIENT from devA removes only devA's server */
	memset(&ctrl, 0, sizeof(ctrl));
	ctrl.cmd = cpu_to_le32(QRTR_TYPE_DEL_CLIENT);
	ctrl.client.node = cpu_to_le32(REMOTE_NODE);
	ctrl.client.port = cpu_to_le32(100);
	CHECK(tun_write(t1, QRTR_TYPE_DEL_CLIENT, REMOTE_NODE, QRTR_PORT_CTRL,
			1, QRTR_PORT_CTRL, &ctrl, sizeof(ctrl), false) > 0,
	      "DEL_CLIENT");
	n = recv_ep(l, &ctrl, sizeof(ctrl), &from, &ep, 2000);
	CHECK(n == sizeof(ctrl) &&
	      le32_to_cpu(ctrl.cmd) == QRTR_TYPE_DEL_SERVER && ep == (int)e1,
	      "lookup hears DEL_SERVER for devA (cmd %u ep %d)",
	      le32_to_cpu(ctrl.cmd), ep);
	CHECK(wait_stat("ns_servers", 1), "devB's server remains");

	/* closing devB: lookup hears it, bound socket gets ENETRESET */
	close(t2);
	n = recv_ep(l, &ctrl, sizeof(ctrl), &from, &ep, 2000);
	CHECK(n == sizeof(ctrl) &&
	      le32_to_cpu(ctrl.cmd) == QRTR_TYPE_DEL_SERVER && ep == (int)e2,
	      "lookup hears DEL_SERVER for devB");
	CHECK(wait_stat("ns_servers", 0), "no servers left");
	{
		struct pollfd pfd = { .fd = c, .events = POLLIN };

		CHECK(poll(&pfd, 1, 2000) == 1 && (pfd.revents & POLLERR),
		      "bound socket polls POLLERR (%#x)", pfd.revents);
	}
	CHECK_ERR(recv(c, buf, sizeof(buf), MSG_DONTWAIT), ENETRESET,
		  "recv on socket bound to a removed endpoint");
	CHECK_ERR(send_to(c, REMOTE_NODE, 100, "x", 1, 0), ENETRESET,
		  "send on socket bound to a removed endpoint");
	CHECK(setopt(c, QRTR_BIND_ENDPOINT, 0) == 0, "unbind c");
	CHECK(send_to(c, REMOTE_NODE, 100, "x", 1, 0) == 1,
	      "after unbinding, node 7 is reachable through devA");

	close(t1);
	close(l);
	close(c);
	close(u);
	close(r);
	CHECK(wait_stat("links", 0) && wait_stat("nodes", 0) &&
	      wait_stat("ns_lookups", 0), "everything torn down");
	return 0;
}

static int t_exhaust(int max)
{
	int fds[QRTR_ENDPOINT_ID_MAX + 1], i, n = 0, fd;
	unsigned int id;
	char key[32];

	for (i = 0; i <= max; i++) {
		snprintf(key, sizeof(key), "exhaust-%d", i);
		fds[i] = tun_open(key, &id);
		if (fds[i] < 0)
			break;
		n++;
		CHECK(id >= 1 && id <= (unsigned int)max, "id %u in range", id);
	}
	CHECK(n == max, "got %d endpoints, want %d", n, max);
	CHECK(i <= max && errno == ENOSPC, "exhaustion gives ENOSPC (%s)",
	      strerror(errno));
	for (i = 0; i < n; i++)
		close(fds[i]);
	CHECK(wait_stat("endpoint_ids", 0), "all ids reclaimed after close");
	for (i = 0; i < max; i++) {
		snprintf(key, sizeof(key), "again-%d", i);
		fds[i] = tun_open(key, &id);
		CHECK(fds[i] >= 0, "reopen %d after reclaim: %s", i,
		      strerror(errno));
	}
	for (i = 0; i < max; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	fd = tun_open("after", &id);
	CHECK(fd >= 0 && id == 1, "lowest id is reused (%u)", id);
	if (fd >= 0)
		close(fd);
	return 0;
}

static int t_cycles(int count)
{
	struct qrtr_wire_pkt pkt;
	unsigned int id;
	char key[32];
	int i, fd;

	for (i = 0; i < count; i++) {
		snprintf(key, sizeof(key), "cycle-%d", i % 3);
		fd = tun_open(i % 2 ? key : NULL, &id);
		if (fd < 0) {
			fail("open %d: %s", i, strerror(errno));
			break;
		}
		tun_ctrl(fd, QRTR_TYPE_HELLO, 0, 0, 0, 0);
		tun_ctrl(fd, QRTR_TYPE_NEW_SERVER, 10 + i, 1, REMOTE_NODE, 1);
		if (i % 4 == 0)
			tun_expect(fd, QRTR_TYPE_HELLO, &pkt, NULL, 0);
		close(fd);
	}
	CHECK(wait_stat("endpoint_ids", 0) && wait_stat("links", 0) &&
	      wait_stat("nodes", 0) && wait_stat("ns_servers", 0),
	      "nothing left after %d cycles", count);
	return 0;
}

static int t_tun_info(const char *key)
{
	unsigned int id;
	int fd = tun_open(key, &id);

	if (fd < 0)
		die("tun open");
	printf("%u\n", id);
	close(fd);
	return 0;
}

static volatile sig_atomic_t stop;

static void on_term(int sig)
{
	stop = 1;
}

/*
 * Hold sockets and a tun device with a server (optionally pushing traffic
 * through them) until SIGTERM/SIGINT, or at most @secs seconds.
 */
static int t_hold(int secs, bool traffic)
{
	int a = qsock(), b = qsock(), t;
	struct sockaddr_qrtr sb;
	unsigned int id;
	char buf[64];

	signal(SIGTERM, on_term);
	signal(SIGINT, on_term);
	alarm(secs);
	signal(SIGALRM, on_term);

	t = tun_open("hold", &id);
	if (t < 0)
		die("tun open");
	tun_ctrl(t, QRTR_TYPE_HELLO, 0, 0, 0, 0);
	tun_ctrl(t, QRTR_TYPE_NEW_SERVER, 15, 1, REMOTE_NODE, 1);
	bind_any(b);
	sb = getname(b);
	printf("ready\n");
	fflush(stdout);
	while (!stop) {
		if (!traffic) {
			usleep(100000);
			continue;
		}
		send_to(a, sb.sq_node, sb.sq_port, "t", 1, MSG_DONTWAIT);
		recv(b, buf, sizeof(buf), MSG_DONTWAIT);
		tun_write(t, QRTR_TYPE_DATA, REMOTE_NODE, 1, 1, sb.sq_port,
			  "in", 2, false);
		send_to(a, REMOTE_NODE, 1, "out", 3, MSG_DONTWAIT);
		while (read(t, buf, sizeof(buf)) > 0)
			;
	}
	close(t);
	close(a);
	close(b);
	return 0;
}

static void usage(void)
{
	fprintf(stderr,
		"usage: qrtr-sockcheck roundtrip|bind|poll|sockopt|endpoints\n"
		"       qrtr-sockcheck exhaust MAX | cycles N | tun-info KEY\n"
		"       qrtr-sockcheck hold SECS | traffic SECS\n");
	exit(2);
}

static int num_arg(int argc, char **argv)
{
	char *end;
	long v;

	if (argc < 3)
		usage();
	v = strtol(argv[2], &end, 0);
	if (*end || v <= 0 || v > 100000) {
		fprintf(stderr, "qrtr-sockcheck: bad number '%s'\n", argv[2]);
		exit(2);
	}
	return v;
}

int main(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : "";

	signal(SIGPIPE, SIG_IGN);
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!strcmp(cmd, "roundtrip"))
		t_roundtrip();
	else if (!strcmp(cmd, "bind"))
		t_bind();
	else if (!strcmp(cmd, "poll"))
		t_poll();
	else if (!strcmp(cmd, "sockopt"))
		t_sockopt();
	else if (!strcmp(cmd, "endpoints"))
		t_endpoints();
	else if (!strcmp(cmd, "exhaust"))
		t_exhaust(num_arg(argc, argv));
	else if (!strcmp(cmd, "cycles"))
		t_cycles(num_arg(argc, argv));
	else if (!strcmp(cmd, "tun-info") && argc == 3)
		t_tun_info(argv[2]);
	else if (!strcmp(cmd, "hold"))
		t_hold(num_arg(argc, argv), false);
	else if (!strcmp(cmd, "traffic"))
		t_hold(num_arg(argc, argv), true);
	else
		usage();
	return failures ? 1 : 0;
}
