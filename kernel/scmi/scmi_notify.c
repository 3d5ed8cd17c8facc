// SPDX-License-Identifier: GPL-2.0
/*
 * socbpf SCMI notifications: P2A notification messages are queued (bounded,
 * so a flooding platform cannot exhaust memory) and dispatched from a work
 * item to the handler registered for their (protocol, event) pair.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/seq_file.h>
#include <linux/slab.h>

#include "scmi_core.h"

static unsigned int notify_queue_len = 1024;
module_param(notify_queue_len, uint, 0644);
MODULE_PARM_DESC(notify_queue_len,
		 "Notifications queued for dispatch before new ones are dropped");

#define SCMI_NOTIFY_MAX_HANDLERS	16

struct scmi_notify_handler {
	u8 proto_id;
	u8 evt_id;
	bool used;
	scmi_notify_fn fn;
	void *priv;
	u64 count;
};

struct scmi_notify_msg {
	struct list_head node;
	u8 proto_id;
	u8 evt_id;
	u32 len;
	u8 payload[SCMI_WIRE_MAX_PAYLOAD];
};

static struct {
	struct mutex lock;		/* handlers */
	struct scmi_notify_handler h[SCMI_NOTIFY_MAX_HANDLERS];
	spinlock_t qlock;		/* queue */
	struct list_head queue;
	unsigned int qlen;
	struct work_struct work;
	u64 unhandled[256];		/* per protocol, under lock */
} scmi_ntf;

/**
 * scmi_notify_register() - route a (protocol, event) to a handler
 * @proto_id: protocol id
 * @evt_id:   event (message) id
 * @fn:       handler, called from a work item (may sleep)
 * @priv:     handler data
 *
 * Return: 0, -EEXIST when the pair already has a handler, -ENOSPC.
 */
int scmi_notify_register(u8 proto_id, u8 evt_id, scmi_notify_fn fn,
			 void *priv)
{
	struct scmi_notify_handler *free = NULL;
	int i, ret = 0;

	mutex_lock(&scmi_ntf.lock);
	for (i = 0; i < SCMI_NOTIFY_MAX_HANDLERS; i++) {
		struct scmi_notify_handler *h = &scmi_ntf.h[i];

		if (h->used && h->proto_id == proto_id && h->evt_id == evt_id) {
			ret = -EEXIST;
			goto out_unlock;
		}
		if (!h->used && !free)
			free = h;
	}
	if (!free) {
		ret = -ENOSPC;
		goto out_unlock;
	}
	free->proto_id = proto_id;
	free->evt_id = evt_id;
	free->fn = fn;
	free->priv = priv;
	free->count = 0;
	free->used = true;
out_unlock:
	mutex_unlock(&scmi_ntf.lock);
	return ret;
}

/**
 * scmi_notify_unregister() - remove the handler of a (protocol, event)
 * @proto_id: protocol id
 * @evt_id:   event id
 *
 * When this returns the handler is not running and will not run again.
 */
void scmi_notify_unregister(u8 proto_id, u8 evt_id)
{
	int i;

	mutex_lock(&scmi_ntf.lock);
	for (i = 0; i < SCMI_NOTIFY_MAX_HANDLERS; i++) {
		struct scmi_notify_handler *h = &scmi_ntf.h[i];

		if (h->used && h->proto_id == proto_id && h->evt_id == evt_id)
			h->used = false;
	}
	mutex_unlock(&scmi_ntf.lock);
}

static void scmi_notify_dispatch(struct scmi_notify_msg *m)
{
	int i;

	mutex_lock(&scmi_ntf.lock);
	for (i = 0; i < SCMI_NOTIFY_MAX_HANDLERS; i++) {
		struct scmi_notify_handler *h = &scmi_ntf.h[i];

		if (h->used && h->proto_id == m->proto_id &&
		    h->evt_id == m->evt_id) {
			h->count++;
			h->fn(m->proto_id, m->evt_id, m->payload, m->len,
			      h->priv);
			scmi_ctr_inc(SCMI_CTR_NOTIF_OK);
			mutex_unlock(&scmi_ntf.lock);
			return;
		}
	}
	scmi_ntf.unhandled[m->proto_id]++;
	mutex_unlock(&scmi_ntf.lock);
	scmi_ctr_inc(SCMI_CTR_NOTIF_UNHANDLED);
}

static void scmi_notify_work(struct work_struct *work)
{
	struct scmi_notify_msg *m;

	for (;;) {
		spin_lock_irq(&scmi_ntf.qlock);
		m = list_first_entry_or_null(&scmi_ntf.queue,
					     struct scmi_notify_msg, node);
		if (m) {
			list_del(&m->node);
			scmi_ntf.qlen--;
		}
		spin_unlock_irq(&scmi_ntf.qlock);
		if (!m)
			break;
		scmi_notify_dispatch(m);
		kfree(m);
		cond_resched();
	}
}

/**
 * scmi_notify_rx() - queue a notification received from the platform
 * @msg: the parsed notification (type SCMI_WIRE_TYPE_NOTIFICATION)
 *
 * Counts notif_dropped when the queue is full or memory is short.
 */
void scmi_notify_rx(const struct scmi_wire_msg *msg)
{
	struct scmi_notify_msg *m;

	m = kmalloc(sizeof(*m), GFP_KERNEL);
	if (!m)
		goto drop;
	m->proto_id = msg->hdr.proto_id;
	m->evt_id = msg->hdr.msg_id;
	m->len = msg->payload_len;
	memcpy(m->payload, msg->payload, msg->payload_len);

	spin_lock_irq(&scmi_ntf.qlock);
	if (scmi_ntf.qlen >= READ_ONCE(notify_queue_len)) {
		spin_unlock_irq(&scmi_ntf.qlock);
		kfree(m);
		goto drop;
	}
	list_add_tail(&m->node, &scmi_ntf.queue);
	scmi_ntf.qlen++;
	spin_unlock_irq(&scmi_ntf.qlock);
	schedule_work(&scmi_ntf.work);
	return;

drop:
	scmi_ctr_inc(SCMI_CTR_NOTIF_DROPPED);
}

/**
 * scmi_notify_flush() - wait until queued notifications are dispatched
 */
void scmi_notify_flush(void)
{
	flush_work(&scmi_ntf.work);
}

/**
 * scmi_notify_show() - print handlers and their counts
 * @s: seq_file
 */
void scmi_notify_show(struct seq_file *s)
{
	int i;

	mutex_lock(&scmi_ntf.lock);
	for (i = 0; i < SCMI_NOTIFY_MAX_HANDLERS; i++) {
		struct scmi_notify_handler *h = &scmi_ntf.h[i];

		if (h->used)
			seq_printf(s, "proto=0x%02x evt=0x%02x count=%llu\n",
				   h->proto_id, h->evt_id, h->count);
	}
	for (i = 0; i < 256; i++)
		if (scmi_ntf.unhandled[i])
			seq_printf(s, "proto=0x%02x unhandled=%llu\n", i,
				   scmi_ntf.unhandled[i]);
	mutex_unlock(&scmi_ntf.lock);
	spin_lock_irq(&scmi_ntf.qlock);
	seq_printf(s, "queued=%u limit=%u\n", scmi_ntf.qlen,
		   READ_ONCE(notify_queue_len));
	spin_unlock_irq(&scmi_ntf.qlock);
}

/**
 * scmi_notify_init() - set up the notification dispatcher
 *
 * Return: 0.
 */
int scmi_notify_init(void)
{
	mutex_init(&scmi_ntf.lock);
	spin_lock_init(&scmi_ntf.qlock);
	INIT_LIST_HEAD(&scmi_ntf.queue);
	INIT_WORK(&scmi_ntf.work, scmi_notify_work);
	return 0;
}

/**
 * scmi_notify_exit() - drop queued notifications (module unload)
 */
void scmi_notify_exit(void)
{
	struct scmi_notify_msg *m, *tmp;

	cancel_work_sync(&scmi_ntf.work);
	list_for_each_entry_safe(m, tmp, &scmi_ntf.queue, node) {
		list_del(&m->node);
		kfree(m);
	}
	scmi_ntf.qlen = 0;
}
