/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * scmitrace: types shared by bpf/scmitrace.bpf.c and tools/scmitrace.
 * Plain fixed-width types only: this header is read by clang -target bpf
 * (with vmlinux.h) and by the userspace tool (with <linux/types.h>).
 */
#ifndef _SCMITRACE_H
#define _SCMITRACE_H

/* log2 latency buckets in microseconds: bucket 26 holds >= 64 s */
#define SCMITRACE_SLOTS		27
#define SCMITRACE_MAX_HISTS	4096
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
};

struct scmitrace_hist_key {
	__u8 proto;
	__u8 msg;
	__u16 pad;
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
	__u32 slots[SCMITRACE_SLOTS];	/* their sum is the sample count */
	__u32 owner;		/* direct-array entry: SCMITRACE_OWNER(), 0 free */
	__u64 sum_ns;
	__u64 max_ns;		/* since the start */
	__u64 imax_ns[2];	/* maximum of the epoch in imax_epoch[] */
	__u32 imax_epoch[2];
};

/*
 * Histograms live in a per-CPU array indexed by (protocol, message) folded to
 * 10 bits, which the BPF side looks up without a helper call.  The standard
 * protocols (0x10-0x1f) with messages below 32 never share an entry; a pair
 * that finds its entry owned by another pair on that CPU goes to the per-CPU
 * hash "hists" instead.
 */
#define SCMITRACE_HIST_DIRECT	1024
#define SCMITRACE_OWNER(proto, msg)	(0x10000u | (__u32)(proto) << 8 | (msg))

static inline __u32 scmitrace_hist_idx(__u8 proto, __u8 msg)
{
	return (__u32)(proto & 0x1f) << 5 | (msg & 0x1f);
}

/*
 * Record a latency of @lat_ns in bucket @slot of @h during interval epoch
 * @epoch: what the BPF programs do (here so the host tests run it too).
 */
static inline void scmitrace_hist_record(struct scmitrace_hist *h, __u64 lat_ns,
					 __u32 slot, __u32 epoch)
{
	__u32 i = epoch & 1;

	if (slot >= SCMITRACE_SLOTS)
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
 * One step of the search.  The empty asm keeps the compiler from turning the
 * branch into two computed values and a select, which costs BPF (no
 * conditional move) the compare twice.
 */
#define SCMITRACE_SLOT_STEP(v, s, k)					\
	do {								\
		if ((v) >= 1000ULL << (k)) {				\
			(v) >>= (k);					\
			(s) += (k);					\
			__asm__ __volatile__("" : "+r"(v));		\
		}							\
	} while (0)

/*
 * The histogram bucket of a latency of @lat_ns: floor(log2(microseconds)),
 * 0 below 2 us, SCMITRACE_SLOTS - 1 from 2^26 us on.  Exactly
 * log2hist_slot_clamp(lat_ns / 1000, SCMITRACE_SLOTS) without the
 * division: floor(v / 2^k) >= 1000 << j exactly when v >= 1000 << (j + k), so
 * a binary search on thresholds scaled by 1000 can shift v as it goes.
 */
static inline __u32 scmitrace_slot(__u64 lat_ns)
{
	__u64 v = lat_ns;
	__u32 s = 0;

	if (v >= 1000ULL << (SCMITRACE_SLOTS - 1))
		return SCMITRACE_SLOTS - 1;
	/* here v < 1000 << 26, so the steps find at most 16 + 8 + 1 = 25 */
	SCMITRACE_SLOT_STEP(v, s, 16);
	SCMITRACE_SLOT_STEP(v, s, 8);
	SCMITRACE_SLOT_STEP(v, s, 4);
	SCMITRACE_SLOT_STEP(v, s, 2);
	return s + (v >= 1000ULL << 1);
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
	__u16 pad;
	/*
	 * Per-token counts of the two events every transfer has, kept here
	 * (one cache line the program already holds) instead of in the
	 * per-CPU counters: userspace sums them over the tokens.  Only the
	 * transfer that owns the token updates them.
	 */
	__u32 begins;		/* SC_BEGIN */
	__u32 resps;		/* SC_RESP */
	__u32 pad2;
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
