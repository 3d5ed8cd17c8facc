// SPDX-License-Identifier: GPL-2.0
/*
 * socbpf BAM-DMUX control port: the modem's QMI control channel as a WWAN
 * port (/dev/wwanXqmi0, registered with the kernel's WWAN subsystem as
 * upstream's drivers/net/wwan/rpmsg_wwan_ctrl.c registers the SMD/GLINK
 * DATA5_CNTL channel), whose far side is the character device
 * /dev/bam-dmux-ctl that the modem emulator holds open.
 *
 * Frames are QMUX (include/socbpf/qmux_wire.h), one per write()/read() on
 * either side.  This file moves them and never interprets QMI: it only
 * checks the framing of what the modem sends, as libqmi would, and drops
 * (and counts) a frame that would not parse, so a misbehaving modem cannot
 * feed the host's QMI stack garbage.  Host frames go to the modem unchanged.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/poll.h>
#include <linux/seq_file.h>
#include <linux/skbuff.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/wwan.h>

#include <socbpf/qmux_wire.h>

#include "dmux.h"

/* host frames the modem has not read yet, before writers block */
#define BAM_DMUX_CTRL_TXQ_MAX	64
/* largest frame either way (QMI messages over SMD are a few KiB at most) */
#define BAM_DMUX_CTRL_MAX_FRAME	8192

enum bam_dmux_ctrl_ctr {
	CTRL_TX_FRAMES,		/* host -> modem, read by the modem */
	CTRL_TX_BYTES,
	CTRL_TX_FULL,		/* host write refused: queue full */
	CTRL_TX_NOMODEM,	/* host write refused: no modem */
	CTRL_TX_PURGED,		/* host frames the modem left unread */
	CTRL_RX_FRAMES,		/* modem -> host, handed to the port */
	CTRL_RX_BYTES,
	CTRL_RX_CLOSED,		/* modem frame dropped: port not open */
	CTRL_RX_NOMEM,
	CTRL_NR_CTR,
};

static const char * const bam_dmux_ctrl_ctr_names[CTRL_NR_CTR] = {
	[CTRL_TX_FRAMES]	= "tx_frames",
	[CTRL_TX_BYTES]		= "tx_bytes",
	[CTRL_TX_FULL]		= "tx_full",
	[CTRL_TX_NOMODEM]	= "tx_nomodem",
	[CTRL_TX_PURGED]	= "tx_purged",
	[CTRL_RX_FRAMES]	= "rx_frames",
	[CTRL_RX_BYTES]		= "rx_bytes",
	[CTRL_RX_CLOSED]	= "drop_closed",
	[CTRL_RX_NOMEM]		= "drop_nomem",
};

struct bam_dmux_ctrl {
	struct miscdevice misc;		/* the modem's end */
	struct wwan_port *port;		/* the host's end */
	struct device *dev;
	spinlock_t lock;		/* modem_open, port_open, txq */
	struct sk_buff_head txq;	/* host -> modem */
	wait_queue_head_t modem_wq;
	unsigned long busy;
	bool modem_open;
	bool port_open;
	atomic64_t ctr[CTRL_NR_CTR];
	atomic64_t drops[QMUX_NR_ERR];
};

static inline void ctrl_inc(struct bam_dmux_ctrl *c, int i)
{
	atomic64_inc(&c->ctr[i]);
}

/* ------------------------------------------------------------ host side */

static int bam_dmux_ctrl_start(struct wwan_port *port)
{
	struct bam_dmux_ctrl *c = wwan_port_get_drvdata(port);

	spin_lock_bh(&c->lock);
	c->port_open = true;
	spin_unlock_bh(&c->lock);
	return 0;
}

static void bam_dmux_ctrl_stop(struct wwan_port *port)
{
	struct bam_dmux_ctrl *c = wwan_port_get_drvdata(port);

	spin_lock_bh(&c->lock);
	c->port_open = false;
	spin_unlock_bh(&c->lock);
}

/* The WWAN core frees @skb when this fails. */
static int bam_dmux_ctrl_tx(struct wwan_port *port, struct sk_buff *skb)
{
	struct bam_dmux_ctrl *c = wwan_port_get_drvdata(port);
	int ret = 0;

	if (skb->len > BAM_DMUX_CTRL_MAX_FRAME)
		return -EMSGSIZE;
	if (skb_linearize(skb))
		return -ENOMEM;
	spin_lock_bh(&c->lock);
	if (!c->modem_open) {
		ctrl_inc(c, CTRL_TX_NOMODEM);
		ret = -ENOTCONN;
	} else if (skb_queue_len(&c->txq) >= BAM_DMUX_CTRL_TXQ_MAX) {
		ctrl_inc(c, CTRL_TX_FULL);
		ret = -EAGAIN;
	} else {
		__skb_queue_tail(&c->txq, skb);
		/* writers wait in the WWAN core until the modem reads */
		if (skb_queue_len(&c->txq) >= BAM_DMUX_CTRL_TXQ_MAX)
			wwan_port_txoff(port);
	}
	spin_unlock_bh(&c->lock);
	if (!ret)
		wake_up_interruptible(&c->modem_wq);
	return ret;
}

static const struct wwan_port_ops bam_dmux_ctrl_port_ops = {
	.start	= bam_dmux_ctrl_start,
	.stop	= bam_dmux_ctrl_stop,
	.tx	= bam_dmux_ctrl_tx,
};

/* ------------------------------------------------------------ modem side */

static struct bam_dmux_ctrl *file_ctrl(struct file *file)
{
	return container_of(file->private_data, struct bam_dmux_ctrl, misc);
}

static int bam_dmux_ctrl_open(struct inode *inode, struct file *file)
{
	struct bam_dmux_ctrl *c = file_ctrl(file);

	if (test_and_set_bit(0, &c->busy))
		return -EBUSY;
	stream_open(inode, file);
	spin_lock_bh(&c->lock);
	c->modem_open = true;
	spin_unlock_bh(&c->lock);
	return 0;
}

static int bam_dmux_ctrl_release(struct inode *inode, struct file *file)
{
	struct bam_dmux_ctrl *c = file_ctrl(file);
	unsigned int n;

	spin_lock_bh(&c->lock);
	c->modem_open = false;
	n = skb_queue_len(&c->txq);
	__skb_queue_purge(&c->txq);
	spin_unlock_bh(&c->lock);
	atomic64_add(n, &c->ctr[CTRL_TX_PURGED]);
	/* blocked writers wake up and find no modem */
	wwan_port_txon(c->port);
	clear_bit(0, &c->busy);
	return 0;
}

static bool bam_dmux_ctrl_has_tx(struct bam_dmux_ctrl *c)
{
	bool ret;

	spin_lock_bh(&c->lock);
	ret = !skb_queue_empty(&c->txq);
	spin_unlock_bh(&c->lock);
	return ret;
}

/* The modem reads one host frame. */
static ssize_t bam_dmux_ctrl_read(struct file *file, char __user *ubuf,
				  size_t count, loff_t *ppos)
{
	struct bam_dmux_ctrl *c = file_ctrl(file);
	struct sk_buff *skb;
	ssize_t ret;

	for (;;) {
		spin_lock_bh(&c->lock);
		skb = skb_peek(&c->txq);
		if (skb && count >= skb->len)
			__skb_unlink(skb, &c->txq);
		spin_unlock_bh(&c->lock);
		if (skb)
			break;
		if (file->f_flags & O_NONBLOCK)
			return -EAGAIN;
		ret = wait_event_interruptible(c->modem_wq,
					       bam_dmux_ctrl_has_tx(c));
		if (ret)
			return ret;
	}
	if (count < skb->len)
		return -EMSGSIZE;	/* left queued for a larger read */
	wwan_port_txon(c->port);
	ret = skb->len;
	if (copy_to_user(ubuf, skb->data, skb->len)) {
		ret = -EFAULT;
	} else {
		ctrl_inc(c, CTRL_TX_FRAMES);
		atomic64_add(skb->len, &c->ctr[CTRL_TX_BYTES]);
	}
	consume_skb(skb);
	return ret;
}

/* The modem sends one frame to the host. */
static ssize_t bam_dmux_ctrl_write(struct file *file, const char __user *ubuf,
				   size_t count, loff_t *ppos)
{
	struct bam_dmux_ctrl *c = file_ctrl(file);
	struct sk_buff *skb;
	bool open;
	int err;

	if (!count)
		return 0;
	if (count > BAM_DMUX_CTRL_MAX_FRAME)
		return -EMSGSIZE;
	skb = alloc_skb(count, GFP_KERNEL);
	if (!skb) {
		ctrl_inc(c, CTRL_RX_NOMEM);
		return -ENOMEM;
	}
	if (copy_from_user(skb_put(skb, count), ubuf, count)) {
		kfree_skb(skb);
		return -EFAULT;
	}
	err = qmux_wire_parse(skb->data, skb->len, NULL);
	if (err) {
		atomic64_inc(&c->drops[err]);
		dev_warn_ratelimited(c->dev, "bad QMUX frame from the modem (%s, %zu bytes) dropped\n",
				     qmux_wire_err_name(err), count);
		kfree_skb(skb);
		return count;
	}
	spin_lock_bh(&c->lock);
	open = c->port_open;
	spin_unlock_bh(&c->lock);
	if (!open) {
		ctrl_inc(c, CTRL_RX_CLOSED);
		kfree_skb(skb);
		return count;
	}
	ctrl_inc(c, CTRL_RX_FRAMES);
	atomic64_add(count, &c->ctr[CTRL_RX_BYTES]);
	wwan_port_rx(c->port, skb);
	return count;
}

static __poll_t bam_dmux_ctrl_poll(struct file *file, poll_table *wait)
{
	struct bam_dmux_ctrl *c = file_ctrl(file);
	__poll_t mask = EPOLLOUT | EPOLLWRNORM;

	poll_wait(file, &c->modem_wq, wait);
	if (bam_dmux_ctrl_has_tx(c))
		mask |= EPOLLIN | EPOLLRDNORM;
	return mask;
}

static const struct file_operations bam_dmux_ctrl_fops = {
	.owner		= THIS_MODULE,
	.open		= bam_dmux_ctrl_open,
	.release	= bam_dmux_ctrl_release,
	.read		= bam_dmux_ctrl_read,
	.write		= bam_dmux_ctrl_write,
	.poll		= bam_dmux_ctrl_poll,
};

/* ------------------------------------------------------------ debugfs */

static int bam_dmux_ctrl_stats_show(struct seq_file *s, void *unused)
{
	struct bam_dmux_ctrl *c = s->private;
	int i;

	seq_printf(s, "modem_open %d\n", READ_ONCE(c->modem_open));
	seq_printf(s, "port_open %d\n", READ_ONCE(c->port_open));
	seq_printf(s, "txq %u\n", skb_queue_len_lockless(&c->txq));
	for (i = 0; i < CTRL_NR_CTR; i++)
		seq_printf(s, "%s %lld\n", bam_dmux_ctrl_ctr_names[i],
			   atomic64_read(&c->ctr[i]));
	for (i = 1; i < QMUX_NR_ERR; i++)
		seq_printf(s, "drop_%s %lld\n", qmux_wire_err_name(i),
			   atomic64_read(&c->drops[i]));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(bam_dmux_ctrl_stats);

/* ------------------------------------------------------------ life cycle */

/**
 * bam_dmux_ctrl_create() - the QMI control port and its modem end
 * @dmux: the driver instance (its device is the WWAN parent, shared with
 *        the wwanN netdevs)
 *
 * Return: 0 or a negative errno.
 */
int bam_dmux_ctrl_create(struct bam_dmux *dmux)
{
	struct bam_dmux_ctrl *c;
	int ret;

	c = kzalloc(sizeof(*c), GFP_KERNEL);
	if (!c)
		return -ENOMEM;
	c->dev = dmux->dev;
	spin_lock_init(&c->lock);
	skb_queue_head_init(&c->txq);
	init_waitqueue_head(&c->modem_wq);
	c->misc.minor = MISC_DYNAMIC_MINOR;
	c->misc.name = "bam-dmux-ctl";
	c->misc.fops = &bam_dmux_ctrl_fops;
	c->misc.mode = 0600;
	ret = misc_register(&c->misc);
	if (ret)
		goto err_free;
	c->port = wwan_create_port(dmux->dev, WWAN_PORT_QMI,
				   &bam_dmux_ctrl_port_ops, NULL, c);
	if (IS_ERR(c->port)) {
		ret = PTR_ERR(c->port);
		goto err_misc;
	}
	debugfs_create_file("ctrl", 0444, dmux->dbg, c,
			    &bam_dmux_ctrl_stats_fops);
	dmux->ctrl = c;
	return 0;

err_misc:
	misc_deregister(&c->misc);
err_free:
	kfree(c);
	return ret;
}

/**
 * bam_dmux_ctrl_destroy() - remove the port and the modem's end
 * @dmux: the driver instance
 *
 * The modem's end cannot be open here (an open file holds the module); the
 * port's readers see it unplugged (the WWAN core returns -ENODEV).
 */
void bam_dmux_ctrl_destroy(struct bam_dmux *dmux)
{
	struct bam_dmux_ctrl *c = dmux->ctrl;

	if (!c)
		return;
	debugfs_lookup_and_remove("ctrl", dmux->dbg);
	wwan_remove_port(c->port);
	misc_deregister(&c->misc);
	skb_queue_purge(&c->txq);
	kfree(c);
	dmux->ctrl = NULL;
}
