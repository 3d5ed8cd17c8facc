// SPDX-License-Identifier: GPL-2.0
/*
 * socbpf BAM-DMUX: the data path of older Qualcomm modems as Raw-IP netdevs.
 *
 * Same protocol and shape as upstream drivers/net/wwan/qcom_bam_dmux.c: an
 * 8-byte mux header (include/socbpf/bam_dmux_wire.h) on every DMA transfer,
 * 8 channels, 32 receive buffers of 2 KiB, a 32-slot transmit ring that
 * stops the queues when full, one netdev "wwanN" (dev_port = channel) per
 * channel the modem OPENs, which CLOSE detaches.  Power: the modem's power
 * control line brings our receive side up and down (we ack by toggling a
 * bit); we vote for power with another bit and wait for the modem's ack,
 * from runtime PM with a 1000 ms autosuspend.  Transmits while powering up
 * are deferred to a work item.
 *
 * Differences from upstream, all about failing cleanly: frames are checked
 * against the length the transfer reported, and every rejected frame is
 * counted by reason (debugfs, netdev stats, a tracepoint); a power-up the
 * modem does not ack fails with the deferred frames dropped and counted,
 * and the next transmit tries again (upstream leaves them in the ring and
 * latches the runtime PM error); the modem going away closes its channels
 * and fails the frames it had not taken.
 *
 * The hardware is reached through sbam.h only.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bitops.h>
#include <linux/etherdevice.h>
#include <linux/if_arp.h>
#include <linux/module.h>
#include <linux/platform_device.h>
#include <linux/pm_runtime.h>
#include <linux/rtnetlink.h>
#include <linux/skbuff.h>
#include <net/pkt_sched.h>

#include <uapi/linux/socbpf_bam_dmux.h>

#include "dmux.h"

#include "trace.h"

static unsigned int remote_timeout_ms = 2000;
module_param(remote_timeout_ms, uint, 0644);
MODULE_PARM_DESC(remote_timeout_ms,
		 "How long to wait for the modem's power acks (ms, upstream: 2000)");

static unsigned int rx_mtu = BAM_DMUX_WIRE_MAX_BUF_SIZE;
module_param(rx_mtu, uint, 0644);
MODULE_PARM_DESC(rx_mtu,
		 "Receive buffer size offered to a modem that negotiates buffer sizes (2048..16384, rounded down to a power of 2)");

static struct sbam *bam_dmux_sbam;
static struct platform_device *bam_dmux_pdev;

struct bam_dmux_netdev {
	struct bam_dmux *dmux;
	u8 ch;
};

static unsigned long bam_dmux_timeout(void)
{
	return msecs_to_jiffies(clamp_t(unsigned int,
					READ_ONCE(remote_timeout_ms), 10, 60000));
}

static inline void ctr_inc(struct bam_dmux *dmux, enum bam_dmux_ctr c)
{
	atomic64_inc(&dmux->ctr[c]);
}

static inline void ctr_add(struct bam_dmux *dmux, enum bam_dmux_ctr c, u64 v)
{
	atomic64_add(v, &dmux->ctr[c]);
}

/* ------------------------------------------------------------ power */

static void bam_dmux_pc_vote(struct bam_dmux *dmux, bool enable)
{
	reinit_completion(&dmux->pc_ack_completion);
	ctr_inc(dmux, enable ? BAM_DMUX_CTR_VOTES_ON : BAM_DMUX_CTR_VOTES_OFF);
	trace_bam_dmux_power("vote", enable);
	sbam_state_update(dmux->bam, BAM_DMUX_HOST_POWER_VOTE,
			  enable ? BAM_DMUX_HOST_POWER_VOTE : 0);
}

static void bam_dmux_pc_ack(struct bam_dmux *dmux)
{
	dmux->pc_ack_state = !dmux->pc_ack_state;
	trace_bam_dmux_power("host_ack", dmux->pc_ack_state);
	sbam_state_update(dmux->bam, BAM_DMUX_HOST_POWER_ACK,
			  dmux->pc_ack_state ? BAM_DMUX_HOST_POWER_ACK : 0);
}

/*
 * A failed resume stays latched in this kernel's PM core: clear it (the
 * device is suspended already) so that the next use powers up again.
 */
static void bam_dmux_resume_failed(struct bam_dmux *dmux)
{
	pm_runtime_set_suspended(dmux->dev);
}

/* ------------------------------------------------------------ transmit */

static void bam_dmux_tx_wake_queues(struct bam_dmux *dmux)
{
	int i;

	ctr_inc(dmux, BAM_DMUX_CTR_TX_QUEUE_WAKES);
	for (i = 0; i < BAM_DMUX_NUM_CH; i++) {
		struct net_device *ndev = READ_ONCE(dmux->netdevs[i]);

		if (ndev && netif_running(ndev) && netif_device_present(ndev))
			netif_wake_queue(ndev);
	}
}

static void bam_dmux_tx_stop_queues(struct bam_dmux *dmux)
{
	int i;

	ctr_inc(dmux, BAM_DMUX_CTR_TX_QUEUE_STOPS);
	for (i = 0; i < BAM_DMUX_NUM_CH; i++) {
		struct net_device *ndev = READ_ONCE(dmux->netdevs[i]);

		if (ndev)
			netif_stop_queue(ndev);
	}
}

/* Take the next ring slot for @skb; NULL (queues stopped) when full. */
static struct bam_dmux_buf *bam_dmux_tx_reserve(struct bam_dmux *dmux,
						struct sk_buff *skb, u8 ch)
{
	struct bam_dmux_buf *buf;
	unsigned long flags;

	spin_lock_irqsave(&dmux->tx_lock, flags);
	buf = &dmux->tx_bufs[dmux->tx_next % BAM_DMUX_NUM_SKB];
	if (buf->skb) {
		bam_dmux_tx_stop_queues(dmux);
		spin_unlock_irqrestore(&dmux->tx_lock, flags);
		return NULL;
	}
	buf->skb = skb;
	buf->ch = ch;
	buf->framed = false;
	dmux->tx_next++;
	if (dmux->tx_bufs[dmux->tx_next % BAM_DMUX_NUM_SKB].skb)
		bam_dmux_tx_stop_queues(dmux);
	spin_unlock_irqrestore(&dmux->tx_lock, flags);
	return buf;
}

/* Give the slot back (and the runtime PM reference taken with it). */
static void bam_dmux_tx_release(struct bam_dmux_buf *buf)
{
	struct bam_dmux *dmux = buf->dmux;
	unsigned long flags;

	pm_runtime_mark_last_busy(dmux->dev);
	pm_runtime_put_autosuspend(dmux->dev);

	spin_lock_irqsave(&dmux->tx_lock, flags);
	buf->skb = NULL;
	if (buf == &dmux->tx_bufs[dmux->tx_next % BAM_DMUX_NUM_SKB])
		bam_dmux_tx_wake_queues(dmux);
	spin_unlock_irqrestore(&dmux->tx_lock, flags);
}

/* IP packet length of a data frame in the ring, framed or not */
static unsigned int bam_dmux_tx_iplen(struct bam_dmux_buf *buf)
{
	const struct bam_dmux_wire_hdr *hdr;

	if (!buf->framed)
		return buf->skb->len;
	hdr = (const void *)buf->skb->data;
	return le16_to_cpu(hdr->len);
}

static void bam_dmux_tx_drop(struct bam_dmux_buf *buf, int reason)
{
	struct bam_dmux *dmux = buf->dmux;
	struct sk_buff *skb = buf->skb;

	atomic64_inc(&dmux->drops[reason]);
	trace_bam_dmux_drop(1, buf->ch, skb->len, bam_dmux_drop_name(reason));
	if (skb->dev) {
		unsigned int off = buf->framed ? BAM_DMUX_WIRE_HDR_SIZE : 0;

		trace_bam_dmux_ip(1, buf->ch, skb->data + off,
				  bam_dmux_tx_iplen(buf), reason);
		DEV_STATS_INC(skb->dev, tx_dropped);
	}
	bam_dmux_tx_release(buf);
	dev_kfree_skb_any(skb);
}

static void bam_dmux_tx_complete(struct sbam_desc *desc, unsigned int actual,
				 int status)
{
	struct bam_dmux_buf *buf = container_of(desc, struct bam_dmux_buf, desc);
	struct bam_dmux *dmux = buf->dmux;
	struct sk_buff *skb = buf->skb;
	struct net_device *ndev = skb->dev;

	if (status) {
		bam_dmux_tx_drop(buf, BAM_DMUX_DROP_TX_CANCELED);
		return;
	}
	if (ndev) {
		trace_bam_dmux_ip(1, buf->ch, skb->data + BAM_DMUX_WIRE_HDR_SIZE,
				  bam_dmux_tx_iplen(buf), 0);
		ctr_inc(dmux, BAM_DMUX_CTR_TX_PACKETS);
		ctr_add(dmux, BAM_DMUX_CTR_TX_BYTES, actual);
		DEV_STATS_INC(ndev, tx_packets);
		DEV_STATS_ADD(ndev, tx_bytes, actual);
	} else {
		ctr_inc(dmux, BAM_DMUX_CTR_TX_CMDS);
	}
	bam_dmux_tx_release(buf);
	dev_consume_skb_any(skb);
}

static int bam_dmux_tx_submit(struct bam_dmux_buf *buf)
{
	struct sk_buff *skb = buf->skb;

	buf->desc.buf = skb->data;
	buf->desc.len = skb->len;
	buf->desc.done = bam_dmux_tx_complete;
	return sbam_submit(buf->dmux->bam, SBAM_TX, &buf->desc);
}

static int bam_dmux_send_cmd(struct bam_dmux_netdev *bndev, u8 cmd)
{
	struct bam_dmux *dmux = bndev->dmux;
	struct bam_dmux_wire_hdr *hdr;
	struct bam_dmux_buf *buf;
	struct sk_buff *skb;
	int ret;

	skb = alloc_skb(sizeof(*hdr), GFP_KERNEL);
	if (!skb)
		return -ENOMEM;
	hdr = skb_put(skb, sizeof(*hdr));
	bam_dmux_wire_hdr_fill(hdr, cmd, bndev->ch, 0, 0);
	/* our receive buffers, to a modem that announced dynamic MTU */
	if (cmd == BAM_DMUX_WIRE_CMD_OPEN && READ_ONCE(dmux->dyn_mtu))
		hdr->signal = bam_dmux_wire_sig_build(dmux->dl_mtu,
						      BAM_DMUX_NUM_SKB);

	buf = bam_dmux_tx_reserve(dmux, skb, bndev->ch);
	if (!buf) {
		ret = -EAGAIN;
		goto err_free;
	}
	ret = pm_runtime_get_sync(dmux->dev);
	if (ret < 0) {
		bam_dmux_resume_failed(dmux);
		goto err_release;
	}
	trace_bam_dmux_tx(bndev->ch, cmd, 0);
	ret = bam_dmux_tx_submit(buf);
	if (ret)
		goto err_release;
	return 0;

err_release:
	bam_dmux_tx_release(buf);
err_free:
	kfree_skb(skb);
	return ret;
}

static void bam_dmux_power_off(struct bam_dmux *dmux);
static int bam_dmux_power_on(struct bam_dmux *dmux);

/*
 * Before our OPEN offers dl_mtu buffers, the whole ring is queued again at
 * that size, so the modem's first large frame finds a large buffer.
 * (Downstream switches one buffer at a time from the modem's next DATA
 * signal on; its A2 sees each descriptor's size, a modem behind our
 * character device does not.)  Frames the modem sends meanwhile are
 * refused with ENOLINK.
 */
static void bam_dmux_rx_resize(struct bam_dmux *dmux)
{
	mutex_lock(&dmux->rx_lock);
	if (READ_ONCE(dmux->rx_buf_size) != dmux->dl_mtu) {
		WRITE_ONCE(dmux->rx_buf_size, dmux->dl_mtu);
		if (dmux->rx_on) {
			bam_dmux_power_off(dmux);
			if (bam_dmux_power_on(dmux))
				dev_err(dmux->dev, "cannot queue rx buffers\n");
		}
	}
	mutex_unlock(&dmux->rx_lock);
}

static int bam_dmux_netdev_open(struct net_device *ndev)
{
	struct bam_dmux_netdev *bndev = netdev_priv(ndev);
	int ret;

	if (READ_ONCE(bndev->dmux->dyn_mtu))
		bam_dmux_rx_resize(bndev->dmux);
	ret = bam_dmux_send_cmd(bndev, BAM_DMUX_WIRE_CMD_OPEN);
	if (ret)
		return ret;
	netif_start_queue(ndev);
	return 0;
}

static int bam_dmux_netdev_stop(struct net_device *ndev)
{
	struct bam_dmux_netdev *bndev = netdev_priv(ndev);

	netif_stop_queue(ndev);
	/* the modem may be gone: nothing to tell it then */
	bam_dmux_send_cmd(bndev, BAM_DMUX_WIRE_CMD_CLOSE);
	return 0;
}

/* Header in front, zero padding to 4 bytes behind (0..3, as the modem's). */
static int bam_dmux_tx_frame(struct bam_dmux_netdev *bndev, struct sk_buff *skb)
{
	unsigned int pad = bam_dmux_wire_pad(skb->len);
	unsigned int len = skb->len;
	int head, tail, ret;

	head = max_t(int, 0, (int)BAM_DMUX_WIRE_HDR_SIZE - (int)skb_headroom(skb));
	tail = max_t(int, 0, (int)pad - (int)skb_tailroom(skb));
	if (head || tail || skb_cloned(skb)) {
		ret = pskb_expand_head(skb, head, tail, GFP_ATOMIC);
		if (ret)
			return ret;
	}
	bam_dmux_wire_hdr_fill(skb_push(skb, BAM_DMUX_WIRE_HDR_SIZE),
			       BAM_DMUX_WIRE_CMD_DATA, bndev->ch, len, pad);
	if (pad)
		skb_put_zero(skb, pad);
	return 0;
}

static netdev_tx_t bam_dmux_netdev_start_xmit(struct sk_buff *skb,
					      struct net_device *ndev)
{
	struct bam_dmux_netdev *bndev = netdev_priv(ndev);
	struct bam_dmux *dmux = bndev->dmux;
	struct bam_dmux_buf *buf;
	unsigned int len = skb->len;
	int active, reason;

	buf = bam_dmux_tx_reserve(dmux, skb, bndev->ch);
	if (!buf)
		return NETDEV_TX_BUSY;

	active = pm_runtime_get(dmux->dev);
	if (active < 0 && active != -EINPROGRESS) {
		reason = BAM_DMUX_DROP_TX_POWER;
		goto drop;
	}
	if (skb_linearize(skb) || BAM_DMUX_WIRE_HDR_SIZE + len +
	    bam_dmux_wire_pad(len) > READ_ONCE(dmux->ul_mtu)) {
		reason = BAM_DMUX_DROP_TX_TOOBIG;
		goto drop;
	}
	if (bam_dmux_tx_frame(bndev, skb)) {
		reason = BAM_DMUX_DROP_TX_NOMEM;
		goto drop;
	}
	buf->framed = true;
	trace_bam_dmux_tx(bndev->ch, BAM_DMUX_WIRE_CMD_DATA, len);

	if (active <= 0) {
		/* cannot sleep here: the wakeup work powers up and sends */
		ctr_inc(dmux, BAM_DMUX_CTR_TX_DEFERRED);
		if (!atomic_long_fetch_or(BIT(buf - dmux->tx_bufs),
					  &dmux->tx_deferred))
			queue_work(system_freezable_wq, &dmux->tx_wakeup_work);
		return NETDEV_TX_OK;
	}
	if (bam_dmux_tx_submit(buf)) {
		reason = BAM_DMUX_DROP_TX_NOMODEM;
		goto drop;
	}
	return NETDEV_TX_OK;

drop:
	bam_dmux_tx_drop(buf, reason);
	return NETDEV_TX_OK;
}

static void bam_dmux_tx_drop_deferred(struct bam_dmux *dmux, int reason)
{
	unsigned long pending = atomic_long_xchg(&dmux->tx_deferred, 0);
	int i;

	for_each_set_bit(i, &pending, BAM_DMUX_NUM_SKB)
		bam_dmux_tx_drop(&dmux->tx_bufs[i], reason);
}

static void bam_dmux_tx_wakeup_work(struct work_struct *work)
{
	struct bam_dmux *dmux = container_of(work, struct bam_dmux,
					     tx_wakeup_work);
	unsigned long pending;
	int ret, i;

	ret = pm_runtime_resume_and_get(dmux->dev);
	if (ret < 0) {
		dev_warn_ratelimited(dmux->dev,
				     "modem did not power up (%d): dropping deferred frames\n",
				     ret);
		bam_dmux_resume_failed(dmux);
		local_bh_disable();
		bam_dmux_tx_drop_deferred(dmux, BAM_DMUX_DROP_TX_POWER);
		local_bh_enable();
		return;
	}
	pending = atomic_long_xchg(&dmux->tx_deferred, 0);
	local_bh_disable();
	for_each_set_bit(i, &pending, BAM_DMUX_NUM_SKB) {
		if (bam_dmux_tx_submit(&dmux->tx_bufs[i]))
			bam_dmux_tx_drop(&dmux->tx_bufs[i],
					 BAM_DMUX_DROP_TX_NOMODEM);
	}
	local_bh_enable();
	pm_runtime_mark_last_busy(dmux->dev);
	pm_runtime_put_autosuspend(dmux->dev);
}

static const struct net_device_ops bam_dmux_netdev_ops = {
	.ndo_open	= bam_dmux_netdev_open,
	.ndo_stop	= bam_dmux_netdev_stop,
	.ndo_start_xmit	= bam_dmux_netdev_start_xmit,
};

static const struct device_type bam_dmux_wwan_type = {
	.name = "wwan",
};

static void bam_dmux_netdev_setup(struct net_device *ndev)
{
	ndev->netdev_ops = &bam_dmux_netdev_ops;
	ndev->type = ARPHRD_RAWIP;
	SET_NETDEV_DEVTYPE(ndev, &bam_dmux_wwan_type);
	ndev->flags = IFF_POINTOPOINT | IFF_NOARP;
	ndev->mtu = ETH_DATA_LEN;
	ndev->min_mtu = ETH_MIN_MTU;
	ndev->max_mtu = BAM_DMUX_WIRE_MAX_DATA;
	ndev->needed_headroom = BAM_DMUX_WIRE_HDR_SIZE;
	ndev->needed_tailroom = sizeof(u32);
	ndev->tx_queue_len = DEFAULT_TX_QUEUE_LEN;
	/* IPv6 takes its interface identifier from this */
	ndev->addr_assign_type = NET_ADDR_RANDOM;
	eth_random_addr(ndev->perm_addr);
}

static void bam_dmux_register_netdev_work(struct work_struct *work)
{
	struct bam_dmux *dmux = container_of(work, struct bam_dmux,
					     register_netdev_work);
	struct bam_dmux_netdev *bndev;
	struct net_device *ndev;
	int ch, ret;

	for (ch = 0; ch < BAM_DMUX_NUM_CH; ch++) {
		if (!test_bit(ch, &dmux->remote_channels) || dmux->netdevs[ch])
			continue;
		ndev = alloc_netdev(sizeof(*bndev), "wwan%d", NET_NAME_ENUM,
				    bam_dmux_netdev_setup);
		if (!ndev) {
			ctr_inc(dmux, BAM_DMUX_CTR_NETDEV_FAIL);
			return;
		}
		SET_NETDEV_DEV(ndev, dmux->dev);
		ndev->dev_port = ch;
		ndev->max_mtu = READ_ONCE(dmux->ul_mtu) - BAM_DMUX_WIRE_HDR_SIZE;
		bndev = netdev_priv(ndev);
		bndev->dmux = dmux;
		bndev->ch = ch;
		ret = register_netdev(ndev);
		if (ret) {
			dev_err(dmux->dev, "cannot register netdev for channel %d: %d\n",
				ch, ret);
			ctr_inc(dmux, BAM_DMUX_CTR_NETDEV_FAIL);
			free_netdev(ndev);
			return;
		}
		WRITE_ONCE(dmux->netdevs[ch], ndev);
		/* a CLOSE that came while registering found no netdev */
		if (!test_bit(ch, &dmux->remote_channels)) {
			netif_carrier_off(ndev);
			netif_device_detach(ndev);
		}
	}
}

/* ------------------------------------------------------------ receive */

static void bam_dmux_rx_done(struct sbam_desc *desc, unsigned int actual,
			     int status);

/* Queue @buf, in a fresh skb of the current size if its own has another. */
static int bam_dmux_rx_queue(struct bam_dmux_buf *buf, gfp_t gfp)
{
	unsigned int size = READ_ONCE(buf->dmux->rx_buf_size);

	if (buf->skb && buf->size != size) {
		dev_kfree_skb_any(buf->skb);
		buf->skb = NULL;
	}
	if (!buf->skb) {
		buf->skb = __netdev_alloc_skb(NULL, size, gfp);
		if (!buf->skb)
			return -ENOMEM;
		skb_put(buf->skb, size);
		buf->size = size;
	}
	buf->desc.buf = buf->skb->data;
	buf->desc.len = buf->size;
	buf->desc.done = bam_dmux_rx_done;
	return sbam_submit(buf->dmux->bam, SBAM_RX, &buf->desc);
}

/* Count a rejected frame; @ch is -1 when the header's channel is not usable. */
static void bam_dmux_rx_drop(struct bam_dmux *dmux, int ch, unsigned int len,
			     int reason)
{
	struct net_device *ndev = NULL;

	atomic64_inc(&dmux->drops[reason]);
	trace_bam_dmux_drop(0, ch < 0 ? 255 : ch, len, bam_dmux_drop_name(reason));
	if (ch >= 0)
		ndev = READ_ONCE(dmux->netdevs[ch]);
	if (ndev) {
		switch (reason) {
		case BAM_DMUX_WIRE_EZERO:
		case BAM_DMUX_WIRE_ETOOBIG:
		case BAM_DMUX_WIRE_ELEN:
			DEV_STATS_INC(ndev, rx_errors);
			DEV_STATS_INC(ndev, rx_length_errors);
			break;
		case BAM_DMUX_WIRE_EPAD:
		case BAM_DMUX_WIRE_ECMD:
			DEV_STATS_INC(ndev, rx_errors);
			DEV_STATS_INC(ndev, rx_frame_errors);
			break;
		default:
			DEV_STATS_INC(ndev, rx_dropped);
			break;
		}
	}
	if (reason < BAM_DMUX_WIRE_NR_ERR)
		dev_warn_ratelimited(dmux->dev, "bad frame (%s, %u bytes) dropped\n",
				     bam_dmux_drop_name(reason), len);
}

/* a data frame's IP packet dropped: flow and reason accounting */
static void bam_dmux_rx_ip_drop(struct bam_dmux_buf *buf,
				const struct bam_dmux_wire_frame *f, int reason)
{
	trace_bam_dmux_ip(0, f->ch, buf->skb->data + BAM_DMUX_WIRE_HDR_SIZE,
			  f->len, reason);
	bam_dmux_rx_drop(buf->dmux, f->ch, f->len, reason);
}

static void bam_dmux_rx_data(struct bam_dmux_buf *buf,
			     const struct bam_dmux_wire_frame *f)
{
	struct bam_dmux *dmux = buf->dmux;
	struct net_device *ndev = READ_ONCE(dmux->netdevs[f->ch]);
	struct sk_buff *skb = buf->skb, *fresh;
	unsigned int size;
	__be16 proto;

	if (!ndev || !test_bit(f->ch, &dmux->remote_channels) ||
	    !netif_running(ndev)) {
		bam_dmux_rx_ip_drop(buf, f, BAM_DMUX_DROP_CLOSED);
		return;
	}
	switch (skb->data[BAM_DMUX_WIRE_HDR_SIZE] & 0xf0) {
	case 0x40:
		proto = htons(ETH_P_IP);
		break;
	case 0x60:
		proto = htons(ETH_P_IPV6);
		break;
	default:
		/*
		 * A mux on top (rmnet) takes what the channel carries as QMAP,
		 * as qmi_wwan's pass-through mode hands it over.
		 */
		if (!rcu_access_pointer(ndev->rx_handler)) {
			bam_dmux_rx_ip_drop(buf, f, BAM_DMUX_DROP_PROTO);
			return;
		}
		proto = htons(ETH_P_MAP);
		break;
	}
	/* keep the ring full: no replacement, no delivery */
	size = READ_ONCE(dmux->rx_buf_size);
	fresh = __netdev_alloc_skb(NULL, size, GFP_ATOMIC);
	if (!fresh) {
		bam_dmux_rx_ip_drop(buf, f, BAM_DMUX_DROP_RX_NOMEM);
		return;
	}
	skb_put(fresh, size);
	buf->skb = fresh;
	buf->size = size;

	skb_pull(skb, BAM_DMUX_WIRE_HDR_SIZE);
	skb_trim(skb, f->len);
	skb->dev = ndev;
	skb->protocol = proto;
	skb_reset_mac_header(skb);
	skb_reset_network_header(skb);
	trace_bam_dmux_ip(0, f->ch, skb->data, f->len, 0);
	ctr_inc(dmux, BAM_DMUX_CTR_RX_PACKETS);
	ctr_add(dmux, BAM_DMUX_CTR_RX_BYTES, f->len);
	DEV_STATS_INC(ndev, rx_packets);
	DEV_STATS_ADD(ndev, rx_bytes, f->len);
	netif_rx(skb);
}

/*
 * The modem's OPEN says whether it negotiates buffer sizes (downstream's
 * set_ul_mtu()): then its MTU code bounds our frames, and our OPEN will
 * offer our receive buffers.  One setting for all channels, as downstream.
 */
static void bam_dmux_rx_mtu(struct bam_dmux *dmux, u8 signal)
{
	unsigned int ul = bam_dmux_wire_sig_mtu(signal);
	bool dyn = signal & BAM_DMUX_WIRE_SIG_DYN_MTU;
	int i;

	/* what our OPEN can announce: 2, 4, 8 or 16 KiB */
	WRITE_ONCE(dmux->dl_mtu,
		   bam_dmux_wire_sig_mtu(bam_dmux_wire_sig_build(READ_ONCE(rx_mtu), 0)));
	WRITE_ONCE(dmux->ul_mtu, ul);
	WRITE_ONCE(dmux->dyn_mtu, dyn);
	if (!dyn)
		WRITE_ONCE(dmux->rx_buf_size, BAM_DMUX_WIRE_BUF_SIZE);
	for (i = 0; i < BAM_DMUX_NUM_CH; i++) {
		struct net_device *ndev = READ_ONCE(dmux->netdevs[i]);

		/* a larger MTU set before stays: its frames count as too big */
		if (ndev)
			WRITE_ONCE(ndev->max_mtu, ul - BAM_DMUX_WIRE_HDR_SIZE);
	}
}

static void bam_dmux_rx_open(struct bam_dmux *dmux, u8 ch, u8 signal)
{
	struct net_device *ndev = READ_ONCE(dmux->netdevs[ch]);

	ctr_inc(dmux, BAM_DMUX_CTR_RX_OPEN);
	bam_dmux_rx_mtu(dmux, signal);
	if (test_and_set_bit(ch, &dmux->remote_channels)) {
		ctr_inc(dmux, BAM_DMUX_CTR_RX_OPEN_DUP);
		dev_warn_ratelimited(dmux->dev, "channel %u already open\n", ch);
		return;
	}
	if (ndev) {
		netif_carrier_on(ndev);
		netif_device_attach(ndev);
	} else if (!READ_ONCE(dmux->dying)) {
		schedule_work(&dmux->register_netdev_work);
	}
}

static void bam_dmux_close_channel(struct bam_dmux *dmux, u8 ch)
{
	struct net_device *ndev = READ_ONCE(dmux->netdevs[ch]);

	if (ndev) {
		netif_carrier_off(ndev);
		netif_device_detach(ndev);
	}
}

static void bam_dmux_rx_close(struct bam_dmux *dmux, u8 ch)
{
	ctr_inc(dmux, BAM_DMUX_CTR_RX_CLOSE);
	if (!test_and_clear_bit(ch, &dmux->remote_channels)) {
		ctr_inc(dmux, BAM_DMUX_CTR_RX_CLOSE_UNOPENED);
		dev_warn_ratelimited(dmux->dev, "channel %u not open\n", ch);
		return;
	}
	bam_dmux_close_channel(dmux, ch);
}

static void bam_dmux_rx_done(struct sbam_desc *desc, unsigned int actual,
			     int status)
{
	struct bam_dmux_buf *buf = container_of(desc, struct bam_dmux_buf, desc);
	struct bam_dmux *dmux = buf->dmux;
	struct bam_dmux_wire_frame f;
	int err;

	if (status)
		return;		/* terminated: power_off frees the buffer */
	ctr_inc(dmux, BAM_DMUX_CTR_RX_FRAMES);
	err = bam_dmux_wire_parse_buf(buf->skb->data, actual, buf->size, &f);
	if (err) {
		/* the channel byte is trusted once magic and range passed */
		int ch = err > BAM_DMUX_WIRE_ECHAN ? buf->skb->data[5] : -1;

		bam_dmux_rx_drop(dmux, ch, actual, err);
		goto requeue;
	}
	trace_bam_dmux_rx(f.ch, f.cmd, f.len);
	switch (f.cmd) {
	case BAM_DMUX_WIRE_CMD_DATA:
		/* downstream's process_dynamic_mtu(): the modem picks the size */
		if (READ_ONCE(dmux->dyn_mtu))
			WRITE_ONCE(dmux->rx_buf_size,
				   f.signal & BAM_DMUX_WIRE_SIG_DYN_MTU ?
				   dmux->dl_mtu : BAM_DMUX_WIRE_BUF_SIZE);
		bam_dmux_rx_data(buf, &f);
		break;
	case BAM_DMUX_WIRE_CMD_OPEN:
		bam_dmux_rx_open(dmux, f.ch, f.signal);
		break;
	case BAM_DMUX_WIRE_CMD_CLOSE:
		bam_dmux_rx_close(dmux, f.ch);
		break;
	}
requeue:
	if (bam_dmux_rx_queue(buf, GFP_ATOMIC))
		dev_warn_ratelimited(dmux->dev, "rx buffer lost\n");
}

static void bam_dmux_free_rx(struct bam_dmux *dmux)
{
	int i;

	for (i = 0; i < BAM_DMUX_NUM_SKB; i++) {
		dev_kfree_skb(dmux->rx_bufs[i].skb);
		dmux->rx_bufs[i].skb = NULL;
	}
}

static void bam_dmux_power_off(struct bam_dmux *dmux)
{
	sbam_terminate_sync(dmux->bam, SBAM_RX);
	bam_dmux_free_rx(dmux);
	dmux->rx_on = false;
}

static int bam_dmux_power_on(struct bam_dmux *dmux)
{
	int i, ret;

	for (i = 0; i < BAM_DMUX_NUM_SKB; i++) {
		ret = bam_dmux_rx_queue(&dmux->rx_bufs[i], GFP_KERNEL);
		if (ret)
			goto err_off;
	}
	dmux->rx_on = true;
	return 0;

err_off:
	bam_dmux_power_off(dmux);
	return ret;
}

/* ------------------------------------------------------------ sbam events */

static void bam_dmux_remote_state(void *priv, u32 changed, u32 bits)
{
	struct bam_dmux *dmux = priv;
	bool pc = bits & BAM_DMUX_MODEM_POWER_CTRL;

	if (changed & BAM_DMUX_MODEM_POWER_ACK) {
		ctr_inc(dmux, BAM_DMUX_CTR_ACKS);
		trace_bam_dmux_power("modem_ack",
				     !!(bits & BAM_DMUX_MODEM_POWER_ACK));
		complete_all(&dmux->pc_ack_completion);
	}
	if (!(changed & BAM_DMUX_MODEM_POWER_CTRL))
		return;
	trace_bam_dmux_power("modem_pc", pc);
	mutex_lock(&dmux->rx_lock);
	if (pc) {
		ctr_inc(dmux, BAM_DMUX_CTR_MODEM_PC_ON);
		if (!dmux->rx_on && bam_dmux_power_on(dmux))
			dev_err(dmux->dev, "cannot queue rx buffers\n");
		else
			bam_dmux_pc_ack(dmux);
	} else {
		ctr_inc(dmux, BAM_DMUX_CTR_MODEM_PC_OFF);
		bam_dmux_power_off(dmux);
		bam_dmux_pc_ack(dmux);
	}
	mutex_unlock(&dmux->rx_lock);
	WRITE_ONCE(dmux->pc_state, pc);
	wake_up_all(&dmux->pc_wait);
}

static void bam_dmux_remote_reset(void *priv)
{
	struct bam_dmux *dmux = priv;
	int ch;

	ctr_inc(dmux, BAM_DMUX_CTR_MODEM_RESETS);
	trace_bam_dmux_power("modem_reset", 0);
	local_bh_disable();
	for (ch = 0; ch < BAM_DMUX_NUM_CH; ch++)
		if (test_and_clear_bit(ch, &dmux->remote_channels))
			bam_dmux_close_channel(dmux, ch);
	local_bh_enable();
	/* the next modem negotiates afresh */
	bam_dmux_rx_mtu(dmux, 0);
	/* the next modem acks our vote as it finds it */
	complete_all(&dmux->pc_ack_completion);
}

static const struct sbam_client_ops bam_dmux_sbam_ops = {
	.remote_state	= bam_dmux_remote_state,
	.remote_reset	= bam_dmux_remote_reset,
};

/* ------------------------------------------------------------ runtime PM */

static int bam_dmux_runtime_suspend(struct device *dev)
{
	struct bam_dmux *dmux = dev_get_drvdata(dev);

	bam_dmux_pc_vote(dmux, false);
	return 0;
}

/*
 * A modem that does not ack fails the resume with -ETIMEDOUT (no modem at
 * all: -ENOTCONN), our vote withdrawn.  The PM core of this kernel latches
 * that error (every later resume fails with -EINVAL); whoever sees the
 * failure clears it with bam_dmux_resume_failed(), so the next transmit
 * tries again.  Upstream leaves the error latched.
 */
static int bam_dmux_runtime_resume(struct device *dev)
{
	struct bam_dmux *dmux = dev_get_drvdata(dev);
	unsigned long tmo = bam_dmux_timeout();
	const char *why;
	int ret;

	if (!sbam_remote_connected(dmux->bam)) {
		why = "no_modem";
		ret = -ENOTCONN;
		goto fail;
	}
	ret = -ETIMEDOUT;
	/* the modem must have acked our last vote (to power down) */
	if (!wait_for_completion_timeout(&dmux->pc_ack_completion, tmo)) {
		ctr_inc(dmux, BAM_DMUX_CTR_ACK_TIMEOUTS);
		why = "ack_timeout";
		goto fail;
	}
	bam_dmux_pc_vote(dmux, true);
	if (!wait_for_completion_timeout(&dmux->pc_ack_completion, tmo)) {
		ctr_inc(dmux, BAM_DMUX_CTR_ACK_TIMEOUTS);
		why = "ack_timeout";
		goto fail_unvote;
	}
	if (!wait_event_timeout(dmux->pc_wait, READ_ONCE(dmux->pc_state), tmo)) {
		why = "pc_timeout";
		goto fail_unvote;
	}
	ctr_inc(dmux, BAM_DMUX_CTR_RESUME_OK);
	trace_bam_dmux_power("resume", 0);
	return 0;

fail_unvote:
	bam_dmux_pc_vote(dmux, false);
fail:
	ctr_inc(dmux, BAM_DMUX_CTR_RESUME_FAIL);
	trace_bam_dmux_power(why, ret);
	return ret;
}

/* ------------------------------------------------------------ driver */

static int bam_dmux_probe(struct platform_device *pdev)
{
	struct sbam **pbam = dev_get_platdata(&pdev->dev);
	struct device *dev = &pdev->dev;
	struct bam_dmux *dmux;
	int i, ret;

	if (!pbam || !*pbam)
		return -ENODEV;
	dmux = devm_kzalloc(dev, sizeof(*dmux), GFP_KERNEL);
	if (!dmux)
		return -ENOMEM;
	dmux->dev = dev;
	dmux->bam = *pbam;
	dmux->ul_mtu = BAM_DMUX_WIRE_BUF_SIZE;
	dmux->dl_mtu = BAM_DMUX_WIRE_BUF_SIZE;
	dmux->rx_buf_size = BAM_DMUX_WIRE_BUF_SIZE;
	platform_set_drvdata(pdev, dmux);

	init_waitqueue_head(&dmux->pc_wait);
	mutex_init(&dmux->rx_lock);
	init_completion(&dmux->pc_ack_completion);
	complete_all(&dmux->pc_ack_completion);
	spin_lock_init(&dmux->tx_lock);
	INIT_WORK(&dmux->tx_wakeup_work, bam_dmux_tx_wakeup_work);
	INIT_WORK(&dmux->register_netdev_work, bam_dmux_register_netdev_work);
	for (i = 0; i < BAM_DMUX_NUM_SKB; i++) {
		dmux->rx_bufs[i].dmux = dmux;
		dmux->tx_bufs[i].dmux = dmux;
	}

	/* our own vote; the rx side follows the modem's power control */
	pm_runtime_set_autosuspend_delay(dev, BAM_DMUX_AUTOSUSPEND_MS);
	pm_runtime_use_autosuspend(dev);
	pm_runtime_enable(dev);

	bam_dmux_debugfs_init(dmux);
	ret = sbam_bind(dmux->bam, &bam_dmux_sbam_ops, dmux);
	if (ret)
		goto err_pm;
	ret = bam_dmux_ctrl_create(dmux);
	if (ret)
		goto err_unbind;
	return 0;

err_unbind:
	sbam_unbind(dmux->bam);
err_pm:
	bam_dmux_debugfs_exit(dmux);
	pm_runtime_disable(dev);
	pm_runtime_dont_use_autosuspend(dev);
	return ret;
}

static void bam_dmux_remove(struct platform_device *pdev)
{
	struct bam_dmux *dmux = platform_get_drvdata(pdev);
	struct device *dev = dmux->dev;
	LIST_HEAD(list);
	int i;

	/* no more events from the far side (an open file holds the module) */
	bam_dmux_ctrl_destroy(dmux);
	sbam_unbind(dmux->bam);
	WRITE_ONCE(dmux->dying, true);
	cancel_work_sync(&dmux->register_netdev_work);

	/* stop transmitting, then nothing of ours is left in flight */
	rtnl_lock();
	for (i = 0; i < BAM_DMUX_NUM_CH; i++)
		if (dmux->netdevs[i])
			dev_close(dmux->netdevs[i]);
	rtnl_unlock();
	cancel_work_sync(&dmux->tx_wakeup_work);
	local_bh_disable();
	bam_dmux_tx_drop_deferred(dmux, BAM_DMUX_DROP_TX_CANCELED);
	local_bh_enable();
	sbam_terminate_sync(dmux->bam, SBAM_TX);

	rtnl_lock();
	for (i = 0; i < BAM_DMUX_NUM_CH; i++)
		if (dmux->netdevs[i])
			unregister_netdevice_queue(dmux->netdevs[i], &list);
	unregister_netdevice_many(&list);
	rtnl_unlock();
	/*
	 * Unregistering does not free a netdev without needs_free_netdev
	 * (upstream's qcom_bam_dmux 6.12 frees none here either);
	 * rtnl_unlock() has waited for the last reference to each.
	 */
	for (i = 0; i < BAM_DMUX_NUM_CH; i++) {
		struct net_device *ndev = dmux->netdevs[i];

		if (!ndev)
			continue;
		WRITE_ONCE(dmux->netdevs[i], NULL);
		free_netdev(ndev);
	}

	pm_runtime_disable(dev);
	pm_runtime_dont_use_autosuspend(dev);
	if (!pm_runtime_status_suspended(dev))
		bam_dmux_runtime_suspend(dev);
	pm_runtime_set_suspended(dev);
	bam_dmux_power_off(dmux);
	bam_dmux_debugfs_exit(dmux);
}

static const struct dev_pm_ops bam_dmux_pm_ops = {
	RUNTIME_PM_OPS(bam_dmux_runtime_suspend, bam_dmux_runtime_resume, NULL)
};

static struct platform_driver bam_dmux_driver = {
	.probe	= bam_dmux_probe,
	.remove	= bam_dmux_remove,
	.driver	= {
		.name	= "socbpf-bam-dmux",
		.pm	= pm_ptr(&bam_dmux_pm_ops),
	},
};

static int __init bam_dmux_init(void)
{
	int ret;

	bam_dmux_sbam = sbam_create("bam-dmux-modem");
	if (IS_ERR(bam_dmux_sbam))
		return PTR_ERR(bam_dmux_sbam);
	ret = platform_driver_register(&bam_dmux_driver);
	if (ret)
		goto err_sbam;
	/* the "device tree": which BAM and state bits the dmux uses */
	bam_dmux_pdev = platform_device_register_data(NULL, "socbpf-bam-dmux",
						      PLATFORM_DEVID_NONE,
						      &bam_dmux_sbam,
						      sizeof(bam_dmux_sbam));
	if (IS_ERR(bam_dmux_pdev)) {
		ret = PTR_ERR(bam_dmux_pdev);
		goto err_driver;
	}
	return 0;

err_driver:
	platform_driver_unregister(&bam_dmux_driver);
err_sbam:
	sbam_destroy(bam_dmux_sbam);
	return ret;
}

static void __exit bam_dmux_exit(void)
{
	platform_device_unregister(bam_dmux_pdev);
	platform_driver_unregister(&bam_dmux_driver);
	sbam_destroy(bam_dmux_sbam);
}

module_init(bam_dmux_init);
module_exit(bam_dmux_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("socbpf BAM-DMUX: modem data channels as Raw-IP netdevs over a software BAM");
