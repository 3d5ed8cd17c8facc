/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * scmitrace: types shared by bpf/scmitrace.bpf.c and tools/scmitrace.
 * Plain fixed-width types only: this header is read by clang -target bpf
 * (with vmlinux.h) and by the userspace tool (with <linux/types.h>).
 */
#ifndef _SCMITRACE_H
#define _SCMITRACE_H

#include "socbpf/lathist.h"

/*
 * Latency histograms in microseconds, sub-bucketed log2 (socbpf/lathist.h):
 * 8 buckets per power of two (SCMITRACE_SUB_BITS), exact below 16 us, so
 * percentiles are within 1/16 (6.25%) of the true ones; the last bucket
 * takes everything from 2^26 us (67 s) on.  The classic display folds them
 * into SCMITRACE_SLOTS log2 buckets (the last one, 26, holds >= 64 s).
 */
#define SCMITRACE_SUB_BITS	3
#define SCMITRACE_BUCKETS	(LATHIST_NR(SCMITRACE_SUB_BITS, 26) + 1)
#define SCMITRACE_SLOTS		27
/* SCMI tokens are 10 bits (a power of two: the array is indexed by mask) */
#define SCMITRACE_TOKENS	1024
#define SCMITRACE_ETIMEDOUT	110

/* SCMI message types (bits 9:8 of the header) */
#define SCMITRACE_MSG_COMMAND		0	/* a command's response */
#define SCMITRACE_MSG_DELAYED_RESP	2
#define SCMITRACE_MSG_NOTIFICATION	3

/* per-token flags */
#define SCMITRACE_F_RESP	0x01	/* response (type 0) seen */
#define SCMITRACE_F_DRESP	0x02	/* delayed response (type 2) seen */
#define SCMITRACE_F_WAIT	0x04	/* scmi_xfer_response_wait seen */
#define SCMITRACE_F_POLL	0x08	/* polled transfer */
#define SCMITRACE_F_LATE	0x10	/* a late response was already counted */
#define SCMITRACE_F_SENT	0x20	/* its command went out (msg_dump "CMND") */
#define SCMITRACE_F_ASYNC	0x40	/* it waits for a delayed response (socbpf
					 * extra event scmi_xfer_async_end seen) */
#define SCMITRACE_F_DTIMEOUT	0x80	/* its delayed response timed out */

/* flags2 */
#define SCMITRACE_F2_INFERRED	0x01	/* its response was inferred at its end */

/*
 * A delayed response traced this soon after the end of a transfer whose
 * response was inferred was the out-of-order one that woke it (upstream
 * completes the waiter before it traces that message).
 */
#define SCMITRACE_OOO_RACE_NS	10000000ULL

/*
 * Upstream's wait for a delayed response (driver.c, do_xfer_with_response:
 * SCMI_MAX_RESPONSE_TIMEOUT, 2 s, not configurable); a discarded delayed
 * response that comes later than this after its transfer's response was
 * waited for in vain: a late one.
 */
#define SCMITRACE_DRESP_TIMEOUT_NS	2000000000ULL

/* upstream's enum scmi_bad_msg (common.h): msg_dump status of a '!' dump */
#define SCMITRACE_BAD_UNEXPECTED	(-1)	/* no transfer holds the token */
#define SCMITRACE_BAD_INVALID		(-2)	/* its transfer does not expect it */

enum scmitrace_counter {
	SC_BEGIN,		/* scmi_xfer_begin (after filters)
				 * (userspace: sum of the tokens' begins) */
	SC_XFERS,		/* scmi_xfer_end matched to a begin: histogrammed
				 * (userspace: histogram samples + SC_HIST_DROPS) */
	SC_OK,			/* ... with status 0 (userspace: the others) */
	SC_ERRORS,		/* ... with another non-timeout error */
	SC_TIMEOUTS,		/* ... with status -ETIMEDOUT */
	SC_END_UNMATCHED,	/* scmi_xfer_end without a begin (began before us) */
	SC_WAITS,		/* scmi_xfer_response_wait */
	SC_RESP,		/* response for a transfer in flight
				 * (userspace: sum of the tokens' resps) */
	SC_DRESP,		/* rx_done delayed response for a known transfer */
	SC_NOTIF,		/* rx_done notification */
	SC_LATE,		/* rx_done for the token of a timed-out transfer */
	SC_GHOST,		/* rx_done for a token that has no transfer */
	SC_OOO,			/* delayed response before its response */
	SC_DUP,			/* a message its transfer already had */
	SC_OOO_RESP_DROPPED,	/* response trailing an out-of-order dresp */
	SC_BAD_DUMP,		/* scmi_msg_dump with a '!' tag (upstream bad msg) */
	SC_EV_DROPS,		/* ring buffer full */
	SC_HIST_DROPS,		/* transfers no histogram could take */
	SC_UNTRACKED,		/* a reply the driver accepted for a transfer
				 * that began before scmitrace attached */
	SC_UNEXP_DRESP,		/* a delayed response its (sync) transfer did
				 * not expect */
	SC_DRESP_TIMEOUTS,	/* delayed responses waited for in vain: seen
				 * (socbpf's scmi_xfer_async_end) or inferred
				 * from a late delayed response (upstream) */
	SC_SEND_FAILED,		/* began, never sent (userspace: from the tokens) */
	SC_RECURSION,		/* events the kernel did not run a program for
				 * (userspace: bpf_prog_info.recursion_misses) */
	SC_RESP_INFERRED,	/* responses not seen (a recursion miss) that a
				 * successful end shows were accepted
				 * (userspace: sum of the tokens' inferred) */
	SC_NR,
};

enum scmitrace_ev_kind {
	EV_END = 1,		/* a completed transfer (stream mode) */
	EV_TIMEOUT,		/* transfer ended with -ETIMEDOUT */
	EV_LATE,
	EV_GHOST,
	EV_OOO,
	EV_DUP,
	EV_OOO_RESP,
	EV_UNEXP_DRESP,
	EV_DRESP_TIMEOUT,
	EV_MAX = EV_DRESP_TIMEOUT,
};

struct scmitrace_counters {
	__u64 n[SC_NR];
};

/*
 * One CPU's latency histogram of one (protocol, message).  Cumulative: the
 * BPF side never resets it, userspace subtracts the previous reading for an
 * interval.  The interval maximum cannot be had that way, so it is kept per
 * interval "epoch" (a counter userspace bumps before each reading), in the
 * slot of the epoch's parity: the reader takes the finished epoch's slot
 * while the programs fill the other one.
 */
struct scmitrace_hist {
	__u32 slots[SCMITRACE_BUCKETS];	/* their sum is the sample count */
	__u32 owner;		/* SCMITRACE_OWNER() of its pair, 0 unused */
	__u64 sum_ns;
	__u64 max_ns;		/* since the start */
	__u64 imax_ns[2];	/* maximum of the epoch in imax_epoch[] */
	__u32 imax_epoch[2];
};

/*
 * Each CPU has SCMITRACE_NR_HISTS histograms, handed out in the order the
 * (protocol, message) pairs first end a transfer on that CPU, and an index
 * from the pair to its histogram: SCMITRACE_HIST_INDEX entries addressed by
 * the pair folded to 10 bits, probed linearly for SCMITRACE_HIST_PROBES
 * entries.  The standard protocols (0x10-0x1f) with messages below 32 never
 * share an entry, so they find theirs at the first probe; other pairs
 * (vendor protocols) usually do too.  Only the pairs a CPU has seen cost
 * memory (about 56 KiB per CPU in all), and nothing needs a helper call.
 */
#define SCMITRACE_NR_HISTS	64
#define SCMITRACE_HIST_INDEX	1024
#define SCMITRACE_HIST_PROBES	4
#define SCMITRACE_OWNER(proto, msg)	(0x10000u | (__u32)(proto) << 8 | (msg))

/* index entry: owner << 8 | histogram number; 0 is a free entry */
struct scmitrace_hist_index {
	__u32 next;		/* histograms handed out on this CPU */
	__u32 ent[SCMITRACE_HIST_INDEX];
};

static inline __u32 scmitrace_hist_idx(__u8 proto, __u8 msg)
{
	return (__u32)(proto & 0x1f) << 5 | (msg & 0x1f);
}

/*
 * The histogram number of (@proto, @msg) in one CPU's index @x, handing out
 * a new one on first use; -1 when the pair's probes are all taken by others
 * or the CPU's histograms are used up.  What the BPF programs do (here so
 * the host tests run it too).
 */
static inline int scmitrace_hist_find(struct scmitrace_hist_index *x, __u8 proto,
				      __u8 msg)
{
	__u32 own = SCMITRACE_OWNER(proto, msg), s, e, i, id;

	for (i = 0; i < SCMITRACE_HIST_PROBES; i++) {
		s = (scmitrace_hist_idx(proto, msg) + i) & (SCMITRACE_HIST_INDEX - 1);
		e = x->ent[s];
		if (e >> 8 == own)
			return e & 0xff;
		if (e)
			continue;
		id = x->next;
		if (id >= SCMITRACE_NR_HISTS)
			return -1;
		x->next = id + 1;
		x->ent[s] = own << 8 | id;
		return id;
	}
	return -1;
}

/*
 * Record a latency of @lat_ns in bucket @slot of @h during interval epoch
 * @epoch: what the BPF programs do (here so the host tests run it too).
 */
static inline void scmitrace_hist_record(struct scmitrace_hist *h, __u64 lat_ns,
					 __u32 slot, __u32 epoch)
{
	__u32 i = epoch & 1;

#ifdef __bpf__
	/* clang knows the bound and drops the check the verifier needs */
	__asm__ __volatile__("" : "+r"(slot));
#endif
	if (slot >= SCMITRACE_BUCKETS)
		return;
	h->slots[slot]++;
	h->sum_ns += lat_ns;
	if (lat_ns > h->max_ns)
		h->max_ns = lat_ns;
	if (h->imax_epoch[i] != epoch || lat_ns > h->imax_ns[i]) {
		h->imax_epoch[i] = epoch;
		h->imax_ns[i] = lat_ns;
	}
}

/*
 * The histogram bucket of a latency of @lat_ns: its microseconds, bucketed
 * at SCMITRACE_SUB_BITS; SCMITRACE_BUCKETS - 1 from 2^26 us on.
 */
static inline __u32 scmitrace_slot(__u64 lat_ns)
{
	return lathist_index_clamp(lat_ns / 1000, SCMITRACE_SUB_BITS, SCMITRACE_BUCKETS);
}

/* token states */
#define SCMITRACE_TOK_FREE	0	/* no transfer seen on this token */
#define SCMITRACE_TOK_INFLIGHT	1
#define SCMITRACE_TOK_ENDED	2

/* what is known about one token (array indexed by token) */
struct scmitrace_token {
	__u64 begin_ns;		/* scmi_xfer_begin time */
	__u64 end_ns;		/* scmi_xfer_end time, 0 while in flight */
	__s32 transfer_id;
	__s32 status;		/* of scmi_xfer_end */
	__u32 timeout_ms;	/* from scmi_xfer_response_wait, 0 if unknown */
	__u16 seq;		/* full value of the event's seq field */
	__u8 proto;
	__u8 msg;
	__u8 state;		/* SCMITRACE_TOK_* */
	__u8 flags;		/* SCMITRACE_F_* */
	__u8 flags2;		/* SCMITRACE_F2_* */
	__u8 pad;
	/*
	 * Per-token counts of the two events every transfer has, kept here
	 * (one cache line the program already holds) instead of in the
	 * per-CPU counters: userspace sums them over the tokens.  Only the
	 * transfer that owns the token updates them.
	 */
	__u32 begins;		/* SC_BEGIN */
	__u32 resps;		/* SC_RESP */
	__u32 inferred;		/* SC_RESP_INFERRED, as begins and resps */
};

struct scmitrace_event {
	__u64 ts_ns;		/* event time (CLOCK_MONOTONIC) */
	__u64 lat_ns;		/* END/TIMEOUT: begin->end; OOO: begin->delayed;
				 * LATE: end (timeout)->response; else 0 */
	__s32 transfer_id;
	__s32 status;
	__u16 seq;
	__u8 proto;
	__u8 msg;
	__u8 kind;
	__u8 msg_type;
	__u8 flags;
	__u8 pad;
};

#endif /* _SCMITRACE_H */
