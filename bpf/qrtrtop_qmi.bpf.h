/* SPDX-License-Identifier: GPL-2.0 */
/*
 * qrtrtop's QMI view, shared by its two BPF objects: qrtrtop.bpf.c (the
 * in-kernel handles' tracepoints) and qrtrtop_wire.bpf.c (userspace clients
 * seen on the wire). Both fill the same kinds of rows; the includer defines
 * "__u64 map_full" first.
 */
#ifndef _QRTRTOP_QMI_BPF_H
#define _QRTRTOP_QMI_BPF_H

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, QRTRTOP_MAX_SERVICES);
	__type(key, struct qrtrtop_svc_key);
	__type(value, struct qrtrtop_svc);
} svcs SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, QRTRTOP_MAX_QMI_MSGS);
	__type(key, struct qrtrtop_qmi_msg_key);
	__type(value, struct qrtrtop_qmi_msg);
} qmi_msgs SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, QRTRTOP_MAX_QMI_SVCS);
	__type(key, struct qrtrtop_qmi_svc_key);
	__type(value, struct qrtrtop_qmi_svc);
} qmi_svcs SEC(".maps");

/* a zeroed value too big for the BPF stack */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct qrtrtop_qmi_svc);
} qmi_svc_zero SEC(".maps");

#define QRTRTOP_ETIMEDOUT 110

/* The service a live server at (epid, node, port) announced, or 0. */
static __always_inline __u32 qmi_svc_of(__u32 epid, __u32 node, __u32 port)
{
	struct qrtrtop_svc_key sk = { .epid = epid, .node = node,
				      .port = port };
	struct qrtrtop_svc *sv = bpf_map_lookup_elem(&svcs, &sk);

	return sv && sv->live ? sv->service : 0;
}

/* One message of @k's kind: @len bytes, an error if @result. */
static __always_inline void qmi_count_msg(const struct qrtrtop_qmi_msg_key *k,
					  __u32 len, int result)
{
	struct qrtrtop_qmi_msg *m, zero = {};

	m = bpf_map_lookup_elem(&qmi_msgs, k);
	if (!m) {
		if (bpf_map_update_elem(&qmi_msgs, k, &zero, BPF_NOEXIST) &&
		    !bpf_map_lookup_elem(&qmi_msgs, k))
			__sync_fetch_and_add(&map_full, 1);
		m = bpf_map_lookup_elem(&qmi_msgs, k);
	}
	if (!m)
		return;
	__sync_fetch_and_add(&m->count, 1);
	__sync_fetch_and_add(&m->bytes, len);
	if (result)
		__sync_fetch_and_add(&m->errors, 1);
}

/* One transaction of a service: timed out, failed, or done in @lat ns. */
static __always_inline void qmi_count_txn(__u32 epid, __u32 service,
					  int result, __u64 lat)
{
	struct qrtrtop_qmi_svc_key k = { .epid = epid, .service = service };
	struct qrtrtop_qmi_svc *v;
	unsigned int slot;
	__u32 zk = 0;
	__u64 old;

	v = bpf_map_lookup_elem(&qmi_svcs, &k);
	if (!v) {
		struct qrtrtop_qmi_svc *zero;

		zero = bpf_map_lookup_elem(&qmi_svc_zero, &zk);
		if (!zero)
			return;
		if (bpf_map_update_elem(&qmi_svcs, &k, zero, BPF_NOEXIST) &&
		    !bpf_map_lookup_elem(&qmi_svcs, &k))
			__sync_fetch_and_add(&map_full, 1);
		v = bpf_map_lookup_elem(&qmi_svcs, &k);
	}
	if (!v)
		return;
	if (result == -QRTRTOP_ETIMEDOUT) {
		__sync_fetch_and_add(&v->timedout, 1);
		return;
	}
	if (result) {
		__sync_fetch_and_add(&v->failed, 1);
		return;
	}
	__sync_fetch_and_add(&v->completed, 1);
	__sync_fetch_and_add(&v->lat_sum_ns, lat);
	old = v->lat_max_ns;
	if (lat > old)
		__sync_val_compare_and_swap(&v->lat_max_ns, old, lat);
	slot = lathist_index_clamp(lat, QRTRTOP_LAT_SB, QRTRTOP_LAT_SLOTS);
	if (slot >= QRTRTOP_LAT_SLOTS)	/* for the verifier */
		slot = QRTRTOP_LAT_SLOTS - 1;
	__sync_fetch_and_add(&v->hist[slot], 1);
}

#endif /* _QRTRTOP_QMI_BPF_H */
