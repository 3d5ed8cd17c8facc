// SPDX-License-Identifier: GPL-2.0
/* Host unit tests for include/socbpf/scmi_wire.h (kselftest TAP). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <socbpf/scmi_wire.h>
#include "unit_tap.h"

#define N_TESTS 31

int main(void)
{
	struct scmi_wire_hdr h = { 0 }, u;
	struct scmi_wire_msg m;
	uint8_t buf[SCMI_WIRE_MAX_MSG + 8], pl[SCMI_WIRE_MAX_PAYLOAD + 1];
	char name[SCMI_NAME_LEN + 1];
	unsigned int t, bad = 0;
	int n;

	printf("TAP version 13\n1..%d\n", N_TESTS);

	/* Bit layout: msg 0-7, type 8-9, proto 10-17, token 18-27. */
	h.msg_id = 0x06;
	h.type = SCMI_WIRE_TYPE_DELAYED_RESP;
	h.proto_id = 0x15;
	h.token = 0x3ff;
	check(scmi_wire_pack(&h) == (0x06u | (2u << 8) | (0x15u << 10) |
				     (0x3ffu << 18)),
	      "pack puts fields at the virtio-scmi bit positions");
	check(scmi_wire_pack(&h) == 0x0ffc5606u, "pack of a known header");
	scmi_wire_unpack(0x0ffc5606u, &u);
	check(u.msg_id == 6 && u.type == 2 && u.proto_id == 0x15 &&
	      u.token == 0x3ff, "unpack of a known header");

	for (t = 0; t < SCMI_WIRE_NR_TOKENS; t++) {
		h.token = (uint16_t)t;
		h.msg_id = (uint8_t)(t * 7);
		h.proto_id = (uint8_t)(t * 13);
		h.type = t & 3;
		scmi_wire_unpack(scmi_wire_pack(&h), &u);
		if (u.token != h.token || u.msg_id != h.msg_id ||
		    u.proto_id != h.proto_id || u.type != h.type)
			bad++;
	}
	check(!bad, "pack/unpack round trip for all 1024 tokens");
	h.token = 0xffff;
	check(!(scmi_wire_pack(&h) & SCMI_WIRE_RSVD_MASK),
	      "oversized token is masked to 10 bits, reserved bits stay 0");

	/* Little-endian on the wire whatever the host order. */
	scmi_wire_put_le32(buf, 0x11223344u);
	check(buf[0] == 0x44 && buf[3] == 0x11 &&
	      scmi_wire_get_le32(buf) == 0x11223344u, "le32 helpers");

	/* Build + parse a response. */
	h = (struct scmi_wire_hdr){ .msg_id = 1, .type = 0, .proto_id = 0x10,
				    .token = 42 };
	scmi_wire_put_le32(pl, (uint32_t)SCMI_ERR_PARAMS);
	scmi_wire_put_le32(pl + 4, 0xdeadbeef);
	n = scmi_wire_build(buf, sizeof(buf), &h, pl, 8);
	check(n == 12, "build returns header + payload length");
	check(scmi_wire_parse(buf, (size_t)n, true, &m) == SCMI_WIRE_OK &&
	      m.hdr.token == 42 && m.hdr.proto_id == 0x10 &&
	      m.payload_len == 8 && m.status == SCMI_ERR_PARAMS,
	      "parse a response with a negative status");
	check(scmi_wire_get_le32(m.payload + 4) == 0xdeadbeef,
	      "payload points after the header");

	/* Malformed inputs */
	check(scmi_wire_parse(buf, 0, true, &m) == SCMI_WIRE_ESHORT,
	      "empty message is short");
	check(scmi_wire_parse(buf, 3, true, &m) == SCMI_WIRE_ESHORT,
	      "3-byte message is short");
	check(scmi_wire_parse(NULL, 8, true, &m) == SCMI_WIRE_ESHORT,
	      "NULL buffer rejected");
	check(scmi_wire_parse(buf, SCMI_WIRE_MAX_MSG + 1, true, &m) ==
	      SCMI_WIRE_ELONG, "oversized message rejected");
	check(scmi_wire_parse(buf, 4, true, &m) == SCMI_WIRE_ENOSTATUS,
	      "response without status rejected");
	check(scmi_wire_parse(buf, 7, true, &m) == SCMI_WIRE_ENOSTATUS,
	      "response with a partial status rejected");
	h.type = SCMI_WIRE_TYPE_RESERVED;
	scmi_wire_build(buf, sizeof(buf), &h, pl, 8);
	check(scmi_wire_parse(buf, 12, true, &m) == SCMI_WIRE_ETYPE,
	      "reserved message type rejected");
	scmi_wire_put_le32(buf, 0x10000000u);
	check(scmi_wire_parse(buf, 12, true, &m) == SCMI_WIRE_ERSVD,
	      "reserved header bits rejected");

	/* Notifications have no status; commands may not come from platform */
	h.type = SCMI_WIRE_TYPE_NOTIFICATION;
	n = scmi_wire_build(buf, sizeof(buf), &h, NULL, 0);
	check(n == 4 && scmi_wire_parse(buf, 4, true, &m) == SCMI_WIRE_OK &&
	      m.payload_len == 0, "empty notification accepted");
	check(scmi_wire_parse(buf, 4, false, &m) == SCMI_WIRE_EDIR,
	      "notification is not a valid A2P command");
	h.type = SCMI_WIRE_TYPE_COMMAND;
	n = scmi_wire_build(buf, sizeof(buf), &h, NULL, 0);
	check(scmi_wire_parse(buf, (size_t)n, false, &m) == SCMI_WIRE_OK,
	      "A2P command without payload accepted");

	/* Build limits */
	memset(pl, 0, sizeof(pl));
	check(scmi_wire_build(buf, sizeof(buf), &h, pl,
			      SCMI_WIRE_MAX_PAYLOAD + 1) == -EMSGSIZE,
	      "build refuses oversized payload");
	check(scmi_wire_build(buf, 10, &h, pl, 8) == -EMSGSIZE,
	      "build refuses a too small buffer");
	check(scmi_wire_build(buf, sizeof(buf), &h, NULL, 4) == -EINVAL,
	      "build refuses NULL payload with a length");
	n = scmi_wire_build(buf, sizeof(buf), &h, pl, SCMI_WIRE_MAX_PAYLOAD);
	check(n == (int)SCMI_WIRE_MAX_MSG &&
	      scmi_wire_parse(buf, (size_t)n, true, &m) == SCMI_WIRE_OK,
	      "maximum size message round trips");

	/* Status mapping */
	check(scmi_wire_status_to_errno(SCMI_SUCCESS) == 0 &&
	      scmi_wire_status_to_errno(SCMI_ERR_SUPPORT) == -EOPNOTSUPP &&
	      scmi_wire_status_to_errno(SCMI_ERR_BUSY) == -EBUSY &&
	      scmi_wire_status_to_errno(SCMI_ERR_RANGE) == -ERANGE,
	      "SCMI status to errno");
	check(scmi_wire_status_to_errno(-100) == -EPROTO &&
	      scmi_wire_status_to_errno(5) == -EPROTO,
	      "unknown status maps to -EPROTO");

	/* Sensor unit exponent */
	check(scmi_wire_sext5(0x1d) == -3 && scmi_wire_sext5(3) == 3 &&
	      scmi_wire_sext5(0x10) == -16 && scmi_wire_sext5(0xf) == 15,
	      "5-bit sign extension");
	check(SCMI_SENSOR_ATTRH_SCALE(2u | (0x1du << 11)) == 0x1d &&
	      SCMI_SENSOR_ATTRH_TYPE(2u | (0x1du << 11)) == 2,
	      "sensor attributes_high fields");

	/* Names */
	scmi_wire_name(name, (const uint8_t *)"soc_temp\0\0\0\0\0\0\0\0");
	check(!strcmp(name, "soc_temp"), "NUL-padded name");
	scmi_wire_name(name, (const uint8_t *)"0123456789abcdef");
	check(strlen(name) == 16 && !strcmp(name, "0123456789abcdef"),
	      "16-byte name without NUL is terminated");
	scmi_wire_name(name, (const uint8_t *)"a\nb\x1b[c\x7f\0\0\0\0\0\0\0\0\0");
	check(!strcmp(name, "a?b?[c?"), "control characters replaced");

	if (n_test != N_TESTS)
		printf("# planned %d, ran %d\n", N_TESTS, n_test);
	printf("# %d passed, %d failed\n", n_test - n_fail, n_fail);
	return n_fail || n_test != N_TESTS;
}
