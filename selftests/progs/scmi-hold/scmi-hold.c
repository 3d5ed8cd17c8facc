// SPDX-License-Identifier: GPL-2.0
/*
 * scmi-hold: hold the first SCMI transfer of one (protocol, message) between
 * taking its token and queueing its command (bpf/scmi_hold.bpf.c), so a test
 * can change the platform under it.  Test-only.
 *
 *   scmi-hold [-t SECONDS] [-T] PROTO MSG
 *
 * -T holds at scmi_xfer_timeout instead: a transfer that timed out, before
 * its scmi_xfer_end.
 *
 * Prints "attached", then "holding token T" once a transfer is held; a line
 * on stdin (or EOF) releases it.  Prints "released" or "timed out" and exits
 * 0, or 1 when nothing was held.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <bpf/libbpf.h>
#include "scmi_hold.skel.h"

static int parse_num(const char *s, long max, long *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 0);
	if (errno || end == s || *end || v < 0 || v > max)
		return -1;
	*out = v;
	return 0;
}

static void sleep_ms(int ms)
{
	struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

int main(int argc, char **argv)
{
	struct scmi_hold_bpf *obj;
	long proto, msg, secs = 5;
	char line[64];
	int err = 1, opt, at_timeout = 0;

	while ((opt = getopt(argc, argv, "t:Th")) != -1) {
		if (opt == 't' && !parse_num(optarg, 15, &secs) && secs > 0)
			continue;
		if (opt == 'T') {
			at_timeout = 1;
			continue;
		}
		fprintf(stderr, "usage: scmi-hold [-t SECONDS(1-15)] [-T] PROTO MSG\n");
		return 2;
	}
	if (argc - optind != 2 || parse_num(argv[optind], 255, &proto) ||
	    parse_num(argv[optind + 1], 255, &msg)) {
		fprintf(stderr, "usage: scmi-hold [-t SECONDS(1-15)] [-T] PROTO MSG\n");
		return 2;
	}
	obj = scmi_hold_bpf__open();
	if (!obj) {
		fprintf(stderr, "Failed to open BPF object\n");
		return 1;
	}
	obj->rodata->targ_proto = (int)proto;
	obj->rodata->targ_msg = (int)msg;
	obj->rodata->max_hold_ns = (__u64)secs * 1000000000ULL;
	bpf_program__set_autoload(obj->progs.hold_xfer, !at_timeout);
	bpf_program__set_autoload(obj->progs.hold_timeout, at_timeout);
	if (scmi_hold_bpf__load(obj) || scmi_hold_bpf__attach(obj)) {
		fprintf(stderr, "Failed to load or attach: is socbpf_scmi loaded?\n");
		goto out;
	}
	printf("attached\n");
	fflush(stdout);
	while (!__atomic_load_n(&obj->bss->holding, __ATOMIC_ACQUIRE) &&
	       !__atomic_load_n(&obj->bss->held, __ATOMIC_ACQUIRE))
		sleep_ms(10);
	printf("holding token %u\n", obj->bss->held_token);
	fflush(stdout);
	if (!fgets(line, sizeof(line), stdin))
		line[0] = 0;
	__atomic_store_n(&obj->bss->release, 1, __ATOMIC_RELEASE);
	while (__atomic_load_n(&obj->bss->holding, __ATOMIC_ACQUIRE))
		sleep_ms(10);
	printf("%s\n", obj->bss->timed_out ? "timed out" : "released");
	err = 0;
out:
	scmi_hold_bpf__destroy(obj);
	return err;
}
