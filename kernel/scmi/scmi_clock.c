// SPDX-License-Identifier: GPL-2.0
/*
 * socbpf SCMI clock protocol (0x14): discovery (attributes, rates), rate
 * get and rate set, synchronous or asynchronous with a delayed response.
 * Clocks are shown in debugfs: socbpf_scmi/clocks/<id>/{name,rates,rate}.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/kernel.h>
#include <linux/seq_file.h>
#include <linux/slab.h>

#include "scmi_core.h"

#define SCMI_CLOCK_MAX		32

/**
 * scmi_clock_rate_get() - read a clock's rate
 * @id:   clock id
 * @rate: the rate in Hz
 *
 * Return: 0 or -errno.
 */
int scmi_clock_rate_get(u32 id, u64 *rate)
{
	u8 tx[4], rx[8];
	int ret;

	scmi_wire_put_le32(tx, id);
	ret = scmi_xfer_simple(SCMI_PROTO_CLOCK, SCMI_CLOCK_RATE_GET, tx,
			       sizeof(tx), rx, sizeof(rx), sizeof(rx), NULL);
	if (!ret)
		*rate = (u64)scmi_wire_get_le32(rx) |
			((u64)scmi_wire_get_le32(rx + 4) << 32);
	return ret;
}

/**
 * scmi_clock_rate_set() - set a clock's rate
 * @id:        clock id
 * @rate:      requested rate in Hz
 * @async:     ask for completion in a delayed response
 * @done_rate: for @async, the rate the platform reports having set
 *             (may be NULL)
 *
 * Return: 0 or -errno.
 */
int scmi_clock_rate_set(u32 id, u64 rate, bool async, u64 *done_rate)
{
	struct scmi_xfer *xfer;
	int ret;

	xfer = scmi_xfer_alloc(SCMI_PROTO_CLOCK, SCMI_CLOCK_RATE_SET, 16, async);
	if (!xfer)
		return -ENOMEM;
	scmi_wire_put_le32(xfer->tx, async ? SCMI_CLOCK_SET_ASYNC : 0);
	scmi_wire_put_le32(xfer->tx + 4, id);
	scmi_wire_put_le32(xfer->tx + 8, lower_32_bits(rate));
	scmi_wire_put_le32(xfer->tx + 12, upper_32_bits(rate));
	ret = scmi_do_xfer(xfer);
	if (ret)
		goto out_free;
	if (async) {
		/* clock_id, rate_low, rate_high */
		if (xfer->drx_len < 12 ||
		    scmi_wire_get_le32(xfer->drx) != id) {
			ret = -EPROTO;
			goto out_free;
		}
		if (done_rate)
			*done_rate = (u64)scmi_wire_get_le32(xfer->drx + 4) |
				((u64)scmi_wire_get_le32(xfer->drx + 8) << 32);
	} else if (done_rate) {
		*done_rate = rate;
	}
out_free:
	scmi_xfer_free(xfer);
	return ret;
}

static int scmi_clock_rates(struct scmi_clock *clk)
{
	u8 rx[SCMI_WIRE_MAX_PAYLOAD];
	unsigned int idx = 0, n, i, remaining;
	size_t rx_len;
	u8 tx[8];
	u32 flags;
	int ret;

	do {
		scmi_wire_put_le32(tx, clk->id);
		scmi_wire_put_le32(tx + 4, idx);
		ret = scmi_xfer_simple(SCMI_PROTO_CLOCK,
				       SCMI_CLOCK_DESCRIBE_RATES, tx,
				       sizeof(tx), rx, 4, sizeof(rx), &rx_len);
		if (ret)
			return ret;
		flags = scmi_wire_get_le32(rx);
		n = SCMI_CLOCK_RATES_NUM(flags);
		remaining = SCMI_CLOCK_RATES_REMAINING(flags);
		clk->range = !!(flags & SCMI_CLOCK_RATES_RANGE);
		if (!n || 4 + (size_t)n * 8 > rx_len ||
		    (clk->range && (n != 3 || idx)))
			return -EPROTO;
		for (i = 0; i < n && idx < SCMI_CLOCK_MAX_RATES; i++, idx++)
			clk->rates[idx] =
				(u64)scmi_wire_get_le32(rx + 4 + i * 8) |
				((u64)scmi_wire_get_le32(rx + 8 + i * 8) << 32);
	} while (remaining && !clk->range && idx < SCMI_CLOCK_MAX_RATES);
	clk->num_rates = idx;
	return 0;
}

static int scmi_clock_rates_show(struct seq_file *s, void *unused)
{
	struct scmi_clock *clk = s->private;
	unsigned int i;

	if (clk->range) {
		seq_printf(s, "min=%llu max=%llu step=%llu\n", clk->rates[0],
			   clk->rates[1], clk->rates[2]);
		return 0;
	}
	for (i = 0; i < clk->num_rates; i++)
		seq_printf(s, "%llu\n", clk->rates[i]);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(scmi_clock_rates);

static int scmi_clock_name_show(struct seq_file *s, void *unused)
{
	struct scmi_clock *clk = s->private;

	seq_printf(s, "%s\n", clk->name);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(scmi_clock_name);

static int scmi_clock_rate_dbg_get(void *data, u64 *val)
{
	struct scmi_clock *clk = data;

	return scmi_clock_rate_get(clk->id, val);
}

static int scmi_clock_rate_dbg_set(void *data, u64 val)
{
	struct scmi_clock *clk = data;

	return scmi_clock_rate_set(clk->id, val, false, NULL);
}
DEFINE_DEBUGFS_ATTRIBUTE(scmi_clock_rate_fops, scmi_clock_rate_dbg_get,
			 scmi_clock_rate_dbg_set, "%llu\n");

static int scmi_clock_rate_async_set(void *data, u64 val)
{
	struct scmi_clock *clk = data;

	return scmi_clock_rate_set(clk->id, val, true, NULL);
}
DEFINE_DEBUGFS_ATTRIBUTE(scmi_clock_rate_async_fops, scmi_clock_rate_dbg_get,
			 scmi_clock_rate_async_set, "%llu\n");

/**
 * scmi_clock_discover() - enumerate clocks and publish them in debugfs
 * @ag: the agent
 *
 * Return: 0 or -errno.
 */
int scmi_clock_discover(struct scmi_agent *ag)
{
	u8 rx[4 + SCMI_NAME_LEN];
	unsigned int num, i;
	char dname[16];
	u8 tx[4];
	int ret;

	ret = scmi_proto_count(SCMI_PROTO_CLOCK, SCMI_CLOCK_MAX, "clocks", &num);
	if (ret || !num)
		return ret;
	ag->clocks = kcalloc(num, sizeof(*ag->clocks), GFP_KERNEL);
	if (!ag->clocks)
		return -ENOMEM;
	for (i = 0; i < num; i++) {
		struct scmi_clock *clk = &ag->clocks[i];

		clk->id = i;
		scmi_wire_put_le32(tx, i);
		ret = scmi_xfer_simple(SCMI_PROTO_CLOCK, SCMI_CLOCK_ATTRIBUTES,
				       tx, sizeof(tx), rx, sizeof(rx),
				       sizeof(rx), NULL);
		if (ret)
			goto err_free;
		clk->enabled = scmi_wire_get_le32(rx) & 1;
		scmi_wire_name(clk->name, rx + 4);
		ret = scmi_clock_rates(clk);
		if (ret)
			goto err_free;
	}
	ag->nr_clocks = num;

	ag->clk_dir = debugfs_create_dir("clocks", ag->dbg);
	for (i = 0; i < num; i++) {
		struct scmi_clock *clk = &ag->clocks[i];

		snprintf(dname, sizeof(dname), "%u", i);
		clk->dir = debugfs_create_dir(dname, ag->clk_dir);
		debugfs_create_file("name", 0444, clk->dir, clk,
				    &scmi_clock_name_fops);
		debugfs_create_file("rates", 0444, clk->dir, clk,
				    &scmi_clock_rates_fops);
		debugfs_create_file_unsafe("rate", 0644, clk->dir, clk,
					   &scmi_clock_rate_fops);
		debugfs_create_file_unsafe("rate_async", 0644, clk->dir, clk,
					   &scmi_clock_rate_async_fops);
	}
	pr_info("%u clocks discovered\n", num);
	return 0;

err_free:
	kfree(ag->clocks);
	ag->clocks = NULL;
	return ret;
}

/**
 * scmi_clock_teardown() - undo scmi_clock_discover()
 * @ag: the agent
 *
 * debugfs_remove_recursive() waits for running debugfs handlers, so the
 * clock array can be freed afterwards.
 */
void scmi_clock_teardown(struct scmi_agent *ag)
{
	debugfs_remove_recursive(ag->clk_dir);
	ag->clk_dir = NULL;
	ag->nr_clocks = 0;
	kfree(ag->clocks);
	ag->clocks = NULL;
}
