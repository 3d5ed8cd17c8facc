/* SPDX-License-Identifier: GPL-2.0 */
/*
 * scmi-platform transports: how SCMI messages reach the agent.  The
 * protocol model and the fault injection (scmi-platform.c) are one core;
 * a transport only moves bytes:
 *
 *  - chardev.c: /dev/scmi-platform of socbpf_scmi.ko, one message per
 *    read()/write();
 *  - vhost_user.c: the virtio-scmi device of QEMU's vhost-user-scmi (a
 *    command's response goes back in the command's own buffer chain,
 *    delayed responses and notifications on the event queue).
 */
#ifndef SCMI_PLATFORM_TRANSPORT_H
#define SCMI_PLATFORM_TRANSPORT_H

#include <poll.h>
#include <stddef.h>
#include <stdint.h>

/* Returned by send() when the message cannot be delivered at all. */
#define SP_UNDELIVERABLE	(-1000)

struct sp_transport {
	const char *name;
	/* Open @where (a device or a socket path); dies on failure. */
	void (*open)(const char *where);
	/* The descriptors to poll, at most @max; returns how many. */
	unsigned int (*pollfds)(struct pollfd *pfd, unsigned int max);
	/* Their events: commands go to sp_command(). */
	void (*events)(const struct pollfd *pfd, unsigned int n);
	/*
	 * Deliver one message to the agent.  @cmd is the cookie sp_command()
	 * was given for the command the message answers (0: none, e.g. a
	 * notification).  Returns 0, SP_UNDELIVERABLE when the transport has
	 * no way to carry it, or -errno.
	 */
	int (*send)(const uint8_t *data, size_t len, uint64_t cmd);
	void (*close)(void);
};

extern const struct sp_transport sp_chardev;
extern const struct sp_transport sp_vhost_user;

/* The core, for the transports. */
void sp_command(const uint8_t *buf, size_t len, uint64_t cmd);
void sp_die(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
void sp_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Counted in the stats file as transport_errors (malformed input). */
void sp_transport_error(void);

#endif
