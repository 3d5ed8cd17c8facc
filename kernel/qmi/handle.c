// SPDX-License-Identifier: GPL-2.0
/*
 * socbpf_qmi handle: QMI clients and servers in the kernel over socbpf_qrtr's
 * AF_QIPCRTR kernel sockets, with the API shape of upstream's qmi_helpers
 * (drivers/soc/qcom/qmi_interface.c): a handle owns one socket and an
 * ordered workqueue that receives from it; control packets from the name
 * service drive the lookup results (new/del server, bye, del client),
 * responses complete transactions, requests and indications go to handlers
 * chosen by type and message id.
 *
 * Endpoints: socbpf_qmi_handle_init_ep() binds the socket to an endpoint id
 * (SOL_QRTR QRTR_BIND_ENDPOINT) before it has a port, so no message from
 * another endpoint can ever reach it; every message's endpoint comes with it
 * (QRTR_REPORT_ENDPOINT) and is what socbpf_qmi_rx_endpoint() returns in
 * callbacks and what struct socbpf_qmi_service records.
 *
 * Locking: the worker is the only reader of the socket and the only user of
 * the lookup lists and counters; sock_lock serialises senders against the
 * socket's release; txn_lock protects the transactions.
 */
#define pr_fmt(fmt) "socbpf_qmi: " fmt

#include <linux/err.h>
#include <linux/module.h>
#include <linux/net.h>
#include <linux/slab.h>
#include <linux/socket.h>
#include <linux/string.h>
#include <net/sock.h>

#include "qrtr.h"
#include "socbpf_qmi.h"

#define CREATE_TRACE_POINTS
#include "qmi_trace.h"

struct qmi_svc_entry {
	unsigned int service;
	unsigned int version;
	unsigned int instance;
	struct list_head list;
};

static void qmi_fail_txns(struct socbpf_qmi_handle *qmi, bool all, u32 node,
			  u32 port, u32 ep, int err)
{
	struct socbpf_qmi_txn *txn;
	unsigned long id;

	mutex_lock(&qmi->txn_lock);
	xa_for_each(&qmi->txns, id, txn) {
		if (!all) {
			if (txn->dst_node != node)
				continue;
			if (port != QRTR_PORT_CTRL && txn->dst_port != port)
				continue;
			if (ep && txn->dst_ep && txn->dst_ep != ep)
				continue;
		}
		xa_erase(&qmi->txns, id);
		txn->result = err;
		txn->done_ns = ktime_get_ns();
		complete(&txn->completion);
	}
	mutex_unlock(&qmi->txn_lock);
}

static int qmi_send_ctrl(struct socbpf_qmi_handle *qmi, u32 cmd,
			 unsigned int service, unsigned int version,
			 unsigned int instance, u32 node, u32 port)
{
	struct sockaddr_qrtr sq = {
		.sq_family = AF_QIPCRTR,
		.sq_node = qmi->sq.sq_node,
		.sq_port = QRTR_PORT_CTRL,
	};
	struct qrtr_ctrl_pkt pkt = {};
	struct msghdr msg = { .msg_name = &sq, .msg_namelen = sizeof(sq) };
	struct kvec iv = { &pkt, sizeof(pkt) };
	int ret = -EPIPE;

	pkt.cmd = cpu_to_le32(cmd);
	pkt.server.service = cpu_to_le32(service);
	pkt.server.instance = cpu_to_le32(version | instance << 8);
	pkt.server.node = cpu_to_le32(node);
	pkt.server.port = cpu_to_le32(port);

	mutex_lock(&qmi->sock_lock);
	if (qmi->sock)
		ret = kernel_sendmsg(qmi->sock, &msg, &iv, 1, sizeof(pkt));
	mutex_unlock(&qmi->sock_lock);
	return ret < 0 ? ret : 0;
}

static void qmi_new_server(struct socbpf_qmi_handle *qmi, u32 service,
			   u32 instance, u32 node, u32 port)
{
	struct socbpf_qmi_service *svc;

	/* an all-zero NEW_SERVER ends a lookup's initial listing */
	if (!service && !instance && !node && !port)
		return;
	svc = kzalloc(sizeof(*svc), GFP_KERNEL);
	if (!svc)
		return;
	svc->service = service;
	svc->version = instance & 0xff;
	svc->instance = instance >> 8;
	svc->node = node;
	svc->port = port;
	svc->endpoint_id = qmi->rx_endpoint;
	if (qmi->ops.new_server && qmi->ops.new_server(qmi, svc) < 0) {
		kfree(svc);
		return;
	}
	mutex_lock(&qmi->lookup_lock);
	list_add_tail(&svc->list_node, &qmi->lookup_results);
	mutex_unlock(&qmi->lookup_lock);
}

static void qmi_del_server(struct socbpf_qmi_handle *qmi, u32 node, u32 port)
{
	struct socbpf_qmi_service *svc, *tmp;

	list_for_each_entry_safe(svc, tmp, &qmi->lookup_results, list_node) {
		if (svc->node != node ||
		    (port != QRTR_PORT_CTRL && svc->port != port) ||
		    svc->endpoint_id != qmi->rx_endpoint)
			continue;
		mutex_lock(&qmi->lookup_lock);
		list_del(&svc->list_node);
		mutex_unlock(&qmi->lookup_lock);
		if (qmi->ops.del_server)
			qmi->ops.del_server(qmi, svc);
		kfree(svc);
	}
}

/* Service of the server at @node:@port (behind @ep), 0 if unknown. */
static u32 qmi_peer_service(struct socbpf_qmi_handle *qmi, u32 node, u32 port,
			    u32 ep)
{
	struct socbpf_qmi_service *svc;
	u32 service = 0;

	mutex_lock(&qmi->lookup_lock);
	list_for_each_entry(svc, &qmi->lookup_results, list_node) {
		if (svc->node == node && svc->port == port &&
		    (!ep || svc->endpoint_id == ep)) {
			service = svc->service;
			break;
		}
	}
	mutex_unlock(&qmi->lookup_lock);
	return service;
}

/* The service this handle offers, 0 if none (or the first of several). */
static u32 qmi_own_service(struct socbpf_qmi_handle *qmi)
{
	struct qmi_svc_entry *e;
	u32 service;

	mutex_lock(&qmi->lookup_lock);
	e = list_first_entry_or_null(&qmi->services, struct qmi_svc_entry,
				     list);
	service = e ? e->service : 0;
	mutex_unlock(&qmi->lookup_lock);
	return service;
}

static void qmi_recv_ctrl(struct socbpf_qmi_handle *qmi, size_t len)
{
	const struct qrtr_ctrl_pkt *pkt = qmi->recv_buf;
	u32 node, port;

	if (len < sizeof(*pkt)) {
		qmi->stats.malformed++;
		return;
	}
	qmi->stats.ctrl++;
	switch (le32_to_cpu(pkt->cmd)) {
	case QRTR_TYPE_BYE:
		node = le32_to_cpu(pkt->client.node);
		qmi_fail_txns(qmi, false, node, QRTR_PORT_CTRL,
			      qmi->rx_endpoint, -ECONNRESET);
		qmi_del_server(qmi, node, QRTR_PORT_CTRL);
		if (qmi->ops.bye)
			qmi->ops.bye(qmi, node);
		break;
	case QRTR_TYPE_DEL_CLIENT:
		node = le32_to_cpu(pkt->client.node);
		port = le32_to_cpu(pkt->client.port);
		qmi_fail_txns(qmi, false, node, port, qmi->rx_endpoint,
			      -ECONNRESET);
		if (qmi->ops.del_client)
			qmi->ops.del_client(qmi, node, port);
		break;
	case QRTR_TYPE_NEW_SERVER:
		qmi_new_server(qmi, le32_to_cpu(pkt->server.service),
			       le32_to_cpu(pkt->server.instance),
			       le32_to_cpu(pkt->server.node),
			       le32_to_cpu(pkt->server.port));
		break;
	case QRTR_TYPE_DEL_SERVER:
		node = le32_to_cpu(pkt->server.node);
		port = le32_to_cpu(pkt->server.port);
		qmi_fail_txns(qmi, false, node, port, qmi->rx_endpoint,
			      -ECONNRESET);
		qmi_del_server(qmi, node, port);
		break;
	}
}

static void qmi_invoke_handler(struct socbpf_qmi_handle *qmi,
			       struct sockaddr_qrtr *sq,
			       struct socbpf_qmi_txn *txn,
			       const struct sqmi_header *hdr, size_t len)
{
	const struct socbpf_qmi_msg_handler *h;
	void *dest;
	int ret;

	for (h = qmi->handlers; h && h->fn; h++)
		if (h->type == hdr->type && h->msg_id == hdr->msg_id)
			break;
	if (!h || !h->fn) {
		qmi->stats.unknown_msg++;
		if (qmi->ops.msg_handler)
			qmi->ops.msg_handler(qmi, sq, qmi->recv_buf, len);
		return;
	}
	dest = kzalloc(h->decoded_size, GFP_KERNEL);
	if (!dest)
		return;
	ret = socbpf_qmi_decode_message(qmi->recv_buf, len, h->ei, dest);
	if (ret < 0) {
		qmi->stats.malformed++;
		pr_info_ratelimited("dropped malformed message 0x%04x from %u:%u ep %u: %d\n",
				    hdr->msg_id, sq->sq_node, sq->sq_port,
				    qmi->rx_endpoint, ret);
	} else {
		h->fn(qmi, sq, txn, dest);
	}
	kfree(dest);
}

static void qmi_recv_msg(struct socbpf_qmi_handle *qmi,
			 struct sockaddr_qrtr *sq, size_t len)
{
	struct socbpf_qmi_txn tmp = {};
	struct socbpf_qmi_txn *txn;
	struct sqmi_header hdr;
	u32 service;
	int ret;

	ret = socbpf_qmi_decode_header(qmi->recv_buf, len, &hdr);
	if (ret < 0) {
		trace_socbpf_qmi_rx(qmi->rx_endpoint, sq->sq_node, sq->sq_port,
				    0, 0, 0, 0, len, ret);
		qmi->stats.malformed++;
		pr_info_ratelimited("dropped malformed message from %u:%u ep %u: %d\n",
				    sq->sq_node, sq->sq_port, qmi->rx_endpoint,
				    ret);
		return;
	}
	/* a request is for our own service, the rest come from a server */
	service = hdr.type == SQMI_REQUEST ? qmi_own_service(qmi) :
		  qmi_peer_service(qmi, sq->sq_node, sq->sq_port,
				   qmi->rx_endpoint);
	trace_socbpf_qmi_rx(qmi->rx_endpoint, sq->sq_node, sq->sq_port,
			    service, hdr.type, hdr.msg_id, hdr.txn_id, len, 0);
	if (hdr.type != SQMI_RESPONSE) {
		tmp.qmi = qmi;
		tmp.id = hdr.txn_id;
		qmi_invoke_handler(qmi, sq,
				   hdr.type == SQMI_REQUEST ? &tmp : NULL,
				   &hdr, len);
		return;
	}

	mutex_lock(&qmi->txn_lock);
	txn = xa_load(&qmi->txns, hdr.txn_id);
	if (!txn) {
		mutex_unlock(&qmi->txn_lock);
		qmi->stats.unmatched_resp++;
		return;
	}
	if (txn->ei) {
		ret = socbpf_qmi_decode_message(qmi->recv_buf, len, txn->ei,
						txn->dest);
		if (ret < 0)
			qmi->stats.malformed++;
		txn->result = ret < 0 ? ret : 0;
	} else {
		/* the handler runs under txn_lock: it must not start txns */
		qmi_invoke_handler(qmi, sq, txn, &hdr, len);
		txn->result = 0;
	}
	xa_erase(&qmi->txns, txn->id);
	txn->done_ns = ktime_get_ns();
	complete(&txn->completion);
	mutex_unlock(&qmi->txn_lock);
}

static void qmi_data_ready(struct sock *sk)
{
	struct socbpf_qmi_handle *qmi;

	read_lock_bh(&sk->sk_callback_lock);
	qmi = sk->sk_user_data;
	if (qmi)
		queue_work(qmi->wq, &qmi->work);
	read_unlock_bh(&sk->sk_callback_lock);
}

/*
 * A new socket for the handle, bound to its endpoint (before it has a port:
 * nothing from another endpoint can ever reach it) and reporting endpoints;
 * its address in @sq. Not yet the handle's: see qmi_sock_install().
 */
static struct socket *qmi_sock_create(struct socbpf_qmi_handle *qmi,
				      struct sockaddr_qrtr *sq)
{
	struct socket *sock;
	u32 one = 1;
	int ret;

	/* protocol 0: socbpf_qrtr refuses PF_QIPCRTR, which upstream passes */
	ret = sock_create_kern(&init_net, AF_QIPCRTR, SOCK_DGRAM, 0, &sock);
	if (ret < 0)
		return ERR_PTR(ret);
	if (qmi->endpoint_id) {
		ret = sock->ops->setsockopt(sock, SOL_QRTR, QRTR_BIND_ENDPOINT,
					    KERNEL_SOCKPTR(&qmi->endpoint_id),
					    sizeof(qmi->endpoint_id));
		if (ret < 0)
			goto err_release;
	}
	ret = sock->ops->setsockopt(sock, SOL_QRTR, QRTR_REPORT_ENDPOINT,
				    KERNEL_SOCKPTR(&one), sizeof(one));
	if (ret < 0)
		goto err_release;
	ret = kernel_getsockname(sock, (struct sockaddr *)sq);
	if (ret < 0)
		goto err_release;
	sq->sq_port = 0;
#ifdef SOCBPF_HAVE_SOCKADDR_UNSIZED	/* kernel_bind() takes one since 6.19 */
	ret = kernel_bind(sock, (struct sockaddr_unsized *)sq, sizeof(*sq));
#else
	ret = kernel_bind(sock, (struct sockaddr *)sq, sizeof(*sq));
#endif
	if (ret < 0)
		goto err_release;
	ret = kernel_getsockname(sock, (struct sockaddr *)sq);
	if (ret < 0)
		goto err_release;
	return sock;

err_release:
	sock_release(sock);
	return ERR_PTR(ret);
}

/* Make @sock the handle's socket. Caller holds sock_lock (or owns @qmi). */
static void qmi_sock_install(struct socbpf_qmi_handle *qmi,
			     struct socket *sock,
			     const struct sockaddr_qrtr *sq)
{
	write_lock_bh(&sock->sk->sk_callback_lock);
	sock->sk->sk_user_data = qmi;
	sock->sk->sk_data_ready = qmi_data_ready;
	sock->sk->sk_error_report = qmi_data_ready;
	write_unlock_bh(&sock->sk->sk_callback_lock);
	qmi->sock = sock;
	qmi->sq = *sq;
}

/* From now on @sock wakes no worker. */
static void qmi_sock_detach(struct socket *sock)
{
	write_lock_bh(&sock->sk->sk_callback_lock);
	sock->sk->sk_user_data = NULL;
	write_unlock_bh(&sock->sk->sk_callback_lock);
}

/*
 * The socket reported ENETRESET: what the router says when the name service
 * restarted (upstream's qrtr_reset_ports()), so nothing it knew of this
 * handle's port holds any more. As upstream's qmi_handle_net_reset(): a new
 * socket, bound to the same endpoint, replaces the old one; pending
 * transactions fail with -ENETRESET; every lookup result goes (del_server);
 * ops->net_reset runs; then the lookups and servers are sent again from the
 * new port, so the name service lists the servers again (new_server).
 * Runs in the worker.
 */
static void qmi_net_reset(struct socbpf_qmi_handle *qmi)
{
	struct socbpf_qmi_service *svc, *tmp;
	struct qmi_svc_entry *e;
	struct socket *sock, *old;
	struct sockaddr_qrtr sq;
	bool stopping;

	qmi->stats.net_resets++;
	sock = qmi_sock_create(qmi, &sq);
	if (IS_ERR(sock))
		pr_warn_ratelimited("network reset on endpoint %u: no new socket (%ld), keeping the old one\n",
				    qmi->endpoint_id, PTR_ERR(sock));

	qmi_fail_txns(qmi, true, 0, 0, 0, -ENETRESET);
	list_for_each_entry_safe(svc, tmp, &qmi->lookup_results, list_node) {
		mutex_lock(&qmi->lookup_lock);
		list_del(&svc->list_node);
		mutex_unlock(&qmi->lookup_lock);
		if (qmi->ops.del_server)
			qmi->ops.del_server(qmi, svc);
		kfree(svc);
	}
	if (qmi->ops.net_reset)
		qmi->ops.net_reset(qmi);
	if (IS_ERR(sock))
		return;

	/* a handle being released keeps its socket: it goes with it */
	mutex_lock(&qmi->sock_lock);
	stopping = qmi->stopping;
	old = stopping ? sock : qmi->sock;
	if (!stopping)
		qmi_sock_install(qmi, sock, &sq);
	mutex_unlock(&qmi->sock_lock);
	if (old) {
		qmi_sock_detach(old);
		sock_release(old);
	}
	if (stopping)
		return;

	mutex_lock(&qmi->lookup_lock);
	list_for_each_entry(e, &qmi->lookups, list)
		qmi_send_ctrl(qmi, QRTR_TYPE_NEW_LOOKUP, e->service,
			      e->version, e->instance, 0, 0);
	list_for_each_entry(e, &qmi->services, list)
		qmi_send_ctrl(qmi, QRTR_TYPE_NEW_SERVER, e->service,
			      e->version, e->instance, sq.sq_node,
			      sq.sq_port);
	mutex_unlock(&qmi->lookup_lock);
}

static void qmi_rx_work(struct work_struct *work)
{
	struct socbpf_qmi_handle *qmi =
		container_of(work, struct socbpf_qmi_handle, work);
	union {
		struct cmsghdr hdr;
		u8 buf[CMSG_SPACE(sizeof(u32))];
	} cbuf;
	struct sockaddr_qrtr sq;
	struct msghdr msg;
	struct kvec iv;
	size_t used;
	u32 ep;
	int n;

	for (;;) {
		memset(&msg, 0, sizeof(msg));
		memset(&cbuf, 0, sizeof(cbuf));
		msg.msg_name = &sq;
		msg.msg_namelen = sizeof(sq);
		msg.msg_control = &cbuf;
		msg.msg_controllen = sizeof(cbuf);
		iv.iov_base = qmi->recv_buf;
		iv.iov_len = qmi->recv_buf_size;

		mutex_lock(&qmi->sock_lock);
		n = qmi->sock ? kernel_recvmsg(qmi->sock, &msg, &iv, 1,
					       iv.iov_len, MSG_DONTWAIT) :
				-EPIPE;
		mutex_unlock(&qmi->sock_lock);
		if (n == -ENETRESET) {
			qmi->rx_endpoint = qmi->endpoint_id;
			qmi_net_reset(qmi);
			continue;
		}
		if (n < 0)
			break;

		ep = 0;
		used = sizeof(cbuf) - msg.msg_controllen;
		if (used >= CMSG_LEN(sizeof(u32)) &&
		    cbuf.hdr.cmsg_level == SOL_QRTR &&
		    cbuf.hdr.cmsg_type == QRTR_ENDPOINT)
			memcpy(&ep, CMSG_DATA(&cbuf.hdr), sizeof(ep));
		qmi->rx_endpoint = ep;
		qmi->stats.rx++;
		if (msg.msg_flags & MSG_TRUNC) {
			qmi->stats.malformed++;
			continue;
		}
		if (sq.sq_node == qmi->sq.sq_node &&
		    sq.sq_port == QRTR_PORT_CTRL)
			qmi_recv_ctrl(qmi, n);
		else
			qmi_recv_msg(qmi, &sq, n);
	}
	qmi->rx_endpoint = 0;
}

/**
 * socbpf_qmi_handle_init_ep() - initialise a handle bound to an endpoint
 * @qmi: handle to initialise
 * @recv_buf_size: largest message expected (header excluded)
 * @ops: callbacks, may be NULL
 * @handlers: request/indication handlers ended by a NULL @fn, may be NULL
 * @endpoint_id: endpoint to bind to (1..255), 0 for none
 *
 * The socket is bound to @endpoint_id before it gets a port, so it never
 * sees a message from another endpoint. The endpoint id must be known to
 * the registry (live or pre-assigned with socbpf_qrtr_epid_preassign()).
 *
 * Context: process context.
 * Return: 0; -ENOMEM; -ENODEV for an endpoint id the registry does not know,
 * -EINVAL for one out of range; another errno from the socket layer.
 */
int socbpf_qmi_handle_init_ep(struct socbpf_qmi_handle *qmi,
			      size_t recv_buf_size,
			      const struct socbpf_qmi_ops *ops,
			      const struct socbpf_qmi_msg_handler *handlers,
			      u32 endpoint_id)
{
	struct sockaddr_qrtr sq;
	struct socket *sock;
	int ret;

	memset(qmi, 0, sizeof(*qmi));
	mutex_init(&qmi->sock_lock);
	mutex_init(&qmi->txn_lock);
	mutex_init(&qmi->lookup_lock);
	xa_init_flags(&qmi->txns, XA_FLAGS_ALLOC1);
	INIT_LIST_HEAD(&qmi->lookups);
	INIT_LIST_HEAD(&qmi->lookup_results);
	INIT_LIST_HEAD(&qmi->services);
	INIT_WORK(&qmi->work, qmi_rx_work);
	if (ops)
		qmi->ops = *ops;
	qmi->handlers = handlers;
	qmi->endpoint_id = endpoint_id;

	/* room for the header, and for a control packet */
	recv_buf_size = min_t(size_t, recv_buf_size, QMI_WIRE_MAX_MSG);
	qmi->recv_buf_size = max_t(size_t, recv_buf_size + SQMI_HEADER_LEN,
				   sizeof(struct qrtr_ctrl_pkt));
	qmi->recv_buf = kzalloc(qmi->recv_buf_size, GFP_KERNEL);
	if (!qmi->recv_buf)
		return -ENOMEM;
	qmi->wq = alloc_ordered_workqueue("socbpf_qmi_rx", 0);
	if (!qmi->wq) {
		ret = -ENOMEM;
		goto err_free_buf;
	}
	sock = qmi_sock_create(qmi, &sq);
	if (IS_ERR(sock)) {
		ret = PTR_ERR(sock);
		goto err_destroy_wq;
	}
	qmi_sock_install(qmi, sock, &sq);
	return 0;

err_destroy_wq:
	destroy_workqueue(qmi->wq);
err_free_buf:
	kfree(qmi->recv_buf);
	qmi->recv_buf = NULL;
	return ret;
}
EXPORT_SYMBOL_GPL(socbpf_qmi_handle_init_ep);

/**
 * socbpf_qmi_handle_init() - initialise a handle not bound to any endpoint
 * @qmi: handle to initialise
 * @recv_buf_size: largest message expected (header excluded)
 * @ops: callbacks, may be NULL
 * @handlers: request/indication handlers ended by a NULL @fn, may be NULL
 *
 * As upstream's qmi_handle_init(): the handle hears every endpoint (two
 * devices with the same node and port are then indistinguishable except by
 * socbpf_qmi_rx_endpoint()).
 *
 * Context: process context.
 * Return: 0 or a negative errno.
 */
int socbpf_qmi_handle_init(struct socbpf_qmi_handle *qmi, size_t recv_buf_size,
			   const struct socbpf_qmi_ops *ops,
			   const struct socbpf_qmi_msg_handler *handlers)
{
	return socbpf_qmi_handle_init_ep(qmi, recv_buf_size, ops, handlers, 0);
}
EXPORT_SYMBOL_GPL(socbpf_qmi_handle_init);

/**
 * socbpf_qmi_handle_init_key() - initialise a handle bound to a device
 * @qmi: handle to initialise
 * @recv_buf_size: largest message expected (header excluded)
 * @ops: callbacks, may be NULL
 * @handlers: request/indication handlers ended by a NULL @fn, may be NULL
 * @key: the device's key in the endpoint registry (e.g. "pci:0000:01:00.0")
 *
 * Looks the key up with socbpf_qrtr_epid_lookup() and binds to its id. To
 * be ready before the device's link exists, pre-assign the id first with
 * socbpf_qrtr_epid_preassign().
 *
 * Context: process context.
 * Return: 0, -ENOENT when the registry does not know @key, or as
 * socbpf_qmi_handle_init_ep().
 */
int socbpf_qmi_handle_init_key(struct socbpf_qmi_handle *qmi,
			       size_t recv_buf_size,
			       const struct socbpf_qmi_ops *ops,
			       const struct socbpf_qmi_msg_handler *handlers,
			       const char *key)
{
	int id;

	if (!key)
		return -EINVAL;
	id = socbpf_qrtr_epid_lookup(key, strlen(key));
	if (id < 0)
		return id;
	return socbpf_qmi_handle_init_ep(qmi, recv_buf_size, ops, handlers, id);
}
EXPORT_SYMBOL_GPL(socbpf_qmi_handle_init_key);

/**
 * socbpf_qmi_handle_release() - release a handle
 * @qmi: handle initialised by one of the socbpf_qmi_handle_init*() calls
 *
 * Stops the worker, closes the socket (the name service forgets the
 * handle's lookups and servers), fails pending transactions with
 * -ENETRESET and frees the lookup results.
 *
 * Context: process context; not from the handle's own callbacks.
 */
void socbpf_qmi_handle_release(struct socbpf_qmi_handle *qmi)
{
	struct socbpf_qmi_service *svc, *tmp;
	struct qmi_svc_entry *e, *etmp;
	struct socket *sock;

	/* the worker replaces no socket from now on (network reset) */
	mutex_lock(&qmi->sock_lock);
	qmi->stopping = true;
	sock = qmi->sock;
	mutex_unlock(&qmi->sock_lock);
	if (sock)
		qmi_sock_detach(sock);
	destroy_workqueue(qmi->wq);

	mutex_lock(&qmi->sock_lock);
	if (sock)
		sock_release(sock);
	qmi->sock = NULL;
	mutex_unlock(&qmi->sock_lock);

	qmi_fail_txns(qmi, true, 0, 0, 0, -ENETRESET);
	xa_destroy(&qmi->txns);
	list_for_each_entry_safe(svc, tmp, &qmi->lookup_results, list_node) {
		list_del(&svc->list_node);
		kfree(svc);
	}
	list_for_each_entry_safe(e, etmp, &qmi->lookups, list) {
		list_del(&e->list);
		kfree(e);
	}
	list_for_each_entry_safe(e, etmp, &qmi->services, list) {
		list_del(&e->list);
		kfree(e);
	}
	kfree(qmi->recv_buf);
	qmi->recv_buf = NULL;
}
EXPORT_SYMBOL_GPL(socbpf_qmi_handle_release);

static int qmi_add_entry(struct socbpf_qmi_handle *qmi, struct list_head *list,
			 u32 cmd, unsigned int service, unsigned int version,
			 unsigned int instance)
{
	struct qmi_svc_entry *e;
	int ret;

	if (version > 0xff || instance > 0xffffff)
		return -EINVAL;
	e = kzalloc(sizeof(*e), GFP_KERNEL);
	if (!e)
		return -ENOMEM;
	e->service = service;
	e->version = version;
	e->instance = instance;
	ret = qmi_send_ctrl(qmi, cmd, service, version, instance,
			    qmi->sq.sq_node, qmi->sq.sq_port);
	if (ret < 0) {
		kfree(e);
		return ret;
	}
	mutex_lock(&qmi->lookup_lock);
	list_add_tail(&e->list, list);
	mutex_unlock(&qmi->lookup_lock);
	return 0;
}

/**
 * socbpf_qmi_add_lookup() - look for servers of a service
 * @qmi: handle
 * @service: service id
 * @version: version (0..255)
 * @instance: instance (0..0xffffff)
 *
 * The name service answers with the servers it knows (a bound handle hears
 * only those behind its endpoint) and keeps telling the handle about new
 * and removed ones: ops->new_server and ops->del_server.
 *
 * Context: process context.
 * Return: 0 or a negative errno.
 */
int socbpf_qmi_add_lookup(struct socbpf_qmi_handle *qmi, unsigned int service,
			  unsigned int version, unsigned int instance)
{
	return qmi_add_entry(qmi, &qmi->lookups, QRTR_TYPE_NEW_LOOKUP, service,
			     version, instance);
}
EXPORT_SYMBOL_GPL(socbpf_qmi_add_lookup);

/**
 * socbpf_qmi_add_server() - offer a service on the handle's port
 * @qmi: handle
 * @service: service id
 * @version: version (0..255)
 * @instance: instance (0..0xffffff)
 *
 * Context: process context.
 * Return: 0 or a negative errno.
 */
int socbpf_qmi_add_server(struct socbpf_qmi_handle *qmi, unsigned int service,
			  unsigned int version, unsigned int instance)
{
	return qmi_add_entry(qmi, &qmi->services, QRTR_TYPE_NEW_SERVER,
			     service, version, instance);
}
EXPORT_SYMBOL_GPL(socbpf_qmi_add_server);

/**
 * socbpf_qmi_txn_init() - start a transaction
 * @qmi: handle
 * @txn: transaction to initialise
 * @ei: table of the expected response, NULL to hand it to a handler
 * @c_struct: zeroed structure the response is decoded into
 *
 * Every successful socbpf_qmi_txn_init() is followed by
 * socbpf_qmi_txn_wait() or socbpf_qmi_txn_cancel().
 *
 * Context: process context.
 * Return: the transaction id (> 0) or a negative errno (-EBUSY when 65535
 * transactions are pending).
 */
int socbpf_qmi_txn_init(struct socbpf_qmi_handle *qmi,
			struct socbpf_qmi_txn *txn,
			const struct sqmi_elem_info *ei, void *c_struct)
{
	u32 id;
	int ret;

	memset(txn, 0, sizeof(*txn));
	init_completion(&txn->completion);
	txn->qmi = qmi;
	txn->ei = ei;
	txn->dest = c_struct;

	mutex_lock(&qmi->txn_lock);
	ret = xa_alloc_cyclic(&qmi->txns, &id, txn, XA_LIMIT(1, U16_MAX),
			      &qmi->txn_next, GFP_KERNEL);
	mutex_unlock(&qmi->txn_lock);
	if (ret < 0)
		return ret;
	txn->id = id;
	return id;
}
EXPORT_SYMBOL_GPL(socbpf_qmi_txn_init);

/**
 * socbpf_qmi_txn_wait() - wait for a transaction's response
 * @txn: transaction started by socbpf_qmi_txn_init()
 * @timeout: in jiffies
 *
 * Context: process context.
 * Return: 0 when the response arrived and decoded; -ETIMEDOUT; the decode
 * error of a malformed response (-EBADMSG, -EMSGSIZE, -EOVERFLOW);
 * -ECONNRESET when the server or its node went away, -ENETRESET on a
 * network reset or when the handle was released.
 */
int socbpf_qmi_txn_wait(struct socbpf_qmi_txn *txn, unsigned long timeout)
{
	struct socbpf_qmi_handle *qmi = txn->qmi;
	bool done;
	int ret;

	done = wait_for_completion_timeout(&txn->completion, timeout);
	mutex_lock(&qmi->txn_lock);
	xa_cmpxchg(&qmi->txns, txn->id, txn, NULL, GFP_KERNEL);
	/* completed between the timeout and taking the lock? */
	if (!done)
		done = try_wait_for_completion(&txn->completion);
	ret = done ? txn->result : -ETIMEDOUT;
	mutex_unlock(&qmi->txn_lock);
	trace_socbpf_qmi_txn_end(txn->dst_ep, txn->dst_node, txn->dst_port,
				 txn->service, txn->msg_id, txn->id, ret,
				 (done ? txn->done_ns : ktime_get_ns()) -
				 txn->sent_ns);
	return ret;
}
EXPORT_SYMBOL_GPL(socbpf_qmi_txn_wait);

/**
 * socbpf_qmi_txn_cancel() - give up a transaction
 * @txn: transaction started by socbpf_qmi_txn_init()
 *
 * Context: process context.
 */
void socbpf_qmi_txn_cancel(struct socbpf_qmi_txn *txn)
{
	struct socbpf_qmi_handle *qmi = txn->qmi;

	mutex_lock(&qmi->txn_lock);
	xa_cmpxchg(&qmi->txns, txn->id, txn, NULL, GFP_KERNEL);
	mutex_unlock(&qmi->txn_lock);
}
EXPORT_SYMBOL_GPL(socbpf_qmi_txn_cancel);

static ssize_t qmi_send_message(struct socbpf_qmi_handle *qmi,
				struct sockaddr_qrtr *sq, u32 service,
				u16 txn_id, int type, int msg_id, size_t len,
				const struct sqmi_elem_info *ei,
				const void *c_struct)
{
	struct msghdr msg = { .msg_name = sq, .msg_namelen = sizeof(*sq) };
	struct kvec iv;
	void *buf;
	int ret;

	buf = socbpf_qmi_encode_message(type, msg_id, &len, txn_id, ei,
					c_struct);
	if (IS_ERR(buf))
		return PTR_ERR(buf);
	iv.iov_base = buf;
	iv.iov_len = len;
	mutex_lock(&qmi->sock_lock);
	ret = qmi->sock ? kernel_sendmsg(qmi->sock, &msg, &iv, 1, len) : -EPIPE;
	mutex_unlock(&qmi->sock_lock);
	trace_socbpf_qmi_tx(qmi->endpoint_id, sq->sq_node, sq->sq_port,
			    service, type, msg_id, txn_id, len,
			    ret < 0 ? ret : 0);
	kfree(buf);
	return ret < 0 ? ret : 0;
}

/**
 * socbpf_qmi_send_request() - send a request of a transaction
 * @qmi: handle
 * @sq: destination (a server found by a lookup)
 * @txn: transaction from socbpf_qmi_txn_init()
 * @msg_id: message id
 * @len: largest encoded size of @c_struct (TLVs)
 * @ei: table of @c_struct
 * @c_struct: the request
 *
 * Context: process context.
 * Return: 0 or a negative errno (encoding or sending).
 */
ssize_t socbpf_qmi_send_request(struct socbpf_qmi_handle *qmi,
				struct sockaddr_qrtr *sq,
				struct socbpf_qmi_txn *txn, int msg_id,
				size_t len, const struct sqmi_elem_info *ei,
				const void *c_struct)
{
	txn->dst_node = sq->sq_node;
	txn->dst_port = sq->sq_port;
	txn->dst_ep = qmi->endpoint_id;
	txn->service = qmi_peer_service(qmi, sq->sq_node, sq->sq_port,
					qmi->endpoint_id);
	txn->msg_id = msg_id;
	txn->sent_ns = ktime_get_ns();
	return qmi_send_message(qmi, sq, txn->service, txn->id, SQMI_REQUEST,
				msg_id, len, ei, c_struct);
}
EXPORT_SYMBOL_GPL(socbpf_qmi_send_request);

/**
 * socbpf_qmi_send_response() - answer a request
 * @qmi: handle
 * @sq: the requester (as passed to the request's handler)
 * @txn: the transaction passed to the request's handler
 * @msg_id: message id
 * @len: largest encoded size of @c_struct (TLVs)
 * @ei: table of @c_struct
 * @c_struct: the response
 *
 * Context: process context.
 * Return: 0 or a negative errno.
 */
ssize_t socbpf_qmi_send_response(struct socbpf_qmi_handle *qmi,
				 struct sockaddr_qrtr *sq,
				 struct socbpf_qmi_txn *txn, int msg_id,
				 size_t len, const struct sqmi_elem_info *ei,
				 const void *c_struct)
{
	return qmi_send_message(qmi, sq, qmi_own_service(qmi), txn->id,
				SQMI_RESPONSE, msg_id, len, ei, c_struct);
}
EXPORT_SYMBOL_GPL(socbpf_qmi_send_response);

/**
 * socbpf_qmi_send_indication() - send an indication
 * @qmi: handle
 * @sq: destination
 * @msg_id: message id
 * @len: largest encoded size of @c_struct (TLVs)
 * @ei: table of @c_struct
 * @c_struct: the indication
 *
 * Context: process context.
 * Return: 0 or a negative errno.
 */
ssize_t socbpf_qmi_send_indication(struct socbpf_qmi_handle *qmi,
				   struct sockaddr_qrtr *sq, int msg_id,
				   size_t len, const struct sqmi_elem_info *ei,
				   const void *c_struct)
{
	return qmi_send_message(qmi, sq, qmi_own_service(qmi), 0,
				SQMI_INDICATION, msg_id, len, ei, c_struct);
}
EXPORT_SYMBOL_GPL(socbpf_qmi_send_indication);
