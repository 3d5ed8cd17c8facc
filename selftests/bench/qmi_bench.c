// SPDX-License-Identifier: GPL-2.0
/*
 * make bench B=qmi (host): QMI messages encoded and decoded per second by the
 * socbpf codec (include/socbpf/qmi_codec.h) and by libqmi-glib, on the same
 * eleven DMS/NAS/WDS messages (selftests/unit/qmi_libqmi_msgs.h), one run.
 *
 *   socbpf encode  sqmi_encode_message() from the C struct into a buffer
 *   libqmi encode  qmi_message_new() (and qmi_message_response_new() for a
 *                  response, libqmi's only way to build one), the
 *                  qmi_message_tlv_write_*() calls, qmi_message_get_data()
 *   socbpf decode  zero the struct, sqmi_decode_message()
 *   libqmi decode  qmi_message_new_from_data() on the bytes, the
 *                  qmi_message_tlv_read_*() calls into the same struct (what
 *                  libqmi's generated parsers do inside)
 *
 * Each figure is the median of 5 rounds of about 0.1 s, implementations
 * interleaved. Before timing, every path's result is checked against the
 * expected struct and bytes, so a broken path cannot look fast.
 *
 * Usage: qmi_bench [ROUND_SECONDS]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../unit/qmi_libqmi_msgs.h"

#define ROUNDS 5

struct prep {
	const struct lq_msg *d;
	void *want;
	void *scratch;
	u8 bytes[2048];
	int len;
};

static struct prep preps[LQ_NMSGS];
static volatile unsigned long sink;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void soc_enc(struct prep *p)
{
	static u8 out[2048];
	int r = sqmi_encode_message(out, sizeof(out), p->d->type, 1,
				    p->d->msg_id, p->d->ei, p->want);

	sink += (unsigned long)r;
}

static void soc_dec(struct prep *p)
{
	memset(p->scratch, 0, p->d->size);
	sink += (unsigned long)sqmi_decode_message(p->bytes, (size_t)p->len,
						   p->d->ei, p->scratch, NULL);
}

static void lq_enc(struct prep *p)
{
	QmiMessage *m = lq_build(p->d, p->want, 1);
	gsize len = 0;

	qmi_message_get_data(m, &len, NULL);
	sink += len;
	qmi_message_unref(m);
}

static void lq_dec(struct prep *p)
{
	QmiMessage *m = lq_from_bytes(p->d, p->bytes, (size_t)p->len);
	struct lq q = { .m = m };

	memset(p->scratch, 0, p->d->size);
	p->d->read(&q, p->scratch);
	sink += (unsigned long)q.bad;
	qmi_message_unref(m);
}

typedef void (*op_fn)(struct prep *p);

/* One pass over the whole message set @n times; returns messages/s. */
static double rate(op_fn fn, unsigned long n)
{
	unsigned long i;
	size_t k;
	double t0 = now(), dt;

	for (i = 0; i < n; i++)
		for (k = 0; k < LQ_NMSGS; k++)
			fn(&preps[k]);
	dt = now() - t0;
	return (double)(n * LQ_NMSGS) / dt;
}

static unsigned long calibrate(op_fn fn, double secs)
{
	unsigned long n = 16;

	for (;;) {
		double t0 = now();

		rate(fn, n);
		if (now() - t0 > secs / 4)
			return (unsigned long)(n * (secs / (now() - t0)) + 1);
		n *= 2;
	}
}

static int cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Every path gives the expected result before anything is timed. */
static int verify(void)
{
	size_t k;

	for (k = 0; k < LQ_NMSGS; k++) {
		struct prep *p = &preps[k];
		QmiMessage *m = lq_build(p->d, p->want, 1);
		const u8 *lb;
		gsize ll = 0;
		struct lq q = { 0 };

		lb = m ? qmi_message_get_data(m, &ll, NULL) : NULL;
		if (!lb || ll != (gsize)p->len || memcmp(lb, p->bytes, ll)) {
			fprintf(stderr, "qmi_bench: %s: encodings differ\n",
				p->d->name);
			return -1;
		}
		qmi_message_unref(m);
		memset(p->scratch, 0, p->d->size);
		if (sqmi_decode_message(p->bytes, (size_t)p->len, p->d->ei,
					p->scratch, NULL) < 0 ||
		    memcmp(p->scratch, p->want, p->d->size)) {
			fprintf(stderr, "qmi_bench: %s: socbpf decode\n",
				p->d->name);
			return -1;
		}
		m = lq_from_bytes(p->d, p->bytes, (size_t)p->len);
		q.m = m;
		memset(p->scratch, 0, p->d->size);
		p->d->read(&q, p->scratch);
		qmi_message_unref(m);
		if (q.bad || memcmp(p->scratch, p->want, p->d->size)) {
			fprintf(stderr, "qmi_bench: %s: libqmi decode\n",
				p->d->name);
			return -1;
		}
	}
	return 0;
}

int main(int argc, char **argv)
{
	static const struct {
		const char *name;
		op_fn fn;
	} ops[4] = {
		{ "socbpf encode", soc_enc }, { "libqmi encode", lq_enc },
		{ "socbpf decode", soc_dec }, { "libqmi decode", lq_dec },
	};
	double secs = argc > 1 ? atof(argv[1]) : 0.1;
	double r[4][ROUNDS], med[4];
	unsigned long n[4];
	size_t k, bytes = 0;
	int i, j;

	if (secs <= 0 || secs > 10) {
		fprintf(stderr, "usage: qmi_bench [ROUND_SECONDS (0..10]]\n");
		return 2;
	}
	for (k = 0; k < LQ_NMSGS; k++) {
		struct prep *p = &preps[k];

		p->d = &lq_msgs[k];
		p->want = calloc(1, p->d->size);
		p->scratch = calloc(1, p->d->size);
		p->d->fill(p->want);
		p->len = sqmi_encode_message(p->bytes, sizeof(p->bytes),
					     p->d->type, 1, p->d->msg_id,
					     p->d->ei, p->want);
		if (p->len < 0)
			return 1;
		bytes += (size_t)p->len;
	}
	if (verify())
		return 1;
	for (i = 0; i < 4; i++)
		n[i] = calibrate(ops[i].fn, secs);
	for (j = 0; j < ROUNDS; j++)
		for (i = 0; i < 4; i++)
			r[i][j] = rate(ops[i].fn, n[i]);
	printf("message set: %zu messages (DMS, NAS, WDS requests and responses), %zu bytes, %.0f B average\n",
	       LQ_NMSGS, bytes, (double)bytes / LQ_NMSGS);
	printf("%-15s %14s %10s %10s\n", "path", "msgs/s", "ns/msg", "min..max");
	for (i = 0; i < 4; i++) {
		double s[ROUNDS];

		memcpy(s, r[i], sizeof(s));
		qsort(s, ROUNDS, sizeof(double), cmp_d);
		med[i] = s[ROUNDS / 2];
		printf("%-15s %14.0f %10.1f %5.2f..%.2fx\n", ops[i].name,
		       med[i], 1e9 / med[i], s[0] / med[i],
		       s[ROUNDS - 1] / med[i]);
	}
	printf("ratio socbpf/libqmi: encode %.1fx, decode %.1fx (median of %d rounds of %.2f s)\n",
	       med[0] / med[1], med[2] / med[3], ROUNDS, secs);
	return 0;
}
