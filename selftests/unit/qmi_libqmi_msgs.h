/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A set of real DMS, WDS and NAS messages, each described three ways:
 *
 *   - a socbpf codec table (include/socbpf/qmi_codec.h) and its C struct;
 *   - a writer using libqmi-glib's own TLV writer (qmi_message_tlv_write_*),
 *     laid out by hand from libqmi's message definitions;
 *   - a reader using libqmi-glib's TLV reader (qmi_message_tlv_read_*).
 *
 * libqmi's generated printers (qmi_message_get_printable_full) know every
 * one of these messages and check the layouts independently: the test
 * requires their translation to show every value and no error.
 *
 * Used by selftests/unit/test_qmi_libqmi.c and selftests/bench/qmi_bench.c.
 */
#ifndef _SOCBPF_QMI_LIBQMI_MSGS_H
#define _SOCBPF_QMI_LIBQMI_MSGS_H

#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <libqmi-glib.h>
#include <socbpf/qmi_codec.h>

#define SZ(s, f)	sizeof(((s *)0)->f)
#define E_SCALAR(dt, t, s, f) \
	{ dt, 1, SZ(s, f), SQMI_NO_ARRAY, t, offsetof(s, f), NULL }
#define E_U8(t, s, f)	E_SCALAR(SQMI_UNSIGNED_1_BYTE, t, s, f)
#define E_S8(t, s, f)	E_SCALAR(SQMI_SIGNED_1_BYTE, t, s, f)
#define E_U16(t, s, f)	E_SCALAR(SQMI_UNSIGNED_2_BYTE, t, s, f)
#define E_S16(t, s, f)	E_SCALAR(SQMI_SIGNED_2_BYTE, t, s, f)
#define E_U32(t, s, f)	E_SCALAR(SQMI_UNSIGNED_4_BYTE, t, s, f)
#define E_S32(t, s, f)	E_SCALAR(SQMI_SIGNED_4_BYTE, t, s, f)
#define E_U64(t, s, f)	E_SCALAR(SQMI_UNSIGNED_8_BYTE, t, s, f)
#define E_E8(t, s, f)	E_SCALAR(SQMI_SIGNED_1_BYTE_ENUM, t, s, f)
#define E_E16(t, s, f)	E_SCALAR(SQMI_SIGNED_2_BYTE_ENUM, t, s, f)
#define E_FLAG(t, s, f)	{ SQMI_OPT_FLAG, 1, 1, SQMI_NO_ARRAY, t, offsetof(s, f), NULL }
#define E_STR(t, s, f) \
	{ SQMI_STRING, SZ(s, f), 1, SQMI_NO_ARRAY, t, offsetof(s, f), NULL }
#define E_LEN8(t, s, f)	{ SQMI_DATA_LEN, 1, 1, SQMI_NO_ARRAY, t, offsetof(s, f), NULL }
#define E_LEN16(t, s, f) { SQMI_DATA_LEN, 1, 2, SQMI_NO_ARRAY, t, offsetof(s, f), NULL }
#define E_VAR(dt, max, sz, t, s, f, ei) \
	{ dt, max, sz, SQMI_VAR_LEN_ARRAY, t, offsetof(s, f), ei }
#define E_STRUCT(t, s, f, ei) \
	{ SQMI_STRUCT, 1, SZ(s, f), SQMI_NO_ARRAY, t, offsetof(s, f), ei }
#define E_RESULT(s)	E_STRUCT(0x02, s, resp, lq_resp_ei)
#define E_END		{ SQMI_EOTI, 0, 0, SQMI_NO_ARRAY, 0, 0, NULL }

static const struct sqmi_elem_info lq_resp_ei[] = {
	E_E16(0, struct sqmi_response_type, result),
	E_E16(0, struct sqmi_response_type, error),
	E_END,
};

/* ---- libqmi glue: errors are collected, not fatal ---- */
struct lq {
	QmiMessage *m;
	GError *err;
	gsize tlv;		/* writer: TLV being written; reader: its offset */
	guint16 tlv_len;
	gsize off;
	int bad;		/* a call failed or a TLV was not fully read */
};

static inline void lq_fail(struct lq *q)
{
	q->bad = 1;
	g_clear_error(&q->err);
}

static inline void lq_begin(struct lq *q, guint8 type)
{
	q->tlv = qmi_message_tlv_write_init(q->m, type, &q->err);
	if (!q->tlv)
		lq_fail(q);
}

static inline void lq_end(struct lq *q)
{
	if (!qmi_message_tlv_write_complete(q->m, q->tlv, &q->err))
		lq_fail(q);
}

#define LQ_W(q, call) do { if (!(call)) lq_fail(q); } while (0)
#define W8(q, v)	LQ_W(q, qmi_message_tlv_write_guint8((q)->m, (v), &(q)->err))
#define WS8(q, v)	LQ_W(q, qmi_message_tlv_write_gint8((q)->m, (v), &(q)->err))
#define W16(q, v)	LQ_W(q, qmi_message_tlv_write_guint16((q)->m, QMI_ENDIAN_LITTLE, (v), &(q)->err))
#define WS16(q, v)	LQ_W(q, qmi_message_tlv_write_gint16((q)->m, QMI_ENDIAN_LITTLE, (v), &(q)->err))
#define W32(q, v)	LQ_W(q, qmi_message_tlv_write_guint32((q)->m, QMI_ENDIAN_LITTLE, (v), &(q)->err))
#define WS32(q, v)	LQ_W(q, qmi_message_tlv_write_gint32((q)->m, QMI_ENDIAN_LITTLE, (v), &(q)->err))
#define W64(q, v)	LQ_W(q, qmi_message_tlv_write_guint64((q)->m, QMI_ENDIAN_LITTLE, (v), &(q)->err))
#define WSTR(q, pfx, s)	LQ_W(q, qmi_message_tlv_write_string((q)->m, (pfx), (s), -1, &(q)->err))

/* Reader: returns 0 when the TLV is absent (not an error for optionals). */
static inline int lq_open(struct lq *q, guint8 type)
{
	q->off = 0;
	q->tlv = qmi_message_tlv_read_init(q->m, type, &q->tlv_len, NULL);
	return q->tlv != 0;
}

static inline void lq_close(struct lq *q)
{
	if (q->off != q->tlv_len)	/* bytes the layout does not explain */
		q->bad = 1;
}

#define LQ_R(q, call) do { if (!(call)) lq_fail(q); } while (0)
#define R8(q, p)	LQ_R(q, qmi_message_tlv_read_guint8((q)->m, (q)->tlv, &(q)->off, (p), &(q)->err))
#define RS8(q, p)	LQ_R(q, qmi_message_tlv_read_gint8((q)->m, (q)->tlv, &(q)->off, (p), &(q)->err))
#define R16(q, p)	LQ_R(q, qmi_message_tlv_read_guint16((q)->m, (q)->tlv, &(q)->off, QMI_ENDIAN_LITTLE, (p), &(q)->err))
#define RS16(q, p)	LQ_R(q, qmi_message_tlv_read_gint16((q)->m, (q)->tlv, &(q)->off, QMI_ENDIAN_LITTLE, (p), &(q)->err))
#define R32(q, p)	LQ_R(q, qmi_message_tlv_read_guint32((q)->m, (q)->tlv, &(q)->off, QMI_ENDIAN_LITTLE, (p), &(q)->err))
#define RS32(q, p)	LQ_R(q, qmi_message_tlv_read_gint32((q)->m, (q)->tlv, &(q)->off, QMI_ENDIAN_LITTLE, (p), &(q)->err))
#define R64(q, p)	LQ_R(q, qmi_message_tlv_read_guint64((q)->m, (q)->tlv, &(q)->off, QMI_ENDIAN_LITTLE, (p), &(q)->err))

/* A string into a fixed C buffer; pfx 0 = the rest of the TLV. */
static inline void lq_rstr(struct lq *q, guint8 pfx, char *dst, size_t cap)
{
	gchar *s = NULL;

	if (!qmi_message_tlv_read_string(q->m, q->tlv, &q->off, pfx, 0, &s,
					 &q->err)) {
		lq_fail(q);
		return;
	}
	if (strlen(s) >= cap)
		q->bad = 1;
	else
		strcpy(dst, s);
	g_free(s);
}

static inline void lq_result(struct lq *q, struct sqmi_response_type *r)
{
	if (!lq_open(q, 0x02)) {
		q->bad = 1;
		return;
	}
	R16(q, &r->result);
	R16(q, &r->error);
	lq_close(q);
}

/* ===================== DMS Get Revision (0x0023) response ================ */
struct dms_rev_resp {
	struct sqmi_response_type resp;
	char revision[128];
};

static const struct sqmi_elem_info dms_rev_resp_ei[] = {
	E_RESULT(struct dms_rev_resp),
	E_STR(0x01, struct dms_rev_resp, revision),
	E_END,
};

static inline void dms_rev_resp_fill(void *p)
{
	struct dms_rev_resp *m = p;

	strcpy(m->revision, "SWI9X30C_02.33.03.00 r8209 CARMD-EV-FRMWR2 2019/08/28");
}

static inline void dms_rev_resp_write(struct lq *q, const void *p)
{
	const struct dms_rev_resp *m = p;

	lq_begin(q, 0x01);
	WSTR(q, 0, m->revision);
	lq_end(q);
}

static inline void dms_rev_resp_read(struct lq *q, void *p)
{
	struct dms_rev_resp *m = p;

	lq_result(q, &m->resp);
	if (lq_open(q, 0x01)) {
		lq_rstr(q, 0, m->revision, sizeof(m->revision));
		lq_close(q);
	} else {
		q->bad = 1;
	}
}

/* ===================== DMS Get IDs (0x0025) response ===================== */
struct dms_ids_resp {
	struct sqmi_response_type resp;
	u8 esn_valid;
	char esn[16];
	u8 imei_valid;
	char imei[32];
	u8 meid_valid;
	char meid[32];
};

static const struct sqmi_elem_info dms_ids_resp_ei[] = {
	E_RESULT(struct dms_ids_resp),
	E_FLAG(0x10, struct dms_ids_resp, esn_valid),
	E_STR(0x10, struct dms_ids_resp, esn),
	E_FLAG(0x11, struct dms_ids_resp, imei_valid),
	E_STR(0x11, struct dms_ids_resp, imei),
	E_FLAG(0x12, struct dms_ids_resp, meid_valid),
	E_STR(0x12, struct dms_ids_resp, meid),
	E_END,
};

static inline void dms_ids_resp_fill(void *p)
{
	struct dms_ids_resp *m = p;

	m->esn_valid = 1;
	strcpy(m->esn, "80a1b2c3");
	m->imei_valid = 1;
	strcpy(m->imei, "359225051234567");
	/* MEID absent */
}

static inline void dms_ids_resp_write(struct lq *q, const void *p)
{
	const struct dms_ids_resp *m = p;

	if (m->esn_valid) {
		lq_begin(q, 0x10);
		WSTR(q, 0, m->esn);
		lq_end(q);
	}
	if (m->imei_valid) {
		lq_begin(q, 0x11);
		WSTR(q, 0, m->imei);
		lq_end(q);
	}
	if (m->meid_valid) {
		lq_begin(q, 0x12);
		WSTR(q, 0, m->meid);
		lq_end(q);
	}
}

static inline void dms_ids_resp_read(struct lq *q, void *p)
{
	struct dms_ids_resp *m = p;

	lq_result(q, &m->resp);
	if (lq_open(q, 0x10)) {
		m->esn_valid = 1;
		lq_rstr(q, 0, m->esn, sizeof(m->esn));
		lq_close(q);
	}
	if (lq_open(q, 0x11)) {
		m->imei_valid = 1;
		lq_rstr(q, 0, m->imei, sizeof(m->imei));
		lq_close(q);
	}
	if (lq_open(q, 0x12)) {
		m->meid_valid = 1;
		lq_rstr(q, 0, m->meid, sizeof(m->meid));
		lq_close(q);
	}
}

/* ================ DMS Get Capabilities (0x0020) response ================= */
struct dms_caps_info {
	u32 max_tx;
	u32 max_rx;
	u8 data_service;
	u8 sim;
	u32 radio_len;
	u8 radio[8];
};

struct dms_caps_resp {
	struct sqmi_response_type resp;
	struct dms_caps_info info;
};

static const struct sqmi_elem_info dms_caps_info_ei[] = {
	E_U32(0, struct dms_caps_info, max_tx),
	E_U32(0, struct dms_caps_info, max_rx),
	E_E8(0, struct dms_caps_info, data_service),
	E_E8(0, struct dms_caps_info, sim),
	E_LEN8(0, struct dms_caps_info, radio_len),
	E_VAR(SQMI_SIGNED_1_BYTE_ENUM, 8, 1, 0, struct dms_caps_info, radio, NULL),
	E_END,
};

static const struct sqmi_elem_info dms_caps_resp_ei[] = {
	E_RESULT(struct dms_caps_resp),
	E_STRUCT(0x01, struct dms_caps_resp, info, dms_caps_info_ei),
	E_END,
};

static inline void dms_caps_resp_fill(void *p)
{
	struct dms_caps_resp *m = p;

	m->info.max_tx = 50000000;
	m->info.max_rx = 150000000;
	m->info.data_service = 3;	/* simultaneous CS and PS */
	m->info.sim = 2;		/* supported */
	m->info.radio_len = 3;
	m->info.radio[0] = 4;		/* gsm */
	m->info.radio[1] = 5;		/* umts */
	m->info.radio[2] = 8;		/* lte */
}

static inline void dms_caps_resp_write(struct lq *q, const void *p)
{
	const struct dms_caps_resp *m = p;
	u32 i;

	lq_begin(q, 0x01);
	W32(q, m->info.max_tx);
	W32(q, m->info.max_rx);
	W8(q, m->info.data_service);
	W8(q, m->info.sim);
	W8(q, (guint8)m->info.radio_len);
	for (i = 0; i < m->info.radio_len; i++)
		W8(q, m->info.radio[i]);
	lq_end(q);
}

static inline void dms_caps_resp_read(struct lq *q, void *p)
{
	struct dms_caps_resp *m = p;
	guint8 n = 0;
	u32 i;

	lq_result(q, &m->resp);
	if (!lq_open(q, 0x01)) {
		q->bad = 1;
		return;
	}
	R32(q, &m->info.max_tx);
	R32(q, &m->info.max_rx);
	R8(q, &m->info.data_service);
	R8(q, &m->info.sim);
	R8(q, &n);
	if (n > 8) {
		q->bad = 1;
		return;
	}
	m->info.radio_len = n;
	for (i = 0; i < n; i++)
		R8(q, &m->info.radio[i]);
	lq_close(q);
}

/* ================ DMS UIM Verify PIN (0x0028) request ==================== */
struct dms_pin_req {
	struct {
		u8 pin_id;
		char pin[17];
	} info;
};

static const struct sqmi_elem_info dms_pin_info_ei[] = {
	E_E8(0, typeof(((struct dms_pin_req *)0)->info), pin_id),
	E_STR(0, typeof(((struct dms_pin_req *)0)->info), pin),
	E_END,
};

static const struct sqmi_elem_info dms_pin_req_ei[] = {
	E_STRUCT(0x01, struct dms_pin_req, info, dms_pin_info_ei),
	E_END,
};

static inline void dms_pin_req_fill(void *p)
{
	struct dms_pin_req *m = p;

	m->info.pin_id = 1;		/* PIN1 */
	strcpy(m->info.pin, "1234");
}

static inline void dms_pin_req_write(struct lq *q, const void *p)
{
	const struct dms_pin_req *m = p;

	lq_begin(q, 0x01);
	W8(q, m->info.pin_id);
	WSTR(q, 1, m->info.pin);
	lq_end(q);
}

static inline void dms_pin_req_read(struct lq *q, void *p)
{
	struct dms_pin_req *m = p;

	if (!lq_open(q, 0x01)) {
		q->bad = 1;
		return;
	}
	R8(q, &m->info.pin_id);
	lq_rstr(q, 1, m->info.pin, sizeof(m->info.pin));
	lq_close(q);
}

/* ================ DMS UIM Verify PIN (0x0028) response =================== */
struct dms_pin_resp {
	struct sqmi_response_type resp;
	u8 retries_valid;
	struct {
		u8 verify_left;
		u8 unblock_left;
	} retries;
};

static const struct sqmi_elem_info dms_pin_retries_ei[] = {
	E_U8(0, typeof(((struct dms_pin_resp *)0)->retries), verify_left),
	E_U8(0, typeof(((struct dms_pin_resp *)0)->retries), unblock_left),
	E_END,
};

static const struct sqmi_elem_info dms_pin_resp_ei[] = {
	E_RESULT(struct dms_pin_resp),
	E_FLAG(0x10, struct dms_pin_resp, retries_valid),
	E_STRUCT(0x10, struct dms_pin_resp, retries, dms_pin_retries_ei),
	E_END,
};

static inline void dms_pin_resp_fill(void *p)
{
	struct dms_pin_resp *m = p;

	m->retries_valid = 1;
	m->retries.verify_left = 3;
	m->retries.unblock_left = 10;
}

static inline void dms_pin_resp_write(struct lq *q, const void *p)
{
	const struct dms_pin_resp *m = p;

	if (m->retries_valid) {
		lq_begin(q, 0x10);
		W8(q, m->retries.verify_left);
		W8(q, m->retries.unblock_left);
		lq_end(q);
	}
}

static inline void dms_pin_resp_read(struct lq *q, void *p)
{
	struct dms_pin_resp *m = p;

	lq_result(q, &m->resp);
	if (lq_open(q, 0x10)) {
		m->retries_valid = 1;
		R8(q, &m->retries.verify_left);
		R8(q, &m->retries.unblock_left);
		lq_close(q);
	}
}

/* ================ NAS Get Home Network (0x0025) response ================= */
struct nas_home_resp {
	struct sqmi_response_type resp;
	struct {
		u16 mcc;
		u16 mnc;
		char description[64];
	} home;
	u8 sys_valid;
	struct {
		u16 sid;
		u16 nid;
	} sys;
};

static const struct sqmi_elem_info nas_home_net_ei[] = {
	E_U16(0, typeof(((struct nas_home_resp *)0)->home), mcc),
	E_U16(0, typeof(((struct nas_home_resp *)0)->home), mnc),
	E_STR(0, typeof(((struct nas_home_resp *)0)->home), description),
	E_END,
};

static const struct sqmi_elem_info nas_home_sys_ei[] = {
	E_U16(0, typeof(((struct nas_home_resp *)0)->sys), sid),
	E_U16(0, typeof(((struct nas_home_resp *)0)->sys), nid),
	E_END,
};

static const struct sqmi_elem_info nas_home_resp_ei[] = {
	E_RESULT(struct nas_home_resp),
	E_STRUCT(0x01, struct nas_home_resp, home, nas_home_net_ei),
	E_FLAG(0x10, struct nas_home_resp, sys_valid),
	E_STRUCT(0x10, struct nas_home_resp, sys, nas_home_sys_ei),
	E_END,
};

static inline void nas_home_resp_fill(void *p)
{
	struct nas_home_resp *m = p;

	m->home.mcc = 310;
	m->home.mnc = 260;
	strcpy(m->home.description, "T-Mobile US");
	m->sys_valid = 1;
	m->sys.sid = 4139;
	m->sys.nid = 65535;
}

static inline void nas_home_resp_write(struct lq *q, const void *p)
{
	const struct nas_home_resp *m = p;

	lq_begin(q, 0x01);
	W16(q, m->home.mcc);
	W16(q, m->home.mnc);
	WSTR(q, 1, m->home.description);
	lq_end(q);
	if (m->sys_valid) {
		lq_begin(q, 0x10);
		W16(q, m->sys.sid);
		W16(q, m->sys.nid);
		lq_end(q);
	}
}

static inline void nas_home_resp_read(struct lq *q, void *p)
{
	struct nas_home_resp *m = p;

	lq_result(q, &m->resp);
	if (lq_open(q, 0x01)) {
		R16(q, &m->home.mcc);
		R16(q, &m->home.mnc);
		lq_rstr(q, 1, m->home.description, sizeof(m->home.description));
		lq_close(q);
	} else {
		q->bad = 1;
	}
	if (lq_open(q, 0x10)) {
		m->sys_valid = 1;
		R16(q, &m->sys.sid);
		R16(q, &m->sys.nid);
		lq_close(q);
	}
}

/* ================ NAS Get Signal Strength (0x0020) request =============== */
struct nas_sig_req {
	u8 mask_valid;
	u16 mask;
};

static const struct sqmi_elem_info nas_sig_req_ei[] = {
	E_FLAG(0x10, struct nas_sig_req, mask_valid),
	E_U16(0x10, struct nas_sig_req, mask),
	E_END,
};

static inline void nas_sig_req_fill(void *p)
{
	struct nas_sig_req *m = p;

	m->mask_valid = 1;
	m->mask = 0x0001 | 0x0004 | 0x0040;	/* rssi, io, lte-snr */
}

static inline void nas_sig_req_write(struct lq *q, const void *p)
{
	const struct nas_sig_req *m = p;

	if (m->mask_valid) {
		lq_begin(q, 0x10);
		W16(q, m->mask);
		lq_end(q);
	}
}

static inline void nas_sig_req_read(struct lq *q, void *p)
{
	struct nas_sig_req *m = p;

	if (lq_open(q, 0x10)) {
		m->mask_valid = 1;
		R16(q, &m->mask);
		lq_close(q);
	}
}

/* ================ NAS Get Signal Strength (0x0020) response ============== */
struct nas_sig_pair {
	int8_t strength;
	int8_t radio;
};

struct nas_rssi_pair {
	u8 rssi;
	int8_t radio;
};

struct nas_sig_resp {
	struct sqmi_response_type resp;
	struct nas_sig_pair sig;
	u8 list_valid;
	u32 list_len;
	struct nas_sig_pair list[8];
	u8 rssi_valid;
	u32 rssi_len;
	struct nas_rssi_pair rssi[8];
	u8 io_valid;
	int32_t io;
	u8 snr_valid;
	int16_t snr;
	u8 rsrp_valid;
	int16_t rsrp;
};

static const struct sqmi_elem_info nas_sig_pair_ei[] = {
	E_S8(0, struct nas_sig_pair, strength),
	E_E8(0, struct nas_sig_pair, radio),
	E_END,
};

static const struct sqmi_elem_info nas_rssi_pair_ei[] = {
	E_U8(0, struct nas_rssi_pair, rssi),
	E_E8(0, struct nas_rssi_pair, radio),
	E_END,
};

static const struct sqmi_elem_info nas_sig_resp_ei[] = {
	E_RESULT(struct nas_sig_resp),
	E_STRUCT(0x01, struct nas_sig_resp, sig, nas_sig_pair_ei),
	E_FLAG(0x10, struct nas_sig_resp, list_valid),
	E_LEN16(0x10, struct nas_sig_resp, list_len),
	E_VAR(SQMI_STRUCT, 8, sizeof(struct nas_sig_pair), 0x10,
	      struct nas_sig_resp, list, nas_sig_pair_ei),
	E_FLAG(0x11, struct nas_sig_resp, rssi_valid),
	E_LEN16(0x11, struct nas_sig_resp, rssi_len),
	E_VAR(SQMI_STRUCT, 8, sizeof(struct nas_rssi_pair), 0x11,
	      struct nas_sig_resp, rssi, nas_rssi_pair_ei),
	E_FLAG(0x13, struct nas_sig_resp, io_valid),
	E_S32(0x13, struct nas_sig_resp, io),
	E_FLAG(0x17, struct nas_sig_resp, snr_valid),
	E_S16(0x17, struct nas_sig_resp, snr),
	E_FLAG(0x18, struct nas_sig_resp, rsrp_valid),
	E_S16(0x18, struct nas_sig_resp, rsrp),
	E_END,
};

static inline void nas_sig_resp_fill(void *p)
{
	struct nas_sig_resp *m = p;

	m->sig.strength = -71;
	m->sig.radio = 8;		/* lte */
	m->list_valid = 1;
	m->list_len = 2;
	m->list[0].strength = -71;
	m->list[0].radio = 8;
	m->list[1].strength = -95;
	m->list[1].radio = 5;		/* umts */
	m->rssi_valid = 1;
	m->rssi_len = 1;
	m->rssi[0].rssi = 71;
	m->rssi[0].radio = 8;
	m->io_valid = 1;
	m->io = -106;
	m->snr_valid = 1;
	m->snr = -35;			/* -3.5 dB in 0.1 dB */
	m->rsrp_valid = 1;
	m->rsrp = -101;
}

static inline void nas_sig_resp_write(struct lq *q, const void *p)
{
	const struct nas_sig_resp *m = p;
	u32 i;

	lq_begin(q, 0x01);
	WS8(q, m->sig.strength);
	WS8(q, m->sig.radio);
	lq_end(q);
	if (m->list_valid) {
		lq_begin(q, 0x10);
		W16(q, (guint16)m->list_len);
		for (i = 0; i < m->list_len; i++) {
			WS8(q, m->list[i].strength);
			WS8(q, m->list[i].radio);
		}
		lq_end(q);
	}
	if (m->rssi_valid) {
		lq_begin(q, 0x11);
		W16(q, (guint16)m->rssi_len);
		for (i = 0; i < m->rssi_len; i++) {
			W8(q, m->rssi[i].rssi);
			WS8(q, m->rssi[i].radio);
		}
		lq_end(q);
	}
	if (m->io_valid) {
		lq_begin(q, 0x13);
		WS32(q, m->io);
		lq_end(q);
	}
	if (m->snr_valid) {
		lq_begin(q, 0x17);
		WS16(q, m->snr);
		lq_end(q);
	}
	if (m->rsrp_valid) {
		lq_begin(q, 0x18);
		WS16(q, m->rsrp);
		lq_end(q);
	}
}

static inline void nas_sig_resp_read(struct lq *q, void *p)
{
	struct nas_sig_resp *m = p;
	guint16 n = 0;
	u32 i;

	lq_result(q, &m->resp);
	if (lq_open(q, 0x01)) {
		RS8(q, &m->sig.strength);
		RS8(q, &m->sig.radio);
		lq_close(q);
	} else {
		q->bad = 1;
	}
	if (lq_open(q, 0x10)) {
		m->list_valid = 1;
		R16(q, &n);
		if (n > 8) {
			q->bad = 1;
			return;
		}
		m->list_len = n;
		for (i = 0; i < n; i++) {
			RS8(q, &m->list[i].strength);
			RS8(q, &m->list[i].radio);
		}
		lq_close(q);
	}
	if (lq_open(q, 0x11)) {
		m->rssi_valid = 1;
		R16(q, &n);
		if (n > 8) {
			q->bad = 1;
			return;
		}
		m->rssi_len = n;
		for (i = 0; i < n; i++) {
			R8(q, &m->rssi[i].rssi);
			RS8(q, &m->rssi[i].radio);
		}
		lq_close(q);
	}
	if (lq_open(q, 0x13)) {
		m->io_valid = 1;
		RS32(q, &m->io);
		lq_close(q);
	}
	if (lq_open(q, 0x17)) {
		m->snr_valid = 1;
		RS16(q, &m->snr);
		lq_close(q);
	}
	if (lq_open(q, 0x18)) {
		m->rsrp_valid = 1;
		RS16(q, &m->rsrp);
		lq_close(q);
	}
}

/* ================ WDS Start Network (0x0020) request ===================== */
struct wds_start_req {
	u8 apn_valid;
	char apn[101];
	u8 user_valid;
	char user[128];
	u8 family_valid;
	int8_t family;
	u8 profile_valid;
	u8 profile;
};

static const struct sqmi_elem_info wds_start_req_ei[] = {
	E_FLAG(0x14, struct wds_start_req, apn_valid),
	E_STR(0x14, struct wds_start_req, apn),
	E_FLAG(0x17, struct wds_start_req, user_valid),
	E_STR(0x17, struct wds_start_req, user),
	E_FLAG(0x19, struct wds_start_req, family_valid),
	E_E8(0x19, struct wds_start_req, family),
	E_FLAG(0x31, struct wds_start_req, profile_valid),
	E_U8(0x31, struct wds_start_req, profile),
	E_END,
};

static inline void wds_start_req_fill(void *p)
{
	struct wds_start_req *m = p;

	m->apn_valid = 1;
	strcpy(m->apn, "internet.example");
	m->user_valid = 1;
	strcpy(m->user, "guest");
	m->family_valid = 1;
	m->family = 6;			/* ipv6 */
	m->profile_valid = 1;
	m->profile = 3;
}

static inline void wds_start_req_write(struct lq *q, const void *p)
{
	const struct wds_start_req *m = p;

	if (m->apn_valid) {
		lq_begin(q, 0x14);
		WSTR(q, 0, m->apn);
		lq_end(q);
	}
	if (m->user_valid) {
		lq_begin(q, 0x17);
		WSTR(q, 0, m->user);
		lq_end(q);
	}
	if (m->family_valid) {
		lq_begin(q, 0x19);
		WS8(q, m->family);
		lq_end(q);
	}
	if (m->profile_valid) {
		lq_begin(q, 0x31);
		W8(q, m->profile);
		lq_end(q);
	}
}

static inline void wds_start_req_read(struct lq *q, void *p)
{
	struct wds_start_req *m = p;

	if (lq_open(q, 0x14)) {
		m->apn_valid = 1;
		lq_rstr(q, 0, m->apn, sizeof(m->apn));
		lq_close(q);
	}
	if (lq_open(q, 0x17)) {
		m->user_valid = 1;
		lq_rstr(q, 0, m->user, sizeof(m->user));
		lq_close(q);
	}
	if (lq_open(q, 0x19)) {
		m->family_valid = 1;
		RS8(q, &m->family);
		lq_close(q);
	}
	if (lq_open(q, 0x31)) {
		m->profile_valid = 1;
		R8(q, &m->profile);
		lq_close(q);
	}
}

/* ================ WDS Start Network (0x0020) response ==================== */
struct wds_start_resp {
	struct sqmi_response_type resp;
	u32 handle;
	u8 reason_valid;
	u16 reason;
	u8 verbose_valid;
	struct {
		u16 type;
		int16_t reason;
	} verbose;
};

static const struct sqmi_elem_info wds_verbose_ei[] = {
	E_E16(0, typeof(((struct wds_start_resp *)0)->verbose), type),
	E_S16(0, typeof(((struct wds_start_resp *)0)->verbose), reason),
	E_END,
};

static const struct sqmi_elem_info wds_start_resp_ei[] = {
	E_RESULT(struct wds_start_resp),
	E_U32(0x01, struct wds_start_resp, handle),
	E_FLAG(0x10, struct wds_start_resp, reason_valid),
	E_E16(0x10, struct wds_start_resp, reason),
	E_FLAG(0x11, struct wds_start_resp, verbose_valid),
	E_STRUCT(0x11, struct wds_start_resp, verbose, wds_verbose_ei),
	E_END,
};

static inline void wds_start_resp_fill(void *p)
{
	struct wds_start_resp *m = p;

	m->handle = 0x8badf00d;
	m->reason_valid = 1;
	m->reason = 2;			/* generic-client-end */
	m->verbose_valid = 1;
	m->verbose.type = 3;		/* cm (call manager) */
	m->verbose.reason = 209;
}

static inline void wds_start_resp_write(struct lq *q, const void *p)
{
	const struct wds_start_resp *m = p;

	lq_begin(q, 0x01);
	W32(q, m->handle);
	lq_end(q);
	if (m->reason_valid) {
		lq_begin(q, 0x10);
		W16(q, m->reason);
		lq_end(q);
	}
	if (m->verbose_valid) {
		lq_begin(q, 0x11);
		W16(q, m->verbose.type);
		WS16(q, m->verbose.reason);
		lq_end(q);
	}
}

static inline void wds_start_resp_read(struct lq *q, void *p)
{
	struct wds_start_resp *m = p;

	lq_result(q, &m->resp);
	if (lq_open(q, 0x01)) {
		R32(q, &m->handle);
		lq_close(q);
	} else {
		q->bad = 1;
	}
	if (lq_open(q, 0x10)) {
		m->reason_valid = 1;
		R16(q, &m->reason);
		lq_close(q);
	}
	if (lq_open(q, 0x11)) {
		m->verbose_valid = 1;
		R16(q, &m->verbose.type);
		RS16(q, &m->verbose.reason);
		lq_close(q);
	}
}

/* ============ WDS Get Packet Statistics (0x0024) response ================ */
struct wds_stats_resp {
	struct sqmi_response_type resp;
	u8 tx_pkts_valid;
	u32 tx_pkts;
	u8 rx_pkts_valid;
	u32 rx_pkts;
	u8 tx_bytes_valid;
	u64 tx_bytes;
	u8 rx_bytes_valid;
	u64 rx_bytes;
};

static const struct sqmi_elem_info wds_stats_resp_ei[] = {
	E_RESULT(struct wds_stats_resp),
	E_FLAG(0x10, struct wds_stats_resp, tx_pkts_valid),
	E_U32(0x10, struct wds_stats_resp, tx_pkts),
	E_FLAG(0x11, struct wds_stats_resp, rx_pkts_valid),
	E_U32(0x11, struct wds_stats_resp, rx_pkts),
	E_FLAG(0x19, struct wds_stats_resp, tx_bytes_valid),
	E_U64(0x19, struct wds_stats_resp, tx_bytes),
	E_FLAG(0x1a, struct wds_stats_resp, rx_bytes_valid),
	E_U64(0x1a, struct wds_stats_resp, rx_bytes),
	E_END,
};

static inline void wds_stats_resp_fill(void *p)
{
	struct wds_stats_resp *m = p;

	m->tx_pkts_valid = 1;
	m->tx_pkts = 123456;
	m->rx_pkts_valid = 1;
	m->rx_pkts = 4000000000u;
	m->tx_bytes_valid = 1;
	m->tx_bytes = 0x123456789aull;
	m->rx_bytes_valid = 1;
	m->rx_bytes = 18000000000000000000ull;
}

static inline void wds_stats_resp_write(struct lq *q, const void *p)
{
	const struct wds_stats_resp *m = p;

	if (m->tx_pkts_valid) {
		lq_begin(q, 0x10);
		W32(q, m->tx_pkts);
		lq_end(q);
	}
	if (m->rx_pkts_valid) {
		lq_begin(q, 0x11);
		W32(q, m->rx_pkts);
		lq_end(q);
	}
	if (m->tx_bytes_valid) {
		lq_begin(q, 0x19);
		W64(q, m->tx_bytes);
		lq_end(q);
	}
	if (m->rx_bytes_valid) {
		lq_begin(q, 0x1a);
		W64(q, m->rx_bytes);
		lq_end(q);
	}
}

static inline void wds_stats_resp_read(struct lq *q, void *p)
{
	struct wds_stats_resp *m = p;

	lq_result(q, &m->resp);
	if (lq_open(q, 0x10)) {
		m->tx_pkts_valid = 1;
		R32(q, &m->tx_pkts);
		lq_close(q);
	}
	if (lq_open(q, 0x11)) {
		m->rx_pkts_valid = 1;
		R32(q, &m->rx_pkts);
		lq_close(q);
	}
	if (lq_open(q, 0x19)) {
		m->tx_bytes_valid = 1;
		R64(q, &m->tx_bytes);
		lq_close(q);
	}
	if (lq_open(q, 0x1a)) {
		m->rx_bytes_valid = 1;
		R64(q, &m->rx_bytes);
		lq_close(q);
	}
}

/* ============================ the set ==================================== */
struct lq_msg {
	const char *name;		/* as libqmi prints it */
	QmiService service;
	u16 msg_id;
	u8 type;			/* SQMI_REQUEST or SQMI_RESPONSE */
	size_t size;
	const struct sqmi_elem_info *ei;
	void (*fill)(void *m);
	void (*write)(struct lq *q, const void *m);
	void (*read)(struct lq *q, void *m);
	/* substrings libqmi's translation must show, one per field */
	const char *const *expect;
};

#define LQ_MSG(nm, svc, id, ty, s, ...) {				\
	.name = nm, .service = svc, .msg_id = id, .type = ty,		\
	.size = sizeof(struct s), .ei = s##_ei, .fill = s##_fill,	\
	.write = s##_write, .read = s##_read,				\
	.expect = (const char *const[]){ __VA_ARGS__, NULL } }

static const struct lq_msg lq_msgs[] = {
	LQ_MSG("Get Revision", QMI_SERVICE_DMS, 0x0023, SQMI_RESPONSE,
	       dms_rev_resp,
	       "translated = SWI9X30C_02.33.03.00 r8209 CARMD-EV-FRMWR2 2019/08/28"),
	LQ_MSG("Get IDs", QMI_SERVICE_DMS, 0x0025, SQMI_RESPONSE, dms_ids_resp,
	       "translated = 80a1b2c3", "translated = 359225051234567"),
	LQ_MSG("Get Capabilities", QMI_SERVICE_DMS, 0x0020, SQMI_RESPONSE,
	       dms_caps_resp,
	       "max_tx_channel_rate = '50000000'",
	       "max_rx_channel_rate = '150000000'",
	       "data_service_capability = 'simultaneous-cs-ps'",
	       "sim_capability = 'supported'",
	       "radio_interface_list = '{ [0] = 'gsm ' [1] = 'umts ' [2] = 'lte '}'"),
	LQ_MSG("UIM Verify PIN", QMI_SERVICE_DMS, 0x0028, SQMI_REQUEST,
	       dms_pin_req, "pin_id = 'pin'", "pin = '1234'"),
	LQ_MSG("UIM Verify PIN", QMI_SERVICE_DMS, 0x0028, SQMI_RESPONSE,
	       dms_pin_resp, "verify_retries_left = '3'",
	       "unblock_retries_left = '10'"),
	LQ_MSG("Get Home Network", QMI_SERVICE_NAS, 0x0025, SQMI_RESPONSE,
	       nas_home_resp, "mcc = '310'", "mnc = '260'",
	       "description = 'T-Mobile US'", "sid = '4139'", "nid = '65535'"),
	LQ_MSG("Get Signal Strength", QMI_SERVICE_NAS, 0x0020, SQMI_REQUEST,
	       nas_sig_req, "translated = rssi, io, lte-snr"),
	LQ_MSG("Get Signal Strength", QMI_SERVICE_NAS, 0x0020, SQMI_RESPONSE,
	       nas_sig_resp,
	       "translated = [ strength = '-71' radio_interface = 'lte' ]",
	       "translated = { [0] = '[ strength = '-71' radio_interface = 'lte' ] ' [1] = '[ strength = '-95' radio_interface = 'umts' ] '}",
	       "translated = { [0] = '[ rssi = '71' radio_interface = 'lte' ] '}",
	       "translated = -106", "translated = -35", "translated = -101"),
	LQ_MSG("Start Network", QMI_SERVICE_WDS, 0x0020, SQMI_REQUEST,
	       wds_start_req, "translated = internet.example",
	       "translated = guest", "translated = ipv6", "translated = 3"),
	LQ_MSG("Start Network", QMI_SERVICE_WDS, 0x0020, SQMI_RESPONSE,
	       wds_start_resp, "translated = 2343432205",
	       "translated = generic-client-end",
	       "translated = [ type = 'cm' reason = '209' ]"),
	LQ_MSG("Get Packet Statistics", QMI_SERVICE_WDS, 0x0024, SQMI_RESPONSE,
	       wds_stats_resp, "translated = 123456", "translated = 4000000000",
	       "translated = 78187493530",
	       "translated = 18000000000000000000"),
};

#define LQ_NMSGS (sizeof(lq_msgs) / sizeof(lq_msgs[0]))

/*
 * Build @d with libqmi: a request, or a response to a request (libqmi adds
 * the result TLV, success). Returns the message or NULL.
 */
static inline QmiMessage *lq_build(const struct lq_msg *d, const void *m,
				   u16 txn)
{
	QmiMessage *req, *msg;
	struct lq q = { 0 };

	req = qmi_message_new(d->service, 0, txn, d->msg_id);
	if (d->type == SQMI_RESPONSE) {
		msg = qmi_message_response_new(req, QMI_PROTOCOL_ERROR_NONE);
		qmi_message_unref(req);
	} else {
		msg = req;
	}
	q.m = msg;
	d->write(&q, m);
	if (q.bad) {
		qmi_message_unref(msg);
		return NULL;
	}
	return msg;
}

/* Wrap QRTR-style bytes (QMI header + TLVs) in a libqmi message. */
static inline QmiMessage *lq_from_bytes(const struct lq_msg *d, const u8 *buf,
					size_t len)
{
	GByteArray *ba = g_byte_array_sized_new((guint)len);
	QmiMessage *msg;
	GError *err = NULL;

	g_byte_array_append(ba, buf, (guint)len);
	msg = qmi_message_new_from_data(d->service, 0, ba, &err);
	g_clear_error(&err);
	g_byte_array_unref(ba);
	return msg;
}

#endif /* _SOCBPF_QMI_LIBQMI_MSGS_H */
