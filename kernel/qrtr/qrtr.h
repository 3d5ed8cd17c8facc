/* SPDX-License-Identifier: GPL-2.0 */
/*
 * socbpf_qrtr internal API: the router core, the endpoint registry, the
 * socket layer, the name service and the backends talk through this header.
 *
 * Locking overview
 *  - qrtr_reg_lock (endpoint.c) guards the registry; ids are looked up under
 *    RCU by the data path only through a link, which pins its entry.
 *  - qrtr_links_lock (core.c) serialises link register/unregister;
 *    broadcasts walk the links under RCU and transmit with no lock held.
 *  - qrtr_ns.lock (ns.c) serialises the name service; it may take the two
 *    locks above, nothing takes it while holding them.
 *  - Ports (af_qrtr.c) live in an xarray; sockets are SOCK_RCU_FREE so a
 *    lookup is rcu_read_lock() + refcount_inc_not_zero().
 */
#ifndef _SOCBPF_QRTR_INTERNAL_H
#define _SOCBPF_QRTR_INTERNAL_H

#include <linux/types.h>
#include <linux/skbuff.h>
#include <linux/module.h>
#include <linux/qrtr.h>
#include <uapi/linux/socbpf_qrtr.h>
#include <socbpf/qrtr_wire.h>

#define QRTR_EP_KEY_MAX		QRTR_TUN_KEY_MAX
#define QRTR_EP_NAME_MAX	(2 * QRTR_EP_KEY_MAX + 1)

/* autobind range, as upstream */
#define QRTR_MIN_EPH_SOCKET	0x4000
#define QRTR_MAX_EPH_SOCKET	0x7fff

#define QRTR_TX_FLOW_HIGH	10
#define QRTR_TX_FLOW_LOW	5

/* Headroom/tailroom every skb headed for a link needs. */
#define QRTR_HDR_MAX		sizeof(struct qrtr_wire_hdr_v1)
#define QRTR_PAD_MAX		3

/**
 * enum qrtr_drop_reason - why a packet did not reach its destination
 * @QRTR_DROP_NONE: not dropped
 * @QRTR_DROP_SHORT: frame shorter than its header (wire)
 * @QRTR_DROP_VERSION: unknown header version (wire)
 * @QRTR_DROP_SIZE: size field disagrees with frame length (wire)
 * @QRTR_DROP_TYPE: unknown packet type (wire)
 * @QRTR_DROP_CTRL: malformed or misaddressed control packet (wire)
 * @QRTR_DROP_ADDR: source address is local, broadcast or otherwise invalid
 * @QRTR_DROP_NODES: endpoint announced more nodes than allowed
 * @QRTR_DROP_NOPORT: no local socket on the destination port
 * @QRTR_DROP_RCVBUF: destination socket's receive queue is full
 * @QRTR_DROP_FILTER: destination socket is bound to another endpoint
 * @QRTR_DROP_NOMEM: allocation failed
 * @QRTR_DROP_LINKDOWN: the endpoint's link went away
 * @QRTR_DROP_TXERR: the backend refused the frame
 * @QRTR_DROP_NS: the name service rejected a control message
 * @QRTR_DROP_POLICY: the attached BPF policy dropped it
 * @QRTR_DROP_MAX: number of reasons
 *
 * The first five equal enum qrtr_wire_err so parser results map directly.
 */
enum qrtr_drop_reason {
	QRTR_DROP_NONE = 0,
	QRTR_DROP_SHORT = QRTR_WIRE_ERR_SHORT,
	QRTR_DROP_VERSION = QRTR_WIRE_ERR_VERSION,
	QRTR_DROP_SIZE = QRTR_WIRE_ERR_SIZE,
	QRTR_DROP_TYPE = QRTR_WIRE_ERR_TYPE,
	QRTR_DROP_CTRL = QRTR_WIRE_ERR_CTRL,
	QRTR_DROP_ADDR,
	QRTR_DROP_NODES,
	QRTR_DROP_NOPORT,
	QRTR_DROP_RCVBUF,
	QRTR_DROP_FILTER,
	QRTR_DROP_NOMEM,
	QRTR_DROP_LINKDOWN,
	QRTR_DROP_TXERR,
	QRTR_DROP_NS,
	QRTR_DROP_POLICY,
	QRTR_DROP_MAX,
};

const char *qrtr_drop_name(unsigned int reason);

struct qrtr_link;

/**
 * struct qrtr_cb - per-packet metadata kept in skb->cb inside the router
 * @src_node: source node
 * @src_port: source port
 * @dst_node: destination node
 * @dst_port: destination port
 * @endpoint_id: endpoint it came from / goes to, 0 = local
 * @scope_ep: local control messages: the endpoint the sending socket talks
 *            to (its binding or QRTR_ENDPOINT cmsg), 0 for all
 * @link: control messages queued from a link: that link (referenced), so a
 *        message outliving its link is never applied to a successor that
 *        reuses the endpoint id
 * @type: packet type
 * @confirm_rx: the sender wants a RESUME_TX
 */
struct qrtr_cb {
	u32 src_node;
	u32 src_port;
	u32 dst_node;
	u32 dst_port;
	u32 endpoint_id;
	u32 scope_ep;
	struct qrtr_link *link;
	u8 type;
	u8 confirm_rx;
};

static inline struct qrtr_cb *qrtr_cb(struct sk_buff *skb)
{
	BUILD_BUG_ON(sizeof(struct qrtr_cb) > sizeof(skb->cb));
	return (struct qrtr_cb *)skb->cb;
}

/* ---- backend API (exported) ---- */

struct qrtr_link;

/**
 * struct socbpf_qrtr_endpoint - a backend link (one device)
 * @xmit: called with a complete v1 frame; takes ownership of @skb on both
 *        success and failure.  May sleep.
 * @kind: what kind of link this is, QRTR_BACKEND_* from
 *        <socbpf/qrtr_policy_abi.h>; set before registering (policies see it)
 * @link: router state, private to the core
 */
struct socbpf_qrtr_endpoint {
	int (*xmit)(struct socbpf_qrtr_endpoint *ep, struct sk_buff *skb);
	u32 kind;
	/* private: */
	struct qrtr_link *link;
};

int socbpf_qrtr_endpoint_register(struct socbpf_qrtr_endpoint *ep,
				  const void *data, size_t len);
void socbpf_qrtr_endpoint_unregister(struct socbpf_qrtr_endpoint *ep);
int socbpf_qrtr_endpoint_post(struct socbpf_qrtr_endpoint *ep,
			      const void *buf, size_t len);
int socbpf_qrtr_endpoint_post_skb(struct socbpf_qrtr_endpoint *ep,
				  struct sk_buff *skb);
u32 socbpf_qrtr_endpoint_id(const struct socbpf_qrtr_endpoint *ep);

/* ---- endpoint registry (endpoint.c) ---- */

/**
 * struct qrtr_epent - one registry entry: an endpoint id and its device
 * @id: endpoint id, 1..max_endpoint_id
 * @ref: one reference for a live link, one for a pre-assignment
 * @live: a link currently uses this id
 * @preassigned: an owner reserved this id (holds a reference)
 * @owner: module that pre-assigned it (reclaimed when it goes away)
 * @keylen: bytes in @key
 * @key: the backend's per-device data
 * @name: printable form of @key
 * @rx_pkts: frames accepted from the link
 * @rx_bytes: payload bytes accepted from the link
 * @tx_pkts: frames handed to the link
 * @tx_bytes: payload bytes handed to the link
 * @drops: drop counters by enum qrtr_drop_reason
 * @rcu: deferred free
 */
struct qrtr_epent {
	u32 id;
	refcount_t ref;
	bool live;
	bool preassigned;
	struct module *owner;
	u32 keylen;
	u8 key[QRTR_EP_KEY_MAX];
	char name[QRTR_EP_NAME_MAX];
	atomic64_t rx_pkts;
	atomic64_t rx_bytes;
	atomic64_t tx_pkts;
	atomic64_t tx_bytes;
	atomic64_t drops[QRTR_DROP_MAX];
	struct rcu_head rcu;
};

int qrtr_reg_attach(const void *data, size_t len, u32 kind,
		    struct qrtr_epent **out);
void qrtr_reg_detach(struct qrtr_epent *ent);
void qrtr_reg_put(struct qrtr_epent *ent);
void qrtr_reg_count_drop(struct qrtr_epent *ent, unsigned int reason);
int qrtr_reg_init(void);
void qrtr_reg_exit(void);

int socbpf_qrtr_epid_lookup(const void *data, size_t len);
int __socbpf_qrtr_epid_preassign(const void *data, size_t len,
				 struct module *owner);
int socbpf_qrtr_epid_release(const void *data, size_t len);

/**
 * socbpf_qrtr_epid_preassign() - reserve an endpoint id for a device
 * @data: the backend's per-device data (e.g. a tun key string)
 * @len: bytes in @data
 *
 * The reservation is owned by the calling module and dropped automatically
 * when that module is unloaded.  See __socbpf_qrtr_epid_preassign().
 */
#define socbpf_qrtr_epid_preassign(data, len) \
	__socbpf_qrtr_epid_preassign(data, len, THIS_MODULE)

/* ---- router core (core.c) ---- */

struct qrtr_flow;

/**
 * struct qrtr_route - a sender's cached route to the port it last sent to
 * @gen: node table generation it was looked up under
 * @link: the link then (not referenced; see qrtr_route_get())
 * @flow: the port's tx flow on @link, NULL if none
 * @epid: endpoint asked for, 0 for any
 * @node: remote node
 * @port: remote port of @flow
 */
struct qrtr_route {
	unsigned long gen;
	struct qrtr_link *link;
	struct qrtr_flow *flow;
	u32 epid;
	u32 node;
	u32 port;
};

extern unsigned int qrtr_local_nid;

struct qrtr_link *qrtr_link_get(u32 epid);
struct qrtr_link *qrtr_link_get_by_node(u32 epid, u32 nid);
void qrtr_link_put(struct qrtr_link *link);
u32 qrtr_link_id(const struct qrtr_link *link);
bool qrtr_link_alive(const struct qrtr_link *link);
struct sk_buff *qrtr_alloc_skb(size_t len, gfp_t gfp);
int qrtr_link_xmit(struct qrtr_link *link, struct sk_buff *skb);
struct qrtr_link *qrtr_route_get(struct qrtr_route *rt, u32 epid, u32 node,
				 u32 port);
int qrtr_tx_wait(struct qrtr_link *link, struct qrtr_flow *flow, bool *full);
bool qrtr_tx_flow_full(u32 epid, u32 node, u32 port);
bool qrtr_link_ns_admit(struct qrtr_link *link);
void qrtr_link_ns_done(struct qrtr_link *link);
void qrtr_tx_flow_failed(struct qrtr_flow *flow);
int qrtr_bcast_links(struct sk_buff *skb, u32 epid);
void qrtr_count_drop(struct qrtr_link *link, u32 epid, unsigned int reason);
void qrtr_count_drop_skb(struct sk_buff *skb, unsigned int reason);
bool qrtr_link_has_node(u32 epid, u32 nid);
unsigned int qrtr_nr_links(void);
unsigned long qrtr_nr_nodes(void);
unsigned int qrtr_link_nr_nodes(u32 epid);
u64 qrtr_global_drop(unsigned int reason);
int qrtr_core_init(void);
void qrtr_core_exit(void);

/* ---- sockets (af_qrtr.c) ---- */

int qrtr_local_enqueue(struct sk_buff *skb);
int qrtr_sock_deliver(struct sk_buff *skb);
void qrtr_sock_flow_resumed(u32 epid, u32 node, u32 port, bool any_port);
unsigned int qrtr_nr_socks(void);
int qrtr_proto_init(void);
void qrtr_proto_exit(void);

/* ---- name service (ns.c) ---- */

int qrtr_ns_local_rx(struct sk_buff *skb);
void qrtr_ns_queue(struct qrtr_link *link, struct sk_buff *skb);
void qrtr_ns_endpoint_down(u32 epid, const u32 *nodes, unsigned int n);
bool qrtr_ns_port_service(u32 epid, u32 node, u32 port, u32 *service,
			  u32 *instance);
unsigned int qrtr_ns_nr_servers(void);
unsigned int qrtr_ns_nr_lookups(void);
int qrtr_ns_show(struct seq_file *m, void *v);
int qrtr_ns_init(void);
void qrtr_ns_exit(void);

/* ---- tun backend (tun.c) ---- */

int qrtr_tun_init(void);
void qrtr_tun_exit(void);

/* ---- debugfs (endpoint.c) ---- */

struct dentry *qrtr_debugfs_dir(void);

#endif /* _SOCBPF_QRTR_INTERNAL_H */
