// SPDX-License-Identifier: GPL-2.0
/*
 * socbpf_qrtr_test: test-only client of socbpf_qrtr's exported endpoint
 * registry API.
 *
 * On load it runs a self-test of socbpf_qrtr_epid_lookup/preassign/release
 * and keeps the TAP result in debugfs socbpf_qrtr_test/selftest.  Writing
 * "preassign KEY", "release KEY" or "lookup KEY" to socbpf_qrtr_test/ctl
 * calls the API; reading ctl returns the last result (an id or -errno).
 * Pre-assignments still held at unload are reclaimed by socbpf_qrtr.
 */
#define pr_fmt(fmt) "socbpf_qrtr_test: " fmt

#include <linux/debugfs.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "qrtr.h"

static struct dentry *qt_dir;
static DEFINE_MUTEX(qt_lock);
static int qt_last;
static char *qt_tap;
static size_t qt_tap_len;
static unsigned int qt_n;

#define QT_TAP_MAX 4096

static void qt_check(bool ok, const char *desc, long got)
{
	qt_n++;
	qt_tap_len += scnprintf(qt_tap + qt_tap_len, QT_TAP_MAX - qt_tap_len,
				"%sok %u - %s (got %ld)\n", ok ? "" : "not ",
				qt_n, desc, got);
	if (!ok)
		pr_err("not ok %u - %s (got %ld)\n", qt_n, desc, got);
}

static void qt_selftest(void)
{
	static const char key[] = "qrtr-test-selftest";
	size_t len = sizeof(key) - 1;
	u8 big[QRTR_TUN_KEY_MAX + 1] = {};
	int id, rc;

	rc = socbpf_qrtr_epid_lookup(NULL, 0);
	qt_check(rc == -EINVAL, "lookup(NULL) is -EINVAL", rc);
	rc = socbpf_qrtr_epid_lookup(big, sizeof(big));
	qt_check(rc == -EINVAL, "lookup of an oversized key is -EINVAL", rc);
	rc = socbpf_qrtr_epid_lookup(key, len);
	qt_check(rc == -ENOENT, "lookup of an unknown key is -ENOENT", rc);
	rc = socbpf_qrtr_epid_release(key, len);
	qt_check(rc == -ENOENT, "release of an unknown key is -ENOENT", rc);
	id = socbpf_qrtr_epid_preassign(key, len);
	qt_check(id > 0 && id <= QRTR_ENDPOINT_ID_MAX, "preassign gives an id",
		 id);
	rc = socbpf_qrtr_epid_lookup(key, len);
	qt_check(rc == id, "lookup finds the pre-assigned id", rc);
	rc = socbpf_qrtr_epid_preassign(key, len);
	qt_check(rc == -EEXIST, "second preassign is -EEXIST", rc);
	rc = socbpf_qrtr_epid_release(key, len);
	qt_check(rc == 0, "release succeeds", rc);
	rc = socbpf_qrtr_epid_release(key, len);
	qt_check(rc == -ENOENT, "second release is -ENOENT", rc);
	rc = socbpf_qrtr_epid_lookup(key, len);
	qt_check(rc == -ENOENT, "released id is reclaimed", rc);
	qt_tap_len += scnprintf(qt_tap + qt_tap_len, QT_TAP_MAX - qt_tap_len,
				"1..%u\n", qt_n);
}

static ssize_t qt_ctl_write(struct file *file, const char __user *ubuf,
			    size_t count, loff_t *ppos)
{
	char buf[16 + QRTR_TUN_KEY_MAX], *key;
	size_t len;
	int rc;

	if (count >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, count))
		return -EFAULT;
	buf[count] = '\0';
	strim(buf);
	key = strchr(buf, ' ');
	if (!key)
		return -EINVAL;
	*key++ = '\0';
	len = strlen(key);

	if (!strcmp(buf, "preassign"))
		rc = socbpf_qrtr_epid_preassign(key, len);
	else if (!strcmp(buf, "release"))
		rc = socbpf_qrtr_epid_release(key, len);
	else if (!strcmp(buf, "lookup"))
		rc = socbpf_qrtr_epid_lookup(key, len);
	else
		return -EINVAL;

	mutex_lock(&qt_lock);
	qt_last = rc;
	mutex_unlock(&qt_lock);
	return count;
}

static int qt_ctl_show(struct seq_file *m, void *v)
{
	mutex_lock(&qt_lock);
	seq_printf(m, "%d\n", qt_last);
	mutex_unlock(&qt_lock);
	return 0;
}

static int qt_ctl_open(struct inode *inode, struct file *file)
{
	return single_open(file, qt_ctl_show, NULL);
}

static const struct file_operations qt_ctl_fops = {
	.owner = THIS_MODULE,
	.open = qt_ctl_open,
	.read = seq_read,
	.write = qt_ctl_write,
	.llseek = seq_lseek,
	.release = single_release,
};

static int qt_selftest_show(struct seq_file *m, void *v)
{
	seq_puts(m, qt_tap);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(qt_selftest);

static int __init qt_init(void)
{
	qt_tap = kzalloc(QT_TAP_MAX, GFP_KERNEL);
	if (!qt_tap)
		return -ENOMEM;
	qt_selftest();
	qt_dir = debugfs_create_dir("socbpf_qrtr_test", NULL);
	debugfs_create_file("ctl", 0600, qt_dir, NULL, &qt_ctl_fops);
	debugfs_create_file("selftest", 0400, qt_dir, NULL,
			    &qt_selftest_fops);
	return 0;
}

static void __exit qt_exit(void)
{
	debugfs_remove_recursive(qt_dir);
	kfree(qt_tap);
}

module_init(qt_init);
module_exit(qt_exit);

MODULE_DESCRIPTION("socbpf_qrtr registry API test module");
MODULE_LICENSE("GPL");
