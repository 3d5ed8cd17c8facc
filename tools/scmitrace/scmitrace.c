// SPDX-License-Identifier: GPL-2.0
/*
 * scmitrace: SCMI transfer latency histograms, timeouts, late/ghost
 * responses and out-of-order delayed responses, from the upstream scmi
 * tracepoints.  Works with socbpf_scmi and with the kernel's Arm SCMI driver.
 *
 * USAGE: scmitrace [-h] [-p PROTO] [-m MSG] [-s] [-j] [-T] [-W] [-R] [interval] [count]
 */
#include <argp.h>
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <linux/types.h>
#include <bpf/libbpf.h>
#include <bpf/bpf.h>

#include "socbpf/lathist.h"
#include "scmitrace.h"
#include "hist_acc.h"
#include "scmi_names.h"
#include "tp_format.h"
#include "scmitrace.skel.h"

#define MAX_LIST	4096	/* events kept per kind for the summary */

static struct env {
	int proto;
	int msg;
	const char *proto_arg;
	const char *msg_arg;
	bool stream;
	bool json;
	bool timestamp;
	bool verbose;
	bool classic;
	bool waits;
	bool rx_done;
	bool dump_rx;
	bool abi;
	long interval;
	long times;
} env = {
	.proto = -1,
	.msg = -1,
	.interval = 99999999,
	.times = 99999999,
};

const char *argp_program_version = "scmitrace 0.1";
const char argp_program_doc[] =
"Summarize SCMI transfer latency as histograms, and report timeouts,\n"
"in-flight transfers, late and ghost responses and out-of-order delayed\n"
"responses, from the scmi:* tracepoints.\n"
"\n"
"USAGE: scmitrace [--help] [-p PROTO] [-m MSG] [-s] [-j] [-T] [-W] [-R]\n"
"                 [interval] [count]\n"
"\n"
"EXAMPLES:\n"
"    scmitrace                 # summarize until Ctrl-C\n"
"    scmitrace 1 10            # print 1 second summaries, 10 times\n"
"    scmitrace -p clock        # only the clock protocol (0x14)\n"
"    scmitrace -p 0x14 -m RATE_GET   # only CLOCK_RATE_GET\n"
"    scmitrace -m CLOCK_RATE_SET     # protocol implied by the message name\n"
"    scmitrace -s              # one line per completed transfer\n"
"    scmitrace -j 5            # JSON lines, one object per 5 s interval\n"
"    scmitrace -T 1            # 1 second summaries with timestamps\n"
"    scmitrace -W              # in-flight transfers also show their timeout\n";

static const struct argp_option opts[] = {
	{ "protocol", 'p', "PROTO", 0, "Trace this protocol only (id or name: base, power, system, perf, clock, sensor, reset, voltage, powercap, pinctrl)", 0 },
	{ "message", 'm', "MSG", 0, "Trace this message id only (id or name, e.g. CLOCK_RATE_GET)", 0 },
	{ "stream", 's', NULL, 0, "Print one line per completed transfer", 0 },
	{ "json", 'j', NULL, 0, "Print JSON (one object per line)", 0 },
	{ "timestamp", 'T', NULL, 0, "Include a timestamp on each interval", 0 },
	{ "verbose", 'v', NULL, 0, "Verbose debug output (libbpf messages)", 0 },
	{ "classic-tp", 'C', NULL, 0, "Use classic tracepoints (perf trace records) instead of raw tracepoints", 0 },
	{ "waits", 'W', NULL, 0, "Also trace scmi_xfer_response_wait, so in-flight transfers show the timeout they wait with (one more hook per transfer)", 0 },
	{ "rx-done", 'R', NULL, 0, "Take accepted messages from scmi_rx_done instead of scmi_msg_dump: one more hook per message, but none is missed when its interrupt comes while the scmi_msg_dump program runs for a command on that CPU (by default such a miss is counted in recursion_misses and the response inferred from the transfer's successful end)", 0 },
	{ "dump-rx", 'D', NULL, 0, "Take accepted messages from scmi_msg_dump (the default)", 0 },
	{ "abi-records", 0x100, NULL, OPTION_HIDDEN, "Classic tracepoints: read the records at the offsets of the format files even where BTF describes them (tests the path for kernels without the events' BTF)", 0 },
	{ NULL, 'h', NULL, OPTION_HIDDEN, "Show the full help", 0 },
	{},
};

static error_t parse_arg(int key, char *arg, struct argp_state *state)
{
	static int pos_args;
	char *end;
	long v;

	switch (key) {
	case 'h':
		argp_state_help(state, stderr, ARGP_HELP_STD_HELP);
		break;
	case 'p':
		env.proto_arg = arg;
		break;
	case 'm':
		env.msg_arg = arg;
		break;
	case 's':
		env.stream = true;
		break;
	case 'j':
		env.json = true;
		break;
	case 'T':
		env.timestamp = true;
		break;
	case 'v':
		env.verbose = true;
		break;
	case 'C':
		env.classic = true;
		break;
	case 'W':
		env.waits = true;
		break;
	case 'R':
		env.rx_done = true;
		break;
	case 'D':
		env.dump_rx = true;
		break;
	case 0x100:
		env.abi = true;
		break;
	case ARGP_KEY_ARG:
		errno = 0;
		v = strtol(arg, &end, 10);
		if (errno || *end || v <= 0 || v > 99999999) {
			argp_error(state, "invalid %s '%s': expected a positive integer",
				   pos_args == 0 ? "interval" : "count", arg);
		}
		if (pos_args == 0)
			env.interval = v;
		else if (pos_args == 1)
			env.times = v;
		else
			argp_error(state, "unrecognized positional argument '%s'", arg);
		pos_args++;
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static volatile sig_atomic_t exiting;

static void sig_handler(int sig)
{
	exiting = 1;
}

static int libbpf_print_fn(enum libbpf_print_level level, const char *format, va_list args)
{
	if (level == LIBBPF_DEBUG && !env.verbose)
		return 0;
	return vfprintf(stderr, format, args);
}

static __u64 now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (__u64)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/* ------------------------------------------------------------ state */

/*
 * Interval and whole-run histograms of the (protocol, message) pairs seen,
 * MAX_PAIRS at most; pair_of[proto << 8 | msg] is 1 + the pair's index.
 */
#define MAX_PAIRS	1024
static struct hist_acc *cur_hists, *tot_hists;
static unsigned short pair_of[65536];
static unsigned int n_pairs;
static __u64 cur_cnt[SC_NR], tot_cnt[SC_NR];
/* scmi_msg_dump attached (commands are seen going out) */
static bool have_cmnd;
/* socbpf's scmi_xfer_async_end attached: delayed-response timeouts are seen */
static bool have_async_end;

/* a transfer that began this long ago and never went out: its send failed */
#define SEND_GRACE_NS	1000000000ULL

static bool never_sent(const struct scmitrace_token *t, __u64 now)
{
	return have_cmnd && t->state == SCMITRACE_TOK_INFLIGHT &&
	       !(t->flags & SCMITRACE_F_SENT) && now - t->begin_ns > SEND_GRACE_NS;
}

struct ev_list {
	struct scmitrace_event *ev;
	size_t n, cap;
};
static struct ev_list lists[EV_MAX + 1];
static __u64 start_ns;

static const char *const counter_names[SC_NR] = {
	[SC_BEGIN] = "begin",
	[SC_XFERS] = "transfers",
	[SC_OK] = "ok",
	[SC_ERRORS] = "errors",
	[SC_TIMEOUTS] = "timeouts",
	[SC_END_UNMATCHED] = "unmatched_end",
	[SC_WAITS] = "response_waits",
	[SC_RESP] = "responses",
	[SC_DRESP] = "delayed_responses",
	[SC_NOTIF] = "notifications",
	[SC_LATE] = "late",
	[SC_GHOST] = "ghost",
	[SC_OOO] = "out_of_order",
	[SC_DUP] = "duplicate",
	[SC_OOO_RESP_DROPPED] = "ooo_resp_dropped",
	[SC_BAD_DUMP] = "bad_msg_dump",
	[SC_EV_DROPS] = "lost_events",
	[SC_HIST_DROPS] = "hist_drops",
	[SC_UNTRACKED] = "untracked",
	[SC_UNEXP_DRESP] = "unexpected_dresp",
	[SC_DRESP_TIMEOUTS] = "dresp_timeouts",
	[SC_SEND_FAILED] = "send_failed",
	[SC_RECURSION] = "recursion_misses",
	[SC_RESP_INFERRED] = "inferred_responses",
};

static void list_add(int kind, const struct scmitrace_event *e)
{
	struct ev_list *l;
	void *p;

	if (kind <= 0 || kind > EV_MAX)
		return;
	l = &lists[kind];
	if (l->n >= MAX_LIST)
		return;
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 64;

		p = realloc(l->ev, cap * sizeof(*l->ev));
		if (!p)
			return;
		l->ev = p;
		l->cap = cap;
	}
	l->ev[l->n++] = *e;
}

static const char *pname(int proto, char *buf, size_t len)
{
	return scmi_proto_name(proto, buf, len);
}

static const char *mname(int proto, int msg, char *buf, size_t len)
{
	return scmi_msg_name(proto, msg, buf, len);
}

static const char *kind_name(int kind)
{
	switch (kind) {
	case EV_END: return "xfer";
	case EV_TIMEOUT: return "timeout";
	case EV_LATE: return "late";
	case EV_GHOST: return "ghost";
	case EV_OOO: return "out_of_order";
	case EV_DUP: return "duplicate";
	case EV_OOO_RESP: return "ooo_resp_dropped";
	case EV_UNEXP_DRESP: return "unexpected_dresp";
	case EV_DRESP_TIMEOUT: return "dresp_timeout";
	}
	return "?";
}

static void print_stream_header(void)
{
	if (env.json)
		return;
	printf("%-12s %-9s %-28s %5s %8s %10s %s\n", "TIME(s)", "PROTO", "MSG",
	       "TOKEN", "XFER_ID", "LAT(us)", "STATUS");
}

static void print_event_line(const struct scmitrace_event *e)
{
	char pb[8], mb[8];
	double t = (double)(e->ts_ns - start_ns) / 1e9;

	if (env.json) {
		printf("{\"type\":\"%s\",\"time_s\":%.6f,\"proto\":%u,\"proto_name\":\"%s\","
		       "\"msg\":%u,\"msg_name\":\"%s\",\"token\":%u,\"transfer_id\":%d,"
		       "\"lat_us\":%.3f,\"status\":%d,\"msg_type\":%u}\n",
		       kind_name(e->kind), t, e->proto, pname(e->proto, pb, sizeof(pb)),
		       e->msg, mname(e->proto, e->msg, mb, sizeof(mb)), e->seq,
		       e->transfer_id, (double)e->lat_ns / 1000.0, e->status,
		       e->msg_type);
		return;
	}
	if (e->kind == EV_END || e->kind == EV_TIMEOUT) {
		printf("%-12.6f %-9s %-28s %5u %8d %10.1f %d%s\n", t,
		       pname(e->proto, pb, sizeof(pb)),
		       mname(e->proto, e->msg, mb, sizeof(mb)), e->seq,
		       e->transfer_id, (double)e->lat_ns / 1000.0, e->status,
		       e->kind == EV_TIMEOUT ? " TIMEOUT" : "");
	} else {
		printf("%-12.6f %-9s %-28s %5u %8d %10s %s msg_type=%u\n", t,
		       pname(e->proto, pb, sizeof(pb)),
		       mname(e->proto, e->msg, mb, sizeof(mb)), e->seq,
		       e->transfer_id, "-",
		       e->kind == EV_LATE ? "LATE" : e->kind == EV_GHOST ? "GHOST" :
		       e->kind == EV_OOO ? "OUT-OF-ORDER" :
		       e->kind == EV_DUP ? "DUPLICATE" :
		       e->kind == EV_UNEXP_DRESP ? "UNEXPECTED-DRESP" :
		       e->kind == EV_DRESP_TIMEOUT ? "DRESP-TIMEOUT" : "OOO-RESP-DROPPED",
		       e->msg_type);
	}
}

static int handle_event(void *ctx, void *data, size_t len)
{
	const struct scmitrace_event *e = data;

	if (len < sizeof(*e))
		return 0;
	if (e->kind != EV_END)
		list_add(e->kind, e);
	if (env.stream)
		print_event_line(e);
	return 0;
}

/* ------------------------------------------------------------ collection */

/* transfers that ended with status 0, clamped: intervals can straddle */
static __u64 ok_of(const __u64 *c)
{
	__u64 bad = c[SC_ERRORS] + c[SC_TIMEOUTS];

	return c[SC_XFERS] > bad ? c[SC_XFERS] - bad : 0;
}

/* add every CPU's value of one histogram to cur_hists, by its owner */
static void sum_cpus(const struct scmitrace_hist *ph, int ncpu, __u32 done)
{
	int c;

	for (c = 0; c < ncpu; c++) {
		const struct scmitrace_hist *h = &ph[c];
		unsigned int key;

		if (!(h->owner & 0x10000))
			continue;
		key = h->owner & 0xffff;
		if (!pair_of[key]) {
			if (n_pairs >= MAX_PAIRS)
				continue;	/* cannot happen: 64 per CPU */
			pair_of[key] = ++n_pairs;
		}
		hist_acc_add(&cur_hists[pair_of[key] - 1], h, done);
	}
}

/*
 * Add the counts the programs keep per token (struct scmitrace_token) to
 * @sum.  Each only grows, so the sums do too, until one token's count wraps
 * at 2^32, a thousand times more transfers than a sum of 2^32 would take.
 */
static void add_token_counts(struct scmitrace_bpf *obj, __u64 *sum)
{
	const volatile struct scmitrace_token *t = obj->bss->tokens;
	struct scmitrace_token v;
	__u64 now = now_ns();
	int i;

	for (i = 0; i < SCMITRACE_TOKENS; i++) {
		sum[SC_BEGIN] += t[i].begins;
		sum[SC_RESP] += t[i].resps;
		sum[SC_RESP_INFERRED] += t[i].inferred;
		memcpy(&v, (const void *)&t[i], sizeof(v));
		/* a state, not an event: the ones on their token now */
		sum[SC_SEND_FAILED] += never_sent(&v, now);
	}
}

/*
 * Events the kernel skipped because the same program was already running
 * on that CPU (an interrupt's event during a process-context one): lost.
 */
static __u64 recursion_misses(struct scmitrace_bpf *obj)
{
	struct bpf_prog_info info;
	struct bpf_program *prog;
	__u32 len;
	__u64 n = 0;

	bpf_object__for_each_program(prog, obj->obj) {
		int fd = bpf_program__fd(prog);

		if (fd < 0)
			continue;
		memset(&info, 0, sizeof(info));
		len = sizeof(info);
		if (!bpf_prog_get_info_by_fd(fd, &info, &len))
			n += info.recursion_misses;
	}
	return n;
}

/*
 * Read the kernel's histograms and counters: cur_* get this interval's share,
 * tot_* everything since the start.
 */
static int collect(struct scmitrace_bpf *obj)
{
	int hfd = bpf_map__fd(obj->maps.hists);
	static struct scmitrace_counters *pcnt;
	static struct scmitrace_hist *ph;
	static __u64 prev_cnt[SC_NR];
	static int ncpu;
	__u64 cur_n = 0, tot_n = 0, sum[SC_NR] = {};
	unsigned int i;
	int c;
	__u32 zero = 0, idx, done;

	if (!ncpu) {
		ncpu = libbpf_num_possible_cpus();
		if (ncpu <= 0)
			return -1;
		pcnt = calloc(ncpu, sizeof(*pcnt));
		ph = calloc(ncpu, sizeof(*ph));
		if (!pcnt || !ph)
			return -1;
	}

	/*
	 * Counters first: a transfer counted as an error or a timeout is in a
	 * histogram by then, so the derived "ok" never goes negative.
	 */
	if (bpf_map_lookup_elem(bpf_map__fd(obj->maps.counters), &zero, pcnt))
		return -1;
	for (c = 0; c < ncpu; c++)
		for (i = 0; i < SC_NR; i++)
			sum[i] += pcnt[c].n[i];
	add_token_counts(obj, sum);
	sum[SC_RECURSION] = recursion_misses(obj);
	for (i = 0; i < SC_NR; i++) {
		if (i == SC_SEND_FAILED) {
			cur_cnt[i] = tot_cnt[i] = sum[i];
			continue;
		}
		cur_cnt[i] = sum[i] - prev_cnt[i];
		prev_cnt[i] = sum[i];
		tot_cnt[i] += cur_cnt[i];
	}

	/* end the epoch: from now on the programs keep maxima in the other slot */
	done = obj->bss->hist_epoch;
	__atomic_store_n(&obj->bss->hist_epoch, done + 1, __ATOMIC_RELEASE);

	memset(cur_hists, 0, MAX_PAIRS * sizeof(*cur_hists));
	for (idx = 0; idx < SCMITRACE_NR_HISTS; idx++)
		if (!bpf_map_lookup_elem(hfd, &idx, ph))
			sum_cpus(ph, ncpu, done);
	for (i = 0; i < n_pairs; i++) {
		if (!cur_hists[i].used)
			continue;
		hist_acc_interval(&cur_hists[i], &tot_hists[i]);
		cur_n += cur_hists[i].count;
		tot_n += tot_hists[i].count;
	}

	/* not counted by the programs: every transfer is a histogram sample */
	cur_cnt[SC_XFERS] = cur_n + cur_cnt[SC_HIST_DROPS];
	tot_cnt[SC_XFERS] = tot_n + tot_cnt[SC_HIST_DROPS];
	cur_cnt[SC_OK] = ok_of(cur_cnt);
	tot_cnt[SC_OK] = ok_of(tot_cnt);
	return 0;
}

/* ------------------------------------------------------------ printing */

struct inflight_row;
static size_t read_inflight(struct scmitrace_bpf *obj, struct inflight_row *rows,
			    size_t max);

/* Percentiles of a histogram: hist_acc_pct_us() (hist_acc.h). */
static __u64 pct_us(const struct hist_acc *a, double pct)
{
	return hist_acc_pct_us(a, pct);
}

static void hist_stats(const struct hist_acc *a, __u64 *p50, __u64 *p90, __u64 *p99,
		       __u64 *max_us)
{
	*max_us = a->max_ns / 1000;
	*p50 = pct_us(a, 50);
	*p90 = pct_us(a, 90);
	*p99 = pct_us(a, 99);
}

/* the classic log2 view of a histogram */
static void log2_of(const struct hist_acc *a, __u32 *slots)
{
	memset(slots, 0, SCMITRACE_SLOTS * sizeof(*slots));
	lathist_to_log2(a->slots, SCMITRACE_BUCKETS, SCMITRACE_SUB_BITS, slots,
			SCMITRACE_SLOTS);
}

static __u64 hists_total(const struct hist_acc *hs)
{
	__u64 t = 0;
	unsigned int i;

	for (i = 0; i < n_pairs; i++)
		if (hs[i].used)
			t += log2hist_total(hs[i].slots, SCMITRACE_BUCKETS);
	return t;
}

/* the pairs in (protocol, message) order: their histograms, or NULL */
static const struct hist_acc *pair_hist(const struct hist_acc *hs, int key)
{
	return pair_of[key] ? &hs[pair_of[key] - 1] : NULL;
}

static void print_hists_text(const struct hist_acc *hs, bool full)
{
	char pb[8], mb[8];
	__u64 p50, p90, p99, mx;
	__u32 l2[SCMITRACE_SLOTS];
	int i;

	for (i = 0; i < 65536; i++) {
		const struct hist_acc *a = pair_hist(hs, i);
		int proto = i >> 8, msg = i & 0xff;

		if (!a || !a->used || !a->count)
			continue;
		hist_stats(a, &p50, &p90, &p99, &mx);
		if (full) {
			printf("\nproto = %s (0x%02x), msg = %s (0x%02x)\n",
			       pname(proto, pb, sizeof(pb)), proto,
			       mname(proto, msg, mb, sizeof(mb)), msg);
			log2_of(a, l2);
			log2hist_print(stdout, l2, SCMITRACE_SLOTS, "usecs");
			printf("count %llu  avg %.1f us  p50 %llu us  p90 %llu us  "
			       "p99 %llu us  max %llu us\n",
			       (unsigned long long)a->count,
			       (double)a->sum_ns / 1000.0 / (double)a->count,
			       (unsigned long long)p50, (unsigned long long)p90,
			       (unsigned long long)p99, (unsigned long long)mx);
		} else {
			printf("  %-9s %-36s %8llu %9.1f %8llu %8llu %8llu %9llu\n",
			       pname(proto, pb, sizeof(pb)),
			       mname(proto, msg, mb, sizeof(mb)),
			       (unsigned long long)a->count,
			       (double)a->sum_ns / 1000.0 / (double)a->count,
			       (unsigned long long)p50, (unsigned long long)p90,
			       (unsigned long long)p99, (unsigned long long)mx);
		}
	}
}

static void print_counts_text(const __u64 *c)
{
	printf("transfers %llu (ok %llu, errors %llu, timeouts %llu)  "
	       "late %llu  ghost %llu  out-of-order %llu  duplicate %llu\n",
	       (unsigned long long)c[SC_XFERS], (unsigned long long)c[SC_OK],
	       (unsigned long long)c[SC_ERRORS], (unsigned long long)c[SC_TIMEOUTS],
	       (unsigned long long)c[SC_LATE], (unsigned long long)c[SC_GHOST],
	       (unsigned long long)c[SC_OOO], (unsigned long long)c[SC_DUP]);
}

static void json_counts(const __u64 *c)
{
	int i;

	printf("\"counts\":{");
	for (i = 0; i < SC_NR; i++)
		printf("%s\"%s\":%llu", i ? "," : "", counter_names[i],
		       (unsigned long long)c[i]);
	printf("}");
}

static void json_hists(const struct hist_acc *hs)
{
	char pb[8], mb[8];
	__u64 p50, p90, p99, mx;
	__u32 l2[SCMITRACE_SLOTS];
	bool first = true;
	int i, s, last;

	printf("\"hist_total\":%llu,\"pct_max_rel_err\":%.4f,\"histograms\":[",
	       (unsigned long long)hists_total(hs),
	       LATHIST_REL_ERR_PPM(SCMITRACE_SUB_BITS) / 1e6);
	for (i = 0; i < 65536; i++) {
		const struct hist_acc *a = pair_hist(hs, i);
		int proto = i >> 8, msg = i & 0xff;

		if (!a || !a->used || !a->count)
			continue;
		log2_of(a, l2);
		hist_stats(a, &p50, &p90, &p99, &mx);
		printf("%s{\"proto\":%d,\"proto_name\":\"%s\",\"msg\":%d,\"msg_name\":\"%s\","
		       "\"count\":%llu,\"total\":%llu,\"avg_us\":%.3f,\"p50_us\":%llu,"
		       "\"p90_us\":%llu,\"p99_us\":%llu,\"max_us\":%llu,\"buckets\":[",
		       first ? "" : ",", proto, pname(proto, pb, sizeof(pb)), msg,
		       mname(proto, msg, mb, sizeof(mb)), (unsigned long long)a->count,
		       (unsigned long long)log2hist_total(l2, SCMITRACE_SLOTS),
		       (double)a->sum_ns / 1000.0 / (double)a->count,
		       (unsigned long long)p50, (unsigned long long)p90,
		       (unsigned long long)p99, (unsigned long long)mx);
		first = false;
		for (last = SCMITRACE_SLOTS - 1; last > 0 && !l2[last]; last--)
			;
		for (s = 0; s <= last; s++)
			printf("%s{\"low\":%llu,\"high\":%llu,\"count\":%u}", s ? "," : "",
			       (unsigned long long)log2hist_low(s),
			       (unsigned long long)log2hist_high(s), l2[s]);
		printf("]}");
	}
	printf("]");
}

static void json_list(const char *name, int kind, __u64 now)
{
	const struct ev_list *l = &lists[kind];
	char pb[8], mb[8];
	size_t i;

	printf(",\"%s\":[", name);
	for (i = 0; i < l->n; i++) {
		const struct scmitrace_event *e = &l->ev[i];

		printf("%s{\"time_s\":%.6f,\"proto\":%u,\"proto_name\":\"%s\",\"msg\":%u,"
		       "\"msg_name\":\"%s\",\"token\":%u,\"transfer_id\":%d,"
		       "\"age_ms\":%.3f,\"msg_type\":%u,\"status\":%d}",
		       i ? "," : "", (double)(e->ts_ns - start_ns) / 1e9, e->proto,
		       pname(e->proto, pb, sizeof(pb)), e->msg,
		       mname(e->proto, e->msg, mb, sizeof(mb)), e->seq, e->transfer_id,
		       (double)e->lat_ns / 1e6, e->msg_type, e->status);
	}
	printf("]");
}

/* transfers that began and have not ended, sorted by age (oldest first) */
struct inflight_row {
	__u32 token;
	struct scmitrace_token v;
};

static int cmp_age(const void *a, const void *b)
{
	const struct inflight_row *x = a, *y = b;

	return x->v.begin_ns < y->v.begin_ns ? -1 : x->v.begin_ns > y->v.begin_ns;
}

static size_t read_inflight(struct scmitrace_bpf *obj, struct inflight_row *rows, size_t max)
{
	__u64 now = now_ns();
	size_t n = 0;
	__u32 key;

	for (key = 0; key < SCMITRACE_TOKENS && n < max; key++) {
		/* a copy: the programs go on writing the mmapped array */
		memcpy(&rows[n].v, (const void *)&obj->bss->tokens[key], sizeof(rows[n].v));
		if (rows[n].v.state != SCMITRACE_TOK_INFLIGHT || never_sent(&rows[n].v, now))
			continue;
		rows[n].token = rows[n].v.seq;
		n++;
	}
	qsort(rows, n, sizeof(*rows), cmp_age);
	return n;
}

/* the timeout a transfer waits with, when scmi_xfer_response_wait told it */
static const char *tmo(const struct scmitrace_token *v, char *buf, size_t len,
		       const char *unknown)
{
	if (!(v->flags & SCMITRACE_F_WAIT))
		return unknown;
	snprintf(buf, len, "%u", v->timeout_ms);
	return buf;
}

static void print_inflight(struct scmitrace_bpf *obj, __u64 now)
{
	static struct inflight_row rows[SCMITRACE_TOKENS];
	size_t n = read_inflight(obj, rows, SCMITRACE_TOKENS), i;
	char pb[8], mb[8], tb[16];

	if (env.json) {
		printf(",\"in_flight\":[");
		for (i = 0; i < n; i++) {
			const struct scmitrace_token *v = &rows[i].v;

			printf("%s{\"proto\":%u,\"proto_name\":\"%s\",\"msg\":%u,"
			       "\"msg_name\":\"%s\",\"token\":%u,\"transfer_id\":%d,"
			       "\"age_ms\":%.3f,\"timeout_ms\":%s,\"responded\":%s}",
			       i ? "," : "", v->proto, pname(v->proto, pb, sizeof(pb)),
			       v->msg, mname(v->proto, v->msg, mb, sizeof(mb)),
			       rows[i].token, v->transfer_id,
			       (double)(now - v->begin_ns) / 1e6, tmo(v, tb, sizeof(tb), "null"),
			       v->flags & SCMITRACE_F_RESP ? "true" : "false");
		}
		printf("]");
		return;
	}
	printf("\nIn flight (began, not ended): %zu\n", n);
	if (!n)
		return;
	printf("  %-9s %-36s %5s %8s %10s %8s\n", "PROTO", "MSG", "TOKEN", "XFER_ID",
	       "AGE(ms)", "TMO(ms)");
	for (i = 0; i < n; i++) {
		const struct scmitrace_token *v = &rows[i].v;

		printf("  %-9s %-36s %5u %8d %10.3f %8s\n",
		       pname(v->proto, pb, sizeof(pb)),
		       mname(v->proto, v->msg, mb, sizeof(mb)), rows[i].token,
		       v->transfer_id, (double)(now - v->begin_ns) / 1e6,
		       tmo(v, tb, sizeof(tb), "-"));
	}
}

static void print_list_text(const char *title, int kind, const char *agecol)
{
	const struct ev_list *l = &lists[kind];
	char pb[8], mb[8];
	size_t i;

	printf("\n%s: %llu%s\n", title,
	       (unsigned long long)(kind == EV_TIMEOUT ? tot_cnt[SC_TIMEOUTS] :
				    kind == EV_LATE ? tot_cnt[SC_LATE] :
				    kind == EV_GHOST ? tot_cnt[SC_GHOST] :
				    kind == EV_OOO ? tot_cnt[SC_OOO] :
				    kind == EV_DUP ? tot_cnt[SC_DUP] :
				    kind == EV_UNEXP_DRESP ? tot_cnt[SC_UNEXP_DRESP] :
				    kind == EV_DRESP_TIMEOUT ? tot_cnt[SC_DRESP_TIMEOUTS] :
				    tot_cnt[SC_OOO_RESP_DROPPED]),
	       l->n >= MAX_LIST ? " (list truncated)" : "");
	if (!l->n)
		return;
	printf("  %-12s %-9s %-36s %5s %8s %10s\n", "TIME(s)", "PROTO", "MSG", "TOKEN",
	       "XFER_ID", agecol);
	for (i = 0; i < l->n; i++) {
		const struct scmitrace_event *e = &l->ev[i];

		printf("  %-12.6f %-9s %-36s %5u %8d %10.3f\n",
		       (double)(e->ts_ns - start_ns) / 1e9,
		       pname(e->proto, pb, sizeof(pb)),
		       mname(e->proto, e->msg, mb, sizeof(mb)), e->seq, e->transfer_id,
		       (double)e->lat_ns / 1e6);
	}
}

/* one line (or JSON member) about what is in flight right now */
static void interval_inflight(struct scmitrace_bpf *obj)
{
	static struct inflight_row rows[SCMITRACE_TOKENS];
	size_t n = read_inflight(obj, rows, SCMITRACE_TOKENS);
	__u64 now = now_ns();
	char pb[8], mb[8];

	if (env.json) {
		printf(",\"in_flight\":%zu", n);
		if (n)
			printf(",\"oldest\":{\"proto\":%u,\"msg\":%u,\"token\":%u,"
			       "\"age_ms\":%.3f}", rows[0].v.proto, rows[0].v.msg,
			       rows[0].token, (double)(now - rows[0].v.begin_ns) / 1e6);
		return;
	}
	if (!n)
		return;
	printf("in flight %zu, oldest: %s %s token %u for %.3f ms\n", n,
	       pname(rows[0].v.proto, pb, sizeof(pb)),
	       mname(rows[0].v.proto, rows[0].v.msg, mb, sizeof(mb)), rows[0].token,
	       (double)(now - rows[0].v.begin_ns) / 1e6);
}

static void print_interval(struct scmitrace_bpf *obj)
{
	char ts[32] = "";
	time_t t;

	if (env.timestamp) {
		t = time(NULL);
		strftime(ts, sizeof(ts), "%H:%M:%S", localtime(&t));
	}
	if (env.json) {
		printf("{\"type\":\"interval\"");
		if (env.timestamp)
			printf(",\"timestamp\":\"%s\"", ts);
		printf(",\"interval_s\":%ld,", env.interval);
		json_counts(cur_cnt);
		interval_inflight(obj);
		printf(",");
		json_hists(cur_hists);
		printf("}\n");
		fflush(stdout);
		return;
	}
	if (env.stream)
		return;
	printf("\n");
	if (env.timestamp)
		printf("%-8s\n", ts);
	print_hists_text(cur_hists, true);
	print_counts_text(cur_cnt);
	interval_inflight(obj);
	fflush(stdout);
}

/* the offset of "inflight" in scmi_xfer_begin/end (6.17+), -1 before */
static int xfer_inflight_off = -1;

/*
 * The kernel's own in-flight count from 6.17+ scmi_xfer_begin/end: null in
 * JSON and nothing in text where the events do not carry it.
 */
static void print_kinflight(struct scmitrace_bpf *obj)
{
	bool has = xfer_inflight_off >= 0;

	if (env.json) {
		if (!has)
			printf(",\"kernel_inflight\":null");
		else
			printf(",\"kernel_inflight\":{\"events\":%llu,\"max\":%d,\"last\":%d}",
			       (unsigned long long)obj->bss->kinflight_events,
			       obj->bss->kinflight_max, obj->bss->kinflight_last);
		return;
	}
	if (has)
		printf("\nKernel in-flight count (scmi_xfer_begin/end, 6.17+): max %d, "
		       "last %d, from %llu events\n", obj->bss->kinflight_max,
		       obj->bss->kinflight_last,
		       (unsigned long long)obj->bss->kinflight_events);
}

static void print_summary(struct scmitrace_bpf *obj, bool intervals)
{
	__u64 now = now_ns();

	if (env.json) {
		printf("{\"type\":\"summary\",\"duration_s\":%.3f,",
		       (double)(now - start_ns) / 1e9);
		printf("\"filter\":{\"proto\":%d,\"msg\":%d},", env.proto, env.msg);
		json_counts(tot_cnt);
		printf(",");
		json_hists(tot_hists);
		json_list("timeouts", EV_TIMEOUT, now);
		json_list("late", EV_LATE, now);
		json_list("ghost", EV_GHOST, now);
		json_list("out_of_order", EV_OOO, now);
		json_list("duplicate", EV_DUP, now);
		json_list("ooo_resp_dropped", EV_OOO_RESP, now);
		json_list("unexpected_dresp", EV_UNEXP_DRESP, now);
		json_list("dresp_timeouts", EV_DRESP_TIMEOUT, now);
		print_inflight(obj, now);
		print_kinflight(obj);
		printf("}\n");
		fflush(stdout);
		return;
	}
	if (!intervals && !env.stream) {
		print_hists_text(tot_hists, true);
		printf("\n");
	}
	printf("\nSummary (%.1f s):\n", (double)(now - start_ns) / 1e9);
	printf("  %-9s %-36s %8s %9s %8s %8s %8s %9s\n", "PROTO", "MSG", "COUNT",
	       "AVG(us)", "P50(us)", "P90(us)", "P99(us)", "MAX(us)");
	print_hists_text(tot_hists, false);
	printf("  (percentiles within %.2f%% of the true ones, exact below 16 us)\n",
	       LATHIST_REL_ERR_PPM(SCMITRACE_SUB_BITS) / 1e4);
	printf("  ");
	print_counts_text(tot_cnt);
	printf("  unmatched ends %llu, responses %llu, delayed responses %llu, "
	       "notifications %llu, bad (msg_dump) %llu, ooo resp dropped %llu, "
	       "lost events %llu\n",
	       (unsigned long long)tot_cnt[SC_END_UNMATCHED],
	       (unsigned long long)tot_cnt[SC_RESP], (unsigned long long)tot_cnt[SC_DRESP],
	       (unsigned long long)tot_cnt[SC_NOTIF], (unsigned long long)tot_cnt[SC_BAD_DUMP],
	       (unsigned long long)tot_cnt[SC_OOO_RESP_DROPPED],
	       (unsigned long long)(tot_cnt[SC_EV_DROPS] + tot_cnt[SC_RECURSION]));
	printf("  replies to transfers begun before tracing %llu, unexpected delayed "
	       "responses %llu, never sent %llu, recursion misses %llu\n",
	       (unsigned long long)tot_cnt[SC_UNTRACKED],
	       (unsigned long long)tot_cnt[SC_UNEXP_DRESP],
	       (unsigned long long)tot_cnt[SC_SEND_FAILED],
	       (unsigned long long)tot_cnt[SC_RECURSION]);
	if (have_async_end)
		printf("  delayed-response timeouts %llu\n",
		       (unsigned long long)tot_cnt[SC_DRESP_TIMEOUTS]);
	else
		printf("  delayed-response timeouts %llu: only those inferred from a late "
		       "delayed response; this kernel has no event for one (upstream's "
		       "scmi_xfer_end already said 0 at the response)\n",
		       (unsigned long long)tot_cnt[SC_DRESP_TIMEOUTS]);
	print_list_text("Timeouts", EV_TIMEOUT, "WAITED(ms)");
	print_list_text("Late responses (token of a timed-out transfer)", EV_LATE,
			"AFTER(ms)");
	print_list_text("Ghost responses (token with no transfer)", EV_GHOST, "-");
	print_list_text("Out-of-order (delayed response before response)", EV_OOO,
			"AGE(ms)");
	if (tot_cnt[SC_DUP])
		print_list_text("Duplicate responses", EV_DUP, "AFTER(ms)");
	if (tot_cnt[SC_OOO_RESP_DROPPED])
		print_list_text("Responses after an out-of-order delayed response",
				EV_OOO_RESP, "AFTER(ms)");
	if (tot_cnt[SC_UNEXP_DRESP])
		print_list_text("Unexpected delayed responses (to a sync command)",
				EV_UNEXP_DRESP, "AGE(ms)");
	if (tot_cnt[SC_DRESP_TIMEOUTS])
		print_list_text("Delayed-response timeouts", EV_DRESP_TIMEOUT,
				"AFTER(ms)");
	print_inflight(obj, now);
	print_kinflight(obj);
	fflush(stdout);
}

/* ------------------------------------------------------------ checks */

static const char *tracefs_events(void)
{
	static const char *const dirs[] = {
		"/sys/kernel/tracing/events",
		"/sys/kernel/debug/tracing/events",
	};
	unsigned int i;

	for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++)
		if (!access(dirs[i], F_OK))
			return dirs[i];
	return NULL;
}

static bool tp_exists(const char *events, const char *name)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/scmi/%s", events, name);
	return !access(path, F_OK);
}

enum { MODE_RAW, MODE_CLASSIC };
enum { DUMP_NONE, DUMP_V1, DUMP_V2 };

/* which prototype scmi_msg_dump has: (id, channel_id, ...) since 6.9 */
static int dump_layout(const char *events)
{
	char path[256], line[256];
	int layout = DUMP_NONE;
	FILE *f;

	snprintf(path, sizeof(path), "%s/scmi/scmi_msg_dump/format", events);
	f = fopen(path, "r");
	if (!f)
		return DUMP_NONE;
	layout = DUMP_V1;
	while (fgets(line, sizeof(line), f))
		if (strstr(line, " channel_id;"))
			layout = DUMP_V2;
	fclose(f);
	return layout;
}

/*
 * 6.17+: scmi_xfer_begin and scmi_xfer_end end with "int inflight". The BPF
 * side asks BTF where the record has BTF; the fixed-layout fallback reads the
 * field only when both formats put it where that layout expects it (20).
 * Returns the offset, or -1 for the older layout (or an unreadable format).
 */
#define XFER_INFLIGHT_OFF	20
static int xfer_inflight_layout(const char *events)
{
	static const char *const evs[] = { "scmi_xfer_begin", "scmi_xfer_end" };
	char path[256], text[4096];
	int off = -1, o;
	unsigned int i;
	size_t n;
	FILE *f;

	for (i = 0; i < 2; i++) {
		snprintf(path, sizeof(path), "%s/scmi/%s/format", events, evs[i]);
		f = fopen(path, "r");
		if (!f)
			return -1;
		n = fread(text, 1, sizeof(text) - 1, f);
		fclose(f);
		text[n] = '\0';
		o = scmitrace_format_field_offset(text, "inflight");
		if (o < 0 || (i && o != off))
			return -1;
		off = o;
	}
	return off;
}

/*
 * Accepted messages from scmi_msg_dump, which the driver fires anyway (one
 * hook fewer), unless --rx-done: a message whose interrupt comes while the
 * scmi_msg_dump program runs for a command on that CPU is not seen then
 * (the kernel's recursion check); a successful end infers the response,
 * and the misses are reported.  scmi_rx_done cannot nest in itself.
 */
static bool use_rx_done(int dump)
{
	return env.rx_done || dump == DUMP_NONE;
}

/* offsets of scmi_msg_dump's fields in its record, from the format file */
struct dump_offsets {
	__u32 proto, msg, tag, seq, status;
};

static void dump_offsets(const char *events, struct dump_offsets *o)
{
	static const struct {
		const char *name;
		size_t off;
	} fields[] = {
		{ " protocol_id;", offsetof(struct dump_offsets, proto) },
		{ " msg_id;", offsetof(struct dump_offsets, msg) },
		{ " tag[", offsetof(struct dump_offsets, tag) },
		{ " seq;", offsetof(struct dump_offsets, seq) },
		{ " status;", offsetof(struct dump_offsets, status) },
	};
	char path[256], line[256];
	unsigned int i, off;
	const char *p;
	FILE *f;

	memset(o, 0, sizeof(*o));
	snprintf(path, sizeof(path), "%s/scmi/scmi_msg_dump/format", events);
	f = fopen(path, "r");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		p = strstr(line, "offset:");
		if (!p || sscanf(p, "offset:%u;", &off) != 1 || off > 60)
			continue;
		for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
			if (strstr(line, fields[i].name) && strstr(line, fields[i].name) < p)
				*(__u32 *)((char *)o + fields[i].off) = off;
	}
	fclose(f);
	if (!o->proto || !o->msg || !o->seq || !o->status)
		o->tag = 0;	/* incomplete: leave the path off */
}

static struct scmitrace_bpf *open_and_load(int mode, int dump, int *errp)
{
	struct scmitrace_bpf *obj;
	struct bpf_program *prog;
	int err;

	obj = scmitrace_bpf__open();
	if (!obj) {
		*errp = -errno;
		fprintf(stderr, "Failed to open BPF object\n");
		return NULL;
	}
	obj->rodata->targ_filter = env.proto >= 0 || env.msg >= 0;
	obj->rodata->targ_proto = env.proto;
	obj->rodata->targ_msg = env.msg;
	obj->rodata->targ_stream = env.stream;
	obj->rodata->targ_rx_dump = !use_rx_done(dump);
	obj->rodata->targ_inflight_fmt = xfer_inflight_off == XFER_INFLIGHT_OFF;
	obj->rodata->targ_abi = env.abi;
	obj->rodata->targ_extra = mode == MODE_RAW && have_async_end;
	if (mode == MODE_CLASSIC) {
		struct dump_offsets o;

		dump_offsets(tracefs_events(), &o);
		obj->rodata->targ_dump_off_proto = o.proto;
		obj->rodata->targ_dump_off_msg = o.msg;
		obj->rodata->targ_dump_off_tag = o.tag;
		obj->rodata->targ_dump_off_seq = o.seq;
		obj->rodata->targ_dump_off_status = o.status;
	}

	bpf_object__for_each_program(prog, obj->obj) {
		bool raw = !strncmp(bpf_program__section_name(prog), "raw_tp/", 7);

		bpf_program__set_autoload(prog, raw == (mode == MODE_RAW));
	}
	/* only the hooks this run needs: each one costs every transfer */
	if (mode == MODE_RAW) {
		bpf_program__set_autoload(obj->progs.raw_msg_dump, dump == DUMP_V2);
		bpf_program__set_autoload(obj->progs.raw_msg_dump_v1, dump == DUMP_V1);
		bpf_program__set_autoload(obj->progs.raw_rx_done, use_rx_done(dump));
		bpf_program__set_autoload(obj->progs.raw_xfer_response_wait, env.waits);
		bpf_program__set_autoload(obj->progs.raw_xfer_async_end, have_async_end);
	} else {
		bpf_program__set_autoload(obj->progs.tp_msg_dump, dump != DUMP_NONE);
		bpf_program__set_autoload(obj->progs.tp_rx_done, use_rx_done(dump));
		bpf_program__set_autoload(obj->progs.tp_xfer_response_wait, env.waits);
	}

	err = scmitrace_bpf__load(obj);
	if (err) {
		*errp = err;
		if (mode == MODE_CLASSIC || env.verbose)
			fprintf(stderr, "Failed to load BPF object: %s\n", strerror(-err));
		scmitrace_bpf__destroy(obj);
		return NULL;
	}
	*errp = 0;
	return obj;
}

int main(int argc, char **argv)
{
	static const struct argp argp = {
		.options = opts,
		.parser = parse_arg,
		.doc = argp_program_doc,
	};
	static const char *const required[] = {
		"scmi_xfer_begin", "scmi_xfer_response_wait", "scmi_xfer_end",
		"scmi_rx_done",
	};
	struct ring_buffer *rb = NULL;
	struct scmitrace_bpf *obj = NULL;
	const char *events;
	__u64 next_ns;
	unsigned int i;
	int err, proto_of_msg, mode, dump;
	bool intervals;

	err = argp_parse(&argp, argc, argv, 0, NULL, NULL);
	if (err)
		return 1;
	intervals = env.interval != 99999999;

	if (env.proto_arg) {
		env.proto = scmi_parse_proto(env.proto_arg);
		if (env.proto < 0) {
			fprintf(stderr, "scmitrace: invalid protocol '%s': use a number "
				"0-255 or a name (base, power, system, perf, clock, "
				"sensor, reset, voltage, powercap, pinctrl)\n",
				env.proto_arg);
			return 1;
		}
	}
	if (env.msg_arg) {
		env.msg = scmi_parse_msg(env.msg_arg, env.proto, &proto_of_msg);
		if (env.msg < 0) {
			fprintf(stderr, "scmitrace: invalid message '%s'%s%s: use a "
				"number 0-255 or a message name (e.g. CLOCK_RATE_GET)\n",
				env.msg_arg, env.proto >= 0 ? " for protocol " : "",
				env.proto >= 0 ? env.proto_arg : "");
			return 1;
		}
		if (env.proto < 0)
			env.proto = proto_of_msg;
	}

	libbpf_set_print(libbpf_print_fn);

	events = tracefs_events();
	if (!events) {
		fprintf(stderr, "Failed to find tracefs: mount it with "
			"'mount -t tracefs nodev /sys/kernel/tracing'\n");
		return 1;
	}
	for (i = 0; i < sizeof(required) / sizeof(required[0]); i++) {
		if (!tp_exists(events, required[i])) {
			fprintf(stderr, "SCMI tracepoints not found: is socbpf_scmi "
				"(or the kernel SCMI driver) loaded? (no %s/scmi/%s)\n",
				events, required[i]);
			return 1;
		}
	}
	if (access("/sys/kernel/btf/vmlinux", R_OK)) {
		fprintf(stderr, "Failed to find kernel BTF (/sys/kernel/btf/vmlinux): "
			"scmitrace needs a kernel built with CONFIG_DEBUG_INFO_BTF=y\n");
		return 1;
	}

	cur_hists = calloc(MAX_PAIRS, sizeof(*cur_hists));
	tot_hists = calloc(MAX_PAIRS, sizeof(*tot_hists));
	if (!cur_hists || !tot_hists) {
		fprintf(stderr, "Failed to allocate memory\n");
		err = 1;
		goto cleanup;
	}

	dump = dump_layout(events);
	xfer_inflight_off = xfer_inflight_layout(events);
	have_async_end = tp_exists(events, "scmi_xfer_async_end");
	mode = env.classic ? MODE_CLASSIC : MODE_RAW;
	for (;;) {
		obj = open_and_load(mode, dump, &err);
		if (obj) {
			err = scmitrace_bpf__attach(obj);
			if (!err)
				break;
		}
		if (mode == MODE_RAW) {
			/* e.g. a kernel without raw tracepoints in modules */
			if (env.verbose)
				fprintf(stderr, "raw tracepoints failed (%s), trying "
					"classic tracepoints\n", strerror(-err));
			scmitrace_bpf__destroy(obj);
			obj = NULL;
			mode = MODE_CLASSIC;
			continue;
		}
		if (obj) {
			fprintf(stderr, "Failed to attach BPF programs: %s\n",
				strerror(-err));
			if (err == -ENOENT)
				fprintf(stderr, "SCMI tracepoints not found: is socbpf_scmi "
					"(or the kernel SCMI driver) loaded?\n");
		}
		goto cleanup;
	}
	have_cmnd = dump != DUMP_NONE;
	if (mode == MODE_CLASSIC)
		have_async_end = false;	/* raw tracepoints only */
	if (env.verbose)
		fprintf(stderr, "attached %s tracepoints (scmi_msg_dump: %s, "
			"scmi_xfer_begin/end: %s)\n",
			mode == MODE_RAW ? "raw" : "classic",
			dump == DUMP_NONE ? "absent" : dump == DUMP_V1 ? "pre-6.9" : "6.9+",
			xfer_inflight_off >= 0 ? "6.17+ (inflight)" : "pre-6.17");

	rb = ring_buffer__new(bpf_map__fd(obj->maps.events), handle_event, NULL, NULL);
	if (!rb) {
		err = -errno;
		fprintf(stderr, "Failed to create ring buffer: %s\n", strerror(errno));
		goto cleanup;
	}

	if (signal(SIGINT, sig_handler) == SIG_ERR ||
	    signal(SIGTERM, sig_handler) == SIG_ERR) {
		fprintf(stderr, "Failed to set signal handler: %s\n", strerror(errno));
		err = 1;
		goto cleanup;
	}

	start_ns = now_ns();
	fprintf(env.json ? stderr : stdout, "Tracing SCMI transfers%s... Hit Ctrl-C to end.\n",
		intervals ? " (interval summaries)" : "");
	if (env.stream)
		print_stream_header();
	fflush(stdout);

	next_ns = start_ns + (__u64)env.interval * 1000000000ULL;
	while (!exiting) {
		__u64 now;

		err = ring_buffer__poll(rb, 100);
		if (err < 0 && err != -EINTR) {
			fprintf(stderr, "Failed to poll ring buffer: %s\n", strerror(-err));
			goto cleanup;
		}
		err = 0;
		fflush(stdout);
		now = now_ns();
		if (intervals && now >= next_ns) {
			collect(obj);
			print_interval(obj);
			next_ns += (__u64)env.interval * 1000000000ULL;
			if (--env.times <= 0)
				break;
		}
	}

	/* stop the programs first so the final numbers are exact */
	scmitrace_bpf__detach(obj);
	ring_buffer__consume(rb);
	collect(obj);
	if (intervals && (cur_cnt[SC_XFERS] || cur_cnt[SC_BEGIN]) && exiting)
		print_interval(obj);	/* the partial last interval */
	print_summary(obj, intervals);

cleanup:
	ring_buffer__free(rb);
	scmitrace_bpf__destroy(obj);
	for (i = 0; i <= EV_MAX; i++)
		free(lists[i].ev);
	free(cur_hists);
	free(tot_hists);
	return err != 0;
}
