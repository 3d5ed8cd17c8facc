// SPDX-License-Identifier: GPL-2.0
/*
 * Host unit test: the QMUX framing (include/socbpf/qmux_wire.h) and
 * bam-modem's QMI engine (tools/bam-modem/qmi_modem.c) against Debian's
 * libqmi-glib 1.32, the library qmicli and ModemManager use:
 *
 *   - requests built by libqmi (qmi_message_new + its TLV writer) parse with
 *     qmux_wire_parse() and decode with socbpf's codec;
 *   - every answer of the engine to the qmicli flow (CTL version/allocate/
 *     release, DMS identity, WDS start/settings/status/stop) is accepted by
 *     libqmi's qmi_message_new_from_raw(), carries the QMUX and QMI header
 *     libqmi's own qmi_message_response_new() builds for that request, is
 *     named without error by libqmi's generated printer, and its TLVs read
 *     back with libqmi's reader (ids from libqmi's qmi-service-*.json);
 *   - the malformed frames bam-modem injects are refused by qmux_wire_parse()
 *     with the reason the driver counts, and libqmi returns no message for
 *     any of them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libqmi-glib.h>

#include "../../tools/bam-modem/qmi_modem.c"
#include "unit_tap.h"

static struct qmim Q;
static u16 next_txn = 1;

static void diag_hex(const char *what, const u8 *b, size_t n)
{
	size_t i;

	printf("# %s (%zu):", what, n);
	for (i = 0; i < n; i++)
		printf(" %02x", b[i]);
	printf("\n");
}

static QmiMessage *req_new(QmiService svc, u8 cid, u16 msg)
{
	u16 txn = svc == QMI_SERVICE_CTL ? (next_txn++ & 0xff) : next_txn++;

	return qmi_message_new(svc, cid, txn, msg);
}

static void tlv_u8(QmiMessage *m, u8 type, u8 v)
{
	gsize o = qmi_message_tlv_write_init(m, type, NULL);

	qmi_message_tlv_write_guint8(m, v, NULL);
	qmi_message_tlv_write_complete(m, o, NULL);
}

static void tlv_u32(QmiMessage *m, u8 type, u32 v)
{
	gsize o = qmi_message_tlv_write_init(m, type, NULL);

	qmi_message_tlv_write_guint32(m, QMI_ENDIAN_LITTLE, v, NULL);
	qmi_message_tlv_write_complete(m, o, NULL);
}

static void tlv_str(QmiMessage *m, u8 type, const char *s)
{
	gsize o = qmi_message_tlv_write_init(m, type, NULL);

	qmi_message_tlv_write_string(m, 0, s, -1, NULL);
	qmi_message_tlv_write_complete(m, o, NULL);
}

/*
 * Hand @req to the engine; check its answer with libqmi; return it parsed
 * (NULL when it was refused).
 */
static QmiMessage *ask(QmiMessage *req, const char *name, const char *expect)
{
	static u8 out[8192];
	const u8 *raw, *lraw;
	gsize len, llen;
	GByteArray *ba;
	QmiMessage *resp, *lresp;
	GError *err = NULL;
	char desc[200], *txt;
	unsigned int hlen;
	int n, ok;

	raw = qmi_message_get_raw(req, &len, NULL);
	n = qmim_handle(&Q, raw, len, out, sizeof(out));
	snprintf(desc, sizeof(desc), "%s: the engine answers", name);
	check(n > 0, desc);
	if (n <= 0)
		return NULL;

	ba = g_byte_array_append(g_byte_array_new(), out, n);
	resp = qmi_message_new_from_raw(ba, &err);
	snprintf(desc, sizeof(desc), "%s: libqmi accepts the answer", name);
	check(resp && ba->len == 0, desc);
	g_byte_array_unref(ba);
	if (!resp) {
		if (err)
			printf("# %s\n", err->message);
		g_clear_error(&err);
		diag_hex("answer", out, n);
		return NULL;
	}

	/* libqmi's own response header for this request (result TLV apart) */
	lresp = qmi_message_response_new(req, QMI_PROTOCOL_ERROR_NONE);
	lraw = qmi_message_get_raw(lresp, &llen, NULL);
	hlen = QMUX_HDR_LEN + qmux_qmi_hdr_len(qmi_message_get_service(req));
	ok = qmi_message_is_response(resp) && llen >= hlen &&
	     !memcmp(lraw + 3, out + 3, hlen - 5) &&	/* flags..msg id */
	     qmi_message_get_transaction_id(resp) ==
	     qmi_message_get_transaction_id(req);
	snprintf(desc, sizeof(desc),
		 "%s: QMUX/QMI header as libqmi's qmi_message_response_new()",
		 name);
	check(ok, desc);
	if (!ok) {
		diag_hex("ours  ", out, hlen);
		diag_hex("libqmi", lraw, hlen);
	}
	qmi_message_unref(lresp);

	txt = qmi_message_get_printable_full(resp, NULL, "");
	ok = !strstr(txt, "ERROR") && !strstr(txt, "nexpected") &&
	     (!expect || strstr(txt, expect));
	snprintf(desc, sizeof(desc),
		 "%s: libqmi's printer names it%s%s, no error", name,
		 expect ? " and shows " : "", expect ? expect : "");
	check(ok, desc);
	if (!ok)
		printf("# %s\n", txt);
	g_free(txt);
	return resp;
}

/* the result TLV (0x02: u16 result, u16 error), read with libqmi's reader */
static int result_ok(QmiMessage *r, u16 *qerr)
{
	gsize o, off = 0;
	u16 res = 0xffff;

	*qerr = 0xffff;
	o = qmi_message_tlv_read_init(r, 0x02, NULL, NULL);
	if (!o || !qmi_message_tlv_read_guint16(r, o, &off, QMI_ENDIAN_LITTLE,
						&res, NULL) ||
	    !qmi_message_tlv_read_guint16(r, o, &off, QMI_ENDIAN_LITTLE, qerr,
					  NULL))
		return 0;
	return res == 0 && *qerr == 0;
}

static int read_u8(QmiMessage *m, u8 type, u8 *v)
{
	gsize o, off = 0;

	o = qmi_message_tlv_read_init(m, type, NULL, NULL);
	return o && qmi_message_tlv_read_guint8(m, o, &off, v, NULL);
}

static int read_u32(QmiMessage *m, u8 type, u32 *v)
{
	gsize o, off = 0;

	o = qmi_message_tlv_read_init(m, type, NULL, NULL);
	return o && qmi_message_tlv_read_guint32(m, o, &off, QMI_ENDIAN_LITTLE,
						 v, NULL);
}

static int read_str(QmiMessage *m, u8 type, const char *want)
{
	gchar *s = NULL;
	gsize o, off = 0;
	int ok;

	o = qmi_message_tlv_read_init(m, type, NULL, NULL);
	ok = o && qmi_message_tlv_read_string(m, o, &off, 0, 0, &s, NULL) &&
	     !strcmp(s, want);
	g_free(s);
	return ok;
}

static void test_framing(void)
{
	QmiMessage *m = req_new(QMI_SERVICE_WDS, 3, QMIM_WDS_START_NETWORK);
	struct wds_start_req sreq = { 0 };
	struct qmux_msg qm;
	const u8 *raw;
	gsize len;

	tlv_str(m, 0x14, "internet");
	tlv_u8(m, 0x19, 4);
	raw = qmi_message_get_raw(m, &len, NULL);
	check(qmux_wire_parse(raw, len, &qm) == QMUX_OK && qm.service == 1 &&
	      qm.client == 3 && qm.msg_id == 0x20 &&
	      qm.txn == qmi_message_get_transaction_id(m) && qm.flags == 0 &&
	      qm.qmux_flags == 0,
	      "libqmi's WDS request: service, client, txn, msg id parsed");
	check(qmim_decode(&qm, wds_start_req_ei, &sreq) == 0 &&
	      sreq.apn_valid && !strcmp(sreq.apn, "internet") &&
	      sreq.family_valid && sreq.family == 4,
	      "its APN and IP family decode with socbpf's codec");
	qmi_message_unref(m);

	m = req_new(QMI_SERVICE_CTL, 0, QMIM_CTL_ALLOCATE_CID);
	tlv_u8(m, 0x01, QMI_SERVICE_DMS);
	raw = qmi_message_get_raw(m, &len, NULL);
	check(qmux_wire_parse(raw, len, &qm) == QMUX_OK && qm.service == 0 &&
	      qm.msg_id == 0x22 && qm.txn == qmi_message_get_transaction_id(m) &&
	      qm.tlv_len == 4,
	      "libqmi's CTL request: one-byte transaction id header parsed");
	qmi_message_unref(m);
}

static u8 alloc_cid(QmiService svc)
{
	QmiMessage *m = req_new(QMI_SERVICE_CTL, 0, QMIM_CTL_ALLOCATE_CID);
	QmiMessage *r;
	gsize o, off = 0;
	u8 s = 0, cid = 0;
	u16 qerr;
	char desc[80];

	tlv_u8(m, 0x01, svc);
	snprintf(desc, sizeof(desc), "CTL Allocate CID (%s)",
		 qmi_service_get_string(svc));
	r = ask(m, desc, "Allocation Info");
	if (r && result_ok(r, &qerr)) {
		o = qmi_message_tlv_read_init(r, 0x01, NULL, NULL);
		if (o) {
			qmi_message_tlv_read_guint8(r, o, &off, &s, NULL);
			qmi_message_tlv_read_guint8(r, o, &off, &cid, NULL);
		}
	}
	check(s == svc && cid != 0, "  a client id for that service");
	if (r)
		qmi_message_unref(r);
	qmi_message_unref(m);
	return cid;
}

static void test_flow(void)
{
	QmiMessage *m, *r;
	u8 wds, dms, st = 0;
	u32 handle = 0, ip = 0, gw = 0, mask = 0, mtu = 0;
	u16 qerr = 0;
	gsize o;

	memset(&Q, 0, sizeof(Q));
	qmim_init(&Q);

	m = req_new(QMI_SERVICE_CTL, 0, QMIM_CTL_GET_VERSION_INFO);
	r = ask(m, "CTL Get Version Info", "Service list");
	if (r)
		qmi_message_unref(r);
	qmi_message_unref(m);

	wds = alloc_cid(QMI_SERVICE_WDS);
	dms = alloc_cid(QMI_SERVICE_DMS);
	check(wds != dms, "two clients, two ids");

	m = req_new(QMI_SERVICE_DMS, dms, QMIM_DMS_GET_IDS);
	r = ask(m, "DMS Get IDs", "Imei");
	check(r && result_ok(r, &qerr) && read_str(r, 0x11, "356938035643809"),
	      "  IMEI 356938035643809");
	if (r)
		qmi_message_unref(r);
	qmi_message_unref(m);
	m = req_new(QMI_SERVICE_DMS, dms, QMIM_DMS_GET_MANUFACTURER);
	r = ask(m, "DMS Get Manufacturer", "Manufacturer");
	check(r && read_str(r, 0x01, "socbpf"), "  manufacturer socbpf");
	if (r)
		qmi_message_unref(r);
	qmi_message_unref(m);

	m = req_new(QMI_SERVICE_WDS, wds, QMIM_WDS_GET_CURRENT_SETTINGS);
	r = ask(m, "WDS Get Current Settings before a session", NULL);
	check(r && !result_ok(r, &qerr) &&
	      qerr == QMI_PROTOCOL_ERROR_OUT_OF_CALL, "  OutOfCall");
	if (r)
		qmi_message_unref(r);
	qmi_message_unref(m);

	m = req_new(QMI_SERVICE_WDS, wds, QMIM_WDS_START_NETWORK);
	tlv_str(m, 0x14, "internet");
	tlv_u8(m, 0x19, 4);
	r = ask(m, "WDS Start Network", "Packet Data Handle");
	check(r && result_ok(r, &qerr) && read_u32(r, 0x01, &handle) &&
	      handle == Q.handle && Q.connected && !strcmp(Q.apn, "internet"),
	      "  session up, handle, APN recorded");
	if (r)
		qmi_message_unref(r);
	qmi_message_unref(m);

	m = req_new(QMI_SERVICE_WDS, wds, QMIM_WDS_GET_CURRENT_SETTINGS);
	tlv_u32(m, 0x10, 0xffff);
	r = ask(m, "WDS Get Current Settings", "IPv4 Gateway Subnet Mask");
	check(r && result_ok(r, &qerr) && read_u32(r, 0x1e, &ip) &&
	      read_u32(r, 0x20, &gw) && read_u32(r, 0x21, &mask) &&
	      read_u32(r, 0x29, &mtu) && read_str(r, 0x14, "internet") &&
	      ip == 0x0a400002 && gw == 0x0a400001 && mask == 0xfffffffc &&
	      mtu == 1500,
	      "  10.64.0.2, gateway 10.64.0.1, mask 255.255.255.252, MTU 1500, APN");
	if (r)
		qmi_message_unref(r);
	qmi_message_unref(m);

	m = req_new(QMI_SERVICE_WDS, wds, QMIM_WDS_GET_PKT_SRVC_STATUS);
	r = ask(m, "WDS Get Packet Service Status", "Connection Status");
	check(r && read_u8(r, 0x01, &st) &&
	      st == QMI_WDS_CONNECTION_STATUS_CONNECTED, "  connected");
	if (r)
		qmi_message_unref(r);
	qmi_message_unref(m);

	m = req_new(QMI_SERVICE_WDS, wds, QMIM_WDS_STOP_NETWORK);
	tlv_u32(m, 0x01, handle);
	r = ask(m, "WDS Stop Network", NULL);
	check(r && result_ok(r, &qerr) && !Q.connected, "  session down");
	if (r)
		qmi_message_unref(r);
	qmi_message_unref(m);

	m = req_new(QMI_SERVICE_CTL, 0, QMIM_CTL_RELEASE_CID);
	o = qmi_message_tlv_write_init(m, 0x01, NULL);
	qmi_message_tlv_write_guint8(m, QMI_SERVICE_WDS, NULL);
	qmi_message_tlv_write_guint8(m, wds, NULL);
	qmi_message_tlv_write_complete(m, o, NULL);
	r = ask(m, "CTL Release CID", "Release Info");
	check(r && result_ok(r, &qerr) && !qmim_client(&Q, 1, wds),
	      "  client released");
	if (r)
		qmi_message_unref(r);
	qmi_message_unref(m);

	m = req_new(QMI_SERVICE_WDS, wds, QMIM_WDS_GET_PKT_SRVC_STATUS);
	r = ask(m, "a request from a released client", NULL);
	check(r && !result_ok(r, &qerr) &&
	      qerr == QMI_PROTOCOL_ERROR_INVALID_CLIENT_ID,
	      "  InvalidClientId");
	if (r)
		qmi_message_unref(r);
	qmi_message_unref(m);
}

/* The frames bam-modem's qmi-bad injects (see qmi_inject()). */
static void test_malformed(void)
{
	static const u8 good[] = { 0x01, 0x0b, 0x00, 0x80, 0x00, 0x00,
				   0x01, 0x00, 0x27, 0x00, 0x00, 0x00 };
	static const struct {
		const char *kind;
		int err;
	} k[] = {
		{ "marker", QMUX_EMARKER }, { "qmux_len", QMUX_ELEN },
		{ "qmi_len", QMUX_EQMILEN }, { "tlv", QMUX_ETLV },
		{ "short", QMUX_ESHORT },
	};
	GByteArray *ba;
	GError *err = NULL;
	QmiMessage *m;
	char desc[160];
	u8 f[32];
	int i, len, got;

	ba = g_byte_array_append(g_byte_array_new(), good, sizeof(good));
	m = qmi_message_new_from_raw(ba, &err);
	check(qmux_wire_parse(good, sizeof(good), NULL) == QMUX_OK && m &&
	      qmi_message_get_message_id(m) == QMIM_CTL_SYNC,
	      "the frame the faults start from is valid for both (CTL Sync response)");
	if (m)
		qmi_message_unref(m);
	g_byte_array_unref(ba);

	for (i = 0; i < (int)(sizeof(k) / sizeof(k[0])); i++) {
		memcpy(f, good, sizeof(good));
		len = sizeof(good);
		switch (k[i].err) {
		case QMUX_EMARKER:
			f[0] = 0x02;
			break;
		case QMUX_ELEN:
			f[1] = 0x20;
			break;
		case QMUX_EQMILEN:
			f[10] = 3;
			break;
		case QMUX_ETLV:
			f[1] = 0x0f; f[10] = 4; f[12] = 2; f[13] = 0x10;
			f[14] = 0; f[15] = 0xaa;
			len = 16;
			break;
		case QMUX_ESHORT:
			len = 5;
			f[1] = 4;
			break;
		}
		got = qmux_wire_parse(f, len, NULL);
		ba = g_byte_array_append(g_byte_array_new(), f, len);
		m = qmi_message_new_from_raw(ba, &err);
		snprintf(desc, sizeof(desc),
			 "malformed '%s': refused as %s, libqmi gives no message (%s)",
			 k[i].kind, qmux_wire_err_name(got),
			 err ? "error" : "waits for more bytes");
		check(got == k[i].err && !m, desc);
		if (m)
			qmi_message_unref(m);
		g_clear_error(&err);
		g_byte_array_unref(ba);
		check(qmim_handle(&Q, f, len, f, sizeof(f)) == 0,
		      "  and the engine does not answer it");
	}
}

int main(void)
{
	printf("TAP version 13\n");
	test_framing();
	test_flow();
	test_malformed();
	printf("1..%d\n", n_test);
	return n_fail ? 1 : 0;
}
