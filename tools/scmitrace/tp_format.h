/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * scmitrace: reading a tracefs event "format" file (pure code, unit-tested on
 * the host by selftests/unit/test_scmitrace_format.c).
 *
 * A field line looks like
 *	"\tfield:int inflight;\toffset:20;\tsize:4;\tsigned:1;"
 * (kernel/trace/trace_events.c prints them); the field's name is the last
 * identifier of the declaration, before any "[N]".
 */
#ifndef _SCMITRACE_TP_FORMAT_H
#define _SCMITRACE_TP_FORMAT_H

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* does the declaration @decl (length @len, "int inflight") name @name? */
static inline int scmitrace_decl_names(const char *decl, size_t len, const char *name)
{
	size_t end = len, start, n = strlen(name);

	while (end > 0 && isspace((unsigned char)decl[end - 1]))
		end--;
	if (end > 0 && decl[end - 1] == ']') {	/* "char tag[5]" */
		while (end > 0 && decl[end - 1] != '[')
			end--;
		if (end == 0)
			return 0;
		end--;
	}
	start = end;
	while (start > 0 && (isalnum((unsigned char)decl[start - 1]) || decl[start - 1] == '_'))
		start--;
	/* a lone word is a type, not a declaration */
	if (start == 0)
		return 0;
	return end - start == n && !memcmp(decl + start, name, n);
}

/*
 * The offset of field @name in the format text @text (NUL-terminated), or -1
 * if no field line declares it or its offset is not a plain number.
 */
static inline int scmitrace_format_field_offset(const char *text, const char *name)
{
	const char *line = text;

	if (!text || !name || !*name)
		return -1;
	while (line && *line) {
		const char *eol = strchr(line, '\n');
		const char *f = strstr(line, "field:");
		const char *semi, *off;
		char *endp;
		long v;

		if (!eol)
			eol = line + strlen(line);
		if (f && f < eol) {
			f += 6;
			semi = memchr(f, ';', eol - f);
			if (semi && scmitrace_decl_names(f, semi - f, name)) {
				off = strstr(semi, "offset:");
				if (!off || off >= eol)
					return -1;
				off += 7;
				if (!isdigit((unsigned char)*off))
					return -1;
				v = strtol(off, &endp, 10);
				if (*endp != ';' || v > 65535)
					return -1;
				return (int)v;
			}
		}
		line = *eol ? eol + 1 : NULL;
	}
	return -1;
}

#endif /* _SCMITRACE_TP_FORMAT_H */
