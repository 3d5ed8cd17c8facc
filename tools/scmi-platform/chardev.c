// SPDX-License-Identifier: GPL-2.0
/*
 * scmi-platform's character-device transport: /dev/scmi-platform of
 * socbpf_scmi.ko carries one SCMI message (virtio-scmi layout: header and
 * payload) per read() or write().
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <socbpf/scmi_wire.h>

#include "transport.h"

static int cd_fd = -1;
static const char *cd_path;

static void cd_open(const char *where)
{
	cd_path = where;
	cd_fd = open(where, O_RDWR | O_NONBLOCK);
	if (cd_fd < 0)
		sp_die("cannot open %s: %s%s", where, strerror(errno),
		       errno == ENOENT ? " (is socbpf_scmi loaded?)" :
		       errno == EBUSY ? " (another platform is connected)" : "");
}

static unsigned int cd_pollfds(struct pollfd *pfd, unsigned int max)
{
	if (!max)
		return 0;
	pfd[0].fd = cd_fd;
	pfd[0].events = POLLIN;
	return 1;
}

static void cd_events(const struct pollfd *pfd, unsigned int n)
{
	uint8_t buf[SCMI_WIRE_MAX_MSG + 64];
	ssize_t len;

	if (!n)
		return;
	if (pfd[0].revents & POLLIN) {
		for (;;) {
			len = read(cd_fd, buf, sizeof(buf));
			if (len < 0) {
				if (errno != EAGAIN && errno != EINTR)
					sp_die("read %s: %s", cd_path, strerror(errno));
				break;
			}
			sp_command(buf, (size_t)len, 0);
		}
	}
	if (pfd[0].revents & (POLLERR | POLLHUP))
		sp_die("%s: device error", cd_path);
}

static int cd_send(const uint8_t *data, size_t len, uint64_t cmd)
{
	ssize_t n = write(cd_fd, data, len);

	(void)cmd;
	if (n < 0)
		return -errno;
	if ((size_t)n != len)
		return -EIO;
	return 0;
}

static void cd_close(void)
{
	if (cd_fd >= 0)
		close(cd_fd);
	cd_fd = -1;
}

const struct sp_transport sp_chardev = {
	.name = "chardev",
	.open = cd_open,
	.pollfds = cd_pollfds,
	.events = cd_events,
	.send = cd_send,
	.close = cd_close,
};
