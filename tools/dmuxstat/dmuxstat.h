/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dmuxstat: map layouts shared by bpf/dmuxstat.bpf.c and the tool.
 * Plain fixed-size types only: this header is included by BPF (vmlinux.h
 * types) and by userspace (linux/types.h).
 */
#ifndef _SOCBPF_DMUXSTAT_H
#define _SOCBPF_DMUXSTAT_H

#define DMUXSTAT_NUM_CH		8
#define DMUXSTAT_CH_UNKNOWN	8	/* drops whose channel was not trusted */
#define DMUXSTAT_MAX_FLOWS	4096

/* per channel and direction (0 rx from the modem, 1 tx to it) */
struct dmuxstat_ch {
	__u64 packets;
	__u64 bytes;
	__u64 drops;
};

struct dmuxstat_flow_key {
	__u8 dir;		/* 0 rx, 1 tx */
	__u8 ch;
	__u8 family;		/* 4 or 6; 0 when not parsable */
	__u8 proto;		/* IP protocol */
	__u16 sport;		/* host order; 0 without ports */
	__u16 dport;
	__u8 saddr[16];		/* IPv4 in the first 4 bytes */
	__u8 daddr[16];
};

struct dmuxstat_flow {
	__u64 packets;		/* delivered (rx) or taken by the modem (tx) */
	__u64 bytes;		/* IP bytes */
	__u64 drops;
	__u64 drop_bytes;
	__u64 last_ns;		/* bpf_ktime_get_ns() of the last packet */
};

#endif /* _SOCBPF_DMUXSTAT_H */
