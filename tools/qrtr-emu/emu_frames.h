/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Frame builders of the QRTR device emulator: well-formed v1 packets and the
 * catalogue of malformed ones.  Pure code (no I/O) so the host unit tests can
 * check every frame against qrtr_wire_parse().
 */
#ifndef _QRTR_EMU_FRAMES_H
#define _QRTR_EMU_FRAMES_H

#include <socbpf/qrtr_wire.h>

#define EMU_HDR_LEN	((u32)sizeof(struct qrtr_wire_hdr_v1))

/*
 * emu_build_pkt() - v1 header + payload padded to 4 into @out (zero padding).
 * Return: frame length, or 0 if it does not fit in @cap.
 */
static inline size_t emu_build_pkt(u8 *out, size_t cap, u32 type,
				   u32 src_node, u32 src_port,
				   u32 dst_node, u32 dst_port,
				   const void *payload, u32 size, bool confirm_rx)
{
	struct qrtr_wire_hdr_v1 h;
	size_t total = EMU_HDR_LEN + SOCBPF_ALIGN4((size_t)size);

	if (total > cap)
		return 0;
	qrtr_wire_build_v1(&h, type, src_node, src_port, dst_node, dst_port,
			   size, confirm_rx);
	memcpy(out, &h, sizeof(h));
	if (size)
		memcpy(out + EMU_HDR_LEN, payload, size);
	memset(out + EMU_HDR_LEN + size, 0, total - EMU_HDR_LEN - size);
	return total;
}

/* A control packet from our control port: @cmd with server or client data. */
static inline size_t emu_build_ctrl(u8 *out, size_t cap, u32 cmd, u32 node,
				    u32 dst_node, u32 a, u32 b, u32 c, u32 d)
{
	struct qrtr_wire_ctrl pkt;

	memset(&pkt, 0, sizeof(pkt));
	pkt.cmd = cpu_to_le32(cmd);
	if (cmd == QRTR_WIRE_TYPE_DEL_CLIENT || cmd == QRTR_WIRE_TYPE_BYE ||
	    cmd == QRTR_WIRE_TYPE_HELLO || cmd == QRTR_WIRE_TYPE_PING ||
	    cmd == QRTR_WIRE_TYPE_RESUME_TX) {
		pkt.client.node = cpu_to_le32(a);
		pkt.client.port = cpu_to_le32(b);
	} else {
		pkt.server.service = cpu_to_le32(a);
		pkt.server.instance = cpu_to_le32(b);
		pkt.server.node = cpu_to_le32(c);
		pkt.server.port = cpu_to_le32(d);
	}
	return emu_build_pkt(out, cap, cmd, node, QRTR_WIRE_PORT_CTRL,
			     dst_node, QRTR_WIRE_PORT_CTRL, &pkt, sizeof(pkt),
			     false);
}

/* Kinds of malformed frames the emulator can inject. */
enum emu_bad {
	EMU_BAD_SHORT,		/* 10 bytes: less than a header */
	EMU_BAD_ONEBYTE,	/* a single version byte */
	EMU_BAD_TRUNC,		/* header says 64 payload bytes, 16 follow */
	EMU_BAD_VERSION,	/* version 2 (neither v1 nor v2 encoding) */
	EMU_BAD_VERSION_HI,	/* v1 byte, garbage in the upper bytes */
	EMU_BAD_SIZE_BIG,	/* size 1 MiB */
	EMU_BAD_SIZE_PAD,	/* 5-byte payload without padding */
	EMU_BAD_DATA_EMPTY,	/* DATA with size 0 */
	EMU_BAD_TYPE,		/* type 42 */
	EMU_BAD_TYPE_ZERO,	/* type 0 */
	EMU_BAD_CTRL_TO_DATA,	/* NEW_SERVER sent to a data port */
	EMU_BAD_CTRL_CMD,	/* header HELLO, payload says NEW_SERVER */
	EMU_BAD_CTRL_EMPTY,	/* HELLO with no payload */
	EMU_BAD_CTRL_SHORT,	/* NEW_SERVER with an 8-byte payload */
	EMU_BAD_V2_OPTLEN,	/* v2 header, optlen past the end */
	EMU_BAD_NR,
};

static inline const char *emu_bad_name(int k)
{
	static const char *const names[EMU_BAD_NR] = {
		"short", "onebyte", "trunc", "version", "version-hi",
		"size-big", "size-pad", "data-empty", "type", "type-zero",
		"ctrl-to-data", "ctrl-cmd", "ctrl-empty", "ctrl-short",
		"v2-optlen",
	};

	return (k >= 0 && k < EMU_BAD_NR) ? names[k] : "?";
}

/*
 * emu_build_bad() - build malformed frame of @kind from (node, @port) to the
 * host node @dst_node.  @cap must be at least 128.
 * Return: frame length (always > 0).
 */
static inline size_t emu_build_bad(u8 *out, size_t cap, int kind, u32 node,
				   u32 port, u32 dst_node)
{
	struct qrtr_wire_hdr_v1 h;
	struct qrtr_wire_ctrl c;
	static const u8 junk[64] = { 0xde, 0xad, 0xbe, 0xef, 1, 2, 3, 4, 5 };
	size_t n;

	if (cap < 128)
		return 0;
	memset(out, 0, 128);
	memset(&c, 0, sizeof(c));
	switch (kind) {
	case EMU_BAD_SHORT:
		qrtr_wire_build_v1(&h, QRTR_WIRE_TYPE_DATA, node, port,
				   dst_node, 1, 4, false);
		memcpy(out, &h, 10);
		return 10;
	case EMU_BAD_ONEBYTE:
		out[0] = QRTR_WIRE_PROTO_VER_1;
		return 1;
	case EMU_BAD_TRUNC:
		qrtr_wire_build_v1(&h, QRTR_WIRE_TYPE_DATA, node, port,
				   dst_node, 1, 64, false);
		memcpy(out, &h, sizeof(h));
		memcpy(out + sizeof(h), junk, 16);
		return sizeof(h) + 16;
	case EMU_BAD_VERSION:
		n = emu_build_pkt(out, cap, QRTR_WIRE_TYPE_DATA, node, port,
				  dst_node, 1, junk, 8, false);
		out[0] = 2;
		return n;
	case EMU_BAD_VERSION_HI:
		n = emu_build_pkt(out, cap, QRTR_WIRE_TYPE_DATA, node, port,
				  dst_node, 1, junk, 8, false);
		out[2] = 0x55;
		return n;
	case EMU_BAD_SIZE_BIG:
		qrtr_wire_build_v1(&h, QRTR_WIRE_TYPE_DATA, node, port,
				   dst_node, 1, 1u << 20, false);
		memcpy(out, &h, sizeof(h));
		memcpy(out + sizeof(h), junk, 32);
		return sizeof(h) + 32;
	case EMU_BAD_SIZE_PAD:
		n = emu_build_pkt(out, cap, QRTR_WIRE_TYPE_DATA, node, port,
				  dst_node, 1, junk, 5, false);
		return n - 3;
	case EMU_BAD_DATA_EMPTY:
		return emu_build_pkt(out, cap, QRTR_WIRE_TYPE_DATA, node, port,
				     dst_node, 1, NULL, 0, false);
	case EMU_BAD_TYPE:
		return emu_build_pkt(out, cap, 42, node, port, dst_node, 1,
				     junk, 8, false);
	case EMU_BAD_TYPE_ZERO:
		return emu_build_pkt(out, cap, 0, node, port, dst_node, 1,
				     junk, 8, false);
	case EMU_BAD_CTRL_TO_DATA:
		c.cmd = cpu_to_le32(QRTR_WIRE_TYPE_NEW_SERVER);
		c.server.service = cpu_to_le32(4242);
		c.server.node = cpu_to_le32(node);
		c.server.port = cpu_to_le32(port);
		return emu_build_pkt(out, cap, QRTR_WIRE_TYPE_NEW_SERVER, node,
				     QRTR_WIRE_PORT_CTRL, dst_node, 5, &c,
				     sizeof(c), false);
	case EMU_BAD_CTRL_CMD:
		c.cmd = cpu_to_le32(QRTR_WIRE_TYPE_NEW_SERVER);
		return emu_build_pkt(out, cap, QRTR_WIRE_TYPE_HELLO, node,
				     QRTR_WIRE_PORT_CTRL, dst_node,
				     QRTR_WIRE_PORT_CTRL, &c, sizeof(c), false);
	case EMU_BAD_CTRL_EMPTY:
		return emu_build_pkt(out, cap, QRTR_WIRE_TYPE_HELLO, node,
				     QRTR_WIRE_PORT_CTRL, dst_node,
				     QRTR_WIRE_PORT_CTRL, NULL, 0, false);
	case EMU_BAD_CTRL_SHORT:
		c.cmd = cpu_to_le32(QRTR_WIRE_TYPE_NEW_SERVER);
		c.server.service = cpu_to_le32(4243);
		return emu_build_pkt(out, cap, QRTR_WIRE_TYPE_NEW_SERVER, node,
				     QRTR_WIRE_PORT_CTRL, dst_node,
				     QRTR_WIRE_PORT_CTRL, &c, 8, false);
	case EMU_BAD_V2_OPTLEN: {
		struct qrtr_wire_hdr_v2 h2;

		memset(&h2, 0, sizeof(h2));
		h2.version = QRTR_WIRE_PROTO_VER_2;
		h2.type = QRTR_WIRE_TYPE_DATA;
		h2.optlen = 200;
		h2.size = cpu_to_le16(8);
		h2.src_node_id = cpu_to_le16((u16)node);
		h2.src_port_id = cpu_to_le16((u16)port);
		h2.dst_node_id = cpu_to_le16((u16)dst_node);
		h2.dst_port_id = cpu_to_le16(1);
		memcpy(out, &h2, sizeof(h2));
		memcpy(out + sizeof(h2), junk, 8);
		return sizeof(h2) + 8;
	}
	default:
		out[0] = 0xff;
		return 1;
	}
}

#endif /* _QRTR_EMU_FRAMES_H */
