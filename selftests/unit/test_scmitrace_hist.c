// SPDX-License-Identifier: GPL-2.0
/*
 * Host unit tests (TAP) for scmitrace's histograms: the bucketing and the
 * per-CPU recording the BPF programs do (scmitrace_slot, scmitrace_hist_idx,
 * scmitrace_hist_record) and the reader's
 * arithmetic (tools/scmitrace/hist_acc.h): interval shares from cumulative
 * per-CPU counters, the interval maximum by epoch parity, counter wrap.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/types.h>

#include "socbpf/log2hist.h"
#include "../../tools/scmitrace/hist_acc.h"
#include "unit_tap.h"

#define NCPU 3

/* what the reader sees: NCPU values of one entry, and the epoch counter */
static struct scmitrace_hist cpu[NCPU];
static __u32 epoch;

static void record(int c, __u64 lat_ns)
{
	scmitrace_hist_record(&cpu[c], lat_ns, scmitrace_slot(lat_ns), epoch);
}

/* one reading as scmitrace's collect() does it */
static void reading(struct hist_acc *cur, struct hist_acc *tot)
{
	__u32 done = epoch++;
	int c;

	memset(cur, 0, sizeof(*cur));
	for (c = 0; c < NCPU; c++)
		hist_acc_add(cur, &cpu[c], done);
	hist_acc_interval(cur, tot);
}

static __u64 slot_sum(const struct hist_acc *a)
{
	return log2hist_total(a->slots, SCMITRACE_SLOTS);
}

/* the bucket the programs compute, the straightforward way */
static unsigned int ref_slot(__u64 lat_ns)
{
	return log2hist_slot_clamp(lat_ns / 1000, SCMITRACE_SLOTS);
}

static void test_slot(void)
{
	__u64 v, b;
	int ok = 1, i, d;

	/* every bucket edge in nanoseconds, and its neighbours */
	for (i = 0; i < 64; i++) {
		b = i < 54 ? 1000ULL << i : 1ULL << i;
		for (d = -2; d <= 2; d++) {
			v = b + d;
			ok &= scmitrace_slot(v) == ref_slot(v);
		}
	}
	ok &= scmitrace_slot(0) == 0 && scmitrace_slot(~0ULL) == SCMITRACE_SLOTS - 1;
	check(ok, "bucket without a division: every edge agrees with log2(ns / 1000)");
	ok = 1;
	for (v = 0; v < 5000000; v += 7)
		ok &= scmitrace_slot(v) == ref_slot(v);
	srand(1);
	for (i = 0; i < 1000000; i++) {
		v = ((__u64)rand() << 31 | rand()) >> (rand() % 48);
		ok &= scmitrace_slot(v) == ref_slot(v);
	}
	check(ok, "bucket without a division: agrees on 1.7M latencies");
	check(scmitrace_slot(1999) == 0 && scmitrace_slot(2000) == 1 &&
	      scmitrace_slot((1000ULL << 26) - 1) == 25 &&
	      scmitrace_slot(1000ULL << 26) == 26, "bucket edges: 2 us, 2^26 us");
}

static void test_idx(void)
{
	static unsigned char seen[SCMITRACE_HIST_DIRECT];
	int p, m, ok = 1, dup = 0;

	for (p = 0; p < 256; p++)
		for (m = 0; m < 256; m++)
			ok &= scmitrace_hist_idx(p, m) < SCMITRACE_HIST_DIRECT;
	check(ok, "every (protocol, message) maps inside the direct array");
	for (p = 0x10; p <= 0x1f; p++)
		for (m = 0; m < 32; m++)
			dup += seen[scmitrace_hist_idx(p, m)]++ != 0;
	check(!dup, "standard protocols, messages < 32: no two share an entry");
}

static void test_intervals(void)
{
	struct hist_acc cur, tot;

	memset(&tot, 0, sizeof(tot));
	memset(cpu, 0, sizeof(cpu));
	epoch = 0;

	/* interval 1: 3 samples on two CPUs */
	record(0, 5000);
	record(0, 9000);
	record(2, 70000);
	reading(&cur, &tot);
	check(cur.count == 3 && slot_sum(&cur) == 3 && cur.sum_ns == 84000,
	      "first interval: count, buckets and sum of all CPUs");
	check(cur.max_ns == 70000 && tot.max_ns == 70000, "first interval: maximum");
	check(cur.slots[2] == 1 && cur.slots[3] == 1 && cur.slots[6] == 1,
	      "first interval: 5, 9 and 70 us in buckets 2, 3 and 6");

	/* interval 2: smaller samples; the maximum is this interval's own */
	record(1, 1000);
	record(0, 3000);
	reading(&cur, &tot);
	check(cur.count == 2 && slot_sum(&cur) == 2 && cur.sum_ns == 4000,
	      "second interval: only its own samples");
	check(cur.max_ns == 3000, "second interval: its maximum, not the run's");
	check(tot.count == 5 && tot.max_ns == 70000 && tot.sum_ns == 88000,
	      "totals: everything since the start");

	/* interval 3: nothing */
	reading(&cur, &tot);
	check(cur.count == 0 && slot_sum(&cur) == 0 && cur.max_ns == 0,
	      "idle interval: empty, no stale maximum from two epochs ago");

	/* interval 4: one sample on a CPU that held the maximum 2 epochs ago */
	record(2, 2000);
	reading(&cur, &tot);
	check(cur.count == 1 && cur.max_ns == 2000,
	      "maximum slot reused two epochs later starts afresh");
}

static void test_straddle(void)
{
	struct hist_acc cur, tot;

	memset(&tot, 0, sizeof(tot));
	memset(cpu, 0, sizeof(cpu));
	epoch = 7;

	record(0, 40000);
	/* the reader ends epoch 7 ... */
	{
		__u32 done = epoch++;
		int c;

		/* ... and a program that loaded epoch 8 records before the read */
		record(1, 90000);
		memset(&cur, 0, sizeof(cur));
		for (c = 0; c < NCPU; c++)
			hist_acc_add(&cur, &cpu[c], done);
		hist_acc_interval(&cur, &tot);
	}
	check(cur.count == 2 && cur.max_ns == 40000,
	      "a sample of the next epoch is counted, its maximum left for the next interval");
	reading(&cur, &tot);
	check(cur.count == 0 && cur.max_ns == 0,
	      "next interval: no samples, so no maximum either");
	check(tot.max_ns == 90000 && tot.count == 2, "totals keep the late maximum");
}

static void test_wrap(void)
{
	struct hist_acc cur, tot;

	memset(&tot, 0, sizeof(tot));
	memset(cpu, 0, sizeof(cpu));
	epoch = 0;

	/* a bucket counter about to wrap, read once */
	cpu[0].slots[4] = 0xfffffffeU;
	cpu[0].owner = SCMITRACE_OWNER(0x14, 6);
	reading(&cur, &tot);
	record(0, 20000);	/* bucket 4 */
	record(0, 20000);
	record(0, 20000);	/* wraps to 1 */
	reading(&cur, &tot);
	check(cpu[0].slots[4] == 1 && cur.slots[4] == 3 && cur.count == 3,
	      "a bucket counter that wraps still gives the interval's 3 samples");
}

static void test_record_bounds(void)
{
	struct scmitrace_hist h;

	memset(&h, 0, sizeof(h));
	scmitrace_hist_record(&h, 1, SCMITRACE_SLOTS, 0);
	check(log2hist_total(h.slots, SCMITRACE_SLOTS) == 0 && h.sum_ns == 0,
	      "an out-of-range bucket is not recorded");
	scmitrace_hist_record(&h, ~0ULL,
			      log2hist_slot_clamp(~0ULL / 1000, SCMITRACE_SLOTS), 0);
	check(log2hist_total(h.slots, SCMITRACE_SLOTS) == 1 &&
	      h.slots[SCMITRACE_SLOTS - 1] == 1,
	      "the largest latency lands in the last bucket");
}

int main(void)
{
	printf("TAP version 13\n");
	test_slot();
	test_idx();
	test_intervals();
	test_straddle();
	test_wrap();
	test_record_bounds();
	printf("1..%d\n", n_test);
	return n_fail ? 1 : 0;
}
