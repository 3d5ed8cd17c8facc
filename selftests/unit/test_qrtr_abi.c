// SPDX-License-Identifier: GPL-2.0
/*
 * Host unit test: every value socbpf's QRTR uapi and wire headers claim to
 * share with upstream Linux or with the endpoint-ID proposal, pinned against
 * its primary source.
 *
 * Sources:
 *  [uapi]     the kernel's include/uapi/linux/qrtr.h, as installed by Debian's
 *             linux-libc-dev in /usr/include/linux/qrtr.h (compared here at
 *             compile time, so a drift breaks the build of this test).
 *  [socket]   include/linux/socket.h of v6.12: AF_QIPCRTR 42, SOL_MPTCP 284,
 *             SOL_MCTP 285, SOL_SMC 286, SOL_VSOCK 287 (glibc's bits/socket.h
 *             and linux/vm_sockets.h carry the same values).
 *  [proposal] "net: qrtr: Report sender endpoint in aux data" (Denis
 *             Kenzior, netdev, RFC v1 04/10, 2024-10-18; unchanged in the
 *             v4 series of 2025-07-28): adds "#define SOL_QRTR 288" after
 *             SOL_VSOCK and, in uapi/linux/qrtr.h, QRTR_REPORT_ENDPOINT 1
 *             (setsockopt) and QRTR_ENDPOINT 1 (cmsg); "net: qrtr: allow
 *             socket endpoint binding" (06/10) adds QRTR_BIND_ENDPOINT 2.
 *  [af_qrtr]  net/qrtr/af_qrtr.c of v6.12: struct qrtr_hdr_v1 (8 x __le32,
 *             32 bytes), struct qrtr_hdr_v2 (16 bytes), QRTR_PROTO_VER_1 1,
 *             QRTR_PROTO_VER_2 3, QRTR_FLAGS_CONFIRM_RX BIT(0),
 *             QRTR_PORT_CTRL_LEGACY 0xffff.
 */
#include <stddef.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/qrtr.h>
#include <linux/vm_sockets.h>

#include <socbpf/qrtr_wire.h>
#include <uapi/linux/socbpf_qrtr.h>

#include "unit_tap.h"

/* [uapi]: our wire header restates the uapi constants; they must agree. */
_Static_assert(QRTR_WIRE_NODE_BCAST == QRTR_NODE_BCAST, "QRTR_NODE_BCAST");
_Static_assert(QRTR_WIRE_PORT_CTRL == QRTR_PORT_CTRL, "QRTR_PORT_CTRL");
_Static_assert((int)QRTR_WIRE_TYPE_DATA == (int)QRTR_TYPE_DATA, "DATA");
_Static_assert((int)QRTR_WIRE_TYPE_HELLO == (int)QRTR_TYPE_HELLO, "HELLO");
_Static_assert((int)QRTR_WIRE_TYPE_BYE == (int)QRTR_TYPE_BYE, "BYE");
_Static_assert((int)QRTR_WIRE_TYPE_NEW_SERVER == (int)QRTR_TYPE_NEW_SERVER, "NEW_SERVER");
_Static_assert((int)QRTR_WIRE_TYPE_DEL_SERVER == (int)QRTR_TYPE_DEL_SERVER, "DEL_SERVER");
_Static_assert((int)QRTR_WIRE_TYPE_DEL_CLIENT == (int)QRTR_TYPE_DEL_CLIENT, "DEL_CLIENT");
_Static_assert((int)QRTR_WIRE_TYPE_RESUME_TX == (int)QRTR_TYPE_RESUME_TX, "RESUME_TX");
_Static_assert((int)QRTR_WIRE_TYPE_EXIT == (int)QRTR_TYPE_EXIT, "EXIT");
_Static_assert((int)QRTR_WIRE_TYPE_PING == (int)QRTR_TYPE_PING, "PING");
_Static_assert((int)QRTR_WIRE_TYPE_NEW_LOOKUP == (int)QRTR_TYPE_NEW_LOOKUP, "NEW_LOOKUP");
_Static_assert((int)QRTR_WIRE_TYPE_DEL_LOOKUP == (int)QRTR_TYPE_DEL_LOOKUP, "DEL_LOOKUP");
_Static_assert(sizeof(struct qrtr_wire_ctrl) == sizeof(struct qrtr_ctrl_pkt),
	       "control packet size");

int main(void)
{
	printf("TAP version 13\n1..16\n");

	/* [socket] */
	check(AF_QIPCRTR == 42, "AF_QIPCRTR is 42 [socket]");
	check(SOL_MPTCP == 284 && SOL_VSOCK == 287,
	      "the neighbours: SOL_MPTCP 284, SOL_VSOCK 287 [socket]");
	/* [proposal] */
	check(SOL_QRTR == 288, "SOL_QRTR is 288, the proposal's value [proposal]");
	check(SOL_QRTR != SOL_MPTCP && SOL_QRTR != SOL_MCTP &&
	      SOL_QRTR != SOL_SMC && SOL_QRTR != SOL_VSOCK,
	      "SOL_QRTR collides with no other socket level [socket]");
	check(QRTR_REPORT_ENDPOINT == 1, "QRTR_REPORT_ENDPOINT is 1 [proposal]");
	check(QRTR_BIND_ENDPOINT == 2, "QRTR_BIND_ENDPOINT is 2 [proposal]");
	check(QRTR_ENDPOINT == 1, "cmsg QRTR_ENDPOINT is 1 [proposal]");

	/* [uapi] layouts, checked at run time for the report */
	check(sizeof(struct sockaddr_qrtr) == 12 &&
	      offsetof(struct sockaddr_qrtr, sq_node) == 4 &&
	      offsetof(struct sockaddr_qrtr, sq_port) == 8,
	      "sockaddr_qrtr: 12 bytes, node at 4, port at 8 [uapi]");
	check(sizeof(struct qrtr_ctrl_pkt) == 20 &&
	      offsetof(struct qrtr_ctrl_pkt, server.port) == 16 &&
	      offsetof(struct qrtr_ctrl_pkt, client.port) == 8,
	      "qrtr_ctrl_pkt: 20 bytes, server.port at 16, client.port at 8 [uapi]");

	/* [af_qrtr] wire headers */
	check(sizeof(struct qrtr_wire_hdr_v1) == 32 &&
	      offsetof(struct qrtr_wire_hdr_v1, confirm_rx) == 16 &&
	      offsetof(struct qrtr_wire_hdr_v1, size) == 20 &&
	      offsetof(struct qrtr_wire_hdr_v1, dst_node_id) == 24,
	      "v1 header: 32 bytes; confirm_rx, size, dst_node at 16, 20, 24 [af_qrtr]");
	check(sizeof(struct qrtr_wire_hdr_v2) == 16 &&
	      offsetof(struct qrtr_wire_hdr_v2, size) == 4 &&
	      offsetof(struct qrtr_wire_hdr_v2, src_node_id) == 8,
	      "v2 header: 16 bytes; size at 4, src_node at 8 [af_qrtr]");
	check(QRTR_WIRE_PROTO_VER_1 == 1 && QRTR_WIRE_PROTO_VER_2 == 3,
	      "protocol versions 1 and 3 [af_qrtr]");
	check(QRTR_WIRE_FLAGS_CONFIRM_RX == 1, "v2 CONFIRM_RX is bit 0 [af_qrtr]");
	check(QRTR_WIRE_PORT_CTRL_LEGACY == 0xffff,
	      "legacy control port is 0xffff [af_qrtr]");

	/* [af_qrtr] the legacy control port is the control port on receive */
	{
		u8 buf[sizeof(struct qrtr_wire_hdr_v1) + 20] = { 0 };
		struct qrtr_wire_hdr_v1 *h = (void *)buf;
		struct qrtr_wire_pkt pkt;
		__le32 cmd = cpu_to_le32(QRTR_TYPE_HELLO);
		unsigned int rc;

		qrtr_wire_build_v1(h, QRTR_TYPE_HELLO, 7, QRTR_PORT_CTRL,
				   1, 0xffff, 20, false);
		memcpy(buf + sizeof(*h), &cmd, sizeof(cmd));
		rc = qrtr_wire_parse(buf, sizeof(buf), &pkt);
		check(rc == QRTR_WIRE_OK && pkt.dst_port == QRTR_PORT_CTRL,
		      "HELLO to port 0xffff parses as a control packet [af_qrtr]");
		h->dst_port_id = cpu_to_le32(0xfffd);
		rc = qrtr_wire_parse(buf, sizeof(buf), &pkt);
		check(rc == QRTR_WIRE_ERR_CTRL,
		      "HELLO to another port is still refused");
	}

	printf("# %d failed\n", n_fail);
	return n_fail ? 1 : 0;
}
