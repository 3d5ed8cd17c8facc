/* SPDX-License-Identifier: GPL-2.0 */
/*
 * socbpf_qrtr policy hooks: a module-defined struct_ops type through which a
 * BPF program chooses endpoint ids and filters packets per endpoint.
 *
 * The context structures below are what a BPF policy sees; they are part of
 * the module's BTF, so a policy includes vmlinux_socbpf_qrtr.h (vmlinux plus
 * this module's types) and reads them directly. They are read-only: the
 * verifier rejects writes through them.
 */
#ifndef _SOCBPF_QRTR_POLICY_H
#define _SOCBPF_QRTR_POLICY_H

#include <linux/rcupdate.h>
#include <linux/types.h>
#include <uapi/linux/socbpf_qrtr.h>
#include <socbpf/qrtr_policy_abi.h>

/**
 * struct qrtr_ep_desc - description of a new endpoint, for choose_id()
 * @kind: QRTR_BACKEND_* (socbpf/qrtr_policy_abi.h)
 * @preassigned_id: id a driver pre-assigned to this device, or 0
 * @keylen: bytes used in @key
 * @key: the backend's per-device data (for tun: "pci:0000:01:00.0"), NUL padded
 */
struct qrtr_ep_desc {
	__u32 kind;
	__u32 preassigned_id;
	__u32 keylen;
	char key[QRTR_TUN_KEY_MAX];
};

/**
 * struct qrtr_pkt_ctx - one packet crossing an endpoint, for verdict()
 * @ep_id: the endpoint it crosses
 * @dir: QRTR_DIR_RX or QRTR_DIR_TX
 * @type: QRTR packet type (1 = DATA, 2 = HELLO, ...)
 * @src_node: source node
 * @src_port: source port
 * @dst_node: destination node
 * @dst_port: destination port
 * @len: payload length in bytes
 * @has_service: the name service knows the remote (node, port) of the packet
 * @service: service of the remote port when @has_service
 * @instance: instance of the remote port when @has_service
 */
struct qrtr_pkt_ctx {
	__u32 ep_id;
	__u32 dir;
	__u32 type;
	__u32 src_node;
	__u32 src_port;
	__u32 dst_node;
	__u32 dst_port;
	__u32 len;
	__u32 has_service;
	__u32 service;
	__u32 instance;
};

/**
 * struct qrtr_policy_ops - BPF policy for socbpf_qrtr (struct_ops)
 * @choose_id: pick the id of a new endpoint; 0 leaves it to the default
 *             allocator. A result that is out of range or already in use
 *             falls back to the default allocator and is counted.
 * @verdict: QRTR_VERDICT_PASS or QRTR_VERDICT_DROP for a packet crossing
 *           an endpoint; any other value counts as a bad verdict and passes.
 * @ep_added: an endpoint came up with id @ep_id (optional)
 * @ep_removed: endpoint @ep_id went away (optional)
 * @name: policy name, shown in debugfs and by qrtrtop
 *
 * One instance may be attached at a time.
 */
struct qrtr_policy_ops {
	u32 (*choose_id)(const struct qrtr_ep_desc *desc);
	u32 (*verdict)(const struct qrtr_pkt_ctx *ctx);
	void (*ep_added)(u32 ep_id, const struct qrtr_ep_desc *desc);
	void (*ep_removed)(u32 ep_id);
	char name[QRTR_POLICY_NAME_MAX];
};

/**
 * struct qrtr_policy_stats - what the policy layer counted
 * @attached: a policy is attached
 * @name: its name
 * @attach_count: successful attaches since load
 * @ids_chosen: choose_id() results that were used
 * @ids_default: choose_id() returned 0 (default allocator)
 * @ids_rejected: choose_id() results out of range or in use
 * @verdicts_pass: packets passed by verdict()
 * @verdicts_drop: packets dropped by verdict()
 * @verdicts_bad: verdict() results other than pass/drop (treated as pass)
 * @verdicts_slow: verdict() calls longer than verdict_budget_us
 * @verdicts_ignored: packets passed without asking a muted (too slow) policy
 * @muted: the attached policy's verdicts are ignored
 */
struct qrtr_policy_stats {
	bool attached;
	char name[QRTR_POLICY_NAME_MAX];
	u64 attach_count;
	u64 ids_chosen;
	u64 ids_default;
	u64 ids_rejected;
	u64 verdicts_pass;
	u64 verdicts_drop;
	u64 verdicts_bad;
	u64 verdicts_slow;
	u64 verdicts_ignored;
	bool muted;
};

int qrtr_policy_init(void);
void qrtr_policy_exit(void);
u32 qrtr_policy_choose_id(const struct qrtr_ep_desc *desc, u32 max_id);
void qrtr_policy_id_rejected(u32 id);
void qrtr_policy_id_used(void);
bool qrtr_policy_drop(const struct qrtr_pkt_ctx *ctx);
void qrtr_policy_ep_added(u32 ep_id, const struct qrtr_ep_desc *desc);
void qrtr_policy_ep_removed(u32 ep_id);

/* the attached policy (policy.c); the data path only tests for one */
extern struct qrtr_policy_ops __rcu *qrtr_policy;

/**
 * qrtr_policy_active() - is a policy attached?
 *
 * Inline: the data path asks on every packet.
 *
 * Return: true when a policy is attached.
 */
static inline bool qrtr_policy_active(void)
{
	return !!rcu_access_pointer(qrtr_policy);
}

void qrtr_policy_get_stats(struct qrtr_policy_stats *st);

#endif /* _SOCBPF_QRTR_POLICY_H */
