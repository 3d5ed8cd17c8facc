// SPDX-License-Identifier: GPL-2.0
/* Host unit tests for include/socbpf/log2hist.h (TAP). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>

#include "socbpf/log2hist.h"
#include "unit_tap.h"

/* Reference: floor(log2(v)) by a loop, 0 for 0. */
static unsigned int ref_slot(uint64_t v)
{
	unsigned int r = 0;

	while (v > 1) {
		v >>= 1;
		r++;
	}
	return r;
}

static void test_slots(void)
{
	int ok = 1;
	unsigned int i;
	uint64_t v;

	ok &= log2hist_slot(0) == 0 && log2hist_slot(1) == 0;
	ok &= log2hist_slot(2) == 1 && log2hist_slot(3) == 1;
	ok &= log2hist_slot(4) == 2 && log2hist_slot(7) == 2;
	ok &= log2hist_slot(8) == 3 && log2hist_slot(1023) == 9;
	ok &= log2hist_slot(1024) == 10;
	check(ok, "slot of small values");

	ok = 1;
	for (i = 0; i < 64; i++) {
		v = 1ULL << i;
		ok &= log2hist_slot(v) == i;
		ok &= log2hist_slot(v - 1) == ref_slot(v - 1);
		ok &= log2hist_slot(v + 1) == ref_slot(v + 1);
		ok &= log2hist_slot(v | (v >> 1)) == i;
	}
	ok &= log2hist_slot(~0ULL) == 63;
	check(ok, "slot at every power of two and its neighbours");

	ok = 1;
	srand(42);
	for (i = 0; i < 100000; i++) {
		v = ((uint64_t)rand() << 33) ^ ((uint64_t)rand() << 11) ^ (uint64_t)rand();
		v >>= rand() % 64;
		ok &= log2hist_slot(v) == ref_slot(v);
	}
	check(ok, "slot matches reference for 100000 random values");

	ok = 1;
	for (i = 0; i < 64; i++) {
		ok &= log2hist_slot(log2hist_low(i)) == i;
		ok &= log2hist_slot(log2hist_high(i)) == i;
		if (i < 63)
			ok &= log2hist_high(i) + 1 == log2hist_low(i + 1);
	}
	check(ok, "bucket bounds are contiguous and consistent with slot()");

	check(log2hist_slot_clamp(1ULL << 40, 27) == 26 &&
	      log2hist_slot_clamp(5, 27) == 2, "slot_clamp puts overflow in last bucket");
}

static void test_percentiles(void)
{
	uint32_t s[LOG2HIST_MAX_SLOTS];
	uint64_t p50, p90, p99;

	memset(s, 0, sizeof(s));
	check(log2hist_percentile(s, 27, 50, 0) == 0, "percentile of empty histogram is 0");

	/* 100 values all in [8, 15] */
	s[3] = 100;
	p50 = log2hist_percentile(s, 27, 50, 0);
	p99 = log2hist_percentile(s, 27, 99, 0);
	check(p50 >= 8 && p50 <= 15 && p99 >= p50 && p99 <= 15,
	      "percentiles stay inside the only bucket");
	check(log2hist_percentile(s, 27, 99, 12) <= 12, "percentile never exceeds max");
	check(log2hist_percentile(s, 27, 100, 13) == 13, "p100 of one bucket is max");

	/* 90 fast (bucket 1: 2..3), 9 medium (bucket 6: 64..127), 1 slow (bucket 10) */
	memset(s, 0, sizeof(s));
	s[1] = 90;
	s[6] = 9;
	s[10] = 1;
	p50 = log2hist_percentile(s, 27, 50, 1500);
	p90 = log2hist_percentile(s, 27, 90, 1500);
	p99 = log2hist_percentile(s, 27, 99, 1500);
	check(p50 >= 2 && p50 <= 3, "p50 lands in the fast bucket");
	check(p90 >= 2 && p90 <= 3, "p90 (rank 90) is the last fast value");
	check(p99 >= 64 && p99 <= 127, "p99 lands in the medium bucket");
	check(log2hist_percentile(s, 27, 99.5, 1500) >= 1024 &&
	      log2hist_percentile(s, 27, 99.5, 1500) <= 1500, "p99.5 lands in slow bucket, <= max");
	check(log2hist_percentile(s, 27, 91, 1500) >= 64, "rank 91 moves to next bucket");

	/* monotonic in pct */
	{
		uint64_t prev = 0, cur;
		int ok = 1;
		double p;

		for (p = 1; p <= 100; p += 0.5) {
			cur = log2hist_percentile(s, 27, p, 1500);
			ok &= cur >= prev;
			prev = cur;
		}
		check(ok, "percentile is monotonic in pct");
	}

	/* last bucket is open-ended: max beyond its nominal high is honoured */
	memset(s, 0, sizeof(s));
	s[4] = 1;
	check(log2hist_percentile(s, 5, 100, 1000) == 1000,
	      "overflow bucket interpolates up to max");
}

static char *print_to_string(const uint32_t *s, unsigned int n, int *lines)
{
	static char buf[8192];
	FILE *f = fmemopen(buf, sizeof(buf), "w");

	if (!f)
		return NULL;
	*lines = log2hist_print(f, s, n, "usecs");
	fclose(f);
	return buf;
}

static void test_print(void)
{
	uint32_t s[LOG2HIST_MAX_SLOTS];
	char *out;
	int lines;

	memset(s, 0, sizeof(s));
	out = print_to_string(s, 27, &lines);
	check(out && lines == 0 && out[0] == '\0', "empty histogram prints nothing");

	s[0] = 3;
	s[1] = 52;
	s[4] = 1;
	out = print_to_string(s, 27, &lines);
	check(out && lines == 5, "prints buckets 0..last non-empty");
	check(out && strstr(out, "usecs") && strstr(out, "count") &&
	      strstr(out, "distribution"), "header has unit, count, distribution");
	check(out && strstr(out, "         0 -> 1          : 3        |**") != NULL,
	      "bucket 0 line is '0 -> 1 : 3 |**'");
	check(out && strstr(out, "         2 -> 3          : 52       |****************************************|") != NULL,
	      "largest bucket has 40 stars");
	check(out && strstr(out, "        16 -> 31         : 1        |*                                       |") != NULL,
	      "small non-empty bucket shows one star");
	check(out && strstr(out, "         4 -> 7          : 0        |                                        |") != NULL,
	      "empty middle bucket printed with no stars");

	memset(s, 0, sizeof(s));
	s[40] = 7;
	out = print_to_string(s, 64, &lines);
	check(out && lines == 41 && strstr(out, "1099511627776") != NULL,
	      "wide values switch to wide columns");
}

int main(void)
{
	printf("TAP version 13\n");
	printf("1..24\n");
	test_slots();
	test_percentiles();
	test_print();
	if (n_test != 24)
		printf("# planned 24 tests, ran %d\n", n_test);
	return n_fail || n_test != 24 ? 1 : 0;
}
