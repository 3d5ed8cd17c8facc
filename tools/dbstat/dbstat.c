// SPDX-License-Identifier: GPL-2.0
/*
 * dbstat: RC-to-EP doorbell activity of socbpf_doorbell (allocations,
 * publishes, host writes, rings) and a log2 histogram of the latency from
 * the host's write to the endpoint's handler, per way of writing (CPU store,
 * DMA). Runs until Ctrl-C or for -d SECONDS, then prints.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/libbpf.h>
#include <bpf/bpf.h>
#include "socbpf/log2hist.h"
#include "dbstat.h"
#include "dbstat.skel.h"

static volatile sig_atomic_t stop;

static void on_sig(int sig)
{
	stop = 1;
}

static void usage(FILE *f)
{
	fprintf(f, "usage: dbstat [-d SECONDS]\n"
		"  -d SECONDS  stop after SECONDS (default: at Ctrl-C)\n"
		"Needs socbpf_doorbell loaded (its tracepoints).\n");
}

static int libbpf_quiet(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	return level == LIBBPF_WARN ? vfprintf(stderr, fmt, ap) : 0;
}

/* one histogram of DBSTAT_SLOTS counters, with its percentiles */
static void print_hist(const char *title, const __u64 *v)
{
	uint32_t slots[DBSTAT_SLOTS];
	int i;

	for (i = 0; i < DBSTAT_SLOTS; i++)
		slots[i] = v[i] > UINT32_MAX ? UINT32_MAX : (uint32_t)v[i];
	printf("\n%s (usecs):\n", title);
	if (!log2hist_total(slots, DBSTAT_SLOTS)) {
		printf("  (none)\n");
		return;
	}
	printf("  p50 %llu us, p99 %llu us (estimated within their log2 bucket)\n",
	       (unsigned long long)log2hist_percentile(slots, DBSTAT_SLOTS, 50, 0),
	       (unsigned long long)log2hist_percentile(slots, DBSTAT_SLOTS, 99, 0));
	log2hist_print(stdout, slots, DBSTAT_SLOTS, "usecs");
}

int main(int argc, char **argv)
{
	__u64 c[DBSTAT_NR_COUNTERS] = {}, h[DBSTAT_HOWS * DBSTAT_SLOTS] = {};
	struct dbstat_bpf *skel;
	long secs = 0;
	char *end;
	int opt, err;
	__u32 i;

	while ((opt = getopt(argc, argv, "d:h")) != -1) {
		switch (opt) {
		case 'd':
			errno = 0;
			secs = strtol(optarg, &end, 10);
			if (errno || *end || secs <= 0) {
				fprintf(stderr, "dbstat: -d wants a positive number of seconds\n");
				return 2;
			}
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return 2;
	}

	libbpf_set_print(libbpf_quiet);
	skel = dbstat_bpf__open_and_load();
	if (!skel) {
		fprintf(stderr, "dbstat: cannot load the BPF programs\n");
		return 1;
	}
	err = dbstat_bpf__attach(skel);
	if (err) {
		fprintf(stderr, "dbstat: cannot attach to socbpf_doorbell's tracepoints (is the module loaded?): %s\n",
			strerror(-err));
		dbstat_bpf__destroy(skel);
		return 1;
	}
	signal(SIGINT, on_sig);
	signal(SIGTERM, on_sig);
	printf("Tracing doorbells...%s\n", secs ? "" : " Hit Ctrl-C to end.");
	fflush(stdout);
	for (i = 0; !stop && (!secs || i < secs); i++)
		sleep(1);

	for (i = 0; i < DBSTAT_NR_COUNTERS; i++)
		bpf_map__lookup_elem(skel->maps.counters, &i, sizeof(i), &c[i], sizeof(c[i]), 0);
	for (i = 0; i < DBSTAT_HOWS * DBSTAT_SLOTS; i++)
		bpf_map__lookup_elem(skel->maps.hist, &i, sizeof(i), &h[i], sizeof(h[i]), 0);

	printf("doorbell sets allocated %llu, refused or failed %llu; published %llu, retracted %llu\n",
	       (unsigned long long)c[DBSTAT_ALLOCS], (unsigned long long)c[DBSTAT_ALLOC_FAILS],
	       (unsigned long long)c[DBSTAT_PUBLISHES], (unsigned long long)c[DBSTAT_RETRACTS]);
	printf("host writes %llu (cpu %llu, dma %llu), rings %llu, matched %llu, without a host write %llu\n",
	       (unsigned long long)(c[DBSTAT_HOST_CPU] + c[DBSTAT_HOST_DMA]),
	       (unsigned long long)c[DBSTAT_HOST_CPU], (unsigned long long)c[DBSTAT_HOST_DMA],
	       (unsigned long long)c[DBSTAT_RINGS], (unsigned long long)c[DBSTAT_MATCHED],
	       (unsigned long long)(c[DBSTAT_RINGS] - c[DBSTAT_MATCHED]));
	if (c[DBSTAT_PENDING_FULL])
		printf("host writes not recorded (map full): %llu\n",
		       (unsigned long long)c[DBSTAT_PENDING_FULL]);
	print_hist("host write -> handler, CPU store", h);
	print_hist("host write -> handler, DMA", h + DBSTAT_SLOTS);
	dbstat_bpf__destroy(skel);
	return 0;
}
