// SPDX-License-Identifier: GPL-2.0
/*
 * socbpf_qrtr in-kernel name service on the control port, protocol
 * compatible with upstream's (so qrtr-lookup and libqrtr work unchanged)
 * and endpoint-aware: a server is identified by (endpoint, node, port), so
 * identical devices announcing the same node and port coexist, lookups
 * report each of them (tagged with their endpoint for QRTR_ENDPOINT cmsgs)
 * and BYE / DEL_CLIENT / endpoint removal only touch that endpoint.
 *
 * Control messages from local sockets are handled synchronously in the
 * sender's context (so caps can fail the sendmsg with -ENOSPC); those from
 * links are queued to an ordered workqueue.
 */
#define pr_fmt(fmt) "socbpf_qrtr: ns: " fmt

#include <linux/hashtable.h>
#include <linux/jhash.h>
#include <linux/list.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/workqueue.h>
#include <net/sock.h>

#include "qrtr.h"
#include "trace.h"

/*
 * Caps.  A device's servers are capped per (endpoint, node); local servers
 * and lookups per user, so no unprivileged user can take the slots that
 * another user's qrtr-lookup or qmicli needs (upstream's caps are global).
 */
static unsigned int ns_max_servers = 256;
module_param(ns_max_servers, uint, 0644);
MODULE_PARM_DESC(ns_max_servers,
		 "Servers the name service keeps per (endpoint, node), and local ones per user (default 256)");

static unsigned int ns_max_lookups = 64;
module_param(ns_max_lookups, uint, 0644);
MODULE_PARM_DESC(ns_max_lookups,
		 "Lookups the name service keeps per user (default 64)");

/**
 * struct qrtr_ns_server - one server the name service knows
 * @list: in qrtr_ns.servers
 * @hnode: in qrtr_ns_by_port, read under RCU
 * @service: service id
 * @instance: instance (version | instance << 8)
 * @node: node
 * @port: port
 * @epid: endpoint it lives behind, 0 for a local server
 * @scope: local server: the endpoint its socket talks to (0: all); it is
 *         announced and withdrawn there and nowhere else
 * @uid: local server: owner of the socket that registered it
 * @rcu: deferred free
 */
struct qrtr_ns_server {
	struct list_head list;
	struct hlist_node hnode;
	u32 service;
	u32 instance;
	u32 node;
	u32 port;
	u32 epid;
	u32 scope;
	kuid_t uid;
	struct rcu_head rcu;
};

/*
 * Servers by (endpoint, node, port), for the policy's per-packet lookup.
 * Written under qrtr_ns.lock, read under RCU: the data path may run while
 * the name service holds its lock (it transmits with it held).
 */
static DEFINE_HASHTABLE(qrtr_ns_by_port, 8);

static u32 qrtr_ns_port_hash(u32 epid, u32 node, u32 port)
{
	return jhash_3words(epid, node, port, 0);
}

/**
 * qrtr_ns_port_service() - which service lives at a remote port
 * @epid: endpoint the port is behind
 * @node: node
 * @port: port
 * @service: set to the service when found
 * @instance: set to the instance when found
 *
 * Safe in any context that may use RCU; takes no lock.
 *
 * Return: true when a server is registered at (@epid, @node, @port).
 */
bool qrtr_ns_port_service(u32 epid, u32 node, u32 port, u32 *service,
			  u32 *instance)
{
	struct qrtr_ns_server *srv;
	bool found = false;

	rcu_read_lock();
	hash_for_each_possible_rcu(qrtr_ns_by_port, srv, hnode,
				   qrtr_ns_port_hash(epid, node, port)) {
		if (srv->epid == epid && srv->node == node && srv->port == port) {
			*service = READ_ONCE(srv->service);
			*instance = READ_ONCE(srv->instance);
			found = true;
			break;
		}
	}
	rcu_read_unlock();
	return found;
}

struct qrtr_ns_lookup {
	struct list_head list;
	u32 service;
	u32 instance;
	u32 node;
	u32 port;
	kuid_t uid;
};

static struct {
	struct mutex lock;		/* guards everything below but rxq */
	struct list_head servers;
	struct list_head lookups;
	unsigned int nr_servers;
	unsigned int nr_lookups;
	struct sk_buff_head rxq;
	struct work_struct work;
	struct workqueue_struct *wq;
} qrtr_ns;

static const char * const qrtr_ctrl_pkt_strings[] = {
	[QRTR_TYPE_HELLO]	= "hello",
	[QRTR_TYPE_BYE]		= "bye",
	[QRTR_TYPE_NEW_SERVER]	= "new-server",
	[QRTR_TYPE_DEL_SERVER]	= "del-server",
	[QRTR_TYPE_DEL_CLIENT]	= "del-client",
	[QRTR_TYPE_RESUME_TX]	= "resume-tx",
	[QRTR_TYPE_EXIT]	= "exit",
	[QRTR_TYPE_PING]	= "ping",
	[QRTR_TYPE_NEW_LOOKUP]	= "new-lookup",
	[QRTR_TYPE_DEL_LOOKUP]	= "del-lookup",
};

unsigned int qrtr_ns_nr_servers(void)
{
	return READ_ONCE(qrtr_ns.nr_servers);
}

unsigned int qrtr_ns_nr_lookups(void)
{
	return READ_ONCE(qrtr_ns.nr_lookups);
}

/*
 * Send a control packet from the local control port.  @tag is the endpoint
 * the packet reports on (what a QRTR_REPORT_ENDPOINT socket sees).
 */
static int qrtr_ns_send(u32 epid, u32 node, u32 port,
			const struct qrtr_ctrl_pkt *pkt, u32 tag)
{
	struct qrtr_link *link;
	struct sk_buff *skb;
	struct qrtr_cb *cb;
	int rc;

	skb = qrtr_alloc_skb(sizeof(*pkt), GFP_KERNEL);
	if (!skb) {
		qrtr_count_drop(NULL, epid, QRTR_DROP_NOMEM);
		return -ENOMEM;
	}
	skb_put_data(skb, pkt, sizeof(*pkt));
	cb = qrtr_cb(skb);
	memset(cb, 0, sizeof(*cb));
	cb->type = le32_to_cpu(pkt->cmd);
	cb->src_node = qrtr_local_nid;
	cb->src_port = QRTR_PORT_CTRL;
	cb->dst_node = node;
	cb->dst_port = port;
	cb->endpoint_id = tag;

	if (node == qrtr_local_nid)
		return qrtr_sock_deliver(skb);
	if (node == QRTR_NODE_BCAST) {
		qrtr_bcast_links(skb, epid);
		consume_skb(skb);
		return 0;
	}
	link = qrtr_link_get_by_node(epid, node);
	if (!link) {
		kfree_skb(skb);
		return -ECONNRESET;
	}
	rc = qrtr_link_xmit(link, skb);
	qrtr_link_put(link);
	return rc;
}

static void qrtr_ns_fill_server(struct qrtr_ctrl_pkt *pkt, u32 cmd,
				const struct qrtr_ns_server *srv)
{
	memset(pkt, 0, sizeof(*pkt));
	pkt->cmd = cpu_to_le32(cmd);
	pkt->server.service = cpu_to_le32(srv->service);
	pkt->server.instance = cpu_to_le32(srv->instance);
	pkt->server.node = cpu_to_le32(srv->node);
	pkt->server.port = cpu_to_le32(srv->port);
}

static bool qrtr_ns_match(const struct qrtr_ns_lookup *lookup,
			  const struct qrtr_ns_server *srv)
{
	if (lookup->service && lookup->service != srv->service)
		return false;
	if (lookup->instance && lookup->instance != srv->instance)
		return false;
	return true;
}

static void qrtr_ns_notify_lookups(const struct qrtr_ns_server *srv, bool new)
{
	struct qrtr_ns_lookup *lookup;
	struct qrtr_ctrl_pkt pkt;

	qrtr_ns_fill_server(&pkt, new ? QRTR_TYPE_NEW_SERVER :
			    QRTR_TYPE_DEL_SERVER, srv);
	list_for_each_entry(lookup, &qrtr_ns.lookups, list) {
		if (qrtr_ns_match(lookup, srv))
			qrtr_ns_send(0, lookup->node, lookup->port, &pkt,
				     srv->epid);
	}
}

/* Send @pkt to every local server except @skip_port. */
static void qrtr_ns_tell_local_servers(const struct qrtr_ctrl_pkt *pkt,
				       u32 skip_port, u32 tag)
{
	struct qrtr_ns_server *srv;

	list_for_each_entry(srv, &qrtr_ns.servers, list) {
		if (srv->epid || srv->port == skip_port)
			continue;
		qrtr_ns_send(0, srv->node, srv->port, pkt, tag);
	}
}

static struct qrtr_ns_server *qrtr_ns_find(u32 epid, u32 node, u32 port)
{
	struct qrtr_ns_server *srv;

	list_for_each_entry(srv, &qrtr_ns.servers, list) {
		if (srv->epid == epid && srv->node == node && srv->port == port)
			return srv;
	}
	return NULL;
}

static void qrtr_ns_server_remove(struct qrtr_ns_server *srv, bool announce)
{
	struct qrtr_ctrl_pkt pkt;

	list_del(&srv->list);
	hash_del_rcu(&srv->hnode);
	qrtr_ns.nr_servers--;
	trace_qrtr_ns_server_ep(srv->epid, srv->service, srv->instance,
				srv->node, srv->port, false);
	if (!srv->epid && announce) {
		trace_qrtr_ns_service_announce_del(srv->service, srv->instance,
						   srv->node, srv->port);
		qrtr_ns_fill_server(&pkt, QRTR_TYPE_DEL_SERVER, srv);
		qrtr_ns_send(srv->scope, QRTR_NODE_BCAST, QRTR_PORT_CTRL, &pkt,
			     0);
	}
	qrtr_ns_notify_lookups(srv, false);
	kfree_rcu(srv, rcu);
}

static int qrtr_ns_hello(u32 epid, const struct sockaddr_qrtr *from)
{
	struct qrtr_ns_server *srv;
	struct qrtr_ctrl_pkt pkt;
	int rc;

	memset(&pkt, 0, sizeof(pkt));
	pkt.cmd = cpu_to_le32(QRTR_TYPE_HELLO);
	rc = qrtr_ns_send(epid, from->sq_node, from->sq_port, &pkt, 0);
	if (rc)
		return rc;

	/* Tell the new neighbour about our own servers that talk to it. */
	list_for_each_entry(srv, &qrtr_ns.servers, list) {
		if (srv->epid || (srv->scope && srv->scope != epid))
			continue;
		trace_qrtr_ns_service_announce_new(srv->service, srv->instance,
						   srv->node, srv->port);
		qrtr_ns_fill_server(&pkt, QRTR_TYPE_NEW_SERVER, srv);
		qrtr_ns_send(epid, from->sq_node, from->sq_port, &pkt, 0);
	}
	return 0;
}

/* Everything behind (@epid, @node) is gone. */
static void qrtr_ns_node_gone(u32 epid, u32 node)
{
	struct qrtr_ns_server *srv, *tmp;
	struct qrtr_ctrl_pkt pkt;

	list_for_each_entry_safe(srv, tmp, &qrtr_ns.servers, list) {
		if (srv->epid == epid && srv->node == node)
			qrtr_ns_server_remove(srv, false);
	}
	memset(&pkt, 0, sizeof(pkt));
	pkt.cmd = cpu_to_le32(QRTR_TYPE_BYE);
	pkt.client.node = cpu_to_le32(node);
	qrtr_ns_tell_local_servers(&pkt, 0, epid);
}

static int qrtr_ns_bye(u32 epid, const struct sockaddr_qrtr *from)
{
	if (!epid)
		return 0;
	qrtr_ns_node_gone(epid, from->sq_node);
	return 0;
}

/* Servers behind (@epid, @node); for local ones (@epid 0), those of @uid. */
static unsigned int qrtr_ns_count_servers(u32 epid, u32 node, kuid_t uid)
{
	struct qrtr_ns_server *srv;
	unsigned int n = 0;

	list_for_each_entry(srv, &qrtr_ns.servers, list) {
		if (srv->epid != epid || srv->node != node)
			continue;
		n += epid || uid_eq(srv->uid, uid);
	}
	return n;
}

static int qrtr_ns_new_server(u32 epid, const struct sockaddr_qrtr *from,
			      u32 service, u32 instance, u32 node, u32 port,
			      u32 scope, kuid_t uid)
{
	struct qrtr_ns_server *srv;
	struct qrtr_ctrl_pkt pkt;
	unsigned int max;

	if (!epid) {
		/* local servers are whoever sent the message */
		node = from->sq_node;
		port = from->sq_port;
	} else if (node == qrtr_local_nid || node == QRTR_NODE_BCAST ||
		   port == QRTR_PORT_CTRL) {
		return -EINVAL;
	} else if (!qrtr_link_has_node(epid, node)) {
		/* not routed here (e.g. past max_nodes_per_endpoint) */
		return -EINVAL;
	}
	/*
	 * As upstream's server_add(): service 0 or port 0 is no server.  An
	 * all-zero NEW_SERVER is what ends a lookup's listing: storing one
	 * would cut every later qrtr-lookup short.
	 */
	if (!service || !port)
		return -EINVAL;

	srv = qrtr_ns_find(epid, node, port);
	if (!srv) {
		max = READ_ONCE(ns_max_servers);
		if (qrtr_ns_count_servers(epid, node, uid) >= max) {
			if (epid)
				pr_warn_ratelimited("node %u on endpoint %u: %u servers, refusing more (ns_max_servers)\n",
						    node, epid, max);
			else
				pr_warn_ratelimited("uid %u: %u local servers, refusing more (ns_max_servers)\n",
						    from_kuid(&init_user_ns, uid),
						    max);
			return -ENOSPC;
		}
		srv = kzalloc(sizeof(*srv), GFP_KERNEL);
		if (!srv)
			return -ENOMEM;
		srv->epid = epid;
		srv->node = node;
		srv->port = port;
		srv->scope = scope;
		srv->uid = uid;
		list_add_tail(&srv->list, &qrtr_ns.servers);
		hash_add_rcu(qrtr_ns_by_port, &srv->hnode,
			     qrtr_ns_port_hash(epid, node, port));
		qrtr_ns.nr_servers++;
	} else if (!epid && srv->scope != scope) {
		/* re-announced from a socket bound elsewhere: move it */
		qrtr_ns_fill_server(&pkt, QRTR_TYPE_DEL_SERVER, srv);
		qrtr_ns_send(srv->scope, QRTR_NODE_BCAST, QRTR_PORT_CTRL, &pkt,
			     0);
		srv->scope = scope;
	}
	WRITE_ONCE(srv->service, service);
	WRITE_ONCE(srv->instance, instance);
	trace_qrtr_ns_server_add(service, instance, node, port);
	trace_qrtr_ns_server_ep(epid, service, instance, node, port, true);

	if (!epid) {
		trace_qrtr_ns_service_announce_new(service, instance, node,
						   port);
		qrtr_ns_fill_server(&pkt, QRTR_TYPE_NEW_SERVER, srv);
		qrtr_ns_send(srv->scope, QRTR_NODE_BCAST, QRTR_PORT_CTRL, &pkt,
			     0);
	}
	qrtr_ns_notify_lookups(srv, true);
	return 0;
}

static int qrtr_ns_del_server(u32 epid, const struct sockaddr_qrtr *from,
			      u32 node, u32 port)
{
	struct qrtr_ns_server *srv;

	if (!epid) {
		node = from->sq_node;
		port = from->sq_port;
	} else if (node != from->sq_node && !qrtr_link_has_node(epid, node)) {
		/*
		 * A device may withdraw a server it announced for a node
		 * behind it (upstream takes any node); not one it cannot reach.
		 */
		return -EINVAL;
	}
	srv = qrtr_ns_find(epid, node, port);
	if (srv)
		qrtr_ns_server_remove(srv, true);
	return 0;
}

static int qrtr_ns_del_client(u32 epid, const struct sockaddr_qrtr *from,
			      u32 node, u32 port)
{
	struct qrtr_ns_lookup *lookup, *tmp;
	struct qrtr_ns_server *srv;
	struct qrtr_ctrl_pkt pkt;

	if (node != from->sq_node)
		return -EINVAL;
	if (!epid && from->sq_port != port)
		return -EINVAL;

	if (!epid) {
		list_for_each_entry_safe(lookup, tmp, &qrtr_ns.lookups, list) {
			if (lookup->node != node || lookup->port != port)
				continue;
			list_del(&lookup->list);
			qrtr_ns.nr_lookups--;
			kfree(lookup);
		}
	}

	/* Neighbours heard the DEL_CLIENT itself: no DEL_SERVER broadcast. */
	srv = qrtr_ns_find(epid, node, port);
	if (srv)
		qrtr_ns_server_remove(srv, false);

	memset(&pkt, 0, sizeof(pkt));
	pkt.cmd = cpu_to_le32(QRTR_TYPE_DEL_CLIENT);
	pkt.client.node = cpu_to_le32(node);
	pkt.client.port = cpu_to_le32(port);
	qrtr_ns_tell_local_servers(&pkt, epid ? 0 : port, epid);
	return 0;
}

static int qrtr_ns_new_lookup(u32 epid, const struct sockaddr_qrtr *from,
			      u32 service, u32 instance, kuid_t uid)
{
	struct qrtr_ns_lookup *lookup, *l;
	struct qrtr_ns_server *srv;
	struct qrtr_ctrl_pkt pkt;
	unsigned int n = 0, max;

	/* Only local observers, as upstream. */
	if (epid || from->sq_node != qrtr_local_nid)
		return -EINVAL;

	max = READ_ONCE(ns_max_lookups);
	list_for_each_entry(l, &qrtr_ns.lookups, list)
		n += uid_eq(l->uid, uid);
	if (n >= max) {
		pr_warn_ratelimited("uid %u: %u lookups, refusing more (ns_max_lookups)\n",
				    from_kuid(&init_user_ns, uid), max);
		return -ENOSPC;
	}

	lookup = kzalloc(sizeof(*lookup), GFP_KERNEL);
	if (!lookup)
		return -ENOMEM;
	lookup->service = service;
	lookup->instance = instance;
	lookup->node = from->sq_node;
	lookup->port = from->sq_port;
	lookup->uid = uid;
	list_add_tail(&lookup->list, &qrtr_ns.lookups);
	qrtr_ns.nr_lookups++;

	list_for_each_entry(srv, &qrtr_ns.servers, list) {
		if (!qrtr_ns_match(lookup, srv))
			continue;
		qrtr_ns_fill_server(&pkt, QRTR_TYPE_NEW_SERVER, srv);
		qrtr_ns_send(0, lookup->node, lookup->port, &pkt, srv->epid);
	}
	/* An all-zero NEW_SERVER ends the initial listing. */
	memset(&pkt, 0, sizeof(pkt));
	pkt.cmd = cpu_to_le32(QRTR_TYPE_NEW_SERVER);
	qrtr_ns_send(0, lookup->node, lookup->port, &pkt, 0);
	return 0;
}

static int qrtr_ns_del_lookup(u32 epid, const struct sockaddr_qrtr *from,
			      u32 service, u32 instance)
{
	struct qrtr_ns_lookup *lookup, *tmp;

	if (epid)
		return -EINVAL;
	/*
	 * As upstream's ctrl_cmd_del_lookup(): the service must match exactly
	 * (0 removes only wildcard lookups), the instance only where the
	 * lookup named one.
	 */
	list_for_each_entry_safe(lookup, tmp, &qrtr_ns.lookups, list) {
		if (lookup->node != from->sq_node ||
		    lookup->port != from->sq_port ||
		    lookup->service != service ||
		    (lookup->instance && lookup->instance != instance))
			continue;
		list_del(&lookup->list);
		qrtr_ns.nr_lookups--;
		kfree(lookup);
	}
	return 0;
}

/* Caller holds qrtr_ns.lock.  Returns 0 or a negative errno. */
static int qrtr_ns_handle(struct sk_buff *skb)
{
	struct qrtr_cb *cb = qrtr_cb(skb);
	struct qrtr_ctrl_pkt pkt = {};
	struct sockaddr_qrtr from = {
		.sq_family = AF_QIPCRTR,
		.sq_node = cb->src_node,
		.sq_port = cb->src_port,
	};
	u32 epid = cb->endpoint_id;
	u32 cmd, service, instance, node, port;
	size_t need = sizeof(__le32);
	kuid_t uid = GLOBAL_ROOT_UID;

	/* A local message's owner: the sending socket's user. */
	if (!epid && skb->sk)
#ifdef SOCBPF_HAVE_SK_UID
		uid = sk_uid(skb->sk);
#else
		uid = sock_i_uid(skb->sk);
#endif

	if (skb->len < need)
		return -EINVAL;
	memcpy(&pkt, skb->data, min_t(size_t, skb->len, sizeof(pkt)));
	cmd = le32_to_cpu(pkt.cmd);
	if (cmd < ARRAY_SIZE(qrtr_ctrl_pkt_strings) &&
	    qrtr_ctrl_pkt_strings[cmd])
		trace_qrtr_ns_message(qrtr_ctrl_pkt_strings[cmd],
				      from.sq_node, from.sq_port);

	switch (cmd) {
	case QRTR_TYPE_NEW_SERVER:
	case QRTR_TYPE_DEL_SERVER:
	case QRTR_TYPE_NEW_LOOKUP:
	case QRTR_TYPE_DEL_LOOKUP:
		need = sizeof(pkt);
		break;
	case QRTR_TYPE_DEL_CLIENT:
		need = offsetofend(struct qrtr_ctrl_pkt, client.port);
		break;
	}
	if (skb->len < need)
		return -EINVAL;

	service = le32_to_cpu(pkt.server.service);
	instance = le32_to_cpu(pkt.server.instance);
	node = le32_to_cpu(pkt.server.node);
	port = le32_to_cpu(pkt.server.port);

	switch (cmd) {
	case QRTR_TYPE_HELLO:
		return qrtr_ns_hello(epid, &from);
	case QRTR_TYPE_BYE:
		return qrtr_ns_bye(epid, &from);
	case QRTR_TYPE_NEW_SERVER:
		return qrtr_ns_new_server(epid, &from, service, instance,
					  node, port, epid ? 0 : cb->scope_ep,
					  uid);
	case QRTR_TYPE_DEL_SERVER:
		return qrtr_ns_del_server(epid, &from, node, port);
	case QRTR_TYPE_DEL_CLIENT:
		return qrtr_ns_del_client(epid, &from,
					  le32_to_cpu(pkt.client.node),
					  le32_to_cpu(pkt.client.port));
	case QRTR_TYPE_NEW_LOOKUP:
		return qrtr_ns_new_lookup(epid, &from, service, instance, uid);
	case QRTR_TYPE_DEL_LOOKUP:
		return qrtr_ns_del_lookup(epid, &from, service, instance);
	case QRTR_TYPE_RESUME_TX:
	case QRTR_TYPE_EXIT:
	case QRTR_TYPE_PING:
		return 0;
	default:
		return -EINVAL;
	}
}

static int qrtr_ns_process(struct sk_buff *skb)
{
	struct qrtr_link *link = qrtr_cb(skb)->link;
	u32 epid = qrtr_cb(skb)->endpoint_id;
	int rc = 0;

	mutex_lock(&qrtr_ns.lock);
	/*
	 * A message whose link went away while it sat in the queue is
	 * forgotten, even if a new link already reuses the endpoint id: it
	 * is that link object, not its id, that must still be up.
	 */
	if (!link || qrtr_link_alive(link))
		rc = qrtr_ns_handle(skb);
	mutex_unlock(&qrtr_ns.lock);

	if (rc) {
		pr_debug("endpoint %u: control message from %u:%u rejected: %d\n",
			 epid, qrtr_cb(skb)->src_node, qrtr_cb(skb)->src_port,
			 rc);
		qrtr_count_drop_skb(skb, QRTR_DROP_NS);
	}
	if (link)
		qrtr_link_ns_done(link);
	consume_skb(skb);
	return rc;
}

/**
 * qrtr_ns_local_rx() - control message from a local socket
 * @skb: the message; consumed
 *
 * Handled synchronously in the sender's context (its socket owns what it
 * registers).  Refusals are counted as drop_ns; the socket layer does not
 * pass them to the sender, as upstream's name service (another socket)
 * cannot either.
 *
 * Return: 0, -EINVAL for a malformed or refused message, -ENOSPC when a cap
 * (ns_max_servers, ns_max_lookups) is reached.
 */
int qrtr_ns_local_rx(struct sk_buff *skb)
{
	qrtr_cb(skb)->endpoint_id = 0;
	qrtr_cb(skb)->link = NULL;
	return qrtr_ns_process(skb);
}

/**
 * qrtr_ns_queue() - control message from a link
 * @link: the link it came from
 * @skb: the message with qrtr_cb()->endpoint_id set; consumed
 *
 * Past the link's budget (ns_queue_per_endpoint) the message is counted as
 * drop_ns and dropped; other links' messages are not affected.
 */
void qrtr_ns_queue(struct qrtr_link *link, struct sk_buff *skb)
{
	if (!qrtr_link_ns_admit(link)) {
		pr_warn_ratelimited("endpoint %u: name service queue full, dropping control message\n",
				    qrtr_link_id(link));
		qrtr_count_drop_skb(skb, QRTR_DROP_NS);
		kfree_skb(skb);
		return;
	}
	qrtr_cb(skb)->link = link;
	skb_queue_tail(&qrtr_ns.rxq, skb);
	queue_work(qrtr_ns.wq, &qrtr_ns.work);
}

static void qrtr_ns_worker(struct work_struct *work)
{
	struct sk_buff *skb;

	while ((skb = skb_dequeue(&qrtr_ns.rxq)))
		qrtr_ns_process(skb);
}

/**
 * qrtr_ns_endpoint_down() - forget everything learnt through an endpoint
 * @epid: endpoint id
 * @nodes: node ids the endpoint used
 * @n: entries in @nodes
 */
void qrtr_ns_endpoint_down(u32 epid, const u32 *nodes, unsigned int n)
{
	struct qrtr_ns_server *srv, *tmp;
	unsigned int i;

	mutex_lock(&qrtr_ns.lock);
	for (i = 0; i < n; i++)
		qrtr_ns_node_gone(epid, nodes[i]);
	list_for_each_entry_safe(srv, tmp, &qrtr_ns.servers, list) {
		if (srv->epid == epid)
			qrtr_ns_server_remove(srv, false);
	}
	mutex_unlock(&qrtr_ns.lock);
}

int qrtr_ns_show(struct seq_file *m, void *v)
{
	struct qrtr_ns_lookup *lookup;
	struct qrtr_ns_server *srv;

	mutex_lock(&qrtr_ns.lock);
	list_for_each_entry(srv, &qrtr_ns.servers, list)
		seq_printf(m, "server service=%u instance=%u node=%u port=%u endpoint=%u\n",
			   srv->service, srv->instance, srv->node, srv->port,
			   srv->epid);
	list_for_each_entry(lookup, &qrtr_ns.lookups, list)
		seq_printf(m, "lookup service=%u instance=%u node=%u port=%u\n",
			   lookup->service, lookup->instance, lookup->node,
			   lookup->port);
	mutex_unlock(&qrtr_ns.lock);
	return 0;
}

int qrtr_ns_init(void)
{
	mutex_init(&qrtr_ns.lock);
	INIT_LIST_HEAD(&qrtr_ns.servers);
	INIT_LIST_HEAD(&qrtr_ns.lookups);
	skb_queue_head_init(&qrtr_ns.rxq);
	INIT_WORK(&qrtr_ns.work, qrtr_ns_worker);
	qrtr_ns.wq = alloc_ordered_workqueue("socbpf_qrtr_ns", 0);
	if (!qrtr_ns.wq)
		return -ENOMEM;
	return 0;
}

void qrtr_ns_exit(void)
{
	struct qrtr_ns_lookup *lookup, *ltmp;
	struct qrtr_ns_server *srv, *stmp;
	struct sk_buff *skb;

	destroy_workqueue(qrtr_ns.wq);
	while ((skb = skb_dequeue(&qrtr_ns.rxq))) {
		qrtr_link_ns_done(qrtr_cb(skb)->link);
		kfree_skb(skb);
	}
	list_for_each_entry_safe(srv, stmp, &qrtr_ns.servers, list) {
		list_del(&srv->list);
		hash_del_rcu(&srv->hnode);
		kfree_rcu(srv, rcu);
	}
	list_for_each_entry_safe(lookup, ltmp, &qrtr_ns.lookups, list) {
		list_del(&lookup->list);
		kfree(lookup);
	}
	qrtr_ns.nr_servers = 0;
	qrtr_ns.nr_lookups = 0;
}
