/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Latency histogram of qrtrtop's QMI view: log2 buckets each cut into 8
 * equal sub-buckets, so a bucket is at most 1/8 of its lower bound wide.
 * Values 0..15 have a bucket each (exact). A percentile is reported as the
 * middle of the bucket holding the sample of that rank, so it is within
 * QRTRTOP_LAT_REL_ERR (6.25%) of that sample.
 *
 * The bucketing part has no loops and no libc: it compiles for BPF. The
 * percentile part is userspace only.
 */
#ifndef _SOCBPF_QRTRTOP_LAT_H
#define _SOCBPF_QRTRTOP_LAT_H

#if defined(__bpf__) || defined(__KERNEL__)
#define QLAT_U64 __u64
#else
#include <stdint.h>
#define QLAT_U64 uint64_t
#endif

#define QRTRTOP_LAT_SUB_BITS	3
#define QRTRTOP_LAT_SUB		(1u << QRTRTOP_LAT_SUB_BITS)
/* values up to 2^40 - 1 ns (about 18 minutes); larger go to the last */
#define QRTRTOP_LAT_MAX_LOG2	40
#define QRTRTOP_LAT_SLOTS	((QRTRTOP_LAT_MAX_LOG2 - QRTRTOP_LAT_SUB_BITS + 1) * \
				 QRTRTOP_LAT_SUB)
/* half a sub-bucket over its lower bound: 1 / (2 * 8) */
#define QRTRTOP_LAT_REL_ERR	0.0625

/* floor(log2(v)) for v >= 1; 0 for v == 0 */
static inline unsigned int qlat_log2(QLAT_U64 v)
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

/* Bucket of @v, 0..QRTRTOP_LAT_SLOTS - 1. */
static inline unsigned int qlat_slot(QLAT_U64 v)
{
	unsigned int e, m, slot;

	if (v < 2 * QRTRTOP_LAT_SUB)
		return (unsigned int)v;
	e = qlat_log2(v);
	m = (unsigned int)(v >> (e - QRTRTOP_LAT_SUB_BITS)) &
	    (QRTRTOP_LAT_SUB - 1);
	slot = (e - QRTRTOP_LAT_SUB_BITS + 1) * QRTRTOP_LAT_SUB + m;
	return slot < QRTRTOP_LAT_SLOTS ? slot : QRTRTOP_LAT_SLOTS - 1;
}

/* Smallest value of bucket @slot. */
static inline QLAT_U64 qlat_low(unsigned int slot)
{
	unsigned int e, m;

	if (slot < 2 * QRTRTOP_LAT_SUB)
		return slot;
	e = slot / QRTRTOP_LAT_SUB + QRTRTOP_LAT_SUB_BITS - 1;
	m = slot % QRTRTOP_LAT_SUB;
	return (QLAT_U64)(QRTRTOP_LAT_SUB + m) << (e - QRTRTOP_LAT_SUB_BITS);
}

/* Number of values in bucket @slot. */
static inline QLAT_U64 qlat_width(unsigned int slot)
{
	if (slot < 2 * QRTRTOP_LAT_SUB)
		return 1;
	return qlat_low(slot + 1) - qlat_low(slot);
}

#if !defined(__bpf__) && !defined(__KERNEL__)
/*
 * The @pct percentile (0 < pct <= 100) of the @n samples in @hist: the
 * middle of the bucket holding the sample of rank ceil(pct/100 * n)
 * (exact for values below 16). 0 when the histogram is empty.
 */
static inline double qlat_percentile(const QLAT_U64 *hist, unsigned int nslots,
				     double pct)
{
	QLAT_U64 n = 0, rank, seen = 0;
	unsigned int i;

	for (i = 0; i < nslots; i++)
		n += hist[i];
	if (!n || pct <= 0)
		return 0;
	if (pct > 100)
		pct = 100;
	rank = (QLAT_U64)(pct / 100.0 * (double)n);
	if ((double)rank < pct / 100.0 * (double)n)
		rank++;
	if (!rank)
		rank = 1;
	for (i = 0; i < nslots; i++) {
		seen += hist[i];
		if (seen >= rank)
			break;
	}
	if (i >= nslots)
		i = nslots - 1;
	if (qlat_width(i) == 1)
		return (double)qlat_low(i);
	return (double)qlat_low(i) + (double)(qlat_width(i) - 1) / 2.0;
}
#endif

#endif /* _SOCBPF_QRTRTOP_LAT_H */
