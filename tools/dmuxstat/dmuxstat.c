// SPDX-License-Identifier: GPL-2.0
/*
 * dmuxstat: BAM-DMUX traffic per channel and per IP flow (5-tuple), both
 * directions, with drops, from bpf/dmuxstat.bpf.c on the socbpf_bam_dmux
 * tracepoints.  Prints one frame every --delay seconds (--count frames, or
 * until Ctrl-C): the channel table, then the top --top flows by --sort, as
 * text or as one JSON document per frame (--json).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <linux/types.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "dmuxstat.h"
#include "dmuxstat.skel.h"

#define NCHAN (2 * (DMUXSTAT_NUM_CH + 1))

enum sort_key { SORT_BYTES, SORT_PKTS, SORT_DROPS, SORT_RATE };

struct flow {
	struct dmuxstat_flow_key k;
	struct dmuxstat_flow v;
	double pps, bps;
};

static struct {
	double delay;
	long count;
	int top;
	int json;
	enum sort_key sort;
} opt = { .delay = 1.0, .count = -1, .top = 10, .sort = SORT_BYTES };

static volatile sig_atomic_t stop;

static struct flow *prev;
static size_t nprev;
static struct dmuxstat_ch prev_ch[NCHAN];

static void on_sigint(int sig)
{
	(void)sig;
	stop = 1;
}

static int key_cmp(const void *a, const void *b)
{
	return memcmp(&((const struct flow *)a)->k, &((const struct flow *)b)->k,
		      sizeof(struct dmuxstat_flow_key));
}

static int flow_cmp(const void *a, const void *b)
{
	const struct flow *x = a, *y = b;
	double vx, vy;

	switch (opt.sort) {
	case SORT_PKTS:
		vx = x->v.packets; vy = y->v.packets; break;
	case SORT_DROPS:
		vx = x->v.drops; vy = y->v.drops; break;
	case SORT_RATE:
		vx = x->bps; vy = y->bps; break;
	default:
		vx = x->v.bytes; vy = y->v.bytes; break;
	}
	return vx < vy ? 1 : vx > vy ? -1 : key_cmp(a, b);
}

static const char *proto_name(unsigned int p, char *buf)
{
	switch (p) {
	case 1: return "icmp";
	case 6: return "tcp";
	case 17: return "udp";
	case 58: return "icmp6";
	default:
		sprintf(buf, "%u", p);
		return buf;
	}
}

static void addr_str(const struct dmuxstat_flow_key *k, const __u8 *a,
		     char *out, size_t len)
{
	if (k->family == 4)
		inet_ntop(AF_INET, a, out, len);
	else if (k->family == 6)
		inet_ntop(AF_INET6, a, out, len);
	else
		snprintf(out, len, "-");
}

static const char *human(double v, char *buf)
{
	if (v >= 1e9)
		sprintf(buf, "%.1fG", v / 1e9);
	else if (v >= 1e6)
		sprintf(buf, "%.1fM", v / 1e6);
	else if (v >= 1e4)
		sprintf(buf, "%.1fK", v / 1e3);
	else
		sprintf(buf, "%.0f", v);
	return buf;
}

static struct flow *read_flows(int fd, size_t *n)
{
	struct dmuxstat_flow_key key, next, *cur = NULL;
	struct flow *v = NULL;
	size_t cap = 0;

	*n = 0;
	while (bpf_map_get_next_key(fd, cur, &next) == 0) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 64;
			v = realloc(v, cap * sizeof(*v));
			if (!v) {
				fprintf(stderr, "dmuxstat: out of memory\n");
				exit(1);
			}
		}
		if (bpf_map_lookup_elem(fd, &next, &v[*n].v) == 0) {
			v[*n].k = next;
			(*n)++;
		}
		key = next;
		cur = &key;
	}
	return v;
}

static void frame(struct dmuxstat_bpf *skel, double dt)
{
	int cfd = bpf_map__fd(skel->maps.channels);
	int ffd = bpf_map__fd(skel->maps.flows);
	struct dmuxstat_ch ch[NCHAN];
	char tbuf[32], a[64], b[64], pb[8], h1[16], h2[16], h3[16], h4[16];
	struct flow *fl, *p;
	time_t now = time(NULL);
	size_t n, i;
	__u32 idx;
	int shown;

	for (idx = 0; idx < NCHAN; idx++)
		if (bpf_map_lookup_elem(cfd, &idx, &ch[idx]))
			memset(&ch[idx], 0, sizeof(ch[idx]));
	fl = read_flows(ffd, &n);
	for (i = 0; i < n; i++) {
		p = prev ? bsearch(&fl[i], prev, nprev, sizeof(*prev), key_cmp) : NULL;
		fl[i].pps = (fl[i].v.packets - (p ? p->v.packets : 0)) / dt;
		fl[i].bps = (fl[i].v.bytes - (p ? p->v.bytes : 0)) / dt;
	}
	strftime(tbuf, sizeof(tbuf), "%H:%M:%S", localtime(&now));

	if (opt.json) {
		printf("{\"time\":\"%s\",\"interval_s\":%.3f,\"map_full\":%llu,\"channels\":[",
		       tbuf, dt, (unsigned long long)skel->bss->map_full);
		shown = 0;
		for (idx = 0; idx < NCHAN; idx++) {
			unsigned int c = idx % (DMUXSTAT_NUM_CH + 1);

			if (!ch[idx].packets && !ch[idx].drops)
				continue;
			printf("%s{\"ch\":%d,\"dir\":\"%s\",\"packets\":%llu,\"bytes\":%llu,"
			       "\"drops\":%llu,\"pps\":%.1f,\"bytes_per_s\":%.1f}",
			       shown++ ? "," : "",
			       c == DMUXSTAT_CH_UNKNOWN ? -1 : (int)c,
			       idx / (DMUXSTAT_NUM_CH + 1) ? "tx" : "rx",
			       (unsigned long long)ch[idx].packets,
			       (unsigned long long)ch[idx].bytes,
			       (unsigned long long)ch[idx].drops,
			       (ch[idx].packets - prev_ch[idx].packets) / dt,
			       (ch[idx].bytes - prev_ch[idx].bytes) / dt);
		}
		printf("],\"flows\":[");
	} else {
		printf("dmuxstat - %s  flows: %zu  delay: %.1fs%s\n\n", tbuf, n,
		       opt.delay, skel->bss->map_full ? "  (flow map full)" : "");
		printf("CH DIR    PKTS/s  BYTES/s       PKTS      BYTES   DROPS\n");
		for (idx = 0; idx < NCHAN; idx++) {
			unsigned int c = idx % (DMUXSTAT_NUM_CH + 1);

			if (!ch[idx].packets && !ch[idx].drops)
				continue;
			printf("%2s %-3s %9s %8s %10llu %10s %7llu\n",
			       c == DMUXSTAT_CH_UNKNOWN ? "?" : (sprintf(pb, "%u", c), pb),
			       idx / (DMUXSTAT_NUM_CH + 1) ? "tx" : "rx",
			       human((ch[idx].packets - prev_ch[idx].packets) / dt, h1),
			       human((ch[idx].bytes - prev_ch[idx].bytes) / dt, h2),
			       (unsigned long long)ch[idx].packets,
			       human(ch[idx].bytes, h3),
			       (unsigned long long)ch[idx].drops);
		}
		printf("\nDIR CH PROTO SOURCE                          DESTINATION                       PKTS/s  BYTES/s     PKTS    BYTES  DROPS\n");
	}

	qsort(fl, n, sizeof(*fl), flow_cmp);
	for (i = 0, shown = 0; i < n && shown < opt.top; i++, shown++) {
		struct flow *f = &fl[i];
		char sa[48], da[48], pn[8];

		addr_str(&f->k, f->k.saddr, sa, sizeof(sa));
		addr_str(&f->k, f->k.daddr, da, sizeof(da));
		if (opt.json) {
			printf("%s{\"dir\":\"%s\",\"ch\":%u,\"family\":%u,\"proto\":\"%s\","
			       "\"src\":\"%s\",\"sport\":%u,\"dst\":\"%s\",\"dport\":%u,"
			       "\"packets\":%llu,\"bytes\":%llu,\"drops\":%llu,"
			       "\"drop_bytes\":%llu,\"pps\":%.1f,\"bytes_per_s\":%.1f}",
			       shown ? "," : "", f->k.dir ? "tx" : "rx", f->k.ch,
			       f->k.family, proto_name(f->k.proto, pn), sa, f->k.sport,
			       da, f->k.dport, (unsigned long long)f->v.packets,
			       (unsigned long long)f->v.bytes,
			       (unsigned long long)f->v.drops,
			       (unsigned long long)f->v.drop_bytes, f->pps, f->bps);
			continue;
		}
		if (f->k.sport || f->k.dport) {
			snprintf(a, sizeof(a), f->k.family == 6 ? "[%s]:%u" : "%s:%u",
				 sa, f->k.sport);
			snprintf(b, sizeof(b), f->k.family == 6 ? "[%s]:%u" : "%s:%u",
				 da, f->k.dport);
		} else {
			snprintf(a, sizeof(a), "%s", sa);
			snprintf(b, sizeof(b), "%s", da);
		}
		printf("%-3s %2u %-5s %-31s %-31s %8s %8s %8llu %8s %6llu\n",
		       f->k.dir ? "tx" : "rx", f->k.ch, proto_name(f->k.proto, pn),
		       a, b, human(f->pps, h1), human(f->bps, h2),
		       (unsigned long long)f->v.packets, human(f->v.bytes, h4),
		       (unsigned long long)f->v.drops);
	}
	if (opt.json)
		printf("]}\n");
	else
		printf("\n");
	fflush(stdout);

	qsort(fl, n, sizeof(*fl), key_cmp);
	free(prev);
	prev = fl;
	nprev = n;
	memcpy(prev_ch, ch, sizeof(ch));
}

static void usage(FILE *out)
{
	fprintf(out,
"Usage: dmuxstat [OPTIONS]\n"
"BAM-DMUX traffic per channel and per IP flow, both directions, with drops\n"
"(socbpf_bam_dmux must be loaded).  Counts are cumulative since dmuxstat\n"
"started; rates are over the last interval.\n"
"\n"
"  -d, --delay SECONDS   interval between frames (default 1)\n"
"  -n, --count N         print N frames, then exit (default: until Ctrl-C)\n"
"  -s, --sort KEY        flows by bytes (default), pkts, drops or rate\n"
"  -N, --top N           flows per frame (default 10)\n"
"  -j, --json            one JSON document per frame\n"
"  -h, --help            this text\n"
"\n"
"Examples:\n"
"  dmuxstat                     # a frame a second until Ctrl-C\n"
"  dmuxstat -d 2 -n 3 -s drops  # three frames, flows with drops first\n"
"  dmuxstat -j -n 1 -d 5        # one JSON frame after 5 s\n");
}

int main(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "delay", required_argument, NULL, 'd' },
		{ "count", required_argument, NULL, 'n' },
		{ "sort", required_argument, NULL, 's' },
		{ "top", required_argument, NULL, 'N' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ }
	};
	struct dmuxstat_bpf *skel;
	struct timespec t0, t1, ts;
	long frames = 0;
	char *end;
	int c, err;

	while ((c = getopt_long(argc, argv, "d:n:s:N:jh", lo, NULL)) != -1) {
		switch (c) {
		case 'd':
			opt.delay = strtod(optarg, &end);
			if (*end || end == optarg || opt.delay < 0.1 || opt.delay > 3600) {
				fprintf(stderr, "dmuxstat: bad --delay '%s' (0.1-3600)\n", optarg);
				return 2;
			}
			break;
		case 'n':
			opt.count = strtol(optarg, &end, 10);
			if (*end || end == optarg || opt.count < 1) {
				fprintf(stderr, "dmuxstat: bad --count '%s'\n", optarg);
				return 2;
			}
			break;
		case 's':
			if (!strcmp(optarg, "bytes"))
				opt.sort = SORT_BYTES;
			else if (!strcmp(optarg, "pkts"))
				opt.sort = SORT_PKTS;
			else if (!strcmp(optarg, "drops"))
				opt.sort = SORT_DROPS;
			else if (!strcmp(optarg, "rate"))
				opt.sort = SORT_RATE;
			else {
				fprintf(stderr, "dmuxstat: bad --sort '%s' (bytes, pkts, drops, rate)\n",
					optarg);
				return 2;
			}
			break;
		case 'N':
			opt.top = strtol(optarg, &end, 10);
			if (*end || end == optarg || opt.top < 1) {
				fprintf(stderr, "dmuxstat: bad --top '%s'\n", optarg);
				return 2;
			}
			break;
		case 'j':
			opt.json = 1;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "dmuxstat: unexpected argument '%s'\n", argv[optind]);
		return 2;
	}
	if (access("/sys/module/socbpf_bam_dmux", F_OK)) {
		fprintf(stderr, "dmuxstat: socbpf_bam_dmux module not loaded: insmod kernel/bam_dmux/socbpf_bam_dmux.ko\n");
		return 1;
	}
	libbpf_set_print(NULL);
	skel = dmuxstat_bpf__open_and_load();
	if (!skel) {
		fprintf(stderr, "dmuxstat: cannot load the BPF program: %s\n", strerror(errno));
		return 1;
	}
	err = dmuxstat_bpf__attach(skel);
	if (err) {
		fprintf(stderr, "dmuxstat: cannot attach to the socbpf_bam_dmux tracepoints: %s\n",
			strerror(-err));
		dmuxstat_bpf__destroy(skel);
		return 1;
	}
	signal(SIGINT, on_sigint);
	signal(SIGTERM, on_sigint);
	fprintf(stderr, "Tracing BAM-DMUX... Ctrl-C to end.\n");

	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (!stop && (opt.count < 0 || frames < opt.count)) {
		ts.tv_sec = (time_t)opt.delay;
		ts.tv_nsec = (long)((opt.delay - ts.tv_sec) * 1e9);
		while (nanosleep(&ts, &ts) && errno == EINTR && !stop)
			;
		clock_gettime(CLOCK_MONOTONIC, &t1);
		frame(skel, (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9);
		t0 = t1;
		frames++;
	}
	free(prev);
	dmuxstat_bpf__destroy(skel);
	return 0;
}
