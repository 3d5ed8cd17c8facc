// SPDX-License-Identifier: GPL-2.0
/*
 * The router's table keys (include/socbpf/qrtr_keys.h): one-to-one, and
 * small for the small ids real links use, so an xarray lookup stays one or
 * two levels deep instead of six.
 */
#include <stdio.h>
#include <stdlib.h>

#include <socbpf/qrtr_keys.h>
#include <uapi/linux/socbpf_qrtr.h>

#include "unit_tap.h"

/* Undo the interleave bit by bit: the reference the fast code must match. */
static void unmix(__u64 k, __u32 *node, __u32 *port)
{
	int i;

	*node = 0;
	*port = 0;
	for (i = 0; i < 32; i++) {
		*node |= (__u32)((k >> (2 * i)) & 1) << i;
		*port |= (__u32)((k >> (2 * i + 1)) & 1) << i;
	}
}

static __u32 rnd32(unsigned long long *s)
{
	*s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
	return (__u32)(*s >> 32);
}

int main(void)
{
	unsigned long long seed = 42;
	int i, bad = 0;
	char desc[128];
	__u32 n, p;

	printf("TAP version 13\n1..6\n");

	for (i = 0; i < 1000000; i++) {
		__u32 node = rnd32(&seed), port = rnd32(&seed);

		unmix(qrtr_flow_key(node, port), &n, &p);
		if (n != node || p != port)
			bad++;
	}
	unmix(qrtr_flow_key(0xffffffff, 0xffffffff), &n, &p);
	bad += n != 0xffffffff || p != 0xffffffff;
	check(!bad, "flow key: one-to-one (1e6 random pairs and the extremes decode back)");

	/* node 7, port 1 (the emulated devices' echo service): one level */
	snprintf(desc, sizeof(desc),
		 "flow key: small node/port give small indices (7:1 -> %llu)",
		 (unsigned long long)qrtr_flow_key(7, 1));
	check(qrtr_flow_key(7, 1) < 64 &&
	      qrtr_flow_key(0xffff, 0xffff) < (1ULL << 32), desc);

	bad = 0;
	for (i = 0; i < 1000000; i++) {
		__u32 ep = 1 + rnd32(&seed) % QRTR_ENDPOINT_ID_MAX;
		__u32 nid = rnd32(&seed);
		__u64 k = qrtr_node_key(ep, nid);

		if (qrtr_node_key_ep(k) != ep || qrtr_node_key_nid(k) != nid)
			bad++;
	}
	check(!bad, "node key: one-to-one for every endpoint id and any node");
	check(QRTR_ENDPOINT_ID_MAX < (1 << QRTR_KEY_EP_BITS),
	      "node key: every endpoint id (QRTR_ENDPOINT_ID_MAX) fits its bits");

	/* all endpoints of one node are contiguous and ordered by id */
	check(qrtr_node_key(QRTR_ENDPOINT_ID_MAX, 7) - qrtr_node_key(1, 7) ==
	      QRTR_ENDPOINT_ID_MAX - 1 &&
	      qrtr_node_key(2, 7) > qrtr_node_key(1, 7) &&
	      qrtr_node_key(QRTR_ENDPOINT_ID_MAX, 6) < qrtr_node_key(1, 7),
	      "node key: one node's routes are one range, lowest endpoint first");
	check(qrtr_node_key(1, 7) < 4096,
	      "node key: endpoint 1, node 7 within two levels");
	return n_fail ? 1 : 0;
}
