// SPDX-License-Identifier: GPL-2.0
/*
 * The modem's QMI side for bam-modem (see qmi_modem.h).  Messages are
 * decoded and encoded with socbpf's table-driven codec
 * (include/socbpf/qmi_codec.h) and framed with qmux_wire.h; the message
 * and TLV ids are those of libqmi 1.32's data/qmi-service-{ctl,wds,dms}.json,
 * and selftests/unit/test_bam_qmi.c checks every answer with libqmi itself.
 */
#include <stdio.h>

#include "qmi_modem.h"

/* ------------------------------------------------------------ tables */

#define EI_U(dt, sz, t, st, f) {					\
	.data_type = dt, .elem_len = 1, .elem_size = sz,		\
	.array_type = SQMI_NO_ARRAY, .tlv_type = t,			\
	.offset = offsetof(st, f) }
#define EI_FLAG(t, st, f) EI_U(SQMI_OPT_FLAG, 1, t, st, f)
#define EI_STR(t, st, f) {						\
	.data_type = SQMI_STRING, .elem_len = sizeof(((st *)0)->f),	\
	.elem_size = 1, .array_type = SQMI_NO_ARRAY, .tlv_type = t,	\
	.offset = offsetof(st, f) }
#define EI_STRUCT(t, st, f, ei) {					\
	.data_type = SQMI_STRUCT, .elem_len = 1,			\
	.elem_size = sizeof(((st *)0)->f),				\
	.array_type = SQMI_NO_ARRAY, .tlv_type = t,			\
	.offset = offsetof(st, f), .ei_array = ei }
#define EI_END { .data_type = SQMI_EOTI }

static const struct sqmi_elem_info result_ei[] = {
	EI_U(SQMI_UNSIGNED_2_BYTE, 2, 0, struct sqmi_response_type, result),
	EI_U(SQMI_UNSIGNED_2_BYTE, 2, 0, struct sqmi_response_type, error),
	EI_END,
};

#define EI_RESULT(st) EI_STRUCT(QMI_WIRE_TLV_RESULT, st, resp, result_ei)

/* A response that carries only the result TLV. */
struct resp_only {
	struct sqmi_response_type resp;
};

static const struct sqmi_elem_info resp_only_ei[] = {
	EI_RESULT(struct resp_only),
	EI_END,
};

/* CTL Get Version Info: 0x01 array (u8 count) of {service, major, minor} */
struct ctl_svc_version {
	u8 service;
	u16 major;
	u16 minor;
};

static const struct sqmi_elem_info ctl_svc_version_ei[] = {
	EI_U(SQMI_UNSIGNED_1_BYTE, 1, 0, struct ctl_svc_version, service),
	EI_U(SQMI_UNSIGNED_2_BYTE, 2, 0, struct ctl_svc_version, major),
	EI_U(SQMI_UNSIGNED_2_BYTE, 2, 0, struct ctl_svc_version, minor),
	EI_END,
};

struct ctl_version_resp {
	struct sqmi_response_type resp;
	u32 n;
	struct ctl_svc_version svc[4];
};

static const struct sqmi_elem_info ctl_version_resp_ei[] = {
	EI_RESULT(struct ctl_version_resp),
	{ .data_type = SQMI_DATA_LEN, .elem_len = 1, .elem_size = 1,
	  .tlv_type = 0x01, .offset = offsetof(struct ctl_version_resp, n) },
	{ .data_type = SQMI_STRUCT, .elem_len = 4,
	  .elem_size = sizeof(struct ctl_svc_version),
	  .array_type = SQMI_VAR_LEN_ARRAY, .tlv_type = 0x01,
	  .offset = offsetof(struct ctl_version_resp, svc),
	  .ei_array = ctl_svc_version_ei },
	EI_END,
};

/* CTL Allocate CID request: 0x01 service; response 0x01 {service, cid} */
struct ctl_alloc_req {
	u8 service;
};

static const struct sqmi_elem_info ctl_alloc_req_ei[] = {
	EI_U(SQMI_UNSIGNED_1_BYTE, 1, 0x01, struct ctl_alloc_req, service),
	EI_END,
};

struct ctl_cid {
	u8 service;
	u8 cid;
};

static const struct sqmi_elem_info ctl_cid_ei[] = {
	EI_U(SQMI_UNSIGNED_1_BYTE, 1, 0, struct ctl_cid, service),
	EI_U(SQMI_UNSIGNED_1_BYTE, 1, 0, struct ctl_cid, cid),
	EI_END,
};

/* CTL Release CID request: 0x01 {service, cid}; the response echoes it */
struct ctl_cid_msg {
	struct sqmi_response_type resp;
	u8 info_valid;
	struct ctl_cid info;
};

static const struct sqmi_elem_info ctl_cid_req_ei[] = {
	EI_STRUCT(0x01, struct ctl_cid_msg, info, ctl_cid_ei),
	EI_END,
};

static const struct sqmi_elem_info ctl_cid_resp_ei[] = {
	EI_RESULT(struct ctl_cid_msg),
	EI_FLAG(0x01, struct ctl_cid_msg, info_valid),
	EI_STRUCT(0x01, struct ctl_cid_msg, info, ctl_cid_ei),
	EI_END,
};

/* WDS Start Network request: 0x14 APN, 0x19 IP family preference */
struct wds_start_req {
	u8 apn_valid;
	char apn[101];
	u8 family_valid;
	u8 family;
};

static const struct sqmi_elem_info wds_start_req_ei[] = {
	EI_FLAG(0x14, struct wds_start_req, apn_valid),
	EI_STR(0x14, struct wds_start_req, apn),
	EI_FLAG(0x19, struct wds_start_req, family_valid),
	EI_U(SQMI_UNSIGNED_1_BYTE, 1, 0x19, struct wds_start_req, family),
	EI_END,
};

/* WDS Start Network response: 0x01 packet data handle, 0x10 end reason */
struct wds_start_resp {
	struct sqmi_response_type resp;
	u8 handle_valid;
	u32 handle;
	u8 reason_valid;
	u16 reason;
};

static const struct sqmi_elem_info wds_start_resp_ei[] = {
	EI_RESULT(struct wds_start_resp),
	EI_FLAG(0x01, struct wds_start_resp, handle_valid),
	EI_U(SQMI_UNSIGNED_4_BYTE, 4, 0x01, struct wds_start_resp, handle),
	EI_FLAG(0x10, struct wds_start_resp, reason_valid),
	EI_U(SQMI_UNSIGNED_2_BYTE, 2, 0x10, struct wds_start_resp, reason),
	EI_END,
};

/* WDS Stop Network request: 0x01 packet data handle */
struct wds_stop_req {
	u32 handle;
};

static const struct sqmi_elem_info wds_stop_req_ei[] = {
	EI_U(SQMI_UNSIGNED_4_BYTE, 4, 0x01, struct wds_stop_req, handle),
	EI_END,
};

/* WDS Get Packet Service Status response: 0x01 connection status */
struct wds_status_resp {
	struct sqmi_response_type resp;
	u8 status;
};

static const struct sqmi_elem_info wds_status_resp_ei[] = {
	EI_RESULT(struct wds_status_resp),
	EI_U(SQMI_UNSIGNED_1_BYTE, 1, 0x01, struct wds_status_resp, status),
	EI_END,
};

/*
 * WDS Get Current Settings response: 0x14 APN, 0x15/0x16 IPv4 DNS,
 * 0x1E IPv4 address, 0x20 gateway, 0x21 subnet mask, 0x29 MTU,
 * 0x2B IP family.  Addresses are little-endian u32s of the host-order
 * address ("endian": "little" in libqmi's JSON).
 */
struct wds_settings_resp {
	struct sqmi_response_type resp;
	u8 apn_valid;
	char apn[101];
	u8 dns1_valid;
	u32 dns1;
	u8 dns2_valid;
	u32 dns2;
	u8 ip_valid;
	u32 ip;
	u8 gw_valid;
	u32 gw;
	u8 mask_valid;
	u32 mask;
	u8 mtu_valid;
	u32 mtu;
	u8 family_valid;
	u8 family;
};

#define EI_OPT_U32(t, f)						\
	EI_FLAG(t, struct wds_settings_resp, f##_valid),		\
	EI_U(SQMI_UNSIGNED_4_BYTE, 4, t, struct wds_settings_resp, f)

static const struct sqmi_elem_info wds_settings_resp_ei[] = {
	EI_RESULT(struct wds_settings_resp),
	EI_FLAG(0x14, struct wds_settings_resp, apn_valid),
	EI_STR(0x14, struct wds_settings_resp, apn),
	EI_OPT_U32(0x15, dns1),
	EI_OPT_U32(0x16, dns2),
	EI_OPT_U32(0x1e, ip),
	EI_OPT_U32(0x20, gw),
	EI_OPT_U32(0x21, mask),
	EI_OPT_U32(0x29, mtu),
	EI_FLAG(0x2b, struct wds_settings_resp, family_valid),
	EI_U(SQMI_UNSIGNED_1_BYTE, 1, 0x2b, struct wds_settings_resp, family),
	EI_END,
};

/* DMS Get Manufacturer/Model/Revision response: 0x01 string */
struct dms_str_resp {
	struct sqmi_response_type resp;
	char str[64];
};

static const struct sqmi_elem_info dms_str_resp_ei[] = {
	EI_RESULT(struct dms_str_resp),
	EI_STR(0x01, struct dms_str_resp, str),
	EI_END,
};

/* DMS Get IDs response: 0x11 IMEI (no ESN or MEID: a 3GPP modem) */
struct dms_ids_resp {
	struct sqmi_response_type resp;
	u8 imei_valid;
	char imei[32];
};

static const struct sqmi_elem_info dms_ids_resp_ei[] = {
	EI_RESULT(struct dms_ids_resp),
	EI_FLAG(0x11, struct dms_ids_resp, imei_valid),
	EI_STR(0x11, struct dms_ids_resp, imei),
	EI_END,
};

/* ------------------------------------------------------------ engine */

void qmim_init(struct qmim *q)
{
	memset(q->clients, 0, sizeof(q->clients));
	q->next_cid = 1;
	q->connected = false;
	q->handle = 0;
	q->apn[0] = '\0';
	if (!q->net.ue_ip) {
		q->net.ue_ip = 0x0a400002;	/* 10.64.0.2 */
		q->net.gw_ip = 0x0a400001;	/* 10.64.0.1 */
		q->net.prefix = 30;
		q->net.dns1 = q->net.gw_ip;
		q->net.mtu = 1500;
	}
	if (!q->manufacturer)
		q->manufacturer = "socbpf";
	if (!q->model)
		q->model = "bam-modem";
	if (!q->revision)
		q->revision = "BAM-MODEM-1.0";
	if (!q->imei)
		q->imei = "356938035643809";
}

static struct qmim_client *qmim_client(struct qmim *q, u8 service, u8 cid)
{
	int i;

	for (i = 0; i < QMIM_MAX_CLIENTS; i++)
		if (q->clients[i].cid && q->clients[i].cid == cid &&
		    q->clients[i].service == service)
			return &q->clients[i];
	return NULL;
}

static void qmim_disconnect(struct qmim *q)
{
	if (!q->connected)
		return;
	q->connected = false;
	if (q->ops && q->ops->disconnect)
		q->ops->disconnect(q);
}

/* Encode @c with @ei as a response to @m and frame it in @out. */
static int qmim_reply(struct qmim *q, const struct qmux_msg *m,
		      const struct sqmi_elem_info *ei, const void *c,
		      u8 *out, size_t cap)
{
	u8 qmi[2048];
	u8 type = m->service == QMUX_SVC_CTL ? QMUX_CTL_FLAG_RESPONSE :
		  SQMI_RESPONSE;
	int n;

	n = sqmi_encode_message(qmi, sizeof(qmi), type, m->txn, m->msg_id,
				ei, c);
	if (n < 0)
		return n;
	n = qmux_wire_wrap(out, cap, QMUX_FLAG_SERVICE, m->service, m->client,
			   qmi, n);
	if (n > 0)
		q->responses++;
	return n;
}

static int qmim_error(struct qmim *q, const struct qmux_msg *m, u16 err,
		      u8 *out, size_t cap)
{
	struct resp_only r = {
		.resp = { QMI_WIRE_RESULT_FAILURE, err },
	};

	q->errors_sent++;
	return qmim_reply(q, m, resp_only_ei, &r, out, cap);
}

/* Decode the request's TLVs into @c with @ei. */
static int qmim_decode(const struct qmux_msg *m,
		       const struct sqmi_elem_info *ei, void *c)
{
	u8 qmi[2048];
	int n;

	n = qmux_wire_to_qmi(m, qmi, sizeof(qmi));
	if (n < 0)
		return n;
	n = sqmi_decode_message(qmi, n, ei, c, NULL);
	return n < 0 ? n : 0;
}

static int qmim_ctl(struct qmim *q, const struct qmux_msg *m, u8 *out,
		    size_t cap)
{
	struct ctl_version_resp v = { .n = 4 };
	struct ctl_alloc_req a = { 0 };
	struct ctl_cid_msg c = { 0 };
	struct resp_only ok = { .resp = { 0, 0 } };
	struct qmim_client *cl;
	int i;

	switch (m->msg_id) {
	case QMIM_CTL_GET_VERSION_INFO:
		v.svc[0] = (struct ctl_svc_version){ QMUX_SVC_CTL, 1, 5 };
		v.svc[1] = (struct ctl_svc_version){ QMI_WIRE_SVC_WDS, 1, 12 };
		v.svc[2] = (struct ctl_svc_version){ QMI_WIRE_SVC_DMS, 1, 7 };
		v.svc[3] = (struct ctl_svc_version){ QMIM_SVC_WDA, 1, 16 };
		return qmim_reply(q, m, ctl_version_resp_ei, &v, out, cap);
	case QMIM_CTL_ALLOCATE_CID:
		if (qmim_decode(m, ctl_alloc_req_ei, &a))
			goto bad;
		if (a.service != QMI_WIRE_SVC_WDS &&
		    a.service != QMI_WIRE_SVC_DMS && a.service != QMIM_SVC_WDA)
			return qmim_error(q, m, QMIM_ERR_INVALID_SERVICE_TYPE,
					  out, cap);
		for (i = 0; i < QMIM_MAX_CLIENTS && q->clients[i].cid; i++)
			;
		if (i == QMIM_MAX_CLIENTS)
			return qmim_error(q, m, QMIM_ERR_CLIENT_IDS_EXHAUSTED,
					  out, cap);
		/* cids run 1..255, never one that is in use */
		do {
			c.info.cid = q->next_cid++;
			if (!q->next_cid)
				q->next_cid = 1;
		} while (qmim_client(q, a.service, c.info.cid));
		q->clients[i].service = a.service;
		q->clients[i].cid = c.info.cid;
		c.info.service = a.service;
		c.info_valid = 1;
		return qmim_reply(q, m, ctl_cid_resp_ei, &c, out, cap);
	case QMIM_CTL_RELEASE_CID:
		if (qmim_decode(m, ctl_cid_req_ei, &c))
			goto bad;
		cl = qmim_client(q, c.info.service, c.info.cid);
		if (!cl)
			return qmim_error(q, m, QMIM_ERR_INVALID_CLIENT_ID,
					  out, cap);
		/* the session goes with the client that started it */
		if (cl->service == QMI_WIRE_SVC_WDS && q->connected &&
		    q->owner_cid == cl->cid)
			qmim_disconnect(q);
		cl->cid = 0;
		c.info_valid = 1;
		return qmim_reply(q, m, ctl_cid_resp_ei, &c, out, cap);
	case QMIM_CTL_SYNC:
		return qmim_reply(q, m, resp_only_ei, &ok, out, cap);
	default:
		q->unknown_msgs++;
		return qmim_error(q, m, QMI_WIRE_ERR_INVALID_QMI_CMD, out, cap);
	}
bad:
	q->bad_requests++;
	return qmim_error(q, m, QMI_WIRE_ERR_MALFORMED_MSG, out, cap);
}

static u32 qmim_mask(u8 prefix)
{
	return prefix ? 0xffffffffu << (32 - prefix) : 0;
}

static int qmim_wds(struct qmim *q, const struct qmux_msg *m, u8 *out,
		    size_t cap)
{
	struct wds_start_req sreq = { 0 };
	struct wds_start_resp sresp = { .resp = { 0, 0 } };
	struct wds_stop_req stop = { 0 };
	struct wds_status_resp st = { .resp = { 0, 0 } };
	struct wds_settings_resp cs = { .resp = { 0, 0 } };
	struct resp_only ok = { .resp = { 0, 0 } };

	switch (m->msg_id) {
	case QMIM_WDS_START_NETWORK:
		if (qmim_decode(m, wds_start_req_ei, &sreq))
			goto bad;
		if (q->connected)
			return qmim_error(q, m, QMIM_ERR_NO_EFFECT, out, cap);
		if (sreq.family_valid && sreq.family == 6) {
			/* IPv4 only: "unsupported PDP type" (3GPP cause) */
			sresp.resp.result = QMI_WIRE_RESULT_FAILURE;
			sresp.resp.error = QMIM_ERR_CALL_FAILED;
			sresp.reason_valid = 1;
			sresp.reason = 1;	/* QMI_WDS_CALL_END_REASON_GENERIC_UNSPECIFIED */
			q->errors_sent++;
			return qmim_reply(q, m, wds_start_resp_ei, &sresp, out,
					  cap);
		}
		if (q->ops && q->ops->connect && q->ops->connect(q))
			return qmim_error(q, m, QMIM_ERR_CALL_FAILED, out, cap);
		snprintf(q->apn, sizeof(q->apn), "%s",
			 sreq.apn_valid ? sreq.apn : "");
		q->connected = true;
		q->owner_cid = m->client;
		q->handle = 0x5c0b0000u + ++q->sessions;
		sresp.handle_valid = 1;
		sresp.handle = q->handle;
		return qmim_reply(q, m, wds_start_resp_ei, &sresp, out, cap);
	case QMIM_WDS_STOP_NETWORK:
		if (qmim_decode(m, wds_stop_req_ei, &stop))
			goto bad;
		if (!q->connected || stop.handle != q->handle)
			return qmim_error(q, m, QMIM_ERR_INVALID_HANDLE, out,
					  cap);
		qmim_disconnect(q);
		return qmim_reply(q, m, resp_only_ei, &ok, out, cap);
	case QMIM_WDS_GET_PKT_SRVC_STATUS:
		st.status = q->connected ? QMIM_WDS_CONNECTED :
			    QMIM_WDS_DISCONNECTED;
		return qmim_reply(q, m, wds_status_resp_ei, &st, out, cap);
	case QMIM_WDS_GET_CURRENT_SETTINGS:
		if (!q->connected)
			return qmim_error(q, m, QMIM_ERR_OUT_OF_CALL, out, cap);
		cs.apn_valid = q->apn[0] != '\0';
		snprintf(cs.apn, sizeof(cs.apn), "%s", q->apn);
		cs.dns1_valid = !!q->net.dns1;
		cs.dns1 = q->net.dns1;
		cs.dns2_valid = !!q->net.dns2;
		cs.dns2 = q->net.dns2;
		cs.ip_valid = cs.gw_valid = cs.mask_valid = 1;
		cs.ip = q->net.ue_ip;
		cs.gw = q->net.gw_ip;
		cs.mask = qmim_mask(q->net.prefix);
		cs.mtu_valid = 1;
		cs.mtu = q->net.mtu;
		cs.family_valid = 1;
		cs.family = 4;
		return qmim_reply(q, m, wds_settings_resp_ei, &cs, out, cap);
	default:
		q->unknown_msgs++;
		return qmim_error(q, m, QMI_WIRE_ERR_INVALID_QMI_CMD, out, cap);
	}
bad:
	q->bad_requests++;
	return qmim_error(q, m, QMI_WIRE_ERR_MALFORMED_MSG, out, cap);
}

static int qmim_dms(struct qmim *q, const struct qmux_msg *m, u8 *out,
		    size_t cap)
{
	struct dms_str_resp s = { .resp = { 0, 0 } };
	struct dms_ids_resp ids = { .resp = { 0, 0 } };
	const char *str;

	switch (m->msg_id) {
	case QMIM_DMS_GET_MANUFACTURER:
		str = q->manufacturer;
		break;
	case QMIM_DMS_GET_MODEL:
		str = q->model;
		break;
	case QMIM_DMS_GET_REVISION:
		str = q->revision;
		break;
	case QMIM_DMS_GET_IDS:
		ids.imei_valid = 1;
		snprintf(ids.imei, sizeof(ids.imei), "%s", q->imei);
		return qmim_reply(q, m, dms_ids_resp_ei, &ids, out, cap);
	default:
		q->unknown_msgs++;
		return qmim_error(q, m, QMI_WIRE_ERR_INVALID_QMI_CMD, out, cap);
	}
	snprintf(s.str, sizeof(s.str), "%s", str);
	return qmim_reply(q, m, dms_str_resp_ei, &s, out, cap);
}

int qmim_handle(struct qmim *q, const void *req, size_t len, u8 *out,
		size_t cap)
{
	struct qmux_msg m;

	if (qmux_wire_parse(req, len, &m)) {
		q->bad_requests++;
		return 0;	/* not a frame: nothing to answer */
	}
	q->requests++;
	if (m.qmux_flags & QMUX_FLAG_SERVICE || m.flags != 0) {
		q->bad_requests++;
		return 0;	/* only requests are answered */
	}
	if (m.service == QMUX_SVC_CTL)
		return qmim_ctl(q, &m, out, cap);
	if (!qmim_client(q, m.service, m.client))
		return qmim_error(q, &m, QMIM_ERR_INVALID_CLIENT_ID, out, cap);
	switch (m.service) {
	case QMI_WIRE_SVC_WDS:
		return qmim_wds(q, &m, out, cap);
	case QMI_WIRE_SVC_DMS:
		return qmim_dms(q, &m, out, cap);
	default:
		q->unknown_msgs++;
		return qmim_error(q, &m, QMI_WIRE_ERR_INVALID_QMI_CMD, out, cap);
	}
}
