/* SPDX-License-Identifier: GPL-2.0 */
/*
 * socbpf_qmi: in-kernel QMI for socbpf. The codec's tables and limits come
 * from include/socbpf/qmi_codec.h (shared with the host tests); these are the
 * calls socbpf_qmi.ko exports to other modules.
 */
#ifndef _SOCBPF_QMI_H
#define _SOCBPF_QMI_H

#include <linux/completion.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/qrtr.h>
#include <linux/types.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>
#include <socbpf/qmi_codec.h>

extern const struct sqmi_elem_info socbpf_qmi_response_type_ei[];

void *socbpf_qmi_encode_message(int type, unsigned int msg_id, size_t *len,
				unsigned int txn_id,
				const struct sqmi_elem_info *ei,
				const void *c_struct);
int socbpf_qmi_decode_message(const void *buf, size_t len,
			      const struct sqmi_elem_info *ei, void *c_struct);
int socbpf_qmi_decode_header(const void *buf, size_t len,
			     struct sqmi_header *hdr);

/*
 * The handle: upstream qmi_helpers' API (include/linux/soc/qcom/qmi.h) over
 * socbpf_qrtr's AF_QIPCRTR kernel sockets, plus endpoints: a handle can be
 * bound to one endpoint id when its socket is created, and knows the
 * endpoint every message and every server came from.
 */
struct socbpf_qmi_handle;

/**
 * struct socbpf_qmi_service - a server found by a lookup
 * @service: service id
 * @version: version of the service
 * @instance: instance of the service
 * @node: node of the server
 * @port: port of the server
 * @endpoint_id: endpoint the server is behind (0: local)
 * @list_node: on the handle's list of lookup results
 */
struct socbpf_qmi_service {
	unsigned int service;
	unsigned int version;
	unsigned int instance;
	unsigned int node;
	unsigned int port;
	unsigned int endpoint_id;
	struct list_head list_node;
};

/**
 * struct socbpf_qmi_ops - callbacks of a handle, all from its worker
 * @new_server: a lookup found a server; a negative return forgets it
 * @del_server: a server went away (@svc is freed after the call)
 * @net_reset: the network was reset (ENETRESET): transactions were failed,
 *	lookup results deleted; the handle then has a new socket (port) and
 *	sends its lookups and servers again
 * @msg_handler: a request or indication no handler claims
 * @bye: a remote node said goodbye
 * @del_client: a remote client went away
 */
struct socbpf_qmi_ops {
	int (*new_server)(struct socbpf_qmi_handle *qmi,
			  struct socbpf_qmi_service *svc);
	void (*del_server)(struct socbpf_qmi_handle *qmi,
			   struct socbpf_qmi_service *svc);
	void (*net_reset)(struct socbpf_qmi_handle *qmi);
	void (*msg_handler)(struct socbpf_qmi_handle *qmi,
			    struct sockaddr_qrtr *sq, const void *data,
			    size_t count);
	void (*bye)(struct socbpf_qmi_handle *qmi, unsigned int node);
	void (*del_client)(struct socbpf_qmi_handle *qmi, unsigned int node,
			   unsigned int port);
};

/**
 * struct socbpf_qmi_txn - a transaction: a request and its response
 * @qmi: the handle
 * @id: transaction id (1..65535)
 * @completion: completed when the response arrived (or the link died)
 * @result: 0, or the decode error of the response, or -ENETRESET
 * @ei: table of the response, NULL to hand the response to a handler
 * @dest: where the response is decoded
 * @dst_node: (private) node the request went to
 * @dst_port: (private) port the request went to
 * @dst_ep: (private) endpoint the request went through, 0 if unknown
 * @service: (private) service of the destination, 0 if unknown
 * @msg_id: (private) message id of the request
 * @sent_ns: (private) when the request was sent
 * @done_ns: (private) when the transaction completed
 *
 * A transaction fails with -ECONNRESET when its server, client or node goes
 * away (a device leaving its endpoint included), with -ENETRESET on a
 * network reset or when the handle is released, with -ETIMEDOUT when
 * socbpf_qmi_txn_wait() gives up.
 */
struct socbpf_qmi_txn {
	struct socbpf_qmi_handle *qmi;
	u16 id;
	struct completion completion;
	int result;
	const struct sqmi_elem_info *ei;
	void *dest;
	u32 dst_node;
	u32 dst_port;
	u32 dst_ep;
	u32 service;
	u16 msg_id;
	u64 sent_ns;
	u64 done_ns;
};

/**
 * struct socbpf_qmi_msg_handler - a handler of requests or indications
 * @type: %SQMI_REQUEST or %SQMI_INDICATION (or %SQMI_RESPONSE)
 * @msg_id: message id
 * @ei: table of the message
 * @decoded_size: size of the structure @ei describes
 * @fn: called with the decoded message (@txn: for a request, what
 *	socbpf_qmi_send_response() needs; NULL for an indication)
 */
struct socbpf_qmi_msg_handler {
	unsigned int type;
	unsigned int msg_id;
	const struct sqmi_elem_info *ei;
	size_t decoded_size;
	void (*fn)(struct socbpf_qmi_handle *qmi, struct sockaddr_qrtr *sq,
		   struct socbpf_qmi_txn *txn, const void *decoded);
};

/**
 * struct socbpf_qmi_stats - what a handle received and dropped
 * @rx: messages received (control packets included)
 * @malformed: QMI messages that failed to decode
 * @unknown_msg: requests/indications no handler claimed
 * @unmatched_resp: responses to no pending transaction
 * @ctrl: control packets handled
 * @net_resets: network resets (ENETRESET) the socket reported
 */
struct socbpf_qmi_stats {
	u64 rx;
	u64 malformed;
	u64 unknown_msg;
	u64 unmatched_resp;
	u64 ctrl;
	u64 net_resets;
};

/**
 * struct socbpf_qmi_handle - a QMI client and/or server
 * @sock: its AF_QIPCRTR kernel socket
 * @sock_lock: serialises sends and the socket's release
 * @sq: its own address
 * @endpoint_id: the endpoint it is bound to, 0 for none
 * @rx_endpoint: endpoint of the message being handled (in callbacks)
 * @work: receive worker
 * @wq: ordered workqueue of @work
 * @recv_buf: receive buffer
 * @recv_buf_size: its size
 * @lookups: lookups added (services looked for)
 * @lookup_results: servers found
 * @lookup_lock: protects @lookup_results against readers outside the
 *	worker, and additions to @lookups and @services
 * @services: servers added (services offered)
 * @ops: callbacks
 * @txns: pending transactions by id
 * @txn_lock: protects @txns and the transactions' results
 * @txn_next: next id to try
 * @handlers: message handlers, ended by an entry with a NULL fn
 * @stats: counters, updated by the worker
 * @stopping: being released: a network reset keeps the old socket
 */
struct socbpf_qmi_handle {
	struct socket *sock;
	struct mutex sock_lock;	/* sends vs the socket release */
	struct sockaddr_qrtr sq;
	u32 endpoint_id;
	u32 rx_endpoint;
	struct work_struct work;
	struct workqueue_struct *wq;
	void *recv_buf;
	size_t recv_buf_size;
	struct list_head lookups;
	struct list_head lookup_results;
	struct mutex lookup_lock;	/* @lookup_results, list additions */
	struct list_head services;
	struct socbpf_qmi_ops ops;
	struct xarray txns;
	struct mutex txn_lock;	/* @txns and transaction results */
	u32 txn_next;
	const struct socbpf_qmi_msg_handler *handlers;
	struct socbpf_qmi_stats stats;
	bool stopping;		/* under sock_lock */
};

int socbpf_qmi_handle_init_ep(struct socbpf_qmi_handle *qmi,
			      size_t recv_buf_size,
			      const struct socbpf_qmi_ops *ops,
			      const struct socbpf_qmi_msg_handler *handlers,
			      u32 endpoint_id);
int socbpf_qmi_handle_init_key(struct socbpf_qmi_handle *qmi,
			       size_t recv_buf_size,
			       const struct socbpf_qmi_ops *ops,
			       const struct socbpf_qmi_msg_handler *handlers,
			       const char *key);
int socbpf_qmi_handle_init(struct socbpf_qmi_handle *qmi, size_t recv_buf_size,
			   const struct socbpf_qmi_ops *ops,
			   const struct socbpf_qmi_msg_handler *handlers);
void socbpf_qmi_handle_release(struct socbpf_qmi_handle *qmi);
int socbpf_qmi_add_lookup(struct socbpf_qmi_handle *qmi, unsigned int service,
			  unsigned int version, unsigned int instance);
int socbpf_qmi_add_server(struct socbpf_qmi_handle *qmi, unsigned int service,
			  unsigned int version, unsigned int instance);
int socbpf_qmi_txn_init(struct socbpf_qmi_handle *qmi,
			struct socbpf_qmi_txn *txn,
			const struct sqmi_elem_info *ei, void *c_struct);
int socbpf_qmi_txn_wait(struct socbpf_qmi_txn *txn, unsigned long timeout);
void socbpf_qmi_txn_cancel(struct socbpf_qmi_txn *txn);
ssize_t socbpf_qmi_send_request(struct socbpf_qmi_handle *qmi,
				struct sockaddr_qrtr *sq,
				struct socbpf_qmi_txn *txn, int msg_id,
				size_t len, const struct sqmi_elem_info *ei,
				const void *c_struct);
ssize_t socbpf_qmi_send_response(struct socbpf_qmi_handle *qmi,
				 struct sockaddr_qrtr *sq,
				 struct socbpf_qmi_txn *txn, int msg_id,
				 size_t len, const struct sqmi_elem_info *ei,
				 const void *c_struct);
ssize_t socbpf_qmi_send_indication(struct socbpf_qmi_handle *qmi,
				   struct sockaddr_qrtr *sq, int msg_id,
				   size_t len, const struct sqmi_elem_info *ei,
				   const void *c_struct);

/**
 * socbpf_qmi_rx_endpoint() - endpoint of the message being handled
 * @qmi: the handle
 *
 * Only meaningful inside the handle's callbacks and message handlers.
 *
 * Return: the endpoint id the message or server came from, 0 for local.
 */
static inline u32 socbpf_qmi_rx_endpoint(const struct socbpf_qmi_handle *qmi)
{
	return qmi->rx_endpoint;
}

#endif /* _SOCBPF_QMI_H */
