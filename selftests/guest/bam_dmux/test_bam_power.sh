#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The power handshake: slow acks defer transmits until the modem acks; a
# modem that stops acking makes the power-up fail cleanly (frames dropped
# and counted as tx_power, no slot leaked) and the link recovers when acks
# resume; a modem that never acks makes 'ip link set up' fail, not hang.
. "$(dirname "$0")/bam_lib.sh"
trap bam_cleanup EXIT

tap_plan 12

load_tun || tap_diag "cannot load tun"
bam_load remote_timeout_ms=500 || { tap_fail "module loads"; tap_done; }
modem_start -c 0 || { tap_fail "modem starts"; tap_done; }
net_up 0
W=$(wwan_of 0)
tap_check "ping with prompt acks" $PING -c 2 -W 5 10.64.0.1

# slow acks: the transmit waits for the power-up
modem_ctl "ack-delay 300"
wait_for 5 suspended
d0=$(st tx_deferred)
t0=$(date +%s%N)
tap_check "ping with acks 300 ms late" $PING -c 1 -W 5 10.64.0.1
t1=$(date +%s%N)
tap_check "... the frame was deferred while powering up" test "$(st tx_deferred)" -gt "$d0"
tap_check "... and took the ack delay (>= 300 ms)" test $(( (t1 - t0) / 1000000 )) -ge 300
modem_ctl "ack-delay 0"

# acks stop: power-up fails, frames dropped and counted, nothing stuck
wait_for 5 suspended
modem_ctl "ack off"
f0=$(st resume_fail); p0=$(st drop_tx_power); txd0=$(nstat "$W" tx_dropped)
$PING -c 3 -i 0.3 -W 1 10.64.0.1 > "$TMP/noack" 2>&1
tap_check "no acks: ping gets no reply" test "$(grep -c 'bytes from' "$TMP/noack")" = 0
resume_failed() { [ "$(st resume_fail)" -gt "$f0" ]; }
tap_check "... the power-up failed (resume_fail, ack_timeouts counted)" \
	wait_for 5 resume_failed
# the last attempt may still be waiting out its ack timeout (slow on a
# debug kernel under TCG): both counts must agree once it has ended
drops_agree() {
	p1=$(st drop_tx_power) txd1=$(nstat "$W" tx_dropped)
	[ "$p1" -gt "$p0" ] && [ $((txd1 - txd0)) = $((p1 - p0)) ]
}
wait_for 20 drops_agree
tap_check "... deferred frames dropped as tx_power ($((p1 - p0))) and in $W tx_dropped ($((txd1 - txd0)))" \
	drops_agree

# acks resume: the next transmit powers up
modem_ctl "ack on"
tap_check "acks resume: ping works again" $PING -c 3 -W 5 10.64.0.1
tap_check "ring not leaked: 40 more pings, all answered" \
	$PING -c 40 -i 0.02 -W 5 -q 10.64.0.1
modem_stop

# a modem that never acks: bringing the link up fails with an error
ip link set "$W" down
modem_start -c 0 --no-ack || tap_diag "modem start failed"
wait_for 5 suspended
t0=$(date +%s%N)
out=$(ip link set "$W" up 2>&1); rc=$?
t1=$(date +%s%N)
tap_check "never acked: 'ip link set up' fails ($out)" test $rc != 0
tap_check "... after the ack timeouts, not a hang (< 5 s)" test $(( (t1 - t0) / 1000000 )) -lt 5000
modem_stop
tap_check "no transmit slot holds a power reference (runtime_usage 0)" \
	wait_for 5 pm_idle

tap_done
