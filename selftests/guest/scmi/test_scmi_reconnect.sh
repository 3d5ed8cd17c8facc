#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A command must only ever reach the platform of the session its transfer
# started in.  scmi-hold (a BPF program on scmi:scmi_xfer_begin) holds a
# CLOCK_RATE_SET after it took its token and before its command is queued;
# meanwhile the platform goes away and a new one connects.  The held
# transfer must fail with -ECONNRESET and its command must not be sent to
# the new platform (which would answer it: a clock set nobody waits for,
# counted as a ghost).  As upstream's do_xfer(), the failed send ends with
# no scmi_xfer_end, and scmitrace reports the transfer as never sent
# instead of keeping it in flight (issue #12 items 6 and 8).
# Runs as root in the guest with cwd = repo top.
. "$(dirname "$0")/scmi_lib.sh"
HOLD=${SCMI_HOLD:-build/selftests/bin/scmi-hold}
ST=${SCMITRACE:-build/bin/scmitrace}
hold_pid=
st_pid=
cleanup_all() {
	exec 7>&- 2>/dev/null
	[ -n "$hold_pid" ] && { kill "$hold_pid" 2>/dev/null; wait "$hold_pid" 2>/dev/null; }
	[ -n "$st_pid" ] && { kill "$st_pid" 2>/dev/null; wait "$st_pid" 2>/dev/null; }
	scmi_cleanup
}
trap cleanup_all EXIT

tap_plan 7
[ "$(nproc)" -ge 2 ] || { for i in 1 2 3 4 5 6 7; do tap_skip "needs 2 CPUs"; done; tap_done; }
# everything but the held writer runs on CPU 1: CPU 0 spins while it holds
taskset -cp 1 $$ > /dev/null

scmi_load timeout_ms=5000 || { tap_fail "module loads"; tap_done; }
plat_start || { tap_fail "platform starts"; tap_done; }

TR=/sys/kernel/tracing
echo > $TR/trace
echo 1 > $TR/events/scmi/scmi_xfer_end/enable
"$ST" -j > "$TMP/st.out" 2> "$TMP/st.err" &
st_pid=$!
wait_for 60 grep -q 'Tracing SCMI' "$TMP/st.err" || tap_diag "scmitrace: $(cat "$TMP/st.err")"

RATE=800000000
mkfifo "$TMP/hold.in"
"$HOLD" -t 10 0x14 0x5 < "$TMP/hold.in" > "$TMP/hold.out" 2>&1 &
hold_pid=$!
exec 7> "$TMP/hold.in"
wait_for 20 grep -q '^attached' "$TMP/hold.out" || tap_diag "scmi-hold: $(cat "$TMP/hold.out")"

# the writer runs on CPU 0 from the start: that CPU spins while it holds
taskset -c 0 bash -c 'exec 5<>"$1"; echo "clock_set 0 $2" >&5 2>/dev/null; cat <&5 > "$3"' \
	_ "$D/cmd" "$RATE" "$TMP/set.out" &
setter=$!
if wait_for 20 grep -q '^holding token' "$TMP/hold.out"; then
	tap_ok "the CLOCK_RATE_SET is held before its command is queued ($(grep holding "$TMP/hold.out"))"
else
	tap_fail "nothing held: $(cat "$TMP/hold.out")"
fi

# the platform goes away and a new one connects, discovery included
plat_stop
platform_gone() { [ "$(stat_get up)" = 0 ]; }
wait_for 10 platform_gone || tap_diag "platform still up"
plat_start || tap_diag "second platform did not come up"
echo >&7
exec 7>&-
wait "$setter"
wait "$hold_pid"
hold_pid=
tap_check "the hold lasted until the new platform was up ($(tail -n 1 "$TMP/hold.out"))" \
	grep -q '^released' "$TMP/hold.out"
tap_check "the held transfer failed with -ECONNRESET ($(cat "$TMP/set.out"))" \
	grep -q 'err=-104' "$TMP/set.out"
sleep 0.5
plat_ctl stats
sleep 0.3
tap_check "the new platform got no clock set (ghosts $(ctr ghosts))" test "$(ctr ghosts)" = 0
cmd "clock_get 0"
tap_check "the new session works, the clock kept its rate ($CMD_OUT)" \
	test "$CMD_OUT" = "ok rate=1200000000"
echo 0 > $TR/events/scmi/scmi_xfer_end/enable
tok=$(sed -n 's/^holding token \([0-9]*\)/\1/p' "$TMP/hold.out")
seq=$(printf '%04X' "${tok:-0}")
tap_check "no scmi_xfer_end for the failed send (token $tok), as upstream" \
	bash -c "! grep -q 'scmi_xfer_end:.* msg_id=05 seq=$seq ' $TR/trace"
sleep 1.2	# a transfer counts as never sent 1 s after it began
kill -INT "$st_pid"
wait "$st_pid"
st_pid=
tap_diag "scmitrace: $(jq -c 'select(.type == "summary") | [.counts.send_failed, (.in_flight | length)]' "$TMP/st.out")"
tap_check "scmitrace: the held transfer never sent, not in flight" \
	test "$(jq -c 'select(.type == "summary") | [.counts.send_failed, (.in_flight | length)]' "$TMP/st.out")" = "[1,0]"
tap_done
