// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the BAM-DMUX mux header: parse arbitrary bytes as one
 * DMA transfer; anything accepted must satisfy the invariants the kernel
 * relies on, and a DATA frame must re-frame to the same header and payload.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <socbpf/bam_dmux_wire.h>

int LLVMFuzzerTestOneInput(const uint8_t *in, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *in, size_t size)
{
	static u8 out[BAM_DMUX_WIRE_BUF_SIZE], buf[BAM_DMUX_WIRE_BUF_SIZE];
	const u8 *data = buf;
	struct bam_dmux_wire_frame f;
	int err, n;

	if (size > BAM_DMUX_WIRE_BUF_SIZE)
		size = BAM_DMUX_WIRE_BUF_SIZE;	/* one receive buffer */
	memcpy(buf, in, size);
	/* half the inputs get the magic, so the checks behind it are reached */
	if (size >= 8 && (in[2] & 0x80)) {
		buf[0] = 0xfc;
		buf[1] = 0x33;
	}
	err = bam_dmux_wire_parse(data, size, &f);
	if (err < 0 || err >= BAM_DMUX_WIRE_NR_ERR)
		abort();
	if (err)
		return 0;
	if (f.ch >= BAM_DMUX_WIRE_NUM_CH || f.cmd > BAM_DMUX_WIRE_CMD_CLOSE)
		abort();
	if (f.cmd != BAM_DMUX_WIRE_CMD_DATA)
		return 0;
	if (f.len == 0 || f.len > BAM_DMUX_WIRE_MAX_DATA ||
	    BAM_DMUX_WIRE_HDR_SIZE + f.len + f.pad != size || f.pad > 4)
		abort();
	n = bam_dmux_wire_build(out, sizeof(out), f.cmd, f.ch,
				data + BAM_DMUX_WIRE_HDR_SIZE, f.len);
	if (f.pad == 4) {
		/* upstream-style padding: ours is 0 for an aligned payload */
		if (n != (int)size - 4)
			abort();
	} else if (n != (int)size) {
		abort();
	}
	if (out[3] != data[3] || out[5] != data[5] || memcmp(out + 6, data + 6, 2) ||
	    memcmp(out + 8, data + 8, f.len))
		abort();
	return 0;
}
