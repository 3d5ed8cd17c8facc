// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the SCMI message header and framing code: parse
 * arbitrary bytes in both directions, and check that anything accepted
 * re-frames to the identical bytes and parses back to the same message.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <socbpf/scmi_wire.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	u8 out[SCMI_WIRE_MAX_MSG];
	char name[SCMI_NAME_LEN + 1];
	struct scmi_wire_msg m, m2;
	int dir, n;

	if (size >= SCMI_NAME_LEN) {
		scmi_wire_name(name, data);
		if (strlen(name) > SCMI_NAME_LEN)
			abort();
	}
	for (dir = 0; dir < 2; dir++) {
		if (scmi_wire_parse(data, size, dir, &m))
			continue;
		if (m.payload_len + SCMI_WIRE_HDR_SIZE != size ||
		    m.payload != data + SCMI_WIRE_HDR_SIZE)
			abort();
		if (m.hdr.token > SCMI_WIRE_TOKEN_MAX ||
		    m.hdr.type == SCMI_WIRE_TYPE_RESERVED)
			abort();
		n = scmi_wire_build(out, sizeof(out), &m.hdr, m.payload,
				    m.payload_len);
		if (n < 0 || (size_t)n != size || memcmp(out, data, size))
			abort();
		if (scmi_wire_parse(out, (size_t)n, dir, &m2) ||
		    scmi_wire_pack(&m2.hdr) != scmi_wire_pack(&m.hdr) ||
		    m2.status != m.status)
			abort();
		(void)scmi_wire_status_to_errno(m.status);
		(void)scmi_wire_sext5(scmi_wire_get_le32(data));
	}
	return 0;
}
