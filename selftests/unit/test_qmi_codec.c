// SPDX-License-Identifier: GPL-2.0
/*
 * Host unit tests: the table-driven QMI codec (include/socbpf/qmi_codec.h).
 * Golden bytes written out by hand from the wire rules (little-endian,
 * TLV = type, __le16 len, value; string prefixes 1 byte up to 255 bytes of
 * buffer, 2 beyond), round trips of every element kind, and every class of
 * malformed input, each decoded from a heap buffer of its exact size so
 * ASan catches any read past it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <socbpf/qmi_codec.h>
#include "qmi_codec_msgs.h"
#include "unit_tap.h"

static const u8 golden[] = {
	0x02, 0x02, 0x01, 0x04, 0x03, 0x87, 0x00,	/* resp, txn, msg, 135 */
	0x02, 0x04, 0x00, 0x01, 0x00, 0x34, 0x12,	/* result 1, error */
	0x01, 0x01, 0x00, 0xfe,
	0x03, 0x02, 0x00, 0xef, 0xbe,
	0x04, 0x04, 0x00, 0xef, 0xbe, 0xad, 0xde,
	0x05, 0x08, 0x00, 0xef, 0xcd, 0xab, 0x89, 0x67, 0x45, 0x23, 0x01,
	0x06, 0x01, 0x00, 0xfe,				/* -2 */
	0x07, 0x02, 0x00, 0x48, 0xf4,			/* -3000 */
	0x08, 0x04, 0x00, 0x90, 0xee, 0xfe, 0xff,	/* -70000 */
	0x09, 0x08, 0x00, 0x00, 0x0e, 0xfa, 0xd5, 0xfe, 0xff, 0xff, 0xff,
	0x0a, 0x01, 0x00, 0xff,
	0x0b, 0x02, 0x00, 0xff, 0x01,
	0x0c, 0x04, 0x00, 0x00, 0x00, 0xff, 0xff,
	0x10, 0x04, 0x00, 0x2a, 0x00, 0x00, 0x00,	/* optional, present */
	0x11, 0x09, 0x00, 0x02,				/* 2 of at most 5 */
	0x01, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00,
	/* 0x12 absent: its valid flag is 0 */
	0x13, 0x06, 0x00, 0x01, 0x00, 0x00, 0x01, 0xff, 0xff,
	0x14, 0x02, 0x00, 'h', 'i',			/* whole-TLV string */
	0x15, 0x0b, 0x00, 0x07, 0x02, 0x03,		/* inner: a, b */
	0x02, 'a', 'b',					/* name, 1-byte len */
	0x02, 0x0a, 0x00, 0x34, 0x12,			/* vals */
	0x16, 0x08, 0x00, 0x01,				/* one pair */
	0x05, 0x00, 0x00, 0x00, 0x01, 0x00, 'z',	/* 2-byte len */
};

static void golden_fill(struct t_msg *m)
{
	memset(m, 0, sizeof(*m));
	m->resp.result = 1;
	m->resp.error = 0x1234;
	m->u8v = 0xfe;
	m->u16v = 0xbeef;
	m->u32v = 0xdeadbeef;
	m->u64v = 0x0123456789abcdefull;
	m->s8v = -2;
	m->s16v = -3000;
	m->s32v = -70000;
	m->s64v = -5000000000ll;
	m->e1 = -1;
	m->e2 = 0x1ff;
	m->e4 = -0x10000;
	m->opt_valid = 1;
	m->opt = 42;
	m->arr_valid = 1;
	m->arr_len = 2;
	m->arr[0] = 1;
	m->arr[1] = 2;
	m->fixed[0] = 1;
	m->fixed[1] = 0x100;
	m->fixed[2] = 0xffff;
	m->str_valid = 1;
	strcpy(m->str, "hi");
	m->inner.a = 7;
	m->inner.b = 0x0302;
	strcpy(m->inner.name, "ab");
	m->inner.vals_len = 2;
	m->inner.vals[0] = 10;
	m->inner.vals[1] = 0x1234;
	m->pairs_valid = 1;
	m->pairs_len = 1;
	m->pairs[0].id = 5;
	strcpy(m->pairs[0].label, "z");
}

/* Decode from a heap copy of exactly @len bytes. */
static int dec(const void *buf, size_t len, struct t_msg *m,
	       struct sqmi_header *h)
{
	u8 *copy = malloc(len ? len : 1);
	int ret;

	memcpy(copy, buf, len);
	memset(m, 0, sizeof(*m));
	ret = sqmi_decode_message(copy, len, t_msg_ei, m, h);
	free(copy);
	return ret;
}

/* Encode into a heap buffer of exactly @cap bytes, copy out to @out. */
static int enc_cap(const struct t_msg *m, size_t cap, u8 *out)
{
	u8 *buf = malloc(cap ? cap : 1);
	int ret;

	ret = sqmi_encode_message(cap ? buf : NULL, cap, SQMI_RESPONSE, 0x0102,
				  0x0304, t_msg_ei, m);
	if (ret > 0 && out)
		memcpy(out, buf, (size_t)ret);
	free(buf);
	return ret;
}

static void test_golden(void)
{
	struct t_msg m, d;
	struct sqmi_header h;
	u8 out[256];
	int len;

	golden_fill(&m);
	len = enc_cap(&m, sizeof(out), out);
	check(len == (int)sizeof(golden) && !memcmp(out, golden, sizeof(golden)),
	      "encode: every element kind matches the hand-written bytes");
	check(dec(golden, sizeof(golden), &d, &h) == 135 &&
	      !memcmp(&d, &m, sizeof(m)),
	      "decode: hand-written bytes give back every field");
	check(h.type == SQMI_RESPONSE && h.txn_id == 0x0102 &&
	      h.msg_id == 0x0304 && h.msg_len == 135 && h.unknown_tlvs == 0,
	      "decode: header fields, host order");
	check(d.big_valid == 0 && d.opt_valid == 1 && d.str_valid == 1,
	      "decode: valid flags set only for TLVs present");
}

static void test_roundtrip(void)
{
	static u8 out[2048];
	struct t_msg m, d;
	int len, ret, i, ok;

	t_msg_fill(&m);
	len = enc_cap(&m, sizeof(out), out);
	check(len > 0, "encode: full message (300-byte array, 16-bit count)");
	ret = dec(out, (size_t)len, &d, NULL);
	check(ret == len - 7 && !memcmp(&d, &m, sizeof(m)),
	      "round trip: full message decodes to the same struct");
	check(out[7] == 0x02 && d.pairs[1].label[298] == 'x' &&
	      d.pairs[1].label[299] == '\0',
	      "round trip: 299-character string in a struct, NUL added");

	/* an encoder must never write past its buffer: every short cap */
	ok = 1;
	for (i = 0; i < len; i++)
		if (enc_cap(&m, (size_t)i, NULL) != -ENOSPC)
			ok = 0;
	check(ok, "encode: every buffer shorter than the message is -ENOSPC");
	check(enc_cap(&m, (size_t)len, NULL) == len,
	      "encode: a buffer of exactly the message size is enough");

	memset(&m, 0, sizeof(m));
	len = enc_cap(&m, sizeof(out), out);
	ret = dec(out, (size_t)len, &d, NULL);
	check(ret >= 0 && !memcmp(&d, &m, sizeof(m)) && d.opt_valid == 0,
	      "round trip: optional TLVs absent, empty strings and arrays");
}

/* Build a message from header fields and raw TLV bytes. */
static size_t mk(u8 *buf, const u8 *tlvs, size_t n)
{
	buf[0] = SQMI_RESPONSE;
	buf[1] = 1;
	buf[2] = 0;
	buf[3] = 0x22;
	buf[4] = 0;
	buf[5] = (u8)n;
	buf[6] = (u8)(n >> 8);
	memcpy(buf + 7, tlvs, n);
	return n + 7;
}

#define BAD(tlvs, want, desc) do {					\
	static const u8 _t[] = tlvs;					\
	size_t _n = mk(buf, _t, sizeof(_t));				\
	check(dec(buf, _n, &d, NULL) == (want), desc);			\
} while (0)
#define B(...) { __VA_ARGS__ }

static void test_malformed(void)
{
	static u8 buf[70000];
	struct sqmi_header h;
	struct t_msg d;
	size_t n;
	int ok, i;

	check(dec(golden, 6, &d, NULL) == -EMSGSIZE,
	      "bad: shorter than the header");
	check(dec(golden, sizeof(golden) - 1, &d, NULL) == -EMSGSIZE,
	      "bad: header length longer than the bytes");
	memcpy(buf, golden, sizeof(golden));
	buf[sizeof(golden)] = 0;
	check(dec(buf, sizeof(golden) + 1, &d, NULL) == -EMSGSIZE,
	      "bad: bytes after the header's length");
	BAD(B(0x01, 0x01), -EBADMSG, "bad: truncated TLV header");
	BAD(B(0x01, 0x05, 0x00, 0xfe), -EBADMSG,
	    "bad: TLV length past the end of the message");
	BAD(B(0x04, 0x02, 0x00, 0xef, 0xbe), -EBADMSG,
	    "bad: u32 TLV with 2 bytes (wrong type)");
	BAD(B(0x01, 0x02, 0x00, 0xfe, 0x00), -EBADMSG,
	    "bad: u8 TLV with a byte left over");
	BAD(B(0x05, 0x00, 0x00), -EBADMSG, "bad: empty u64 TLV");
	BAD(B(0x11, 0x00, 0x00), -EBADMSG, "bad: array TLV without its count");
	BAD(B(0x11, 0x01, 0x00, 0x06), -EOVERFLOW,
	    "bad: array count 6 above its maximum 5");
	BAD(B(0x11, 0x05, 0x00, 0x02, 0x01, 0x00, 0x00, 0x00), -EBADMSG,
	    "bad: array count 2, one element present");
	BAD(B(0x12, 0x03, 0x00, 0xff, 0xff, 0x00), -EOVERFLOW,
	    "bad: huge 16-bit array count 65535");
	BAD(B(0x12, 0x01, 0x00, 0x01), -EBADMSG,
	    "bad: 16-bit count with one byte");
	BAD(B(0x13, 0x04, 0x00, 0x01, 0x00, 0x02, 0x00), -EBADMSG,
	    "bad: static array of 3 with 2 elements");
	BAD(B(0x14, 0x10, 0x00, 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h',
	      'i', 'j', 'k', 'l', 'm', 'n', 'o', 'p'), -EOVERFLOW,
	    "bad: 16-character string for a 16-byte field");
	BAD(B(0x15, 0x04, 0x00, 0x07, 0x02, 0x03, 0x05), -EBADMSG,
	    "bad: nested string prefix past the TLV");
	BAD(B(0x15, 0x0d, 0x00, 0x07, 0x02, 0x03, 0x09,
	      '1', '2', '3', '4', '5', '6', '7', '8', '9'), -EOVERFLOW,
	    "bad: nested string of 9 for a 9-byte field");
	BAD(B(0x15, 0x06, 0x00, 0x07, 0x02, 0x03, 0x00, 0x05, 0x00),
	    -EOVERFLOW, "bad: nested array count above its maximum");
	BAD(B(0x15, 0x02, 0x00, 0x07, 0x02), -EBADMSG,
	    "bad: struct truncated inside a field");
	BAD(B(0x15, 0x07, 0x00, 0x07, 0x02, 0x03, 0x00, 0x00, 0xaa, 0xbb),
	    -EBADMSG, "bad: struct with bytes left over");
	BAD(B(0x16, 0x01, 0x00, 0x04), -EOVERFLOW,
	    "bad: array of structs, count above its maximum");
	BAD(B(0x16, 0x08, 0x00, 0x02, 0x05, 0x00, 0x00, 0x00, 0x01, 0x00, 'z'),
	    -EBADMSG, "bad: array of structs, second element missing");
	BAD(B(0x16, 0x07, 0x00, 0x01, 0x05, 0x00, 0x00, 0x00, 0x01, 0x00),
	    -EBADMSG, "bad: 2-byte string prefix, string missing");

	/* unknown TLVs, mandatory or optional range, are skipped */
	{
		static const u8 t[] = { 0x7f, 0x02, 0x00, 0xaa, 0xbb,
					0x01, 0x01, 0x00, 0x33,
					0x0e, 0x00, 0x00,
					0xff, 0x01, 0x00, 0x01 };

		n = mk(buf, t, sizeof(t));
		check(dec(buf, n, &d, &h) == (int)sizeof(t) &&
		      h.unknown_tlvs == 3 && d.u8v == 0x33,
		      "unknown TLVs skipped and counted, known one decoded");
	}

	/* a huge valid message: the 16-bit TLV limit, unknown TLV of 65532 */
	memset(buf + 7, 0, 65535);
	buf[7] = 0x70;
	buf[8] = 0xfc;
	buf[9] = 0xff;
	n = mk(buf, buf + 7, 65535);
	check(dec(buf, n, &d, &h) == 65535 && h.unknown_tlvs == 1,
	      "decode: 65535 bytes of TLVs");

	/* every truncation of a valid message with a fixed-up length */
	{
		static u8 full[2048];
		struct t_msg m;
		int len;

		t_msg_fill(&m);
		len = enc_cap(&m, sizeof(full), full);
		ok = 1;
		for (i = 0; i < len - 7; i++) {
			n = mk(buf, full + 7, (size_t)i);
			if (dec(buf, n, &d, NULL) >= 0 && i != 0 &&
			    i < len - 7) {
				/* valid only if it ends on a TLV boundary */
				size_t off = 0;

				while (off < (size_t)i)
					off += 3u + (full[7 + off + 1] |
						     full[7 + off + 2] << 8);
				if (off != (size_t)i)
					ok = 0;
			}
		}
		check(ok, "bad: every truncation rejected unless on a TLV boundary");

		/*
		 * every single-byte corruption: a documented error, or a
		 * struct that encodes and decodes back to itself
		 */
		ok = 1;
		for (i = 0; i < len; i++) {
			static u8 re[2048];
			struct t_msg d2;
			int r;

			memcpy(buf, full, (size_t)len);
			buf[i] ^= 0xa5;
			r = dec(buf, (size_t)len, &d, NULL);
			if (r == -EMSGSIZE || r == -EBADMSG || r == -EOVERFLOW)
				continue;
			if (r < 0) {
				ok = 0;
				continue;
			}
			r = enc_cap(&d, sizeof(re), re);
			if (r < 0 || dec(re, (size_t)r, &d2, NULL) < 0 ||
			    memcmp(&d, &d2, sizeof(d)))
				ok = 0;
		}
		check(ok, "bad: every 1-byte corruption is an error or consistent");
	}
}

/* Canary after a decoded array: a count past the maximum never writes. */
struct t_guard {
	u32 n;
	u8 v[2];
	u8 canary[8];
};

static const struct sqmi_elem_info t_guard_ei[] = {
	{ .data_type = SQMI_DATA_LEN, .elem_len = 1, .elem_size = 1,
	  .tlv_type = 0x01, .offset = offsetof(struct t_guard, n) },
	{ .data_type = SQMI_UNSIGNED_1_BYTE, .elem_len = 2, .elem_size = 1,
	  .array_type = SQMI_VAR_LEN_ARRAY, .tlv_type = 0x01,
	  .offset = offsetof(struct t_guard, v) },
	{ .data_type = SQMI_EOTI },
};

static void test_guard(void)
{
	static const u8 msg[] = { 0x04, 0x00, 0x00, 0x01, 0x00, 0x07, 0x00,
				  0x01, 0x04, 0x00, 0x03, 0xee, 0xee, 0xee };
	struct t_guard g;
	int ret;

	memset(&g, 0, sizeof(g));
	ret = sqmi_decode_message(msg, sizeof(msg), t_guard_ei, &g, NULL);
	check(ret == -EOVERFLOW && g.canary[0] == 0 && g.v[0] == 0,
	      "bad: count 3 for an array of 2 writes nothing past it");
}

/* Tables that are wrong are refused, not followed. */
static const struct sqmi_elem_info bad_size_ei[] = {
	{ .data_type = SQMI_UNSIGNED_4_BYTE, .elem_len = 1, .elem_size = 2,
	  .tlv_type = 0x01 },
	{ .data_type = SQMI_EOTI },
};

static const struct sqmi_elem_info bad_var_ei[] = {
	{ .data_type = SQMI_UNSIGNED_1_BYTE, .elem_len = 4, .elem_size = 1,
	  .array_type = SQMI_VAR_LEN_ARRAY, .tlv_type = 0x01 },
	{ .data_type = SQMI_EOTI },
};

static const struct sqmi_elem_info bad_two_ei[] = {
	{ .data_type = SQMI_UNSIGNED_1_BYTE, .elem_len = 1, .elem_size = 1,
	  .tlv_type = 0x01 },
	{ .data_type = SQMI_UNSIGNED_1_BYTE, .elem_len = 1, .elem_size = 1,
	  .tlv_type = 0x01, .offset = 1 },
	{ .data_type = SQMI_EOTI },
};

static const struct sqmi_elem_info bad_struct_ei[] = {
	{ .data_type = SQMI_STRUCT, .elem_len = 1, .elem_size = 4,
	  .tlv_type = 0x01 },
	{ .data_type = SQMI_EOTI },
};

/* A struct containing itself: the depth limit stops it. */
static const struct sqmi_elem_info loop_ei[];
static const struct sqmi_elem_info loop_inner_ei[] = {
	{ .data_type = SQMI_UNSIGNED_1_BYTE, .elem_len = 1, .elem_size = 1 },
	{ .data_type = SQMI_STRUCT, .elem_len = 1, .elem_size = 0,
	  .ei_array = loop_inner_ei },
	{ .data_type = SQMI_EOTI },
};

static const struct sqmi_elem_info loop_ei[] = {
	{ .data_type = SQMI_STRUCT, .elem_len = 1, .elem_size = 0,
	  .tlv_type = 0x01, .ei_array = loop_inner_ei },
	{ .data_type = SQMI_EOTI },
};

static void test_tables(void)
{
	static u8 out[2048];
	u8 c[64] = { 0 };
	static const u8 one[] = { 0, 0, 0, 1, 0, 4, 0, 0x01, 0x01, 0x00, 0x05 };
	struct t_msg m;

	check(sqmi_encode_message(out, sizeof(out), 0, 1, 1, bad_size_ei, c) ==
	      -EINVAL, "table: u32 with elem_size 2 refused (encode)");
	check(sqmi_decode_message(one, sizeof(one), bad_size_ei, c, NULL) ==
	      -EINVAL, "table: u32 with elem_size 2 refused (decode)");
	check(sqmi_encode_message(out, sizeof(out), 0, 1, 1, bad_var_ei, c) ==
	      -EINVAL, "table: variable array without a count refused");
	check(sqmi_encode_message(out, sizeof(out), 0, 1, 1, bad_two_ei, c) ==
	      -EINVAL, "table: two values in one TLV refused");
	check(sqmi_encode_message(out, sizeof(out), 0, 1, 1, bad_struct_ei, c) ==
	      -EINVAL, "table: struct without its table refused");
	check(sqmi_encode_message(out, sizeof(out), 0, 1, 1, loop_ei, c) ==
	      -EINVAL, "table: nesting deeper than SQMI_MAX_DEPTH refused");
	check(sqmi_encode_message(out, sizeof(out), 0, 1, 1, NULL, NULL) == 7 &&
	      out[5] == 0 && out[6] == 0, "encode: message with no TLVs");
	check(sqmi_decode_message(one, sizeof(one), NULL, c, NULL) == -EINVAL,
	      "decode: NULL table is -EINVAL");

	t_msg_fill(&m);
	m.arr_len = 6;
	check(sqmi_encode_message(out, sizeof(out), 0, 1, 1, t_msg_ei, &m) ==
	      -EINVAL, "encode: array count above its maximum refused");
	t_msg_fill(&m);
	memset(m.str, 'a', sizeof(m.str));
	check(sqmi_encode_message(out, sizeof(out), 0, 1, 1, t_msg_ei, &m) ==
	      -EINVAL, "encode: string filling its field (no NUL) refused");
}

/* Over 65535 bytes of TLVs cannot be encoded. */
struct t_huge {
	u32 n1, n2;
	u8 a[65535], b[65535];
};

static const struct sqmi_elem_info t_huge_ei[] = {
	{ .data_type = SQMI_DATA_LEN, .elem_len = 1, .elem_size = 2,
	  .tlv_type = 0x10, .offset = offsetof(struct t_huge, n1) },
	{ .data_type = SQMI_UNSIGNED_1_BYTE, .elem_len = 65535, .elem_size = 1,
	  .array_type = SQMI_VAR_LEN_ARRAY, .tlv_type = 0x10,
	  .offset = offsetof(struct t_huge, a) },
	{ .data_type = SQMI_DATA_LEN, .elem_len = 1, .elem_size = 2,
	  .tlv_type = 0x11, .offset = offsetof(struct t_huge, n2) },
	{ .data_type = SQMI_UNSIGNED_1_BYTE, .elem_len = 65535, .elem_size = 1,
	  .array_type = SQMI_VAR_LEN_ARRAY, .tlv_type = 0x11,
	  .offset = offsetof(struct t_huge, b) },
	{ .data_type = SQMI_EOTI },
};

static void test_huge(void)
{
	static struct t_huge h;
	static u8 out[200000];

	h.n1 = 65000;
	h.n2 = 0;
	check(sqmi_encode_message(out, sizeof(out), 0, 1, 1, t_huge_ei, &h) ==
	      7 + 65005 + 5, "encode: 65010 bytes of TLVs fit");
	h.n1 = 65532;
	check(sqmi_encode_message(out, sizeof(out), 0, 1, 1, t_huge_ei, &h) ==
	      -EMSGSIZE, "encode: one TLV over 65535 bytes is -EMSGSIZE");
	h.n1 = 40000;
	h.n2 = 40000;
	check(sqmi_encode_message(out, sizeof(out), 0, 1, 1, t_huge_ei, &h) ==
	      -EMSGSIZE, "encode: message over 65535 bytes is -EMSGSIZE");
}

/* The codec reads what qmi_wire.h's writer (the emulator's) produces. */
struct t_rev {
	struct sqmi_response_type resp;
	char rev[64];
};

static const struct sqmi_elem_info t_rev_ei[] = {
	{ .data_type = SQMI_STRUCT, .elem_len = 1,
	  .elem_size = sizeof(struct sqmi_response_type), .tlv_type = 0x02,
	  .offset = offsetof(struct t_rev, resp), .ei_array = t_resp_ei },
	{ .data_type = SQMI_STRING, .elem_len = 64, .elem_size = 1,
	  .tlv_type = 0x01, .offset = offsetof(struct t_rev, rev) },
	{ .data_type = SQMI_EOTI },
};

static void test_wire_interop(void)
{
	u8 a[64], b[64];
	struct qmi_wire_enc e;
	struct t_rev r;
	long la;
	int lb;

	qmi_wire_enc_init(&e, a, sizeof(a), QMI_WIRE_FLAG_RESPONSE, 9,
			  QMI_WIRE_DMS_GET_REVISION);
	qmi_wire_put_result(&e, QMI_WIRE_RESULT_FAILURE, QMI_WIRE_ERR_INTERNAL);
	qmi_wire_put_str(&e, 0x01, "REV-1");
	la = qmi_wire_enc_finish(&e);
	memset(&r, 0, sizeof(r));
	check(la > 0 && sqmi_decode_message(a, (size_t)la, t_rev_ei, &r,
					    NULL) == la - 7 &&
	      r.resp.result == 1 && r.resp.error == 3 &&
	      !strcmp(r.rev, "REV-1"), "interop: decodes qmi_wire's writer");
	lb = sqmi_encode_message(b, sizeof(b), SQMI_RESPONSE, 9,
				 QMI_WIRE_DMS_GET_REVISION, t_rev_ei, &r);
	check(lb == la && !memcmp(a, b, (size_t)lb),
	      "interop: encodes the same bytes as qmi_wire's writer");
}

int main(void)
{
	printf("TAP version 13\n");
	test_golden();
	test_roundtrip();
	test_malformed();
	test_guard();
	test_tables();
	test_huge();
	test_wire_interop();
	printf("1..%d\n", n_test);
	return n_fail ? 1 : 0;
}
