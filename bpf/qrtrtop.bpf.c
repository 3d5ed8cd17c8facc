// SPDX-License-Identifier: GPL-2.0
/*
 * qrtrtop: per-endpoint, per-remote-port and per-service QRTR accounting from
 * the socbpf_qrtr tracepoints (system "qrtr"):
 *
 *   qrtr_pkt_rx / qrtr_pkt_tx        packets and payload bytes per endpoint,
 *                                    per remote (node, port), nodes seen
 *   qrtr_pkt_drop                    drops per endpoint and reason
 *   qrtr_endpoint_add / _remove /    endpoint id <-> device key, state
 *   qrtr_endpoint_id_assign
 *   qrtr_ns_server_ep                servers with their endpoint (socbpf)
 *   qrtr_ns_server_add /             fallback when qrtr_ns_server_ep does
 *   qrtr_ns_service_announce_del     not exist (upstream events, no endpoint)
 *
 * Every handler exists twice: as tp_btf (typed arguments through the
 * module's BTF, the default) and as raw_tp (the same u64 argument array,
 * for a module built without BTF).  Userspace loads exactly one set, and
 * only the service programs whose events exist.
 *
 * and, when socbpf_qmi is loaded, the QMI messages and transactions of its
 * in-kernel handles (system "socbpf_qmi"):
 *
 *   socbpf_qmi_tx / socbpf_qmi_rx    messages per (endpoint, service, message
 *                                    id, QMI type, direction)
 *   socbpf_qmi_txn_end               transactions per (endpoint, service):
 *                                    completed / timed out / failed, and a
 *                                    latency histogram of the completed ones
 *
 * Counters are cumulative; the tool computes rates from successive reads.
 *
 * qrtr_pkt_rx/tx fire where the module counts a packet (it went through the
 * endpoint), so the rx/tx counters here mean what the module's own debugfs
 * counters mean; a refused packet only shows up as qrtr_pkt_drop.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "../tools/qrtrtop/qrtrtop.h"

char LICENSE[] SEC("license") = "GPL";

/* statistics about the programs themselves */
__u64 svc_seq = 0;		/* services event order */
__u64 map_full = 0;		/* updates that failed (map full) */

#include "qrtrtop_qmi.bpf.h"

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, QRTRTOP_MAX_EPS);
	__type(key, __u32);
	__type(value, struct qrtrtop_ep);
} eps SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, QRTRTOP_MAX_PORTS);
	__type(key, struct qrtrtop_port_key);
	__type(value, struct qrtrtop_port);
} ports SEC(".maps");

/* (endpoint, node) -> packets from that node */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, QRTRTOP_MAX_NODES);
	__type(key, struct qrtrtop_node_key);
	__type(value, __u64);
} nodes SEC(".maps");

/* node -> endpoint it was last heard on (guesses the endpoint of a server
 * for the upstream ns events, which lack it)
 */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, QRTRTOP_MAX_NODES);
	__type(key, __u32);
	__type(value, __u32);
} node_ep SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, QRTRTOP_MAX_DROPS);
	__type(key, struct qrtrtop_drop_key);
	__type(value, struct qrtrtop_drop);
} drops SEC(".maps");

static struct qrtrtop_ep *ep_get(__u32 epid)
{
	struct qrtrtop_ep *ep, zero = {};

	ep = bpf_map_lookup_elem(&eps, &epid);
	if (ep)
		return ep;
	if (bpf_map_update_elem(&eps, &epid, &zero, BPF_NOEXIST) &&
	    !bpf_map_lookup_elem(&eps, &epid))
		__sync_fetch_and_add(&map_full, 1);
	return bpf_map_lookup_elem(&eps, &epid);
}

static __always_inline int do_pkt(__u32 epid, __u32 type, __u32 src_node,
				  __u32 src_port, __u32 dst_node,
				  __u32 dst_port, __u32 len, bool rx)
{
	struct qrtrtop_port_key pk = {};
	struct qrtrtop_node_key nk = {};
	struct qrtrtop_port *p, pzero = {};
	struct qrtrtop_ep *ep;
	__u64 one = 1, *n;

	ep = ep_get(epid);
	if (ep) {
		if (rx) {
			__sync_fetch_and_add(&ep->rx_pkts, 1);
			__sync_fetch_and_add(&ep->rx_bytes, len);
			if (type == QRTRTOP_TYPE_DATA)
				__sync_fetch_and_add(&ep->rx_data, 1);
		} else {
			__sync_fetch_and_add(&ep->tx_pkts, 1);
			__sync_fetch_and_add(&ep->tx_bytes, len);
			if (type == QRTRTOP_TYPE_DATA)
				__sync_fetch_and_add(&ep->tx_data, 1);
		}
	}

	pk.epid = epid;
	pk.node = rx ? src_node : dst_node;
	pk.port = rx ? src_port : dst_port;
	p = bpf_map_lookup_elem(&ports, &pk);
	if (!p) {
		bpf_map_update_elem(&ports, &pk, &pzero, BPF_NOEXIST);
		p = bpf_map_lookup_elem(&ports, &pk);
	}
	if (p) {
		if (rx) {
			__sync_fetch_and_add(&p->rx_pkts, 1);
			__sync_fetch_and_add(&p->rx_bytes, len);
		} else {
			__sync_fetch_and_add(&p->tx_pkts, 1);
			__sync_fetch_and_add(&p->tx_bytes, len);
		}
	}

	if (rx) {
		nk.epid = epid;
		nk.node = src_node;
		n = bpf_map_lookup_elem(&nodes, &nk);
		if (n)
			__sync_fetch_and_add(n, 1);
		else
			bpf_map_update_elem(&nodes, &nk, &one, BPF_NOEXIST);
		bpf_map_update_elem(&node_ep, &src_node, &epid, BPF_ANY);
	}
	return 0;
}

static __always_inline int do_drop(__u32 epid, __u32 reason,
				   const char *name)
{
	struct qrtrtop_drop_key dk = { .epid = epid, .reason = reason };
	struct qrtrtop_drop *d, dzero = {};
	char rname[QRTRTOP_REASON_LEN] = {};
	struct qrtrtop_ep *ep;

	bpf_probe_read_kernel_str(rname, sizeof(rname), name);
	ep = ep_get(epid);
	if (ep)
		__sync_fetch_and_add(&ep->drops, 1);
	d = bpf_map_lookup_elem(&drops, &dk);
	if (!d) {
		__builtin_memcpy(dzero.name, rname, sizeof(rname));
		bpf_map_update_elem(&drops, &dk, &dzero, BPF_NOEXIST);
		d = bpf_map_lookup_elem(&drops, &dk);
	}
	if (d)
		__sync_fetch_and_add(&d->count, 1);
	return 0;
}

/* Record that @epid belongs to @key now; a different key means the id was
 * reclaimed and reused: start its counters over.
 */
static __always_inline int do_ep(__u32 epid, const char *key, __u32 state)
{
	struct qrtrtop_ep *ep;
	char buf[QRTRTOP_KEY_LEN] = {};
	bool same = true;
	int i;

	ep = ep_get(epid);
	if (!ep)
		return 0;
	if (key)
		bpf_probe_read_kernel_str(buf, sizeof(buf), key);
	if (key && ep->key[0]) {
		for (i = 0; i < QRTRTOP_KEY_LEN; i++) {
			if (ep->key[i] != buf[i]) {
				same = false;
				break;
			}
			if (!buf[i])
				break;
		}
		if (!same) {
			ep->rx_pkts = 0;
			ep->rx_bytes = 0;
			ep->tx_pkts = 0;
			ep->tx_bytes = 0;
			ep->rx_data = 0;
			ep->tx_data = 0;
			ep->drops = 0;
			ep->gen++;
		}
	}
	if (key)
		__builtin_memcpy(ep->key, buf, sizeof(buf));
	/* a pre-assignment of a live id does not change its state */
	if (state != QRTRTOP_EP_PRE || ep->state != QRTRTOP_EP_LIVE)
		ep->state = state;
	return 0;
}

static __always_inline int do_svc(__u32 epid, __u32 service, __u32 instance,
				  __u32 node, __u32 port, bool add,
				  __u32 flags)
{
	struct qrtrtop_svc_key sk = { .epid = epid, .node = node,
				      .port = port };
	struct qrtrtop_svc sv = {
		.service = service,
		.instance = instance,
		.flags = flags,
		.live = add,
	};

	sv.seq = __sync_fetch_and_add(&svc_seq, 1) + 1;
	if (bpf_map_update_elem(&svcs, &sk, &sv, BPF_ANY))
		__sync_fetch_and_add(&map_full, 1);
	return 0;
}

/* Upstream events: no endpoint.  Guess it from the node that was last heard
 * on an endpoint; a local server (our own node) is endpoint 0.
 */
static __always_inline int do_svc_guess(__u32 service, __u32 instance,
					__u32 node, __u32 port, bool add)
{
	__u32 *e = bpf_map_lookup_elem(&node_ep, &node);

	return do_svc(e ? *e : 0, service, instance, node, port, add, 0);
}

/*
 * The handle knows the service of a server it looked up; when it does not
 * (service 0), the server table may: (endpoint, node, port) of the peer.
 */
static __always_inline __u32 qmi_service(__u32 epid, __u32 node, __u32 port,
					 __u32 service)
{
	return service ?: qmi_svc_of(epid, node, port);
}

static __always_inline int do_qmi_msg(__u32 epid, __u32 node, __u32 port,
				      __u32 service, __u8 type, __u16 msg_id,
				      __u32 len, int result, __u8 dir)
{
	struct qrtrtop_qmi_msg_key k = {
		.epid = epid,
		.service = qmi_service(epid, node, port, service),
		.msg_id = msg_id,
		.type = type,
		.dir = dir,
	};

	qmi_count_msg(&k, len, result);
	return 0;
}

static __always_inline int do_qmi_txn(__u32 epid, __u32 node, __u32 port,
				      __u32 service, int result, __u64 lat)
{
	qmi_count_txn(epid, qmi_service(epid, node, port, service), result,
		      lat);
	return 0;
}

#define PKT_ARGS u32 epid, u32 type, u32 sn, u32 sp, u32 dn, u32 dp, u32 len
#define QMI_MSG_ARGS u32 epid, u32 node, u32 port, u32 service, u8 type, \
	u16 msg_id, u16 txn_id, u32 len, int result
#define QMI_TXN_ARGS u32 epid, u32 node, u32 port, u32 service, u16 msg_id, \
	u16 txn_id, int result, u64 lat

/* ---- tp_btf (default) ------------------------------------------------- */
SEC("tp_btf/qrtr_pkt_rx")
int BPF_PROG(btf_pkt_rx, PKT_ARGS)
{
	return do_pkt(epid, type, sn, sp, dn, dp, len, true);
}

SEC("tp_btf/qrtr_pkt_tx")
int BPF_PROG(btf_pkt_tx, PKT_ARGS)
{
	return do_pkt(epid, type, sn, sp, dn, dp, len, false);
}

SEC("tp_btf/qrtr_pkt_drop")
int BPF_PROG(btf_pkt_drop, u32 epid, u32 reason, const char *name)
{
	return do_drop(epid, reason, name);
}

SEC("tp_btf/qrtr_endpoint_add")
int BPF_PROG(btf_ep_add, u32 epid, const char *key)
{
	return do_ep(epid, key, QRTRTOP_EP_LIVE);
}

SEC("tp_btf/qrtr_endpoint_remove")
int BPF_PROG(btf_ep_remove, u32 epid, const char *key)
{
	return do_ep(epid, key, QRTRTOP_EP_DOWN);
}

SEC("tp_btf/qrtr_endpoint_id_assign")
int BPF_PROG(btf_ep_assign, u32 epid, const char *key, bool pre)
{
	return do_ep(epid, key, pre ? QRTRTOP_EP_PRE : QRTRTOP_EP_LIVE);
}

SEC("tp_btf/qrtr_ns_server_ep")
int BPF_PROG(btf_ns_server_ep, u32 epid, u32 service, u32 instance,
	     u32 node, u32 port, bool add)
{
	return do_svc(epid, service, instance, node, port, add,
		      QRTRTOP_SVC_EPID_EXACT);
}

SEC("tp_btf/qrtr_ns_server_add")
int BPF_PROG(btf_ns_server_add, unsigned int service, unsigned int instance,
	     unsigned int node, unsigned int port)
{
	return do_svc_guess(service, instance, node, port, true);
}

SEC("tp_btf/qrtr_ns_service_announce_del")
int BPF_PROG(btf_ns_announce_del, unsigned int service, unsigned int instance,
	     unsigned int node, unsigned int port)
{
	return do_svc(0, service, instance, node, port, false, 0);
}

SEC("tp_btf/socbpf_qmi_tx")
int BPF_PROG(btf_qmi_tx, QMI_MSG_ARGS)
{
	return do_qmi_msg(epid, node, port, service, type, msg_id, len, result,
			  QRTRTOP_QMI_TX);
}

SEC("tp_btf/socbpf_qmi_rx")
int BPF_PROG(btf_qmi_rx, QMI_MSG_ARGS)
{
	return do_qmi_msg(epid, node, port, service, type, msg_id, len, result,
			  QRTRTOP_QMI_RX);
}

SEC("tp_btf/socbpf_qmi_txn_end")
int BPF_PROG(btf_qmi_txn_end, QMI_TXN_ARGS)
{
	return do_qmi_txn(epid, node, port, service, result, lat);
}

/* ---- raw_tp (module without BTF) -------------------------------------- */
SEC("raw_tp/qrtr_pkt_rx")
int BPF_PROG(raw_pkt_rx, PKT_ARGS)
{
	return do_pkt(epid, type, sn, sp, dn, dp, len, true);
}

SEC("raw_tp/qrtr_pkt_tx")
int BPF_PROG(raw_pkt_tx, PKT_ARGS)
{
	return do_pkt(epid, type, sn, sp, dn, dp, len, false);
}

SEC("raw_tp/qrtr_pkt_drop")
int BPF_PROG(raw_pkt_drop, u32 epid, u32 reason, const char *name)
{
	return do_drop(epid, reason, name);
}

SEC("raw_tp/qrtr_endpoint_add")
int BPF_PROG(raw_ep_add, u32 epid, const char *key)
{
	return do_ep(epid, key, QRTRTOP_EP_LIVE);
}

SEC("raw_tp/qrtr_endpoint_remove")
int BPF_PROG(raw_ep_remove, u32 epid, const char *key)
{
	return do_ep(epid, key, QRTRTOP_EP_DOWN);
}

SEC("raw_tp/qrtr_endpoint_id_assign")
int BPF_PROG(raw_ep_assign, u32 epid, const char *key, bool pre)
{
	return do_ep(epid, key, pre ? QRTRTOP_EP_PRE : QRTRTOP_EP_LIVE);
}

SEC("raw_tp/qrtr_ns_server_ep")
int BPF_PROG(raw_ns_server_ep, u32 epid, u32 service, u32 instance,
	     u32 node, u32 port, bool add)
{
	return do_svc(epid, service, instance, node, port, add,
		      QRTRTOP_SVC_EPID_EXACT);
}

SEC("raw_tp/qrtr_ns_server_add")
int BPF_PROG(raw_ns_server_add, unsigned int service, unsigned int instance,
	     unsigned int node, unsigned int port)
{
	return do_svc_guess(service, instance, node, port, true);
}

SEC("raw_tp/qrtr_ns_service_announce_del")
int BPF_PROG(raw_ns_announce_del, unsigned int service, unsigned int instance,
	     unsigned int node, unsigned int port)
{
	return do_svc(0, service, instance, node, port, false, 0);
}

SEC("raw_tp/socbpf_qmi_tx")
int BPF_PROG(raw_qmi_tx, QMI_MSG_ARGS)
{
	return do_qmi_msg(epid, node, port, service, type, msg_id, len, result,
			  QRTRTOP_QMI_TX);
}

SEC("raw_tp/socbpf_qmi_rx")
int BPF_PROG(raw_qmi_rx, QMI_MSG_ARGS)
{
	return do_qmi_msg(epid, node, port, service, type, msg_id, len, result,
			  QRTRTOP_QMI_RX);
}

SEC("raw_tp/socbpf_qmi_txn_end")
int BPF_PROG(raw_qmi_txn_end, QMI_TXN_ARGS)
{
	return do_qmi_txn(epid, node, port, service, result, lat);
}
