#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The scenarios the upstream SCMI virtio work was tested with, driven by
# scmi-platform fault injection.  After each scenario the agent's debugfs
# counters must equal, exactly, what the emulator says it injected.
#   1 synchronous and asynchronous commands
#   2 notifications (trip points, flood)
#   3 concurrent delivery of a response and its delayed response
#   4 delayed response before the response
#   5 unexpected delayed response for a synchronous command
#   6 late delivery of timed-out responses and delayed responses
# plus duplicates, ghosts, dropped messages and corrupt headers/lengths.
. "$(dirname "$0")/scmi_lib.sh"
trap scmi_cleanup EXIT

tap_plan 12

scmi_load timeout_ms=400 dresp_timeout_ms=600 || { tap_fail "module loads"; tap_done; }

# scenario NAME: run after commands; checks counters and reports
scenario_end() {
	local desc=$1 out
	plat_wait_idle
	out=$(counters_match)
	if [ $? -eq 0 ] && [ "${2:-0}" = 0 ]; then
		tap_ok "$desc"
	else
		tap_fail "$desc"
		[ -n "$out" ] && printf '%s\n' "$out" | sed 's/^/# /'
		[ "${2:-0}" = 0 ] || tap_diag "command results wrong: $2"
	fi
	counters_show
	plat_stop
}

# --- 1: sync and async commands, random latency
bad=""
plat_start -l 1-15 || bad=start
for i in 1 2 3; do
	cmd "sensor_read 0" && [ "$CMD_OUT" = "ok value=45000" ] || bad="$bad sync:$CMD_OUT"
	cmd "sensor_read 2 async" && [ "$CMD_OUT" = "ok value=900" ] || bad="$bad async:$CMD_OUT"
	cmd "clock_set 1 $((i * 100000000)) async" && [ "$CMD_OUT" = "ok rate=$((i * 100000000))" ] || bad="$bad clk:$CMD_OUT"
done
[ "$(ctr response_ok)" = 9 ] && [ "$(ctr dresp_ok)" = 6 ] && [ "$(ctr timeouts)" = 0 ] || bad="$bad resp=$(ctr response_ok) dresp=$(ctr dresp_ok)"
scenario_end "sync and async commands (9 responses, 6 delayed)" "${bad:-0}"

# --- 2: notifications: trip point events for enabled sensors, and a flood
bad=""
plat_start || bad=start
plat_ctl "notify 5"
plat_ctl "flood 300"
plat_wait_idle
notif_total() { echo $(( $(ctr notif_ok) + $(ctr notif_dropped) + $(ctr notif_unhandled) )); }
notif_all() { [ "$(notif_total)" -ge "$(plat_stat expect_notif)" ]; }
wait_for 10 notif_all
got=$(notif_total)
[ "$got" = "$(plat_stat expect_notif)" ] && [ "$got" = 305 ] || bad="$bad notif=$got/$(plat_stat expect_notif)"
grep -q "sensor 0 name=soc_temp.*trip_events=" "$D/info" || bad="$bad noinfo"
tap_diag "$(grep 'sensor 0' "$D/info")"
scenario_end "notifications dispatched per (protocol, event), all counted" "${bad:-0}"

# --- 3: response and delayed response delivered back to back, concurrently
bad=""
plat_start --dresp-delay 0 -l 0-3 || bad=start
pids=""
for i in $(seq 12); do
	( cmd "sensor_read $((i % 4)) async" && case "$CMD_OUT" in ok*) ;; *) exit 1 ;; esac ) &
	pids="$pids $!"
done
for p in $pids; do wait "$p" || bad="$bad fail"; done
[ "$(ctr dresp_ok)" = 12 ] && [ "$(ctr out_of_order)" = 0 ] || bad="$bad dresp=$(ctr dresp_ok)"
scenario_end "concurrent response + delayed response (12 async in parallel)" "${bad:-0}"

# --- 4: delayed response before the response
bad=""
plat_start -f dresp-first=3 || bad=start
for i in 1 2 3; do
	cmd "sensor_read 0 async" && [ "$CMD_OUT" = "ok value=45000" ] || bad="$bad $CMD_OUT"
done
cmd "clock_set 0 400000000 async" && [ "$CMD_OUT" = "ok rate=400000000" ] || bad="$bad $CMD_OUT"
[ "$(ctr out_of_order)" = 3 ] || bad="$bad ooo=$(ctr out_of_order)"
scenario_end "delayed response before response: accepted, late response dropped" "${bad:-0}"

# --- 5: unexpected delayed response for a synchronous command
bad=""
plat_start -f unexpected-dresp=2 || bad=start
cmd "sensor_read 0" && [ "$CMD_OUT" = "ok value=45000" ] || bad="$bad $CMD_OUT"
cmd "sensor_read 1 async" || bad="$bad $CMD_OUT"	# fault skips async
cmd "clock_set 0 1200000000" && [ "$CMD_OUT" = "ok rate=1200000000" ] || bad="$bad $CMD_OUT"
[ "$(ctr unexpected_dresp)" = 2 ] || bad="$bad unexp=$(ctr unexpected_dresp)"
scenario_end "unexpected delayed response to a sync command discarded" "${bad:-0}"

# --- 6: late delivery of timed-out responses and delayed responses
bad=""
plat_start -f late=2 -f late-dresp=2 || bad=start
cmd "sensor_read 0" && bad="$bad sync-ok"
[ "$CMD_OUT" = "err=-110" ] || bad="$bad $CMD_OUT"
cmd "sensor_read 0 async" && bad="$bad async-ok"
cmd "sensor_read 1 async" && bad="$bad ld1-ok"
cmd "clock_set 1 500000000 async" && bad="$bad ld2-ok"
plat_wait_idle
cmd "sensor_read 0 async" && [ "$CMD_OUT" = "ok value=45000" ] || bad="$bad after:$CMD_OUT"
cmd "sensor_read 3" && [ "$CMD_OUT" = "ok value=2500" ] || bad="$bad after2:$CMD_OUT"
[ "$(ctr timeouts)" = 4 ] && [ "$(ctr late)" = 5 ] || bad="$bad tmo=$(ctr timeouts) late=$(ctr late)"
scenario_end "late responses and delayed responses discarded and counted" "${bad:-0}"

# --- duplicates
bad=""
plat_start -f dup=3 || bad=start
cmd "sensor_read 0" || bad="$bad $CMD_OUT"
cmd "sensor_read 0 async" || bad="$bad $CMD_OUT"
cmd "clock_set 0 800000000" || bad="$bad $CMD_OUT"
[ "$(ctr duplicates)" = 3 ] || bad="$bad dup=$(ctr duplicates)"
scenario_end "duplicate responses and delayed responses discarded" "${bad:-0}"

# --- ghosts (stale / never issued tokens)
bad=""
plat_start -f ghost=4 || bad=start
for i in 1 2 3 4; do cmd "sensor_read 1" || bad="$bad $CMD_OUT"; done
[ "$(ctr ghosts)" = 4 ] || bad="$bad ghosts=$(ctr ghosts)"
scenario_end "ghost messages (stale tokens) discarded" "${bad:-0}"

# --- dropped responses and delayed responses: timeouts
bad=""
plat_start -f drop-resp=1 -f drop-dresp=1 || bad=start
cmd "sensor_read 0" && bad="$bad drop-ok"
cmd "sensor_read 0 async" && bad="$bad dropd-ok"
cmd "sensor_read 0" || bad="$bad $CMD_OUT"
[ "$(ctr timeouts)" = 2 ] || bad="$bad tmo=$(ctr timeouts)"
scenario_end "dropped response and delayed response time out" "${bad:-0}"

# --- corrupt header and length
bad=""
plat_start -f corrupt-hdr=2 -f corrupt-len=2 || bad=start
for i in 1 2 3 4; do cmd "sensor_read 0" && bad="$bad corrupt-ok"; done
cmd "sensor_read 0" || bad="$bad $CMD_OUT"
[ "$(ctr malformed)" = 4 ] || bad="$bad malformed=$(ctr malformed)"
scenario_end "corrupt headers and lengths counted as malformed" "${bad:-0}"

# --- everything at once, random latency, many commands
bad=""
plat_start -l 0-5 -f dup=2 -f dresp-first=2 -f ghost=2 -f unexpected-dresp=2 \
	-f late=1 -f late-dresp=1 -f corrupt-hdr=1 -f drop-resp=1 || bad=start
for i in $(seq 8); do
	cmd "sensor_read 0 async"
	cmd "sensor_read 1"
done
plat_wait_idle
[ "$(plat_stat faults_pending)" = 0 ] || bad="$bad pending=$(plat_stat faults_pending)"
scenario_end "mixed faults: counters match the emulator exactly" "${bad:-0}"

tap_check "module unloads" rmmod socbpf_scmi
tap_done
