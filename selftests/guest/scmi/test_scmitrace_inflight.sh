#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# scmitrace's in-flight view of a transfer that hangs (its response dropped,
# a 3 s timeout): listed with its age, and with the timeout it waits with
# only when --waits attached scmi_xfer_response_wait.  The default hooks
# leave that column unknown rather than guessing it.
# Runs as root in the guest with cwd = repo top.
PLAN=5
. "$(dirname "$0")/scmitrace_lib.sh"

if ! insmod "$KO" timeout_ms=3000 2>"$TMP/insmod.err"; then
	tap_diag "$(cat "$TMP/insmod.err")"
	bail "insmod $KO failed"
fi
"$PLAT" -l 1 -f drop-resp=1 > "$TMP/plat.out" 2>&1 &
pids+=($!)
wait_line "$D/info" '^ready 1' 100 || bail "SCMI platform did not come up"

start_trace dflt -j
start_trace waits -j --waits
start_trace text --waits

# the first sensor reading loses its response: in flight for 3 s
echo "sensor_read 0" > "$D/cmd" 2>/dev/null &
reader=$!
sleep 1
stop_trace dflt
stop_trace waits
stop_trace text

inflight() { jq -c 'select(.type == "summary") | [.in_flight[] | {msg_name, timeout_ms, old: (.age_ms >= 500)}]' "$1"; }
want='[{"msg_name":"SENSOR_READING_GET","timeout_ms":3000,"old":true}]'
got=$(inflight "$TMP/waits.out")
if [ "$got" = "$want" ]; then
	tap_ok "--waits: the hung reading is in flight with its 3000 ms timeout"
else
	tap_fail "--waits in-flight list '$got', expected '$want'"
fi
want='[{"msg_name":"SENSOR_READING_GET","timeout_ms":null,"old":true}]'
got=$(inflight "$TMP/dflt.out")
if [ "$got" = "$want" ]; then
	tap_ok "default hooks: in flight, timeout unknown (null)"
else
	tap_fail "default in-flight list '$got', expected '$want'"
fi
if grep -E -q '^  sensor +SENSOR_READING_GET +[0-9]+ +[0-9]+ +[0-9.]+ +3000$' "$TMP/text.out"; then
	tap_ok "text in-flight table shows TMO(ms) 3000"
else
	tap_fail "text in-flight table"
	sed -n '/^In flight/,$p' "$TMP/text.out" | sed 's/^/# /'
fi

wait "$reader"
rc=$?
tap_check "the hung reading fails after its timeout (exit $rc)" test "$rc" -ne 0
tap_check "module counted one timeout" test "$(stat "$D/stats" timeouts)" = 1
tap_done
