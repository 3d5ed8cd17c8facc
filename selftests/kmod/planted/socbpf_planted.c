// SPDX-License-Identifier: GPL-2.0
/*
 * socbpf_planted - test-only module with deliberate bugs, one per file in
 * /sys/kernel/debug/socbpf_planted/, each fired by a write:
 *
 *   uaf            reads a kmalloc'ed object after kfree (KASAN)
 *   lock_inversion takes lock A then B, later B then A (lockdep)
 *   leak           allocates an object and forgets it (kmemleak)
 *   atomic_sleep   allocates with GFP_KERNEL under a spinlock
 *                  (DEBUG_ATOMIC_SLEEP)
 *   shift          shifts by more than the type's width (UBSAN)
 *   list_corrupt   deletes a list entry twice (DEBUG_LIST)
 *
 * selftests/runner/test_detectors.sh loads it on the debug kernel and
 * expects each bug to fail the run. Nothing else should ever load it.
 */
#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/list.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/spinlock.h>

static struct dentry *planted_dir;
static DEFINE_MUTEX(planted_lock_a);
static DEFINE_MUTEX(planted_lock_b);
static DEFINE_SPINLOCK(planted_spin);

/* Read and written with READ_ONCE/WRITE_ONCE: the bugs stay in the code. */
static int planted_sink;

static void planted_uaf(void)
{
	char *p = kmalloc(64, GFP_KERNEL);

	if (!p)
		return;
	p[0] = 1;
	kfree(p);
	WRITE_ONCE(planted_sink, READ_ONCE(p[0]));
}

static void planted_lock_inversion(void)
{
	mutex_lock(&planted_lock_a);
	mutex_lock(&planted_lock_b);
	mutex_unlock(&planted_lock_b);
	mutex_unlock(&planted_lock_a);

	mutex_lock(&planted_lock_b);
	mutex_lock(&planted_lock_a);
	mutex_unlock(&planted_lock_a);
	mutex_unlock(&planted_lock_b);
}

static void planted_leak(void)
{
	void *p = kmalloc(200, GFP_KERNEL);

	/* the allocation stays; nothing keeps the pointer */
	OPTIMIZER_HIDE_VAR(p);
	if (p)
		memset(p, 0x5a, 200);
}

static void planted_atomic_sleep(void)
{
	void *p;

	spin_lock(&planted_spin);
	p = kmalloc(32, GFP_KERNEL);
	spin_unlock(&planted_spin);
	kfree(p);
}

static void planted_shift(void)
{
	int width = 40 + READ_ONCE(planted_sink);

	WRITE_ONCE(planted_sink, 1 << width);
}

static void planted_list_corrupt(void)
{
	LIST_HEAD(head);
	struct list_head entry;

	list_add(&entry, &head);
	__list_del_entry(&entry);
	/* again: head, now empty, no longer points back at entry */
	__list_del_entry(&entry);
}

struct planted_bug {
	const char *name;
	void (*fire)(void);
};

static const struct planted_bug planted_bugs[] = {
	{ "uaf", planted_uaf },
	{ "lock_inversion", planted_lock_inversion },
	{ "leak", planted_leak },
	{ "atomic_sleep", planted_atomic_sleep },
	{ "shift", planted_shift },
	{ "list_corrupt", planted_list_corrupt },
};

static ssize_t planted_write(struct file *file, const char __user *buf,
			     size_t count, loff_t *ppos)
{
	const struct planted_bug *bug = file->private_data;

	pr_info("socbpf_planted: firing %s\n", bug->name);
	bug->fire();
	return count;
}

static const struct file_operations planted_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.write = planted_write,
	.llseek = noop_llseek,
};

static int __init planted_init(void)
{
	size_t i;

	planted_dir = debugfs_create_dir("socbpf_planted", NULL);
	for (i = 0; i < ARRAY_SIZE(planted_bugs); i++)
		debugfs_create_file(planted_bugs[i].name, 0200, planted_dir,
				    (void *)&planted_bugs[i], &planted_fops);
	return 0;
}

static void __exit planted_exit(void)
{
	debugfs_remove_recursive(planted_dir);
}

module_init(planted_init);
module_exit(planted_exit);
MODULE_DESCRIPTION("socbpf test-only module: deliberate bugs for the debug lane");
MODULE_LICENSE("GPL");
