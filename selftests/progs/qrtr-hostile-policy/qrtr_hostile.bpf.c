// SPDX-License-Identifier: GPL-2.0
/*
 * qrtr_hostile: a deliberately wrong socbpf_qrtr policy, for tests only.
 *
 * choose_id() hands out the ids in answers[] in turn (out of range, taken,
 * zero, huge) and verdict() returns a fixed value that need not be a valid
 * verdict. The module must range-check all of it: the registry stays
 * consistent, bad ids fall back to the default allocator, bad verdicts pass,
 * and every rejection is counted.
 */
#include "vmlinux_socbpf_qrtr.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

char LICENSE[] SEC("license") = "GPL";

#define NR_ANSWERS 8

const volatile __u32 answers[NR_ANSWERS];
const volatile __u32 nr_answers;
const volatile __u32 verdict_value;

__u64 calls;

SEC("struct_ops")
__u32 BPF_PROG(hostile_choose_id, const struct qrtr_ep_desc *desc)
{
	__u64 n = __sync_fetch_and_add(&calls, 1);
	__u32 i;

	if (!nr_answers)
		return 0;
	i = (__u32)(n % nr_answers);
	if (i >= NR_ANSWERS)
		return 0;
	return answers[i];
}

SEC("struct_ops")
__u32 BPF_PROG(hostile_verdict, const struct qrtr_pkt_ctx *pkt)
{
	return verdict_value;
}

SEC(".struct_ops.link")
struct qrtr_policy_ops qrtr_hostile = {
	.choose_id	= (void *)hostile_choose_id,
	.verdict	= (void *)hostile_verdict,
	.name		= "qrtr_hostile",
};
