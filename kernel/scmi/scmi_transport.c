// SPDX-License-Identifier: GPL-2.0
/*
 * socbpf SCMI transport: the /dev/scmi-platform misc character device.
 *
 * A userspace SCMI platform (tools/scmi-platform) opens the device, which
 * brings the platform up.  Each read() returns one A2P command in the
 * virtio-scmi message format; each write() delivers one P2A message (a
 * response, a delayed response or a notification).  poll() reports
 * readable commands.  Closing the device (or the platform dying) brings the
 * platform down: pending transfers fail with -ECONNRESET and new ones get
 * -ENOTCONN until the device is opened again.  One opener at a time.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/poll.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "scmi_core.h"

static unsigned int max_inflight = 32;
module_param(max_inflight, uint, 0644);
MODULE_PARM_DESC(max_inflight,
		 "Transfers in flight on the transport (1-256, applied when the platform connects)");

struct scmi_txmsg {
	struct list_head node;
	size_t len;
	u8 data[SCMI_WIRE_MAX_MSG];
};

/* A2P messages: a cache of their own, so one left over shows at unload */
static struct kmem_cache *scmi_txmsg_cache;

static unsigned long scmi_dev_busy;

/**
 * scmi_transport_max_inflight() - in-flight limit of the transport
 *
 * Return: the max_inflight module parameter clamped to 1..SCMI_MAX_INFLIGHT.
 */
unsigned int scmi_transport_max_inflight(void)
{
	return clamp_t(unsigned int, READ_ONCE(max_inflight), 1,
		       SCMI_MAX_INFLIGHT);
}

/**
 * scmi_transport_queue() - queue an A2P message for the platform to read
 * @hdr:     message header
 * @payload: payload bytes
 * @len:     payload length
 * @session: platform session the command belongs to (struct scmi_xfer)
 *
 * A command is only ever read by the platform of its session: one whose
 * platform went away (and maybe came back) while it was being built is not
 * queued, since its transfer has already been failed.
 *
 * Return: 0, -ENOTCONN when no platform is connected, -ECONNRESET when the
 * platform of @session went away, -ENOMEM, -EMSGSIZE.
 */
int scmi_transport_queue(const struct scmi_wire_hdr *hdr, const void *payload,
			 size_t len, u32 session)
{
	struct scmi_agent *ag = &scmi_agent;
	struct scmi_txmsg *msg;
	int ret;

	msg = kmem_cache_alloc(scmi_txmsg_cache, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	ret = scmi_wire_build(msg->data, sizeof(msg->data), hdr, payload, len);
	if (ret < 0)
		goto err_free;
	msg->len = ret;

	spin_lock_irq(&ag->lock);
	if (ag->session != session)
		ret = -ECONNRESET;
	else if (!ag->up)
		ret = -ENOTCONN;
	else
		ret = 0;
	if (ret) {
		spin_unlock_irq(&ag->lock);
		goto err_free;
	}
	list_add_tail(&msg->node, &ag->txq);
	ag->txq_len++;
	spin_unlock_irq(&ag->lock);
	wake_up_interruptible(&ag->tx_wq);
	return 0;

err_free:
	kmem_cache_free(scmi_txmsg_cache, msg);
	return ret;
}

/**
 * scmi_transport_purge() - drop every A2P message not read yet
 */
void scmi_transport_purge(void)
{
	struct scmi_agent *ag = &scmi_agent;
	struct scmi_txmsg *msg, *tmp;
	LIST_HEAD(head);

	spin_lock_irq(&ag->lock);
	list_splice_init(&ag->txq, &head);
	ag->txq_len = 0;
	spin_unlock_irq(&ag->lock);
	list_for_each_entry_safe(msg, tmp, &head, node) {
		list_del(&msg->node);
		kmem_cache_free(scmi_txmsg_cache, msg);
	}
}

static int scmi_dev_open(struct inode *inode, struct file *file)
{
	if (test_and_set_bit(0, &scmi_dev_busy))
		return -EBUSY;
	stream_open(inode, file);
	scmi_platform_connected();
	return 0;
}

static int scmi_dev_release(struct inode *inode, struct file *file)
{
	scmi_platform_disconnected();
	clear_bit(0, &scmi_dev_busy);
	return 0;
}

static bool scmi_txq_ready(struct scmi_agent *ag)
{
	bool ready;

	spin_lock_irq(&ag->lock);
	ready = !list_empty(&ag->txq);
	spin_unlock_irq(&ag->lock);
	return ready;
}

static ssize_t scmi_dev_read(struct file *file, char __user *ubuf,
			     size_t count, loff_t *ppos)
{
	struct scmi_agent *ag = &scmi_agent;
	struct scmi_txmsg *msg;
	ssize_t ret;

	for (;;) {
		spin_lock_irq(&ag->lock);
		msg = list_first_entry_or_null(&ag->txq, struct scmi_txmsg,
					       node);
		if (msg) {
			if (count < msg->len) {
				spin_unlock_irq(&ag->lock);
				return -EMSGSIZE;
			}
			list_del(&msg->node);
			ag->txq_len--;
			spin_unlock_irq(&ag->lock);
			break;
		}
		spin_unlock_irq(&ag->lock);
		if (file->f_flags & O_NONBLOCK)
			return -EAGAIN;
		ret = wait_event_interruptible(ag->tx_wq, scmi_txq_ready(ag));
		if (ret)
			return ret;
	}

	if (copy_to_user(ubuf, msg->data, msg->len)) {
		/*
		 * Nothing reached the platform: put the command back at the
		 * head, where the next read finds it, instead of losing it
		 * (its transfer would time out for a bad buffer).
		 */
		spin_lock_irq(&ag->lock);
		list_add(&msg->node, &ag->txq);
		ag->txq_len++;
		spin_unlock_irq(&ag->lock);
		return -EFAULT;
	}
	ret = msg->len;
	kmem_cache_free(scmi_txmsg_cache, msg);
	return ret;
}

static ssize_t scmi_dev_write(struct file *file, const char __user *ubuf,
			      size_t count, loff_t *ppos)
{
	u8 buf[SCMI_WIRE_MAX_MSG];
	int ret;

	if (count > SCMI_WIRE_MAX_MSG) {
		scmi_rx_malformed(count, SCMI_WIRE_ELONG);
		return -EMSGSIZE;
	}
	if (copy_from_user(buf, ubuf, count))
		return -EFAULT;
	ret = scmi_rx_message(buf, count);
	return ret ? ret : count;
}

static __poll_t scmi_dev_poll(struct file *file, poll_table *wait)
{
	struct scmi_agent *ag = &scmi_agent;
	__poll_t mask = EPOLLOUT | EPOLLWRNORM;

	poll_wait(file, &ag->tx_wq, wait);
	if (scmi_txq_ready(ag))
		mask |= EPOLLIN | EPOLLRDNORM;
	return mask;
}

static const struct file_operations scmi_dev_fops = {
	.owner		= THIS_MODULE,
	.open		= scmi_dev_open,
	.release	= scmi_dev_release,
	.read		= scmi_dev_read,
	.write		= scmi_dev_write,
	.poll		= scmi_dev_poll,
};

static struct miscdevice scmi_miscdev = {
	.minor	= MISC_DYNAMIC_MINOR,
	.name	= "scmi-platform",
	.fops	= &scmi_dev_fops,
	.mode	= 0600,
};

/**
 * scmi_transport_init() - create the message cache, register /dev/scmi-platform
 *
 * Return: 0, -ENOMEM or -errno from misc_register().
 */
int scmi_transport_init(void)
{
	int ret;

	/* read() copies data[] to the platform: the usercopy whitelist */
	scmi_txmsg_cache = kmem_cache_create_usercopy("socbpf_scmi_txmsg",
						      sizeof(struct scmi_txmsg), 0,
						      SLAB_NO_MERGE,
						      offsetof(struct scmi_txmsg, data),
						      sizeof_field(struct scmi_txmsg, data),
						      NULL);
	if (!scmi_txmsg_cache)
		return -ENOMEM;
	ret = misc_register(&scmi_miscdev);
	if (ret)
		goto err_cache;
	return 0;

err_cache:
	kmem_cache_destroy(scmi_txmsg_cache);
	return ret;
}

/**
 * scmi_transport_exit() - unregister /dev/scmi-platform
 */
void scmi_transport_exit(void)
{
	misc_deregister(&scmi_miscdev);
	scmi_transport_purge();
	kmem_cache_destroy(scmi_txmsg_cache);
}
