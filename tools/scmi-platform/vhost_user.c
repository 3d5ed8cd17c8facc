// SPDX-License-Identifier: GPL-2.0
/*
 * scmi-platform's vhost-user transport: the back-end of QEMU's
 * vhost-user-scmi device, written from the vhost-user protocol (QEMU's
 * docs/interop/vhost-user.rst) and the virtio 1.x specification (split
 * virtqueues; the SCMI device, virtqueues cmdq = 0 and eventq = 1).
 *
 * QEMU is the front-end: it connects to our unix socket, shares the guest's
 * memory (SET_MEM_TABLE, one fd per region), and hands us each virtqueue's
 * rings (guest addresses translated through QEMU's own mapping), a kick
 * eventfd (the driver queued buffers) and a call eventfd (we used some).
 *
 * cmdq: each available chain is one A2P command: device-readable
 * descriptors carry the SCMI header and parameters, device-writable ones
 * take the response (header, status, return values).  The chain stays ours
 * until the core answers, which may be much later (latency, late replies) or
 * never (a dropped response).
 * eventq (with VIRTIO_SCMI_F_P2A_CHANNELS): the driver posts writable
 * buffers; each delayed response or notification fills one.
 *
 * Everything the other side sends (messages, ring indices, descriptors,
 * addresses, lengths) is validated; bad input is counted and dropped, a bad
 * vhost-user message ends the connection, never this process.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <socbpf/scmi_wire.h>

#include "transport.h"

/* vhost-user requests (front-end to back-end) */
enum {
	VU_GET_FEATURES = 1,
	VU_SET_FEATURES = 2,
	VU_SET_OWNER = 3,
	VU_RESET_OWNER = 4,
	VU_SET_MEM_TABLE = 5,
	VU_SET_LOG_BASE = 6,
	VU_SET_LOG_FD = 7,
	VU_SET_VRING_NUM = 8,
	VU_SET_VRING_ADDR = 9,
	VU_SET_VRING_BASE = 10,
	VU_GET_VRING_BASE = 11,
	VU_SET_VRING_KICK = 12,
	VU_SET_VRING_CALL = 13,
	VU_SET_VRING_ERR = 14,
	VU_GET_PROTOCOL_FEATURES = 15,
	VU_SET_PROTOCOL_FEATURES = 16,
	VU_GET_QUEUE_NUM = 17,
	VU_SET_VRING_ENABLE = 18,
};

#define VU_VERSION		0x1u
#define VU_FLAG_VERSION_MASK	0x3u
#define VU_FLAG_REPLY		(1u << 2)
#define VU_FLAG_NEED_REPLY	(1u << 3)
#define VU_VRING_IDX_MASK	0xffull
#define VU_VRING_NOFD		(1ull << 8)
#define VU_MAX_FDS		8
#define VU_MAX_REGIONS		8
#define VU_MAX_PAYLOAD		4096

/* feature bits */
#define F_SCMI_P2A_CHANNELS	0
#define F_PROTOCOL_FEATURES	30	/* VHOST_USER_F_PROTOCOL_FEATURES */
#define F_VERSION_1		32
#define PF_MQ			0	/* VHOST_USER_PROTOCOL_F_MQ */

#define OFFERED_FEATURES	((1ull << F_SCMI_P2A_CHANNELS) | \
				 (1ull << F_PROTOCOL_FEATURES) | \
				 (1ull << F_VERSION_1))
#define OFFERED_PROTOCOL	(1ull << PF_MQ)

/* split virtqueue layout (virtio 1.x, 2.7) */
#define VRING_DESC_F_NEXT	1
#define VRING_DESC_F_WRITE	2
#define VRING_DESC_F_INDIRECT	4
#define VRING_AVAIL_F_NO_INTERRUPT 1
#define VQ_MAX_SIZE		32768

struct vring_desc {
	uint64_t addr;
	uint32_t len;
	uint16_t flags;
	uint16_t next;
};

struct vring_used_elem {
	uint32_t id;
	uint32_t len;
};

#define NQUEUES		2
#define CMDQ		0
#define EVENTQ		1
#define MAX_SEGS	16

struct region {
	uint64_t gpa, size, uva;
	uint8_t *map;		/* mmap of the fd */
	size_t map_len;
	uint64_t offset;	/* of the region in the map */
};

struct vq {
	unsigned int num;
	uint64_t desc_uva, avail_uva, used_uva;
	struct vring_desc *desc;
	volatile uint16_t *avail;	/* flags, idx, ring[num], used_event */
	volatile uint16_t *used_hdr;	/* flags, idx */
	struct vring_used_elem *used_ring;
	uint16_t last_avail;
	uint16_t used_idx;
	int kick, call;
	bool have_addr, enabled;
};

struct seg {
	uint8_t *p;
	uint32_t len;
};

/* a command chain the core has not answered yet */
struct pending {
	uint64_t cookie;	/* 0: free */
	uint16_t head;
	unsigned int nsegs;
	struct seg segs[MAX_SEGS];
};

static struct {
	const char *path;
	int lfd, cfd;
	uint64_t features, protocol;
	struct region regions[VU_MAX_REGIONS];
	unsigned int nregions;
	struct vq vq[NQUEUES];
	struct pending *pending;	/* VQ_MAX_SIZE slots, by head */
	uint64_t next_cookie;
} V = { .lfd = -1, .cfd = -1, .next_cookie = 1 };

static void close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

static void unmap_all(void)
{
	unsigned int i;

	for (i = 0; i < V.nregions; i++)
		munmap(V.regions[i].map, V.regions[i].map_len);
	V.nregions = 0;
}

static void vq_reset(struct vq *q)
{
	close_fd(&q->kick);
	close_fd(&q->call);
	memset(q, 0, sizeof(*q));
	q->kick = q->call = -1;
}

static void drop_pending(void)
{
	memset(V.pending, 0, VQ_MAX_SIZE * sizeof(*V.pending));
}

static void disconnect(const char *why)
{
	unsigned int i;

	if (V.cfd >= 0)
		sp_log("vhost-user: front-end gone (%s)", why);
	close_fd(&V.cfd);
	for (i = 0; i < NQUEUES; i++)
		vq_reset(&V.vq[i]);
	unmap_all();
	drop_pending();
	V.features = V.protocol = 0;
}

/* ----------------------------------------------------------- addresses */

/* A guest physical range to our pointer, or NULL if it is not all mapped. */
static uint8_t *gpa_to_ptr(uint64_t gpa, uint64_t len)
{
	unsigned int i;

	for (i = 0; i < V.nregions; i++) {
		struct region *r = &V.regions[i];

		if (gpa >= r->gpa && gpa - r->gpa <= r->size &&
		    len <= r->size - (gpa - r->gpa))
			return r->map + r->offset + (gpa - r->gpa);
	}
	return NULL;
}

/* The same for the front-end's (QEMU's) virtual addresses of the rings. */
static uint8_t *uva_to_ptr(uint64_t uva, uint64_t len)
{
	unsigned int i;

	for (i = 0; i < V.nregions; i++) {
		struct region *r = &V.regions[i];

		if (uva >= r->uva && uva - r->uva <= r->size &&
		    len <= r->size - (uva - r->uva))
			return r->map + r->offset + (uva - r->uva);
	}
	return NULL;
}

/* Map the rings once addresses, size and memory are all known. */
static bool vq_map(struct vq *q)
{
	uint64_t n = q->num;

	if (!q->have_addr || !n)
		return false;
	q->desc = (struct vring_desc *)uva_to_ptr(q->desc_uva, 16 * n);
	q->avail = (volatile uint16_t *)uva_to_ptr(q->avail_uva, 6 + 2 * n);
	q->used_hdr = (volatile uint16_t *)uva_to_ptr(q->used_uva, 6 + 8 * n);
	if (!q->desc || !q->avail || !q->used_hdr ||
	    (q->desc_uva & 15) || (q->avail_uva & 1) || (q->used_uva & 3)) {
		q->desc = NULL;
		q->avail = NULL;
		q->used_hdr = NULL;
		return false;
	}
	q->used_ring = (struct vring_used_elem *)(q->used_hdr + 2);
	return true;
}

static bool vq_ready(struct vq *q)
{
	if (!q->desc && !vq_map(q))
		return false;
	/* With protocol features a ring starts disabled (vhost-user.rst). */
	if ((V.features & (1ull << F_PROTOCOL_FEATURES)) && !q->enabled)
		return false;
	return true;
}

/* ----------------------------------------------------------- virtqueues */

/*
 * Walk the chain at @head: readable bytes into @rd (up to @rdmax, the rest
 * is counted but not copied), writable segments into @segs.  Returns the
 * readable length, or -1 for a malformed chain.
 */
static long walk_chain(struct vq *q, uint16_t head, uint8_t *rd, size_t rdmax,
		       struct seg *segs, unsigned int *nsegs)
{
	unsigned int i = head, hops = 0;
	size_t have = 0;
	bool writing = false;

	*nsegs = 0;
	for (;;) {
		struct vring_desc d;
		uint8_t *p;

		if (i >= q->num || ++hops > q->num)
			return -1;
		memcpy(&d, &q->desc[i], sizeof(d));
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
		if (d.flags & VRING_DESC_F_INDIRECT)
			return -1;		/* not negotiated */
		p = d.len ? gpa_to_ptr(d.addr, d.len) : NULL;
		if (d.len && !p)
			return -1;
		if (d.flags & VRING_DESC_F_WRITE) {
			writing = true;
			if (*nsegs >= MAX_SEGS)
				return -1;
			segs[*nsegs].p = p;
			segs[*nsegs].len = d.len;
			(*nsegs)++;
		} else {
			/* virtio: readable descriptors come first */
			if (writing)
				return -1;
			if (rd && p && have < rdmax) {
				size_t n = d.len < rdmax - have ? d.len : rdmax - have;

				memcpy(rd + have, p, n);
			}
			have += d.len;
		}
		if (!(d.flags & VRING_DESC_F_NEXT))
			break;
		i = d.next;
	}
	return (long)(have > (size_t)1 << 30 ? (size_t)1 << 30 : have);
}

static void vq_notify(struct vq *q)
{
	uint64_t one = 1;

	if (q->call < 0)
		return;
	if (q->avail[0] & VRING_AVAIL_F_NO_INTERRUPT)
		return;
	if (write(q->call, &one, sizeof(one)) < 0 && errno != EAGAIN)
		sp_log("vhost-user: call eventfd: %s", strerror(errno));
}

static void vq_push(struct vq *q, uint16_t head, uint32_t len)
{
	struct vring_used_elem *e = &q->used_ring[q->used_idx % q->num];

	e->id = head;
	e->len = len;
	/* the element before the index that publishes it */
	__atomic_thread_fence(__ATOMIC_RELEASE);
	q->used_idx++;
	q->used_hdr[1] = q->used_idx;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	vq_notify(q);
}

static size_t copy_to_segs(const struct seg *segs, unsigned int nsegs,
			   const uint8_t *data, size_t len)
{
	size_t done = 0;
	unsigned int i;

	for (i = 0; i < nsegs && done < len; i++) {
		size_t n = len - done < segs[i].len ? len - done : segs[i].len;

		if (!n)
			continue;
		memcpy(segs[i].p, data + done, n);
		done += n;
	}
	return done;
}

/* Take the next available head, or -1 when the driver queued none. */
static int vq_pop(struct vq *q)
{
	uint16_t avail_idx, head;

	avail_idx = q->avail[1];
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
	if (avail_idx == q->last_avail)
		return -1;
	if ((uint16_t)(avail_idx - q->last_avail) > q->num) {
		/* the driver claims more than the ring holds */
		sp_transport_error();
		q->last_avail = avail_idx;
		return -1;
	}
	head = q->avail[2 + q->last_avail % q->num];
	q->last_avail++;
	return head;
}

static void cmdq_process(void)
{
	struct vq *q = &V.vq[CMDQ];
	uint8_t buf[SCMI_WIRE_MAX_MSG + 64];
	int head;

	if (!vq_ready(q))
		return;
	while ((head = vq_pop(q)) >= 0) {
		struct pending *pc;
		long len;

		if ((unsigned int)head >= q->num) {
			sp_transport_error();
			continue;		/* no chain to give back */
		}
		pc = &V.pending[head];
		if (pc->cookie) {
			/* the driver reused a chain we still hold */
			sp_transport_error();
			pc->cookie = 0;
		}
		len = walk_chain(q, (uint16_t)head, buf, sizeof(buf), pc->segs,
				 &pc->nsegs);
		if (len < 0) {
			sp_transport_error();
			sp_log("vhost-user: malformed command chain %d", head);
			vq_push(q, (uint16_t)head, 0);
			continue;
		}
		pc->head = (uint16_t)head;
		pc->cookie = V.next_cookie++;
		if ((size_t)len > sizeof(buf))
			len = sizeof(buf);	/* the core rejects it */
		sp_command(buf, (size_t)len, pc->cookie);
	}
}

/* A response: into the chain of its command, which then goes back. */
static int send_response(const uint8_t *data, size_t len, uint64_t cookie)
{
	struct vq *q = &V.vq[CMDQ];
	struct pending *pc = NULL;
	unsigned int i;
	size_t n;

	if (!cookie || !vq_ready(q))
		return SP_UNDELIVERABLE;
	for (i = 0; i < q->num; i++)
		if (V.pending[i].cookie == cookie) {
			pc = &V.pending[i];
			break;
		}
	if (!pc)
		return SP_UNDELIVERABLE;	/* already answered */
	n = copy_to_segs(pc->segs, pc->nsegs, data, len);
	pc->cookie = 0;
	vq_push(q, pc->head, (uint32_t)n);
	return n == len ? 0 : -EMSGSIZE;
}

/* A delayed response or notification: one buffer of the event queue. */
static int send_p2a(const uint8_t *data, size_t len)
{
	struct vq *q = &V.vq[EVENTQ];
	struct seg segs[MAX_SEGS];
	unsigned int nsegs;
	int head;
	size_t n;

	if (!(V.features & (1ull << F_SCMI_P2A_CHANNELS)) || !vq_ready(q))
		return SP_UNDELIVERABLE;
	for (;;) {
		head = vq_pop(q);
		if (head < 0)
			return SP_UNDELIVERABLE;	/* no buffer posted */
		if ((unsigned int)head < q->num &&
		    walk_chain(q, (uint16_t)head, NULL, 0, segs, &nsegs) == 0)
			break;
		sp_transport_error();
		if ((unsigned int)head < q->num)
			vq_push(q, (uint16_t)head, 0);
	}
	n = copy_to_segs(segs, nsegs, data, len);
	vq_push(q, (uint16_t)head, (uint32_t)n);
	return n == len ? 0 : -EMSGSIZE;
}

static int vu_send(const uint8_t *data, size_t len, uint64_t cmd)
{
	struct scmi_wire_hdr h;

	if (V.cfd < 0)
		return SP_UNDELIVERABLE;
	/*
	 * Delayed responses and notifications are P2A messages (eventq);
	 * anything else, a corrupted response included, answers a command.
	 */
	if (len >= SCMI_WIRE_HDR_SIZE) {
		scmi_wire_unpack(scmi_wire_get_le32(data), &h);
		if (h.type == SCMI_WIRE_TYPE_DELAYED_RESP ||
		    h.type == SCMI_WIRE_TYPE_NOTIFICATION)
			return send_p2a(data, len);
	}
	return send_response(data, len, cmd);
}

/* ----------------------------------------------------------- messages */

struct vu_msg {
	uint32_t request, flags, size;
	union {
		uint64_t u64;
		struct {
			uint32_t index, num;
		} state;
		struct {
			uint32_t index, flags;
			uint64_t desc, used, avail, log;
		} addr;
		struct {
			uint32_t nregions, padding;
			struct {
				uint64_t gpa, size, uva, mmap_offset;
			} r[VU_MAX_REGIONS];
		} mem;
		uint8_t raw[VU_MAX_PAYLOAD];
	} p;
} __attribute__((packed));

#define VU_HDR_SIZE	12u

static void close_fds(int *fds, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (fds[i] >= 0)
			close(fds[i]);
}

/* Read one message and its fds; false when the connection is unusable. */
static bool vu_read(struct vu_msg *m, int *fds, unsigned int *nfds)
{
	char cbuf[CMSG_SPACE(VU_MAX_FDS * sizeof(int))];
	struct iovec iov = { .iov_base = m, .iov_len = VU_HDR_SIZE };
	struct msghdr mh = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
	};
	struct cmsghdr *c;
	size_t got = 0;
	ssize_t n;

	*nfds = 0;
	n = recvmsg(V.cfd, &mh, MSG_CMSG_CLOEXEC);
	if (n <= 0)
		return false;
	for (c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c)) {
		if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS) {
			unsigned int k = (unsigned int)((c->cmsg_len - CMSG_LEN(0)) /
							sizeof(int));

			if (k > VU_MAX_FDS - *nfds)
				k = VU_MAX_FDS - *nfds;
			memcpy(fds + *nfds, CMSG_DATA(c), k * sizeof(int));
			*nfds += k;
		}
	}
	if (mh.msg_flags & MSG_CTRUNC)
		goto bad;
	got = (size_t)n;
	while (got < VU_HDR_SIZE) {
		n = read(V.cfd, (uint8_t *)m + got, VU_HDR_SIZE - got);
		if (n <= 0)
			goto bad;
		got += (size_t)n;
	}
	if ((m->flags & VU_FLAG_VERSION_MASK) != VU_VERSION ||
	    m->size > VU_MAX_PAYLOAD) {
		sp_log("vhost-user: bad header (flags 0x%x size %u)", m->flags,
		       m->size);
		goto bad;
	}
	got = 0;
	while (got < m->size) {
		n = read(V.cfd, m->p.raw + got, m->size - got);
		if (n <= 0)
			goto bad;
		got += (size_t)n;
	}
	return true;
bad:
	close_fds(fds, *nfds);
	*nfds = 0;
	return false;
}

static bool vu_reply(const struct vu_msg *req, const void *payload, uint32_t size)
{
	struct vu_msg r;
	size_t len = VU_HDR_SIZE + size;

	r.request = req->request;
	r.flags = VU_VERSION | VU_FLAG_REPLY;
	r.size = size;
	memcpy(r.p.raw, payload, size);
	return send(V.cfd, &r, len, MSG_NOSIGNAL) == (ssize_t)len;
}

static bool set_mem_table(const struct vu_msg *m, int *fds, unsigned int nfds)
{
	unsigned int i, n = m->p.mem.nregions;

	if (m->size < 8 || n > VU_MAX_REGIONS || n != nfds ||
	    m->size < 8 + n * sizeof(m->p.mem.r[0]))
		return false;
	unmap_all();
	/* the rings move with the memory: map them again on use */
	for (i = 0; i < NQUEUES; i++) {
		V.vq[i].desc = NULL;
		V.vq[i].avail = NULL;
		V.vq[i].used_hdr = NULL;
	}
	for (i = 0; i < n; i++) {
		struct region *r = &V.regions[i];
		uint64_t size = m->p.mem.r[i].size, off = m->p.mem.r[i].mmap_offset;
		void *p;

		off_t end;

		if (!size || off > UINT64_MAX - size || size + off > SIZE_MAX ||
		    m->p.mem.r[i].gpa > UINT64_MAX - size ||
		    m->p.mem.r[i].uva > UINT64_MAX - size)
			goto fail;
		/* a region past the end of its file would fault on access */
		end = lseek(fds[i], 0, SEEK_END);
		if (end < 0 || (uint64_t)end < size + off) {
			sp_log("vhost-user: region %u larger than its fd", i);
			goto fail;
		}
		p = mmap(NULL, size + off, PROT_READ | PROT_WRITE, MAP_SHARED,
			 fds[i], 0);
		if (p == MAP_FAILED) {
			sp_log("vhost-user: mmap region %u: %s", i, strerror(errno));
			goto fail;
		}
		r->map = p;
		r->map_len = size + off;
		r->offset = off;
		r->gpa = m->p.mem.r[i].gpa;
		r->size = size;
		r->uva = m->p.mem.r[i].uva;
		V.nregions++;
	}
	close_fds(fds, nfds);
	return true;
fail:
	unmap_all();
	close_fds(fds, nfds);
	return false;
}

static struct vq *vq_of(uint32_t index)
{
	return index < NQUEUES ? &V.vq[index] : NULL;
}

/* Handle one message; false ends the connection. */
static bool vu_handle(struct vu_msg *m, int *fds, unsigned int nfds)
{
	struct vq *q;
	uint64_t v;
	int *fdslot;

	switch (m->request) {
	case VU_GET_FEATURES:
		v = OFFERED_FEATURES;
		close_fds(fds, nfds);
		return vu_reply(m, &v, sizeof(v));
	case VU_SET_FEATURES:
		close_fds(fds, nfds);
		if (m->size < 8 || (m->p.u64 & ~OFFERED_FEATURES))
			return false;
		V.features = m->p.u64;
		sp_log("vhost-user: features 0x%llx%s",
		       (unsigned long long)V.features,
		       V.features & (1ull << F_SCMI_P2A_CHANNELS) ?
		       " (P2A channels: event queue)" : "");
		return true;
	case VU_GET_PROTOCOL_FEATURES:
		v = OFFERED_PROTOCOL;
		close_fds(fds, nfds);
		return vu_reply(m, &v, sizeof(v));
	case VU_SET_PROTOCOL_FEATURES:
		close_fds(fds, nfds);
		if (m->size < 8 || (m->p.u64 & ~OFFERED_PROTOCOL))
			return false;
		V.protocol = m->p.u64;
		return true;
	case VU_GET_QUEUE_NUM:
		v = NQUEUES;
		close_fds(fds, nfds);
		return vu_reply(m, &v, sizeof(v));
	case VU_SET_OWNER:
	case VU_RESET_OWNER:
		close_fds(fds, nfds);
		return true;
	case VU_SET_MEM_TABLE:
		return set_mem_table(m, fds, nfds);
	case VU_SET_VRING_NUM:
		close_fds(fds, nfds);
		q = m->size >= 8 ? vq_of(m->p.state.index) : NULL;
		if (!q || !m->p.state.num || m->p.state.num > VQ_MAX_SIZE ||
		    (m->p.state.num & (m->p.state.num - 1)))
			return false;
		q->num = m->p.state.num;
		q->desc = NULL;
		return true;
	case VU_SET_VRING_ADDR:
		close_fds(fds, nfds);
		q = m->size >= sizeof(m->p.addr) ? vq_of(m->p.addr.index) : NULL;
		if (!q)
			return false;
		q->desc_uva = m->p.addr.desc;
		q->avail_uva = m->p.addr.avail;
		q->used_uva = m->p.addr.used;
		q->have_addr = true;
		q->desc = NULL;
		if (!vq_map(q))
			sp_log("vhost-user: vring %u: rings outside guest memory",
			       m->p.addr.index);
		return true;
	case VU_SET_VRING_BASE:
		close_fds(fds, nfds);
		q = m->size >= 8 ? vq_of(m->p.state.index) : NULL;
		if (!q)
			return false;
		q->last_avail = (uint16_t)m->p.state.num;
		q->used_idx = (uint16_t)m->p.state.num;
		return true;
	case VU_GET_VRING_BASE:
		/* stops the ring: what we hold is abandoned */
		close_fds(fds, nfds);
		q = m->size >= 8 ? vq_of(m->p.state.index) : NULL;
		if (!q)
			return false;
		m->p.state.num = q->last_avail;
		if (m->p.state.index == CMDQ)
			drop_pending();
		close_fd(&q->kick);
		q->enabled = false;
		return vu_reply(m, &m->p.state, sizeof(m->p.state));
	case VU_SET_VRING_KICK:
	case VU_SET_VRING_CALL:
	case VU_SET_VRING_ERR:
		q = m->size >= 8 ? vq_of((uint32_t)(m->p.u64 & VU_VRING_IDX_MASK)) : NULL;
		if (!q || (m->p.u64 & VU_VRING_NOFD ? nfds != 0 : nfds != 1)) {
			close_fds(fds, nfds);
			return false;
		}
		if (m->request == VU_SET_VRING_ERR) {
			close_fds(fds, nfds);	/* we never report ring errors */
			return true;
		}
		fdslot = m->request == VU_SET_VRING_KICK ? &q->kick : &q->call;
		close_fd(fdslot);
		if (nfds) {
			*fdslot = fds[0];
			if (m->request == VU_SET_VRING_KICK)
				fcntl(fds[0], F_SETFL,
				      fcntl(fds[0], F_GETFL) | O_NONBLOCK);
		}
		/* without protocol features a kick fd starts the ring */
		if (m->request == VU_SET_VRING_KICK &&
		    !(V.features & (1ull << F_PROTOCOL_FEATURES)))
			q->enabled = true;
		return true;
	case VU_SET_VRING_ENABLE:
		close_fds(fds, nfds);
		q = m->size >= 8 ? vq_of(m->p.state.index) : NULL;
		if (!q)
			return false;
		q->enabled = m->p.state.num != 0;
		return true;
	default:
		/* not offered, so not expected: say so, and go on */
		close_fds(fds, nfds);
		sp_log("vhost-user: ignoring request %u", m->request);
		if (m->flags & VU_FLAG_NEED_REPLY) {
			v = 1;	/* failure */
			return vu_reply(m, &v, sizeof(v));
		}
		return true;
	}
}

/* ----------------------------------------------------------- transport */

static void vu_open(const char *where)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };

	if (strlen(where) >= sizeof(sa.sun_path))
		sp_die("--vhost-user: socket path too long: %s", where);
	V.pending = calloc(VQ_MAX_SIZE, sizeof(*V.pending));
	if (!V.pending)
		sp_die("out of memory");
	for (unsigned int i = 0; i < NQUEUES; i++)
		vq_reset(&V.vq[i]);
	V.path = where;
	strcpy(sa.sun_path, where);
	V.lfd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (V.lfd < 0)
		sp_die("socket: %s", strerror(errno));
	unlink(where);
	if (bind(V.lfd, (struct sockaddr *)&sa, sizeof(sa)) ||
	    listen(V.lfd, 1))
		sp_die("cannot listen on %s: %s", where, strerror(errno));
}

static unsigned int vu_pollfds(struct pollfd *pfd, unsigned int max)
{
	unsigned int n = 0;

	if (max < 1 + NQUEUES)
		return 0;
	/* one front-end at a time: accept only when none is connected */
	pfd[n].fd = V.cfd >= 0 ? V.cfd : V.lfd;
	pfd[n++].events = POLLIN;
	pfd[n].fd = V.vq[CMDQ].kick;		/* -1 is ignored by poll */
	pfd[n++].events = POLLIN;
	pfd[n].fd = V.vq[EVENTQ].kick;
	pfd[n++].events = POLLIN;
	return n;
}

static void drain_kick(int fd)
{
	uint64_t v;

	while (read(fd, &v, sizeof(v)) == sizeof(v))
		;
}

static void vu_events(const struct pollfd *pfd, unsigned int n)
{
	struct vu_msg m;
	int fds[VU_MAX_FDS];
	unsigned int nfds;

	if (n < 1 + NQUEUES)
		return;
	if (pfd[0].revents && pfd[0].fd == V.lfd) {
		V.cfd = accept4(V.lfd, NULL, NULL, SOCK_CLOEXEC);
		if (V.cfd >= 0)
			sp_log("vhost-user: front-end connected");
	} else if (pfd[0].revents & (POLLIN | POLLHUP | POLLERR)) {
		if (!vu_read(&m, fds, &nfds)) {
			disconnect("connection closed");
			return;
		}
		if (!vu_handle(&m, fds, nfds)) {
			sp_transport_error();
			sp_log("vhost-user: bad request %u", m.request);
			disconnect("protocol error");
			return;
		}
	}
	if (pfd[1].fd >= 0 && pfd[1].fd == V.vq[CMDQ].kick &&
	    (pfd[1].revents & POLLIN))
		drain_kick(pfd[1].fd);
	if (pfd[2].fd >= 0 && pfd[2].fd == V.vq[EVENTQ].kick &&
	    (pfd[2].revents & POLLIN))
		drain_kick(pfd[2].fd);	/* buffers are taken when needed */
	/* also after a ring was (re)enabled with commands already queued */
	cmdq_process();
}

static void vu_close(void)
{
	disconnect("exiting");
	close_fd(&V.lfd);
	if (V.path)
		unlink(V.path);
	free(V.pending);
	V.pending = NULL;
}

const struct sp_transport sp_vhost_user = {
	.name = "vhost-user",
	.open = vu_open,
	.pollfds = vu_pollfds,
	.events = vu_events,
	.send = vu_send,
	.close = vu_close,
};
