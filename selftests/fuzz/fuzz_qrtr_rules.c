// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for qrtr-policy's rules and id parsers: arbitrary lines
 * must be accepted or refused with a message, never crash or overrun.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "../../tools/qrtr-policy/rules.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct qp_ruleset set;
	char line[512], err[QP_ERR_MAX];
	struct qp_id id;
	char txt[200];
	size_t n = size < sizeof(line) - 1 ? size : sizeof(line) - 1;
	unsigned int i;

	memcpy(line, data, n);
	line[n] = '\0';
	memset(&set, 0, sizeof(set));
	if (qp_parse_rule_line(line, 1, &set, err) == 1)
		for (i = 0; i < set.nr; i++)
			qp_format_rule(&set.rules[i], txt, sizeof(txt));
	memcpy(line, data, n);
	line[n] = '\0';
	qp_parse_id_line(line, 255, &id, err);
	return 0;
}
