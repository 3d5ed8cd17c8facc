// SPDX-License-Identifier: GPL-2.0
/*
 * socbpf SCMI agent: module entry, platform up/down life cycle.
 *
 * When a platform opens /dev/scmi-platform the agent runs base protocol
 * discovery from a work item, then registers the sensor (hwmon) and clock
 * (debugfs) protocols the platform implements.  When the platform closes
 * the device, pending transfers fail, queued commands are dropped and the
 * protocols are torn down; a reopen starts over.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/platform_device.h>

#include "scmi_core.h"

struct scmi_agent scmi_agent;

unsigned int scmi_timeout_ms = 1000;
module_param_named(timeout_ms, scmi_timeout_ms, uint, 0644);
MODULE_PARM_DESC(timeout_ms, "Response timeout in ms (default 1000)");

unsigned int scmi_dresp_timeout_ms = 2000;
module_param_named(dresp_timeout_ms, scmi_dresp_timeout_ms, uint, 0644);
MODULE_PARM_DESC(dresp_timeout_ms,
		 "Delayed response timeout in ms, after the response (default 2000)");

static void scmi_protocols_teardown(struct scmi_agent *ag)
{
	scmi_clock_teardown(ag);
	scmi_sensor_teardown(ag);
}

static void scmi_up_work(struct work_struct *work)
{
	struct scmi_agent *ag = container_of(work, struct scmi_agent, up_work);
	int ret;

	mutex_lock(&ag->life_lock);
	ret = scmi_base_discover(&ag->base);
	if (ret)
		goto out;
	if (scmi_base_has_protocol(&ag->base, SCMI_PROTO_SENSOR)) {
		ret = scmi_sensor_discover(ag);
		if (ret)
			goto out;
	}
	if (scmi_base_has_protocol(&ag->base, SCMI_PROTO_CLOCK)) {
		ret = scmi_clock_discover(ag);
		if (ret)
			goto out;
	}
out:
	if (ret)
		pr_warn("platform discovery failed: %d\n", ret);
	WRITE_ONCE(ag->ready, ret ? ret : 1);
	mutex_unlock(&ag->life_lock);
}

/**
 * scmi_platform_connected() - the platform opened the transport
 */
void scmi_platform_connected(void)
{
	struct scmi_agent *ag = &scmi_agent;

	WRITE_ONCE(ag->ready, 0);
	scmi_core_platform_up();
	queue_work(system_unbound_wq, &ag->up_work);
}

/**
 * scmi_platform_disconnected() - the platform closed the transport
 *
 * Context: process context (the release of the device file).
 */
void scmi_platform_disconnected(void)
{
	struct scmi_agent *ag = &scmi_agent;

	scmi_core_platform_down();
	scmi_transport_purge();
	cancel_work_sync(&ag->up_work);
	mutex_lock(&ag->life_lock);
	scmi_protocols_teardown(ag);
	WRITE_ONCE(ag->ready, 0);
	mutex_unlock(&ag->life_lock);
	scmi_notify_flush();
	pr_info("platform disconnected\n");
}

static int __init scmi_init(void)
{
	struct scmi_agent *ag = &scmi_agent;
	int ret;

	scmi_core_init();
	INIT_WORK(&ag->up_work, scmi_up_work);
	ret = scmi_xfer_cache_create();
	if (ret)
		return ret;
	ret = scmi_notify_init();
	if (ret)
		goto err_cache;
	ag->pdev = platform_device_register_simple("socbpf-scmi",
						   PLATFORM_DEVID_NONE, NULL, 0);
	if (IS_ERR(ag->pdev)) {
		ret = PTR_ERR(ag->pdev);
		goto err_notify;
	}
	scmi_debugfs_init(ag);
	ret = scmi_transport_init();
	if (ret)
		goto err_debugfs;
	pr_info("SCMI agent ready, platform device /dev/scmi-platform\n");
	return 0;

err_debugfs:
	scmi_debugfs_exit(ag);
	platform_device_unregister(ag->pdev);
err_notify:
	scmi_notify_exit();
err_cache:
	scmi_xfer_cache_destroy();
	return ret;
}

static void __exit scmi_exit(void)
{
	struct scmi_agent *ag = &scmi_agent;

	spin_lock_irq(&ag->lock);
	ag->dying = true;
	spin_unlock_irq(&ag->lock);
	wake_up_all(&ag->slot_wq);
	scmi_transport_exit();
	cancel_work_sync(&ag->up_work);
	scmi_debugfs_exit(ag);
	scmi_notify_exit();
	platform_device_unregister(ag->pdev);
	scmi_xfer_cache_destroy();
}

module_init(scmi_init);
module_exit(scmi_exit);

MODULE_DESCRIPTION("socbpf SCMI agent over a userspace platform character device");
MODULE_AUTHOR("socbpf");
MODULE_LICENSE("GPL");
