/* SPDX-License-Identifier: GPL-2.0 */
/*
 * socbpf software BAM: what the BAM-DMUX protocol code sees of its
 * hardware.  Two DMA-engine-like channels (RX: the modem fills buffers the
 * host queued; TX: the modem drains frames the host queued) and a word of
 * state bits each way (the host's power vote and ack, the modem's power
 * control and ack), as a Qualcomm SoC provides through its BAM DMA engine
 * and SMSM/SMP2P.  Nothing here is specific to who sits on the far side.
 */
#ifndef _SOCBPF_SBAM_H
#define _SOCBPF_SBAM_H

#include <linux/list.h>
#include <linux/types.h>

struct sbam;

enum sbam_dir {
	SBAM_RX,	/* device to memory */
	SBAM_TX,	/* memory to device */
	SBAM_NR_DIR,
};

/**
 * struct sbam_desc - one DMA transfer, owned by the client until done()
 * @node:   on the channel's queue while pending (the sbam's)
 * @buf:    memory to fill (RX) or to send (TX)
 * @len:    size of @buf (RX) or bytes to send (TX)
 * @done:   completion, called once per submitted descriptor with the bytes
 *          transferred and 0, or -ECANCELED (terminated) / -ECONNRESET (the
 *          far side went away); from process context with BHs disabled,
 *          like a DMA engine's tasklet
 */
struct sbam_desc {
	struct list_head node;
	void *buf;
	unsigned int len;
	void (*done)(struct sbam_desc *desc, unsigned int actual, int status);
};

/**
 * struct sbam_client_ops - how the sbam tells its client about the far side
 * @remote_state: the far side changed its state bits (@changed, now @bits);
 *                sleepable, serialized (a threaded interrupt handler)
 * @remote_reset: the far side went away (after remote_state() saw its bits
 *                drop); sleepable
 */
struct sbam_client_ops {
	void (*remote_state)(void *priv, u32 changed, u32 bits);
	void (*remote_reset)(void *priv);
};

struct sbam *sbam_create(const char *name);
void sbam_destroy(struct sbam *sb);
int sbam_bind(struct sbam *sb, const struct sbam_client_ops *ops, void *priv);
void sbam_unbind(struct sbam *sb);
int sbam_submit(struct sbam *sb, enum sbam_dir dir, struct sbam_desc *desc);
void sbam_terminate_sync(struct sbam *sb, enum sbam_dir dir);
void sbam_state_update(struct sbam *sb, u32 mask, u32 value);
u32 sbam_remote_state(struct sbam *sb);
bool sbam_remote_connected(struct sbam *sb);

#endif /* _SOCBPF_SBAM_H */
