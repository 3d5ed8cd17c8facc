// SPDX-License-Identifier: GPL-2.0
/*
 * socbpf_testwarn - test-only module that triggers a kernel WARN on demand.
 *
 * The VM runner's own tests load it to prove that a WARNING in the guest's
 * log fails the run. Nothing else should ever load it.
 *
 *   echo 1 > /sys/kernel/debug/socbpf_testwarn/warn
 */
#include <linux/bug.h>
#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/module.h>

static struct dentry *testwarn_dir;

static ssize_t testwarn_write(struct file *file, const char __user *buf,
			      size_t count, loff_t *ppos)
{
	WARN(1, "socbpf_testwarn: warning on demand\n");
	return count;
}

static const struct file_operations testwarn_fops = {
	.owner = THIS_MODULE,
	.write = testwarn_write,
	.llseek = noop_llseek,
};

static int __init testwarn_init(void)
{
	testwarn_dir = debugfs_create_dir("socbpf_testwarn", NULL);
	debugfs_create_file("warn", 0200, testwarn_dir, NULL, &testwarn_fops);
	return 0;
}

static void __exit testwarn_exit(void)
{
	debugfs_remove_recursive(testwarn_dir);
}

module_init(testwarn_init);
module_exit(testwarn_exit);
MODULE_DESCRIPTION("socbpf test-only module: WARN on demand");
MODULE_LICENSE("GPL");
