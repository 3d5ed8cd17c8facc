// SPDX-License-Identifier: GPL-2.0
/*
 * socbpf_qrtr endpoint registry: endpoint ids, the per-device data they
 * belong to, pre-assignment, reclaim, counters and the debugfs view.
 *
 * An id is held by references: one while a link uses it, one while an owner
 * has pre-assigned it.  When the last reference goes the id is free again.
 * qrtr_reg_choose_id() is the single place ids are chosen (the future BPF
 * "choose id" policy hooks in there).
 */
#define pr_fmt(fmt) "socbpf_qrtr: " fmt

#include <linux/debugfs.h>
#include <linux/ctype.h>
#include <linux/hex.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/xarray.h>

#include "qrtr.h"
#include "policy.h"
#include "trace.h"

static unsigned int max_endpoint_id = QRTR_ENDPOINT_ID_MAX;
module_param(max_endpoint_id, uint, 0644);
MODULE_PARM_DESC(max_endpoint_id,
		 "Highest endpoint id handed out (1..255, default 255)");

static DEFINE_MUTEX(qrtr_reg_lock);
static DEFINE_XARRAY_ALLOC1(qrtr_reg);
static struct dentry *qrtr_dbg_dir;

static const char * const qrtr_drop_names[QRTR_DROP_MAX] = {
	[QRTR_DROP_NONE] = "none",
	[QRTR_DROP_SHORT] = "short",
	[QRTR_DROP_VERSION] = "version",
	[QRTR_DROP_SIZE] = "size",
	[QRTR_DROP_TYPE] = "type",
	[QRTR_DROP_CTRL] = "ctrl",
	[QRTR_DROP_ADDR] = "addr",
	[QRTR_DROP_NODES] = "nodes",
	[QRTR_DROP_NOPORT] = "noport",
	[QRTR_DROP_RCVBUF] = "rcvbuf",
	[QRTR_DROP_FILTER] = "filter",
	[QRTR_DROP_NOMEM] = "nomem",
	[QRTR_DROP_LINKDOWN] = "linkdown",
	[QRTR_DROP_TXERR] = "txerr",
	[QRTR_DROP_NS] = "ns",
	[QRTR_DROP_POLICY] = "policy",
};

const char *qrtr_drop_name(unsigned int reason)
{
	if (reason >= QRTR_DROP_MAX)
		return "unknown";
	return qrtr_drop_names[reason];
}

struct dentry *qrtr_debugfs_dir(void)
{
	return qrtr_dbg_dir;
}

static void qrtr_reg_make_name(struct qrtr_epent *ent)
{
	bool printable = ent->keylen > 0;
	u32 i;

	for (i = 0; i < ent->keylen; i++) {
		if (!isgraph(ent->key[i])) {
			printable = false;
			break;
		}
	}
	if (printable) {
		memcpy(ent->name, ent->key, ent->keylen);
		ent->name[ent->keylen] = '\0';
	} else if (ent->keylen) {
		bin2hex(ent->name, ent->key, ent->keylen);
		ent->name[2 * ent->keylen] = '\0';
	} else {
		strscpy(ent->name, "-", sizeof(ent->name));
	}
}

/* Caller holds qrtr_reg_lock. */
static struct qrtr_epent *qrtr_reg_find(const void *data, size_t len)
{
	struct qrtr_epent *ent;
	unsigned long id;

	xa_for_each(&qrtr_reg, id, ent) {
		if (ent->keylen == len && !memcmp(ent->key, data, len))
			return ent;
	}
	return NULL;
}

/*
 * The one place endpoint ids are chosen.  Default policy: the lowest free id
 * in 1..max_endpoint_id.  Caller holds qrtr_reg_lock.
 */
static void qrtr_reg_fill_desc(const struct qrtr_epent *ent, u32 kind,
			       u32 preassigned_id, struct qrtr_ep_desc *desc)
{
	memset(desc, 0, sizeof(*desc));
	desc->kind = kind;
	desc->preassigned_id = preassigned_id;
	desc->keylen = ent->keylen;
	memcpy(desc->key, ent->key, min_t(u32, ent->keylen, sizeof(desc->key)));
}

/*
 * The attached BPF policy proposes an id first; an id it proposes is only
 * used when in range and free, otherwise (or with no policy) the default
 * allocator hands out the lowest free id.
 */
static int qrtr_reg_choose_id(struct qrtr_epent *ent, u32 kind)
{
	unsigned int max = READ_ONCE(max_endpoint_id);
	struct qrtr_ep_desc desc;
	u32 id;
	int rc;

	max = clamp_t(unsigned int, max, 1, QRTR_ENDPOINT_ID_MAX);
	if (qrtr_policy_active()) {
		qrtr_reg_fill_desc(ent, kind, 0, &desc);
		id = qrtr_policy_choose_id(&desc, max);
		if (id) {
			rc = xa_insert(&qrtr_reg, id, ent, GFP_KERNEL);
			if (!rc) {
				qrtr_policy_id_used();
				ent->id = id;
				return 0;
			}
			if (rc != -EBUSY)
				return rc;
			qrtr_policy_id_rejected(id);
		}
	}
	rc = xa_alloc(&qrtr_reg, &id, ent, XA_LIMIT(1, max), GFP_KERNEL);
	if (rc == -EBUSY)
		return -ENOSPC;
	if (rc)
		return rc;
	ent->id = id;
	return 0;
}

/* Caller holds qrtr_reg_lock. */
static struct qrtr_epent *qrtr_reg_new(const void *data, size_t len, u32 kind)
{
	struct qrtr_epent *ent;
	int rc;

	ent = kzalloc(sizeof(*ent), GFP_KERNEL);
	if (!ent)
		return ERR_PTR(-ENOMEM);
	memcpy(ent->key, data, len);
	ent->keylen = len;
	qrtr_reg_make_name(ent);
	refcount_set(&ent->ref, 1);
	rc = qrtr_reg_choose_id(ent, kind);
	if (rc)
		goto err_free;
	return ent;

err_free:
	kfree(ent);
	return ERR_PTR(rc);
}

/* Caller holds qrtr_reg_lock. */
static void qrtr_reg_put_locked(struct qrtr_epent *ent)
{
	if (!refcount_dec_and_test(&ent->ref))
		return;
	xa_erase(&qrtr_reg, ent->id);
	kfree_rcu(ent, rcu);
}

static int qrtr_reg_check_key(const void *data, size_t len)
{
	if (!data || !len || len > QRTR_EP_KEY_MAX)
		return -EINVAL;
	return 0;
}

/**
 * qrtr_reg_attach() - give a new link its endpoint id
 * @data: the backend's per-device data
 * @len: bytes in @data
 * @kind: backend kind (QRTR_BACKEND_*), for the policy
 * @out: the registry entry (holds a reference for the link)
 *
 * Takes over a pre-assigned id for @data if there is one, else chooses a new
 * one.  Return: 0, -EINVAL, -EBUSY (a live link already has that data),
 * -ENOSPC (ids exhausted) or -ENOMEM.
 */
int qrtr_reg_attach(const void *data, size_t len, u32 kind,
		    struct qrtr_epent **out)
{
	struct qrtr_ep_desc desc;
	struct qrtr_epent *ent;
	bool pre = false;
	int rc;

	rc = qrtr_reg_check_key(data, len);
	if (rc)
		return rc;

	mutex_lock(&qrtr_reg_lock);
	ent = qrtr_reg_find(data, len);
	if (ent) {
		rc = -EBUSY;
		if (ent->live)
			goto out_unlock;
		refcount_inc(&ent->ref);
		pre = ent->preassigned;
	} else {
		ent = qrtr_reg_new(data, len, kind);
		rc = PTR_ERR_OR_ZERO(ent);
		if (rc)
			goto out_unlock;
	}
	WRITE_ONCE(ent->live, true);
	trace_qrtr_endpoint_id_assign(ent->id, ent->name, pre);
	trace_qrtr_endpoint_add(ent->id, ent->name);
	qrtr_reg_fill_desc(ent, kind, pre ? ent->id : 0, &desc);
	qrtr_policy_ep_added(ent->id, &desc);
	*out = ent;
	rc = 0;

out_unlock:
	mutex_unlock(&qrtr_reg_lock);
	return rc;
}

/**
 * qrtr_reg_detach() - a link stops using its id
 * @ent: entry from qrtr_reg_attach()
 *
 * The link keeps its reference until qrtr_reg_put(); a new link with the
 * same data may attach in between and takes the same id.
 */
void qrtr_reg_detach(struct qrtr_epent *ent)
{
	mutex_lock(&qrtr_reg_lock);
	WRITE_ONCE(ent->live, false);
	trace_qrtr_endpoint_remove(ent->id, ent->name);
	qrtr_policy_ep_removed(ent->id);
	mutex_unlock(&qrtr_reg_lock);
}

/**
 * qrtr_reg_put() - drop the reference taken by qrtr_reg_attach()
 * @ent: entry
 */
void qrtr_reg_put(struct qrtr_epent *ent)
{
	mutex_lock(&qrtr_reg_lock);
	qrtr_reg_put_locked(ent);
	mutex_unlock(&qrtr_reg_lock);
}

static atomic64_t qrtr_global_drops[QRTR_DROP_MAX];

void qrtr_reg_count_drop(struct qrtr_epent *ent, unsigned int reason)
{
	if (reason >= QRTR_DROP_MAX)
		reason = QRTR_DROP_NONE;
	atomic64_inc(&qrtr_global_drops[reason]);
	if (ent)
		atomic64_inc(&ent->drops[reason]);
}

u64 qrtr_global_drop(unsigned int reason)
{
	if (reason >= QRTR_DROP_MAX)
		return 0;
	return atomic64_read(&qrtr_global_drops[reason]);
}

/**
 * socbpf_qrtr_epid_lookup() - find the endpoint id of a device
 * @data: the backend's per-device data (for qrtr-tun: the key string,
 *        without the terminating NUL)
 * @len: bytes in @data (1..QRTR_TUN_KEY_MAX)
 *
 * Finds both live and pre-assigned ids.  The answer is a snapshot: the id
 * can be released right after unless the caller holds a pre-assignment.
 *
 * Context: process context, may sleep.
 * Return: the endpoint id (> 0), -EINVAL for bad arguments or -ENOENT.
 */
int socbpf_qrtr_epid_lookup(const void *data, size_t len)
{
	struct qrtr_epent *ent;
	int rc;

	rc = qrtr_reg_check_key(data, len);
	if (rc)
		return rc;
	mutex_lock(&qrtr_reg_lock);
	ent = qrtr_reg_find(data, len);
	rc = ent ? ent->id : -ENOENT;
	mutex_unlock(&qrtr_reg_lock);
	return rc;
}
EXPORT_SYMBOL_GPL(socbpf_qrtr_epid_lookup);

/**
 * __socbpf_qrtr_epid_preassign() - reserve an endpoint id for a device
 * @data: the backend's per-device data (for qrtr-tun: the key string)
 * @len: bytes in @data (1..QRTR_TUN_KEY_MAX)
 * @owner: module owning the reservation; it is dropped automatically when
 *         @owner is unloaded.  Use the socbpf_qrtr_epid_preassign() wrapper,
 *         which passes THIS_MODULE.
 *
 * If the device's link already exists its current id is reserved, else a
 * new id is chosen now and the link takes it when it registers.  The id
 * stays allocated until socbpf_qrtr_epid_release() (or @owner going away)
 * and no link uses it any more.
 *
 * Context: process context, may sleep.
 * Return: the endpoint id (> 0); -EINVAL for bad arguments, -EEXIST if the
 * device already has a pre-assignment, -ENOSPC if all ids are in use,
 * -ENOMEM.
 */
int __socbpf_qrtr_epid_preassign(const void *data, size_t len,
				 struct module *owner)
{
	struct qrtr_epent *ent;
	int rc;

	rc = qrtr_reg_check_key(data, len);
	if (rc)
		return rc;

	mutex_lock(&qrtr_reg_lock);
	ent = qrtr_reg_find(data, len);
	if (ent) {
		rc = -EEXIST;
		if (ent->preassigned)
			goto out_unlock;
		refcount_inc(&ent->ref);
	} else {
		ent = qrtr_reg_new(data, len, QRTR_BACKEND_UNKNOWN);
		rc = PTR_ERR_OR_ZERO(ent);
		if (rc)
			goto out_unlock;
		trace_qrtr_endpoint_id_assign(ent->id, ent->name, true);
	}
	ent->preassigned = true;
	ent->owner = owner;
	rc = ent->id;

out_unlock:
	mutex_unlock(&qrtr_reg_lock);
	return rc;
}
EXPORT_SYMBOL_GPL(__socbpf_qrtr_epid_preassign);

/**
 * socbpf_qrtr_epid_release() - drop a pre-assignment
 * @data: the data passed to socbpf_qrtr_epid_preassign()
 * @len: bytes in @data
 *
 * The id is reclaimed once no link uses it.
 *
 * Context: process context, may sleep.
 * Return: 0, -EINVAL for bad arguments or -ENOENT if @data has no
 * pre-assignment.
 */
int socbpf_qrtr_epid_release(const void *data, size_t len)
{
	struct qrtr_epent *ent;
	int rc;

	rc = qrtr_reg_check_key(data, len);
	if (rc)
		return rc;

	mutex_lock(&qrtr_reg_lock);
	ent = qrtr_reg_find(data, len);
	rc = -ENOENT;
	if (!ent || !ent->preassigned)
		goto out_unlock;
	ent->preassigned = false;
	ent->owner = NULL;
	qrtr_reg_put_locked(ent);
	rc = 0;

out_unlock:
	mutex_unlock(&qrtr_reg_lock);
	return rc;
}
EXPORT_SYMBOL_GPL(socbpf_qrtr_epid_release);

static int qrtr_reg_module_notify(struct notifier_block *nb,
				  unsigned long action, void *data)
{
	struct module *mod = data;
	struct qrtr_epent *ent;
	unsigned long id;

	if (action != MODULE_STATE_GOING)
		return NOTIFY_DONE;

	mutex_lock(&qrtr_reg_lock);
	xa_for_each(&qrtr_reg, id, ent) {
		if (!ent->preassigned || ent->owner != mod)
			continue;
		pr_info("reclaiming endpoint id %u (%s) pre-assigned by %s\n",
			ent->id, ent->name, mod->name);
		ent->preassigned = false;
		ent->owner = NULL;
		qrtr_reg_put_locked(ent);
	}
	mutex_unlock(&qrtr_reg_lock);
	return NOTIFY_OK;
}

static struct notifier_block qrtr_reg_module_nb = {
	.notifier_call = qrtr_reg_module_notify,
};

static const char *qrtr_reg_state(const struct qrtr_epent *ent)
{
	if (ent->live && ent->preassigned)
		return "live+preassigned";
	if (ent->live)
		return "live";
	if (ent->preassigned)
		return "preassigned";
	return "dying";
}

static int qrtr_dbg_endpoints_show(struct seq_file *m, void *v)
{
	struct qrtr_epent *ent;
	unsigned long id;
	unsigned int r;

	mutex_lock(&qrtr_reg_lock);
	xa_for_each(&qrtr_reg, id, ent) {
		seq_printf(m, "id=%u key=%s state=%s refs=%u owner=%s nodes=%u",
			   ent->id, ent->name, qrtr_reg_state(ent),
			   refcount_read(&ent->ref),
			   ent->owner ? ent->owner->name : "-",
			   qrtr_link_nr_nodes(ent->id));
		seq_printf(m, " rx_pkts=%lld rx_bytes=%lld tx_pkts=%lld tx_bytes=%lld",
			   atomic64_read(&ent->rx_pkts),
			   atomic64_read(&ent->rx_bytes),
			   atomic64_read(&ent->tx_pkts),
			   atomic64_read(&ent->tx_bytes));
		for (r = 1; r < QRTR_DROP_MAX; r++)
			seq_printf(m, " drop_%s=%lld", qrtr_drop_names[r],
				   atomic64_read(&ent->drops[r]));
		seq_putc(m, '\n');
	}
	mutex_unlock(&qrtr_reg_lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(qrtr_dbg_endpoints);

static int qrtr_dbg_stats_show(struct seq_file *m, void *v)
{
	unsigned int live = 0, pre = 0, total = 0, r;
	struct qrtr_epent *ent;
	unsigned long id;

	mutex_lock(&qrtr_reg_lock);
	xa_for_each(&qrtr_reg, id, ent) {
		total++;
		live += ent->live;
		pre += ent->preassigned;
	}
	mutex_unlock(&qrtr_reg_lock);

	seq_printf(m, "node_id=%u\n", qrtr_local_nid);
	seq_printf(m, "max_endpoint_id=%u\n", READ_ONCE(max_endpoint_id));
	seq_printf(m, "endpoint_ids=%u\n", total);
	seq_printf(m, "endpoints_live=%u\n", live);
	seq_printf(m, "endpoints_preassigned=%u\n", pre);
	seq_printf(m, "links=%u\n", qrtr_nr_links());
	seq_printf(m, "nodes=%lu\n", qrtr_nr_nodes());
	seq_printf(m, "sockets=%u\n", qrtr_nr_socks());
	seq_printf(m, "ns_servers=%u\n", qrtr_ns_nr_servers());
	seq_printf(m, "ns_lookups=%u\n", qrtr_ns_nr_lookups());
	for (r = 1; r < QRTR_DROP_MAX; r++)
		seq_printf(m, "drop_%s=%llu\n", qrtr_drop_names[r],
			   qrtr_global_drop(r));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(qrtr_dbg_stats);

static int qrtr_dbg_servers_open(struct inode *inode, struct file *file)
{
	return single_open(file, qrtr_ns_show, NULL);
}

static const struct file_operations qrtr_dbg_servers_fops = {
	.owner = THIS_MODULE,
	.open = qrtr_dbg_servers_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = single_release,
};

static int qrtr_dbg_policy_show(struct seq_file *m, void *v)
{
	struct qrtr_policy_stats st;

	qrtr_policy_get_stats(&st);
	seq_printf(m, "attached: %d\n", st.attached);
	seq_printf(m, "name: %s\n", st.attached ? st.name : "-");
	seq_printf(m, "attach_count: %llu\n", st.attach_count);
	seq_printf(m, "ids_chosen: %llu\n", st.ids_chosen);
	seq_printf(m, "ids_default: %llu\n", st.ids_default);
	seq_printf(m, "ids_rejected: %llu\n", st.ids_rejected);
	seq_printf(m, "verdicts_pass: %llu\n", st.verdicts_pass);
	seq_printf(m, "verdicts_drop: %llu\n", st.verdicts_drop);
	seq_printf(m, "verdicts_bad: %llu\n", st.verdicts_bad);
	seq_printf(m, "verdicts_slow: %llu\n", st.verdicts_slow);
	seq_printf(m, "verdicts_ignored: %llu\n", st.verdicts_ignored);
	seq_printf(m, "muted: %d\n", st.muted);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(qrtr_dbg_policy);

int qrtr_reg_init(void)
{
	int rc;

	rc = register_module_notifier(&qrtr_reg_module_nb);
	if (rc)
		return rc;
	qrtr_dbg_dir = debugfs_create_dir("socbpf_qrtr", NULL);
	debugfs_create_file("endpoints", 0444, qrtr_dbg_dir, NULL,
			    &qrtr_dbg_endpoints_fops);
	debugfs_create_file("stats", 0444, qrtr_dbg_dir, NULL,
			    &qrtr_dbg_stats_fops);
	debugfs_create_file("servers", 0444, qrtr_dbg_dir, NULL,
			    &qrtr_dbg_servers_fops);
	debugfs_create_file("policy", 0444, qrtr_dbg_dir, NULL,
			    &qrtr_dbg_policy_fops);
	return 0;
}

void qrtr_reg_exit(void)
{
	struct qrtr_epent *ent;
	unsigned long id;

	debugfs_remove_recursive(qrtr_dbg_dir);
	qrtr_dbg_dir = NULL;
	unregister_module_notifier(&qrtr_reg_module_nb);

	/* Only pre-assignments can remain: every link is gone by now. */
	mutex_lock(&qrtr_reg_lock);
	xa_for_each(&qrtr_reg, id, ent) {
		WARN_ON_ONCE(ent->live);
		xa_erase(&qrtr_reg, id);
		kfree_rcu(ent, rcu);
	}
	mutex_unlock(&qrtr_reg_lock);
	xa_destroy(&qrtr_reg);
}
