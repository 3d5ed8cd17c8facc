/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * QMUX framing: QMI as it travels over a modem control port (cdc-wdm, the
 * WWAN subsystem's wwanXqmiY, SMD/GLINK's DATA5_CNTL), as libqmi 1.32 frames
 * it (src/libqmi-glib/qmi-message.c: struct qmux, control_header,
 * service_header; qmi-enums-private.h: QMI_CTL_FLAG_*, QMI_SERVICE_FLAG_*):
 *
 *   u8 marker 0x01 | __le16 length (everything after the marker)
 *   | u8 flags (0x80 when the service sends) | u8 service | u8 client
 *   | QMI header | TLVs
 *
 * The QMI header of the CTL service (0) has a one-byte transaction id:
 *   u8 flags (0x01 response, 0x02 indication) | u8 txn | __le16 msg | __le16 len
 * every other service's has two bytes:
 *   u8 flags (0x02 response, 0x04 indication) | __le16 txn | __le16 msg | __le16 len
 * Over QRTR the same service messages travel without QMUX (qmi_wire.h).
 *
 * A frame is valid as libqmi's qmi_message_new_from_raw() checks it: the
 * marker, QMUX length = frame length - 1, room for the QMI header, and the
 * header's TLV length = what follows, made of whole TLVs.  Pure portable
 * code: kernel (the control port drops what fails), the modem emulator, the
 * host unit test (against libqmi) and the fuzzer.
 */
#ifndef _SOCBPF_QMUX_WIRE_H
#define _SOCBPF_QMUX_WIRE_H

#include "compat.h"
#include "qmi_wire.h"

#define QMUX_MARKER		0x01
#define QMUX_HDR_LEN		6u	/* marker, length, flags, service, client */
#define QMUX_FLAG_SERVICE	0x80	/* the frame comes from the modem */
#define QMUX_CTL_HDR_LEN	6u
#define QMUX_SVC_HDR_LEN	7u	/* = QMI_WIRE_HDR_LEN */
#define QMUX_SVC_CTL		0x00
#define QMUX_CTL_FLAG_RESPONSE	0x01
#define QMUX_CTL_FLAG_INDICATION 0x02
/* Largest frame: the QMUX length field is 16 bits and excludes the marker. */
#define QMUX_MAX_FRAME		(0xffffu + 1u)

enum qmux_wire_err {
	QMUX_OK = 0,
	QMUX_ESHORT,		/* shorter than QMUX + QMI headers */
	QMUX_EMARKER,		/* first byte is not 0x01 */
	QMUX_ELEN,		/* QMUX length != frame length - 1 */
	QMUX_EQMILEN,		/* QMI header's TLV length != what follows */
	QMUX_ETLV,		/* a TLV runs past the end */
	QMUX_NR_ERR,
};

static inline const char *qmux_wire_err_name(int err)
{
	static const char * const names[] = {
		"ok", "short", "marker", "qmux_len", "qmi_len", "tlv",
	};

	if (err < 0 || err >= QMUX_NR_ERR)
		return "?";
	return names[err];
}

/* A parsed frame; the TLVs are at @tlvs, @tlv_len bytes. */
struct qmux_msg {
	u8 qmux_flags;
	u8 service;
	u8 client;
	u8 flags;		/* the QMI header's */
	u16 txn;
	u16 msg_id;
	const u8 *tlvs;
	u16 tlv_len;
};

static inline unsigned int qmux_qmi_hdr_len(u8 service)
{
	return service == QMUX_SVC_CTL ? QMUX_CTL_HDR_LEN : QMUX_SVC_HDR_LEN;
}

/**
 * qmux_wire_parse() - validate one QMUX frame
 * @buf: the frame (untrusted)
 * @len: its length
 * @m: the parsed frame when valid (may be NULL)
 *
 * Return: QMUX_OK or a QMUX_E* reason (positive).
 */
static inline int qmux_wire_parse(const void *buf, size_t len,
				  struct qmux_msg *m)
{
	const u8 *p = (const u8 *)buf;
	unsigned int qlen, hlen;
	u16 tlv_len;

	if (len < QMUX_HDR_LEN + QMUX_CTL_HDR_LEN)
		return QMUX_ESHORT;
	if (p[0] != QMUX_MARKER)
		return QMUX_EMARKER;
	qlen = p[1] | (p[2] << 8);
	if ((size_t)qlen + 1 != len)
		return QMUX_ELEN;
	hlen = qmux_qmi_hdr_len(p[4]);
	if (len < QMUX_HDR_LEN + hlen)
		return QMUX_ESHORT;
	tlv_len = (u16)(p[QMUX_HDR_LEN + hlen - 2] |
			(p[QMUX_HDR_LEN + hlen - 1] << 8));
	if ((size_t)tlv_len != len - QMUX_HDR_LEN - hlen)
		return QMUX_EQMILEN;
	if (qmi_wire_tlv_walk(p + QMUX_HDR_LEN + hlen, tlv_len) < 0)
		return QMUX_ETLV;
	if (m) {
		m->qmux_flags = p[3];
		m->service = p[4];
		m->client = p[5];
		m->flags = p[QMUX_HDR_LEN];
		if (hlen == QMUX_CTL_HDR_LEN) {
			m->txn = p[QMUX_HDR_LEN + 1];
			m->msg_id = (u16)(p[QMUX_HDR_LEN + 2] |
					  (p[QMUX_HDR_LEN + 3] << 8));
		} else {
			m->txn = (u16)(p[QMUX_HDR_LEN + 1] |
				       (p[QMUX_HDR_LEN + 2] << 8));
			m->msg_id = (u16)(p[QMUX_HDR_LEN + 3] |
					  (p[QMUX_HDR_LEN + 4] << 8));
		}
		m->tlvs = p + QMUX_HDR_LEN + hlen;
		m->tlv_len = tlv_len;
	}
	return QMUX_OK;
}

/**
 * qmux_wire_to_qmi() - the QMI message of a parsed frame with a two-byte
 *	transaction id (the form qmi_wire.h and qmi_codec.h decode)
 * @m: a frame from qmux_wire_parse()
 * @out: destination
 * @cap: its size
 *
 * Return: bytes written, or -ENOSPC.
 */
static inline int qmux_wire_to_qmi(const struct qmux_msg *m, void *out,
				   size_t cap)
{
	u8 *o = (u8 *)out;

	if (cap < QMI_WIRE_HDR_LEN + (size_t)m->tlv_len)
		return -ENOSPC;
	o[0] = m->flags;
	o[1] = (u8)m->txn;
	o[2] = (u8)(m->txn >> 8);
	o[3] = (u8)m->msg_id;
	o[4] = (u8)(m->msg_id >> 8);
	o[5] = (u8)m->tlv_len;
	o[6] = (u8)(m->tlv_len >> 8);
	if (m->tlv_len)
		memcpy(o + QMI_WIRE_HDR_LEN, m->tlvs, m->tlv_len);
	return (int)(QMI_WIRE_HDR_LEN + m->tlv_len);
}

/**
 * qmux_wire_wrap() - frame a QMI message (two-byte transaction id, as
 *	qmi_codec.h encodes it) for a QMUX port
 * @out: destination
 * @cap: its size
 * @qmux_flags: 0 from the host, QMUX_FLAG_SERVICE from the modem
 * @service: QMI service
 * @client: client id
 * @qmi: the message, header included
 * @qmi_len: its length
 *
 * For CTL the transaction id is cut to one byte, as the CTL header has it.
 *
 * Return: frame length, -EMSGSIZE when @qmi is not a message or the frame
 * would be too long, -ENOSPC when @cap is too small.
 */
static inline int qmux_wire_wrap(void *out, size_t cap, u8 qmux_flags,
				 u8 service, u8 client, const void *qmi,
				 size_t qmi_len)
{
	const u8 *q = (const u8 *)qmi;
	u8 *o = (u8 *)out;
	size_t tlv_len, hlen = qmux_qmi_hdr_len(service), total;

	if (qmi_len < QMI_WIRE_HDR_LEN)
		return -EMSGSIZE;
	tlv_len = qmi_len - QMI_WIRE_HDR_LEN;
	total = QMUX_HDR_LEN + hlen + tlv_len;
	if (total > QMUX_MAX_FRAME || (size_t)(q[5] | (q[6] << 8)) != tlv_len)
		return -EMSGSIZE;
	if (cap < total)
		return -ENOSPC;
	o[0] = QMUX_MARKER;
	o[1] = (u8)(total - 1);
	o[2] = (u8)((total - 1) >> 8);
	o[3] = qmux_flags;
	o[4] = service;
	o[5] = client;
	o[6] = q[0];
	if (hlen == QMUX_CTL_HDR_LEN) {
		o[7] = q[1];
		memcpy(o + 8, q + 3, 4);	/* msg id, TLV length */
	} else {
		memcpy(o + 7, q + 1, 6);
	}
	memmove(o + QMUX_HDR_LEN + hlen, q + QMI_WIRE_HDR_LEN, tlv_len);
	return (int)total;
}

#endif /* _SOCBPF_QMUX_WIRE_H */
