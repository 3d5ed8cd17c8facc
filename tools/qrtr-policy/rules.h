/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Parsers for qrtr-policy's two input formats, kept free of libbpf so the
 * host unit tests and fuzzers can include them.
 *
 * Id file ("key = id" per line):
 *     # stable ids for the two WLAN cards
 *     pci:0000:01:00.0 = 1
 *     pci:0000:02:00.0 = 2
 *
 * Rules file (first match wins; fields not named are wildcards):
 *     deny  ep 2 service 69 dir rx
 *     allow ep 1
 *     deny  type data node 7 port 1
 *     default allow
 *
 * Every error names the line and what was wrong with it.
 */
#ifndef _QRTR_POLICY_RULES_H
#define _QRTR_POLICY_RULES_H

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "qrtr_policy.h"

#define QP_ERR_MAX 160

struct qp_id {
	char key[QP_KEY_MAX];
	unsigned int id;
};

struct qp_ruleset {
	struct qp_rule rules[QP_MAX_RULES];
	unsigned int nr;
	unsigned int default_action;
};

static const char *const qp_type_names[] = {
	[1] = "data", [2] = "hello", [3] = "bye", [4] = "new_server",
	[5] = "del_server", [6] = "del_client", [7] = "resume_tx", [8] = "exit",
	[9] = "ping", [10] = "new_lookup", [11] = "del_lookup",
};

#define QP_TYPE_MAX 11

static inline char *qp_trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

/* Parse an unsigned number (decimal or 0x hex) no larger than max. */
static inline int qp_parse_uint(const char *s, unsigned long max, unsigned int *out)
{
	unsigned long v;
	char *end;

	if (!*s || *s == '-' || *s == '+')
		return -EINVAL;
	errno = 0;
	v = strtoul(s, &end, 0);
	if (errno || *end || v > max)
		return -ERANGE;
	*out = (unsigned int)v;
	return 0;
}

/*
 * Parse one id line into @out. Returns 1 for an entry, 0 for a blank or
 * comment line, -1 with @err filled for bad input.
 */
static inline int qp_parse_id_line(char *line, unsigned int max_id,
				   struct qp_id *out, char *err)
{
	char *eq, *key, *val, *hash;

	hash = strchr(line, '#');
	if (hash)
		*hash = '\0';
	line = qp_trim(line);
	if (!*line)
		return 0;
	eq = strchr(line, '=');
	if (!eq) {
		snprintf(err, QP_ERR_MAX, "expected 'KEY = ID', got '%s'", line);
		return -1;
	}
	*eq = '\0';
	key = qp_trim(line);
	val = qp_trim(eq + 1);
	if (!*key) {
		snprintf(err, QP_ERR_MAX, "empty device key");
		return -1;
	}
	if (strlen(key) >= QP_KEY_MAX) {
		snprintf(err, QP_ERR_MAX, "device key longer than %d bytes", QP_KEY_MAX - 1);
		return -1;
	}
	if (qp_parse_uint(val, max_id, &out->id) || out->id == 0) {
		snprintf(err, QP_ERR_MAX, "id '%s' is not a number in 1..%u", val, max_id);
		return -1;
	}
	memset(out->key, 0, sizeof(out->key));
	memcpy(out->key, key, strlen(key));
	return 1;
}

static inline int qp_parse_type(const char *s, unsigned int *out)
{
	unsigned int i;

	for (i = 1; i <= QP_TYPE_MAX; i++) {
		if (!strcmp(s, qp_type_names[i])) {
			*out = i;
			return 0;
		}
	}
	if (!qp_parse_uint(s, QP_TYPE_MAX, out) && *out)
		return 0;
	return -EINVAL;
}

/*
 * Parse one rules line into @set. Returns 1 when a rule or default was
 * added, 0 for a blank or comment line, -1 with @err filled for bad input.
 */
static inline int qp_parse_rule_line(char *line, unsigned int lineno,
				     struct qp_ruleset *set, char *err)
{
	struct qp_rule r = { .line = lineno };
	char *tok, *save = NULL, *hash;
	const char *field;
	unsigned int bit;

	hash = strchr(line, '#');
	if (hash)
		*hash = '\0';
	tok = strtok_r(line, " \t\r\n", &save);
	if (!tok)
		return 0;
	if (!strcmp(tok, "default")) {
		tok = strtok_r(NULL, " \t\r\n", &save);
		if (!tok || (strcmp(tok, "allow") && strcmp(tok, "deny"))) {
			snprintf(err, QP_ERR_MAX, "'default' wants 'allow' or 'deny'");
			return -1;
		}
		set->default_action = strcmp(tok, "deny") ? QP_ACT_ALLOW : QP_ACT_DENY;
		if (strtok_r(NULL, " \t\r\n", &save)) {
			snprintf(err, QP_ERR_MAX, "trailing words after 'default %s'", tok);
			return -1;
		}
		return 1;
	}
	if (!strcmp(tok, "allow")) {
		r.action = QP_ACT_ALLOW;
	} else if (!strcmp(tok, "deny")) {
		r.action = QP_ACT_DENY;
	} else {
		snprintf(err, QP_ERR_MAX, "unknown action '%s' (allow, deny or default)", tok);
		return -1;
	}
	while ((tok = strtok_r(NULL, " \t\r\n", &save))) {
		char *val = strtok_r(NULL, " \t\r\n", &save);
		unsigned int *dst;
		unsigned long max = 0xffffffffUL;

		field = tok;
		if (!val) {
			snprintf(err, QP_ERR_MAX, "'%s' needs a value", field);
			return -1;
		}
		if (!strcmp(field, "ep")) {
			bit = QP_M_EP; dst = &r.ep; max = 255;
		} else if (!strcmp(field, "service")) {
			bit = QP_M_SERVICE; dst = &r.service;
		} else if (!strcmp(field, "instance")) {
			bit = QP_M_INSTANCE; dst = &r.instance;
		} else if (!strcmp(field, "node")) {
			bit = QP_M_NODE; dst = &r.node;
		} else if (!strcmp(field, "port")) {
			bit = QP_M_PORT; dst = &r.port;
		} else if (!strcmp(field, "type")) {
			bit = QP_M_TYPE; dst = &r.type;
		} else if (!strcmp(field, "dir")) {
			bit = QP_M_DIR; dst = &r.dir;
		} else {
			snprintf(err, QP_ERR_MAX,
				 "unknown field '%s' (ep, service, instance, node, port, type, dir)",
				 field);
			return -1;
		}
		if (r.match & bit) {
			snprintf(err, QP_ERR_MAX, "'%s' given twice", field);
			return -1;
		}
		if (bit == QP_M_TYPE) {
			if (qp_parse_type(val, dst)) {
				snprintf(err, QP_ERR_MAX, "unknown packet type '%s'", val);
				return -1;
			}
		} else if (bit == QP_M_DIR) {
			if (!strcmp(val, "rx")) {
				*dst = 0;
			} else if (!strcmp(val, "tx")) {
				*dst = 1;
			} else {
				snprintf(err, QP_ERR_MAX, "dir wants 'rx' or 'tx', got '%s'", val);
				return -1;
			}
		} else if (qp_parse_uint(val, max, dst) || (bit == QP_M_EP && *dst == 0)) {
			snprintf(err, QP_ERR_MAX, "%s '%s' is not a number%s", field, val,
				 bit == QP_M_EP ? " in 1..255" : "");
			return -1;
		}
		r.match |= bit;
	}
	if (set->nr >= QP_MAX_RULES) {
		snprintf(err, QP_ERR_MAX, "more than %d rules", QP_MAX_RULES);
		return -1;
	}
	set->rules[set->nr++] = r;
	return 1;
}

/* Render a rule back to text (status output, tests). */
static inline void qp_format_rule(const struct qp_rule *r, char *buf, size_t len)
{
	size_t n;

	n = (size_t)snprintf(buf, len, "%s", r->action == QP_ACT_DENY ? "deny" : "allow");
#define QP_APPEND(...) do { if (n < len) n += (size_t)snprintf(buf + n, len - n, __VA_ARGS__); } while (0)
	if (r->match & QP_M_EP)
		QP_APPEND(" ep %u", r->ep);
	if (r->match & QP_M_SERVICE)
		QP_APPEND(" service %u", r->service);
	if (r->match & QP_M_INSTANCE)
		QP_APPEND(" instance %u", r->instance);
	if (r->match & QP_M_NODE)
		QP_APPEND(" node %u", r->node);
	if (r->match & QP_M_PORT)
		QP_APPEND(" port %u", r->port);
	if (r->match & QP_M_TYPE)
		QP_APPEND(" type %s", r->type <= QP_TYPE_MAX ? qp_type_names[r->type] : "?");
	if (r->match & QP_M_DIR)
		QP_APPEND(" dir %s", r->dir ? "tx" : "rx");
#undef QP_APPEND
}

#endif /* _QRTR_POLICY_RULES_H */
