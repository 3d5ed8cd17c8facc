/* SPDX-License-Identifier: GPL-2.0 */
/*
 * socbpf_qmi: in-kernel QMI for socbpf. The codec's tables and limits come
 * from include/socbpf/qmi_codec.h (shared with the host tests); these are the
 * calls socbpf_qmi.ko exports to other modules.
 */
#ifndef _SOCBPF_QMI_H
#define _SOCBPF_QMI_H

#include <linux/types.h>
#include <socbpf/qmi_codec.h>

extern const struct sqmi_elem_info socbpf_qmi_response_type_ei[];

void *socbpf_qmi_encode_message(int type, unsigned int msg_id, size_t *len,
				unsigned int txn_id,
				const struct sqmi_elem_info *ei,
				const void *c_struct);
int socbpf_qmi_decode_message(const void *buf, size_t len,
			      const struct sqmi_elem_info *ei, void *c_struct);
int socbpf_qmi_decode_header(const void *buf, size_t len,
			     struct sqmi_header *hdr);

#endif /* _SOCBPF_QMI_H */
