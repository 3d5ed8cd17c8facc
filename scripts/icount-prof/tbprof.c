// SPDX-License-Identifier: GPL-2.0
/*
 * tbprof: a QEMU TCG plugin that counts the guest instructions executed per
 * translation block between two trigger addresses, for a 1-vCPU guest
 * under -icount (see README.md).  It declares the few plugin API calls it
 * uses itself (the stable C ABI of QEMU's plugin interface, version 2+).
 *
 * Arguments: start=HEX stop=HEX (guest addresses whose execution starts
 * and stops counting, once), out=FILE, and up to 32 ev=HEX addresses whose
 * executions are logged in order, with the instruction count at each, to
 * FILE.ev (one letter each, 'A' for the first) and FILE.ic (u64 each).
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef uint64_t qemu_plugin_id_t;
struct qemu_plugin_tb;
struct qemu_plugin_insn;

void qemu_plugin_register_vcpu_tb_trans_cb(qemu_plugin_id_t id,
		void (*cb)(qemu_plugin_id_t, struct qemu_plugin_tb *));
void qemu_plugin_register_vcpu_tb_exec_cb(struct qemu_plugin_tb *tb,
		void (*cb)(unsigned int, void *), int flags, void *udata);
size_t qemu_plugin_tb_n_insns(const struct qemu_plugin_tb *tb);
uint64_t qemu_plugin_tb_vaddr(const struct qemu_plugin_tb *tb);
struct qemu_plugin_insn *qemu_plugin_tb_get_insn(const struct qemu_plugin_tb *tb,
						 size_t idx);
uint64_t qemu_plugin_insn_vaddr(const struct qemu_plugin_insn *insn);
void qemu_plugin_register_atexit_cb(qemu_plugin_id_t id,
		void (*cb)(qemu_plugin_id_t, void *), void *udata);

__attribute__((visibility("default"))) int qemu_plugin_version = 4;

#define HASH_SIZE	(1u << 20)
#define MAX_EV		32
#define MAX_LOG		4000000

struct block {
	uint64_t va;
	uint64_t count;
	uint32_t n;
	int trig;		/* 1 start, 2 stop */
	int ev;			/* 1 + index into ev_va, 0 for none */
	struct block *next;
};

static struct block *table[HASH_SIZE];
static uint64_t start_va, stop_va, ev_va[MAX_EV], icount;
static int nev, active, done;
static const char *out_path = "tbprof.out";
static char *ev_log;
static uint64_t *ev_ic;
static size_t nlog;

static void exec_cb(unsigned int vcpu, void *udata)
{
	struct block *b = udata;

	if (b->trig == 1 && !done) {
		active = 1;
	} else if (b->trig == 2 && active) {
		active = 0;
		done = 1;
	}
	if (!active)
		return;
	b->count++;
	if (b->ev && nlog < MAX_LOG) {
		ev_ic[nlog] = icount;
		ev_log[nlog++] = 'A' + b->ev - 1;
	}
	icount += b->n;
}

static void trans_cb(qemu_plugin_id_t id, struct qemu_plugin_tb *tb)
{
	uint64_t va = qemu_plugin_tb_vaddr(tb);
	size_t n = qemu_plugin_tb_n_insns(tb), i;
	unsigned int h = (unsigned int)((va >> 2) ^ (va >> 22)) & (HASH_SIZE - 1);
	struct block *b;
	int trig = 0, ev = 0;

	for (i = 0; i < n; i++) {
		uint64_t a = qemu_plugin_insn_vaddr(qemu_plugin_tb_get_insn(tb, i));

		if (a == start_va)
			trig = 1;
		else if (a == stop_va)
			trig = 2;
	}
	for (i = 0; i < (size_t)nev; i++)
		if (ev_va[i] == va)
			ev = (int)i + 1;
	for (b = table[h]; b; b = b->next)
		if (b->va == va && b->n == n && b->trig == trig && b->ev == ev)
			break;
	if (!b) {
		b = calloc(1, sizeof(*b));
		if (!b)
			abort();
		b->va = va;
		b->n = (uint32_t)n;
		b->trig = trig;
		b->ev = ev;
		b->next = table[h];
		table[h] = b;
	}
	qemu_plugin_register_vcpu_tb_exec_cb(tb, exec_cb, 0, b);
}

static void write_log(const char *suffix, const void *p, size_t size)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s.%s", out_path, suffix);
	f = fopen(path, "w");
	if (!f)
		return;
	fwrite(p, size, nlog, f);
	fclose(f);
}

static void at_exit(qemu_plugin_id_t id, void *udata)
{
	FILE *f = fopen(out_path, "w");
	struct block *b;
	unsigned int i;

	if (!f)
		return;
	fprintf(f, "# started=%d stopped=%d\n", active || done, done);
	for (i = 0; i < HASH_SIZE; i++)
		for (b = table[i]; b; b = b->next)
			if (b->count)
				fprintf(f, "%llx %u %llu\n",
					(unsigned long long)b->va, b->n,
					(unsigned long long)b->count);
	fclose(f);
	if (nev) {
		write_log("ev", ev_log, 1);
		write_log("ic", ev_ic, sizeof(*ev_ic));
	}
}

__attribute__((visibility("default")))
int qemu_plugin_install(qemu_plugin_id_t id, const void *info, int argc,
			char **argv)
{
	int i;

	for (i = 0; i < argc; i++) {
		if (!strncmp(argv[i], "start=", 6))
			start_va = strtoull(argv[i] + 6, NULL, 16);
		else if (!strncmp(argv[i], "stop=", 5))
			stop_va = strtoull(argv[i] + 5, NULL, 16);
		else if (!strncmp(argv[i], "out=", 4))
			out_path = argv[i] + 4;
		else if (!strncmp(argv[i], "ev=", 3) && nev < MAX_EV)
			ev_va[nev++] = strtoull(argv[i] + 3, NULL, 16);
	}
	ev_log = malloc(MAX_LOG);
	ev_ic = malloc(MAX_LOG * sizeof(*ev_ic));
	if (!ev_log || !ev_ic)
		return 1;
	qemu_plugin_register_vcpu_tb_trans_cb(id, trans_cb);
	qemu_plugin_register_atexit_cb(id, at_exit, NULL);
	return 0;
}
