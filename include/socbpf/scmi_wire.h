/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * SCMI message wire format as carried by the socbpf SCMI character device
 * (/dev/scmi-platform), which uses the virtio-scmi message layout: one
 * 32-bit little-endian header followed by the payload.
 *
 *   bits  0..7   message id
 *   bits  8..9   message type (0 command/response, 2 delayed response,
 *                3 notification; 1 is reserved)
 *   bits 10..17  protocol id
 *   bits 18..27  token (sequence number)
 *   bits 28..31  reserved, must be zero
 *
 * A response and a delayed response payload starts with a 32-bit status.
 * One read() of the device returns one agent-to-platform (A2P) command; one
 * write() carries one platform-to-agent (P2A) message.
 *
 * Shared by the kernel module, the userspace platform emulator, the host
 * unit tests and the fuzzer.  Every byte handed to scmi_wire_parse() is
 * untrusted; the parser never reads past @len and says why it rejected.
 */
#ifndef _SOCBPF_SCMI_WIRE_H
#define _SOCBPF_SCMI_WIRE_H

#include "compat.h"

#define SCMI_WIRE_HDR_SIZE		4u
/* Largest payload (after the header), as upstream virtio-scmi's 128 bytes. */
#define SCMI_WIRE_MAX_PAYLOAD		128u
#define SCMI_WIRE_MAX_MSG		(SCMI_WIRE_HDR_SIZE + SCMI_WIRE_MAX_PAYLOAD)

#define SCMI_WIRE_TOKEN_BITS		10
#define SCMI_WIRE_TOKEN_MAX		((1u << SCMI_WIRE_TOKEN_BITS) - 1)
#define SCMI_WIRE_NR_TOKENS		(1u << SCMI_WIRE_TOKEN_BITS)

#define SCMI_WIRE_MSG_ID_MASK		0xffu
#define SCMI_WIRE_TYPE_SHIFT		8
#define SCMI_WIRE_TYPE_MASK		0x3u
#define SCMI_WIRE_PROTO_SHIFT		10
#define SCMI_WIRE_PROTO_MASK		0xffu
#define SCMI_WIRE_TOKEN_SHIFT		18
#define SCMI_WIRE_TOKEN_MASK		SCMI_WIRE_TOKEN_MAX
#define SCMI_WIRE_RSVD_MASK		0xf0000000u

enum scmi_wire_type {
	SCMI_WIRE_TYPE_COMMAND		= 0,	/* also the (sync) response */
	SCMI_WIRE_TYPE_RESERVED		= 1,
	SCMI_WIRE_TYPE_DELAYED_RESP	= 2,
	SCMI_WIRE_TYPE_NOTIFICATION	= 3,
};

/* Protocol ids */
#define SCMI_PROTO_BASE			0x10
#define SCMI_PROTO_POWER		0x11
#define SCMI_PROTO_SYSTEM		0x12
#define SCMI_PROTO_PERF			0x13
#define SCMI_PROTO_CLOCK		0x14
#define SCMI_PROTO_SENSOR		0x15

/* Messages common to all protocols */
#define SCMI_MSG_PROTOCOL_VERSION	0x0
#define SCMI_MSG_PROTOCOL_ATTRIBUTES	0x1
#define SCMI_MSG_PROTOCOL_MSG_ATTRS	0x2

/* Base protocol */
#define SCMI_BASE_DISCOVER_VENDOR	0x3
#define SCMI_BASE_DISCOVER_SUB_VENDOR	0x4
#define SCMI_BASE_DISCOVER_IMPL_VER	0x5
#define SCMI_BASE_DISCOVER_LIST_PROTOS	0x6

/* Sensor protocol */
#define SCMI_SENSOR_DESCRIPTION_GET	0x3
#define SCMI_SENSOR_TRIP_POINT_NOTIFY	0x4
#define SCMI_SENSOR_TRIP_POINT_CONFIG	0x5
#define SCMI_SENSOR_READING_GET		0x6
#define SCMI_SENSOR_EVT_TRIP_POINT	0x0
#define SCMI_SENSOR_EVT_UPDATE		0x1
#define SCMI_SENSOR_READ_ASYNC		(1u << 0)
#define SCMI_SENSOR_ATTRL_ASYNC		(1u << 31)
#define SCMI_SENSOR_ATTRL_TRIPS(a)	((a) & 0xffu)
#define SCMI_SENSOR_ATTRH_TYPE(a)	((a) & 0xffu)
#define SCMI_SENSOR_ATTRH_SCALE(a)	(((a) >> 11) & 0x1fu)	/* 5-bit signed */
#define SCMI_SENSOR_DESC_SIZE		28u
#define SCMI_NAME_LEN			16u

/* SCMI sensor unit types (subset) */
#define SCMI_SENSOR_UNIT_DEGC		2
#define SCMI_SENSOR_UNIT_VOLTS		5
#define SCMI_SENSOR_UNIT_AMPS		6
#define SCMI_SENSOR_UNIT_WATTS		7
#define SCMI_SENSOR_UNIT_JOULES		8
#define SCMI_SENSOR_UNIT_RPM		19

/* Clock protocol */
#define SCMI_CLOCK_ATTRIBUTES		0x3
#define SCMI_CLOCK_DESCRIBE_RATES	0x4
#define SCMI_CLOCK_RATE_SET		0x5
#define SCMI_CLOCK_RATE_GET		0x6
#define SCMI_CLOCK_CONFIG_SET		0x7
#define SCMI_CLOCK_SET_ASYNC		(1u << 0)
#define SCMI_CLOCK_SET_IGNORE_RESP	(1u << 1)
#define SCMI_CLOCK_RATES_NUM(f)		((f) & 0xfffu)
#define SCMI_CLOCK_RATES_RANGE		(1u << 12)
#define SCMI_CLOCK_RATES_REMAINING(f)	((f) >> 16)

/* SCMI status codes */
enum scmi_wire_status {
	SCMI_SUCCESS		= 0,
	SCMI_ERR_SUPPORT	= -1,
	SCMI_ERR_PARAMS		= -2,
	SCMI_ERR_ACCESS		= -3,
	SCMI_ERR_ENTRY		= -4,
	SCMI_ERR_RANGE		= -5,
	SCMI_ERR_BUSY		= -6,
	SCMI_ERR_COMMS		= -7,
	SCMI_ERR_GENERIC	= -8,
	SCMI_ERR_HARDWARE	= -9,
	SCMI_ERR_PROTOCOL	= -10,
	SCMI_ERR_IN_USE		= -11,
};

/* Why scmi_wire_parse() rejected a message (all negative) */
enum scmi_wire_err {
	SCMI_WIRE_OK		= 0,
	SCMI_WIRE_ESHORT	= -1,	/* shorter than the header */
	SCMI_WIRE_ELONG		= -2,	/* payload above SCMI_WIRE_MAX_PAYLOAD */
	SCMI_WIRE_ETYPE		= -3,	/* reserved message type */
	SCMI_WIRE_ERSVD		= -4,	/* reserved header bits set */
	SCMI_WIRE_ENOSTATUS	= -5,	/* (delayed) response without status */
	SCMI_WIRE_EDIR		= -6,	/* a message type the sender may not use */
};

/**
 * struct scmi_wire_hdr - unpacked SCMI message header
 * @msg_id:   message id
 * @type:     enum scmi_wire_type
 * @proto_id: protocol id
 * @token:    10-bit token
 */
struct scmi_wire_hdr {
	u8 msg_id;
	u8 type;
	u8 proto_id;
	u16 token;
};

/**
 * struct scmi_wire_msg - a parsed message; @payload points into the buffer
 * @hdr:         the unpacked header
 * @payload:     bytes after the header (for responses, starting at status)
 * @payload_len: number of payload bytes
 * @status:      for (delayed) responses, the SCMI status (host order)
 */
struct scmi_wire_msg {
	struct scmi_wire_hdr hdr;
	const u8 *payload;
	u32 payload_len;
	s32 status;
};

static inline u32 scmi_wire_pack(const struct scmi_wire_hdr *h)
{
	return ((u32)h->msg_id & SCMI_WIRE_MSG_ID_MASK) |
	       (((u32)h->type & SCMI_WIRE_TYPE_MASK) << SCMI_WIRE_TYPE_SHIFT) |
	       (((u32)h->proto_id & SCMI_WIRE_PROTO_MASK) << SCMI_WIRE_PROTO_SHIFT) |
	       (((u32)h->token & SCMI_WIRE_TOKEN_MASK) << SCMI_WIRE_TOKEN_SHIFT);
}

static inline void scmi_wire_unpack(u32 v, struct scmi_wire_hdr *h)
{
	h->msg_id = v & SCMI_WIRE_MSG_ID_MASK;
	h->type = (v >> SCMI_WIRE_TYPE_SHIFT) & SCMI_WIRE_TYPE_MASK;
	h->proto_id = (v >> SCMI_WIRE_PROTO_SHIFT) & SCMI_WIRE_PROTO_MASK;
	h->token = (v >> SCMI_WIRE_TOKEN_SHIFT) & SCMI_WIRE_TOKEN_MASK;
}

static inline u32 scmi_wire_get_le32(const u8 *p)
{
	return (u32)p[0] | ((u32)p[1] << 8) | ((u32)p[2] << 16) |
	       ((u32)p[3] << 24);
}

static inline void scmi_wire_put_le32(u8 *p, u32 v)
{
	p[0] = v & 0xff;
	p[1] = (v >> 8) & 0xff;
	p[2] = (v >> 16) & 0xff;
	p[3] = (v >> 24) & 0xff;
}

/**
 * scmi_wire_parse() - validate and split one message
 * @buf:     message bytes (untrusted)
 * @len:     number of bytes in @buf
 * @from_platform: true for P2A messages (responses, delayed responses,
 *           notifications), false for A2P commands
 * @msg:     filled on success
 *
 * Return: SCMI_WIRE_OK or a negative enum scmi_wire_err.
 */
static inline int scmi_wire_parse(const void *buf, size_t len,
				  bool from_platform, struct scmi_wire_msg *msg)
{
	const u8 *p = (const u8 *)buf;
	u32 raw;

	if (!buf || len < SCMI_WIRE_HDR_SIZE)
		return SCMI_WIRE_ESHORT;
	if (len > SCMI_WIRE_MAX_MSG)
		return SCMI_WIRE_ELONG;
	raw = scmi_wire_get_le32(p);
	if (raw & SCMI_WIRE_RSVD_MASK)
		return SCMI_WIRE_ERSVD;
	scmi_wire_unpack(raw, &msg->hdr);
	if (msg->hdr.type == SCMI_WIRE_TYPE_RESERVED)
		return SCMI_WIRE_ETYPE;
	if (!from_platform && msg->hdr.type != SCMI_WIRE_TYPE_COMMAND)
		return SCMI_WIRE_EDIR;
	msg->payload = p + SCMI_WIRE_HDR_SIZE;
	msg->payload_len = (u32)(len - SCMI_WIRE_HDR_SIZE);
	msg->status = 0;
	if (from_platform && msg->hdr.type != SCMI_WIRE_TYPE_NOTIFICATION) {
		if (msg->payload_len < 4)
			return SCMI_WIRE_ENOSTATUS;
		msg->status = (s32)scmi_wire_get_le32(msg->payload);
	}
	return SCMI_WIRE_OK;
}

/**
 * scmi_wire_build() - frame one message
 * @out:     destination buffer
 * @cap:     size of @out
 * @hdr:     header to pack
 * @payload: payload bytes (may be NULL when @plen is 0)
 * @plen:    payload length
 *
 * Return: total message length, or -EMSGSIZE / -EINVAL.
 */
static inline int scmi_wire_build(void *out, size_t cap,
				  const struct scmi_wire_hdr *hdr,
				  const void *payload, size_t plen)
{
	u8 *o = (u8 *)out;

	if (!out || !hdr || (plen && !payload))
		return -EINVAL;
	if (plen > SCMI_WIRE_MAX_PAYLOAD || cap < SCMI_WIRE_HDR_SIZE + plen)
		return -EMSGSIZE;
	scmi_wire_put_le32(o, scmi_wire_pack(hdr));
	if (plen)
		memcpy(o + SCMI_WIRE_HDR_SIZE, payload, plen);
	return (int)(SCMI_WIRE_HDR_SIZE + plen);
}

/**
 * scmi_wire_status_to_errno() - map an SCMI status to a negative errno
 * @status: SCMI status as received
 *
 * Return: 0 for SCMI_SUCCESS, a negative errno otherwise (-EPROTO for
 * values outside the specification).
 */
static inline int scmi_wire_status_to_errno(s32 status)
{
	switch (status) {
	case SCMI_SUCCESS:	return 0;
	case SCMI_ERR_SUPPORT:	return -EOPNOTSUPP;
	case SCMI_ERR_PARAMS:	return -EINVAL;
	case SCMI_ERR_ACCESS:	return -EACCES;
	case SCMI_ERR_ENTRY:	return -ENOENT;
	case SCMI_ERR_RANGE:	return -ERANGE;
	case SCMI_ERR_BUSY:	return -EBUSY;
	case SCMI_ERR_COMMS:	return -ECOMM;
	case SCMI_ERR_GENERIC:	return -EIO;
	case SCMI_ERR_HARDWARE:	return -EREMOTEIO;
	case SCMI_ERR_PROTOCOL:	return -EPROTO;
	case SCMI_ERR_IN_USE:	return -EADDRINUSE;
	default:		return -EPROTO;
	}
}

/**
 * scmi_wire_sext5() - sign-extend a 5-bit field (sensor unit exponent)
 * @v: 5-bit value
 *
 * Return: the value as a signed int in [-16, 15].
 */
static inline int scmi_wire_sext5(u32 v)
{
	v &= 0x1fu;
	return (v & 0x10u) ? (int)v - 32 : (int)v;
}

/**
 * scmi_wire_name() - copy a fixed 16-byte SCMI name into a C string
 * @dst: destination, at least SCMI_NAME_LEN + 1 bytes
 * @src: SCMI_NAME_LEN bytes, NUL-padded or not
 *
 * Non-printable bytes are replaced with '?', so a hostile platform cannot
 * inject control characters into logs and sysfs.
 */
static inline void scmi_wire_name(char *dst, const u8 *src)
{
	unsigned int i;

	for (i = 0; i < SCMI_NAME_LEN && src[i]; i++)
		dst[i] = (src[i] >= 0x20 && src[i] < 0x7f) ? (char)src[i] : '?';
	dst[i] = '\0';
}

#endif /* _SOCBPF_SCMI_WIRE_H */
