// SPDX-License-Identifier: GPL-2.0
/*
 * qrtrtop: a live, top-like view of the socbpf QRTR router: per endpoint
 * (device) packets and bytes per second, totals, nodes, drops by reason and
 * the attached policy; the services each device announced; the busiest
 * remote ports.  Fed by BPF programs on the socbpf_qrtr tracepoints
 * (bpf/qrtrtop.bpf.c), seeded from the module's debugfs files so that
 * endpoints and services that existed before qrtrtop started are shown from
 * the first frame.  With socbpf_qmi loaded, a QMI view from its tracepoints:
 * per endpoint and service, messages by name, request/response/indication
 * counts, transactions completed/timed out/failed and latency percentiles.
 *
 * USAGE: qrtrtop [-b] [-d SECONDS] [-n ITERATIONS] [-j] [-s FIELD] [-r]
 */
#include <argp.h>
#include <errno.h>
#include <locale.h>
#include <math.h>
#include <ncurses.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <linux/types.h>
#include <bpf/libbpf.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>

#include "socbpf/qrtrtop_calc.h"
#include "qrtrtop.h"
#include "qmi_names.h"
#include "qmi_view.h"
#include "qrtrtop.skel.h"
#include "qrtrtop_wire.skel.h"

#define MOD_NAME	"socbpf_qrtr"
#define MOD_HINT	"insmod kernel/qrtr/socbpf_qrtr.ko"
#define DEF_DEBUGFS	"/sys/kernel/debug/socbpf_qrtr"
#define NR_EPS		QRTRTOP_MAX_EPS
#define MAX_SVCS	QRTRTOP_MAX_SERVICES
#define MAX_PORTS	QRTRTOP_MAX_PORTS
#define MAX_NODES_EP	32	/* node ids listed per endpoint */
#define QMI_MOD		"socbpf_qmi"
#define MAX_QV_ROWS	256	/* (endpoint, service) rows of the QMI view */

static struct env {
	bool batch;
	bool json;
	double delay;
	long iterations;	/* 0: forever */
	int sort;
	bool reverse;
	int max_ports;
	bool raw_tp;
	bool no_seed;
	bool verbose;
	const char *debugfs;
	long qmi_ep;		/* QMI view filters, -1: all */
	long qmi_svc;
	bool no_qmi;
	double qmi_timeout;	/* seconds a wire request waits */
} env = {
	.delay = 1.0,
	.sort = QT_SORT_ID,
	.max_ports = 10,
	.debugfs = DEF_DEBUGFS,
	.qmi_ep = -1,
	.qmi_svc = -1,
	.qmi_timeout = 10,
};

const char *argp_program_version = "qrtrtop 0.1";
const char argp_program_doc[] =
"Live view of the socbpf QRTR router: per-endpoint (device) traffic, drops\n"
"and policy, the services each device announced, and the busiest ports.\n"
"Needs the socbpf_qrtr module, kernel BTF and root (CAP_BPF + CAP_PERFMON).\n"
"\n"
"USAGE: qrtrtop [-b] [-d SECONDS] [-n ITERATIONS] [-j] [-s FIELD] [-r]\n"
"\n"
"Sort fields (-s, or the s/</> keys): id, key, nodes, rx, tx (packets/s),\n"
"rxbytes, txbytes (bytes/s), rxtotal, txtotal (packets), drops.\n"
"Interactive keys: q quit, h or ? help, s or > next sort column, < previous,\n"
"r reverse, + and - change the delay, space refresh now.\n"
"\n"
"Totals count from the module's own counters at start (debugfs) plus what\n"
"the tracepoints saw since; rates are per second over the last interval.\n"
"\n"
"QMI view (when socbpf_qmi is loaded before qrtrtop starts): the messages\n"
"and transactions of the in-kernel QMI handles since qrtrtop started, per\n"
"endpoint and service: requests, responses and indications sent (tx) and\n"
"received (rx) by message name; transactions completed, timed out and\n"
"failed; latency percentiles P50/P90/P99 of the completed ones, each within\n"
"6.25% of the true value (log2 buckets cut in 8). Rows of source 'handle'\n"
"come from socbpf_qmi's tracepoints; rows of source 'wire' from the QMI\n"
"header of the packets of userspace clients (qmicli, libqmi) on AF_QIPCRTR\n"
"(fentry on socbpf_qrtr): requests they send, the responses matched to them\n"
"by (endpoint, server node:port, client port, transaction id), indications\n"
"to their ports; a request unanswered after --qmi-timeout is timed out.\n"
"\n"
"EXAMPLES:\n"
"    qrtrtop                     # interactive, 1 s refresh\n"
"    qrtrtop -s rx               # busiest receivers first\n"
"    qrtrtop -b -n 1             # one text snapshot after 1 s, then exit\n"
"    qrtrtop -b -d 2 -n 5        # five text frames, 2 s apart\n"
"    qrtrtop -b -d 1 -n 3 --json # three JSON documents, one per line\n"
"    qrtrtop -b --json | jq '.endpoints[] | {id, key, rx_pkts, tx_pkts}'\n"
"    qrtrtop -b -n 1 --qmi-service wlfw   # QMI view of the WLAN firmware only\n"
"    qrtrtop -b -d 5 -n 1 --json | jq '.qmi.services[] | {endpoint, name, latency_ms}'\n";

enum {
	OPT_RAW_TP = 0x100,
	OPT_NO_SEED,
	OPT_DEBUGFS,
	OPT_QMI_EP,
	OPT_QMI_SVC,
	OPT_NO_QMI,
	OPT_QMI_TIMEOUT,
};

static const struct argp_option opts[] = {
	{ "batch", 'b', NULL, 0, "Batch mode: print frames to stdout, no terminal UI", 0 },
	{ "delay", 'd', "SECONDS", 0, "Refresh interval (default 1, 0.1..3600)", 0 },
	{ "iterations", 'n', "N", 0, "Exit after N frames (default: run until q/Ctrl-C)", 0 },
	{ "json", 'j', NULL, 0, "Batch mode, one JSON document per frame and line", 0 },
	{ "sort", 's', "FIELD", 0, "Sort endpoints by FIELD (see above; default id)", 0 },
	{ "reverse", 'r', NULL, 0, "Reverse the sort order", 0 },
	{ "ports", 'p', "N", 0, "Show the N busiest ports (default 10, 0 hides them)", 0 },
	{ "raw-tp", OPT_RAW_TP, NULL, 0, "Use raw tracepoints instead of tp_btf", 0 },
	{ "no-seed", OPT_NO_SEED, NULL, 0, "Do not read the module's debugfs at start (count from zero)", 0 },
	{ "debugfs", OPT_DEBUGFS, "DIR", 0, "The module's debugfs directory (default " DEF_DEBUGFS ")", 0 },
	{ "qmi-endpoint", OPT_QMI_EP, "ID", 0, "QMI view: only endpoint ID (0: local/unbound handles)", 0 },
	{ "qmi-service", OPT_QMI_SVC, "SVC", 0, "QMI view: only service SVC (number or name, e.g. 69 or wlfw)", 0 },
	{ "no-qmi", OPT_NO_QMI, NULL, 0, "No QMI view (neither socbpf_qmi's tracepoints nor the wire)", 0 },
	{ "qmi-timeout", OPT_QMI_TIMEOUT, "SECONDS", 0, "QMI view: a userspace request unanswered this long is timed out (default 10, 0.1..3600)", 0 },
	{ "verbose", 'v', NULL, 0, "Verbose debug output (libbpf messages)", 0 },
	{ NULL, 'h', NULL, OPTION_HIDDEN, "Show the full help", 0 },
	{},
};

static long parse_long(struct argp_state *state, const char *opt,
		       const char *arg, long min, long max)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(arg, &end, 10);
	if (errno || end == arg || *end || v < min || v > max)
		argp_error(state, "invalid %s '%s': expected an integer %ld..%ld",
			   opt, arg, min, max);
	return v;
}

static error_t parse_arg(int key, char *arg, struct argp_state *state)
{
	char *end;

	switch (key) {
	case 'h':
		argp_state_help(state, stdout, ARGP_HELP_STD_HELP);
		break;
	case 'b':
		env.batch = true;
		break;
	case 'j':
		env.json = true;
		env.batch = true;
		break;
	case 'd':
		errno = 0;
		env.delay = strtod(arg, &end);
		if (errno || end == arg || *end || !isfinite(env.delay) ||
		    env.delay < 0.1 || env.delay > 3600)
			argp_error(state, "invalid delay '%s': expected seconds, 0.1..3600",
				   arg);
		break;
	case 'n':
		env.iterations = parse_long(state, "iterations", arg, 1,
					    1000000000L);
		break;
	case 's':
		env.sort = qt_sort_parse(arg);
		if (env.sort < 0)
			argp_error(state, "invalid sort field '%s': use one of id, key, nodes, rx, tx, rxbytes, txbytes, rxtotal, txtotal, drops",
				   arg);
		break;
	case 'r':
		env.reverse = true;
		break;
	case 'p':
		env.max_ports = (int)parse_long(state, "ports", arg, 0, 1000);
		break;
	case OPT_RAW_TP:
		env.raw_tp = true;
		break;
	case OPT_NO_SEED:
		env.no_seed = true;
		break;
	case OPT_DEBUGFS:
		env.debugfs = arg;
		break;
	case OPT_QMI_EP:
		env.qmi_ep = parse_long(state, "endpoint", arg, 0, 255);
		break;
	case OPT_QMI_SVC:
		env.qmi_svc = qmi_svc_parse(arg);
		if (env.qmi_svc < 0)
			argp_error(state, "invalid service '%s': a number (0..4294967295) or a name such as dms, nas, wds, wlfw",
				   arg);
		break;
	case OPT_NO_QMI:
		env.no_qmi = true;
		break;
	case OPT_QMI_TIMEOUT:
		errno = 0;
		env.qmi_timeout = strtod(arg, &end);
		if (errno || end == arg || *end || !isfinite(env.qmi_timeout) ||
		    env.qmi_timeout < 0.1 || env.qmi_timeout > 3600)
			argp_error(state, "invalid QMI timeout '%s': expected seconds, 0.1..3600",
				   arg);
		break;
	case 'v':
		env.verbose = true;
		break;
	case ARGP_KEY_ARG:
		argp_error(state, "unexpected argument '%s'", arg);
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static int libbpf_print_fn(enum libbpf_print_level level, const char *format,
			   va_list args)
{
	if (level == LIBBPF_DEBUG && !env.verbose)
		return 0;
	if (level == LIBBPF_WARN && !env.verbose)
		return 0;
	return vfprintf(stderr, format, args);
}

static volatile sig_atomic_t exiting;

static void sig_handler(int sig)
{
	(void)sig;
	exiting = 1;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

/* ------------------------------------------------------------------ state */

struct ep_state {
	bool known;		/* seeded or seen by BPF */
	bool seeded;
	struct qt_ep_seed seed;
	/* BPF view */
	bool have_bpf;
	struct qrtrtop_ep bpf;
	uint32_t nodes_seen;
	uint32_t node_list[MAX_NODES_EP];
	unsigned int nr_node_list;
	/* drops merged by name */
	unsigned int nr_drops;
	struct qt_drop_count drops[QT_MAX_REASONS];
	/* totals now and at the previous sample */
	uint64_t rx_pkts, rx_bytes, tx_pkts, tx_bytes, rx_data, tx_data, ndrops;
	uint64_t p_rx_pkts, p_rx_bytes, p_tx_pkts, p_tx_bytes;
	bool have_prev;
};

struct svc_row {
	uint32_t epid, node, port, service, raw_instance;
	bool exact;		/* endpoint known for sure */
};

struct port_ent {
	struct qrtrtop_port_key k;
	struct qrtrtop_port v;
};

static struct ep_state eps[NR_EPS];
static struct qt_ep_row ep_rows[NR_EPS];
static size_t nr_ep_rows;
static struct svc_row seed_svcs[MAX_SVCS], svc_rows[MAX_SVCS];
static size_t nr_seed_svcs, nr_svc_rows;
static struct port_ent *ports_cur, *ports_prev;
static size_t nr_ports_cur, nr_ports_prev;
static struct qt_port_row port_rows[MAX_PORTS];
static size_t nr_port_rows;
static char policy_name[QT_POLICY_LEN] = "-";
static bool policy_attached;
static bool have_ns_server_ep;	/* exact service events available */
static bool have_qmi;		/* the QMI programs are attached */
static bool have_wire;		/* qrtrtop_wire is attached */
static struct qrtrtop_wire_bpf *wire;
/* wire requests timed out, per (endpoint, service): kept by qrtrtop */
static struct qrtrtop_qmi_svc_key wire_tmo_key[QRTRTOP_MAX_QMI_SVCS];
static uint64_t wire_tmo[QRTRTOP_MAX_QMI_SVCS];
static size_t nr_wire_tmo;
static struct qv_row qv_rows[MAX_QV_ROWS];
static size_t nr_qv_rows;
static uint64_t qmi_dropped_rows;	/* entries past MAX_QV_ROWS */
static uint64_t t_prev, t_cur;	/* sample times */
static long frame;

static struct qrtrtop_bpf *skel;

/* ----------------------------------------------------------- debugfs seed */

static char *read_file(const char *dir, const char *name)
{
	char path[512];
	size_t len = 0, cap = 4096;
	char *buf;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "r");
	if (!f)
		return NULL;
	buf = malloc(cap);
	while (buf) {
		size_t n = fread(buf + len, 1, cap - len - 1, f);

		len += n;
		if (len + 1 < cap)
			break;
		cap *= 2;
		char *nb = realloc(buf, cap);

		if (!nb) {
			free(buf);
			buf = NULL;
			break;
		}
		buf = nb;
	}
	fclose(f);
	if (buf)
		buf[len] = '\0';
	return buf;
}

/* Call @fn for every line of @text (modified in place). */
static void for_each_line(char *text, void (*fn)(const char *line))
{
	char *save = NULL, *line;

	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save))
		fn(line);
}

static void seed_ep_line(const char *line)
{
	struct qt_ep_seed s;

	if (!qt_parse_ep_line(line, &s) || s.id >= NR_EPS)
		return;
	eps[s.id].seed = s;
	eps[s.id].seeded = true;
	eps[s.id].known = true;
}

static void seed_svc_line(const char *line)
{
	struct qt_srv_seed s;

	if (!qt_parse_server_line(line, &s) || nr_seed_svcs >= MAX_SVCS)
		return;
	seed_svcs[nr_seed_svcs++] = (struct svc_row){
		.epid = s.epid, .node = s.node, .port = s.port,
		.service = s.service, .raw_instance = s.instance, .exact = true,
	};
}

static bool read_servers(void)
{
	char *t = read_file(env.debugfs, "servers");

	if (!t)
		return false;
	nr_seed_svcs = 0;
	for_each_line(t, seed_svc_line);
	free(t);
	return true;
}

static void read_policy(void)
{
	char *t = read_file(env.debugfs, "policy");

	if (!t) {
		policy_attached = false;
		snprintf(policy_name, sizeof(policy_name), "-");
		return;
	}
	policy_attached = qt_parse_policy(t, policy_name, sizeof(policy_name));
	free(t);
}

/*
 * The programs were attached before the seed is read, so what they counted
 * in between is in the module's counters too.  Take a snapshot of the BPF
 * counters just before reading debugfs and subtract it from the seed
 * (modulo 2^64: seed + later BPF counts is then exact, up to packets in the
 * microseconds between the snapshot and the read).
 */
static struct qrtrtop_ep snap_eps[NR_EPS];
static bool snap_have[NR_EPS];
static struct {
	__u32 epid;
	struct qrtrtop_drop d;
} snap_drops[QRTRTOP_MAX_DROPS];
static unsigned int nr_snap_drops;

static void snapshot_bpf(void)
{
	int fd = bpf_map__fd(skel->maps.eps);
	int dfd = bpf_map__fd(skel->maps.drops);
	struct qrtrtop_drop_key dk, dn, *dp = NULL;
	__u32 key, next, *prev = NULL;

	while (!bpf_map_get_next_key(fd, prev, &next)) {
		key = next;
		prev = &key;
		if (key < NR_EPS && !bpf_map_lookup_elem(fd, &key, &snap_eps[key]))
			snap_have[key] = true;
	}
	while (!bpf_map_get_next_key(dfd, dp, &dn) &&
	       nr_snap_drops < QRTRTOP_MAX_DROPS) {
		dk = dn;
		dp = &dk;
		if (bpf_map_lookup_elem(dfd, &dk, &snap_drops[nr_snap_drops].d))
			continue;
		snap_drops[nr_snap_drops].d.name[QRTRTOP_REASON_LEN - 1] = '\0';
		snap_drops[nr_snap_drops++].epid = dk.epid;
	}
}

static void seed_subtract_snapshot(void)
{
	unsigned int i, r;

	for (i = 0; i < NR_EPS; i++) {
		struct qt_ep_seed *sd = &eps[i].seed;

		if (!eps[i].seeded || !snap_have[i] || snap_eps[i].gen)
			continue;
		sd->rx_pkts = qt_baseline(sd->rx_pkts, snap_eps[i].rx_pkts);
		sd->rx_bytes = qt_baseline(sd->rx_bytes, snap_eps[i].rx_bytes);
		sd->tx_pkts = qt_baseline(sd->tx_pkts, snap_eps[i].tx_pkts);
		sd->tx_bytes = qt_baseline(sd->tx_bytes, snap_eps[i].tx_bytes);
	}
	for (i = 0; i < nr_snap_drops; i++) {
		__u32 id = snap_drops[i].epid;
		struct qt_ep_seed *sd;

		if (id >= NR_EPS || !eps[id].seeded)
			continue;
		sd = &eps[id].seed;
		for (r = 0; r < sd->nr_drops; r++)
			if (!strcmp(sd->drops[r].name, snap_drops[i].d.name))
				sd->drops[r].count = qt_baseline(sd->drops[r].count,
								 snap_drops[i].d.count);
	}
}

/*
 * The servers that existed before the programs were attached go into their
 * server table too: the QMI programs look a message's service up there.
 * BPF_NOEXIST: an event seen since is newer than the debugfs listing.
 */
static void seed_bpf_servers(void)
{
	int fd = bpf_map__fd(skel->maps.svcs);
	size_t i;

	for (i = 0; i < nr_seed_svcs; i++) {
		struct qrtrtop_svc_key k = {
			.epid = seed_svcs[i].epid,
			.node = seed_svcs[i].node,
			.port = seed_svcs[i].port,
		};
		struct qrtrtop_svc v = {
			.service = seed_svcs[i].service,
			.instance = seed_svcs[i].raw_instance,
			.flags = QRTRTOP_SVC_EPID_EXACT,
			.live = 1,
		};

		bpf_map_update_elem(fd, &k, &v, BPF_NOEXIST);
	}
}

static void seed(void)
{
	char *t;

	if (env.no_seed)
		return;
	snapshot_bpf();
	t = read_file(env.debugfs, "endpoints");
	if (t) {
		for_each_line(t, seed_ep_line);
		free(t);
		seed_subtract_snapshot();
	} else {
		fprintf(stderr, "qrtrtop: warning: cannot read %s/endpoints (%s; debugfs not mounted?): totals count from now\n",
			env.debugfs, strerror(errno));
	}
	read_servers();
	seed_bpf_servers();
}

/* ------------------------------------------------------------- sampling */

static void add_drop(struct ep_state *e, const char *name, uint64_t n)
{
	unsigned int i;

	for (i = 0; i < e->nr_drops; i++) {
		if (!strcmp(e->drops[i].name, name)) {
			e->drops[i].count += n;
			return;
		}
	}
	if (e->nr_drops >= QT_MAX_REASONS)
		return;
	snprintf(e->drops[e->nr_drops].name, QT_NAME_LEN, "%s", name);
	e->drops[e->nr_drops].count = n;
	e->nr_drops++;
}

static int port_key_cmp(const void *a, const void *b)
{
	const struct qrtrtop_port_key *x = a, *y = b;

	if (x->epid != y->epid)
		return x->epid < y->epid ? -1 : 1;
	if (x->node != y->node)
		return x->node < y->node ? -1 : 1;
	if (x->port != y->port)
		return x->port < y->port ? -1 : 1;
	return 0;
}

static bool seed_valid(const struct ep_state *e)
{
	/* the id went to another device since we seeded: its counters
	 * restarted in the kernel too
	 */
	return e->seeded && (!e->have_bpf || e->bpf.gen == 0);
}

static const char *ep_state_name(const struct ep_state *e)
{
	if (e->have_bpf) {
		switch (e->bpf.state) {
		case QRTRTOP_EP_LIVE: return "live";
		case QRTRTOP_EP_PRE: return "preassigned";
		case QRTRTOP_EP_DOWN: return "down";
		default: break;
		}
	}
	if (e->seeded)
		return e->seed.state;
	return "?";
}

static void sample_eps(void)
{
	int fd = bpf_map__fd(skel->maps.eps);
	__u32 key, next, *prev = NULL;
	struct qrtrtop_ep v;
	unsigned int i;

	for (i = 0; i < NR_EPS; i++) {
		eps[i].have_bpf = false;
		eps[i].nodes_seen = 0;
		eps[i].nr_node_list = 0;
		eps[i].nr_drops = 0;
	}
	while (!bpf_map_get_next_key(fd, prev, &next)) {
		key = next;
		prev = &key;
		if (key >= NR_EPS || bpf_map_lookup_elem(fd, &key, &v))
			continue;
		eps[key].bpf = v;
		eps[key].have_bpf = true;
		eps[key].known = true;
	}

	/* nodes behind each endpoint */
	{
		struct qrtrtop_node_key nk, nn, *np = NULL;
		int nfd = bpf_map__fd(skel->maps.nodes);

		while (!bpf_map_get_next_key(nfd, np, &nn)) {
			struct ep_state *e;

			nk = nn;
			np = &nk;
			if (nk.epid >= NR_EPS)
				continue;
			e = &eps[nk.epid];
			e->nodes_seen++;
			if (e->nr_node_list < MAX_NODES_EP)
				e->node_list[e->nr_node_list++] = nk.node;
		}
	}

	/* drops, merged by reason name with the seeded ones */
	for (i = 0; i < NR_EPS; i++) {
		struct ep_state *e = &eps[i];
		unsigned int r;

		if (!seed_valid(e))
			continue;
		for (r = 0; r < e->seed.nr_drops; r++)
			add_drop(e, e->seed.drops[r].name, e->seed.drops[r].count);
	}
	{
		struct qrtrtop_drop_key dk, dn, *dp = NULL;
		int dfd = bpf_map__fd(skel->maps.drops);
		struct qrtrtop_drop d;

		while (!bpf_map_get_next_key(dfd, dp, &dn)) {
			dk = dn;
			dp = &dk;
			if (dk.epid >= NR_EPS || bpf_map_lookup_elem(dfd, &dk, &d))
				continue;
			d.name[QRTRTOP_REASON_LEN - 1] = '\0';
			if (!d.name[0])
				snprintf(d.name, sizeof(d.name), "r%u", dk.reason);
			add_drop(&eps[dk.epid], d.name, d.count);
			eps[dk.epid].known = true;
		}
	}

	/* totals */
	nr_ep_rows = 0;
	for (i = 0; i < NR_EPS; i++) {
		struct ep_state *e = &eps[i];
		struct qt_ep_row *r;
		uint64_t dt = t_cur - t_prev;
		unsigned int d;

		if (!e->known)
			continue;
		e->rx_pkts = e->rx_bytes = e->tx_pkts = e->tx_bytes = 0;
		e->rx_data = e->tx_data = 0;
		if (seed_valid(e)) {
			e->rx_pkts = e->seed.rx_pkts;
			e->rx_bytes = e->seed.rx_bytes;
			e->tx_pkts = e->seed.tx_pkts;
			e->tx_bytes = e->seed.tx_bytes;
		}
		if (e->have_bpf) {
			e->rx_pkts = qt_total(e->rx_pkts, e->bpf.rx_pkts);
			e->rx_bytes = qt_total(e->rx_bytes, e->bpf.rx_bytes);
			e->tx_pkts = qt_total(e->tx_pkts, e->bpf.tx_pkts);
			e->tx_bytes = qt_total(e->tx_bytes, e->bpf.tx_bytes);
			e->rx_data = e->bpf.rx_data;
			e->tx_data = e->bpf.tx_data;
		}
		e->ndrops = 0;
		for (d = 0; d < e->nr_drops; d++)
			e->ndrops += e->drops[d].count;
		/* endpoint 0 (local) only when something happened there */
		if (i == 0 && !e->rx_pkts && !e->tx_pkts && !e->ndrops)
			continue;

		r = &ep_rows[nr_ep_rows++];
		memset(r, 0, sizeof(*r));
		r->id = i;
		if (i == 0)
			snprintf(r->key, sizeof(r->key), "(local)");
		else if (e->have_bpf && e->bpf.key[0])
			snprintf(r->key, sizeof(r->key), "%.*s",
				 QRTRTOP_KEY_LEN - 1, e->bpf.key);
		else if (e->seeded)
			snprintf(r->key, sizeof(r->key), "%s", e->seed.key);
		else
			snprintf(r->key, sizeof(r->key), "?");
		r->state = i == 0 ? "-" : ep_state_name(e);
		r->nodes = e->nodes_seen;
		if (seed_valid(e) && e->seed.nodes > r->nodes)
			r->nodes = e->seed.nodes;
		r->rx_pkts = e->rx_pkts;
		r->rx_bytes = e->rx_bytes;
		r->tx_pkts = e->tx_pkts;
		r->tx_bytes = e->tx_bytes;
		r->drops = e->ndrops;
		if (e->have_prev) {
			r->rx_pps = qt_rate(e->rx_pkts, e->p_rx_pkts, dt);
			r->rx_bps = qt_rate(e->rx_bytes, e->p_rx_bytes, dt);
			r->tx_pps = qt_rate(e->tx_pkts, e->p_tx_pkts, dt);
			r->tx_bps = qt_rate(e->tx_bytes, e->p_tx_bytes, dt);
		}
	}
}

/* After a frame: the current totals become the base of the next rates. */
static void roll_eps(void)
{
	unsigned int i;

	for (i = 0; i < NR_EPS; i++) {
		struct ep_state *e = &eps[i];

		if (!e->known)
			continue;
		e->p_rx_pkts = e->rx_pkts;
		e->p_rx_bytes = e->rx_bytes;
		e->p_tx_pkts = e->tx_pkts;
		e->p_tx_bytes = e->tx_bytes;
		e->have_prev = true;
	}
}

static void sample_ports(void)
{
	int fd = bpf_map__fd(skel->maps.ports);
	struct qrtrtop_port_key k, n, *p = NULL;
	uint64_t dt = t_cur - t_prev;
	size_t i;

	nr_ports_cur = 0;
	while (!bpf_map_get_next_key(fd, p, &n) && nr_ports_cur < MAX_PORTS) {
		k = n;
		p = &k;
		if (bpf_map_lookup_elem(fd, &k, &ports_cur[nr_ports_cur].v))
			continue;
		ports_cur[nr_ports_cur].k = k;
		nr_ports_cur++;
	}
	qsort(ports_cur, nr_ports_cur, sizeof(*ports_cur), port_key_cmp);

	nr_port_rows = 0;
	for (i = 0; i < nr_ports_cur; i++) {
		const struct port_ent *c = &ports_cur[i], *o;
		struct qt_port_row *r = &port_rows[nr_port_rows++];
		uint64_t pk = c->v.rx_pkts + c->v.tx_pkts;
		uint64_t by = c->v.rx_bytes + c->v.tx_bytes;

		r->epid = c->k.epid;
		r->node = c->k.node;
		r->port = c->k.port;
		r->pkts = pk;
		r->bytes = by;
		r->rx_pkts = c->v.rx_pkts;
		r->tx_pkts = c->v.tx_pkts;
		o = bsearch(c, ports_prev, nr_ports_prev, sizeof(*ports_prev),
			    port_key_cmp);
		r->pps = qt_rate(pk, o ? o->v.rx_pkts + o->v.tx_pkts : 0, dt);
		r->bps = qt_rate(by, o ? o->v.rx_bytes + o->v.tx_bytes : 0, dt);
	}
	qt_port_sort(port_rows, nr_port_rows);
}

static void roll_ports(void)
{
	struct port_ent *t = ports_prev;

	ports_prev = ports_cur;
	nr_ports_prev = nr_ports_cur;
	ports_cur = t;
}

static int svc_row_cmp(const void *a, const void *b)
{
	const struct svc_row *x = a, *y = b;

	if (x->service != y->service)
		return x->service < y->service ? -1 : 1;
	if (x->epid != y->epid)
		return x->epid < y->epid ? -1 : 1;
	if (x->node != y->node)
		return x->node < y->node ? -1 : 1;
	if (x->port != y->port)
		return x->port < y->port ? -1 : 1;
	return 0;
}

static void sample_svcs(void)
{
	int fd = bpf_map__fd(skel->maps.svcs);
	struct qrtrtop_svc_key k, n, *p = NULL;
	struct qrtrtop_svc v;
	size_t i, j;

	/*
	 * Without the socbpf event the upstream ones lack the endpoint and
	 * never report remote servers going away: then the module's own
	 * list (debugfs) is the truth whenever it can be read.
	 */
	if (!have_ns_server_ep && !env.no_seed && read_servers()) {
		memcpy(svc_rows, seed_svcs, nr_seed_svcs * sizeof(*svc_rows));
		nr_svc_rows = nr_seed_svcs;
		goto out;
	}

	memcpy(svc_rows, seed_svcs, nr_seed_svcs * sizeof(*svc_rows));
	nr_svc_rows = nr_seed_svcs;
	while (!bpf_map_get_next_key(fd, p, &n)) {
		k = n;
		p = &k;
		if (bpf_map_lookup_elem(fd, &k, &v))
			continue;
		for (i = 0; i < nr_svc_rows; i++) {
			if (svc_rows[i].epid == k.epid &&
			    svc_rows[i].node == k.node &&
			    svc_rows[i].port == k.port)
				break;
		}
		if (!v.live) {
			if (i < nr_svc_rows)
				svc_rows[i] = svc_rows[--nr_svc_rows];
			continue;
		}
		if (i == nr_svc_rows) {
			if (nr_svc_rows >= MAX_SVCS)
				continue;
			nr_svc_rows++;
		}
		svc_rows[i] = (struct svc_row){
			.epid = k.epid, .node = k.node, .port = k.port,
			.service = v.service, .raw_instance = v.instance,
			.exact = v.flags & QRTRTOP_SVC_EPID_EXACT,
		};
	}
	/* servers behind an endpoint that went down are gone */
	for (i = j = 0; i < nr_svc_rows; i++) {
		const struct ep_state *e = svc_rows[i].epid < NR_EPS ?
					   &eps[svc_rows[i].epid] : NULL;

		if (svc_rows[i].epid && e && e->have_bpf &&
		    e->bpf.state == QRTRTOP_EP_DOWN)
			continue;
		svc_rows[j++] = svc_rows[i];
	}
	nr_svc_rows = j;
out:
	qsort(svc_rows, nr_svc_rows, sizeof(*svc_rows), svc_row_cmp);
}

static bool qmi_wanted(uint32_t epid, uint32_t service)
{
	return (env.qmi_ep < 0 || (uint32_t)env.qmi_ep == epid) &&
	       (env.qmi_svc < 0 || (uint32_t)env.qmi_svc == service);
}

/* Fold one program's QMI maps into the rows, as @src. */
static void fold_qmi(int mfd, int sfd, uint8_t src)
{
	struct qrtrtop_qmi_svc_key sk, sn, *sp = NULL;
	struct qrtrtop_qmi_msg_key mk, mn, *mp = NULL;
	static struct qrtrtop_qmi_svc sv;
	struct qrtrtop_qmi_msg mv;

	while (!bpf_map_get_next_key(mfd, mp, &mn)) {
		mk = mn;
		mp = &mk;
		if (bpf_map_lookup_elem(mfd, &mk, &mv) ||
		    !qmi_wanted(mk.epid, mk.service))
			continue;
		if (!qv_add_msg(qv_rows, &nr_qv_rows, MAX_QV_ROWS, src, &mk,
				&mv))
			qmi_dropped_rows++;
	}
	while (!bpf_map_get_next_key(sfd, sp, &sn)) {
		sk = sn;
		sp = &sk;
		if (bpf_map_lookup_elem(sfd, &sk, &sv) ||
		    !qmi_wanted(sk.epid, sk.service))
			continue;
		if (!qv_add_txn(qv_rows, &nr_qv_rows, MAX_QV_ROWS, src, &sk,
				&sv))
			qmi_dropped_rows++;
	}
}

/* Wire requests past the timeout: counted as timed out, forgotten. */
static void expire_wire(void)
{
	int fd = bpf_map__fd(wire->maps.qmi_pending);
	struct qrtrtop_qmi_pend_key k, n, *p = NULL;
	struct qrtrtop_qmi_pend_key gone[256];
	uint64_t now = now_ns(), tmo = (uint64_t)(env.qmi_timeout * 1e9);
	struct qrtrtop_qmi_pend v;
	size_t ngone = 0, i, j;

	while (!bpf_map_get_next_key(fd, p, &n) && ngone < 256) {
		k = n;
		p = &k;
		if (!bpf_map_lookup_elem(fd, &k, &v) &&
		    qv_expired(v.sent_ns, now, tmo))
			gone[ngone++] = k;
	}
	for (i = 0; i < ngone; i++) {
		struct qrtrtop_qmi_svc_key sk = { .epid = gone[i].epid };

		if (bpf_map_lookup_elem(fd, &gone[i], &v))
			continue;
		/* the response may beat us to it: then it completed */
		if (bpf_map_delete_elem(fd, &gone[i]))
			continue;
		sk.service = v.service;
		for (j = 0; j < nr_wire_tmo; j++)
			if (!memcmp(&wire_tmo_key[j], &sk, sizeof(sk)))
				break;
		if (j == nr_wire_tmo) {
			if (nr_wire_tmo >= QRTRTOP_MAX_QMI_SVCS)
				continue;
			wire_tmo_key[nr_wire_tmo++] = sk;
		}
		wire_tmo[j]++;
	}
}

static void sample_qmi(void)
{
	struct qv_row *r;
	size_t i;

	nr_qv_rows = 0;
	qmi_dropped_rows = 0;
	if (have_qmi)
		fold_qmi(bpf_map__fd(skel->maps.qmi_msgs),
			 bpf_map__fd(skel->maps.qmi_svcs), QV_SRC_HANDLE);
	if (have_wire) {
		expire_wire();
		fold_qmi(bpf_map__fd(wire->maps.qmi_msgs),
			 bpf_map__fd(wire->maps.qmi_svcs), QV_SRC_WIRE);
		for (i = 0; i < nr_wire_tmo; i++) {
			if (!qmi_wanted(wire_tmo_key[i].epid,
					wire_tmo_key[i].service))
				continue;
			r = qv_row_get(qv_rows, &nr_qv_rows, MAX_QV_ROWS,
				       wire_tmo_key[i].epid,
				       wire_tmo_key[i].service, QV_SRC_WIRE);
			if (r)
				r->timedout += wire_tmo[i];
			else
				qmi_dropped_rows++;
		}
	}
	qsort(qv_rows, nr_qv_rows, sizeof(*qv_rows), qv_row_cmp);
	for (i = 0; i < nr_qv_rows; i++)
		qsort(qv_rows[i].msgs, qv_rows[i].nr_msgs,
		      sizeof(qv_rows[i].msgs[0]), qv_msg_cmp);
}

static void sample(void)
{
	t_cur = now_ns();
	read_policy();
	sample_eps();
	sample_ports();
	sample_svcs();
	sample_qmi();
	qt_ep_sort(ep_rows, nr_ep_rows, env.sort, env.reverse);
}

static void roll(void)
{
	roll_eps();
	roll_ports();
	t_prev = t_cur;
}

/* ------------------------------------------------------------------ JSON */

static void json_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c < 0x20 || c >= 0x7f)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

static void json_num(FILE *f, double v)
{
	fprintf(f, "%.3f", isfinite(v) ? v : 0.0);
}

static void json_ms(FILE *f, const char *name, double ns)
{
	fprintf(f, "\"%s\":", name);
	json_num(f, ns / 1e6);
}

static void print_json_qmi(FILE *f)
{
	char nb[16];
	size_t i;
	unsigned int m;

	fputs(",\"qmi\":", f);
	if (!have_qmi && !have_wire) {
		fputs("null", f);
		return;
	}
	fprintf(f, "{\"handle\":%s,\"wire\":%s,\"wire_timeout_s\":",
		have_qmi ? "true" : "false", have_wire ? "true" : "false");
	json_num(f, env.qmi_timeout);
	if (have_wire)
		fprintf(f, ",\"wire_data_pkts\":%llu,\"wire_not_qmi\":%llu",
			(unsigned long long)wire->bss->data_pkts,
			(unsigned long long)wire->bss->not_qmi);
	fprintf(f, ",\"latency_rel_error\":%.4f,\"rows_dropped\":%llu,\"services\":[",
		QRTRTOP_LAT_REL_ERR, (unsigned long long)qmi_dropped_rows);
	for (i = 0; i < nr_qv_rows; i++) {
		const struct qv_row *r = &qv_rows[i];

		fprintf(f, "%s{\"endpoint\":%u,\"service\":%u,\"source\":\"%s\",\"name\":",
			i ? "," : "", r->epid, r->service,
			r->source == QV_SRC_WIRE ? "wire" : "handle");
		json_str(f, qmi_svc_name(r->service));
		fprintf(f, ",\"requests_tx\":%llu,\"requests_rx\":%llu,\"responses_tx\":%llu,\"responses_rx\":%llu,\"indications_tx\":%llu,\"indications_rx\":%llu,\"message_errors\":%llu",
			(unsigned long long)r->req_tx,
			(unsigned long long)r->req_rx,
			(unsigned long long)r->resp_tx,
			(unsigned long long)r->resp_rx,
			(unsigned long long)r->ind_tx,
			(unsigned long long)r->ind_rx,
			(unsigned long long)r->msg_errors);
		fprintf(f, ",\"transactions\":{\"completed\":%llu,\"timed_out\":%llu,\"failed\":%llu}",
			(unsigned long long)r->completed,
			(unsigned long long)r->timedout,
			(unsigned long long)r->failed);
		fputs(",\"latency_ms\":", f);
		if (r->completed) {
			fputc('{', f);
			json_ms(f, "p50", qv_pct_ns(r, 50));
			fputc(',', f);
			json_ms(f, "p90", qv_pct_ns(r, 90));
			fputc(',', f);
			json_ms(f, "p99", qv_pct_ns(r, 99));
			fputc(',', f);
			json_ms(f, "mean", (double)r->lat_sum_ns /
					   (double)r->completed);
			fputc(',', f);
			json_ms(f, "max", (double)r->lat_max_ns);
			fputc('}', f);
		} else {
			fputs("null", f);
		}
		fputs(",\"messages\":[", f);
		for (m = 0; m < r->nr_msgs; m++) {
			const struct qv_msg *q = &r->msgs[m];

			fprintf(f, "%s{\"msg_id\":%u,\"name\":", m ? "," : "",
				q->msg_id);
			json_str(f, qmi_msg_name(r->service, q->msg_id, nb,
						 sizeof(nb)));
			fputs(",\"type\":", f);
			json_str(f, qmi_type_name(q->type));
			fprintf(f, ",\"dir\":\"%s\",\"count\":%llu,\"bytes\":%llu,\"errors\":%llu}",
				q->dir == QRTRTOP_QMI_TX ? "tx" : "rx",
				(unsigned long long)q->count,
				(unsigned long long)q->bytes,
				(unsigned long long)q->errors);
		}
		fputs("]}", f);
	}
	fputs("]}", f);
}

static void print_json(FILE *f)
{
	struct timespec ts;
	size_t i;
	unsigned int d, nshown;

	clock_gettime(CLOCK_REALTIME, &ts);
	fprintf(f, "{\"iteration\":%ld,\"timestamp\":%lld.%03ld,\"interval_s\":",
		frame, (long long)ts.tv_sec, ts.tv_nsec / 1000000);
	json_num(f, (double)(t_cur - t_prev) / 1e9);
	fprintf(f, ",\"policy\":");
	if (policy_attached)
		json_str(f, policy_name);
	else
		fputs("null", f);
	fprintf(f, ",\"service_events\":\"%s\"", have_ns_server_ep ?
		"qrtr_ns_server_ep" : "qrtr_ns_server_add");

	fputs(",\"endpoints\":[", f);
	for (i = 0; i < nr_ep_rows; i++) {
		const struct qt_ep_row *r = &ep_rows[i];
		const struct ep_state *e = &eps[r->id];

		fprintf(f, "%s{\"id\":%u,\"key\":", i ? "," : "", r->id);
		json_str(f, r->key);
		fputs(",\"state\":", f);
		json_str(f, r->state);
		fprintf(f, ",\"nodes\":%u,\"node_ids\":[", r->nodes);
		for (d = 0; d < e->nr_node_list; d++)
			fprintf(f, "%s%u", d ? "," : "", e->node_list[d]);
		fprintf(f, "],\"rx_pkts\":%llu,\"rx_bytes\":%llu,\"tx_pkts\":%llu,\"tx_bytes\":%llu",
			(unsigned long long)r->rx_pkts,
			(unsigned long long)r->rx_bytes,
			(unsigned long long)r->tx_pkts,
			(unsigned long long)r->tx_bytes);
		fprintf(f, ",\"rx_data_pkts_seen\":%llu,\"tx_data_pkts_seen\":%llu",
			(unsigned long long)e->rx_data,
			(unsigned long long)e->tx_data);
		fputs(",\"rx_pkts_per_s\":", f);
		json_num(f, r->rx_pps);
		fputs(",\"rx_bytes_per_s\":", f);
		json_num(f, r->rx_bps);
		fputs(",\"tx_pkts_per_s\":", f);
		json_num(f, r->tx_pps);
		fputs(",\"tx_bytes_per_s\":", f);
		json_num(f, r->tx_bps);
		fprintf(f, ",\"drops_total\":%llu,\"drops\":{",
			(unsigned long long)r->drops);
		for (d = 0; d < e->nr_drops; d++) {
			fputs(d ? "," : "", f);
			json_str(f, e->drops[d].name);
			fprintf(f, ":%llu", (unsigned long long)e->drops[d].count);
		}
		fputs("},\"policy\":", f);
		if (policy_attached && r->id)
			json_str(f, policy_name);
		else
			fputs("null", f);
		fputc('}', f);
	}

	fputs("],\"services\":[", f);
	for (i = 0; i < nr_svc_rows; i++) {
		const struct svc_row *s = &svc_rows[i];

		fprintf(f, "%s{\"service\":%u,\"name\":", i ? "," : "",
			s->service);
		json_str(f, qmi_svc_name(s->service));
		fprintf(f, ",\"version\":%u,\"instance\":%u,\"node\":%u,\"port\":%u,\"endpoint\":%u,\"endpoint_exact\":%s}",
			qt_svc_version(s->raw_instance),
			qt_svc_instance(s->raw_instance), s->node, s->port,
			s->epid, s->exact ? "true" : "false");
	}

	fputs("],\"ports\":[", f);
	nshown = 0;
	for (i = 0; i < nr_port_rows && nshown < (unsigned int)env.max_ports;
	     i++, nshown++) {
		const struct qt_port_row *p = &port_rows[i];

		fprintf(f, "%s{\"endpoint\":%u,\"node\":%u,\"port\":%u,\"pkts\":%llu,\"bytes\":%llu,\"rx_pkts\":%llu,\"tx_pkts\":%llu,\"pkts_per_s\":",
			i ? "," : "", p->epid, p->node, p->port,
			(unsigned long long)p->pkts,
			(unsigned long long)p->bytes,
			(unsigned long long)p->rx_pkts,
			(unsigned long long)p->tx_pkts);
		json_num(f, p->pps);
		fputs(",\"bytes_per_s\":", f);
		json_num(f, p->bps);
		fputc('}', f);
	}
	fputc(']', f);
	print_json_qmi(f);
	fputs("}\n", f);
	fflush(f);
}

/* ------------------------------------------------------- text rendering */

/*
 * One renderer for both modes: batch prints lines to stdout, the terminal
 * UI puts them on the screen (clipped) with attributes.
 */
static bool tui;
static int tui_y;

enum { ATTR_NONE, ATTR_HDR, ATTR_TITLE };

static void out_line(int attr, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void out_line(int attr, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (!tui) {
		fputs(buf, stdout);
		fputc('\n', stdout);
		return;
	}
	if (tui_y >= LINES)
		return;
	if (attr == ATTR_HDR)
		attron(A_REVERSE);
	else if (attr == ATTR_TITLE)
		attron(A_BOLD);
	mvaddnstr(tui_y, 0, buf, COLS);
	if (attr == ATTR_HDR) {
		int len = (int)strlen(buf);

		/* the header bar spans the whole width */
		if (len < COLS)
			mvhline(tui_y, len, ' ', COLS - len);
		attroff(A_REVERSE);
	} else if (attr == ATTR_TITLE) {
		attroff(A_BOLD);
	}
	tui_y++;
}

/* Column headers; the sort column is marked with '*' (batch) or bold. */
static const char *const ep_hdr_names[QT_SORT_NR] = {
	[QT_SORT_ID] = "EPID",
	[QT_SORT_KEY] = "KEY",
	[QT_SORT_NODES] = "NODES",
	[QT_SORT_RX_PPS] = "RX/s",
	[QT_SORT_TX_PPS] = "TX/s",
	[QT_SORT_RX_BPS] = "RXB/s",
	[QT_SORT_TX_BPS] = "TXB/s",
	[QT_SORT_RX_PKTS] = "RX",
	[QT_SORT_TX_PKTS] = "TX",
	[QT_SORT_DROPS] = "DROPS",
};

static const char *hdr(int field, char *buf, size_t len)
{
	snprintf(buf, len, "%s%s", field == env.sort ?
		 (env.reverse ? "^" : "*") : "", ep_hdr_names[field]);
	return buf;
}

static void drops_str(const struct ep_state *e, char *buf, size_t len)
{
	size_t off = 0;
	unsigned int d;

	buf[0] = '\0';
	for (d = 0; d < e->nr_drops && off + 1 < len; d++) {
		int w;

		if (!e->drops[d].count)
			continue;
		w = snprintf(buf + off, len - off, "%s%s:%llu", off ? "," : "",
			     e->drops[d].name,
			     (unsigned long long)e->drops[d].count);
		if (w < 0)
			break;
		off += (size_t)w;
	}
	if (!buf[0])
		snprintf(buf, len, "-");
}

/* Keys longer than the column show their tail (the distinctive part). */
#define KEY_COL 16
static const char *key_col(const char *key, char *buf, size_t len)
{
	size_t n = strlen(key);

	if (n <= KEY_COL)
		return key;
	snprintf(buf, len, "~%s", key + n - (KEY_COL - 1));
	return buf;
}

static const char *short_state(const char *st)
{
	if (!strncmp(st, "live", 4))
		return "live";
	if (!strncmp(st, "pre", 3))
		return "pre";
	return st;
}

/* "12.3" ms, or "-" */
static const char *fmt_ms(const struct qv_row *r, double pct, char *buf,
			  size_t len)
{
	if (!r->completed)
		return "-";
	snprintf(buf, len, "%.1f", qv_pct_ns(r, pct) / 1e6);
	return buf;
}

static void render_qmi(void)
{
	char a[8][16], nb[16], msgs[512];
	size_t i;
	unsigned int m;

	if (!have_qmi && !have_wire)
		return;
	out_line(ATTR_NONE, "%s", "");
	out_line(ATTR_HDR, "%5s %-6s %-6s %7s %7s %7s %7s %5s %5s %5s %7s %7s %7s  QMI (ms, +-6.25%%)",
		 "EPID", "SVC", "SOURCE", "REQ", "RESP", "IND", "TXN", "OK",
		 "TMO", "FAIL", "P50", "P90", "P99");
	for (i = 0; i < nr_qv_rows; i++) {
		const struct qv_row *r = &qv_rows[i];
		char svc[24];
		size_t off = 0;

		snprintf(svc, sizeof(svc), "%s", r->service ?
			 qmi_svc_name(r->service) : "?");
		if (r->service && !strcmp(svc, "-"))
			snprintf(svc, sizeof(svc), "%u", r->service);
		out_line(ATTR_NONE, "%5u %-6.6s %-6s %3llu/%-3llu %3llu/%-3llu %3llu/%-3llu %7llu %5llu %5llu %5llu %7s %7s %7s",
			 r->epid, svc,
			 r->source == QV_SRC_WIRE ? "wire" : "handle",
			 (unsigned long long)r->req_tx,
			 (unsigned long long)r->req_rx,
			 (unsigned long long)r->resp_tx,
			 (unsigned long long)r->resp_rx,
			 (unsigned long long)r->ind_tx,
			 (unsigned long long)r->ind_rx,
			 (unsigned long long)(r->completed + r->timedout +
					      r->failed),
			 (unsigned long long)r->completed,
			 (unsigned long long)r->timedout,
			 (unsigned long long)r->failed,
			 fmt_ms(r, 50, a[0], sizeof(a[0])),
			 fmt_ms(r, 90, a[1], sizeof(a[1])),
			 fmt_ms(r, 99, a[2], sizeof(a[2])));
		msgs[0] = '\0';
		for (m = 0; m < r->nr_msgs && off + 1 < sizeof(msgs); m++) {
			const struct qv_msg *q = &r->msgs[m];
			int w;

			w = snprintf(msgs + off, sizeof(msgs) - off,
				     "%s%s %c%s:%llu", m ? ", " : "",
				     qmi_msg_name(r->service, q->msg_id, nb,
						  sizeof(nb)),
				     q->type == 0 ? 'Q' : q->type == 2 ? 'R' :
				     q->type == 4 ? 'I' : '?',
				     q->dir == QRTRTOP_QMI_TX ? ">" : "<",
				     (unsigned long long)q->count);
			if (w < 0)
				break;
			off += (size_t)w;
		}
		if (msgs[0])
			out_line(ATTR_NONE, "      %s", msgs);
	}
	if (!nr_qv_rows)
		out_line(ATTR_NONE, "  (no QMI traffic yet)");
}

static void render_text(void)
{
	char h[QT_SORT_NR][16], a[10][16], addr[32], ts[32], reasons[256];
	char kbuf[QT_KEY_LEN];
	struct timespec rt;
	struct tm tm;
	size_t i;
	int f;

	clock_gettime(CLOCK_REALTIME, &rt);
	localtime_r(&rt.tv_sec, &tm);
	strftime(ts, sizeof(ts), "%H:%M:%S", &tm);
	out_line(ATTR_TITLE, "qrtrtop - %s  endpoints: %zu  services: %zu  policy: %s  delay: %.1fs%s",
		 ts, nr_ep_rows, nr_svc_rows, policy_attached ? policy_name : "-",
		 env.delay, tui ? "  (h: help, q: quit)" : "");
	out_line(ATTR_NONE, "%s", "");

	for (f = 0; f < QT_SORT_NR; f++)
		hdr(f, h[f], sizeof(h[f]));
	out_line(ATTR_HDR, "%5s %-16s %-5s %5s %6s %6s %6s %6s %7s %7s %6s %s",
		 h[QT_SORT_ID], h[QT_SORT_KEY], "STATE", h[QT_SORT_NODES],
		 h[QT_SORT_RX_PPS], h[QT_SORT_RX_BPS], h[QT_SORT_TX_PPS],
		 h[QT_SORT_TX_BPS], h[QT_SORT_RX_PKTS], h[QT_SORT_TX_PKTS],
		 h[QT_SORT_DROPS], "DROP REASONS");
	for (i = 0; i < nr_ep_rows; i++) {
		const struct qt_ep_row *r = &ep_rows[i];

		drops_str(&eps[r->id], reasons, sizeof(reasons));
		out_line(ATTR_NONE, "%5u %-16.16s %-5.5s %5u %6s %6s %6s %6s %7s %7s %6s %s",
			 r->id, key_col(r->key, kbuf, sizeof(kbuf)),
			 short_state(r->state),
			 r->nodes,
			 qt_fmt_num(r->rx_pps, a[0], sizeof(a[0])),
			 qt_fmt_num(r->rx_bps, a[1], sizeof(a[1])),
			 qt_fmt_num(r->tx_pps, a[2], sizeof(a[2])),
			 qt_fmt_num(r->tx_bps, a[3], sizeof(a[3])),
			 qt_fmt_num((double)r->rx_pkts, a[4], sizeof(a[4])),
			 qt_fmt_num((double)r->tx_pkts, a[5], sizeof(a[5])),
			 qt_fmt_num((double)r->drops, a[6], sizeof(a[6])),
			 reasons);
	}
	if (!nr_ep_rows)
		out_line(ATTR_NONE, "  (no endpoints)");
	out_line(ATTR_NONE, "%s", "");

	out_line(ATTR_HDR, "%7s %-14s %4s %8s %-14s %5s", "SERVICE", "NAME",
		 "VER", "INSTANCE", "NODE:PORT", "EPID");
	for (i = 0; i < nr_svc_rows; i++) {
		const struct svc_row *s = &svc_rows[i];
		char ep[16];

		if (s->epid || s->exact)
			snprintf(ep, sizeof(ep), "%u%s", s->epid,
				 s->exact ? "" : "?");
		else
			snprintf(ep, sizeof(ep), "?");
		out_line(ATTR_NONE, "%7u %-14.14s %4u %8u %-14s %5s",
			 s->service, qmi_svc_name(s->service),
			 qt_svc_version(s->raw_instance),
			 qt_svc_instance(s->raw_instance),
			 qt_fmt_addr(s->node, s->port, addr, sizeof(addr)),
			 s->epid == 0 && s->exact ? "local" : ep);
	}
	if (!nr_svc_rows)
		out_line(ATTR_NONE, "  (no services)");

	render_qmi();

	if (env.max_ports) {
		out_line(ATTR_NONE, "%s", "");
		out_line(ATTR_HDR, "%5s %-16s %8s %8s %9s %9s   (busiest ports)",
			 "EPID", "NODE:PORT", "PKTS/s", "BYTES/s", "PKTS",
			 "BYTES");
		for (i = 0; i < nr_port_rows && i < (size_t)env.max_ports; i++) {
			const struct qt_port_row *p = &port_rows[i];

			out_line(ATTR_NONE, "%5u %-16s %8s %8s %9s %9s",
				 p->epid,
				 qt_fmt_addr(p->node, p->port, addr,
					     sizeof(addr)),
				 qt_fmt_num(p->pps, a[0], sizeof(a[0])),
				 qt_fmt_num(p->bps, a[1], sizeof(a[1])),
				 qt_fmt_num((double)p->pkts, a[2], sizeof(a[2])),
				 qt_fmt_num((double)p->bytes, a[3], sizeof(a[3])));
		}
		if (!nr_port_rows)
			out_line(ATTR_NONE, "  (no traffic yet)");
	}
}

/* ------------------------------------------------------------- terminal */

static bool show_help;
static bool curses_up;

static void tui_end(void)
{
	if (curses_up) {
		endwin();
		curses_up = false;
	}
}

static int tui_start(void)
{
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		fprintf(stderr, "qrtrtop: not a terminal: use -b (batch) or --json\n");
		return -1;
	}
	if (!newterm(NULL, stdout, stdin)) {
		fprintf(stderr, "qrtrtop: cannot drive terminal '%s': use -b (batch)\n",
			getenv("TERM") ? getenv("TERM") : "(unset)");
		return -1;
	}
	curses_up = true;
	atexit(tui_end);
	cbreak();
	noecho();
	keypad(stdscr, TRUE);
	curs_set(0);
	tui = true;
	return 0;
}

static void render_help(void)
{
	static const char *const lines[] = {
		"qrtrtop keys",
		"",
		"  q          quit (also Ctrl-C)",
		"  h, ?       this help (any key closes it)",
		"  s, >       sort by the next column",
		"  <          sort by the previous column",
		"  r          reverse the sort order",
		"  + / -      slower / faster refresh",
		"  space      refresh now",
		"",
		"Sort columns: id key nodes rx tx rxbytes txbytes rxtotal txtotal drops",
		"The sort column is marked * (^ when reversed).",
		"Rates are per second over the last interval; totals include the",
		"module's counters from before qrtrtop started (debugfs).",
		"A service endpoint ending in ? was guessed (no qrtr_ns_server_ep event).",
		"QMI: REQ/RESP/IND are sent/received (tx/rx) by the in-kernel handles",
		"(source handle) or by userspace clients (source wire); per message",
		"Q=request R=response I=indication, > sent < received.",
	};
	size_t i;

	for (i = 0; i < sizeof(lines) / sizeof(lines[0]); i++)
		out_line(i ? ATTR_NONE : ATTR_TITLE, "%s", lines[i]);
}

static void tui_draw(void)
{
	erase();
	tui_y = 0;
	if (show_help)
		render_help();
	else
		render_text();
	refresh();
}

/* Returns true when the data should be sampled again now. */
static bool tui_key(int ch)
{
	if (show_help && ch != ERR && ch != KEY_RESIZE) {
		show_help = false;
		return false;
	}
	switch (ch) {
	case 'q':
	case 'Q':
		exiting = 1;
		break;
	case 'h':
	case '?':
		show_help = true;
		break;
	case 's':
	case '>':
	case KEY_RIGHT:
		env.sort = (env.sort + 1) % QT_SORT_NR;
		break;
	case '<':
	case KEY_LEFT:
		env.sort = (env.sort + QT_SORT_NR - 1) % QT_SORT_NR;
		break;
	case 'r':
		env.reverse = !env.reverse;
		break;
	case '+':
		env.delay = env.delay * 2 > 3600 ? 3600 : env.delay * 2;
		break;
	case '-':
		env.delay = env.delay / 2 < 0.1 ? 0.1 : env.delay / 2;
		break;
	case ' ':
		return true;
	default:
		break;
	}
	return false;
}

static void run_tui(void)
{
	uint64_t next;

	sample();		/* first frame at once: seeded totals */
	roll();
	tui_draw();
	next = now_ns() + (uint64_t)(env.delay * 1e9);
	while (!exiting) {
		uint64_t now = now_ns();
		int ch, ms;

		if (now >= next) {
			sample();
			roll();
			frame++;
			tui_draw();
			if (env.iterations && frame >= env.iterations)
				break;
			next = now + (uint64_t)(env.delay * 1e9);
			continue;
		}
		ms = (int)((next - now) / 1000000) + 1;
		timeout(ms > 250 ? 250 : ms);
		ch = getch();
		if (ch == ERR)
			continue;
		if (tui_key(ch)) {
			next = now;
			continue;
		}
		qt_ep_sort(ep_rows, nr_ep_rows, env.sort, env.reverse);
		tui_draw();
	}
	tui_end();
}

static void run_batch(void)
{
	struct timespec ts;
	uint64_t next = now_ns();

	t_prev = next;
	sample();
	roll();
	while (!exiting) {
		uint64_t now;

		next += (uint64_t)(env.delay * 1e9);
		now = now_ns();
		if (next > now) {
			uint64_t d = next - now;

			ts.tv_sec = (time_t)(d / 1000000000ULL);
			ts.tv_nsec = (long)(d % 1000000000ULL);
			/* a signal cuts the sleep short: print what we have */
			nanosleep(&ts, NULL);
		}
		frame++;
		sample();
		if (env.json) {
			print_json(stdout);
		} else {
			if (frame > 1)
				fputc('\n', stdout);
			render_text();
			fflush(stdout);
		}
		roll();
		if (env.iterations && frame >= env.iterations)
			break;
	}
}

/* ---------------------------------------------------------------- setup */

/* Does the module's BTF describe tracepoint @name? (-1: no BTF) */
static int btf_has_tp(struct btf *mbtf, const char *name)
{
	char tn[128];

	if (!mbtf)
		return -1;
	snprintf(tn, sizeof(tn), "btf_trace_%s", name);
	return btf__find_by_name_kind(mbtf, tn, BTF_KIND_TYPEDEF) > 0;
}

static int tracefs_has_tp(const char *name)
{
	static const char *const roots[] = {
		"/sys/kernel/tracing/events/qrtr",
		"/sys/kernel/debug/tracing/events/qrtr",
	};
	char path[256];
	size_t i;

	for (i = 0; i < sizeof(roots) / sizeof(roots[0]); i++) {
		if (access(roots[i], F_OK))
			continue;
		snprintf(path, sizeof(path), "%s/%s", roots[i], name);
		return !access(path, F_OK);
	}
	return -1;
}

static bool tp_exists(struct btf *mbtf, const char *name)
{
	int r = btf_has_tp(mbtf, name);

	if (r < 0)
		r = tracefs_has_tp(name);
	return r != 0;	/* unknown: try, the attach will tell */
}

struct prog_pair {
	const char *tp;
	struct bpf_program *btf, *raw;
	bool required;
};

/*
 * The wire half of the QMI view: fentry programs on socbpf_qrtr, sharing the
 * server table. Not fatal: a kernel without fentry (or a module without
 * BTF) just has no wire rows.
 */
static void wire_start(struct btf *mbtf)
{
	const char *why = NULL;
	int err;

	if (!mbtf) {
		why = MOD_NAME " has no BTF";
		goto out;
	}
	wire = qrtrtop_wire_bpf__open();
	if (!wire) {
		why = strerror(errno);
		goto out;
	}
	err = bpf_map__reuse_fd(wire->maps.svcs, bpf_map__fd(skel->maps.svcs));
	if (!err)
		err = qrtrtop_wire_bpf__load(wire);
	if (!err)
		err = qrtrtop_wire_bpf__attach(wire);
	if (err) {
		why = strerror(-err);
		qrtrtop_wire_bpf__destroy(wire);
		wire = NULL;
		goto out;
	}
	have_wire = true;
out:
	if (why)
		fprintf(stderr, "qrtrtop: warning: no QMI view of userspace clients (fentry on " MOD_NAME ": %s)\n",
			why);
}

int main(int argc, char **argv)
{
	static const struct argp argp = {
		.options = opts,
		.parser = parse_arg,
		.doc = argp_program_doc,
	};
	struct btf *vbtf = NULL, *mbtf = NULL;
	struct prog_pair pp[12];
	struct btf *qbtf = NULL;
	bool qmi_raw;
	size_t i, npp = 0;
	bool use_raw;
	int err;

	setlocale(LC_ALL, "");
	err = argp_parse(&argp, argc, argv, 0, NULL, NULL);
	if (err)
		return 1;
	/* Ctrl-C while the programs load is a clean exit too */
	signal(SIGINT, sig_handler);
	signal(SIGTERM, sig_handler);
	if (!env.batch && env.iterations == 0 && !isatty(STDOUT_FILENO)) {
		/* qrtrtop > file: behave like top -b rather than fail */
		env.batch = true;
	}

	if (access("/sys/module/" MOD_NAME, F_OK)) {
		fprintf(stderr, "qrtrtop: " MOD_NAME " module not loaded: " MOD_HINT "\n");
		return 1;
	}
	if (access("/sys/kernel/btf/vmlinux", R_OK)) {
		fprintf(stderr, "qrtrtop: kernel BTF missing (/sys/kernel/btf/vmlinux): "
			"qrtrtop needs a kernel built with CONFIG_DEBUG_INFO_BTF=y\n");
		return 1;
	}
	libbpf_set_print(libbpf_print_fn);

	use_raw = env.raw_tp;
	vbtf = btf__load_vmlinux_btf();
	if (vbtf)
		mbtf = btf__parse_split("/sys/kernel/btf/" MOD_NAME, vbtf);
	if (!vbtf) {
		fprintf(stderr, "qrtrtop: cannot read kernel BTF (/sys/kernel/btf/vmlinux): %s\n",
			strerror(errno));
		return 1;
	}
	if (!mbtf) {
		mbtf = NULL;
		if (!use_raw)
			fprintf(stderr, "qrtrtop: warning: " MOD_NAME " has no BTF "
				"(/sys/kernel/btf/" MOD_NAME "; module built without "
				"pahole?): using raw tracepoints\n");
		use_raw = true;
	}
	if (!tp_exists(mbtf, "qrtr_pkt_rx")) {
		fprintf(stderr, "qrtrtop: " MOD_NAME " has no qrtr:qrtr_pkt_rx "
			"tracepoint: module too old for this qrtrtop?\n");
		return 1;
	}
	have_ns_server_ep = tp_exists(mbtf, "qrtr_ns_server_ep");

	skel = qrtrtop_bpf__open();
	if (!skel) {
		fprintf(stderr, "qrtrtop: failed to open BPF object: %s\n",
			strerror(errno));
		return 1;
	}

#define PAIR(name, b, r, req) \
	pp[npp++] = (struct prog_pair){ name, skel->progs.b, skel->progs.r, req }
	PAIR("qrtr_pkt_rx", btf_pkt_rx, raw_pkt_rx, true);
	PAIR("qrtr_pkt_tx", btf_pkt_tx, raw_pkt_tx, true);
	PAIR("qrtr_pkt_drop", btf_pkt_drop, raw_pkt_drop, true);
	PAIR("qrtr_endpoint_add", btf_ep_add, raw_ep_add, false);
	PAIR("qrtr_endpoint_remove", btf_ep_remove, raw_ep_remove, false);
	PAIR("qrtr_endpoint_id_assign", btf_ep_assign, raw_ep_assign, false);
	PAIR("qrtr_ns_server_ep", btf_ns_server_ep, raw_ns_server_ep, false);
	PAIR("qrtr_ns_server_add", btf_ns_server_add, raw_ns_server_add, false);
	PAIR("qrtr_ns_service_announce_del", btf_ns_announce_del,
	     raw_ns_announce_del, false);
	PAIR("socbpf_qmi_tx", btf_qmi_tx, raw_qmi_tx, false);
	PAIR("socbpf_qmi_rx", btf_qmi_rx, raw_qmi_rx, false);
	PAIR("socbpf_qmi_txn_end", btf_qmi_txn_end, raw_qmi_txn_end, false);
#undef PAIR
	/*
	 * The QMI view needs socbpf_qmi loaded now (its tracepoints come and
	 * go with it); its own BTF decides tp_btf or raw_tp.
	 */
	have_qmi = !env.no_qmi && !access("/sys/module/" QMI_MOD, F_OK);
	if (have_qmi)
		qbtf = btf__parse_split("/sys/kernel/btf/" QMI_MOD, vbtf);
	qmi_raw = use_raw || !qbtf ||
		  btf__find_by_name_kind(qbtf, "btf_trace_socbpf_qmi_tx",
					 BTF_KIND_TYPEDEF) <= 0;
	for (i = 0; i < npp; i++) {
		bool want;

		if (!strncmp(pp[i].tp, "socbpf_qmi_", 11)) {
			bpf_program__set_autoload(pp[i].btf, have_qmi && !qmi_raw);
			bpf_program__set_autoload(pp[i].raw, have_qmi && qmi_raw);
			continue;
		}
		want = tp_exists(mbtf, pp[i].tp);

		if (!strcmp(pp[i].tp, "qrtr_ns_server_add") ||
		    !strcmp(pp[i].tp, "qrtr_ns_service_announce_del"))
			want = want && !have_ns_server_ep;
		if (!want && pp[i].required) {
			fprintf(stderr, "qrtrtop: " MOD_NAME " has no qrtr:%s tracepoint\n",
				pp[i].tp);
			goto fail;
		}
		bpf_program__set_autoload(pp[i].btf, want && !use_raw);
		bpf_program__set_autoload(pp[i].raw, want && use_raw);
	}

	err = qrtrtop_bpf__load(skel);
	if (err) {
		fprintf(stderr, "qrtrtop: failed to load BPF programs: %s%s\n",
			strerror(-err), err == -EPERM ?
			" (run as root: needs CAP_BPF and CAP_PERFMON)" :
			env.verbose ? "" : " (run with -v for details)");
		goto fail;
	}
	err = qrtrtop_bpf__attach(skel);
	if (err) {
		fprintf(stderr, "qrtrtop: failed to attach to the qrtr tracepoints: %s%s\n",
			strerror(-err), env.verbose ? "" : " (run with -v for details)");
		goto fail;
	}

	if (!env.no_qmi)
		wire_start(mbtf);

	ports_cur = calloc(MAX_PORTS, sizeof(*ports_cur));
	ports_prev = calloc(MAX_PORTS, sizeof(*ports_prev));
	if (!ports_cur || !ports_prev) {
		fprintf(stderr, "qrtrtop: out of memory\n");
		goto fail;
	}

	/*
	 * Attached first, then seeded, so nothing is missed; a packet in the
	 * moment between is counted twice (once in the debugfs baseline).
	 */
	seed();
	if (!env.batch && tui_start())
		goto fail;

	t_prev = now_ns();

	if (env.batch)
		run_batch();
	else
		run_tui();

	qrtrtop_wire_bpf__destroy(wire);
	qrtrtop_bpf__destroy(skel);
	btf__free(qbtf);
	btf__free(mbtf);
	btf__free(vbtf);
	free(ports_cur);
	free(ports_prev);
	return 0;

fail:
	tui_end();
	qrtrtop_wire_bpf__destroy(wire);
	qrtrtop_bpf__destroy(skel);
	btf__free(qbtf);
	btf__free(mbtf);
	btf__free(vbtf);
	free(ports_cur);
	free(ports_prev);
	return 1;
}
