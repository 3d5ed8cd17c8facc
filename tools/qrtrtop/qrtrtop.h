/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * qrtrtop: map layouts shared by bpf/qrtrtop.bpf.c and tools/qrtrtop.
 * Plain fixed-width types only: read by clang -target bpf (with vmlinux.h)
 * and by the userspace tool (with <linux/types.h>).
 *
 * All counters are cumulative since the programs were attached; the tool
 * turns them into per-interval rates (include/socbpf/qrtrtop_rate.h).
 */
#ifndef _QRTRTOP_H
#define _QRTRTOP_H

#include "../../include/socbpf/lathist.h"

#define QRTRTOP_KEY_LEN		72	/* endpoint key as printed (>= 64 + NUL) */
#define QRTRTOP_REASON_LEN	16	/* drop reason name */
#define QRTRTOP_MAX_EPS		256	/* endpoint ids are 1..255, 0 = local */
#define QRTRTOP_MAX_NODES	4096
#define QRTRTOP_MAX_PORTS	16384
#define QRTRTOP_MAX_SERVICES	4096
#define QRTRTOP_MAX_DROPS	2048

#define QRTRTOP_TYPE_DATA	1	/* QRTR_TYPE_DATA */
#define QRTRTOP_TYPE_NEW_SERVER	4

/* endpoint state (struct qrtrtop_ep.state) */
#define QRTRTOP_EP_UNKNOWN	0	/* only packets seen so far */
#define QRTRTOP_EP_LIVE		1	/* qrtr_endpoint_add */
#define QRTRTOP_EP_PRE		2	/* pre-assigned, no link yet */
#define QRTRTOP_EP_DOWN		3	/* qrtr_endpoint_remove */

/* key: endpoint id */
struct qrtrtop_ep {
	__u64 rx_pkts;
	__u64 rx_bytes;
	__u64 tx_pkts;
	__u64 tx_bytes;
	__u64 rx_data;		/* QRTR_TYPE_DATA frames only */
	__u64 tx_data;
	__u64 drops;
	__u32 gen;		/* bumped when the id moves to another key */
	__u32 state;
	char key[QRTRTOP_KEY_LEN];
};

/* a remote (node, port) talking through an endpoint */
struct qrtrtop_port_key {
	__u32 epid;
	__u32 node;
	__u32 port;
	__u32 pad;
};

struct qrtrtop_port {
	__u64 rx_pkts;		/* from that port */
	__u64 rx_bytes;
	__u64 tx_pkts;		/* to that port */
	__u64 tx_bytes;
};

/* a node seen as a source behind an endpoint */
struct qrtrtop_node_key {
	__u32 epid;
	__u32 node;
};

struct qrtrtop_drop_key {
	__u32 epid;
	__u32 reason;
};

struct qrtrtop_drop {
	__u64 count;
	char name[QRTRTOP_REASON_LEN];
};

/* a server: (endpoint, node, port) -> service; endpoint 0 = local */
struct qrtrtop_svc_key {
	__u32 epid;
	__u32 node;
	__u32 port;
	__u32 pad;
};

#define QRTRTOP_SVC_EPID_EXACT	0x1	/* endpoint from the event itself */

struct qrtrtop_svc {
	__u32 service;
	__u32 instance;		/* raw: version | instance << 8 */
	__u32 flags;
	__u32 live;
	__u64 seq;		/* event order, for userspace merging */
};

/*
 * QMI view, from the socbpf_qmi tracepoints (socbpf_qmi_tx, socbpf_qmi_rx,
 * socbpf_qmi_txn_end) of the in-kernel QMI handle.
 */
#define QRTRTOP_MAX_QMI_MSGS	4096
#define QRTRTOP_MAX_QMI_SVCS	1024
/*
 * Latency histogram: include/socbpf/lathist.h at 3 sub-bucket bits (8 per
 * power of two: percentiles within 6.25%), nanoseconds below 2^40 (about
 * 18 minutes) in their own bucket, a last one for the rest.
 */
#define QRTRTOP_LAT_SB		3
#define QRTRTOP_LAT_SLOTS	(LATHIST_NR(QRTRTOP_LAT_SB, 40) + 1)
#define QRTRTOP_LAT_REL_ERR	(LATHIST_REL_ERR_PPM(QRTRTOP_LAT_SB) / 1e6)

#define QRTRTOP_QMI_TX		0
#define QRTRTOP_QMI_RX		1

/* one message id of one service, in one direction, of one QMI type */
struct qrtrtop_qmi_msg_key {
	__u32 epid;
	__u32 service;
	__u16 msg_id;
	__u8 type;		/* QMI header type: 0 request, 2 response, 4 ind */
	__u8 dir;		/* QRTRTOP_QMI_TX or _RX (the handle's view) */
	__u32 pad;
};

struct qrtrtop_qmi_msg {
	__u64 count;
	__u64 bytes;
	__u64 errors;		/* send failed, or dropped as malformed */
};

/* transactions of one service behind one endpoint */
struct qrtrtop_qmi_svc_key {
	__u32 epid;
	__u32 service;
};

struct qrtrtop_qmi_svc {
	__u64 completed;	/* result 0: a response decoded */
	__u64 timedout;		/* -ETIMEDOUT */
	__u64 failed;		/* any other result (reset, bad response) */
	__u64 lat_sum_ns;	/* of the completed ones */
	__u64 lat_max_ns;
	__u32 hist[QRTRTOP_LAT_SLOTS];	/* of the completed ones */
};

/*
 * QMI on the wire, for userspace clients (qmicli, ...) over AF_QIPCRTR:
 * bpf/qrtrtop_wire.bpf.c reads the QMI header of every data packet a local
 * socket sends to a device (qrtr_link_xmit) or has delivered
 * (qrtr_sock_deliver). Requests from user sockets are remembered by
 * (endpoint, server node:port, client port, transaction id) until their
 * response; the rows reuse the structures above with source "wire".
 */
#define QRTRTOP_MAX_QMI_PENDING	4096

struct qrtrtop_qmi_pend_key {
	__u32 epid;
	__u32 srv_node;
	__u32 srv_port;
	__u32 cli_port;
	__u16 txn_id;
	__u16 pad;
};

struct qrtrtop_qmi_pend {
	__u64 sent_ns;		/* CLOCK_MONOTONIC (bpf_ktime_get_ns) */
	__u32 service;
	__u16 msg_id;
	__u16 pad;
};

#endif /* _QRTRTOP_H */
