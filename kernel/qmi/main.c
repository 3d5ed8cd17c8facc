// SPDX-License-Identifier: GPL-2.0
/*
 * socbpf_qmi module: init/exit and a debugfs window on the codec.
 *
 * /sys/kernel/debug/socbpf_qmi/
 *   codec	write one QMI message: it is decoded as a WLAN firmware
 *		capability response (the shape ath11k's firmware answers
 *		with), re-encoded, and the re-encoding is what a read returns;
 *		a malformed message fails the write with the codec's errno
 *   fields	the fields of the last message decoded, one per line
 *   stats	decoded messages, unknown TLVs skipped, errors by errno
 */
#define pr_fmt(fmt) "socbpf_qmi: " fmt

#include <linux/debugfs.h>
#include <linux/err.h>
#include <linux/fs.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "socbpf_qmi.h"

#define CAP_TIMESTAMP_LEN	33
#define CAP_BUILD_ID_LEN	129
#define CAP_MAX_MEM		8

struct cap_chip_info {
	u32 chip_id;
	u32 chip_family;
};

struct cap_fw_version {
	u32 fw_version;
	char fw_build_timestamp[CAP_TIMESTAMP_LEN];
};

struct cap_mem_seg {
	u64 addr;
	u32 size;
	u8 type;
};

struct cap_resp {
	struct sqmi_response_type resp;
	u8 chip_info_valid;
	struct cap_chip_info chip_info;
	u8 board_id_valid;
	u32 board_id;
	u8 fw_version_info_valid;
	struct cap_fw_version fw_version_info;
	u8 fw_build_id_valid;
	char fw_build_id[CAP_BUILD_ID_LEN];
	u8 mem_valid;
	u32 mem_len;
	struct cap_mem_seg mem[CAP_MAX_MEM];
};

static const struct sqmi_elem_info cap_chip_info_ei[] = {
	{ .data_type = SQMI_UNSIGNED_4_BYTE, .elem_len = 1,
	  .elem_size = sizeof(u32),
	  .offset = offsetof(struct cap_chip_info, chip_id) },
	{ .data_type = SQMI_UNSIGNED_4_BYTE, .elem_len = 1,
	  .elem_size = sizeof(u32),
	  .offset = offsetof(struct cap_chip_info, chip_family) },
	{ .data_type = SQMI_EOTI },
};

static const struct sqmi_elem_info cap_fw_version_ei[] = {
	{ .data_type = SQMI_UNSIGNED_4_BYTE, .elem_len = 1,
	  .elem_size = sizeof(u32),
	  .offset = offsetof(struct cap_fw_version, fw_version) },
	{ .data_type = SQMI_STRING, .elem_len = CAP_TIMESTAMP_LEN,
	  .elem_size = sizeof(char),
	  .offset = offsetof(struct cap_fw_version, fw_build_timestamp) },
	{ .data_type = SQMI_EOTI },
};

static const struct sqmi_elem_info cap_mem_seg_ei[] = {
	{ .data_type = SQMI_UNSIGNED_8_BYTE, .elem_len = 1,
	  .elem_size = sizeof(u64),
	  .offset = offsetof(struct cap_mem_seg, addr) },
	{ .data_type = SQMI_UNSIGNED_4_BYTE, .elem_len = 1,
	  .elem_size = sizeof(u32),
	  .offset = offsetof(struct cap_mem_seg, size) },
	{ .data_type = SQMI_UNSIGNED_1_BYTE, .elem_len = 1,
	  .elem_size = sizeof(u8),
	  .offset = offsetof(struct cap_mem_seg, type) },
	{ .data_type = SQMI_EOTI },
};

#define CAP_FLAG(t, f) { .data_type = SQMI_OPT_FLAG, .elem_len = 1, \
	.elem_size = sizeof(u8), .tlv_type = (t), \
	.offset = offsetof(struct cap_resp, f) }

static const struct sqmi_elem_info cap_resp_ei[] = {
	{ .data_type = SQMI_STRUCT, .elem_len = 1,
	  .elem_size = sizeof(struct sqmi_response_type),
	  .tlv_type = SQMI_RESULT_TLV_TYPE,
	  .offset = offsetof(struct cap_resp, resp),
	  .ei_array = socbpf_qmi_response_type_ei },
	CAP_FLAG(0x10, chip_info_valid),
	{ .data_type = SQMI_STRUCT, .elem_len = 1,
	  .elem_size = sizeof(struct cap_chip_info), .tlv_type = 0x10,
	  .offset = offsetof(struct cap_resp, chip_info),
	  .ei_array = cap_chip_info_ei },
	CAP_FLAG(0x11, board_id_valid),
	{ .data_type = SQMI_UNSIGNED_4_BYTE, .elem_len = 1,
	  .elem_size = sizeof(u32), .tlv_type = 0x11,
	  .offset = offsetof(struct cap_resp, board_id) },
	CAP_FLAG(0x13, fw_version_info_valid),
	{ .data_type = SQMI_STRUCT, .elem_len = 1,
	  .elem_size = sizeof(struct cap_fw_version), .tlv_type = 0x13,
	  .offset = offsetof(struct cap_resp, fw_version_info),
	  .ei_array = cap_fw_version_ei },
	CAP_FLAG(0x14, fw_build_id_valid),
	{ .data_type = SQMI_STRING, .elem_len = CAP_BUILD_ID_LEN,
	  .elem_size = sizeof(char), .tlv_type = 0x14,
	  .offset = offsetof(struct cap_resp, fw_build_id) },
	CAP_FLAG(0x20, mem_valid),
	{ .data_type = SQMI_DATA_LEN, .elem_len = 1, .elem_size = sizeof(u8),
	  .tlv_type = 0x20, .offset = offsetof(struct cap_resp, mem_len) },
	{ .data_type = SQMI_STRUCT, .elem_len = CAP_MAX_MEM,
	  .elem_size = sizeof(struct cap_mem_seg),
	  .array_type = SQMI_VAR_LEN_ARRAY, .tlv_type = 0x20,
	  .offset = offsetof(struct cap_resp, mem),
	  .ei_array = cap_mem_seg_ei },
	{ .data_type = SQMI_EOTI },
};

enum { ST_DECODED, ST_UNKNOWN_TLVS, ST_EMSGSIZE, ST_EBADMSG, ST_EOVERFLOW,
	ST_OTHER, ST_MAX };

static const char * const st_names[ST_MAX] = {
	[ST_DECODED] = "decoded",
	[ST_UNKNOWN_TLVS] = "unknown_tlvs",
	[ST_EMSGSIZE] = "drop_msgsize",
	[ST_EBADMSG] = "drop_badmsg",
	[ST_EOVERFLOW] = "drop_overflow",
	[ST_OTHER] = "drop_other",
};

static struct dentry *qmi_dbg_dir;
static DEFINE_MUTEX(codec_lock);	/* the fields below */
static u64 codec_stats[ST_MAX];
static struct cap_resp codec_last;
static struct sqmi_header codec_last_hdr;
static u8 *codec_out;
static size_t codec_out_len;

static void codec_count_error(int err)
{
	switch (err) {
	case -EMSGSIZE:
		codec_stats[ST_EMSGSIZE]++;
		break;
	case -EBADMSG:
		codec_stats[ST_EBADMSG]++;
		break;
	case -EOVERFLOW:
		codec_stats[ST_EOVERFLOW]++;
		break;
	default:
		codec_stats[ST_OTHER]++;
		break;
	}
}

static ssize_t codec_write(struct file *file, const char __user *ubuf,
			   size_t count, loff_t *ppos)
{
	struct sqmi_header hdr;
	struct cap_resp *msg;
	size_t len;
	void *buf, *out;
	int ret;

	if (count > QMI_WIRE_MAX_MSG + SQMI_HEADER_LEN)
		return -EMSGSIZE;
	buf = memdup_user(ubuf, count);
	if (IS_ERR(buf))
		return PTR_ERR(buf);
	msg = kzalloc(sizeof(*msg), GFP_KERNEL);
	if (!msg) {
		ret = -ENOMEM;
		goto out_buf;
	}
	ret = sqmi_decode_message(buf, count, cap_resp_ei, msg, &hdr);
	if (ret < 0) {
		mutex_lock(&codec_lock);
		codec_count_error(ret);
		mutex_unlock(&codec_lock);
		pr_info_ratelimited("dropped a malformed message: %d\n", ret);
		goto out_msg;
	}
	len = QMI_WIRE_MAX_MSG;
	out = socbpf_qmi_encode_message(hdr.type, hdr.msg_id, &len, hdr.txn_id,
					cap_resp_ei, msg);
	if (IS_ERR(out)) {
		ret = PTR_ERR(out);
		goto out_msg;
	}
	mutex_lock(&codec_lock);
	codec_stats[ST_DECODED]++;
	codec_stats[ST_UNKNOWN_TLVS] += hdr.unknown_tlvs;
	codec_last = *msg;
	codec_last_hdr = hdr;
	kfree(codec_out);
	codec_out = out;
	codec_out_len = len;
	mutex_unlock(&codec_lock);
	ret = count;
out_msg:
	kfree(msg);
out_buf:
	kfree(buf);
	return ret;
}

static ssize_t codec_read(struct file *file, char __user *ubuf, size_t count,
			  loff_t *ppos)
{
	ssize_t ret;

	mutex_lock(&codec_lock);
	ret = simple_read_from_buffer(ubuf, count, ppos, codec_out,
				      codec_out_len);
	mutex_unlock(&codec_lock);
	return ret;
}

static const struct file_operations codec_fops = {
	.owner = THIS_MODULE,
	.write = codec_write,
	.read = codec_read,
	.llseek = default_llseek,
};

static int fields_show(struct seq_file *s, void *unused)
{
	const struct cap_resp *m = &codec_last;
	u32 i;

	mutex_lock(&codec_lock);
	seq_printf(s, "type %u txn %u msg_id 0x%04x len %u\n",
		   codec_last_hdr.type, codec_last_hdr.txn_id,
		   codec_last_hdr.msg_id, codec_last_hdr.msg_len);
	seq_printf(s, "result %u error %u\n", m->resp.result, m->resp.error);
	if (m->chip_info_valid)
		seq_printf(s, "chip_id 0x%x chip_family 0x%x\n",
			   m->chip_info.chip_id, m->chip_info.chip_family);
	if (m->board_id_valid)
		seq_printf(s, "board_id 0x%x\n", m->board_id);
	if (m->fw_version_info_valid)
		seq_printf(s, "fw_version 0x%x fw_build_timestamp %s\n",
			   m->fw_version_info.fw_version,
			   m->fw_version_info.fw_build_timestamp);
	if (m->fw_build_id_valid)
		seq_printf(s, "fw_build_id %s\n", m->fw_build_id);
	if (m->mem_valid)
		for (i = 0; i < m->mem_len; i++)
			seq_printf(s, "mem %u addr 0x%llx size %u type %u\n", i,
				   m->mem[i].addr, m->mem[i].size,
				   m->mem[i].type);
	mutex_unlock(&codec_lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(fields);

static int stats_show(struct seq_file *s, void *unused)
{
	int i;

	mutex_lock(&codec_lock);
	for (i = 0; i < ST_MAX; i++)
		seq_printf(s, "%s %llu\n", st_names[i], codec_stats[i]);
	mutex_unlock(&codec_lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(stats);

static int __init socbpf_qmi_init(void)
{
	qmi_dbg_dir = debugfs_create_dir("socbpf_qmi", NULL);
	debugfs_create_file("codec", 0600, qmi_dbg_dir, NULL, &codec_fops);
	debugfs_create_file("fields", 0444, qmi_dbg_dir, NULL, &fields_fops);
	debugfs_create_file("stats", 0444, qmi_dbg_dir, NULL, &stats_fops);
	return 0;
}

static void __exit socbpf_qmi_exit(void)
{
	debugfs_remove_recursive(qmi_dbg_dir);
	kfree(codec_out);
}

module_init(socbpf_qmi_init);
module_exit(socbpf_qmi_exit);
MODULE_DESCRIPTION("socbpf in-kernel QMI: table-driven codec");
MODULE_LICENSE("GPL");
