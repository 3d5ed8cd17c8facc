/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * qrtrtop's pure logic, kept out of the tool so it can be unit tested on the
 * host (selftests/unit/test_qrtrtop_calc.c):
 *
 *  - rates from cumulative counters (qt_delta, qt_rate), robust against
 *    counters that restart (endpoint id reused, tool restarted);
 *  - the rows of the endpoint and port tables and their sort orders;
 *  - parsers for socbpf_qrtr's debugfs files (endpoints, servers, policy),
 *    used to seed the view with what existed before the tool started;
 *  - the QRTR service "instance" word (version | instance << 8);
 *  - compact number formatting for the terminal.
 *
 * Userspace only, no allocation, no I/O.
 */
#ifndef _SOCBPF_QRTRTOP_CALC_H
#define _SOCBPF_QRTRTOP_CALC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define QT_KEY_LEN	72
#define QT_NAME_LEN	16
#define QT_MAX_REASONS	32
#define QT_POLICY_LEN	64

/* ---- rates -------------------------------------------------------------- */

/*
 * Increase of a cumulative counter.  A counter that went backwards restarted
 * from zero (its endpoint id was reclaimed and reused): everything it holds
 * now was counted during the interval.
 */
static inline uint64_t qt_delta(uint64_t cur, uint64_t prev)
{
	return cur >= prev ? cur - prev : cur;
}

/* Per-second rate of a counter over @dt_ns nanoseconds; 0 if dt is 0. */
static inline double qt_rate(uint64_t cur, uint64_t prev, uint64_t dt_ns)
{
	if (!dt_ns)
		return 0.0;
	return (double)qt_delta(cur, prev) * 1e9 / (double)dt_ns;
}

/*
 * Seeding: the module's counter @dbg was read at a moment when the BPF
 * programs (attached a little earlier) had already counted @bpf_then of it.
 * The baseline to add to later BPF readings is dbg - bpf_then, computed
 * modulo 2^64 so that qt_total(baseline, bpf_now) is exact even when the
 * baseline "goes negative" (bpf_then > dbg cannot happen, but a wrapped
 * intermediate value must not hurt).
 */
static inline uint64_t qt_baseline(uint64_t dbg, uint64_t bpf_then)
{
	return dbg - bpf_then;
}

static inline uint64_t qt_total(uint64_t baseline, uint64_t bpf_now)
{
	return baseline + bpf_now;
}

/* ---- table rows and sorting ---------------------------------------------- */

struct qt_ep_row {
	uint32_t id;
	char key[QT_KEY_LEN];
	const char *state;
	uint32_t nodes;
	uint64_t rx_pkts, rx_bytes, tx_pkts, tx_bytes, drops;
	double rx_pps, rx_bps, tx_pps, tx_bps;
};

enum qt_sort {
	QT_SORT_ID,
	QT_SORT_KEY,
	QT_SORT_NODES,
	QT_SORT_RX_PPS,
	QT_SORT_TX_PPS,
	QT_SORT_RX_BPS,
	QT_SORT_TX_BPS,
	QT_SORT_RX_PKTS,
	QT_SORT_TX_PKTS,
	QT_SORT_DROPS,
	QT_SORT_NR,
};

/* -s names, in column order (the order the interactive sort key cycles) */
static const char *const qt_sort_names[QT_SORT_NR] = {
	[QT_SORT_ID] = "id",
	[QT_SORT_KEY] = "key",
	[QT_SORT_NODES] = "nodes",
	[QT_SORT_RX_PPS] = "rx",
	[QT_SORT_TX_PPS] = "tx",
	[QT_SORT_RX_BPS] = "rxbytes",
	[QT_SORT_TX_BPS] = "txbytes",
	[QT_SORT_RX_PKTS] = "rxtotal",
	[QT_SORT_TX_PKTS] = "txtotal",
	[QT_SORT_DROPS] = "drops",
};

/* Sort field by name (case-insensitive); -1 if unknown. */
static inline int qt_sort_parse(const char *name)
{
	int i;

	if (!name)
		return -1;
	for (i = 0; i < QT_SORT_NR; i++)
		if (!strcasecmp(name, qt_sort_names[i]))
			return i;
	return -1;
}

/* Numeric fields sort descending by default (busiest first), id and key
 * ascending.
 */
static inline bool qt_sort_desc(int field)
{
	return field != QT_SORT_ID && field != QT_SORT_KEY;
}

#define QT_CMP(a, b) ((a) < (b) ? -1 : (a) > (b) ? 1 : 0)

/*
 * Compare two endpoint rows for @field; @reverse flips the default
 * direction.  Ties are broken by ascending id so the order is total and
 * stable between frames.
 */
static inline int qt_ep_cmp(const struct qt_ep_row *a,
			    const struct qt_ep_row *b, int field, bool reverse)
{
	int c = 0;

	switch (field) {
	case QT_SORT_ID:
		c = QT_CMP(a->id, b->id);
		break;
	case QT_SORT_KEY:
		c = strcmp(a->key, b->key);
		c = c < 0 ? -1 : c > 0;
		break;
	case QT_SORT_NODES:
		c = QT_CMP(a->nodes, b->nodes);
		break;
	case QT_SORT_RX_PPS:
		c = QT_CMP(a->rx_pps, b->rx_pps);
		break;
	case QT_SORT_TX_PPS:
		c = QT_CMP(a->tx_pps, b->tx_pps);
		break;
	case QT_SORT_RX_BPS:
		c = QT_CMP(a->rx_bps, b->rx_bps);
		break;
	case QT_SORT_TX_BPS:
		c = QT_CMP(a->tx_bps, b->tx_bps);
		break;
	case QT_SORT_RX_PKTS:
		c = QT_CMP(a->rx_pkts, b->rx_pkts);
		break;
	case QT_SORT_TX_PKTS:
		c = QT_CMP(a->tx_pkts, b->tx_pkts);
		break;
	case QT_SORT_DROPS:
		c = QT_CMP(a->drops, b->drops);
		break;
	default:
		break;
	}
	if (qt_sort_desc(field))
		c = -c;
	if (reverse)
		c = -c;
	if (!c)
		c = QT_CMP(a->id, b->id);
	return c;
}

/* Insertion sort (tables are small; stable, no qsort context needed). */
static inline void qt_ep_sort(struct qt_ep_row *rows, size_t n, int field,
			      bool reverse)
{
	size_t i, j;

	for (i = 1; i < n; i++) {
		struct qt_ep_row tmp = rows[i];

		for (j = i; j > 0 && qt_ep_cmp(&rows[j - 1], &tmp, field,
					       reverse) > 0; j--)
			rows[j] = rows[j - 1];
		rows[j] = tmp;
	}
}

struct qt_port_row {
	uint32_t epid, node, port;
	uint64_t pkts, bytes;		/* both directions, cumulative */
	uint64_t rx_pkts, tx_pkts;	/* from / to that port */
	double pps, bps;
};

/* Busiest first: packets/s, then bytes/s, then total packets, then address. */
static inline int qt_port_cmp(const struct qt_port_row *a,
			      const struct qt_port_row *b)
{
	int c = -QT_CMP(a->pps, b->pps);

	if (!c)
		c = -QT_CMP(a->bps, b->bps);
	if (!c)
		c = -QT_CMP(a->pkts, b->pkts);
	if (!c)
		c = QT_CMP(a->epid, b->epid);
	if (!c)
		c = QT_CMP(a->node, b->node);
	if (!c)
		c = QT_CMP(a->port, b->port);
	return c;
}

static inline void qt_port_sort(struct qt_port_row *rows, size_t n)
{
	size_t i, j;

	for (i = 1; i < n; i++) {
		struct qt_port_row tmp = rows[i];

		for (j = i; j > 0 && qt_port_cmp(&rows[j - 1], &tmp) > 0; j--)
			rows[j] = rows[j - 1];
		rows[j] = tmp;
	}
}

/* ---- QRTR service instance word ----------------------------------------- */

/* NEW_SERVER carries "instance" as version | instance << 8 (as qrtr-lookup
 * prints it).
 */
static inline uint32_t qt_svc_version(uint32_t raw)
{
	return raw & 0xff;
}

static inline uint32_t qt_svc_instance(uint32_t raw)
{
	return raw >> 8;
}

/* ---- debugfs parsing ---------------------------------------------------- */

/*
 * Find "NAME=" as a whole word in @line and return the value's start, or
 * NULL.  @len bytes of the value (up to the next blank) in *@vlen.
 */
static inline const char *qt_kv_find(const char *line, const char *name,
				     size_t *vlen)
{
	size_t nl = strlen(name);
	const char *p = line;

	while (p && *p) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (!strncmp(p, name, nl) && p[nl] == '=') {
			const char *v = p + nl + 1;

			*vlen = strcspn(v, " \t\r\n");
			return v;
		}
		p += strcspn(p, " \t\r\n");
		while (*p == '\r' || *p == '\n')
			p++;
	}
	return NULL;
}

/* Parse an unsigned decimal value of NAME=; false if absent or bad. */
static inline bool qt_kv_u64(const char *line, const char *name,
			     uint64_t *out)
{
	char buf[32], *end;
	const char *v;
	size_t n;

	v = qt_kv_find(line, name, &n);
	if (!v || !n || n >= sizeof(buf) || *v == '-' || *v == '+')
		return false;
	memcpy(buf, v, n);
	buf[n] = '\0';
	*out = strtoull(buf, &end, 10);
	return *end == '\0';
}

/* Copy NAME='s value into @out (truncated, NUL-terminated). */
static inline bool qt_kv_str(const char *line, const char *name, char *out,
			     size_t outlen)
{
	const char *v;
	size_t n;

	if (!outlen)
		return false;
	v = qt_kv_find(line, name, &n);
	if (!v)
		return false;
	if (n >= outlen)
		n = outlen - 1;
	memcpy(out, v, n);
	out[n] = '\0';
	return true;
}

struct qt_drop_count {
	char name[QT_NAME_LEN];
	uint64_t count;
};

/* One line of socbpf_qrtr/endpoints. */
struct qt_ep_seed {
	uint32_t id;
	char key[QT_KEY_LEN];
	char state[24];
	uint32_t nodes;
	uint64_t rx_pkts, rx_bytes, tx_pkts, tx_bytes;
	unsigned int nr_drops;
	struct qt_drop_count drops[QT_MAX_REASONS];
};

/*
 * Parse "id=1 key=K state=live refs=1 owner=- nodes=1 rx_pkts=.. rx_bytes=..
 * tx_pkts=.. tx_bytes=.. drop_short=0 drop_version=0 ...".  id is required;
 * missing counters read as 0; unknown fields are ignored (the format may grow).
 */
static inline bool qt_parse_ep_line(const char *line, struct qt_ep_seed *s)
{
	uint64_t v;
	const char *p;

	memset(s, 0, sizeof(*s));
	if (!qt_kv_u64(line, "id", &v) || !v || v > 0xffffffffULL)
		return false;
	s->id = (uint32_t)v;
	if (!qt_kv_str(line, "key", s->key, sizeof(s->key)))
		strcpy(s->key, "-");
	if (!qt_kv_str(line, "state", s->state, sizeof(s->state)))
		strcpy(s->state, "-");
	if (qt_kv_u64(line, "nodes", &v))
		s->nodes = v > 0xffffffffULL ? 0xffffffffU : (uint32_t)v;
	qt_kv_u64(line, "rx_pkts", &s->rx_pkts);
	qt_kv_u64(line, "rx_bytes", &s->rx_bytes);
	qt_kv_u64(line, "tx_pkts", &s->tx_pkts);
	qt_kv_u64(line, "tx_bytes", &s->tx_bytes);

	/* every drop_<reason>=N, whatever the reasons are */
	for (p = line; (p = strstr(p, "drop_")) != NULL; ) {
		const char *name = p + 5, *eq;
		size_t nl;
		char *end;

		if (p != line && p[-1] != ' ' && p[-1] != '\t') {
			p = name;
			continue;
		}
		eq = name + strcspn(name, "= \t\r\n");
		p = eq;
		if (*eq != '=')
			continue;
		nl = (size_t)(eq - name);
		if (!nl || nl >= QT_NAME_LEN || s->nr_drops >= QT_MAX_REASONS)
			continue;
		if (eq[1] < '0' || eq[1] > '9')
			continue;
		v = strtoull(eq + 1, &end, 10);
		if (*end && *end != ' ' && *end != '\t' && *end != '\r' &&
		    *end != '\n')
			continue;
		memcpy(s->drops[s->nr_drops].name, name, nl);
		s->drops[s->nr_drops].name[nl] = '\0';
		s->drops[s->nr_drops].count = v;
		s->nr_drops++;
		p = end;
	}
	return true;
}

/* One "server ..." line of socbpf_qrtr/servers. */
struct qt_srv_seed {
	uint32_t service, instance, node, port, epid;
};

static inline bool qt_parse_server_line(const char *line,
					struct qt_srv_seed *s)
{
	uint64_t sv, in, no, po, ep = 0;

	memset(s, 0, sizeof(*s));
	if (strncmp(line, "server ", 7))
		return false;
	if (!qt_kv_u64(line, "service", &sv) ||
	    !qt_kv_u64(line, "instance", &in) ||
	    !qt_kv_u64(line, "node", &no) || !qt_kv_u64(line, "port", &po))
		return false;
	qt_kv_u64(line, "endpoint", &ep);
	if ((sv | in | no | po | ep) > 0xffffffffULL)
		return false;
	s->service = (uint32_t)sv;
	s->instance = (uint32_t)in;
	s->node = (uint32_t)no;
	s->port = (uint32_t)po;
	s->epid = (uint32_t)ep;
	return true;
}

/*
 * socbpf_qrtr/policy: "attached: 1" and "name: NAME" lines (other lines are
 * ignored).  Returns true and the name if a policy is attached; false (and
 * "-") otherwise.
 */
static inline bool qt_parse_policy(const char *text, char *name,
				   size_t namelen)
{
	bool attached = false, have_name = false;
	const char *p = text;

	if (namelen)
		snprintf(name, namelen, "-");
	while (p && *p) {
		size_t ll = strcspn(p, "\n");
		char line[256];
		char *v;

		if (ll >= sizeof(line))
			ll = sizeof(line) - 1;
		memcpy(line, p, ll);
		line[ll] = '\0';
		p += strcspn(p, "\n");
		if (*p)
			p++;
		v = strchr(line, ':');
		if (!v)
			continue;
		*v++ = '\0';
		while (*v == ' ' || *v == '\t')
			v++;
		v[strcspn(v, " \t\r")] = '\0';
		if (!strcmp(line, "attached")) {
			attached = !strcmp(v, "1") || !strcasecmp(v, "yes") ||
				   !strcasecmp(v, "true");
		} else if (!strcmp(line, "name") && namelen && *v) {
			snprintf(name, namelen, "%s", v);
			have_name = true;
		}
	}
	if (!attached && namelen)
		snprintf(name, namelen, "-");
	else if (attached && !have_name && namelen)
		snprintf(name, namelen, "?");
	return attached;
}

/* ---- formatting ---------------------------------------------------------- */

/*
 * Compact non-negative number for a narrow column: "999", "1.5K", "12.3M",
 * "4.0G" ... (powers of 1000).  Rates keep one decimal below 100 when they
 * are not integers ("0.5").  Always NUL-terminates @buf.
 */
static inline const char *qt_fmt_num(double v, char *buf, size_t len)
{
	static const char suffix[] = " KMGTPE";
	int i = 0;

	if (v < 0)
		v = 0;
	while (v >= 999.95 && i < 6) {
		v /= 1000.0;
		i++;
	}
	if (!i) {
		if (v == (double)(uint64_t)v || v >= 100)
			snprintf(buf, len, "%.0f", v);
		else
			snprintf(buf, len, "%.1f", v);
	} else {
		snprintf(buf, len, v >= 100 ? "%.0f%c" : "%.1f%c", v,
			 suffix[i]);
	}
	return buf;
}

/* "node:port" with the special values named as qrtr-lookup does. */
static inline const char *qt_fmt_addr(uint32_t node, uint32_t port,
				      char *buf, size_t len)
{
	char n[16], p[16];

	if (node == 0xffffffffU)
		snprintf(n, sizeof(n), "bcast");
	else
		snprintf(n, sizeof(n), "%u", node);
	if (port == 0xfffffffeU)
		snprintf(p, sizeof(p), "ctrl");
	else if (port == 0xffffffffU)
		snprintf(p, sizeof(p), "bcast");
	else
		snprintf(p, sizeof(p), "%u", port);
	snprintf(buf, len, "%s:%s", n, p);
	return buf;
}

#endif /* _SOCBPF_QRTRTOP_CALC_H */
