#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A late reply at the timeout boundary (issue #12 item 6): socbpf_scmi marks
# a transfer timed out, and a reply that arrives before the transfer's
# scmi_xfer_end is traced is discarded as late ("!RESP", MSG_UNEXPECTED)
# while scmitrace still sees the transfer in flight.  scmitrace counted it
# as a duplicate.  scmi-hold -T holds the transfer at scmi_xfer_timeout, the
# window that is otherwise a few instructions wide, until the platform's
# late reply (200 ms after the agent's 300 ms timeout) has come.
# Runs as root in the guest with cwd = repo top.
PLAN=4
. "$(dirname "$0")/scmitrace_lib.sh"
HOLD=${SCMI_HOLD:-build/selftests/bin/scmi-hold}

insmod "$KO" timeout_ms=300 2>"$TMP/insmod.err" ||
	bail "insmod $KO failed: $(cat "$TMP/insmod.err")"
"$PLAT" -S "$TMP/plat.stats" -C "$TMP/ctl" --late-margin 200 -f late=1 \
	> "$TMP/plat.out" 2>&1 &
pids+=($!)
wait_line "$D/info" '^ready 1' 100 || bail "SCMI platform did not come up"
start_trace b -j || bail "scmitrace did not attach"

mkfifo "$TMP/hin"
"$HOLD" -T -t 8 0x15 6 < "$TMP/hin" > "$TMP/hold.out" 2>&1 &
pids+=($!)
exec 7> "$TMP/hin"
wait_line "$TMP/hold.out" '^attached' 300 || bail "scmi-hold: $(cat "$TMP/hold.out")"
( echo "sensor_read 0" > "$D/cmd" ) 2>/dev/null &
rd=$!
wait_line "$TMP/hold.out" '^holding' 100 || tap_diag "not held: $(cat "$TMP/hold.out")"
# the late reply comes 200 ms after the timeout: let it arrive while held
for i in $(seq 50); do
	[ "$(awk '$1 == "late" { print $2 }' "$D/stats")" = 1 ] && break
	sleep 0.1
done
echo >&7
exec 7>&-
wait "$rd"
sleep 0.5
stop_trace b
J=$TMP/b.out
c() { jq -r "select(.type == \"summary\") | .counts.$1" "$J"; }
tap_diag "hold: $(tr '\n' ' ' < "$TMP/hold.out")"
tap_diag "scmitrace: $(jq -c 'select(.type == "summary") | .counts' "$J")"
tap_check "the module discarded the reply as late while the transfer was held ($(awk '$1 == "late" { print $2 }' "$D/stats"))" \
	test "$(awk '$1 == "late" { print $2 }' "$D/stats")" = 1
tap_check "scmitrace: late 1 ($(c late))" test "$(c late)" = 1
tap_check "scmitrace: not a duplicate ($(c duplicate))" test "$(c duplicate)" = 0
tap_check "scmitrace: the transfer timed out ($(c timeouts))" test "$(c timeouts)" = 1
tap_done
