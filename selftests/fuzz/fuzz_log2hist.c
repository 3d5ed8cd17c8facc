// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for include/socbpf/log2hist.h: arbitrary bucket counts,
 * percentiles and max values must give bounded, monotonic estimates, and
 * printing must never overrun.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "socbpf/log2hist.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint32_t slots[LOG2HIST_MAX_SLOTS];
	uint64_t max = 0, prev = 0, v;
	unsigned int n, i, first = LOG2HIST_MAX_SLOTS;
	static FILE *null;
	int pct;

	if (size < 9)
		return 0;
	n = data[0] % LOG2HIST_MAX_SLOTS + 1;
	memcpy(&max, data + 1, sizeof(max));
	data += 9;
	size -= 9;
	memset(slots, 0, sizeof(slots));
	for (i = 0; i < n && size >= 4; i++, data += 4, size -= 4) {
		memcpy(&slots[i], data, 4);
		slots[i] &= 0xffffff;	/* keep totals exact in a double */
		if (slots[i] && first == LOG2HIST_MAX_SLOTS)
			first = i;
	}
	/* bucketing agrees with the bounds */
	v = max;
	i = log2hist_slot(v);
	if (v < log2hist_low(i) || v > log2hist_high(i))
		abort();
	/* a max that is below the first bucket is inconsistent; skip bounds checks */
	for (pct = 1; pct <= 100; pct++) {
		uint64_t p = log2hist_percentile(slots, n, pct, max);

		if (first == LOG2HIST_MAX_SLOTS) {
			if (p != 0)
				abort();
			continue;
		}
		if (p < prev)
			abort();
		if (max && max >= log2hist_low(first) && p > max)
			abort();
		prev = p;
	}
	if (!null)
		null = fopen("/dev/null", "w");
	if (null)
		log2hist_print(null, slots, n, "usecs");
	return 0;
}
