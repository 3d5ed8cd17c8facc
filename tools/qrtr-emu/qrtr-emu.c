// SPDX-License-Identifier: GPL-2.0
/*
 * qrtr-emu: plays one remote QRTR device (modem / WLAN firmware) on one open
 * file of /dev/qrtr-tun.  See --help.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include <uapi/linux/socbpf_qrtr.h>
#include <socbpf/qrtr_wire.h>
#include <socbpf/qmi_wire.h>
#include "emu_frames.h"
#include "emu_wlfw.h"

#define MAX_SERVICES	32
#define BUF_SZ		(QRTR_WIRE_MAX_PAYLOAD + 256)
#define ECHO_PREFIX_MAX	256

struct service {
	u32 svc, ver, inst, port;
};

enum echo_mode { ECHO_TAG, ECHO_RAW };

static struct {
	const char *dev;
	int fd;		/* --fd: inherited SOCK_SEQPACKET, for host tests */
	char key[QRTR_TUN_KEY_MAX];
	u32 node;
	struct service svcs[MAX_SERVICES];
	int nsvcs;
	const char *ready_file;
	const char *control;
	const char *stats_file;
	long malformed_n;
	int malformed_kind;	/* -1: cycle through all */
	int hello_timeout_ms;
	bool no_hello;
	bool ping_reply;
	bool verbose;
	enum echo_mode echo;
	const char *manufacturer, *model, *revision;
	bool wlfw;		/* service 69 plays WLAN firmware */
	struct wlfw_fw fw;
} opt = {
	.dev = "/dev/qrtr-tun",
	.fd = -1,
	.node = 7,
	.malformed_kind = -1,
	.hello_timeout_ms = 2000,
	.ping_reply = true,
	.echo = ECHO_TAG,
};

/*
 * RESUME_TX replies held back by --resume-delay: a slow device.  At most
 * MAX_HELD; past that the oldest goes out early (a real device's backlog
 * is bounded by the host's window anyway).
 */
#define MAX_HELD	64
static struct {
	long due;
	u32 node, port, to_port;
} held[MAX_HELD];
static int nheld;
static long resume_delay_ms;

/*
 * A slow or silent DMS: each answer goes out qmi_delay_ms late (the
 * emulator sleeps, so it serves one request at a time, as a firmware task
 * would), and the next qmi_drop requests get no answer at all.
 */
static long qmi_delay_ms;
static unsigned long qmi_drop;

static struct {
	unsigned long rx[QRTR_WIRE_TYPE_MAX + 1];
	unsigned long rx_bad[QRTR_WIRE_ERR_MAX];
	unsigned long rx_unknown_port;
	unsigned long tx[QRTR_WIRE_TYPE_MAX + 1];
	unsigned long tx_err;
	unsigned long echo;
	unsigned long qmi_req;
	unsigned long qmi_bad;
	unsigned long qmi_dropped;
	unsigned long resume_tx;
	unsigned long bad_sent;
	unsigned long bad_by_kind[EMU_BAD_NR];
	unsigned long bad_by_reason[QRTR_WIRE_ERR_MAX];
	unsigned long bad_write_err;
	unsigned long host_hello, host_bye, del_client;
} st;

static int tun_fd = -1;
static u32 endpoint_id;
static u32 host_node = QRTR_WIRE_NODE_BCAST;
static bool host_seen, announced, hello_sent;
static volatile sig_atomic_t got_stop, got_usr1;
static u8 txbuf[BUF_SZ];
static u8 rxbuf[BUF_SZ];

static void logmsg(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "qrtr-emu[%s]: ", opt.key[0] ? opt.key : "?");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

#define vlog(...) do { if (opt.verbose) logmsg(__VA_ARGS__); } while (0)

static void usage(FILE *f)
{
	fprintf(f,
"Usage: qrtr-emu [OPTIONS]\n"
"Emulate one remote QRTR device on /dev/qrtr-tun (one open file = one endpoint).\n"
"\n"
"  -d, --dev PATH           tun device (default /dev/qrtr-tun; upstream's\n"
"                           qrtr-tun works too: no ioctls, endpoint=0)\n"
"  -k, --key KEY            device key, e.g. pci:0000:01:00.0 (required)\n"
"  -n, --node N             our node id (default 7)\n"
"  -s, --service S:V:I[@P]  announce service S version V instance I on port P\n"
"                           (repeatable; default port 1,2,3... in order).\n"
"                           Service 2 (DMS) answers QMI Get Manufacturer/\n"
"                           Model/Revision; all others echo data packets\n"
"  -r, --ready-file PATH    write 'endpoint=E node=N' there once announced\n"
"  -c, --control PATH       FIFO of commands (created if missing), one a line:\n"
"                           'malformed N [KIND]', 'hello', 'bye', 'announce',\n"
"                           'del-server', 'stats', 'quit',\n"
"                           'new-server SVC INST PORT [NODE]' and\n"
"                           'del-server-raw SVC INST PORT NODE' (raw control\n"
"                           messages, e.g. a server of a node behind us),\n"
"                           'flood N' (N NEW_SERVERs back to back),\n"
"                           'resume-delay MS' (as the option; 0 flushes),\n"
"                           'qmi-delay MS' (DMS answers MS late, one at a\n"
"                           time), 'qmi-drop N' (next N DMS requests get no\n"
"                           answer: the client times out)\n"
"  -S, --stats-file PATH    write counters (key=value) there on exit/SIGUSR1/'stats'\n"
"  -m, --malformed N        after announcing, send N malformed frames\n"
"  -K, --malformed-kind K   only that kind (default: cycle through all);\n"
"                           'list' prints the kinds\n"
"  -t, --hello-timeout MS   announce even without the host's HELLO after MS\n"
"                           (default 2000, 0 = wait forever)\n"
"      --no-hello           do not send HELLO first (wait for the host's)\n"
"      --no-ping-reply      do not answer PING\n"
"      --resume-delay MS    a slow device: send each RESUME_TX MS late\n"
"      --echo-raw           echo payloads unchanged (default: prefix a tag\n"
"                           'key=K ep=E node=N port=P svc=S inst=I|')\n"
"      --manufacturer STR, --model STR, --revision STR   QMI DMS answers\n"
"      --wlfw SPEC          service 69 plays WLAN firmware (QMI WLFW handshake:\n"
"                           ind register, host cap, memory, target cap, fw\n"
"                           ready) with chip=N,family=N,board=N,soc=N,fw=N,\n"
"                           build=STR,ts=STR; hang=MSGID never answers MSGID\n"
"      --fd N               use inherited fd N (a SOCK_SEQPACKET) instead of\n"
"                           the tun device, without ioctls (host tests)\n"
"  -v, --verbose            log every packet to stderr\n"
"  -h, --help               this text\n"
"\n"
"Prints 'ready endpoint=E node=N key=K' on stdout when announced; SIGINT or\n"
"SIGTERM sends BYE and exits 0.\n"
"\n"
"Examples:\n"
"  qrtr-emu --key pci:0000:01:00.0 --node 7 --service 69:1:0 -r /tmp/d1.ready\n"
"  qrtr-emu -k modem0 -n 7 -s 2:1:0 -s 15:1:0@40     # qmicli -d qrtr://7 --dms-get-revision\n"
"  qrtr-emu -k bad0 -n 9 -s 69:1:0 --malformed 100 -S /tmp/bad0.stats\n"
"  echo 'malformed 20 trunc' > /tmp/ctl   # with --control /tmp/ctl\n");
}

static void die_usage(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "qrtr-emu: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry 'qrtr-emu --help'.\n");
	exit(2);
}

static bool parse_u32(const char *s, u32 *out)
{
	char *end;
	unsigned long v;

	if (!s || !*s || *s == '-')
		return false;
	errno = 0;
	v = strtoul(s, &end, 0);
	if (errno || *end || v > UINT32_MAX)
		return false;
	*out = (u32)v;
	return true;
}

static void parse_service(const char *arg)
{
	char tmp[128], *parts[4] = { 0 }, *at, *save = NULL, *tok;
	struct service *s;
	int n = 0;

	if (opt.nsvcs >= MAX_SERVICES)
		die_usage("too many --service (max %d)", MAX_SERVICES);
	if (strlen(arg) >= sizeof(tmp))
		die_usage("bad --service '%s'", arg);
	strcpy(tmp, arg);
	at = strchr(tmp, '@');
	if (at)
		*at++ = 0;
	for (tok = strtok_r(tmp, ":", &save); tok && n < 4;
	     tok = strtok_r(NULL, ":", &save))
		parts[n++] = tok;
	s = &opt.svcs[opt.nsvcs];
	if (n != 3 || !parse_u32(parts[0], &s->svc) ||
	    !parse_u32(parts[1], &s->ver) || !parse_u32(parts[2], &s->inst))
		die_usage("bad --service '%s' (want SVC:VER:INST[@PORT])", arg);
	if (s->ver > 0xff || s->inst > 0xffffff)
		die_usage("--service '%s': version must be < 256, instance < 2^24",
			  arg);
	if (at) {
		if (!parse_u32(at, &s->port) || s->port == 0 ||
		    s->port >= QRTR_WIRE_PORT_CTRL)
			die_usage("bad port in --service '%s'", arg);
	} else {
		s->port = (u32)opt.nsvcs + 1;
	}
	for (n = 0; n < opt.nsvcs; n++)
		if (opt.svcs[n].port == s->port)
			die_usage("--service '%s': port %u used twice", arg,
				  s->port);
	opt.nsvcs++;
}

static int parse_kind(const char *s)
{
	int k;

	for (k = 0; k < EMU_BAD_NR; k++)
		if (!strcmp(s, emu_bad_name(k)))
			return k;
	if (!strcmp(s, "all"))
		return -1;
	return -2;
}

/* ------------------------------------------------------------------ tx */

static int tun_write(const u8 *buf, size_t len)
{
	ssize_t n = write(tun_fd, buf, len);

	if (n < 0)
		return -errno;
	if ((size_t)n != len)
		return -EIO;
	return 0;
}

static void send_pkt(size_t len, u32 type)
{
	int ret;

	if (!len) {
		st.tx_err++;
		return;
	}
	ret = tun_write(txbuf, len);
	if (ret) {
		st.tx_err++;
		logmsg("write type %u: %s", type, strerror(-ret));
		return;
	}
	if (type <= QRTR_WIRE_TYPE_MAX)
		st.tx[type]++;
}

static void send_hello(void)
{
	send_pkt(emu_build_ctrl(txbuf, sizeof(txbuf), QRTR_WIRE_TYPE_HELLO,
				opt.node, QRTR_WIRE_NODE_BCAST, 0, 0, 0, 0),
		 QRTR_WIRE_TYPE_HELLO);
	hello_sent = true;
	vlog("sent HELLO node %u", opt.node);
}

static void send_bye(void)
{
	send_pkt(emu_build_ctrl(txbuf, sizeof(txbuf), QRTR_WIRE_TYPE_BYE,
				opt.node, host_node, 0, 0, 0, 0),
		 QRTR_WIRE_TYPE_BYE);
}

static void send_servers(u32 cmd)
{
	int i;

	for (i = 0; i < opt.nsvcs; i++) {
		const struct service *s = &opt.svcs[i];

		send_pkt(emu_build_ctrl(txbuf, sizeof(txbuf), cmd, opt.node,
					host_node, s->svc,
					s->ver | (s->inst << 8), opt.node,
					s->port), cmd);
		vlog("sent %s svc %u ver %u inst %u port %u",
		     cmd == QRTR_WIRE_TYPE_NEW_SERVER ? "NEW_SERVER" :
		     "DEL_SERVER", s->svc, s->ver, s->inst, s->port);
	}
}

static void write_stats(void)
{
	char tmp[PATH_MAX];
	FILE *f;
	int i;

	if (!opt.stats_file)
		return;
	snprintf(tmp, sizeof(tmp), "%s.tmp", opt.stats_file);
	f = fopen(tmp, "w");
	if (!f) {
		logmsg("cannot write %s: %s", tmp, strerror(errno));
		return;
	}
	fprintf(f, "key=%s\nendpoint=%u\nnode=%u\n", opt.key, endpoint_id,
		opt.node);
	fprintf(f, "malformed_sent=%lu\nmalformed_write_err=%lu\n",
		st.bad_sent, st.bad_write_err);
	for (i = 1; i < QRTR_WIRE_ERR_MAX; i++)
		fprintf(f, "malformed_%s=%lu\n", qrtr_wire_err_name(i),
			st.bad_by_reason[i]);
	for (i = 0; i < EMU_BAD_NR; i++)
		fprintf(f, "kind_%s=%lu\n", emu_bad_name(i), st.bad_by_kind[i]);
	for (i = 1; i <= QRTR_WIRE_TYPE_MAX; i++)
		fprintf(f, "rx_type%d=%lu\ntx_type%d=%lu\n", i, st.rx[i], i,
			st.tx[i]);
	fprintf(f, "rx_bad=%lu\nrx_unknown_port=%lu\ntx_err=%lu\necho=%lu\n"
		"qmi_req=%lu\nqmi_bad=%lu\nresume_tx=%lu\nhost_hello=%lu\n"
		"host_bye=%lu\ndel_client=%lu\nwlfw_req=%lu\nwlfw_bad=%lu\n"
		"wlfw_handshakes=%lu\nqmi_dropped=%lu\n",
		st.rx_bad[1] + st.rx_bad[2] + st.rx_bad[3] + st.rx_bad[4] +
		st.rx_bad[5], st.rx_unknown_port, st.tx_err, st.echo,
		st.qmi_req, st.qmi_bad, st.resume_tx, st.host_hello,
		st.host_bye, st.del_client, opt.fw.req, opt.fw.bad,
		opt.fw.handshakes, st.qmi_dropped);
	fclose(f);
	if (rename(tmp, opt.stats_file))
		logmsg("rename %s: %s", tmp, strerror(errno));
}

static void send_malformed(long n, int kind)
{
	long i;

	for (i = 0; i < n && !got_stop; i++) {
		int k = kind >= 0 ? kind : (int)(st.bad_sent % EMU_BAD_NR);
		struct qrtr_wire_pkt pkt;
		size_t len;
		int reason, ret;

		len = emu_build_bad(txbuf, sizeof(txbuf), k, opt.node,
				    opt.nsvcs ? opt.svcs[0].port : 1,
				    host_node == QRTR_WIRE_NODE_BCAST ? 1 :
				    host_node);
		reason = qrtr_wire_parse(txbuf, len, &pkt);
		if (reason == QRTR_WIRE_OK) {
			/* would be a catalogue bug; the unit test forbids it */
			logmsg("internal: malformed kind %s parses", emu_bad_name(k));
			continue;
		}
		ret = tun_write(txbuf, len);
		st.bad_sent++;
		st.bad_by_kind[k]++;
		st.bad_by_reason[reason]++;
		if (ret)
			st.bad_write_err++;
		vlog("sent malformed %s (%s): %s", emu_bad_name(k),
		     qrtr_wire_err_name(reason), ret ? strerror(-ret) : "ok");
	}
	logmsg("sent %ld malformed frames (total %lu, %lu rejected by write)",
	       i, st.bad_sent, st.bad_write_err);
}

static void become_ready(void)
{
	if (announced)
		return;
	send_servers(QRTR_WIRE_TYPE_NEW_SERVER);
	announced = true;
	if (opt.ready_file) {
		char tmp[PATH_MAX];
		FILE *f;

		snprintf(tmp, sizeof(tmp), "%s.tmp", opt.ready_file);
		f = fopen(tmp, "w");
		if (f) {
			fprintf(f, "endpoint=%u\nnode=%u\nkey=%s\n", endpoint_id,
				opt.node, opt.key);
			fclose(f);
			if (rename(tmp, opt.ready_file))
				logmsg("rename %s: %s", tmp, strerror(errno));
		} else {
			logmsg("cannot write %s: %s", tmp, strerror(errno));
		}
	}
	printf("ready endpoint=%u node=%u key=%s\n", endpoint_id, opt.node,
	       opt.key);
	fflush(stdout);
	if (opt.malformed_n > 0)
		send_malformed(opt.malformed_n, opt.malformed_kind);
}

/* ------------------------------------------------------------------ rx */

static const struct service *find_port(u32 port)
{
	int i;

	for (i = 0; i < opt.nsvcs; i++)
		if (opt.svcs[i].port == port)
			return &opt.svcs[i];
	return NULL;
}

static long now_ms(void);

static void resume_tx_now(u32 our_port, u32 to_node, u32 to_port)
{
	struct qrtr_wire_ctrl c;

	memset(&c, 0, sizeof(c));
	c.cmd = cpu_to_le32(QRTR_WIRE_TYPE_RESUME_TX);
	c.client.node = cpu_to_le32(opt.node);
	c.client.port = cpu_to_le32(our_port);
	send_pkt(emu_build_pkt(txbuf, sizeof(txbuf), QRTR_WIRE_TYPE_RESUME_TX,
			       opt.node, our_port, to_node, to_port,
			       &c, sizeof(c), false), QRTR_WIRE_TYPE_RESUME_TX);
	st.resume_tx++;
}

static void send_held(bool all)
{
	long now = now_ms();
	int i = 0;

	while (i < nheld) {
		if (!all && held[i].due > now) {
			i++;
			continue;
		}
		resume_tx_now(held[i].port, held[i].node, held[i].to_port);
		held[i] = held[--nheld];
	}
}

static void send_resume_tx(const struct qrtr_wire_pkt *p)
{
	if (!resume_delay_ms) {
		resume_tx_now(p->dst_port, p->src_node, p->src_port);
		return;
	}
	if (nheld == MAX_HELD) {
		resume_tx_now(held[0].port, held[0].node, held[0].to_port);
		held[0] = held[--nheld];
	}
	held[nheld].due = now_ms() + resume_delay_ms;
	held[nheld].port = p->dst_port;
	held[nheld].node = p->src_node;
	held[nheld].to_port = p->src_port;
	nheld++;
	vlog("RESUME_TX to %u:%u held for %ld ms", p->src_node, p->src_port,
	     resume_delay_ms);
}

static void handle_qmi(const struct service *s, const struct qrtr_wire_pkt *p,
		       const u8 *data)
{
	static u8 out[1024];
	struct qmi_wire_msg m;
	struct qmi_wire_enc e;
	char str[160];
	long len;

	if (qmi_wire_parse(data, p->size, &m) ||
	    m.flags != QMI_WIRE_FLAG_REQUEST) {
		st.qmi_bad++;
		vlog("dropping malformed QMI from %u:%u", p->src_node,
		     p->src_port);
		return;
	}
	st.qmi_req++;
	if (qmi_drop) {
		qmi_drop--;
		st.qmi_dropped++;
		vlog("QMI msg 0x%04x txn %u left unanswered", m.msg_id, m.txn);
		return;
	}
	qmi_wire_enc_init(&e, out, sizeof(out), QMI_WIRE_FLAG_RESPONSE, m.txn,
			  m.msg_id);
	str[0] = 0;
	switch (m.msg_id) {
	case QMI_WIRE_DMS_GET_MANUFACTURER:
		snprintf(str, sizeof(str), "%s", opt.manufacturer ?
			 opt.manufacturer : "socbpf");
		break;
	case QMI_WIRE_DMS_GET_MODEL:
		if (opt.model)
			snprintf(str, sizeof(str), "%s", opt.model);
		else
			snprintf(str, sizeof(str), "qrtr-emu %s", opt.key);
		break;
	case QMI_WIRE_DMS_GET_REVISION:
		if (opt.revision)
			snprintf(str, sizeof(str), "%s", opt.revision);
		else
			snprintf(str, sizeof(str),
				 "QRTR-EMU-1.0 key=%s node=%u inst=%u",
				 opt.key, opt.node, s->inst);
		break;
	default:
		break;
	}
	if (str[0]) {
		qmi_wire_put_result(&e, QMI_WIRE_RESULT_SUCCESS,
				    QMI_WIRE_ERR_NONE);
		qmi_wire_put_str(&e, 0x01, str);
	} else {
		qmi_wire_put_result(&e, QMI_WIRE_RESULT_FAILURE,
				    QMI_WIRE_ERR_INVALID_QMI_CMD);
	}
	len = qmi_wire_enc_finish(&e);
	if (len < 0) {
		st.tx_err++;
		return;
	}
	vlog("QMI svc %u msg 0x%04x txn %u -> '%s'", s->svc, m.msg_id, m.txn,
	     str);
	if (qmi_delay_ms) {
		struct timespec d = {
			.tv_sec = qmi_delay_ms / 1000,
			.tv_nsec = (qmi_delay_ms % 1000) * 1000000L,
		};

		while (nanosleep(&d, &d) && errno == EINTR && !got_stop)
			;
	}
	send_pkt(emu_build_pkt(txbuf, sizeof(txbuf), QRTR_WIRE_TYPE_DATA,
			       opt.node, s->port, p->src_node, p->src_port,
			       out, (u32)len, false), QRTR_WIRE_TYPE_DATA);
}

static const struct service *wlfw_svc;

static void wlfw_send(void *ctx, u32 node, u32 port, const void *msg,
		      size_t len)
{
	send_pkt(emu_build_pkt(txbuf, sizeof(txbuf), QRTR_WIRE_TYPE_DATA,
			       opt.node, wlfw_svc->port, node, port, msg,
			       (u32)len, false), QRTR_WIRE_TYPE_DATA);
}

static void handle_wlfw(const struct service *s, const struct qrtr_wire_pkt *p,
			const u8 *data)
{
	wlfw_svc = s;
	vlog("WLFW from %u:%u, %u bytes", p->src_node, p->src_port, p->size);
	wlfw_fw_handle(&opt.fw, NULL, wlfw_send, p->src_node, p->src_port,
		       data, p->size);
}

static void handle_echo(const struct service *s, const struct qrtr_wire_pkt *p,
			const u8 *data)
{
	static u8 out[QRTR_WIRE_MAX_PAYLOAD + ECHO_PREFIX_MAX];
	size_t n = 0, copy;

	if (opt.echo == ECHO_TAG) {
		int w = snprintf((char *)out, ECHO_PREFIX_MAX,
				 "key=%s ep=%u node=%u port=%u svc=%u inst=%u|",
				 opt.key, endpoint_id, opt.node, s->port,
				 s->svc, s->inst);
		n = w > 0 && w < ECHO_PREFIX_MAX ? (size_t)w : 0;
	}
	copy = p->size;
	if (n + copy > QRTR_WIRE_MAX_PAYLOAD)
		copy = QRTR_WIRE_MAX_PAYLOAD - n;
	memcpy(out + n, data, copy);
	n += copy;
	st.echo++;
	send_pkt(emu_build_pkt(txbuf, sizeof(txbuf), QRTR_WIRE_TYPE_DATA,
			       opt.node, s->port, p->src_node, p->src_port,
			       out, (u32)n, false), QRTR_WIRE_TYPE_DATA);
}

static void handle_ctrl(const struct qrtr_wire_pkt *p, const u8 *data)
{
	struct qrtr_wire_ctrl c;

	memset(&c, 0, sizeof(c));
	memcpy(&c, data, p->size < sizeof(c) ? p->size : sizeof(c));
	switch (p->type) {
	case QRTR_WIRE_TYPE_HELLO:
		st.host_hello++;
		host_node = p->src_node;
		vlog("host HELLO from node %u", host_node);
		/* Answer as a modem's ns does, once: the host's ns answers
		 * every HELLO with a HELLO, so never answer an answer.
		 */
		if (!hello_sent)
			send_hello();
		host_seen = true;
		if (announced)
			send_servers(QRTR_WIRE_TYPE_NEW_SERVER);
		become_ready();
		break;
	case QRTR_WIRE_TYPE_BYE:
		st.host_bye++;
		vlog("host BYE from node %u", p->src_node);
		host_seen = false;
		hello_sent = false;
		break;
	case QRTR_WIRE_TYPE_DEL_CLIENT:
		st.del_client++;
		vlog("DEL_CLIENT %u:%u", le32_to_cpu(c.client.node),
		     le32_to_cpu(c.client.port));
		break;
	case QRTR_WIRE_TYPE_PING:
		if (opt.ping_reply)
			send_pkt(emu_build_ctrl(txbuf, sizeof(txbuf),
						QRTR_WIRE_TYPE_PING, opt.node,
						p->src_node, opt.node,
						QRTR_WIRE_PORT_CTRL, 0, 0),
				 QRTR_WIRE_TYPE_PING);
		break;
	case QRTR_WIRE_TYPE_NEW_SERVER:
	case QRTR_WIRE_TYPE_DEL_SERVER:
		vlog("host %s svc %u node %u port %u",
		     p->type == QRTR_WIRE_TYPE_NEW_SERVER ? "NEW_SERVER" :
		     "DEL_SERVER", le32_to_cpu(c.server.service),
		     le32_to_cpu(c.server.node), le32_to_cpu(c.server.port));
		break;
	default:
		break;
	}
}

static void handle_rx(const u8 *buf, size_t len)
{
	struct qrtr_wire_pkt p;
	const struct service *s;
	int ret;

	ret = qrtr_wire_parse(buf, len, &p);
	if (ret) {
		st.rx_bad[ret]++;
		logmsg("host sent a bad frame (%s, %zu bytes)",
		       qrtr_wire_err_name(ret), len);
		return;
	}
	st.rx[p.type]++;
	if (p.type == QRTR_WIRE_TYPE_DATA) {
		s = find_port(p.dst_port);
		if (!s || (p.dst_node != opt.node &&
			   p.dst_node != QRTR_WIRE_NODE_BCAST)) {
			st.rx_unknown_port++;
			vlog("data for unknown %u:%u", p.dst_node, p.dst_port);
		} else if (s->svc == QMI_WIRE_SVC_DMS) {
			handle_qmi(s, &p, buf + p.hdrlen);
		} else if (s->svc == QMI_WIRE_SVC_WLFW && opt.wlfw) {
			handle_wlfw(s, &p, buf + p.hdrlen);
		} else {
			handle_echo(s, &p, buf + p.hdrlen);
		}
		if (p.confirm_rx)
			send_resume_tx(&p);
		return;
	}
	if (p.type == QRTR_WIRE_TYPE_RESUME_TX)
		return;
	handle_ctrl(&p, buf + p.hdrlen);
}

/* ------------------------------------------------------------- control */

static int ctl_fd = -1;
static char ctl_line[512];
static size_t ctl_len;

static void ctl_command(char *line)
{
	char *cmd = strtok(line, " \t\r");
	char *a1 = strtok(NULL, " \t\r");
	char *a2 = strtok(NULL, " \t\r");

	if (!cmd)
		return;
	if (!strcmp(cmd, "malformed")) {
		u32 n = 1;
		int kind = -1;

		if (a1 && !parse_u32(a1, &n)) {
			logmsg("control: bad count '%s'", a1);
			return;
		}
		if (a2) {
			kind = parse_kind(a2);
			if (kind == -2) {
				logmsg("control: unknown kind '%s'", a2);
				return;
			}
		}
		send_malformed(n, kind);
		write_stats();
	} else if (!strcmp(cmd, "hello")) {
		send_hello();
	} else if (!strcmp(cmd, "bye")) {
		send_bye();
	} else if (!strcmp(cmd, "announce")) {
		send_servers(QRTR_WIRE_TYPE_NEW_SERVER);
	} else if (!strcmp(cmd, "del-server")) {
		send_servers(QRTR_WIRE_TYPE_DEL_SERVER);
	} else if (!strcmp(cmd, "new-server") ||
		   !strcmp(cmd, "del-server-raw")) {
		char *a3 = strtok(NULL, " \t\r");
		char *a4 = strtok(NULL, " \t\r");
		u32 svc, inst, port, node = opt.node;
		u32 type = cmd[0] == 'n' ? QRTR_WIRE_TYPE_NEW_SERVER :
					   QRTR_WIRE_TYPE_DEL_SERVER;

		if (!a1 || !a2 || !a3 || !parse_u32(a1, &svc) ||
		    !parse_u32(a2, &inst) || !parse_u32(a3, &port) ||
		    (a4 && !parse_u32(a4, &node))) {
			logmsg("control: usage: %s SVC INST PORT [NODE]", cmd);
			return;
		}
		send_pkt(emu_build_ctrl(txbuf, sizeof(txbuf), type, opt.node,
					host_node, svc, inst, node, port), type);
	} else if (!strcmp(cmd, "flood")) {
		u32 n = 0, i;

		if (!a1 || !parse_u32(a1, &n)) {
			logmsg("control: usage: flood N");
			return;
		}
		/* N re-announcements of the first service, back to back */
		for (i = 0; i < n && opt.nsvcs; i++)
			send_pkt(emu_build_ctrl(txbuf, sizeof(txbuf),
						QRTR_WIRE_TYPE_NEW_SERVER,
						opt.node, host_node,
						opt.svcs[0].svc,
						opt.svcs[0].ver |
						(opt.svcs[0].inst << 8),
						opt.node, opt.svcs[0].port),
				 QRTR_WIRE_TYPE_NEW_SERVER);
	} else if (!strcmp(cmd, "resume-delay")) {
		u32 ms = 0;

		if (!a1 || !parse_u32(a1, &ms)) {
			logmsg("control: usage: resume-delay MS");
			return;
		}
		resume_delay_ms = ms;
		if (!ms)
			send_held(true);
	} else if (!strcmp(cmd, "qmi-delay") || !strcmp(cmd, "qmi-drop")) {
		u32 v = 0;

		if (!a1 || !parse_u32(a1, &v) ||
		    (cmd[5] == 'e' && v > 60000)) {
			logmsg("control: usage: %s", cmd[5] == 'e' ?
			       "qmi-delay MS (0..60000)" : "qmi-drop N");
			return;
		}
		if (cmd[5] == 'e')
			qmi_delay_ms = v;
		else
			qmi_drop = v;
	} else if (!strcmp(cmd, "stats")) {
		write_stats();
	} else if (!strcmp(cmd, "quit")) {
		got_stop = 1;
	} else {
		logmsg("control: unknown command '%s'", cmd);
	}
}

static void ctl_read(void)
{
	char buf[256];
	ssize_t n;
	ssize_t i;

	n = read(ctl_fd, buf, sizeof(buf));
	if (n <= 0)
		return;
	for (i = 0; i < n; i++) {
		if (buf[i] == '\n') {
			ctl_line[ctl_len] = 0;
			ctl_command(ctl_line);
			ctl_len = 0;
		} else if (ctl_len < sizeof(ctl_line) - 1) {
			ctl_line[ctl_len++] = buf[i];
		}
	}
}

/* ---------------------------------------------------------------- main */

static void on_signal(int sig)
{
	if (sig == SIGUSR1)
		got_usr1 = 1;
	else
		got_stop = 1;
}

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

enum {
	OPT_NO_HELLO = 256, OPT_NO_PING, OPT_ECHO_RAW, OPT_MANUF, OPT_MODEL,
	OPT_REV, OPT_FD, OPT_RESUME_DELAY, OPT_WLFW,
};

int main(int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "dev", required_argument, NULL, 'd' },
		{ "key", required_argument, NULL, 'k' },
		{ "node", required_argument, NULL, 'n' },
		{ "service", required_argument, NULL, 's' },
		{ "ready-file", required_argument, NULL, 'r' },
		{ "control", required_argument, NULL, 'c' },
		{ "stats-file", required_argument, NULL, 'S' },
		{ "malformed", required_argument, NULL, 'm' },
		{ "malformed-kind", required_argument, NULL, 'K' },
		{ "hello-timeout", required_argument, NULL, 't' },
		{ "no-hello", no_argument, NULL, OPT_NO_HELLO },
		{ "no-ping-reply", no_argument, NULL, OPT_NO_PING },
		{ "resume-delay", required_argument, NULL, OPT_RESUME_DELAY },
		{ "echo-raw", no_argument, NULL, OPT_ECHO_RAW },
		{ "manufacturer", required_argument, NULL, OPT_MANUF },
		{ "model", required_argument, NULL, OPT_MODEL },
		{ "revision", required_argument, NULL, OPT_REV },
		{ "fd", required_argument, NULL, OPT_FD },
		{ "wlfw", required_argument, NULL, OPT_WLFW },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	struct qrtr_tun_info info;
	struct sigaction sa;
	sigset_t block, empty;
	long deadline = 0;
	u32 v;
	int c, i;

	while ((c = getopt_long(argc, argv, "d:k:n:s:r:c:S:m:K:t:vh", lopts,
				NULL)) != -1) {
		switch (c) {
		case 'd':
			opt.dev = optarg;
			break;
		case 'k':
			if (!*optarg || strlen(optarg) >= QRTR_TUN_KEY_MAX)
				die_usage("--key must be 1..%d characters",
					  QRTR_TUN_KEY_MAX - 1);
			snprintf(opt.key, sizeof(opt.key), "%s", optarg);
			break;
		case 'n':
			if (!parse_u32(optarg, &opt.node) || opt.node == 0 ||
			    opt.node >= 0xffffu)
				die_usage("bad --node '%s' (1..65534)", optarg);
			break;
		case 's':
			parse_service(optarg);
			break;
		case 'r':
			opt.ready_file = optarg;
			break;
		case 'c':
			opt.control = optarg;
			break;
		case 'S':
			opt.stats_file = optarg;
			break;
		case 'm':
			if (!parse_u32(optarg, &v))
				die_usage("bad --malformed '%s'", optarg);
			opt.malformed_n = v;
			break;
		case 'K':
			if (!strcmp(optarg, "list")) {
				for (i = 0; i < EMU_BAD_NR; i++)
					printf("%s\n", emu_bad_name(i));
				return 0;
			}
			opt.malformed_kind = parse_kind(optarg);
			if (opt.malformed_kind == -2)
				die_usage("unknown --malformed-kind '%s' (see --malformed-kind list)",
					  optarg);
			break;
		case 't':
			if (!parse_u32(optarg, &v) || v > 3600000)
				die_usage("bad --hello-timeout '%s'", optarg);
			opt.hello_timeout_ms = (int)v;
			break;
		case OPT_NO_HELLO:
			opt.no_hello = true;
			break;
		case OPT_NO_PING:
			opt.ping_reply = false;
			break;
		case OPT_RESUME_DELAY: {
			u32 ms;

			if (!parse_u32(optarg, &ms)) {
				fprintf(stderr, "qrtr-emu: bad --resume-delay '%s'\n",
					optarg);
				return 2;
			}
			resume_delay_ms = ms;
			break;
		}
		case OPT_ECHO_RAW:
			opt.echo = ECHO_RAW;
			break;
		case OPT_MANUF:
			opt.manufacturer = optarg;
			break;
		case OPT_MODEL:
			opt.model = optarg;
			break;
		case OPT_REV:
			opt.revision = optarg;
			break;
		case OPT_WLFW:
			opt.wlfw = true;
			wlfw_fw_init(&opt.fw);
			if (wlfw_fw_parse(&opt.fw, optarg))
				die_usage("bad --wlfw '%s'", optarg);
			break;
		case OPT_FD:
			if (!parse_u32(optarg, &v) || v > INT_MAX)
				die_usage("bad --fd '%s'", optarg);
			opt.fd = (int)v;
			break;
		case 'v':
			opt.verbose = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			fprintf(stderr, "Try 'qrtr-emu --help'.\n");
			return 2;
		}
	}
	if (optind < argc)
		die_usage("unexpected argument '%s'", argv[optind]);
	if (!opt.key[0])
		die_usage("--key is required");

	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGUSR1);
	sigprocmask(SIG_BLOCK, &block, NULL);
	sigemptyset(&empty);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGUSR1, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	if (opt.fd >= 0) {
		tun_fd = opt.fd;	/* host test harness: no ioctls */
		goto opened;
	}
	tun_fd = open(opt.dev, O_RDWR | O_CLOEXEC);
	if (tun_fd < 0) {
		fprintf(stderr, "qrtr-emu: open %s: %s\n", opt.dev,
			strerror(errno));
		return 1;
	}
	{
		char key[QRTR_TUN_KEY_MAX];

		memset(key, 0, sizeof(key));
		memcpy(key, opt.key, strlen(opt.key));
		if (ioctl(tun_fd, QRTR_TUN_SET_KEY, key)) {
			/* upstream's qrtr-tun has no ioctls: no endpoint ids */
			if (errno == ENOTTY) {
				logmsg("%s has no endpoint ids (upstream qrtr-tun?): endpoint=0, the key is only a label",
				       opt.dev);
				goto opened;
			}
			fprintf(stderr, "qrtr-emu: QRTR_TUN_SET_KEY '%s': %s\n",
				opt.key, strerror(errno));
			return 1;
		}
	}
	memset(&info, 0, sizeof(info));
	if (ioctl(tun_fd, QRTR_TUN_GET_INFO, &info)) {
		fprintf(stderr, "qrtr-emu: QRTR_TUN_GET_INFO: %s\n",
			strerror(errno));
		return 1;
	}
	endpoint_id = info.endpoint_id;
	vlog("endpoint %u key '%.*s'", endpoint_id, QRTR_TUN_KEY_MAX,
	     info.key);
opened:

	if (opt.control) {
		struct stat sb;

		if (stat(opt.control, &sb) && mkfifo(opt.control, 0600)) {
			fprintf(stderr, "qrtr-emu: mkfifo %s: %s\n", opt.control,
				strerror(errno));
			return 1;
		}
		/* O_RDWR keeps the FIFO open without a writer: no EOF loop. */
		ctl_fd = open(opt.control, O_RDWR | O_NONBLOCK | O_CLOEXEC);
		if (ctl_fd < 0) {
			fprintf(stderr, "qrtr-emu: open %s: %s\n", opt.control,
				strerror(errno));
			return 1;
		}
	}

	if (!opt.no_hello)
		send_hello();
	if (opt.hello_timeout_ms)
		deadline = now_ms() + opt.hello_timeout_ms;

	while (!got_stop) {
		struct pollfd pfd[2];
		struct timespec ts, *tsp = NULL;
		int nfds = 1, r;

		pfd[0].fd = tun_fd;
		pfd[0].events = POLLIN;
		if (ctl_fd >= 0) {
			pfd[1].fd = ctl_fd;
			pfd[1].events = POLLIN;
			nfds = 2;
		}
		if (!announced && deadline) {
			long left = deadline - now_ms();

			if (left <= 0) {
				logmsg("no HELLO from the host after %d ms: announcing anyway",
				       opt.hello_timeout_ms);
				become_ready();
				continue;
			}
			ts.tv_sec = left / 1000;
			ts.tv_nsec = (left % 1000) * 1000000L;
			tsp = &ts;
		}
		if (nheld) {
			long left, first = held[0].due;
			int i;

			for (i = 1; i < nheld; i++)
				if (held[i].due < first)
					first = held[i].due;
			left = first - now_ms();
			if (left <= 0) {
				send_held(false);
				continue;
			}
			if (!tsp || left < ts.tv_sec * 1000L + ts.tv_nsec / 1000000L) {
				ts.tv_sec = left / 1000;
				ts.tv_nsec = (left % 1000) * 1000000L;
				tsp = &ts;
			}
		}
		r = ppoll(pfd, (nfds_t)nfds, tsp, &empty);
		if (got_usr1) {
			got_usr1 = 0;
			write_stats();
		}
		if (r < 0) {
			if (errno == EINTR)
				continue;
			logmsg("poll: %s", strerror(errno));
			break;
		}
		if (r == 0)
			continue;
		if (pfd[0].revents & (POLLERR | POLLHUP | POLLNVAL)) {
			logmsg("tun device hung up");
			break;
		}
		if (pfd[0].revents & POLLIN) {
			ssize_t n = read(tun_fd, rxbuf, sizeof(rxbuf));

			if (n < 0) {
				if (errno == EINTR || errno == EAGAIN)
					continue;
				logmsg("read: %s", strerror(errno));
				break;
			}
			if (n == 0) {
				logmsg("tun device closed");
				break;
			}
			handle_rx(rxbuf, (size_t)n);
		}
		if (nfds == 2 && (pfd[1].revents & POLLIN))
			ctl_read();
	}

	if (got_stop)
		send_bye();
	write_stats();
	vlog("exit: tx hello %lu new_server %lu data %lu, rx data %lu, malformed sent %lu",
	     st.tx[QRTR_WIRE_TYPE_HELLO], st.tx[QRTR_WIRE_TYPE_NEW_SERVER],
	     st.tx[QRTR_WIRE_TYPE_DATA], st.rx[QRTR_WIRE_TYPE_DATA],
	     st.bad_sent);
	close(tun_fd);
	if (ctl_fd >= 0)
		close(ctl_fd);
	return got_stop ? 0 : 1;
}
