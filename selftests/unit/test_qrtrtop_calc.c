// SPDX-License-Identifier: GPL-2.0
/*
 * Host unit tests for include/socbpf/qrtrtop_calc.h (qrtrtop's rates,
 * sorting, debugfs parsers, formatting) and tools/qrtrtop/qmi_names.h (TAP).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>

#include "socbpf/qrtrtop_calc.h"
#include "../../tools/qrtrtop/qmi_names.h"
#include "unit_tap.h"

#define N_TESTS 61

static int feq(double a, double b)
{
	return fabs(a - b) < 1e-9 * (fabs(a) + fabs(b) + 1);
}

static void test_rates(void)
{
	check(qt_delta(150, 100) == 50, "delta of a growing counter");
	check(qt_delta(100, 100) == 0, "delta of an idle counter is 0");
	check(qt_delta(7, 100) == 7, "a counter that restarted counts from 0");
	check(qt_delta(UINT64_MAX, 0) == UINT64_MAX, "delta does not overflow");
	check(feq(qt_rate(300, 100, 2000000000ULL), 100.0),
	      "200 events in 2 s is 100/s");
	check(feq(qt_rate(1, 0, 500000000ULL), 2.0), "1 event in 0.5 s is 2/s");
	check(qt_rate(500, 100, 0) == 0.0, "zero interval gives rate 0");
	check(feq(qt_rate(5, 1000, 1000000000ULL), 5.0),
	      "rate after a restart uses the new value");
	/* debugfs said 100 when BPF had already seen 30; BPF now at 45 */
	check(qt_total(qt_baseline(100, 30), 45) == 115,
	      "seed baseline: packets seen by both are counted once");
	check(qt_total(qt_baseline(5, 7), 7) == 5 &&
	      qt_total(qt_baseline(5, 7), 9) == 7,
	      "seed baseline below zero wraps and comes back exact");
	check(qt_total(qt_baseline(UINT64_MAX, 0), 1) == 0,
	      "baseline arithmetic is modulo 2^64");
}

static struct qt_ep_row mk(uint32_t id, const char *key, double rxp,
			   uint64_t rxt, uint64_t drops)
{
	struct qt_ep_row r;

	memset(&r, 0, sizeof(r));
	r.id = id;
	snprintf(r.key, sizeof(r.key), "%s", key);
	r.rx_pps = rxp;
	r.rx_pkts = rxt;
	r.drops = drops;
	return r;
}

static int ids_are(const struct qt_ep_row *r, size_t n, const uint32_t *ids)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (r[i].id != ids[i])
			return 0;
	return 1;
}

static void test_sort(void)
{
	struct qt_ep_row r[4];
	static const uint32_t by_id[] = { 1, 2, 3, 4 };
	static const uint32_t by_id_rev[] = { 4, 3, 2, 1 };
	static const uint32_t by_rx[] = { 3, 1, 4, 2 };
	static const uint32_t by_rx_rev[] = { 2, 1, 4, 3 };
	static const uint32_t by_key[] = { 2, 4, 3, 1 };
	static const uint32_t by_drops[] = { 4, 1, 2, 3 };

	check(qt_sort_parse("id") == QT_SORT_ID, "-s id parses");
	check(qt_sort_parse("RX") == QT_SORT_RX_PPS, "-s RX parses (case)");
	check(qt_sort_parse("txtotal") == QT_SORT_TX_PKTS, "-s txtotal parses");
	check(qt_sort_parse("bogus") < 0 && qt_sort_parse("") < 0 &&
	      qt_sort_parse(NULL) < 0, "unknown sort fields are refused");

	r[0] = mk(3, "pci:c", 50, 10, 0);
	r[1] = mk(1, "pci:z", 10, 30, 2);
	r[2] = mk(4, "pci:b", 10, 20, 9);
	r[3] = mk(2, "pci:a", 0, 40, 1);
	qt_ep_sort(r, 4, QT_SORT_ID, false);
	check(ids_are(r, 4, by_id), "sort by id ascending");
	qt_ep_sort(r, 4, QT_SORT_ID, true);
	check(ids_are(r, 4, by_id_rev), "sort by id reversed");
	qt_ep_sort(r, 4, QT_SORT_RX_PPS, false);
	check(ids_are(r, 4, by_rx), "sort by rx/s: busiest first, ties by id");
	qt_ep_sort(r, 4, QT_SORT_RX_PPS, true);
	check(ids_are(r, 4, by_rx_rev), "sort by rx/s reversed, ties still by id");
	qt_ep_sort(r, 4, QT_SORT_KEY, false);
	check(ids_are(r, 4, by_key), "sort by key ascending");
	qt_ep_sort(r, 4, QT_SORT_DROPS, false);
	check(ids_are(r, 4, by_drops), "sort by drops descending");
	qt_ep_sort(r, 0, QT_SORT_ID, false);
	check(r[0].id == 4, "sorting an empty table touches nothing");
}

static void test_port_sort(void)
{
	struct qt_port_row p[3] = {
		{ .epid = 1, .node = 7, .port = 1, .pkts = 10, .pps = 1.0 },
		{ .epid = 2, .node = 7, .port = 1, .pkts = 99, .pps = 5.0 },
		{ .epid = 1, .node = 7, .port = 2, .pkts = 50, .pps = 1.0,
		  .bps = 100 },
	};

	qt_port_sort(p, 3);
	check(p[0].epid == 2 && p[1].port == 2 && p[2].port == 1,
	      "ports: pkts/s first, then bytes/s");
}

static void test_parse_ep(void)
{
	struct qt_ep_seed s;
	const char *line =
		"id=3 key=pci:0000:02:00.0 state=live refs=1 owner=- nodes=2 "
		"rx_pkts=120 rx_bytes=4567 tx_pkts=118 tx_bytes=4000 "
		"drop_short=0 drop_noport=5 drop_filter=1 drop_policy=7\n";
	unsigned int i;
	uint64_t pol = 0, np = 0;

	check(qt_parse_ep_line(line, &s), "endpoints line parses");
	check(s.id == 3 && !strcmp(s.key, "pci:0000:02:00.0") &&
	      !strcmp(s.state, "live") && s.nodes == 2,
	      "id, key, state and nodes");
	check(s.rx_pkts == 120 && s.rx_bytes == 4567 && s.tx_pkts == 118 &&
	      s.tx_bytes == 4000, "rx/tx counters");
	for (i = 0; i < s.nr_drops; i++) {
		if (!strcmp(s.drops[i].name, "policy"))
			pol = s.drops[i].count;
		if (!strcmp(s.drops[i].name, "noport"))
			np = s.drops[i].count;
	}
	check(s.nr_drops == 4 && pol == 7 && np == 5,
	      "every drop_<reason>, including new ones (policy)");

	check(qt_parse_ep_line("id=9 key=k state=dying", &s) && s.id == 9 &&
	      s.rx_pkts == 0 && s.nr_drops == 0,
	      "missing counters read as 0");
	check(!qt_parse_ep_line("key=k rx_pkts=1", &s), "line without id refused");
	check(!qt_parse_ep_line("id=0 key=k", &s), "id 0 refused");
	check(!qt_parse_ep_line("id=-1 key=k", &s), "negative id refused");
	check(!qt_parse_ep_line("id=12x key=k", &s), "garbage id refused");
	check(!qt_parse_ep_line("", &s), "empty line refused");
	check(qt_parse_ep_line("id=1 xid=5 key=abc rx_pkts=4 xrx_pkts=9", &s) &&
	      s.id == 1 && s.rx_pkts == 4, "fields match whole names only");
	check(qt_parse_ep_line("id=1 key=k drop_=3 drop_x=abc nodrop_y=1 drop_ok=2", &s) &&
	      s.nr_drops == 1 && !strcmp(s.drops[0].name, "ok") &&
	      s.drops[0].count == 2, "malformed drop fields skipped");
	{
		char big[400];

		snprintf(big, sizeof(big), "id=2 key=%0100d state=live", 0);
		check(qt_parse_ep_line(big, &s) &&
		      strlen(s.key) == QT_KEY_LEN - 1,
		      "a long key is truncated, not overflowed");
	}
}

static void test_parse_server(void)
{
	struct qt_srv_seed s;

	check(qt_parse_server_line("server service=69 instance=1 node=7 port=1 endpoint=2", &s) &&
	      s.service == 69 && s.instance == 1 && s.node == 7 &&
	      s.port == 1 && s.epid == 2, "server line parses");
	check(qt_parse_server_line("server service=15 instance=513 node=1 port=16384", &s) &&
	      s.epid == 0, "server without endpoint is local (0)");
	check(!qt_parse_server_line("lookup service=69 instance=0 node=1 port=16385", &s),
	      "lookup lines are not servers");
	check(!qt_parse_server_line("server service=69 node=7 port=1", &s),
	      "incomplete server line refused");
	check(!qt_parse_server_line("server service=99999999999 instance=0 node=1 port=1", &s),
	      "out-of-range value refused");
	check(qt_svc_version(0x0105) == 5 && qt_svc_instance(0x0105) == 1,
	      "instance word: version | instance << 8");
}

static void test_parse_policy(void)
{
	char name[QT_POLICY_LEN];

	check(qt_parse_policy("attached: 1\nname: stable_ids\n", name, sizeof(name)) &&
	      !strcmp(name, "stable_ids"), "attached policy and its name");
	check(!qt_parse_policy("attached: 0\nname: old\n", name, sizeof(name)) &&
	      !strcmp(name, "-"), "detached policy shows '-'");
	check(!qt_parse_policy("", name, sizeof(name)) && !strcmp(name, "-"),
	      "empty file shows '-'");
	check(qt_parse_policy("name: x\nattached: yes\nextra: 3\n", name, sizeof(name)) &&
	      !strcmp(name, "x"), "order and extra lines do not matter");
	check(qt_parse_policy("attached: 1\n", name, sizeof(name)) &&
	      !strcmp(name, "?"), "attached without a name shows '?'");
}

static void test_fmt(void)
{
	char b[32];

	check(!strcmp(qt_fmt_num(0, b, sizeof(b)), "0"), "fmt 0");
	check(!strcmp(qt_fmt_num(999, b, sizeof(b)), "999"), "fmt 999");
	check(!strcmp(qt_fmt_num(0.5, b, sizeof(b)), "0.5"), "fmt 0.5");
	check(!strcmp(qt_fmt_num(1500, b, sizeof(b)), "1.5K"), "fmt 1.5K");
	check(!strcmp(qt_fmt_num(123456, b, sizeof(b)), "123K"), "fmt 123K");
	check(!strcmp(qt_fmt_num(2.5e9, b, sizeof(b)), "2.5G"), "fmt 2.5G");
	check(!strcmp(qt_fmt_num(-3, b, sizeof(b)), "0"), "fmt clamps negatives");
	check(!strcmp(qt_fmt_num(1.8e19, b, sizeof(b)), "18.0E"), "fmt u64 max range");
	check(!strcmp(qt_fmt_addr(7, 1, b, sizeof(b)), "7:1"), "addr 7:1");
	check(!strcmp(qt_fmt_addr(0xffffffffU, 0xfffffffeU, b, sizeof(b)),
		      "bcast:ctrl"), "addr bcast:ctrl");
}

static void test_names(void)
{
	size_t i;
	int sorted = 1;

	for (i = 1; i < QMI_SVC_NAMES_NR; i++)
		if (qmi_svc_names[i - 1].service >= qmi_svc_names[i].service)
			sorted = 0;
	check(sorted, "QMI name table sorted and unique");
	check(!strcmp(qmi_svc_name(1), "WDS") && !strcmp(qmi_svc_name(2), "DMS") &&
	      !strcmp(qmi_svc_name(3), "NAS") && !strcmp(qmi_svc_name(69), "WLFW"),
	      "WDS, DMS, NAS, WLFW");
	check(!strcmp(qmi_svc_name(4096), "TFTP") && !strcmp(qmi_svc_name(0), "CTL"),
	      "first and last entries found");
	check(!strcmp(qmi_svc_name(12345), "-") && !strcmp(qmi_svc_name(35), "-"),
	      "unknown services show '-'");
}

int main(void)
{
	printf("TAP version 13\n1..%d\n", N_TESTS);
	test_rates();
	test_sort();
	test_port_sort();
	test_parse_ep();
	test_parse_server();
	test_parse_policy();
	test_fmt();
	test_names();
	if (n_test != N_TESTS) {
		printf("# ran %d tests, planned %d\n", n_test, N_TESTS);
		return 1;
	}
	return n_fail ? 1 : 0;
}
