/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * SCMI protocol and message names (Arm DEN0056, SCMI v3.2), for display and
 * for the -p/-m filters of scmitrace.  Message ids 0x0-0x2 and 0x10 are the
 * same in every protocol.
 */
#ifndef _SCMI_NAMES_H
#define _SCMI_NAMES_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct scmi_name {
	int id;
	const char *name;
};

struct scmi_proto_names {
	int id;
	const char *name;		/* short, used by -p */
	const char *prefix;		/* message name prefix */
	const struct scmi_name *msgs;	/* protocol specific, id >= 3 */
};

static const struct scmi_name scmi_common_msgs[] = {
	{ 0x0, "PROTOCOL_VERSION" },
	{ 0x1, "PROTOCOL_ATTRIBUTES" },
	{ 0x2, "PROTOCOL_MESSAGE_ATTRIBUTES" },
	{ 0x10, "NEGOTIATE_PROTOCOL_VERSION" },
	{ -1, NULL },
};

static const struct scmi_name scmi_base_msgs[] = {
	{ 0x3, "BASE_DISCOVER_VENDOR" },
	{ 0x4, "BASE_DISCOVER_SUB_VENDOR" },
	{ 0x5, "BASE_DISCOVER_IMPLEMENTATION_VERSION" },
	{ 0x6, "BASE_DISCOVER_LIST_PROTOCOLS" },
	{ 0x7, "BASE_DISCOVER_AGENT" },
	{ 0x8, "BASE_NOTIFY_ERRORS" },
	{ 0x9, "BASE_SET_DEVICE_PERMISSIONS" },
	{ 0xa, "BASE_SET_PROTOCOL_PERMISSIONS" },
	{ 0xb, "BASE_RESET_AGENT_CONFIGURATION" },
	{ -1, NULL },
};

static const struct scmi_name scmi_power_msgs[] = {
	{ 0x3, "POWER_DOMAIN_ATTRIBUTES" },
	{ 0x4, "POWER_STATE_SET" },
	{ 0x5, "POWER_STATE_GET" },
	{ 0x6, "POWER_STATE_NOTIFY" },
	{ 0x7, "POWER_STATE_CHANGE_REQUESTED_NOTIFY" },
	{ 0x8, "POWER_DOMAIN_NAME_GET" },
	{ -1, NULL },
};

static const struct scmi_name scmi_system_msgs[] = {
	{ 0x3, "SYSTEM_POWER_STATE_SET" },
	{ 0x4, "SYSTEM_POWER_STATE_GET" },
	{ 0x5, "SYSTEM_POWER_STATE_NOTIFY" },
	{ -1, NULL },
};

static const struct scmi_name scmi_perf_msgs[] = {
	{ 0x3, "PERF_DOMAIN_ATTRIBUTES" },
	{ 0x4, "PERF_DESCRIBE_LEVELS" },
	{ 0x5, "PERF_LIMITS_SET" },
	{ 0x6, "PERF_LIMITS_GET" },
	{ 0x7, "PERF_LEVEL_SET" },
	{ 0x8, "PERF_LEVEL_GET" },
	{ 0x9, "PERF_NOTIFY_LIMITS" },
	{ 0xa, "PERF_NOTIFY_LEVEL" },
	{ 0xb, "PERF_DESCRIBE_FASTCHANNEL" },
	{ 0xc, "PERF_DOMAIN_NAME_GET" },
	{ -1, NULL },
};

static const struct scmi_name scmi_clock_msgs[] = {
	{ 0x3, "CLOCK_ATTRIBUTES" },
	{ 0x4, "CLOCK_DESCRIBE_RATES" },
	{ 0x5, "CLOCK_RATE_SET" },
	{ 0x6, "CLOCK_RATE_GET" },
	{ 0x7, "CLOCK_CONFIG_SET" },
	{ 0x8, "CLOCK_NAME_GET" },
	{ 0x9, "CLOCK_RATE_NOTIFY" },
	{ 0xa, "CLOCK_RATE_CHANGE_REQUESTED_NOTIFY" },
	{ 0xb, "CLOCK_CONFIG_GET" },
	{ 0xc, "CLOCK_POSSIBLE_PARENTS_GET" },
	{ 0xd, "CLOCK_PARENT_SET" },
	{ 0xe, "CLOCK_PARENT_GET" },
	{ 0xf, "CLOCK_GET_PERMISSIONS" },
	{ -1, NULL },
};

static const struct scmi_name scmi_sensor_msgs[] = {
	{ 0x3, "SENSOR_DESCRIPTION_GET" },
	{ 0x4, "SENSOR_TRIP_POINT_NOTIFY" },
	{ 0x5, "SENSOR_TRIP_POINT_CONFIG" },
	{ 0x6, "SENSOR_READING_GET" },
	{ 0x7, "SENSOR_AXIS_DESCRIPTION_GET" },
	{ 0x8, "SENSOR_LIST_UPDATE_INTERVALS" },
	{ 0x9, "SENSOR_CONFIG_GET" },
	{ 0xa, "SENSOR_CONFIG_SET" },
	{ 0xb, "SENSOR_CONTINUOUS_UPDATE_NOTIFY" },
	{ 0xc, "SENSOR_NAME_GET" },
	{ 0xd, "SENSOR_AXIS_NAME_GET" },
	{ -1, NULL },
};

static const struct scmi_name scmi_reset_msgs[] = {
	{ 0x3, "RESET_DOMAIN_ATTRIBUTES" },
	{ 0x4, "RESET" },
	{ 0x5, "RESET_NOTIFY" },
	{ 0x6, "RESET_DOMAIN_NAME_GET" },
	{ -1, NULL },
};

static const struct scmi_name scmi_voltage_msgs[] = {
	{ 0x3, "VOLTAGE_DOMAIN_ATTRIBUTES" },
	{ 0x4, "VOLTAGE_DESCRIBE_LEVELS" },
	{ 0x5, "VOLTAGE_CONFIG_SET" },
	{ 0x6, "VOLTAGE_CONFIG_GET" },
	{ 0x7, "VOLTAGE_LEVEL_SET" },
	{ 0x8, "VOLTAGE_LEVEL_GET" },
	{ 0x9, "VOLTAGE_DOMAIN_NAME_GET" },
	{ -1, NULL },
};

static const struct scmi_name scmi_powercap_msgs[] = {
	{ 0x3, "POWERCAP_DOMAIN_ATTRIBUTES" },
	{ 0x4, "POWERCAP_CAP_GET" },
	{ 0x5, "POWERCAP_CAP_SET" },
	{ 0x6, "POWERCAP_PAI_GET" },
	{ 0x7, "POWERCAP_PAI_SET" },
	{ 0x8, "POWERCAP_DOMAIN_NAME_GET" },
	{ 0x9, "POWERCAP_MEASUREMENTS_GET" },
	{ 0xa, "POWERCAP_CAP_NOTIFY" },
	{ 0xb, "POWERCAP_MEASUREMENTS_NOTIFY" },
	{ 0xc, "POWERCAP_DESCRIBE_FASTCHANNEL" },
	{ -1, NULL },
};

static const struct scmi_name scmi_pinctrl_msgs[] = {
	{ 0x3, "PINCTRL_ATTRIBUTES" },
	{ 0x4, "PINCTRL_LIST_ASSOCIATIONS" },
	{ 0x5, "PINCTRL_SETTINGS_GET" },
	{ 0x6, "PINCTRL_SETTINGS_CONFIGURE" },
	{ 0x7, "PINCTRL_REQUEST" },
	{ 0x8, "PINCTRL_RELEASE" },
	{ 0x9, "PINCTRL_NAME_GET" },
	{ 0xa, "PINCTRL_SET_PERMISSIONS" },
	{ -1, NULL },
};

static const struct scmi_proto_names scmi_protos[] = {
	{ 0x10, "base", "BASE_", scmi_base_msgs },
	{ 0x11, "power", "POWER_", scmi_power_msgs },
	{ 0x12, "system", "SYSTEM_", scmi_system_msgs },
	{ 0x13, "perf", "PERF_", scmi_perf_msgs },
	{ 0x14, "clock", "CLOCK_", scmi_clock_msgs },
	{ 0x15, "sensor", "SENSOR_", scmi_sensor_msgs },
	{ 0x16, "reset", "RESET_", scmi_reset_msgs },
	{ 0x17, "voltage", "VOLTAGE_", scmi_voltage_msgs },
	{ 0x18, "powercap", "POWERCAP_", scmi_powercap_msgs },
	{ 0x19, "pinctrl", "PINCTRL_", scmi_pinctrl_msgs },
	{ -1, NULL, NULL, NULL },
};

static inline const struct scmi_proto_names *scmi_proto_find(int id)
{
	const struct scmi_proto_names *p;

	for (p = scmi_protos; p->name; p++)
		if (p->id == id)
			return p;
	return NULL;
}

/* "clock", or "0x9a" (in @buf) for an unknown protocol */
static inline const char *scmi_proto_name(int id, char *buf, size_t len)
{
	const struct scmi_proto_names *p = scmi_proto_find(id);

	if (p)
		return p->name;
	snprintf(buf, len, "0x%02x", id & 0xff);
	return buf;
}

static inline const char *scmi_msg_name_or_null(int proto, int msg)
{
	const struct scmi_proto_names *p = scmi_proto_find(proto);
	const struct scmi_name *n;

	for (n = scmi_common_msgs; n->name; n++)
		if (n->id == msg)
			return n->name;
	if (!p)
		return NULL;
	for (n = p->msgs; n->name; n++)
		if (n->id == msg)
			return n->name;
	return NULL;
}

/* "CLOCK_RATE_GET", or "0x42" (in @buf) for an unknown message */
static inline const char *scmi_msg_name(int proto, int msg, char *buf, size_t len)
{
	const char *s = scmi_msg_name_or_null(proto, msg);

	if (s)
		return s;
	snprintf(buf, len, "0x%02x", msg & 0xff);
	return buf;
}

/* parse a number 0..255 (decimal or 0x-hex); -1 if not a number */
static inline int scmi_parse_u8(const char *s)
{
	char *end;
	long v;

	if (!s || !*s)
		return -1;
	v = strtol(s, &end, 0);
	if (*end || v < 0 || v > 255)
		return -1;
	return (int)v;
}

/* protocol by number or short name ("clock"); -1 if unknown */
static inline int scmi_parse_proto(const char *s)
{
	const struct scmi_proto_names *p;
	int v = scmi_parse_u8(s);

	if (v >= 0)
		return v;
	for (p = scmi_protos; p->name; p++)
		if (!strcasecmp(s, p->name))
			return p->id;
	return -1;
}

/*
 * message by number, by full name ("CLOCK_RATE_GET") or, when @proto is
 * known, by the name without the protocol prefix ("RATE_GET").  With
 * @proto < 0 a protocol-specific name sets *@proto_out to its protocol.
 * Returns -1 if unknown.
 */
static inline int scmi_parse_msg(const char *s, int proto, int *proto_out)
{
	const struct scmi_proto_names *p;
	const struct scmi_name *n;
	int v = scmi_parse_u8(s);

	if (proto_out)
		*proto_out = proto;
	if (v >= 0)
		return v;
	for (n = scmi_common_msgs; n->name; n++)
		if (!strcasecmp(s, n->name))
			return n->id;
	for (p = scmi_protos; p->name; p++) {
		if (proto >= 0 && p->id != proto)
			continue;
		for (n = p->msgs; n->name; n++) {
			size_t pl = strlen(p->prefix);

			if (!strcasecmp(s, n->name) ||
			    (proto >= 0 && !strncasecmp(n->name, p->prefix, pl) &&
			     !strcasecmp(s, n->name + pl))) {
				if (proto_out)
					*proto_out = p->id;
				return n->id;
			}
		}
	}
	return -1;
}

#endif /* _SCMI_NAMES_H */
