// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the table-driven QMI codec: decode arbitrary bytes
 * with a table using every element kind; whatever decodes must encode, and
 * that encoding must decode to the same struct and encode to the same bytes.
 * Errors must be the documented ones. ASan/UBSan catch any stray access.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <socbpf/qmi_codec.h>
#include "../unit/qmi_codec_msgs.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void one(const uint8_t *data, size_t size)
{
	static u8 out1[QMI_WIRE_MAX_MSG + SQMI_HEADER_LEN];
	static u8 out2[QMI_WIRE_MAX_MSG + SQMI_HEADER_LEN];
	static struct t_msg m1, m2;
	struct sqmi_header h;
	int ret, l1, l2;

	memset(&m1, 0, sizeof(m1));
	ret = sqmi_decode_message(data, size, t_msg_ei, &m1, &h);
	if (ret < 0) {
		if (ret != -EMSGSIZE && ret != -EBADMSG && ret != -EOVERFLOW)
			abort();
		return;
	}
	if ((size_t)ret != size - SQMI_HEADER_LEN || h.msg_len != ret)
		abort();
	l1 = sqmi_encode_message(out1, sizeof(out1), h.type, h.txn_id,
				 h.msg_id, t_msg_ei, &m1);
	if (l1 < 0)
		abort();
	memset(&m2, 0, sizeof(m2));
	if (sqmi_decode_message(out1, (size_t)l1, t_msg_ei, &m2, NULL) < 0)
		abort();
	l2 = sqmi_encode_message(out2, sizeof(out2), h.type, h.txn_id,
				 h.msg_id, t_msg_ei, &m2);
	if (l2 != l1 || memcmp(out1, out2, (size_t)l1))
		abort();
}

/*
 * The input as it is, then (so the fuzzer reaches the TLVs without having
 * to guess the length field) a heap copy of exactly its size with the
 * header's length fixed up.
 */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	u8 *copy;

	one(data, size);
	if (size < SQMI_HEADER_LEN || size - SQMI_HEADER_LEN > 0xffff)
		return 0;
	copy = malloc(size);
	if (!copy)
		return 0;
	memcpy(copy, data, size);
	copy[5] = (u8)(size - SQMI_HEADER_LEN);
	copy[6] = (u8)((size - SQMI_HEADER_LEN) >> 8);
	one(copy, size);
	free(copy);
	return 0;
}
