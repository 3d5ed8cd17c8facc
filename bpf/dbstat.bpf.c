// SPDX-License-Identifier: GPL-2.0
/*
 * dbstat: RC-to-EP doorbell events and a log2 histogram of the latency from
 * the host's write to the endpoint's handler, from socbpf_doorbell's
 * tracepoints (raw_tp: the u64 argument array, see
 * kernel/doorbell/doorbell_trace.h):
 *
 *   socbpf_doorbell_host_write(addr, data, how)   the host wrote data to addr
 *   socbpf_doorbell_ring(dev, idx, irq, addr, data)   the handler is called
 *
 * Both sides name a doorbell by its message (addr, data), so a ring is
 * matched with the last host write of the same pair.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "socbpf/log2hist.h"
#include "../tools/dbstat/dbstat.h"

char LICENSE[] SEC("license") = "GPL";

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, DBSTAT_NR_COUNTERS);
	__type(key, __u32);
	__type(value, __u64);
} counters SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, DBSTAT_HOWS * DBSTAT_SLOTS);
	__type(key, __u32);
	__type(value, __u64);
} hist SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, DBSTAT_PENDING);
	__type(key, struct dbstat_key);
	__type(value, struct dbstat_pending);
} pending SEC(".maps");

static void count(__u32 c)
{
	__u64 *v = bpf_map_lookup_elem(&counters, &c);

	if (v)
		__sync_fetch_and_add(v, 1);
}

SEC("raw_tp/socbpf_doorbell_alloc")
int BPF_PROG(on_alloc, const char *dev, unsigned int num, int first_irq, int ret)
{
	count(ret < 0 ? DBSTAT_ALLOC_FAILS : DBSTAT_ALLOCS);
	return 0;
}

SEC("raw_tp/socbpf_doorbell_publish")
int BPF_PROG(on_publish, const char *dev, unsigned int idx, int irq, __u64 addr, __u32 data)
{
	count(DBSTAT_PUBLISHES);
	return 0;
}

SEC("raw_tp/socbpf_doorbell_retract")
int BPF_PROG(on_retract, const char *dev, unsigned int idx, int irq, __u64 addr, __u32 data)
{
	count(DBSTAT_RETRACTS);
	return 0;
}

SEC("raw_tp/socbpf_doorbell_host_write")
int BPF_PROG(on_host_write, __u64 addr, __u32 data, unsigned int how)
{
	struct dbstat_key k = { .addr = addr, .data = data };
	struct dbstat_pending p = { .ts = bpf_ktime_get_ns(), .how = how ? 1 : 0 };

	count(how ? DBSTAT_HOST_DMA : DBSTAT_HOST_CPU);
	if (bpf_map_update_elem(&pending, &k, &p, BPF_ANY))
		count(DBSTAT_PENDING_FULL);
	return 0;
}

SEC("raw_tp/socbpf_doorbell_ring")
int BPF_PROG(on_ring, const char *dev, unsigned int idx, int irq, __u64 addr, __u32 data)
{
	struct dbstat_key k = { .addr = addr, .data = data };
	struct dbstat_pending *p;
	__u64 now = bpf_ktime_get_ns();
	__u32 slot;
	__u64 *v;

	count(DBSTAT_RINGS);
	p = bpf_map_lookup_elem(&pending, &k);
	if (!p)
		return 0;
	slot = p->how * DBSTAT_SLOTS +
	       log2hist_slot_clamp((now - p->ts) / 1000, DBSTAT_SLOTS);
	bpf_map_delete_elem(&pending, &k);
	count(DBSTAT_MATCHED);
	v = bpf_map_lookup_elem(&hist, &slot);
	if (v)
		__sync_fetch_and_add(v, 1);
	return 0;
}
