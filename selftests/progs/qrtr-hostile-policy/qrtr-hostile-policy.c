// SPDX-License-Identifier: GPL-2.0
/*
 * qrtr-hostile-policy: attach bpf/qrtr_hostile.bpf.c (a policy that returns
 * bad endpoint ids and bad verdicts), run a command, detach. Test-only.
 *
 *   qrtr-hostile-policy [-i ID[,ID...]] [-V VERDICT] -- CMD [ARGS...]
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <bpf/libbpf.h>
#include "qrtr_hostile.skel.h"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: qrtr-hostile-policy [-i ID[,ID...]] [-V VERDICT] -- CMD [ARGS...]\n"
		"  Attach a test policy whose choose_id() returns the given ids in turn\n"
		"  and whose verdict() returns VERDICT, run CMD, detach. Exits with\n"
		"  CMD's status; 2 for bad usage, 3 if the policy could not attach.\n"
		"example: qrtr-hostile-policy -i 4096,0xffffffff,1 -V 7 -- ./traffic.sh\n");
}

static int parse_u32(const char *s, __u32 *out)
{
	unsigned long v;
	char *end;

	errno = 0;
	v = strtoul(s, &end, 0);
	if (errno || end == s || *end || v > 0xffffffffUL)
		return -1;
	*out = (__u32)v;
	return 0;
}

int main(int argc, char **argv)
{
	__u32 answers[8] = {}, nr = 0, verdict = 0;
	struct qrtr_hostile_bpf *skel;
	struct bpf_link *link;
	int opt, status, ret = 3;
	char *tok, *save = NULL;
	pid_t pid;

	while ((opt = getopt(argc, argv, "i:V:h")) != -1) {
		switch (opt) {
		case 'i':
			for (tok = strtok_r(optarg, ",", &save); tok;
			     tok = strtok_r(NULL, ",", &save)) {
				if (nr >= 8 || parse_u32(tok, &answers[nr])) {
					fprintf(stderr, "bad -i value '%s' (up to 8 numbers)\n", tok);
					return 2;
				}
				nr++;
			}
			break;
		case 'V':
			if (parse_u32(optarg, &verdict)) {
				fprintf(stderr, "bad -V value '%s'\n", optarg);
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
	if (optind >= argc) {
		usage(stderr);
		return 2;
	}
	skel = qrtr_hostile_bpf__open();
	if (!skel) {
		fprintf(stderr, "Failed to open BPF skeleton\n");
		return 3;
	}
	memcpy((void *)skel->rodata->answers, answers, sizeof(answers));
	skel->rodata->nr_answers = nr;
	skel->rodata->verdict_value = verdict;
	if (qrtr_hostile_bpf__load(skel)) {
		fprintf(stderr, "Failed to load BPF policy: %s\n", strerror(errno));
		goto out;
	}
	link = bpf_map__attach_struct_ops(skel->maps.qrtr_hostile);
	if (!link) {
		fprintf(stderr, "Failed to attach policy: %s\n", strerror(errno));
		goto out;
	}
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		execvp(argv[optind], argv + optind);
		fprintf(stderr, "Failed to run %s: %s\n", argv[optind], strerror(errno));
		_exit(127);
	}
	ret = 127;
	if (pid > 0 && waitpid(pid, &status, 0) == pid)
		ret = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	printf("# hostile policy: choose_id called %llu times\n",
	       (unsigned long long)skel->bss->calls);
	bpf_link__destroy(link);
out:
	qrtr_hostile_bpf__destroy(skel);
	return ret;
}
