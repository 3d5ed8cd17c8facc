// SPDX-License-Identifier: GPL-2.0
/*
 * socbpf_doorbell: RC-to-EP doorbells for PCI endpoint functions, with the
 * safety rules an MSI doorbell mapped into a BAR needs (socbpf_doorbell.h).
 *
 * A doorbell is a platform MSI of the endpoint controller's parent device:
 * the host writes the message data to the message address (through a BAR the
 * function maps onto it) and the MSI controller raises the irq locally. That
 * is only safe if the address/data pair never changes once the host has it,
 * and only if the handler exists before the host learns the pair.
 */
#include <linux/debugfs.h>
#include <linux/irq.h>
#include <linux/irqdomain.h>
#include <linux/list.h>
#include <linux/module.h>
#include <linux/msi.h>
#include <linux/mutex.h>
#include <linux/pci-epc.h>
#include <linux/pci-epf.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/spinlock.h>

#include "msi_rule.h"
#include "socbpf_doorbell.h"

#define CREATE_TRACE_POINTS
#include "doorbell_trace.h"

EXPORT_TRACEPOINT_SYMBOL_GPL(socbpf_doorbell_host_write);

struct socbpf_doorbell {
	struct socbpf_doorbells *dbs;
	unsigned int idx;
	int virq;
	/* under socbpf_db_lock: the MSI layer writes them, maybe atomically */
	struct msi_msg msg;		/* as last written by the MSI layer */
	struct msi_msg published;	/* what the host was given */
	bool have_msg;
	bool published_valid;
	/* under dbs->lock */
	bool enabled;
	irq_handler_t handler;
	void *dev_id;
	atomic_t rings;
	char name[40];
};

struct socbpf_doorbells {
	struct list_head node;		/* socbpf_db_list */
	struct pci_epf *epf;
	struct device *ctrl;		/* owner of the MSIs: the EPC's parent */
	const struct socbpf_doorbell_ops *ops;
	void *ctx;
	struct mutex lock;		/* enable/disable/free */
	struct dentry *dbg;
	atomic_t msg_changes;
	unsigned int num;
	struct socbpf_doorbell db[] __counted_by(num);
};

/* Active sets, for the MSI write callback; one set per controller device. */
static DEFINE_RAW_SPINLOCK(socbpf_db_lock);
static LIST_HEAD(socbpf_db_list);
static struct dentry *socbpf_db_dbg;

static u64 msg_addr(const struct msi_msg *m)
{
	return ((u64)m->address_hi << 32) | m->address_lo;
}

static bool msg_equal(const struct msi_msg *a, const struct msi_msg *b)
{
	return a->address_lo == b->address_lo &&
	       a->address_hi == b->address_hi && a->data == b->data;
}

/* The MSI layer composed a message for doorbell desc->msi_index. */
static void socbpf_db_write_msg(struct msi_desc *desc, struct msi_msg *msg)
{
	struct device *dev = msi_desc_to_dev(desc);
	struct socbpf_doorbells *dbs;
	struct socbpf_doorbell *db;
	unsigned long flags;
	bool changed = false;

	raw_spin_lock_irqsave(&socbpf_db_lock, flags);
	list_for_each_entry(dbs, &socbpf_db_list, node) {
		if (dbs->ctrl != dev || desc->msi_index >= dbs->num)
			continue;
		db = &dbs->db[desc->msi_index];
		db->msg = *msg;
		db->have_msg = true;
		if (db->published_valid && !msg_equal(&db->published, msg)) {
			atomic_inc(&dbs->msg_changes);
			changed = true;
		}
		break;
	}
	raw_spin_unlock_irqrestore(&socbpf_db_lock, flags);
	if (changed)
		dev_err_ratelimited(dev, "doorbell %u: MSI message changed after it was published; host rings are lost\n",
				    desc->msi_index);
}

/**
 * socbpf_doorbell_parent_immutable() - may this MSI parent back a doorbell?
 * @parent: the MSI parent domain of the endpoint controller's device
 *
 * A doorbell's address/data pair must stay what the host was told. From
 * Linux 6.16 the parent says so itself with IRQ_DOMAIN_FLAG_MSI_IMMUTABLE
 * (set by the GICv3 ITS); Kbuild defines SOCBPF_HAVE_MSI_IMMUTABLE when the
 * kernel's irqdomain.h has the flag, so a backport counts too. Without the
 * flag (6.12) the rule is: the parent must be an MSI parent domain whose
 * msi_parent_ops prefix names a translating controller that keeps the
 * message fixed when the affinity moves: "ITS-" (GICv3 ITS: device id and
 * event id; a move is a MOVI command) or "IR-" (x86 interrupt remapping: the
 * message indexes a remapping table entry, which is rewritten instead).
 * Anything else, e.g. the x86 vector domain (which writes a new vector and
 * APIC id into the message), is refused.
 *
 * Return: true if the parent keeps messages immutable.
 */
bool socbpf_doorbell_parent_immutable(struct irq_domain *parent)
{
#ifdef SOCBPF_HAVE_MSI_IMMUTABLE
	return parent && irq_domain_is_msi_parent(parent) &&
	       irq_domain_is_msi_immutable(parent);
#else
	return socbpf_msi_parent_fixed(parent);
#endif
}
EXPORT_SYMBOL_GPL(socbpf_doorbell_parent_immutable);

static int socbpf_db_show(struct seq_file *s, void *unused)
{
	struct socbpf_doorbells *dbs = s->private;
	unsigned long flags;
	unsigned int i;

	seq_printf(s, "msg_changes %d\n", atomic_read(&dbs->msg_changes));
	for (i = 0; i < dbs->num; i++) {
		struct socbpf_doorbell *db = &dbs->db[i];
		struct msi_msg cur, pub;
		bool enabled, valid;

		raw_spin_lock_irqsave(&socbpf_db_lock, flags);
		cur = db->msg;
		pub = db->published;
		valid = db->published_valid;
		enabled = db->enabled;
		raw_spin_unlock_irqrestore(&socbpf_db_lock, flags);
		seq_printf(s, "db %u irq %d enabled %d rings %d msg 0x%llx 0x%x published %s",
			   i, db->virq, enabled, atomic_read(&db->rings),
			   msg_addr(&cur), cur.data, valid ? "yes" : "no");
		if (valid)
			seq_printf(s, " 0x%llx 0x%x", msg_addr(&pub), pub.data);
		seq_putc(s, '\n');
	}
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(socbpf_db);

/**
 * socbpf_doorbell_alloc() - allocate doorbells for an endpoint function
 * @epf: the function, bound to its endpoint controller
 * @num: how many doorbells, 1..SOCBPF_DOORBELL_MAX
 * @ops: how the function publishes, readies and retracts a doorbell
 * @ctx: passed to @ops
 *
 * Allocates @num platform MSIs of the controller's parent device from its MSI
 * parent, after checking that parent with socbpf_doorbell_parent_immutable().
 * The doorbells are not visible to the host until socbpf_doorbell_enable().
 * One set per controller at a time; free it with socbpf_doorbell_free(),
 * after which a new set can be allocated.
 *
 * Return: the set, or ERR_PTR(): -EINVAL (bad argument), -ENODEV (no MSI
 * parent, or a parent whose message can change: refused, as upstream's
 * pci_epf_alloc_doorbell()), -EBUSY (the controller has a set), -ENOMEM, or
 * what the MSI layer returned.
 */
struct socbpf_doorbells *
socbpf_doorbell_alloc(struct pci_epf *epf, unsigned int num,
		      const struct socbpf_doorbell_ops *ops, void *ctx)
{
	struct socbpf_doorbells *dbs, *it;
	struct irq_domain *parent;
	struct device *ctrl;
	unsigned long flags;
	unsigned int i;
	int ret;

	if (!epf || IS_ERR_OR_NULL(epf->epc) || !epf->epc->dev.parent ||
	    !num || num > SOCBPF_DOORBELL_MAX || !ops || !ops->publish ||
	    !ops->ready || !ops->retract)
		return ERR_PTR(-EINVAL);
	ctrl = epf->epc->dev.parent;

	parent = dev_get_msi_domain(ctrl);
	if (!parent) {
		dev_err(&epf->dev, "doorbell: %s has no MSI parent\n",
			dev_name(ctrl));
		ret = -ENODEV;
		goto out;
	}
	if (!socbpf_doorbell_parent_immutable(parent)) {
		dev_err(&epf->dev, "doorbell: MSI parent %s of %s can change the message after setup: refused\n",
			parent->name, dev_name(ctrl));
		ret = -ENODEV;
		goto out;
	}

	dbs = kzalloc(struct_size(dbs, db, num), GFP_KERNEL);
	if (!dbs) {
		ret = -ENOMEM;
		goto out;
	}
	dbs->num = num;
	dbs->epf = epf;
	dbs->ctrl = ctrl;
	dbs->ops = ops;
	dbs->ctx = ctx;
	mutex_init(&dbs->lock);
	for (i = 0; i < num; i++) {
		dbs->db[i].dbs = dbs;
		dbs->db[i].idx = i;
		snprintf(dbs->db[i].name, sizeof(dbs->db[i].name), "%s-db%u",
			 dev_name(&epf->dev), i);
	}

	/* registered first: the MSI layer may write messages while allocating */
	raw_spin_lock_irqsave(&socbpf_db_lock, flags);
	list_for_each_entry(it, &socbpf_db_list, node) {
		if (it->ctrl == ctrl) {
			raw_spin_unlock_irqrestore(&socbpf_db_lock, flags);
			ret = -EBUSY;
			goto err_free;
		}
	}
	list_add(&dbs->node, &socbpf_db_list);
	raw_spin_unlock_irqrestore(&socbpf_db_lock, flags);

	ret = platform_device_msi_init_and_alloc_irqs(ctrl, num,
						      socbpf_db_write_msg);
	if (ret) {
		dev_err(&epf->dev, "doorbell: cannot allocate %u MSIs: %d\n",
			num, ret);
		goto err_unlist;
	}
	for (i = 0; i < num; i++) {
		ret = msi_domain_get_virq(ctrl, MSI_DEFAULT_DOMAIN, i);
		if (ret <= 0) {
			ret = -ENOENT;
			goto err_msi;
		}
		dbs->db[i].virq = ret;
	}

	dbs->dbg = debugfs_create_file(dev_name(&epf->dev), 0400,
				       socbpf_db_dbg, dbs, &socbpf_db_fops);
	trace_socbpf_doorbell_alloc(dev_name(&epf->dev), num, dbs->db[0].virq,
				    0);
	return dbs;

err_msi:
	platform_device_msi_free_irqs_all(ctrl);
err_unlist:
	raw_spin_lock_irqsave(&socbpf_db_lock, flags);
	list_del(&dbs->node);
	raw_spin_unlock_irqrestore(&socbpf_db_lock, flags);
err_free:
	kfree(dbs);
out:
	trace_socbpf_doorbell_alloc(dev_name(&epf->dev), num, 0, ret);
	return ERR_PTR(ret);
}
EXPORT_SYMBOL_GPL(socbpf_doorbell_alloc);

static irqreturn_t socbpf_db_irq(int irq, void *data)
{
	struct socbpf_doorbell *db = data;

	atomic_inc(&db->rings);
	trace_socbpf_doorbell_ring(dev_name(&db->dbs->epf->dev), db->idx, irq,
				   msg_addr(&db->published),
				   db->published.data);
	return db->handler(irq, db->dev_id);
}

/**
 * socbpf_doorbell_enable() - install a handler, then show the doorbell
 * @dbs: the set
 * @idx: which doorbell
 * @handler: hard irq handler, called with @dev_id
 * @irqflags: request_irq() flags
 * @dev_id: passed to @handler
 *
 * In this order, and no other: request the irq; publish the message
 * (ops->publish with its address and data); mark it ready (ops->ready). If a
 * step fails the earlier ones are undone, so a host never sees a doorbell
 * whose handler does not exist. The message is not available any other way.
 *
 * Return: 0, -EINVAL (bad argument), -EBUSY (already enabled), -EIO (the MSI
 * layer gave no message), or the error of request_irq() or ops->publish.
 */
int socbpf_doorbell_enable(struct socbpf_doorbells *dbs, unsigned int idx,
			   irq_handler_t handler, unsigned long irqflags,
			   void *dev_id)
{
	struct socbpf_doorbell *db;
	unsigned long flags;
	struct msi_msg m;
	bool have;
	int ret;

	if (IS_ERR_OR_NULL(dbs) || idx >= dbs->num || !handler)
		return -EINVAL;
	db = &dbs->db[idx];

	mutex_lock(&dbs->lock);
	if (db->enabled) {
		ret = -EBUSY;
		goto out;
	}
	db->handler = handler;
	db->dev_id = dev_id;
	ret = request_irq(db->virq, socbpf_db_irq, irqflags, db->name, db);
	if (ret)
		goto out;

	/* the handler exists: take the message and mark it published */
	raw_spin_lock_irqsave(&socbpf_db_lock, flags);
	m = db->msg;
	have = db->have_msg;
	if (have) {
		db->published = m;
		db->published_valid = true;
	}
	raw_spin_unlock_irqrestore(&socbpf_db_lock, flags);
	if (!have) {
		ret = -EIO;
		goto err_irq;
	}

	ret = dbs->ops->publish(dbs->ctx, idx, msg_addr(&m), m.data);
	if (ret)
		goto err_unpublish;
	trace_socbpf_doorbell_publish(dev_name(&dbs->epf->dev), idx, db->virq,
				      msg_addr(&m), m.data);
	dbs->ops->ready(dbs->ctx, idx);
	db->enabled = true;
	mutex_unlock(&dbs->lock);
	return 0;

err_unpublish:
	raw_spin_lock_irqsave(&socbpf_db_lock, flags);
	db->published_valid = false;
	raw_spin_unlock_irqrestore(&socbpf_db_lock, flags);
err_irq:
	free_irq(db->virq, db);
out:
	mutex_unlock(&dbs->lock);
	return ret;
}
EXPORT_SYMBOL_GPL(socbpf_doorbell_enable);

/* with dbs->lock held */
static void socbpf_db_disable_locked(struct socbpf_doorbells *dbs,
				     unsigned int idx)
{
	struct socbpf_doorbell *db = &dbs->db[idx];
	unsigned long flags;

	if (!db->enabled)
		return;
	/* the host first, then the handler */
	dbs->ops->retract(dbs->ctx, idx);
	trace_socbpf_doorbell_retract(dev_name(&dbs->epf->dev), idx, db->virq,
				      msg_addr(&db->published),
				      db->published.data);
	/* the host has let go: free_irq() deactivating the MSI (which writes a
	 * zero message) is no change of a published message
	 */
	raw_spin_lock_irqsave(&socbpf_db_lock, flags);
	db->published_valid = false;
	raw_spin_unlock_irqrestore(&socbpf_db_lock, flags);
	free_irq(db->virq, db);
	db->enabled = false;
}

/**
 * socbpf_doorbell_disable() - withdraw a doorbell, then free its handler
 * @dbs: the set
 * @idx: which doorbell
 *
 * ops->retract first (the host must stop ringing), then free_irq(), which
 * waits for a running handler. Nothing happens if it is not enabled.
 */
void socbpf_doorbell_disable(struct socbpf_doorbells *dbs, unsigned int idx)
{
	if (IS_ERR_OR_NULL(dbs) || idx >= dbs->num)
		return;
	mutex_lock(&dbs->lock);
	socbpf_db_disable_locked(dbs, idx);
	mutex_unlock(&dbs->lock);
}
EXPORT_SYMBOL_GPL(socbpf_doorbell_disable);

/**
 * socbpf_doorbell_free() - disable every doorbell and free the MSIs
 * @dbs: the set (NULL or an ERR_PTR is ignored)
 *
 * Also removes the controller's MSI device domain, so the next
 * socbpf_doorbell_alloc() on the same controller starts from scratch.
 */
void socbpf_doorbell_free(struct socbpf_doorbells *dbs)
{
	unsigned long flags;
	unsigned int i;

	if (IS_ERR_OR_NULL(dbs))
		return;
	debugfs_remove(dbs->dbg);
	mutex_lock(&dbs->lock);
	for (i = 0; i < dbs->num; i++)
		socbpf_db_disable_locked(dbs, i);
	mutex_unlock(&dbs->lock);
	platform_device_msi_free_irqs_all(dbs->ctrl);
	raw_spin_lock_irqsave(&socbpf_db_lock, flags);
	list_del(&dbs->node);
	raw_spin_unlock_irqrestore(&socbpf_db_lock, flags);
	kfree(dbs);
}
EXPORT_SYMBOL_GPL(socbpf_doorbell_free);

/**
 * socbpf_doorbell_irq() - the Linux irq of a doorbell
 * @dbs: the set
 * @idx: which doorbell
 *
 * For irq_set_affinity() and the like; not a way to publish.
 *
 * Return: the irq number, or -EINVAL.
 */
int socbpf_doorbell_irq(struct socbpf_doorbells *dbs, unsigned int idx)
{
	if (IS_ERR_OR_NULL(dbs) || idx >= dbs->num)
		return -EINVAL;
	return dbs->db[idx].virq;
}
EXPORT_SYMBOL_GPL(socbpf_doorbell_irq);

/**
 * socbpf_doorbell_msg_changes() - published messages the MSI layer changed
 * @dbs: the set
 *
 * Return: how many times a published doorbell's message was rewritten (zero
 * for an immutable parent; anything else means the host rings a stale pair).
 */
unsigned int socbpf_doorbell_msg_changes(struct socbpf_doorbells *dbs)
{
	if (IS_ERR_OR_NULL(dbs))
		return 0;
	return atomic_read(&dbs->msg_changes);
}
EXPORT_SYMBOL_GPL(socbpf_doorbell_msg_changes);

static int __init socbpf_db_init(void)
{
	socbpf_db_dbg = debugfs_create_dir("socbpf_doorbell", NULL);
	return 0;
}

static void __exit socbpf_db_exit(void)
{
	debugfs_remove_recursive(socbpf_db_dbg);
}

module_init(socbpf_db_init);
module_exit(socbpf_db_exit);

MODULE_DESCRIPTION("socbpf RC-to-EP doorbells for PCI endpoint functions");
MODULE_AUTHOR("socbpf");
MODULE_LICENSE("GPL");
