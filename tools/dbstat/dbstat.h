/* SPDX-License-Identifier: GPL-2.0 */
/* dbstat: shared between bpf/dbstat.bpf.c and tools/dbstat/dbstat.c */
#ifndef DBSTAT_H
#define DBSTAT_H

#define DBSTAT_SLOTS	26	/* log2 microsecond slots: up to ~33 s */
#define DBSTAT_HOWS	2	/* how the host wrote: 0 CPU store, 1 DMA */
#define DBSTAT_PENDING	1024

/* a doorbell, as both sides name it: its MSI message */
struct dbstat_key {
	__u64 addr;
	__u32 data;
	__u32 pad;
};

struct dbstat_pending {
	__u64 ts;
	__u32 how;
	__u32 pad;
};

enum dbstat_counter {
	DBSTAT_ALLOCS,		/* socbpf_doorbell_alloc, ret 0 */
	DBSTAT_ALLOC_FAILS,	/* socbpf_doorbell_alloc, ret < 0 */
	DBSTAT_PUBLISHES,
	DBSTAT_RETRACTS,
	DBSTAT_HOST_CPU,	/* host writes by CPU store */
	DBSTAT_HOST_DMA,	/* host writes by DMA */
	DBSTAT_RINGS,		/* rings received */
	DBSTAT_MATCHED,		/* rings with a host write before them */
	DBSTAT_PENDING_FULL,	/* host writes not recorded: map full */
	DBSTAT_NR_COUNTERS,
};

#endif /* DBSTAT_H */
