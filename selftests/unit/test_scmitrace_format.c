// SPDX-License-Identifier: GPL-2.0
/*
 * Host unit tests (TAP) for scmitrace's reading of tracefs event formats
 * (tools/scmitrace/tp_format.h), which tells the two layouts of
 * scmi_xfer_begin / scmi_xfer_end apart: Linux 6.17 appended "int inflight"
 * to both (include/trace/events/scmi.h, upstream commit f8e656382b4a, as in
 * Debian's linux-headers-7.3.4+deb13-common; 6.12.95's header has no such
 * field). The 7.3 text below is the format file of Debian's 7.3.4 arm64
 * kernel, captured by selftests/guest/scmi-upstream/test_upstream_layout.sh;
 * the 6.12 one is the same record without the appended field.
 */
#include <stdio.h>
#include <string.h>

#include "../../tools/scmitrace/tp_format.h"
#include "unit_tap.h"

#define COMMON \
	"format:\n" \
	"\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;\n" \
	"\tfield:unsigned char common_flags;\toffset:2;\tsize:1;\tsigned:0;\n" \
	"\tfield:unsigned char common_preempt_count;\toffset:3;\tsize:1;\tsigned:0;\n" \
	"\tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;\n" \
	"\n" \
	"\tfield:int transfer_id;\toffset:8;\tsize:4;\tsigned:1;\n" \
	"\tfield:u8 msg_id;\toffset:12;\tsize:1;\tsigned:0;\n" \
	"\tfield:u8 protocol_id;\toffset:13;\tsize:1;\tsigned:0;\n" \
	"\tfield:u16 seq;\toffset:14;\tsize:2;\tsigned:0;\n" \
	"\tfield:int status;\toffset:16;\tsize:4;\tsigned:1;\n"

static const char end_7_3[] =
	"name: scmi_xfer_end\nID: 1234\n" COMMON
	"\tfield:int inflight;\toffset:20;\tsize:4;\tsigned:1;\n"
	"\n"
	"print fmt: \"pt=%02X msg_id=%02X seq=%04X transfer_id=%X s=%d inflight=%d\", "
	"REC->protocol_id, REC->msg_id, REC->seq, REC->transfer_id, REC->status, "
	"REC->inflight\n";

static const char end_6_12[] =
	"name: scmi_xfer_end\nID: 1234\n" COMMON
	"\n"
	"print fmt: \"pt=%02X msg_id=%02X seq=%04X transfer_id=%X s=%d\", "
	"REC->protocol_id, REC->msg_id, REC->seq, REC->transfer_id, REC->status\n";

/* the field named only in print fmt, or as a prefix of another field */
static const char decoys[] =
	COMMON
	"\tfield:int inflight_max;\toffset:20;\tsize:4;\tsigned:1;\n"
	"\tfield:int my_inflight;\toffset:24;\tsize:4;\tsigned:1;\n"
	"print fmt: \"inflight=%d\", REC->inflight\n";

static const char arrays[] =
	"\tfield:char tag[5];\toffset:10;\tsize:5;\tsigned:0;\n"
	"\tfield:__data_loc char[] name;\toffset:16;\tsize:4;\tsigned:0;\n"
	"\tfield:int bad;\toffset:x;\tsize:4;\tsigned:1;\n"
	"\tfield:int huge;\toffset:99999;\tsize:4;\tsigned:1;\n"
	"\tfield:int noff;\tsize:4;\tsigned:1;\n"
	"\tfield:int last;\toffset:28;";	/* no newline at the end */

int main(void)
{
	printf("TAP version 13\n1..14\n");
	check(scmitrace_format_field_offset(end_7_3, "inflight") == 20,
	      "7.3 scmi_xfer_end: inflight at offset 20 (XFER_INFLIGHT_OFF)");
	check(scmitrace_format_field_offset(end_6_12, "inflight") == -1,
	      "6.12 scmi_xfer_end: no inflight field");
	check(scmitrace_format_field_offset(end_7_3, "status") == 16 &&
	      scmitrace_format_field_offset(end_6_12, "status") == 16,
	      "status at 16 in both layouts: the appended field moved nothing");
	check(scmitrace_format_field_offset(end_7_3, "seq") == 14 &&
	      scmitrace_format_field_offset(end_7_3, "transfer_id") == 8 &&
	      scmitrace_format_field_offset(end_7_3, "protocol_id") == 13,
	      "transfer_id 8, protocol_id 13, seq 14 (the fixed-ABI view's offsets)");
	check(scmitrace_format_field_offset(end_7_3, "common_pid") == 4,
	      "common fields are found too");
	check(scmitrace_format_field_offset(decoys, "inflight") == -1,
	      "print fmt and inflight_max / my_inflight do not count as the field");
	check(scmitrace_format_field_offset(decoys, "inflight_max") == 20,
	      "a longer name is matched whole");
	check(scmitrace_format_field_offset(arrays, "tag") == 10,
	      "an array field is found by its name");
	check(scmitrace_format_field_offset(arrays, "name") == 16,
	      "a __data_loc field is found by its name");
	check(scmitrace_format_field_offset(arrays, "bad") == -1 &&
	      scmitrace_format_field_offset(arrays, "huge") == -1 &&
	      scmitrace_format_field_offset(arrays, "noff") == -1,
	      "a malformed, huge or missing offset is -1");
	check(scmitrace_format_field_offset(arrays, "last") == 28,
	      "the last line without a newline");
	check(scmitrace_format_field_offset(arrays, "char") == -1,
	      "a type word alone is not a field name");
	check(scmitrace_format_field_offset("", "inflight") == -1 &&
	      scmitrace_format_field_offset(NULL, "inflight") == -1 &&
	      scmitrace_format_field_offset(end_7_3, "") == -1,
	      "empty or NULL input is -1");
	check(scmitrace_format_field_offset("field:;offset:1;\nfield:int;offset:2;\n",
					    "int") == -1,
	      "declarations without a name are skipped");
	return n_fail ? 1 : 0;
}
