/* SPDX-License-Identifier: GPL-2.0 */
/*
 * socbpf_qrtr tracepoints, system "qrtr".
 *
 * The four qrtr_ns_* events have the names and fields of upstream's
 * include/trace/events/qrtr.h so tools written for the stock driver work;
 * the endpoint and packet events are socbpf additions.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM qrtr

#if !defined(_SOCBPF_QRTR_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _SOCBPF_QRTR_TRACE_H

#include <linux/tracepoint.h>

DECLARE_EVENT_CLASS(qrtr_ns_server,
	TP_PROTO(unsigned int service, unsigned int instance,
		 unsigned int node, unsigned int port),
	TP_ARGS(service, instance, node, port),
	TP_STRUCT__entry(
		__field(unsigned int, service)
		__field(unsigned int, instance)
		__field(unsigned int, node)
		__field(unsigned int, port)
	),
	TP_fast_assign(
		__entry->service = service;
		__entry->instance = instance;
		__entry->node = node;
		__entry->port = port;
	),
	TP_printk("add server [%d:%x]@[%d:%d]", __entry->service,
		  __entry->instance, __entry->node, __entry->port)
);

DEFINE_EVENT_PRINT(qrtr_ns_server, qrtr_ns_service_announce_new,
	TP_PROTO(unsigned int service, unsigned int instance,
		 unsigned int node, unsigned int port),
	TP_ARGS(service, instance, node, port),
	TP_printk("advertising new server [%d:%x]@[%d:%d]", __entry->service,
		  __entry->instance, __entry->node, __entry->port)
);

DEFINE_EVENT_PRINT(qrtr_ns_server, qrtr_ns_service_announce_del,
	TP_PROTO(unsigned int service, unsigned int instance,
		 unsigned int node, unsigned int port),
	TP_ARGS(service, instance, node, port),
	TP_printk("advertising removal of server [%d:%x]@[%d:%d]",
		  __entry->service, __entry->instance, __entry->node,
		  __entry->port)
);

DEFINE_EVENT(qrtr_ns_server, qrtr_ns_server_add,
	TP_PROTO(unsigned int service, unsigned int instance,
		 unsigned int node, unsigned int port),
	TP_ARGS(service, instance, node, port)
);

TRACE_EVENT(qrtr_ns_message,
	TP_PROTO(const char * const ctrl_pkt_str, __u32 sq_node, __u32 sq_port),
	TP_ARGS(ctrl_pkt_str, sq_node, sq_port),
	TP_STRUCT__entry(
		__string(ctrl_pkt_str, ctrl_pkt_str)
		__field(__u32, sq_node)
		__field(__u32, sq_port)
	),
	TP_fast_assign(
		__assign_str(ctrl_pkt_str);
		__entry->sq_node = sq_node;
		__entry->sq_port = sq_port;
	),
	TP_printk("%s from %d:%d", __get_str(ctrl_pkt_str),
		  __entry->sq_node, __entry->sq_port)
);

DECLARE_EVENT_CLASS(qrtr_endpoint_event,
	TP_PROTO(u32 endpoint_id, const char *key),
	TP_ARGS(endpoint_id, key),
	TP_STRUCT__entry(
		__field(u32, endpoint_id)
		__string(key, key)
	),
	TP_fast_assign(
		__entry->endpoint_id = endpoint_id;
		__assign_str(key);
	),
	TP_printk("endpoint %u key %s", __entry->endpoint_id, __get_str(key))
);

DEFINE_EVENT(qrtr_endpoint_event, qrtr_endpoint_add,
	TP_PROTO(u32 endpoint_id, const char *key),
	TP_ARGS(endpoint_id, key)
);

DEFINE_EVENT(qrtr_endpoint_event, qrtr_endpoint_remove,
	TP_PROTO(u32 endpoint_id, const char *key),
	TP_ARGS(endpoint_id, key)
);

TRACE_EVENT(qrtr_endpoint_id_assign,
	TP_PROTO(u32 endpoint_id, const char *key, bool preassigned),
	TP_ARGS(endpoint_id, key, preassigned),
	TP_STRUCT__entry(
		__field(u32, endpoint_id)
		__field(u8, preassigned)
		__string(key, key)
	),
	TP_fast_assign(
		__entry->endpoint_id = endpoint_id;
		__entry->preassigned = preassigned;
		__assign_str(key);
	),
	TP_printk("endpoint %u key %s%s", __entry->endpoint_id,
		  __get_str(key), __entry->preassigned ? " (pre-assigned)" : "")
);

/*
 * qrtr_pkt_rx / qrtr_pkt_tx fire exactly where the endpoint's rx/tx counters
 * count a packet (it came in from, or went out to, the link); a packet
 * refused before that only shows up as qrtr_pkt_drop.
 */
DECLARE_EVENT_CLASS(qrtr_pkt,
	TP_PROTO(u32 endpoint_id, u32 type, u32 src_node, u32 src_port,
		 u32 dst_node, u32 dst_port, u32 len),
	TP_ARGS(endpoint_id, type, src_node, src_port, dst_node, dst_port, len),
	TP_STRUCT__entry(
		__field(u32, endpoint_id)
		__field(u32, type)
		__field(u32, src_node)
		__field(u32, src_port)
		__field(u32, dst_node)
		__field(u32, dst_port)
		__field(u32, len)
	),
	TP_fast_assign(
		__entry->endpoint_id = endpoint_id;
		__entry->type = type;
		__entry->src_node = src_node;
		__entry->src_port = src_port;
		__entry->dst_node = dst_node;
		__entry->dst_port = dst_port;
		__entry->len = len;
	),
	TP_printk("ep %u type %u %u:%u -> %u:%u len %u",
		  __entry->endpoint_id, __entry->type, __entry->src_node,
		  __entry->src_port, __entry->dst_node, __entry->dst_port,
		  __entry->len)
);

DEFINE_EVENT(qrtr_pkt, qrtr_pkt_rx,
	TP_PROTO(u32 endpoint_id, u32 type, u32 src_node, u32 src_port,
		 u32 dst_node, u32 dst_port, u32 len),
	TP_ARGS(endpoint_id, type, src_node, src_port, dst_node, dst_port, len)
);

DEFINE_EVENT(qrtr_pkt, qrtr_pkt_tx,
	TP_PROTO(u32 endpoint_id, u32 type, u32 src_node, u32 src_port,
		 u32 dst_node, u32 dst_port, u32 len),
	TP_ARGS(endpoint_id, type, src_node, src_port, dst_node, dst_port, len)
);

/* A server appeared or went away, with the endpoint it lives behind. */
TRACE_EVENT(qrtr_ns_server_ep,
	TP_PROTO(u32 endpoint_id, u32 service, u32 instance, u32 node, u32 port,
		 bool add),
	TP_ARGS(endpoint_id, service, instance, node, port, add),
	TP_STRUCT__entry(
		__field(u32, endpoint_id)
		__field(u32, service)
		__field(u32, instance)
		__field(u32, node)
		__field(u32, port)
		__field(u8, add)
	),
	TP_fast_assign(
		__entry->endpoint_id = endpoint_id;
		__entry->service = service;
		__entry->instance = instance;
		__entry->node = node;
		__entry->port = port;
		__entry->add = add;
	),
	TP_printk("%s ep=%u service=%u instance=%u node=%u port=%u",
		  __entry->add ? "add" : "del", __entry->endpoint_id,
		  __entry->service, __entry->instance, __entry->node,
		  __entry->port)
);

TRACE_EVENT(qrtr_pkt_drop,
	TP_PROTO(u32 endpoint_id, u32 reason, const char *reason_name),
	TP_ARGS(endpoint_id, reason, reason_name),
	TP_STRUCT__entry(
		__field(u32, endpoint_id)
		__field(u32, reason)
		__string(reason_name, reason_name)
	),
	TP_fast_assign(
		__entry->endpoint_id = endpoint_id;
		__entry->reason = reason;
		__assign_str(reason_name);
	),
	TP_printk("ep %u reason %s", __entry->endpoint_id,
		  __get_str(reason_name))
);

#endif /* _SOCBPF_QRTR_TRACE_H */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE trace
#include <trace/define_trace.h>
