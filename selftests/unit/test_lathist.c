// SPDX-License-Identifier: GPL-2.0
/*
 * Host unit tests for include/socbpf/lathist.h (TAP): bucketing against a
 * reference, bucket bounds, percentiles against the exact nearest-rank
 * percentile of the samples within the stated relative error, folding into
 * log2 buckets.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include <math.h>

#include "socbpf/lathist.h"
#include "unit_tap.h"

static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;

static uint64_t rnd64(void)
{
	uint64_t x = rng_state;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	rng_state = x;
	return x;
}

/* Reference bucket: walk the buckets until one holds v. */
static unsigned int ref_index(uint64_t v, unsigned int sb)
{
	uint64_t s = 1ULL << sb, base, w;
	unsigned int e = 0;

	if (v < s)
		return (unsigned int)v;
	while (e < 63 && (v >> (e + 1)))
		e++;
	/* [2^e, 2^(e+1)) in 2^sb pieces of width 2^(e-sb) */
	w = 1ULL << (e - sb);
	base = 1ULL << e;
	return (unsigned int)((e - sb + 1) << sb) + (unsigned int)((v - base) / w);
}

static void test_index(void)
{
	unsigned int sb, i;
	int ok = 1;
	uint64_t v;

	check(lathist_index(0, 3) == 0 && lathist_index(7, 3) == 7 &&
	      lathist_index(8, 3) == 8 && lathist_index(15, 3) == 15 &&
	      lathist_index(16, 3) == 16 && lathist_index(17, 3) == 16 &&
	      lathist_index(18, 3) == 17 && lathist_index(31, 3) == 23 &&
	      lathist_index(32, 3) == 24, "index of small values at sb=3");

	for (sb = 0; sb <= LATHIST_MAX_SUB_BITS; sb++) {
		for (v = 0; v < 70000; v++)
			ok &= lathist_index(v, sb) == ref_index(v, sb);
		for (i = 0; i < 64; i++) {
			v = 1ULL << i;
			ok &= lathist_index(v, sb) == ref_index(v, sb);
			ok &= lathist_index(v - 1, sb) == ref_index(v - 1, sb);
			ok &= lathist_index(v + 1, sb) == ref_index(v + 1, sb);
		}
		for (i = 0; i < 20000; i++) {
			v = rnd64() >> (rnd64() % 64);
			ok &= lathist_index(v, sb) == ref_index(v, sb);
		}
		ok &= lathist_index(~0ULL, sb) == LATHIST_NR_ALL(sb) - 1;
	}
	check(ok, "index matches the reference for every sb, 0..69999, powers of two, random");

	check(LATHIST_NR(3, 26) == 192 && lathist_index((1ULL << 26) - 1, 3) == 191 &&
	      lathist_index(1ULL << 26, 3) == 192,
	      "LATHIST_NR(3, 26) holds exactly the values below 2^26");
	check(lathist_index_clamp(1ULL << 40, 3, 193) == 192 &&
	      lathist_index_clamp(5000, 3, 193) == lathist_index(5000, 3),
	      "index_clamp puts the rest in the last bucket");
}

static void test_bounds(void)
{
	unsigned int sb, i, n;
	int ok = 1, err_ok = 1;

	for (sb = 0; sb <= LATHIST_MAX_SUB_BITS; sb++) {
		n = LATHIST_NR_ALL(sb);
		ok &= lathist_low(0, sb) == 0;
		ok &= lathist_high(n - 1, sb) == ~0ULL;
		for (i = 0; i < n; i++) {
			uint64_t lo = lathist_low(i, sb), hi = lathist_high(i, sb);

			ok &= lo <= hi;
			ok &= lathist_index(lo, sb) == i && lathist_index(hi, sb) == i;
			if (i + 1 < n)
				ok &= hi + 1 == lathist_low(i + 1, sb);
			/* a bucket never straddles a power of two */
			ok &= log2hist_slot(lo) == log2hist_slot(hi) || lo < 2;
			/*
			 * the middle lathist_percentile() returns is within
			 * the stated error of every value of the bucket
			 */
			err_ok &= (long double)(hi - (lo + (hi - lo) / 2)) <=
				  (long double)lo / (1ULL << (sb + 1));
		}
	}
	check(ok, "bounds are contiguous, cover 0..2^64-1 and agree with index()");
	check(err_ok, "every bucket's middle is within low / 2^(sb+1) of its values");
	check(LATHIST_REL_ERR_PPM(3) == 62500 && LATHIST_REL_ERR_PPM(4) == 31250,
	      "stated relative error: 6.25% at sb=3, 3.125% at sb=4");
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Exact nearest-rank percentile of sorted @s[n], @pct10 in tenths of a percent. */
static uint64_t exact_pct(const uint64_t *s, size_t n, unsigned int pct10)
{
	size_t rank = (pct10 * n + 999) / 1000;

	if (rank < 1)
		rank = 1;
	return s[rank - 1];
}

#define NB_MAX	(LATHIST_NR(LATHIST_MAX_SUB_BITS, 40) + 1)
#define NS	20000

/*
 * Draw @n samples with @gen, bucket them at @sb into @nb buckets and check
 * every percentile 1..100 (and 99.9) against the exact one.  Returns the
 * largest relative error seen, or -1 when the bound is broken.
 */
static double run_dist(uint64_t (*gen)(void), size_t n, unsigned int sb,
		       unsigned int nb)
{
	static uint64_t s[NS];
	static uint32_t c[NB_MAX];
	unsigned int pcts[101];
	double worst = 0;
	uint64_t min = ~0ULL, max = 0;
	unsigned int k;
	size_t i;

	memset(c, 0, sizeof(c));
	for (i = 0; i < n; i++) {
		s[i] = gen();
		c[lathist_index_clamp(s[i], sb, nb)]++;
		if (s[i] < min)
			min = s[i];
		if (s[i] > max)
			max = s[i];
	}
	qsort(s, n, sizeof(s[0]), cmp_u64);
	for (k = 0; k < 100; k++)
		pcts[k] = (k + 1) * 10;
	pcts[100] = 999;
	for (k = 0; k < 101; k++) {
		struct lathist_pct p;
		uint64_t t = exact_pct(s, n, pcts[k]);
		double err;

		if (lathist_percentile(c, nb, sb, pcts[k] / 10.0, min, max, 0, &p))
			return -1;
		if (p.open || t < p.low || t > p.high)
			return -1;
		err = t ? fabs((double)p.value - (double)t) / (double)t :
			  (double)p.value;
		if (err * 1e6 > LATHIST_REL_ERR_PPM(sb))
			return -1;
		if (err > worst)
			worst = err;
	}
	return worst;
}

/* the review's case: samples of 5-9 ms, in microseconds */
static uint64_t gen_5_9ms(void)
{
	return 5000 + rnd64() % 4001;
}

static uint64_t gen_wide(void)
{
	return rnd64() >> (24 + rnd64() % 40);
}

static uint64_t gen_lognormal(void)
{
	double u1 = ((double)(rnd64() >> 11) + 1) / 9007199254740993.0;
	double u2 = (double)(rnd64() >> 11) / 9007199254740992.0;
	double z = sqrt(-2 * log(u1)) * cos(2 * M_PI * u2);

	return (uint64_t)exp(8.5 + 1.2 * z);
}

static uint64_t gen_two_modes(void)
{
	return rnd64() & 1 ? 40 + rnd64() % 10 : 900000 + rnd64() % 200000;
}

static uint64_t gen_const(void)
{
	return 6583;
}

static void test_percentiles(void)
{
	static const struct {
		uint64_t (*gen)(void);
		const char *name;
	} d[] = {
		{ gen_5_9ms, "uniform 5000-9000" },
		{ gen_wide, "wide (0..2^40)" },
		{ gen_lognormal, "lognormal" },
		{ gen_two_modes, "two modes" },
		{ gen_const, "constant" },
	};
	unsigned int sb, k;
	char desc[160];
	struct lathist_pct p;
	uint32_t c[LATHIST_NR(3, 26) + 1];
	double w;

	for (k = 0; k < sizeof(d) / sizeof(d[0]); k++) {
		int ok = 1;
		double worst = 0;

		for (sb = 0; sb <= LATHIST_MAX_SUB_BITS; sb++) {
			w = run_dist(d[k].gen, k == 0 ? 7 : NS, sb, LATHIST_NR(sb, 40) + 1);
			ok &= w >= 0;
			w = run_dist(d[k].gen, NS, sb, LATHIST_NR(sb, 40) + 1);
			ok &= w >= 0;
			if (sb == 3 && w > worst)
				worst = w;
		}
		snprintf(desc, sizeof(desc),
			 "%s: every percentile within true/2^(sb+1) for sb 0..8 (sb=3 worst %.2f%%)",
			 d[k].name, worst * 100);
		check(ok, desc);
	}

	/* 5-9 ms in us: P50 is near 7000, not a bucket edge like 16383 */
	memset(c, 0, sizeof(c));
	for (k = 0; k < 5; k++)
		c[lathist_index(5000 + k * 1000, 3)]++;
	check(!lathist_percentile(c, LATHIST_NR(3, 26) + 1, 3, 50, 5000, 9000, 1, &p) &&
	      p.value >= 7000 - 7000 / 16 && p.value <= 7000 + 7000 / 16 && !p.open,
	      "samples 5,6,7,8,9 ms: P50 within 6.25% of 7000 us");

	/* the values 1..100 (exact at sb=7): the p-th percentile is p */
	{
		uint32_t e[256] = { 0 };
		int ok = 1;

		for (k = 1; k <= 100; k++)
			e[k] = 1;
		for (k = 1; k <= 100; k++)
			ok &= !lathist_percentile(e, 256, 7, k, 0, 0, 0, &p) &&
			      p.value == k;
		e[0] = 900;	/* 1000 samples: rank 999 of P99.9 is the value 99 */
		ok &= !lathist_percentile(e, 256, 7, 99.9, 0, 0, 0, &p) && p.value == 99;
		check(ok, "nearest rank: P7 of 1..100 is 7 (no rounding up), P99.9 of 1000 is rank 999");
	}

	memset(c, 0, sizeof(c));
	check(lathist_percentile(c, 193, 3, 50, 0, 0, 0, &p) == -ENODATA,
	      "empty histogram: -ENODATA");
	c[3] = 1;
	check(lathist_percentile(c, 193, 3, 0, 0, 0, 0, &p) == -EINVAL &&
	      lathist_percentile(c, 193, 3, 100.5, 0, 0, 0, &p) == -EINVAL &&
	      lathist_percentile(c, 193, LATHIST_MAX_SUB_BITS + 1, 50, 0, 0, 0, &p) == -EINVAL &&
	      lathist_percentile(c, 0, 3, 50, 0, 0, 0, &p) == -EINVAL &&
	      lathist_percentile(c, LATHIST_NR_ALL(3) + 1, 3, 50, 0, 0, 0, &p) == -EINVAL &&
	      lathist_percentile(NULL, 193, 3, 50, 0, 0, 0, &p) == -EINVAL,
	      "bad arguments: -EINVAL");
	check(!lathist_percentile(c, 193, 3, 100, 0, 0, 0, &p) && p.value == 3 &&
	      p.low == 3 && p.high == 3, "small values are exact");

	/* a clamped last bucket is open: only its low end is certain */
	memset(c, 0, sizeof(c));
	c[lathist_index_clamp(1ULL << 30, 3, 193)] = 4;
	check(!lathist_percentile(c, 193, 3, 50, 0, 0, 1, &p) && p.open &&
	      p.low == 1ULL << 26 && p.value == 1ULL << 26 && p.high == ~0ULL,
	      "clamped last bucket without max: open, value = its low end");
	check(!lathist_percentile(c, 193, 3, 50, 0, 1ULL << 30, 1, &p) && p.open &&
	      p.value == 1ULL << 30 && p.high == 1ULL << 30,
	      "clamped last bucket with a known max: open, value = max");
}

static void test_fold(void)
{
	static uint32_t c[LATHIST_NR(3, 26) + 1];
	uint32_t got[27], want[27];
	unsigned int i;
	uint64_t v;

	memset(got, 0, sizeof(got));
	memset(want, 0, sizeof(want));
	for (i = 0; i < 50000; i++) {
		v = rnd64() >> (30 + rnd64() % 34);
		c[lathist_index_clamp(v, 3, LATHIST_NR(3, 26) + 1)]++;
		want[log2hist_slot_clamp(v, 27)]++;
	}
	lathist_to_log2(c, LATHIST_NR(3, 26) + 1, 3, got, 27);
	check(!memcmp(got, want, sizeof(got)),
	      "folding into 27 log2 buckets equals bucketing the values directly");
}

int main(void)
{
	printf("TAP version 13\n1..20\n");
	test_index();
	test_bounds();
	test_percentiles();
	test_fold();
	return n_fail ? 1 : 0;
}
