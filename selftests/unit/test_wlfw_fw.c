// SPDX-License-Identifier: GPL-2.0
/*
 * Host unit test: the WLAN firmware side of qrtr-emu (tools/qrtr-emu/
 * emu_wlfw.h) driven through the whole handshake of
 * include/socbpf/qmi_wlfw.h with requests encoded by the codec, checking
 * every response and indication it sends, where it sends them, and what it
 * does with bad input; plus the wire bytes of a WLFW target capability
 * response written out by hand from ath11k's TLV layout.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../tools/qrtr-emu/emu_wlfw.h"
#include "unit_tap.h"

#define MAXSENT 8

static struct {
	u32 node, port;
	u8 msg[4096];
	size_t len;
} sent[MAXSENT];
static int nsent;

static void cap_send(void *ctx, u32 node, u32 port, const void *msg,
		     size_t len)
{
	if (nsent < MAXSENT && len <= sizeof(sent[0].msg)) {
		sent[nsent].node = node;
		sent[nsent].port = port;
		memcpy(sent[nsent].msg, msg, len);
		sent[nsent].len = len;
	}
	nsent++;
}

static u8 req[4096];

static void request(struct wlfw_fw *fw, u16 txn, u16 msg_id,
		    const struct sqmi_elem_info *ei, const void *c)
{
	int len = sqmi_encode_message(req, sizeof(req), SQMI_REQUEST, txn,
				      msg_id, ei, c);

	nsent = 0;
	if (len > 0)
		wlfw_fw_handle(fw, NULL, cap_send, 1, 0x4000, req, (size_t)len);
}

/* sent[i] is a message of @type/@msg_id to 1:0x4000; decode it */
static int got(int i, u8 type, u16 msg_id, u16 txn,
	       const struct sqmi_elem_info *ei, void *c)
{
	struct sqmi_header h;

	if (i >= nsent || sent[i].node != 1 || sent[i].port != 0x4000)
		return 0;
	if (sqmi_decode_message(sent[i].msg, sent[i].len, ei, c, &h) < 0)
		return 0;
	return h.type == type && h.msg_id == msg_id && h.txn_id == txn;
}

static void test_handshake(void)
{
	static struct wlfw_request_mem_ind ind;
	static struct wlfw_respond_mem_req rm;
	static struct wlfw_cap_resp cap;
	struct wlfw_ind_register_req ir = { 0 };
	struct wlfw_ind_register_resp irr = { 0 };
	struct wlfw_host_cap_req hc = { 0 };
	struct wlfw_plain_resp pr = { 0 };
	struct wlfw_empty e = { 0 };
	struct wlfw_fw fw;
	u32 i;

	wlfw_fw_init(&fw);
	check(wlfw_fw_parse(&fw, "chip=0x1001,family=4,board=0xa1,soc=7,fw=0x01020304,build=WLAN.X,ts=T1") == 0 &&
	      fw.chip_id == 0x1001 && fw.chip_family == 4 &&
	      fw.board_id == 0xa1 && fw.soc_id == 7 &&
	      fw.fw_version == 0x01020304 && !strcmp(fw.build_id, "WLAN.X") &&
	      !strcmp(fw.timestamp, "T1"), "spec: every field parsed");

	ir.fw_ready_enable_valid = 1;
	ir.fw_ready_enable = 1;
	ir.client_id_valid = 1;
	ir.client_id = WLFW_CLIENT_ID;
	request(&fw, 1, WLFW_IND_REGISTER, wlfw_ind_register_req_ei, &ir);
	check(nsent == 1 && got(0, SQMI_RESPONSE, WLFW_IND_REGISTER, 1,
				wlfw_ind_register_resp_ei, &irr) &&
	      irr.resp.result == 0 && irr.fw_status_valid,
	      "ind register: success response to the requester");

	hc.num_clients_valid = 1;
	hc.num_clients = 1;
	request(&fw, 2, WLFW_HOST_CAP, wlfw_host_cap_req_ei, &hc);
	check(nsent == 2 && got(0, SQMI_RESPONSE, WLFW_HOST_CAP, 2,
				wlfw_plain_resp_ei, &pr) && !pr.resp.result &&
	      got(1, SQMI_INDICATION, WLFW_REQUEST_MEM_IND, 0,
		  wlfw_request_mem_ind_ei, &ind) && ind.mem_seg_len == 2 &&
	      ind.mem_seg[0].size == 0x101000 && ind.mem_seg[0].type == 1 &&
	      ind.mem_seg[0].mem_cfg_len == 1 &&
	      ind.mem_seg[1].size == 0x480000 && ind.mem_seg[1].type == 4,
	      "host cap: response, then the memory request indication");

	rm.mem_seg_len = ind.mem_seg_len;
	for (i = 0; i < rm.mem_seg_len; i++) {
		rm.mem_seg[i].addr = 0x80000000ull + i * 0x10000000ull;
		rm.mem_seg[i].size = ind.mem_seg[i].size;
		rm.mem_seg[i].type = ind.mem_seg[i].type;
	}
	request(&fw, 3, WLFW_RESPOND_MEM, wlfw_respond_mem_req_ei, &rm);
	memset(&pr, 0, sizeof(pr));
	check(nsent == 2 && got(0, SQMI_RESPONSE, WLFW_RESPOND_MEM, 3,
				wlfw_plain_resp_ei, &pr) && !pr.resp.result &&
	      got(1, SQMI_INDICATION, WLFW_FW_MEM_READY_IND, 0, wlfw_empty_ei,
		  &e), "respond mem: response, then memory ready");

	rm.mem_seg[1].size = 4096;
	request(&fw, 4, WLFW_RESPOND_MEM, wlfw_respond_mem_req_ei, &rm);
	memset(&pr, 0, sizeof(pr));
	check(nsent == 1 && got(0, SQMI_RESPONSE, WLFW_RESPOND_MEM, 4,
				wlfw_plain_resp_ei, &pr) &&
	      pr.resp.result == 1 && pr.resp.error == QMI_WIRE_ERR_INVALID_ARG,
	      "respond mem with the wrong sizes: refused, no memory ready");

	request(&fw, 5, WLFW_CAP, wlfw_empty_ei, &e);
	check(nsent == 2 && got(0, SQMI_RESPONSE, WLFW_CAP, 5,
				wlfw_cap_resp_ei, &cap) && !cap.resp.result &&
	      cap.chip_info.chip_id == 0x1001 && cap.board_info.id == 0xa1 &&
	      cap.soc_info.id == 7 && cap.fw_version_info.fw_version ==
	      0x01020304 && !strcmp(cap.fw_build_id, "WLAN.X") &&
	      !strcmp(cap.fw_version_info.fw_build_timestamp, "T1") &&
	      got(1, SQMI_INDICATION, WLFW_FW_READY_IND, 0, wlfw_empty_ei, &e) &&
	      fw.handshakes == 1,
	      "cap: this device's chip, board, soc, firmware; then fw ready");

	request(&fw, 6, 0x0099, wlfw_empty_ei, &e);
	memset(&pr, 0, sizeof(pr));
	check(nsent == 1 && got(0, SQMI_RESPONSE, 0x0099, 6,
				wlfw_plain_resp_ei, &pr) &&
	      pr.resp.error == QMI_WIRE_ERR_INVALID_QMI_CMD,
	      "unknown message: invalid-command response");

	nsent = 0;
	wlfw_fw_handle(&fw, NULL, cap_send, 1, 0x4000, req, 5);
	check(nsent == 0 && fw.bad == 1, "truncated request: counted, no answer");

	{
		static struct wlfw_request_mem_ind m;
		static const int want[WLFW_NR_BAD_INDS] = {
			-EBADMSG, -EBADMSG, -EBADMSG, 4, -EOVERFLOW };
		struct sqmi_header bh;
		int k, ok = 1;

		fw.bad_inds = true;
		request(&fw, 8, WLFW_HOST_CAP, wlfw_host_cap_req_ei, &hc);
		ok = nsent == 2 + WLFW_NR_BAD_INDS;
		for (k = 0; ok && k < WLFW_NR_BAD_INDS; k++) {
			memset(&m, 0, sizeof(m));
			if (sqmi_decode_message(sent[1 + k].msg,
						sent[1 + k].len,
						wlfw_request_mem_ind_ei, &m,
						&bh) != want[k])
				ok = 0;
			if (k == 3 && bh.msg_id != 0x7777)
				ok = 0;
		}
		ok = ok && got(1 + WLFW_NR_BAD_INDS, SQMI_INDICATION,
			       WLFW_REQUEST_MEM_IND, 0,
			       wlfw_request_mem_ind_ei, &m);
		check(ok, "bad=1: truncated, past-the-end, wrong layout, unknown id, 200 segments, then the real one");
		fw.bad_inds = false;
	}

	fw.hang_msg = WLFW_CAP;
	request(&fw, 7, WLFW_CAP, wlfw_empty_ei, &e);
	check(nsent == 0, "hang=0x24: the capability request is never answered");

	check(wlfw_fw_parse(&fw, "chip") == -1 &&
	      wlfw_fw_parse(&fw, "chip=x") == -1 &&
	      wlfw_fw_parse(&fw, "nope=1") == -1 &&
	      wlfw_fw_parse(&fw, "chip=0x100000000") == -1,
	      "spec: bad ones refused");
}

/* A capability response as ath11k's tables lay it out, by hand. */
static void test_cap_bytes(void)
{
	static const u8 want[] = {
		0x02, 0x09, 0x00, 0x24, 0x00, 0x29, 0x00,	/* 41 */
		0x02, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00,	/* result */
		0x10, 0x08, 0x00, 0x01, 0x10, 0x00, 0x00,	/* chip id */
		0x04, 0x00, 0x00, 0x00,				/* family */
		0x11, 0x04, 0x00, 0xa1, 0x00, 0x00, 0x00,	/* board */
		0x13, 0x07, 0x00, 0x04, 0x03, 0x02, 0x01,	/* fw version */
		0x02, 'T', '1',					/* timestamp */
		0x14, 0x03, 0x00, 'B', '-', '1',		/* build id */
	};
	static struct wlfw_cap_resp cap;
	static u8 out[512];
	int len;

	memset(&cap, 0, sizeof(cap));
	cap.chip_info_valid = 1;
	cap.chip_info.chip_id = 0x1001;
	cap.chip_info.chip_family = 4;
	cap.board_info_valid = 1;
	cap.board_info.id = 0xa1;
	cap.fw_version_info_valid = 1;
	cap.fw_version_info.fw_version = 0x01020304;
	strcpy(cap.fw_version_info.fw_build_timestamp, "T1");
	cap.fw_build_id_valid = 1;
	strcpy(cap.fw_build_id, "B-1");
	len = sqmi_encode_message(out, sizeof(out), SQMI_RESPONSE, 9, WLFW_CAP,
				  wlfw_cap_resp_ei, &cap);
	check(len == (int)sizeof(want) && !memcmp(out, want, sizeof(want)),
	      "cap response: the bytes of ath11k's layout");
}

int main(void)
{
	printf("TAP version 13\n");
	test_handshake();
	test_cap_bytes();
	printf("1..%d\n", n_test);
	return n_fail ? 1 : 0;
}
