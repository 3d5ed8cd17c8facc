// SPDX-License-Identifier: GPL-2.0
/*
 * socbpf SCMI base protocol (0x10): version, attributes, message
 * attributes, vendor, sub-vendor, implementation version and the list of
 * implemented protocols.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>

#include "scmi_core.h"

static int scmi_base_u32(u8 msg_id, const void *tx, size_t tx_len, u32 *val)
{
	__le32 v;
	int ret;

	ret = scmi_xfer_simple(SCMI_PROTO_BASE, msg_id, tx, tx_len, &v,
			       sizeof(v), sizeof(v), NULL);
	if (!ret)
		*val = le32_to_cpu(v);
	return ret;
}

static int scmi_base_name(u8 msg_id, char *name)
{
	u8 raw[SCMI_NAME_LEN];
	int ret;

	ret = scmi_xfer_simple(SCMI_PROTO_BASE, msg_id, NULL, 0, raw,
			       sizeof(raw), sizeof(raw), NULL);
	if (!ret)
		scmi_wire_name(name, raw);
	return ret;
}

static int scmi_base_list_protocols(struct scmi_base_info *base)
{
	u8 rx[SCMI_WIRE_MAX_PAYLOAD];
	unsigned int got = 0, n, i;
	size_t rx_len;
	__le32 skip;
	int ret;

	while (got < base->num_protocols && got < ARRAY_SIZE(base->protocols)) {
		skip = cpu_to_le32(got);
		ret = scmi_xfer_simple(SCMI_PROTO_BASE,
				       SCMI_BASE_DISCOVER_LIST_PROTOS, &skip,
				       sizeof(skip), rx, 4, sizeof(rx),
				       &rx_len);
		if (ret)
			return ret;
		n = scmi_wire_get_le32(rx);
		if (!n || n > rx_len - 4 || got + n > base->num_protocols)
			return -EPROTO;
		for (i = 0; i < n && got < ARRAY_SIZE(base->protocols); i++)
			base->protocols[got++] = rx[4 + i];
	}
	return 0;
}

/**
 * scmi_base_has_protocol() - did discovery list a protocol?
 * @base:  discovery results
 * @proto: protocol id
 *
 * Return: true when @proto was listed.
 */
bool scmi_base_has_protocol(const struct scmi_base_info *base, u8 proto)
{
	unsigned int i;

	for (i = 0; i < base->num_protocols && i < ARRAY_SIZE(base->protocols);
	     i++)
		if (base->protocols[i] == proto)
			return true;
	return false;
}

/**
 * scmi_base_discover() - run base protocol discovery
 * @base: filled with the results
 *
 * Return: 0 or -errno of the first failing command.
 */
int scmi_base_discover(struct scmi_base_info *base)
{
	__le32 msg;
	u32 attr;
	int ret;

	memset(base, 0, sizeof(*base));
	ret = scmi_base_u32(SCMI_MSG_PROTOCOL_VERSION, NULL, 0, &base->version);
	if (ret)
		return ret;
	ret = scmi_base_u32(SCMI_MSG_PROTOCOL_ATTRIBUTES, NULL, 0, &attr);
	if (ret)
		return ret;
	base->num_protocols = attr & 0xff;
	base->num_agents = (attr >> 8) & 0xff;

	/*
	 * Optional commands: ask whether the platform implements them.  The
	 * spec's answer for one it does not is NOT_FOUND (-ENOENT) to
	 * PROTOCOL_MESSAGE_ATTRIBUTES (DEN0056 4.2.2.4); NOT_SUPPORTED is
	 * taken too.  Upstream (base.c) ignores the sub-vendor's errors.
	 */
	msg = cpu_to_le32(SCMI_BASE_DISCOVER_SUB_VENDOR);
	ret = scmi_base_u32(SCMI_MSG_PROTOCOL_MSG_ATTRS, &msg, sizeof(msg),
			    &attr);
	if (!ret)
		ret = scmi_base_name(SCMI_BASE_DISCOVER_SUB_VENDOR,
				     base->sub_vendor);
	if (ret == -ENOENT || ret == -EOPNOTSUPP) {
		base->sub_vendor[0] = '\0';
		ret = 0;
	}
	if (ret)
		return ret;

	ret = scmi_base_name(SCMI_BASE_DISCOVER_VENDOR, base->vendor);
	if (ret)
		return ret;
	ret = scmi_base_u32(SCMI_BASE_DISCOVER_IMPL_VER, NULL, 0,
			    &base->impl_ver);
	if (ret)
		return ret;
	ret = scmi_base_list_protocols(base);
	if (ret)
		return ret;
	pr_info("platform %s/%s impl 0x%08x base v%u.%u, %u protocols\n",
		base->vendor, base->sub_vendor, base->impl_ver,
		base->version >> 16, base->version & 0xffff,
		base->num_protocols);
	return 0;
}
