#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# socbpf_scmi basics: platform up and discovery, sync/async sensor and clock
# commands, hwmon and lm-sensors, clocks in debugfs, argument errors, the
# upstream-compatible tracepoints.
. "$(dirname "$0")/scmi_lib.sh"
trap scmi_cleanup EXIT

tap_plan 23

tap_check "module loads" scmi_load timeout_ms=1000 || { tap_done; }
tap_check "/dev/scmi-platform exists" test -c /dev/scmi-platform
cmd "sensor_read 0"
tap_check "no platform: -ENOTCONN" test "$CMD_OUT" = "err=-107"

# not through tap_check: plat_start must run in this shell (PLAT_PID)
if plat_start; then tap_ok "platform comes up, discovery completes"; else
	tap_fail "platform comes up, discovery completes"; fi
tap_check "base discovery: vendor, sub-vendor, protocols" \
	grep -qzE 'vendor socbpf.*sub_vendor emulator.*protocols 0x14 0x15' "$D/info"
out=$(timeout 5 "$PLAT" 2>&1)
case "$out" in *busy*) tap_ok "second platform open: clear EBUSY message" ;;
*) tap_fail "second platform open: clear EBUSY message"; tap_diag "$out" ;; esac

cmd "sensor_read 0"
tap_check "sync sensor read" test "$CMD_OUT" = "ok value=45000"
cmd "sensor_read 1 async"
tap_check "async sensor read (delayed response)" test "$CMD_OUT" = "ok value=52500"
cmd "clock_set 0 800000000"
tap_check "sync clock rate set" test "$CMD_OUT" = "ok rate=800000000"
cmd "clock_set 1 300000000 async"
tap_check "async clock rate set" test "$CMD_OUT" = "ok rate=300000000"
cmd "clock_get 1"
tap_check "clock rate get" test "$CMD_OUT" = "ok rate=300000000"
tap_check "clock debugfs: rate, rates, name" \
	bash -c "[ \$(cat $D/clocks/0/rate) = 800000000 ] && grep -q 1800000000 $D/clocks/0/rates && grep -q gpu_clk $D/clocks/1/name"
cmd "clock_set 0 123"
tap_check "invalid rate: platform error mapped to -ERANGE" test "$CMD_OUT" = "err=-34"
cmd "raw 0x99 0x0"
tap_check "unknown protocol: -EOPNOTSUPP" test "$CMD_OUT" = "err=-95"
cmd "raw 0x10 0x5"
tap_check "raw command returns payload" test "$CMD_OUT" = "ok status=0 len=4 payload=00000100"
! cmd "bogus 1" && ! cmd "sensor_read x" && ! cmd "clock_set 0"
tap_check "bad debugfs commands: -EINVAL" test "$CMD_OUT" = "err=-22"

hw=$(grep -l scmi_sensors /sys/class/hwmon/hwmon*/name | head -1)
hw=${hw%/name}
tap_check "hwmon device scmi_sensors with temp/in/power" \
	bash -c "[ \$(cat $hw/temp1_input) = 45000 ] && [ \$(cat $hw/in0_input) = 900 ] && [ \$(cat $hw/power1_input) = 2500000 ] && [ \$(cat $hw/temp2_label) = cpu_temp ]"
out=$(sensors 2>&1)
if printf '%s' "$out" | grep -q 'scmi_sensors' &&
   printf '%s' "$out" | grep -qE 'soc_temp: +\+45\.0' &&
   printf '%s' "$out" | grep -qE 'cpu_temp: +\+52\.5' &&
   printf '%s' "$out" | grep -qE 'vdd_core: +900\.00 mV'; then
	tap_ok "lm-sensors shows the emulated sensors"
else
	tap_fail "lm-sensors shows the emulated sensors"
fi
printf '%s\n' "$out" | sed 's/^/# /'

# Tracepoints: same fields, same order as upstream include/trace/events/scmi.h
E=/sys/kernel/tracing/events/scmi
fields() { sed -n 's/^\s*field:\([^;]*\);.*/\1/p' "$E/$1/format" | grep -v common_ | sed 's/.* \**//' | tr '\n' ' '; }
# 6.17 appended "inflight" to scmi_xfer_begin/end; built for 6.17+, so do we
infl=
rel=$(uname -r)
min=${rel#*.}
min=${min%%[.+-]*}
[ "${rel%%.*}" -gt 6 ] || { [ "${rel%%.*}" -eq 6 ] && [ "$min" -ge 17 ]; } && infl="inflight "
ok=1
[ "$(fields scmi_xfer_begin)" = "transfer_id msg_id protocol_id seq poll $infl" ] || ok=0
[ "$(fields scmi_xfer_response_wait)" = "transfer_id msg_id protocol_id seq timeout poll " ] || ok=0
[ "$(fields scmi_xfer_end)" = "transfer_id msg_id protocol_id seq status $infl" ] || ok=0
[ "$(fields scmi_rx_done)" = "transfer_id msg_id protocol_id seq msg_type " ] || ok=0
[ "$(fields scmi_fc_call)" = "protocol_id msg_id res_id val1 val2 " ] || ok=0
case "$(fields scmi_msg_dump)" in "id channel_id protocol_id msg_id tag[6] seq status len "*) ;; *) ok=0 ;; esac
if [ $ok = 1 ]; then tap_ok "tracepoint fields match upstream"; else
	tap_fail "tracepoint fields match upstream"
	for e in scmi_xfer_begin scmi_xfer_response_wait scmi_xfer_end scmi_rx_done scmi_msg_dump; do tap_diag "$e: $(fields $e)"; done
fi
echo > /sys/kernel/tracing/trace
echo 1 > $E/enable
cmd "sensor_read 0 async"
echo 0 > $E/enable
T=$(cat /sys/kernel/tracing/trace)
ok=1
for e in scmi_xfer_begin scmi_xfer_response_wait scmi_rx_done scmi_xfer_end scmi_msg_dump scmi_xfer_async_end; do
	printf '%s' "$T" | grep -q "$e:" || { ok=0; tap_diag "missing $e"; }
done
printf '%s' "$T" | grep -q 'scmi_rx_done:.*msg_type=2' || { ok=0; tap_diag "no delayed rx_done"; }
if [ $ok = 1 ]; then tap_ok "tracepoints fire for an async transfer"; else
	tap_fail "tracepoints fire for an async transfer"; printf '%s\n' "$T" | tail -20 | sed 's/^/# /'
fi

# As upstream, a reply is traced (scmi_rx_done) before its waiter is woken,
# so no transfer is ever seen ending before its response arrived.
TR=/sys/kernel/tracing
echo global > $TR/trace_clock
echo > $TR/trace
echo 1 > $E/scmi_rx_done/enable
echo 1 > $E/scmi_xfer_end/enable
# Make the race certain if the order were wrong: full preemption, and the
# platform and a real-time requester share one CPU, so the requester
# preempts the platform the moment it is woken.
PM=/sys/kernel/debug/sched/preempt
pm_old=$(sed -n 's/.*(\([a-z]*\)).*/\1/p' $PM 2>/dev/null)
[ -n "$pm_old" ] && echo full > $PM
taskset -p -c 0 "$PLAT_PID" > /dev/null
taskset -c 0 chrt -f 50 bash -c "for i in 1 2 3 4 5 6 7 8; do echo 'sensor_read 0' > $D/cmd; done"
[ -n "$pm_old" ] && echo "$pm_old" > $PM
echo 0 > $E/enable
out=$(awk '/scmi_rx_done:/ { for (i = 1; i <= NF; i++) if ($i ~ /^seq=/) seen[$i] = 1 }
	/scmi_xfer_end:/ { n++; for (i = 1; i <= NF; i++) if ($i ~ /^seq=/ && !seen[$i]) bad++ }
	END { printf "%d %d", n, bad }' $TR/trace)
echo local > $TR/trace_clock
tap_check "every scmi_xfer_end follows its scmi_rx_done ($out: ends, out of order)" \
	test "${out%% *}" -ge 8 -a "${out##* }" = 0

plat_stop
tap_check "platform gone: hwmon device removed" \
	bash -c "! grep -qs scmi_sensors /sys/class/hwmon/hwmon*/name"
tap_check "module unloads" rmmod socbpf_scmi
tap_done
