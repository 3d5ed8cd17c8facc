/* SPDX-License-Identifier: GPL-2.0 */
/*
 * socbpf_doorbell tracepoints. Upstream's doorbell API (6.17) has none; these
 * are socbpf's. A doorbell is named by its message (addr, data) on both
 * sides, so a tool can match the host's write with the endpoint's ring
 * without knowing the endpoint's irq numbers. The arguments are scalars so
 * raw tracepoint BPF programs read them as they are.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM socbpf_doorbell

#if !defined(_SOCBPF_DOORBELL_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _SOCBPF_DOORBELL_TRACE_H

#include <linux/tracepoint.h>

/* doorbells allocated for an endpoint function (ret < 0: refused/failed) */
TRACE_EVENT(socbpf_doorbell_alloc,
	TP_PROTO(const char *dev, unsigned int num, int first_irq, int ret),
	TP_ARGS(dev, num, first_irq, ret),

	TP_STRUCT__entry(
		__string(dev, dev)
		__field(unsigned int, num)
		__field(int, first_irq)
		__field(int, ret)
	),

	TP_fast_assign(
		__assign_str(dev);
		__entry->num = num;
		__entry->first_irq = first_irq;
		__entry->ret = ret;
	),

	TP_printk("dev=%s num=%u first_irq=%d ret=%d", __get_str(dev),
		  __entry->num, __entry->first_irq, __entry->ret)
);

DECLARE_EVENT_CLASS(socbpf_doorbell_msg,
	TP_PROTO(const char *dev, unsigned int idx, int irq, u64 addr, u32 data),
	TP_ARGS(dev, idx, irq, addr, data),

	TP_STRUCT__entry(
		__string(dev, dev)
		__field(unsigned int, idx)
		__field(int, irq)
		__field(u64, addr)
		__field(u32, data)
	),

	TP_fast_assign(
		__assign_str(dev);
		__entry->idx = idx;
		__entry->irq = irq;
		__entry->addr = addr;
		__entry->data = data;
	),

	TP_printk("dev=%s idx=%u irq=%d addr=0x%llx data=0x%x",
		  __get_str(dev), __entry->idx, __entry->irq,
		  __entry->addr, __entry->data)
);

/* address/data handed to the host, after the irq was requested */
DEFINE_EVENT(socbpf_doorbell_msg, socbpf_doorbell_publish,
	TP_PROTO(const char *dev, unsigned int idx, int irq, u64 addr, u32 data),
	TP_ARGS(dev, idx, irq, addr, data));

/* a ring received: the endpoint's handler is about to run, on this CPU */
DEFINE_EVENT(socbpf_doorbell_msg, socbpf_doorbell_ring,
	TP_PROTO(const char *dev, unsigned int idx, int irq, u64 addr, u32 data),
	TP_ARGS(dev, idx, irq, addr, data));

/* withdrawn from the host, before the irq is freed */
DEFINE_EVENT(socbpf_doorbell_msg, socbpf_doorbell_retract,
	TP_PROTO(const char *dev, unsigned int idx, int irq, u64 addr, u32 data),
	TP_ARGS(dev, idx, irq, addr, data));

/* the host side of the test bed wrote data to addr (how: 0 CPU, 1 DMA) */
TRACE_EVENT(socbpf_doorbell_host_write,
	TP_PROTO(u64 addr, u32 data, unsigned int how),
	TP_ARGS(addr, data, how),

	TP_STRUCT__entry(
		__field(u64, addr)
		__field(u32, data)
		__field(unsigned int, how)
	),

	TP_fast_assign(
		__entry->addr = addr;
		__entry->data = data;
		__entry->how = how;
	),

	TP_printk("addr=0x%llx data=0x%x how=%s", __entry->addr, __entry->data,
		  __entry->how ? "dma" : "cpu")
);

#endif /* _SOCBPF_DOORBELL_TRACE_H */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE doorbell_trace

/* This part must be outside protection */
#include <trace/define_trace.h>
