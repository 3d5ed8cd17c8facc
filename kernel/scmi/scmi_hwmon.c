// SPDX-License-Identifier: GPL-2.0
/*
 * socbpf SCMI hwmon glue: exposes the platform's sensors through hwmon
 * (name "scmi_sensors", as upstream scmi-hwmon), so lm-sensors shows them.
 * Readings are synchronous SENSOR_READING_GET transfers, scaled from the
 * sensor's unit exponent to hwmon units.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/hwmon.h>
#include <linux/platform_device.h>
#include <linux/slab.h>

#include "scmi_core.h"

#define SCMI_HWMON_TYPES	6

static const struct {
	u8 scmi_unit;
	enum hwmon_sensor_types type;
	u32 config;
	u32 input_attr;
	int scale;		/* hwmon unit = 10^-scale base unit */
} scmi_hwmon_map[SCMI_HWMON_TYPES] = {
	{ SCMI_SENSOR_UNIT_DEGC, hwmon_temp,
	  HWMON_T_INPUT | HWMON_T_LABEL, hwmon_temp_input, 3 },
	{ SCMI_SENSOR_UNIT_VOLTS, hwmon_in,
	  HWMON_I_INPUT | HWMON_I_LABEL, hwmon_in_input, 3 },
	{ SCMI_SENSOR_UNIT_AMPS, hwmon_curr,
	  HWMON_C_INPUT | HWMON_C_LABEL, hwmon_curr_input, 3 },
	{ SCMI_SENSOR_UNIT_WATTS, hwmon_power,
	  HWMON_P_INPUT | HWMON_P_LABEL, hwmon_power_input, 6 },
	{ SCMI_SENSOR_UNIT_JOULES, hwmon_energy,
	  HWMON_E_INPUT | HWMON_E_LABEL, hwmon_energy_input, 6 },
	{ SCMI_SENSOR_UNIT_RPM, hwmon_fan,
	  HWMON_F_INPUT | HWMON_F_LABEL, hwmon_fan_input, 0 },
};

struct scmi_hwmon {
	struct hwmon_chip_info chip;
	const struct hwmon_channel_info *infos[SCMI_HWMON_TYPES + 1];
	struct hwmon_channel_info info[SCMI_HWMON_TYPES];
	u32 *config[SCMI_HWMON_TYPES];
	int *chan_to_idx[SCMI_HWMON_TYPES];
	int *idx_to_chan;
	int *idx_to_map;
	struct scmi_agent *ag;
};

static struct scmi_hwmon *scmi_hw;

static int scmi_hwmon_map_of(u8 unit)
{
	int i;

	for (i = 0; i < SCMI_HWMON_TYPES; i++)
		if (scmi_hwmon_map[i].scmi_unit == unit)
			return i;
	return -ENOENT;
}

static int scmi_hwmon_map_type(enum hwmon_sensor_types type)
{
	int i;

	for (i = 0; i < SCMI_HWMON_TYPES; i++)
		if (scmi_hwmon_map[i].type == type)
			return i;
	return -ENOENT;
}

static int scmi_hwmon_scale(s64 raw, int exp, long *out)
{
	s64 v = raw;

	for (; exp > 0; exp--) {
		if (v > S64_MAX / 10 || v < S64_MIN / 10)
			return -ERANGE;
		v *= 10;
	}
	for (; exp < 0; exp++)
		v = div_s64(v, 10);
	if (v > LONG_MAX || v < LONG_MIN)
		return -ERANGE;
	*out = v;
	return 0;
}

static int scmi_hwmon_sensor(struct scmi_hwmon *hw,
			     enum hwmon_sensor_types type, int channel)
{
	int m = scmi_hwmon_map_type(type);

	if (m < 0 || !hw->chan_to_idx[m])
		return -EOPNOTSUPP;
	return hw->chan_to_idx[m][channel];
}

static int scmi_hwmon_read(struct device *dev, enum hwmon_sensor_types type,
			   u32 attr, int channel, long *val)
{
	struct scmi_hwmon *hw = dev_get_drvdata(dev);
	struct scmi_sensor *s;
	s64 raw;
	int idx, m, ret;

	idx = scmi_hwmon_sensor(hw, type, channel);
	if (idx < 0)
		return idx;
	s = &hw->ag->sensors[idx];
	m = hw->idx_to_map[idx];
	ret = scmi_sensor_read(s->id, false, &raw);
	if (ret)
		return ret;
	return scmi_hwmon_scale(raw, s->scale + scmi_hwmon_map[m].scale, val);
}

static int scmi_hwmon_read_string(struct device *dev,
				  enum hwmon_sensor_types type, u32 attr,
				  int channel, const char **str)
{
	struct scmi_hwmon *hw = dev_get_drvdata(dev);
	int idx = scmi_hwmon_sensor(hw, type, channel);

	if (idx < 0)
		return idx;
	*str = hw->ag->sensors[idx].name;
	return 0;
}

static umode_t scmi_hwmon_is_visible(const void *data,
				     enum hwmon_sensor_types type, u32 attr,
				     int channel)
{
	return 0444;
}

static const struct hwmon_ops scmi_hwmon_ops = {
	.is_visible	= scmi_hwmon_is_visible,
	.read		= scmi_hwmon_read,
	.read_string	= scmi_hwmon_read_string,
};

static void scmi_hwmon_free(struct scmi_hwmon *hw)
{
	int i;

	for (i = 0; i < SCMI_HWMON_TYPES; i++) {
		kfree(hw->config[i]);
		kfree(hw->chan_to_idx[i]);
	}
	kfree(hw->idx_to_chan);
	kfree(hw->idx_to_map);
	kfree(hw);
}

/**
 * scmi_hwmon_register() - register the discovered sensors with hwmon
 * @ag: the agent, with ag->sensors filled
 *
 * Sensors of a unit hwmon has no class for are skipped.
 *
 * Return: 0 or -errno.
 */
int scmi_hwmon_register(struct scmi_agent *ag)
{
	unsigned int count[SCMI_HWMON_TYPES] = { 0 };
	struct scmi_hwmon *hw;
	unsigned int i, n = 0, used = 0;
	struct device *dev;
	int m, ret;

	hw = kzalloc(sizeof(*hw), GFP_KERNEL);
	if (!hw)
		return -ENOMEM;
	hw->ag = ag;
	hw->idx_to_chan = kcalloc(ag->nr_sensors, sizeof(int), GFP_KERNEL);
	hw->idx_to_map = kcalloc(ag->nr_sensors, sizeof(int), GFP_KERNEL);
	if (!hw->idx_to_chan || !hw->idx_to_map) {
		ret = -ENOMEM;
		goto err_free;
	}
	for (i = 0; i < ag->nr_sensors; i++) {
		m = scmi_hwmon_map_of(ag->sensors[i].type);
		hw->idx_to_map[i] = m;
		if (m >= 0)
			hw->idx_to_chan[i] = count[m]++;
	}
	for (m = 0; m < SCMI_HWMON_TYPES; m++) {
		if (!count[m])
			continue;
		hw->config[m] = kcalloc(count[m] + 1, sizeof(u32), GFP_KERNEL);
		hw->chan_to_idx[m] = kcalloc(count[m], sizeof(int), GFP_KERNEL);
		if (!hw->config[m] || !hw->chan_to_idx[m]) {
			ret = -ENOMEM;
			goto err_free;
		}
		for (i = 0; i < count[m]; i++)
			hw->config[m][i] = scmi_hwmon_map[m].config;
		hw->info[m].type = scmi_hwmon_map[m].type;
		hw->info[m].config = hw->config[m];
		hw->infos[used++] = &hw->info[m];
	}
	for (i = 0; i < ag->nr_sensors; i++) {
		m = hw->idx_to_map[i];
		if (m >= 0) {
			hw->chan_to_idx[m][hw->idx_to_chan[i]] = i;
			n++;
		}
	}
	if (!n) {
		ret = 0;
		goto err_free;
	}
	hw->chip.ops = &scmi_hwmon_ops;
	hw->chip.info = hw->infos;

	dev = hwmon_device_register_with_info(&ag->pdev->dev, "scmi_sensors",
					      hw, &hw->chip, NULL);
	if (IS_ERR(dev)) {
		ret = PTR_ERR(dev);
		goto err_free;
	}
	ag->hwmon = dev;
	scmi_hw = hw;
	dev_info(&ag->pdev->dev, "%u sensors registered with hwmon\n", n);
	return 0;

err_free:
	scmi_hwmon_free(hw);
	return ret;
}

/**
 * scmi_hwmon_unregister() - remove the hwmon device
 * @ag: the agent
 *
 * Waits for hwmon readers, so ag->sensors may be freed afterwards.
 */
void scmi_hwmon_unregister(struct scmi_agent *ag)
{
	if (!ag->hwmon)
		return;
	hwmon_device_unregister(ag->hwmon);
	ag->hwmon = NULL;
	scmi_hwmon_free(scmi_hw);
	scmi_hw = NULL;
}

/**
 * scmi_hwmon_trip() - tell hwmon pollers a sensor crossed a trip point
 * @ag:  the agent
 * @idx: index in ag->sensors
 */
void scmi_hwmon_trip(struct scmi_agent *ag, unsigned int idx)
{
	struct scmi_hwmon *hw = scmi_hw;
	int m;

	if (!ag->hwmon || !hw || idx >= ag->nr_sensors)
		return;
	m = hw->idx_to_map[idx];
	if (m < 0)
		return;
	hwmon_notify_event(ag->hwmon, scmi_hwmon_map[m].type,
			   scmi_hwmon_map[m].input_attr, hw->idx_to_chan[idx]);
}
