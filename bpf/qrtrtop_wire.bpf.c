// SPDX-License-Identifier: GPL-2.0
/*
 * qrtrtop's QMI view of userspace clients (qmicli, libqmi, ...): the QMI
 * header of every QRTR data packet, read where socbpf_qrtr hands a packet
 * from a local socket to a device link (fentry qrtr_link_xmit) and where it
 * delivers one to a local socket (fentry qrtr_sock_deliver); each packet
 * takes exactly one of the two paths.
 *
 * Only the client side of userspace sockets is counted, so the in-kernel
 * handles (seen by qrtrtop.bpf.c through their own tracepoints) are not
 * counted twice: a request is counted when its sender is a user socket (one
 * with a file), and remembered in qmi_pending under (endpoint, server
 * node:port, client port, transaction id); a response is counted when it
 * matches a remembered request (latency = now - sent), an indication when
 * its destination port has sent a user request. Requests never answered
 * stay in qmi_pending: qrtrtop counts those older than its timeout as timed
 * out and removes them.
 *
 * Map svcs is qrtrtop.bpf.c's, shared by fd: the service of a message is
 * the server's. qmi_msgs and qmi_svcs are this program's own (the "wire"
 * rows of qrtrtop's QMI view), with the same layout as the handle's.
 */
#include "vmlinux_socbpf_qrtr.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "../tools/qrtrtop/qrtrtop.h"

char LICENSE[] SEC("license") = "GPL";

#define QMI_HDR_LEN	7	/* type u8, txn u16, msg u16, len u16 */
#define QRTR_DATA	1

__u64 data_pkts = 0;		/* data packets seen */
__u64 not_qmi = 0;		/* data packets without a valid QMI header */
__u64 map_full = 0;

#include "qrtrtop_qmi.bpf.h"

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, QRTRTOP_MAX_QMI_PENDING);
	__type(key, struct qrtrtop_qmi_pend_key);
	__type(value, struct qrtrtop_qmi_pend);
} qmi_pending SEC(".maps");

/* local ports that sent a user request: their indications count */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, QRTRTOP_MAX_PORTS);
	__type(key, __u32);
	__type(value, __u8);
} user_ports SEC(".maps");

struct qmi_hdr {
	__u8 type;
	__u16 txn;
	__u16 msg;
	__u16 len;
};

static __always_inline int read_hdr(struct sk_buff *skb, struct qmi_hdr *h)
{
	__u8 b[QMI_HDR_LEN];
	unsigned char *data = BPF_CORE_READ(skb, data);
	__u32 len = BPF_CORE_READ(skb, len);

	if (len < QMI_HDR_LEN || bpf_probe_read_kernel(b, sizeof(b), data))
		return -1;
	h->type = b[0];
	h->txn = b[1] | b[2] << 8;
	h->msg = b[3] | b[4] << 8;
	h->len = b[5] | b[6] << 8;
	if ((h->type != 0 && h->type != 2 && h->type != 4) ||
	    h->len != len - QMI_HDR_LEN) {
		__sync_fetch_and_add(&not_qmi, 1);
		return -1;
	}
	return 0;
}

static __always_inline void count_msg(__u32 epid, __u32 service,
				      const struct qmi_hdr *h, __u32 len,
				      __u8 dir)
{
	struct qrtrtop_qmi_msg_key k = {
		.epid = epid, .service = service, .msg_id = h->msg,
		.type = h->type, .dir = dir,
	};

	qmi_count_msg(&k, len, 0);
}

/* Is @sk a socket a process opened (not a kernel socket)? */
static __always_inline bool user_sock(struct sock *sk)
{
	struct socket *so;

	if (!sk)
		return false;
	so = BPF_CORE_READ(sk, sk_socket);
	return so && BPF_CORE_READ(so, file);
}

static __always_inline int on_packet(struct sk_buff *skb, __u32 epid)
{
	struct qrtr_cb *cb = (struct qrtr_cb *)skb->cb;
	struct qrtrtop_qmi_pend_key pk = {};
	struct qrtrtop_qmi_pend pv = {}, *p;
	__u32 sn, sp, dn, dp, len;
	struct qmi_hdr h;
	__u8 one = 1;

	if (BPF_CORE_READ(cb, type) != QRTR_DATA)
		return 0;
	__sync_fetch_and_add(&data_pkts, 1);
	if (read_hdr(skb, &h))
		return 0;
	sn = BPF_CORE_READ(cb, src_node);
	sp = BPF_CORE_READ(cb, src_port);
	dn = BPF_CORE_READ(cb, dst_node);
	dp = BPF_CORE_READ(cb, dst_port);
	len = BPF_CORE_READ(skb, len);

	if (h.type == 0) {
		/* a request from a user client to a server */
		if (!user_sock(BPF_CORE_READ(skb, sk)))
			return 0;
		pk.epid = epid;
		pk.srv_node = dn;
		pk.srv_port = dp;
		pk.cli_port = sp;
		pk.txn_id = h.txn;
		pv.sent_ns = bpf_ktime_get_ns();
		pv.service = qmi_svc_of(epid, dn, dp);
		pv.msg_id = h.msg;
		bpf_map_update_elem(&qmi_pending, &pk, &pv, BPF_ANY);
		bpf_map_update_elem(&user_ports, &sp, &one, BPF_ANY);
		count_msg(epid, pv.service, &h, len, QRTRTOP_QMI_TX);
		return 0;
	}
	if (h.type == 4) {
		/* an indication to a user client */
		if (bpf_map_lookup_elem(&user_ports, &dp))
			count_msg(epid, qmi_svc_of(epid, sn, sp), &h, len,
				  QRTRTOP_QMI_RX);
		return 0;
	}
	/* a response: to a request we saw? */
	pk.epid = epid;
	pk.srv_node = sn;
	pk.srv_port = sp;
	pk.cli_port = dp;
	pk.txn_id = h.txn;
	p = bpf_map_lookup_elem(&qmi_pending, &pk);
	if (!p)
		return 0;
	pv = *p;
	if (bpf_map_delete_elem(&qmi_pending, &pk))
		return 0;	/* qrtrtop timed it out meanwhile */
	count_msg(epid, pv.service, &h, len, QRTRTOP_QMI_RX);
	qmi_count_txn(epid, pv.service, 0, bpf_ktime_get_ns() - pv.sent_ns);
	return 0;
}

SEC("fentry/qrtr_link_xmit")
int BPF_PROG(wire_xmit, struct qrtr_link *link, struct sk_buff *skb)
{
	return on_packet(skb, BPF_CORE_READ(link, id));
}

SEC("fentry/qrtr_sock_deliver")
int BPF_PROG(wire_deliver, struct sk_buff *skb)
{
	struct qrtr_cb *cb = (struct qrtr_cb *)skb->cb;

	return on_packet(skb, BPF_CORE_READ(cb, endpoint_id));
}
