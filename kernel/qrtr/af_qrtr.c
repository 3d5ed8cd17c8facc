// SPDX-License-Identifier: GPL-2.0
/*
 * socbpf_qrtr AF_QIPCRTR datagram sockets, ABI-compatible with upstream,
 * plus the proposed endpoint API: SOL_QRTR options QRTR_BIND_ENDPOINT and
 * QRTR_REPORT_ENDPOINT and the QRTR_ENDPOINT control message.
 */
#define pr_fmt(fmt) "socbpf_qrtr: " fmt

#include <linux/module.h>
#include <linux/net.h>
#include <linux/netdevice.h>
#include <linux/socket.h>
#include <linux/termios.h>
#include <linux/xarray.h>
#include <net/sock.h>

#include "qrtr.h"

#define QRTR_F_REPORT_ENDPOINT	0
#define QRTR_F_TX_THROTTLED	1
#define QRTR_F_TX_POLLWAIT	2

#define QRTR_POLL_WR	(EPOLLOUT | EPOLLWRNORM | EPOLLWRBAND)

/**
 * struct qrtr_sock - AF_QIPCRTR socket
 * @sk: generic socket, first
 * @us: local address (port 0 until bound)
 * @peer: connected peer
 * @flags: QRTR_F_* bits
 * @bound_ep: endpoint the socket is restricted to, 0 for none
 * @fc_ep: with QRTR_F_TX_THROTTLED, endpoint of the flow the last send
 *         filled up to its high-water mark
 * @fc_node: its remote node
 * @fc_port: its remote port
 * @route: the route of the last remote send
 *
 * QRTR_F_TX_POLLWAIT is set while a poll() may be waiting for that flow to
 * resume (it found or is about to find the window full); qrtr_fc_pollers
 * counts the sockets that have it, so a RESUME_TX looks for sockets to wake
 * only when there are any.
 *
 * Sends from one socket are serialised by the socket lock (as upstream:
 * a send that waits for RESUME_TX holds it), so @us cannot change while a
 * packet from it is on its way.
 */
struct qrtr_sock {
	struct sock sk;
	struct sockaddr_qrtr us;
	struct sockaddr_qrtr peer;
	unsigned long flags;
	u32 bound_ep;
	u32 fc_ep;
	u32 fc_node;
	u32 fc_port;
	struct qrtr_route route;
};

static DEFINE_XARRAY_ALLOC(qrtr_ports);
static atomic_t qrtr_sock_count = ATOMIC_INIT(0);
static atomic_t qrtr_fc_pollers = ATOMIC_INIT(0);

static struct qrtr_sock *qrtr_sk(struct sock *sk)
{
	BUILD_BUG_ON(offsetof(struct qrtr_sock, sk) != 0);
	return container_of(sk, struct qrtr_sock, sk);
}

unsigned int qrtr_nr_socks(void)
{
	return atomic_read(&qrtr_sock_count);
}

/* Sockets are SOCK_RCU_FREE, so a port lookup needs no lock. */
static struct qrtr_sock *qrtr_port_lookup(u32 port)
{
	struct qrtr_sock *ipc;

	if (port == QRTR_PORT_CTRL)
		return NULL;
	rcu_read_lock();
	ipc = xa_load(&qrtr_ports, port);
	if (ipc && !refcount_inc_not_zero(&ipc->sk.sk_refcnt))
		ipc = NULL;
	rcu_read_unlock();
	return ipc;
}

/**
 * qrtr_sock_deliver() - queue a packet on the local socket it is for
 * @skb: payload with qrtr_cb() filled in; always consumed
 *
 * Return: 0, -ENODEV (no such port, or filtered by an endpoint binding) or
 * -ENOSPC (receive queue full).
 */
int qrtr_sock_deliver(struct sk_buff *skb)
{
	struct qrtr_cb *cb = qrtr_cb(skb);
	struct qrtr_sock *ipc;
	unsigned int reason;
	u32 bound;
	int rc;

	ipc = qrtr_port_lookup(cb->dst_port);
	rc = -ENODEV;
	reason = QRTR_DROP_NOPORT;
	if (!ipc || skb->sk == &ipc->sk)
		goto err_drop;

	/* A socket bound to an endpoint only hears that endpoint (and us). */
	bound = READ_ONCE(ipc->bound_ep);
	reason = QRTR_DROP_FILTER;
	if (cb->endpoint_id && bound && bound != cb->endpoint_id)
		goto err_drop;

	rc = -ENOSPC;
	reason = QRTR_DROP_RCVBUF;
	if (sock_queue_rcv_skb(&ipc->sk, skb))
		goto err_drop;
	sock_put(&ipc->sk);
	return 0;

err_drop:
	qrtr_count_drop_skb(skb, reason);
	if (ipc)
		sock_put(&ipc->sk);
	kfree_skb(skb);
	return rc;
}

/**
 * qrtr_local_enqueue() - deliver a packet addressed to the local node
 * @skb: payload with qrtr_cb() filled in; always consumed
 *
 * Packets for the control port go to the name service synchronously so
 * the sender sees its verdict.
 *
 * Return: 0 or a negative errno.
 */
int qrtr_local_enqueue(struct sk_buff *skb)
{
	if (qrtr_cb(skb)->dst_port == QRTR_PORT_CTRL)
		return qrtr_ns_local_rx(skb);
	return qrtr_sock_deliver(skb);
}

/* The socket no longer waits in poll() for its flow to resume. */
static void qrtr_sock_fc_unwait(struct qrtr_sock *ipc)
{
	if (test_and_clear_bit(QRTR_F_TX_POLLWAIT, &ipc->flags))
		atomic_dec(&qrtr_fc_pollers);
}

/**
 * qrtr_sock_flow_resumed() - a remote port's tx window reopened
 * @epid: endpoint of the flow
 * @node: remote node
 * @port: remote port (ignored with @any_port)
 * @any_port: every flow of @epid (the endpoint went away)
 *
 * Wakes poll()ers of the sockets whose last send filled that window, so
 * EPOLLOUT is reported again exactly when a send would no longer block.
 * Sockets nobody polls need no wake-up: with none, no port is looked at.
 */
void qrtr_sock_flow_resumed(u32 epid, u32 node, u32 port, bool any_port)
{
	struct qrtr_sock *ipc;
	unsigned long idx;

	/*
	 * Pairs with the barrier in qrtr_poll(): either it sees the window
	 * open again (or the link gone), or we see its QRTR_F_TX_POLLWAIT.
	 */
	smp_mb();
	if (!atomic_read(&qrtr_fc_pollers))
		return;

	/*
	 * xa_for_each() only holds RCU inside each step; the socket it returns
	 * is SOCK_RCU_FREE and may be freed once we leave the read section.
	 */
	rcu_read_lock();
	xa_for_each(&qrtr_ports, idx, ipc) {
		if (!test_bit(QRTR_F_TX_POLLWAIT, &ipc->flags) ||
		    READ_ONCE(ipc->fc_ep) != epid)
			continue;
		if (!any_port && (READ_ONCE(ipc->fc_node) != node ||
				  READ_ONCE(ipc->fc_port) != port))
			continue;
		if (!refcount_inc_not_zero(&ipc->sk.sk_refcnt))
			continue;
		qrtr_sock_fc_unwait(ipc);
		ipc->sk.sk_write_space(&ipc->sk);
		sock_put(&ipc->sk);
	}
	rcu_read_unlock();
}

/* Tell the name service and every node that a local port went away. */
static void qrtr_port_remove(struct qrtr_sock *ipc)
{
	struct qrtr_ctrl_pkt *pkt;
	struct sk_buff *skb;
	struct qrtr_cb *cb;
	u32 port = ipc->us.sq_port;

	xa_erase(&qrtr_ports, port);

	skb = qrtr_alloc_skb(sizeof(*pkt), GFP_KERNEL);
	if (!skb) {
		qrtr_count_drop(NULL, 0, QRTR_DROP_NOMEM);
		return;
	}
	pkt = skb_put_zero(skb, sizeof(*pkt));
	pkt->cmd = cpu_to_le32(QRTR_TYPE_DEL_CLIENT);
	pkt->client.node = cpu_to_le32(ipc->us.sq_node);
	pkt->client.port = cpu_to_le32(port);
	cb = qrtr_cb(skb);
	memset(cb, 0, sizeof(*cb));
	cb->type = QRTR_TYPE_DEL_CLIENT;
	cb->src_node = ipc->us.sq_node;
	cb->src_port = port;
	cb->dst_node = QRTR_NODE_BCAST;
	cb->dst_port = QRTR_PORT_CTRL;

	/*
	 * Every endpoint hears it, whatever the socket is bound to: the port
	 * may have been announced or have talked anywhere before (upstream
	 * broadcasts it to all nodes too).
	 */
	qrtr_bcast_links(skb, 0);
	qrtr_local_enqueue(skb);
}

/* Caller holds the socket lock. */
static int qrtr_port_assign(struct qrtr_sock *ipc, u32 *port)
{
	u32 id;
	int rc;

	if (!*port) {
		rc = xa_alloc(&qrtr_ports, &id, ipc,
			      XA_LIMIT(QRTR_MIN_EPH_SOCKET,
				       QRTR_MAX_EPH_SOCKET),
			      GFP_KERNEL);
		if (!rc)
			*port = id;
	} else if (*port == QRTR_PORT_CTRL ||
		   *port == QRTR_WIRE_PORT_CTRL_LEGACY) {
		/*
		 * The in-kernel name service owns the control port, and frames
		 * for the legacy one (0xffff) go to it: neither is bindable.
		 */
		rc = -EADDRINUSE;
	} else if (*port < QRTR_MIN_EPH_SOCKET &&
		   !capable(CAP_NET_ADMIN)) {
		rc = -EACCES;
	} else {
		rc = xa_insert(&qrtr_ports, *port, ipc, GFP_KERNEL);
	}
	if (rc == -EBUSY)
		rc = -EADDRINUSE;
	return rc;
}

/* Caller holds the socket lock. */
static int __qrtr_bind(struct socket *sock, const struct sockaddr_qrtr *addr,
		       bool zapped)
{
	struct qrtr_sock *ipc = qrtr_sk(sock->sk);
	u32 port = addr->sq_port;
	int rc;

	if (!zapped && port == ipc->us.sq_port)
		return 0;
	rc = qrtr_port_assign(ipc, &port);
	if (rc)
		return rc;
	if (!zapped)
		qrtr_port_remove(ipc);
	ipc->us.sq_port = port;
	sock_reset_flag(sock->sk, SOCK_ZAPPED);
	return 0;
}

/* Caller holds the socket lock. */
static int qrtr_autobind(struct socket *sock)
{
	struct sockaddr_qrtr addr = {
		.sq_family = AF_QIPCRTR,
		.sq_node = qrtr_local_nid,
		.sq_port = 0,
	};

	if (!sock_flag(sock->sk, SOCK_ZAPPED))
		return 0;
	return __qrtr_bind(sock, &addr, true);
}

static int qrtr_bind(struct socket *sock, struct sockaddr *saddr, int len)
{
	DECLARE_SOCKADDR(struct sockaddr_qrtr *, addr, saddr);
	struct qrtr_sock *ipc = qrtr_sk(sock->sk);
	struct sock *sk = sock->sk;
	int rc;

	if (len < (int)sizeof(*addr) || addr->sq_family != AF_QIPCRTR)
		return -EINVAL;
	if (addr->sq_node != ipc->us.sq_node)
		return -EINVAL;

	lock_sock(sk);
	rc = __qrtr_bind(sock, addr, sock_flag(sk, SOCK_ZAPPED));
	release_sock(sk);
	return rc;
}

/*
 * The egress endpoint a sender names in a QRTR_ENDPOINT control message, as
 * the proposal parses it: control messages of other levels are ignored,
 * another SOL_QRTR type, a short one or endpoint 0 is -EINVAL; the last
 * QRTR_ENDPOINT wins.
 */
static int qrtr_cmsg_endpoint(struct msghdr *msg, u32 *epid)
{
	struct cmsghdr *cmsg;
	u32 val = 0;

	*epid = 0;
	if (!msg->msg_controllen)
		return 0;
	for_each_cmsghdr(cmsg, msg) {
		if (!CMSG_OK(msg, cmsg))
			return -EINVAL;
		if (cmsg->cmsg_level != SOL_QRTR)
			continue;
		if (cmsg->cmsg_type != QRTR_ENDPOINT ||
		    cmsg->cmsg_len < CMSG_LEN(sizeof(u32)))
			return -EINVAL;
		memcpy(&val, CMSG_DATA(cmsg), sizeof(val));
		if (!val)
			return -EINVAL;
	}
	*epid = val;
	return 0;
}

/* Caller holds the socket lock. */
static int qrtr_send_remote(struct qrtr_sock *ipc, struct sk_buff *skb,
			    u32 epid)
{
	struct qrtr_cb *cb = qrtr_cb(skb);
	u32 node = cb->dst_node, port = cb->dst_port;
	struct qrtr_flow *flow;
	struct qrtr_link *link;
	bool full = false;
	int rc, confirm;

	/* The socket lock serialises the uses of its route. */
	link = qrtr_route_get(&ipc->route, epid, node, port);
	if (!link) {
		/* the proposal's ENXIO for a named endpoint, else upstream's */
		kfree_skb(skb);
		return epid ? -ENXIO : -ECONNRESET;
	}
	flow = ipc->route.flow;
	/* Blocks at the high-water mark even with MSG_DONTWAIT, as upstream. */
	confirm = qrtr_tx_wait(link, flow, &full);
	if (confirm < 0) {
		kfree_skb(skb);
		rc = confirm;
		goto out_put;
	}
	cb->confirm_rx = confirm;
	rc = qrtr_link_xmit(link, skb);
	if (rc && confirm)
		qrtr_tx_flow_failed(flow);
	/* poll() reports this socket unwritable until that flow resumes. */
	if (full) {
		WRITE_ONCE(ipc->fc_ep, qrtr_link_id(link));
		WRITE_ONCE(ipc->fc_node, node);
		WRITE_ONCE(ipc->fc_port, port);
		set_bit(QRTR_F_TX_THROTTLED, &ipc->flags);
	}
out_put:
	qrtr_link_put(link);
	return rc;
}

static int qrtr_sendmsg(struct socket *sock, struct msghdr *msg, size_t len)
{
	DECLARE_SOCKADDR(struct sockaddr_qrtr *, addr, msg->msg_name);
	struct qrtr_sock *ipc = qrtr_sk(sock->sk);
	bool nonblock = msg->msg_flags & MSG_DONTWAIT;
	struct sock *sk = sock->sk;
	struct sockaddr_qrtr to;
	struct sk_buff *skb;
	struct qrtr_cb *cb;
	u32 epid;
	int rc;

	if (msg->msg_flags & ~(MSG_DONTWAIT | MSG_NOSIGNAL))
		return -EINVAL;
	if (len > 65535)
		return -EMSGSIZE;
	rc = qrtr_cmsg_endpoint(msg, &epid);
	if (rc)
		return rc;

	lock_sock(sk);
	rc = sock_error(sk);
	if (rc)
		goto out_unlock;
	if (addr) {
		rc = -EINVAL;
		if (msg->msg_namelen < sizeof(*addr) ||
		    addr->sq_family != AF_QIPCRTR)
			goto out_unlock;
		to = *addr;
		rc = qrtr_autobind(sock);
		if (rc)
			goto out_unlock;
	} else if (sk->sk_state == TCP_ESTABLISHED) {
		to = ipc->peer;
	} else {
		rc = -ENOTCONN;
		goto out_unlock;
	}
	/* A QRTR_ENDPOINT cmsg overrides the binding, as in the proposal. */
	if (!epid)
		epid = READ_ONCE(ipc->bound_ep);
	/* Upstream broadcasts only to the control port. */
	rc = -ENOTCONN;
	if (to.sq_node == QRTR_NODE_BCAST && to.sq_port != QRTR_PORT_CTRL)
		goto out_unlock;

	skb = sock_alloc_send_skb(sk, QRTR_HDR_MAX + len + QRTR_PAD_MAX,
				  nonblock, &rc);
	if (!skb)
		goto out_unlock;
	skb_reserve(skb, QRTR_HDR_MAX);
	rc = memcpy_from_msg(skb_put(skb, len), msg, len);
	if (rc) {
		kfree_skb(skb);
		goto out_unlock;
	}
	cb = qrtr_cb(skb);
	memset(cb, 0, sizeof(*cb));
	cb->type = QRTR_TYPE_DATA;
	cb->src_node = ipc->us.sq_node;
	cb->src_port = ipc->us.sq_port;
	cb->dst_node = to.sq_node;
	cb->dst_port = to.sq_port;
	/* a local server is announced where its socket talks */
	cb->scope_ep = epid;

	if (to.sq_node == QRTR_NODE_BCAST) {
		qrtr_bcast_links(skb, epid);
		qrtr_local_enqueue(skb);
		rc = 0;
	} else if (to.sq_node == ipc->us.sq_node) {
		rc = qrtr_local_enqueue(skb);
		/*
		 * The name service's verdict is not the sender's business:
		 * upstream queues the message to its socket and returns the
		 * length; refusals are counted (drop_ns) and logged.
		 */
		if (to.sq_port == QRTR_PORT_CTRL)
			rc = 0;
	} else {
		rc = qrtr_send_remote(ipc, skb, epid);
	}
	if (!rc)
		rc = len;

out_unlock:
	release_sock(sk);
	return rc;
}

static void qrtr_send_resume_tx(struct qrtr_sock *ipc,
				const struct qrtr_cb *rcb)
{
	struct qrtr_ctrl_pkt *pkt;
	struct qrtr_link *link;
	struct sk_buff *skb;
	struct qrtr_cb *cb;

	link = qrtr_link_get_by_node(rcb->endpoint_id, rcb->src_node);
	if (!link)
		return;
	skb = qrtr_alloc_skb(sizeof(*pkt), GFP_KERNEL);
	if (!skb) {
		qrtr_count_drop(NULL, rcb->endpoint_id, QRTR_DROP_NOMEM);
		goto out_put;
	}
	pkt = skb_put_zero(skb, sizeof(*pkt));
	pkt->cmd = cpu_to_le32(QRTR_TYPE_RESUME_TX);
	pkt->client.node = cpu_to_le32(ipc->us.sq_node);
	pkt->client.port = cpu_to_le32(ipc->us.sq_port);
	cb = qrtr_cb(skb);
	memset(cb, 0, sizeof(*cb));
	cb->type = QRTR_TYPE_RESUME_TX;
	cb->src_node = ipc->us.sq_node;
	cb->src_port = ipc->us.sq_port;
	cb->dst_node = rcb->src_node;
	cb->dst_port = rcb->src_port;
	qrtr_link_xmit(link, skb);
out_put:
	qrtr_link_put(link);
}

static int qrtr_recvmsg(struct socket *sock, struct msghdr *msg,
			size_t size, int flags)
{
	DECLARE_SOCKADDR(struct sockaddr_qrtr *, addr, msg->msg_name);
	struct qrtr_sock *ipc = qrtr_sk(sock->sk);
	struct sock *sk = sock->sk;
	struct sk_buff *skb;
	struct qrtr_cb *cb;
	int copied, rc;

	if (sock_flag(sk, SOCK_ZAPPED))
		return -EADDRNOTAVAIL;

	skb = skb_recv_datagram(sk, flags, &rc);
	if (!skb)
		return rc;
	cb = qrtr_cb(skb);

	copied = skb->len;
	if (copied > size) {
		copied = size;
		msg->msg_flags |= MSG_TRUNC;
	}
	rc = skb_copy_datagram_msg(skb, 0, msg, copied);
	if (rc < 0)
		goto out_free;
	rc = (flags & MSG_TRUNC) ? skb->len : copied;

	if (addr) {
		memset(addr, 0, sizeof(*addr));
		addr->sq_family = AF_QIPCRTR;
		addr->sq_node = cb->src_node;
		addr->sq_port = cb->src_port;
		msg->msg_namelen = sizeof(*addr);
	}
	/* As the proposal: only messages that came from an endpoint. */
	if (cb->endpoint_id && test_bit(QRTR_F_REPORT_ENDPOINT, &ipc->flags))
		put_cmsg(msg, SOL_QRTR, QRTR_ENDPOINT, sizeof(u32),
			 &cb->endpoint_id);
	if (cb->confirm_rx && !(flags & MSG_PEEK))
		qrtr_send_resume_tx(ipc, cb);

out_free:
	skb_free_datagram(sk, skb);
	return rc;
}

static int qrtr_connect(struct socket *sock, struct sockaddr *saddr,
			int len, int flags)
{
	DECLARE_SOCKADDR(struct sockaddr_qrtr *, addr, saddr);
	struct qrtr_sock *ipc = qrtr_sk(sock->sk);
	struct sock *sk = sock->sk;
	int rc;

	if (len < (int)sizeof(*addr) || addr->sq_family != AF_QIPCRTR)
		return -EINVAL;

	lock_sock(sk);
	sk->sk_state = TCP_CLOSE;
	sock->state = SS_UNCONNECTED;
	rc = qrtr_autobind(sock);
	if (rc)
		goto out_unlock;
	ipc->peer = *addr;
	sock->state = SS_CONNECTED;
	sk->sk_state = TCP_ESTABLISHED;
out_unlock:
	release_sock(sk);
	return rc;
}

static int qrtr_getname(struct socket *sock, struct sockaddr *saddr, int peer)
{
	struct qrtr_sock *ipc = qrtr_sk(sock->sk);
	struct sockaddr_qrtr qaddr;
	struct sock *sk = sock->sk;

	lock_sock(sk);
	if (peer) {
		if (sk->sk_state != TCP_ESTABLISHED) {
			release_sock(sk);
			return -ENOTCONN;
		}
		qaddr = ipc->peer;
	} else {
		qaddr = ipc->us;
	}
	release_sock(sk);

	qaddr.sq_family = AF_QIPCRTR;
	memcpy(saddr, &qaddr, sizeof(qaddr));
	return sizeof(qaddr);
}

static int qrtr_ioctl(struct socket *sock, unsigned int cmd,
		      unsigned long arg)
{
	struct qrtr_sock *ipc = qrtr_sk(sock->sk);
	void __user *argp = (void __user *)arg;
	struct sock *sk = sock->sk;
	struct sockaddr_qrtr *sq;
	struct sk_buff *skb;
	struct ifreq ifr;
	long len = 0;
	int rc = 0;

	switch (cmd) {
	case TIOCOUTQ:
		len = sk->sk_sndbuf - sk_wmem_alloc_get(sk);
		if (len < 0)
			len = 0;
		rc = put_user(len, (int __user *)argp);
		break;
	case TIOCINQ:
		spin_lock_bh(&sk->sk_receive_queue.lock);
		skb = skb_peek(&sk->sk_receive_queue);
		if (skb)
			len = skb->len;
		spin_unlock_bh(&sk->sk_receive_queue.lock);
		rc = put_user(len, (int __user *)argp);
		break;
	case SIOCGIFADDR:
		if (get_user_ifreq(&ifr, NULL, argp))
			return -EFAULT;
		sq = (struct sockaddr_qrtr *)&ifr.ifr_addr;
		lock_sock(sk);
		*sq = ipc->us;
		release_sock(sk);
		sq->sq_family = AF_QIPCRTR;
		if (put_user_ifreq(&ifr, argp))
			return -EFAULT;
		break;
	case SIOCADDRT:
	case SIOCDELRT:
	case SIOCSIFADDR:
	case SIOCGIFDSTADDR:
	case SIOCSIFDSTADDR:
	case SIOCGIFBRDADDR:
	case SIOCSIFBRDADDR:
	case SIOCGIFNETMASK:
	case SIOCSIFNETMASK:
		rc = -EINVAL;
		break;
	default:
		rc = -ENOIOCTLCMD;
		break;
	}
	return rc;
}

static int qrtr_setsockopt(struct socket *sock, int level, int optname,
			   sockptr_t optval, unsigned int optlen)
{
	struct qrtr_sock *ipc = qrtr_sk(sock->sk);
	struct sock *sk = sock->sk;
	unsigned int val;
	int rc = 0;

	if (level != SOL_QRTR)
		return -ENOPROTOOPT;
	if (optname != QRTR_REPORT_ENDPOINT && optname != QRTR_BIND_ENDPOINT)
		return -ENOPROTOOPT;
	if (optlen < sizeof(val))
		return -EINVAL;
	if (copy_from_sockptr(&val, optval, sizeof(val)))
		return -EFAULT;

	lock_sock(sk);
	switch (optname) {
	case QRTR_REPORT_ENDPOINT:
		assign_bit(QRTR_F_REPORT_ENDPOINT, &ipc->flags, val);
		break;
	case QRTR_BIND_ENDPOINT:
		/*
		 * Any id, as the proposal (like SO_BINDTOIFINDEX without the
		 * check): a driver may bind before its device registers.
		 */
		WRITE_ONCE(ipc->bound_ep, val);
		break;
	}
	release_sock(sk);
	return rc;
}

static int qrtr_getsockopt(struct socket *sock, int level, int optname,
			   char __user *optval, int __user *optlen)
{
	struct qrtr_sock *ipc = qrtr_sk(sock->sk);
	unsigned int val;
	int len;

	if (level != SOL_QRTR)
		return -ENOPROTOOPT;
	if (get_user(len, optlen))
		return -EFAULT;
	if (len < (int)sizeof(val))
		return -EINVAL;

	switch (optname) {
	case QRTR_REPORT_ENDPOINT:
		val = test_bit(QRTR_F_REPORT_ENDPOINT, &ipc->flags);
		break;
	case QRTR_BIND_ENDPOINT:
		val = READ_ONCE(ipc->bound_ep);
		break;
	default:
		return -ENOPROTOOPT;
	}

	len = sizeof(val);
	if (put_user(len, optlen))
		return -EFAULT;
	if (copy_to_user(optval, &val, len))
		return -EFAULT;
	return 0;
}

static int qrtr_release(struct socket *sock)
{
	struct sock *sk = sock->sk;
	struct qrtr_sock *ipc;

	if (!sk)
		return 0;

	lock_sock(sk);
	ipc = qrtr_sk(sk);
	sk->sk_shutdown = SHUTDOWN_MASK;
	if (!sock_flag(sk, SOCK_DEAD))
		sk->sk_state_change(sk);
	sock_set_flag(sk, SOCK_DEAD);
	sock_orphan(sk);
	sock->sk = NULL;
	if (!sock_flag(sk, SOCK_ZAPPED))
		qrtr_port_remove(ipc);
	qrtr_sock_fc_unwait(ipc);
	skb_queue_purge(&sk->sk_receive_queue);
	release_sock(sk);
	sock_put(sk);
	atomic_dec(&qrtr_sock_count);
	return 0;
}

/*
 * datagram_poll(), except that a socket whose last send filled a remote
 * port's tx window is not writable until that port sends RESUME_TX (a send
 * would block there: clients that poll before a non-blocking send, like
 * libqrtr-glib's, must not be told otherwise).
 */
static __poll_t qrtr_poll(struct file *file, struct socket *sock,
			  poll_table *wait)
{
	struct qrtr_sock *ipc = qrtr_sk(sock->sk);
	__poll_t mask;

	mask = datagram_poll(file, sock, wait);
	if (!(mask & EPOLLOUT) ||
	    !test_bit(QRTR_F_TX_THROTTLED, &ipc->flags))
		return mask;
	/*
	 * poll(), select(), epoll and io_uring report only the events asked
	 * for: a poller that waits for replies alone needs neither the window
	 * looked up nor a wake-up when it reopens.
	 */
	if (!(poll_requested_events(wait) & QRTR_POLL_WR))
		return mask;
	/*
	 * One that asks for EPOLLOUT announces its wait before looking at the
	 * window (see qrtr_sock_flow_resumed()).
	 */
	if (!test_and_set_bit(QRTR_F_TX_POLLWAIT, &ipc->flags))
		atomic_inc(&qrtr_fc_pollers);
	/* pairs with the one in qrtr_sock_flow_resumed() */
	smp_mb();
	if (qrtr_tx_flow_full(READ_ONCE(ipc->fc_ep), READ_ONCE(ipc->fc_node),
			      READ_ONCE(ipc->fc_port))) {
		set_bit(SOCK_NOSPACE, &sock->flags);
		return mask & ~QRTR_POLL_WR;
	}
	clear_bit(QRTR_F_TX_THROTTLED, &ipc->flags);
	qrtr_sock_fc_unwait(ipc);
	return mask;
}

#ifdef SOCBPF_HAVE_SOCKADDR_UNSIZED
/* Newer kernels pass bind() and connect() a struct sockaddr_unsized. */
static int qrtr_bind_op(struct socket *sock, struct sockaddr_unsized *saddr,
			int len)
{
	return qrtr_bind(sock, (struct sockaddr *)saddr, len);
}

static int qrtr_connect_op(struct socket *sock,
			   struct sockaddr_unsized *saddr, int len, int flags)
{
	return qrtr_connect(sock, (struct sockaddr *)saddr, len, flags);
}
#else
#define qrtr_bind_op	qrtr_bind
#define qrtr_connect_op	qrtr_connect
#endif

static const struct proto_ops qrtr_proto_ops = {
	.owner		= THIS_MODULE,
	.family		= AF_QIPCRTR,
	.bind		= qrtr_bind_op,
	.connect	= qrtr_connect_op,
	.socketpair	= sock_no_socketpair,
	.accept		= sock_no_accept,
	.listen		= sock_no_listen,
	.sendmsg	= qrtr_sendmsg,
	.recvmsg	= qrtr_recvmsg,
	.getname	= qrtr_getname,
	.ioctl		= qrtr_ioctl,
	.gettstamp	= sock_gettstamp,
	.poll		= qrtr_poll,
	.shutdown	= sock_no_shutdown,
	.release	= qrtr_release,
	.mmap		= sock_no_mmap,
	.setsockopt	= qrtr_setsockopt,
	.getsockopt	= qrtr_getsockopt,
};

static struct proto qrtr_proto = {
	.name		= "QIPCRTR",
	.owner		= THIS_MODULE,
	.obj_size	= sizeof(struct qrtr_sock),
};

/*
 * A sender that found the port before qrtr_release() erased it may queue a
 * packet after release purged the queue: free it with the socket.
 */
static void qrtr_sock_destruct(struct sock *sk)
{
	skb_queue_purge(&sk->sk_receive_queue);
}

static int qrtr_create(struct net *net, struct socket *sock,
		       int protocol, int kern)
{
	struct qrtr_sock *ipc;
	struct sock *sk;

	/* As upstream: any protocol (qmi_helpers passes PF_QIPCRTR). */
	if (sock->type != SOCK_DGRAM)
		return -EPROTOTYPE;

	sk = sk_alloc(net, AF_QIPCRTR, GFP_KERNEL, &qrtr_proto, kern);
	if (!sk)
		return -ENOMEM;

	sock_set_flag(sk, SOCK_ZAPPED);
	sock_set_flag(sk, SOCK_RCU_FREE);
	sock_init_data(sock, sk);
	sk->sk_destruct = qrtr_sock_destruct;
	sock->ops = &qrtr_proto_ops;

	ipc = qrtr_sk(sk);
	ipc->us.sq_family = AF_QIPCRTR;
	ipc->us.sq_node = qrtr_local_nid;
	ipc->us.sq_port = 0;
	atomic_inc(&qrtr_sock_count);
	return 0;
}

static const struct net_proto_family qrtr_family = {
	.owner	= THIS_MODULE,
	.family	= AF_QIPCRTR,
	.create	= qrtr_create,
};

MODULE_ALIAS_NETPROTO(PF_QIPCRTR);

int qrtr_proto_init(void)
{
	int rc;

	rc = proto_register(&qrtr_proto, 1);
	if (rc)
		return rc;
	rc = sock_register(&qrtr_family);
	if (rc) {
		pr_err("AF_QIPCRTR is taken (is qrtr.ko loaded?): %d\n", rc);
		goto err_proto;
	}
	return 0;

err_proto:
	proto_unregister(&qrtr_proto);
	return rc;
}

void qrtr_proto_exit(void)
{
	sock_unregister(AF_QIPCRTR);
	proto_unregister(&qrtr_proto);
	WARN_ON(!xa_empty(&qrtr_ports));
	xa_destroy(&qrtr_ports);
}
