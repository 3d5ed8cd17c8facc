// SPDX-License-Identifier: GPL-2.0
/*
 * socbpf SCMI sensor protocol (0x15): discovery of sensor descriptors,
 * synchronous and asynchronous (delayed response) readings, trip point
 * notification control and the trip point / update notifications.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/slab.h>

#include "scmi_core.h"

#define SCMI_SENSOR_MAX		64

/**
 * scmi_sensor_read() - read a sensor
 * @id:    sensor id
 * @async: ask for the value in a delayed response
 * @value: the raw reading (to be scaled by the sensor's unit exponent)
 *
 * Return: 0 or -errno as scmi_do_xfer(), -EPROTO on a short reply.
 */
int scmi_sensor_read(u32 id, bool async, s64 *value)
{
	struct scmi_xfer *xfer;
	const u8 *p;
	int ret;

	xfer = scmi_xfer_alloc(SCMI_PROTO_SENSOR, SCMI_SENSOR_READING_GET, 8,
			       async);
	if (!xfer)
		return -ENOMEM;
	scmi_wire_put_le32(xfer->tx, id);
	scmi_wire_put_le32(xfer->tx + 4, async ? SCMI_SENSOR_READ_ASYNC : 0);
	ret = scmi_do_xfer(xfer);
	if (ret)
		goto out_free;
	if (async) {
		/* sensor_id, value_low, value_high */
		if (xfer->drx_len < 12 ||
		    scmi_wire_get_le32(xfer->drx) != id) {
			ret = -EPROTO;
			goto out_free;
		}
		p = xfer->drx + 4;
	} else {
		if (xfer->rx_len < 8) {
			ret = -EPROTO;
			goto out_free;
		}
		p = xfer->rx;
	}
	*value = (s64)((u64)scmi_wire_get_le32(p) |
		       ((u64)scmi_wire_get_le32(p + 4) << 32));
out_free:
	scmi_xfer_free(xfer);
	return ret;
}

/**
 * scmi_sensor_trip_notify() - enable or disable trip point notifications
 * @id:     sensor id
 * @enable: enable
 *
 * Return: 0 or -errno.
 */
int scmi_sensor_trip_notify(u32 id, bool enable)
{
	u8 tx[8];

	scmi_wire_put_le32(tx, id);
	scmi_wire_put_le32(tx + 4, enable ? 1 : 0);
	return scmi_xfer_simple(SCMI_PROTO_SENSOR, SCMI_SENSOR_TRIP_POINT_NOTIFY,
				tx, sizeof(tx), NULL, 0, 0, NULL);
}

static int scmi_sensor_index(struct scmi_agent *ag, u32 id)
{
	unsigned int i;

	for (i = 0; i < ag->nr_sensors; i++)
		if (ag->sensors[i].id == id)
			return i;
	return -ENOENT;
}

static void scmi_sensor_event(u8 proto_id, u8 evt_id, const void *payload,
			      size_t len, void *priv)
{
	struct scmi_agent *ag = priv;
	const u8 *p = payload;
	struct scmi_sensor *s;
	int idx;

	/* agent_id, sensor_id, ... */
	if (len < 12) {
		scmi_ctr_inc(SCMI_CTR_MALFORMED);
		return;
	}
	idx = scmi_sensor_index(ag, scmi_wire_get_le32(p + 4));
	if (idx < 0)
		return;
	s = &ag->sensors[idx];
	if (evt_id == SCMI_SENSOR_EVT_TRIP_POINT) {
		atomic64_inc(&s->trip_events);
		scmi_hwmon_trip(ag, idx);
	} else if (len >= 16) {
		atomic64_inc(&s->update_events);
		atomic64_set(&s->last_update,
			     (s64)((u64)scmi_wire_get_le32(p + 8) |
				   ((u64)scmi_wire_get_le32(p + 12) << 32)));
	}
}

static int scmi_sensor_descriptions(struct scmi_agent *ag, unsigned int num)
{
	u8 rx[SCMI_WIRE_MAX_PAYLOAD];
	unsigned int idx = 0, n, i;
	size_t rx_len;
	__le32 tx;
	int ret;

	while (idx < num) {
		tx = cpu_to_le32(idx);
		ret = scmi_xfer_simple(SCMI_PROTO_SENSOR,
				       SCMI_SENSOR_DESCRIPTION_GET, &tx,
				       sizeof(tx), rx, 4, sizeof(rx), &rx_len);
		if (ret)
			return ret;
		n = scmi_wire_get_le32(rx) & 0xfff;
		if (!n || 4 + (size_t)n * SCMI_SENSOR_DESC_SIZE > rx_len)
			return -EPROTO;
		/* more sensors than the agent keeps: the first @num only */
		n = min(n, num - idx);
		for (i = 0; i < n; i++, idx++) {
			const u8 *d = rx + 4 + i * SCMI_SENSOR_DESC_SIZE;
			struct scmi_sensor *s = &ag->sensors[idx];

			s->id = scmi_wire_get_le32(d);
			s->attr_low = scmi_wire_get_le32(d + 4);
			s->attr_high = scmi_wire_get_le32(d + 8);
			s->type = SCMI_SENSOR_ATTRH_TYPE(s->attr_high);
			s->scale = scmi_wire_sext5(SCMI_SENSOR_ATTRH_SCALE(s->attr_high));
			s->async = !!(s->attr_low & SCMI_SENSOR_ATTRL_ASYNC);
			s->num_trips = SCMI_SENSOR_ATTRL_TRIPS(s->attr_low);
			scmi_wire_name(s->name, d + 12);
		}
	}
	return 0;
}

/**
 * scmi_sensor_discover() - enumerate sensors, hook notifications, hwmon
 * @ag: the agent
 *
 * Return: 0 (also when the platform has no sensor) or -errno.
 */
int scmi_sensor_discover(struct scmi_agent *ag)
{
	unsigned int num, i;
	int ret;

	ret = scmi_proto_count(SCMI_PROTO_SENSOR, SCMI_SENSOR_MAX, "sensors",
			       &num);
	if (ret || !num)
		return ret;
	ag->sensors = kcalloc(num, sizeof(*ag->sensors), GFP_KERNEL);
	if (!ag->sensors)
		return -ENOMEM;
	ret = scmi_sensor_descriptions(ag, num);
	if (ret)
		goto err_free;
	ag->nr_sensors = num;

	ret = scmi_notify_register(SCMI_PROTO_SENSOR, SCMI_SENSOR_EVT_TRIP_POINT,
				   scmi_sensor_event, ag);
	if (ret)
		goto err_free;
	ret = scmi_notify_register(SCMI_PROTO_SENSOR, SCMI_SENSOR_EVT_UPDATE,
				   scmi_sensor_event, ag);
	if (ret)
		goto err_unreg_trip;

	/*
	 * Trip point notifications are optional: a sensor whose enable the
	 * platform refuses is still registered, without them.
	 */
	for (i = 0; i < num; i++) {
		if (!ag->sensors[i].num_trips)
			continue;
		ret = scmi_sensor_trip_notify(ag->sensors[i].id, true);
		if (ret) {
			pr_warn("sensor %u: trip point notifications refused (%d)\n",
				ag->sensors[i].id, ret);
			scmi_ctr_inc(SCMI_CTR_TRIP_REFUSED);
		}
	}

	ret = scmi_hwmon_register(ag);
	if (ret)
		goto err_trips;
	return 0;

err_trips:
	/* best effort: the platform must not keep notifying for nothing */
	for (i = 0; i < num; i++)
		if (ag->sensors[i].num_trips)
			scmi_sensor_trip_notify(ag->sensors[i].id, false);
	scmi_notify_unregister(SCMI_PROTO_SENSOR, SCMI_SENSOR_EVT_UPDATE);
err_unreg_trip:
	scmi_notify_unregister(SCMI_PROTO_SENSOR, SCMI_SENSOR_EVT_TRIP_POINT);
err_free:
	ag->nr_sensors = 0;
	kfree(ag->sensors);
	ag->sensors = NULL;
	return ret;
}

/**
 * scmi_sensor_teardown() - undo scmi_sensor_discover()
 * @ag: the agent
 */
void scmi_sensor_teardown(struct scmi_agent *ag)
{
	if (!ag->sensors)
		return;
	/* Handlers first: once unregistered they cannot touch hwmon. */
	scmi_notify_unregister(SCMI_PROTO_SENSOR, SCMI_SENSOR_EVT_UPDATE);
	scmi_notify_unregister(SCMI_PROTO_SENSOR, SCMI_SENSOR_EVT_TRIP_POINT);
	scmi_hwmon_unregister(ag);
	ag->nr_sensors = 0;
	kfree(ag->sensors);
	ag->sensors = NULL;
}
