/* SPDX-License-Identifier: GPL-2.0 */
/*
 * socbpf BAM-DMUX: the protocol and netdev side.  It talks to its hardware
 * only through sbam.h (DMA channels and state bits), as upstream's
 * qcom_bam_dmux talks to the BAM DMA engine and SMSM/SMP2P.
 */
#ifndef _SOCBPF_DMUX_H
#define _SOCBPF_DMUX_H

#include <linux/atomic.h>
#include <linux/completion.h>
#include <linux/mutex.h>
#include <linux/netdevice.h>
#include <linux/spinlock.h>
#include <linux/wait.h>
#include <linux/workqueue.h>

#include <socbpf/bam_dmux_wire.h>

#include "sbam.h"

#define BAM_DMUX_DRV_NAME	"socbpf_bam_dmux"
#define BAM_DMUX_NUM_SKB	BAM_DMUX_WIRE_NUM_BUFS
#define BAM_DMUX_NUM_CH		BAM_DMUX_WIRE_NUM_CH
#define BAM_DMUX_AUTOSUSPEND_MS	1000	/* as upstream */

/*
 * Drop reasons: the wire parser's (1..BAM_DMUX_WIRE_NR_ERR-1), then the
 * driver's own.
 */
enum bam_dmux_drop {
	BAM_DMUX_DROP_CLOSED = BAM_DMUX_WIRE_NR_ERR,	/* rx: channel not open/up */
	BAM_DMUX_DROP_PROTO,		/* rx: payload neither IPv4 nor IPv6 */
	BAM_DMUX_DROP_RX_NOMEM,		/* rx: no replacement buffer */
	BAM_DMUX_DROP_TX_POWER,		/* tx: power-up failed (no ack) */
	BAM_DMUX_DROP_TX_NOMODEM,	/* tx: nobody on the far side */
	BAM_DMUX_DROP_TX_CANCELED,	/* tx: transfer canceled, modem gone */
	BAM_DMUX_DROP_TX_NOMEM,		/* tx: no room for header/padding */
	BAM_DMUX_DROP_TX_TOOBIG,	/* tx: more than a buffer holds */
	BAM_DMUX_NR_DROP,
};

enum bam_dmux_ctr {
	BAM_DMUX_CTR_RX_FRAMES,		/* transfers received */
	BAM_DMUX_CTR_RX_PACKETS,	/* IP packets handed to the stack */
	BAM_DMUX_CTR_RX_BYTES,
	BAM_DMUX_CTR_RX_OPEN,
	BAM_DMUX_CTR_RX_CLOSE,
	BAM_DMUX_CTR_RX_OPEN_DUP,	/* OPEN of an open channel */
	BAM_DMUX_CTR_RX_CLOSE_UNOPENED,	/* CLOSE of a closed channel */
	BAM_DMUX_CTR_TX_PACKETS,	/* data frames the modem took */
	BAM_DMUX_CTR_TX_BYTES,
	BAM_DMUX_CTR_TX_CMDS,		/* OPEN/CLOSE frames the modem took */
	BAM_DMUX_CTR_TX_DEFERRED,	/* frames held while powering up */
	BAM_DMUX_CTR_TX_QUEUE_STOPS,
	BAM_DMUX_CTR_TX_QUEUE_WAKES,
	BAM_DMUX_CTR_VOTES_ON,
	BAM_DMUX_CTR_VOTES_OFF,
	BAM_DMUX_CTR_ACKS,		/* modem acks of our votes */
	BAM_DMUX_CTR_ACK_TIMEOUTS,
	BAM_DMUX_CTR_RESUME_OK,
	BAM_DMUX_CTR_RESUME_FAIL,
	BAM_DMUX_CTR_MODEM_PC_ON,	/* modem powered our rx side up */
	BAM_DMUX_CTR_MODEM_PC_OFF,
	BAM_DMUX_CTR_MODEM_RESETS,	/* modem went away */
	BAM_DMUX_CTR_NETDEV_FAIL,
	BAM_DMUX_NR_CTR,
};

struct bam_dmux;
struct bam_dmux_ctrl;

struct bam_dmux_buf {
	struct sbam_desc desc;
	struct bam_dmux *dmux;
	struct sk_buff *skb;
	u8 ch;
	bool framed;		/* tx: mux header pushed */
	unsigned int size;	/* rx: buffer size queued */
};

struct bam_dmux {
	struct device *dev;
	struct sbam *bam;

	/* power: the modem's control line, our vote, the handshake */
	bool pc_state;			/* modem powered our rx side */
	bool pc_ack_state;		/* our ack toggle */
	bool rx_on;			/* rx buffers queued */
	struct mutex rx_lock;		/* rx_on, queueing or dropping the ring */
	wait_queue_head_t pc_wait;
	struct completion pc_ack_completion;

	struct bam_dmux_buf rx_bufs[BAM_DMUX_NUM_SKB];
	struct bam_dmux_buf tx_bufs[BAM_DMUX_NUM_SKB];
	spinlock_t tx_lock;		/* tx_bufs[].skb, tx_next */
	unsigned int tx_next;
	atomic_long_t tx_deferred;	/* bitmap of tx_bufs waiting for power */
	struct work_struct tx_wakeup_work;

	/*
	 * buffer sizes (bam_dmux_wire.h, "Buffer sizes beyond upstream"):
	 * dyn_mtu when the modem's OPEN announced it, ul_mtu the largest frame
	 * we may send, dl_mtu our receive buffers' size once the modem asks
	 * for them, rx_buf_size what bam_dmux_rx_queue() allocates now
	 */
	bool dyn_mtu;
	unsigned int ul_mtu;
	unsigned int dl_mtu;
	unsigned int rx_buf_size;

	unsigned long remote_channels;	/* channels the modem opened */
	struct work_struct register_netdev_work;
	struct net_device *netdevs[BAM_DMUX_NUM_CH];
	bool dying;

	atomic64_t ctr[BAM_DMUX_NR_CTR];
	atomic64_t drops[BAM_DMUX_NR_DROP];
	struct dentry *dbg;
	struct bam_dmux_ctrl *ctrl;	/* the QMI control port */
};

const char *bam_dmux_drop_name(int reason);
void bam_dmux_debugfs_init(struct bam_dmux *dmux);
void bam_dmux_debugfs_exit(struct bam_dmux *dmux);
int bam_dmux_ctrl_create(struct bam_dmux *dmux);
void bam_dmux_ctrl_destroy(struct bam_dmux *dmux);

#endif /* _SOCBPF_DMUX_H */
