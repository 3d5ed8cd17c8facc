/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * /dev/bam-dmux-modem: the far (modem) side of socbpf's software BAM.
 *
 * One opener at a time: the modem.  read() returns one frame the host
 * transmitted (one TX DMA transfer, header included); write() delivers one
 * frame to the host (one RX DMA transfer into the next free 2 KiB buffer
 * the host queued).  write() fails with ENOLINK while the host has no RX
 * buffers queued (it has not powered up its receive side), with EAGAIN when
 * all queued buffers are full (O_NONBLOCK; a blocking write waits) and with
 * EMSGSIZE for more than one buffer.  poll(): POLLIN a frame to read,
 * POLLOUT an RX buffer free, POLLPRI the host changed its state bits.
 *
 * State bits, like the SMSM/SMP2P bits between a real SoC and its modem:
 * the host drives BAM_DMUX_HOST_* (its power vote and its acknowledgment of
 * the modem's power control, which toggles), the modem drives
 * BAM_DMUX_MODEM_* (its power control, "pc", and the acknowledgment of the
 * host's vote, "pc-ack", which toggles).
 */
#ifndef _UAPI_LINUX_SOCBPF_BAM_DMUX_H
#define _UAPI_LINUX_SOCBPF_BAM_DMUX_H

#include <linux/ioctl.h>
#include <linux/types.h>

#define BAM_DMUX_HOST_POWER_VOTE	(1u << 0)
#define BAM_DMUX_HOST_POWER_ACK		(1u << 1)	/* toggles */

#define BAM_DMUX_MODEM_POWER_CTRL	(1u << 0)
#define BAM_DMUX_MODEM_POWER_ACK	(1u << 1)	/* toggles */

struct bam_dmux_state {
	__u32 host;		/* BAM_DMUX_HOST_* as the host set them */
	__u32 modem;		/* BAM_DMUX_MODEM_* as the modem set them */
	__u32 host_changes;	/* times the host changed its bits */
	__u32 host_acks;	/* times the host toggled BAM_DMUX_HOST_POWER_ACK */
	/*
	 * times the host changed BAM_DMUX_HOST_POWER_VOTE: each change wants
	 * an ack, even if the bit went back before the modem looked
	 */
	__u32 host_votes;
	__u32 reserved;
};

struct bam_dmux_state_set {
	__u32 mask;		/* BAM_DMUX_MODEM_* bits to change */
	__u32 value;
};

#define BAM_DMUX_IOC_MAGIC	0xbd
#define BAM_DMUX_IOC_GET_STATE	_IOR(BAM_DMUX_IOC_MAGIC, 1, struct bam_dmux_state)
#define BAM_DMUX_IOC_SET_STATE	_IOW(BAM_DMUX_IOC_MAGIC, 2, struct bam_dmux_state_set)

#endif /* _UAPI_LINUX_SOCBPF_BAM_DMUX_H */
