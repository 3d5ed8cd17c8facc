/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * qrtrtop's QMI view, the pure part: folds the BPF maps' entries (messages
 * per endpoint/service/id/type/direction, transactions per endpoint/service)
 * into one row per (endpoint, service), and computes its percentiles.
 * No libbpf here: host unit tests feed it directly.
 */
#ifndef _QRTRTOP_QMI_VIEW_H
#define _QRTRTOP_QMI_VIEW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <linux/types.h>

#include "qrtrtop.h"

#define QV_MAX_MSGS	64	/* message ids listed per row */

struct qv_msg {
	uint16_t msg_id;
	uint8_t type;		/* 0 request, 2 response, 4 indication */
	uint8_t dir;		/* QRTRTOP_QMI_TX / _RX */
	uint64_t count, bytes, errors;
};

/* where a row's numbers come from */
#define QV_SRC_HANDLE	0	/* the in-kernel handles' tracepoints */
#define QV_SRC_WIRE	1	/* userspace clients' packets (qrtrtop_wire) */

struct qv_row {
	uint32_t epid, service;
	uint8_t source;		/* QV_SRC_* */
	/* messages by QMI type and direction (the handle's view) */
	uint64_t req_tx, req_rx, resp_tx, resp_rx, ind_tx, ind_rx, other;
	uint64_t msg_errors;
	/* transactions */
	uint64_t completed, timedout, failed;
	uint64_t lat_sum_ns, lat_max_ns;
	uint32_t hist[QRTRTOP_LAT_SLOTS];
	unsigned int nr_msgs;
	struct qv_msg msgs[QV_MAX_MSGS];
};

/* Row of (@epid, @service, @src), created if new; NULL when @rows is full. */
static inline struct qv_row *qv_row_get(struct qv_row *rows, size_t *nr,
					size_t max, uint32_t epid,
					uint32_t service, uint8_t src)
{
	size_t i;

	for (i = 0; i < *nr; i++)
		if (rows[i].epid == epid && rows[i].service == service &&
		    rows[i].source == src)
			return &rows[i];
	if (*nr >= max)
		return NULL;
	memset(&rows[*nr], 0, sizeof(rows[*nr]));
	rows[*nr].epid = epid;
	rows[*nr].service = service;
	rows[*nr].source = src;
	return &rows[(*nr)++];
}

/* Fold one qmi_msgs entry in. Return: false when the table is full. */
static inline bool qv_add_msg(struct qv_row *rows, size_t *nr, size_t max,
			      uint8_t src, const struct qrtrtop_qmi_msg_key *k,
			      const struct qrtrtop_qmi_msg *v)
{
	struct qv_row *r = qv_row_get(rows, nr, max, k->epid, k->service,
				      src);
	bool tx = k->dir == QRTRTOP_QMI_TX;
	unsigned int i;

	if (!r)
		return false;
	switch (k->type) {
	case 0:
		*(tx ? &r->req_tx : &r->req_rx) += v->count;
		break;
	case 2:
		*(tx ? &r->resp_tx : &r->resp_rx) += v->count;
		break;
	case 4:
		*(tx ? &r->ind_tx : &r->ind_rx) += v->count;
		break;
	default:
		r->other += v->count;
		break;
	}
	r->msg_errors += v->errors;
	for (i = 0; i < r->nr_msgs; i++) {
		struct qv_msg *m = &r->msgs[i];

		if (m->msg_id == k->msg_id && m->type == k->type &&
		    m->dir == k->dir)
			break;
	}
	if (i == r->nr_msgs) {
		if (r->nr_msgs >= QV_MAX_MSGS)
			return true;	/* counted in the row, not listed */
		r->nr_msgs++;
		memset(&r->msgs[i], 0, sizeof(r->msgs[i]));
		r->msgs[i].msg_id = k->msg_id;
		r->msgs[i].type = k->type;
		r->msgs[i].dir = k->dir;
	}
	r->msgs[i].count += v->count;
	r->msgs[i].bytes += v->bytes;
	r->msgs[i].errors += v->errors;
	return true;
}

/* Fold one qmi_svcs entry in. Return: false when the table is full. */
static inline bool qv_add_txn(struct qv_row *rows, size_t *nr, size_t max,
			      uint8_t src, const struct qrtrtop_qmi_svc_key *k,
			      const struct qrtrtop_qmi_svc *v)
{
	struct qv_row *r = qv_row_get(rows, nr, max, k->epid, k->service,
				      src);
	unsigned int i;

	if (!r)
		return false;
	r->completed += v->completed;
	r->timedout += v->timedout;
	r->failed += v->failed;
	r->lat_sum_ns += v->lat_sum_ns;
	if (v->lat_max_ns > r->lat_max_ns)
		r->lat_max_ns = v->lat_max_ns;
	for (i = 0; i < QRTRTOP_LAT_SLOTS; i++)
		r->hist[i] += v->hist[i];
	return true;
}

static inline int qv_msg_cmp(const void *a, const void *b)
{
	const struct qv_msg *x = a, *y = b;

	if (x->msg_id != y->msg_id)
		return x->msg_id < y->msg_id ? -1 : 1;
	if (x->type != y->type)
		return x->type < y->type ? -1 : 1;
	return (int)x->dir - (int)y->dir;
}

static inline int qv_row_cmp(const void *a, const void *b)
{
	const struct qv_row *x = a, *y = b;

	if (x->epid != y->epid)
		return x->epid < y->epid ? -1 : 1;
	if (x->service != y->service)
		return x->service < y->service ? -1 : 1;
	return (int)x->source - (int)y->source;
}

/*
 * Wire requests still waiting for their response: @pending_ns is when one
 * was sent, @now_ns is now. Is it past @timeout_ns (then it is counted as
 * timed out and forgotten)?
 */
static inline bool qv_expired(uint64_t pending_ns, uint64_t now_ns,
			      uint64_t timeout_ns)
{
	return now_ns > pending_ns && now_ns - pending_ns >= timeout_ns;
}

/*
 * Latency percentile of the row's completed transactions, in ns: within
 * QRTRTOP_LAT_REL_ERR of the true one (include/socbpf/lathist.h); 0 when
 * none completed.
 */
static inline double qv_pct_ns(const struct qv_row *r, double pct)
{
	struct lathist_pct p;

	if (lathist_percentile(r->hist, QRTRTOP_LAT_SLOTS, QRTRTOP_LAT_SB, pct,
			       0, r->lat_max_ns, 1, &p))
		return 0;
	return (double)p.value;
}

#endif /* _QRTRTOP_QMI_VIEW_H */
