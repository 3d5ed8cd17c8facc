/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * QMI/QRTR service numbers -> short and long names, for qrtrtop's service
 * table.  Numbers as used by modem and WLAN firmware (the same ones
 * qrtr-lookup and libqmi know); the short names follow libqmi's spelling.
 */
#ifndef _QRTRTOP_QMI_NAMES_H
#define _QRTRTOP_QMI_NAMES_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct qmi_svc_name {
	uint32_t service;
	const char *name;	/* short, fits a column */
	const char *desc;
};

/* sorted by service number */
static const struct qmi_svc_name qmi_svc_names[] = {
	{ 0, "CTL", "Control service" },
	{ 1, "WDS", "Wireless data service" },
	{ 2, "DMS", "Device management service" },
	{ 3, "NAS", "Network access service" },
	{ 4, "QOS", "Quality of service" },
	{ 5, "WMS", "Wireless messaging service" },
	{ 6, "PDS", "Position determination service" },
	{ 7, "AUTH", "Authentication service" },
	{ 8, "AT", "AT command processor service" },
	{ 9, "VOICE", "Voice service" },
	{ 10, "CAT2", "Card application toolkit (v2)" },
	{ 11, "UIM", "User identity module service" },
	{ 12, "PBM", "Phonebook manager service" },
	{ 13, "QCHAT", "QChat service" },
	{ 14, "RMTFS", "Remote filesystem service" },
	{ 15, "TEST", "Test service" },
	{ 16, "LOC", "Location service" },
	{ 17, "SAR", "Specific absorption rate service" },
	{ 18, "IMSS", "IMS settings service" },
	{ 19, "ADC", "Analog to digital converter service" },
	{ 20, "CSD", "Core sound driver service" },
	{ 21, "MFS", "Modem embedded file system service" },
	{ 22, "TIME", "Time service" },
	{ 23, "TS", "Thermal sensors service" },
	{ 24, "TMD", "Thermal mitigation device service" },
	{ 25, "SAP", "Service access proxy" },
	{ 26, "WDA", "Wireless data administrative service" },
	{ 27, "TSYNC", "Time synchronization service" },
	{ 28, "RFSA", "Remote file system access service" },
	{ 29, "CSVT", "Circuit switched videotelephony service" },
	{ 30, "QCMAP", "Qualcomm mobile access point service" },
	{ 31, "IMSP", "IMS presence service" },
	{ 32, "IMSVT", "IMS videotelephony service" },
	{ 33, "IMSA", "IMS application service" },
	{ 34, "COEX", "Coexistence service" },
	{ 36, "PDC", "Persistent device configuration service" },
	{ 38, "STX", "Simultaneous transmit service" },
	{ 39, "BIT", "Bearer independent transport service" },
	{ 40, "IMSRTP", "IMS RTP service" },
	{ 41, "RFRPE", "RF radiated performance enhancement service" },
	{ 42, "DSD", "Data system determination service" },
	{ 43, "SSCTL", "Subsystem control service" },
	{ 47, "DPM", "Data port mapper service" },
	{ 49, "IPA", "IPA control service" },
	{ 51, "CST", "CoreSight remote tracing service" },
	{ 52, "DHMS", "Dynamic heap memory sharing service" },
	{ 64, "SERVREG-LOC", "Service registry locator service" },
	{ 66, "SERVREG-NOTIF", "Service registry notification service" },
	{ 69, "WLFW", "WLAN firmware service (ath10k/ath11k/ath12k)" },
	{ 224, "CAT", "Card application toolkit" },
	{ 225, "RMS", "Remote management service" },
	{ 226, "OMA", "Open mobile alliance device management" },
	{ 312, "QBT1000", "Ultrasonic fingerprint sensor service" },
	{ 769, "SLIMBUS", "SLIMbus control service" },
	{ 771, "PACM", "Peripheral access control manager service" },
	{ 4096, "TFTP", "TFTP service" },
};

#define QMI_SVC_NAMES_NR (sizeof(qmi_svc_names) / sizeof(qmi_svc_names[0]))

static inline const struct qmi_svc_name *qmi_svc_lookup(uint32_t service)
{
	size_t lo = 0, hi = QMI_SVC_NAMES_NR;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (qmi_svc_names[mid].service == service)
			return &qmi_svc_names[mid];
		if (qmi_svc_names[mid].service < service)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* Short name, or "-" if unknown. */
static inline const char *qmi_svc_name(uint32_t service)
{
	const struct qmi_svc_name *n = qmi_svc_lookup(service);

	return n ? n->name : "-";
}

/* A service given as a number or a short name (any case); -1 if neither. */
static inline long qmi_svc_parse(const char *s)
{
	unsigned long long v = 0;
	size_t i, j;

	if (!s || !*s)
		return -1;
	for (i = 0; s[i] >= '0' && s[i] <= '9'; i++) {
		v = v * 10 + (unsigned long long)(s[i] - '0');
		if (v > 0xffffffffULL)
			return -1;
	}
	if (!s[i])
		return (long)v;
	for (i = 0; i < QMI_SVC_NAMES_NR; i++) {
		const char *n = qmi_svc_names[i].name;

		for (j = 0; n[j] && s[j]; j++) {
			char c = s[j];

			if (c >= 'a' && c <= 'z')
				c = (char)(c - 'a' + 'A');
			if (c != n[j])
				break;
		}
		if (!n[j] && !s[j])
			return (long)qmi_svc_names[i].service;
	}
	return -1;
}

/*
 * Message names per service, for qrtrtop's QMI view: the messages our tests
 * and demos use and the common ones around them. A request and its response
 * share an id; indications have ids of their own.
 *   DMS, NAS, WDS: libqmi's names (selftests/unit/test_qrtrtop_qmi.c checks
 *     each against libqmi's message printer);
 *   WLFW: upstream ath11k, drivers/net/wireless/ath/ath11k/qmi.h
 *     (QMI_WLANFW_*_REQ_V01, QMI_WLFW_*_IND_V01).
 */
struct qmi_msg_name {
	uint32_t service;
	uint16_t msg_id;
	const char *name;
};

/* sorted by service, then message id */
static const struct qmi_msg_name qmi_msg_names[] = {
	{ 1, 0x0020, "Start Network" },
	{ 1, 0x0021, "Stop Network" },
	{ 1, 0x0022, "Get Packet Service Status" },
	{ 1, 0x002D, "Get Current Settings" },
	{ 2, 0x0020, "Get Capabilities" },
	{ 2, 0x0021, "Get Manufacturer" },
	{ 2, 0x0022, "Get Model" },
	{ 2, 0x0023, "Get Revision" },
	{ 2, 0x0024, "Get MSISDN" },
	{ 2, 0x0025, "Get IDs" },
	{ 2, 0x002C, "Get Hardware Revision" },
	{ 2, 0x002D, "Get Operating Mode" },
	{ 2, 0x002E, "Set Operating Mode" },
	{ 3, 0x0020, "Get Signal Strength" },
	{ 3, 0x0022, "Initiate Network Register" },
	{ 3, 0x0024, "Get Serving System" },
	{ 3, 0x0025, "Get Home Network" },
	{ 3, 0x004D, "Get System Info" },
	{ 3, 0x004F, "Get Signal Info" },
	{ 69, 0x0020, "Ind Register" },
	{ 69, 0x0021, "FW Ready Ind" },
	{ 69, 0x0022, "WLAN Mode" },
	{ 69, 0x0023, "WLAN Cfg" },
	{ 69, 0x0024, "Cap" },
	{ 69, 0x0025, "BDF Download" },
	{ 69, 0x0034, "Host Cap" },
	{ 69, 0x0035, "Request Mem Ind" },
	{ 69, 0x0036, "Respond Mem" },
	{ 69, 0x0037, "FW Mem Ready Ind" },
	{ 69, 0x0038, "FW Init Done Ind" },
	{ 69, 0x003C, "M3 Info" },
	{ 69, 0x003E, "Cold Boot Cal Done Ind" },
	{ 69, 0x004C, "Device Info" },
};

#define QMI_MSG_NAMES_NR (sizeof(qmi_msg_names) / sizeof(qmi_msg_names[0]))

/* Name of message @msg_id of @service, or NULL if the table lacks it. */
static inline const char *qmi_msg_lookup(uint32_t service, uint16_t msg_id)
{
	size_t lo = 0, hi = QMI_MSG_NAMES_NR;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct qmi_msg_name *n = &qmi_msg_names[mid];

		if (n->service == service && n->msg_id == msg_id)
			return n->name;
		if (n->service < service ||
		    (n->service == service && n->msg_id < msg_id))
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* Name of a message, or "0xNNNN" (in @buf) if unknown. */
static inline const char *qmi_msg_name(uint32_t service, uint16_t msg_id,
				       char *buf, size_t len)
{
	const char *n = qmi_msg_lookup(service, msg_id);

	if (n)
		return n;
	snprintf(buf, len, "0x%04x", msg_id);
	return buf;
}

/* The QMI header's message type, as a word. */
static inline const char *qmi_type_name(unsigned int type)
{
	switch (type) {
	case 0:
		return "request";
	case 2:
		return "response";
	case 4:
		return "indication";
	default:
		return "other";
	}
}

#endif /* _QRTRTOP_QMI_NAMES_H */
