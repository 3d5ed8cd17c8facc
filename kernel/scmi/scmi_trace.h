/* SPDX-License-Identifier: GPL-2.0 */
/*
 * SCMI tracepoints.  The first six events have the system, names, prototypes
 * and fields of upstream include/trace/events/scmi.h as of Linux 6.12, so
 * tools written for the upstream driver (scmitrace) work unchanged against
 * this module.  The events after them are socbpf additions for what the
 * upstream driver cannot show (timeouts, late, ghost, duplicate, ...).
 *
 * Linux 6.17 appended "int inflight" (the agent's transfers in flight) to
 * scmi_xfer_begin and scmi_xfer_end (upstream commit f8e656382b4a): built
 * against a kernel whose include/trace/events/scmi.h has it (the Kbuild
 * defines SOCBPF_SCMI_TRACE_INFLIGHT), this module's two events have that
 * layout too, so a tool sees the same events from it as from that kernel's
 * arm_scmi.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM scmi

#if !defined(_SOCBPF_SCMI_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _SOCBPF_SCMI_TRACE_H

#include <linux/tracepoint.h>

#define TRACE_SCMI_MAX_TAG_LEN	6

TRACE_EVENT(scmi_fc_call,
	TP_PROTO(u8 protocol_id, u8 msg_id, u32 res_id, u32 val1, u32 val2),
	TP_ARGS(protocol_id, msg_id, res_id, val1, val2),

	TP_STRUCT__entry(
		__field(u8, protocol_id)
		__field(u8, msg_id)
		__field(u32, res_id)
		__field(u32, val1)
		__field(u32, val2)
	),

	TP_fast_assign(
		__entry->protocol_id = protocol_id;
		__entry->msg_id = msg_id;
		__entry->res_id = res_id;
		__entry->val1 = val1;
		__entry->val2 = val2;
	),

	TP_printk("pt=%02X msg_id=%02X res_id:%u vals=%u:%u",
		  __entry->protocol_id, __entry->msg_id,
		  __entry->res_id, __entry->val1, __entry->val2)
);

#ifdef SOCBPF_SCMI_TRACE_INFLIGHT
TRACE_EVENT(scmi_xfer_begin,
	TP_PROTO(int transfer_id, u8 msg_id, u8 protocol_id, u16 seq,
		 bool poll, int inflight),
	TP_ARGS(transfer_id, msg_id, protocol_id, seq, poll, inflight),

	TP_STRUCT__entry(
		__field(int, transfer_id)
		__field(u8, msg_id)
		__field(u8, protocol_id)
		__field(u16, seq)
		__field(bool, poll)
		__field(int, inflight)
	),

	TP_fast_assign(
		__entry->transfer_id = transfer_id;
		__entry->msg_id = msg_id;
		__entry->protocol_id = protocol_id;
		__entry->seq = seq;
		__entry->poll = poll;
		__entry->inflight = inflight;
	),

	TP_printk("pt=%02X msg_id=%02X seq=%04X transfer_id=%X poll=%u inflight=%d",
		  __entry->protocol_id, __entry->msg_id, __entry->seq,
		  __entry->transfer_id, __entry->poll, __entry->inflight)
);
#else
TRACE_EVENT(scmi_xfer_begin,
	TP_PROTO(int transfer_id, u8 msg_id, u8 protocol_id, u16 seq,
		 bool poll),
	TP_ARGS(transfer_id, msg_id, protocol_id, seq, poll),

	TP_STRUCT__entry(
		__field(int, transfer_id)
		__field(u8, msg_id)
		__field(u8, protocol_id)
		__field(u16, seq)
		__field(bool, poll)
	),

	TP_fast_assign(
		__entry->transfer_id = transfer_id;
		__entry->msg_id = msg_id;
		__entry->protocol_id = protocol_id;
		__entry->seq = seq;
		__entry->poll = poll;
	),

	TP_printk("pt=%02X msg_id=%02X seq=%04X transfer_id=%X poll=%u",
		  __entry->protocol_id, __entry->msg_id, __entry->seq,
		  __entry->transfer_id, __entry->poll)
);
#endif

TRACE_EVENT(scmi_xfer_response_wait,
	TP_PROTO(int transfer_id, u8 msg_id, u8 protocol_id, u16 seq,
		 u32 timeout, bool poll),
	TP_ARGS(transfer_id, msg_id, protocol_id, seq, timeout, poll),

	TP_STRUCT__entry(
		__field(int, transfer_id)
		__field(u8, msg_id)
		__field(u8, protocol_id)
		__field(u16, seq)
		__field(u32, timeout)
		__field(bool, poll)
	),

	TP_fast_assign(
		__entry->transfer_id = transfer_id;
		__entry->msg_id = msg_id;
		__entry->protocol_id = protocol_id;
		__entry->seq = seq;
		__entry->timeout = timeout;
		__entry->poll = poll;
	),

	TP_printk("pt=%02X msg_id=%02X seq=%04X transfer_id=%X tmo_ms=%u poll=%u",
		  __entry->protocol_id, __entry->msg_id, __entry->seq,
		  __entry->transfer_id, __entry->timeout, __entry->poll)
);

#ifdef SOCBPF_SCMI_TRACE_INFLIGHT
TRACE_EVENT(scmi_xfer_end,
	TP_PROTO(int transfer_id, u8 msg_id, u8 protocol_id, u16 seq,
		 int status, int inflight),
	TP_ARGS(transfer_id, msg_id, protocol_id, seq, status, inflight),

	TP_STRUCT__entry(
		__field(int, transfer_id)
		__field(u8, msg_id)
		__field(u8, protocol_id)
		__field(u16, seq)
		__field(int, status)
		__field(int, inflight)
	),

	TP_fast_assign(
		__entry->transfer_id = transfer_id;
		__entry->msg_id = msg_id;
		__entry->protocol_id = protocol_id;
		__entry->seq = seq;
		__entry->status = status;
		__entry->inflight = inflight;
	),

	TP_printk("pt=%02X msg_id=%02X seq=%04X transfer_id=%X s=%d inflight=%d",
		  __entry->protocol_id, __entry->msg_id, __entry->seq,
		  __entry->transfer_id, __entry->status, __entry->inflight)
);
#else
TRACE_EVENT(scmi_xfer_end,
	TP_PROTO(int transfer_id, u8 msg_id, u8 protocol_id, u16 seq,
		 int status),
	TP_ARGS(transfer_id, msg_id, protocol_id, seq, status),

	TP_STRUCT__entry(
		__field(int, transfer_id)
		__field(u8, msg_id)
		__field(u8, protocol_id)
		__field(u16, seq)
		__field(int, status)
	),

	TP_fast_assign(
		__entry->transfer_id = transfer_id;
		__entry->msg_id = msg_id;
		__entry->protocol_id = protocol_id;
		__entry->seq = seq;
		__entry->status = status;
	),

	TP_printk("pt=%02X msg_id=%02X seq=%04X transfer_id=%X s=%d",
		  __entry->protocol_id, __entry->msg_id, __entry->seq,
		  __entry->transfer_id, __entry->status)
);
#endif

TRACE_EVENT(scmi_rx_done,
	TP_PROTO(int transfer_id, u8 msg_id, u8 protocol_id, u16 seq,
		 u8 msg_type),
	TP_ARGS(transfer_id, msg_id, protocol_id, seq, msg_type),

	TP_STRUCT__entry(
		__field(int, transfer_id)
		__field(u8, msg_id)
		__field(u8, protocol_id)
		__field(u16, seq)
		__field(u8, msg_type)
	),

	TP_fast_assign(
		__entry->transfer_id = transfer_id;
		__entry->msg_id = msg_id;
		__entry->protocol_id = protocol_id;
		__entry->seq = seq;
		__entry->msg_type = msg_type;
	),

	TP_printk("pt=%02X msg_id=%02X seq=%04X transfer_id=%X msg_type=%u",
		  __entry->protocol_id, __entry->msg_id, __entry->seq,
		  __entry->transfer_id, __entry->msg_type)
);

TRACE_EVENT(scmi_msg_dump,
	TP_PROTO(int id, u8 channel_id, u8 protocol_id, u8 msg_id,
		 unsigned char *tag, u16 seq, int status,
		 void *buf, size_t len),
	TP_ARGS(id, channel_id, protocol_id, msg_id, tag, seq, status,
		buf, len),

	TP_STRUCT__entry(
		__field(int, id)
		__field(u8, channel_id)
		__field(u8, protocol_id)
		__field(u8, msg_id)
		__array(char, tag, TRACE_SCMI_MAX_TAG_LEN)
		__field(u16, seq)
		__field(int, status)
		__field(size_t, len)
		__dynamic_array(unsigned char, cmd, len)
	),

	TP_fast_assign(
		__entry->id = id;
		__entry->channel_id = channel_id;
		__entry->protocol_id = protocol_id;
		__entry->msg_id = msg_id;
		strscpy(__entry->tag, tag, TRACE_SCMI_MAX_TAG_LEN);
		__entry->seq = seq;
		__entry->status = status;
		__entry->len = len;
		memcpy(__get_dynamic_array(cmd), buf, __entry->len);
	),

	TP_printk("id=%d ch=%02X pt=%02X t=%s msg_id=%02X seq=%04X s=%d pyld=%s",
		  __entry->id, __entry->channel_id, __entry->protocol_id,
		  __entry->tag, __entry->msg_id, __entry->seq, __entry->status,
		  __print_hex_str(__get_dynamic_array(cmd), __entry->len))
);

/* ---- socbpf additions ------------------------------------------------ */

TRACE_EVENT(scmi_xfer_timeout,
	TP_PROTO(int transfer_id, u8 msg_id, u8 protocol_id, u16 seq,
		 u32 timeout, bool delayed),
	TP_ARGS(transfer_id, msg_id, protocol_id, seq, timeout, delayed),

	TP_STRUCT__entry(
		__field(int, transfer_id)
		__field(u8, msg_id)
		__field(u8, protocol_id)
		__field(u16, seq)
		__field(u32, timeout)
		__field(bool, delayed)
	),

	TP_fast_assign(
		__entry->transfer_id = transfer_id;
		__entry->msg_id = msg_id;
		__entry->protocol_id = protocol_id;
		__entry->seq = seq;
		__entry->timeout = timeout;
		__entry->delayed = delayed;
	),

	TP_printk("pt=%02X msg_id=%02X seq=%04X transfer_id=%X tmo_ms=%u delayed=%u",
		  __entry->protocol_id, __entry->msg_id, __entry->seq,
		  __entry->transfer_id, __entry->timeout, __entry->delayed)
);

TRACE_EVENT(scmi_xfer_async_end,
	TP_PROTO(int transfer_id, u8 msg_id, u8 protocol_id, u16 seq,
		 int status),
	TP_ARGS(transfer_id, msg_id, protocol_id, seq, status),

	TP_STRUCT__entry(
		__field(int, transfer_id)
		__field(u8, msg_id)
		__field(u8, protocol_id)
		__field(u16, seq)
		__field(int, status)
	),

	TP_fast_assign(
		__entry->transfer_id = transfer_id;
		__entry->msg_id = msg_id;
		__entry->protocol_id = protocol_id;
		__entry->seq = seq;
		__entry->status = status;
	),

	TP_printk("pt=%02X msg_id=%02X seq=%04X transfer_id=%X s=%d",
		  __entry->protocol_id, __entry->msg_id, __entry->seq,
		  __entry->transfer_id, __entry->status)
);

/*
 * One event for every P2A message the state machine discards; @reason is
 * the name of the counter that was bumped (ghost, late, duplicate,
 * unexpected_dresp, ooo_resp_dropped, malformed, notif_dropped).
 */
TRACE_EVENT(scmi_rx_discard,
	TP_PROTO(u8 msg_id, u8 protocol_id, u16 seq, u8 msg_type,
		 const char *reason),
	TP_ARGS(msg_id, protocol_id, seq, msg_type, reason),

	TP_STRUCT__entry(
		__field(u8, msg_id)
		__field(u8, protocol_id)
		__field(u16, seq)
		__field(u8, msg_type)
		__string(reason, reason)
	),

	TP_fast_assign(
		__entry->msg_id = msg_id;
		__entry->protocol_id = protocol_id;
		__entry->seq = seq;
		__entry->msg_type = msg_type;
		__assign_str(reason);
	),

	TP_printk("pt=%02X msg_id=%02X seq=%04X msg_type=%u reason=%s",
		  __entry->protocol_id, __entry->msg_id, __entry->seq,
		  __entry->msg_type, __get_str(reason))
);

/* The dedicated per-cause events scmitrace can count with tp_btf. */
DECLARE_EVENT_CLASS(scmi_rx_bad,
	TP_PROTO(u8 msg_id, u8 protocol_id, u16 seq, u8 msg_type),
	TP_ARGS(msg_id, protocol_id, seq, msg_type),

	TP_STRUCT__entry(
		__field(u8, msg_id)
		__field(u8, protocol_id)
		__field(u16, seq)
		__field(u8, msg_type)
	),

	TP_fast_assign(
		__entry->msg_id = msg_id;
		__entry->protocol_id = protocol_id;
		__entry->seq = seq;
		__entry->msg_type = msg_type;
	),

	TP_printk("pt=%02X msg_id=%02X seq=%04X msg_type=%u",
		  __entry->protocol_id, __entry->msg_id, __entry->seq,
		  __entry->msg_type)
);

DEFINE_EVENT(scmi_rx_bad, scmi_xfer_late,
	TP_PROTO(u8 msg_id, u8 protocol_id, u16 seq, u8 msg_type),
	TP_ARGS(msg_id, protocol_id, seq, msg_type));

DEFINE_EVENT(scmi_rx_bad, scmi_ghost,
	TP_PROTO(u8 msg_id, u8 protocol_id, u16 seq, u8 msg_type),
	TP_ARGS(msg_id, protocol_id, seq, msg_type));

DEFINE_EVENT(scmi_rx_bad, scmi_duplicate,
	TP_PROTO(u8 msg_id, u8 protocol_id, u16 seq, u8 msg_type),
	TP_ARGS(msg_id, protocol_id, seq, msg_type));

DEFINE_EVENT(scmi_rx_bad, scmi_out_of_order,
	TP_PROTO(u8 msg_id, u8 protocol_id, u16 seq, u8 msg_type),
	TP_ARGS(msg_id, protocol_id, seq, msg_type));

TRACE_EVENT(scmi_platform_state,
	TP_PROTO(bool up, unsigned int aborted),
	TP_ARGS(up, aborted),

	TP_STRUCT__entry(
		__field(bool, up)
		__field(unsigned int, aborted)
	),

	TP_fast_assign(
		__entry->up = up;
		__entry->aborted = aborted;
	),

	TP_printk("up=%u aborted=%u", __entry->up, __entry->aborted)
);

#endif /* _SOCBPF_SCMI_TRACE_H */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE scmi_trace

/* This part must be outside protection */
#include <trace/define_trace.h>
