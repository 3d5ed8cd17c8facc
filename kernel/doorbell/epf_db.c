// SPDX-License-Identifier: GPL-2.0
/*
 * socbpf_pci_epf_db: an endpoint function offering RC-to-EP doorbells, in the
 * spirit of upstream pci-epf-test's doorbell test (6.17).
 *
 * BAR0 holds the registers of include/socbpf/doorbell_regs.h: per doorbell
 * its offset in the doorbell BAR, the data to write, a READY flag, and what
 * the handler saw (ring count, last CPU). BAR1 is mapped onto the MSI
 * controller's doorbell page when the first doorbell is published. Doorbells
 * come from socbpf_doorbell, so they appear to the host only after their
 * handler is installed.
 *
 * debugfs socbpf_epf_db/<function>/ctl: "realloc N" frees every doorbell and
 * allocates N again (the allocate/free cycle).
 */
#include <linux/debugfs.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/pci-epc.h>
#include <linux/pci-epf.h>
#include <linux/slab.h>
#include <linux/smp.h>

#include <socbpf/doorbell_regs.h>
#include "socbpf_doorbell.h"

#define EPF_DB_REG_BAR	BAR_0
#define EPF_DB_DB_BAR	BAR_1

static unsigned int num_doorbells = 4;
module_param(num_doorbells, uint, 0644);
MODULE_PARM_DESC(num_doorbells, "doorbells offered at bind (1..8, default 4)");

struct epf_db;

struct epf_db_slot {
	struct epf_db *e;
	unsigned int idx;
};

struct epf_db {
	struct pci_epf *epf;
	const struct pci_epc_features *features;
	struct mutex lock;		/* doorbell set, BAR1 */
	void *reg;			/* BAR0 */
	struct socbpf_doorbells *dbs;
	unsigned int num;
	u64 db_base;			/* BAR1 window, when mapped */
	unsigned int db_published;	/* doorbells published in BAR1 */
	struct dentry *dbg;
	struct epf_db_slot slot[SOCBPF_DB_MAX];
};

static struct dentry *epf_db_dbg_root;

static void reg_write(struct epf_db *e, u32 off, u32 val)
{
	WRITE_ONCE(*(__le32 *)(e->reg + off), cpu_to_le32(val));
}

static u32 reg_read(struct epf_db *e, u32 off)
{
	return le32_to_cpu(READ_ONCE(*(__le32 *)(e->reg + off)));
}

static irqreturn_t epf_db_handler(int irq, void *data)
{
	struct epf_db_slot *s = data;
	struct epf_db *e = s->e;
	u32 blk = SOCBPF_DB_BLOCK(s->idx);

	reg_write(e, blk + SOCBPF_DB_CPU, raw_smp_processor_id());
	/* the host polls the count: the CPU must be visible first */
	smp_wmb();
	reg_write(e, blk + SOCBPF_DB_COUNT, reg_read(e, blk + SOCBPF_DB_COUNT) + 1);
	return IRQ_HANDLED;
}

/* with e->lock held (socbpf_doorbell_enable() runs under it) */
static int epf_db_publish(void *ctx, unsigned int idx, u64 addr, u32 data)
{
	struct epf_db *e = ctx;
	struct pci_epf *epf = e->epf;
	struct pci_epf_bar *bar = &epf->bar[EPF_DB_DB_BAR];
	size_t align = max_t(size_t, e->features->align, SZ_4K);
	u32 blk = SOCBPF_DB_BLOCK(idx);
	int ret;

	if (!e->db_published) {
		memset(bar, 0, sizeof(*bar));
		bar->barno = EPF_DB_DB_BAR;
		bar->phys_addr = ALIGN_DOWN(addr, align);
		bar->size = align;
		bar->flags = PCI_BASE_ADDRESS_MEM_TYPE_32;
		ret = pci_epc_set_bar(epf->epc, epf->func_no, epf->vfunc_no,
				      bar);
		if (ret) {
			dev_err(&epf->dev, "doorbell BAR: %d\n", ret);
			return ret;
		}
		e->db_base = bar->phys_addr;
	} else if (addr < e->db_base || addr + 4 > e->db_base + bar->size) {
		/* one doorbell BAR: every message must fall into it */
		dev_err(&epf->dev, "doorbell %u at 0x%llx is outside BAR%d\n",
			idx, addr, EPF_DB_DB_BAR);
		return -EOPNOTSUPP;
	}
	e->db_published++;
	reg_write(e, blk + SOCBPF_DB_OFFSET, addr - e->db_base);
	reg_write(e, blk + SOCBPF_DB_DATA, data);
	reg_write(e, blk + SOCBPF_DB_COUNT, 0);
	return 0;
}

static void epf_db_ready(void *ctx, unsigned int idx)
{
	struct epf_db *e = ctx;

	/* address and data before the flag */
	smp_wmb();
	reg_write(e, SOCBPF_DB_BLOCK(idx) + SOCBPF_DB_FLAGS, SOCBPF_DB_F_READY);
}

static void epf_db_retract(void *ctx, unsigned int idx)
{
	struct epf_db *e = ctx;
	struct pci_epf *epf = e->epf;
	u32 blk = SOCBPF_DB_BLOCK(idx);

	reg_write(e, blk + SOCBPF_DB_FLAGS, 0);
	/* the flag cleared before address and data go */
	smp_wmb();
	reg_write(e, blk + SOCBPF_DB_OFFSET, 0);
	reg_write(e, blk + SOCBPF_DB_DATA, 0);
	if (e->db_published && !--e->db_published)
		pci_epc_clear_bar(epf->epc, epf->func_no, epf->vfunc_no,
				  &epf->bar[EPF_DB_DB_BAR]);
}

static const struct socbpf_doorbell_ops epf_db_ops = {
	.publish = epf_db_publish,
	.ready = epf_db_ready,
	.retract = epf_db_retract,
};

/* with e->lock held */
static void epf_db_put_doorbells(struct epf_db *e)
{
	socbpf_doorbell_free(e->dbs);
	e->dbs = NULL;
	e->num = 0;
	reg_write(e, SOCBPF_DB_REG_NUM, 0);
}

/* with e->lock held */
static int epf_db_get_doorbells(struct epf_db *e, unsigned int num)
{
	unsigned int i;
	int ret;

	if (!num || num > SOCBPF_DB_MAX)
		return -EINVAL;
	e->dbs = socbpf_doorbell_alloc(e->epf, num, &epf_db_ops, e);
	if (IS_ERR(e->dbs)) {
		ret = PTR_ERR(e->dbs);
		e->dbs = NULL;
		return ret;
	}
	e->num = num;
	for (i = 0; i < num; i++) {
		e->slot[i].e = e;
		e->slot[i].idx = i;
		ret = socbpf_doorbell_enable(e->dbs, i, epf_db_handler, 0,
					     &e->slot[i]);
		if (ret)
			goto err_put;
	}
	reg_write(e, SOCBPF_DB_REG_NUM, num);
	return 0;

err_put:
	epf_db_put_doorbells(e);
	return ret;
}

static ssize_t epf_db_ctl_write(struct file *f, const char __user *ubuf,
				size_t len, loff_t *ppos)
{
	struct epf_db *e = file_inode(f)->i_private;
	unsigned int num;
	char buf[32];
	int ret;

	if (len == 0 || len >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, len))
		return -EFAULT;
	buf[len] = '\0';
	if (sscanf(buf, "realloc %u", &num) != 1)
		return -EINVAL;
	if (!num || num > SOCBPF_DB_MAX)
		return -EINVAL;

	mutex_lock(&e->lock);
	epf_db_put_doorbells(e);
	ret = epf_db_get_doorbells(e, num);
	mutex_unlock(&e->lock);
	return ret ? ret : len;
}

static const struct file_operations epf_db_ctl_fops = {
	.owner = THIS_MODULE,
	.write = epf_db_ctl_write,
};

static int epf_db_bind(struct pci_epf *epf)
{
	struct epf_db *e = epf_get_drvdata(epf);
	struct pci_epc *epc = epf->epc;
	struct pci_epf_header hdr = {
		.vendorid = 0x1234,	/* the test bed's ids */
		.deviceid = 0xdb01,
		.baseclass_code = PCI_CLASS_OTHERS,
		.interrupt_pin = PCI_INTERRUPT_UNKNOWN,
	};
	int ret;

	if (!num_doorbells || num_doorbells > SOCBPF_DB_MAX)
		return -EINVAL;
	e->features = pci_epc_get_features(epc, epf->func_no, epf->vfunc_no);
	if (!e->features)
		return -EOPNOTSUPP;
	ret = pci_epc_write_header(epc, epf->func_no, epf->vfunc_no, &hdr);
	if (ret)
		return ret;

	e->reg = pci_epf_alloc_space(epf, SOCBPF_DB_REGS_SIZE, EPF_DB_REG_BAR,
				     e->features, PRIMARY_INTERFACE);
	if (!e->reg)
		return -ENOMEM;
	memset(e->reg, 0, epf->bar[EPF_DB_REG_BAR].size);
	reg_write(e, SOCBPF_DB_REG_MAGIC, SOCBPF_DB_MAGIC);
	reg_write(e, SOCBPF_DB_REG_VERSION, SOCBPF_DB_VERSION);
	reg_write(e, SOCBPF_DB_REG_BAR, EPF_DB_DB_BAR);
	ret = pci_epc_set_bar(epc, epf->func_no, epf->vfunc_no,
			      &epf->bar[EPF_DB_REG_BAR]);
	if (ret)
		goto err_space;

	mutex_lock(&e->lock);
	ret = epf_db_get_doorbells(e, num_doorbells);
	mutex_unlock(&e->lock);
	if (ret)
		goto err_bar;
	reg_write(e, SOCBPF_DB_REG_STATUS, SOCBPF_DB_STATUS_UP);

	e->dbg = debugfs_create_dir(dev_name(&epf->dev), epf_db_dbg_root);
	debugfs_create_file("ctl", 0200, e->dbg, e, &epf_db_ctl_fops);
	return 0;

err_bar:
	pci_epc_clear_bar(epc, epf->func_no, epf->vfunc_no,
			  &epf->bar[EPF_DB_REG_BAR]);
err_space:
	pci_epf_free_space(epf, e->reg, EPF_DB_REG_BAR, PRIMARY_INTERFACE);
	e->reg = NULL;
	return ret;
}

static void epf_db_unbind(struct pci_epf *epf)
{
	struct epf_db *e = epf_get_drvdata(epf);
	struct pci_epc *epc = epf->epc;

	debugfs_remove_recursive(e->dbg);
	e->dbg = NULL;
	reg_write(e, SOCBPF_DB_REG_STATUS, 0);
	mutex_lock(&e->lock);
	epf_db_put_doorbells(e);
	mutex_unlock(&e->lock);
	pci_epc_clear_bar(epc, epf->func_no, epf->vfunc_no,
			  &epf->bar[EPF_DB_REG_BAR]);
	pci_epf_free_space(epf, e->reg, EPF_DB_REG_BAR, PRIMARY_INTERFACE);
	e->reg = NULL;
}

static int epf_db_probe(struct pci_epf *epf, const struct pci_epf_device_id *id)
{
	struct epf_db *e;

	e = devm_kzalloc(&epf->dev, sizeof(*e), GFP_KERNEL);
	if (!e)
		return -ENOMEM;
	e->epf = epf;
	mutex_init(&e->lock);
	epf_set_drvdata(epf, e);
	return 0;
}

static const struct pci_epf_device_id epf_db_ids[] = {
	{ .name = "socbpf_db_test" },
	{ }
};

static const struct pci_epf_ops epf_db_epf_ops = {
	.bind = epf_db_bind,
	.unbind = epf_db_unbind,
};

static struct pci_epf_driver epf_db_driver = {
	.driver.name = "socbpf_pci_epf_db",
	.probe = epf_db_probe,
	.id_table = epf_db_ids,
	.ops = &epf_db_epf_ops,
	.owner = THIS_MODULE,
};

static int __init epf_db_init(void)
{
	int ret;

	epf_db_dbg_root = debugfs_create_dir("socbpf_epf_db", NULL);
	ret = pci_epf_register_driver(&epf_db_driver);
	if (ret)
		debugfs_remove_recursive(epf_db_dbg_root);
	return ret;
}

static void __exit epf_db_exit(void)
{
	pci_epf_unregister_driver(&epf_db_driver);
	debugfs_remove_recursive(epf_db_dbg_root);
}

module_init(epf_db_init);
module_exit(epf_db_exit);

MODULE_DESCRIPTION("socbpf endpoint function with RC-to-EP doorbells");
MODULE_AUTHOR("socbpf");
MODULE_LICENSE("GPL");
