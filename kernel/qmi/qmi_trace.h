/* SPDX-License-Identifier: GPL-2.0 */
/*
 * socbpf_qmi tracepoints, system "socbpf_qmi": every QMI message a handle
 * sends or receives, and the end of every transaction with its result and
 * latency. The endpoint is the handle's (or the message's) endpoint id, 0
 * for none; service is 0 when the handle's lookups do not know the peer.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM socbpf_qmi

#if !defined(_SOCBPF_QMI_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _SOCBPF_QMI_TRACE_H

#include <linux/tracepoint.h>

DECLARE_EVENT_CLASS(socbpf_qmi_msg,
	TP_PROTO(u32 endpoint_id, u32 node, u32 port, u32 service, u8 type,
		 u16 msg_id, u16 txn_id, u32 len, int result),
	TP_ARGS(endpoint_id, node, port, service, type, msg_id, txn_id, len,
		result),
	TP_STRUCT__entry(
		__field(u32, endpoint_id)
		__field(u32, node)
		__field(u32, port)
		__field(u32, service)
		__field(u8, type)
		__field(u16, msg_id)
		__field(u16, txn_id)
		__field(u32, len)
		__field(int, result)
	),
	TP_fast_assign(
		__entry->endpoint_id = endpoint_id;
		__entry->node = node;
		__entry->port = port;
		__entry->service = service;
		__entry->type = type;
		__entry->msg_id = msg_id;
		__entry->txn_id = txn_id;
		__entry->len = len;
		__entry->result = result;
	),
	TP_printk("ep %u %u:%u svc %u type %u msg 0x%04x txn %u len %u result %d",
		  __entry->endpoint_id, __entry->node, __entry->port,
		  __entry->service, __entry->type, __entry->msg_id,
		  __entry->txn_id, __entry->len, __entry->result)
);

/* A message sent; result is the send's (0 or -errno). */
DEFINE_EVENT(socbpf_qmi_msg, socbpf_qmi_tx,
	TP_PROTO(u32 endpoint_id, u32 node, u32 port, u32 service, u8 type,
		 u16 msg_id, u16 txn_id, u32 len, int result),
	TP_ARGS(endpoint_id, node, port, service, type, msg_id, txn_id, len,
		result));

/* A message received; result is 0 or why it was dropped (-EBADMSG, ...). */
DEFINE_EVENT(socbpf_qmi_msg, socbpf_qmi_rx,
	TP_PROTO(u32 endpoint_id, u32 node, u32 port, u32 service, u8 type,
		 u16 msg_id, u16 txn_id, u32 len, int result),
	TP_ARGS(endpoint_id, node, port, service, type, msg_id, txn_id, len,
		result));

/* A transaction ended: 0, a decode error, -ETIMEDOUT, -ECONNRESET, ... */
TRACE_EVENT(socbpf_qmi_txn_end,
	TP_PROTO(u32 endpoint_id, u32 node, u32 port, u32 service, u16 msg_id,
		 u16 txn_id, int result, u64 latency_ns),
	TP_ARGS(endpoint_id, node, port, service, msg_id, txn_id, result,
		latency_ns),
	TP_STRUCT__entry(
		__field(u32, endpoint_id)
		__field(u32, node)
		__field(u32, port)
		__field(u32, service)
		__field(u16, msg_id)
		__field(u16, txn_id)
		__field(int, result)
		__field(u64, latency_ns)
	),
	TP_fast_assign(
		__entry->endpoint_id = endpoint_id;
		__entry->node = node;
		__entry->port = port;
		__entry->service = service;
		__entry->msg_id = msg_id;
		__entry->txn_id = txn_id;
		__entry->result = result;
		__entry->latency_ns = latency_ns;
	),
	TP_printk("ep %u %u:%u svc %u msg 0x%04x txn %u result %d latency %llu ns",
		  __entry->endpoint_id, __entry->node, __entry->port,
		  __entry->service, __entry->msg_id, __entry->txn_id,
		  __entry->result, __entry->latency_ns)
);

#endif /* _SOCBPF_QMI_TRACE_H */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE qmi_trace
#include <trace/define_trace.h>
