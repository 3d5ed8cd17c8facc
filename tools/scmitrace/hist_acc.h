/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * scmitrace's histogram arithmetic, kept out of the tool so it can be unit
 * tested on the host (selftests/unit/test_scmitrace_hist.c).
 *
 * The BPF side keeps cumulative per-CPU histograms (struct scmitrace_hist).
 * Each reading sums them into one struct hist_acc per (protocol, message);
 * the interval's histogram is that sum minus the previous one.  Counters
 * only grow and wrap modulo their width, so plain unsigned subtraction is
 * exact as long as one interval adds less than 2^32 samples to a bucket.
 *
 * Userspace only, no allocation, no I/O.
 */
#ifndef _SCMITRACE_HIST_ACC_H
#define _SCMITRACE_HIST_ACC_H

#include <stdbool.h>
#include <linux/types.h>
#include "scmitrace.h"
#include "socbpf/lathist.h"

struct hist_acc {
	bool used;
	__u32 slots[SCMITRACE_BUCKETS];
	__u64 count;
	__u64 sum_ns;
	__u64 max_ns;		/* interval: its maximum; total: since the start */
	__u64 imax_ns;		/* maximum of epoch @done, while summing */
};

/*
 * Add one CPU's histogram @h, read after userspace ended epoch @done (set
 * hist_epoch to @done + 1), to the sum @a.
 */
static inline void hist_acc_add(struct hist_acc *a, const struct scmitrace_hist *h,
				__u32 done)
{
	unsigned int i, p = done & 1;

	a->used = true;
	for (i = 0; i < SCMITRACE_BUCKETS; i++) {
		a->slots[i] += h->slots[i];
		a->count += h->slots[i];
	}
	a->sum_ns += h->sum_ns;
	if (h->max_ns > a->max_ns)
		a->max_ns = h->max_ns;
	if (h->imax_epoch[p] == done && h->imax_ns[p] > a->imax_ns)
		a->imax_ns = h->imax_ns[p];
}

/*
 * @now holds the sums just read, @prev the previous ones (all zero before
 * the first reading).  Turns @now into the interval's histogram (its maximum
 * is the maximum of the epoch that ended) and @prev into the new cumulative
 * one (maximum since the start).
 */
static inline void hist_acc_interval(struct hist_acc *now, struct hist_acc *prev)
{
	struct hist_acc cum = *now;
	unsigned int i;

	if (!now->used)
		return;
	now->count = 0;
	for (i = 0; i < SCMITRACE_BUCKETS; i++) {
		now->slots[i] -= prev->slots[i];
		now->count += now->slots[i];
	}
	now->sum_ns -= prev->sum_ns;
	now->max_ns = now->count ? now->imax_ns : 0;
	now->imax_ns = 0;
	*prev = cum;
	prev->imax_ns = 0;
}

/*
 * The @pct percentile of @a in microseconds: from the sub-bucketed
 * histogram, within 1/16 of the true nearest-rank percentile
 * (LATHIST_REL_ERR_PPM) and never above the maximum; 0 when empty.  When
 * the nearest rank is the last sample (P99 of fewer than 100, any
 * percentile of one), that sample is the maximum: exact.
 */
static inline __u64 hist_acc_pct_us(const struct hist_acc *a, double pct)
{
	struct lathist_pct p;

	if (a->count && (double)a->count * pct / 100.0 > (double)(a->count - 1))
		return a->max_ns / 1000;
	if (lathist_percentile(a->slots, SCMITRACE_BUCKETS, SCMITRACE_SUB_BITS, pct,
			       0, a->max_ns / 1000, 1, &p))
		return 0;
	return p.value;
}

#endif /* _SCMITRACE_HIST_ACC_H */
