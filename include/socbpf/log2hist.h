/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Power-of-two histograms, shared by BPF programs (bucketing) and the
 * userspace tools (percentiles, printing).
 *
 * Bucket i holds the values v with floor(log2(v)) == i, except bucket 0,
 * which also holds v == 0.  So bucket 0 is [0, 1], bucket 1 is [2, 3],
 * bucket 2 is [4, 7], ... and bucket i (i >= 1) is [2^i, 2^(i+1) - 1].
 * The printed form is the one of the bcc tools:
 *
 *      usecs               : count    distribution
 *          0 -> 1          : 3        |**                                      |
 *          2 -> 3          : 52       |****************************************|
 *
 * The bucketing part is free of libc and compiles in BPF (define nothing);
 * the percentile and printing parts are only built for userspace (they are
 * skipped when __bpf__ or __KERNEL__ is defined).
 */
#ifndef _SOCBPF_LOG2HIST_H
#define _SOCBPF_LOG2HIST_H

#if defined(__bpf__) || defined(__KERNEL__)
#define LOG2HIST_U64 __u64
#define LOG2HIST_U32 __u32
#else
#include <stdint.h>
#define LOG2HIST_U64 uint64_t
#define LOG2HIST_U32 uint32_t
#endif

/* Number of buckets: bucket 63 is the last one a 64-bit value can reach. */
#define LOG2HIST_MAX_SLOTS 64

/* floor(log2(v)) for v >= 1, and 0 for v == 0; no loops, BPF friendly. */
static inline unsigned int log2hist_slot(LOG2HIST_U64 v)
{
	unsigned int r = 0, s;

	s = (v > 0xffffffffULL) << 5; v >>= s; r |= s;
	s = (v > 0xffffULL) << 4; v >>= s; r |= s;
	s = (v > 0xffULL) << 3; v >>= s; r |= s;
	s = (v > 0xfULL) << 2; v >>= s; r |= s;
	s = (v > 0x3ULL) << 1; v >>= s; r |= s;
	r |= (unsigned int)(v >> 1);
	return r;
}

/* Bucket for v in a histogram of @nslots buckets: the last one takes the rest. */
static inline unsigned int log2hist_slot_clamp(LOG2HIST_U64 v, unsigned int nslots)
{
	unsigned int s = log2hist_slot(v);

	return s < nslots ? s : nslots - 1;
}

/* Smallest and largest value of bucket @i (inclusive). */
static inline LOG2HIST_U64 log2hist_low(unsigned int i)
{
	return i == 0 ? 0 : (i >= 64 ? ~0ULL : 1ULL << i);
}

static inline LOG2HIST_U64 log2hist_high(unsigned int i)
{
	return i >= 63 ? ~0ULL : (1ULL << (i + 1)) - 1;
}

#if !defined(__bpf__) && !defined(__KERNEL__)
#include <stdio.h>
#include <string.h>

/* Sum of all buckets. */
static inline uint64_t log2hist_total(const uint32_t *slots, unsigned int n)
{
	uint64_t t = 0;
	unsigned int i;

	for (i = 0; i < n; i++)
		t += slots[i];
	return t;
}

/*
 * Estimate the @pct percentile (0 < pct <= 100) of the values that were
 * bucketed into @slots.  The rank is ceil(pct/100 * total); inside the
 * bucket that holds that rank the values are assumed to be spread evenly
 * over [low, high], so the result is interpolated.  When @max (the largest
 * value seen; 0 if unknown) is known the estimate never exceeds it.
 * Returns 0 for an empty histogram.
 */
static inline uint64_t log2hist_percentile(const uint32_t *slots, unsigned int n,
					   double pct, uint64_t max)
{
	uint64_t total = log2hist_total(slots, n), cum = 0, rank;
	unsigned int i;
	double r;

	if (!total || n == 0)
		return 0;
	if (pct <= 0)
		pct = 0;
	if (pct > 100)
		pct = 100;
	r = pct / 100.0 * (double)total;
	rank = (uint64_t)r;
	if ((double)rank < r)
		rank++;
	if (rank == 0)
		rank = 1;
	for (i = 0; i < n; i++) {
		uint64_t lo, hi, est;
		double frac, off;

		if (!slots[i])
			continue;
		if (cum + slots[i] < rank) {
			cum += slots[i];
			continue;
		}
		lo = log2hist_low(i);
		hi = i == n - 1 && max > log2hist_high(i) ? max : log2hist_high(i);
		/* position of the rank inside this bucket, in (0, 1] */
		frac = (double)(rank - cum) / (double)slots[i];
		off = frac * (double)(hi - lo) + 0.5;
		/* doubles round up near 2^64: never convert out of range */
		est = off >= (double)(hi - lo) ? hi : lo + (uint64_t)off;
		if (max && est > max)
			est = max;
		if (est < lo && (!max || lo <= max))
			est = lo;
		return est;
	}
	return max;
}

/*
 * Print a histogram like the bcc tools do, from bucket 0 up to the last
 * non-empty bucket; @unit is the column title ("usecs").  Returns the number
 * of lines printed (0 for an empty histogram, which prints nothing).
 */
static inline int log2hist_print(FILE *f, const uint32_t *slots, unsigned int n,
				 const char *unit)
{
	const int width = 40;
	unsigned int i, last = 0;
	uint32_t vmax = 0;
	int lines = 0, wide;
	char stars[41];

	for (i = 0; i < n; i++) {
		if (slots[i]) {
			last = i;
			if (slots[i] > vmax)
				vmax = slots[i];
		}
	}
	if (!vmax)
		return 0;
	/* wide columns once the bounds need more than 10 digits */
	wide = log2hist_high(last) > 9999999999ULL;
	if (wide)
		fprintf(f, "%*s%-*s : count     distribution\n", 15, "",
			20, unit);
	else
		fprintf(f, "%*s%-*s : count    distribution\n", 5, "", 19, unit);
	for (i = 0; i <= last; i++) {
		int nstars = (int)((uint64_t)slots[i] * width / vmax);

		/* a non-empty bucket always shows at least one star */
		if (slots[i] && !nstars)
			nstars = 1;
		memset(stars, '*', nstars);
		stars[nstars] = '\0';
		if (wide)
			fprintf(f, "%-20llu -> %-20llu : %-8u |%-*s|\n",
				(unsigned long long)log2hist_low(i),
				(unsigned long long)log2hist_high(i),
				slots[i], width, stars);
		else
			fprintf(f, "%10llu -> %-10llu : %-8u |%-*s|\n",
				(unsigned long long)log2hist_low(i),
				(unsigned long long)log2hist_high(i),
				slots[i], width, stars);
		lines++;
	}
	return lines;
}
#endif /* userspace */

#endif /* _SOCBPF_LOG2HIST_H */
