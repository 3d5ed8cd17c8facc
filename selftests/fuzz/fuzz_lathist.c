// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for include/socbpf/lathist.h: arbitrary values are
 * bucketed at an arbitrary sub-bucket width; every value must lie inside its
 * bucket, percentiles must be monotonic, hold the exact nearest-rank
 * percentile inside [low, high] and stay within the stated relative error,
 * and folding must keep the count.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "socbpf/lathist.h"

#define NV	256

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint32_t c[LATHIST_NR_ALL(LATHIST_MAX_SUB_BITS)];
	uint64_t v[NV], min = ~0ULL, max = 0, prev = 0;
	uint32_t slots[LOG2HIST_MAX_SLOTS];
	unsigned int sb, n, nv = 0, i, pct;
	uint64_t folded = 0;

	if (size < 2)
		return 0;
	sb = data[0] % (LATHIST_MAX_SUB_BITS + 1);
	/* second byte: how many low bits to keep, so small values get fuzzed */
	i = data[1] % 64 + 1;
	/* just the buckets those values can reach (all of them for i = 64) */
	n = LATHIST_NR(sb, i > sb ? i : sb);
	data += 2;
	size -= 2;
	memset(c, 0, sizeof(c));
	for (; size >= 8 && nv < NV; data += 8, size -= 8) {
		uint64_t x;
		unsigned int k;

		memcpy(&x, data, 8);
		if (i < 64)
			x &= (1ULL << i) - 1;
		k = lathist_index(x, sb);
		if (k >= n || x < lathist_low(k, sb) || x > lathist_high(k, sb))
			abort();
		c[k]++;
		v[nv++] = x;
		if (x < min)
			min = x;
		if (x > max)
			max = x;
	}
	if (!nv)
		return 0;
	qsort(v, nv, sizeof(v[0]), cmp_u64);
	for (pct = 1; pct <= 100; pct += pct < 90 ? 7 : 1) {
		struct lathist_pct p;
		unsigned int rank = (pct * nv + 99) / 100;
		uint64_t t = v[rank ? rank - 1 : 0];
		long double err;

		if (lathist_percentile(c, n, sb, pct, min, max, 0, &p))
			abort();
		if (p.value < prev || t < p.low || t > p.high || p.open)
			abort();
		err = (long double)(p.value > t ? p.value - t : t - p.value);
		if (err * (1ULL << (sb + 1)) > (long double)t)
			abort();
		prev = p.value;
	}
	memset(slots, 0, sizeof(slots));
	lathist_to_log2(c, n, sb, slots, LOG2HIST_MAX_SLOTS);
	for (i = 0; i < LOG2HIST_MAX_SLOTS; i++)
		folded += slots[i];
	if (folded != nv)
		abort();
	return 0;
}
