// SPDX-License-Identifier: GPL-2.0
/*
 * qrtr-policy: attach, detach and inspect the socbpf_qrtr BPF policy
 * (bpf/qrtr_policy.bpf.c): stable endpoint ids from device keys and a
 * per-endpoint packet filter. The policy stays attached after this program
 * exits, through a link pinned in bpffs.
 */
#include <argp.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "qrtr_policy.h"
#include "rules.h"
#include "qrtr_policy.skel.h"

#define PIN_DIR		"/sys/fs/bpf/socbpf/qrtr_policy"
#define DEBUGFS_POLICY	"/sys/kernel/debug/socbpf_qrtr/policy"
#define MODULE_DIR	"/sys/module/socbpf_qrtr"
#define MAX_ID		255

static struct env {
	const char *cmd;
	const char *ids_file;
	const char *rules_file;
	struct qp_id cli_ids[QP_MAX_IDS];
	unsigned int nr_cli_ids;
	int default_action;	/* -1: from the rules file (or allow) */
	bool pass_all;
	bool verbose;
} env = { .default_action = -1 };

const char *argp_program_version = "qrtr-policy 0.1";
static const char doc[] =
"Attach, detach or show the socbpf_qrtr BPF policy.\n"
"\n"
"USAGE: qrtr-policy attach [--ids FILE] [--id KEY=ID]... [--rules FILE]\n"
"                          [--default allow|deny] [--pass-all]\n"
"       qrtr-policy detach\n"
"       qrtr-policy status\n"
"\n"
"The policy gives devices stable endpoint ids (by device key) and filters\n"
"packets per endpoint. It stays attached after qrtr-policy exits (pinned at\n"
PIN_DIR "); 'detach' restores the module's defaults.\n"
"\n"
"EXAMPLES:\n"
"    qrtr-policy attach --id pci:0000:01:00.0=1 --id pci:0000:02:00.0=2\n"
"    qrtr-policy attach --ids /etc/socbpf/ids.conf --rules /etc/socbpf/rules.conf\n"
"    qrtr-policy attach --rules deny-wlan.rules   # filter only\n"
"    qrtr-policy status                           # rules with hit counts\n"
"    qrtr-policy detach\n"
"\n"
"Id file: one 'KEY = ID' per line (ID 1..255). Rules file: one rule per\n"
"line, first match wins, e.g. 'deny ep 2 service 69 dir rx', 'allow ep 1',\n"
"'deny type data node 7 port 1', 'default deny'. Fields: ep, service,\n"
"instance, node, port (the device side of the packet), type, dir rx|tx.\n";

static const struct argp_option opts[] = {
	{ "ids", 'i', "FILE", 0, "Stable endpoint ids, 'KEY = ID' per line", 0 },
	{ "id", 'I', "KEY=ID", 0, "One stable id (repeatable)", 0 },
	{ "rules", 'r', "FILE", 0, "Packet filter rules", 0 },
	{ "default", 'D', "ACTION", 0, "Default action: allow (default) or deny", 0 },
	{ "pass-all", 'p', NULL, 0, "Run the filter hook with no rules (benchmarks)", 0 },
	{ "verbose", 'v', NULL, 0, "Show libbpf debug output", 0 },
	{},
};

static error_t parse_arg(int key, char *arg, struct argp_state *state)
{
	char err[QP_ERR_MAX];
	char buf[256];

	switch (key) {
	case 'i':
		env.ids_file = arg;
		break;
	case 'I':
		if (env.nr_cli_ids >= QP_MAX_IDS)
			argp_error(state, "too many --id options (max %d)", QP_MAX_IDS);
		snprintf(buf, sizeof(buf), "%s", arg);
		if (qp_parse_id_line(buf, MAX_ID, &env.cli_ids[env.nr_cli_ids], err) != 1)
			argp_error(state, "--id '%s': %s", arg,
				   strchr(arg, '=') ? err : "expected KEY=ID");
		env.nr_cli_ids++;
		break;
	case 'r':
		env.rules_file = arg;
		break;
	case 'D':
		if (!strcmp(arg, "allow"))
			env.default_action = QP_ACT_ALLOW;
		else if (!strcmp(arg, "deny"))
			env.default_action = QP_ACT_DENY;
		else
			argp_error(state, "--default wants 'allow' or 'deny', got '%s'", arg);
		break;
	case 'p':
		env.pass_all = true;
		break;
	case 'v':
		env.verbose = true;
		break;
	case ARGP_KEY_ARG:
		if (env.cmd)
			argp_error(state, "unexpected argument '%s'", arg);
		if (strcmp(arg, "attach") && strcmp(arg, "detach") && strcmp(arg, "status"))
			argp_error(state, "unknown command '%s' (attach, detach, status)", arg);
		env.cmd = arg;
		break;
	case ARGP_KEY_END:
		if (!env.cmd)
			argp_error(state, "a command is required (attach, detach, status)");
		if (strcmp(env.cmd, "attach") &&
		    (env.ids_file || env.rules_file || env.nr_cli_ids || env.pass_all ||
		     env.default_action >= 0))
			argp_error(state, "options only go with 'attach'");
		if (!strcmp(env.cmd, "attach") && !env.ids_file && !env.rules_file &&
		    !env.nr_cli_ids && !env.pass_all && env.default_action < 0)
			argp_error(state, "attach needs --ids, --id, --rules, --default or --pass-all");
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static int libbpf_print_fn(enum libbpf_print_level level, const char *fmt, va_list args)
{
	if (level == LIBBPF_DEBUG && !env.verbose)
		return 0;
	return vfprintf(stderr, fmt, args);
}

static int module_loaded(void)
{
	if (access(MODULE_DIR, F_OK)) {
		fprintf(stderr, "socbpf_qrtr module not loaded: insmod kernel/qrtr/socbpf_qrtr.ko\n");
		return 0;
	}
	if (access("/sys/kernel/btf/socbpf_qrtr", R_OK)) {
		fprintf(stderr, "socbpf_qrtr has no BTF (/sys/kernel/btf/socbpf_qrtr): rebuild it with pahole installed\n");
		return 0;
	}
	return 1;
}

static int load_ids(const char *path, struct qp_id *ids, unsigned int *nr)
{
	char line[512], err[QP_ERR_MAX];
	unsigned int lineno = 0;
	FILE *f;
	int ret;

	f = fopen(path, "r");
	if (!f) {
		fprintf(stderr, "Failed to open id file %s: %s\n", path, strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), f)) {
		lineno++;
		if (*nr >= QP_MAX_IDS) {
			fprintf(stderr, "%s:%u: more than %d ids\n", path, lineno, QP_MAX_IDS);
			fclose(f);
			return -1;
		}
		ret = qp_parse_id_line(line, MAX_ID, &ids[*nr], err);
		if (ret < 0) {
			fprintf(stderr, "%s:%u: %s\n", path, lineno, err);
			fclose(f);
			return -1;
		}
		*nr += ret;
	}
	fclose(f);
	return 0;
}

static int load_rules(const char *path, struct qp_ruleset *set)
{
	char line[512], err[QP_ERR_MAX];
	unsigned int lineno = 0;
	FILE *f;

	f = fopen(path, "r");
	if (!f) {
		fprintf(stderr, "Failed to open rules file %s: %s\n", path, strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), f)) {
		lineno++;
		if (qp_parse_rule_line(line, lineno, set, err) < 0) {
			fprintf(stderr, "%s:%u: %s\n", path, lineno, err);
			fclose(f);
			return -1;
		}
	}
	fclose(f);
	return 0;
}

static int pin_map(struct bpf_map *map, const char *name)
{
	char path[256];

	snprintf(path, sizeof(path), PIN_DIR "/%s", name);
	if (bpf_map__pin(map, path)) {
		fprintf(stderr, "Failed to pin %s: %s\n", path, strerror(errno));
		return -1;
	}
	return 0;
}

static void unpin_all(void)
{
	static const char *const names[] = { "link", "ids", "rule_hits", "rodata", "bss" };
	char path[256];
	unsigned int i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(path, sizeof(path), PIN_DIR "/%s", names[i]);
		unlink(path);
	}
	rmdir(PIN_DIR);
}

static int cmd_attach(void)
{
	static struct qp_id ids[QP_MAX_IDS];
	struct qrtr_policy_bpf *skel = NULL;
	static struct qp_ruleset set;
	struct bpf_link *link = NULL;
	unsigned int nr_ids = 0, i;
	int err = 1;

	if (!module_loaded())
		return 1;
	if (!access(PIN_DIR "/link", F_OK)) {
		fprintf(stderr, "A policy is already attached (" PIN_DIR "); run 'qrtr-policy detach' first\n");
		return 1;
	}
	if (env.ids_file && load_ids(env.ids_file, ids, &nr_ids))
		return 1;
	for (i = 0; i < env.nr_cli_ids; i++) {
		if (nr_ids >= QP_MAX_IDS) {
			fprintf(stderr, "more than %d ids\n", QP_MAX_IDS);
			return 1;
		}
		ids[nr_ids++] = env.cli_ids[i];
	}
	if (env.rules_file && load_rules(env.rules_file, &set))
		return 1;
	if (env.default_action >= 0)
		set.default_action = (unsigned int)env.default_action;

	skel = qrtr_policy_bpf__open();
	if (!skel) {
		fprintf(stderr, "Failed to open BPF skeleton: %s\n", strerror(errno));
		return 1;
	}
	skel->rodata->nr_rules = set.nr;
	skel->rodata->default_action = set.default_action;
	memcpy(skel->rodata->rules, set.rules, sizeof(set.rules));
	/* Leave out the hooks nobody asked for: no cost on the data path. */
	if (!nr_ids) {
		skel->struct_ops.qrtr_policy->choose_id = NULL;
		bpf_program__set_autoload(skel->progs.qp_choose_id, false);
	}
	if (!env.rules_file && !env.pass_all && env.default_action < 0) {
		skel->struct_ops.qrtr_policy->verdict = NULL;
		bpf_program__set_autoload(skel->progs.qp_verdict, false);
	}
	if (qrtr_policy_bpf__load(skel)) {
		fprintf(stderr, "Failed to load BPF policy: %s\n", strerror(errno));
		goto cleanup;
	}
	for (i = 0; i < nr_ids; i++) {
		struct qp_idkey k;

		memcpy(k.key, ids[i].key, sizeof(k.key));
		if (bpf_map__update_elem(skel->maps.ids, &k, sizeof(k), &ids[i].id,
					 sizeof(ids[i].id), BPF_ANY)) {
			fprintf(stderr, "Failed to store id for '%s': %s\n", ids[i].key,
				strerror(errno));
			goto cleanup;
		}
	}
	link = bpf_map__attach_struct_ops(skel->maps.qrtr_policy);
	if (!link) {
		err = errno;
		if (err == EEXIST || err == EBUSY)
			fprintf(stderr, "Failed to attach: another socbpf_qrtr policy is attached\n");
		else
			fprintf(stderr, "Failed to attach policy: %s\n", strerror(err));
		err = 1;
		goto cleanup;
	}
	if (mkdir("/sys/fs/bpf/socbpf", 0700) && errno != EEXIST) {
		fprintf(stderr, "Failed to create /sys/fs/bpf/socbpf: %s (is bpffs mounted?)\n",
			strerror(errno));
		goto cleanup;
	}
	if (mkdir(PIN_DIR, 0700) && errno != EEXIST) {
		fprintf(stderr, "Failed to create " PIN_DIR ": %s\n", strerror(errno));
		goto cleanup;
	}
	if (pin_map(skel->maps.ids, "ids") || pin_map(skel->maps.rule_hits, "rule_hits") ||
	    pin_map(skel->maps.rodata, "rodata") || pin_map(skel->maps.bss, "bss"))
		goto cleanup_pins;
	if (bpf_link__pin(link, PIN_DIR "/link")) {
		fprintf(stderr, "Failed to pin the policy link: %s\n", strerror(errno));
		goto cleanup_pins;
	}
	printf("attached qrtr_policy: %u stable id%s, %u rule%s, default %s%s\n",
	       nr_ids, nr_ids == 1 ? "" : "s", set.nr, set.nr == 1 ? "" : "s",
	       set.default_action == QP_ACT_DENY ? "deny" : "allow",
	       skel->struct_ops.qrtr_policy->verdict ? "" : " (no filter hook)");
	err = 0;
	goto cleanup;

cleanup_pins:
	unpin_all();
cleanup:
	bpf_link__destroy(link);	/* the pin keeps it attached */
	qrtr_policy_bpf__destroy(skel);
	return err;
}

static int cmd_detach(void)
{
	int fd;

	fd = bpf_obj_get(PIN_DIR "/link");
	if (fd < 0) {
		fprintf(stderr, "No policy attached by qrtr-policy (" PIN_DIR "/link: %s)\n",
			strerror(errno));
		return 1;
	}
	if (bpf_link_detach(fd)) {
		fprintf(stderr, "Failed to detach policy: %s\n", strerror(errno));
		close(fd);
		return 1;
	}
	close(fd);
	unpin_all();
	printf("detached qrtr_policy; socbpf_qrtr is back to its defaults\n");
	return 0;
}

static void print_debugfs(void)
{
	char line[256];
	FILE *f = fopen(DEBUGFS_POLICY, "r");

	if (!f) {
		printf("module counters: unavailable (%s: %s)\n", DEBUGFS_POLICY, strerror(errno));
		return;
	}
	printf("module (%s):\n", DEBUGFS_POLICY);
	while (fgets(line, sizeof(line), f))
		printf("  %s", line);
	fclose(f);
}

static int cmd_status(void)
{
	struct qrtr_policy_bpf__rodata ro;
	struct qp_idkey key, next;
	int ro_fd, hits_fd, ids_fd;
	unsigned int i, ncpu, zero = 0;
	__u64 *vals = NULL;
	char buf[160];
	void *prev = NULL;

	if (!module_loaded())
		return 1;
	print_debugfs();
	ro_fd = bpf_obj_get(PIN_DIR "/rodata");
	hits_fd = bpf_obj_get(PIN_DIR "/rule_hits");
	ids_fd = bpf_obj_get(PIN_DIR "/ids");
	if (ro_fd < 0 || hits_fd < 0 || ids_fd < 0) {
		printf("qrtr-policy: no policy attached (nothing pinned at " PIN_DIR ")\n");
		goto out;
	}
	if (bpf_map_lookup_elem(ro_fd, &zero, &ro)) {
		fprintf(stderr, "Failed to read the policy's rules: %s\n", strerror(errno));
		goto out;
	}
	ncpu = (unsigned int)libbpf_num_possible_cpus();
	vals = calloc(ncpu, sizeof(*vals));
	if (!vals)
		goto out;
	printf("stable ids:\n");
	while (!bpf_map_get_next_key(ids_fd, prev, &next)) {
		__u32 id;

		if (!bpf_map_lookup_elem(ids_fd, &next, &id))
			printf("  %-32.*s = %u\n", QP_KEY_MAX, next.key, id);
		key = next;
		prev = &key;
	}
	printf("rules (first match wins):                hits\n");
	for (i = 0; i <= ro.nr_rules && i <= QP_MAX_RULES; i++) {
		__u32 slot = i == ro.nr_rules ? QP_MAX_RULES : i;
		unsigned long long total = 0;
		unsigned int c;

		if (!bpf_map_lookup_elem(hits_fd, &slot, vals))
			for (c = 0; c < ncpu; c++)
				total += vals[c];
		if (i == ro.nr_rules)
			snprintf(buf, sizeof(buf), "default %s",
				 ro.default_action == QP_ACT_DENY ? "deny" : "allow");
		else
			qp_format_rule(&ro.rules[i], buf, sizeof(buf));
		printf("  %-40s %llu\n", buf, total);
	}
out:
	free(vals);
	if (ro_fd >= 0)
		close(ro_fd);
	if (hits_fd >= 0)
		close(hits_fd);
	if (ids_fd >= 0)
		close(ids_fd);
	return 0;
}

int main(int argc, char **argv)
{
	static const struct argp argp = { .options = opts, .parser = parse_arg, .doc = doc };
	int err;

	err = argp_parse(&argp, argc, argv, 0, NULL, NULL);
	if (err)
		return 1;
	libbpf_set_print(libbpf_print_fn);
	if (!strcmp(env.cmd, "attach"))
		return cmd_attach();
	if (!strcmp(env.cmd, "detach"))
		return cmd_detach();
	return cmd_status();
}
