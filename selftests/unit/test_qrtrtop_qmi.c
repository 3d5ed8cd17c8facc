// SPDX-License-Identifier: GPL-2.0
/*
 * Host unit test of qrtrtop's QMI view, the pure parts:
 *  - the latency histogram (include/socbpf/qrtrtop_lat.h): buckets tile
 *    the values, are at most 1/8 of their lower bound wide, and every
 *    percentile of random samples lies within the stated 6.25% of the true
 *    order statistic of that rank;
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

static void test_buckets(void)
{
	unsigned int s, prev = 0, bad = 0;
	uint64_t v;

	/* every value below 2^20, and powers of two around each octave */
	for (v = 0; v < (1u << 20); v++) {
		s = qlat_slot(v);
		if (s < prev || s >= QRTRTOP_LAT_SLOTS || v < qlat_low(s) ||
		    v >= qlat_low(s) + qlat_width(s))
			bad++;
		prev = s;
	}
	check(!bad, "buckets tile 0..2^20 in order, each value inside its bucket");

	bad = 0;
	for (s = 0; s + 1 < QRTRTOP_LAT_SLOTS; s++) {
		if (qlat_low(s) + qlat_width(s) != qlat_low(s + 1))
			bad++;
		if (s >= 16 && qlat_width(s) * 8 > qlat_low(s))
			bad++;
		if (qlat_slot(qlat_low(s)) != s)
			bad++;
	}
	check(!bad, "buckets are contiguous and at most 1/8 of their lower bound wide");
	check(qlat_slot(0) == 0 && qlat_slot(15) == 15 && qlat_slot(16) == 16 &&
	      qlat_slot(1ULL << 39) == QRTRTOP_LAT_SLOTS - 8 &&
	      qlat_slot(~0ULL) == QRTRTOP_LAT_SLOTS - 1,
	      "exact below 16; values past 2^40 go to the last bucket");
}

static void test_percentiles(void)
{
	static uint64_t hist[QRTRTOP_LAT_SLOTS], samples[5000];
	static const double pcts[] = { 1, 50, 90, 99, 99.9, 100 };
	unsigned int round, i, p, bad = 0;
	double worst = 0;

	srand(1234);
	for (round = 0; round < 200; round++) {
		unsigned int n = 1 + (unsigned int)rand() % 5000;

		memset(hist, 0, sizeof(hist));
		for (i = 0; i < n; i++) {
			/* log-uniform over 1 ns .. ~1 s, plus a few exact */
			int e = rand() % 30;

			samples[i] = ((uint64_t)1 << e) +
				     (uint64_t)rand() % ((uint64_t)1 << e);
			hist[qlat_slot(samples[i])]++;
		}
		qsort(samples, n, sizeof(samples[0]), cmp_u64);
		for (p = 0; p < sizeof(pcts) / sizeof(pcts[0]); p++) {
			unsigned int rank = (unsigned int)(pcts[p] / 100 * n);
			double est, truth, rel;

			if ((double)rank < pcts[p] / 100 * n)
				rank++;
			if (!rank)
				rank = 1;
			truth = (double)samples[rank - 1];
			est = qlat_percentile(hist, QRTRTOP_LAT_SLOTS, pcts[p]);
			rel = (est > truth ? est - truth : truth - est) / truth;
			if (rel > worst)
				worst = rel;
			if (rel > QRTRTOP_LAT_REL_ERR)
				bad++;
		}
	}
	printf("# worst relative error over 1200 percentiles: %.4f\n", worst);
	check(!bad, "percentiles of random samples within 6.25% of the true order statistic");

	memset(hist, 0, sizeof(hist));
	check(qlat_percentile(hist, QRTRTOP_LAT_SLOTS, 50) == 0,
	      "an empty histogram gives 0");
	hist[qlat_slot(7)] = 3;
	check(qlat_percentile(hist, QRTRTOP_LAT_SLOTS, 99) == 7,
	      "small values are exact");
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
	ok = qv_add_msg(rows, &nr, 4, &k, &v);
	k.type = 2;
	k.dir = QRTRTOP_QMI_RX;
	v.count = 4;
	v.errors = 1;
	ok &= qv_add_msg(rows, &nr, 4, &k, &v);
	k.type = 4;
	k.msg_id = 0x35;
	v.count = 2;
	v.errors = 0;
	ok &= qv_add_msg(rows, &nr, 4, &k, &v);
	sv.completed = 4;
	sv.timedout = 1;
	sv.failed = 2;
	sv.hist[qlat_slot(1000000)] = 4;
	ok &= qv_add_txn(rows, &nr, 4, &sk, &sv);
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
	ok = qv_add_txn(rows, &nr, 4, &sk, &sv);
	sk.epid = 5;
	ok &= qv_add_txn(rows, &nr, 4, &sk, &sv);
	sk.epid = 6;
	ok &= qv_add_txn(rows, &nr, 4, &sk, &sv);
	sk.epid = 7;
	check(ok && nr == 4 && !qv_add_txn(rows, &nr, 4, &sk, &sv) && nr == 4,
	      "a full table refuses a fifth row and says so");
}

int main(void)
{
	printf("TAP version 13\n");
	test_buckets();
	test_percentiles();
	test_names();
	test_fold();
	printf("1..%d\n", n_test);
	return n_fail ? 1 : 0;
}
