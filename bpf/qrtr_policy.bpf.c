// SPDX-License-Identifier: GPL-2.0
/*
 * qrtr_policy: endpoint-id and packet-filter policy for socbpf_qrtr.
 *
 * socbpf_qrtr lets several identical devices (two WLAN cards, both node 7
 * port 1) share one QRTR bus by giving each link an endpoint id. Which id a
 * device gets is up to the module's default allocator (lowest free id), so
 * it changes with probe order. This policy makes ids stable and filters
 * traffic per endpoint. It implements struct qrtr_policy_ops:
 *
 * choose_id(desc)
 *   Looks the new endpoint's device key (desc->key, e.g.
 *   "pci:0000:01:00.0") up in the `ids` hash map, filled by the loader from
 *   "key = id" lines. A hit returns that id; a miss returns 0 and leaves the
 *   choice to the default allocator, as does no map at all. The module
 *   range-checks the answer and falls back to the default allocator if the
 *   id is taken, so a wrong map cannot corrupt the registry.
 *
 * verdict(ctx)
 *   Walks the compiled rules (in .rodata, fixed at load time) in order;
 *   the first rule whose fields all match decides: allow passes, deny drops.
 *   No match applies the default action. Fields a rule does not name are
 *   wildcards; node and port name the device side of the packet (its source
 *   on rx, its destination on tx); service and instance match only when the
 *   module's name service knows the device port. Each rule counts its hits
 *   in `rule_hits`, which `qrtr-policy status` prints.
 *
 * ep_added / ep_removed
 *   Count endpoint churn (shown by `qrtr-policy status`).
 *
 * Knobs set by the loader between open and load: nr_rules, rules[],
 * default_action. With nr_rules == 0 and default allow, verdict passes
 * everything (the benchmark's pass-all policy); the loader removes the
 * verdict hook entirely when only ids are configured.
 */
#include "vmlinux_socbpf_qrtr.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <socbpf/qrtr_policy_abi.h>
#include "../tools/qrtr-policy/qrtr_policy.h"

char LICENSE[] SEC("license") = "GPL";

const volatile unsigned int nr_rules;
const volatile unsigned int default_action = QP_ACT_ALLOW;
const volatile struct qp_rule rules[QP_MAX_RULES];

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, QP_MAX_IDS);
	__type(key, struct qp_idkey);
	__type(value, __u32);
} ids SEC(".maps");

/* Slot QP_MAX_RULES counts packets that fell through to the default. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, QP_MAX_RULES + 1);
	__type(key, __u32);
	__type(value, __u64);
} rule_hits SEC(".maps");

__u64 eps_added;
__u64 eps_removed;

static __always_inline void count_hit(__u32 slot)
{
	__u64 *n = bpf_map_lookup_elem(&rule_hits, &slot);

	if (n)
		(*n)++;
}

SEC("struct_ops")
__u32 BPF_PROG(qp_choose_id, const struct qrtr_ep_desc *desc)
{
	struct qp_idkey k = {};
	__u32 *id;
	int i;

	for (i = 0; i < QP_KEY_MAX; i++)
		k.key[i] = desc->key[i];
	id = bpf_map_lookup_elem(&ids, &k);
	return id ? *id : 0;
}

static __always_inline bool rule_matches(const volatile struct qp_rule *r,
					 const struct qrtr_pkt_ctx *ctx)
{
	__u32 node = ctx->dir == QRTR_DIR_RX ? ctx->src_node : ctx->dst_node;
	__u32 port = ctx->dir == QRTR_DIR_RX ? ctx->src_port : ctx->dst_port;
	__u32 m = r->match;

	if ((m & QP_M_EP) && r->ep != ctx->ep_id)
		return false;
	if ((m & QP_M_DIR) && r->dir != ctx->dir)
		return false;
	if ((m & QP_M_TYPE) && r->type != ctx->type)
		return false;
	if ((m & QP_M_NODE) && r->node != node)
		return false;
	if ((m & QP_M_PORT) && r->port != port)
		return false;
	if ((m & QP_M_SERVICE) && (!ctx->has_service || r->service != ctx->service))
		return false;
	if ((m & QP_M_INSTANCE) && (!ctx->has_service || r->instance != ctx->instance))
		return false;
	return true;
}

SEC("struct_ops")
__u32 BPF_PROG(qp_verdict, const struct qrtr_pkt_ctx *pkt)
{
	__u32 i;

	for (i = 0; i < QP_MAX_RULES; i++) {
		if (i >= nr_rules)
			break;
		if (rule_matches(&rules[i], pkt)) {
			count_hit(i);
			return rules[i].action == QP_ACT_DENY ?
			       QRTR_VERDICT_DROP : QRTR_VERDICT_PASS;
		}
	}
	count_hit(QP_MAX_RULES);
	return default_action == QP_ACT_DENY ? QRTR_VERDICT_DROP : QRTR_VERDICT_PASS;
}

SEC("struct_ops")
void BPF_PROG(qp_ep_added, __u32 ep_id, const struct qrtr_ep_desc *desc)
{
	__sync_fetch_and_add(&eps_added, 1);
}

SEC("struct_ops")
void BPF_PROG(qp_ep_removed, __u32 ep_id)
{
	__sync_fetch_and_add(&eps_removed, 1);
}

SEC(".struct_ops.link")
struct qrtr_policy_ops qrtr_policy = {
	.choose_id	= (void *)qp_choose_id,
	.verdict	= (void *)qp_verdict,
	.ep_added	= (void *)qp_ep_added,
	.ep_removed	= (void *)qp_ep_removed,
	.name		= "qrtr_policy",
};
