/* SPDX-License-Identifier: GPL-2.0 */
/*
 * TAP output for the host unit tests: check() prints one "ok N - desc" or
 * "not ok N - desc" line; n_test and n_fail are left for main() to plan and
 * to return from.  One copy per test binary (static).
 */
#ifndef _SOCBPF_UNIT_TAP_H
#define _SOCBPF_UNIT_TAP_H

#include <stdio.h>

static int n_test, n_fail;

static void check(int cond, const char *desc)
{
	n_test++;
	if (cond) {
		printf("ok %d - %s\n", n_test, desc);
	} else {
		n_fail++;
		printf("not ok %d - %s\n", n_test, desc);
	}
}

#endif /* _SOCBPF_UNIT_TAP_H */
