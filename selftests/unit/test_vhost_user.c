// SPDX-License-Identifier: GPL-2.0
/*
 * scmi-platform's vhost-user back-end driven by this test as the front-end
 * (QEMU's role) and the driver (the guest's role): the real protocol and
 * fault core answers real SCMI commands placed in split virtqueues in a
 * shared memfd, and everything a hostile front-end or driver can send
 * (descriptors outside guest memory, loops, indirect descriptors, a ring
 * index that runs ahead, oversized messages, rings outside memory) is
 * counted and dropped without a crash (this binary runs under ASan+UBSan).
 */
#define main scmi_platform_main
#include "../../tools/scmi-platform/scmi-platform.c"
#undef main
#include "../../tools/scmi-platform/chardev.c"
#include "../../tools/scmi-platform/vhost_user.c"

#include <sys/eventfd.h>
#include <sys/mman.h>
#include "unit_tap.h"

#define MEM_SIZE	(1u << 20)
#define GPA_BASE	0x40000000ull
#define UVA_BASE	0x7f0000000000ull	/* the front-end's view */
#define QSZ		8

/* guest memory layout (offsets) */
#define OFF_DESC(q)	(0x1000u + (q) * 0x1000u)
#define OFF_AVAIL(q)	(0x3000u + (q) * 0x1000u)
#define OFF_USED(q)	(0x5000u + (q) * 0x1000u)
#define OFF_BUF(i)	(0x10000u + (i) * 0x400u)

static uint8_t *mem;
static int memfd, fe = -1, kick[2], call[2];
static char sock_path[64];

static void pump(void)
{
	struct pollfd pfd[16];
	unsigned int n, i;

	for (i = 0; i < 4; i++) {
		n = P.tr->pollfds(pfd, 15);
		if (poll(pfd, n, 50) <= 0)
			break;
		P.tr->events(pfd, n);
	}
	send_due();
}

static void send_msg(uint32_t req, const void *payload, uint32_t size, int fd)
{
	uint8_t buf[VU_HDR_SIZE + VU_MAX_PAYLOAD + 64];
	char cbuf[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { .iov_base = buf, .iov_len = VU_HDR_SIZE + size };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };
	uint32_t hdr[3] = { req, VU_VERSION, size };

	memcpy(buf, hdr, sizeof(hdr));
	if (size)
		memcpy(buf + VU_HDR_SIZE, payload, size);
	if (fd >= 0) {
		struct cmsghdr *c;

		mh.msg_control = cbuf;
		mh.msg_controllen = sizeof(cbuf);
		c = CMSG_FIRSTHDR(&mh);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(c), &fd, sizeof(int));
	}
	if (sendmsg(fe, &mh, 0) != (ssize_t)iov.iov_len)
		abort();
	pump();
}

static bool get_u64(uint32_t req, uint64_t *v)
{
	uint32_t hdr[3];

	send_msg(req, NULL, 0, -1);
	if (read(fe, hdr, sizeof(hdr)) != sizeof(hdr) || hdr[0] != req ||
	    !(hdr[1] & VU_FLAG_REPLY) || hdr[2] != 8)
		return false;
	return read(fe, v, 8) == 8;
}

static void set_u64(uint32_t req, uint64_t v, int fd)
{
	send_msg(req, &v, sizeof(v), fd);
}

static void set_state(uint32_t req, uint32_t index, uint32_t num)
{
	uint32_t s[2] = { index, num };

	send_msg(req, s, sizeof(s), -1);
}

static void set_addr(uint32_t q)
{
	struct {
		uint32_t index, flags;
		uint64_t desc, used, avail, log;
	} a = { q, 0, UVA_BASE + OFF_DESC(q), UVA_BASE + OFF_USED(q),
		UVA_BASE + OFF_AVAIL(q), 0 };

	send_msg(VU_SET_VRING_ADDR, &a, sizeof(a), -1);
}

static void set_mem(void)
{
	struct {
		uint32_t n, pad;
		uint64_t gpa, size, uva, off;
	} m = { 1, 0, GPA_BASE, MEM_SIZE, UVA_BASE, 0 };

	send_msg(VU_SET_MEM_TABLE, &m, sizeof(m), memfd);
}

static void connect_fe(void)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };

	strcpy(sa.sun_path, sock_path);
	fe = socket(AF_UNIX, SOCK_STREAM, 0);
	if (fe < 0 || connect(fe, (struct sockaddr *)&sa, sizeof(sa)))
		abort();
	pump();
}

/* The front-end's start-up sequence, as QEMU sends it. */
static void start_device(void)
{
	uint64_t v;
	uint32_t q;

	connect_fe();
	check(get_u64(VU_GET_FEATURES, &v) &&
	      v == ((1ull << 32) | (1ull << 30) | 1ull),
	      "GET_FEATURES: VERSION_1, PROTOCOL_FEATURES, SCMI P2A channels");
	set_u64(VU_SET_FEATURES, v, -1);
	check(get_u64(VU_GET_PROTOCOL_FEATURES, &v) && v == 1,
	      "GET_PROTOCOL_FEATURES: MQ");
	set_u64(VU_SET_PROTOCOL_FEATURES, v, -1);
	check(get_u64(VU_GET_QUEUE_NUM, &v) && v == 2, "GET_QUEUE_NUM: 2");
	send_msg(VU_SET_OWNER, NULL, 0, -1);
	set_mem();
	for (q = 0; q < 2; q++) {
		set_state(VU_SET_VRING_NUM, q, QSZ);
		set_addr(q);
		set_state(VU_SET_VRING_BASE, q, 0);
		set_u64(VU_SET_VRING_KICK, q, kick[q]);
		set_u64(VU_SET_VRING_CALL, q, call[q]);
		set_state(VU_SET_VRING_ENABLE, q, 1);
	}
}

static struct vring_desc *desc(uint32_t q, unsigned int i)
{
	return (struct vring_desc *)(mem + OFF_DESC(q)) + i;
}

static uint16_t *avail(uint32_t q)
{
	return (uint16_t *)(mem + OFF_AVAIL(q));
}

static uint16_t *used_idx(uint32_t q)
{
	return (uint16_t *)(mem + OFF_USED(q)) + 1;
}

static struct vring_used_elem *used(uint32_t q, unsigned int i)
{
	return (struct vring_used_elem *)(mem + OFF_USED(q) + 4) + i % QSZ;
}

static void make_avail(uint32_t q, uint16_t head)
{
	uint16_t *a = avail(q);
	uint64_t one = 1;

	a[2 + a[1] % QSZ] = head;
	__atomic_thread_fence(__ATOMIC_RELEASE);
	a[1]++;
	if (write(kick[q], &one, sizeof(one)) != sizeof(one))
		abort();
}

/* A command chain at descriptors (d, d+1): request, then response buffer. */
static void post_command(uint16_t d, uint8_t proto, uint8_t msg, uint16_t tok,
			 const uint32_t *args, unsigned int nargs)
{
	struct scmi_wire_hdr h = { .msg_id = msg, .proto_id = proto, .token = tok };
	uint8_t *req = mem + OFF_BUF(d);
	unsigned int i;

	scmi_wire_put_le32(req, scmi_wire_pack(&h));
	for (i = 0; i < nargs; i++)
		scmi_wire_put_le32(req + 4 + 4 * i, args[i]);
	*desc(0, d) = (struct vring_desc){ GPA_BASE + OFF_BUF(d), 4 + 4 * nargs,
					   VRING_DESC_F_NEXT, (uint16_t)(d + 1) };
	*desc(0, d + 1) = (struct vring_desc){ GPA_BASE + OFF_BUF(d + 1), 128,
					       VRING_DESC_F_WRITE, 0 };
	make_avail(0, d);
}

static void post_event_buffer(uint16_t d)
{
	*desc(1, d) = (struct vring_desc){ GPA_BASE + OFF_BUF(8 + d), 128,
					   VRING_DESC_F_WRITE, 0 };
	make_avail(1, d);
}

static bool called(uint32_t q)
{
	uint64_t v;

	return read(call[q], &v, sizeof(v)) == sizeof(v);
}

int main(void)
{
	uint16_t u0;
	uint64_t te, ud;
	uint32_t hdr, args[2] = { 0, 1 };
	struct scmi_wire_hdr h;
	uint8_t *r;

	printf("TAP version 13\n");
	memfd = memfd_create("guest", 0);
	if (memfd < 0 || ftruncate(memfd, MEM_SIZE))
		abort();
	mem = mmap(NULL, MEM_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, memfd, 0);
	if (mem == MAP_FAILED)
		abort();
	kick[0] = eventfd(0, EFD_NONBLOCK);
	kick[1] = eventfd(0, EFD_NONBLOCK);
	call[0] = eventfd(0, EFD_NONBLOCK);
	call[1] = eventfd(0, EFD_NONBLOCK);
	snprintf(sock_path, sizeof(sock_path), "/tmp/test_vhost_user.%d", getpid());

	default_model();
	P.agent_timeout = 1000;
	P.agent_dresp_timeout = 2000;
	P.dresp_delay = 0;
	P.tr = &sp_vhost_user;
	P.tr->open(sock_path);
	start_device();

	/* a sync command: BASE PROTOCOL_VERSION */
	post_command(0, SCMI_PROTO_BASE, SCMI_MSG_PROTOCOL_VERSION, 7, NULL, 0);
	pump();
	r = mem + OFF_BUF(1);
	hdr = scmi_wire_get_le32(r);
	scmi_wire_unpack(hdr, &h);
	check(*used_idx(0) == 1 && used(0, 0)->id == 0 && used(0, 0)->len == 12,
	      "a command's chain comes back used, 12 bytes written");
	check(h.token == 7 && h.proto_id == SCMI_PROTO_BASE && h.type == 0 &&
	      scmi_wire_get_le32(r + 4) == 0 && scmi_wire_get_le32(r + 8) == 0x20000,
	      "the response: same header, SUCCESS, Base version 2.0");
	check(called(0), "the driver is notified through the call eventfd");

	/* an async command: response on cmdq, delayed response on eventq */
	post_event_buffer(0);
	post_command(2, SCMI_PROTO_SENSOR, SCMI_SENSOR_READING_GET, 8, args, 2);
	pump();
	usleep(2000);
	pump();
	scmi_wire_unpack(scmi_wire_get_le32(mem + OFF_BUF(8)), &h);
	check(*used_idx(0) == 2 && *used_idx(1) == 1 &&
	      h.type == SCMI_WIRE_TYPE_DELAYED_RESP && h.token == 8 &&
	      used(1, 0)->len == 4 + 4 + 12,
	      "async read: response on the command queue, delayed response on the event queue");

	/* a notification with no event buffer posted: counted, not lost silently */
	ud = P.undeliverable;
	send_notifications(1, false);
	pump();
	check(P.undeliverable == ud + 1 && *used_idx(1) == 1,
	      "a notification with no event buffer is counted as undeliverable");
	post_event_buffer(1);
	send_notifications(1, false);
	pump();
	scmi_wire_unpack(scmi_wire_get_le32(mem + OFF_BUF(9)), &h);
	check(*used_idx(1) == 2 && h.type == SCMI_WIRE_TYPE_NOTIFICATION,
	      "a notification fills the next event buffer");

	/* hostile driver: a descriptor outside guest memory */
	te = P.transport_errors;
	u0 = *used_idx(0);
	*desc(0, 4) = (struct vring_desc){ GPA_BASE + MEM_SIZE - 2, 16, 0, 0 };
	make_avail(0, 4);
	pump();
	check(P.transport_errors == te + 1 && *used_idx(0) == u0 + 1 &&
	      used(0, u0)->len == 0,
	      "a descriptor outside guest memory: counted, chain returned empty");

	/* a chain that loops */
	*desc(0, 4) = (struct vring_desc){ GPA_BASE + OFF_BUF(4), 4,
					   VRING_DESC_F_NEXT, 5 };
	*desc(0, 5) = (struct vring_desc){ GPA_BASE + OFF_BUF(5), 4,
					   VRING_DESC_F_NEXT, 4 };
	make_avail(0, 4);
	pump();
	check(P.transport_errors == te + 2, "a descriptor loop: counted");

	/* an indirect descriptor (not negotiated), a next index out of range */
	*desc(0, 4) = (struct vring_desc){ GPA_BASE + OFF_BUF(4), 16,
					   VRING_DESC_F_INDIRECT, 0 };
	make_avail(0, 4);
	*desc(0, 5) = (struct vring_desc){ GPA_BASE + OFF_BUF(5), 4,
					   VRING_DESC_F_NEXT, 1000 };
	make_avail(0, 5);
	pump();
	check(P.transport_errors == te + 4,
	      "an indirect descriptor and a next index past the ring: counted");

	/* a head index past the ring, and an avail index that runs ahead */
	make_avail(0, 200);
	pump();
	check(P.transport_errors == te + 5, "a head past the ring: counted");
	avail(0)[1] += 100;
	make_avail(0, 0);
	pump();
	check(P.transport_errors == te + 6 && V.cfd >= 0,
	      "an avail index more than the ring ahead: counted, device goes on");

	/* rings outside memory: refused; the queue is not used */
	{
		struct {
			uint32_t index, flags;
			uint64_t desc, used, avail, log;
		} a = { 0, 0, UVA_BASE + MEM_SIZE - 8, UVA_BASE, UVA_BASE, 0 };

		send_msg(VU_SET_VRING_ADDR, &a, sizeof(a), -1);
		check(!vq_ready(&V.vq[0]) && V.cfd >= 0,
		      "a ring outside guest memory is never used");
		set_addr(0);
	}

	/* a response whose chain went back already (dup of a sync command) */
	ud = P.undeliverable;
	add_fault("dup=1", true);
	P.match_proto = -2;
	avail(0)[1] = V.vq[0].last_avail;	/* resync after the garbage */
	post_command(0, SCMI_PROTO_BASE, SCMI_MSG_PROTOCOL_VERSION, 9, NULL, 0);
	pump();
	check(P.undeliverable == ud + 1 && P.injected[F_DUP] == 1,
	      "a second response to one command is undeliverable over virtio, and counted");

	/* hostile front-end: an oversized message ends the connection only */
	{
		uint32_t big[3] = { VU_SET_FEATURES, VU_VERSION, VU_MAX_PAYLOAD + 1 };

		if (write(fe, big, sizeof(big)) != sizeof(big))
			abort();
		pump();
		check(V.cfd < 0 && V.nregions == 0,
		      "an oversized vhost-user message: disconnect, memory unmapped");
	}
	close(fe);

	/* a mem table whose region is larger than its fd, a bad vring number */
	connect_fe();
	{
		struct {
			uint32_t n, pad;
			uint64_t gpa, size, uva, off;
		} m = { 1, 0, GPA_BASE, 2 * MEM_SIZE, UVA_BASE, 0 };

		send_msg(VU_SET_MEM_TABLE, &m, sizeof(m), memfd);
		check(V.cfd < 0 && V.nregions == 0,
		      "a region past the end of its fd: refused, connection ended");
	}
	close(fe);
	connect_fe();
	set_state(VU_SET_VRING_NUM, 0, 3);
	check(V.cfd < 0, "a vring size that is not a power of two: refused");
	close(fe);
	connect_fe();
	set_state(VU_SET_VRING_NUM, 5, 8);
	check(V.cfd < 0, "a vring index the device does not have: refused");
	close(fe);

	/* and the device still works for the next front-end */
	memset(mem, 0, OFF_BUF(0));
	start_device();
	post_command(0, SCMI_PROTO_BASE, SCMI_MSG_PROTOCOL_VERSION, 10, NULL, 0);
	pump();
	check(*used_idx(0) == 1, "a new front-end gets a working device");

	P.tr->close();
	printf("1..%d\n", n_test);
	return n_fail ? 1 : 0;
}
