// SPDX-License-Identifier: GPL-2.0
/*
 * socbpf_qrtr router core: links (one per backend endpoint), the node table
 * keyed by (endpoint id, node id), the receive path from backends, the
 * transmit path to them and tx flow control.
 *
 * Every frame from a backend is parsed by qrtr_wire_parse() before anything
 * looks at it.  qrtr_rx_verdict() and qrtr_tx_verdict() are the one place per
 * direction where a packet crosses an endpoint (the future BPF verdict hook).
 */
#define pr_fmt(fmt) "socbpf_qrtr: " fmt

#include <linux/kref.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/wait.h>
#include <linux/xarray.h>
#include <linux/unaligned.h>

#include <socbpf/qrtr_keys.h>

#include "qrtr.h"
#include "policy.h"

#define CREATE_TRACE_POINTS
#include "trace.h"

#if BITS_PER_LONG < 64
#error "socbpf_qrtr keys its node table by (endpoint << 32 | node)"
#endif

unsigned int qrtr_local_nid = 1;
module_param_named(node_id, qrtr_local_nid, uint, 0444);
MODULE_PARM_DESC(node_id, "Local QRTR node id (default 1)");

static unsigned int max_nodes_per_endpoint = 64;
module_param(max_nodes_per_endpoint, uint, 0644);
MODULE_PARM_DESC(max_nodes_per_endpoint,
		 "Remote node ids one endpoint may use (default 64)");

static unsigned int ns_queue_per_endpoint = 256;
module_param(ns_queue_per_endpoint, uint, 0644);
MODULE_PARM_DESC(ns_queue_per_endpoint,
		 "Control messages of one endpoint the name service queues (default 256)");

/**
 * struct qrtr_flow - tx flow control state towards one remote port
 * @resume_tx: waiters; its lock serialises changes of @pending and @tx_failed
 *             (qrtr_tx_flow_full() reads them without it)
 * @pending: packets sent since the last RESUME_TX
 * @tx_failed: a packet that asked for confirmation was lost
 * @rcu: freed after a grace period (see qrtr_link_release())
 */
struct qrtr_flow {
	wait_queue_head_t resume_tx;
	unsigned int pending;
	bool tx_failed;
	struct rcu_head rcu;
};

/**
 * struct qrtr_link - router side of one backend endpoint
 * @ref: references (the endpoint's own plus transient senders)
 * @id: endpoint id
 * @ent: registry entry (pinned for the link's lifetime)
 * @ep_lock: serialises @ep->xmit against unregistration
 * @ep: the backend, NULL once unregistered
 * @nr_nodes: node ids in the node table for this link
 * @last_nid: the node of the last frame, known to be in the node table
 * @nid: the first remote node heard on the link (0 until then): the peer
 *       that control-port frames are addressed to, as upstream's node->nid
 * @ns_queued: control messages of this link waiting for the name service
 * @flow_lock: guards inserts into @flows
 * @flows: (node << 32 | port) -> struct qrtr_flow
 * @rcu: deferred free (lookups run under RCU)
 */
struct qrtr_link {
	struct kref ref;
	u32 id;
	struct qrtr_epent *ent;
	struct mutex ep_lock;		/* serialises xmit vs unregister */
	struct socbpf_qrtr_endpoint *ep;
	atomic_t nr_nodes;
	u32 last_nid;
	u32 nid;
	atomic_t ns_queued;
	struct mutex flow_lock;		/* guards inserts into @flows */
	struct xarray flows;
	struct rcu_head rcu;
};

static DEFINE_MUTEX(qrtr_links_lock);
static DEFINE_XARRAY(qrtr_links);	/* endpoint id -> link */
static DEFINE_XARRAY(qrtr_nodes);	/* qrtr_node_key(epid, nid) -> link */
/*
 * Bumped after every insert into and erase from qrtr_nodes: a route cached
 * while it had the same value is still the one the table gives (see
 * qrtr_route_get()).  Starts at 1 so that a zeroed cache never matches.
 */
static atomic_long_t qrtr_nodes_gen = ATOMIC_LONG_INIT(1);

static void qrtr_nodes_changed(void)
{
	/* the table change is visible before the new generation */
	smp_mb__before_atomic();
	atomic_long_inc(&qrtr_nodes_gen);
}

static_assert(QRTR_ENDPOINT_ID_MAX < (1 << QRTR_KEY_EP_BITS));
static_assert(sizeof(unsigned long) >= sizeof(u64));

static void qrtr_link_release(struct kref *ref)
{
	struct qrtr_link *link = container_of(ref, struct qrtr_link, ref);
	struct qrtr_flow *flow;
	unsigned long idx;

	/*
	 * qrtr_tx_flow_full() reads a link's flows under RCU alone: they go
	 * after a grace period, like the xarray's own nodes.
	 */
	xa_for_each(&link->flows, idx, flow)
		kfree_rcu(flow, rcu);
	xa_destroy(&link->flows);
	qrtr_reg_put(link->ent);
	kfree_rcu(link, rcu);
}

void qrtr_link_put(struct qrtr_link *link)
{
	if (link)
		kref_put(&link->ref, qrtr_link_release);
}

u32 qrtr_link_id(const struct qrtr_link *link)
{
	return link->id;
}

bool qrtr_link_alive(const struct qrtr_link *link)
{
	return READ_ONCE(link->ep);
}

/**
 * qrtr_link_get() - take a reference on the live link of an endpoint
 * @epid: endpoint id
 *
 * Return: the link or NULL.
 */
struct qrtr_link *qrtr_link_get(u32 epid)
{
	struct qrtr_link *link;

	rcu_read_lock();
	link = xa_load(&qrtr_links, epid);
	if (link && !kref_get_unless_zero(&link->ref))
		link = NULL;
	rcu_read_unlock();
	return link;
}

/**
 * qrtr_link_get_by_node() - route to a remote node
 * @epid: endpoint to use, or 0 for "any": the lowest endpoint id that has
 *        seen @nid wins (the upstream single-endpoint behaviour)
 * @nid: remote node id
 *
 * Return: a referenced link or NULL.
 */
struct qrtr_link *qrtr_link_get_by_node(u32 epid, u32 nid)
{
	struct qrtr_link *link = NULL, *l;
	unsigned long idx;

	rcu_read_lock();
	if (epid) {
		link = xa_load(&qrtr_nodes, qrtr_node_key(epid, nid));
		if (link && !kref_get_unless_zero(&link->ref))
			link = NULL;
		goto out;
	}
	/* one node's routes sit side by side, lowest endpoint id first */
	xa_for_each_range(&qrtr_nodes, idx, l, qrtr_node_key(1, nid),
			  qrtr_node_key(QRTR_ENDPOINT_ID_MAX, nid)) {
		if (kref_get_unless_zero(&l->ref)) {
			link = l;
			goto out;
		}
	}
out:
	rcu_read_unlock();
	return link;
}

/**
 * qrtr_link_has_node() - is @nid reachable through endpoint @epid?
 * @epid: endpoint id
 * @nid: remote node id
 *
 * Return: true if the node table routes (@epid, @nid).
 */
bool qrtr_link_has_node(u32 epid, u32 nid)
{
	return epid && xa_load(&qrtr_nodes, qrtr_node_key(epid, nid));
}

unsigned int qrtr_nr_links(void)
{
	struct qrtr_link *link;
	unsigned int n = 0;
	unsigned long id;

	xa_for_each(&qrtr_links, id, link)
		n++;
	return n;
}

unsigned long qrtr_nr_nodes(void)
{
	unsigned long n = 0, idx;
	void *entry;

	xa_for_each(&qrtr_nodes, idx, entry)
		n++;
	return n;
}

unsigned int qrtr_link_nr_nodes(u32 epid)
{
	unsigned long idx;
	unsigned int n = 0;
	void *entry;

	xa_for_each(&qrtr_nodes, idx, entry)
		if (qrtr_node_key_ep(idx) == epid)
			n++;
	return n;
}

void qrtr_count_drop(struct qrtr_link *link, u32 epid, unsigned int reason)
{
	qrtr_reg_count_drop(link ? link->ent : NULL, reason);
	trace_qrtr_pkt_drop(epid, reason, qrtr_drop_name(reason));
}

/* Count a drop against the endpoint recorded in the packet's metadata. */
void qrtr_count_drop_skb(struct sk_buff *skb, unsigned int reason)
{
	u32 epid = qrtr_cb(skb)->endpoint_id;
	struct qrtr_link *link = NULL;

	rcu_read_lock();
	if (epid)
		link = xa_load(&qrtr_links, epid);
	qrtr_count_drop(link, epid, reason);
	rcu_read_unlock();
}

/* Per-direction endpoint crossing points (policy hooks go here). */
/*
 * Ask the BPF policy about a packet crossing @link. The remote (device)
 * side is the source on rx and the destination on tx; the name service
 * tells which service lives there.
 */
static bool qrtr_policy_verdict(struct qrtr_link *link, u32 dir, u32 type,
				u32 src_node, u32 src_port, u32 dst_node,
				u32 dst_port, u32 len)
{
	struct qrtr_pkt_ctx ctx = {
		.ep_id = link->id,
		.dir = dir,
		.type = type,
		.src_node = src_node,
		.src_port = src_port,
		.dst_node = dst_node,
		.dst_port = dst_port,
		.len = len,
	};

	if (dir == QRTR_DIR_RX)
		ctx.has_service = qrtr_ns_port_service(link->id, src_node, src_port,
						       &ctx.service, &ctx.instance);
	else
		ctx.has_service = qrtr_ns_port_service(link->id, dst_node, dst_port,
						       &ctx.service, &ctx.instance);
	return !qrtr_policy_drop(&ctx);
}

/*
 * RESUME_TX is the transport's own acknowledgment, not traffic: a policy
 * that dropped it would leave local senders blocked forever (rx) or stall
 * the device (tx), so it never reaches the verdict.
 */
static bool qrtr_rx_verdict(struct qrtr_link *link,
			    const struct qrtr_wire_pkt *pkt)
{
	if (!qrtr_policy_active() || pkt->type == QRTR_TYPE_RESUME_TX)
		return true;
	return qrtr_policy_verdict(link, QRTR_DIR_RX, pkt->type, pkt->src_node,
				   pkt->src_port, pkt->dst_node, pkt->dst_port,
				   pkt->size);
}

static bool qrtr_tx_verdict(struct qrtr_link *link, struct sk_buff *skb)
{
	struct qrtr_cb *cb = qrtr_cb(skb);

	if (!qrtr_policy_active() || cb->type == QRTR_TYPE_RESUME_TX)
		return true;
	return qrtr_policy_verdict(link, QRTR_DIR_TX, cb->type, cb->src_node,
				   cb->src_port, cb->dst_node, cb->dst_port,
				   skb->len);
}

struct sk_buff *qrtr_alloc_skb(size_t len, gfp_t gfp)
{
	struct sk_buff *skb;

	skb = alloc_skb(QRTR_HDR_MAX + len + QRTR_PAD_MAX, gfp);
	if (skb)
		skb_reserve(skb, QRTR_HDR_MAX);
	return skb;
}

/**
 * qrtr_link_xmit() - frame a packet and hand it to a link's backend
 * @link: destination link
 * @skb: payload; addressing and type in qrtr_cb(); always consumed
 *
 * Control-port frames broadcast to every node go out addressed to the
 * link's peer node once it is known, as upstream's qrtr_node_enqueue()
 * writes node->nid there.
 *
 * Return: 0 or a negative errno (-ENODEV when the link is gone, as
 * upstream).
 */
int qrtr_link_xmit(struct qrtr_link *link, struct sk_buff *skb)
{
	struct qrtr_cb *cb = qrtr_cb(skb);
	struct qrtr_wire_hdr_v1 *hdr;
	struct qrtr_cb sent;
	unsigned int reason;
	size_t len = skb->len;
	size_t pad = SOCBPF_ALIGN4(len) - len;
	u32 nid;
	int rc;

	cb->endpoint_id = link->id;
	nid = READ_ONCE(link->nid);
	if (cb->dst_port == QRTR_PORT_CTRL && cb->dst_node == QRTR_NODE_BCAST &&
	    nid)
		cb->dst_node = nid;
	/* Like a firewall on locally generated traffic: the sender sees -EPERM. */
	reason = QRTR_DROP_POLICY;
	rc = -EPERM;
	if (!qrtr_tx_verdict(link, skb))
		goto err_drop;

	reason = QRTR_DROP_NOMEM;
	rc = -ENOMEM;
	if (skb_cow_head(skb, sizeof(*hdr)))
		goto err_drop;
	if (pad) {
		if (skb_tailroom(skb) < pad &&
		    pskb_expand_head(skb, 0, pad, GFP_KERNEL))
			goto err_drop;
		skb_put_zero(skb, pad);
	}
	hdr = skb_push(skb, sizeof(*hdr));
	qrtr_wire_build_v1(hdr, cb->type, cb->src_node, cb->src_port,
			   cb->dst_node, cb->dst_port, len, cb->confirm_rx);

	mutex_lock(&link->ep_lock);
	if (!link->ep) {
		mutex_unlock(&link->ep_lock);
		reason = QRTR_DROP_LINKDOWN;
		rc = -ENODEV;
		goto err_drop;
	}
	/* The backend owns the skb after xmit: keep what the trace needs. */
	if (trace_qrtr_pkt_tx_enabled())
		sent = *cb;
	rc = link->ep->xmit(link->ep, skb);
	mutex_unlock(&link->ep_lock);
	if (rc) {
		qrtr_count_drop(link, link->id, QRTR_DROP_TXERR);
		return rc;
	}
	/* Traced where counted: the packet went to the link. */
	trace_qrtr_pkt_tx(link->id, sent.type, sent.src_node, sent.src_port,
			  sent.dst_node, sent.dst_port, len);
	atomic64_inc(&link->ent->tx_pkts);
	atomic64_add(len, &link->ent->tx_bytes);
	return 0;

err_drop:
	qrtr_count_drop(link, link->id, reason);
	kfree_skb(skb);
	return rc;
}

/**
 * qrtr_bcast_links() - send a copy of @skb to every link (or one)
 * @skb: payload and metadata; not consumed
 * @epid: only this endpoint, or 0 for all
 *
 * Each link is referenced under RCU and sent to with no lock held, so a
 * slow backend or verdict program delays only this sender, never link
 * registration or another broadcast.
 *
 * Return: 0; per-link failures are counted as drops.
 */
int qrtr_bcast_links(struct sk_buff *skb, u32 epid)
{
	unsigned long id = epid, last = epid ? epid : ULONG_MAX;
	struct qrtr_link *link;
	struct sk_buff *copy;

	for (;; id++) {
		rcu_read_lock();
		link = xa_find(&qrtr_links, &id, last, XA_PRESENT);
		if (link && !kref_get_unless_zero(&link->ref))
			link = ERR_PTR(-ENOENT);	/* going away: skip */
		rcu_read_unlock();
		if (!link)
			break;
		if (IS_ERR(link))
			continue;
		copy = skb_copy_expand(skb, QRTR_HDR_MAX, QRTR_PAD_MAX,
				       GFP_KERNEL);
		if (copy) {
			qrtr_cb(copy)->dst_node = QRTR_NODE_BCAST;
			qrtr_cb(copy)->confirm_rx = 0;
			qrtr_link_xmit(link, copy);
		} else {
			qrtr_count_drop(link, link->id, QRTR_DROP_NOMEM);
		}
		qrtr_link_put(link);
		if (id == last)
			break;
	}
	return 0;
}

/* The flow of @key on @link, added if missing; NULL without memory. */
static struct qrtr_flow *qrtr_flow_create(struct qrtr_link *link,
					  unsigned long key)
{
	struct qrtr_flow *flow;

	mutex_lock(&link->flow_lock);
	flow = xa_load(&link->flows, key);
	if (flow)
		goto out_unlock;
	flow = kzalloc(sizeof(*flow), GFP_KERNEL);
	if (!flow)
		goto out_unlock;
	init_waitqueue_head(&flow->resume_tx);
	if (xa_err(xa_store(&link->flows, key, flow, GFP_KERNEL))) {
		kfree(flow);
		flow = NULL;
	}
out_unlock:
	mutex_unlock(&link->flow_lock);
	return flow;
}

/*
 * The flow towards a remote port, added if missing; NULL without memory.
 * Flows live until the link is released and the caller holds a reference:
 * look up without the lock, take it only to add one.
 */
static struct qrtr_flow *qrtr_flow_get(struct qrtr_link *link, u32 node,
				       u32 port)
{
	unsigned long key = qrtr_flow_key(node, port);
	struct qrtr_flow *flow;

	flow = xa_load(&link->flows, key);
	return flow ?: qrtr_flow_create(link, key);
}

/**
 * qrtr_route_get() - the link and flow towards a remote port, cached
 * @rt: the sender's cache, zeroed before first use; the caller serialises
 *      its uses (a socket's sends hold the socket lock)
 * @epid: endpoint to use, or 0 for any (as qrtr_link_get_by_node())
 * @node: remote node, not QRTR_NODE_BCAST
 * @port: remote port
 *
 * A sender that talks to the same port again skips the node table walk and
 * the flow lookup.  The cache holds no reference: its link is used only
 * while the node table generation is the one it was looked up under.  A
 * link leaves the table, and the generation moves, before it drops its own
 * reference and is freed after a grace period, so under RCU the cached
 * pointer is still safe to take a reference on; flows live as long as
 * their link.
 *
 * Return: a referenced link or NULL.  @rt->flow is then the flow of @port
 * on it, or NULL without memory for one.
 */
struct qrtr_link *qrtr_route_get(struct qrtr_route *rt, u32 epid, u32 node,
				 u32 port)
{
	struct qrtr_link *link = NULL;
	unsigned long gen;

	rcu_read_lock();
	gen = atomic_long_read(&qrtr_nodes_gen);
	/* the table as of @gen or later; pairs with qrtr_nodes_changed() */
	smp_rmb();
	if (rt->link && rt->gen == gen && rt->epid == epid &&
	    rt->node == node && kref_get_unless_zero(&rt->link->ref))
		link = rt->link;
	rcu_read_unlock();

	if (!link) {
		link = qrtr_link_get_by_node(epid, node);
		rt->gen = gen;
		rt->link = link;
		rt->epid = epid;
		rt->node = node;
		rt->flow = NULL;
		if (!link)
			return NULL;
	} else if (rt->port == port && rt->flow) {
		return link;
	}
	rt->port = port;
	rt->flow = qrtr_flow_get(link, node, port);
	return link;
}

/**
 * qrtr_tx_wait() - flow control before sending DATA to a remote port
 * @link: link towards the node
 * @flow: the port's flow on @link (see qrtr_route_get()), or NULL if there
 *        is none for want of memory
 * @full: set when this packet fills the window (the next send would block)
 *
 * Sleeps while QRTR_TX_FLOW_HIGH packets are unconfirmed, whether or not
 * the socket is non-blocking: upstream does, and clients depend on it
 * (libqrtr-glib treats EAGAIN from a send as a failed request).
 *
 * Return: 1 if the packet must ask for a RESUME_TX (confirm_rx), 0 if not,
 * or a negative errno (-ERESTARTSYS, or -EPIPE when the link went away
 * meanwhile, as upstream).
 */
int qrtr_tx_wait(struct qrtr_link *link, struct qrtr_flow *flow, bool *full)
{
	int rc;

	/* Without flow state, ask for confirmation on every packet. */
	if (!flow)
		return 1;

	spin_lock_irq(&flow->resume_tx.lock);
	rc = wait_event_interruptible_locked_irq(flow->resume_tx,
						 flow->pending < QRTR_TX_FLOW_HIGH ||
						 flow->tx_failed ||
						 !READ_ONCE(link->ep));
	if (rc)
		goto out_unlock;
	if (!READ_ONCE(link->ep)) {
		rc = -EPIPE;
	} else if (flow->tx_failed) {
		WRITE_ONCE(flow->tx_failed, false);
		rc = 1;
	} else {
		WRITE_ONCE(flow->pending, flow->pending + 1);
		rc = flow->pending == QRTR_TX_FLOW_LOW;
		*full = flow->pending >= QRTR_TX_FLOW_HIGH;
	}
out_unlock:
	spin_unlock_irq(&flow->resume_tx.lock);
	return rc;
}

/**
 * qrtr_tx_flow_full() - would a send to this remote port block?
 * @epid: endpoint of the link
 * @node: remote node
 * @port: remote port
 *
 * Return: true while the port's window is full and the link is up.
 */
bool qrtr_tx_flow_full(u32 epid, u32 node, u32 port)
{
	struct qrtr_link *link;
	struct qrtr_flow *flow;
	bool full = false;

	rcu_read_lock();
	link = xa_load(&qrtr_links, epid);
	flow = link ? xa_load(&link->flows, qrtr_flow_key(node, port)) : NULL;
	/*
	 * No lock: poll() is a snapshot anyway, and a RESUME_TX that races
	 * with it wakes the poller through qrtr_sock_flow_resumed().
	 */
	if (flow && READ_ONCE(link->ep))
		full = READ_ONCE(flow->pending) >= QRTR_TX_FLOW_HIGH &&
		       !READ_ONCE(flow->tx_failed);
	rcu_read_unlock();
	return full;
}

/* A packet that asked for a RESUME_TX was lost: the next one asks again. */
void qrtr_tx_flow_failed(struct qrtr_flow *flow)
{
	if (!flow)
		return;
	spin_lock_irq(&flow->resume_tx.lock);
	WRITE_ONCE(flow->tx_failed, true);
	spin_unlock_irq(&flow->resume_tx.lock);
}

static void qrtr_tx_resume(struct qrtr_link *link, struct sk_buff *skb)
{
	const struct qrtr_ctrl_pkt *pkt = (const void *)skb->data;
	u32 node = le32_to_cpu(pkt->client.node);
	u32 port = le32_to_cpu(pkt->client.port);
	struct qrtr_flow *flow;
	bool was_full;

	flow = xa_load(&link->flows, qrtr_flow_key(node, port));
	if (!flow)
		return;
	spin_lock_irq(&flow->resume_tx.lock);
	was_full = flow->pending >= QRTR_TX_FLOW_HIGH;
	WRITE_ONCE(flow->pending, 0);
	wake_up_all_locked(&flow->resume_tx);
	spin_unlock_irq(&flow->resume_tx.lock);
	if (was_full)
		qrtr_sock_flow_resumed(link->id, node, port, false);
}

static void qrtr_tx_wake_all(struct qrtr_link *link)
{
	struct qrtr_flow *flow;
	unsigned long idx;

	mutex_lock(&link->flow_lock);
	xa_for_each(&link->flows, idx, flow) {
		spin_lock_irq(&flow->resume_tx.lock);
		wake_up_all_locked(&flow->resume_tx);
		spin_unlock_irq(&flow->resume_tx.lock);
	}
	mutex_unlock(&link->flow_lock);
	qrtr_sock_flow_resumed(link->id, 0, 0, true);
}

/**
 * qrtr_link_ns_admit() - may @link queue one more control message?
 * @link: the link a control message came from
 *
 * Each link has its own budget (ns_queue_per_endpoint) in the name
 * service's queue, so a flooding device cannot crowd out the BYE and
 * NEW_SERVER of the others.  On success the caller holds a reference on
 * @link until qrtr_link_ns_done().
 *
 * Return: true if admitted.
 */
bool qrtr_link_ns_admit(struct qrtr_link *link)
{
	if (atomic_inc_return(&link->ns_queued) >
	    READ_ONCE(ns_queue_per_endpoint)) {
		atomic_dec(&link->ns_queued);
		return false;
	}
	kref_get(&link->ref);
	return true;
}

/**
 * qrtr_link_ns_done() - the name service is done with a queued message
 * @link: the link passed to qrtr_link_ns_admit()
 */
void qrtr_link_ns_done(struct qrtr_link *link)
{
	atomic_dec(&link->ns_queued);
	qrtr_link_put(link);
}

/* Record that @nid is reachable through @link. */
static int qrtr_node_assign(struct qrtr_link *link, u32 nid)
{
	unsigned long key = qrtr_node_key(link->id, nid);
	int rc;

	if (nid == qrtr_local_nid || nid == QRTR_NODE_BCAST)
		return -EINVAL;
	/* one node per link is the rule: skip the table walk for it */
	if (READ_ONCE(link->last_nid) == nid)
		return 0;
	if (xa_load(&qrtr_nodes, key) == link) {
		WRITE_ONCE(link->last_nid, nid);
		return 0;
	}
	if (atomic_read(&link->nr_nodes) >=
	    READ_ONCE(max_nodes_per_endpoint))
		return -ENOSPC;
	rc = xa_insert(&qrtr_nodes, key, link, GFP_ATOMIC);
	if (rc == -EBUSY)
		return 0;
	if (rc)
		return rc;
	qrtr_nodes_changed();
	atomic_inc(&link->nr_nodes);
	/* the first node heard is the peer (upstream's node->nid) */
	cmpxchg(&link->nid, 0, nid);
	return 0;
}

/**
 * socbpf_qrtr_endpoint_register() - attach a backend link to the router
 * @ep: endpoint with @ep->xmit set; must stay valid until unregistered
 * @data: the backend's per-device data (the registry key: e.g. a key
 *        string, or the bytes of a device pointer)
 * @len: bytes in @data, 1..QRTR_TUN_KEY_MAX
 *
 * The link gets the id pre-assigned to @data, or a newly chosen one.
 *
 * Context: process context.
 * Return: 0; -EINVAL, -EBUSY (a live link already uses @data), -ENOSPC
 * (endpoint ids exhausted) or -ENOMEM.
 */
int socbpf_qrtr_endpoint_register(struct socbpf_qrtr_endpoint *ep,
				  const void *data, size_t len)
{
	struct qrtr_link *link;
	int rc;

	if (!ep || !ep->xmit || ep->link)
		return -EINVAL;

	link = kzalloc(sizeof(*link), GFP_KERNEL);
	if (!link)
		return -ENOMEM;
	kref_init(&link->ref);
	link->last_nid = QRTR_NODE_BCAST;
	mutex_init(&link->ep_lock);
	mutex_init(&link->flow_lock);
	xa_init(&link->flows);
	link->ep = ep;

	rc = qrtr_reg_attach(data, len, ep->kind, &link->ent);
	if (rc)
		goto err_free;
	link->id = link->ent->id;

	mutex_lock(&qrtr_links_lock);
	rc = xa_insert(&qrtr_links, link->id, link, GFP_KERNEL);
	mutex_unlock(&qrtr_links_lock);
	if (rc)
		goto err_detach;

	ep->link = link;
	return 0;

err_detach:
	qrtr_reg_detach(link->ent);
	qrtr_reg_put(link->ent);
err_free:
	kfree(link);
	return rc;
}
EXPORT_SYMBOL_GPL(socbpf_qrtr_endpoint_register);

/**
 * socbpf_qrtr_endpoint_unregister() - detach a backend link
 * @ep: endpoint passed to socbpf_qrtr_endpoint_register()
 *
 * Forgets the link's nodes, tells the name service (its servers go away and
 * local servers get a BYE per node) and wakes senders blocked on flow
 * control (they fail with -EPIPE, as upstream).  After return the
 * core never calls @ep->xmit again.  The caller must not call
 * socbpf_qrtr_endpoint_post() concurrently.
 *
 * Context: process context.
 */
void socbpf_qrtr_endpoint_unregister(struct socbpf_qrtr_endpoint *ep)
{
	struct qrtr_link *link = ep ? ep->link : NULL;
	unsigned int n = 0, max;
	unsigned long idx;
	u32 *nodes;
	void *entry;

	if (!link)
		return;

	max = atomic_read(&link->nr_nodes);
	nodes = kcalloc(max ?: 1, sizeof(*nodes), GFP_KERNEL);

	mutex_lock(&qrtr_links_lock);
	xa_erase(&qrtr_links, link->id);
	xa_for_each(&qrtr_nodes, idx, entry) {
		if (qrtr_node_key_ep(idx) != link->id)
			continue;
		xa_erase(&qrtr_nodes, idx);
		if (nodes && n < max)
			nodes[n++] = qrtr_node_key_nid(idx);
	}
	/* before the link's own reference goes: see qrtr_route_get() */
	qrtr_nodes_changed();
	mutex_unlock(&qrtr_links_lock);

	mutex_lock(&link->ep_lock);
	WRITE_ONCE(link->ep, NULL);
	mutex_unlock(&link->ep_lock);
	qrtr_tx_wake_all(link);

	qrtr_ns_endpoint_down(link->id, nodes, n);
	qrtr_reg_detach(link->ent);
	kfree(nodes);

	ep->link = NULL;
	qrtr_link_put(link);
}
EXPORT_SYMBOL_GPL(socbpf_qrtr_endpoint_unregister);

/**
 * socbpf_qrtr_endpoint_id() - endpoint id of a registered backend
 * @ep: endpoint
 *
 * Return: the id, or 0 if @ep is not registered.
 */
u32 socbpf_qrtr_endpoint_id(const struct socbpf_qrtr_endpoint *ep)
{
	return ep && ep->link ? ep->link->id : 0;
}
EXPORT_SYMBOL_GPL(socbpf_qrtr_endpoint_id);

/*
 * One frame from a link, either in @buf (copied) or, with @frame, the whole
 * frame in that linear skb, which becomes the packet without another copy
 * and is always consumed.
 */
static int qrtr_endpoint_rx(struct socbpf_qrtr_endpoint *ep, const void *buf,
			    size_t len, struct sk_buff *frame)
{
	struct qrtr_link *link = ep ? ep->link : NULL;
	struct qrtr_wire_pkt pkt;
	struct sk_buff *skb;
	struct qrtr_cb *cb;
	unsigned int reason;
	int rc;

	if (!link) {
		kfree_skb(frame);
		return -ENODEV;
	}

	reason = qrtr_wire_parse(buf, len, &pkt);
	if (reason != QRTR_WIRE_OK)
		goto err_malformed;
	reason = QRTR_DROP_ADDR;
	if (pkt.src_node == qrtr_local_nid || pkt.src_node == QRTR_NODE_BCAST)
		goto err_malformed;

	/* A device cannot act on a policy drop: the frame counts as taken. */
	rc = 0;
	if (!qrtr_rx_verdict(link, &pkt)) {
		reason = QRTR_DROP_POLICY;
		goto err_drop;
	}
	rc = qrtr_node_assign(link, pkt.src_node);
	if (rc) {
		reason = QRTR_DROP_NODES;
		goto err_drop;
	}
	if (pkt.type == QRTR_TYPE_NEW_SERVER) {
		const struct qrtr_ctrl_pkt *ctrl = buf + pkt.hdrlen;

		/*
		 * A remote may advertise servers on nodes behind it, within
		 * max_nodes_per_endpoint like the nodes it sends from.
		 */
		rc = qrtr_node_assign(link,
				      get_unaligned_le32(&ctrl->server.node));
		if (rc == -ENOSPC) {
			reason = QRTR_DROP_NODES;
			goto err_drop;
		}
	}

	if (frame) {
		skb = frame;
		frame = NULL;
		skb_pull(skb, pkt.hdrlen);
		skb_trim(skb, pkt.size);
	} else {
		rc = -ENOMEM;
		/*
		 * As upstream: with init_on_alloc (Debian's default)
		 * alloc_skb() would zero the payload it is to overwrite.
		 */
		skb = __netdev_alloc_skb(NULL, pkt.size,
					 GFP_ATOMIC | __GFP_NOWARN);
		if (!skb) {
			reason = QRTR_DROP_NOMEM;
			goto err_drop;
		}
		skb_put_data(skb, (const u8 *)buf + pkt.hdrlen, pkt.size);
	}
	cb = qrtr_cb(skb);
	cb->type = pkt.type;
	cb->src_node = pkt.src_node;
	cb->src_port = pkt.src_port;
	cb->dst_node = pkt.dst_node;
	cb->dst_port = pkt.dst_port;
	cb->confirm_rx = pkt.confirm_rx;
	cb->endpoint_id = link->id;
	/* Traced where counted: the packet came in from the link. */
	trace_qrtr_pkt_rx(link->id, pkt.type, pkt.src_node, pkt.src_port,
			  pkt.dst_node, pkt.dst_port, pkt.size);
	atomic64_inc(&link->ent->rx_pkts);
	atomic64_add(pkt.size, &link->ent->rx_bytes);

	if (pkt.type == QRTR_TYPE_RESUME_TX) {
		qrtr_tx_resume(link, skb);
		consume_skb(skb);
	} else if (pkt.dst_port == QRTR_PORT_CTRL) {
		qrtr_ns_queue(link, skb);
	} else {
		qrtr_sock_deliver(skb);
	}
	return 0;

err_malformed:
	pr_warn_ratelimited("endpoint %u: dropped bad frame (%s, %zu bytes)\n",
			    link->id, qrtr_drop_name(reason), len);
	qrtr_count_drop(link, link->id, reason);
	kfree_skb(frame);
	return -EINVAL;

err_drop:
	qrtr_count_drop(link, link->id, reason);
	kfree_skb(frame);
	return rc;
}

/**
 * socbpf_qrtr_endpoint_post() - hand one received frame to the router
 * @ep: endpoint the frame arrived on
 * @buf: the frame (v1 or v2 header, payload, padding); untrusted, copied
 * @len: bytes in @buf
 *
 * Malformed frames are counted per reason and dropped with a rate-limited
 * message.  Frames that parse but cannot be delivered (no such port, full
 * socket) are counted and dropped too, and still return 0.
 *
 * Context: process context (the node table and flow control take non-irq-safe locks).
 * Return: 0; -EINVAL for a malformed or misaddressed frame, -ENODEV if @ep
 * is not registered, -ENOMEM.
 */
int socbpf_qrtr_endpoint_post(struct socbpf_qrtr_endpoint *ep,
			      const void *buf, size_t len)
{
	return qrtr_endpoint_rx(ep, buf, len, NULL);
}
EXPORT_SYMBOL_GPL(socbpf_qrtr_endpoint_post);

/**
 * socbpf_qrtr_endpoint_post_skb() - hand one received frame in an skb
 * @ep: endpoint the frame arrived on
 * @skb: the whole frame (header, payload, padding) in linear data;
 *       untrusted; always consumed
 *
 * As socbpf_qrtr_endpoint_post(), without copying the payload again: a
 * backend that reads the frame into an skb in the first place saves a
 * buffer and a copy per frame.
 *
 * Context: process context.
 * Return: as socbpf_qrtr_endpoint_post().
 */
int socbpf_qrtr_endpoint_post_skb(struct socbpf_qrtr_endpoint *ep,
				  struct sk_buff *skb)
{
	if (skb_linearize(skb)) {
		kfree_skb(skb);
		return -ENOMEM;
	}
	return qrtr_endpoint_rx(ep, skb->data, skb->len, skb);
}
EXPORT_SYMBOL_GPL(socbpf_qrtr_endpoint_post_skb);

static int __init qrtr_init(void)
{
	int rc;

	if (!qrtr_local_nid || qrtr_local_nid == QRTR_NODE_BCAST) {
		pr_err("invalid node_id %u\n", qrtr_local_nid);
		return -EINVAL;
	}

	rc = qrtr_reg_init();
	if (rc)
		return rc;
	rc = qrtr_ns_init();
	if (rc)
		goto err_reg;
	rc = qrtr_proto_init();
	if (rc)
		goto err_ns;
	rc = qrtr_policy_init();
	if (rc)
		goto err_proto;
	rc = qrtr_tun_init();
	if (rc)
		goto err_proto;
	return 0;

err_proto:
	qrtr_proto_exit();
err_ns:
	qrtr_ns_exit();
err_reg:
	qrtr_reg_exit();
	return rc;
}

static void __exit qrtr_exit(void)
{
	qrtr_tun_exit();
	qrtr_policy_exit();
	qrtr_proto_exit();
	qrtr_ns_exit();
	WARN_ON(!xa_empty(&qrtr_links));
	WARN_ON(!xa_empty(&qrtr_nodes));
	qrtr_reg_exit();
	rcu_barrier();
}

module_init(qrtr_init);
module_exit(qrtr_exit);

MODULE_DESCRIPTION("socbpf AF_QIPCRTR with endpoint ids");
MODULE_LICENSE("GPL");
