/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Sub-bucketed log2 latency histograms: percentiles within a stated
 * relative error, shared by BPF programs (bucketing) and the userspace tools
 * (bounds, percentiles, folding into the log2 display of log2hist.h).
 *
 * Every power of two [2^e, 2^(e+1)) is split into 2^sb equal sub-buckets
 * ("sb" = sub-bucket bits, 0..LATHIST_MAX_SUB_BITS).  Values below 2^sb have
 * a bucket each.  With S = 2^sb:
 *
 *	v < S:		index = v			(bucket [v, v])
 *	v >= S:		e = floor(log2(v)), g = e - sb + 1,
 *			index = g * S + ((v >> (e - sb)) & (S - 1))
 *
 * Bucket g * S + m (g >= 1) is [(S + m) << (g - 1), ((S + m + 1) << (g - 1)) - 1]:
 * its width w = 2^(g - 1) is at most 1/S of its lower bound.  So for sb = 3
 * (8 sub-buckets per power of two) the values up to 15 are exact, and any
 * larger value is known to within its bucket.
 *
 * Percentiles are nearest-rank: the p-th percentile of N samples is the
 * sample of rank ceil(p / 100 * N) in ascending order.  lathist_percentile()
 * returns the middle of the bucket holding that rank (clamped to the known
 * minimum and maximum), which is within
 *
 *	|estimate - true| <= true / 2^(sb + 1)		(LATHIST_REL_ERR_PPM)
 *
 * of the true percentile: 6.25% for sb = 3, 3.125% for sb = 4.  The one
 * exception is a rank that falls in the last bucket of a histogram whose
 * values were clamped into it (lathist_index_clamp()): that bucket is open
 * above, and the result says so (struct lathist_pct.open).
 *
 * Bucketing is free of libc, loops and divisions and compiles in BPF and
 * the kernel; the percentile part is only built for userspace.  Counts are
 * 32-bit like those of log2hist.h.
 */
#ifndef _SOCBPF_LATHIST_H
#define _SOCBPF_LATHIST_H

#include "log2hist.h"

/* Largest supported number of sub-bucket bits (256 sub-buckets). */
#define LATHIST_MAX_SUB_BITS	8

/*
 * Number of buckets that hold every value below 2^@bits exactly (without
 * clamping), for @bits >= @sb; add one for a bucket that takes the rest.
 * LATHIST_NR(3, 26) = 192: microseconds up to 67 s at 8 per power of two.
 */
#define LATHIST_NR(sb, bits)	(((bits) - (sb) + 1) << (sb))

/* Every 64-bit value at @sb sub-bucket bits. */
#define LATHIST_NR_ALL(sb)	LATHIST_NR(sb, 64)

/* Bound on |estimate - true| / true of a percentile, in parts per million. */
#define LATHIST_REL_ERR_PPM(sb)	(1000000u >> ((sb) + 1))

/* Bucket index of @v at @sb sub-bucket bits (sb <= LATHIST_MAX_SUB_BITS). */
static inline unsigned int lathist_index(LOG2HIST_U64 v, unsigned int sb)
{
	unsigned int e, g;

	if (v < (1ULL << sb))
		return (unsigned int)v;
	e = log2hist_slot(v);
	g = e - sb + 1;
	return (g << sb) | (unsigned int)((v >> (e - sb)) & ((1ULL << sb) - 1));
}

/* Bucket index of @v in a histogram of @n buckets: the last one takes the rest. */
static inline unsigned int lathist_index_clamp(LOG2HIST_U64 v, unsigned int sb,
					       unsigned int n)
{
	unsigned int i = lathist_index(v, sb);

	return i < n ? i : n - 1;
}

/* Smallest value of bucket @idx (~0 past the last bucket of 64-bit values). */
static inline LOG2HIST_U64 lathist_low(unsigned int idx, unsigned int sb)
{
	unsigned int g = idx >> sb;
	LOG2HIST_U64 m = idx & ((1u << sb) - 1);

	if (!g)
		return idx;
	if (g - 1 + sb >= 64)
		return ~0ULL;
	return ((1ULL << sb) | m) << (g - 1);
}

/* Largest value of bucket @idx (inclusive). */
static inline LOG2HIST_U64 lathist_high(unsigned int idx, unsigned int sb)
{
	unsigned int g = idx >> sb;
	LOG2HIST_U64 lo = lathist_low(idx, sb);

	if (!g)
		return lo;
	if (g - 1 + sb >= 64)
		return ~0ULL;
	return lo + ((1ULL << (g - 1)) - 1);
}

#if !defined(__bpf__) && !defined(__KERNEL__)
#include <errno.h>

/* A percentile estimate and what is known about the true value. */
struct lathist_pct {
	uint64_t value;		/* the estimate */
	uint64_t low;		/* the true percentile is in [low, high] */
	uint64_t high;
	unsigned int bucket;	/* index of the bucket holding the rank */
	int open;		/* rank in a clamped last bucket: only low is
				 * certain (high is the known max, or ~0) */
};

/*
 * The @pct percentile (0 < pct <= 100) of the values counted in @counts
 * (@n buckets at @sb sub-bucket bits).  @min and @max are the smallest and
 * largest value seen when known (pass 0 and 0 when not); they narrow the
 * bounds.  Set @clamped when values beyond the last bucket were put into it
 * (lathist_index_clamp()).  Returns 0 and fills @out, -ENODATA for an empty
 * histogram, -EINVAL for bad arguments.
 */
static inline int lathist_percentile(const uint32_t *counts, unsigned int n,
				     unsigned int sb, double pct, uint64_t min,
				     uint64_t max, int clamped,
				     struct lathist_pct *out)
{
	uint64_t total = 0, cum = 0, rank;
	unsigned int i;
	double r;

	if (!counts || !out || !n || sb > LATHIST_MAX_SUB_BITS ||
	    n > LATHIST_NR_ALL(sb) || !(pct > 0 && pct <= 100))
		return -EINVAL;
	for (i = 0; i < n; i++)
		total += counts[i];
	if (!total)
		return -ENODATA;
	/*
	 * pct * total first: exact for integer percentiles, so 7% of 100
	 * is rank 7, not 8; the slack absorbs the rounding of a percentile
	 * such as 99.9 that has no exact binary form.
	 */
	r = pct * (double)total / 100.0;
	rank = (uint64_t)r;
	if ((double)rank < r && r - (double)rank > r * 1e-12)
		rank++;
	if (rank < 1)
		rank = 1;
	if (rank > total)
		rank = total;
	for (i = 0; i < n; i++) {
		uint64_t lo, hi;

		cum += counts[i];
		if (cum < rank)
			continue;
		lo = lathist_low(i, sb);
		hi = lathist_high(i, sb);
		out->open = clamped && i == n - 1 && hi != ~0ULL;
		if (out->open)
			hi = ~0ULL;
		if (max && hi > max)
			hi = max;
		if (lo < min)
			lo = min;
		if (hi < lo)	/* min/max inconsistent with the counts */
			hi = lo;
		out->bucket = i;
		out->low = lo;
		out->high = hi;
		if (out->open)
			out->value = max ? hi : lo;
		else
			out->value = lo + (hi - lo) / 2;
		return 0;
	}
	return -ENODATA;	/* not reached: cum ends at total >= rank */
}

/*
 * Fold @n buckets at @sb sub-bucket bits into @nslots log2hist buckets
 * (log2hist.h: bucket i is [2^i, 2^(i+1) - 1], bucket 0 is [0, 1]) for the
 * classic display.  Every sub-bucket lies inside one log2 bucket, so the
 * result is exact; the last log2 bucket takes the rest.  Adds to @slots.
 */
static inline void lathist_to_log2(const uint32_t *counts, unsigned int n,
				   unsigned int sb, uint32_t *slots,
				   unsigned int nslots)
{
	unsigned int i;

	if (!nslots)
		return;
	for (i = 0; i < n; i++)
		if (counts[i])
			slots[log2hist_slot_clamp(lathist_low(i, sb), nslots)] +=
				counts[i];
}
#endif /* userspace */

#endif /* _SOCBPF_LATHIST_H */
