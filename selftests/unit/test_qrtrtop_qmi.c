// SPDX-License-Identifier: GPL-2.0
/*
 * Host unit test of qrtrtop's QMI view, the pure parts:
 *  - the latency histogram as qrtrtop uses include/socbpf/lathist.h (3
 *    sub-bucket bits, ns below 2^40): every percentile of a row folded from
 *    random samples lies within the stated 6.25% of the true order
 *    statistic of that rank;
 *  - the message-name table (tools/qrtrtop/qmi_names.h): sorted, every
 *    DMS/NAS/WDS name the one libqmi's own message printer gives for that
 *    service and id, WLFW ids as upstream ath11k names them
 *    (drivers/net/wireless/ath/ath11k/qmi.h: QMI_WLANFW_IND_REGISTER_REQ_V01
 *    0x0020, QMI_WLFW_FW_READY_IND_V01 0x0021, QMI_WLANFW_CAP_REQ_V01
 *    0x0024, QMI_WLANFW_HOST_CAP_REQ_V01 0x0034,
 *    QMI_WLFW_REQUEST_MEM_IND_V01 0x0035, QMI_WLANFW_RESPOND_MEM_REQ_V01
 *    0x0036, QMI_WLFW_FW_MEM_READY_IND_V01 0x0037,
 *    QMI_WLFW_FW_INIT_DONE_IND_V01 0x0038), and the ids our WLFW client
 *    and emulator use (include/socbpf/qmi_wlfw.h) carry those names;
 *  - service names parsed back, the folding of BPF map entries into rows.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libqmi-glib.h>

#include <socbpf/qmi_wlfw.h>
#include "../../tools/qrtrtop/qmi_names.h"
#include "../../tools/qrtrtop/qmi_view.h"
#include "unit_tap.h"

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static void test_layout(void)
{
	check(QRTRTOP_LAT_SLOTS == 305 &&
	      lathist_index_clamp((1ULL << 40) - 1, QRTRTOP_LAT_SB,
				  QRTRTOP_LAT_SLOTS) == QRTRTOP_LAT_SLOTS - 2 &&
	      lathist_index_clamp(1ULL << 40, QRTRTOP_LAT_SB,
				  QRTRTOP_LAT_SLOTS) == QRTRTOP_LAT_SLOTS - 1 &&
	      lathist_index_clamp(~0ULL, QRTRTOP_LAT_SB,
				  QRTRTOP_LAT_SLOTS) == QRTRTOP_LAT_SLOTS - 1,
	      "latency buckets: ns values below 2^40 in sub-buckets, the last bucket takes the rest");
	check(QRTRTOP_LAT_REL_ERR == 0.0625,
	      "stated relative error of a percentile: 6.25% (3 sub-bucket bits)");
}

/* What BPF does for each completed transaction, then what qrtrtop prints. */
static void test_percentiles(void)
{
	static struct qrtrtop_qmi_svc sv;
	static struct qv_row rows[1];
	static uint64_t samples[5000];
	static const double pcts[] = { 1, 50, 90, 99, 99.9, 100 };
	struct qrtrtop_qmi_svc_key sk = { .epid = 1, .service = 2 };
	unsigned int round, i, p, bad = 0;
	double worst = 0;
	size_t nr;

	srand(1234);
	for (round = 0; round < 200; round++) {
		unsigned int n = 1 + (unsigned int)rand() % 5000;

		memset(&sv, 0, sizeof(sv));
		for (i = 0; i < n; i++) {
			/* log-uniform over 1 ns .. ~1 s */
			int e = rand() % 30;

			samples[i] = ((uint64_t)1 << e) +
				     (uint64_t)rand() % ((uint64_t)1 << e);
			sv.hist[lathist_index_clamp(samples[i], QRTRTOP_LAT_SB,
						    QRTRTOP_LAT_SLOTS)]++;
			sv.completed++;
			if (samples[i] > sv.lat_max_ns)
				sv.lat_max_ns = samples[i];
		}
		nr = 0;
		qv_add_txn(rows, &nr, 1, QV_SRC_HANDLE, &sk, &sv);
		qsort(samples, n, sizeof(samples[0]), cmp_u64);
		for (p = 0; p < sizeof(pcts) / sizeof(pcts[0]); p++) {
			unsigned int rank = (unsigned int)(pcts[p] * n / 100);
			double est, truth, rel;

			if ((double)rank < pcts[p] * n / 100 &&
			    pcts[p] * n / 100 - rank > 1e-9)
				rank++;
			if (!rank)
				rank = 1;
			truth = (double)samples[rank - 1];
			est = qv_pct_ns(&rows[0], pcts[p]);
			rel = (est > truth ? est - truth : truth - est) / truth;
			if (rel > worst)
				worst = rel;
			if (rel > QRTRTOP_LAT_REL_ERR)
				bad++;
		}
	}
	printf("# worst relative error over 1200 percentiles: %.4f\n", worst);
	check(!bad, "row percentiles of random samples within 6.25% of the true order statistic");

	memset(rows, 0, sizeof(rows));
	check(qv_pct_ns(&rows[0], 50) == 0, "no completed transaction: 0");
	rows[0].hist[QRTRTOP_LAT_SLOTS - 1] = 1;
	rows[0].lat_max_ns = 5000000000000ULL;
	check(qv_pct_ns(&rows[0], 50) == 5000000000000.0,
	      "a latency past 2^40 ns is reported as the maximum seen");
}

static char *libqmi_name(uint32_t service, uint16_t msg_id)
{
	QmiMessage *m = qmi_message_new((QmiService)service, 0, 1, msg_id);
	char *txt, *p, *q, *name = NULL;

	if (!m)
		return NULL;
	txt = qmi_message_get_printable_full(m, NULL, "");
	p = txt ? strstr(txt, "message     = \"") : NULL;
	if (p) {
		p += strlen("message     = \"");
		q = strchr(p, '"');
		if (q)
			name = strndup(p, (size_t)(q - p));
	}
	g_free(txt);
	qmi_message_unref(m);
	return name;
}

static void test_names(void)
{
	unsigned int i, sorted = 1, n_lq = 0, bad = 0;
	char buf[16];

	for (i = 1; i < QMI_MSG_NAMES_NR; i++) {
		const struct qmi_msg_name *a = &qmi_msg_names[i - 1];
		const struct qmi_msg_name *b = &qmi_msg_names[i];

		if (a->service > b->service ||
		    (a->service == b->service && a->msg_id >= b->msg_id))
			sorted = 0;
	}
	check(sorted, "message-name table sorted by service and id, no duplicates");

	for (i = 0; i < QMI_MSG_NAMES_NR; i++) {
		const struct qmi_msg_name *n = &qmi_msg_names[i];
		char *lq;

		if (n->service > 3)
			continue;
		lq = libqmi_name(n->service, n->msg_id);
		n_lq++;
		if (!lq || strcmp(lq, n->name)) {
			printf("# %s 0x%04x: ours '%s', libqmi '%s'\n",
			       qmi_svc_name(n->service), n->msg_id, n->name,
			       lq ? lq : "(none)");
			bad++;
		}
		free(lq);
		if (qmi_msg_lookup(n->service, n->msg_id) != n->name)
			bad++;
	}
	printf("# %u DMS/NAS/WDS names compared with libqmi\n", n_lq);
	check(!bad && n_lq >= 15, "DMS/NAS/WDS message names are libqmi's, and found by lookup");

	check(!strcmp(qmi_msg_lookup(69, WLFW_IND_REGISTER), "Ind Register") &&
	      !strcmp(qmi_msg_lookup(69, WLFW_HOST_CAP), "Host Cap") &&
	      !strcmp(qmi_msg_lookup(69, WLFW_REQUEST_MEM_IND), "Request Mem Ind") &&
	      !strcmp(qmi_msg_lookup(69, WLFW_RESPOND_MEM), "Respond Mem") &&
	      !strcmp(qmi_msg_lookup(69, WLFW_FW_MEM_READY_IND), "FW Mem Ready Ind") &&
	      !strcmp(qmi_msg_lookup(69, WLFW_CAP), "Cap") &&
	      !strcmp(qmi_msg_lookup(69, WLFW_FW_READY_IND), "FW Ready Ind") &&
	      !strcmp(qmi_msg_lookup(69, 0x0038), "FW Init Done Ind"),
	      "WLFW ids of our client and emulator carry ath11k's names");
	check(!strcmp(qmi_msg_name(2, 0x1234, buf, sizeof(buf)), "0x1234") &&
	      qmi_msg_lookup(4242, 0x0021) == NULL,
	      "unknown message: its id in hex");
	check(qmi_svc_parse("wlfw") == 69 && qmi_svc_parse("DMS") == 2 &&
	      qmi_svc_parse("69") == 69 && qmi_svc_parse("4294967295") == 4294967295L &&
	      qmi_svc_parse("4294967296") == -1 && qmi_svc_parse("dmsx") == -1 &&
	      qmi_svc_parse("") == -1 && qmi_svc_parse("1x") == -1,
	      "services parse by number or name, bad ones refused");
}

static void test_fold(void)
{
	static struct qv_row rows[4];
	static struct qrtrtop_qmi_svc sv;
	struct qrtrtop_qmi_msg_key k = { .epid = 3, .service = 2,
					 .msg_id = 0x23 };
	struct qrtrtop_qmi_msg v = { .count = 5, .bytes = 35 };
	struct qrtrtop_qmi_svc_key sk = { .epid = 3, .service = 2 };
	size_t nr = 0;
	struct qv_row *r;
	int ok;

	k.type = 0;
	k.dir = QRTRTOP_QMI_TX;
	ok = qv_add_msg(rows, &nr, 4, QV_SRC_HANDLE, &k, &v);
	k.type = 2;
	k.dir = QRTRTOP_QMI_RX;
	v.count = 4;
	v.errors = 1;
	ok &= qv_add_msg(rows, &nr, 4, QV_SRC_HANDLE, &k, &v);
	k.type = 4;
	k.msg_id = 0x35;
	v.count = 2;
	v.errors = 0;
	ok &= qv_add_msg(rows, &nr, 4, QV_SRC_HANDLE, &k, &v);
	sv.completed = 4;
	sv.timedout = 1;
	sv.failed = 2;
	sv.hist[lathist_index(1000000, QRTRTOP_LAT_SB)] = 4;
	ok &= qv_add_txn(rows, &nr, 4, QV_SRC_HANDLE, &sk, &sv);
	r = &rows[0];
	check(ok && nr == 1 && r->req_tx == 5 && r->resp_rx == 4 &&
	      r->ind_rx == 2 && r->req_rx == 0 && r->resp_tx == 0 &&
	      r->msg_errors == 1 && r->nr_msgs == 3 && r->completed == 4 &&
	      r->timedout == 1 && r->failed == 2,
	      "entries of one endpoint and service fold into one row");
	check(qv_pct_ns(r, 50) >= 1000000 * (1 - QRTRTOP_LAT_REL_ERR) &&
	      qv_pct_ns(r, 50) <= 1000000 * (1 + QRTRTOP_LAT_REL_ERR),
	      "the row's percentile comes from its histogram");

	sk.epid = 4;
	ok = qv_add_txn(rows, &nr, 4, QV_SRC_HANDLE, &sk, &sv);
	sk.epid = 5;
	ok &= qv_add_txn(rows, &nr, 4, QV_SRC_HANDLE, &sk, &sv);
	sk.epid = 6;
	ok &= qv_add_txn(rows, &nr, 4, QV_SRC_HANDLE, &sk, &sv);
	sk.epid = 7;
	check(ok && nr == 4 && !qv_add_txn(rows, &nr, 4, QV_SRC_HANDLE, &sk, &sv) && nr == 4,
	      "a full table refuses a fifth row and says so");

	nr = 1;
	sk.epid = 3;
	ok = qv_add_txn(rows, &nr, 4, QV_SRC_WIRE, &sk, &sv);
	check(ok && nr == 2 && rows[1].source == QV_SRC_WIRE &&
	      rows[0].completed == 4,
	      "the same endpoint and service from the wire is a row of its own");
	check(!qv_expired(1000, 1000 + 999, 1000) &&
	      qv_expired(1000, 1000 + 1000, 1000) &&
	      !qv_expired(5000, 4000, 1000),
	      "a pending wire request expires at the timeout, not before");
}

int main(void)
{
	printf("TAP version 13\n");
	test_layout();
	test_percentiles();
	test_names();
	test_fold();
	printf("1..%d\n", n_test);
	return n_fail ? 1 : 0;
}
