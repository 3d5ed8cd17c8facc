// SPDX-License-Identifier: GPL-2.0
/*
 * Host unit tests for qrtr-policy's id and rules parsers
 * (tools/qrtr-policy/rules.h): what is accepted, how it compiles, and that
 * every kind of bad line is refused with a message.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../tools/qrtr-policy/rules.h"

static int test_n, test_failed;

static void ok(int cond, const char *desc)
{
	test_n++;
	if (!cond)
		test_failed++;
	printf("%sok %d - %s\n", cond ? "" : "not ", test_n, desc);
}

static int id_line(const char *text, struct qp_id *out, char *err)
{
	char buf[256];

	snprintf(buf, sizeof(buf), "%s", text);
	return qp_parse_id_line(buf, 255, out, err);
}

static int rule_line(const char *text, struct qp_ruleset *set, char *err)
{
	char buf[256];

	snprintf(buf, sizeof(buf), "%s", text);
	return qp_parse_rule_line(buf, 7, set, err);
}

static int rule_err(const char *text, const char *want)
{
	struct qp_ruleset set = { 0 };
	char err[QP_ERR_MAX] = "";

	if (rule_line(text, &set, err) != -1 || set.nr != 0)
		return 0;
	if (!strstr(err, want)) {
		printf("# '%s': error '%s' lacks '%s'\n", text, err, want);
		return 0;
	}
	return 1;
}

int main(void)
{
	struct qp_ruleset set = { 0 };
	char err[QP_ERR_MAX], txt[160];
	struct qp_id id;
	int i;

	printf("TAP version 13\n1..22\n");

	ok(id_line("pci:0000:01:00.0 = 1", &id, err) == 1 && id.id == 1 &&
	   !strcmp(id.key, "pci:0000:01:00.0"), "id line parses key and id");
	ok(id_line("  modem0=0x10   # comment", &id, err) == 1 && id.id == 16 &&
	   !strcmp(id.key, "modem0"), "id line: spaces, hex and trailing comment");
	ok(id_line("   # only a comment", &id, err) == 0, "comment line is skipped");
	ok(id_line("", &id, err) == 0, "empty line is skipped");
	ok(id_line("pci:0000:01:00.0 1", &id, err) == -1 && strstr(err, "KEY = ID"),
	   "id line without '=' is refused");
	ok(id_line("k = 0", &id, err) == -1 && id_line("k = 256", &id, err) == -1 &&
	   id_line("k = -1", &id, err) == -1 && id_line("k = 1x", &id, err) == -1,
	   "ids outside 1..255 or not numbers are refused");
	ok(id_line(" = 3", &id, err) == -1 && strstr(err, "empty"), "empty key is refused");
	memset(txt, 'k', 70);
	strcpy(txt + 70, " = 3");
	ok(id_line(txt, &id, err) == -1 && strstr(err, "longer"), "over-long key is refused");

	ok(rule_line("deny ep 2 service 69 dir rx", &set, err) == 1 && set.nr == 1 &&
	   set.rules[0].action == QP_ACT_DENY &&
	   set.rules[0].match == (QP_M_EP | QP_M_SERVICE | QP_M_DIR) &&
	   set.rules[0].ep == 2 && set.rules[0].service == 69 && set.rules[0].dir == 0 &&
	   set.rules[0].line == 7, "deny rule compiles fields, mask and line");
	ok(rule_line("allow type new_server node 7 port 0x10 instance 3 dir tx", &set, err) == 1 &&
	   set.rules[1].type == 4 && set.rules[1].port == 16 && set.rules[1].dir == 1 &&
	   set.rules[1].instance == 3, "type names, hex ports, instance and tx");
	ok(rule_line("allow type 1", &set, err) == 1 && set.rules[2].type == 1,
	   "numeric packet type");
	ok(rule_line("default deny", &set, err) == 1 && set.default_action == QP_ACT_DENY &&
	   set.nr == 3, "default action is not a rule");
	ok(rule_line("  # nothing", &set, err) == 0 && set.nr == 3, "comment line is skipped");
	qp_format_rule(&set.rules[0], txt, sizeof(txt));
	ok(!strcmp(txt, "deny ep 2 service 69 dir rx"), "format round-trips a rule");

	ok(rule_err("drop ep 1", "unknown action"), "unknown action refused");
	ok(rule_err("deny sevrice 69", "unknown field 'sevrice'"), "unknown field refused, named");
	ok(rule_err("deny ep", "needs a value"), "field without value refused");
	ok(rule_err("deny ep 0", "1..255") && rule_err("deny ep 300", "1..255"),
	   "endpoint outside 1..255 refused");
	ok(rule_err("deny ep 1 ep 2", "given twice"), "repeated field refused");
	ok(rule_err("deny type banana", "unknown packet type") && rule_err("deny dir up", "dir wants"),
	   "bad type and dir refused");
	ok(rule_err("default maybe", "allow' or 'deny") && rule_err("default allow now", "trailing"),
	   "bad default refused");

	memset(&set, 0, sizeof(set));
	for (i = 0; i < QP_MAX_RULES; i++)
		rule_line("allow ep 1", &set, err);
	ok(rule_line("allow ep 1", &set, err) == -1 && strstr(err, "more than") &&
	   set.nr == QP_MAX_RULES, "rule table size is enforced");
	return test_failed ? 1 : 0;
}
