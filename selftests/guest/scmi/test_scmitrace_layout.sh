#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The two layouts of scmi_xfer_begin / scmi_xfer_end. Linux 6.17 appended
# "int inflight" (the agent's transfers in flight) to both events, as
# TP_PROTO argument and record field (include/trace/events/scmi.h, upstream
# commit f8e656382b4a; the fields before it did not move). socbpf_scmi
# built against 6.17+ emits that layout (a version check in scmi_trace.h),
# and scmitrace reads the field where the event has it (raw and classic
# tracepoints) and touches nothing past the older layout where it does not.
# On the stock 6.12 kernel this checks the old layout, on the newest-kernel
# lane the new one: a hung reading (its response dropped) and a second one
# behind it must show as 2 transfers in flight.
# Runs as root in the guest with cwd = repo top.
PLAN=5
. "$(dirname "$0")/scmitrace_lib.sh"

# the running kernel's release >= 6.17?
rel=$(uname -r)
maj=${rel%%.*}
min=${rel#*.}
min=${min%%[.+-]*}
new=0
[ "$maj" -gt 6 ] || { [ "$maj" -eq 6 ] && [ "$min" -ge 17 ]; } && new=1
tap_diag "kernel $rel: expecting the $([ $new = 1 ] && echo "6.17+" || echo "pre-6.17") layout"

if ! insmod "$KO" timeout_ms=3000 2>"$TMP/insmod.err"; then
	tap_diag "$(cat "$TMP/insmod.err")"
	bail "insmod $KO failed"
fi
"$PLAT" -l 1 -f drop-resp=1 > "$TMP/plat.out" 2>&1 &
pids+=($!)
wait_line "$D/info" '^ready 1' 100 || bail "SCMI platform did not come up"

EV=/sys/kernel/tracing/events/scmi
fmt_has() { grep -q "field:int inflight;" "$EV/$1/format"; }
has=0
fmt_has scmi_xfer_begin && fmt_has scmi_xfer_end && has=1
grep -h "field:" "$EV/scmi_xfer_begin/format" | sed 's/^/# begin /'
tap_check "scmi_xfer_begin/end formats have 'inflight' exactly on 6.17+ ($has)" test "$has" = "$new"

start_trace raw -j -v
start_trace classic -j -v -C

# the first reading hangs (response dropped, 3 s timeout); the second one
# begins while it is in flight
echo "sensor_read 0" > "$D/cmd" 2>/dev/null &
reader=$!
sleep 0.5
echo "sensor_read 0" > "$D/cmd"
sleep 0.3
stop_trace raw
stop_trace classic
wait "$reader"

# kinfl NAME: the summary's kernel_inflight, compact
kinfl() { jq -c 'select(.type == "summary") | .kernel_inflight' "$TMP/$1.out"; }
for m in raw classic; do
	got=$(kinfl $m)
	if [ "$new" = 1 ]; then
		# begin(1), begin(2), end(1 or 2): the hung one never ended here
		ok=$(jq -r 'select(.type == "summary") | .kernel_inflight |
			(.events == 3 and .max == 2)' "$TMP/$m.out")
		tap_check "$m: 6.17+ inflight read from both events: 3 events, max 2 ($got)" \
			test "$ok" = true
	else
		tap_check "$m: pre-6.17: no inflight field, reported as null ($got)" \
			test "$got" = null
	fi
done
want="scmi_xfer_begin/end: $([ $new = 1 ] && echo "6.17+ (inflight)" || echo pre-6.17)"
tap_check "scmitrace -v names the layout it found ('$want')" \
	grep -q -F "$want" "$TMP/raw.err"
got=$(jq -r 'select(.type == "summary") | "\(.counts.transfers)/\(.counts.ok)"' "$TMP/raw.out")
tap_check "raw: the transfer that completed is counted as before (transfers/ok $got)" \
	test "$got" = 1/1
tap_done
