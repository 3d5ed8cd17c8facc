/* SPDX-License-Identifier: GPL-2.0 */
/*
 * BAM-DMUX tracepoints.  Upstream's qcom_bam_dmux has none, so the system
 * is socbpf's own: frames each way (channel, command, payload length),
 * power events (the host's vote and the modem's ack, the modem's power
 * control and the host's ack, resume outcomes) and drops with a reason.
 * bam_dmux_ip carries a pointer to each IP packet (the first @len bytes of
 * it are readable) for flow accounting in BPF (bpf/dmuxstat.bpf.c): one
 * event per packet, when it was delivered to the stack or taken by the
 * modem (drop 0) or when it was dropped (drop = reason, as bam_dmux_drop).
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM socbpf_bam_dmux

#if !defined(_SOCBPF_BAM_DMUX_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _SOCBPF_BAM_DMUX_TRACE_H

#include <linux/tracepoint.h>

DECLARE_EVENT_CLASS(bam_dmux_frame,
	TP_PROTO(u8 ch, u8 cmd, u16 len),
	TP_ARGS(ch, cmd, len),

	TP_STRUCT__entry(
		__field(u8, ch)
		__field(u8, cmd)
		__field(u16, len)
	),

	TP_fast_assign(
		__entry->ch = ch;
		__entry->cmd = cmd;
		__entry->len = len;
	),

	TP_printk("ch=%u cmd=%s len=%u", __entry->ch,
		  __print_symbolic(__entry->cmd, { 0, "DATA" }, { 1, "OPEN" },
				   { 2, "CLOSE" }),
		  __entry->len)
);

DEFINE_EVENT(bam_dmux_frame, bam_dmux_rx,
	TP_PROTO(u8 ch, u8 cmd, u16 len),
	TP_ARGS(ch, cmd, len));

DEFINE_EVENT(bam_dmux_frame, bam_dmux_tx,
	TP_PROTO(u8 ch, u8 cmd, u16 len),
	TP_ARGS(ch, cmd, len));

/* event: see bam_dmux_power_event_names in dmux.c */
TRACE_EVENT(bam_dmux_power,
	TP_PROTO(const char *event, int value),
	TP_ARGS(event, value),

	TP_STRUCT__entry(
		__string(event, event)
		__field(int, value)
	),

	TP_fast_assign(
		__assign_str(event);
		__entry->value = value;
	),

	TP_printk("%s value=%d", __get_str(event), __entry->value)
);

/* dir 0 rx, 1 tx; ch 255 when the frame's channel is not trusted */
TRACE_EVENT(bam_dmux_drop,
	TP_PROTO(u8 dir, u8 ch, u32 len, const char *reason),
	TP_ARGS(dir, ch, len, reason),

	TP_STRUCT__entry(
		__field(u8, dir)
		__field(u8, ch)
		__field(u32, len)
		__string(reason, reason)
	),

	TP_fast_assign(
		__entry->dir = dir;
		__entry->ch = ch;
		__entry->len = len;
		__assign_str(reason);
	),

	TP_printk("%s ch=%u len=%u reason=%s", __entry->dir ? "tx" : "rx",
		  __entry->ch, __entry->len, __get_str(reason))
);

TRACE_EVENT(bam_dmux_ip,
	TP_PROTO(u8 dir, u8 ch, const void *ip, u32 len, int drop),
	TP_ARGS(dir, ch, ip, len, drop),

	TP_STRUCT__entry(
		__field(u8, dir)
		__field(u8, ch)
		__field(u32, len)
		__field(int, drop)
	),

	TP_fast_assign(
		__entry->dir = dir;
		__entry->ch = ch;
		__entry->len = len;
		__entry->drop = drop;
	),

	TP_printk("%s ch=%u len=%u drop=%d", __entry->dir ? "tx" : "rx",
		  __entry->ch, __entry->len, __entry->drop)
);

#endif /* _SOCBPF_BAM_DMUX_TRACE_H */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE trace
#include <trace/define_trace.h>
