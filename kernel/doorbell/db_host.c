// SPDX-License-Identifier: GPL-2.0
/*
 * socbpf_db_host: the host side of the doorbell test bed, like upstream
 * pci_endpoint_test's DOORBELL test: it reads the endpoint function's
 * register BAR (include/socbpf/doorbell_regs.h) through the virtual EPC, and
 * rings a doorbell by writing its data at its offset in the doorbell BAR,
 * either with a CPU store or with a bus-master DMA from QEMU's edu device,
 * then waits for the endpoint's handler to count the ring.
 *
 * debugfs socbpf_db_host/:
 *   ctl   "ring IDX N cpu|dma": N rings of doorbell IDX, each waited for
 *   last  after a ring: "idx I rings N count C cpu P"
 *   regs  the register BAR as the host reads it
 * Every step is checked: a doorbell that is not READY is not rung (-EAGAIN),
 * a BAR that went away fails the command (-ENXIO), an unanswered ring fails
 * it after a second (-ETIMEDOUT).
 */
#include <linux/debugfs.h>
#include <linux/delay.h>
#include <linux/dma-mapping.h>
#include <linux/io.h>
#include <linux/io-64-nonatomic-lo-hi.h>
#include <linux/iopoll.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/pci-epc.h>
#include <linux/seq_file.h>

#include <socbpf/doorbell_regs.h>
#include "socbpf_vepc.h"
#include "doorbell_trace.h"

/* QEMU's edu device (docs/specs/edu.rst) */
#define EDU_VENDOR	0x1234
#define EDU_DEVICE	0x11e8
#define EDU_DMA_SRC	0x80
#define EDU_DMA_DST	0x88
#define EDU_DMA_COUNT	0x90
#define EDU_DMA_CMD	0x98
#define EDU_DMA_START	0x1
#define EDU_DMA_TO_RAM	0x2	/* direction: from edu's buffer to RAM */
#define EDU_BUF		0x40000	/* edu's DMA buffer, in its own space */

#define RING_TIMEOUT_US	1000000

static char *epc_name = "socbpf-vepc";
module_param(epc_name, charp, 0444);
MODULE_PARM_DESC(epc_name, "endpoint controller to talk to");

struct db_edu {
	struct pci_dev *pdev;
	void __iomem *mmio;
	u32 *buf;
	dma_addr_t buf_dma;
};

static DEFINE_MUTEX(db_host_lock);	/* commands, db_edu */
static struct db_edu *db_edu;
static struct dentry *db_host_dbg;
static struct {
	unsigned int idx, rings, count, cpu;
	bool valid;
} db_last;

static int edu_dma(struct db_edu *edu, u64 src, u64 dst, u32 cmd)
{
	u32 v;

	lo_hi_writeq(src, edu->mmio + EDU_DMA_SRC);
	lo_hi_writeq(dst, edu->mmio + EDU_DMA_DST);
	writel(4, edu->mmio + EDU_DMA_COUNT);
	writel(cmd | EDU_DMA_START, edu->mmio + EDU_DMA_CMD);
	/* edu completes a transfer about 100 ms of virtual time later */
	return readl_poll_timeout(edu->mmio + EDU_DMA_CMD, v,
				  !(v & EDU_DMA_START), 1000, 2000000);
}

/* write @data to @phys by bus-master DMA: RAM -> edu buffer -> @phys */
static int edu_ring(struct db_edu *edu, phys_addr_t phys, u32 data)
{
	int ret;

	WRITE_ONCE(*edu->buf, cpu_to_le32(data));
	wmb();	/* the buffer before the device reads it */
	ret = edu_dma(edu, edu->buf_dma, EDU_BUF, 0);
	if (ret)
		return ret;
	trace_socbpf_doorbell_host_write(phys, data, 1);
	return edu_dma(edu, EDU_BUF, phys, EDU_DMA_TO_RAM);
}

static int host_ring_once(struct pci_epc *epc, unsigned int idx, bool dma)
{
	u32 blk = SOCBPF_DB_BLOCK(idx);
	u32 flags, bar, off, data, count0, count, cpu;
	phys_addr_t phys;
	int ret;

	ret = socbpf_vepc_host_read32(epc, BAR_0, blk + SOCBPF_DB_FLAGS, &flags);
	if (ret)
		return ret;
	if (!(flags & SOCBPF_DB_F_READY))
		return -EAGAIN;
	ret = socbpf_vepc_host_read32(epc, BAR_0, SOCBPF_DB_REG_BAR, &bar) ?:
	      socbpf_vepc_host_read32(epc, BAR_0, blk + SOCBPF_DB_OFFSET, &off) ?:
	      socbpf_vepc_host_read32(epc, BAR_0, blk + SOCBPF_DB_DATA, &data) ?:
	      socbpf_vepc_host_read32(epc, BAR_0, blk + SOCBPF_DB_COUNT, &count0);
	if (ret)
		return ret;
	if (bar >= PCI_STD_NUM_BARS || bar == BAR_0)
		return -EPROTO;
	ret = socbpf_vepc_host_translate(epc, bar, off, 4, &phys);
	if (ret)
		return ret;

	if (dma) {
		if (!db_edu)
			return -ENODEV;
		ret = edu_ring(db_edu, phys, data);
	} else {
		trace_socbpf_doorbell_host_write(phys, data, 0);
		ret = socbpf_vepc_host_write32(epc, bar, off, data);
	}
	if (ret)
		return ret;

	ret = read_poll_timeout(socbpf_vepc_host_read32, ret,
				ret || count != count0, 100, RING_TIMEOUT_US,
				false, epc, BAR_0, blk + SOCBPF_DB_COUNT,
				&count);
	if (ret)
		return ret;
	smp_rmb();	/* the handler wrote the CPU before the count */
	ret = socbpf_vepc_host_read32(epc, BAR_0, blk + SOCBPF_DB_CPU, &cpu);
	if (ret)
		return ret;
	db_last.count = count;
	db_last.cpu = cpu;
	return 0;
}

static int host_ring(unsigned int idx, unsigned int n, bool dma)
{
	struct pci_epc *epc;
	unsigned int i;
	int ret = 0;

	if (idx >= SOCBPF_DB_MAX || !n)
		return -EINVAL;
	epc = pci_epc_get(epc_name);
	if (IS_ERR(epc))
		return PTR_ERR(epc);
	db_last.valid = false;
	db_last.idx = idx;
	for (i = 0; i < n && !ret; i++)
		ret = host_ring_once(epc, idx, dma);
	db_last.rings = i - (ret ? 1 : 0);
	db_last.valid = !ret;
	pci_epc_put(epc);
	return ret;
}

static ssize_t host_ctl_write(struct file *f, const char __user *ubuf,
			      size_t len, loff_t *ppos)
{
	unsigned int idx, n;
	char buf[48], how[8];
	int ret;

	if (len == 0 || len >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, len))
		return -EFAULT;
	buf[len] = '\0';
	if (sscanf(buf, "ring %u %u %7s", &idx, &n, how) != 3)
		return -EINVAL;
	if (strcmp(how, "cpu") && strcmp(how, "dma"))
		return -EINVAL;
	mutex_lock(&db_host_lock);
	ret = host_ring(idx, n, !strcmp(how, "dma"));
	mutex_unlock(&db_host_lock);
	return ret ? ret : len;
}

static const struct file_operations host_ctl_fops = {
	.owner = THIS_MODULE,
	.write = host_ctl_write,
};

static int host_last_show(struct seq_file *s, void *unused)
{
	mutex_lock(&db_host_lock);
	if (db_last.valid)
		seq_printf(s, "idx %u rings %u count %u cpu %u\n", db_last.idx,
			   db_last.rings, db_last.count, db_last.cpu);
	else
		seq_puts(s, "none\n");
	mutex_unlock(&db_host_lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(host_last);

static int host_regs_show(struct seq_file *s, void *unused)
{
	u32 magic, ver, num, bar, st, v[5];
	struct pci_epc *epc;
	unsigned int i, j;
	int ret;

	epc = pci_epc_get(epc_name);
	if (IS_ERR(epc))
		return PTR_ERR(epc);
	ret = socbpf_vepc_host_read32(epc, BAR_0, SOCBPF_DB_REG_MAGIC, &magic) ?:
	      socbpf_vepc_host_read32(epc, BAR_0, SOCBPF_DB_REG_VERSION, &ver) ?:
	      socbpf_vepc_host_read32(epc, BAR_0, SOCBPF_DB_REG_NUM, &num) ?:
	      socbpf_vepc_host_read32(epc, BAR_0, SOCBPF_DB_REG_BAR, &bar) ?:
	      socbpf_vepc_host_read32(epc, BAR_0, SOCBPF_DB_REG_STATUS, &st);
	if (ret)
		goto out;
	seq_printf(s, "magic 0x%08x version %u num %u bar %u status 0x%x\n",
		   magic, ver, num, bar, st);
	for (i = 0; i < min_t(u32, num, SOCBPF_DB_MAX); i++) {
		for (j = 0; j < 5; j++) {
			ret = socbpf_vepc_host_read32(epc, BAR_0,
						      SOCBPF_DB_BLOCK(i) + 4 * j,
						      &v[j]);
			if (ret)
				goto out;
		}
		seq_printf(s, "db %u flags 0x%x offset 0x%x data 0x%x count %u cpu %u\n",
			   i, v[0], v[1], v[2], v[3], v[4]);
	}
out:
	pci_epc_put(epc);
	return ret;
}
DEFINE_SHOW_ATTRIBUTE(host_regs);

static int edu_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct db_edu *edu;
	int ret;

	edu = devm_kzalloc(&pdev->dev, sizeof(*edu), GFP_KERNEL);
	if (!edu)
		return -ENOMEM;
	edu->pdev = pdev;
	ret = pcim_enable_device(pdev);
	if (ret)
		return ret;
	edu->mmio = pcim_iomap(pdev, 0, 0);
	if (!edu->mmio)
		return -ENOMEM;
	ret = dma_set_mask_and_coherent(&pdev->dev, DMA_BIT_MASK(64));
	if (ret)
		return ret;
	edu->buf = dmam_alloc_coherent(&pdev->dev, sizeof(*edu->buf),
				       &edu->buf_dma, GFP_KERNEL);
	if (!edu->buf)
		return -ENOMEM;
	pci_set_master(pdev);
	pci_set_drvdata(pdev, edu);
	mutex_lock(&db_host_lock);
	if (db_edu)
		ret = -EBUSY;
	else
		db_edu = edu;
	mutex_unlock(&db_host_lock);
	if (ret)
		return ret;
	dev_info(&pdev->dev, "edu: bus master for doorbell rings\n");
	return 0;
}

static void edu_remove(struct pci_dev *pdev)
{
	struct db_edu *edu = pci_get_drvdata(pdev);

	mutex_lock(&db_host_lock);
	if (db_edu == edu)
		db_edu = NULL;
	mutex_unlock(&db_host_lock);
	pci_clear_master(pdev);
}

static const struct pci_device_id edu_ids[] = {
	{ PCI_DEVICE(EDU_VENDOR, EDU_DEVICE) },
	{ }
};
MODULE_DEVICE_TABLE(pci, edu_ids);

static struct pci_driver edu_driver = {
	.name = "socbpf_db_host_edu",
	.id_table = edu_ids,
	.probe = edu_probe,
	.remove = edu_remove,
};

static int __init db_host_init(void)
{
	int ret;

	ret = pci_register_driver(&edu_driver);
	if (ret)
		return ret;
	db_host_dbg = debugfs_create_dir("socbpf_db_host", NULL);
	debugfs_create_file("ctl", 0200, db_host_dbg, NULL, &host_ctl_fops);
	debugfs_create_file("last", 0400, db_host_dbg, NULL, &host_last_fops);
	debugfs_create_file("regs", 0400, db_host_dbg, NULL, &host_regs_fops);
	return 0;
}

static void __exit db_host_exit(void)
{
	debugfs_remove_recursive(db_host_dbg);
	pci_unregister_driver(&edu_driver);
}

module_init(db_host_init);
module_exit(db_host_exit);

MODULE_DESCRIPTION("socbpf doorbell test bed: the host side (CPU and edu DMA rings)");
MODULE_AUTHOR("socbpf");
MODULE_LICENSE("GPL");
