// SPDX-License-Identifier: GPL-2.0
/*
 * socbpf_pci_epc_virt: a virtual PCI endpoint controller.
 *
 * Registers with the kernel's PCI endpoint framework for a device tree node
 *
 *	socbpf-vepc {
 *		compatible = "socbpf,pci-epc-virt";
 *		msi-parent = <&its 0>;
 *	};
 *
 * so endpoint function drivers (EPF) bind to it as to a hardware EPC, and
 * platform MSIs allocated for it come from its MSI parent (the GICv3 ITS in
 * the test bed). There is no PCIe link: the BAR windows the function sets are
 * recorded (debugfs "bars": BAR, local physical address, size) and the
 * emulated host side reaches them through socbpf_vepc_host_*().
 *
 * Without the framework's configfs (Debian's arm64 kernel has none), a
 * function is created, bound and started by writing its name to debugfs
 * "function", and stopped, unbound and destroyed by writing "none".
 */
#include <linux/debugfs.h>
#include <linux/dma-mapping.h>
#include <linux/io.h>
#include <linux/ioport.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/of.h>
#include <linux/pci-epc.h>
#include <linux/pci-epf.h>
#include <linux/platform_device.h>
#include <linux/seq_file.h>
#include <linux/spinlock.h>
#include <linux/string.h>

#include "socbpf_vepc.h"

#define VEPC_ALIGN	SZ_4K

struct vepc_bar {
	bool set;
	bool ram;
	phys_addr_t phys;
	u64 size;
	int flags;
	void __iomem *io;	/* MMIO window (a doorbell) */
	void *mem;		/* RAM window (a register BAR) */
};

struct vepc {
	struct device *dev;
	struct pci_epc *epc;
	struct dentry *dbg;
	struct mutex fn_lock;		/* function create/bind/destroy */
	struct pci_epf *epf;
	spinlock_t win_lock;		/* bar[], against host accesses */
	struct vepc_bar bar[PCI_STD_NUM_BARS];
	struct pci_epf_header hdr;
	bool started;
};

static const struct pci_epc_features vepc_features = {
	.linkup_notifier = false,
	.msi_capable = false,
	.msix_capable = false,
	.align = VEPC_ALIGN,
};

static int vepc_write_header(struct pci_epc *epc, u8 fn, u8 vfn,
			     struct pci_epf_header *hdr)
{
	struct vepc *v = epc_get_drvdata(epc);

	v->hdr = *hdr;
	return 0;
}

static void vepc_unmap(struct vepc_bar *b)
{
	if (b->io)
		iounmap(b->io);
	if (b->mem)
		memunmap(b->mem);
	b->io = NULL;
	b->mem = NULL;
}

static int vepc_set_bar(struct pci_epc *epc, u8 fn, u8 vfn,
			struct pci_epf_bar *epf_bar)
{
	struct vepc *v = epc_get_drvdata(epc);
	enum pci_barno n = epf_bar->barno;
	struct vepc_bar nb = {}, old;
	unsigned long flags;

	if (n >= PCI_STD_NUM_BARS || !epf_bar->size ||
	    !IS_ALIGNED(epf_bar->phys_addr, VEPC_ALIGN))
		return -EINVAL;

	nb.set = true;
	nb.phys = epf_bar->phys_addr;
	nb.size = epf_bar->size;
	nb.flags = epf_bar->flags;
	nb.ram = region_intersects(nb.phys, nb.size, IORESOURCE_SYSTEM_RAM,
				   IORES_DESC_NONE) == REGION_INTERSECTS;
	if (nb.ram)
		nb.mem = memremap(nb.phys, nb.size, MEMREMAP_WB);
	else
		nb.io = ioremap(nb.phys, nb.size);
	if (!nb.mem && !nb.io)
		return -ENOMEM;

	spin_lock_irqsave(&v->win_lock, flags);
	old = v->bar[n];
	v->bar[n] = nb;
	spin_unlock_irqrestore(&v->win_lock, flags);
	vepc_unmap(&old);
	dev_dbg(v->dev, "BAR%d -> %pa size %llu\n", n, &nb.phys, nb.size);
	return 0;
}

static void vepc_clear_bar(struct pci_epc *epc, u8 fn, u8 vfn,
			   struct pci_epf_bar *epf_bar)
{
	struct vepc *v = epc_get_drvdata(epc);
	enum pci_barno n = epf_bar->barno;
	unsigned long flags;
	struct vepc_bar old;

	if (n >= PCI_STD_NUM_BARS)
		return;
	spin_lock_irqsave(&v->win_lock, flags);
	old = v->bar[n];
	memset(&v->bar[n], 0, sizeof(v->bar[n]));
	spin_unlock_irqrestore(&v->win_lock, flags);
	vepc_unmap(&old);
}

static int vepc_start(struct pci_epc *epc)
{
	struct vepc *v = epc_get_drvdata(epc);

	v->started = true;
	return 0;
}

static void vepc_stop(struct pci_epc *epc)
{
	struct vepc *v = epc_get_drvdata(epc);

	v->started = false;
}

static const struct pci_epc_features *
vepc_get_features(struct pci_epc *epc, u8 fn, u8 vfn)
{
	return &vepc_features;
}

static const struct pci_epc_ops vepc_ops = {
	.write_header	= vepc_write_header,
	.set_bar	= vepc_set_bar,
	.clear_bar	= vepc_clear_bar,
	.start		= vepc_start,
	.stop		= vepc_stop,
	.get_features	= vepc_get_features,
	.owner		= THIS_MODULE,
};

/* ---------------------------------------------------------- host side */

static struct vepc *vepc_of(struct pci_epc *epc)
{
	if (IS_ERR_OR_NULL(epc) || epc->ops != &vepc_ops)
		return NULL;
	return epc_get_drvdata(epc);
}

static int vepc_access(struct pci_epc *epc, enum pci_barno bar, u32 off,
		       u32 *val, bool write)
{
	struct vepc *v = vepc_of(epc);
	unsigned long flags;
	struct vepc_bar *b;
	int ret = 0;

	if (!v || bar >= PCI_STD_NUM_BARS || off & 3)
		return -EINVAL;
	spin_lock_irqsave(&v->win_lock, flags);
	b = &v->bar[bar];
	if (!b->set || !v->started) {
		ret = -ENXIO;
		goto out;
	}
	if ((u64)off + 4 > b->size) {
		ret = -ERANGE;
		goto out;
	}
	if (b->ram) {
		if (write)
			WRITE_ONCE(*(__le32 *)(b->mem + off), cpu_to_le32(*val));
		else
			*val = le32_to_cpu(READ_ONCE(*(__le32 *)(b->mem + off)));
	} else {
		if (write)
			writel(*val, b->io + off);
		else
			*val = readl(b->io + off);
	}
out:
	spin_unlock_irqrestore(&v->win_lock, flags);
	return ret;
}

/**
 * socbpf_vepc_host_read32() - a host's 32-bit read from an endpoint BAR
 * @epc: a socbpf virtual EPC (from pci_epc_get())
 * @bar: BAR number
 * @off: byte offset in the BAR, 4-aligned
 * @val: the value read
 *
 * Return: 0, -ENXIO if the BAR is not set or the controller not started,
 * -ERANGE past the BAR's size, -EINVAL for a bad argument or another EPC.
 */
int socbpf_vepc_host_read32(struct pci_epc *epc, enum pci_barno bar, u32 off,
			    u32 *val)
{
	return vepc_access(epc, bar, off, val, false);
}
EXPORT_SYMBOL_GPL(socbpf_vepc_host_read32);

/**
 * socbpf_vepc_host_write32() - a host's 32-bit write into an endpoint BAR
 * @epc: a socbpf virtual EPC (from pci_epc_get())
 * @bar: BAR number
 * @off: byte offset in the BAR, 4-aligned
 * @val: the value to write
 *
 * A write into a BAR mapped onto an MSI doorbell is a CPU store to that
 * doorbell, as the inbound translation of a real controller would make it.
 *
 * Return: as socbpf_vepc_host_read32().
 */
int socbpf_vepc_host_write32(struct pci_epc *epc, enum pci_barno bar, u32 off,
			     u32 val)
{
	return vepc_access(epc, bar, off, &val, true);
}
EXPORT_SYMBOL_GPL(socbpf_vepc_host_write32);

/**
 * socbpf_vepc_host_translate() - local address a host access to a BAR reaches
 * @epc: a socbpf virtual EPC (from pci_epc_get())
 * @bar: BAR number
 * @off: byte offset in the BAR
 * @len: length of the access
 * @phys: the local physical address @off translates to
 *
 * For a bus master on this machine (QEMU's edu) that stands in for the host's
 * DMA engine. The translation is valid only while the BAR stays set.
 *
 * Return: as socbpf_vepc_host_read32().
 */
int socbpf_vepc_host_translate(struct pci_epc *epc, enum pci_barno bar,
			       u32 off, u32 len, phys_addr_t *phys)
{
	struct vepc *v = vepc_of(epc);
	unsigned long flags;
	struct vepc_bar *b;
	int ret = 0;

	if (!v || bar >= PCI_STD_NUM_BARS || !len)
		return -EINVAL;
	spin_lock_irqsave(&v->win_lock, flags);
	b = &v->bar[bar];
	if (!b->set || !v->started)
		ret = -ENXIO;
	else if ((u64)off + len > b->size)
		ret = -ERANGE;
	else
		*phys = b->phys + off;
	spin_unlock_irqrestore(&v->win_lock, flags);
	return ret;
}
EXPORT_SYMBOL_GPL(socbpf_vepc_host_translate);

/* ---------------------------------------------------------- debugfs */

static int vepc_bars_show(struct seq_file *s, void *unused)
{
	struct vepc *v = s->private;
	unsigned long flags;
	int n;

	spin_lock_irqsave(&v->win_lock, flags);
	seq_printf(s, "started %d vendor 0x%04x device 0x%04x\n", v->started,
		   v->hdr.vendorid, v->hdr.deviceid);
	for (n = 0; n < PCI_STD_NUM_BARS; n++) {
		struct vepc_bar *b = &v->bar[n];

		if (!b->set)
			continue;
		seq_printf(s, "BAR%d %pa %llu %s\n", n, &b->phys, b->size,
			   b->ram ? "ram" : "mmio");
	}
	spin_unlock_irqrestore(&v->win_lock, flags);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(vepc_bars);

/* with fn_lock held */
static void vepc_fn_remove(struct vepc *v)
{
	struct pci_epf *epf = v->epf;

	if (!epf)
		return;
	pci_epc_stop(v->epc);
	pci_epf_unbind(epf);
	pci_epc_remove_epf(v->epc, epf, PRIMARY_INTERFACE);
	pci_epf_destroy(epf);
	v->epf = NULL;
	dev_info(v->dev, "function unbound\n");
}

/* with fn_lock held */
static int vepc_fn_add(struct vepc *v, const char *name)
{
	struct pci_epf *epf;
	int ret;

	if (v->epf)
		return -EBUSY;
	epf = pci_epf_create(name);
	if (IS_ERR(epf))
		return PTR_ERR(epf);
	if (!epf->driver) {
		/* no EPF driver of that name is loaded */
		ret = -ENODEV;
		goto err_destroy;
	}
	ret = pci_epc_add_epf(v->epc, epf, PRIMARY_INTERFACE);
	if (ret)
		goto err_destroy;
	ret = pci_epf_bind(epf);
	if (ret)
		goto err_remove;
	ret = pci_epc_start(v->epc);
	if (ret)
		goto err_unbind;
	v->epf = epf;
	dev_info(v->dev, "function %s bound\n", dev_name(&epf->dev));
	return 0;

err_unbind:
	pci_epf_unbind(epf);
err_remove:
	pci_epc_remove_epf(v->epc, epf, PRIMARY_INTERFACE);
err_destroy:
	pci_epf_destroy(epf);
	return ret;
}

static ssize_t vepc_fn_write(struct file *f, const char __user *ubuf,
			     size_t len, loff_t *ppos)
{
	struct vepc *v = file_inode(f)->i_private;
	char buf[32];
	int ret;

	if (len == 0 || len >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, len))
		return -EFAULT;
	buf[len] = '\0';
	strim(buf);
	if (!buf[0])
		return -EINVAL;

	mutex_lock(&v->fn_lock);
	if (!strcmp(buf, "none")) {
		vepc_fn_remove(v);
		ret = 0;
	} else {
		ret = vepc_fn_add(v, buf);
	}
	mutex_unlock(&v->fn_lock);
	return ret ? ret : len;
}

static ssize_t vepc_fn_read(struct file *f, char __user *ubuf, size_t len,
			    loff_t *ppos)
{
	struct vepc *v = file_inode(f)->i_private;
	char buf[64];
	int n;

	mutex_lock(&v->fn_lock);
	n = scnprintf(buf, sizeof(buf), "%s\n",
		      v->epf ? dev_name(&v->epf->dev) : "none");
	mutex_unlock(&v->fn_lock);
	return simple_read_from_buffer(ubuf, len, ppos, buf, n);
}

static const struct file_operations vepc_fn_fops = {
	.owner = THIS_MODULE,
	.read = vepc_fn_read,
	.write = vepc_fn_write,
	.llseek = default_llseek,
};

/* ---------------------------------------------------------- platform */

static int vepc_probe(struct platform_device *pdev)
{
	struct device *dev = &pdev->dev;
	struct vepc *v;
	int ret;

	v = devm_kzalloc(dev, sizeof(*v), GFP_KERNEL);
	if (!v)
		return -ENOMEM;
	v->dev = dev;
	mutex_init(&v->fn_lock);
	spin_lock_init(&v->win_lock);

	/* BAR memory comes from dma_alloc_coherent() on this device */
	ret = dma_set_mask_and_coherent(dev, DMA_BIT_MASK(64));
	if (ret)
		return ret;

	v->epc = devm_pci_epc_create(dev, &vepc_ops);
	if (IS_ERR(v->epc))
		return dev_err_probe(dev, PTR_ERR(v->epc), "pci_epc_create\n");
	v->epc->max_functions = 1;
	epc_set_drvdata(v->epc, v);
	platform_set_drvdata(pdev, v);

	v->dbg = debugfs_create_dir(dev_name(dev), NULL);
	debugfs_create_file("bars", 0400, v->dbg, v, &vepc_bars_fops);
	debugfs_create_file("function", 0600, v->dbg, v, &vepc_fn_fops);
	dev_info(dev, "virtual endpoint controller %s, MSI parent %s\n",
		 dev_name(&v->epc->dev),
		 dev_get_msi_domain(dev) ? "set" : "none");
	return 0;
}

static void vepc_remove(struct platform_device *pdev)
{
	struct vepc *v = platform_get_drvdata(pdev);

	debugfs_remove_recursive(v->dbg);
	mutex_lock(&v->fn_lock);
	vepc_fn_remove(v);
	mutex_unlock(&v->fn_lock);
}

static const struct of_device_id vepc_of_match[] = {
	{ .compatible = "socbpf,pci-epc-virt" },
	{ }
};
MODULE_DEVICE_TABLE(of, vepc_of_match);

static struct platform_driver vepc_driver = {
	.probe = vepc_probe,
	.remove = vepc_remove,
	.driver = {
		.name = "socbpf-pci-epc-virt",
		.of_match_table = vepc_of_match,
	},
};
module_platform_driver(vepc_driver);

MODULE_DESCRIPTION("socbpf virtual PCI endpoint controller");
MODULE_AUTHOR("socbpf");
MODULE_LICENSE("GPL");
