// SPDX-License-Identifier: GPL-2.0
/*
 * socbpf_wlfw: a sample WLAN-firmware client, the QMI half of an ath11k-like
 * driver, for several identical cards on one QRTR bus.
 *
 * For each device key it is given (module parameter keys=K1,K2,... or a
 * line written to debugfs socbpf_wlfw/probe, standing in for PCI probe) it
 * pre-assigns the endpoint id of that key in socbpf_qrtr's registry (before
 * the device's link exists, if it does not yet), creates a socbpf_qmi
 * handle bound to that id, looks up service 69 and, when the firmware's
 * server appears, runs the handshake ath11k runs (include/socbpf/qmi_wlfw.h):
 * indication register, host capability, the firmware's memory request
 * indication and the memory response, memory ready, target capability
 * (chip, board, soc, firmware version and build), firmware ready.
 *
 * debugfs socbpf_wlfw/devices shows one line per device with its state and
 * what the firmware reported. bind=0 (test only) creates unbound handles:
 * two cards with the same node and port can then not be told apart.
 */
#define pr_fmt(fmt) "socbpf_wlfw: " fmt

#include <linux/completion.h>
#include <linux/debugfs.h>
#include <linux/jiffies.h>
#include <linux/list.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/workqueue.h>

#include "qrtr.h"
#include "socbpf_qmi.h"
#include <socbpf/qmi_wlfw.h>

static char *keys;
module_param(keys, charp, 0444);
MODULE_PARM_DESC(keys, "Comma-separated device keys to probe at load");

static bool wlfw_bind = true;
module_param_named(bind, wlfw_bind, bool, 0444);
MODULE_PARM_DESC(bind, "Bind each handle to its device's endpoint (default 1; 0 shows the ambiguity)");

static unsigned int timeout_ms = 5000;
module_param(timeout_ms, uint, 0644);
MODULE_PARM_DESC(timeout_ms, "Timeout of each handshake step");

enum wlfw_state {
	WLFW_WAITING,		/* no firmware server yet */
	WLFW_HANDSHAKE,
	WLFW_READY,
	WLFW_FAILED,
	WLFW_GONE,		/* the server went away */
};

static const char * const wlfw_state_names[] = {
	[WLFW_WAITING] = "waiting",
	[WLFW_HANDSHAKE] = "handshake",
	[WLFW_READY] = "ready",
	[WLFW_FAILED] = "failed",
	[WLFW_GONE] = "gone",
};

struct wlfw_dev {
	struct list_head list;
	char key[QRTR_TUN_KEY_MAX];
	u32 ep;			/* pre-assigned endpoint id */
	struct socbpf_qmi_handle qmi;
	struct work_struct work;
	struct sockaddr_qrtr sq;	/* the firmware's server */
	u32 server_ep;
	bool have_server;
	struct completion mem_req, mem_ready, fw_ready;
	struct wlfw_request_mem_ind *memreq;
	struct wlfw_cap_resp *cap;
	enum wlfw_state state;
	const char *step;	/* where it failed */
	int err;
	bool stopping;		/* being removed: waits end */
};

static LIST_HEAD(wlfw_devs);
static DEFINE_MUTEX(wlfw_lock);	/* wlfw_devs, every dev's state fields */
static struct workqueue_struct *wlfw_wq;
static struct dentry *wlfw_dir;

static struct wlfw_dev *to_dev(struct socbpf_qmi_handle *qmi)
{
	return container_of(qmi, struct wlfw_dev, qmi);
}

static void wlfw_set_state(struct wlfw_dev *d, enum wlfw_state s,
			   const char *step, int err)
{
	mutex_lock(&wlfw_lock);
	d->state = s;
	d->step = step;
	d->err = err;
	mutex_unlock(&wlfw_lock);
}

/* One request/response step; a QMI failure result is -EREMOTEIO. */
static int wlfw_txn(struct wlfw_dev *d, int msg_id,
		    const struct sqmi_elem_info *req_ei, const void *req,
		    size_t req_len, const struct sqmi_elem_info *resp_ei,
		    void *resp, struct sqmi_response_type *result)
{
	struct socbpf_qmi_txn txn;
	int ret;

	ret = socbpf_qmi_txn_init(&d->qmi, &txn, resp_ei, resp);
	if (ret < 0)
		return ret;
	ret = socbpf_qmi_send_request(&d->qmi, &d->sq, &txn, msg_id, req_len,
				      req_ei, req);
	if (ret < 0) {
		socbpf_qmi_txn_cancel(&txn);
		return ret;
	}
	ret = socbpf_qmi_txn_wait(&txn, msecs_to_jiffies(timeout_ms));
	if (ret < 0)
		return ret;
	return result->result ? -EREMOTEIO : 0;
}

static int wlfw_wait(struct wlfw_dev *d, struct completion *c)
{
	if (!wait_for_completion_timeout(c, msecs_to_jiffies(timeout_ms)))
		return -ETIMEDOUT;
	return READ_ONCE(d->stopping) ? -ESHUTDOWN : 0;
}

static void wlfw_handshake(struct work_struct *work)
{
	struct wlfw_dev *d = container_of(work, struct wlfw_dev, work);
	struct wlfw_ind_register_resp irr = {};
	struct wlfw_ind_register_req ir = {};
	struct wlfw_respond_mem_req *rm;
	struct wlfw_host_cap_req hc = {};
	struct wlfw_plain_resp pr = {};
	struct wlfw_empty e = {};
	const char *step;
	u32 i;
	int ret;

	rm = kzalloc(sizeof(*rm), GFP_KERNEL);
	if (!rm) {
		wlfw_set_state(d, WLFW_FAILED, "alloc", -ENOMEM);
		return;
	}
	wlfw_set_state(d, WLFW_HANDSHAKE, NULL, 0);

	step = "ind_register";
	ir.fw_ready_enable_valid = 1;
	ir.fw_ready_enable = 1;
	ir.client_id_valid = 1;
	ir.client_id = WLFW_CLIENT_ID;
	ir.request_mem_enable_valid = 1;
	ir.request_mem_enable = 1;
	ir.fw_mem_ready_enable_valid = 1;
	ir.fw_mem_ready_enable = 1;
	ret = wlfw_txn(d, WLFW_IND_REGISTER, wlfw_ind_register_req_ei, &ir,
		       64, wlfw_ind_register_resp_ei, &irr, &irr.resp);
	if (ret)
		goto fail;

	step = "host_cap";
	hc.num_clients_valid = 1;
	hc.num_clients = 1;
	hc.bdf_support_valid = 1;
	hc.bdf_support = 1;
	hc.m3_support_valid = 1;
	hc.m3_support = 1;
	ret = wlfw_txn(d, WLFW_HOST_CAP, wlfw_host_cap_req_ei, &hc, 64,
		       wlfw_plain_resp_ei, &pr, &pr.resp);
	if (ret)
		goto fail;

	step = "request_mem_ind";
	ret = wlfw_wait(d, &d->mem_req);
	if (ret)
		goto fail;

	/* "allocate" what the firmware asked for: addresses of a sample */
	step = "respond_mem";
	mutex_lock(&wlfw_lock);
	rm->mem_seg_len = d->memreq->mem_seg_len;
	for (i = 0; i < rm->mem_seg_len; i++) {
		rm->mem_seg[i].addr = 0x80000000ull + (u64)i * 0x10000000;
		rm->mem_seg[i].size = d->memreq->mem_seg[i].size;
		rm->mem_seg[i].type = d->memreq->mem_seg[i].type;
	}
	mutex_unlock(&wlfw_lock);
	memset(&pr, 0, sizeof(pr));
	ret = wlfw_txn(d, WLFW_RESPOND_MEM, wlfw_respond_mem_req_ei, rm,
		       sizeof(*rm), wlfw_plain_resp_ei, &pr, &pr.resp);
	if (ret)
		goto fail;

	step = "fw_mem_ready_ind";
	ret = wlfw_wait(d, &d->mem_ready);
	if (ret)
		goto fail;

	step = "cap";
	memset(d->cap, 0, sizeof(*d->cap));
	ret = wlfw_txn(d, WLFW_CAP, wlfw_empty_ei, &e, 0, wlfw_cap_resp_ei,
		       d->cap, &d->cap->resp);
	if (ret)
		goto fail;

	step = "fw_ready_ind";
	ret = wlfw_wait(d, &d->fw_ready);
	if (ret)
		goto fail;
	wlfw_set_state(d, WLFW_READY, NULL, 0);
	pr_info("%s: firmware ready on endpoint %u: chip 0x%x board 0x%x\n",
		d->key, d->server_ep, d->cap->chip_info.chip_id,
		d->cap->board_info.id);
	kfree(rm);
	return;

fail:
	pr_info("%s: handshake failed at %s: %d\n", d->key, step, ret);
	wlfw_set_state(d, WLFW_FAILED, step, ret);
	kfree(rm);
}

static int wlfw_new_server(struct socbpf_qmi_handle *qmi,
			   struct socbpf_qmi_service *svc)
{
	struct wlfw_dev *d = to_dev(qmi);
	bool start = false;

	mutex_lock(&wlfw_lock);
	if (!d->have_server && svc->service == WLFW_SERVICE) {
		d->sq.sq_family = AF_QIPCRTR;
		d->sq.sq_node = svc->node;
		d->sq.sq_port = svc->port;
		d->server_ep = svc->endpoint_id;
		d->have_server = true;
		reinit_completion(&d->mem_req);
		reinit_completion(&d->mem_ready);
		reinit_completion(&d->fw_ready);
		start = true;
	}
	mutex_unlock(&wlfw_lock);
	if (start)
		queue_work(wlfw_wq, &d->work);
	return 0;
}

static void wlfw_del_server(struct socbpf_qmi_handle *qmi,
			    struct socbpf_qmi_service *svc)
{
	struct wlfw_dev *d = to_dev(qmi);

	mutex_lock(&wlfw_lock);
	if (d->have_server && svc->node == d->sq.sq_node &&
	    svc->port == d->sq.sq_port && svc->endpoint_id == d->server_ep) {
		d->have_server = false;
		if (d->state == WLFW_READY)
			d->state = WLFW_GONE;
	}
	mutex_unlock(&wlfw_lock);
}

static const struct socbpf_qmi_ops wlfw_ops = {
	.new_server = wlfw_new_server,
	.del_server = wlfw_del_server,
};

static void wlfw_mem_req_ind(struct socbpf_qmi_handle *qmi,
			     struct sockaddr_qrtr *sq,
			     struct socbpf_qmi_txn *txn, const void *decoded)
{
	struct wlfw_dev *d = to_dev(qmi);

	mutex_lock(&wlfw_lock);
	memcpy(d->memreq, decoded, sizeof(*d->memreq));
	mutex_unlock(&wlfw_lock);
	complete(&d->mem_req);
}

static void wlfw_mem_ready_ind(struct socbpf_qmi_handle *qmi,
			       struct sockaddr_qrtr *sq,
			       struct socbpf_qmi_txn *txn, const void *decoded)
{
	complete(&to_dev(qmi)->mem_ready);
}

static void wlfw_fw_ready_ind(struct socbpf_qmi_handle *qmi,
			      struct sockaddr_qrtr *sq,
			      struct socbpf_qmi_txn *txn, const void *decoded)
{
	complete(&to_dev(qmi)->fw_ready);
}

static const struct socbpf_qmi_msg_handler wlfw_handlers[] = {
	{
		.type = SQMI_INDICATION,
		.msg_id = WLFW_REQUEST_MEM_IND,
		.ei = wlfw_request_mem_ind_ei,
		.decoded_size = sizeof(struct wlfw_request_mem_ind),
		.fn = wlfw_mem_req_ind,
	},
	{
		.type = SQMI_INDICATION,
		.msg_id = WLFW_FW_MEM_READY_IND,
		.ei = wlfw_empty_ei,
		.decoded_size = sizeof(struct wlfw_empty),
		.fn = wlfw_mem_ready_ind,
	},
	{
		.type = SQMI_INDICATION,
		.msg_id = WLFW_FW_READY_IND,
		.ei = wlfw_empty_ei,
		.decoded_size = sizeof(struct wlfw_empty),
		.fn = wlfw_fw_ready_ind,
	},
	{}
};

static void wlfw_dev_free(struct wlfw_dev *d)
{
	kfree(d->memreq);
	kfree(d->cap);
	kfree(d);
}

/* Probe one device by its key: pre-assign, bind, look up service 69. */
static int wlfw_probe(const char *key)
{
	struct wlfw_dev *d, *o;
	int ret, id;

	if (!*key || strlen(key) >= QRTR_TUN_KEY_MAX)
		return -EINVAL;
	d = kzalloc(sizeof(*d), GFP_KERNEL);
	if (!d)
		return -ENOMEM;
	d->memreq = kzalloc(sizeof(*d->memreq), GFP_KERNEL);
	d->cap = kzalloc(sizeof(*d->cap), GFP_KERNEL);
	ret = -ENOMEM;
	if (!d->memreq || !d->cap)
		goto err_free;
	strscpy(d->key, key, sizeof(d->key));
	INIT_WORK(&d->work, wlfw_handshake);
	init_completion(&d->mem_req);
	init_completion(&d->mem_ready);
	init_completion(&d->fw_ready);

	mutex_lock(&wlfw_lock);
	list_for_each_entry(o, &wlfw_devs, list)
		if (!strcmp(o->key, key)) {
			mutex_unlock(&wlfw_lock);
			ret = -EEXIST;
			goto err_free;
		}
	mutex_unlock(&wlfw_lock);

	id = socbpf_qrtr_epid_preassign(d->key, strlen(d->key));
	if (id < 0) {
		ret = id;
		goto err_free;
	}
	d->ep = id;
	ret = socbpf_qmi_handle_init_ep(&d->qmi, sizeof(struct wlfw_cap_resp) +
					sizeof(struct wlfw_request_mem_ind),
					&wlfw_ops, wlfw_handlers,
					wlfw_bind ? d->ep : 0);
	if (ret)
		goto err_release;
	mutex_lock(&wlfw_lock);
	list_add_tail(&d->list, &wlfw_devs);
	mutex_unlock(&wlfw_lock);
	ret = socbpf_qmi_add_lookup(&d->qmi, WLFW_SERVICE, WLFW_VERSION, 0);
	if (ret)
		pr_info("%s: lookup: %d\n", d->key, ret);
	return 0;

err_release:
	socbpf_qrtr_epid_release(d->key, strlen(d->key));
err_free:
	wlfw_dev_free(d);
	return ret;
}

static void wlfw_remove(struct wlfw_dev *d)
{
	/* end the handshake's waits: indications, then transactions */
	WRITE_ONCE(d->stopping, true);
	complete_all(&d->mem_req);
	complete_all(&d->mem_ready);
	complete_all(&d->fw_ready);
	socbpf_qmi_handle_release(&d->qmi);
	cancel_work_sync(&d->work);
	socbpf_qrtr_epid_release(d->key, strlen(d->key));
	wlfw_dev_free(d);
}

static int wlfw_devices_show(struct seq_file *s, void *unused)
{
	const struct wlfw_dev *d;

	mutex_lock(&wlfw_lock);
	list_for_each_entry(d, &wlfw_devs, list) {
		seq_printf(s, "key=%s ep=%u bound=%u state=%s", d->key, d->ep,
			   wlfw_bind, wlfw_state_names[d->state]);
		if (d->have_server || d->state != WLFW_WAITING)
			seq_printf(s, " server=%u:%u@%u", d->sq.sq_node,
				   d->sq.sq_port, d->server_ep);
		if (d->state == WLFW_READY || d->state == WLFW_GONE)
			seq_printf(s, " chip_id=0x%x chip_family=0x%x board_id=0x%x soc_id=0x%x fw_version=0x%x fw_build_id=%s",
				   d->cap->chip_info.chip_id,
				   d->cap->chip_info.chip_family,
				   d->cap->board_info.id, d->cap->soc_info.id,
				   d->cap->fw_version_info.fw_version,
				   d->cap->fw_build_id);
		if (d->state == WLFW_FAILED)
			seq_printf(s, " step=%s err=%d", d->step, d->err);
		seq_printf(s, " malformed=%llu unknown=%llu\n",
			   d->qmi.stats.malformed, d->qmi.stats.unknown_msg);
	}
	mutex_unlock(&wlfw_lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(wlfw_devices);

static ssize_t wlfw_probe_write(struct file *file, const char __user *ubuf,
				size_t count, loff_t *ppos)
{
	char *line;
	int ret;

	if (count > QRTR_TUN_KEY_MAX)
		return -EINVAL;
	line = memdup_user_nul(ubuf, count);
	if (IS_ERR(line))
		return PTR_ERR(line);
	ret = wlfw_probe(strim(line));
	kfree(line);
	return ret ? ret : count;
}

static const struct file_operations wlfw_probe_fops = {
	.owner = THIS_MODULE,
	.write = wlfw_probe_write,
	.llseek = noop_llseek,
};

static void wlfw_remove_all(void)
{
	struct wlfw_dev *d, *tmp;
	LIST_HEAD(gone);

	mutex_lock(&wlfw_lock);
	list_splice_init(&wlfw_devs, &gone);
	mutex_unlock(&wlfw_lock);
	list_for_each_entry_safe(d, tmp, &gone, list) {
		list_del(&d->list);
		wlfw_remove(d);
	}
}

static int __init wlfw_init(void)
{
	char *all, *p, *key;
	int ret = 0;

	wlfw_wq = alloc_workqueue("socbpf_wlfw", WQ_UNBOUND, 0);
	if (!wlfw_wq)
		return -ENOMEM;
	if (keys) {
		all = kstrdup(keys, GFP_KERNEL);
		if (!all) {
			ret = -ENOMEM;
			goto err_wq;
		}
		p = all;
		while ((key = strsep(&p, ",")) && !ret)
			if (*key)
				ret = wlfw_probe(key);
		kfree(all);
		if (ret)
			goto err_devs;
	}
	wlfw_dir = debugfs_create_dir("socbpf_wlfw", NULL);
	debugfs_create_file("devices", 0444, wlfw_dir, NULL,
			    &wlfw_devices_fops);
	debugfs_create_file("probe", 0200, wlfw_dir, NULL, &wlfw_probe_fops);
	return 0;

err_devs:
	wlfw_remove_all();
err_wq:
	destroy_workqueue(wlfw_wq);
	return ret;
}

static void __exit wlfw_exit(void)
{
	debugfs_remove_recursive(wlfw_dir);
	wlfw_remove_all();
	destroy_workqueue(wlfw_wq);
}

module_init(wlfw_init);
module_exit(wlfw_exit);
MODULE_DESCRIPTION("socbpf sample WLAN-firmware QMI client (ath11k-like handshake)");
MODULE_LICENSE("GPL");
