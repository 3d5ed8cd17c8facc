// SPDX-License-Identifier: GPL-2.0
/*
 * socbpf_qmi codec: the table-driven QMI encoder/decoder of
 * include/socbpf/qmi_codec.h, exported with upstream qmi_encdec's calling
 * conventions (an allocated message, ERR_PTR on failure; decoding into a
 * caller's structure) so a client written for qmi_helpers ports by renaming.
 */
#define pr_fmt(fmt) "socbpf_qmi: " fmt

#include <linux/err.h>
#include <linux/module.h>
#include <linux/slab.h>

#include "socbpf_qmi.h"

/**
 * socbpf_qmi_response_type_ei - table of the result TLV of every response
 *
 * Describes a &struct sqmi_response_type (result and error, u16 each) as
 * the value of a struct element with tlv_type %SQMI_RESULT_TLV_TYPE.
 */
const struct sqmi_elem_info socbpf_qmi_response_type_ei[] = {
	{
		.data_type = SQMI_SIGNED_2_BYTE_ENUM,
		.elem_len = 1,
		.elem_size = sizeof(u16),
		.offset = offsetof(struct sqmi_response_type, result),
	},
	{
		.data_type = SQMI_SIGNED_2_BYTE_ENUM,
		.elem_len = 1,
		.elem_size = sizeof(u16),
		.offset = offsetof(struct sqmi_response_type, error),
	},
	{ .data_type = SQMI_EOTI },
};
EXPORT_SYMBOL_GPL(socbpf_qmi_response_type_ei);

/**
 * socbpf_qmi_encode_message() - encode a C structure as a QMI message
 * @type: %SQMI_REQUEST, %SQMI_RESPONSE or %SQMI_INDICATION
 * @msg_id: message id
 * @len: in: the largest TLV area the caller expects; out: the length of the
 *	encoded message, header included
 * @txn_id: transaction id
 * @ei: table describing @c_struct, NULL for a message without TLVs
 * @c_struct: the structure to encode
 *
 * Context: process context (allocates with GFP_KERNEL).
 * Return: the message in a buffer the caller frees with kfree(), or an
 * ERR_PTR(): -ENOMEM, -EINVAL (bad table, argument or value), -ENOSPC (the
 * message needs more than @len bytes of TLVs), -EMSGSIZE (over 65535).
 */
void *socbpf_qmi_encode_message(int type, unsigned int msg_id, size_t *len,
				unsigned int txn_id,
				const struct sqmi_elem_info *ei,
				const void *c_struct)
{
	size_t cap;
	void *msg;
	int ret;

	if (!len || type < 0 || type > 0xff || msg_id > 0xffff ||
	    txn_id > 0xffff)
		return ERR_PTR(-EINVAL);
	cap = min_t(size_t, *len, QMI_WIRE_MAX_MSG) + SQMI_HEADER_LEN;
	msg = kzalloc(cap, GFP_KERNEL);
	if (!msg)
		return ERR_PTR(-ENOMEM);
	ret = sqmi_encode_message(msg, cap, type, txn_id, msg_id, ei, c_struct);
	if (ret < 0) {
		kfree(msg);
		return ERR_PTR(ret);
	}
	*len = ret;
	return msg;
}
EXPORT_SYMBOL_GPL(socbpf_qmi_encode_message);

/**
 * socbpf_qmi_decode_message() - decode a QMI message into a C structure
 * @buf: the message, header included (untrusted)
 * @len: bytes in @buf
 * @ei: table describing @c_struct
 * @c_struct: zeroed structure to decode into
 *
 * TLVs the table does not know are skipped. Nothing outside @buf is read and
 * nothing outside the fields of @c_struct named by @ei is written.
 *
 * Context: any context.
 * Return: bytes of TLVs decoded (>= 0), -EINVAL for bad arguments or table,
 * -EMSGSIZE or -EBADMSG for a malformed message, -EOVERFLOW for an array or
 * a string longer than its field.
 */
int socbpf_qmi_decode_message(const void *buf, size_t len,
			      const struct sqmi_elem_info *ei, void *c_struct)
{
	return sqmi_decode_message(buf, len, ei, c_struct, NULL);
}
EXPORT_SYMBOL_GPL(socbpf_qmi_decode_message);

/**
 * socbpf_qmi_decode_header() - check a QMI message's framing, read its header
 * @buf: the message (untrusted)
 * @len: bytes in @buf
 * @hdr: the header on success
 *
 * Context: any context.
 * Return: 0, -EMSGSIZE when shorter than a header or its length field
 * disagrees with @len, -EBADMSG when its TLVs do not tile the payload.
 */
int socbpf_qmi_decode_header(const void *buf, size_t len,
			     struct sqmi_header *hdr)
{
	return sqmi_decode_header(buf, len, hdr);
}
EXPORT_SYMBOL_GPL(socbpf_qmi_decode_header);

