/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * The WLAN firmware (WLFW, QMI service 69) messages of the handshake an
 * ath11k-like driver runs with its firmware, as codec tables
 * (socbpf/qmi_codec.h): shared by the sample client module (kernel/wlfw)
 * and the firmware side of the device emulator (tools/qrtr-emu).
 *
 * Message ids and TLV types follow upstream ath11k
 * (drivers/net/wireless/ath/ath11k/qmi.h and qmi.c); only the fields the
 * handshake uses are described, the rest are unknown TLVs to the decoder.
 *
 *   client                          firmware
 *   IND_REGISTER_REQ  ------------>
 *                     <------------ IND_REGISTER_RESP
 *   HOST_CAP_REQ      ------------>
 *                     <------------ HOST_CAP_RESP
 *                     <------------ REQUEST_MEM_IND (segments wanted)
 *   RESPOND_MEM_REQ   ------------> (segments given)
 *                     <------------ RESPOND_MEM_RESP
 *                     <------------ FW_MEM_READY_IND
 *   CAP_REQ           ------------>
 *                     <------------ CAP_RESP (chip, board, soc, firmware)
 *                     <------------ FW_READY_IND
 */
#ifndef _SOCBPF_QMI_WLFW_H
#define _SOCBPF_QMI_WLFW_H

#include "compat.h"
#include "qmi_codec.h"

#define WLFW_SERVICE			0x45
#define WLFW_VERSION			0x01

#define WLFW_IND_REGISTER		0x0020
#define WLFW_CAP			0x0024
#define WLFW_HOST_CAP			0x0034
#define WLFW_REQUEST_MEM_IND		0x0035
#define WLFW_RESPOND_MEM		0x0036
#define WLFW_FW_MEM_READY_IND		0x0037
/* ath11k's QMI_WLFW_FW_READY_IND_V01; 0x0038 is FW_INIT_DONE_IND there */
#define WLFW_FW_READY_IND		0x0021

#define WLFW_CLIENT_ID			0x4b4e454c
#define WLFW_MAX_MEM_SEG		52
#define WLFW_MAX_MEM_CFG		2
#define WLFW_TIMESTAMP_LEN		33	/* 32 + NUL */
#define WLFW_BUILD_ID_LEN		129	/* 128 + NUL */

#define WLFW_FLAG(t, s, f) { .data_type = SQMI_OPT_FLAG, .elem_len = 1,	\
	.elem_size = 1, .tlv_type = (t), .offset = offsetof(s, f) }
#define WLFW_VAL(dt, t, s, f) { .data_type = (dt), .elem_len = 1,	\
	.elem_size = sizeof(((s *)0)->f), .tlv_type = (t),		\
	.offset = offsetof(s, f) }
#define WLFW_RESULT(s) { .data_type = SQMI_STRUCT, .elem_len = 1,	\
	.elem_size = sizeof(struct sqmi_response_type),			\
	.tlv_type = SQMI_RESULT_TLV_TYPE, .offset = offsetof(s, resp),	\
	.ei_array = wlfw_resp_ei }
#define WLFW_END { .data_type = SQMI_EOTI }

static const struct sqmi_elem_info wlfw_resp_ei[] = {
	WLFW_VAL(SQMI_SIGNED_2_BYTE_ENUM, 0, struct sqmi_response_type, result),
	WLFW_VAL(SQMI_SIGNED_2_BYTE_ENUM, 0, struct sqmi_response_type, error),
	WLFW_END,
};

/* A response that is only the result TLV (host cap, respond mem). */
struct wlfw_plain_resp {
	struct sqmi_response_type resp;
};

static const struct sqmi_elem_info wlfw_plain_resp_ei[] = {
	WLFW_RESULT(struct wlfw_plain_resp),
	WLFW_END,
};

/* A message with no TLVs (cap request, memory/firmware ready indications). */
struct wlfw_empty {
	u8 unused;
};

static const struct sqmi_elem_info wlfw_empty_ei[] = {
	WLFW_END,
};

struct wlfw_ind_register_req {
	u8 fw_ready_enable_valid;
	u8 fw_ready_enable;
	u8 client_id_valid;
	u32 client_id;
	u8 request_mem_enable_valid;
	u8 request_mem_enable;
	u8 fw_mem_ready_enable_valid;
	u8 fw_mem_ready_enable;
};

static const struct sqmi_elem_info wlfw_ind_register_req_ei[] = {
	WLFW_FLAG(0x10, struct wlfw_ind_register_req, fw_ready_enable_valid),
	WLFW_VAL(SQMI_UNSIGNED_1_BYTE, 0x10, struct wlfw_ind_register_req,
		 fw_ready_enable),
	WLFW_FLAG(0x15, struct wlfw_ind_register_req, client_id_valid),
	WLFW_VAL(SQMI_UNSIGNED_4_BYTE, 0x15, struct wlfw_ind_register_req,
		 client_id),
	WLFW_FLAG(0x16, struct wlfw_ind_register_req, request_mem_enable_valid),
	WLFW_VAL(SQMI_UNSIGNED_1_BYTE, 0x16, struct wlfw_ind_register_req,
		 request_mem_enable),
	WLFW_FLAG(0x17, struct wlfw_ind_register_req,
		  fw_mem_ready_enable_valid),
	WLFW_VAL(SQMI_UNSIGNED_1_BYTE, 0x17, struct wlfw_ind_register_req,
		 fw_mem_ready_enable),
	WLFW_END,
};

struct wlfw_ind_register_resp {
	struct sqmi_response_type resp;
	u8 fw_status_valid;
	u64 fw_status;
};

static const struct sqmi_elem_info wlfw_ind_register_resp_ei[] = {
	WLFW_RESULT(struct wlfw_ind_register_resp),
	WLFW_FLAG(0x10, struct wlfw_ind_register_resp, fw_status_valid),
	WLFW_VAL(SQMI_UNSIGNED_8_BYTE, 0x10, struct wlfw_ind_register_resp,
		 fw_status),
	WLFW_END,
};

struct wlfw_host_cap_req {
	u8 num_clients_valid;
	u32 num_clients;
	u8 bdf_support_valid;
	u8 bdf_support;
	u8 m3_support_valid;
	u8 m3_support;
	u8 mem_cfg_mode_valid;
	u8 mem_cfg_mode;
};

static const struct sqmi_elem_info wlfw_host_cap_req_ei[] = {
	WLFW_FLAG(0x10, struct wlfw_host_cap_req, num_clients_valid),
	WLFW_VAL(SQMI_UNSIGNED_4_BYTE, 0x10, struct wlfw_host_cap_req,
		 num_clients),
	WLFW_FLAG(0x14, struct wlfw_host_cap_req, bdf_support_valid),
	WLFW_VAL(SQMI_UNSIGNED_1_BYTE, 0x14, struct wlfw_host_cap_req,
		 bdf_support),
	WLFW_FLAG(0x16, struct wlfw_host_cap_req, m3_support_valid),
	WLFW_VAL(SQMI_UNSIGNED_1_BYTE, 0x16, struct wlfw_host_cap_req,
		 m3_support),
	WLFW_FLAG(0x1c, struct wlfw_host_cap_req, mem_cfg_mode_valid),
	WLFW_VAL(SQMI_UNSIGNED_1_BYTE, 0x1c, struct wlfw_host_cap_req,
		 mem_cfg_mode),
	WLFW_END,
};

struct wlfw_mem_cfg {
	u64 offset;
	u32 size;
	u8 secure_flag;
};

static const struct sqmi_elem_info wlfw_mem_cfg_ei[] = {
	WLFW_VAL(SQMI_UNSIGNED_8_BYTE, 0, struct wlfw_mem_cfg, offset),
	WLFW_VAL(SQMI_UNSIGNED_4_BYTE, 0, struct wlfw_mem_cfg, size),
	WLFW_VAL(SQMI_UNSIGNED_1_BYTE, 0, struct wlfw_mem_cfg, secure_flag),
	WLFW_END,
};

struct wlfw_mem_seg {
	u32 size;
	s32 type;
	u32 mem_cfg_len;
	struct wlfw_mem_cfg mem_cfg[WLFW_MAX_MEM_CFG];
};

static const struct sqmi_elem_info wlfw_mem_seg_ei[] = {
	WLFW_VAL(SQMI_UNSIGNED_4_BYTE, 0, struct wlfw_mem_seg, size),
	WLFW_VAL(SQMI_SIGNED_4_BYTE_ENUM, 0, struct wlfw_mem_seg, type),
	{ .data_type = SQMI_DATA_LEN, .elem_len = 1, .elem_size = 1,
	  .offset = offsetof(struct wlfw_mem_seg, mem_cfg_len) },
	{ .data_type = SQMI_STRUCT, .elem_len = WLFW_MAX_MEM_CFG,
	  .elem_size = sizeof(struct wlfw_mem_cfg),
	  .array_type = SQMI_VAR_LEN_ARRAY,
	  .offset = offsetof(struct wlfw_mem_seg, mem_cfg),
	  .ei_array = wlfw_mem_cfg_ei },
	WLFW_END,
};

struct wlfw_request_mem_ind {
	u32 mem_seg_len;
	struct wlfw_mem_seg mem_seg[WLFW_MAX_MEM_SEG];
};

static const struct sqmi_elem_info wlfw_request_mem_ind_ei[] = {
	{ .data_type = SQMI_DATA_LEN, .elem_len = 1, .elem_size = 1,
	  .tlv_type = 0x01,
	  .offset = offsetof(struct wlfw_request_mem_ind, mem_seg_len) },
	{ .data_type = SQMI_STRUCT, .elem_len = WLFW_MAX_MEM_SEG,
	  .elem_size = sizeof(struct wlfw_mem_seg),
	  .array_type = SQMI_VAR_LEN_ARRAY, .tlv_type = 0x01,
	  .offset = offsetof(struct wlfw_request_mem_ind, mem_seg),
	  .ei_array = wlfw_mem_seg_ei },
	WLFW_END,
};

struct wlfw_mem_seg_resp {
	u64 addr;
	u32 size;
	s32 type;
	u8 restore;
};

static const struct sqmi_elem_info wlfw_mem_seg_resp_ei[] = {
	WLFW_VAL(SQMI_UNSIGNED_8_BYTE, 0, struct wlfw_mem_seg_resp, addr),
	WLFW_VAL(SQMI_UNSIGNED_4_BYTE, 0, struct wlfw_mem_seg_resp, size),
	WLFW_VAL(SQMI_SIGNED_4_BYTE_ENUM, 0, struct wlfw_mem_seg_resp, type),
	WLFW_VAL(SQMI_UNSIGNED_1_BYTE, 0, struct wlfw_mem_seg_resp, restore),
	WLFW_END,
};

struct wlfw_respond_mem_req {
	u32 mem_seg_len;
	struct wlfw_mem_seg_resp mem_seg[WLFW_MAX_MEM_SEG];
};

static const struct sqmi_elem_info wlfw_respond_mem_req_ei[] = {
	{ .data_type = SQMI_DATA_LEN, .elem_len = 1, .elem_size = 1,
	  .tlv_type = 0x01,
	  .offset = offsetof(struct wlfw_respond_mem_req, mem_seg_len) },
	{ .data_type = SQMI_STRUCT, .elem_len = WLFW_MAX_MEM_SEG,
	  .elem_size = sizeof(struct wlfw_mem_seg_resp),
	  .array_type = SQMI_VAR_LEN_ARRAY, .tlv_type = 0x01,
	  .offset = offsetof(struct wlfw_respond_mem_req, mem_seg),
	  .ei_array = wlfw_mem_seg_resp_ei },
	WLFW_END,
};

struct wlfw_chip_info {
	u32 chip_id;
	u32 chip_family;
};

static const struct sqmi_elem_info wlfw_chip_info_ei[] = {
	WLFW_VAL(SQMI_UNSIGNED_4_BYTE, 0, struct wlfw_chip_info, chip_id),
	WLFW_VAL(SQMI_UNSIGNED_4_BYTE, 0, struct wlfw_chip_info, chip_family),
	WLFW_END,
};

struct wlfw_u32_info {
	u32 id;
};

static const struct sqmi_elem_info wlfw_u32_info_ei[] = {
	WLFW_VAL(SQMI_UNSIGNED_4_BYTE, 0, struct wlfw_u32_info, id),
	WLFW_END,
};

struct wlfw_fw_version_info {
	u32 fw_version;
	char fw_build_timestamp[WLFW_TIMESTAMP_LEN];
};

static const struct sqmi_elem_info wlfw_fw_version_info_ei[] = {
	WLFW_VAL(SQMI_UNSIGNED_4_BYTE, 0, struct wlfw_fw_version_info,
		 fw_version),
	{ .data_type = SQMI_STRING, .elem_len = WLFW_TIMESTAMP_LEN,
	  .elem_size = 1,
	  .offset = offsetof(struct wlfw_fw_version_info, fw_build_timestamp) },
	WLFW_END,
};

struct wlfw_cap_resp {
	struct sqmi_response_type resp;
	u8 chip_info_valid;
	struct wlfw_chip_info chip_info;
	u8 board_info_valid;
	struct wlfw_u32_info board_info;
	u8 soc_info_valid;
	struct wlfw_u32_info soc_info;
	u8 fw_version_info_valid;
	struct wlfw_fw_version_info fw_version_info;
	u8 fw_build_id_valid;
	char fw_build_id[WLFW_BUILD_ID_LEN];
};

#define WLFW_STRUCT(t, s, f, ei) { .data_type = SQMI_STRUCT, .elem_len = 1, \
	.elem_size = sizeof(((s *)0)->f), .tlv_type = (t),		\
	.offset = offsetof(s, f), .ei_array = (ei) }

static const struct sqmi_elem_info wlfw_cap_resp_ei[] = {
	WLFW_RESULT(struct wlfw_cap_resp),
	WLFW_FLAG(0x10, struct wlfw_cap_resp, chip_info_valid),
	WLFW_STRUCT(0x10, struct wlfw_cap_resp, chip_info, wlfw_chip_info_ei),
	WLFW_FLAG(0x11, struct wlfw_cap_resp, board_info_valid),
	WLFW_STRUCT(0x11, struct wlfw_cap_resp, board_info, wlfw_u32_info_ei),
	WLFW_FLAG(0x12, struct wlfw_cap_resp, soc_info_valid),
	WLFW_STRUCT(0x12, struct wlfw_cap_resp, soc_info, wlfw_u32_info_ei),
	WLFW_FLAG(0x13, struct wlfw_cap_resp, fw_version_info_valid),
	WLFW_STRUCT(0x13, struct wlfw_cap_resp, fw_version_info,
		    wlfw_fw_version_info_ei),
	WLFW_FLAG(0x14, struct wlfw_cap_resp, fw_build_id_valid),
	{ .data_type = SQMI_STRING, .elem_len = WLFW_BUILD_ID_LEN,
	  .elem_size = 1, .tlv_type = 0x14,
	  .offset = offsetof(struct wlfw_cap_resp, fw_build_id) },
	WLFW_END,
};

#endif /* _SOCBPF_QMI_WLFW_H */
