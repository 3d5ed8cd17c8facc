// SPDX-License-Identifier: GPL-2.0
/*
 * socbpf BAM-DMUX debugfs: /sys/kernel/debug/socbpf_bam_dmux/
 *
 *   stats   "name value" lines: the power and channel state, the counters,
 *           then drop_<reason> for every drop reason
 *   reset   write 1: zero the counters and drop counts
 */
#include <linux/debugfs.h>
#include <linux/pm_runtime.h>
#include <linux/seq_file.h>

#include <uapi/linux/socbpf_bam_dmux.h>

#include "dmux.h"

static const char * const bam_dmux_ctr_names[BAM_DMUX_NR_CTR] = {
	[BAM_DMUX_CTR_RX_FRAMES]	= "rx_frames",
	[BAM_DMUX_CTR_RX_PACKETS]	= "rx_packets",
	[BAM_DMUX_CTR_RX_BYTES]		= "rx_bytes",
	[BAM_DMUX_CTR_RX_OPEN]		= "rx_open",
	[BAM_DMUX_CTR_RX_CLOSE]		= "rx_close",
	[BAM_DMUX_CTR_RX_OPEN_DUP]	= "rx_open_dup",
	[BAM_DMUX_CTR_RX_CLOSE_UNOPENED] = "rx_close_unopened",
	[BAM_DMUX_CTR_TX_PACKETS]	= "tx_packets",
	[BAM_DMUX_CTR_TX_BYTES]		= "tx_bytes",
	[BAM_DMUX_CTR_TX_CMDS]		= "tx_cmds",
	[BAM_DMUX_CTR_TX_DEFERRED]	= "tx_deferred",
	[BAM_DMUX_CTR_TX_QUEUE_STOPS]	= "tx_queue_stops",
	[BAM_DMUX_CTR_TX_QUEUE_WAKES]	= "tx_queue_wakes",
	[BAM_DMUX_CTR_VOTES_ON]		= "votes_on",
	[BAM_DMUX_CTR_VOTES_OFF]	= "votes_off",
	[BAM_DMUX_CTR_ACKS]		= "acks",
	[BAM_DMUX_CTR_ACK_TIMEOUTS]	= "ack_timeouts",
	[BAM_DMUX_CTR_RESUME_OK]	= "resume_ok",
	[BAM_DMUX_CTR_RESUME_FAIL]	= "resume_fail",
	[BAM_DMUX_CTR_MODEM_PC_ON]	= "modem_pc_on",
	[BAM_DMUX_CTR_MODEM_PC_OFF]	= "modem_pc_off",
	[BAM_DMUX_CTR_MODEM_RESETS]	= "modem_resets",
	[BAM_DMUX_CTR_NETDEV_FAIL]	= "netdev_fail",
};

static const char * const bam_dmux_drop_names[] = {
	[BAM_DMUX_DROP_CLOSED]		= "closed",
	[BAM_DMUX_DROP_PROTO]		= "proto",
	[BAM_DMUX_DROP_RX_NOMEM]	= "rx_nomem",
	[BAM_DMUX_DROP_TX_POWER]	= "tx_power",
	[BAM_DMUX_DROP_TX_NOMODEM]	= "tx_nomodem",
	[BAM_DMUX_DROP_TX_CANCELED]	= "tx_canceled",
	[BAM_DMUX_DROP_TX_NOMEM]	= "tx_nomem",
	[BAM_DMUX_DROP_TX_TOOBIG]	= "tx_toobig",
};

/**
 * bam_dmux_drop_name() - name of a drop reason
 * @reason: a BAM_DMUX_WIRE_E* or BAM_DMUX_DROP_* value
 *
 * Return: a static string, "?" when out of range.
 */
const char *bam_dmux_drop_name(int reason)
{
	if (reason > 0 && reason < BAM_DMUX_WIRE_NR_ERR)
		return bam_dmux_wire_err_name(reason);
	if (reason >= BAM_DMUX_WIRE_NR_ERR && reason < BAM_DMUX_NR_DROP)
		return bam_dmux_drop_names[reason];
	return "?";
}

static int bam_dmux_stats_show(struct seq_file *s, void *unused)
{
	struct bam_dmux *dmux = s->private;
	int i;

	seq_printf(s, "runtime_suspended %d\n",
		   pm_runtime_status_suspended(dmux->dev));
	seq_printf(s, "modem_pc %d\n", READ_ONCE(dmux->pc_state));
	seq_printf(s, "rx_on %d\n", READ_ONCE(dmux->rx_on));
	seq_printf(s, "channels 0x%02lx\n", READ_ONCE(dmux->remote_channels));
	seq_printf(s, "dyn_mtu %d\n", READ_ONCE(dmux->dyn_mtu));
	seq_printf(s, "ul_mtu %u\n", READ_ONCE(dmux->ul_mtu));
	seq_printf(s, "dl_mtu %u\n", READ_ONCE(dmux->dl_mtu));
	seq_printf(s, "rx_buf_size %u\n", READ_ONCE(dmux->rx_buf_size));
	for (i = 0; i < BAM_DMUX_NR_CTR; i++)
		seq_printf(s, "%s %lld\n", bam_dmux_ctr_names[i],
			   atomic64_read(&dmux->ctr[i]));
	for (i = 1; i < BAM_DMUX_NR_DROP; i++)
		seq_printf(s, "drop_%s %lld\n", bam_dmux_drop_name(i),
			   atomic64_read(&dmux->drops[i]));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(bam_dmux_stats);

static ssize_t bam_dmux_reset_write(struct file *file, const char __user *ubuf,
				    size_t count, loff_t *ppos)
{
	struct bam_dmux *dmux = file->private_data;
	int i;

	for (i = 0; i < BAM_DMUX_NR_CTR; i++)
		atomic64_set(&dmux->ctr[i], 0);
	for (i = 0; i < BAM_DMUX_NR_DROP; i++)
		atomic64_set(&dmux->drops[i], 0);
	return count;
}

static const struct file_operations bam_dmux_reset_fops = {
	.owner	= THIS_MODULE,
	.open	= simple_open,
	.write	= bam_dmux_reset_write,
};

/**
 * bam_dmux_debugfs_init() - create /sys/kernel/debug/socbpf_bam_dmux
 * @dmux: the driver instance
 */
void bam_dmux_debugfs_init(struct bam_dmux *dmux)
{
	dmux->dbg = debugfs_create_dir(BAM_DMUX_DRV_NAME, NULL);
	debugfs_create_file("stats", 0444, dmux->dbg, dmux, &bam_dmux_stats_fops);
	debugfs_create_file("reset", 0200, dmux->dbg, dmux, &bam_dmux_reset_fops);
}

/**
 * bam_dmux_debugfs_exit() - remove it (waits for its readers)
 * @dmux: the driver instance
 */
void bam_dmux_debugfs_exit(struct bam_dmux *dmux)
{
	debugfs_remove_recursive(dmux->dbg);
	dmux->dbg = NULL;
}
