/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The modem's QMI side for bam-modem: QMUX frames in (from the host's WWAN
 * control port), QMUX frames out.  Enough CTL, WDS and DMS for qmicli's
 * data-session flow; pure code (no I/O), also built by the host unit test.
 */
#ifndef _BAM_MODEM_QMI_MODEM_H
#define _BAM_MODEM_QMI_MODEM_H

#include <socbpf/qmi_codec.h>
#include <socbpf/qmux_wire.h>

#define QMIM_SVC_WDA		0x1a
#define QMIM_MAX_CLIENTS	16

/* QMI messages answered (ids from libqmi 1.32's data/qmi-service-*.json) */
#define QMIM_CTL_GET_VERSION_INFO	0x0021
#define QMIM_CTL_ALLOCATE_CID		0x0022
#define QMIM_CTL_RELEASE_CID		0x0023
#define QMIM_CTL_SYNC			0x0027
#define QMIM_WDS_START_NETWORK		0x0020
#define QMIM_WDS_STOP_NETWORK		0x0021
#define QMIM_WDS_GET_PKT_SRVC_STATUS	0x0022
#define QMIM_WDS_GET_CURRENT_SETTINGS	0x002d
#define QMIM_DMS_GET_MANUFACTURER	0x0021
#define QMIM_DMS_GET_MODEL		0x0022
#define QMIM_DMS_GET_REVISION		0x0023
#define QMIM_DMS_GET_IDS		0x0025

/* QmiProtocolError values used (libqmi's qmi-errors.h) */
#define QMIM_ERR_INVALID_CLIENT_ID	0x0007
#define QMIM_ERR_INVALID_HANDLE		0x0009
#define QMIM_ERR_CALL_FAILED		0x000e
#define QMIM_ERR_OUT_OF_CALL		0x000f
#define QMIM_ERR_CLIENT_IDS_EXHAUSTED	0x0005
#define QMIM_ERR_NO_EFFECT		0x001a
#define QMIM_ERR_INVALID_SERVICE_TYPE	0x001f

/* QmiWdsConnectionStatus */
#define QMIM_WDS_DISCONNECTED	1
#define QMIM_WDS_CONNECTED	2

/* The data session's addresses, host byte order. */
struct qmim_net {
	u32 ue_ip;		/* the host's address */
	u32 gw_ip;		/* the network side (the emulator's TUN) */
	u8 prefix;		/* both in gw_ip/prefix */
	u32 dns1, dns2;
	u32 mtu;
};

struct qmim_client {
	u8 service;
	u8 cid;
};

struct qmim;

struct qmim_ops {
	/* the network side: configure/unconfigure; 0 or -errno */
	int (*connect)(struct qmim *q);
	void (*disconnect)(struct qmim *q);
};

struct qmim {
	struct qmim_net net;
	const struct qmim_ops *ops;
	void *priv;
	const char *manufacturer, *model, *revision, *imei;

	struct qmim_client clients[QMIM_MAX_CLIENTS];
	u8 next_cid;
	bool connected;
	u32 handle;		/* packet data handle of the session */
	u8 owner_cid;		/* WDS client that started it */
	u32 sessions;
	char apn[101];

	/* counters */
	unsigned long requests, responses, bad_requests, unknown_msgs;
	unsigned long errors_sent;
};

void qmim_init(struct qmim *q);
/*
 * qmim_handle() - answer one frame from the host
 * Return: bytes of response in @out (0: no response), or -errno.
 */
int qmim_handle(struct qmim *q, const void *req, size_t len, u8 *out,
		size_t cap);

#endif /* _BAM_MODEM_QMI_MODEM_H */
