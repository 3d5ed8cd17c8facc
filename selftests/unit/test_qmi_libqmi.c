// SPDX-License-Identifier: GPL-2.0
/*
 * Host unit test: the socbpf QMI codec against an independent implementation,
 * Debian's libqmi-glib, on eleven real DMS, NAS and WDS requests and
 * responses (selftests/unit/qmi_libqmi_msgs.h): strings whole and
 * length-prefixed, arrays of enums and of structs, optional TLVs present and
 * absent, nested structs, signed and 64-bit values.
 *
 * For each message, both ways:
 *   socbpf encodes -> libqmi's generated printer translates every TLV
 *     (names the message, shows each value, reports no error and no
 *     unexpected bytes) and libqmi's TLV reader gives back every field;
 *   libqmi encodes -> socbpf decodes every field;
 * and both encodings must be the same bytes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "qmi_libqmi_msgs.h"
#include "unit_tap.h"

static void diag_text(const char *s)
{
	const char *p = s;

	while (p && *p) {
		const char *nl = strchr(p, '\n');
		int n = nl ? (int)(nl - p) : (int)strlen(p);

		printf("#   %.*s\n", n, p);
		p = nl ? nl + 1 : NULL;
	}
}

static void diag_hex(const char *what, const u8 *b, size_t n)
{
	size_t i;

	printf("# %s (%zu):", what, n);
	for (i = 0; i < n; i++)
		printf(" %02x", b[i]);
	printf("\n");
}

static void one(const struct lq_msg *d, u16 txn)
{
	const char *kind = d->type == SQMI_REQUEST ? "request" : "response";
	static u8 ours[4096];
	char desc[160], *txt;
	void *want, *got;
	QmiMessage *lm, *om;
	const u8 *lbytes;
	struct lq q = { 0 };
	struct sqmi_header h;
	int olen, ret, ok, i;
	gsize llen = 0;

	want = calloc(1, d->size);
	got = calloc(1, d->size);
	d->fill(want);

	/* socbpf -> libqmi */
	olen = sqmi_encode_message(ours, sizeof(ours), d->type, txn, d->msg_id,
				   d->ei, want);
	snprintf(desc, sizeof(desc), "%s %s: socbpf encodes", d->name, kind);
	check(olen > 0, desc);
	if (olen <= 0)
		goto out;
	om = lq_from_bytes(d, ours, (size_t)olen);
	snprintf(desc, sizeof(desc), "%s %s: libqmi accepts socbpf's bytes",
		 d->name, kind);
	check(om != NULL, desc);
	if (!om)
		goto out;

	txt = qmi_message_get_printable_full(om, NULL, "");
	ok = strstr(txt, d->name) && !strstr(txt, "ERROR") &&
	     !strstr(txt, "nexpected") &&
	     !strstr(txt, "\"response\"") == (d->type == SQMI_REQUEST);
	for (i = 0; d->expect[i]; i++)
		if (!strstr(txt, d->expect[i])) {
			printf("# missing: %s\n", d->expect[i]);
			ok = 0;
		}
	snprintf(desc, sizeof(desc),
		 "%s %s: libqmi's generated decoder shows every field, no error",
		 d->name, kind);
	check(ok, desc);
	if (!ok)
		diag_text(txt);
	g_free(txt);

	q.m = om;
	memset(got, 0, d->size);
	d->read(&q, got);
	snprintf(desc, sizeof(desc),
		 "%s %s: libqmi's TLV reader gives back every field",
		 d->name, kind);
	check(!q.bad && !memcmp(got, want, d->size) &&
	      qmi_message_get_transaction_id(om) == txn &&
	      qmi_message_get_message_id(om) == d->msg_id, desc);
	qmi_message_unref(om);

	/* libqmi -> socbpf */
	lm = lq_build(d, want, txn);
	snprintf(desc, sizeof(desc), "%s %s: libqmi encodes", d->name, kind);
	check(lm != NULL, desc);
	if (!lm)
		goto out;
	lbytes = qmi_message_get_data(lm, &llen, NULL);
	memset(got, 0, d->size);
	ret = lbytes ? sqmi_decode_message(lbytes, llen, d->ei, got, &h) : -1;
	snprintf(desc, sizeof(desc), "%s %s: socbpf decodes every field",
		 d->name, kind);
	check(ret >= 0 && !memcmp(got, want, d->size) && h.txn_id == txn &&
	      h.msg_id == d->msg_id && h.type == d->type &&
	      h.unknown_tlvs == 0, desc);

	snprintf(desc, sizeof(desc), "%s %s: the same bytes both ways",
		 d->name, kind);
	ok = lbytes && llen == (gsize)olen && !memcmp(lbytes, ours, llen);
	check(ok, desc);
	if (!ok) {
		diag_hex("socbpf", ours, (size_t)olen);
		if (lbytes)
			diag_hex("libqmi", lbytes, llen);
	}
	qmi_message_unref(lm);
out:
	free(want);
	free(got);
}

/* libqmi's writer refuses nothing socbpf refuses the other way round. */
static void test_truncated(void)
{
	static u8 ours[4096];
	const struct lq_msg *d = &lq_msgs[5];	/* NAS Get Home Network */
	void *m = calloc(1, d->size), *got = calloc(1, d->size);
	int olen, i, agree = 1;

	d->fill(m);
	olen = sqmi_encode_message(ours, sizeof(ours), d->type, 1, d->msg_id,
				   d->ei, m);
	/* cut the string inside the Home Network TLV short by one byte */
	for (i = 7; i < olen; i++)
		if (ours[i] == 0x01 && ours[i + 3] == (310 & 0xff))
			break;
	ours[i + 1]--;		/* TLV length one less */
	ours[5]--;		/* message length one less */
	memmove(ours + i + 3 + ours[i + 1], ours + i + 3 + ours[i + 1] + 1,
		(size_t)olen - (i + 3 + ours[i + 1] + 1));
	olen--;
	{
		QmiMessage *om = lq_from_bytes(d, ours, (size_t)olen);
		struct lq q = { .m = om };
		char *txt;

		d->read(&q, got);
		txt = qmi_message_get_printable_full(om, NULL, "");
		agree = q.bad && strstr(txt, "ERROR") &&
			sqmi_decode_message(ours, (size_t)olen, d->ei, got,
					    NULL) == -EBADMSG;
		g_free(txt);
		qmi_message_unref(om);
	}
	check(agree, "truncated nested string: libqmi and socbpf both reject it");
	free(m);
	free(got);
}

int main(void)
{
	size_t i;

	printf("TAP version 13\n");
	/* translate PINs, IMEIs and user names instead of masking them */
	qmi_utils_set_show_personal_info(TRUE);
	for (i = 0; i < LQ_NMSGS; i++)
		one(&lq_msgs[i], (u16)(0x100 + i));
	test_truncated();
	printf("1..%d\n", n_test);
	return n_fail ? 1 : 0;
}
