/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * QRTR wire format: the v1 and v2 packet headers and the control packet, as
 * carried by qrtr-tun / MHI / SMD links, with one parser shared by the kernel
 * module, the device emulator and the host unit tests and fuzzers.
 *
 * Every byte handed to qrtr_wire_parse() is untrusted.  The parser never
 * reads past @len and reports why a frame was rejected, so the caller can
 * count the drop by reason.
 */
#ifndef _SOCBPF_QRTR_WIRE_H
#define _SOCBPF_QRTR_WIRE_H

#include "compat.h"

#define QRTR_WIRE_PROTO_VER_1	1
#define QRTR_WIRE_PROTO_VER_2	3	/* yes, 3: upstream's v2 encoding */

#define QRTR_WIRE_NODE_BCAST	0xffffffffu
#define QRTR_WIRE_PORT_CTRL	0xfffffffeu
/*
 * Older firmware addresses the control port as 0xffff (net/qrtr/af_qrtr.c
 * QRTR_PORT_CTRL_LEGACY, mapped to QRTR_PORT_CTRL on receive since v6.6).
 */
#define QRTR_WIRE_PORT_CTRL_LEGACY	0xffffu

/* Largest payload we accept from a link (upstream uses 64 KiB skbs). */
#define QRTR_WIRE_MAX_PAYLOAD	65536u

enum qrtr_wire_type {
	QRTR_WIRE_TYPE_DATA		= 1,
	QRTR_WIRE_TYPE_HELLO		= 2,
	QRTR_WIRE_TYPE_BYE		= 3,
	QRTR_WIRE_TYPE_NEW_SERVER	= 4,
	QRTR_WIRE_TYPE_DEL_SERVER	= 5,
	QRTR_WIRE_TYPE_DEL_CLIENT	= 6,
	QRTR_WIRE_TYPE_RESUME_TX	= 7,
	QRTR_WIRE_TYPE_EXIT		= 8,
	QRTR_WIRE_TYPE_PING		= 9,
	QRTR_WIRE_TYPE_NEW_LOOKUP	= 10,
	QRTR_WIRE_TYPE_DEL_LOOKUP	= 11,
	QRTR_WIRE_TYPE_MAX		= 11,
};

struct qrtr_wire_hdr_v1 {
	__le32 version;
	__le32 type;
	__le32 src_node_id;
	__le32 src_port_id;
	__le32 confirm_rx;
	__le32 size;
	__le32 dst_node_id;
	__le32 dst_port_id;
} __packed;

/* As upstream's struct qrtr_hdr_v2: 16 bytes, @optlen counts bytes. */
struct qrtr_wire_hdr_v2 {
	u8 version;
	u8 type;
	u8 flags;
	u8 optlen;
	__le32 size;
	__le16 src_node_id;
	__le16 src_port_id;
	__le16 dst_node_id;
	__le16 dst_port_id;
} __packed;

#define QRTR_WIRE_FLAGS_CONFIRM_RX	(1u << 0)

/* Smallest control payloads: the command word, plus client node and port. */
#define QRTR_WIRE_CTRL_CMD_LEN		4u
#define QRTR_WIRE_CTRL_CLIENT_LEN	12u

struct qrtr_wire_ctrl {
	__le32 cmd;
	union {
		struct {
			__le32 service;
			__le32 instance;
			__le32 node;
			__le32 port;
		} server;
		struct {
			__le32 node;
			__le32 port;
		} client;
	};
} __packed;

/* Why a frame was rejected; also the order of the module's drop counters. */
enum qrtr_wire_err {
	QRTR_WIRE_OK = 0,
	QRTR_WIRE_ERR_SHORT,		/* shorter than its header */
	QRTR_WIRE_ERR_VERSION,		/* unknown header version */
	QRTR_WIRE_ERR_SIZE,		/* size field disagrees with length */
	QRTR_WIRE_ERR_TYPE,		/* unknown packet type */
	QRTR_WIRE_ERR_CTRL,		/* control packet malformed / misaddressed */
	QRTR_WIRE_ERR_MAX,
};

static inline const char *qrtr_wire_err_name(int err)
{
	switch (err) {
	case QRTR_WIRE_OK:		return "ok";
	case QRTR_WIRE_ERR_SHORT:	return "short";
	case QRTR_WIRE_ERR_VERSION:	return "version";
	case QRTR_WIRE_ERR_SIZE:	return "size";
	case QRTR_WIRE_ERR_TYPE:	return "type";
	case QRTR_WIRE_ERR_CTRL:	return "ctrl";
	default:			return "unknown";
	}
}

/* A parsed frame: header fields in CPU order plus the payload location. */
struct qrtr_wire_pkt {
	u32 version;
	u32 type;
	u32 src_node;
	u32 src_port;
	u32 dst_node;
	u32 dst_port;
	u32 confirm_rx;
	u32 hdrlen;		/* bytes before the payload */
	u32 size;		/* payload bytes (without padding) */
};

/**
 * qrtr_wire_parse() - validate and decode one QRTR frame
 * @buf: frame bytes (untrusted)
 * @len: number of bytes in @buf
 * @pkt: decoded header on success
 *
 * Accepts v1 and v2 headers.  The payload starts at @buf + @pkt->hdrlen and is
 * @pkt->size bytes long; the frame must be exactly the header plus the payload
 * padded to four bytes (v1) or header, options and payload (v2).  Control
 * packets other than DATA and RESUME_TX must be addressed to the control port
 * and carry at least a command word that matches the header type; server and
 * lookup messages carry a whole struct qrtr_wire_ctrl, DEL_CLIENT and
 * RESUME_TX at least the command word and the client node and port.
 *
 * Return: QRTR_WIRE_OK or a positive enum qrtr_wire_err reason.
 */
static inline int qrtr_wire_parse(const void *buf, size_t len,
				  struct qrtr_wire_pkt *pkt)
{
	const u8 *p = (const u8 *)buf;
	u32 ver;

	memset(pkt, 0, sizeof(*pkt));
	if (len < 1)
		return QRTR_WIRE_ERR_SHORT;
	ver = p[0];
	if (ver == QRTR_WIRE_PROTO_VER_1) {
		struct qrtr_wire_hdr_v1 h;

		if (len < sizeof(h))
			return QRTR_WIRE_ERR_SHORT;
		memcpy(&h, p, sizeof(h));
		if (le32_to_cpu(h.version) != QRTR_WIRE_PROTO_VER_1)
			return QRTR_WIRE_ERR_VERSION;
		pkt->version = 1;
		pkt->type = le32_to_cpu(h.type);
		pkt->src_node = le32_to_cpu(h.src_node_id);
		pkt->src_port = le32_to_cpu(h.src_port_id);
		pkt->dst_node = le32_to_cpu(h.dst_node_id);
		pkt->dst_port = le32_to_cpu(h.dst_port_id);
		pkt->confirm_rx = !!le32_to_cpu(h.confirm_rx);
		pkt->size = le32_to_cpu(h.size);
		pkt->hdrlen = sizeof(h);
	} else if (ver == QRTR_WIRE_PROTO_VER_2) {
		struct qrtr_wire_hdr_v2 h;

		if (len < sizeof(h))
			return QRTR_WIRE_ERR_SHORT;
		memcpy(&h, p, sizeof(h));
		pkt->version = 2;
		pkt->type = h.type;
		pkt->src_node = le16_to_cpu(h.src_node_id);
		pkt->src_port = le16_to_cpu(h.src_port_id);
		pkt->dst_node = le16_to_cpu(h.dst_node_id);
		pkt->dst_port = le16_to_cpu(h.dst_port_id);
		/* v2 uses 16-bit node/port: widen the special values. */
		if (pkt->src_port == 0xfffeu)
			pkt->src_port = QRTR_WIRE_PORT_CTRL;
		if (pkt->dst_node == 0xffffu)
			pkt->dst_node = QRTR_WIRE_NODE_BCAST;
		if (pkt->dst_port == 0xfffeu)
			pkt->dst_port = QRTR_WIRE_PORT_CTRL;
		pkt->confirm_rx = !!(h.flags & QRTR_WIRE_FLAGS_CONFIRM_RX);
		pkt->size = le32_to_cpu(h.size);
		pkt->hdrlen = sizeof(h) + (u32)h.optlen;
	} else {
		return QRTR_WIRE_ERR_VERSION;
	}

	if (pkt->dst_port == QRTR_WIRE_PORT_CTRL_LEGACY)
		pkt->dst_port = QRTR_WIRE_PORT_CTRL;

	if (pkt->size > QRTR_WIRE_MAX_PAYLOAD)
		return QRTR_WIRE_ERR_SIZE;
	if (pkt->version == 1) {
		if ((u64)pkt->hdrlen + SOCBPF_ALIGN4((u64)pkt->size) != len)
			return QRTR_WIRE_ERR_SIZE;
	} else if ((u64)pkt->hdrlen + pkt->size != len &&
		   (u64)pkt->hdrlen + SOCBPF_ALIGN4((u64)pkt->size) != len) {
		return QRTR_WIRE_ERR_SIZE;
	}
	if (pkt->type < QRTR_WIRE_TYPE_DATA || pkt->type > QRTR_WIRE_TYPE_MAX)
		return QRTR_WIRE_ERR_TYPE;
	if (pkt->type == QRTR_WIRE_TYPE_DATA ||
	    pkt->type == QRTR_WIRE_TYPE_RESUME_TX) {
		if (pkt->size == 0 && pkt->type == QRTR_WIRE_TYPE_DATA)
			return QRTR_WIRE_ERR_SIZE;
		/* RESUME_TX names the resumed port: cmd, node, port */
		if (pkt->type == QRTR_WIRE_TYPE_RESUME_TX &&
		    pkt->size < QRTR_WIRE_CTRL_CLIENT_LEN)
			return QRTR_WIRE_ERR_CTRL;
		return QRTR_WIRE_OK;
	}
	/* Everything else is a control packet to the control port. */
	if (pkt->dst_port != QRTR_WIRE_PORT_CTRL)
		return QRTR_WIRE_ERR_CTRL;
	if (pkt->size < sizeof(__le32))
		return QRTR_WIRE_ERR_CTRL;
	{
		__le32 cmd;

		memcpy(&cmd, p + pkt->hdrlen, sizeof(cmd));
		if (le32_to_cpu(cmd) != pkt->type)
			return QRTR_WIRE_ERR_CTRL;
	}
	if ((pkt->type == QRTR_WIRE_TYPE_NEW_SERVER ||
	     pkt->type == QRTR_WIRE_TYPE_DEL_SERVER ||
	     pkt->type == QRTR_WIRE_TYPE_NEW_LOOKUP ||
	     pkt->type == QRTR_WIRE_TYPE_DEL_LOOKUP) &&
	    pkt->size < sizeof(struct qrtr_wire_ctrl))
		return QRTR_WIRE_ERR_CTRL;
	if (pkt->type == QRTR_WIRE_TYPE_DEL_CLIENT &&
	    pkt->size < QRTR_WIRE_CTRL_CLIENT_LEN)
		return QRTR_WIRE_ERR_CTRL;
	return QRTR_WIRE_OK;
}

/**
 * qrtr_wire_build_v1() - write a v1 header for a payload of @size bytes
 * @hdr: header to fill
 * @type: packet type
 * @src_node: source node
 * @src_port: source port
 * @dst_node: destination node
 * @dst_port: destination port
 * @size: payload length (the frame carries it padded to four bytes)
 * @confirm_rx: ask the receiver for a RESUME_TX
 */
static inline void qrtr_wire_build_v1(struct qrtr_wire_hdr_v1 *hdr, u32 type,
				      u32 src_node, u32 src_port,
				      u32 dst_node, u32 dst_port,
				      u32 size, bool confirm_rx)
{
	hdr->version = cpu_to_le32(QRTR_WIRE_PROTO_VER_1);
	hdr->type = cpu_to_le32(type);
	hdr->src_node_id = cpu_to_le32(src_node);
	hdr->src_port_id = cpu_to_le32(src_port);
	hdr->confirm_rx = cpu_to_le32(confirm_rx ? 1 : 0);
	hdr->size = cpu_to_le32(size);
	hdr->dst_node_id = cpu_to_le32(dst_node);
	hdr->dst_port_id = cpu_to_le32(dst_port);
}

#endif /* _SOCBPF_QRTR_WIRE_H */
