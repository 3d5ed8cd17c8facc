// SPDX-License-Identifier: GPL-2.0
/*
 * Host unit test for include/socbpf/bam_dmux_wire.h: the layout and values
 * pinned against upstream drivers/net/wwan/qcom_bam_dmux.c (struct
 * bam_dmux_hdr { u16 magic; u8 signal; u8 cmd; u8 pad; u8 ch; u16 len; },
 * BAM_DMUX_HDR_MAGIC 0x33fc, BAM_DMUX_CMD_DATA/OPEN/CLOSE = 0/1/2,
 * BAM_DMUX_NUM_CH 8, BAM_DMUX_BUFFER_SIZE SZ_2K, BAM_DMUX_NUM_SKB 32,
 * BAM_DMUX_MAX_DATA_SIZE = buffer - header), and every rejection reason.
 *
 * The buffer-size negotiation is pinned against Qualcomm's downstream msm
 * bam_dmux (drivers/soc/qcom/bam_dmux_private.h: DYNAMIC_MTU_MASK 0x2,
 * MTU_SIZE_MASK 0xc0, MTU_SIZE_SHIFT 0x6, DL_POOL_SIZE_SHIFT 0x4;
 * bam_dmux.c: set_ul_mtu() maps code 0..3 to SZ_2K, SZ_4K, SZ_8K, SZ_16K,
 * create_open_signal() puts the pool code 0..3 for 32, 64, 128, 256
 * buffers at DL_POOL_SIZE_SHIFT and the receive size code at
 * MTU_SIZE_SHIFT, after DYNAMIC_MTU_MASK).
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <socbpf/bam_dmux_wire.h>

#include "unit_tap.h"

static int parse_bytes(const u8 *b, size_t n, struct bam_dmux_wire_frame *f)
{
	return bam_dmux_wire_parse(b, n, f);
}

/* a frame with arbitrary header fields, payload zeroed */
static size_t mk(u8 *b, u16 magic, u8 cmd, u8 pad, u8 ch, u16 len, size_t total)
{
	memset(b, 0, total > 8 ? total : 8);
	b[0] = magic & 0xff;
	b[1] = magic >> 8;
	b[2] = 0;
	b[3] = cmd;
	b[4] = pad;
	b[5] = ch;
	b[6] = len & 0xff;
	b[7] = len >> 8;
	return total;
}

int main(void)
{
	static u8 b[32768], payload[2048];
	struct bam_dmux_wire_frame f;
	int n, ok, len;

	printf("TAP version 13\n1..27\n");

	/* upstream's values and layout */
	check(BAM_DMUX_WIRE_MAGIC == 0x33fc, "magic is 0x33fc (BAM_DMUX_HDR_MAGIC)");
	check(sizeof(struct bam_dmux_wire_hdr) == 8 && BAM_DMUX_WIRE_HDR_SIZE == 8,
	      "header is 8 bytes");
	check(offsetof(struct bam_dmux_wire_hdr, magic) == 0 &&
	      offsetof(struct bam_dmux_wire_hdr, signal) == 2 &&
	      offsetof(struct bam_dmux_wire_hdr, cmd) == 3 &&
	      offsetof(struct bam_dmux_wire_hdr, pad) == 4 &&
	      offsetof(struct bam_dmux_wire_hdr, ch) == 5 &&
	      offsetof(struct bam_dmux_wire_hdr, len) == 6,
	      "field order magic, signal, cmd, pad, ch, len");
	check(BAM_DMUX_WIRE_CMD_DATA == 0 && BAM_DMUX_WIRE_CMD_OPEN == 1 &&
	      BAM_DMUX_WIRE_CMD_CLOSE == 2, "commands DATA 0, OPEN 1, CLOSE 2");
	check(BAM_DMUX_WIRE_NUM_CH == 8 && BAM_DMUX_WIRE_NUM_BUFS == 32 &&
	      BAM_DMUX_WIRE_BUF_SIZE == 2048 && BAM_DMUX_WIRE_MAX_DATA == 2040,
	      "8 channels, 32 buffers of 2 KiB, 2040 data bytes at most");

	/* wire bytes of a built frame: little-endian u16s */
	memset(payload, 0xab, sizeof(payload));
	n = bam_dmux_wire_build(b, sizeof(b), BAM_DMUX_WIRE_CMD_DATA, 3, payload, 5);
	check(n == 16 && b[0] == 0xfc && b[1] == 0x33 && b[2] == 0 && b[3] == 0 &&
	      b[4] == 3 && b[5] == 3 && b[6] == 5 && b[7] == 0 &&
	      b[13] == 0 && b[14] == 0 && b[15] == 0,
	      "DATA ch 3 len 5: fc 33 00 00 03 03 05 00, payload, 3 zero pad bytes");
	check(parse_bytes(b, n, &f) == BAM_DMUX_WIRE_OK && f.cmd == 0 && f.ch == 3 &&
	      f.len == 5 && f.pad == 3, "built frame parses back");

	ok = 1;
	for (len = 1; len <= (int)BAM_DMUX_WIRE_MAX_DATA; len++) {
		n = bam_dmux_wire_build(b, sizeof(b), 0, 7, payload, len);
		if (n != (int)SOCBPF_ALIGN4(8 + len) || n % 4 ||
		    parse_bytes(b, n, &f) != BAM_DMUX_WIRE_OK || f.len != len ||
		    memcmp(b + 8, payload, len))
			ok = 0;
	}
	check(ok, "every length 1..2040 builds 4-aligned and round-trips");
	check(bam_dmux_wire_build(b, sizeof(b), 0, 0, payload, 2041) == -EMSGSIZE,
	      "2041 payload bytes do not fit one buffer");
	check(bam_dmux_wire_build(b, 12, 0, 0, payload, 5) == -EMSGSIZE,
	      "build into a too small buffer: -EMSGSIZE");

	n = bam_dmux_wire_build(b, sizeof(b), BAM_DMUX_WIRE_CMD_OPEN, 1, NULL, 0);
	check(n == 8 && parse_bytes(b, n, &f) == BAM_DMUX_WIRE_OK &&
	      f.cmd == BAM_DMUX_WIRE_CMD_OPEN && f.ch == 1 && f.len == 0,
	      "OPEN ch 1 is a bare 8-byte header");
	n = bam_dmux_wire_build(b, sizeof(b), BAM_DMUX_WIRE_CMD_CLOSE, 7, NULL, 0);
	check(n == 8 && parse_bytes(b, n, &f) == BAM_DMUX_WIRE_OK &&
	      f.cmd == BAM_DMUX_WIRE_CMD_CLOSE && f.ch == 7, "CLOSE ch 7 parses");

	/* upstream's tx pads an aligned payload with 4 bytes: accepted */
	n = mk(b, 0x33fc, 0, 4, 0, 20, 8 + 20 + 4);
	check(parse_bytes(b, n, &f) == BAM_DMUX_WIRE_OK && f.len == 20,
	      "aligned payload with pad 4 (upstream's sender) accepted");
	n = mk(b, 0x33fc, 0, 0, 0, 20, 28);
	check(parse_bytes(b, n, &f) == BAM_DMUX_WIRE_OK, "aligned payload, pad 0");

	/* every rejection reason */
	check(parse_bytes(b, 0, &f) == BAM_DMUX_WIRE_ESHORT &&
	      parse_bytes(b, 7, &f) == BAM_DMUX_WIRE_ESHORT, "0 and 7 bytes: short");
	n = mk(b, 0xfc33, 0, 3, 0, 5, 16);
	check(parse_bytes(b, n, &f) == BAM_DMUX_WIRE_EMAGIC, "byte-swapped magic: magic");
	n = mk(b, 0x33fc, 0, 3, 8, 5, 16);
	check(parse_bytes(b, n, &f) == BAM_DMUX_WIRE_ECHAN, "channel 8: channel");
	n = mk(b, 0x33fc, 0, 3, 255, 5, 16);
	check(parse_bytes(b, n, &f) == BAM_DMUX_WIRE_ECHAN, "channel 255: channel");
	n = mk(b, 0x33fc, 3, 0, 0, 0, 8);
	check(parse_bytes(b, n, &f) == BAM_DMUX_WIRE_ECMD, "cmd 3: cmd");
	n = mk(b, 0x33fc, 0, 0, 0, 0, 8);
	check(parse_bytes(b, n, &f) == BAM_DMUX_WIRE_EZERO, "DATA len 0: zero_len");
	n = mk(b, 0x33fc, 0, 0, 0, 2041, 2048);
	check(parse_bytes(b, n, &f) == BAM_DMUX_WIRE_ETOOBIG, "len 2041: too_long");
	n = mk(b, 0x33fc, 0, 0, 0, 0xffff, 2048);
	check(parse_bytes(b, n, &f) == BAM_DMUX_WIRE_ETOOBIG, "len 65535: too_long");
	n = mk(b, 0x33fc, 0, 1, 0, 5, 14);
	check(parse_bytes(b, n, &f) == BAM_DMUX_WIRE_EPAD,
	      "len 5 pad 1 (frame matches, payload not 4-padded): pad");
	n = mk(b, 0x33fc, 0, 200, 0, 5, 213);
	check(parse_bytes(b, n, &f) == BAM_DMUX_WIRE_EPAD, "pad 200: pad");
	n = mk(b, 0x33fc, 0, 3, 0, 5, 20);
	check(parse_bytes(b, n, &f) == BAM_DMUX_WIRE_ELEN,
	      "header says 16 bytes, transfer carried 20: length");
	n = mk(b, 0x33fc, 0, 0, 0, 100, 16);
	check(parse_bytes(b, n, &f) == BAM_DMUX_WIRE_ELEN,
	      "len 100 in a 16-byte transfer: length (never reads past it)");
	/* negotiation (downstream msm bam_dmux's signal bits) */
	check(BAM_DMUX_WIRE_SIG_DYN_MTU == 0x2 && BAM_DMUX_WIRE_SIG_MTU_MASK == 0xc0 &&
	      BAM_DMUX_WIRE_SIG_MTU_SHIFT == 6 && BAM_DMUX_WIRE_SIG_POOL_SHIFT == 4,
	      "signal bits: DYNAMIC_MTU_MASK 0x2, MTU_SIZE_MASK 0xc0 >> 6, DL_POOL_SIZE_SHIFT 4");
	check(bam_dmux_wire_sig_mtu(0x02) == 2048 && bam_dmux_wire_sig_mtu(0x42) == 4096 &&
	      bam_dmux_wire_sig_mtu(0x82) == 8192 && bam_dmux_wire_sig_mtu(0xc2) == 16384,
	      "MTU codes 0..3: 2, 4, 8, 16 KiB (set_ul_mtu)");
	check(bam_dmux_wire_sig_mtu(0xc0) == 2048 && bam_dmux_wire_sig_mtu(0) == 2048,
	      "without DYNAMIC_MTU the size code means nothing: 2 KiB (upstream)");
	check(bam_dmux_wire_sig_build(16384, 32) == 0xc2 &&
	      bam_dmux_wire_sig_build(8192, 256) == 0xb2 &&
	      bam_dmux_wire_sig_build(4096, 64) == 0x52 &&
	      bam_dmux_wire_sig_build(2048, 0) == 0x02,
	      "OPEN signal as create_open_signal(): 16K/32 0xc2, 8K/256 0xb2, 4K/64 0x52");
	check(bam_dmux_wire_sig_build(5000, 100) == 0x52 &&
	      bam_dmux_wire_sig_build(100000, 1000) == 0xf2 &&
	      bam_dmux_wire_sig_pool(0x32) == 256 && bam_dmux_wire_sig_pool(0x02) == 32,
	      "sizes round down to a code, large ones stop at 16 KiB / 256 buffers");
	n = mk(b, BAM_DMUX_WIRE_MAGIC, 0, 0, 1, 16376, 8 + 16376);
	check(bam_dmux_wire_parse_buf(b, n, 16384, &f) == BAM_DMUX_WIRE_OK &&
	      f.len == 16376 && parse_bytes(b, n, &f) == BAM_DMUX_WIRE_ETOOBIG,
	      "16376 bytes: accepted in a 16 KiB buffer, too_long in a 2 KiB one");
	n = mk(b, BAM_DMUX_WIRE_MAGIC, 0, 0, 1, 16380, 8 + 16380);
	check(bam_dmux_wire_parse_buf(b, n, 16384, &f) == BAM_DMUX_WIRE_ETOOBIG,
	      "16380 bytes in a 16 KiB buffer: too_long");
	check(bam_dmux_wire_build_buf(b, sizeof(b), 16384, 0, 1, b + 20000, 9000) == 9008 &&
	      bam_dmux_wire_build_buf(b, sizeof(b), 8192, 0, 1, b + 20000, 9000) == -EMSGSIZE,
	      "building for a 16 KiB buffer: 9000 bytes fit, not in 8 KiB");

	check(!strcmp(bam_dmux_wire_err_name(BAM_DMUX_WIRE_EPAD), "pad") &&
	      !strcmp(bam_dmux_wire_err_name(BAM_DMUX_WIRE_ELEN), "length") &&
	      !strcmp(bam_dmux_wire_err_name(99), "?"), "reason names");

	return n_fail ? 1 : 0;
}
