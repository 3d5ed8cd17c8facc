// SPDX-License-Identifier: GPL-2.0
/*
 * Test-only endpoint function "socbpf_db_order": checks, from inside the
 * callbacks, that socbpf_doorbell_enable() installs the handler before it
 * publishes and publishes before it marks ready. Its publish callback does
 * what a host could do the moment it learns a doorbell: it rings it (a CPU
 * store of the data to the address) and waits for the handler.
 *
 * debugfs socbpf_db_order/result after binding:
 *   published N        publish callbacks
 *   action_at_publish N  of them with the irq's handler installed
 *   rung_in_publish N  rings from inside publish that the handler saw
 *   ready_after_publish N  ready callbacks that came after their publish
 *   enable_twice E     errno of enabling an enabled doorbell (-16)
 *   enable_range E     errno of enabling a doorbell past the set (-22)
 */
#include <linux/debugfs.h>
#include <linux/delay.h>
#include <linux/interrupt.h>
#include <linux/io.h>
#include <linux/module.h>
#include <linux/pci-epc.h>
#include <linux/pci-epf.h>
#include <linux/seq_file.h>

#include "socbpf_doorbell.h"

#define ORDER_NUM	2

struct order {
	struct socbpf_doorbells *dbs;
	atomic_t rings[ORDER_NUM];
	bool published[ORDER_NUM];
	int published_n, action_n, rung_n, ready_after_n;
	int enable_twice, enable_range;
};

static struct order ord;
static struct dentry *dbg;

static irqreturn_t order_handler(int irq, void *data)
{
	atomic_inc(data);
	return IRQ_HANDLED;
}

static int order_publish(void *ctx, unsigned int idx, u64 addr, u32 data)
{
	struct order *o = ctx;
	void __iomem *page;
	int i;

	o->published_n++;
	o->published[idx] = true;
	if (irq_has_action(socbpf_doorbell_irq(o->dbs, idx)))
		o->action_n++;
	page = ioremap(addr & PAGE_MASK, PAGE_SIZE);
	if (!page)
		return 0;
	writel(data, page + (addr & ~PAGE_MASK));
	iounmap(page);
	for (i = 0; i < 100 && !atomic_read(&o->rings[idx]); i++)
		usleep_range(1000, 2000);
	if (atomic_read(&o->rings[idx]))
		o->rung_n++;
	return 0;
}

static void order_ready(void *ctx, unsigned int idx)
{
	struct order *o = ctx;

	if (o->published[idx])
		o->ready_after_n++;
}

static void order_retract(void *ctx, unsigned int idx)
{
	struct order *o = ctx;

	o->published[idx] = false;
}

static const struct socbpf_doorbell_ops order_ops = {
	.publish = order_publish,
	.ready = order_ready,
	.retract = order_retract,
};

static int order_bind(struct pci_epf *epf)
{
	int i, ret;

	memset(&ord, 0, sizeof(ord));
	ord.dbs = socbpf_doorbell_alloc(epf, ORDER_NUM, &order_ops, &ord);
	if (IS_ERR(ord.dbs))
		return PTR_ERR(ord.dbs);
	for (i = 0; i < ORDER_NUM; i++) {
		ret = socbpf_doorbell_enable(ord.dbs, i, order_handler, 0,
					     &ord.rings[i]);
		if (ret)
			goto err_free;
	}
	ord.enable_twice = socbpf_doorbell_enable(ord.dbs, 0, order_handler,
						  0, &ord.rings[0]);
	ord.enable_range = socbpf_doorbell_enable(ord.dbs, ORDER_NUM,
						  order_handler, 0,
						  &ord.rings[0]);
	return 0;

err_free:
	socbpf_doorbell_free(ord.dbs);
	ord.dbs = NULL;
	return ret;
}

static void order_unbind(struct pci_epf *epf)
{
	socbpf_doorbell_free(ord.dbs);
	ord.dbs = NULL;
}

static int result_show(struct seq_file *s, void *unused)
{
	seq_printf(s, "published %d\naction_at_publish %d\nrung_in_publish %d\n",
		   ord.published_n, ord.action_n, ord.rung_n);
	seq_printf(s, "ready_after_publish %d\nenable_twice %d\nenable_range %d\n",
		   ord.ready_after_n, ord.enable_twice, ord.enable_range);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(result);

static int order_probe(struct pci_epf *epf, const struct pci_epf_device_id *id)
{
	return 0;
}

static const struct pci_epf_device_id order_ids[] = {
	{ .name = "socbpf_db_order" },
	{ }
};

static const struct pci_epf_ops order_epf_ops = {
	.bind = order_bind,
	.unbind = order_unbind,
};

static struct pci_epf_driver order_driver = {
	.driver.name = "socbpf_db_order",
	.probe = order_probe,
	.id_table = order_ids,
	.ops = &order_epf_ops,
	.owner = THIS_MODULE,
};

static int __init order_init(void)
{
	int ret;

	dbg = debugfs_create_dir("socbpf_db_order", NULL);
	debugfs_create_file("result", 0400, dbg, NULL, &result_fops);
	ret = pci_epf_register_driver(&order_driver);
	if (ret)
		debugfs_remove_recursive(dbg);
	return ret;
}

static void __exit order_exit(void)
{
	pci_epf_unregister_driver(&order_driver);
	debugfs_remove_recursive(dbg);
}

module_init(order_init);
module_exit(order_exit);

MODULE_DESCRIPTION("socbpf test: doorbell enable order");
MODULE_LICENSE("GPL");
