// SPDX-License-Identifier: GPL-2.0
/*
 * Host unit tests: the QMI TLV codec (include/socbpf/qmi_wire.h) and the QRTR
 * device emulator's frame builders (tools/qrtr-emu/emu_frames.h) checked
 * against the shared parser qrtr_wire_parse().
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <socbpf/qmi_wire.h>
#include "../../tools/qrtr-emu/emu_frames.h"
#include "unit_tap.h"

/* A DMS Get Revision response as libqmi expects it over QRTR. */
static const u8 golden_rev[] = {
	0x02, 0x34, 0x12, 0x23, 0x00, 0x0e, 0x00,	/* resp, txn, msg, len 14 */
	0x02, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00,	/* result ok */
	0x01, 0x04, 0x00, 'r', 'e', 'v', '1',		/* revision "rev1" */
};

static void test_encode(void)
{
	u8 buf[64];
	struct qmi_wire_enc e;
	long len;

	qmi_wire_enc_init(&e, buf, sizeof(buf), QMI_WIRE_FLAG_RESPONSE, 0x1234,
			  QMI_WIRE_DMS_GET_REVISION);
	qmi_wire_put_result(&e, QMI_WIRE_RESULT_SUCCESS, QMI_WIRE_ERR_NONE);
	qmi_wire_put_str(&e, 0x01, "rev1");
	len = qmi_wire_enc_finish(&e);
	check(len == (long)sizeof(golden_rev) &&
	      !memcmp(buf, golden_rev, sizeof(golden_rev)),
	      "encode: DMS revision response matches golden bytes");

	qmi_wire_enc_init(&e, buf, 10, 0, 1, 1);
	qmi_wire_put_str(&e, 0x01, "too long for ten bytes");
	check(qmi_wire_enc_finish(&e) == -ENOSPC, "encode: overflow is -ENOSPC");

	qmi_wire_enc_init(&e, buf, 6, 0, 1, 1);
	check(qmi_wire_enc_finish(&e) == -ENOSPC,
	      "encode: buffer smaller than header is -ENOSPC");

	qmi_wire_enc_init(&e, buf, sizeof(buf), 0, 1, 1);
	qmi_wire_put_u8(&e, 0x10, 0xab);
	qmi_wire_put_u16(&e, 0x11, 0xbeef);
	qmi_wire_put_u32(&e, 0x12, 0xdeadbeef);
	qmi_wire_put_tlv(&e, 0x13, NULL, 0);
	len = qmi_wire_enc_finish(&e);
	check(len == 7 + 4 + 5 + 7 + 3 && buf[5] == 19 && buf[6] == 0,
	      "encode: u8/u16/u32/empty TLVs and header length");
}

static void test_decode(void)
{
	struct qmi_wire_msg m;
	const u8 *v;
	u16 vl, res, err;
	u8 bad[sizeof(golden_rev)];

	check(qmi_wire_parse(golden_rev, sizeof(golden_rev), &m) == 0 &&
	      m.flags == QMI_WIRE_FLAG_RESPONSE && m.txn == 0x1234 &&
	      m.msg_id == 0x23 && m.tlv_len == 14,
	      "decode: golden header");
	check(qmi_wire_get_result(&m, &res, &err) == 0 && res == 0 && err == 0,
	      "decode: result TLV");
	check(qmi_wire_find_tlv(&m, 0x01, &v, &vl) == 0 && vl == 4 &&
	      !memcmp(v, "rev1", 4), "decode: string TLV");
	check(qmi_wire_find_tlv(&m, 0x33, &v, &vl) == -ENOENT,
	      "decode: absent TLV is -ENOENT");
	check(qmi_wire_parse(golden_rev, 6, &m) == -EMSGSIZE,
	      "decode: short header rejected");
	check(qmi_wire_parse(golden_rev, sizeof(golden_rev) - 1, &m) ==
	      -EMSGSIZE, "decode: length field disagreeing rejected");
	check(qmi_wire_parse(NULL, 0, &m) == -EMSGSIZE, "decode: NULL buffer");

	memcpy(bad, golden_rev, sizeof(bad));
	bad[15] = 0x05;		/* revision TLV claims 5 bytes, 4 present */
	check(qmi_wire_parse(bad, sizeof(bad), &m) == -EBADMSG,
	      "decode: TLV value past the end rejected");

	{
		/* header len 2 with a 2-byte TLV area: TLV header truncated */
		const u8 t[] = { 0, 1, 0, 1, 0, 2, 0, 0x01, 0x00 };

		check(qmi_wire_parse(t, sizeof(t), &m) == -EBADMSG,
		      "decode: truncated TLV header rejected");
	}
	{
		const u8 t[] = { 0, 1, 0, 0x23, 0, 0, 0 };

		check(qmi_wire_parse(t, sizeof(t), &m) == 0 && m.tlv_len == 0 &&
		      qmi_wire_get_result(&m, &res, &err) == -ENOENT,
		      "decode: empty request, no result TLV");
	}
	{
		const u8 t[] = { 2, 1, 0, 0x23, 0, 5, 0, 0x02, 2, 0, 0, 0 };

		check(qmi_wire_parse(t, sizeof(t), &m) == 0 &&
		      qmi_wire_get_result(&m, &res, &err) == -EBADMSG,
		      "decode: result TLV of wrong size is -EBADMSG");
	}
}

static void test_roundtrip(void)
{
	u8 buf[512], val[200];
	struct qmi_wire_enc e;
	struct qmi_wire_msg m;
	unsigned int i, ok = 1;
	long len;

	for (i = 0; i < sizeof(val); i++)
		val[i] = (u8)(i * 7);
	qmi_wire_enc_init(&e, buf, sizeof(buf), QMI_WIRE_FLAG_INDICATION, 9, 77);
	for (i = 0; i < 2; i++)
		qmi_wire_put_tlv(&e, (u8)(0x10 + i), val, sizeof(val));
	len = qmi_wire_enc_finish(&e);
	ok = len > 0 && qmi_wire_parse(buf, (size_t)len, &m) == 0 &&
	     qmi_wire_tlv_walk(m.tlvs, m.tlv_len) == 2;
	for (i = 0; ok && i < 2; i++) {
		const u8 *v;
		u16 vl;

		ok = qmi_wire_find_tlv(&m, (u8)(0x10 + i), &v, &vl) == 0 &&
		     vl == sizeof(val) && !memcmp(v, val, sizeof(val));
	}
	check(ok, "roundtrip: two 200-byte TLVs");
}

static void test_emu_frames(void)
{
	u8 buf[512];
	struct qrtr_wire_pkt p;
	size_t len;
	int k, all_bad = 1, all_len = 1;
	const char *payload = "hello";

	len = emu_build_ctrl(buf, sizeof(buf), QRTR_WIRE_TYPE_HELLO, 7,
			     QRTR_WIRE_NODE_BCAST, 0, 0, 0, 0);
	check(len == 32 + 20 && qrtr_wire_parse(buf, len, &p) == QRTR_WIRE_OK &&
	      p.type == QRTR_WIRE_TYPE_HELLO && p.src_node == 7 &&
	      p.dst_port == QRTR_WIRE_PORT_CTRL,
	      "emu: HELLO parses");

	len = emu_build_ctrl(buf, sizeof(buf), QRTR_WIRE_TYPE_NEW_SERVER, 7, 1,
			     69, 1 | (0 << 8), 7, 1);
	check(len && qrtr_wire_parse(buf, len, &p) == QRTR_WIRE_OK &&
	      p.type == QRTR_WIRE_TYPE_NEW_SERVER && p.size == 20,
	      "emu: NEW_SERVER parses");

	len = emu_build_pkt(buf, sizeof(buf), QRTR_WIRE_TYPE_DATA, 7, 1, 1,
			    0x4000, payload, 5, true);
	check(len == 32 + 8 && qrtr_wire_parse(buf, len, &p) == QRTR_WIRE_OK &&
	      p.size == 5 && p.confirm_rx && !memcmp(buf + p.hdrlen, "hello", 5),
	      "emu: DATA padded to 4 parses");

	check(emu_build_pkt(buf, 40, QRTR_WIRE_TYPE_DATA, 7, 1, 1, 1, payload,
			    16, false) == 0, "emu: frame larger than buffer refused");

	for (k = 0; k < EMU_BAD_NR; k++) {
		len = emu_build_bad(buf, sizeof(buf), k, 7, 1, 1);
		if (!len || len > 128)
			all_len = 0;
		if (qrtr_wire_parse(buf, len, &p) == QRTR_WIRE_OK) {
			all_bad = 0;
			printf("# malformed kind %s parses OK\n", emu_bad_name(k));
		}
	}
	check(all_len, "emu: every malformed kind has a sane length");
	check(all_bad, "emu: every malformed kind is rejected by qrtr_wire_parse");

	{
		static const int want[][2] = {
			{ EMU_BAD_SHORT, QRTR_WIRE_ERR_SHORT },
			{ EMU_BAD_TRUNC, QRTR_WIRE_ERR_SIZE },
			{ EMU_BAD_VERSION, QRTR_WIRE_ERR_VERSION },
			{ EMU_BAD_SIZE_BIG, QRTR_WIRE_ERR_SIZE },
			{ EMU_BAD_TYPE, QRTR_WIRE_ERR_TYPE },
			{ EMU_BAD_CTRL_TO_DATA, QRTR_WIRE_ERR_CTRL },
			{ EMU_BAD_CTRL_CMD, QRTR_WIRE_ERR_CTRL },
		};
		unsigned int i;
		int ok = 1;

		for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
			len = emu_build_bad(buf, sizeof(buf), want[i][0], 7, 1, 1);
			if (qrtr_wire_parse(buf, len, &p) != want[i][1]) {
				ok = 0;
				printf("# %s: got %s\n", emu_bad_name(want[i][0]),
				       qrtr_wire_err_name(qrtr_wire_parse(buf, len, &p)));
			}
		}
		check(ok, "emu: malformed kinds map to the expected drop reason");
	}
}

int main(void)
{
	printf("TAP version 13\n1..23\n");
	test_encode();
	test_decode();
	test_roundtrip();
	test_emu_frames();
	if (n_test != 23)
		printf("# planned 23, ran %d\n", n_test);
	return n_fail || n_test != 23 ? 1 : 0;
}
