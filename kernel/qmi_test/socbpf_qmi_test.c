// SPDX-License-Identifier: GPL-2.0
/*
 * socbpf_qmi_test: test-only client of socbpf_qmi's handle.
 *
 * Writing a command to debugfs socbpf_qmi_test/ctl runs it to the end in
 * the writer's context; socbpf_qmi_test/result then holds one line:
 *
 *   revision BIND SERVICE MSG_ID TIMEOUT_MS
 *	BIND: "none", "ep:N" or "key:KEY" (pre-assigned through the registry
 *	before the handle is created, released after). Creates a handle,
 *	looks up SERVICE (version 1, instance 0), waits for its servers, sends
 *	a request MSG_ID with no TLVs to the first one and waits for a DMS-like
 *	response (result TLV, string TLV 0x01).
 *
 *   reset BIND SERVICE MSG_ID TIMEOUT_MS
 *	As revision, then resets the handle's socket the way upstream's
 *	qrtr_reset_ports() does when the name service restarts (sk_err =
 *	ENETRESET and an error report), waits for the handle's net_reset
 *	callback and for the server to be found again, and runs a second
 *	transaction. result: as revision, plus rc1= (the first transaction),
 *	resets= (net_reset callbacks), newport= (1 if the handle's port
 *	changed: a new socket).
 *
 *   serve-dms
 *	Creates a handle offering DMS (service 2, version 1, instance 0) on
 *	this node, answering Get Manufacturer, Get Model and Get Revision,
 *	until "stop-dms" or unload: what unmodified qmicli queries.
 *	result: serving node=NODE port=PORT rc=RC
 *
 *   result: servers=N all=NODE:PORT@EP,... first=NODE:PORT@EP rc=RC
 *	    result=R error=E rev=STRING rx=.. malformed=.. unknown=..
 *	    unmatched=.. ctrl=..
 */
#define pr_fmt(fmt) "socbpf_qmi_test: " fmt

#include <linux/atomic.h>
#include <linux/completion.h>
#include <linux/debugfs.h>
#include <linux/delay.h>
#include <linux/jiffies.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/net.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <net/sock.h>

#include "qrtr.h"
#include "socbpf_qmi.h"

#define QT_MAX_SVC	8
#define QT_REV_LEN	129

struct qt_rev_resp {
	struct sqmi_response_type resp;
	u8 rev_valid;
	char rev[QT_REV_LEN];
};

static const struct sqmi_elem_info qt_rev_resp_ei[] = {
	{ .data_type = SQMI_STRUCT, .elem_len = 1,
	  .elem_size = sizeof(struct sqmi_response_type),
	  .tlv_type = SQMI_RESULT_TLV_TYPE,
	  .offset = offsetof(struct qt_rev_resp, resp),
	  .ei_array = socbpf_qmi_response_type_ei },
	{ .data_type = SQMI_OPT_FLAG, .elem_len = 1, .elem_size = sizeof(u8),
	  .tlv_type = 0x01, .offset = offsetof(struct qt_rev_resp, rev_valid) },
	{ .data_type = SQMI_STRING, .elem_len = QT_REV_LEN,
	  .elem_size = sizeof(char), .tlv_type = 0x01,
	  .offset = offsetof(struct qt_rev_resp, rev) },
	{ .data_type = SQMI_EOTI },
};

struct qt_client {
	struct socbpf_qmi_handle qmi;
	spinlock_t lock;	/* svcs, nsvc */
	struct socbpf_qmi_service svcs[QT_MAX_SVC];
	unsigned int nsvc;
	struct completion found;
	struct completion reset;
	atomic_t resets;
};

static DEFINE_MUTEX(qt_lock);	/* one command at a time, qt_result */
static char qt_result[512];

/* DMS requests carry no TLVs this server reads */
struct qt_empty {
	u8 unused;
};

static const struct sqmi_elem_info qt_empty_ei[] = {
	{ .data_type = SQMI_EOTI },
};

static struct socbpf_qmi_handle *qt_dms;	/* under qt_lock */
static atomic_t qt_dms_served = ATOMIC_INIT(0);

static void qt_dms_answer(struct socbpf_qmi_handle *qmi,
			  struct sockaddr_qrtr *sq, struct socbpf_qmi_txn *txn,
			  unsigned int msg_id, const char *str)
{
	struct qt_rev_resp *resp;
	ssize_t ret;

	resp = kzalloc(sizeof(*resp), GFP_KERNEL);
	if (!resp)
		return;
	resp->rev_valid = 1;
	strscpy(resp->rev, str, sizeof(resp->rev));
	ret = socbpf_qmi_send_response(qmi, sq, txn, msg_id,
				       sizeof(*resp) + 16, qt_rev_resp_ei,
				       resp);
	if (ret < 0)
		pr_info_ratelimited("DMS response 0x%04x: %zd\n", msg_id, ret);
	else
		atomic_inc(&qt_dms_served);
	kfree(resp);
}

static void qt_dms_manufacturer(struct socbpf_qmi_handle *qmi,
				struct sockaddr_qrtr *sq,
				struct socbpf_qmi_txn *txn, const void *decoded)
{
	qt_dms_answer(qmi, sq, txn, QMI_WIRE_DMS_GET_MANUFACTURER, "socbpf");
}

static void qt_dms_model(struct socbpf_qmi_handle *qmi,
			 struct sockaddr_qrtr *sq, struct socbpf_qmi_txn *txn,
			 const void *decoded)
{
	qt_dms_answer(qmi, sq, txn, QMI_WIRE_DMS_GET_MODEL,
		      "socbpf_qmi kernel DMS");
}

static void qt_dms_revision(struct socbpf_qmi_handle *qmi,
			    struct sockaddr_qrtr *sq,
			    struct socbpf_qmi_txn *txn, const void *decoded)
{
	qt_dms_answer(qmi, sq, txn, QMI_WIRE_DMS_GET_REVISION,
		      "SOCBPF-KERNEL-QMI-1.0");
}

#define QT_DMS_REQ(id, f) { .type = SQMI_REQUEST, .msg_id = (id), \
	.ei = qt_empty_ei, .decoded_size = sizeof(struct qt_empty), .fn = (f) }

static const struct socbpf_qmi_msg_handler qt_dms_handlers[] = {
	QT_DMS_REQ(QMI_WIRE_DMS_GET_MANUFACTURER, qt_dms_manufacturer),
	QT_DMS_REQ(QMI_WIRE_DMS_GET_MODEL, qt_dms_model),
	QT_DMS_REQ(QMI_WIRE_DMS_GET_REVISION, qt_dms_revision),
	{}
};

static void qt_serve_dms(void)
{
	struct socbpf_qmi_handle *qmi;
	int ret = -EBUSY;

	if (qt_dms)
		goto out;
	ret = -ENOMEM;
	qmi = kzalloc(sizeof(*qmi), GFP_KERNEL);
	if (!qmi)
		goto out;
	ret = socbpf_qmi_handle_init(qmi, 64, NULL, qt_dms_handlers);
	if (ret) {
		kfree(qmi);
		goto out;
	}
	ret = socbpf_qmi_add_server(qmi, QMI_WIRE_SVC_DMS, 1, 0);
	if (ret) {
		socbpf_qmi_handle_release(qmi);
		kfree(qmi);
		goto out;
	}
	qt_dms = qmi;
out:
	scnprintf(qt_result, sizeof(qt_result), "serving node=%u port=%u rc=%d\n",
		  qt_dms ? qt_dms->sq.sq_node : 0,
		  qt_dms ? qt_dms->sq.sq_port : 0, ret);
}

static void qt_stop_dms(void)
{
	if (qt_dms) {
		socbpf_qmi_handle_release(qt_dms);
		kfree(qt_dms);
		qt_dms = NULL;
	}
	scnprintf(qt_result, sizeof(qt_result), "stopped served=%d\n",
		  atomic_read(&qt_dms_served));
}

static struct dentry *qt_dir;

static int qt_new_server(struct socbpf_qmi_handle *qmi,
			 struct socbpf_qmi_service *svc)
{
	struct qt_client *c = container_of(qmi, struct qt_client, qmi);

	spin_lock(&c->lock);
	if (c->nsvc < QT_MAX_SVC)
		c->svcs[c->nsvc++] = *svc;
	spin_unlock(&c->lock);
	complete(&c->found);
	return 0;
}

static void qt_net_reset(struct socbpf_qmi_handle *qmi)
{
	struct qt_client *c = container_of(qmi, struct qt_client, qmi);

	/* the lookup results are gone: wait for the servers again */
	spin_lock(&c->lock);
	c->nsvc = 0;
	spin_unlock(&c->lock);
	reinit_completion(&c->found);
	atomic_inc(&c->resets);
	complete(&c->reset);
}

static const struct socbpf_qmi_ops qt_ops = {
	.new_server = qt_new_server,
	.net_reset = qt_net_reset,
};

/* What upstream's qrtr_reset_ports() does to every socket. */
static void qt_inject_reset(struct socbpf_qmi_handle *qmi)
{
	struct sock *sk;

	mutex_lock(&qmi->sock_lock);
	if (qmi->sock) {
		sk = qmi->sock->sk;
		WRITE_ONCE(sk->sk_err, ENETRESET);
		sk_error_report(sk);
	}
	mutex_unlock(&qmi->sock_lock);
}

/* One request to the first server found; waits for it first. */
static int qt_request(struct qt_client *c, struct qt_rev_resp *resp,
		      struct socbpf_qmi_service *first, unsigned int msg_id,
		      unsigned int timeout_ms)
{
	struct socbpf_qmi_txn txn;
	struct sockaddr_qrtr sq;
	int ret;

	if (!wait_for_completion_timeout(&c->found,
					 msecs_to_jiffies(timeout_ms)))
		return -ENOENT;
	msleep(200);	/* the rest of the listing */
	spin_lock(&c->lock);
	*first = c->svcs[0];
	spin_unlock(&c->lock);

	memset(resp, 0, sizeof(*resp));
	ret = socbpf_qmi_txn_init(&c->qmi, &txn, qt_rev_resp_ei, resp);
	if (ret < 0)
		return ret;
	sq.sq_family = AF_QIPCRTR;
	sq.sq_node = first->node;
	sq.sq_port = first->port;
	ret = socbpf_qmi_send_request(&c->qmi, &sq, &txn, msg_id, 0, NULL,
				      NULL);
	if (ret < 0) {
		socbpf_qmi_txn_cancel(&txn);
		return ret;
	}
	return socbpf_qmi_txn_wait(&txn, msecs_to_jiffies(timeout_ms));
}

static int qt_bind(const char *bind, char *key, size_t keysz, u32 *ep)
{
	unsigned int v;
	int id;

	*ep = 0;
	key[0] = '\0';
	if (!strcmp(bind, "none"))
		return 0;
	if (!strncmp(bind, "ep:", 3)) {
		if (kstrtouint(bind + 3, 10, &v))
			return -EINVAL;
		*ep = v;
		return 0;
	}
	if (strncmp(bind, "key:", 4) || strscpy(key, bind + 4, keysz) <= 0)
		return -EINVAL;
	id = socbpf_qrtr_epid_preassign(key, strlen(key));
	if (id < 0)
		return id;
	*ep = id;
	return 0;
}

static void qt_revision(const char *bind, unsigned int service,
			unsigned int msg_id, unsigned int timeout_ms, bool reset)
{
	struct socbpf_qmi_service first = {};
	struct qt_rev_resp *resp;
	struct qt_client *c;
	char extra[64] = "";
	u32 port0;
	int rc1;
	char key[QRTR_TUN_KEY_MAX];
	unsigned int nsvc, i;
	char all[QT_MAX_SVC * 24];
	size_t alen = 0;
	u32 ep;
	int ret;

	c = kzalloc(sizeof(*c), GFP_KERNEL);
	resp = kzalloc(sizeof(*resp), GFP_KERNEL);
	if (!c || !resp) {
		ret = -ENOMEM;
		goto out_free;
	}
	spin_lock_init(&c->lock);
	init_completion(&c->found);
	init_completion(&c->reset);
	ret = qt_bind(bind, key, sizeof(key), &ep);
	if (ret)
		goto out_free;
	ret = socbpf_qmi_handle_init_ep(&c->qmi, sizeof(*resp) + 64, &qt_ops,
					NULL, ep);
	if (ret)
		goto out_release_key;
	ret = socbpf_qmi_add_lookup(&c->qmi, service, 1, 0);
	if (ret)
		goto out_handle;
	ret = qt_request(c, resp, &first, msg_id, timeout_ms);
	if (!reset)
		goto out_handle;

	rc1 = ret;
	port0 = c->qmi.sq.sq_port;
	qt_inject_reset(&c->qmi);
	if (!wait_for_completion_timeout(&c->reset,
					 msecs_to_jiffies(timeout_ms)))
		ret = -ETIMEDOUT;
	else
		ret = qt_request(c, resp, &first, msg_id, timeout_ms);
	scnprintf(extra, sizeof(extra), " rc1=%d resets=%d newport=%d", rc1,
		  atomic_read(&c->resets), c->qmi.sq.sq_port != port0);

out_handle:
	/* the worker is idle once released: the counters are final */
	socbpf_qmi_handle_release(&c->qmi);
	all[0] = '\0';
	spin_lock(&c->lock);
	nsvc = c->nsvc;
	for (i = 0; i < nsvc; i++)
		alen += scnprintf(all + alen, sizeof(all) - alen, "%s%u:%u@%u",
				  i ? "," : "", c->svcs[i].node,
				  c->svcs[i].port, c->svcs[i].endpoint_id);
	spin_unlock(&c->lock);
	scnprintf(qt_result, sizeof(qt_result),
		  "servers=%u all=%s first=%u:%u@%u rc=%d result=%u error=%u rev=%s rx=%llu malformed=%llu unknown=%llu unmatched=%llu ctrl=%llu%s\n",
		  nsvc, nsvc ? all : "-", first.node, first.port,
		  first.endpoint_id, ret,
		  resp->resp.result, resp->resp.error,
		  resp->rev_valid ? resp->rev : "-", c->qmi.stats.rx,
		  c->qmi.stats.malformed, c->qmi.stats.unknown_msg,
		  c->qmi.stats.unmatched_resp, c->qmi.stats.ctrl, extra);
out_release_key:
	if (key[0])
		socbpf_qrtr_epid_release(key, strlen(key));
out_free:
	if (ret && !qt_result[0])
		scnprintf(qt_result, sizeof(qt_result), "rc=%d\n", ret);
	kfree(resp);
	kfree(c);
}

static ssize_t qt_ctl_write(struct file *file, const char __user *ubuf,
			    size_t count, loff_t *ppos)
{
	unsigned int service, msg_id, timeout_ms;
	char bind[80], cmd[16];
	char *line;

	if (count > 200)
		return -EINVAL;
	line = memdup_user_nul(ubuf, count);
	if (IS_ERR(line))
		return PTR_ERR(line);
	if (!strcmp(strim(line), "serve-dms") ||
	    !strcmp(strim(line), "stop-dms")) {
		mutex_lock(&qt_lock);
		if (!strcmp(strim(line), "serve-dms"))
			qt_serve_dms();
		else
			qt_stop_dms();
		mutex_unlock(&qt_lock);
		kfree(line);
		return count;
	}
	if (sscanf(line, "%15s %79s %u %u %u", cmd, bind, &service, &msg_id,
		   &timeout_ms) != 5 ||
	    (strcmp(cmd, "revision") && strcmp(cmd, "reset")) ||
	    !timeout_ms || timeout_ms > 30000 || msg_id > 0xffff) {
		kfree(line);
		return -EINVAL;
	}
	kfree(line);
	mutex_lock(&qt_lock);
	qt_result[0] = '\0';
	qt_revision(bind, service, msg_id, timeout_ms, !strcmp(cmd, "reset"));
	mutex_unlock(&qt_lock);
	return count;
}

static ssize_t qt_result_read(struct file *file, char __user *ubuf,
			      size_t count, loff_t *ppos)
{
	ssize_t ret;

	mutex_lock(&qt_lock);
	ret = simple_read_from_buffer(ubuf, count, ppos, qt_result,
				      strlen(qt_result));
	mutex_unlock(&qt_lock);
	return ret;
}

static const struct file_operations qt_ctl_fops = {
	.owner = THIS_MODULE,
	.write = qt_ctl_write,
	.llseek = noop_llseek,
};

static const struct file_operations qt_result_fops = {
	.owner = THIS_MODULE,
	.read = qt_result_read,
	.llseek = default_llseek,
};

static int __init qt_init(void)
{
	qt_dir = debugfs_create_dir("socbpf_qmi_test", NULL);
	debugfs_create_file("ctl", 0200, qt_dir, NULL, &qt_ctl_fops);
	debugfs_create_file("result", 0444, qt_dir, NULL, &qt_result_fops);
	return 0;
}

static void __exit qt_exit(void)
{
	debugfs_remove_recursive(qt_dir);
	mutex_lock(&qt_lock);
	qt_stop_dms();
	mutex_unlock(&qt_lock);
}

module_init(qt_init);
module_exit(qt_exit);
MODULE_DESCRIPTION("socbpf test-only module: a client of the socbpf_qmi handle");
MODULE_LICENSE("GPL");
