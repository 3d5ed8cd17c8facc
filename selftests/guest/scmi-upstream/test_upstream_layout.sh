#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# socbpf-arch: arm64
# socbpf-vm: scmi-vhost --dresp-delay 300 --late-margin 1000
# The two layouts of upstream's scmi_xfer_begin / scmi_xfer_end: Linux 6.17
# appended "int inflight" to both, as TP_PROTO argument and record field
# (include/trace/events/scmi.h, upstream commit f8e656382b4a). scmitrace,
# raw and classic tracepoints, must count the same on either, read the field
# only where it exists, and say which layout it found. On the stock 6.12
# image this is the old layout; with ARM64_KVER of the newest-kernel lane
# (scripts/lane-newest.sh arm64) the new one. The value itself is the agent's
# debug counter: 0 on Debian's kernels (ARM_SCMI_DEBUG_COUNTERS is not set).
PLAN=5
. "$(dirname "$0")/upstream_lib.sh"

rel=$(uname -r)
maj=${rel%%.*}
min=${rel#*.}
min=${min%%[.+-]*}
new=0
[ "$maj" -gt 6 ] || { [ "$maj" -eq 6 ] && [ "$min" -ge 17 ]; } && new=1
tap_diag "kernel $rel: expecting the $([ $new = 1 ] && echo "6.17+" || echo "pre-6.17") layout"

EV=/sys/kernel/tracing/events/scmi
has=0
grep -q "field:int inflight;" "$EV/scmi_xfer_begin/format" &&
	grep -q "field:int inflight;" "$EV/scmi_xfer_end/format" && has=1
grep -h "field:" "$EV/scmi_xfer_end/format" | sed 's/^/# end /'
tap_check "scmi_xfer_begin/end formats have 'inflight' exactly on 6.17+ ($has)" \
	test "$has" = "$new"

load_upstream || bail "upstream arm_scmi did not come up over vhost-user"

# kinfl NAME: the summary's "kernel_inflight" value (null or an object)
kinfl() {
	grep '"type":"summary"' "$TMP/$1.out" | tail -n 1 |
		sed -n 's/.*"kernel_inflight":\(null\|{[^}]*}\).*/\1/p'
}

# 3 clock reads (sync) under scmitrace ARGS; the summary in $TMP/NAME.*
round() {
	local name=$1 i
	shift
	start_trace "$name" -v "$@" || return 1
	for i in 1 2 3; do rd /sys/kernel/debug/clk/cpu_clk/clk_rate > /dev/null; done
	stop_trace "$name"
}
round raw || bail "scmitrace did not attach"
round classic -C || bail "scmitrace -C did not attach"

for m in raw classic; do
	got=$(kinfl $m)
	n=$(count $m transfers)
	if [ "$new" = 1 ]; then
		tap_check "$m: 3 transfers ok, the 6.17+ field read from every begin and end ($got)" \
			test "$n/$(count $m ok)" = 3/3 -a "$got" = '{"events":6,"max":0,"last":0}'
	else
		tap_check "$m: 3 transfers ok, no inflight field: null ($got)" \
			test "$n/$(count $m ok)" = 3/3 -a "$got" = null
	fi
done
want="scmi_xfer_begin/end: $([ $new = 1 ] && echo "6.17+ (inflight)" || echo pre-6.17)"
tap_check "scmitrace -v names the layout it found ('$want')" grep -q -F "$want" "$TMP/raw.err"
tap_check "classic: same layout line" grep -q -F "$want" "$TMP/classic.err"
tap_done
