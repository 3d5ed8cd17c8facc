/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Constants of socbpf_qrtr's policy struct_ops (struct qrtr_policy_ops),
 * shared by the module, BPF policies and userspace. Plain defines, no
 * includes, so BPF programs built on vmlinux.h can use them.
 */
#ifndef _SOCBPF_QRTR_POLICY_ABI_H
#define _SOCBPF_QRTR_POLICY_ABI_H

/* struct qrtr_ep_desc.kind */
#define QRTR_BACKEND_UNKNOWN	0
#define QRTR_BACKEND_TUN	1	/* /dev/qrtr-tun (emulators, userspace links) */
#define QRTR_BACKEND_MHI	2	/* MHI controller channel (PCIe modems, WLAN) */
#define QRTR_BACKEND_RPMSG	3	/* rpmsg/SMD channel (on-SoC processors) */

/* struct qrtr_pkt_ctx.dir */
#define QRTR_DIR_RX		0	/* from the endpoint into the router */
#define QRTR_DIR_TX		1	/* from the router to the endpoint */

/* verdict() results */
#define QRTR_VERDICT_PASS	0
#define QRTR_VERDICT_DROP	1

#define QRTR_POLICY_NAME_MAX	32

#endif /* _SOCBPF_QRTR_POLICY_ABI_H */
