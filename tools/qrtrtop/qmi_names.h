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

#endif /* _QRTRTOP_QMI_NAMES_H */
