// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the QMUX framing (include/socbpf/qmux_wire.h) and
 * bam-modem's QMI engine (tools/bam-modem/qmi_modem.c): arbitrary bytes as
 * one frame from the host.  An accepted frame's fields must lie inside it;
 * whatever the engine answers must itself be a valid QMUX response to that
 * frame (same service, client, transaction and message id).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../tools/bam-modem/qmi_modem.c"

int LLVMFuzzerTestOneInput(const uint8_t *in, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *in, size_t size)
{
	static u8 buf[4096], out[8192];
	static struct qmim q;
	struct qmux_msg m, r;
	int err, n;

	if (size > sizeof(buf))
		size = sizeof(buf);
	memcpy(buf, in, size);
	/* half the inputs get a right marker and QMUX length */
	if (size >= 3 && (size & 1)) {
		buf[0] = QMUX_MARKER;
		buf[1] = (u8)(size - 1);
		buf[2] = (u8)((size - 1) >> 8);
	}
	err = qmux_wire_parse(buf, size, &m);
	if (err < 0 || err >= QMUX_NR_ERR)
		abort();
	if (!err && (m.tlvs < buf || m.tlvs + m.tlv_len != buf + size))
		abort();

	memset(&q, 0, sizeof(q));
	qmim_init(&q);
	/* a client for the service named, so service requests get through */
	if (!err && m.service != QMUX_SVC_CTL && m.client) {
		q.clients[0].service = m.service;
		q.clients[0].cid = m.client;
	}
	n = qmim_handle(&q, buf, size, out, sizeof(out));
	if (n < 0 || n > (int)sizeof(out))
		abort();
	if (n == 0)
		return 0;
	if (err || qmux_wire_parse(out, n, &r) != QMUX_OK ||
	    r.service != m.service || r.client != m.client ||
	    r.msg_id != m.msg_id || r.txn != m.txn ||
	    !(r.qmux_flags & QMUX_FLAG_SERVICE))
		abort();
	return 0;
}
