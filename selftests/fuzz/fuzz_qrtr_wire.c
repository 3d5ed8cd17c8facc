// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for qrtr_wire_parse(): any input must parse or be
 * rejected with a known reason, never read out of bounds, and an accepted
 * frame must describe a payload inside the input that re-encodes (v1) to
 * the same header.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <socbpf/qrtr_wire.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct qrtr_wire_hdr_v1 h;
	struct qrtr_wire_pkt pkt;
	uint8_t *copy;
	int rc;

	/* exact-size heap copy so ASan sees any over-read */
	copy = malloc(size ? size : 1);
	if (!copy)
		return 0;
	memcpy(copy, data, size);
	rc = qrtr_wire_parse(copy, size, &pkt);
	if (rc < QRTR_WIRE_OK || rc >= QRTR_WIRE_ERR_MAX)
		abort();
	if (rc == QRTR_WIRE_OK) {
		if ((uint64_t)pkt.hdrlen + pkt.size > size)
			abort();
		if (pkt.type < QRTR_WIRE_TYPE_DATA ||
		    pkt.type > QRTR_WIRE_TYPE_MAX)
			abort();
		if (pkt.size > QRTR_WIRE_MAX_PAYLOAD)
			abort();
		if (pkt.version == 1) {
			qrtr_wire_build_v1(&h, pkt.type, pkt.src_node,
					   pkt.src_port, pkt.dst_node,
					   pkt.dst_port, pkt.size,
					   pkt.confirm_rx);
			/* confirm_rx is normalised to 0/1 */
			if (memcmp(&h, copy, offsetof(struct qrtr_wire_hdr_v1,
						      confirm_rx)) ||
			    memcmp(&h.size, copy + 20, 12))
				abort();
		}
	}
	free(copy);
	return 0;
}
