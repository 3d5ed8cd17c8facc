// SPDX-License-Identifier: GPL-2.0
/*
 * socbpf_qrtr tun backend: /dev/qrtr-tun, upstream qrtr-tun framing.
 *
 * One open file is one endpoint; a write() is one frame from the "device",
 * a read() returns one frame for it.  QRTR_TUN_SET_KEY names the device
 * before it is used; the endpoint registers with the router on the first
 * read, write, poll or QRTR_TUN_GET_INFO, so a pre-assigned id for the key
 * is picked up.  Closing the file removes the endpoint.
 */
#define pr_fmt(fmt) "socbpf_qrtr: tun: " fmt

#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/poll.h>
#include <linux/skbuff.h>
#include <linux/slab.h>
#include <linux/uio.h>

#include <socbpf/qrtr_policy_abi.h>

#include "qrtr.h"

static unsigned int tun_txq_max = 512;
module_param(tun_txq_max, uint, 0644);
MODULE_PARM_DESC(tun_txq_max,
		 "Frames queued for a qrtr-tun reader before tx fails (default 512)");

#define QRTR_TUN_FRAME_MAX \
	(sizeof(struct qrtr_wire_hdr_v1) + QRTR_WIRE_MAX_PAYLOAD + 3)
/* frames up to this size are read straight into an skb */
#define QRTR_TUN_SKB_MAX	(16 * 1024)

/**
 * struct qrtr_tun - one open /dev/qrtr-tun
 * @ep: router endpoint
 * @lock: guards @key and @registered
 * @registered: @ep is registered with the router
 * @key: device key (per-device data of the endpoint)
 * @queue: frames waiting for read()
 * @readq: readers and pollers
 */
struct qrtr_tun {
	struct socbpf_qrtr_endpoint ep;
	struct mutex lock;		/* guards key and registered */
	bool registered;
	char key[QRTR_TUN_KEY_MAX];
	struct sk_buff_head queue;
	wait_queue_head_t readq;
};

static atomic_t qrtr_tun_seq = ATOMIC_INIT(0);

static int qrtr_tun_xmit(struct socbpf_qrtr_endpoint *ep, struct sk_buff *skb)
{
	struct qrtr_tun *tun = container_of(ep, struct qrtr_tun, ep);

	if (skb_queue_len(&tun->queue) >= READ_ONCE(tun_txq_max)) {
		kfree_skb(skb);
		return -ENOBUFS;
	}
	skb_queue_tail(&tun->queue, skb);
	wake_up_interruptible(&tun->readq);
	return 0;
}

static int qrtr_tun_activate(struct qrtr_tun *tun)
{
	int rc = 0;

	/* pairs with the release below: a registered ep is fully set up */
	if (smp_load_acquire(&tun->registered))
		return 0;
	mutex_lock(&tun->lock);
	if (!tun->registered) {
		rc = socbpf_qrtr_endpoint_register(&tun->ep, tun->key,
						   strlen(tun->key));
		/* publish only once registered, for the lockless check */
		smp_store_release(&tun->registered, !rc);
	}
	mutex_unlock(&tun->lock);
	return rc;
}

static int qrtr_tun_open(struct inode *inode, struct file *filp)
{
	struct qrtr_tun *tun;

	tun = kzalloc(sizeof(*tun), GFP_KERNEL);
	if (!tun)
		return -ENOMEM;
	mutex_init(&tun->lock);
	skb_queue_head_init(&tun->queue);
	init_waitqueue_head(&tun->readq);
	tun->ep.xmit = qrtr_tun_xmit;
	tun->ep.kind = QRTR_BACKEND_TUN;
	snprintf(tun->key, sizeof(tun->key), "tun-%u",
		 atomic_inc_return(&qrtr_tun_seq));
	filp->private_data = tun;
	return stream_open(inode, filp);
}

static ssize_t qrtr_tun_read_iter(struct kiocb *iocb, struct iov_iter *to)
{
	struct qrtr_tun *tun = iocb->ki_filp->private_data;
	struct sk_buff *skb;
	size_t count;
	int rc;

	rc = qrtr_tun_activate(tun);
	if (rc)
		return rc;

	while (!(skb = skb_dequeue(&tun->queue))) {
		if (iocb->ki_filp->f_flags & O_NONBLOCK)
			return -EAGAIN;
		rc = wait_event_interruptible(tun->readq,
					      !skb_queue_empty(&tun->queue));
		if (rc)
			return rc;
	}

	count = min_t(size_t, iov_iter_count(to), skb->len);
	if (copy_to_iter(skb->data, count, to) != count) {
		kfree_skb(skb);
		return -EFAULT;
	}
	consume_skb(skb);
	return count;
}

static ssize_t qrtr_tun_write_iter(struct kiocb *iocb, struct iov_iter *from)
{
	struct qrtr_tun *tun = iocb->ki_filp->private_data;
	size_t len = iov_iter_count(from);
	struct sk_buff *skb;
	void *kbuf;
	int rc;

	rc = qrtr_tun_activate(tun);
	if (rc)
		return rc;
	if (!len || len > QRTR_TUN_FRAME_MAX) {
		qrtr_count_drop(NULL, socbpf_qrtr_endpoint_id(&tun->ep),
				len ? QRTR_DROP_SIZE : QRTR_DROP_SHORT);
		return -EINVAL;
	}

	/* big frames: a vmalloc-able buffer rather than a high-order skb */
	if (len > QRTR_TUN_SKB_MAX) {
		kbuf = kvmalloc(len, GFP_KERNEL);
		if (!kbuf)
			return -ENOMEM;
		rc = -EFAULT;
		if (copy_from_iter_full(kbuf, len, from))
			rc = socbpf_qrtr_endpoint_post(&tun->ep, kbuf, len);
		kvfree(kbuf);
		return rc < 0 ? rc : len;
	}
	/* read into the skb that becomes the packet: one copy, no buffer */
	skb = __netdev_alloc_skb(NULL, len, GFP_KERNEL | __GFP_NOWARN);
	if (!skb)
		return -ENOMEM;
	if (!copy_from_iter_full(skb_put(skb, len), len, from)) {
		kfree_skb(skb);
		return -EFAULT;
	}
	rc = socbpf_qrtr_endpoint_post_skb(&tun->ep, skb);
	return rc < 0 ? rc : len;
}

static __poll_t qrtr_tun_poll(struct file *filp, poll_table *wait)
{
	struct qrtr_tun *tun = filp->private_data;
	__poll_t mask = EPOLLOUT | EPOLLWRNORM;

	if (qrtr_tun_activate(tun))
		return EPOLLERR;
	poll_wait(filp, &tun->readq, wait);
	if (!skb_queue_empty(&tun->queue))
		mask |= EPOLLIN | EPOLLRDNORM;
	return mask;
}

static long qrtr_tun_set_key(struct qrtr_tun *tun, void __user *argp)
{
	char key[QRTR_TUN_KEY_MAX];
	size_t len;
	long rc;

	if (copy_from_user(key, argp, sizeof(key)))
		return -EFAULT;
	len = strnlen(key, sizeof(key));
	if (!len || len == sizeof(key))
		return -EINVAL;

	mutex_lock(&tun->lock);
	rc = -EBUSY;
	if (tun->registered)
		goto out_unlock;
	strscpy(tun->key, key, sizeof(tun->key));
	rc = 0;
out_unlock:
	mutex_unlock(&tun->lock);
	return rc;
}

static long qrtr_tun_get_info(struct qrtr_tun *tun, void __user *argp)
{
	struct qrtr_tun_info info = {};
	int rc;

	rc = qrtr_tun_activate(tun);
	if (rc)
		return rc;
	mutex_lock(&tun->lock);
	info.endpoint_id = socbpf_qrtr_endpoint_id(&tun->ep);
	strscpy(info.key, tun->key, sizeof(info.key));
	mutex_unlock(&tun->lock);
	if (copy_to_user(argp, &info, sizeof(info)))
		return -EFAULT;
	return 0;
}

static long qrtr_tun_ioctl(struct file *filp, unsigned int cmd,
			   unsigned long arg)
{
	struct qrtr_tun *tun = filp->private_data;
	void __user *argp = (void __user *)arg;

	switch (cmd) {
	case QRTR_TUN_SET_KEY:
		return qrtr_tun_set_key(tun, argp);
	case QRTR_TUN_GET_INFO:
		return qrtr_tun_get_info(tun, argp);
	default:
		return -ENOTTY;
	}
}

static int qrtr_tun_release(struct inode *inode, struct file *filp)
{
	struct qrtr_tun *tun = filp->private_data;

	if (tun->registered)
		socbpf_qrtr_endpoint_unregister(&tun->ep);
	skb_queue_purge(&tun->queue);
	kfree(tun);
	return 0;
}

static const struct file_operations qrtr_tun_fops = {
	.owner = THIS_MODULE,
	.open = qrtr_tun_open,
	.poll = qrtr_tun_poll,
	.read_iter = qrtr_tun_read_iter,
	.write_iter = qrtr_tun_write_iter,
	.unlocked_ioctl = qrtr_tun_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.release = qrtr_tun_release,
};

static struct miscdevice qrtr_tun_miscdev = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "qrtr-tun",
	.fops = &qrtr_tun_fops,
};

int qrtr_tun_init(void)
{
	return misc_register(&qrtr_tun_miscdev);
}

void qrtr_tun_exit(void)
{
	misc_deregister(&qrtr_tun_miscdev);
}
