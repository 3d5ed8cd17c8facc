/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The WLAN firmware side of qrtr-emu (--wlfw): answers the handshake of
 * include/socbpf/qmi_wlfw.h on service 69 with this device's own values,
 * and sends its indications to whoever asked. Pure code over a send
 * callback so host tests can drive it without a tun device.
 */
#ifndef _SOCBPF_EMU_WLFW_H
#define _SOCBPF_EMU_WLFW_H

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <socbpf/qmi_codec.h>
#include <socbpf/qmi_wlfw.h>

struct wlfw_fw {
	u32 chip_id, chip_family, board_id, soc_id, fw_version;
	char timestamp[WLFW_TIMESTAMP_LEN];
	char build_id[WLFW_BUILD_ID_LEN];
	u32 hang_msg;		/* never answer this request (0: none) */
	bool bad_inds;		/* malformed indications before the real one */
	unsigned long req, bad, handshakes;
};

/* send(ctx, dst_node, dst_port, msg, len) */
typedef void (*wlfw_send_fn)(void *ctx, u32 node, u32 port, const void *msg,
			     size_t len);

static inline void wlfw_fw_init(struct wlfw_fw *fw)
{
	memset(fw, 0, sizeof(*fw));
	fw->chip_id = 0x2;
	fw->chip_family = 0x4;
	fw->board_id = 0xff;
	fw->soc_id = 0x400c0000;
	fw->fw_version = 0x10000001;
	snprintf(fw->timestamp, sizeof(fw->timestamp), "2026-12-01 12:00");
	snprintf(fw->build_id, sizeof(fw->build_id), "WLAN.EMU.1.0");
}

/*
 * --wlfw SPEC: comma-separated chip=N, family=N, board=N, soc=N, fw=N,
 * build=STR, ts=STR, hang=MSGID, bad=1. Return: 0, or -1 for a bad spec.
 */
static inline int wlfw_fw_parse(struct wlfw_fw *fw, const char *spec)
{
	char buf[256], *tok, *save = NULL, *end;
	unsigned long v;

	if (strlen(spec) >= sizeof(buf))
		return -1;
	strcpy(buf, spec);
	for (tok = strtok_r(buf, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		char *val = strchr(tok, '=');

		if (!val)
			return -1;
		*val++ = '\0';
		if (!strcmp(tok, "build")) {
			if (strlen(val) >= sizeof(fw->build_id))
				return -1;
			strcpy(fw->build_id, val);
			continue;
		}
		if (!strcmp(tok, "ts")) {
			if (strlen(val) >= sizeof(fw->timestamp))
				return -1;
			strcpy(fw->timestamp, val);
			continue;
		}
		v = strtoul(val, &end, 0);
		if (!*val || *end || v > 0xffffffffUL)
			return -1;
		if (!strcmp(tok, "chip"))
			fw->chip_id = (u32)v;
		else if (!strcmp(tok, "family"))
			fw->chip_family = (u32)v;
		else if (!strcmp(tok, "board"))
			fw->board_id = (u32)v;
		else if (!strcmp(tok, "soc"))
			fw->soc_id = (u32)v;
		else if (!strcmp(tok, "fw"))
			fw->fw_version = (u32)v;
		else if (!strcmp(tok, "hang"))
			fw->hang_msg = (u32)v;
		else if (!strcmp(tok, "bad"))
			fw->bad_inds = v != 0;
		else
			return -1;
	}
	return 0;
}

/* The segments this firmware asks for: two, sizes from the chip id. */
static inline void wlfw_fw_mem_request(const struct wlfw_fw *fw,
				       struct wlfw_request_mem_ind *ind)
{
	memset(ind, 0, sizeof(*ind));
	ind->mem_seg_len = 2;
	ind->mem_seg[0].size = 0x100000 + (fw->chip_id & 0xff) * 0x1000;
	ind->mem_seg[0].type = 1;		/* DDR */
	ind->mem_seg[0].mem_cfg_len = 1;
	ind->mem_seg[0].mem_cfg[0].size = ind->mem_seg[0].size;
	ind->mem_seg[1].size = 0x480000;
	ind->mem_seg[1].type = 4;		/* calibration */
}

static inline void wlfw_fw_send(void *ctx, wlfw_send_fn send, u32 node,
				u32 port, u8 type, u16 txn, u16 msg_id,
				const struct sqmi_elem_info *ei, const void *c)
{
	static u8 out[4096];
	int len;

	len = sqmi_encode_message(out, sizeof(out), type, txn, msg_id, ei, c);
	if (len > 0)
		send(ctx, node, port, out, (size_t)len);
}

/*
 * Five bad indications: a truncated TLV header, a TLV length past the
 * message, a memory request whose segment is cut short (wrong layout), an
 * unknown message id, and a memory request of 200 segments (at most 52).
 */
#define WLFW_NR_BAD_INDS	5

static inline void wlfw_fw_send_bad(void *ctx, wlfw_send_fn send, u32 node,
				    u32 port)
{
	static const u8 bad[WLFW_NR_BAD_INDS][16] = {
		{ 0x04, 0, 0, 0x35, 0, 0x02, 0, 0x01, 0x05 },
		{ 0x04, 0, 0, 0x35, 0, 0x06, 0, 0x01, 0x00, 0x01,
		  0x01, 0x00, 0x10 },
		{ 0x04, 0, 0, 0x35, 0, 0x08, 0, 0x01, 0x05, 0x00, 0x01,
		  0x00, 0x10, 0x00, 0x00 },
		{ 0x04, 0, 0, 0x77, 0x77, 0x04, 0, 0x10, 0x01, 0x00, 0x01 },
		{ 0x04, 0, 0, 0x35, 0, 0x04, 0, 0x01, 0x01, 0x00, 200 },
	};
	static const u8 len[WLFW_NR_BAD_INDS] = { 9, 13, 15, 11, 11 };
	int i;

	for (i = 0; i < WLFW_NR_BAD_INDS; i++)
		send(ctx, node, port, bad[i], len[i]);
}

/* One message from the host to service 69. */
static inline void wlfw_fw_handle(struct wlfw_fw *fw, void *ctx,
				  wlfw_send_fn send, u32 node, u32 port,
				  const u8 *data, size_t len)
{
	static struct wlfw_request_mem_ind want;
	static struct wlfw_respond_mem_req got;
	static struct wlfw_cap_resp cap;
	struct wlfw_ind_register_req ir;
	struct wlfw_ind_register_resp irr;
	struct wlfw_host_cap_req hc;
	struct wlfw_plain_resp pr;
	struct wlfw_empty e;
	struct sqmi_header h;
	u32 i;
	int ok;

	if (sqmi_decode_header(data, len, &h) || h.type != SQMI_REQUEST) {
		fw->bad++;
		return;
	}
	fw->req++;
	if (fw->hang_msg && h.msg_id == fw->hang_msg)
		return;
	memset(&pr, 0, sizeof(pr));
	switch (h.msg_id) {
	case WLFW_IND_REGISTER:
		memset(&ir, 0, sizeof(ir));
		memset(&irr, 0, sizeof(irr));
		if (sqmi_decode_message(data, len, wlfw_ind_register_req_ei,
					&ir, NULL) < 0) {
			irr.resp.result = 1;
			irr.resp.error = QMI_WIRE_ERR_MALFORMED_MSG;
		} else {
			irr.fw_status_valid = 1;
		}
		wlfw_fw_send(ctx, send, node, port, SQMI_RESPONSE, h.txn_id,
			     h.msg_id, wlfw_ind_register_resp_ei, &irr);
		break;
	case WLFW_HOST_CAP:
		memset(&hc, 0, sizeof(hc));
		ok = sqmi_decode_message(data, len, wlfw_host_cap_req_ei, &hc,
					 NULL) >= 0;
		if (!ok) {
			pr.resp.result = 1;
			pr.resp.error = QMI_WIRE_ERR_MALFORMED_MSG;
		}
		wlfw_fw_send(ctx, send, node, port, SQMI_RESPONSE, h.txn_id,
			     h.msg_id, wlfw_plain_resp_ei, &pr);
		if (!ok)
			break;
		if (fw->bad_inds)
			wlfw_fw_send_bad(ctx, send, node, port);
		wlfw_fw_mem_request(fw, &want);
		wlfw_fw_send(ctx, send, node, port, SQMI_INDICATION, 0,
			     WLFW_REQUEST_MEM_IND, wlfw_request_mem_ind_ei,
			     &want);
		break;
	case WLFW_RESPOND_MEM:
		memset(&got, 0, sizeof(got));
		wlfw_fw_mem_request(fw, &want);
		ok = sqmi_decode_message(data, len, wlfw_respond_mem_req_ei,
					 &got, NULL) >= 0 &&
		     got.mem_seg_len == want.mem_seg_len;
		for (i = 0; ok && i < got.mem_seg_len; i++)
			ok = got.mem_seg[i].size == want.mem_seg[i].size &&
			     got.mem_seg[i].type == want.mem_seg[i].type &&
			     got.mem_seg[i].addr;
		if (!ok) {
			pr.resp.result = 1;
			pr.resp.error = QMI_WIRE_ERR_INVALID_ARG;
		}
		wlfw_fw_send(ctx, send, node, port, SQMI_RESPONSE, h.txn_id,
			     h.msg_id, wlfw_plain_resp_ei, &pr);
		if (ok)
			wlfw_fw_send(ctx, send, node, port, SQMI_INDICATION, 0,
				     WLFW_FW_MEM_READY_IND, wlfw_empty_ei, &e);
		break;
	case WLFW_CAP:
		memset(&cap, 0, sizeof(cap));
		cap.chip_info_valid = 1;
		cap.chip_info.chip_id = fw->chip_id;
		cap.chip_info.chip_family = fw->chip_family;
		cap.board_info_valid = 1;
		cap.board_info.id = fw->board_id;
		cap.soc_info_valid = 1;
		cap.soc_info.id = fw->soc_id;
		cap.fw_version_info_valid = 1;
		cap.fw_version_info.fw_version = fw->fw_version;
		strcpy(cap.fw_version_info.fw_build_timestamp, fw->timestamp);
		cap.fw_build_id_valid = 1;
		strcpy(cap.fw_build_id, fw->build_id);
		wlfw_fw_send(ctx, send, node, port, SQMI_RESPONSE, h.txn_id,
			     h.msg_id, wlfw_cap_resp_ei, &cap);
		wlfw_fw_send(ctx, send, node, port, SQMI_INDICATION, 0,
			     WLFW_FW_READY_IND, wlfw_empty_ei, &e);
		fw->handshakes++;
		break;
	default:
		pr.resp.result = 1;
		pr.resp.error = QMI_WIRE_ERR_INVALID_QMI_CMD;
		wlfw_fw_send(ctx, send, node, port, SQMI_RESPONSE, h.txn_id,
			     h.msg_id, wlfw_plain_resp_ei, &pr);
		break;
	}
}

#endif /* _SOCBPF_EMU_WLFW_H */
