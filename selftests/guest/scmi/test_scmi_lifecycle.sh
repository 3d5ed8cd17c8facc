#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# socbpf_scmi life cycle and robustness: platform crash mid-transfer (kill -9
# of the emulator), reconnects, stress at the transport's in-flight limit,
# malformed messages written straight to the device, module unload under
# load.
. "$(dirname "$0")/scmi_lib.sh"
trap 'stop_load; scmi_cleanup' EXIT

LOAD_PIDS=""
stop_load() {
	touch "$TMP/stop"
	for p in $LOAD_PIDS; do wait "$p" 2>/dev/null; done
	LOAD_PIDS=""
	rm -f "$TMP/stop"
}

tap_plan 15

scmi_load timeout_ms=5000 dresp_timeout_ms=5000 || { tap_fail "module loads"; tap_done; }

# --- platform crash with transfers in flight
plat_start || tap_diag "platform start failed"
plat_ctl "latency 3000"
sleep 0.5
for i in 1 2 3 4; do
	( cmd "sensor_read $i"; echo "$CMD_OUT" > "$TMP/crash.$i" ) &
	LOAD_PIDS="$LOAD_PIDS $!"
done
four_inflight() { [ "$(stat_get inflight)" = 4 ]; }
wait_for 10 four_inflight || tap_diag "inflight=$(stat_get inflight)"
t0=$(date +%s%N)
kill -9 "$PLAT_PID"; wait "$PLAT_PID" 2>/dev/null; PLAT_PID=
for p in $LOAD_PIDS; do wait "$p"; done
LOAD_PIDS=""
t1=$(date +%s%N)
res=$(cat "$TMP"/crash.* | sort -u)
tap_check "kill -9 mid-transfer: pending transfers fail with -ECONNRESET" test "$res" = "err=-104"
tap_check "... promptly (not after the 5 s timeout)" test $(( (t1 - t0) / 1000000 )) -lt 2500
tap_check "... and are counted as aborted" test "$(ctr aborted)" = 4
cmd "sensor_read 0"
tap_check "new transfers get -ENOTCONN while no platform" test "$CMD_OUT" = "err=-107"
tap_check "hwmon device removed with the platform" \
	bash -c "! grep -qs scmi_sensors /sys/class/hwmon/hwmon*/name"

# --- platform dies right after a complete answer, before the waiter runs:
# the answer stands. The requester is SCHED_IDLE on the platform's CPU, so
# it cannot run between the platform's write() and its exit.
plat_start -f exit-after-resp=1 || tap_diag "platform start failed"
taskset -p -c 0 "$PLAT_PID" > /dev/null
out=$(taskset -c 0 chrt -i 0 bash -c "exec 5<>$D/cmd; echo 'sensor_read 0' >&5; cat <&5")
wait "$PLAT_PID" 2>/dev/null; PLAT_PID=
tap_check "a response that arrived before the platform died stands ($out)" \
	test "$out" = "ok value=45000"

# --- reconnects
ok=1
for i in 1 2 3 4 5; do
	plat_start || ok=0
	cmd "sensor_read 0 async"; [ "$CMD_OUT" = "ok value=45000" ] || ok=0
	grep -qs scmi_sensors /sys/class/hwmon/hwmon*/name || ok=0
	plat_stop
done
if [ $ok = 1 ]; then tap_ok "platform reconnects 5 times, rediscovers each time"; else tap_fail "platform reconnects 5 times, rediscovers each time"; fi

# --- token wrap: more than 1024 transfers in one session
plat_start || tap_diag "platform start failed"
f=0
for i in $(seq 1100); do echo "sensor_read 0" > "$D/cmd" || f=$((f + 1)); done
plat_ctl stats
sleep 0.3
res="$f/$(plat_stat tokens_seen)/$(ctr ghosts)/$(ctr duplicates)/$(ctr late)"
tap_check "1100 transfers: tokens wrap (all 1024 used), no failure, nothing discarded" \
	test "$res" = "0/1024/0/0/0"
[ "$res" = "0/1024/0/0/0" ] || tap_diag "failures/tokens_seen/ghosts/dups/late = $res"
plat_stop

# --- stress at the in-flight limit
echo 4 > "$PARAMS/max_inflight"
plat_start || tap_diag "platform start failed"
plat_ctl "latency 10-30"
sleep 0.3
for w in $(seq 16); do
	(
		f=0
		for i in 1 2 3 4 5; do
			if [ $((i % 2)) = 0 ]; then a=async; else a=; fi
			cmd "sensor_read $((w % 4)) $a" || f=$((f + 1))
		done
		exit $f
	) &
	LOAD_PIDS="$LOAD_PIDS $!"
done
fails=0
for p in $LOAD_PIDS; do wait "$p" || fails=$((fails + 1)); done
LOAD_PIDS=""
tap_check "stress: 80 transfers from 16 workers all succeed" test $fails = 0
tap_check "stress: in-flight never exceeds the transport limit (4)" test "$(stat_get inflight_max)" = 4
tap_check "stress: no timeouts, no busy, sent == responses" \
	bash -c "[ $(ctr timeouts) = 0 ] && [ $(ctr busy) = 0 ] && [ $(ctr sent_ok) = $(ctr response_ok) ]"
tap_diag "sent_ok=$(ctr sent_ok) response_ok=$(ctr response_ok) dresp_ok=$(ctr dresp_ok) inflight_max=$(stat_get inflight_max)"
plat_stop
echo 32 > "$PARAMS/max_inflight"

# --- malformed messages written straight to the device
exec 3<>/dev/scmi-platform
echo 1 > "$D/counters/reset"
werr=0
printf '\x01\x02' >&3 2>/dev/null && werr=$((werr + 1))				# short
printf '\x00\x01\x00\x00\x00\x00\x00\x00' >&3 2>/dev/null && werr=$((werr + 1))	# type 1
printf '\x00\x00\x00\x00' >&3 2>/dev/null && werr=$((werr + 1))			# no status
printf '\x00\x00\x00\x10\x00\x00\x00\x00' >&3 2>/dev/null && werr=$((werr + 1))	# reserved bits
dd if=/dev/zero bs=200 count=1 2>/dev/null >&3 && werr=$((werr + 1))		# too long
printf '\x00\x4f\x00\x00' >&3 2>/dev/null || werr=$((werr + 1))			# notification, proto 0x13
exec 3>&-
unhandled() { [ "$(ctr notif_unhandled)" = 1 ]; }
wait_for 5 unhandled
tap_check "malformed writes rejected with an error" test $werr = 0
tap_check "malformed writes counted exactly (5), unknown notification counted" \
	bash -c "[ $(ctr malformed) = 5 ] && [ $(ctr notif_unhandled) = 1 ]"

# --- module unload under load
plat_start || tap_diag "platform start failed"
plat_ctl "latency 0-5"
hw=$(grep -ls scmi_sensors /sys/class/hwmon/hwmon*/name | head -1)
hw=${hw%/name}
for w in 1 2 3 4 5 6; do
	(
		while [ ! -e "$TMP/stop" ]; do
			echo "sensor_read $((w % 4)) async" > "$D/cmd"
			cat "$hw/temp1_input" "$D/stats" "$D/clocks/0/rate"
			echo "clock_set 1 200000000" > "$D/cmd"
		done > /dev/null 2>&1
	) &
	LOAD_PIDS="$LOAD_PIDS $!"
done
sleep 2
tap_check "rmmod refused while the platform is connected" bash -c "! rmmod socbpf_scmi 2>/dev/null"
kill -9 "$PLAT_PID"; wait "$PLAT_PID" 2>/dev/null; PLAT_PID=
sleep 0.5
unloaded() { rmmod socbpf_scmi 2>/dev/null; [ ! -d /sys/module/socbpf_scmi ]; }
tap_check "module unloads while clients keep hammering it" wait_for 30 unloaded
stop_load
tap_done
