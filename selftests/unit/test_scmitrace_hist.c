// SPDX-License-Identifier: GPL-2.0
/*
 * Host unit tests (TAP) for scmitrace's histograms: the bucketing and the
 * per-CPU recording the BPF programs do (scmitrace_slot, scmitrace_hist_find,
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
	return log2hist_total(a->slots, SCMITRACE_BUCKETS);
}

static void test_slot(void)
{
	check(scmitrace_slot(0) == 0 && scmitrace_slot(15999) == 15 &&
	      scmitrace_slot(16000) == 16 && scmitrace_slot(17999) == 16 &&
	      scmitrace_slot(18000) == 17, "buckets: whole microseconds, exact below 16 us");
	check(scmitrace_slot((1000ULL << 26) - 1) == SCMITRACE_BUCKETS - 2 &&
	      scmitrace_slot(1000ULL << 26) == SCMITRACE_BUCKETS - 1 &&
	      scmitrace_slot(~0ULL) == SCMITRACE_BUCKETS - 1,
	      "buckets: everything from 2^26 us on in the last one");
	check(SCMITRACE_BUCKETS == 193 && sizeof(struct scmitrace_hist) <= 832,
	      "193 buckets, a histogram fits in 832 bytes");
}

/*
 * The review's case: five transfers of 5-9 ms.  The log2 buckets put them
 * all in [4096, 8191] and [8192, 16383] us, and a percentile read from
 * them printed that bucket's upper edge, 16383; the sub-buckets give the
 * median within 1/16.
 */
static void test_percentile(void)
{
	struct hist_acc a;
	struct lathist_pct p;
	__u32 l2[SCMITRACE_SLOTS] = { 0 };
	int i;

	memset(&a, 0, sizeof(a));
	for (i = 5; i <= 9; i++) {
		a.slots[scmitrace_slot(i * 1000000ULL)]++;
		a.count++;
	}
	a.max_ns = 9000000;
	check(!lathist_percentile(a.slots, SCMITRACE_BUCKETS, SCMITRACE_SUB_BITS, 50, 0,
				  a.max_ns / 1000, 1, &p) &&
	      p.value >= 7000 - 7000 / 16 && p.value <= 7000 + 7000 / 16,
	      "5 samples of 5-9 ms: P50 within 1/16 of 7000 us");
	check(!lathist_percentile(a.slots, SCMITRACE_BUCKETS, SCMITRACE_SUB_BITS, 99, 0,
				  a.max_ns / 1000, 1, &p) &&
	      p.value >= 9000 - 9000 / 16 && p.value <= 9000,
	      "5 samples of 5-9 ms: P99 within 1/16 of 9000 us, not above the max");
	check(hist_acc_pct_us(&a, 50) >= 7000 - 7000 / 16 && hist_acc_pct_us(&a, 50) <= 7000 + 7000 / 16,
	      "hist_acc_pct_us: P50 of 5-9 ms within 1/16 of 7000 us");
	check(hist_acc_pct_us(&a, 90) == 9000 && hist_acc_pct_us(&a, 99) == 9000,
	      "hist_acc_pct_us: P90, P99 of 5 samples are the last one, the max, exactly");
	{
		struct hist_acc one;

		memset(&one, 0, sizeof(one));
		one.slots[scmitrace_slot(1028662500ULL)] = 1;
		one.count = 1;
		one.max_ns = 1028662500ULL;
		check(hist_acc_pct_us(&one, 50) == 1028662 && hist_acc_pct_us(&one, 1) == 1028662,
		      "hist_acc_pct_us: any percentile of one sample is that sample");
		memset(&one, 0, sizeof(one));
		check(hist_acc_pct_us(&one, 50) == 0, "hist_acc_pct_us: empty gives 0");
	}
	lathist_to_log2(a.slots, SCMITRACE_BUCKETS, SCMITRACE_SUB_BITS, l2, SCMITRACE_SLOTS);
	check(l2[12] == 4 && l2[13] == 1, "log2 display: 4 in [4096, 8191] us, 1 in [8192, 16383]");
}

static void test_idx(void)
{
	static struct scmitrace_hist_index x;
	static unsigned char seen[SCMITRACE_NR_HISTS];
	int p, m, ok = 1, id;

	memset(&x, 0, sizeof(x));
	/* 4 protocols x 16 messages: exactly the 64 histograms */
	for (p = 0x10; p <= 0x13; p++)
		for (m = 0; m < 16; m++) {
			id = scmitrace_hist_find(&x, p, m);
			ok &= id >= 0 && id < SCMITRACE_NR_HISTS && !seen[id]++;
			/* at the first probe: its own entry */
			ok &= x.ent[scmitrace_hist_idx(p, m)] >> 8 == SCMITRACE_OWNER(p, m);
		}
	check(ok, "64 standard pairs: 64 distinct histograms, each at its own entry");
	ok = 1;
	for (p = 0x10; p <= 0x13; p++)
		for (m = 0; m < 16; m++)
			ok &= scmitrace_hist_find(&x, p, m) == scmitrace_hist_find(&x, p, m);
	check(ok && scmitrace_hist_find(&x, 0x14, 6) == -1 && x.next == SCMITRACE_NR_HISTS,
	      "the same pair finds its histogram again; a 65th pair gets none");

	/* vendor protocols that fold onto one entry take the next ones */
	memset(&x, 0, sizeof(x));
	ok = 1;
	for (p = 0; p < SCMITRACE_HIST_PROBES; p++)
		ok &= scmitrace_hist_find(&x, 0x14 + 0x20 * (p + 4), 6) == p;
	ok &= scmitrace_hist_find(&x, 0x14 + 0x20 * 4, 6) == 0;
	check(ok && scmitrace_hist_find(&x, 0x14, 6) == -1,
	      "pairs that fold together: 4 probes, the 5th is refused");
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
	check(cur.slots[5] == 1 && cur.slots[9] == 1 &&
	      cur.slots[scmitrace_slot(70000)] == 1 &&
	      lathist_low(scmitrace_slot(70000), SCMITRACE_SUB_BITS) == 64 &&
	      lathist_high(scmitrace_slot(70000), SCMITRACE_SUB_BITS) == 71,
	      "first interval: 5, 9 and 70 us in buckets [5], [9] and [64, 71]");

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
	cpu[0].slots[18] = 0xfffffffeU;
	cpu[0].owner = SCMITRACE_OWNER(0x14, 6);
	reading(&cur, &tot);
	record(0, 20000);	/* bucket 18: [20, 21] us */
	record(0, 20000);
	record(0, 20000);	/* wraps to 1 */
	reading(&cur, &tot);
	check(cpu[0].slots[18] == 1 && cur.slots[18] == 3 && scmitrace_slot(20000) == 18 &&
	      cur.count == 3,
	      "a bucket counter that wraps still gives the interval's 3 samples");
}

static void test_record_bounds(void)
{
	struct scmitrace_hist h;

	memset(&h, 0, sizeof(h));
	scmitrace_hist_record(&h, 1, SCMITRACE_BUCKETS, 0);
	check(log2hist_total(h.slots, SCMITRACE_BUCKETS) == 0 && h.sum_ns == 0,
	      "an out-of-range bucket is not recorded");
	scmitrace_hist_record(&h, ~0ULL, scmitrace_slot(~0ULL), 0);
	check(log2hist_total(h.slots, SCMITRACE_BUCKETS) == 1 &&
	      h.slots[SCMITRACE_BUCKETS - 1] == 1,
	      "the largest latency lands in the last bucket");
}

int main(void)
{
	printf("TAP version 13\n");
	test_slot();
	test_percentile();
	test_idx();
	test_intervals();
	test_straddle();
	test_wrap();
	test_record_bounds();
	printf("1..%d\n", n_test);
	return n_fail ? 1 : 0;
}
