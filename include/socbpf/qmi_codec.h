/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * QMI message codec driven by element-description tables.
 *
 * A message is described by an array of struct sqmi_elem_info, one entry per
 * field of a C structure, ended by an SQMI_EOTI entry: the same shape as the
 * kernel's struct qmi_elem_info (drivers/soc/qcom/qmi_encdec.c), so tables
 * written for upstream translate one to one (prefix SQMI_ on the constants).
 *
 * On the wire (carried by QRTR, no QMUX header, see qmi_wire.h):
 *
 *	u8 type | __le16 txn | __le16 msg_id | __le16 len | TLVs
 *
 * Every top-level field is one TLV (u8 type, __le16 length, value), the
 * table entries sharing its tlv_type are, in order:
 *
 *	[SQMI_OPT_FLAG]	a u8 in the C struct, the TLV is sent only when it is
 *			non-zero and is set to 1 when the TLV is received
 *	[SQMI_DATA_LEN]	a u32 in the C struct holding the element count of
 *			the variable-length array that follows; on the wire
 *			1 byte (elem_size 1) or 2 bytes (elem_size 2)
 *	value		a scalar, an enum, a struct or a string, either alone
 *			(SQMI_NO_ARRAY), elem_len of them (SQMI_STATIC_ARRAY)
 *			or DATA_LEN of at most elem_len (SQMI_VAR_LEN_ARRAY);
 *			elem_size is the C size of one
 *
 * Inside a struct (an SQMI_STRUCT's ei_array) the fields follow each other
 * with no TLV header. Scalars are little-endian on the wire whatever the
 * host. A string's C field is a char array of elem_len bytes (NUL included,
 * so at most elem_len - 1 characters); as a whole TLV its bytes are the
 * value, inside a struct they carry a length prefix of 1 byte (elem_len <=
 * 255) or 2 bytes, as in upstream and libqmi.
 *
 * The tables are trusted (they are compiled with the structs they describe);
 * the wire is not: decoding never reads outside the message nor writes more
 * elements than the table allows, and every byte of a known TLV must be
 * consumed by its value. TLVs the table does not know are skipped and
 * counted. Pure portable code: kernel (kernel/qmi), host unit tests, fuzzer.
 */
#ifndef _SOCBPF_QMI_CODEC_H
#define _SOCBPF_QMI_CODEC_H

#include "compat.h"
#include "qmi_wire.h"

/* Message types in the header's first byte (qmi_wire.h's flags). */
#define SQMI_REQUEST		QMI_WIRE_FLAG_REQUEST
#define SQMI_RESPONSE		QMI_WIRE_FLAG_RESPONSE
#define SQMI_INDICATION		QMI_WIRE_FLAG_INDICATION

#define SQMI_HEADER_LEN		QMI_WIRE_HDR_LEN
#define SQMI_COMMON_TLV_TYPE	0
#define SQMI_RESULT_TLV_TYPE	QMI_WIRE_TLV_RESULT
/* Nesting limit for SQMI_STRUCT inside SQMI_STRUCT (tables are bounded). */
#define SQMI_MAX_DEPTH		8

enum sqmi_elem_type {
	SQMI_EOTI,			/* end of table */
	SQMI_OPT_FLAG,			/* u8 "valid" of an optional TLV */
	SQMI_DATA_LEN,			/* u32 count of the array that follows */
	SQMI_UNSIGNED_1_BYTE,
	SQMI_UNSIGNED_2_BYTE,
	SQMI_UNSIGNED_4_BYTE,
	SQMI_UNSIGNED_8_BYTE,
	SQMI_SIGNED_2_BYTE_ENUM,
	SQMI_SIGNED_4_BYTE_ENUM,
	SQMI_STRUCT,
	SQMI_STRING,
	/* beyond upstream's set: signed values and 1-byte enums */
	SQMI_SIGNED_1_BYTE,
	SQMI_SIGNED_2_BYTE,
	SQMI_SIGNED_4_BYTE,
	SQMI_SIGNED_8_BYTE,
	SQMI_SIGNED_1_BYTE_ENUM,
};

enum sqmi_array_type {
	SQMI_NO_ARRAY,
	SQMI_STATIC_ARRAY,
	SQMI_VAR_LEN_ARRAY,
};

/**
 * struct sqmi_elem_info - describes one field of a QMI message structure
 * @data_type: an enum sqmi_elem_type
 * @elem_len: array length (static), maximum count (variable), string buffer
 *	size including the NUL, 1 otherwise
 * @elem_size: C size of one element (for SQMI_DATA_LEN: its wire width)
 * @array_type: an enum sqmi_array_type
 * @tlv_type: TLV type of a top-level field (ignored inside structs)
 * @offset: offsetof() the field in its C structure
 * @ei_array: table of the element structure, for SQMI_STRUCT
 */
struct sqmi_elem_info {
	enum sqmi_elem_type data_type;
	u32 elem_len;
	u32 elem_size;
	enum sqmi_array_type array_type;
	u8 tlv_type;
	u32 offset;
	const struct sqmi_elem_info *ei_array;
};

/**
 * struct sqmi_header - a decoded QMI header
 * @type: SQMI_REQUEST, SQMI_RESPONSE or SQMI_INDICATION
 * @txn_id: transaction id
 * @msg_id: message id
 * @msg_len: bytes of TLVs after the header
 * @unknown_tlvs: TLVs skipped because the table has no entry for them
 */
struct sqmi_header {
	u8 type;
	u16 txn_id;
	u16 msg_id;
	u16 msg_len;
	u16 unknown_tlvs;
};

/* The result TLV (0x02) of every response, as upstream's _v01 type. */
struct sqmi_response_type {
	u16 result;
	u16 error;
};

/* Cursor over a bounded buffer: writes (encode) or reads (decode). */
struct sqmi_cur {
	u8 *w;
	const u8 *r;
	size_t cap;
	size_t off;
};

static inline int sqmi_scalar_width(enum sqmi_elem_type t)
{
	switch (t) {
	case SQMI_OPT_FLAG:
	case SQMI_UNSIGNED_1_BYTE:
	case SQMI_SIGNED_1_BYTE:
	case SQMI_SIGNED_1_BYTE_ENUM:
		return 1;
	case SQMI_UNSIGNED_2_BYTE:
	case SQMI_SIGNED_2_BYTE:
	case SQMI_SIGNED_2_BYTE_ENUM:
		return 2;
	case SQMI_UNSIGNED_4_BYTE:
	case SQMI_SIGNED_4_BYTE:
	case SQMI_SIGNED_4_BYTE_ENUM:
		return 4;
	case SQMI_UNSIGNED_8_BYTE:
	case SQMI_SIGNED_8_BYTE:
		return 8;
	default:
		return 0;
	}
}

/* Host integer of @w bytes at @p, as a u64 (any alignment). */
static inline u64 sqmi_load(const void *p, int w)
{
	u8 v8;
	u16 v16;
	u32 v32;
	u64 v64;

	switch (w) {
	case 1:
		memcpy(&v8, p, 1);
		return v8;
	case 2:
		memcpy(&v16, p, 2);
		return v16;
	case 4:
		memcpy(&v32, p, 4);
		return v32;
	default:
		memcpy(&v64, p, 8);
		return v64;
	}
}

static inline void sqmi_store(void *p, int w, u64 v)
{
	u8 v8 = (u8)v;
	u16 v16 = (u16)v;
	u32 v32 = (u32)v;

	switch (w) {
	case 1:
		memcpy(p, &v8, 1);
		break;
	case 2:
		memcpy(p, &v16, 2);
		break;
	case 4:
		memcpy(p, &v32, 4);
		break;
	default:
		memcpy(p, &v, 8);
		break;
	}
}

/* Append @w bytes of @v, least significant first. */
static inline int sqmi_put_le(struct sqmi_cur *c, int w, u64 v)
{
	int i;

	if (c->cap - c->off < (size_t)w)
		return -ENOSPC;
	for (i = 0; i < w; i++)
		c->w[c->off++] = (u8)(v >> (8 * i));
	return 0;
}

static inline int sqmi_get_le(struct sqmi_cur *c, int w, u64 *v)
{
	int i;

	*v = 0;
	if (c->cap - c->off < (size_t)w)
		return -EBADMSG;
	for (i = 0; i < w; i++)
		*v |= (u64)c->r[c->off++] << (8 * i);
	return 0;
}

/* Width on the wire of a string's length prefix inside a struct. */
static inline int sqmi_str_prefix(const struct sqmi_elem_info *ei)
{
	return ei->elem_len <= 0xff ? 1 : 2;
}

/* Element count of @ei given the DATA_LEN value @n seen before it. */
static inline int sqmi_count(const struct sqmi_elem_info *ei, long n, u32 *cnt)
{
	switch (ei->array_type) {
	case SQMI_NO_ARRAY:
		*cnt = 1;
		return 0;
	case SQMI_STATIC_ARRAY:
		*cnt = ei->elem_len;
		return 0;
	case SQMI_VAR_LEN_ARRAY:
		if (n < 0)		/* no SQMI_DATA_LEN before it */
			return -EINVAL;
		*cnt = (u32)n;
		return 0;
	default:
		return -EINVAL;
	}
}

static inline int sqmi_enc_fields(const struct sqmi_elem_info *ei,
				  const void *c_struct, struct sqmi_cur *c,
				  int depth);

/* Encode @cnt values of element @ei found at @src. */
static inline int sqmi_enc_value(const struct sqmi_elem_info *ei,
				 const u8 *src, u32 cnt, struct sqmi_cur *c,
				 int depth)
{
	int w = sqmi_scalar_width(ei->data_type);
	size_t n;
	u32 i;
	int ret;

	if (w) {
		if (ei->elem_size != (u32)w || ei->data_type == SQMI_OPT_FLAG)
			return -EINVAL;
		if ((c->cap - c->off) / (size_t)w < cnt)
			return -ENOSPC;
		for (i = 0; i < cnt; i++)
			sqmi_put_le(c, w, sqmi_load(src + (size_t)i * w, w));
		return 0;
	}
	switch (ei->data_type) {
	case SQMI_STRUCT:
		if (!ei->ei_array || depth >= SQMI_MAX_DEPTH)
			return -EINVAL;
		for (i = 0; i < cnt; i++) {
			ret = sqmi_enc_fields(ei->ei_array,
					      src + (size_t)i * ei->elem_size,
					      c, depth + 1);
			if (ret)
				return ret;
		}
		return 0;
	case SQMI_STRING:
		if (ei->array_type != SQMI_NO_ARRAY || ei->elem_size != 1 ||
		    ei->elem_len < 1)
			return -EINVAL;
		n = strnlen((const char *)src, ei->elem_len);
		if (n >= ei->elem_len)		/* no NUL inside the field */
			return -EINVAL;
		if (depth > 0) {
			ret = sqmi_put_le(c, sqmi_str_prefix(ei), n);
			if (ret)
				return ret;
		}
		if (c->cap - c->off < n)
			return -ENOSPC;
		memcpy(c->w + c->off, src, n);
		c->off += n;
		return 0;
	default:
		return -EINVAL;
	}
}

/* DATA_LEN at @ei: check the array after it and put the count. */
static inline int sqmi_enc_len(const struct sqmi_elem_info *ei,
			       const void *c_struct, struct sqmi_cur *c,
			       long *n)
{
	const struct sqmi_elem_info *arr = ei + 1;
	u32 v;

	if ((ei->elem_size != 1 && ei->elem_size != 2) ||
	    arr->array_type != SQMI_VAR_LEN_ARRAY ||
	    arr->tlv_type != ei->tlv_type)
		return -EINVAL;
	memcpy(&v, (const u8 *)c_struct + ei->offset, sizeof(v));
	if (v > arr->elem_len || v > (ei->elem_size == 1 ? 0xffu : 0xffffu))
		return -EINVAL;
	*n = v;
	return sqmi_put_le(c, (int)ei->elem_size, v);
}

/* The fields of a struct, back to back, no TLV headers. */
static inline int sqmi_enc_fields(const struct sqmi_elem_info *ei,
				  const void *c_struct, struct sqmi_cur *c,
				  int depth)
{
	long n = -1;
	u32 cnt;
	int ret;

	for (; ei->data_type != SQMI_EOTI; ei++) {
		if (ei->data_type == SQMI_OPT_FLAG)
			return -EINVAL;	/* optional only as a whole TLV */
		if (ei->data_type == SQMI_DATA_LEN) {
			ret = sqmi_enc_len(ei, c_struct, c, &n);
			if (ret)
				return ret;
			continue;
		}
		ret = sqmi_count(ei, n, &cnt);
		if (ret)
			return ret;
		ret = sqmi_enc_value(ei, (const u8 *)c_struct + ei->offset,
				     cnt, c, depth);
		if (ret)
			return ret;
		n = -1;
	}
	return 0;
}

/**
 * sqmi_encode_message() - encode a C structure as a QMI message
 * @buf: output buffer
 * @cap: its size
 * @type: SQMI_REQUEST, SQMI_RESPONSE or SQMI_INDICATION
 * @txn_id: transaction id
 * @msg_id: message id
 * @ei: table describing @c_struct (NULL for a message with no TLVs)
 * @c_struct: the structure to encode (may be NULL only when @ei is)
 *
 * Return: bytes written (header included), -ENOSPC when @buf is too small,
 * -EMSGSIZE when the message would exceed 65535 bytes of TLVs, -EINVAL for a
 * bad table or a value the table does not allow (an array count above
 * elem_len, a string without its NUL).
 */
static inline int sqmi_encode_message(void *buf, size_t cap, u8 type,
				      u16 txn_id, u16 msg_id,
				      const struct sqmi_elem_info *ei,
				      const void *c_struct)
{
	struct sqmi_cur c = { .w = (u8 *)buf, .cap = cap };
	long n;
	u32 cnt;
	size_t tlv, vlen;
	u8 t;
	int ret;

	if (!buf || cap < SQMI_HEADER_LEN)
		return -ENOSPC;
	if (ei && ei->data_type != SQMI_EOTI && !c_struct)
		return -EINVAL;
	c.off = SQMI_HEADER_LEN;
	while (ei && ei->data_type != SQMI_EOTI) {
		t = ei->tlv_type;
		n = -1;
		if (ei->data_type == SQMI_OPT_FLAG) {
			if (!*((const u8 *)c_struct + ei->offset)) {
				while (ei->data_type != SQMI_EOTI &&
				       ei->tlv_type == t)
					ei++;
				continue;
			}
			ei++;
			if (ei->data_type == SQMI_EOTI || ei->tlv_type != t)
				return -EINVAL;
		}
		if (c.cap - c.off < QMI_WIRE_TLV_HDR_LEN)
			return -ENOSPC;
		tlv = c.off;
		c.off += QMI_WIRE_TLV_HDR_LEN;
		if (ei->data_type == SQMI_DATA_LEN) {
			ret = sqmi_enc_len(ei, c_struct, &c, &n);
			if (ret)
				return ret;
			ei++;
		}
		ret = sqmi_count(ei, n, &cnt);
		if (ret)
			return ret;
		ret = sqmi_enc_value(ei, (const u8 *)c_struct + ei->offset,
				     cnt, &c, 0);
		if (ret)
			return ret;
		ei++;
		/* one value per TLV: several fields go in a struct */
		if (ei->data_type != SQMI_EOTI && ei->tlv_type == t)
			return -EINVAL;
		vlen = c.off - tlv - QMI_WIRE_TLV_HDR_LEN;
		if (vlen > 0xffff || c.off - SQMI_HEADER_LEN > QMI_WIRE_MAX_MSG)
			return -EMSGSIZE;
		c.w[tlv] = t;
		c.w[tlv + 1] = (u8)vlen;
		c.w[tlv + 2] = (u8)(vlen >> 8);
	}
	vlen = c.off - SQMI_HEADER_LEN;
	c.w[0] = type;
	c.w[1] = (u8)txn_id;
	c.w[2] = (u8)(txn_id >> 8);
	c.w[3] = (u8)msg_id;
	c.w[4] = (u8)(msg_id >> 8);
	c.w[5] = (u8)vlen;
	c.w[6] = (u8)(vlen >> 8);
	return (int)c.off;
}

static inline int sqmi_dec_fields(const struct sqmi_elem_info *ei,
				  void *c_struct, struct sqmi_cur *c,
				  int depth);

/* Decode @cnt values of @ei into @dst; @depth 0 is a whole TLV. */
static inline int sqmi_dec_value(const struct sqmi_elem_info *ei, u8 *dst,
				 u32 cnt, struct sqmi_cur *c, int depth)
{
	int w = sqmi_scalar_width(ei->data_type);
	u64 v;
	u32 i;
	int ret;

	if (w) {
		if (ei->elem_size != (u32)w || ei->data_type == SQMI_OPT_FLAG)
			return -EINVAL;
		if ((c->cap - c->off) / (size_t)w < cnt)
			return -EBADMSG;
		for (i = 0; i < cnt; i++) {
			sqmi_get_le(c, w, &v);
			sqmi_store(dst + (size_t)i * w, w, v);
		}
		return 0;
	}
	switch (ei->data_type) {
	case SQMI_STRUCT:
		if (!ei->ei_array || depth >= SQMI_MAX_DEPTH)
			return -EINVAL;
		for (i = 0; i < cnt; i++) {
			ret = sqmi_dec_fields(ei->ei_array,
					      dst + (size_t)i * ei->elem_size,
					      c, depth + 1);
			if (ret)
				return ret;
		}
		return 0;
	case SQMI_STRING:
		if (ei->array_type != SQMI_NO_ARRAY || ei->elem_size != 1 ||
		    ei->elem_len < 1)
			return -EINVAL;
		if (depth > 0) {
			ret = sqmi_get_le(c, sqmi_str_prefix(ei), &v);
			if (ret)
				return ret;
		} else {
			v = c->cap - c->off;	/* the rest of the TLV */
		}
		if (v >= ei->elem_len)
			return -EOVERFLOW;
		if (c->cap - c->off < v)
			return -EBADMSG;
		memcpy(dst, c->r + c->off, (size_t)v);
		dst[v] = '\0';
		c->off += (size_t)v;
		return 0;
	default:
		return -EINVAL;
	}
}

/* DATA_LEN at @ei: read the count, check it against the array's room. */
static inline int sqmi_dec_len(const struct sqmi_elem_info *ei, void *c_struct,
			       struct sqmi_cur *c, long *n)
{
	const struct sqmi_elem_info *arr = ei + 1;
	u64 v;
	u32 v32;
	int ret;

	if ((ei->elem_size != 1 && ei->elem_size != 2) ||
	    arr->array_type != SQMI_VAR_LEN_ARRAY ||
	    arr->tlv_type != ei->tlv_type)
		return -EINVAL;
	ret = sqmi_get_le(c, (int)ei->elem_size, &v);
	if (ret)
		return ret;
	if (v > arr->elem_len)
		return -EOVERFLOW;
	v32 = (u32)v;
	memcpy((u8 *)c_struct + ei->offset, &v32, sizeof(v32));
	*n = (long)v;
	return 0;
}

static inline int sqmi_dec_fields(const struct sqmi_elem_info *ei,
				  void *c_struct, struct sqmi_cur *c,
				  int depth)
{
	long n = -1;
	u32 cnt;
	int ret;

	for (; ei->data_type != SQMI_EOTI; ei++) {
		if (ei->data_type == SQMI_OPT_FLAG)
			return -EINVAL;
		if (ei->data_type == SQMI_DATA_LEN) {
			ret = sqmi_dec_len(ei, c_struct, c, &n);
			if (ret)
				return ret;
			continue;
		}
		ret = sqmi_count(ei, n, &cnt);
		if (ret)
			return ret;
		ret = sqmi_dec_value(ei, (u8 *)c_struct + ei->offset, cnt, c,
				     depth);
		if (ret)
			return ret;
		n = -1;
	}
	return 0;
}

/* Decode the value of one TLV of a type the table knows, from @ei on. */
static inline int sqmi_dec_tlv(const struct sqmi_elem_info *ei, void *c_struct,
			       const u8 *val, u16 vlen)
{
	struct sqmi_cur c = { .r = val, .cap = vlen };
	u8 *flag = NULL;
	long n = -1;
	u32 cnt;
	u8 t = ei->tlv_type;
	int ret;

	if (ei->data_type == SQMI_OPT_FLAG) {
		flag = (u8 *)c_struct + ei->offset;
		ei++;
		if (ei->data_type == SQMI_EOTI || ei->tlv_type != t)
			return -EINVAL;
	}
	if (ei->data_type == SQMI_DATA_LEN) {
		ret = sqmi_dec_len(ei, c_struct, &c, &n);
		if (ret)
			return ret;
		ei++;
	}
	ret = sqmi_count(ei, n, &cnt);
	if (ret)
		return ret;
	ret = sqmi_dec_value(ei, (u8 *)c_struct + ei->offset, cnt, &c, 0);
	if (ret)
		return ret;
	if (c.off != c.cap)		/* bytes the value does not explain */
		return -EBADMSG;
	if (flag)
		*flag = 1;
	return 0;
}

/**
 * sqmi_decode_header() - validate a QMI message's framing and decode its header
 * @buf: message (untrusted)
 * @len: bytes in @buf
 * @hdr: the header on success (unknown_tlvs set to 0)
 *
 * Return: 0, -EMSGSIZE when shorter than a header or the header's length
 * disagrees with @len, -EBADMSG when the TLVs do not tile the payload.
 */
static inline int sqmi_decode_header(const void *buf, size_t len,
				     struct sqmi_header *hdr)
{
	struct qmi_wire_msg m;
	int ret;

	ret = qmi_wire_parse(buf, len, &m);
	if (ret)
		return ret;
	hdr->type = m.flags;
	hdr->txn_id = m.txn;
	hdr->msg_id = m.msg_id;
	hdr->msg_len = m.tlv_len;
	hdr->unknown_tlvs = 0;
	return 0;
}

/**
 * sqmi_decode_message() - decode a QMI message into a C structure
 * @buf: message with its header (untrusted)
 * @len: bytes in @buf
 * @ei: table describing @c_struct
 * @c_struct: output; the caller zeroes it first (fields of absent TLVs, and
 *	the valid flags of absent optional TLVs, are left as they are)
 * @hdr: if not NULL, the decoded header and the count of unknown TLVs
 *
 * Return: the number of TLV bytes decoded (>= 0) on success; -EMSGSIZE or
 * -EBADMSG for bad framing (see sqmi_decode_header()), -EBADMSG for a known
 * TLV whose value is truncated or has bytes left over, -EOVERFLOW for an
 * array count or a string longer than its C field, -EINVAL for a bad table.
 * On error @c_struct may be partly written, never beyond its fields.
 */
static inline int sqmi_decode_message(const void *buf, size_t len,
				      const struct sqmi_elem_info *ei,
				      void *c_struct, struct sqmi_header *hdr)
{
	const struct sqmi_elem_info *f;
	struct sqmi_header h;
	const u8 *p;
	size_t off = 0;
	u16 vlen;
	int ret;

	if (!ei || !c_struct)
		return -EINVAL;
	ret = sqmi_decode_header(buf, len, &h);
	if (ret)
		return ret;
	p = (const u8 *)buf + SQMI_HEADER_LEN;
	while (off < h.msg_len) {
		/* whole TLVs, checked by sqmi_decode_header() */
		vlen = (u16)(p[off + 1] | (p[off + 2] << 8));
		for (f = ei; f->data_type != SQMI_EOTI; f++)
			if (f->tlv_type == p[off])
				break;
		if (f->data_type == SQMI_EOTI) {
			h.unknown_tlvs++;
		} else {
			ret = sqmi_dec_tlv(f, c_struct,
					   p + off + QMI_WIRE_TLV_HDR_LEN, vlen);
			if (ret)
				return ret;
		}
		off += QMI_WIRE_TLV_HDR_LEN + vlen;
	}
	if (hdr)
		*hdr = h;
	return h.msg_len;
}

#endif /* _SOCBPF_QMI_CODEC_H */
