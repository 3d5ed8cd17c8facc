// SPDX-License-Identifier: GPL-2.0
/*
 * socbpf_qrtr policy hooks (struct_ops).
 *
 * A BPF program implementing struct qrtr_policy_ops decides the ids of new
 * endpoints and passes or drops each packet crossing an endpoint. One policy
 * is attached at a time; attaching a second fails with -EEXIST. Without a
 * policy, or for a hook the policy leaves out, the module behaves as if the
 * hook did not exist: default id allocator, every packet passes.
 *
 * Nothing a policy returns is trusted: ids are range-checked here and
 * uniqueness is enforced by the registry, which falls back to the default
 * allocator; verdicts other than pass/drop count as bad and pass.
 *
 * Nor is its speed.  verdict() runs for every packet crossing an endpoint,
 * in the sender's context under rcu_read_lock(), sometimes under the name
 * service's mutex (its own sends) or a link's tx path; the verifier bounds
 * the program's length but not its time (bpf_loop() may spin millions of
 * times).  Each call is timed; after QRTR_POLICY_STRIKES calls longer than
 * verdict_budget_us the policy's verdicts are ignored (every packet passes,
 * as with no policy) until it is detached, with one log line.
 */
#include <linux/module.h>
#include <linux/sched/clock.h>
#include <linux/bpf.h>
#include <linux/bpf_verifier.h>
#include <linux/btf.h>
#include <linux/mutex.h>
#include <linux/rcupdate.h>
#include <linux/string.h>

#include "qrtr.h"
#include "policy.h"

struct qrtr_policy_ops __rcu *qrtr_policy;
static DEFINE_MUTEX(qrtr_policy_mutex);

static atomic64_t st_attach_count;
static atomic64_t st_ids_chosen;
static atomic64_t st_ids_default;
static atomic64_t st_ids_rejected;
static atomic64_t st_verdicts_pass;
static atomic64_t st_verdicts_drop;
static atomic64_t st_verdicts_bad;
static atomic64_t st_verdicts_slow;
static atomic64_t st_verdicts_ignored;

static unsigned int verdict_budget_us = 1000;
module_param(verdict_budget_us, uint, 0644);
MODULE_PARM_DESC(verdict_budget_us,
		 "Longest a policy's verdict() may take before it counts as slow, 0 = no limit (default 1000)");

#define QRTR_POLICY_STRIKES	8

/* slow verdicts of the attached policy; at QRTR_POLICY_STRIKES it is muted */
static atomic_t qrtr_policy_strikes;

static bool qrtr_policy_muted(void)
{
	return atomic_read(&qrtr_policy_strikes) >= QRTR_POLICY_STRIKES;
}

static void qrtr_policy_slow(const struct qrtr_policy_ops *ops, u64 ns)
{
	atomic64_inc(&st_verdicts_slow);
	if (atomic_inc_return(&qrtr_policy_strikes) != QRTR_POLICY_STRIKES)
		return;
	pr_warn("socbpf_qrtr: policy '%s': %d verdicts over verdict_budget_us=%u (last %llu us); ignoring its verdicts until it is detached\n",
		ops->name, QRTR_POLICY_STRIKES, READ_ONCE(verdict_budget_us),
		div_u64(ns, NSEC_PER_USEC));
}

/**
 * qrtr_policy_choose_id() - ask the attached policy for a new endpoint's id
 * @desc: what the policy may look at
 * @max_id: highest id the registry hands out
 *
 * Return: a candidate id in 1..@max_id, or 0 to use the default allocator.
 * The registry still has to find the candidate free; if it is not, it calls
 * qrtr_policy_id_rejected() and allocates by itself.
 */
u32 qrtr_policy_choose_id(const struct qrtr_ep_desc *desc, u32 max_id)
{
	struct qrtr_policy_ops *ops;
	u32 id = 0;
	bool asked = false;

	rcu_read_lock();
	ops = rcu_dereference(qrtr_policy);
	if (ops && ops->choose_id) {
		id = ops->choose_id(desc);
		asked = true;
	}
	rcu_read_unlock();

	if (!asked)
		return 0;
	if (!id) {
		atomic64_inc(&st_ids_default);
		return 0;
	}
	if (id > max_id) {
		qrtr_policy_id_rejected(id);
		return 0;
	}
	return id;
}

/**
 * qrtr_policy_id_rejected() - count a policy id that could not be used
 * @id: the id the policy asked for
 */
void qrtr_policy_id_rejected(u32 id)
{
	atomic64_inc(&st_ids_rejected);
	pr_warn_ratelimited("socbpf_qrtr: policy chose unusable endpoint id %u, using the default allocator\n",
			    id);
}

/**
 * qrtr_policy_id_used() - count a policy id that the registry accepted
 */
void qrtr_policy_id_used(void)
{
	atomic64_inc(&st_ids_chosen);
}

/**
 * qrtr_policy_drop() - run the policy's verdict on a packet
 * @ctx: the packet, as the policy sees it
 *
 * Return: true if the policy drops the packet.
 */
bool qrtr_policy_drop(const struct qrtr_pkt_ctx *ctx)
{
	struct qrtr_policy_ops *ops;
	u32 verdict = QRTR_VERDICT_PASS;
	unsigned int budget;
	bool asked = false;
	u64 t0, ns;

	rcu_read_lock();
	ops = rcu_dereference(qrtr_policy);
	if (ops && ops->verdict && qrtr_policy_muted()) {
		atomic64_inc(&st_verdicts_ignored);
	} else if (ops && ops->verdict) {
		t0 = local_clock();
		verdict = ops->verdict(ctx);
		ns = local_clock() - t0;
		asked = true;
		budget = READ_ONCE(verdict_budget_us);
		if (budget && ns > (u64)budget * NSEC_PER_USEC)
			qrtr_policy_slow(ops, ns);
	}
	rcu_read_unlock();

	if (!asked)
		return false;
	switch (verdict) {
	case QRTR_VERDICT_PASS:
		atomic64_inc(&st_verdicts_pass);
		return false;
	case QRTR_VERDICT_DROP:
		atomic64_inc(&st_verdicts_drop);
		return true;
	default:
		atomic64_inc(&st_verdicts_bad);
		return false;
	}
}

/**
 * qrtr_policy_ep_added() - tell the policy an endpoint came up
 * @ep_id: its id
 * @desc: its description
 */
void qrtr_policy_ep_added(u32 ep_id, const struct qrtr_ep_desc *desc)
{
	struct qrtr_policy_ops *ops;

	rcu_read_lock();
	ops = rcu_dereference(qrtr_policy);
	if (ops && ops->ep_added)
		ops->ep_added(ep_id, desc);
	rcu_read_unlock();
}

/**
 * qrtr_policy_ep_removed() - tell the policy an endpoint went away
 * @ep_id: its id
 */
void qrtr_policy_ep_removed(u32 ep_id)
{
	struct qrtr_policy_ops *ops;

	rcu_read_lock();
	ops = rcu_dereference(qrtr_policy);
	if (ops && ops->ep_removed)
		ops->ep_removed(ep_id);
	rcu_read_unlock();
}

/**
 * qrtr_policy_get_stats() - snapshot the policy counters
 * @st: filled in
 */
void qrtr_policy_get_stats(struct qrtr_policy_stats *st)
{
	struct qrtr_policy_ops *ops;

	memset(st, 0, sizeof(*st));
	mutex_lock(&qrtr_policy_mutex);
	ops = rcu_dereference_protected(qrtr_policy,
					lockdep_is_held(&qrtr_policy_mutex));
	if (ops) {
		st->attached = true;
		strscpy(st->name, ops->name, sizeof(st->name));
	}
	mutex_unlock(&qrtr_policy_mutex);
	st->attach_count = atomic64_read(&st_attach_count);
	st->ids_chosen = atomic64_read(&st_ids_chosen);
	st->ids_default = atomic64_read(&st_ids_default);
	st->ids_rejected = atomic64_read(&st_ids_rejected);
	st->verdicts_pass = atomic64_read(&st_verdicts_pass);
	st->verdicts_drop = atomic64_read(&st_verdicts_drop);
	st->verdicts_bad = atomic64_read(&st_verdicts_bad);
	st->verdicts_slow = atomic64_read(&st_verdicts_slow);
	st->verdicts_ignored = atomic64_read(&st_verdicts_ignored);
	st->muted = qrtr_policy_muted();
}

/* ---- struct_ops glue ---- */

static int qrtr_policy_reg(void *kdata, struct bpf_link *link)
{
	struct qrtr_policy_ops *ops = kdata;
	int ret = 0;

	mutex_lock(&qrtr_policy_mutex);
	if (rcu_access_pointer(qrtr_policy)) {
		ret = -EEXIST;
		goto out;
	}
	atomic_set(&qrtr_policy_strikes, 0);
	rcu_assign_pointer(qrtr_policy, ops);
	atomic64_inc(&st_attach_count);
	pr_info("socbpf_qrtr: policy '%s' attached\n", ops->name);
out:
	mutex_unlock(&qrtr_policy_mutex);
	return ret;
}

static void qrtr_policy_unreg(void *kdata, struct bpf_link *link)
{
	struct qrtr_policy_ops *ops = kdata;
	bool was = false;

	mutex_lock(&qrtr_policy_mutex);
	if (rcu_access_pointer(qrtr_policy) == ops) {
		RCU_INIT_POINTER(qrtr_policy, NULL);
		was = true;
	}
	mutex_unlock(&qrtr_policy_mutex);
	if (was) {
		/* No hook may still be running the old programs. */
		synchronize_rcu();
		pr_info("socbpf_qrtr: policy '%s' detached\n", ops->name);
	}
}

static int qrtr_policy_init_member(const struct btf_type *t,
				   const struct btf_member *member,
				   void *kdata, const void *udata)
{
	const struct qrtr_policy_ops *uops = udata;
	struct qrtr_policy_ops *ops = kdata;
	u32 moff = __btf_member_bit_offset(t, member) / 8;

	if (moff != offsetof(struct qrtr_policy_ops, name))
		return 0;
	if (strnlen(uops->name, sizeof(uops->name)) >= sizeof(uops->name))
		return -EINVAL;
	strscpy(ops->name, uops->name[0] ? uops->name : "unnamed",
		sizeof(ops->name));
	return 1;
}

static int qrtr_policy_check_member(const struct btf_type *t,
				    const struct btf_member *member,
				    const struct bpf_prog *prog)
{
	/* Hooks run under rcu_read_lock() on the data path. */
	if (prog->sleepable)
		return -EINVAL;
	return 0;
}

static int qrtr_policy_btf_init(struct btf *btf)
{
	return 0;
}

static const struct bpf_func_proto *
qrtr_policy_get_func_proto(enum bpf_func_id func_id, const struct bpf_prog *prog)
{
	return bpf_base_func_proto(func_id, prog);
}

static bool qrtr_policy_is_valid_access(int off, int size,
					enum bpf_access_type type,
					const struct bpf_prog *prog,
					struct bpf_insn_access_aux *info)
{
	/* Arguments only; what they point to is read-only (no btf_struct_access). */
	return bpf_tracing_btf_ctx_access(off, size, type, prog, info);
}

static const struct bpf_verifier_ops qrtr_policy_verifier_ops = {
	.get_func_proto = qrtr_policy_get_func_proto,
	.is_valid_access = qrtr_policy_is_valid_access,
};

/* CFI stubs: the signatures the trampolines are generated against. */
static u32 qrtr_policy_stub_choose_id(const struct qrtr_ep_desc *desc)
{
	return 0;
}

static u32 qrtr_policy_stub_verdict(const struct qrtr_pkt_ctx *ctx)
{
	return QRTR_VERDICT_PASS;
}

static void qrtr_policy_stub_ep_added(u32 ep_id, const struct qrtr_ep_desc *desc)
{
}

static void qrtr_policy_stub_ep_removed(u32 ep_id)
{
}

static struct qrtr_policy_ops qrtr_policy_cfi_stubs = {
	.choose_id = qrtr_policy_stub_choose_id,
	.verdict = qrtr_policy_stub_verdict,
	.ep_added = qrtr_policy_stub_ep_added,
	.ep_removed = qrtr_policy_stub_ep_removed,
};

static struct bpf_struct_ops qrtr_policy_bpf_ops = {
	.verifier_ops = &qrtr_policy_verifier_ops,
	.init = qrtr_policy_btf_init,
	.init_member = qrtr_policy_init_member,
	.check_member = qrtr_policy_check_member,
	.reg = qrtr_policy_reg,
	.unreg = qrtr_policy_unreg,
	.cfi_stubs = &qrtr_policy_cfi_stubs,
	.name = "qrtr_policy_ops",
	.owner = THIS_MODULE,
};

int qrtr_policy_init(void)
{
	return register_bpf_struct_ops(&qrtr_policy_bpf_ops, qrtr_policy_ops);
}

void qrtr_policy_exit(void)
{
	/*
	 * The struct_ops type goes away with the module's BTF; an attached
	 * policy holds a module reference, so none can be attached here.
	 */
	WARN_ON_ONCE(rcu_access_pointer(qrtr_policy));
}
