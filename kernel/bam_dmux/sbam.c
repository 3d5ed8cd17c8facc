// SPDX-License-Identifier: GPL-2.0
/*
 * socbpf software BAM: a DMA-engine-like RX/TX channel pair and two words of
 * state bits, whose far side is a character device (/dev/bam-dmux-modem)
 * opened by a userspace modem (tools/bam-modem).  See sbam.h for the client
 * API and include/uapi/linux/socbpf_bam_dmux.h for the device's.
 *
 * Descriptors are owned by the client; the channel only links them on its
 * queue.  The far side moves one frame per read()/write(); the descriptor
 * is taken off the queue under the channel's lock, filled or drained
 * without it, and completed under the channel's transfer mutex, which
 * sbam_terminate_sync() also takes: once it returns, no descriptor of that
 * channel is in use and every one of them has been completed.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/mutex.h>
#include <linux/poll.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/uaccess.h>
#include <linux/wait.h>

#include <uapi/linux/socbpf_bam_dmux.h>

#include "sbam.h"

#define SBAM_MODEM_BITS	(BAM_DMUX_MODEM_POWER_CTRL | BAM_DMUX_MODEM_POWER_ACK)

struct sbam_chan {
	struct list_head queue;		/* pending descriptors, under sbam.lock */
	struct mutex xfer_lock;		/* a transfer or a terminate in progress */
	bool active;			/* RX: buffers queued since last terminate */
};

struct sbam {
	struct miscdevice misc;
	char name[32];
	spinlock_t lock;		/* queues, state words */
	wait_queue_head_t wq;		/* far side: frames, buffers, state */
	struct sbam_chan chan[SBAM_NR_DIR];
	bool connected;
	unsigned long busy;
	u32 host_bits, modem_bits;
	u32 host_changes, host_acks, host_votes, host_changes_seen;
	struct mutex state_lock;	/* client binding, remote_state() calls */
	const struct sbam_client_ops *ops;
	void *priv;
};

static void sbam_complete(struct sbam_desc *desc, unsigned int actual,
			  int status)
{
	local_bh_disable();
	desc->done(desc, actual, status);
	local_bh_enable();
}

/* Complete every queued descriptor of @dir with @status. */
static void sbam_flush(struct sbam *sb, enum sbam_dir dir, int status)
{
	struct sbam_chan *ch = &sb->chan[dir];
	struct sbam_desc *desc, *tmp;
	LIST_HEAD(head);

	mutex_lock(&ch->xfer_lock);
	spin_lock_irq(&sb->lock);
	list_splice_init(&ch->queue, &head);
	if (dir == SBAM_RX)
		ch->active = false;
	spin_unlock_irq(&sb->lock);
	list_for_each_entry_safe(desc, tmp, &head, node) {
		list_del_init(&desc->node);
		sbam_complete(desc, 0, status);
	}
	mutex_unlock(&ch->xfer_lock);
	wake_up_interruptible(&sb->wq);
}

/**
 * sbam_submit() - queue a descriptor on a channel
 * @sb:   the software BAM
 * @dir:  SBAM_RX (a buffer for the far side to fill) or SBAM_TX
 * @desc: the transfer; ->done() is called exactly once if this returns 0
 *
 * May be called from any context.
 *
 * Return: 0, -EINVAL for an empty descriptor, -ENOTCONN (TX only) when no
 * far side is connected.
 */
int sbam_submit(struct sbam *sb, enum sbam_dir dir, struct sbam_desc *desc)
{
	unsigned long flags;

	if (!desc->len || !desc->buf || !desc->done || dir >= SBAM_NR_DIR)
		return -EINVAL;
	spin_lock_irqsave(&sb->lock, flags);
	if (dir == SBAM_TX && !sb->connected) {
		spin_unlock_irqrestore(&sb->lock, flags);
		return -ENOTCONN;
	}
	list_add_tail(&desc->node, &sb->chan[dir].queue);
	if (dir == SBAM_RX)
		sb->chan[dir].active = true;
	spin_unlock_irqrestore(&sb->lock, flags);
	wake_up_interruptible(&sb->wq);
	return 0;
}

/**
 * sbam_terminate_sync() - cancel a channel's pending transfers
 * @sb:  the software BAM
 * @dir: channel
 *
 * Waits for a transfer in progress, then completes every queued descriptor
 * with -ECANCELED.  The RX channel is inactive afterwards (the far side's
 * writes fail with ENOLINK) until a buffer is submitted again.  Sleeps.
 */
void sbam_terminate_sync(struct sbam *sb, enum sbam_dir dir)
{
	sbam_flush(sb, dir, -ECANCELED);
}

/**
 * sbam_state_update() - change the host's state bits
 * @sb:    the software BAM
 * @mask:  BAM_DMUX_HOST_* bits to change
 * @value: their new values
 */
void sbam_state_update(struct sbam *sb, u32 mask, u32 value)
{
	unsigned long flags;
	u32 new;

	spin_lock_irqsave(&sb->lock, flags);
	new = (sb->host_bits & ~mask) | (value & mask);
	if (new != sb->host_bits) {
		if ((new ^ sb->host_bits) & BAM_DMUX_HOST_POWER_ACK)
			sb->host_acks++;
		if ((new ^ sb->host_bits) & BAM_DMUX_HOST_POWER_VOTE)
			sb->host_votes++;
		sb->host_bits = new;
		sb->host_changes++;
	}
	spin_unlock_irqrestore(&sb->lock, flags);
	wake_up_interruptible(&sb->wq);
}

/**
 * sbam_remote_state() - the far side's state bits
 * @sb: the software BAM
 *
 * Return: BAM_DMUX_MODEM_* bits (0 while nobody is connected).
 */
u32 sbam_remote_state(struct sbam *sb)
{
	return READ_ONCE(sb->modem_bits);
}

/**
 * sbam_remote_connected() - is a far side attached
 * @sb: the software BAM
 *
 * Return: true while the modem holds the device open.
 */
bool sbam_remote_connected(struct sbam *sb)
{
	return READ_ONCE(sb->connected);
}

/**
 * sbam_bind() - attach the client that gets the far side's events
 * @sb:   the software BAM
 * @ops:  callbacks
 * @priv: their argument
 *
 * Return: 0, or -EBUSY when a client is bound already.
 */
int sbam_bind(struct sbam *sb, const struct sbam_client_ops *ops, void *priv)
{
	int ret = 0;

	mutex_lock(&sb->state_lock);
	if (sb->ops) {
		ret = -EBUSY;
	} else {
		sb->priv = priv;
		sb->ops = ops;
	}
	mutex_unlock(&sb->state_lock);
	return ret;
}

/**
 * sbam_unbind() - detach the client; waits for callbacks in progress
 * @sb: the software BAM
 */
void sbam_unbind(struct sbam *sb)
{
	mutex_lock(&sb->state_lock);
	sb->ops = NULL;
	sb->priv = NULL;
	mutex_unlock(&sb->state_lock);
}

/* Far side sets its bits; the client hears of it as from an interrupt. */
static void sbam_remote_set(struct sbam *sb, u32 mask, u32 value)
{
	u32 old, new;

	mutex_lock(&sb->state_lock);
	spin_lock_irq(&sb->lock);
	old = sb->modem_bits;
	new = (old & ~mask) | (value & mask);
	WRITE_ONCE(sb->modem_bits, new);
	spin_unlock_irq(&sb->lock);
	if (new != old && sb->ops)
		sb->ops->remote_state(sb->priv, old ^ new, new);
	mutex_unlock(&sb->state_lock);
}

static struct sbam *file_sbam(struct file *file)
{
	return container_of(file->private_data, struct sbam, misc);
}

static int sbam_open(struct inode *inode, struct file *file)
{
	struct sbam *sb = file_sbam(file);

	if (test_and_set_bit(0, &sb->busy))
		return -EBUSY;
	stream_open(inode, file);
	spin_lock_irq(&sb->lock);
	sb->connected = true;
	sb->host_changes_seen = sb->host_changes - 1;	/* state to read */
	spin_unlock_irq(&sb->lock);
	return 0;
}

static int sbam_release(struct inode *inode, struct file *file)
{
	struct sbam *sb = file_sbam(file);

	spin_lock_irq(&sb->lock);
	sb->connected = false;
	spin_unlock_irq(&sb->lock);
	/* a modem that dies drops its bits, its frames are never sent */
	sbam_remote_set(sb, SBAM_MODEM_BITS, 0);
	sbam_flush(sb, SBAM_TX, -ECONNRESET);
	mutex_lock(&sb->state_lock);
	if (sb->ops)
		sb->ops->remote_reset(sb->priv);
	mutex_unlock(&sb->state_lock);
	clear_bit(0, &sb->busy);
	return 0;
}

static bool sbam_has(struct sbam *sb, enum sbam_dir dir)
{
	bool ret;

	spin_lock_irq(&sb->lock);
	ret = !list_empty(&sb->chan[dir].queue);
	spin_unlock_irq(&sb->lock);
	return ret;
}

static bool sbam_rx_ready(struct sbam *sb)
{
	bool ret;

	spin_lock_irq(&sb->lock);
	ret = !list_empty(&sb->chan[SBAM_RX].queue) || !sb->chan[SBAM_RX].active;
	spin_unlock_irq(&sb->lock);
	return ret;
}

/* The modem drains one TX frame. */
static ssize_t sbam_read(struct file *file, char __user *ubuf, size_t count,
			 loff_t *ppos)
{
	struct sbam *sb = file_sbam(file);
	struct sbam_chan *ch = &sb->chan[SBAM_TX];
	struct sbam_desc *desc;
	ssize_t ret;

	for (;;) {
		if (!(file->f_flags & O_NONBLOCK)) {
			ret = wait_event_interruptible(sb->wq, sbam_has(sb, SBAM_TX));
			if (ret)
				return ret;
		}
		mutex_lock(&ch->xfer_lock);
		spin_lock_irq(&sb->lock);
		desc = list_first_entry_or_null(&ch->queue, struct sbam_desc,
						node);
		if (desc && count >= desc->len)
			list_del_init(&desc->node);
		spin_unlock_irq(&sb->lock);
		if (desc)
			break;
		mutex_unlock(&ch->xfer_lock);
		if (file->f_flags & O_NONBLOCK)
			return -EAGAIN;
	}
	if (count < desc->len) {
		mutex_unlock(&ch->xfer_lock);
		return -EMSGSIZE;
	}
	ret = desc->len;
	if (copy_to_user(ubuf, desc->buf, desc->len))
		ret = -EFAULT;
	sbam_complete(desc, ret < 0 ? 0 : desc->len, ret < 0 ? -EIO : 0);
	mutex_unlock(&ch->xfer_lock);
	return ret;
}

/* The modem fills the next RX buffer with one frame. */
static ssize_t sbam_write(struct file *file, const char __user *ubuf,
			  size_t count, loff_t *ppos)
{
	struct sbam *sb = file_sbam(file);
	struct sbam_chan *ch = &sb->chan[SBAM_RX];
	struct sbam_desc *desc;
	ssize_t ret;

	if (!count)
		return 0;
	for (;;) {
		if (!(file->f_flags & O_NONBLOCK)) {
			ret = wait_event_interruptible(sb->wq, sbam_rx_ready(sb));
			if (ret)
				return ret;
		}
		mutex_lock(&ch->xfer_lock);
		spin_lock_irq(&sb->lock);
		desc = list_first_entry_or_null(&ch->queue, struct sbam_desc,
						node);
		if (!desc) {
			ret = ch->active ? -EAGAIN : -ENOLINK;
		} else if (count > desc->len) {
			ret = -EMSGSIZE;
		} else {
			list_del_init(&desc->node);
			ret = 0;
		}
		spin_unlock_irq(&sb->lock);
		if (!ret)
			break;
		mutex_unlock(&ch->xfer_lock);
		if (ret != -EAGAIN || (file->f_flags & O_NONBLOCK))
			return ret;
	}
	ret = count;
	if (copy_from_user(desc->buf, ubuf, count))
		ret = -EFAULT;
	sbam_complete(desc, ret < 0 ? 0 : count, ret < 0 ? -EIO : 0);
	mutex_unlock(&ch->xfer_lock);
	return ret;
}

static __poll_t sbam_poll(struct file *file, poll_table *wait)
{
	struct sbam *sb = file_sbam(file);
	__poll_t mask = 0;

	poll_wait(file, &sb->wq, wait);
	spin_lock_irq(&sb->lock);
	if (!list_empty(&sb->chan[SBAM_TX].queue))
		mask |= EPOLLIN | EPOLLRDNORM;
	if (!list_empty(&sb->chan[SBAM_RX].queue))
		mask |= EPOLLOUT | EPOLLWRNORM;
	if (sb->host_changes != sb->host_changes_seen)
		mask |= EPOLLPRI;
	spin_unlock_irq(&sb->lock);
	return mask;
}

static long sbam_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	struct sbam *sb = file_sbam(file);
	void __user *uarg = (void __user *)arg;
	struct bam_dmux_state_set set;
	struct bam_dmux_state st;

	switch (cmd) {
	case BAM_DMUX_IOC_GET_STATE:
		spin_lock_irq(&sb->lock);
		st.host = sb->host_bits;
		st.modem = sb->modem_bits;
		st.host_changes = sb->host_changes;
		st.host_acks = sb->host_acks;
		st.host_votes = sb->host_votes;
		st.reserved = 0;
		sb->host_changes_seen = sb->host_changes;
		spin_unlock_irq(&sb->lock);
		return copy_to_user(uarg, &st, sizeof(st)) ? -EFAULT : 0;
	case BAM_DMUX_IOC_SET_STATE:
		if (copy_from_user(&set, uarg, sizeof(set)))
			return -EFAULT;
		if ((set.mask | set.value) & ~SBAM_MODEM_BITS)
			return -EINVAL;
		sbam_remote_set(sb, set.mask, set.value);
		return 0;
	default:
		return -ENOTTY;
	}
}

static const struct file_operations sbam_fops = {
	.owner		= THIS_MODULE,
	.open		= sbam_open,
	.release	= sbam_release,
	.read		= sbam_read,
	.write		= sbam_write,
	.poll		= sbam_poll,
	.unlocked_ioctl	= sbam_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
};

/**
 * sbam_create() - a software BAM with its far side at /dev/@name
 * @name: device node name
 *
 * Return: the sbam or an ERR_PTR().
 */
struct sbam *sbam_create(const char *name)
{
	struct sbam *sb;
	int i, ret;

	sb = kzalloc(sizeof(*sb), GFP_KERNEL);
	if (!sb)
		return ERR_PTR(-ENOMEM);
	strscpy(sb->name, name, sizeof(sb->name));
	spin_lock_init(&sb->lock);
	init_waitqueue_head(&sb->wq);
	mutex_init(&sb->state_lock);
	for (i = 0; i < SBAM_NR_DIR; i++) {
		INIT_LIST_HEAD(&sb->chan[i].queue);
		mutex_init(&sb->chan[i].xfer_lock);
	}
	sb->misc.minor = MISC_DYNAMIC_MINOR;
	sb->misc.name = sb->name;
	sb->misc.fops = &sbam_fops;
	sb->misc.mode = 0600;
	ret = misc_register(&sb->misc);
	if (ret)
		goto err_free;
	return sb;

err_free:
	kfree(sb);
	return ERR_PTR(ret);
}

/**
 * sbam_destroy() - remove the device node and free the sbam
 * @sb: the software BAM, its client unbound and its channels terminated
 *
 * The device cannot be open here: an open file holds the module.
 */
void sbam_destroy(struct sbam *sb)
{
	misc_deregister(&sb->misc);
	WARN_ON(!list_empty(&sb->chan[SBAM_RX].queue) ||
		!list_empty(&sb->chan[SBAM_TX].queue));
	kfree(sb);
}
