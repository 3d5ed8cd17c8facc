/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Shared between bpf/qrtr_policy.bpf.c and tools/qrtr-policy: the compiled
 * form of a rules file and the id map's key.
 */
#ifndef _QRTR_POLICY_SHARED_H
#define _QRTR_POLICY_SHARED_H

#define QP_KEY_MAX	64	/* = QRTR_TUN_KEY_MAX */
#define QP_MAX_RULES	64
#define QP_MAX_IDS	256

/* Which fields a rule matches; a clear bit is a wildcard. */
#define QP_M_EP		(1u << 0)
#define QP_M_SERVICE	(1u << 1)
#define QP_M_INSTANCE	(1u << 2)
#define QP_M_NODE	(1u << 3)
#define QP_M_PORT	(1u << 4)
#define QP_M_TYPE	(1u << 5)
#define QP_M_DIR	(1u << 6)

#define QP_ACT_ALLOW	0
#define QP_ACT_DENY	1

/*
 * One rule. node and port name the *remote* side of the packet: its source
 * for rx (device to host), its destination for tx (host to device).
 */
struct qp_rule {
	unsigned int match;
	unsigned int action;
	unsigned int ep;
	unsigned int service;
	unsigned int instance;
	unsigned int node;
	unsigned int port;
	unsigned int type;
	unsigned int dir;
	unsigned int line;	/* line in the rules file, for status */
};

struct qp_idkey {
	char key[QP_KEY_MAX];
};

#endif /* _QRTR_POLICY_SHARED_H */
