#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# scmitrace defects found in review (issue #12 item 6), against socbpf_scmi
# and scmi-platform, all in one traced run:
#  - a reply the driver accepted for a transfer that began before scmitrace
#    attached is "untracked", not a ghost (its end is "unmatched");
#  - a delayed response to a sync command is "unexpected_dresp", neither a
#    duplicate nor late;
#  - a delayed-response timeout shows (socbpf's extra scmi_xfer_async_end),
#    and its late delayed response is late.
# Runs as root in the guest with cwd = repo top.
PLAN=8
. "$(dirname "$0")/scmitrace_lib.sh"

insmod "$KO" timeout_ms=20000 dresp_timeout_ms=400 2>"$TMP/insmod.err" ||
	bail "insmod $KO failed: $(cat "$TMP/insmod.err")"
# Faults queued from the start (a fault queued on the control FIFO races
# with the command it is meant for): the first two sensor reads pass, the
# next sync one gets a delayed response it did not ask for, the next async
# one its delayed response after the agent gave up waiting.
"$PLAT" -S "$TMP/plat.stats" -C "$TMP/ctl" --agent-timeout 20000 \
	--agent-dresp-timeout 400 -f pass=2 -f unexpected-dresp=1 \
	-f late-dresp=1 > "$TMP/plat.out" 2>&1 &
pids+=($!)
wait_line "$D/info" '^ready 1' 100 || bail "SCMI platform did not come up"
ctl() { echo "$*" > "$TMP/ctl"; }

# a read that is in flight while scmitrace attaches (BPF loading under TCG
# takes seconds: the platform holds the answer for 12 s)
ctl "latency 12000"
sleep 0.3
( echo "sensor_read 0" > "$D/cmd" ) &
rd=$!
sleep 0.5
start_trace r -j || bail "scmitrace did not attach"
wait "$rd"
ctl "latency 1"
sleep 1
echo "sensor_read 0" > "$D/cmd"
echo "sensor_read 0" > "$D/cmd"
echo "sensor_read 0 async" > "$D/cmd" 2>/dev/null
for i in $(seq 100); do
	ctl stats
	sleep 0.2
	[ "$(stat "$TMP/plat.stats" scheduled)" = 0 ] &&
		[ "$(stat "$TMP/plat.stats" faults_pending)" = 0 ] && break
done
sleep 0.5
stop_trace r
J=$TMP/r.out
c() { jq -r "select(.type == \"summary\") | .counts.$1" "$J"; }
tap_diag "scmitrace: $(jq -c 'select(.type == "summary") | .counts' "$J")"
tap_diag "platform: $(grep expect_ "$TMP/plat.stats" | tr '\n' ' ')"

tap_check "the reply to the read begun before attaching: untracked 1, ghost 0 ($(c untracked), $(c ghost))" \
	test "$(c untracked)$(c ghost)" = 10
tap_check "... and its end is unmatched ($(c unmatched_end))" test "$(c unmatched_end)" = 1
tap_check "unexpected delayed response = platform's ($(c unexpected_dresp))" \
	test "$(c unexpected_dresp)" = "$(stat "$TMP/plat.stats" expect_unexpected_dresp)" -a \
	"$(c unexpected_dresp)" = 1
tap_check "... reported neither as duplicate nor as late ($(c duplicate))" \
	test "$(c duplicate)" = 0
tap_check "delayed-response timeout seen ($(c dresp_timeouts))" test "$(c dresp_timeouts)" = 1
tap_check "its late delayed response is late ($(c late))" test "$(c late)" = 1
tap_check "the dresp_timeouts list names it" \
	test "$(jq -r 'select(.type == "summary") | [.dresp_timeouts[] | select(.msg_name == "SENSOR_READING_GET")] | length' "$J")" = 1
tap_check "recursion misses are reported (a count, in lost events: $(c recursion_misses))" \
	test "$(c recursion_misses)" -ge 0
tap_done
