// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the QMI TLV codec: parse arbitrary bytes, walk and
 * look up every TLV type, then re-encode what was decoded and check the
 * re-encoding parses back to the same message.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <socbpf/qmi_wire.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static u8 out[QMI_WIRE_MAX_MSG + QMI_WIRE_HDR_LEN];
	struct qmi_wire_msg m, m2;
	struct qmi_wire_enc e;
	size_t off = 0;
	u16 res, err;
	long len;

	if (qmi_wire_parse(data, size, &m))
		return 0;
	(void)qmi_wire_get_result(&m, &res, &err);
	qmi_wire_enc_init(&e, out, size > 64 ? sizeof(out) : size + 1, m.flags,
			  m.txn, m.msg_id);
	while (off < m.tlv_len) {
		const u8 *v;
		u16 vl;
		u8 type = m.tlvs[off];

		vl = (u16)(m.tlvs[off + 1] | (m.tlvs[off + 2] << 8));
		if (qmi_wire_find_tlv(&m, type, &v, &vl))
			abort();	/* a TLV we just walked must be found */
		vl = (u16)(m.tlvs[off + 1] | (m.tlvs[off + 2] << 8));
		qmi_wire_put_tlv(&e, type, m.tlvs + off + 3, vl);
		off += 3u + vl;
	}
	len = qmi_wire_enc_finish(&e);
	if (len < 0)
		return 0;	/* small output buffer on purpose: -ENOSPC ok */
	if ((size_t)len != size || memcmp(out, data, size))
		abort();
	if (qmi_wire_parse(out, (size_t)len, &m2) || m2.txn != m.txn ||
	    m2.msg_id != m.msg_id || m2.tlv_len != m.tlv_len)
		abort();
	return 0;
}
