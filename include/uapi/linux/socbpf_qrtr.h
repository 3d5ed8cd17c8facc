/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * socbpf QRTR uapi: the endpoint-ID socket API as proposed upstream (values
 * match that proposal so code written for it works unchanged), and the
 * ioctls of socbpf's qrtr-tun character device.
 *
 * The base AF_QIPCRTR ABI (sockaddr_qrtr, packet types, qrtr_ctrl_pkt) is the
 * kernel's own <linux/qrtr.h> and is not repeated here.
 */
#ifndef _UAPI_LINUX_SOCBPF_QRTR_H
#define _UAPI_LINUX_SOCBPF_QRTR_H

#include <linux/types.h>
#include <linux/ioctl.h>

/*
 * The proposal adds SOL_QRTR to include/linux/socket.h right after SOL_VSOCK
 * (287); 284 is SOL_MPTCP.  Values pinned by selftests/unit/test_qrtr_abi.c.
 */
#ifndef SOL_QRTR
#define SOL_QRTR		288
#endif

/* setsockopt(SOL_QRTR, ...) options */
#define QRTR_REPORT_ENDPOINT	1	/* int: add QRTR_ENDPOINT cmsg on recvmsg */
#define QRTR_BIND_ENDPOINT	2	/* __u32: restrict socket to endpoint, 0 unbinds */

/*
 * cmsg_type at SOL_QRTR: __u32 endpoint id (recvmsg: source, present only for
 * messages that came from an endpoint; sendmsg: egress)
 */
#define QRTR_ENDPOINT		1

/* Endpoint ids are 1..QRTR_ENDPOINT_ID_MAX; 0 means "none". */
#define QRTR_ENDPOINT_ID_MAX	255

/* qrtr-tun: one open file of /dev/qrtr-tun is one endpoint. */
#define QRTR_TUN_KEY_MAX	64

struct qrtr_tun_info {
	__u32 endpoint_id;			/* out */
	__u32 flags;				/* reserved, 0 */
	char key[QRTR_TUN_KEY_MAX];		/* out: NUL-terminated device key */
};

#define QRTR_TUN_IOC_MAGIC	'Q'
/* Name the device this file represents, e.g. "pci:0000:01:00.0". Must be
 * called before the first write; the key becomes the endpoint's per-device
 * data (what the registry and policies key on).
 */
#define QRTR_TUN_SET_KEY	_IOW(QRTR_TUN_IOC_MAGIC, 1, char[QRTR_TUN_KEY_MAX])
/* Endpoint id and key of this file. */
#define QRTR_TUN_GET_INFO	_IOR(QRTR_TUN_IOC_MAGIC, 2, struct qrtr_tun_info)

#endif /* _UAPI_LINUX_SOCBPF_QRTR_H */
