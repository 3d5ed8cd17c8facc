// SPDX-License-Identifier: GPL-2.0
/*
 * scmi_hold: test-only fault injection for socbpf_scmi.  Holds the first
 * transfer of one (protocol, message) at scmi:scmi_xfer_begin, i.e. after it
 * took its token and before its command is queued, by spinning in the
 * tracepoint until userspace releases it (or a deadline passes).  A test can
 * then make the platform go away and come back inside that window, which is
 * otherwise a few instructions wide.  Used by tools/scmi-platform/scmi-hold.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

char LICENSE[] SEC("license") = "GPL";

const volatile int targ_proto = -1;
const volatile int targ_msg = -1;
const volatile __u64 max_hold_ns = 5000000000ULL;

/* .bss, shared with userspace through the skeleton */
int holding;		/* 1 while a transfer is held */
int held;		/* transfers held so far (at most one) */
int release;		/* set by userspace to end the hold */
int timed_out;		/* the deadline ended the hold, not userspace */
__u32 held_token;

static __u64 deadline;

static long spin_inner(__u64 i, void *ctx)
{
	if (*(volatile int *)&release)
		return 1;
	if (!(i & 1023) && bpf_ktime_get_ns() > deadline) {
		timed_out = 1;
		return 1;
	}
	return 0;
}

static long spin_outer(__u64 i, void *ctx)
{
	bpf_loop(1 << 20, spin_inner, NULL, 0);
	return *(volatile int *)&release || timed_out;
}

static __always_inline int hold(u8 proto, u8 msg, u16 seq)
{
	if (proto != targ_proto || msg != targ_msg || held)
		return 0;
	held = 1;
	held_token = seq;
	deadline = bpf_ktime_get_ns() + max_hold_ns;
	holding = 1;
	bpf_loop(1 << 20, spin_outer, NULL, 0);
	holding = 0;
	return 0;
}

SEC("raw_tp/scmi_xfer_begin")
int BPF_PROG(hold_xfer, int tid, u8 msg, u8 proto, u16 seq, bool poll)
{
	return hold(proto, msg, seq);
}

/*
 * -T: hold a transfer that timed out between its "timed out" mark (a reply
 * arriving now is discarded as late) and its scmi_xfer_end: the window a
 * late reply at the timeout boundary falls in.
 */
SEC("raw_tp/scmi_xfer_timeout")
int BPF_PROG(hold_timeout, int tid, u8 msg, u8 proto, u16 seq, u32 tmo, bool delayed)
{
	return hold(proto, msg, seq);
}
