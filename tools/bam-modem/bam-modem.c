// SPDX-License-Identifier: GPL-2.0
/*
 * bam-modem: the modem side of socbpf_bam_dmux, on /dev/bam-dmux-modem.
 *
 * It powers the host's receive side up (its power control bit), acks the
 * host's power votes, OPENs the configured channels and forwards each
 * channel's IP packets to and from a TUN device (bmtun<ch> by default),
 * optionally inside another network namespace, so traffic from the host
 * through wwanN reaches whatever listens behind the TUN.  Faults on demand
 * through a control FIFO; counters and the drop counts the driver should
 * show in a stats file.  See --help.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <socbpf/bam_dmux_wire.h>
#include <linux/socbpf_bam_dmux.h>

#include "qmi_modem.h"

#define NCH BAM_DMUX_WIRE_NUM_CH

enum {
	ST_TX_FRAMES, ST_TX_DATA, ST_TX_OPEN, ST_TX_CLOSE, ST_TX_BAD,
	ST_TX_NO_TUN, ST_RX_DATA, ST_RX_BYTES, ST_RX_BUSY, ST_RX_NOLINK,
	ST_RX_ERR, ST_VOTES_SEEN, ST_ACKS_SENT, ST_HOST_ACKS, ST_OPEN_SENT,
	ST_CLOSE_SENT, ST_INJECTED, ST_NO_SESSION, ST_QMI_FRAMES,
	ST_QMI_ANSWERS, ST_QMI_WRITE_ERR, ST_QMI_INJECTED, ST_NR,
};

static const char *const st_names[ST_NR] = {
	"tx_frames", "tx_data", "tx_open", "tx_close", "tx_bad", "tx_no_tun",
	"rx_data", "rx_bytes", "rx_busy", "rx_nolink", "rx_err",
	"votes_seen", "acks_sent", "host_acks", "open_sent", "close_sent",
	"injected", "no_session", "qmi_frames", "qmi_answers",
	"qmi_write_err", "qmi_injected",
};

/* expected driver drop counts, by the driver's reason names */
enum {
	EX_SHORT, EX_MAGIC, EX_CHANNEL, EX_CMD, EX_ZERO, EX_TOOLONG, EX_PAD,
	EX_LENGTH, EX_CLOSED, EX_PROTO, EX_NR,
};

static const char *const ex_names[EX_NR] = {
	"short", "magic", "channel", "cmd", "zero_len", "too_long", "pad",
	"length", "closed", "proto",
};

#define NMUX 8

/* per QMAP mux id: its TUN and what it carried */
struct qmap_mux {
	unsigned int id;
	int fd;
	unsigned long long up_pkts, up_bytes, down_pkts, down_bytes;
};

static struct {
	unsigned int dyn_mtu;		/* --dyn-mtu: UL MTU we announce, 0 none */
	unsigned int host_dl;		/* host's buffers once we ask for them */
	int qmap_ch;			/* --qmap: channel carrying QMAP, -1 */
	struct qmap_mux mux[NMUX];
	int nmux;
	unsigned long long qmap_frames_down, qmap_pkts_down, qmap_agg_max;
	unsigned long long qmap_big_frames, qmap_fallback, qmap_bad;
	unsigned long long qmap_cmd, qmap_frames_up, qmap_big_up;
	const char *ctl_dev_path;	/* the QMI control channel */
	int qmi_net;			/* channel 0 follows the QMI session */
	int qfd;
	struct qmim qmi;
	unsigned long long qex[QMUX_NR_ERR];	/* expected drops, by reason */
	const char *dev_path, *netns, *tun_prefix, *ctl_path, *stats_path;
	const char *ready_path, *loop_tun;
	unsigned int channels;		/* bitmap to OPEN at start */
	int ack;			/* ack the host's votes */
	unsigned int ack_delay_ms;
	int verbose;

	int fd, ctl_fd, ctl_wfd;
	int tun[NCH];
	int loop_host, loop_ns;		/* --loop-tun: the plain TUN path */
	unsigned int open;		/* channels we have open */
	u32 modem_bits;
	u32 acked_vote;			/* host vote we acked last */
	u32 votes_acked;		/* host_votes when we acked last */
	long long ack_due;		/* ms timestamp, 0: none */
	u32 host_acks;
	unsigned long long st[ST_NR];
	unsigned long long ex[EX_NR];
	volatile sig_atomic_t stop;
} M = {
	.dev_path = "/dev/bam-dmux-modem",
	.ctl_dev_path = "/dev/bam-dmux-ctl",
	.qmap_ch = -1,
	.host_dl = BAM_DMUX_WIRE_BUF_SIZE,
	.tun_prefix = "bmtun",
	.channels = 1,
	.ack = 1,
};

static void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "bam-modem: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n");
	va_end(ap);
	exit(1);
}

static void note(const char *fmt, ...)
{
	va_list ap;

	if (!M.verbose)
		return;
	va_start(ap, fmt);
	fprintf(stderr, "bam-modem: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n");
	va_end(ap);
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

static void write_stats(void)
{
	char tmp[4200];
	FILE *f;
	int i;

	if (!M.stats_path)
		return;
	snprintf(tmp, sizeof(tmp), "%s.tmp", M.stats_path);
	f = fopen(tmp, "w");
	if (!f)
		return;
	for (i = 0; i < ST_NR; i++)
		fprintf(f, "%s %llu\n", st_names[i], M.st[i]);
	for (i = 0; i < EX_NR; i++)
		fprintf(f, "expect_%s %llu\n", ex_names[i], M.ex[i]);
	for (i = 1; i < QMUX_NR_ERR; i++)
		fprintf(f, "expect_qmux_%s %llu\n", qmux_wire_err_name(i),
			M.qex[i]);
	fprintf(f, "qmi_requests %lu\nqmi_responses %lu\nqmi_bad %lu\n"
		"qmi_unknown %lu\nqmi_errors %lu\nqmi_connected %d\n"
		"qmi_sessions %u\nqmi_apn %s\n",
		M.qmi.requests, M.qmi.responses, M.qmi.bad_requests,
		M.qmi.unknown_msgs, M.qmi.errors_sent, M.qmi.connected,
		M.qmi.sessions, M.qmi.apn[0] ? M.qmi.apn : "-");
	fprintf(f, "dyn_mtu %u\nhost_dl %u\nqmap_frames_down %llu\n"
		"qmap_pkts_down %llu\nqmap_agg_max %llu\nqmap_big_frames %llu\n"
		"qmap_fallback %llu\nqmap_bad %llu\nqmap_cmd %llu\n"
		"qmap_frames_up %llu\nqmap_big_up %llu\n",
		M.dyn_mtu, M.host_dl, M.qmap_frames_down, M.qmap_pkts_down,
		M.qmap_agg_max, M.qmap_big_frames, M.qmap_fallback, M.qmap_bad,
		M.qmap_cmd, M.qmap_frames_up, M.qmap_big_up);
	for (i = 0; i < M.nmux; i++)
		fprintf(f, "qmap_m%u_up_pkts %llu\nqmap_m%u_up_bytes %llu\n"
			"qmap_m%u_down_pkts %llu\nqmap_m%u_down_bytes %llu\n",
			M.mux[i].id, M.mux[i].up_pkts, M.mux[i].id,
			M.mux[i].up_bytes, M.mux[i].id, M.mux[i].down_pkts,
			M.mux[i].id, M.mux[i].down_bytes);
	fprintf(f, "open 0x%02x\nack %d\nack_delay_ms %u\n", M.open, M.ack,
		M.ack_delay_ms);
	fclose(f);
	rename(tmp, M.stats_path);
}

/* ------------------------------------------------------------ device */

static void get_state(struct bam_dmux_state *s)
{
	if (ioctl(M.fd, BAM_DMUX_IOC_GET_STATE, s))
		die("GET_STATE: %s", strerror(errno));
}

static void set_bits(u32 mask, u32 value)
{
	struct bam_dmux_state_set set = { .mask = mask, .value = value };

	if (ioctl(M.fd, BAM_DMUX_IOC_SET_STATE, &set))
		die("SET_STATE: %s", strerror(errno));
	M.modem_bits = (M.modem_bits & ~mask) | (value & mask);
}

static void send_ack(void)
{
	struct bam_dmux_state s;

	get_state(&s);
	M.acked_vote = s.host & BAM_DMUX_HOST_POWER_VOTE;
	M.votes_acked = s.host_votes;
	set_bits(BAM_DMUX_MODEM_POWER_ACK,
		 M.modem_bits ^ BAM_DMUX_MODEM_POWER_ACK);
	M.st[ST_ACKS_SENT]++;
	note("acked vote %u", M.acked_vote);
}

/* The host changed its bits: note votes to ack, count its acks. */
static void host_state(void)
{
	struct bam_dmux_state s;

	get_state(&s);
	if (s.host_acks != M.host_acks) {
		M.st[ST_HOST_ACKS] += s.host_acks - M.host_acks;
		M.host_acks = s.host_acks;
	}
	/* one ack answers every vote change since the last (as a level) */
	if (s.host_votes != M.votes_acked) {
		if (!M.ack_due)
			M.st[ST_VOTES_SEEN]++;
		if (M.ack && !M.ack_due)
			M.ack_due = now_ms() + M.ack_delay_ms;
	}
}

/*
 * one frame to the host; 0, or -errno (counted).  Once the host offered
 * larger buffers, every DATA frame says to keep them (downstream's DATA
 * signal; a DATA without it would switch the host back to 2 KiB).
 */
static int send_frame(u8 *buf, size_t len)
{
	ssize_t n;

	if (M.host_dl > BAM_DMUX_WIRE_BUF_SIZE && len >= BAM_DMUX_WIRE_HDR_SIZE &&
	    buf[3] == BAM_DMUX_WIRE_CMD_DATA)
		buf[2] |= BAM_DMUX_WIRE_SIG_DYN_MTU;
	n = write(M.fd, buf, len);

	if (n == (ssize_t)len)
		return 0;
	if (n < 0 && errno == EAGAIN)
		M.st[ST_RX_BUSY]++;
	else if (n < 0 && errno == ENOLINK)
		M.st[ST_RX_NOLINK]++;
	else
		M.st[ST_RX_ERR]++;
	return n < 0 ? -errno : -EIO;
}

static int send_cmd(u8 cmd, u8 ch)
{
	u8 f[BAM_DMUX_WIRE_HDR_SIZE];

	bam_dmux_wire_build(f, sizeof(f), cmd, ch, NULL, 0);
	/* downstream: the modem's OPEN announces dynamic MTU, our UL MTU */
	if (cmd == BAM_DMUX_WIRE_CMD_OPEN && M.dyn_mtu)
		f[2] = bam_dmux_wire_sig_build(M.dyn_mtu, 0);
	return send_frame(f, sizeof(f));
}

static void open_channel(unsigned int ch)
{
	if (send_cmd(BAM_DMUX_WIRE_CMD_OPEN, ch) == 0) {
		M.open |= 1u << ch;
		M.st[ST_OPEN_SENT]++;
	}
}

static void close_channel(unsigned int ch)
{
	M.open &= ~(1u << ch);
	if (send_cmd(BAM_DMUX_WIRE_CMD_CLOSE, ch) == 0)
		M.st[ST_CLOSE_SENT]++;
}

/* wait up to @ms for the host to toggle its ack (after a pc change) */
static int wait_host_ack(u32 before, int ms)
{
	long long end = now_ms() + ms;
	struct pollfd p = { .fd = M.fd, .events = POLLPRI };

	while (now_ms() < end) {
		host_state();
		if (M.host_acks != before)
			return 0;
		poll(&p, 1, 50);
	}
	return -1;
}

/* ------------------------------------------------------------ TUN */

static int tun_open(const char *name)
{
	struct ifreq ifr;
	int fd, s;

	fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		die("/dev/net/tun: %s (modprobe tun?)", strerror(errno));
	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_flags = IFF_TUN | IFF_NO_PI;
	snprintf(ifr.ifr_name, IFNAMSIZ, "%s", name);
	if (ioctl(fd, TUNSETIFF, &ifr))
		die("TUNSETIFF %s: %s", name, strerror(errno));
	s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (s < 0 || ioctl(s, SIOCGIFFLAGS, &ifr))
		die("SIOCGIFFLAGS %s: %s", name, strerror(errno));
	ifr.ifr_flags |= IFF_UP;
	if (ioctl(s, SIOCSIFFLAGS, &ifr))
		die("SIOCSIFFLAGS %s: %s", name, strerror(errno));
	close(s);
	return fd;
}

static void enter_netns(const char *name)
{
	char path[256];
	int fd;

	if (strchr(name, '/'))
		snprintf(path, sizeof(path), "%s", name);
	else
		snprintf(path, sizeof(path), "/run/netns/%s", name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		die("netns %s: %s (create it with: ip netns add %s)", path,
		    strerror(errno), name);
	if (setns(fd, CLONE_NEWNET))
		die("setns %s: %s", path, strerror(errno));
	close(fd);
}

/* ------------------------------------------------------------ data */

/* --qmi-net: channel 0 carries data only during a QMI data session */
static int no_session(unsigned int ch)
{
	if (M.qmi_net && ch == 0 && !M.qmi.connected) {
		M.st[ST_NO_SESSION]++;
		return 1;
	}
	return 0;
}

/* ------------------------------------------------------------ QMAP */

/*
 * QMAP v1 (upstream include/linux/if_rmnet.h, struct rmnet_map_header):
 * u8 flags (bits 0-5 pad, bit 7 command), u8 mux_id, __be16 pkt_len (the
 * packet and its padding), then the packet.
 */
#define QMAP_HDR_LEN	4u
#define QMAP_CMD_FLAG	0x80
#define QMAP_PAD_MASK	0x3f

static struct qmap_mux *qmap_mux_of(unsigned int id)
{
	int i;

	for (i = 0; i < M.nmux; i++)
		if (M.mux[i].id == id)
			return &M.mux[i];
	return NULL;
}

/* a DATA payload of the QMAP channel: one or more QMAP packets */
static void qmap_uplink(const u8 *p, unsigned int len)
{
	struct qmap_mux *mx;
	unsigned int plen, pad;

	M.qmap_frames_up++;
	if (len + BAM_DMUX_WIRE_HDR_SIZE > BAM_DMUX_WIRE_BUF_SIZE)
		M.qmap_big_up++;
	while (len >= QMAP_HDR_LEN) {
		plen = (p[2] << 8) | p[3];
		pad = p[0] & QMAP_PAD_MASK;
		if (!plen || plen > len - QMAP_HDR_LEN || pad > plen) {
			M.qmap_bad++;
			return;
		}
		if (p[0] & QMAP_CMD_FLAG) {
			M.qmap_cmd++;
		} else if (!(mx = qmap_mux_of(p[1]))) {
			M.qmap_bad++;
		} else if (write(mx->fd, p + QMAP_HDR_LEN, plen - pad) ==
			   (ssize_t)(plen - pad)) {
			mx->up_pkts++;
			mx->up_bytes += plen - pad;
		} else {
			M.st[ST_TX_NO_TUN]++;
		}
		p += QMAP_HDR_LEN + plen;
		len -= QMAP_HDR_LEN + plen;
	}
	if (len)
		M.qmap_bad++;
}

/* send @len bytes of QMAP packets as one DATA frame; 0 or -errno */
static int qmap_send(const u8 *agg, unsigned int len, unsigned int limit)
{
	static u8 frame[BAM_DMUX_WIRE_MAX_BUF_SIZE];
	int n;

	n = bam_dmux_wire_build_buf(frame, sizeof(frame), limit,
				    BAM_DMUX_WIRE_CMD_DATA, M.qmap_ch, agg, len);
	if (n < 0)
		return n;
	return send_frame(frame, n);
}

/* QMAP packets being packed into one downlink frame */
static struct {
	u8 buf[BAM_DMUX_WIRE_MAX_BUF_SIZE];
	unsigned int off[65];
	unsigned int cnt, len;
} A;

static void qmap_flush(unsigned int limit)
{
	unsigned int i;
	int r;

	if (!A.cnt)
		return;
	r = qmap_send(A.buf, A.len, limit);
	if (r == -EMSGSIZE) {
		/* the host's next buffer is still a 2 KiB one */
		M.qmap_fallback++;
		A.off[A.cnt] = A.len;
		for (i = 0; i < A.cnt; i++)
			if (!qmap_send(A.buf + A.off[i], A.off[i + 1] - A.off[i],
				       BAM_DMUX_WIRE_BUF_SIZE)) {
				M.qmap_frames_down++;
				M.qmap_pkts_down++;
			}
	} else if (!r) {
		M.qmap_frames_down++;
		M.qmap_pkts_down += A.cnt;
		if (A.cnt > M.qmap_agg_max)
			M.qmap_agg_max = A.cnt;
		if (BAM_DMUX_WIRE_HDR_SIZE + A.len > BAM_DMUX_WIRE_BUF_SIZE)
			M.qmap_big_frames++;
	}
	A.cnt = A.len = 0;
}

/*
 * Downlink: the packets waiting on the mux TUNs, each behind a QMAP header,
 * packed into as few frames as the host's buffers hold (aggregation; 2 KiB
 * unless the host offered larger ones).  A frame the host's next buffer is
 * too small for (EMSGSIZE: buffers of the old size still queued) goes out
 * one packet per frame.
 */
static void qmap_downlink(void)
{
	static u8 pkt[BAM_DMUX_WIRE_MAX_BUF_SIZE];
	unsigned int limit = M.host_dl, pad, want;
	int busy = 1, rounds = 0, m;
	ssize_t n;

	while (busy && rounds++ < 64) {
		busy = 0;
		for (m = 0; m < M.nmux; m++) {
			n = read(M.mux[m].fd, pkt, sizeof(pkt));
			if (n <= 0)
				continue;
			busy = 1;
			if (!(M.open & (1u << M.qmap_ch)))
				continue;
			pad = (4 - (n & 3)) & 3;
			want = QMAP_HDR_LEN + n + pad;
			if (BAM_DMUX_WIRE_HDR_SIZE + want > limit) {
				M.st[ST_RX_ERR]++;
				continue;
			}
			if (BAM_DMUX_WIRE_HDR_SIZE + A.len + want > limit ||
			    A.cnt == 64)
				qmap_flush(limit);
			A.off[A.cnt++] = A.len;
			A.buf[A.len] = pad;
			A.buf[A.len + 1] = M.mux[m].id;
			A.buf[A.len + 2] = (n + pad) >> 8;
			A.buf[A.len + 3] = (n + pad) & 0xff;
			memcpy(A.buf + A.len + QMAP_HDR_LEN, pkt, n);
			memset(A.buf + A.len + QMAP_HDR_LEN + n, 0, pad);
			A.len += want;
			M.mux[m].down_pkts++;
			M.mux[m].down_bytes += n;
		}
	}
	qmap_flush(limit);
}

static void from_host(void)
{
	static u8 buf[BAM_DMUX_WIRE_MAX_BUF_SIZE + 64];
	struct bam_dmux_wire_frame f;
	ssize_t n;
	int i;

	for (i = 0; i < 64; i++) {
		n = read(M.fd, buf, sizeof(buf));
		if (n < 0) {
			if (errno != EAGAIN && errno != EINTR)
				die("read: %s", strerror(errno));
			return;
		}
		M.st[ST_TX_FRAMES]++;
		if (bam_dmux_wire_parse_buf(buf, n, BAM_DMUX_WIRE_MAX_BUF_SIZE, &f)) {
			M.st[ST_TX_BAD]++;
			continue;
		}
		switch (f.cmd) {
		case BAM_DMUX_WIRE_CMD_OPEN:
			M.st[ST_TX_OPEN]++;
			/* the host's receive buffers, if we negotiate */
			if (M.dyn_mtu && (f.signal & BAM_DMUX_WIRE_SIG_DYN_MTU))
				M.host_dl = bam_dmux_wire_sig_mtu(f.signal);
			break;
		case BAM_DMUX_WIRE_CMD_CLOSE:
			M.st[ST_TX_CLOSE]++;
			break;
		default:
			M.st[ST_TX_DATA]++;
			if (no_session(f.ch))
				break;
			if ((int)f.ch == M.qmap_ch) {
				qmap_uplink(buf + BAM_DMUX_WIRE_HDR_SIZE, f.len);
				break;
			}
			if (M.tun[f.ch] < 0 ||
			    write(M.tun[f.ch], buf + BAM_DMUX_WIRE_HDR_SIZE,
				  f.len) != f.len)
				M.st[ST_TX_NO_TUN]++;
		}
	}
}

static void from_tun(unsigned int ch)
{
	static u8 pkt[BAM_DMUX_WIRE_BUF_SIZE], frame[BAM_DMUX_WIRE_BUF_SIZE];
	ssize_t n;
	int len, i;

	for (i = 0; i < 64; i++) {
		n = read(M.tun[ch], pkt, sizeof(pkt));
		if (n <= 0)
			return;
		if (!(M.open & (1u << ch)))
			continue;	/* a closed channel carries nothing */
		if (no_session(ch))
			continue;
		len = bam_dmux_wire_build(frame, sizeof(frame),
					  BAM_DMUX_WIRE_CMD_DATA, ch, pkt, n);
		if (len < 0) {
			M.st[ST_RX_ERR]++;
			continue;
		}
		if (send_frame(frame, len) == 0) {
			M.st[ST_RX_DATA]++;
			M.st[ST_RX_BYTES] += n;
		}
	}
}

/* --loop-tun: a packet from one TUN to the other, nothing in between */
static void loop_forward(int from, int to)
{
	static u8 pkt[65536];
	ssize_t n;
	int i;

	for (i = 0; i < 64; i++) {
		n = read(from, pkt, sizeof(pkt));
		if (n <= 0)
			return;
		if (write(to, pkt, n) != n)
			M.st[ST_RX_ERR]++;
	}
}

/* ------------------------------------------------------------ QMI */

/* IPv4 address @ip/@prefix (host order) on @dev, or none when @ip is 0 */
static int if_set_addr(const char *dev, u32 ip, u8 prefix)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	struct ifreq ifr;
	int s, ret = 0;

	s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (s < 0)
		return -errno;
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, IFNAMSIZ, "%s", dev);
	sin.sin_addr.s_addr = htonl(ip);
	memcpy(&ifr.ifr_addr, &sin, sizeof(sin));
	if (ioctl(s, SIOCSIFADDR, &ifr))
		ret = -errno;
	if (!ret && ip) {
		sin.sin_addr.s_addr = htonl(prefix ? 0xffffffffu << (32 - prefix) : 0);
		memcpy(&ifr.ifr_netmask, &sin, sizeof(sin));
		if (ioctl(s, SIOCSIFNETMASK, &ifr))
			ret = -errno;
	}
	close(s);
	return ret;
}

/* the session's network side: the gateway address on channel 0's TUN */
static int qmi_connect(struct qmim *q)
{
	char name[IFNAMSIZ];
	int ret;

	if (!M.qmi_net)
		return 0;
	snprintf(name, sizeof(name), "%s0", M.tun_prefix);
	ret = if_set_addr(name, q->net.gw_ip, q->net.prefix);
	if (ret)
		fprintf(stderr, "bam-modem: %s: address: %s\n", name, strerror(-ret));
	note("data session up on %s", name);
	return ret;
}

static void qmi_disconnect(struct qmim *q)
{
	char name[IFNAMSIZ];

	(void)q;
	if (!M.qmi_net)
		return;
	snprintf(name, sizeof(name), "%s0", M.tun_prefix);
	if_set_addr(name, 0, 0);
	note("data session down on %s", name);
}

static const struct qmim_ops qmi_ops = {
	.connect = qmi_connect,
	.disconnect = qmi_disconnect,
};

static void qmi_send(const u8 *buf, size_t len)
{
	if (write(M.qfd, buf, len) != (ssize_t)len)
		M.st[ST_QMI_WRITE_ERR]++;
}

/* frames from the host's control port: answer each */
static void qmi_from_host(void)
{
	static u8 req[8192], resp[8192];
	ssize_t n;
	int i, r;

	for (i = 0; i < 64; i++) {
		n = read(M.qfd, req, sizeof(req));
		if (n <= 0)
			return;
		M.st[ST_QMI_FRAMES]++;
		r = qmim_handle(&M.qmi, req, n, resp, sizeof(resp));
		if (r > 0) {
			qmi_send(resp, r);
			M.st[ST_QMI_ANSWERS]++;
		}
	}
}

/* inject @n malformed QMUX frames of @kind; the driver must drop each */
static int qmi_inject(const char *kind, int n)
{
	/* a valid CTL Sync response to break: 01 0b00 80 00 00 | 01 00 2700 0000 */
	static const u8 good[] = { 0x01, 0x0b, 0x00, 0x80, 0x00, 0x00,
				   0x01, 0x00, 0x27, 0x00, 0x00, 0x00 };
	u8 f[64];
	int i, len, ex;

	for (i = 0; i < n; i++) {
		memcpy(f, good, sizeof(good));
		len = sizeof(good);
		if (!strcmp(kind, "marker")) {
			f[0] = 0x02 + i % 200;
			ex = QMUX_EMARKER;
		} else if (!strcmp(kind, "qmux_len")) {
			f[1] = 0x20;		/* claims more than is there */
			ex = QMUX_ELEN;
		} else if (!strcmp(kind, "qmi_len")) {
			f[10] = 3;		/* TLV length 3, none follow */
			ex = QMUX_EQMILEN;
		} else if (!strcmp(kind, "tlv")) {
			/* a TLV header claiming 0x10 bytes, 1 byte of value */
			f[1] = 0x0f;
			f[10] = 4;
			f[12] = 0x02;
			f[13] = 0x10;
			f[14] = 0x00;
			f[15] = 0xaa;
			len = 16;
			ex = QMUX_ETLV;
		} else if (!strcmp(kind, "short")) {
			len = 1 + i % 11;
			f[1] = len - 1;
			ex = QMUX_ESHORT;
		} else {
			return -1;
		}
		if (write(M.qfd, f, len) == len) {
			M.qex[ex]++;
			M.st[ST_QMI_INJECTED]++;
		} else {
			M.st[ST_QMI_WRITE_ERR]++;
		}
	}
	return 0;
}

/* ------------------------------------------------------------ faults */

/* a small IPv4/UDP packet (or non-IP bytes) of @len bytes */
static void fake_packet(u8 *p, int len, int ip)
{
	memset(p, 0, len);
	if (!ip) {
		memset(p, 0xee, len);
		return;
	}
	p[0] = 0x45;
	p[2] = len >> 8;
	p[3] = len & 0xff;
	p[8] = 64;
	p[9] = 17;	/* UDP to 192.0.2.1:9 from 192.0.2.2 */
	p[12] = 192; p[14] = 2; p[15] = 2;
	p[16] = 192; p[18] = 2; p[19] = 1;
}

static void hdr_raw(u8 *f, u16 magic, u8 cmd, u8 pad, u8 ch, u16 len)
{
	f[0] = magic & 0xff;
	f[1] = magic >> 8;
	f[2] = 0;
	f[3] = cmd;
	f[4] = pad;
	f[5] = ch;
	f[6] = len & 0xff;
	f[7] = len >> 8;
}

/* inject @n bad frames of @kind; the driver must count each by reason */
static int inject(const char *kind, int n, unsigned int ch)
{
	static u8 f[BAM_DMUX_WIRE_BUF_SIZE];
	int i, len, ex;

	for (i = 0; i < n; i++) {
		memset(f, 0, sizeof(f));
		if (!strcmp(kind, "magic")) {
			len = bam_dmux_wire_build(f, sizeof(f), 0, ch, f + 100, 20);
			f[0] = 0x34;
			f[1] = 0x12;
			ex = EX_MAGIC;
		} else if (!strcmp(kind, "channel")) {
			len = bam_dmux_wire_build(f, sizeof(f), 0, 0, f + 100, 20);
			f[5] = NCH + (i % (256 - NCH));
			ex = EX_CHANNEL;
		} else if (!strcmp(kind, "cmd")) {
			hdr_raw(f, BAM_DMUX_WIRE_MAGIC, 3 + i % 200, 0, ch, 0);
			len = 8;
			ex = EX_CMD;
		} else if (!strcmp(kind, "zero")) {
			hdr_raw(f, BAM_DMUX_WIRE_MAGIC, 0, 0, ch, 0);
			len = 8;
			ex = EX_ZERO;
		} else if (!strcmp(kind, "toolong")) {
			hdr_raw(f, BAM_DMUX_WIRE_MAGIC, 0, 0, ch, 3000 + i);
			len = BAM_DMUX_WIRE_BUF_SIZE;
			ex = EX_TOOLONG;
		} else if (!strcmp(kind, "pad")) {
			/* 21 bytes need 3 of padding; claim 1, frame matches */
			fake_packet(f + 8, 21, 1);
			hdr_raw(f, BAM_DMUX_WIRE_MAGIC, 0, 1, ch, 21);
			len = 8 + 21 + 1;
			ex = EX_PAD;
		} else if (!strcmp(kind, "length")) {
			/* honest pad, 4 stray bytes after it */
			fake_packet(f + 8, 40, 1);
			hdr_raw(f, BAM_DMUX_WIRE_MAGIC, 0, 0, ch, 40);
			len = 8 + 40 + 4;
			ex = EX_LENGTH;
		} else if (!strcmp(kind, "short")) {
			hdr_raw(f, BAM_DMUX_WIRE_MAGIC, 0, 0, ch, 0);
			len = 1 + i % 7;
			ex = EX_SHORT;
		} else if (!strcmp(kind, "proto")) {
			fake_packet(f + 8, 28, 0);
			len = bam_dmux_wire_build(f, sizeof(f), 0, ch, f + 8, 28);
			ex = EX_PROTO;
		} else if (!strcmp(kind, "closed")) {
			/* valid IPv4 on a channel the host has no open netdev for */
			fake_packet(f + 8, 28, 1);
			len = bam_dmux_wire_build(f, sizeof(f), 0, ch, f + 8, 28);
			ex = EX_CLOSED;
		} else {
			return -1;
		}
		if (send_frame(f, len) == 0) {
			M.ex[ex]++;
			M.st[ST_INJECTED]++;
		}
	}
	return 0;
}

/* valid IPv4 frames as fast as the host takes them */
static void flood(unsigned int ch, int n)
{
	static u8 pkt[64], f[128];
	int i, len;

	fake_packet(pkt, 28, 1);
	len = bam_dmux_wire_build(f, sizeof(f), 0, ch, pkt, 28);
	for (i = 0; i < n; i++)
		if (send_frame(f, len) == 0)
			M.st[ST_RX_DATA]++;
}

static void power_collapse(void)
{
	u32 before = M.host_acks;

	set_bits(BAM_DMUX_MODEM_POWER_CTRL, 0);
	if (wait_host_ack(before, 3000))
		fprintf(stderr, "bam-modem: host did not ack power down\n");
	/* traffic into the collapse: the host has no buffers (rx_nolink) */
	flood(0, 5);
	before = M.host_acks;
	set_bits(BAM_DMUX_MODEM_POWER_CTRL, BAM_DMUX_MODEM_POWER_CTRL);
	if (wait_host_ack(before, 3000))
		fprintf(stderr, "bam-modem: host did not ack power up\n");
}

static void control(char *line)
{
	char cmd[32] = "", arg[32] = "";
	int a = 0, b = 0, n;

	n = sscanf(line, "%31s %31s %d %d", cmd, arg, &a, &b);
	if (n < 1)
		return;
	note("control: %s", line);
	if (!strcmp(cmd, "stats")) {
		write_stats();
	} else if (!strcmp(cmd, "ack")) {
		M.ack = !strcmp(arg, "on");
		if (M.ack)
			host_state();	/* ack what is pending */
		else
			M.ack_due = 0;
	} else if (!strcmp(cmd, "ack-delay")) {
		M.ack_delay_ms = atoi(arg);
	} else if (!strcmp(cmd, "bad") && n >= 2) {
		if (inject(arg, n >= 3 ? a : 1, n >= 4 ? b : 0))
			fprintf(stderr, "bam-modem: unknown fault %s\n", arg);
	} else if (!strcmp(cmd, "close") && n >= 2) {
		close_channel(atoi(arg) % NCH);
	} else if (!strcmp(cmd, "open") && n >= 2) {
		open_channel(atoi(arg) % NCH);
	} else if (!strcmp(cmd, "flood") && n >= 3) {
		flood(atoi(arg) % NCH, a);
	} else if (!strcmp(cmd, "qmi-bad") && n >= 2) {
		if (M.qfd < 0 || qmi_inject(arg, n >= 3 ? a : 1))
			fprintf(stderr, "bam-modem: cannot inject QMUX fault %s\n", arg);
	} else if (!strcmp(cmd, "collapse")) {
		power_collapse();
	} else if (!strcmp(cmd, "quit")) {
		M.stop = 1;
	} else {
		fprintf(stderr, "bam-modem: unknown control command: %s\n", line);
	}
	write_stats();
}

static void control_read(void)
{
	static char buf[4096];
	static size_t have;
	char *nl;
	ssize_t n;

	n = read(M.ctl_fd, buf + have, sizeof(buf) - 1 - have);
	if (n <= 0)
		return;
	have += n;
	buf[have] = 0;
	while ((nl = strchr(buf, '\n'))) {
		*nl = 0;
		control(buf);
		have -= nl + 1 - buf;
		memmove(buf, nl + 1, have + 1);
	}
	if (have == sizeof(buf) - 1)
		have = 0;
}

/* ------------------------------------------------------------ main */

static void usage(FILE *out)
{
	fprintf(out,
"Usage: bam-modem [OPTIONS]\n"
"The modem side of socbpf_bam_dmux: powers up, acks the host's power votes,\n"
"OPENs channels and forwards each channel's IP packets to a TUN device.\n"
"\n"
"  -d, --device PATH       modem device (default /dev/bam-dmux-modem)\n"
"  -c, --channels LIST     channels to OPEN, e.g. 0,1 (default 0; 0-7)\n"
"  -n, --netns NAME        create the TUNs in network namespace NAME\n"
"                          (/run/netns/NAME, from 'ip netns add NAME')\n"
"  -t, --tun-prefix P      TUN device names P<channel> (default bmtun)\n"
"      --no-tun            no TUN devices: data from the host is counted only\n"
"      --loop-tun NAME     also a plain TUN path for comparisons: TUN NAME in\n"
"                          this namespace, forwarded by this process to TUN\n"
"                          <prefix>lp in --netns (no BAM-DMUX in between)\n"
"  -q, --qmi-dev PATH      QMI control channel (default /dev/bam-dmux-ctl)\n"
"      --no-qmi            do not answer QMI\n"
"      --dyn-mtu SIZE      negotiate buffer sizes as downstream's bam_dmux:\n"
"                          announce SIZE (2048..16384) as the host's largest\n"
"                          frame; use the host's offered buffers downlink\n"
"      --qmap CH:MUX,...   channel CH carries QMAP (rmnet on the host): one TUN\n"
"                          <prefix><CH>m<MUX> per mux id, downlink packets\n"
"                          aggregated into as few frames as the buffers hold\n"
"      --qmi-net           channel 0 follows the QMI data session: its TUN\n"
"                          gets the gateway address on WDS Start Network and\n"
"                          carries data only while the session is up\n"
"  -a, --ack-delay MS      ack the host's power votes MS ms late\n"
"      --no-ack            never ack the host's power votes\n"
"  -C, --control PATH      FIFO for runtime commands (created if missing)\n"
"  -S, --stats PATH        write counters and expected driver drops to PATH\n"
"  -r, --ready PATH        create PATH once the channels are open\n"
"  -v, --verbose           log power and control events to stderr\n"
"  -h, --help              this text\n"
"\n"
"Control commands (one a line):\n"
"  ack on|off              ack the host's votes or ignore them\n"
"  ack-delay MS            slow acks\n"
"  bad KIND [N] [CH]       N bad frames (default 1, channel 0) of KIND:\n"
"                          magic channel cmd zero toolong pad length short,\n"
"                          proto (not IP), closed (IP on a closed channel)\n"
"  open CH | close CH      OPEN or CLOSE a channel (also under traffic)\n"
"  flood CH N              N small valid IPv4 frames on CH, back to back\n"
"  qmi-bad KIND [N]        N malformed QMUX frames on the control channel:\n"
"                          marker qmux_len qmi_len tlv short\n"
"  collapse                power collapse: drop power control, send 5 frames\n"
"                          (refused: rx_nolink), raise power control again\n"
"  stats                   rewrite the stats file now\n"
"  quit                    exit\n"
"\n"
"Examples:\n"
"  ip netns add modem\n"
"  bam-modem -n modem -c 0,1 -C /tmp/modem.ctl -S /tmp/modem.stats &\n"
"  ip -n modem addr add 10.64.0.1/30 dev bmtun0   # network side\n"
"  ip addr add 10.64.0.2/30 dev wwan0 && ip link set wwan0 up\n"
"  ping 10.64.0.1\n"
"  echo 'bad magic 5' > /tmp/modem.ctl     # 5 frames the driver must drop\n"
"  echo 'ack off' > /tmp/modem.ctl         # the next power-up fails\n"
"  bam-modem -n modem --qmi-net &                  # QMI data session\n"
"  qmicli -d /dev/wwan0qmi0 --wds-start-network=apn=internet --client-no-release-cid\n"
"  qmicli -d /dev/wwan0qmi0 --wds-get-current-settings\n");
}

static void on_signal(int sig)
{
	(void)sig;
	M.stop = 1;
}

/* --qmap CH:MUX[,MUX...] */
static void parse_qmap(const char *s)
{
	char *end;
	long v;

	v = strtol(s, &end, 10);
	if (end == s || *end != ':' || v < 0 || v >= NCH)
		die("bad --qmap '%s' (CH:MUX[,MUX...], e.g. 0:1,2)", s);
	M.qmap_ch = v;
	s = end + 1;
	while (*s) {
		v = strtol(s, &end, 10);
		if (end == s || v < 1 || v > 254 || M.nmux == NMUX ||
		    qmap_mux_of(v))
			die("bad --qmap mux list '%s' (1-254, at most %d)", s, NMUX);
		M.mux[M.nmux].id = v;
		M.mux[M.nmux++].fd = -1;
		s = end;
		if (*s == ',')
			s++;
		else if (*s)
			die("bad --qmap mux list '%s'", s);
	}
	if (!M.nmux)
		die("--qmap needs at least one mux id");
}

static void set_mtu(const char *name, int mtu)
{
	struct ifreq ifr;
	int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, IFNAMSIZ, "%s", name);
	ifr.ifr_mtu = mtu;
	if (s < 0 || ioctl(s, SIOCSIFMTU, &ifr))
		die("SIOCSIFMTU %s: %s", name, strerror(errno));
	close(s);
}

static unsigned int parse_channels(const char *s)
{
	unsigned int mask = 0;
	char *end;
	long v;

	while (*s) {
		v = strtol(s, &end, 10);
		if (end == s || v < 0 || v >= NCH)
			die("bad channel list '%s' (channels are 0-7)", s);
		mask |= 1u << v;
		s = end;
		if (*s == ',')
			s++;
		else if (*s)
			die("bad channel list '%s'", s);
	}
	return mask;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "device", required_argument, NULL, 'd' },
		{ "channels", required_argument, NULL, 'c' },
		{ "netns", required_argument, NULL, 'n' },
		{ "tun-prefix", required_argument, NULL, 't' },
		{ "no-tun", no_argument, NULL, 'T' },
		{ "loop-tun", required_argument, NULL, 'L' },
		{ "qmi-dev", required_argument, NULL, 'q' },
		{ "no-qmi", no_argument, NULL, 'Q' },
		{ "qmi-net", no_argument, NULL, 'I' },
		{ "dyn-mtu", required_argument, NULL, 'M' },
		{ "qmap", required_argument, NULL, 'P' },
		{ "ack-delay", required_argument, NULL, 'a' },
		{ "no-ack", no_argument, NULL, 'N' },
		{ "control", required_argument, NULL, 'C' },
		{ "stats", required_argument, NULL, 'S' },
		{ "ready", required_argument, NULL, 'r' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ }
	};
	struct pollfd pfd[NCH + 5 + NMUX];
	int no_tun = 0, no_qmi = 0, c, i, np, tmo;
	unsigned int ch;
	long long t;
	char name[IFNAMSIZ];
	char *end;

	while ((c = getopt_long(argc, argv, "d:c:n:t:q:a:C:S:r:vh", opts, NULL)) != -1) {
		switch (c) {
		case 'd': M.dev_path = optarg; break;
		case 'c': M.channels = parse_channels(optarg); break;
		case 'n': M.netns = optarg; break;
		case 't': M.tun_prefix = optarg; break;
		case 'T': no_tun = 1; break;
		case 'L': M.loop_tun = optarg; break;
		case 'q': M.ctl_dev_path = optarg; break;
		case 'Q': no_qmi = 1; break;
		case 'I': M.qmi_net = 1; break;
		case 'M':
			M.dyn_mtu = strtoul(optarg, &end, 10);
			if (*end || M.dyn_mtu < BAM_DMUX_WIRE_BUF_SIZE ||
			    M.dyn_mtu > BAM_DMUX_WIRE_MAX_BUF_SIZE)
				die("bad --dyn-mtu '%s' (2048..16384)", optarg);
			break;
		case 'P': parse_qmap(optarg); break;
		case 'a':
			M.ack_delay_ms = strtoul(optarg, &end, 10);
			if (*end || end == optarg)
				die("bad --ack-delay '%s'", optarg);
			break;
		case 'N': M.ack = 0; break;
		case 'C': M.ctl_path = optarg; break;
		case 'S': M.stats_path = optarg; break;
		case 'r': M.ready_path = optarg; break;
		case 'v': M.verbose = 1; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "bam-modem: unexpected argument '%s'\n", argv[optind]);
		usage(stderr);
		return 2;
	}
	if (strlen(M.tun_prefix) > IFNAMSIZ - 2)
		die("--tun-prefix too long");

	M.fd = open(M.dev_path, O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (M.fd < 0)
		die("%s: %s%s", M.dev_path, strerror(errno),
		    errno == EBUSY ? " (another modem is attached)" :
		    errno == ENOENT ? " (insmod socbpf_bam_dmux.ko)" : "");
	M.qfd = -1;
	if (!no_qmi) {
		M.qfd = open(M.ctl_dev_path, O_RDWR | O_NONBLOCK | O_CLOEXEC);
		if (M.qfd < 0)
			die("%s: %s (--no-qmi to run without the control channel)",
			    M.ctl_dev_path, strerror(errno));
	} else if (M.qmi_net) {
		die("--qmi-net needs the QMI control channel");
	}
	M.qmi.ops = &qmi_ops;
	qmim_init(&M.qmi);
	M.loop_host = M.loop_ns = -1;
	if (M.loop_tun)
		M.loop_host = tun_open(M.loop_tun);
	if (M.netns)
		enter_netns(M.netns);
	if (M.loop_tun) {
		snprintf(name, sizeof(name), "%slp", M.tun_prefix);
		M.loop_ns = tun_open(name);
	}
	for (i = 0; i < M.nmux && !no_tun; i++) {
		snprintf(name, sizeof(name), "%s%dm%u", M.tun_prefix, M.qmap_ch,
			 M.mux[i].id);
		M.mux[i].fd = tun_open(name);
		set_mtu(name, 9000);
	}
	for (ch = 0; ch < NCH; ch++) {
		M.tun[ch] = -1;
		if (no_tun || !(M.channels & (1u << ch)) || (int)ch == M.qmap_ch)
			continue;
		snprintf(name, sizeof(name), "%s%u", M.tun_prefix, ch);
		M.tun[ch] = tun_open(name);
	}
	M.ctl_fd = M.ctl_wfd = -1;
	if (M.ctl_path) {
		if (access(M.ctl_path, F_OK) && mkfifo(M.ctl_path, 0600))
			die("cannot create FIFO %s: %s", M.ctl_path, strerror(errno));
		M.ctl_fd = open(M.ctl_path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
		/* hold a writer: the FIFO never reports end-of-file */
		M.ctl_wfd = open(M.ctl_path, O_WRONLY | O_NONBLOCK | O_CLOEXEC);
		if (M.ctl_fd < 0 || M.ctl_wfd < 0)
			die("FIFO %s: %s", M.ctl_path, strerror(errno));
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGPIPE, SIG_IGN);

	/* power up the host's receive side, then open the channels */
	host_state();
	{
		u32 before = M.host_acks;

		set_bits(BAM_DMUX_MODEM_POWER_CTRL, BAM_DMUX_MODEM_POWER_CTRL);
		if (wait_host_ack(before, 5000))
			die("the host did not ack power-up");
	}
	for (ch = 0; ch < NCH; ch++)
		if (M.channels & (1u << ch))
			open_channel(ch);
	write_stats();
	if (M.ready_path) {
		i = open(M.ready_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
		if (i >= 0)
			close(i);
	}

	while (!M.stop) {
		np = 0;
		pfd[np++] = (struct pollfd){ .fd = M.fd, .events = POLLIN | POLLPRI };
		pfd[np++] = (struct pollfd){ .fd = M.ctl_fd, .events = POLLIN };
		for (ch = 0; ch < NCH; ch++)
			pfd[np++] = (struct pollfd){ .fd = M.tun[ch], .events = POLLIN };
		pfd[np++] = (struct pollfd){ .fd = M.loop_host, .events = POLLIN };
		pfd[np++] = (struct pollfd){ .fd = M.loop_ns, .events = POLLIN };
		pfd[np++] = (struct pollfd){ .fd = M.qfd, .events = POLLIN };
		for (i = 0; i < M.nmux; i++)
			pfd[np++] = (struct pollfd){ .fd = M.mux[i].fd, .events = POLLIN };
		tmo = 1000;
		if (M.ack_due) {
			t = M.ack_due - now_ms();
			tmo = t < 0 ? 0 : t < tmo ? t : tmo;
		}
		if (poll(pfd, np, tmo) < 0) {
			if (errno == EINTR)
				continue;
			die("poll: %s", strerror(errno));
		}
		if (pfd[0].revents & POLLPRI)
			host_state();
		if (M.ack_due && now_ms() >= M.ack_due) {
			M.ack_due = 0;
			if (M.ack)
				send_ack();
		}
		if (pfd[0].revents & POLLIN)
			from_host();
		if (pfd[1].revents & POLLIN)
			control_read();
		for (ch = 0; ch < NCH; ch++)
			if (pfd[2 + ch].revents & POLLIN)
				from_tun(ch);
		if (pfd[2 + NCH].revents & POLLIN)
			loop_forward(M.loop_host, M.loop_ns);
		if (pfd[3 + NCH].revents & POLLIN)
			loop_forward(M.loop_ns, M.loop_host);
		if (pfd[4 + NCH].revents & POLLIN)
			qmi_from_host();
		for (i = 0; i < M.nmux; i++)
			if (pfd[5 + NCH + i].revents & POLLIN) {
				qmap_downlink();
				break;
			}
	}
	write_stats();
	return 0;
}
