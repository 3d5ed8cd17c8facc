/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * BAM-DMUX mux header, as in upstream drivers/net/wwan/qcom_bam_dmux.c
 * (struct bam_dmux_hdr, BAM_DMUX_HDR_MAGIC, the BAM_DMUX_CMD_* and
 * BAM_DMUX_CH_* enums, BAM_DMUX_BUFFER_SIZE, BAM_DMUX_NUM_SKB):
 *
 *   offset 0  u16 magic    0x33fc
 *   offset 2  u8  signal   0 (the downstream driver's OPEN carries flags here)
 *   offset 3  u8  cmd      0 DATA, 1 OPEN, 2 CLOSE
 *   offset 4  u8  pad      bytes of padding after the payload
 *   offset 5  u8  ch       channel, 0..7
 *   offset 6  u16 len      payload length, padding excluded
 *
 * Upstream uses host-endian u16s on little-endian SoCs: little-endian here.
 * One DMA transfer carries one frame of at most 2048 bytes (the size of each
 * of the 32 receive buffers): header, payload, padding.
 *
 * Padding: the payload is padded to a multiple of 4 bytes.  The modem
 * firmware's side (and Qualcomm's downstream msm bam_dmux) writes
 * pad = (4 - len % 4) % 4, i.e. 0..3; upstream's transmit path computes
 * 4 - len % 4 and so writes 4 bytes of padding for an aligned payload.  The
 * receiver (bam_dmux_wire_parse) accepts both, and insists that header,
 * payload and padding add up to the length the DMA transfer reported.
 *
 * Shared by the kernel module, the modem emulator (tools/bam-modem), the
 * host unit test and the fuzzer.  Everything handed to bam_dmux_wire_parse()
 * is untrusted; it never reads past @xfer_len and says why it rejected.
 */
#ifndef _SOCBPF_BAM_DMUX_WIRE_H
#define _SOCBPF_BAM_DMUX_WIRE_H

#include "compat.h"

#define BAM_DMUX_WIRE_MAGIC		0x33fc
#define BAM_DMUX_WIRE_HDR_SIZE		8u
#define BAM_DMUX_WIRE_BUF_SIZE		2048u
#define BAM_DMUX_WIRE_MAX_DATA		(BAM_DMUX_WIRE_BUF_SIZE - BAM_DMUX_WIRE_HDR_SIZE)
#define BAM_DMUX_WIRE_NUM_BUFS		32u
#define BAM_DMUX_WIRE_NUM_CH		8u
/* Most padding a sender may add: 3 (modem, downstream) or 4 (upstream tx). */
#define BAM_DMUX_WIRE_MAX_PAD		4u

enum bam_dmux_wire_cmd {
	BAM_DMUX_WIRE_CMD_DATA		= 0,
	BAM_DMUX_WIRE_CMD_OPEN		= 1,
	BAM_DMUX_WIRE_CMD_CLOSE		= 2,
};

struct bam_dmux_wire_hdr {
	__le16 magic;
	u8 signal;
	u8 cmd;
	u8 pad;
	u8 ch;
	__le16 len;
} __packed;

/* Why a frame was rejected; 0 is accepted.  Also the drop reasons. */
enum bam_dmux_wire_err {
	BAM_DMUX_WIRE_OK = 0,
	BAM_DMUX_WIRE_ESHORT,		/* transfer shorter than the header */
	BAM_DMUX_WIRE_EMAGIC,		/* magic is not 0x33fc */
	BAM_DMUX_WIRE_ECHAN,		/* channel >= 8 */
	BAM_DMUX_WIRE_ECMD,		/* unknown command */
	BAM_DMUX_WIRE_EZERO,		/* DATA with a zero length */
	BAM_DMUX_WIRE_ETOOBIG,		/* len larger than a buffer can hold */
	BAM_DMUX_WIRE_EPAD,		/* pad does not pad the payload to 4 bytes */
	BAM_DMUX_WIRE_ELEN,		/* header + len + pad != transfer length */
	BAM_DMUX_WIRE_NR_ERR,
};

static inline const char *bam_dmux_wire_err_name(int err)
{
	static const char * const names[] = {
		"ok", "short", "magic", "channel", "cmd", "zero_len",
		"too_long", "pad", "length",
	};

	if (err < 0 || err >= BAM_DMUX_WIRE_NR_ERR)
		return "?";
	return names[err];
}

/* Parsed header, host byte order. */
struct bam_dmux_wire_frame {
	u8 signal;
	u8 cmd;
	u8 pad;
	u8 ch;
	u16 len;		/* payload bytes at offset BAM_DMUX_WIRE_HDR_SIZE */
};

/*
 * bam_dmux_wire_pad() - padding the modem side writes after @len bytes
 */
static inline unsigned int bam_dmux_wire_pad(unsigned int len)
{
	return (4u - (len & 3u)) & 3u;
}

/*
 * bam_dmux_wire_parse() - validate one received frame
 * @buf:      the frame as the DMA transfer left it
 * @xfer_len: bytes the transfer carried (at most the buffer size)
 * @f:        parsed header, filled in when the frame is accepted
 *
 * DATA frames must carry 1..BAM_DMUX_WIRE_MAX_DATA payload bytes, with
 * padding that makes the payload a multiple of 4 bytes (pad 4 is accepted
 * for an aligned payload, as upstream's sender writes) and nothing after it.
 * OPEN and CLOSE carry no payload; their len and pad are not checked (the
 * downstream driver puts flags in signal), only that the header is there.
 *
 * Return: BAM_DMUX_WIRE_OK or a BAM_DMUX_WIRE_E* reason (positive).
 */
static inline int bam_dmux_wire_parse(const void *buf, size_t xfer_len,
				      struct bam_dmux_wire_frame *f)
{
	struct bam_dmux_wire_hdr h;
	unsigned int len, pad;

	if (xfer_len < BAM_DMUX_WIRE_HDR_SIZE)
		return BAM_DMUX_WIRE_ESHORT;
	memcpy(&h, buf, sizeof(h));
	if (le16_to_cpu(h.magic) != BAM_DMUX_WIRE_MAGIC)
		return BAM_DMUX_WIRE_EMAGIC;
	if (h.ch >= BAM_DMUX_WIRE_NUM_CH)
		return BAM_DMUX_WIRE_ECHAN;
	if (h.cmd > BAM_DMUX_WIRE_CMD_CLOSE)
		return BAM_DMUX_WIRE_ECMD;
	len = le16_to_cpu(h.len);
	pad = h.pad;
	if (h.cmd == BAM_DMUX_WIRE_CMD_DATA) {
		if (len == 0)
			return BAM_DMUX_WIRE_EZERO;
		if (len > BAM_DMUX_WIRE_MAX_DATA)
			return BAM_DMUX_WIRE_ETOOBIG;
		if (pad != bam_dmux_wire_pad(len) &&
		    !(pad == 4 && (len & 3u) == 0))
			return BAM_DMUX_WIRE_EPAD;
		if (BAM_DMUX_WIRE_HDR_SIZE + len + pad != xfer_len)
			return BAM_DMUX_WIRE_ELEN;
	}
	f->signal = h.signal;
	f->cmd = h.cmd;
	f->pad = pad;
	f->ch = h.ch;
	f->len = h.cmd == BAM_DMUX_WIRE_CMD_DATA ? len : 0;
	return BAM_DMUX_WIRE_OK;
}

/*
 * bam_dmux_wire_hdr_fill() - fill a header for @len payload bytes
 * @pad: padding that follows the payload (bam_dmux_wire_pad(len) normally)
 */
static inline void bam_dmux_wire_hdr_fill(struct bam_dmux_wire_hdr *h, u8 cmd,
					  u8 ch, unsigned int len,
					  unsigned int pad)
{
	h->magic = cpu_to_le16(BAM_DMUX_WIRE_MAGIC);
	h->signal = 0;
	h->cmd = cmd;
	h->pad = pad;
	h->ch = ch;
	h->len = cpu_to_le16(len);
}

/*
 * bam_dmux_wire_build() - frame @len payload bytes for channel @ch
 * @out:  destination, @size bytes
 *
 * Return: frame length (header, payload, padding to 4 bytes), or -EMSGSIZE
 * when it does not fit @size or one receive buffer.
 */
static inline int bam_dmux_wire_build(void *out, size_t size, u8 cmd, u8 ch,
				      const void *payload, unsigned int len)
{
	unsigned int pad = bam_dmux_wire_pad(len);
	size_t total = BAM_DMUX_WIRE_HDR_SIZE + len + pad;
	struct bam_dmux_wire_hdr h;
	u8 *p = out;

	if (total > size || total > BAM_DMUX_WIRE_BUF_SIZE)
		return -EMSGSIZE;
	bam_dmux_wire_hdr_fill(&h, cmd, ch, len, pad);
	memcpy(p, &h, sizeof(h));
	if (len)
		memcpy(p + BAM_DMUX_WIRE_HDR_SIZE, payload, len);
	memset(p + BAM_DMUX_WIRE_HDR_SIZE + len, 0, pad);
	return (int)total;
}

#endif /* _SOCBPF_BAM_DMUX_WIRE_H */
