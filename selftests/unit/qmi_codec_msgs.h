/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A test message for the QMI codec (include/socbpf/qmi_codec.h) using every
 * element kind: unsigned and signed 8..64-bit values, enums of 1, 2 and 4
 * bytes, an optional TLV, variable arrays with 8- and 16-bit counts, a static
 * array, a whole-TLV string, a nested struct holding a string and an array,
 * and an array of structs. Shared by the unit test and the fuzzer.
 */
#ifndef _SOCBPF_QMI_CODEC_MSGS_H
#define _SOCBPF_QMI_CODEC_MSGS_H

#include <stddef.h>
#include <socbpf/qmi_codec.h>

#define T_NAME_LEN	9	/* 8 characters + NUL, 1-byte prefix */
#define T_LONG_LEN	300	/* 2-byte prefix inside a struct */

struct t_inner {
	u8 a;
	u16 b;
	char name[T_NAME_LEN];
	u32 vals_len;
	u16 vals[4];
};

struct t_pair {
	u32 id;
	char label[T_LONG_LEN];
};

struct t_msg {
	struct sqmi_response_type resp;		/* 0x02 */
	u8 u8v;					/* 0x01 */
	u16 u16v;				/* 0x03 */
	u32 u32v;				/* 0x04 */
	u64 u64v;				/* 0x05 */
	int8_t s8v;				/* 0x06 */
	int16_t s16v;				/* 0x07 */
	int32_t s32v;				/* 0x08 */
	int64_t s64v;				/* 0x09 */
	int8_t e1;				/* 0x0a */
	int16_t e2;				/* 0x0b */
	int32_t e4;				/* 0x0c */
	u8 opt_valid;				/* 0x10 */
	u32 opt;
	u8 arr_valid;				/* 0x11 */
	u32 arr_len;
	u32 arr[5];
	u8 big_valid;				/* 0x12 */
	u32 big_len;
	u8 big[300];
	u16 fixed[3];				/* 0x13 */
	u8 str_valid;				/* 0x14 */
	char str[16];
	struct t_inner inner;			/* 0x15 */
	u8 pairs_valid;				/* 0x16 */
	u32 pairs_len;
	struct t_pair pairs[3];
};

#define T_SCALAR(dt, sz, t, f) {					\
	.data_type = dt, .elem_len = 1, .elem_size = sz,		\
	.array_type = SQMI_NO_ARRAY, .tlv_type = t,			\
	.offset = offsetof(struct t_msg, f) }
#define T_FLAG(t, f) {							\
	.data_type = SQMI_OPT_FLAG, .elem_len = 1, .elem_size = 1,	\
	.array_type = SQMI_NO_ARRAY, .tlv_type = t,			\
	.offset = offsetof(struct t_msg, f) }

static const struct sqmi_elem_info t_resp_ei[] = {
	{ .data_type = SQMI_UNSIGNED_2_BYTE, .elem_len = 1, .elem_size = 2,
	  .offset = offsetof(struct sqmi_response_type, result) },
	{ .data_type = SQMI_UNSIGNED_2_BYTE, .elem_len = 1, .elem_size = 2,
	  .offset = offsetof(struct sqmi_response_type, error) },
	{ .data_type = SQMI_EOTI },
};

static const struct sqmi_elem_info t_inner_ei[] = {
	{ .data_type = SQMI_UNSIGNED_1_BYTE, .elem_len = 1, .elem_size = 1,
	  .offset = offsetof(struct t_inner, a) },
	{ .data_type = SQMI_UNSIGNED_2_BYTE, .elem_len = 1, .elem_size = 2,
	  .offset = offsetof(struct t_inner, b) },
	{ .data_type = SQMI_STRING, .elem_len = T_NAME_LEN, .elem_size = 1,
	  .offset = offsetof(struct t_inner, name) },
	{ .data_type = SQMI_DATA_LEN, .elem_len = 1, .elem_size = 1,
	  .offset = offsetof(struct t_inner, vals_len) },
	{ .data_type = SQMI_UNSIGNED_2_BYTE, .elem_len = 4, .elem_size = 2,
	  .array_type = SQMI_VAR_LEN_ARRAY,
	  .offset = offsetof(struct t_inner, vals) },
	{ .data_type = SQMI_EOTI },
};

static const struct sqmi_elem_info t_pair_ei[] = {
	{ .data_type = SQMI_UNSIGNED_4_BYTE, .elem_len = 1, .elem_size = 4,
	  .offset = offsetof(struct t_pair, id) },
	{ .data_type = SQMI_STRING, .elem_len = T_LONG_LEN, .elem_size = 1,
	  .offset = offsetof(struct t_pair, label) },
	{ .data_type = SQMI_EOTI },
};

static const struct sqmi_elem_info t_msg_ei[] = {
	{ .data_type = SQMI_STRUCT, .elem_len = 1,
	  .elem_size = sizeof(struct sqmi_response_type), .tlv_type = 0x02,
	  .offset = offsetof(struct t_msg, resp), .ei_array = t_resp_ei },
	T_SCALAR(SQMI_UNSIGNED_1_BYTE, 1, 0x01, u8v),
	T_SCALAR(SQMI_UNSIGNED_2_BYTE, 2, 0x03, u16v),
	T_SCALAR(SQMI_UNSIGNED_4_BYTE, 4, 0x04, u32v),
	T_SCALAR(SQMI_UNSIGNED_8_BYTE, 8, 0x05, u64v),
	T_SCALAR(SQMI_SIGNED_1_BYTE, 1, 0x06, s8v),
	T_SCALAR(SQMI_SIGNED_2_BYTE, 2, 0x07, s16v),
	T_SCALAR(SQMI_SIGNED_4_BYTE, 4, 0x08, s32v),
	T_SCALAR(SQMI_SIGNED_8_BYTE, 8, 0x09, s64v),
	T_SCALAR(SQMI_SIGNED_1_BYTE_ENUM, 1, 0x0a, e1),
	T_SCALAR(SQMI_SIGNED_2_BYTE_ENUM, 2, 0x0b, e2),
	T_SCALAR(SQMI_SIGNED_4_BYTE_ENUM, 4, 0x0c, e4),
	T_FLAG(0x10, opt_valid),
	T_SCALAR(SQMI_UNSIGNED_4_BYTE, 4, 0x10, opt),
	T_FLAG(0x11, arr_valid),
	{ .data_type = SQMI_DATA_LEN, .elem_len = 1, .elem_size = 1,
	  .tlv_type = 0x11, .offset = offsetof(struct t_msg, arr_len) },
	{ .data_type = SQMI_UNSIGNED_4_BYTE, .elem_len = 5, .elem_size = 4,
	  .array_type = SQMI_VAR_LEN_ARRAY, .tlv_type = 0x11,
	  .offset = offsetof(struct t_msg, arr) },
	T_FLAG(0x12, big_valid),
	{ .data_type = SQMI_DATA_LEN, .elem_len = 1, .elem_size = 2,
	  .tlv_type = 0x12, .offset = offsetof(struct t_msg, big_len) },
	{ .data_type = SQMI_UNSIGNED_1_BYTE, .elem_len = 300, .elem_size = 1,
	  .array_type = SQMI_VAR_LEN_ARRAY, .tlv_type = 0x12,
	  .offset = offsetof(struct t_msg, big) },
	{ .data_type = SQMI_UNSIGNED_2_BYTE, .elem_len = 3, .elem_size = 2,
	  .array_type = SQMI_STATIC_ARRAY, .tlv_type = 0x13,
	  .offset = offsetof(struct t_msg, fixed) },
	T_FLAG(0x14, str_valid),
	{ .data_type = SQMI_STRING, .elem_len = 16, .elem_size = 1,
	  .tlv_type = 0x14, .offset = offsetof(struct t_msg, str) },
	{ .data_type = SQMI_STRUCT, .elem_len = 1,
	  .elem_size = sizeof(struct t_inner), .tlv_type = 0x15,
	  .offset = offsetof(struct t_msg, inner), .ei_array = t_inner_ei },
	T_FLAG(0x16, pairs_valid),
	{ .data_type = SQMI_DATA_LEN, .elem_len = 1, .elem_size = 1,
	  .tlv_type = 0x16, .offset = offsetof(struct t_msg, pairs_len) },
	{ .data_type = SQMI_STRUCT, .elem_len = 3,
	  .elem_size = sizeof(struct t_pair), .array_type = SQMI_VAR_LEN_ARRAY,
	  .tlv_type = 0x16, .offset = offsetof(struct t_msg, pairs),
	  .ei_array = t_pair_ei },
	{ .data_type = SQMI_EOTI },
};

/* A message that fills every field. */
static inline void t_msg_fill(struct t_msg *m)
{
	int i;

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
	m->arr_len = 5;
	for (i = 0; i < 5; i++)
		m->arr[i] = 0x11111111u * (unsigned int)(i + 1);
	m->big_valid = 1;
	m->big_len = 300;
	for (i = 0; i < 300; i++)
		m->big[i] = (u8)(i * 7);
	m->fixed[0] = 1;
	m->fixed[1] = 0x100;
	m->fixed[2] = 0xffff;
	m->str_valid = 1;
	strcpy(m->str, "fifteen chars!!");
	m->inner.a = 7;
	m->inner.b = 0x0302;
	strcpy(m->inner.name, "eightchr");
	m->inner.vals_len = 3;
	m->inner.vals[0] = 10;
	m->inner.vals[1] = 20;
	m->inner.vals[2] = 30;
	m->pairs_valid = 1;
	m->pairs_len = 2;
	m->pairs[0].id = 100;
	strcpy(m->pairs[0].label, "first");
	m->pairs[1].id = 200;
	memset(m->pairs[1].label, 'x', 299);
}

#endif /* _SOCBPF_QMI_CODEC_MSGS_H */
