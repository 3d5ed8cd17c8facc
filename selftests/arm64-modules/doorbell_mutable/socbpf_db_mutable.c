// SPDX-License-Identifier: GPL-2.0
/*
 * Test-only: does socbpf_doorbell refuse an MSI parent whose message can
 * change after setup, and accept the ITS?
 *
 * The arm64 test bed has only the ITS as MSI parent, so the mutable one is
 * built here: an MSI parent domain set up as Linux 6.12 sets up the x86
 * vector domain (IRQ_DOMAIN_FLAG_MSI_PARENT, msi_parent_ops without a prefix,
 * arch/x86/kernel/apic/msi.c x86_vector_msi_parent_ops), whose message
 * carries the target CPU and so changes with the affinity. A platform device
 * gets it as MSI domain, a virtual EPC and an endpoint function sit on that
 * device, and socbpf_doorbell_alloc() runs for real on them.
 *
 * Results in debugfs socbpf_db_mutable/result, one "name value" a line:
 *   mutable_alloc   errno of the allocation on the mutable parent (-19)
 *   noparent_alloc  errno with no MSI parent at all (-19)
 *   its_immutable   the rule's verdict for the ITS parent of socbpf-vepc
 *   mutable_immutable  the rule's verdict for the fake parent (0)
 */
#include <linux/debugfs.h>
#include <linux/err.h>
#include <linux/irqdomain.h>
#include <linux/module.h>
#include <linux/msi.h>
#include <linux/pci-epc.h>
#include <linux/pci-epf.h>
#include <linux/platform_device.h>
#include <linux/seq_file.h>

#include "socbpf_doorbell.h"

static struct platform_device *pdev;
static struct fwnode_handle *fwnode;
static struct irq_domain *dom;
static struct pci_epc *epc;
static struct pci_epf *epf;
static struct dentry *dbg;
static int mutable_alloc, noparent_alloc, its_immutable = -1, mutable_immutable;

static const struct irq_domain_ops mut_domain_ops = {};

static const struct msi_parent_ops mut_parent_ops = {
	.supported_flags = MSI_GENERIC_FLAGS_MASK,
	/* no prefix: like the 6.12 x86 vector domain */
};

static const struct pci_epc_ops mut_epc_ops = {
	.owner = THIS_MODULE,
};

static int pub(void *ctx, unsigned int idx, u64 addr, u32 data)
{
	return -EIO;
}

static void mut_nop(void *ctx, unsigned int idx)
{
}

static const struct socbpf_doorbell_ops mut_ops = {
	.publish = pub,
	.ready = mut_nop,
	.retract = mut_nop,
};

static int result_show(struct seq_file *s, void *unused)
{
	seq_printf(s, "mutable_alloc %d\nnoparent_alloc %d\nits_immutable %d\nmutable_immutable %d\n",
		   mutable_alloc, noparent_alloc, its_immutable,
		   mutable_immutable);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(result);

static int try_alloc(void)
{
	struct socbpf_doorbells *dbs;

	dbs = socbpf_doorbell_alloc(epf, 1, &mut_ops, NULL);
	if (!IS_ERR(dbs)) {
		socbpf_doorbell_free(dbs);
		return 0;
	}
	return PTR_ERR(dbs);
}

static int __init mut_init(void)
{
	struct device *vepc;
	int ret;

	pdev = platform_device_register_simple("socbpf-db-mutable", -1, NULL, 0);
	if (IS_ERR(pdev))
		return PTR_ERR(pdev);
	fwnode = irq_domain_alloc_named_fwnode("socbpf-db-mutable");
	if (!fwnode) {
		ret = -ENOMEM;
		goto err_pdev;
	}
	dom = irq_domain_create_tree(fwnode, &mut_domain_ops, NULL);
	if (!dom) {
		ret = -ENOMEM;
		goto err_fwnode;
	}
	dom->flags |= IRQ_DOMAIN_FLAG_MSI_PARENT;
	dom->msi_parent_ops = &mut_parent_ops;

	epc = pci_epc_create(&pdev->dev, &mut_epc_ops);
	if (IS_ERR(epc)) {
		ret = PTR_ERR(epc);
		goto err_dom;
	}
	epc->max_functions = 1;
	epf = pci_epf_create("socbpf_db_mutable");
	if (IS_ERR(epf)) {
		ret = PTR_ERR(epf);
		goto err_epc;
	}
	ret = pci_epc_add_epf(epc, epf, PRIMARY_INTERFACE);
	if (ret)
		goto err_epf;

	/* no MSI parent yet */
	noparent_alloc = try_alloc();
	dev_set_msi_domain(&pdev->dev, dom);
	mutable_alloc = try_alloc();
	dev_set_msi_domain(&pdev->dev, NULL);
	mutable_immutable = socbpf_doorbell_parent_immutable(dom);

	vepc = bus_find_device_by_name(&platform_bus_type, NULL, "socbpf-vepc");
	if (vepc) {
		its_immutable =
			socbpf_doorbell_parent_immutable(dev_get_msi_domain(vepc));
		put_device(vepc);
	}

	dbg = debugfs_create_dir("socbpf_db_mutable", NULL);
	debugfs_create_file("result", 0400, dbg, NULL, &result_fops);
	return 0;

err_epf:
	pci_epf_destroy(epf);
err_epc:
	pci_epc_destroy(epc);
err_dom:
	irq_domain_remove(dom);
err_fwnode:
	irq_domain_free_fwnode(fwnode);
err_pdev:
	platform_device_unregister(pdev);
	return ret;
}

static void __exit mut_exit(void)
{
	debugfs_remove_recursive(dbg);
	pci_epc_remove_epf(epc, epf, PRIMARY_INTERFACE);
	pci_epf_destroy(epf);
	pci_epc_destroy(epc);
	irq_domain_remove(dom);
	irq_domain_free_fwnode(fwnode);
	platform_device_unregister(pdev);
}

module_init(mut_init);
module_exit(mut_exit);

MODULE_DESCRIPTION("socbpf test: doorbells refused on a mutable MSI parent");
MODULE_LICENSE("GPL");
