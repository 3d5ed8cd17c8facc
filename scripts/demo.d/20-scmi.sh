# SPDX-License-Identifier: GPL-2.0
# Demo part (sourced by scripts/demo.sh in the guest): the SCMI agent with an
# emulated platform, its sensors in lm-sensors, and a timeout debugged with
# scmitrace.
SCMI_D=/sys/kernel/debug/socbpf_scmi

say "SCMI: load socbpf_scmi (timeout 500 ms) and start the platform emulator"
run insmod kernel/scmi/socbpf_scmi.ko timeout_ms=500
scmi-platform -l 1-3 -C /tmp/scmi.ctl -S /tmp/scmi.stats > /tmp/scmi-plat.out 2>&1 &
scmi_plat=$!
for i in $(seq 100); do grep -q '^ready 1' $SCMI_D/info 2>/dev/null && break; sleep 0.1; done
run cat $SCMI_D/info

say "SCMI: the platform's sensors through hwmon, as Debian's lm-sensors sees them"
run sensors

say "SCMI: clocks (debugfs), an asynchronous rate set with a delayed response"
run cat $SCMI_D/clocks/0/name $SCMI_D/clocks/0/rates $SCMI_D/clocks/0/rate
echo "clock_set 0 $(tail -n 1 $SCMI_D/clocks/0/rates) async" > $SCMI_D/cmd &&
	run cat $SCMI_D/cmd
run cat $SCMI_D/clocks/0/rate

say "SCMI: the platform starts losing answers; scmitrace shows what happens"
scmitrace -s > /tmp/scmitrace.out 2>&1 &
st=$!
for i in $(seq 600); do grep -q 'Tracing SCMI' /tmp/scmitrace.out && break; sleep 0.1; done
echo "fault drop-resp=1" > /tmp/scmi.ctl
echo "fault late=1" > /tmp/scmi.ctl
for i in $(seq 5); do
	echo "sensor_read 0" > $SCMI_D/cmd 2>/dev/null || echo "sensor_read 0: $(cat $SCMI_D/cmd)"
done
sleep 1
kill -INT $st
wait $st
run cat /tmp/scmitrace.out

say "SCMI: the module's counters agree"
run grep -E '^(sent_ok|response_ok|timeouts|late|ghosts) ' $SCMI_D/stats

kill $scmi_plat
wait $scmi_plat 2>/dev/null
run rmmod socbpf_scmi
