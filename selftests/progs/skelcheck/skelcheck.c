// SPDX-License-Identifier: GPL-2.0
/*
 * skelcheck: checks that the BPF toolchain pair works (see
 * bpf/skelcheck.bpf.c). Prints kselftest TAP; used by
 * selftests/guest/foundation.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/libbpf.h>
#include "skelcheck.skel.h"

#define CC_LIST "/proc/sys/net/ipv4/tcp_available_congestion_control"
#define CALLS 25

static int tests, failures;

static void result(int ok, const char *what)
{
	tests++;
	if (!ok)
		failures++;
	printf("%sok %d - %s\n", ok ? "" : "not ", tests, what);
}

static int cc_registered(const char *name)
{
	char buf[512] = "";
	FILE *f = fopen(CC_LIST, "r");

	if (!f)
		return -errno;
	if (!fgets(buf, sizeof(buf), f))
		buf[0] = '\0';
	fclose(f);
	return strstr(buf, name) != NULL;
}

int main(void)
{
	struct skelcheck_bpf *skel;
	struct bpf_link *link = NULL;
	int i, err;

	printf("TAP version 13\n1..6\n");
	skel = skelcheck_bpf__open();
	if (!skel) {
		fprintf(stderr, "Failed to open BPF skeleton\n");
		return 1;
	}
	skel->rodata->target_tgid = getpid();
	err = skelcheck_bpf__load(skel);
	result(!err, "skeleton opens and loads (rodata knob set before load)");
	if (err)
		goto cleanup;
	err = skelcheck_bpf__attach(skel);
	result(!err, "tracepoint program attaches");
	if (err)
		goto cleanup;
	for (i = 0; i < CALLS; i++)
		getppid();
	printf("# hits=%llu\n", (unsigned long long)skel->bss->hits);
	result(skel->bss->hits == CALLS, ".bss counter read through the skeleton counts our calls");

	/* libbpf >= 1.5 skeletons attach .struct_ops.link maps themselves. */
	result(skel->links.skc && cc_registered("socbpf_skc") == 1,
	       "skeleton attach registers the struct_ops map (skel->links)");
	bpf_link__destroy(skel->links.skc);
	skel->links.skc = NULL;
	result(cc_registered("socbpf_skc") == 0, "destroying the link unregisters it");

	link = bpf_map__attach_struct_ops(skel->maps.skc);
	err = link && cc_registered("socbpf_skc") == 1;
	bpf_link__destroy(link);
	result(err && cc_registered("socbpf_skc") == 0,
	       "bpf_map__attach_struct_ops attaches it again, and detaches");
cleanup:
	skelcheck_bpf__destroy(skel);
	return failures || tests != 6;
}
