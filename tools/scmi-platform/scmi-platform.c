// SPDX-License-Identifier: GPL-2.0
/*
 * scmi-platform: a userspace SCMI platform for the socbpf_scmi agent and
 * for upstream's arm_scmi over virtio.
 *
 * Answers the agent's commands for the Base, Sensor and Clock protocols,
 * sends notifications, and injects the faults an SCMI agent must survive.
 * Every injected fault is counted together with the agent counter it must
 * move, so tests compare "expect_<counter>" in the stats file with the
 * agent's counters.  This file is the one protocol and fault core; the
 * transports (transport.h) only move messages: /dev/scmi-platform of
 * socbpf_scmi.ko (chardev.c), or QEMU's vhost-user-scmi device
 * (vhost_user.c).
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include <socbpf/scmi_wire.h>

#include "transport.h"

/*
 * Not <sys/stat.h>: it pulls <linux/types.h>, whose __le64 clashes with
 * the userspace typedefs of socbpf/compat.h.
 */
extern int mkfifo(const char *path, mode_t mode);

#define MAX_SENSORS	128	/* more than the agent keeps (64) */
#define MAX_CLOCKS	16
#define MAX_RATES	16
#define MAX_FAULTS	64

/* ------------------------------------------------------------------ model */

struct sensor {
	char name[SCMI_NAME_LEN + 1];
	uint8_t unit;
	int scale;
	int64_t value;
	bool notify;
	unsigned int trips;
};

struct clock {
	char name[SCMI_NAME_LEN + 1];
	uint64_t rate;
	bool range;
	uint64_t rates[MAX_RATES];	/* discrete, or min/max/step */
	unsigned int nrates;
	bool enabled;
};

enum fault_kind {
	F_DROP_RESP, F_DROP_DRESP, F_DUP, F_DRESP_FIRST, F_LATE, F_LATE_DRESP,
	F_CORRUPT_HDR, F_CORRUPT_LEN, F_UNEXPECTED_DRESP, F_GHOST,
	F_EXIT_AFTER_RESP, F_PASS, F_ERROR, F_NR
};

static const char *const fault_names[F_NR] = {
	"drop-resp", "drop-dresp", "dup", "dresp-first", "late", "late-dresp",
	"corrupt-hdr", "corrupt-len", "unexpected-dresp", "ghost",
	"exit-after-resp", "pass", "error",
};

/* Which faults need an async (delayed response) or a sync command. */
enum { NEED_ANY, NEED_ASYNC, NEED_SYNC };
static const int fault_need[F_NR] = {
	[F_DROP_DRESP] = NEED_ASYNC, [F_DRESP_FIRST] = NEED_ASYNC,
	[F_LATE_DRESP] = NEED_ASYNC, [F_UNEXPECTED_DRESP] = NEED_SYNC,
	[F_EXIT_AFTER_RESP] = NEED_SYNC,
};

struct fault {
	enum fault_kind kind;
	unsigned int left;		/* 0 = unlimited */
};

/* Agent counters the emulator predicts; names match the module's. */
enum expect {
	E_TIMEOUTS, E_LATE, E_DUPLICATES, E_GHOSTS, E_OUT_OF_ORDER,
	E_OOO_RESP_DROPPED, E_UNEXPECTED_DRESP, E_MALFORMED, E_NOTIF, E_ERRORS,
	E_NR
};

static const char *const expect_names[E_NR] = {
	"timeouts", "late", "duplicates", "ghosts", "out_of_order",
	"ooo_resp_dropped", "unexpected_dresp", "malformed", "notif", "errors",
};

struct outmsg {
	struct outmsg *next;
	uint64_t due_ns;
	uint64_t seq;
	uint64_t cmd;			/* the transport's cookie of its command */
	size_t len;
	uint8_t data[SCMI_WIRE_MAX_MSG];
};

static struct {
	const char *dev;
	const char *vhost_path;
	const struct sp_transport *tr;
	uint64_t cur_cmd;		/* cookie of the command being handled */
	const char *stats_path;
	const char *control_path;
	int ctl_fd;
	bool verbose;

	struct sensor sensors[MAX_SENSORS];
	unsigned int nsensors;
	struct clock clocks[MAX_CLOCKS];
	unsigned int nclocks;
	char vendor[SCMI_NAME_LEN + 1];
	char sub_vendor[SCMI_NAME_LEN + 1];
	bool no_sub_vendor;	/* DISCOVER_SUB_VENDOR not implemented */
	uint32_t impl_ver;

	unsigned int lat_min, lat_max;	/* ms */
	unsigned int dresp_delay;	/* ms */
	int agent_timeout;		/* ms, -1: read module param */
	int agent_dresp_timeout;	/* ms, -1: read module param */
	unsigned int late_margin;	/* ms */
	int match_proto, match_msg;	/* -1: default set; -2: any */
	unsigned int desc_per_reply;	/* sensor descriptors per reply, 0: fit */
	unsigned int notify_period;	/* ms, 0 = off */
	unsigned int flood;
	unsigned int flood_delay;	/* ms */
	bool flood_done;
	uint64_t start_ns;
	uint64_t next_notify_ns;

	struct fault faults[MAX_FAULTS];
	unsigned int nfaults;

	struct outmsg *outq;
	uint64_t out_seq;
	unsigned int scheduled;

	uint8_t seen[SCMI_WIRE_NR_TOKENS];
	unsigned int nseen;
	uint16_t last_token;

	uint64_t commands, responses, dresps, notifications, write_errors;
	uint64_t unknown, undeliverable, transport_errors;
	uint64_t injected[F_NR];
	uint64_t expect[E_NR];
	uint64_t ghost_uncertain;
} P = {
	.dev = "/dev/scmi-platform",
	.tr = &sp_chardev,
	.ctl_fd = -1,
	.vendor = "socbpf",
	.sub_vendor = "emulator",
	.impl_ver = 0x00010000,
	.dresp_delay = 5,
	.agent_timeout = -1,
	.agent_dresp_timeout = -1,
	.late_margin = 300,
	.match_proto = -1,
	.match_msg = -1,
	.flood_delay = 500,
};

static volatile sig_atomic_t stop_flag, dump_flag;

#define die sp_die
#define vlog sp_log

void sp_die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("scmi-platform: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(2);
}

void sp_log(const char *fmt, ...)
{
	va_list ap;

	if (!P.verbose)
		return;
	va_start(ap, fmt);
	fputs("scmi-platform: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static int read_param(const char *name, int fallback)
{
	char path[128], buf[32];
	FILE *f;
	int v;

	snprintf(path, sizeof(path), "/sys/module/socbpf_scmi/parameters/%s",
		 name);
	f = fopen(path, "r");
	if (!f)
		return fallback;
	if (!fgets(buf, sizeof(buf), f) || sscanf(buf, "%d", &v) != 1)
		v = fallback;
	fclose(f);
	return v;
}

static unsigned int agent_timeout(void)
{
	return P.agent_timeout >= 0 ? (unsigned int)P.agent_timeout :
		(unsigned int)read_param("timeout_ms", 1000);
}

static unsigned int agent_dresp_timeout(void)
{
	return P.agent_dresp_timeout >= 0 ? (unsigned int)P.agent_dresp_timeout :
		(unsigned int)read_param("dresp_timeout_ms", 2000);
}

/* ------------------------------------------------------------------ stats */

static void write_stats(void)
{
	char tmp[4096 + 8];
	unsigned int i, n;
	FILE *f;

	if (!P.stats_path)
		return;
	snprintf(tmp, sizeof(tmp), "%s.tmp", P.stats_path);
	f = fopen(tmp, "w");
	if (!f)
		return;
	fprintf(f, "commands %" PRIu64 "\nresponses %" PRIu64 "\n",
		P.commands, P.responses);
	fprintf(f, "dresps %" PRIu64 "\nnotifications %" PRIu64 "\n",
		P.dresps, P.notifications);
	fprintf(f, "unknown %" PRIu64 "\nwrite_errors %" PRIu64 "\n",
		P.unknown, P.write_errors);
	fprintf(f, "undeliverable %" PRIu64 "\ntransport_errors %" PRIu64 "\n",
		P.undeliverable, P.transport_errors);
	for (i = 0; i < F_NR; i++) {
		char name[32];
		char *c;

		snprintf(name, sizeof(name), "%s", fault_names[i]);
		for (c = name; *c; c++)
			if (*c == '-')
				*c = '_';
		fprintf(f, "injected_%s %" PRIu64 "\n", name, P.injected[i]);
	}
	for (i = 0; i < E_NR; i++)
		fprintf(f, "expect_%s %" PRIu64 "\n", expect_names[i],
			P.expect[i]);
	fprintf(f, "ghost_uncertain %" PRIu64 "\n", P.ghost_uncertain);
	fprintf(f, "faults_pending %u\n", P.nfaults);
	for (i = 0, n = 0; i < P.nsensors; i++)
		n += P.sensors[i].notify;
	fprintf(f, "notify_enabled %u\n", n);
	fprintf(f, "scheduled %u\n", P.scheduled);
	fprintf(f, "tokens_seen %u\n", P.nseen);
	fclose(f);
	if (rename(tmp, P.stats_path))
		unlink(tmp);
}

static void print_summary(FILE *out)
{
	unsigned int i;

	fprintf(out, "scmi-platform: %" PRIu64 " commands, %" PRIu64
		" responses, %" PRIu64 " delayed responses, %" PRIu64
		" notifications\n", P.commands, P.responses, P.dresps,
		P.notifications);
	for (i = 0; i < F_NR; i++)
		if (P.injected[i])
			fprintf(out, "  injected %-17s %" PRIu64 "\n",
				fault_names[i], P.injected[i]);
	for (i = 0; i < E_NR; i++)
		if (P.expect[i])
			fprintf(out, "  expect   %-17s %" PRIu64 "\n",
				expect_names[i], P.expect[i]);
}

/* ------------------------------------------------------------- out queue */

static void schedule_msg(const void *data, size_t len, uint64_t delay_ms)
{
	struct outmsg *m, **pp;

	m = calloc(1, sizeof(*m));
	if (!m)
		die("out of memory");
	if (len > sizeof(m->data))
		len = sizeof(m->data);
	memcpy(m->data, data, len);
	m->len = len;
	m->due_ns = now_ns() + delay_ms * 1000000ull;
	m->seq = P.out_seq++;
	m->cmd = P.cur_cmd;
	/* Keep due order; equal due times keep scheduling order. */
	for (pp = &P.outq; *pp; pp = &(*pp)->next)
		if ((*pp)->due_ns > m->due_ns)
			break;
	m->next = *pp;
	*pp = m;
	P.scheduled++;
}

static void schedule_reply(uint8_t type, uint8_t proto, uint8_t msg,
			   uint16_t token, const void *payload, size_t plen,
			   uint64_t delay_ms)
{
	struct scmi_wire_hdr h = {
		.msg_id = msg, .type = type, .proto_id = proto, .token = token,
	};
	uint8_t buf[SCMI_WIRE_MAX_MSG];
	int n;

	n = scmi_wire_build(buf, sizeof(buf), &h, payload, plen);
	if (n < 0)
		die("internal error: reply too large (%zu)", plen);
	schedule_msg(buf, (size_t)n, delay_ms);
}

static void send_due(void)
{
	uint64_t t = now_ns();

	while (P.outq && P.outq->due_ns <= t) {
		struct outmsg *m = P.outq;
		struct scmi_wire_hdr h;
		int rc;

		P.outq = m->next;
		P.scheduled--;
		rc = P.tr->send(m->data, m->len, m->cmd);
		if (rc == SP_UNDELIVERABLE) {
			P.undeliverable++;
			vlog("%s cannot carry a message (%zu bytes)",
			     P.tr->name, m->len);
		} else if (rc < 0) {
			/* The agent rejects malformed messages on purpose. */
			if (rc != -EINVAL && rc != -EMSGSIZE)
				P.write_errors++;
			vlog("send (%zu bytes): %s", m->len, strerror(-rc));
		} else if (m->len >= 4) {
			scmi_wire_unpack(scmi_wire_get_le32(m->data), &h);
			if (h.type == SCMI_WIRE_TYPE_COMMAND)
				P.responses++;
			else if (h.type == SCMI_WIRE_TYPE_DELAYED_RESP)
				P.dresps++;
			else if (h.type == SCMI_WIRE_TYPE_NOTIFICATION)
				P.notifications++;
		}
		free(m);
	}
}

static int next_timeout_ms(void)
{
	uint64_t t = now_ns(), due = UINT64_MAX;

	if (P.outq)
		due = P.outq->due_ns;
	if (P.notify_period && P.next_notify_ns < due)
		due = P.next_notify_ns;
	if (P.flood && !P.flood_done) {
		uint64_t f = P.start_ns + (uint64_t)P.flood_delay * 1000000ull;

		if (f < due)
			due = f;
	}
	if (due == UINT64_MAX)
		return 1000;
	if (due <= t)
		return 0;
	return (int)((due - t + 999999) / 1000000);
}

/* ---------------------------------------------------------- notifications */

static void send_notifications(unsigned int n, bool only_enabled)
{
	unsigned int i, sent = 0;
	uint8_t pl[12];

	if (!P.nsensors)
		return;
	for (i = 0; sent < n; i++) {
		struct sensor *s = &P.sensors[i % P.nsensors];

		if (only_enabled && !s->notify) {
			if (i >= P.nsensors && !sent)
				return;
			continue;
		}
		scmi_wire_put_le32(pl, 0);			/* agent id */
		scmi_wire_put_le32(pl + 4, i % P.nsensors);	/* sensor id */
		scmi_wire_put_le32(pl + 8, 1);			/* trip 0, up */
		schedule_reply(SCMI_WIRE_TYPE_NOTIFICATION, SCMI_PROTO_SENSOR,
			       SCMI_SENSOR_EVT_TRIP_POINT, 0, pl, sizeof(pl), 0);
		P.expect[E_NOTIF]++;
		sent++;
	}
}

static void timers(void)
{
	uint64_t t = now_ns();

	if (P.flood && !P.flood_done &&
	    t >= P.start_ns + (uint64_t)P.flood_delay * 1000000ull) {
		P.flood_done = true;
		send_notifications(P.flood, false);
	}
	if (P.notify_period && t >= P.next_notify_ns) {
		send_notifications(1, true);
		P.next_notify_ns = t + (uint64_t)P.notify_period * 1000000ull;
	}
}

/* -------------------------------------------------------------- protocols */

struct reply {
	int32_t status;
	uint8_t pl[SCMI_WIRE_MAX_PAYLOAD];
	size_t len;			/* payload after status */
	bool async;			/* a delayed response follows */
	uint8_t dpl[SCMI_WIRE_MAX_PAYLOAD];
	size_t dlen;			/* delayed payload after status */
};

static void put32(struct reply *r, uint32_t v)
{
	if (r->len + 4 <= sizeof(r->pl) - 4) {
		scmi_wire_put_le32(r->pl + r->len, v);
		r->len += 4;
	}
}

static void put_name(uint8_t *dst, const char *name)
{
	memset(dst, 0, SCMI_NAME_LEN);
	memcpy(dst, name, strnlen(name, SCMI_NAME_LEN));
}

static uint32_t arg32(const struct scmi_wire_msg *m, unsigned int i, bool *ok)
{
	if (m->payload_len < (i + 1) * 4) {
		*ok = false;
		return 0;
	}
	return scmi_wire_get_le32(m->payload + i * 4);
}

static void do_base(const struct scmi_wire_msg *m, struct reply *r)
{
	bool ok = true;
	uint32_t a;
	unsigned int i, skip, n;
	static const uint8_t protos[] = { SCMI_PROTO_CLOCK, SCMI_PROTO_SENSOR };

	switch (m->hdr.msg_id) {
	case SCMI_MSG_PROTOCOL_VERSION:
		put32(r, 0x20000);
		break;
	case SCMI_MSG_PROTOCOL_ATTRIBUTES:
		put32(r, sizeof(protos) | (1u << 8));
		break;
	case SCMI_MSG_PROTOCOL_MSG_ATTRS:
		a = arg32(m, 0, &ok);
		if (!ok)
			r->status = SCMI_ERR_PROTOCOL;
		else if (a > SCMI_BASE_DISCOVER_LIST_PROTOS ||
			 (a == SCMI_BASE_DISCOVER_SUB_VENDOR && P.no_sub_vendor))
			r->status = SCMI_ERR_ENTRY;	/* NOT_FOUND */
		else
			put32(r, 0);
		break;
	case SCMI_BASE_DISCOVER_VENDOR:
	case SCMI_BASE_DISCOVER_SUB_VENDOR:
		if (m->hdr.msg_id == SCMI_BASE_DISCOVER_SUB_VENDOR && P.no_sub_vendor) {
			r->status = SCMI_ERR_SUPPORT;
			break;
		}
		put_name(r->pl, m->hdr.msg_id == SCMI_BASE_DISCOVER_VENDOR ?
			 P.vendor : P.sub_vendor);
		r->len = SCMI_NAME_LEN;
		break;
	case SCMI_BASE_DISCOVER_IMPL_VER:
		put32(r, P.impl_ver);
		break;
	case SCMI_BASE_DISCOVER_LIST_PROTOS:
		skip = arg32(m, 0, &ok);
		if (!ok || skip > sizeof(protos)) {
			r->status = SCMI_ERR_PARAMS;
			break;
		}
		n = sizeof(protos) - skip;
		put32(r, n);
		memset(r->pl + 4, 0, SOCBPF_ALIGN4(n));
		for (i = 0; i < n; i++)
			r->pl[4 + i] = protos[skip + i];
		r->len = 4 + SOCBPF_ALIGN4(n);
		break;
	default:
		r->status = SCMI_ERR_SUPPORT;
	}
}

static void do_sensor(const struct scmi_wire_msg *m, struct reply *r)
{
	unsigned int i, idx, n, per = (SCMI_WIRE_MAX_PAYLOAD - 8) /
				      SCMI_SENSOR_DESC_SIZE;
	bool ok = true;
	uint32_t id, flags;
	struct sensor *s;

	if (P.desc_per_reply && P.desc_per_reply < per)
		per = P.desc_per_reply;

	switch (m->hdr.msg_id) {
	case SCMI_MSG_PROTOCOL_VERSION:
		put32(r, 0x20000);
		break;
	case SCMI_MSG_PROTOCOL_ATTRIBUTES:
		put32(r, P.nsensors | (16u << 16));
		put32(r, 0);
		put32(r, 0);
		put32(r, 0);
		break;
	case SCMI_MSG_PROTOCOL_MSG_ATTRS:
		put32(r, 0);
		break;
	case SCMI_SENSOR_DESCRIPTION_GET:
		idx = arg32(m, 0, &ok);
		if (!ok || idx >= P.nsensors) {
			r->status = ok ? SCMI_ERR_RANGE : SCMI_ERR_PROTOCOL;
			break;
		}
		n = P.nsensors - idx;
		if (n > per)
			n = per;
		put32(r, n | ((P.nsensors - idx - n) << 16));
		for (i = 0; i < n; i++) {
			s = &P.sensors[idx + i];
			put32(r, idx + i);
			put32(r, SCMI_SENSOR_ATTRL_ASYNC | s->trips);
			put32(r, s->unit | (((uint32_t)s->scale & 0x1f) << 11));
			put_name(r->pl + r->len, s->name);
			r->len += SCMI_NAME_LEN;
		}
		break;
	case SCMI_SENSOR_TRIP_POINT_NOTIFY:
		id = arg32(m, 0, &ok);
		flags = arg32(m, 1, &ok);
		if (!ok || id >= P.nsensors) {
			r->status = ok ? SCMI_ERR_ENTRY : SCMI_ERR_PROTOCOL;
			break;
		}
		P.sensors[id].notify = flags & 1;
		break;
	case SCMI_SENSOR_TRIP_POINT_CONFIG:
		id = arg32(m, 0, &ok);
		if (!ok || id >= P.nsensors)
			r->status = ok ? SCMI_ERR_ENTRY : SCMI_ERR_PROTOCOL;
		break;
	case SCMI_SENSOR_READING_GET:
		id = arg32(m, 0, &ok);
		flags = arg32(m, 1, &ok);
		if (!ok || id >= P.nsensors) {
			r->status = ok ? SCMI_ERR_ENTRY : SCMI_ERR_PROTOCOL;
			break;
		}
		s = &P.sensors[id];
		if (flags & SCMI_SENSOR_READ_ASYNC) {
			r->async = true;
			scmi_wire_put_le32(r->dpl, id);
			scmi_wire_put_le32(r->dpl + 4, (uint32_t)s->value);
			scmi_wire_put_le32(r->dpl + 8,
					   (uint32_t)((uint64_t)s->value >> 32));
			r->dlen = 12;
		} else {
			put32(r, (uint32_t)s->value);
			put32(r, (uint32_t)((uint64_t)s->value >> 32));
		}
		break;
	default:
		r->status = SCMI_ERR_SUPPORT;
	}
}

static bool clock_rate_ok(const struct clock *c, uint64_t rate)
{
	unsigned int i;

	if (c->range)
		return rate >= c->rates[0] && rate <= c->rates[1] &&
		       (!c->rates[2] || (rate - c->rates[0]) % c->rates[2] == 0);
	for (i = 0; i < c->nrates; i++)
		if (c->rates[i] == rate)
			return true;
	return false;
}

static void do_clock(const struct scmi_wire_msg *m, struct reply *r)
{
	unsigned int i, idx, n, per = (SCMI_WIRE_MAX_PAYLOAD - 8) / 8;
	bool ok = true;
	uint32_t id, flags;
	uint64_t rate;
	struct clock *c;

	switch (m->hdr.msg_id) {
	case SCMI_MSG_PROTOCOL_VERSION:
		put32(r, 0x10000);
		break;
	case SCMI_MSG_PROTOCOL_ATTRIBUTES:
		put32(r, P.nclocks | (16u << 16));
		break;
	case SCMI_MSG_PROTOCOL_MSG_ATTRS:
		put32(r, 0);
		break;
	case SCMI_CLOCK_ATTRIBUTES:
		id = arg32(m, 0, &ok);
		if (!ok || id >= P.nclocks) {
			r->status = ok ? SCMI_ERR_ENTRY : SCMI_ERR_PROTOCOL;
			break;
		}
		put32(r, P.clocks[id].enabled ? 1 : 0);
		put_name(r->pl + r->len, P.clocks[id].name);
		r->len += SCMI_NAME_LEN;
		break;
	case SCMI_CLOCK_DESCRIBE_RATES:
		id = arg32(m, 0, &ok);
		idx = arg32(m, 1, &ok);
		if (!ok || id >= P.nclocks) {
			r->status = ok ? SCMI_ERR_ENTRY : SCMI_ERR_PROTOCOL;
			break;
		}
		c = &P.clocks[id];
		if (c->range) {
			put32(r, 3 | SCMI_CLOCK_RATES_RANGE);
			for (i = 0; i < 3; i++) {
				put32(r, (uint32_t)c->rates[i]);
				put32(r, (uint32_t)(c->rates[i] >> 32));
			}
			break;
		}
		if (idx >= c->nrates) {
			r->status = SCMI_ERR_RANGE;
			break;
		}
		n = c->nrates - idx;
		if (n > per)
			n = per;
		put32(r, n | ((c->nrates - idx - n) << 16));
		for (i = 0; i < n; i++) {
			put32(r, (uint32_t)c->rates[idx + i]);
			put32(r, (uint32_t)(c->rates[idx + i] >> 32));
		}
		break;
	case SCMI_CLOCK_RATE_SET:
		flags = arg32(m, 0, &ok);
		id = arg32(m, 1, &ok);
		rate = arg32(m, 2, &ok);
		rate |= (uint64_t)arg32(m, 3, &ok) << 32;
		if (!ok || id >= P.nclocks) {
			r->status = ok ? SCMI_ERR_ENTRY : SCMI_ERR_PROTOCOL;
			break;
		}
		c = &P.clocks[id];
		if (!clock_rate_ok(c, rate)) {
			r->status = SCMI_ERR_RANGE;
			break;
		}
		c->rate = rate;
		if ((flags & SCMI_CLOCK_SET_ASYNC) &&
		    !(flags & SCMI_CLOCK_SET_IGNORE_RESP)) {
			r->async = true;
			scmi_wire_put_le32(r->dpl, id);
			scmi_wire_put_le32(r->dpl + 4, (uint32_t)rate);
			scmi_wire_put_le32(r->dpl + 8, (uint32_t)(rate >> 32));
			r->dlen = 12;
		}
		break;
	case SCMI_CLOCK_RATE_GET:
		id = arg32(m, 0, &ok);
		if (!ok || id >= P.nclocks) {
			r->status = ok ? SCMI_ERR_ENTRY : SCMI_ERR_PROTOCOL;
			break;
		}
		put32(r, (uint32_t)P.clocks[id].rate);
		put32(r, (uint32_t)(P.clocks[id].rate >> 32));
		break;
	case SCMI_CLOCK_CONFIG_SET:
		id = arg32(m, 0, &ok);
		flags = arg32(m, 1, &ok);
		if (!ok || id >= P.nclocks) {
			r->status = ok ? SCMI_ERR_ENTRY : SCMI_ERR_PROTOCOL;
			break;
		}
		P.clocks[id].enabled = flags & 1;
		break;
	default:
		r->status = SCMI_ERR_SUPPORT;
	}
}

/* ------------------------------------------------------------- injection */

static bool cmd_matches(const struct scmi_wire_hdr *h)
{
	if (P.match_proto == -2)
		return true;
	if (P.match_proto >= 0)
		return h->proto_id == P.match_proto &&
		       (P.match_msg < 0 || h->msg_id == P.match_msg);
	return (h->proto_id == SCMI_PROTO_SENSOR &&
		h->msg_id == SCMI_SENSOR_READING_GET) ||
	       (h->proto_id == SCMI_PROTO_CLOCK &&
		h->msg_id == SCMI_CLOCK_RATE_SET);
}

/*
 * Take the next queued fault if it applies to this command.  An "error" is
 * taken @before the command runs (the platform refuses it: no effect), the
 * other kinds after it.
 */
static int take_fault(const struct scmi_wire_hdr *h, bool async, bool before)
{
	struct fault *f;
	int need;

	if (!P.nfaults || !cmd_matches(h))
		return -1;
	f = &P.faults[0];
	if ((f->kind == F_ERROR) != before)
		return -1;
	need = fault_need[f->kind];
	if ((need == NEED_ASYNC && !async) || (need == NEED_SYNC && async))
		return -1;
	need = f->kind;
	if (f->left && --f->left == 0) {
		memmove(&P.faults[0], &P.faults[1],
			(P.nfaults - 1) * sizeof(P.faults[0]));
		P.nfaults--;
	}
	P.injected[need]++;
	return need;
}

static uint16_t ghost_token(void)
{
	unsigned int i, t;

	for (i = 0; i < SCMI_WIRE_NR_TOKENS; i++) {
		t = (P.last_token + 512 + i) & SCMI_WIRE_TOKEN_MAX;
		if (!P.seen[t])
			return (uint16_t)t;
	}
	P.ghost_uncertain++;
	return (P.last_token + 512) & SCMI_WIRE_TOKEN_MAX;
}

static unsigned int latency(void)
{
	if (P.lat_max <= P.lat_min)
		return P.lat_min;
	return P.lat_min + (unsigned int)(random() % (P.lat_max - P.lat_min + 1));
}

static void reply_build(const struct scmi_wire_msg *m, const struct reply *r,
			bool delayed, uint8_t *buf, size_t *len)
{
	uint8_t pl[SCMI_WIRE_MAX_PAYLOAD];
	struct scmi_wire_hdr h = m->hdr;
	size_t n = delayed ? r->dlen : r->len;

	h.type = delayed ? SCMI_WIRE_TYPE_DELAYED_RESP : SCMI_WIRE_TYPE_COMMAND;
	scmi_wire_put_le32(pl, (uint32_t)(delayed ? SCMI_SUCCESS : r->status));
	memcpy(pl + 4, delayed ? r->dpl : r->pl, n);
	*len = (size_t)scmi_wire_build(buf, SCMI_WIRE_MAX_MSG, &h, pl, n + 4);
}

static void handle_command(const uint8_t *buf, size_t len)
{
	uint8_t rbuf[SCMI_WIRE_MAX_MSG], dbuf[SCMI_WIRE_MAX_MSG];
	size_t rlen, dlen;
	struct scmi_wire_msg m;
	struct reply r;
	unsigned int lat, late_ms;
	int fault;

	if (scmi_wire_parse(buf, len, false, &m)) {
		P.unknown++;
		vlog("unparsable command (%zu bytes)", len);
		return;
	}
	P.commands++;
	if (!P.seen[m.hdr.token]) {
		P.seen[m.hdr.token] = 1;
		P.nseen++;
	}
	P.last_token = m.hdr.token;

	memset(&r, 0, sizeof(r));
	fault = take_fault(&m.hdr, false, true);
	if (fault == F_ERROR) {
		vlog("inject error on tok=%u", m.hdr.token);
		r.status = SCMI_ERR_GENERIC;
		P.expect[E_ERRORS]++;
	} else switch (m.hdr.proto_id) {
	case SCMI_PROTO_BASE:
		do_base(&m, &r);
		break;
	case SCMI_PROTO_SENSOR:
		do_sensor(&m, &r);
		break;
	case SCMI_PROTO_CLOCK:
		do_clock(&m, &r);
		break;
	default:
		r.status = SCMI_ERR_SUPPORT;
	}
	if (r.status != SCMI_SUCCESS)
		r.async = false;
	vlog("cmd pt=0x%02x msg=0x%02x tok=%u -> status %d%s", m.hdr.proto_id,
	     m.hdr.msg_id, m.hdr.token, r.status, r.async ? " +dresp" : "");

	reply_build(&m, &r, false, rbuf, &rlen);
	if (r.async)
		reply_build(&m, &r, true, dbuf, &dlen);
	lat = latency();
	fault = take_fault(&m.hdr, r.async, false);
	if (fault >= 0)
		vlog("inject %s on tok=%u", fault_names[fault], m.hdr.token);

	switch (fault) {
	case F_DROP_RESP:
		P.expect[E_TIMEOUTS]++;
		return;
	case F_DROP_DRESP:
		schedule_msg(rbuf, rlen, lat);
		P.expect[E_TIMEOUTS]++;
		return;
	case F_DUP:
		schedule_msg(rbuf, rlen, lat);
		if (r.async) {
			schedule_msg(dbuf, dlen, lat + P.dresp_delay);
			schedule_msg(dbuf, dlen, lat + P.dresp_delay);
		} else {
			schedule_msg(rbuf, rlen, lat);
		}
		P.expect[E_DUPLICATES]++;
		return;
	case F_DRESP_FIRST:
		schedule_msg(dbuf, dlen, lat);
		schedule_msg(rbuf, rlen, lat + P.dresp_delay);
		P.expect[E_OUT_OF_ORDER]++;
		P.expect[E_OOO_RESP_DROPPED]++;
		return;
	case F_LATE:
		late_ms = agent_timeout() + P.late_margin;
		schedule_msg(rbuf, rlen, late_ms);
		P.expect[E_TIMEOUTS]++;
		P.expect[E_LATE]++;
		if (r.async) {
			schedule_msg(dbuf, dlen, late_ms + P.dresp_delay);
			P.expect[E_LATE]++;
		}
		return;
	case F_LATE_DRESP:
		schedule_msg(rbuf, rlen, lat);
		schedule_msg(dbuf, dlen,
			     lat + agent_dresp_timeout() + P.late_margin);
		P.expect[E_TIMEOUTS]++;
		P.expect[E_LATE]++;
		return;
	case F_CORRUPT_HDR:
		/* Reserved message type 1: the agent must reject it. */
		rbuf[1] = (uint8_t)((rbuf[1] & ~0x3) | SCMI_WIRE_TYPE_RESERVED);
		schedule_msg(rbuf, rlen, lat);
		P.expect[E_MALFORMED]++;
		P.expect[E_TIMEOUTS]++;
		return;
	case F_CORRUPT_LEN:
		/* Truncated inside the header. */
		schedule_msg(rbuf, 3, lat);
		P.expect[E_MALFORMED]++;
		P.expect[E_TIMEOUTS]++;
		return;
	case F_UNEXPECTED_DRESP: {
		uint8_t ubuf[SCMI_WIRE_MAX_MSG];
		struct scmi_wire_hdr h = m.hdr;
		uint8_t st[4] = { 0 };

		h.type = SCMI_WIRE_TYPE_DELAYED_RESP;
		schedule_msg(ubuf, (size_t)scmi_wire_build(ubuf, sizeof(ubuf),
							   &h, st, 4), lat);
		schedule_msg(rbuf, rlen, lat);
		P.expect[E_UNEXPECTED_DRESP]++;
		return;
	}
	case F_EXIT_AFTER_RESP:
		/*
		 * Answer at once, then crash: the agent sees the platform go
		 * away right after a complete response, before its waiter
		 * may have run. The answer must still stand.
		 */
		if (P.tr->send(rbuf, rlen, P.cur_cmd) < 0)
			die("send: %s", strerror(errno));
		_exit(0);
	case F_GHOST: {
		uint8_t gbuf[SCMI_WIRE_MAX_MSG];
		struct scmi_wire_hdr h = m.hdr;

		memcpy(gbuf, rbuf, rlen);
		h.token = ghost_token();
		scmi_wire_put_le32(gbuf, scmi_wire_pack(&h));
		schedule_msg(gbuf, rlen, lat);
		schedule_msg(rbuf, rlen, lat);
		P.expect[E_GHOSTS]++;
		break;
	}
	default:
		schedule_msg(rbuf, rlen, lat);
		break;
	}
	if (r.async)
		schedule_msg(dbuf, dlen, lat + P.dresp_delay);
}

/* Called by the transports for every command; @cmd is their cookie. */
void sp_command(const uint8_t *buf, size_t len, uint64_t cmd)
{
	P.cur_cmd = cmd;
	handle_command(buf, len);
	P.cur_cmd = 0;
}

void sp_transport_error(void)
{
	P.transport_errors++;
}

/* ---------------------------------------------------------------- parsing */

static bool parse_uint(const char *s, unsigned long long max,
		       unsigned long long *out)
{
	char *end;
	unsigned long long v;

	if (!s || !*s || *s == '-')
		return false;
	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || *end || v > max)
		return false;
	*out = v;
	return true;
}

static bool parse_range(const char *s, unsigned int *lo, unsigned int *hi)
{
	char buf[64], *dash;
	unsigned long long a, b;

	snprintf(buf, sizeof(buf), "%s", s);
	dash = strchr(buf, '-');
	if (dash)
		*dash++ = '\0';
	if (!parse_uint(buf, 600000, &a))
		return false;
	b = a;
	if (dash && !parse_uint(dash, 600000, &b))
		return false;
	if (b < a)
		return false;
	*lo = (unsigned int)a;
	*hi = (unsigned int)b;
	return true;
}

static int parse_fault(const char *s, struct fault *f)
{
	char buf[64], *eq;
	unsigned long long n = 1;
	unsigned int i;

	snprintf(buf, sizeof(buf), "%s", s);
	eq = strchr(buf, '=');
	if (eq) {
		*eq++ = '\0';
		if (!parse_uint(eq, 1000000, &n))
			return -1;
	}
	for (i = 0; i < F_NR; i++) {
		if (!strcmp(buf, fault_names[i])) {
			f->kind = (enum fault_kind)i;
			f->left = (unsigned int)n;
			return 0;
		}
	}
	return -1;
}

static void add_fault(const char *s, bool fatal)
{
	struct fault f;

	if (parse_fault(s, &f)) {
		if (fatal)
			die("bad --fault '%s' (see --help for kinds)", s);
		fprintf(stderr, "scmi-platform: bad fault '%s'\n", s);
		return;
	}
	if (P.nfaults >= MAX_FAULTS) {
		if (fatal)
			die("too many --fault (max %d)", MAX_FAULTS);
		return;
	}
	P.faults[P.nfaults++] = f;
}

static const struct {
	const char *name;
	uint8_t unit;
} unit_names[] = {
	{ "temp", SCMI_SENSOR_UNIT_DEGC }, { "in", SCMI_SENSOR_UNIT_VOLTS },
	{ "curr", SCMI_SENSOR_UNIT_AMPS }, { "power", SCMI_SENSOR_UNIT_WATTS },
	{ "energy", SCMI_SENSOR_UNIT_JOULES }, { "fan", SCMI_SENSOR_UNIT_RPM },
};

/* NAME:TYPE:VALUE[:SCALE[:TRIPS]] */
static void add_sensor(const char *spec)
{
	char buf[128], *f[5] = { 0 }, *p, *save = NULL;
	unsigned int i, nf = 0;
	struct sensor *s;
	long long v;
	char *end;

	if (P.nsensors >= MAX_SENSORS)
		die("too many sensors (max %d)", MAX_SENSORS);
	snprintf(buf, sizeof(buf), "%s", spec);
	for (p = strtok_r(buf, ":", &save); p && nf < 5;
	     p = strtok_r(NULL, ":", &save))
		f[nf++] = p;
	if (nf < 3 || strlen(f[0]) > SCMI_NAME_LEN - 1)
		die("bad --sensor '%s': want NAME:TYPE:VALUE[:SCALE[:TRIPS]], NAME up to 15 chars",
		    spec);
	s = &P.sensors[P.nsensors];
	memset(s, 0, sizeof(*s));
	snprintf(s->name, sizeof(s->name), "%s", f[0]);
	for (i = 0; i < sizeof(unit_names) / sizeof(unit_names[0]); i++)
		if (!strcmp(f[1], unit_names[i].name))
			break;
	if (i == sizeof(unit_names) / sizeof(unit_names[0]))
		die("bad sensor type '%s' (temp, in, curr, power, energy, fan)",
		    f[1]);
	s->unit = unit_names[i].unit;
	errno = 0;
	v = strtoll(f[2], &end, 0);
	if (errno || *end)
		die("bad sensor value '%s'", f[2]);
	s->value = v;
	s->scale = -3;
	if (nf > 3) {
		v = strtoll(f[3], &end, 0);
		if (*end || v < -16 || v > 15)
			die("bad sensor scale '%s' (-16..15)", f[3]);
		s->scale = (int)v;
	}
	if (nf > 4) {
		v = strtoll(f[4], &end, 0);
		if (*end || v < 0 || v > 255)
			die("bad sensor trip count '%s' (0..255)", f[4]);
		s->trips = (unsigned int)v;
	}
	P.nsensors++;
}

/* NAME:RATE:R1,R2,...  or  NAME:RATE:MIN-MAX/STEP */
static void add_clock(const char *spec)
{
	char buf[256], *name, *rate, *rates, *p, *save = NULL;
	unsigned long long v, a, b, st;
	struct clock *c;

	if (P.nclocks >= MAX_CLOCKS)
		die("too many clocks (max %d)", MAX_CLOCKS);
	snprintf(buf, sizeof(buf), "%s", spec);
	name = strtok_r(buf, ":", &save);
	rate = strtok_r(NULL, ":", &save);
	rates = strtok_r(NULL, ":", &save);
	if (!name || !rate || !rates || strlen(name) > SCMI_NAME_LEN - 1 ||
	    !parse_uint(rate, UINT64_MAX, &v))
		die("bad --clock '%s': want NAME:RATE:R1,R2,... or NAME:RATE:MIN-MAX/STEP",
		    spec);
	c = &P.clocks[P.nclocks];
	memset(c, 0, sizeof(*c));
	snprintf(c->name, sizeof(c->name), "%s", name);
	c->rate = v;
	c->enabled = true;
	if (strchr(rates, '-')) {
		char *dash = strchr(rates, '-'), *slash = strchr(rates, '/');

		*dash = '\0';
		if (!slash)
			die("bad clock range '%s': want MIN-MAX/STEP", spec);
		*slash = '\0';
		if (!parse_uint(rates, UINT64_MAX, &a) ||
		    !parse_uint(dash + 1, UINT64_MAX, &b) ||
		    !parse_uint(slash + 1, UINT64_MAX, &st) || b < a)
			die("bad clock range in '%s'", spec);
		c->range = true;
		c->rates[0] = a;
		c->rates[1] = b;
		c->rates[2] = st;
		c->nrates = 3;
	} else {
		save = NULL;
		for (p = strtok_r(rates, ",", &save); p;
		     p = strtok_r(NULL, ",", &save)) {
			if (c->nrates >= MAX_RATES)
				die("too many rates in '%s' (max %d)", spec,
				    MAX_RATES);
			if (!parse_uint(p, UINT64_MAX, &a))
				die("bad rate '%s' in '%s'", p, spec);
			c->rates[c->nrates++] = a;
		}
	}
	if (!clock_rate_ok(c, c->rate))
		die("clock '%s': initial rate %llu is not one of its rates",
		    c->name, v);
	P.nclocks++;
}

static void default_model(void)
{
	if (!P.nsensors) {
		add_sensor("soc_temp:temp:45000:-3:1");
		add_sensor("cpu_temp:temp:52500:-3:0");
		add_sensor("vdd_core:in:900:-3");
		add_sensor("soc_power:power:2500:-3");
	}
	if (!P.nclocks) {
		add_clock("cpu_clk:1200000000:400000000,800000000,1200000000,1800000000");
		add_clock("gpu_clk:400000000:100000000-800000000/100000000");
	}
}

/* --match / "match": default, any, or PROTO[:MSG] */
static bool parse_match(const char *s)
{
	unsigned long long v, v2 = 0;
	char buf[32], *colon;

	if (!s)
		return false;
	if (!strcmp(s, "default")) {
		P.match_proto = -1;
		return true;
	}
	if (!strcmp(s, "any")) {
		P.match_proto = -2;
		return true;
	}
	snprintf(buf, sizeof(buf), "%s", s);
	colon = strchr(buf, ':');
	if (colon)
		*colon++ = '\0';
	if (!parse_uint(buf, 255, &v) || (colon && !parse_uint(colon, 255, &v2)))
		return false;
	P.match_proto = (int)v;
	P.match_msg = colon ? (int)v2 : -1;
	return true;
}

/* ---------------------------------------------------------------- control */

static void control_line(char *line)
{
	char *cmd = strtok(line, " \t\r\n"), *arg = strtok(NULL, " \t\r\n");
	unsigned long long n;
	unsigned int lo, hi;

	if (!cmd)
		return;
	if (!strcmp(cmd, "fault") && arg) {
		add_fault(arg, false);
	} else if (!strcmp(cmd, "flood") && parse_uint(arg, 1000000, &n)) {
		send_notifications((unsigned int)n, false);
	} else if (!strcmp(cmd, "notify") && parse_uint(arg, 1000000, &n)) {
		send_notifications((unsigned int)n, true);
	} else if (!strcmp(cmd, "latency") && arg && parse_range(arg, &lo, &hi)) {
		P.lat_min = lo;
		P.lat_max = hi;
	} else if (!strcmp(cmd, "match") && parse_match(arg)) {
		/* which commands the queued faults apply to, from now on */
	} else if (!strcmp(cmd, "clear-faults")) {
		P.nfaults = 0;
	} else if (!strcmp(cmd, "stats")) {
		write_stats();
	} else if (!strcmp(cmd, "quit")) {
		stop_flag = 1;
	} else {
		fprintf(stderr, "scmi-platform: bad control command '%s'\n", cmd);
	}
}

static void control_read(void)
{
	static char buf[1024];
	static size_t have;
	ssize_t n;
	char *nl;

	n = read(P.ctl_fd, buf + have, sizeof(buf) - 1 - have);
	if (n <= 0) {
		/* Writer closed: reopen so the next writer is seen. */
		if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
			close(P.ctl_fd);
			P.ctl_fd = open(P.control_path, O_RDONLY | O_NONBLOCK);
		}
		return;
	}
	have += (size_t)n;
	buf[have] = '\0';
	while ((nl = strchr(buf, '\n'))) {
		*nl = '\0';
		control_line(buf);
		have -= (size_t)(nl + 1 - buf);
		memmove(buf, nl + 1, have + 1);
	}
	if (have == sizeof(buf) - 1)
		have = 0;
}

/* ------------------------------------------------------------------- main */

static void usage(FILE *out)
{
	fprintf(out,
"Usage: scmi-platform [OPTIONS]\n"
"Userspace SCMI platform for the socbpf_scmi agent: answers Base (0x10),\n"
"Clock (0x14) and Sensor (0x15) commands on /dev/scmi-platform and injects\n"
"faults, counting what the agent's debugfs counters must show.\n"
"\n"
"Transport (one of):\n"
"  -d, --dev PATH            socbpf_scmi's device (default /dev/scmi-platform)\n"
"      --vhost-user SOCKET   serve QEMU's vhost-user-scmi device on the unix\n"
"                            socket SOCKET (created; QEMU connects to it with\n"
"                            -chardev socket,path=SOCKET): upstream's arm_scmi\n"
"                            virtio transport as the agent\n"
"Model:\n"
"  -s, --sensor SPEC         NAME:TYPE:VALUE[:SCALE[:TRIPS]]; TYPE temp|in|curr|\n"
"                            power|energy|fan; reading = VALUE * 10^SCALE units\n"
"                            (SCALE default -3); repeatable, replaces defaults\n"
"  -c, --clock SPEC          NAME:RATE:R1,R2,... or NAME:RATE:MIN-MAX/STEP (Hz)\n"
"      --desc-per-reply N    sensor descriptors per SENSOR_DESCRIPTION_GET reply\n"
"                            (1..4, default: as many as fit)\n"
"      --vendor STR          base vendor (default socbpf)\n"
"      --sub-vendor STR      base sub-vendor (default emulator)\n"
"      --no-sub-vendor       no DISCOVER_SUB_VENDOR (NOT_FOUND to its\n"
"                            PROTOCOL_MESSAGE_ATTRIBUTES, as the spec says)\n"
"      --impl-ver N          implementation version (default 0x10000)\n"
"Timing:\n"
"  -l, --latency MS|MIN-MAX  response latency, fixed or uniform random (0)\n"
"      --dresp-delay MS      delay of a delayed response after its response (5)\n"
"      --agent-timeout MS    agent response timeout (default: module param)\n"
"      --agent-dresp-timeout MS  agent delayed response timeout (module param)\n"
"      --late-margin MS      how far past the timeout late replies go (300)\n"
"Faults (queued in order, each for COUNT matching commands, 0 = forever):\n"
"  -f, --fault KIND[=COUNT]  drop-resp, drop-dresp, dup, dresp-first, late,\n"
"                            late-dresp, corrupt-hdr, corrupt-len,\n"
"                            unexpected-dresp, ghost, exit-after-resp,\n"
"                            pass (answer normally: positions later faults),\n"
"                            error (refuse with GENERIC_ERROR, no effect)\n"
"  -m, --match WHAT          commands faults apply to: default (sensor reading\n"
"                            + clock rate set), any, or PROTO[:MSG]\n"
"      --flood N             send N sensor trip notifications once, after\n"
"      --flood-delay MS      this delay from start (500)\n"
"      --notify-period MS    one trip notification per period for sensors\n"
"                            whose notifications the agent enabled\n"
"Control and output:\n"
"  -C, --control PATH        FIFO for runtime commands (created if missing):\n"
"                            fault KIND[=N] | flood N | notify N |\n"
"                            latency MS|MIN-MAX | match WHAT | clear-faults |\n"
"                            stats | quit\n"
"  -S, --stats PATH          keep PATH updated with counters and the expected\n"
"                            agent counters (expect_<name>)\n"
"      --seed N              random seed for latency (default 1)\n"
"  -v, --verbose             log every command\n"
"  -h, --help                this help\n"
"\n"
"Examples:\n"
"  scmi-platform -S /tmp/plat.stats &              # default sensors and clocks\n"
"  scmi-platform -l 1-20 -f late=2 -f dup -S /tmp/s\n"
"  scmi-platform -s soc:temp:41000:-3:1 -c cpu:1000:1000,2000 --flood 100\n"
"  scmi-platform -C /tmp/plat.ctl & echo 'fault dresp-first=1' > /tmp/plat.ctl\n"
"\n"
"Stats keys: commands responses dresps notifications injected_<fault>\n"
"expect_{timeouts,late,duplicates,ghosts,out_of_order,ooo_resp_dropped,\n"
"unexpected_dresp,malformed,notif,errors} faults_pending scheduled\n"
"notify_enabled (sensors whose trip notifications are on)\n");
}

static void on_signal(int sig)
{
	if (sig == SIGUSR1)
		dump_flag = 1;
	else
		stop_flag = 1;
}

enum {
	O_VENDOR = 256, O_SUBVENDOR, O_IMPLVER, O_DRESP_DELAY, O_AGENT_TMO,
	O_AGENT_DTMO, O_LATE_MARGIN, O_FLOOD, O_FLOOD_DELAY, O_NOTIFY_PERIOD,
	O_SEED, O_DESC_PER_REPLY, O_VHOST_USER, O_NO_SUBVENDOR,
};

static void parse_args(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "dev", required_argument, NULL, 'd' },
		{ "vhost-user", required_argument, NULL, O_VHOST_USER },
		{ "sensor", required_argument, NULL, 's' },
		{ "clock", required_argument, NULL, 'c' },
		{ "vendor", required_argument, NULL, O_VENDOR },
		{ "sub-vendor", required_argument, NULL, O_SUBVENDOR },
		{ "no-sub-vendor", no_argument, NULL, O_NO_SUBVENDOR },
		{ "impl-ver", required_argument, NULL, O_IMPLVER },
		{ "latency", required_argument, NULL, 'l' },
		{ "dresp-delay", required_argument, NULL, O_DRESP_DELAY },
		{ "agent-timeout", required_argument, NULL, O_AGENT_TMO },
		{ "agent-dresp-timeout", required_argument, NULL, O_AGENT_DTMO },
		{ "late-margin", required_argument, NULL, O_LATE_MARGIN },
		{ "fault", required_argument, NULL, 'f' },
		{ "match", required_argument, NULL, 'm' },
		{ "flood", required_argument, NULL, O_FLOOD },
		{ "flood-delay", required_argument, NULL, O_FLOOD_DELAY },
		{ "notify-period", required_argument, NULL, O_NOTIFY_PERIOD },
		{ "control", required_argument, NULL, 'C' },
		{ "stats", required_argument, NULL, 'S' },
		{ "seed", required_argument, NULL, O_SEED },
		{ "desc-per-reply", required_argument, NULL, O_DESC_PER_REPLY },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	unsigned long long v;
	unsigned int seed = 1;
	int c;

	opterr = 0;
	while ((c = getopt_long(argc, argv, ":d:s:c:l:f:m:C:S:vh", opts,
				NULL)) != -1) {
		switch (c) {
		case 'd':
			P.dev = optarg;
			break;
		case O_VHOST_USER:
			P.vhost_path = optarg;
			P.tr = &sp_vhost_user;
			break;
		case 's':
			add_sensor(optarg);
			break;
		case 'c':
			add_clock(optarg);
			break;
		case O_VENDOR:
		case O_SUBVENDOR:
			if (strlen(optarg) > SCMI_NAME_LEN - 1)
				die("--%s: at most %u characters",
				    c == O_VENDOR ? "vendor" : "sub-vendor",
				    SCMI_NAME_LEN - 1);
			snprintf(c == O_VENDOR ? P.vendor : P.sub_vendor,
				 SCMI_NAME_LEN + 1, "%s", optarg);
			break;
		case O_NO_SUBVENDOR:
			P.no_sub_vendor = true;
			break;
		case O_IMPLVER:
			if (!parse_uint(optarg, UINT32_MAX, &v))
				die("bad --impl-ver '%s'", optarg);
			P.impl_ver = (uint32_t)v;
			break;
		case 'l':
			if (!parse_range(optarg, &P.lat_min, &P.lat_max))
				die("bad --latency '%s': want MS or MIN-MAX", optarg);
			break;
		case O_DESC_PER_REPLY:
			if (!parse_uint(optarg, 4, &v) || !v)
				die("bad value '%s' for --desc-per-reply (1..4)", optarg);
			P.desc_per_reply = (unsigned int)v;
			break;
		case O_DRESP_DELAY:
		case O_AGENT_TMO:
		case O_AGENT_DTMO:
		case O_LATE_MARGIN:
		case O_FLOOD_DELAY:
		case O_NOTIFY_PERIOD:
			if (!parse_uint(optarg, 600000, &v))
				die("bad value '%s' for --%s (0..600000 ms)",
				    optarg, argv[optind - 1] + 2);
			if (c == O_DRESP_DELAY)
				P.dresp_delay = (unsigned int)v;
			else if (c == O_AGENT_TMO)
				P.agent_timeout = (int)v;
			else if (c == O_AGENT_DTMO)
				P.agent_dresp_timeout = (int)v;
			else if (c == O_LATE_MARGIN)
				P.late_margin = (unsigned int)v;
			else if (c == O_FLOOD_DELAY)
				P.flood_delay = (unsigned int)v;
			else
				P.notify_period = (unsigned int)v;
			break;
		case O_FLOOD:
			if (!parse_uint(optarg, 1000000, &v))
				die("bad --flood '%s' (0..1000000)", optarg);
			P.flood = (unsigned int)v;
			break;
		case 'f':
			add_fault(optarg, true);
			break;
		case 'm':
			if (!parse_match(optarg))
				die("bad --match '%s': want default, any or PROTO[:MSG]",
				    optarg);
			break;
		case 'C':
			P.control_path = optarg;
			break;
		case 'S':
			P.stats_path = optarg;
			break;
		case O_SEED:
			if (!parse_uint(optarg, UINT32_MAX, &v))
				die("bad --seed '%s'", optarg);
			seed = (unsigned int)v;
			break;
		case 'v':
			P.verbose = true;
			break;
		case 'h':
			usage(stdout);
			exit(0);
		case ':':
			die("option '%s' needs an argument (see --help)",
			    argv[optind - 1]);
		default:
			die("unknown option '%s' (see --help)", argv[optind - 1]);
		}
	}
	if (optind < argc)
		die("unexpected argument '%s' (see --help)", argv[optind]);
	srandom(seed);
}

int main(int argc, char **argv)
{
	struct sigaction sa;
	struct pollfd pfd[16];
	unsigned int nt;
	int ret, ctl_wr = -1;

	parse_args(argc, argv);
	default_model();

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGUSR1, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	if (P.control_path) {
		if (access(P.control_path, F_OK) && mkfifo(P.control_path, 0600))
			die("cannot create control FIFO %s: %s", P.control_path,
			    strerror(errno));
		P.ctl_fd = open(P.control_path, O_RDONLY | O_NONBLOCK);
		if (P.ctl_fd < 0)
			die("cannot open control %s: %s", P.control_path,
			    strerror(errno));
		/* Hold a writer so the FIFO never reports end-of-file. */
		ctl_wr = open(P.control_path, O_WRONLY | O_NONBLOCK);
	}

	P.tr->open(P.tr == &sp_vhost_user ? P.vhost_path : P.dev);
	P.start_ns = now_ns();
	P.next_notify_ns = P.start_ns + (uint64_t)P.notify_period * 1000000ull;
	write_stats();

	while (!stop_flag) {
		nt = P.tr->pollfds(pfd, 15);
		if (P.ctl_fd >= 0) {
			pfd[nt].fd = P.ctl_fd;
			pfd[nt].events = POLLIN;
		}
		ret = poll(pfd, nt + (P.ctl_fd >= 0), next_timeout_ms());
		if (ret < 0 && errno != EINTR)
			die("poll: %s", strerror(errno));
		if (ret > 0) {
			P.tr->events(pfd, nt);
			if (P.ctl_fd >= 0 && (pfd[nt].revents & (POLLIN | POLLHUP)))
				control_read();
		}
		timers();
		send_due();
		write_stats();
		if (dump_flag) {
			dump_flag = 0;
			print_summary(stderr);
		}
	}
	write_stats();
	print_summary(stdout);
	P.tr->close();
	if (P.ctl_fd >= 0)
		close(P.ctl_fd);
	if (ctl_wr >= 0)
		close(ctl_wr);
	return 0;
}
