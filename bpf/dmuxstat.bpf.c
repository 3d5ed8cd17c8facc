// SPDX-License-Identifier: GPL-2.0
/*
 * dmuxstat: BAM-DMUX traffic per channel and per IP 5-tuple, both
 * directions, from the socbpf_bam_dmux tracepoints:
 *
 *   bam_dmux_ip(dir, ch, ip, len, drop)    one per IP packet: delivered to
 *                                          the stack / taken by the modem
 *                                          (drop 0), or dropped (reason)
 *   bam_dmux_drop(dir, ch, len, reason)    every drop, also of frames that
 *                                          carry no IP packet (bad headers)
 *
 * Channel packets and bytes come from bam_dmux_ip with drop 0, channel
 * drops from bam_dmux_drop (channel 255 = untrusted -> DMUXSTAT_CH_UNKNOWN).
 * raw_tp programs (the u64 argument array): the IP header is read with
 * bpf_probe_read_kernel() from the pointer the event carries.  Counters are
 * cumulative; the tool computes rates.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "../tools/dmuxstat/dmuxstat.h"

char LICENSE[] SEC("license") = "GPL";

__u64 map_full = 0;	/* flows not recorded: map full */

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 2 * (DMUXSTAT_NUM_CH + 1));
	__type(key, __u32);
	__type(value, struct dmuxstat_ch);
} channels SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, DMUXSTAT_MAX_FLOWS);
	__type(key, struct dmuxstat_flow_key);
	__type(value, struct dmuxstat_flow);
} flows SEC(".maps");

static __always_inline void parse_ip(struct dmuxstat_flow_key *k,
				     const void *ip, __u32 len)
{
	__u8 b[40];
	__u32 l4 = 0;

	if (len < 20 || bpf_probe_read_kernel(b, 20, ip))
		return;
	if ((b[0] >> 4) == 4) {
		__u16 frag = ((__u16)b[6] << 8 | b[7]) & 0x1fff;

		k->family = 4;
		k->proto = b[9];
		__builtin_memcpy(k->saddr, b + 12, 4);
		__builtin_memcpy(k->daddr, b + 16, 4);
		if (!frag)
			l4 = (b[0] & 0xf) * 4;
	} else if ((b[0] >> 4) == 6) {
		if (len < 40 || bpf_probe_read_kernel(b, 40, ip))
			return;
		k->family = 6;
		k->proto = b[6];
		__builtin_memcpy(k->saddr, b + 8, 16);
		__builtin_memcpy(k->daddr, b + 24, 16);
		l4 = 40;
	} else {
		return;
	}
	if ((k->proto == 6 || k->proto == 17) && l4 >= 20 && l4 + 4 <= len &&
	    l4 <= 60) {
		__u8 p[4];

		if (!bpf_probe_read_kernel(p, 4, ip + l4)) {
			k->sport = (__u16)p[0] << 8 | p[1];
			k->dport = (__u16)p[2] << 8 | p[3];
		}
	}
}

SEC("raw_tp/bam_dmux_ip")
int BPF_PROG(dmux_ip, __u8 dir, __u8 ch, const void *ip, __u32 len, int drop)
{
	struct dmuxstat_flow_key k = {};
	struct dmuxstat_flow *f, nf = {};
	struct dmuxstat_ch *c;
	__u32 idx;

	if (ch >= DMUXSTAT_NUM_CH || dir > 1)
		return 0;
	if (!drop) {
		idx = dir * (DMUXSTAT_NUM_CH + 1) + ch;
		c = bpf_map_lookup_elem(&channels, &idx);
		if (c) {
			__sync_fetch_and_add(&c->packets, 1);
			__sync_fetch_and_add(&c->bytes, len);
		}
	}
	k.dir = dir;
	k.ch = ch;
	parse_ip(&k, ip, len);
	f = bpf_map_lookup_elem(&flows, &k);
	if (!f) {
		/* EEXIST: another CPU added it first */
		bpf_map_update_elem(&flows, &k, &nf, BPF_NOEXIST);
		f = bpf_map_lookup_elem(&flows, &k);
		if (!f) {
			__sync_fetch_and_add(&map_full, 1);
			return 0;
		}
	}
	if (drop) {
		__sync_fetch_and_add(&f->drops, 1);
		__sync_fetch_and_add(&f->drop_bytes, len);
	} else {
		__sync_fetch_and_add(&f->packets, 1);
		__sync_fetch_and_add(&f->bytes, len);
	}
	f->last_ns = bpf_ktime_get_ns();
	return 0;
}

SEC("raw_tp/bam_dmux_drop")
int BPF_PROG(dmux_drop, __u8 dir, __u8 ch, __u32 len, const char *reason)
{
	struct dmuxstat_ch *c;
	__u32 idx;

	if (dir > 1)
		return 0;
	if (ch >= DMUXSTAT_NUM_CH)
		ch = DMUXSTAT_CH_UNKNOWN;
	idx = dir * (DMUXSTAT_NUM_CH + 1) + ch;
	c = bpf_map_lookup_elem(&channels, &idx);
	if (c)
		__sync_fetch_and_add(&c->drops, 1);
	return 0;
}
