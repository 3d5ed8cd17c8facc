/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * QMI wire format as carried over QRTR: no QMUX header, each QRTR datagram is
 * one QMI service message
 *
 *	u8 flags | __le16 txn | __le16 msg_id | __le16 len | TLVs (len bytes)
 *
 * and each TLV is  u8 type | __le16 len | value (len bytes).
 *
 * Pure portable code (kernel, userspace emulator, unit tests, fuzzers): the
 * decoder never reads outside the buffer it is given, the encoder never
 * writes outside its buffer and latches the first error.
 */
#ifndef _SOCBPF_QMI_WIRE_H
#define _SOCBPF_QMI_WIRE_H

#include "compat.h"

#define QMI_WIRE_FLAG_REQUEST		0x00
#define QMI_WIRE_FLAG_RESPONSE		0x02
#define QMI_WIRE_FLAG_INDICATION	0x04

/* The mandatory result TLV of every response: __le16 result, __le16 error. */
#define QMI_WIRE_TLV_RESULT		0x02
#define QMI_WIRE_RESULT_SUCCESS		0x0000
#define QMI_WIRE_RESULT_FAILURE		0x0001

/* A few QMI error codes (libqmi's QmiProtocolError numbering). */
#define QMI_WIRE_ERR_NONE		0x0000
#define QMI_WIRE_ERR_MALFORMED_MSG	0x0001
#define QMI_WIRE_ERR_INTERNAL		0x0003
#define QMI_WIRE_ERR_INVALID_ARG	0x0030
#define QMI_WIRE_ERR_NOT_SUPPORTED	0x005e
#define QMI_WIRE_ERR_INVALID_QMI_CMD	0x0047

/* Well-known QMI service ids (as announced on QRTR) */
#define QMI_WIRE_SVC_CTL		0x00
#define QMI_WIRE_SVC_WDS		0x01
#define QMI_WIRE_SVC_DMS		0x02
#define QMI_WIRE_SVC_NAS		0x03
#define QMI_WIRE_SVC_WLFW		0x45	/* 69: WLAN firmware */

/* DMS messages answered by the emulator */
#define QMI_WIRE_DMS_GET_MANUFACTURER	0x0021
#define QMI_WIRE_DMS_GET_MODEL		0x0022
#define QMI_WIRE_DMS_GET_REVISION	0x0023

struct qmi_wire_hdr {
	u8 flags;
	__le16 txn;
	__le16 msg_id;
	__le16 len;
} __packed;

#define QMI_WIRE_HDR_LEN	7u
#define QMI_WIRE_TLV_HDR_LEN	3u
#define QMI_WIRE_MAX_MSG	65535u	/* len fields are 16 bits */

/* Decoded message header; TLVs are at @tlvs, @tlv_len bytes. */
struct qmi_wire_msg {
	u8 flags;
	u16 txn;
	u16 msg_id;
	const u8 *tlvs;
	u16 tlv_len;
};

/**
 * qmi_wire_tlv_walk() - check that @len bytes are a sequence of whole TLVs
 * @p: TLV area (untrusted)
 * @len: bytes in @p
 *
 * Return: number of TLVs (>= 0), or -EBADMSG when a TLV header or value
 * runs past the end.
 */
static inline int qmi_wire_tlv_walk(const u8 *p, size_t len)
{
	size_t off = 0;
	int n = 0;

	while (off < len) {
		u16 vlen;

		if (len - off < QMI_WIRE_TLV_HDR_LEN)
			return -EBADMSG;
		vlen = (u16)(p[off + 1] | (p[off + 2] << 8));
		off += QMI_WIRE_TLV_HDR_LEN;
		if (len - off < vlen)
			return -EBADMSG;
		off += vlen;
		n++;
	}
	return n;
}

/**
 * qmi_wire_parse() - validate and decode a QMI message carried by QRTR
 * @buf: datagram payload (untrusted)
 * @len: bytes in @buf
 * @msg: decoded header on success
 *
 * The header's len must match the bytes that follow exactly and those bytes
 * must be whole TLVs.
 *
 * Return: 0, -EMSGSIZE if shorter than the header or the length disagrees,
 * -EBADMSG if the TLV area is malformed.
 */
static inline int qmi_wire_parse(const void *buf, size_t len,
				 struct qmi_wire_msg *msg)
{
	const u8 *p = (const u8 *)buf;
	struct qmi_wire_hdr h;
	int ret;

	memset(msg, 0, sizeof(*msg));
	if (!buf || len < QMI_WIRE_HDR_LEN)
		return -EMSGSIZE;
	memcpy(&h, p, QMI_WIRE_HDR_LEN);
	if ((size_t)le16_to_cpu(h.len) != len - QMI_WIRE_HDR_LEN)
		return -EMSGSIZE;
	ret = qmi_wire_tlv_walk(p + QMI_WIRE_HDR_LEN, len - QMI_WIRE_HDR_LEN);
	if (ret < 0)
		return ret;
	msg->flags = h.flags;
	msg->txn = le16_to_cpu(h.txn);
	msg->msg_id = le16_to_cpu(h.msg_id);
	msg->tlvs = p + QMI_WIRE_HDR_LEN;
	msg->tlv_len = le16_to_cpu(h.len);
	return 0;
}

/**
 * qmi_wire_find_tlv() - find the first TLV of @type in a parsed message
 * @msg: message from qmi_wire_parse()
 * @type: TLV type
 * @val: set to the value on success
 * @vlen: set to the value length on success
 *
 * Return: 0 when found, -ENOENT when absent, -EBADMSG if the area is bad
 * (cannot happen after a successful qmi_wire_parse()).
 */
static inline int qmi_wire_find_tlv(const struct qmi_wire_msg *msg, u8 type,
				    const u8 **val, u16 *vlen)
{
	const u8 *p = msg->tlvs;
	size_t len = msg->tlv_len, off = 0;

	while (off < len) {
		u16 l;

		if (len - off < QMI_WIRE_TLV_HDR_LEN)
			return -EBADMSG;
		l = (u16)(p[off + 1] | (p[off + 2] << 8));
		if (len - off - QMI_WIRE_TLV_HDR_LEN < l)
			return -EBADMSG;
		if (p[off] == type) {
			*val = p + off + QMI_WIRE_TLV_HDR_LEN;
			*vlen = l;
			return 0;
		}
		off += QMI_WIRE_TLV_HDR_LEN + l;
	}
	return -ENOENT;
}

/**
 * qmi_wire_get_result() - decode the result TLV (0x02) of a response
 * @msg: parsed message
 * @result: QMI_WIRE_RESULT_SUCCESS or _FAILURE
 * @error: QMI error code
 *
 * Return: 0, -ENOENT when absent, -EBADMSG when it is not 4 bytes.
 */
static inline int qmi_wire_get_result(const struct qmi_wire_msg *msg,
				      u16 *result, u16 *error)
{
	const u8 *v;
	u16 vl;
	int ret;

	ret = qmi_wire_find_tlv(msg, QMI_WIRE_TLV_RESULT, &v, &vl);
	if (ret)
		return ret;
	if (vl != 4)
		return -EBADMSG;
	*result = (u16)(v[0] | (v[1] << 8));
	*error = (u16)(v[2] | (v[3] << 8));
	return 0;
}

/* Encoder: fills a caller-provided buffer, first error sticks. */
struct qmi_wire_enc {
	u8 *buf;
	size_t cap;
	size_t len;
	int err;
};

/**
 * qmi_wire_enc_init() - start a message in @buf
 * @e: encoder state
 * @buf: output buffer
 * @cap: its size
 * @flags: QMI_WIRE_FLAG_*
 * @txn: transaction id
 * @msg_id: message id
 */
static inline void qmi_wire_enc_init(struct qmi_wire_enc *e, void *buf,
				     size_t cap, u8 flags, u16 txn, u16 msg_id)
{
	struct qmi_wire_hdr h;

	e->buf = (u8 *)buf;
	e->cap = cap;
	e->len = 0;
	e->err = 0;
	if (!buf || cap < QMI_WIRE_HDR_LEN) {
		e->err = -ENOSPC;
		return;
	}
	h.flags = flags;
	h.txn = cpu_to_le16(txn);
	h.msg_id = cpu_to_le16(msg_id);
	h.len = 0;
	memcpy(e->buf, &h, QMI_WIRE_HDR_LEN);
	e->len = QMI_WIRE_HDR_LEN;
}

/**
 * qmi_wire_put_tlv() - append one TLV
 * @e: encoder
 * @type: TLV type
 * @val: value bytes (may be NULL when @vlen is 0)
 * @vlen: value length
 */
static inline void qmi_wire_put_tlv(struct qmi_wire_enc *e, u8 type,
				    const void *val, size_t vlen)
{
	if (e->err)
		return;
	if (vlen > 0xffffu || e->len - QMI_WIRE_HDR_LEN + QMI_WIRE_TLV_HDR_LEN +
	    vlen > QMI_WIRE_MAX_MSG) {
		e->err = -EMSGSIZE;
		return;
	}
	if (e->cap - e->len < QMI_WIRE_TLV_HDR_LEN + vlen) {
		e->err = -ENOSPC;
		return;
	}
	e->buf[e->len] = type;
	e->buf[e->len + 1] = (u8)(vlen & 0xff);
	e->buf[e->len + 2] = (u8)(vlen >> 8);
	if (vlen)
		memcpy(e->buf + e->len + QMI_WIRE_TLV_HDR_LEN, val, vlen);
	e->len += QMI_WIRE_TLV_HDR_LEN + vlen;
}

static inline void qmi_wire_put_u8(struct qmi_wire_enc *e, u8 type, u8 v)
{
	qmi_wire_put_tlv(e, type, &v, 1);
}

static inline void qmi_wire_put_u16(struct qmi_wire_enc *e, u8 type, u16 v)
{
	__le16 x = cpu_to_le16(v);

	qmi_wire_put_tlv(e, type, &x, 2);
}

static inline void qmi_wire_put_u32(struct qmi_wire_enc *e, u8 type, u32 v)
{
	__le32 x = cpu_to_le32(v);

	qmi_wire_put_tlv(e, type, &x, 4);
}

/* A "string" TLV in libqmi terms: the whole value, no length prefix. */
static inline void qmi_wire_put_str(struct qmi_wire_enc *e, u8 type,
				    const char *s)
{
	qmi_wire_put_tlv(e, type, s, s ? strlen(s) : 0);
}

static inline void qmi_wire_put_result(struct qmi_wire_enc *e, u16 result,
				       u16 error)
{
	u8 v[4];

	v[0] = (u8)(result & 0xff);
	v[1] = (u8)(result >> 8);
	v[2] = (u8)(error & 0xff);
	v[3] = (u8)(error >> 8);
	qmi_wire_put_tlv(e, QMI_WIRE_TLV_RESULT, v, sizeof(v));
}

/**
 * qmi_wire_enc_finish() - write the header length field
 * @e: encoder
 *
 * Return: total message length, or the first negative error.
 */
static inline long qmi_wire_enc_finish(struct qmi_wire_enc *e)
{
	u16 l;

	if (e->err)
		return e->err;
	l = (u16)(e->len - QMI_WIRE_HDR_LEN);
	e->buf[5] = (u8)(l & 0xff);
	e->buf[6] = (u8)(l >> 8);
	return (long)e->len;
}

#endif /* _SOCBPF_QMI_WIRE_H */
