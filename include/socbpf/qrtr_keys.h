/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Table keys of the QRTR router (kernel/qrtr/core.c), kept here so the
 * host unit tests can check them.
 *
 * The router looks up two tables on every packet: the node table, (endpoint
 * id, node) -> link, and a link's flow table, (node, port) -> flow control
 * state.  Both are xarrays, whose depth grows with the index: six bits a
 * level, so "hi << 32 | lo" (an index above 2^32 for any hi != 0) costs a
 * six-level walk per lookup even though the ids on the wire are small.
 * The keys below are one-to-one like "hi << 32 | lo", but small ids give
 * small indices (one or two levels):
 *
 * - node table: endpoint ids are 1..QRTR_ENDPOINT_ID_MAX (255), so
 *   "node << 8 | endpoint" keeps every node of one id range together and
 *   puts all endpoints of one node next to each other, lowest id first:
 *   the "any endpoint" route is one xa_find() over 255 indices.
 * - flow table: node and port are both full u32 values, so their bits are
 *   interleaved (Morton order): bit i of the node goes to bit 2i, bit i of
 *   the port to bit 2i + 1.
 */
#ifndef _SOCBPF_QRTR_KEYS_H
#define _SOCBPF_QRTR_KEYS_H

#include "compat.h"

#define QRTR_KEY_EP_BITS	8

static inline __u64 qrtr_node_key(__u32 epid, __u32 nid)
{
	return ((__u64)nid << QRTR_KEY_EP_BITS) | (__u8)epid;
}

static inline __u32 qrtr_node_key_ep(__u64 key)
{
	return (__u32)(key & ((1u << QRTR_KEY_EP_BITS) - 1));
}

static inline __u32 qrtr_node_key_nid(__u64 key)
{
	return (__u32)(key >> QRTR_KEY_EP_BITS);
}

/* Spread the 32 bits of @x over the even bits of a 64-bit value. */
static inline __u64 qrtr_key_spread(__u32 x)
{
	__u64 v = x;

	v = (v | (v << 16)) & 0x0000ffff0000ffffULL;
	v = (v | (v << 8)) & 0x00ff00ff00ff00ffULL;
	v = (v | (v << 4)) & 0x0f0f0f0f0f0f0f0fULL;
	v = (v | (v << 2)) & 0x3333333333333333ULL;
	v = (v | (v << 1)) & 0x5555555555555555ULL;
	return v;
}

static inline __u64 qrtr_flow_key(__u32 node, __u32 port)
{
	return qrtr_key_spread(node) | (qrtr_key_spread(port) << 1);
}

#endif /* _SOCBPF_QRTR_KEYS_H */
