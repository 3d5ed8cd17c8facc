// SPDX-License-Identifier: GPL-2.0
/*
 * Host unit tests of qrtr_wire_parse() / qrtr_wire_build_v1(): good v1 and
 * v2 frames, every error reason, boundary sizes.  Every frame is parsed from
 * a heap buffer of exactly its length so ASan catches any over-read.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <socbpf/qrtr_wire.h>

static int test_n, test_failed;

static void ok(int cond, const char *desc)
{
	test_n++;
	if (!cond)
		test_failed++;
	printf("%sok %d - %s\n", cond ? "" : "not ", test_n, desc);
}

/* Parse a private copy of exactly @len bytes. */
static int parse(const void *buf, size_t len, struct qrtr_wire_pkt *pkt)
{
	void *copy = malloc(len ? len : 1);
	int rc;

	memcpy(copy, buf, len);
	rc = qrtr_wire_parse(copy, len, pkt);
	free(copy);
	return rc;
}

static u8 frame[sizeof(struct qrtr_wire_hdr_v1) + QRTR_WIRE_MAX_PAYLOAD + 8];

/* Build a v1 frame in @frame; returns its length (payload padded). */
static size_t v1(u32 type, u32 dst_port, u32 size, const void *pl, size_t plen)
{
	struct qrtr_wire_hdr_v1 *h = (void *)frame;

	memset(frame, 0, sizeof(frame));
	qrtr_wire_build_v1(h, type, 7, 0x4001, 1, dst_port, size, false);
	if (pl)
		memcpy(frame + sizeof(*h), pl, plen);
	return sizeof(*h) + SOCBPF_ALIGN4(size);
}

static size_t ctrl(u32 cmd, u32 size)
{
	struct qrtr_wire_ctrl c;

	memset(&c, 0, sizeof(c));
	c.cmd = cpu_to_le32(cmd);
	c.server.service = cpu_to_le32(42);
	return v1(cmd, QRTR_WIRE_PORT_CTRL, size, &c,
		  size < sizeof(c) ? size : sizeof(c));
}

static size_t v2(u8 type, u8 flags, u8 optlen, u16 size, u16 dnode,
		 u16 dport, int padded)
{
	struct qrtr_wire_hdr_v2 h;

	memset(frame, 0, sizeof(frame));
	memset(&h, 0, sizeof(h));
	h.version = QRTR_WIRE_PROTO_VER_2;
	h.type = type;
	h.flags = flags;
	h.optlen = optlen;
	h.size = cpu_to_le32(size);
	h.src_node_id = cpu_to_le16(7);
	h.src_port_id = cpu_to_le16(0xfffe);
	h.dst_node_id = cpu_to_le16(dnode);
	h.dst_port_id = cpu_to_le16(dport);
	memcpy(frame, &h, sizeof(h));
	return sizeof(h) + optlen + (padded ? SOCBPF_ALIGN4(size) : size);
}

int main(void)
{
	struct qrtr_wire_pkt pkt;
	size_t len, i;
	int rc, all;

	printf("TAP version 13\n1..38\n");

	/* ---- good v1 ---- */
	len = v1(QRTR_WIRE_TYPE_DATA, 0x4000, 5, "hello", 5);
	rc = parse(frame, len, &pkt);
	ok(rc == QRTR_WIRE_OK && pkt.version == 1 &&
	   pkt.type == QRTR_WIRE_TYPE_DATA && pkt.size == 5 &&
	   pkt.hdrlen == 32 && len == 40, "v1 DATA, 5 bytes padded to 8");
	ok(pkt.src_node == 7 && pkt.src_port == 0x4001 && pkt.dst_node == 1 &&
	   pkt.dst_port == 0x4000 && !pkt.confirm_rx, "v1 addresses decoded");
	ok(!memcmp(frame + pkt.hdrlen, "hello", 5), "payload at hdrlen");
	len = v1(QRTR_WIRE_TYPE_DATA, 1, 8, "abcdefgh", 8);
	ok(parse(frame, len, &pkt) == QRTR_WIRE_OK && len == 40,
	   "v1 DATA, 8 bytes, no padding");
	qrtr_wire_build_v1((void *)frame, QRTR_WIRE_TYPE_DATA, 7, 1, 1, 2, 4,
			   true);
	ok(parse(frame, 36, &pkt) == QRTR_WIRE_OK && pkt.confirm_rx == 1,
	   "v1 confirm_rx decoded");
	len = v1(QRTR_WIRE_TYPE_DATA, 1, QRTR_WIRE_MAX_PAYLOAD, NULL, 0);
	ok(parse(frame, len, &pkt) == QRTR_WIRE_OK &&
	   pkt.size == QRTR_WIRE_MAX_PAYLOAD, "v1 largest payload (64 KiB)");
	len = v1(QRTR_WIRE_TYPE_DATA, 1, 1, "x", 1);
	ok(parse(frame, len, &pkt) == QRTR_WIRE_OK && len == 36,
	   "v1 smallest DATA (1 byte)");

	/* ---- good control ---- */
	ok(parse(frame, ctrl(QRTR_WIRE_TYPE_HELLO, 4), &pkt) == QRTR_WIRE_OK,
	   "HELLO with only the command word");
	ok(parse(frame, ctrl(QRTR_WIRE_TYPE_BYE, 20), &pkt) == QRTR_WIRE_OK,
	   "BYE with a whole ctrl packet");
	ok(parse(frame, ctrl(QRTR_WIRE_TYPE_NEW_SERVER, 20), &pkt) ==
	   QRTR_WIRE_OK, "NEW_SERVER with 20 bytes");
	ok(parse(frame, ctrl(QRTR_WIRE_TYPE_DEL_CLIENT, 12), &pkt) ==
	   QRTR_WIRE_OK, "DEL_CLIENT with 12 bytes");
	len = ctrl(QRTR_WIRE_TYPE_RESUME_TX, 20);
	((struct qrtr_wire_hdr_v1 *)frame)->dst_port_id = cpu_to_le32(0x4000);
	ok(parse(frame, len, &pkt) == QRTR_WIRE_OK,
	   "RESUME_TX to a data port");

	/* ---- SHORT ---- */
	ok(parse(frame, 0, &pkt) == QRTR_WIRE_ERR_SHORT, "empty frame: short");
	len = v1(QRTR_WIRE_TYPE_DATA, 1, 4, "abcd", 4);
	ok(parse(frame, 1, &pkt) == QRTR_WIRE_ERR_SHORT, "1 byte v1: short");
	ok(parse(frame, 31, &pkt) == QRTR_WIRE_ERR_SHORT,
	   "31 byte v1 (header is 32): short");
	v2(QRTR_WIRE_TYPE_DATA, 0, 0, 4, 1, 1, 1);
	ok(parse(frame, 15, &pkt) == QRTR_WIRE_ERR_SHORT,
	   "15 byte v2 (header is 16): short");

	/* ---- VERSION ---- */
	frame[0] = 2;
	ok(parse(frame, 36, &pkt) == QRTR_WIRE_ERR_VERSION, "version 2");
	frame[0] = 0;
	ok(parse(frame, 36, &pkt) == QRTR_WIRE_ERR_VERSION, "version 0");
	len = v1(QRTR_WIRE_TYPE_DATA, 1, 4, "abcd", 4);
	frame[1] = 1;
	ok(parse(frame, len, &pkt) == QRTR_WIRE_ERR_VERSION,
	   "v1 with junk in the upper version bytes");

	/* ---- SIZE ---- */
	len = v1(QRTR_WIRE_TYPE_DATA, 1, 5, "hello", 5);
	ok(parse(frame, 37, &pkt) == QRTR_WIRE_ERR_SIZE,
	   "v1 payload not padded: size");
	ok(parse(frame, len + 4, &pkt) == QRTR_WIRE_ERR_SIZE,
	   "v1 trailing bytes: size");
	ok(parse(frame, len - 4, &pkt) == QRTR_WIRE_ERR_SIZE,
	   "v1 truncated payload: size");
	len = v1(QRTR_WIRE_TYPE_DATA, 1, QRTR_WIRE_MAX_PAYLOAD + 1, NULL, 0);
	ok(parse(frame, sizeof(frame), &pkt) == QRTR_WIRE_ERR_SIZE,
	   "payload over 64 KiB: size");
	v1(QRTR_WIRE_TYPE_DATA, 1, 0xfffffffdu, NULL, 0);
	ok(parse(frame, 32, &pkt) == QRTR_WIRE_ERR_SIZE,
	   "size near 2^32 does not wrap: size");
	len = v1(QRTR_WIRE_TYPE_DATA, 1, 0, NULL, 0);
	ok(parse(frame, len, &pkt) == QRTR_WIRE_ERR_SIZE, "empty DATA: size");

	/* ---- TYPE ---- */
	len = v1(0, 1, 4, "abcd", 4);
	ok(parse(frame, len, &pkt) == QRTR_WIRE_ERR_TYPE, "type 0");
	len = v1(QRTR_WIRE_TYPE_MAX + 1, 1, 4, "abcd", 4);
	ok(parse(frame, len, &pkt) == QRTR_WIRE_ERR_TYPE, "type 12");

	/* ---- CTRL ---- */
	len = ctrl(QRTR_WIRE_TYPE_NEW_SERVER, 20);
	((struct qrtr_wire_hdr_v1 *)frame)->dst_port_id = cpu_to_le32(5);
	ok(parse(frame, len, &pkt) == QRTR_WIRE_ERR_CTRL,
	   "NEW_SERVER to a data port: ctrl");
	len = ctrl(QRTR_WIRE_TYPE_NEW_SERVER, 16);
	ok(parse(frame, len, &pkt) == QRTR_WIRE_ERR_CTRL,
	   "NEW_SERVER with 16 bytes: ctrl");
	len = ctrl(QRTR_WIRE_TYPE_HELLO, 20);
	frame[32] = QRTR_WIRE_TYPE_BYE;
	ok(parse(frame, len, &pkt) == QRTR_WIRE_ERR_CTRL,
	   "command word disagrees with the header type: ctrl");
	len = ctrl(QRTR_WIRE_TYPE_HELLO, 0);
	ok(parse(frame, len, &pkt) == QRTR_WIRE_ERR_CTRL,
	   "HELLO without command word: ctrl");
	ok(parse(frame, ctrl(QRTR_WIRE_TYPE_DEL_CLIENT, 8), &pkt) ==
	   QRTR_WIRE_ERR_CTRL, "DEL_CLIENT with 8 bytes: ctrl");
	len = ctrl(QRTR_WIRE_TYPE_RESUME_TX, 4);
	ok(parse(frame, len, &pkt) == QRTR_WIRE_ERR_CTRL,
	   "RESUME_TX without client: ctrl");

	/* ---- v2 ---- */
	len = v2(QRTR_WIRE_TYPE_DATA, QRTR_WIRE_FLAGS_CONFIRM_RX, 0, 5, 1,
		 0x4000, 0);
	rc = parse(frame, len, &pkt);
	ok(rc == QRTR_WIRE_OK && pkt.version == 2 && pkt.size == 5 &&
	   pkt.hdrlen == 16 && pkt.confirm_rx == 1 &&
	   pkt.src_port == QRTR_WIRE_PORT_CTRL,
	   "v2 DATA unpadded, flags, widened ctrl source port");
	len = v2(QRTR_WIRE_TYPE_DATA, 0, 8, 5, 0xffff, 9, 1);
	rc = parse(frame, len, &pkt);
	ok(rc == QRTR_WIRE_OK && pkt.hdrlen == 24 &&
	   pkt.dst_node == QRTR_WIRE_NODE_BCAST,
	   "v2 with options, padded, broadcast node widened");
	len = v2(QRTR_WIRE_TYPE_DATA, 0, 255, 4, 1, 1, 1);
	ok(parse(frame, 16 + 4, &pkt) == QRTR_WIRE_ERR_SIZE,
	   "v2 optlen past the end: size");

	/* ---- builder and names ---- */
	ok(!strcmp(qrtr_wire_err_name(QRTR_WIRE_ERR_CTRL), "ctrl") &&
	   !strcmp(qrtr_wire_err_name(99), "unknown"), "error names");

	/* every truncation of a good frame is rejected, never read past */
	len = ctrl(QRTR_WIRE_TYPE_NEW_SERVER, 20);
	all = 1;
	for (i = 0; i < len; i++)
		all &= parse(frame, i, &pkt) != QRTR_WIRE_OK;
	ok(all, "every truncation of a NEW_SERVER frame is rejected");

	return test_failed ? 1 : 0;
}
