// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for scmitrace's histograms (scmitrace_slot,
 * scmitrace_hist_record and tools/scmitrace/hist_acc.h): an arbitrary
 * sequence of per-CPU samples and readings.  Each sample's bucket must be
 * log2 of its microseconds.  The intervals must add up to the totals, each interval's
 * buckets to its count, and an interval's maximum must be one of its samples
 * (or 0 when it has none) and never above the run's maximum.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <linux/types.h>

#include "socbpf/log2hist.h"
#include "../../tools/scmitrace/hist_acc.h"

#define NCPU 4

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct scmitrace_hist cpu[NCPU];
	struct hist_acc cur, tot, sum;
	__u64 lat, imax = 0, n_int = 0, run_max = 0;
	__u32 epoch = 0, done;
	unsigned int i, c;

	memset(cpu, 0, sizeof(cpu));
	memset(&tot, 0, sizeof(tot));
	memset(&sum, 0, sizeof(sum));
	if (size >= 4) {
		memcpy(&epoch, data, 4);	/* any starting epoch */
		data += 4;
		size -= 4;
	}
	while (size >= 5) {
		c = data[0];
		memcpy(&lat, data + 1, 4);
		lat = (lat << (data[0] >> 4 & 7)) & 0xffffffffffULL;
		data += 5;
		size -= 5;
		/* the programs' bucket holds the latency's microseconds */
		i = scmitrace_slot(lat);
		if (i >= SCMITRACE_BUCKETS || lat / 1000 < lathist_low(i, SCMITRACE_SUB_BITS) ||
		    (i < SCMITRACE_BUCKETS - 1 &&
		     lat / 1000 > lathist_high(i, SCMITRACE_SUB_BITS)))
			abort();
		if ((c & 0xf) < NCPU) {
			scmitrace_hist_record(&cpu[c & 0xf], lat, scmitrace_slot(lat), epoch);
			n_int++;
			if (lat > imax)
				imax = lat;
			if (lat > run_max)
				run_max = lat;
			continue;
		}
		/* a reading */
		done = epoch++;
		memset(&cur, 0, sizeof(cur));
		for (i = 0; i < NCPU; i++)
			hist_acc_add(&cur, &cpu[i], done);
		hist_acc_interval(&cur, &tot);
		if (cur.used && (cur.count != n_int ||
				 log2hist_total(cur.slots, SCMITRACE_BUCKETS) != n_int))
			abort();
		if (cur.used && cur.max_ns != imax)
			abort();
		if (tot.max_ns != run_max || cur.max_ns > tot.max_ns)
			abort();
		sum.count += cur.count;
		sum.sum_ns += cur.sum_ns;
		if (sum.count != tot.count || sum.sum_ns != tot.sum_ns)
			abort();
		n_int = 0;
		imax = 0;
	}
	return 0;
}
