// SPDX-License-Identifier: GPL-2.0
/*
 * Test-only, x86 guest: does the doorbell library's 6.12 rule
 * (kernel/doorbell/msi_rule.h) call an MSI parent mutable exactly when its
 * message really changes with the affinity?
 *
 * Binds QEMU's edu device, allocates one MSI, records the message, moves the
 * irq to the other CPU, lets edu raise an interrupt (without remapping, x86
 * applies a move of an MSI in the next interrupt's ack), records the message
 * again, and evaluates the rule on the MSI parent of the device's MSI domain.
 * Without interrupt remapping the parent is the x86 vector domain (the
 * message carries APIC id and vector: it changes); with QEMU's
 * intel-iommu,intremap=on it is the IR domain (the message indexes a
 * remapping entry: it stays).
 *
 * debugfs socbpf_msi_rule/result:
 *   parent NAME prefix PREFIX
 *   rule_fixed 0|1     the rule's verdict
 *   msg_changed 0|1    the message after the move differs
 *   moved 0|1          the irq's effective affinity is the new CPU
 *   before ADDR DATA / after ADDR DATA
 */
#include <linux/cpumask.h>
#include <linux/debugfs.h>
#include <linux/delay.h>
#include <linux/io.h>
#include <linux/interrupt.h>
#include <linux/irq.h>
#include <linux/module.h>
#include <linux/msi.h>
#include <linux/pci.h>
#include <linux/seq_file.h>

#include "msi_rule.h"

/* edu registers (QEMU docs/specs/edu.rst) */
#define EDU_IRQ_STATUS	0x24
#define EDU_IRQ_RAISE	0x60
#define EDU_IRQ_ACK	0x64

static struct dentry *dbg;
static void __iomem *edu;
static atomic_t fired;
static struct {
	bool done;
	int err;
	bool fixed, changed, moved;
	struct msi_msg before, after;
	const char *name, *prefix;
} res;

static irqreturn_t rule_irq(int irq, void *data)
{
	writel(readl(edu + EDU_IRQ_STATUS), edu + EDU_IRQ_ACK);
	atomic_inc(&fired);
	return IRQ_HANDLED;
}

/* edu raises its MSI; wait for the handler */
static int raise_and_wait(void)
{
	int n = atomic_read(&fired), i;

	writel(1, edu + EDU_IRQ_RAISE);
	for (i = 0; i < 1000 && atomic_read(&fired) == n; i++)
		usleep_range(1000, 2000);
	return atomic_read(&fired) != n ? 0 : -ETIMEDOUT;
}

static int result_show(struct seq_file *s, void *unused)
{
	if (!res.done) {
		seq_printf(s, "error %d\n", res.err);
		return 0;
	}
	seq_printf(s, "parent %s prefix %s\nrule_fixed %d\nmsg_changed %d\nmoved %d\n",
		   res.name, res.prefix, res.fixed, res.changed, res.moved);
	seq_printf(s, "before 0x%08x%08x 0x%x\nafter 0x%08x%08x 0x%x\n",
		   res.before.address_hi, res.before.address_lo,
		   res.before.data, res.after.address_hi,
		   res.after.address_lo, res.after.data);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(result);

static int rule_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct irq_domain *parent;
	struct irq_data *d;
	unsigned int cpu;
	int irq, ret;

	ret = pcim_enable_device(pdev);
	if (ret)
		goto out;
	edu = pcim_iomap(pdev, 0, 0);
	if (!edu) {
		ret = -ENOMEM;
		goto out;
	}
	pci_set_master(pdev);	/* an MSI is a memory write by the device */
	ret = pci_alloc_irq_vectors(pdev, 1, 1, PCI_IRQ_MSI);
	if (ret < 0)
		goto out;
	irq = pci_irq_vector(pdev, 0);
	ret = request_irq(irq, rule_irq, 0, "socbpf_msi_rule", pdev);
	if (ret)
		goto err_vec;

	d = irq_get_irq_data(irq);
	parent = d && d->domain ? d->domain->parent : NULL;
	res.name = parent && parent->name ? parent->name : "none";
	res.prefix = parent && parent->msi_parent_ops &&
		     parent->msi_parent_ops->prefix ?
		     parent->msi_parent_ops->prefix : "none";
	res.fixed = socbpf_msi_parent_fixed(parent);

	get_cached_msi_msg(irq, &res.before);
	cpu = cpumask_first(irq_data_get_effective_affinity_mask(d));
	cpu = cpumask_any_but(cpu_online_mask, cpu);
	if (cpu >= nr_cpu_ids) {
		ret = -ENODEV;
		goto err_irq;
	}
	ret = irq_set_affinity(irq, cpumask_of(cpu));
	if (ret)
		goto err_irq;
	/* two interrupts: the first applies a deferred move */
	ret = raise_and_wait() ?: raise_and_wait();
	if (ret)
		goto err_irq;
	get_cached_msi_msg(irq, &res.after);
	res.moved = cpumask_test_cpu(cpu, irq_data_get_effective_affinity_mask(d));
	res.changed = res.before.address_lo != res.after.address_lo ||
		      res.before.address_hi != res.after.address_hi ||
		      res.before.data != res.after.data;
	res.done = true;
	ret = 0;

err_irq:
	free_irq(irq, pdev);
err_vec:
	pci_free_irq_vectors(pdev);
out:
	res.err = ret;
	return ret;
}

static const struct pci_device_id rule_ids[] = {
	{ PCI_DEVICE(0x1234, 0x11e8) },	/* QEMU edu */
	{ }
};

static struct pci_driver rule_driver = {
	.name = "socbpf_msi_rule",
	.id_table = rule_ids,
	.probe = rule_probe,
};

static int __init rule_init(void)
{
	dbg = debugfs_create_dir("socbpf_msi_rule", NULL);
	debugfs_create_file("result", 0400, dbg, NULL, &result_fops);
	return pci_register_driver(&rule_driver);
}

static void __exit rule_exit(void)
{
	pci_unregister_driver(&rule_driver);
	debugfs_remove_recursive(dbg);
}

module_init(rule_init);
module_exit(rule_exit);

MODULE_DESCRIPTION("socbpf test: the doorbell MSI-parent rule on x86");
MODULE_LICENSE("GPL");
