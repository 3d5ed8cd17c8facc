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
 * Buffer sizes beyond upstream: Qualcomm's downstream msm bam_dmux
 * (drivers/soc/qcom/bam_dmux.c and bam_dmux_private.h: DYNAMIC_MTU_MASK,
 * MTU_SIZE_MASK/SHIFT, DL_POOL_SIZE_SHIFT, set_ul_mtu(),
 * create_open_signal(), process_dynamic_mtu()) negotiates larger DMA buffers
 * in the signal byte, which upstream leaves at 0:
 *
 *   bit 1 (0x02)     dynamic MTU: set in an OPEN, the sender supports it;
 *                    set in a DATA from the modem, the host queues buffers of
 *                    its announced size from now on (clear: 2 KiB again)
 *   bits 4-5 (0x30)  host's OPEN: its receive pool, 32 << code buffers
 *   bits 6-7 (0xc0)  modem's OPEN: the largest frame the host may send;
 *                    host's OPEN: the size of its receive buffers;
 *                    2 KiB << code (2, 4, 8 or 16 KiB)
 *
 * A modem that does not set bit 1 in its OPEN gets upstream's behaviour: 2 KiB
 * both ways, signal 0.  QMAP aggregation (several muxed packets in one
 * transfer) is what needs the larger buffers.
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
/* Largest buffer the signal byte can negotiate (code 3). */
#define BAM_DMUX_WIRE_MAX_BUF_SIZE	16384u
#define BAM_DMUX_WIRE_SIG_DYN_MTU	0x02
#define BAM_DMUX_WIRE_SIG_POOL_SHIFT	4
#define BAM_DMUX_WIRE_SIG_POOL_MASK	0x30
#define BAM_DMUX_WIRE_SIG_MTU_SHIFT	6
#define BAM_DMUX_WIRE_SIG_MTU_MASK	0xc0
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
 * bam_dmux_wire_sig_mtu() - the buffer size a signal byte announces
 * Return: 2048, 4096, 8192 or 16384 (2048 when bit 1 is clear).
 */
static inline unsigned int bam_dmux_wire_sig_mtu(u8 signal)
{
	if (!(signal & BAM_DMUX_WIRE_SIG_DYN_MTU))
		return BAM_DMUX_WIRE_BUF_SIZE;
	return BAM_DMUX_WIRE_BUF_SIZE <<
	       ((signal & BAM_DMUX_WIRE_SIG_MTU_MASK) >> BAM_DMUX_WIRE_SIG_MTU_SHIFT);
}

/*
 * bam_dmux_wire_sig_pool() - receive buffers a host's OPEN announces
 */
static inline unsigned int bam_dmux_wire_sig_pool(u8 signal)
{
	return 32u << ((signal & BAM_DMUX_WIRE_SIG_POOL_MASK) >>
		       BAM_DMUX_WIRE_SIG_POOL_SHIFT);
}

/*
 * bam_dmux_wire_sig_build() - an OPEN's signal byte with dynamic MTU
 * @mtu:  buffer size, rounded down to 2, 4, 8 or 16 KiB
 * @pool: buffers, rounded down to 32, 64, 128 or 256 (0 for a modem's OPEN)
 */
static inline u8 bam_dmux_wire_sig_build(unsigned int mtu, unsigned int pool)
{
	u8 m = 0, p = 0;

	while (m < 3 && (BAM_DMUX_WIRE_BUF_SIZE << (m + 1)) <= mtu)
		m++;
	while (p < 3 && (32u << (p + 1)) <= pool)
		p++;
	return BAM_DMUX_WIRE_SIG_DYN_MTU | (m << BAM_DMUX_WIRE_SIG_MTU_SHIFT) |
	       (p << BAM_DMUX_WIRE_SIG_POOL_SHIFT);
}

/*
 * bam_dmux_wire_pad() - padding the modem side writes after @len bytes
 */
static inline unsigned int bam_dmux_wire_pad(unsigned int len)
{
	return (4u - (len & 3u)) & 3u;
}

/*
 * bam_dmux_wire_parse_buf() - validate one received frame
 * @buf:      the frame as the DMA transfer left it
 * @xfer_len: bytes the transfer carried (at most the buffer size)
 * @buf_size: size of the buffer it was received in (2 KiB, or what the
 *            signal byte negotiated)
 * @f:        parsed header, filled in when the frame is accepted
 *
 * DATA frames must carry 1..@buf_size - 8 payload bytes, with
 * padding that makes the payload a multiple of 4 bytes (pad 4 is accepted
 * for an aligned payload, as upstream's sender writes) and nothing after it.
 * OPEN and CLOSE carry no payload; their len and pad are not checked (the
 * downstream driver puts flags in signal), only that the header is there.
 *
 * Return: BAM_DMUX_WIRE_OK or a BAM_DMUX_WIRE_E* reason (positive).
 */
static inline int bam_dmux_wire_parse_buf(const void *buf, size_t xfer_len,
					  size_t buf_size,
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
		if (len > buf_size - BAM_DMUX_WIRE_HDR_SIZE)
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

/* bam_dmux_wire_parse() - the same for a 2 KiB buffer (upstream's size) */
static inline int bam_dmux_wire_parse(const void *buf, size_t xfer_len,
				      struct bam_dmux_wire_frame *f)
{
	return bam_dmux_wire_parse_buf(buf, xfer_len, BAM_DMUX_WIRE_BUF_SIZE, f);
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
 * bam_dmux_wire_build_buf() - frame @len payload bytes for channel @ch
 * @out:  destination, @size bytes
 * @buf_size: the receiver's buffer size (bam_dmux_wire_build(): 2 KiB)
 *
 * Return: frame length (header, payload, padding to 4 bytes), or -EMSGSIZE
 * when it does not fit @size or one receive buffer of @buf_size.
 */
static inline int bam_dmux_wire_build_buf(void *out, size_t size,
					  size_t buf_size, u8 cmd, u8 ch,
					  const void *payload, unsigned int len)
{
	unsigned int pad = bam_dmux_wire_pad(len);
	size_t total = BAM_DMUX_WIRE_HDR_SIZE + len + pad;
	struct bam_dmux_wire_hdr h;
	u8 *p = out;

	if (total > size || total > buf_size || len > 0xffff)
		return -EMSGSIZE;
	bam_dmux_wire_hdr_fill(&h, cmd, ch, len, pad);
	memcpy(p, &h, sizeof(h));
	if (len)
		memcpy(p + BAM_DMUX_WIRE_HDR_SIZE, payload, len);
	memset(p + BAM_DMUX_WIRE_HDR_SIZE + len, 0, pad);
	return (int)total;
}

static inline int bam_dmux_wire_build(void *out, size_t size, u8 cmd, u8 ch,
				      const void *payload, unsigned int len)
{
	return bam_dmux_wire_build_buf(out, size, BAM_DMUX_WIRE_BUF_SIZE, cmd,
				       ch, payload, len);
}

#endif /* _SOCBPF_BAM_DMUX_WIRE_H */
