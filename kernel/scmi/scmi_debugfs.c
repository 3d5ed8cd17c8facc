// SPDX-License-Identifier: GPL-2.0
/*
 * socbpf SCMI debugfs: /sys/kernel/debug/socbpf_scmi/
 *
 *   counters/<name>   one file per debug counter (write 0 to clear it)
 *   counters/reset    write anything: clear all counters
 *   stats             "name value" for every counter and gauge
 *   info              platform, protocols, sensors, clocks
 *   notifications     notification handlers and their counts
 *   cmd               write a command, read its result:
 *                       sensor_read <id> [async]
 *                       clock_get <id>
 *                       clock_set <id> <rate> [async]
 *                       trip_notify <id> <0|1>
 *                       raw <proto> <msg> [hexpayload|-] [async]
 *                     a failed transfer makes write() return its -errno;
 *                     read() on the same open file returns that command's
 *                     result, on a new open file the last result of anyone.
 *   clocks/<id>/      name, rates, rate (rw), rate_async (rw)
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/hex.h>
#include <linux/kernel.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "scmi_core.h"

#define SCMI_CMD_MAX		256
#define SCMI_RESULT_MAX		(64 + 3 * SCMI_WIRE_MAX_PAYLOAD * 2)

struct scmi_cmd_ctx {
	char result[SCMI_RESULT_MAX];
	bool has_result;
};

static DEFINE_SPINLOCK(scmi_last_lock);
static char scmi_last_result[SCMI_RESULT_MAX];

static int scmi_ctr_get(void *data, u64 *val)
{
	*val = atomic64_read(data);
	return 0;
}

static int scmi_ctr_set(void *data, u64 val)
{
	atomic64_set(data, val);
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE(scmi_ctr_fops, scmi_ctr_get, scmi_ctr_set, "%llu\n");

static int scmi_reset_set(void *data, u64 val)
{
	scmi_core_counters_reset();
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE(scmi_reset_fops, NULL, scmi_reset_set, "%llu\n");

static int scmi_stats_show(struct seq_file *s, void *unused)
{
	struct scmi_agent *ag = &scmi_agent;
	unsigned int i, inflight, inflight_max, max_inflight, txq_len;
	bool up;

	for (i = 0; i < SCMI_CTR_NR; i++)
		seq_printf(s, "%s %lld\n", scmi_ctr_names[i],
			   atomic64_read(&ag->ctr[i]));
	spin_lock_irq(&ag->lock);
	inflight = ag->inflight;
	inflight_max = ag->inflight_max;
	max_inflight = ag->max_inflight;
	txq_len = ag->txq_len;
	up = ag->up;
	spin_unlock_irq(&ag->lock);
	seq_printf(s, "inflight %u\ninflight_max %u\nmax_inflight %u\n",
		   inflight, inflight_max, max_inflight);
	seq_printf(s, "txq_len %u\nup %u\nready %d\n", txq_len, up,
		   READ_ONCE(ag->ready));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(scmi_stats);

static int scmi_info_show(struct seq_file *s, void *unused)
{
	struct scmi_agent *ag = &scmi_agent;
	const struct scmi_base_info *b = &ag->base;
	unsigned int i;

	mutex_lock(&ag->life_lock);
	seq_printf(s, "ready %d\n", ag->ready);
	seq_printf(s, "vendor %s\nsub_vendor %s\nimpl_ver 0x%08x\n",
		   b->vendor, b->sub_vendor, b->impl_ver);
	seq_printf(s, "base_version 0x%08x\nnum_agents %u\nprotocols",
		   b->version, b->num_agents);
	for (i = 0; i < b->num_protocols && i < ARRAY_SIZE(b->protocols); i++)
		seq_printf(s, " 0x%02x", b->protocols[i]);
	seq_puts(s, "\n");
	for (i = 0; i < ag->nr_sensors; i++) {
		struct scmi_sensor *sn = &ag->sensors[i];

		seq_printf(s, "sensor %u name=%s type=%u scale=%d async=%u trips=%u trip_events=%lld update_events=%lld\n",
			   sn->id, sn->name, sn->type, sn->scale, sn->async,
			   sn->num_trips, atomic64_read(&sn->trip_events),
			   atomic64_read(&sn->update_events));
	}
	for (i = 0; i < ag->nr_clocks; i++) {
		struct scmi_clock *c = &ag->clocks[i];

		seq_printf(s, "clock %u name=%s enabled=%u rates=%u%s\n",
			   c->id, c->name, c->enabled, c->num_rates,
			   c->range ? " (range)" : "");
	}
	mutex_unlock(&ag->life_lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(scmi_info);

static int scmi_notifications_show(struct seq_file *s, void *unused)
{
	scmi_notify_show(s);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(scmi_notifications);

/* @len bytes of @buf in hex into @out (NUL-terminated); returns chars written */
static size_t scmi_hex(char *out, size_t outsz, const u8 *buf, size_t len)
{
	size_t n = min(len, (outsz - 1) / 2);

	if (!outsz)
		return 0;
	bin2hex(out, buf, n);
	out[2 * n] = '\0';
	return 2 * n;
}

static int scmi_cmd_raw(char *args, char *out, size_t outsz)
{
	char *proto_s, *msg_s, *hex_s, *flag;
	struct scmi_xfer *xfer;
	bool async = false;
	size_t hexlen = 0;
	u8 proto, msg;
	int ret, n;

	proto_s = strsep(&args, " ");
	msg_s = strsep(&args, " ");
	hex_s = strsep(&args, " ");
	flag = strsep(&args, " ");
	if (!proto_s || !msg_s || kstrtou8(proto_s, 0, &proto) ||
	    kstrtou8(msg_s, 0, &msg))
		return -EINVAL;
	if (hex_s && !strcmp(hex_s, "async")) {
		async = true;
		hex_s = NULL;
	} else if (flag) {
		if (strcmp(flag, "async"))
			return -EINVAL;
		async = true;
	}
	if (hex_s && strcmp(hex_s, "-")) {
		hexlen = strlen(hex_s);
		if (hexlen % 2 || hexlen / 2 > SCMI_WIRE_MAX_PAYLOAD)
			return -EINVAL;
	}
	xfer = scmi_xfer_alloc(proto, msg, hexlen / 2, async);
	if (!xfer)
		return -ENOMEM;
	if (hexlen && hex2bin(xfer->tx, hex_s, hexlen / 2)) {
		ret = -EINVAL;
		goto out_free;
	}
	ret = scmi_do_xfer(xfer);
	if (ret)
		goto out_free;
	/* not %*phN: printk prints at most 64 bytes of it */
	n = scnprintf(out, outsz, "ok status=%d len=%zu payload=",
		      xfer->status, xfer->rx_len);
	n += scmi_hex(out + n, outsz - n, xfer->rx, xfer->rx_len);
	if (async) {
		n += scnprintf(out + n, outsz - n, " dstatus=%d dlen=%zu dpayload=",
			       xfer->dstatus, xfer->drx_len);
		scmi_hex(out + n, outsz - n, xfer->drx, xfer->drx_len);
	}
out_free:
	scmi_xfer_free(xfer);
	return ret;
}

static int scmi_cmd_run(char *line, char *out, size_t outsz)
{
	char *verb, *a1, *a2, *a3;
	bool async;
	u64 rate;
	u32 id;
	s64 v;
	int ret;

	verb = strsep(&line, " ");
	if (!verb)
		return -EINVAL;
	if (!strcmp(verb, "raw"))
		return scmi_cmd_raw(line, out, outsz);

	a1 = strsep(&line, " ");
	a2 = strsep(&line, " ");
	a3 = strsep(&line, " ");
	if (!a1 || kstrtou32(a1, 0, &id))
		return -EINVAL;

	if (!strcmp(verb, "sensor_read")) {
		if (a2 && strcmp(a2, "async"))
			return -EINVAL;
		async = !!a2;
		ret = scmi_sensor_read(id, async, &v);
		if (!ret)
			scnprintf(out, outsz, "ok value=%lld", v);
		return ret;
	}
	if (!strcmp(verb, "clock_get")) {
		ret = scmi_clock_rate_get(id, &rate);
		if (!ret)
			scnprintf(out, outsz, "ok rate=%llu", rate);
		return ret;
	}
	if (!strcmp(verb, "clock_set")) {
		if (!a2 || kstrtou64(a2, 0, &rate) ||
		    (a3 && strcmp(a3, "async")))
			return -EINVAL;
		async = !!a3;
		ret = scmi_clock_rate_set(id, rate, async, &rate);
		if (!ret)
			scnprintf(out, outsz, "ok rate=%llu", rate);
		return ret;
	}
	if (!strcmp(verb, "trip_notify")) {
		if (!a2 || (strcmp(a2, "0") && strcmp(a2, "1")))
			return -EINVAL;
		ret = scmi_sensor_trip_notify(id, a2[0] == '1');
		if (!ret)
			scnprintf(out, outsz, "ok");
		return ret;
	}
	return -EINVAL;
}

static int scmi_cmd_open(struct inode *inode, struct file *file)
{
	struct scmi_cmd_ctx *ctx;

	ctx = kzalloc(sizeof(*ctx), GFP_KERNEL);
	if (!ctx)
		return -ENOMEM;
	file->private_data = ctx;
	return nonseekable_open(inode, file);
}

static int scmi_cmd_release(struct inode *inode, struct file *file)
{
	kfree(file->private_data);
	return 0;
}

static ssize_t scmi_cmd_write(struct file *file, const char __user *ubuf,
			      size_t count, loff_t *ppos)
{
	struct scmi_cmd_ctx *ctx = file->private_data;
	char *line, *p;
	int ret;

	if (!count || count >= SCMI_CMD_MAX)
		return -EINVAL;
	line = memdup_user_nul(ubuf, count);
	if (IS_ERR(line))
		return PTR_ERR(line);
	p = strim(line);
	ctx->result[0] = '\0';
	ret = scmi_cmd_run(p, ctx->result, sizeof(ctx->result));
	kfree(line);
	if (ret)
		scnprintf(ctx->result, sizeof(ctx->result), "err=%d", ret);
	strlcat(ctx->result, "\n", sizeof(ctx->result));
	ctx->has_result = true;
	*ppos = 0;
	spin_lock(&scmi_last_lock);
	strscpy(scmi_last_result, ctx->result, sizeof(scmi_last_result));
	spin_unlock(&scmi_last_lock);
	return ret ? ret : count;
}

static ssize_t scmi_cmd_read(struct file *file, char __user *ubuf,
			     size_t count, loff_t *ppos)
{
	struct scmi_cmd_ctx *ctx = file->private_data;

	if (!ctx->has_result) {
		spin_lock(&scmi_last_lock);
		strscpy(ctx->result, scmi_last_result, sizeof(ctx->result));
		spin_unlock(&scmi_last_lock);
		ctx->has_result = true;
	}
	return simple_read_from_buffer(ubuf, count, ppos, ctx->result,
				       strlen(ctx->result));
}

static const struct file_operations scmi_cmd_fops = {
	.owner		= THIS_MODULE,
	.open		= scmi_cmd_open,
	.release	= scmi_cmd_release,
	.read		= scmi_cmd_read,
	.write		= scmi_cmd_write,
};

/**
 * scmi_debugfs_init() - create /sys/kernel/debug/socbpf_scmi
 * @ag: the agent
 */
void scmi_debugfs_init(struct scmi_agent *ag)
{
	struct dentry *ctr;
	unsigned int i;

	ag->dbg = debugfs_create_dir(SCMI_DRV_NAME, NULL);
	ctr = debugfs_create_dir("counters", ag->dbg);
	for (i = 0; i < SCMI_CTR_NR; i++)
		debugfs_create_file_unsafe(scmi_ctr_names[i], 0644, ctr,
					   &ag->ctr[i], &scmi_ctr_fops);
	debugfs_create_file_unsafe("reset", 0200, ctr, NULL, &scmi_reset_fops);
	debugfs_create_file("stats", 0444, ag->dbg, NULL, &scmi_stats_fops);
	debugfs_create_file("info", 0444, ag->dbg, NULL, &scmi_info_fops);
	debugfs_create_file("notifications", 0444, ag->dbg, NULL,
			    &scmi_notifications_fops);
	debugfs_create_file("cmd", 0600, ag->dbg, NULL, &scmi_cmd_fops);
}

/**
 * scmi_debugfs_exit() - remove the debugfs tree (waits for its users)
 * @ag: the agent
 */
void scmi_debugfs_exit(struct scmi_agent *ag)
{
	debugfs_remove_recursive(ag->dbg);
	ag->dbg = NULL;
}
