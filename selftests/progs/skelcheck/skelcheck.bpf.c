// SPDX-License-Identifier: GPL-2.0
/*
 * skelcheck: proves the toolchain pair (clang + bpftool 7.5 skeletons +
 * libbpf 1.5) end to end in the guest: a const volatile knob set between
 * open and load, a .bss counter read through the skeleton's mmap, a
 * tracepoint program, and a struct_ops map attached with libbpf.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

char LICENSE[] SEC("license") = "GPL";

const volatile int target_tgid;
__u64 hits;

SEC("tp/syscalls/sys_enter_getppid")
int count_getppid(void *ctx)
{
	if ((int)(bpf_get_current_pid_tgid() >> 32) == target_tgid)
		__sync_fetch_and_add(&hits, 1);
	return 0;
}

/* A do-nothing-clever TCP congestion control: enough to register. */
SEC("struct_ops")
__u32 BPF_PROG(skc_ssthresh, struct sock *sk)
{
	const struct tcp_sock *tp = (const struct tcp_sock *)sk;

	return tp->snd_cwnd > 4 ? tp->snd_cwnd >> 1 : 2;
}

SEC("struct_ops")
void BPF_PROG(skc_cong_avoid, struct sock *sk, __u32 ack, __u32 acked)
{
}

SEC("struct_ops")
__u32 BPF_PROG(skc_undo_cwnd, struct sock *sk)
{
	const struct tcp_sock *tp = (const struct tcp_sock *)sk;

	return tp->snd_cwnd;
}

SEC(".struct_ops.link")
struct tcp_congestion_ops skc = {
	.ssthresh	= (void *)skc_ssthresh,
	.cong_avoid	= (void *)skc_cong_avoid,
	.undo_cwnd	= (void *)skc_undo_cwnd,
	.name		= "socbpf_skc",
};
