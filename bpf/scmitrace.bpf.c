// SPDX-License-Identifier: GPL-2.0
/*
 * scmitrace: SCMI transfer latency, timeouts, late/ghost responses and
 * out-of-order delayed responses, from the upstream scmi tracepoints only
 * (scmi:scmi_xfer_begin, scmi_xfer_response_wait, scmi_xfer_end, scmi_rx_done
 * and optionally scmi_msg_dump), so it runs on socbpf_scmi and on a stock
 * kernel with the upstream Arm SCMI driver alike.
 *
 * The events live in a module (or in vmlinux on some Arm kernels).  Two sets
 * of programs share one set of handlers: raw tracepoints (the default: the
 * TP_PROTO arguments, stable since the events exist, and cheap because no
 * trace record is built) and classic tracepoints (the fallback) that read the
 * trace record through a CO-RE struct named like the kernel's
 * trace_event_raw_* type, or through the fixed tracepoint ABI layout when no
 * BTF describes the event.
 *
 * Transfers are tracked per token (the header's 10-bit sequence number,
 * "seq" in the events) in a global array: begin -> in flight; end -> ended.  The
 * ended state is kept until the token is reused, so a delayed response after
 * the end, or a late response after a timeout, is told apart from a ghost
 * message for a token nobody used.
 *
 * What arrives from the platform is read from scmi_msg_dump, which the
 * driver fires for every message with a tag naming it: "RESP", "DLYD" and
 * "NOTI" for the messages it accepts (lower case in upstream's raw mode) and,
 * since 6.9, "!RESP", "!DLYD"... for the ones it throws away.  It also dumps
 * each command going out ("CMND"), which is ignored.  scmi_rx_done tells the
 * same about accepted messages (but not polled replies upstream), so it is
 * only attached where scmi_msg_dump does not exist or on request: one hook
 * fewer per message.  scmi_xfer_response_wait (the timeout a transfer waits
 * with) is attached on request too.  The default set is therefore
 * scmi_xfer_begin, scmi_msg_dump and scmi_xfer_end.
 *
 * Messages that match no transfer (a discarded message, or one accepted for
 * a token that is not in flight by a driver that traces every message) are
 * classified from the token's history: late (its transfer timed out),
 * duplicate (it already had that message) or ghost (no transfer used the
 * token).
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>
#include "../tools/scmitrace/scmitrace.h"

char LICENSE[] SEC("license") = "GPL";

/* knobs, set by userspace between open and load */
const volatile bool targ_filter = false;	/* targ_proto or targ_msg set */
const volatile int targ_proto = -1;	/* -1: all protocols */
const volatile int targ_msg = -1;	/* -1: all messages */
const volatile bool targ_stream = false; /* one event per completed transfer */
/*
 * accepted messages come from scmi_msg_dump (else from scmi_rx_done, and
 * scmi_msg_dump only gives discarded messages and polled replies)
 */
const volatile bool targ_rx_dump = true;
/* socbpf's extra event scmi_xfer_async_end is attached */
const volatile bool targ_extra = false;
/*
 * Classic tracepoints without BTF for scmi_msg_dump: where its fields are in
 * the record (from the event's format file); a zero tag offset: unknown.
 * targ_abi: take that path even where BTF describes the records (tests).
 */
const volatile bool targ_abi = false;
const volatile __u32 targ_dump_off_proto;
const volatile __u32 targ_dump_off_msg;
const volatile __u32 targ_dump_off_tag;
const volatile __u32 targ_dump_off_seq;
const volatile __u32 targ_dump_off_status;

/*
 * Since 6.17 upstream's scmi_xfer_begin and scmi_xfer_end end with one more
 * field (and TP_PROTO argument), "int inflight": the agent's count of
 * transfers in flight (kept only with CONFIG_ARM_SCMI_DEBUG_COUNTERS, 0
 * otherwise). The fields before it did not move. Where the kernel has it,
 * it is read and its maximum and last value kept here; where it does not,
 * nothing past the older layout is touched. Raw and CO-RE tracepoints ask
 * BTF whether the record has the field; the fixed-layout fallback (no BTF
 * for the event) is told by userspace, which reads the event's format.
 */
const volatile bool targ_inflight_fmt = false;
__u64 kinflight_events;		/* events that carried the field */
int kinflight_max;
int kinflight_last;

/*
 * Counters and histograms are per CPU: no atomic instruction on the hot
 * path (raw tracepoint programs run with migration disabled).  Both are
 * cumulative: userspace sums the CPUs and subtracts its previous reading
 * (see struct scmitrace_hist for the interval maximum).
 */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct scmitrace_counters);
} counters SEC(".maps");

/* see struct scmitrace_hist_index: pair -> histogram, per CPU */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct scmitrace_hist_index);
} hist_index SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, SCMITRACE_NR_HISTS);
	__type(key, __u32);
	__type(value, struct scmitrace_hist);
} hists SEC(".maps");

/* interval epoch: userspace bumps it before it reads the histograms */
__u32 hist_epoch;

/*
 * Per token, a global array: an access is an address computation, with no
 * lookup to inline and no update or delete; userspace reads it mmapped.
 */
struct scmitrace_token tokens[SCMITRACE_TOKENS];

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 20);
} events SEC(".maps");

/* ---- trace records: CO-RE view ---------------------------------------- */
struct trace_event_raw_scmi_xfer_begin___sb {
	struct trace_entry ent;
	int transfer_id;
	u8 msg_id;
	u8 protocol_id;
	u16 seq;
	bool poll;
	int inflight;		/* 6.17+ */
} __attribute__((preserve_access_index));

struct trace_event_raw_scmi_xfer_response_wait___sb {
	struct trace_entry ent;
	int transfer_id;
	u8 msg_id;
	u8 protocol_id;
	u16 seq;
	u32 timeout;
	bool poll;
} __attribute__((preserve_access_index));

struct trace_event_raw_scmi_xfer_end___sb {
	struct trace_entry ent;
	int transfer_id;
	u8 msg_id;
	u8 protocol_id;
	u16 seq;
	int status;
	int inflight;		/* 6.17+ */
} __attribute__((preserve_access_index));

struct trace_event_raw_scmi_rx_done___sb {
	struct trace_entry ent;
	int transfer_id;
	u8 msg_id;
	u8 protocol_id;
	u16 seq;
	u8 msg_type;
} __attribute__((preserve_access_index));

/* only the fields common to every kernel's layout of this event */
struct trace_event_raw_scmi_msg_dump___sb {
	struct trace_entry ent;
	u8 protocol_id;
	u8 msg_id;
	char tag[5];
	u16 seq;
	int status;
} __attribute__((preserve_access_index));

/* ---- trace records: fixed ABI view (no BTF for the event) -------------- */
struct scmi_xfer_begin_abi {
	u64 ent;
	int transfer_id;
	u8 msg_id;
	u8 protocol_id;
	u16 seq;
	bool poll;
};

struct scmi_xfer_response_wait_abi {
	u64 ent;
	int transfer_id;
	u8 msg_id;
	u8 protocol_id;
	u16 seq;
	u32 timeout;
	bool poll;
};

struct scmi_xfer_end_abi {
	u64 ent;
	int transfer_id;
	u8 msg_id;
	u8 protocol_id;
	u16 seq;
	int status;
};

struct scmi_rx_done_abi {
	u64 ent;
	int transfer_id;
	u8 msg_id;
	u8 protocol_id;
	u16 seq;
	u8 msg_type;
};

/*
 * Read one event into a struct scmi_rec.  With BTF for the event: direct
 * context loads at CO-RE relocated offsets (the verifier only accepts
 * ctx + constant loads).  Without: one copy of the fixed ABI layout.  The
 * branches must not look alike, or clang merges them into pointer arithmetic
 * on ctx that the verifier rejects.
 */
struct scmi_rec {
	int transfer_id;
	int last;		/* poll / timeout / status / msg_type */
	u16 seq;
	u8 msg_id;
	u8 protocol_id;
};

#define READ_REC(ctx, ev, lastf, r)						\
	do {									\
		if (!targ_abi &&						\
		    bpf_core_type_exists(struct trace_event_raw_##ev##___sb)) {	\
			struct trace_event_raw_##ev##___sb *t = (ctx);		\
			(r)->transfer_id = t->transfer_id;			\
			(r)->msg_id = t->msg_id;				\
			(r)->protocol_id = t->protocol_id;			\
			(r)->seq = t->seq;					\
			(r)->last = t->lastf;					\
		} else {							\
			struct ev##_abi t = {};					\
										\
			bpf_probe_read_kernel(&t, sizeof(t), (ctx));		\
			(r)->transfer_id = t.transfer_id;			\
			(r)->msg_id = t.msg_id;					\
			(r)->protocol_id = t.protocol_id;			\
			(r)->seq = t.seq;					\
			(r)->last = t.lastf;					\
		}								\
	} while (0)

/* ------------------------------------------------------------------------ */
static __always_inline void count(int idx)
{
	struct scmitrace_counters *c;
	__u32 zero = 0;

	c = bpf_map_lookup_elem(&counters, &zero);
	if (c && idx >= 0 && idx < SC_NR)
		c->n[idx]++;
}

/*
 * The verifier prunes branches on read-only knobs but keeps the loads that
 * feed them: test one flag first so an unfiltered run pays for one load.
 */
static __always_inline bool filtered(u8 proto, u8 msg)
{
	if (!targ_filter)
		return false;
	if (targ_proto >= 0 && proto != targ_proto)
		return true;
	if (targ_msg >= 0 && msg != targ_msg)
		return true;
	return false;
}

static __always_inline void emit(int kind, u64 now, u64 lat, int tid, int status,
				 u16 seq, u8 proto, u8 msg, u8 msg_type, u8 flags)
{
	struct scmitrace_event *e;

	e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (!e) {
		count(SC_EV_DROPS);
		return;
	}
	e->ts_ns = now;
	e->lat_ns = lat;
	e->transfer_id = tid;
	e->status = status;
	e->seq = seq;
	e->proto = proto;
	e->msg = msg;
	e->kind = kind;
	e->msg_type = msg_type;
	e->flags = flags;
	e->pad = 0;
	bpf_ringbuf_submit(e, 0);
}

/* an event about token @t (its transfer's protocol, message and id) */
static __always_inline void emit_tok(int kind, u64 now, u64 since,
				     struct scmitrace_token *t, u8 type)
{
	emit(kind, now, now - since, t->transfer_id, t->status, t->seq, t->proto,
	     t->msg, type, t->flags);
}

static __always_inline void hist_add(u8 proto, u8 msg, u64 lat_ns)
{
	struct scmitrace_hist_index *x;
	struct scmitrace_hist *h;
	u32 zero = 0;
	int id;

	/* per CPU, and this program does not nest on a CPU: plain updates */
	x = bpf_map_lookup_elem(&hist_index, &zero);
	if (!x)
		goto drop;
	id = scmitrace_hist_find(x, proto, msg);
	if (id < 0)
		goto drop;
	h = bpf_map_lookup_elem(&hists, &id);
	if (!h)
		goto drop;
	h->owner = SCMITRACE_OWNER(proto, msg);
	scmitrace_hist_record(h, lat_ns, scmitrace_slot(lat_ns), hist_epoch);
	return;
drop:
	count(SC_HIST_DROPS);
}

static __always_inline struct scmitrace_token *token(u32 seq)
{
	return &tokens[seq & (SCMITRACE_TOKENS - 1)];
}

static __always_inline int on_begin(int tid, u8 msg, u8 proto, u32 seq, bool poll)
{
	struct scmitrace_token *t;

	if (filtered(proto, msg))
		return 0;
	t = token(seq);
	/*
	 * The token is reused: whatever ended on it before is history now.
	 * end_ns and status are only read once it ended, timeout_ms only
	 * with SCMITRACE_F_WAIT: they need no reset.
	 */
	t->begin_ns = bpf_ktime_get_ns();
	t->transfer_id = tid;
	t->seq = seq;
	t->proto = proto;
	t->msg = msg;
	t->flags = poll ? SCMITRACE_F_POLL : 0;
	t->flags2 = 0;
	t->state = SCMITRACE_TOK_INFLIGHT;
	t->begins++;
	return 0;
}

static __always_inline int on_wait(u32 seq, u32 timeout_ms)
{
	struct scmitrace_token *t = token(seq);

	if (t->state != SCMITRACE_TOK_INFLIGHT || t->seq != seq)
		return 0;
	t->timeout_ms = timeout_ms;
	t->flags |= SCMITRACE_F_WAIT;
	count(SC_WAITS);
	return 0;
}

static __always_inline int on_end(int tid, u8 msg, u8 proto, u32 seq, int status)
{
	struct scmitrace_token *t;
	u64 now, lat;

	if (filtered(proto, msg))
		return 0;
	t = token(seq);
	if (t->state != SCMITRACE_TOK_INFLIGHT || t->seq != seq) {
		count(SC_END_UNMATCHED);
		return 0;
	}
	now = bpf_ktime_get_ns();
	lat = now - t->begin_ns;
	t->end_ns = now;
	t->status = status;
	t->state = SCMITRACE_TOK_ENDED;
	/*
	 * Ended ok without any message seen: the driver accepted one that
	 * scmitrace did not see (taken from scmi_msg_dump, whose program the
	 * kernel does not run for an interrupt that comes while it runs for
	 * a command on that CPU).  Count the response it must have been.
	 */
	if (targ_rx_dump && !status &&
	    !(t->flags & (SCMITRACE_F_RESP | SCMITRACE_F_DRESP))) {
		t->flags |= SCMITRACE_F_RESP;
		t->flags2 |= SCMITRACE_F2_INFERRED;
		t->resps++;
		t->inferred++;
	}

	/* transfers and ok ones are the histogram's samples, less the others */
	hist_add(proto, msg, lat);
	if (status == -SCMITRACE_ETIMEDOUT) {
		count(SC_TIMEOUTS);
		emit(EV_TIMEOUT, now, lat, tid, status, seq, proto, msg, 0, t->flags);
		return 0;
	}
	if (status)
		count(SC_ERRORS);
	if (targ_stream)
		emit(EV_END, now, lat, tid, status, seq, proto, msg, 0, t->flags);
	return 0;
}

/*
 * The response that trails an out-of-order delayed response (which stood in
 * for it): counted once, then further responses are duplicates.
 */
static __always_inline bool ooo_resp(u8 *flags, u8 type)
{
	if (type != SCMITRACE_MSG_COMMAND)
		return false;
	if ((*flags & (SCMITRACE_F_RESP | SCMITRACE_F_DRESP)) != SCMITRACE_F_DRESP)
		return false;
	*flags |= SCMITRACE_F_RESP;
	return true;
}

static __always_inline void ghost(u64 now, u32 seq, int tid, u8 proto, u8 msg, u8 type)
{
	count(SC_GHOST);
	emit(EV_GHOST, now, 0, tid, 0, seq, proto, msg, type, 0);
}

/* accepted by the driver (scmi_rx_done) for a token that is not in flight */
static __always_inline void rx_ended(u64 now, struct scmitrace_token *t, u8 type)
{
	if (t->status == -SCMITRACE_ETIMEDOUT) {
		count(SC_LATE);
		emit_tok(EV_LATE, now, t->end_ns, t, type);
		t->flags |= SCMITRACE_F_LATE;
		return;
	}
	/*
	 * A driver may trace a message after waking its waiter, so the
	 * response can show up just after scmi_xfer_end: it is still the
	 * transfer's own response.
	 */
	if (type == SCMITRACE_MSG_COMMAND &&
	    !(t->flags & (SCMITRACE_F_RESP | SCMITRACE_F_DRESP))) {
		t->flags |= SCMITRACE_F_RESP;
		t->resps++;
		return;
	}
	if (type == SCMITRACE_MSG_DELAYED_RESP && !(t->flags & SCMITRACE_F_DRESP) &&
	    (t->flags2 & SCMITRACE_F2_INFERRED) && now - t->end_ns < SCMITRACE_OOO_RACE_NS) {
		/*
		 * The out-of-order delayed response that woke the transfer,
		 * traced after its end: not the response inferred there.
		 */
		t->flags &= ~SCMITRACE_F_RESP;
		t->flags2 &= ~SCMITRACE_F2_INFERRED;
		t->resps--;
		t->inferred--;
	}
	if (type == SCMITRACE_MSG_DELAYED_RESP && !(t->flags & SCMITRACE_F_DRESP)) {
		/* the usual delayed response of an asynchronous command */
		t->flags |= SCMITRACE_F_DRESP;
		count(SC_DRESP);
		if (!(t->flags & SCMITRACE_F_RESP)) {
			/* ... that ended it without any response */
			count(SC_OOO);
			emit_tok(EV_OOO, now, t->begin_ns, t, type);
		}
		return;
	}
	if (ooo_resp(&t->flags, type)) {
		count(SC_OOO_RESP_DROPPED);
		emit_tok(EV_OOO_RESP, now, t->end_ns, t, type);
		return;
	}
	count(SC_DUP);
	emit_tok(EV_DUP, now, t->end_ns, t, type);
}

static __always_inline int on_rx(int tid, u8 msg, u8 proto, u32 seq, u8 type)
{
	struct scmitrace_token *t;
	u64 now;

	if (filtered(proto, msg))
		return 0;
	if (type == SCMITRACE_MSG_NOTIFICATION) {
		count(SC_NOTIF);
		return 0;
	}
	t = token(seq);
	if (t->state == SCMITRACE_TOK_FREE || t->seq != seq) {
		/*
		 * The driver accepted it, so it had a transfer for it: one
		 * that began before scmitrace attached.  Not a ghost.
		 */
		count(SC_UNTRACKED);
		return 0;
	}
	if (t->state == SCMITRACE_TOK_ENDED) {
		rx_ended(bpf_ktime_get_ns(), t, type);
		return 0;
	}
	/* in flight */
	if (type == SCMITRACE_MSG_DELAYED_RESP) {
		if (t->flags & SCMITRACE_F_DRESP) {
			count(SC_DUP);
			now = bpf_ktime_get_ns();
			emit_tok(EV_DUP, now, t->begin_ns, t, type);
			return 0;
		}
		t->flags |= SCMITRACE_F_DRESP;
		count(SC_DRESP);
		if (!(t->flags & SCMITRACE_F_RESP)) {
			count(SC_OOO);
			now = bpf_ktime_get_ns();
			emit_tok(EV_OOO, now, t->begin_ns, t, type);
		}
		return 0;
	}
	/* a response (type 0), or an unknown type treated as one */
	if (ooo_resp(&t->flags, type)) {
		count(SC_OOO_RESP_DROPPED);
		now = bpf_ktime_get_ns();
		emit_tok(EV_OOO_RESP, now, t->begin_ns, t, type);
		return 0;
	}
	if (t->flags & (SCMITRACE_F_RESP | SCMITRACE_F_DRESP)) {
		count(SC_DUP);
		now = bpf_ktime_get_ns();
		emit_tok(EV_DUP, now, t->begin_ns, t, type);
		return 0;
	}
	t->flags |= SCMITRACE_F_RESP;
	t->resps++;
	return 0;
}

/*
 * A P2A message the driver threw away (reported by scmi_msg_dump with a '!'
 * tag, as upstream's scmi_bad_message_trace() does since 6.9): classify it
 * from the token's history.
 */
static __always_inline void unexp_dresp(u64 now, u64 since, struct scmitrace_token *t)
{
	count(SC_UNEXP_DRESP);
	emit_tok(EV_UNEXP_DRESP, now, since, t, SCMITRACE_MSG_DELAYED_RESP);
}

static __always_inline void late(u64 now, struct scmitrace_token *t, u8 type)
{
	count(SC_LATE);
	emit_tok(EV_LATE, now, t->end_ns, t, type);
	t->flags |= SCMITRACE_F_LATE;
}

/*
 * A delayed response the driver threw away after its transfer ended with
 * status 0.  Upstream refuses one while it still holds the transfer
 * (SCMITRACE_BAD_INVALID) only when the transfer waits for none: a sync
 * command.  Once the transfer is released (SCMITRACE_BAD_UNEXPECTED) it is
 * either a sync command's, or an async command's that came after the wait
 * for it gave up; socbpf_scmi says which (scmi_xfer_async_end), upstream
 * does not, so its 2 s wait decides.
 */
static __always_inline void dresp_after_end(u64 now, struct scmitrace_token *t,
					    int bad)
{
	if (t->flags & SCMITRACE_F_DTIMEOUT) {
		late(now, t, SCMITRACE_MSG_DELAYED_RESP);
		return;
	}
	if (bad == SCMITRACE_BAD_INVALID ||
	    (targ_extra && !(t->flags & SCMITRACE_F_ASYNC)) ||
	    now - t->end_ns < SCMITRACE_DRESP_TIMEOUT_NS) {
		unexp_dresp(now, t->end_ns, t);
		return;
	}
	/* upstream: its wait timed out, which no event of upstream says */
	t->flags |= SCMITRACE_F_DTIMEOUT;
	count(SC_DRESP_TIMEOUTS);
	emit_tok(EV_DRESP_TIMEOUT, now, t->end_ns, t, SCMITRACE_MSG_DELAYED_RESP);
	late(now, t, SCMITRACE_MSG_DELAYED_RESP);
}

/*
 * A P2A message the driver threw away (reported by scmi_msg_dump with a '!'
 * tag, as upstream's scmi_bad_message_trace() does since 6.9, with @bad one
 * of upstream's enum scmi_bad_msg): classify it from the token's history.
 */
static __always_inline void rx_discarded(u64 now, u32 seq, u8 proto, u8 msg, u8 type,
					 int bad)
{
	struct scmitrace_token *t = token(seq);

	if (t->state == SCMITRACE_TOK_FREE || t->seq != seq) {
		ghost(now, seq, -1, proto, msg, type);
		return;
	}
	if (t->state == SCMITRACE_TOK_INFLIGHT) {
		if (ooo_resp(&t->flags, type)) {
			count(SC_OOO_RESP_DROPPED);
			emit_tok(EV_OOO_RESP, now, t->begin_ns, t, type);
			return;
		}
		if (type == SCMITRACE_MSG_DELAYED_RESP && !(t->flags & SCMITRACE_F_DRESP)) {
			/* a delayed response its (sync) transfer does not want */
			unexp_dresp(now, t->begin_ns, t);
			return;
		}
		if (type == SCMITRACE_MSG_COMMAND &&
		    !(t->flags & (SCMITRACE_F_RESP | SCMITRACE_F_DRESP))) {
			/*
			 * Its only response, refused: the driver gave up on the
			 * transfer an instant ago and has not traced its end yet
			 * (a reply at the timeout boundary).  Late, and the end
			 * will say -ETIMEDOUT.
			 */
			t->end_ns = now;
			late(now, t, type);
			return;
		}
		/* it already had this message */
		count(SC_DUP);
		emit_tok(EV_DUP, now, t->begin_ns, t, type);
		return;
	}
	if (t->status == -SCMITRACE_ETIMEDOUT) {
		/* the transfer gave up on its response */
		late(now, t, type);
		return;
	}
	if (ooo_resp(&t->flags, type)) {
		count(SC_OOO_RESP_DROPPED);
		emit_tok(EV_OOO_RESP, now, t->end_ns, t, type);
		return;
	}
	if (type == SCMITRACE_MSG_DELAYED_RESP) {
		if (t->flags & SCMITRACE_F_DRESP) {
			count(SC_DUP);
			emit_tok(EV_DUP, now, t->end_ns, t, type);
			return;
		}
		dresp_after_end(now, t, bad);
		return;
	}
	if (t->flags & (SCMITRACE_F_RESP | SCMITRACE_F_DRESP)) {
		/* it already had its response (or the delayed one for it) */
		count(SC_DUP);
		emit_tok(EV_DUP, now, t->end_ns, t, type);
		return;
	}
	late(now, t, type);
}

/* a message the driver accepted or sent: tag "RESP", "CMND"... */
static __always_inline int on_dump(u8 proto, u8 msg, u32 seq, char t0)
{
	/* upstream's raw mode uses the same tags in lower case */
	char c = t0 | 0x20;
	struct scmitrace_token *t;

	/*
	 * Commands going out ("CMND"), half of all dumps: only mark the
	 * transfer sent (a failed send has no "CMND" and no end upstream).
	 */
	if (c == 'c') {
		t = token(seq);
		if (t->state == SCMITRACE_TOK_INFLIGHT && t->seq == seq)
			t->flags |= SCMITRACE_F_SENT;
		return 0;
	}
	if (!targ_rx_dump) {
		/*
		 * scmi_rx_done reports accepted messages, except the replies
		 * upstream polls for (scmi_wait_for_reply dumps those only).
		 */
		if (c != 'r')
			return 0;
		t = token(seq);
		if (t->state != SCMITRACE_TOK_INFLIGHT || t->seq != seq ||
		    !(t->flags & SCMITRACE_F_POLL))
			return 0;
	}
	switch (c) {
	case 'r':
		return on_rx(-1, msg, proto, seq, SCMITRACE_MSG_COMMAND);
	case 'd':
		return on_rx(-1, msg, proto, seq, SCMITRACE_MSG_DELAYED_RESP);
	case 'n':
		return on_rx(-1, msg, proto, seq, SCMITRACE_MSG_NOTIFICATION);
	}
	return 0;	/* an unknown tag */
}

/* a message the driver threw away: tag "!" then the type, "!RESP"... */
static __always_inline int on_bad_dump(u8 proto, u8 msg, u32 seq, char t1, int bad)
{
	u8 type;

	if (filtered(proto, msg))
		return 0;
	count(SC_BAD_DUMP);
	if (t1 == 'R')
		type = SCMITRACE_MSG_COMMAND;
	else if (t1 == 'D')
		type = SCMITRACE_MSG_DELAYED_RESP;
	else
		return 0;	/* dropped notification or unknown type */
	rx_discarded(bpf_ktime_get_ns(), seq, proto, msg, type, bad);
	return 0;
}

/*
 * socbpf_scmi's extra event: the end of an async transfer's wait for its
 * delayed response (upstream has none, see dresp_after_end()).
 */
static __always_inline int on_async_end(u32 seq, int status)
{
	struct scmitrace_token *t = token(seq);
	u64 now;

	if (t->state != SCMITRACE_TOK_ENDED || t->seq != seq)
		return 0;
	t->flags |= SCMITRACE_F_ASYNC;
	if (status != -SCMITRACE_ETIMEDOUT)
		return 0;
	t->flags |= SCMITRACE_F_DTIMEOUT;
	count(SC_DRESP_TIMEOUTS);
	now = bpf_ktime_get_ns();
	emit_tok(EV_DRESP_TIMEOUT, now, t->end_ns, t, SCMITRACE_MSG_DELAYED_RESP);
	return 0;
}

/* ---- raw tracepoints: the TP_PROTO arguments, no trace record built ---- */

/* the kernel's in-flight count from a 6.17+ scmi_xfer_begin/end */
static __always_inline void note_kinflight(int n)
{
	__sync_fetch_and_add(&kinflight_events, 1);
	kinflight_last = n;
	if (n > kinflight_max)
		kinflight_max = n;
}

/*
 * The 6.17+ prototype appends "int inflight": read that sixth argument only
 * where the event's record has the field, or the program would read past
 * the arguments of an older kernel's tracepoint (which the kernel refuses).
 */
#define RAW_INFLIGHT(ev)							\
	do {									\
		if (bpf_core_field_exists(struct trace_event_raw_##ev##___sb,	\
					  inflight))				\
			note_kinflight((int)ctx[5]);				\
	} while (0)

SEC("raw_tp/scmi_xfer_begin")
int BPF_PROG(raw_xfer_begin, int tid, u8 msg, u8 proto, u16 seq, bool poll)
{
	RAW_INFLIGHT(scmi_xfer_begin);
	return on_begin(tid, msg, proto, seq, poll);
}

SEC("raw_tp/scmi_xfer_response_wait")
int BPF_PROG(raw_xfer_response_wait, int tid, u8 msg, u8 proto, u16 seq, u32 timeout)
{
	return on_wait(seq, timeout);
}

SEC("raw_tp/scmi_xfer_end")
int BPF_PROG(raw_xfer_end, int tid, u8 msg, u8 proto, u16 seq, int status)
{
	RAW_INFLIGHT(scmi_xfer_end);
	return on_end(tid, msg, proto, seq, status);
}

SEC("raw_tp/scmi_rx_done")
int BPF_PROG(raw_rx_done, int tid, u8 msg, u8 proto, u16 seq, u8 type)
{
	return on_rx(tid, msg, proto, seq, type);
}

/*
 * The tag is a pointer argument: read its first character, and the second
 * one only for a '!'.  Where the kernel has bpf_rdonly_cast() (6.2+), the
 * pointer is cast to a kernel struct that starts with a char array, so the
 * reads are plain loads the verifier guards with an exception-table entry (a
 * bad pointer reads as 0) instead of a helper call: this runs for every
 * message.  The other arguments are read from @ctx once the tag says they
 * are needed: @arg is the index of the protocol, the message and the
 * sequence number follow it, the tag between them.
 */
static __always_inline int raw_dump(u64 *ctx, int arg)
{
	const char *tagp = (const char *)ctx[arg + 2];
	char t0, t1;

	if (bpf_ksym_exists(bpf_rdonly_cast)) {
		struct new_utsname *u = bpf_core_cast(tagp, struct new_utsname);

		t0 = u->sysname[0];
		if (t0 != '!')
			return on_dump(ctx[arg], ctx[arg + 1], (u16)ctx[arg + 3], t0);
		t1 = u->sysname[1];
	} else {
		char tag[2];

		if (bpf_probe_read_kernel(tag, sizeof(tag), tagp))
			return 0;
		t0 = tag[0];
		if (t0 != '!')
			return on_dump(ctx[arg], ctx[arg + 1], (u16)ctx[arg + 3], t0);
		t1 = tag[1];
	}
	return on_bad_dump(ctx[arg], ctx[arg + 1], (u16)ctx[arg + 3], t1,
			   (int)ctx[arg + 4]);
}

/*
 * scmi_msg_dump's prototype gained (int id, u8 channel_id) in front in 6.9:
 * userspace reads the event's format and loads the matching program.
 *   6.9+: (int id, u8 channel_id, u8 protocol_id, u8 msg_id,
 *          unsigned char *tag, u16 seq, int status, void *buf, size_t len)
 *   older: (u8 protocol_id, u8 msg_id, unsigned char *tag, u16 seq,
 *           int status, void *buf, size_t len)
 */
SEC("raw_tp/scmi_xfer_async_end")
int BPF_PROG(raw_xfer_async_end, int tid, u8 msg, u8 proto, u16 seq, int status)
{
	return on_async_end(seq, status);
}

SEC("raw_tp/scmi_msg_dump")
int raw_msg_dump(u64 *ctx)
{
	return raw_dump(ctx, 2);
}

SEC("raw_tp/scmi_msg_dump")
int raw_msg_dump_v1(u64 *ctx)
{
	return raw_dump(ctx, 0);
}

/* ---- classic tracepoints: the trace record (perf buffer) --------------- */

/*
 * 6.17+ records of scmi_xfer_begin and scmi_xfer_end: the field follows
 * the older layout's last one (bool poll / int status) at the same offset
 * in both events.
 */
struct scmi_xfer_inflight_abi {
	u64 ent;
	int transfer_id;
	u8 msg_id;
	u8 protocol_id;
	u16 seq;
	int poll_or_status;
	int inflight;
};

/* with BTF for the record: if it has the field; without: as the format said */
#define TP_INFLIGHT(ctx, ev)							\
	do {									\
		if (bpf_core_field_exists(struct trace_event_raw_##ev##___sb,	\
					  inflight)) {				\
			struct trace_event_raw_##ev##___sb *t = (ctx);		\
										\
			note_kinflight(t->inflight);				\
		} else if (!bpf_core_type_exists(struct trace_event_raw_##ev##___sb) && \
			   targ_inflight_fmt) {					\
			struct scmi_xfer_inflight_abi a = {};			\
										\
			if (!bpf_probe_read_kernel(&a, sizeof(a), (ctx)))	\
				note_kinflight(a.inflight);			\
		}								\
	} while (0)

SEC("tracepoint/scmi/scmi_xfer_begin")
int tp_xfer_begin(void *ctx)
{
	struct scmi_rec r;

	READ_REC(ctx, scmi_xfer_begin, poll, &r);
	TP_INFLIGHT(ctx, scmi_xfer_begin);
	return on_begin(r.transfer_id, r.msg_id, r.protocol_id, r.seq, r.last);
}

SEC("tracepoint/scmi/scmi_xfer_response_wait")
int tp_xfer_response_wait(void *ctx)
{
	struct scmi_rec r;

	READ_REC(ctx, scmi_xfer_response_wait, timeout, &r);
	return on_wait(r.seq, r.last);
}

SEC("tracepoint/scmi/scmi_xfer_end")
int tp_xfer_end(void *ctx)
{
	struct scmi_rec r;

	READ_REC(ctx, scmi_xfer_end, status, &r);
	TP_INFLIGHT(ctx, scmi_xfer_end);
	return on_end(r.transfer_id, r.msg_id, r.protocol_id, r.seq, r.last);
}

SEC("tracepoint/scmi/scmi_rx_done")
int tp_rx_done(void *ctx)
{
	struct scmi_rec r;

	READ_REC(ctx, scmi_rx_done, msg_type, &r);
	return on_rx(r.transfer_id, r.msg_id, r.protocol_id, r.seq, r.last);
}

/*
 * The record's layout changed across kernels: CO-RE, or the offsets
 * userspace read from the event's format file.
 */
SEC("tracepoint/scmi/scmi_msg_dump")
int tp_msg_dump(void *ctx)
{
	struct trace_event_raw_scmi_msg_dump___sb *r = ctx;
	u8 rec[64] = {}, proto, msg;
	char t0, t1;
	u16 seq;
	int bad;

	if (!targ_abi && bpf_core_type_exists(struct trace_event_raw_scmi_msg_dump___sb)) {
		if (r->tag[0] != '!')
			return on_dump(r->protocol_id, r->msg_id, r->seq, r->tag[0]);
		return on_bad_dump(r->protocol_id, r->msg_id, r->seq, r->tag[1],
				   r->status);
	}
	if (!targ_dump_off_tag)
		return 0;
	bpf_probe_read_kernel(rec, sizeof(rec), ctx);
	proto = rec[targ_dump_off_proto & 63];
	msg = rec[targ_dump_off_msg & 63];
	t0 = rec[targ_dump_off_tag & 63];
	t1 = rec[(targ_dump_off_tag + 1) & 63];
	seq = rec[targ_dump_off_seq & 63] | rec[(targ_dump_off_seq + 1) & 63] << 8;
	if (t0 != '!')
		return on_dump(proto, msg, seq, t0);
	/* upstream's enum scmi_bad_msg: -1..-5, its low byte says which */
	bad = (s8)rec[targ_dump_off_status & 63];
	return on_bad_dump(proto, msg, seq, t1, bad);
}
