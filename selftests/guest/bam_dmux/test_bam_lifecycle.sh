#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Life cycle under traffic: the modem CLOSEs a channel under iperf3 and
# reopens it; the modem is killed under iperf3 and restarted; the module is
# unloaded while traffic is still sent into wwan0; repeated load/unload.
. "$(dirname "$0")/bam_lib.sh"
trap 'kill $IPERF_SRV $LOAD 2>/dev/null; bam_cleanup' EXIT

tap_plan 12
IPERF_SRV=
LOAD=

load_tun || tap_diag "cannot load tun"
bam_load || { tap_fail "module loads"; tap_done; }
modem_start -c 0 || { tap_fail "modem starts"; tap_done; }
net_up 0
W=$(wwan_of 0)
ip netns exec "$NS" iperf3 -s > /dev/null 2>&1 & IPERF_SRV=$!
sleep 0.5

# --- CLOSE under traffic, then OPEN again
timeout 20 iperf3 -c 10.64.0.1 -u -b 5M -t 4 > "$TMP/close.iperf" 2>&1 & LOAD=$!
sleep 1.5
modem_ctl "close 0"
no_carrier() { ip link show "$W" | grep -q NO-CARRIER; }
tap_check "CLOSE under iperf3: $W loses carrier" wait_for 5 no_carrier
tap_check "... channel closed in the driver" test "$(st channels)" = 0x00
wait $LOAD; LOAD=
modem_ctl "open 0"
has_carrier() { ! no_carrier; }
tap_check "OPEN again: carrier back, the same $W" wait_for 5 has_carrier
tap_check "... ping works" $PING -c 3 -W 5 10.64.0.1

# --- the modem killed under iperf3
timeout 30 iperf3 -c 10.64.0.1 -t 6 > "$TMP/kill.iperf" 2>&1 & LOAD=$!
sleep 2
r0=$(st modem_resets)
modem_kill
tap_check "modem killed under iperf3: reset seen, channels closed" \
	test "$(st modem_resets)" = $((r0 + 1)) -a "$(st channels)" = 0x00
wait $LOAD; LOAD=
tap_check "... rx side powered down (rx_on 0)" test "$(st rx_on)" = 0
modem_start -c 0 || tap_diag "modem restart failed"
net_up 0
tap_check "restarted modem: ping through $W again" $PING -c 3 -W 5 10.64.0.1

# --- unload while traffic is still being sent into wwan0
kill $IPERF_SRV 2>/dev/null; wait $IPERF_SRV 2>/dev/null; IPERF_SRV=
$PING -i 0.01 -W 1 10.64.0.1 > /dev/null 2>&1 & LOAD=$!
sleep 1
modem_kill
unloaded() { rmmod socbpf_bam_dmux 2>/dev/null; [ ! -d /sys/module/socbpf_bam_dmux ]; }
tap_check "rmmod while ping -i 0.01 keeps sending into $W" wait_for 10 unloaded
kill $LOAD 2>/dev/null; wait $LOAD 2>/dev/null; LOAD=
tap_check "... netdevs and device node gone" \
	test ! -e /sys/class/net/"$W" -a ! -e /dev/bam-dmux-modem

# --- repeated load/unload with a modem and a ping each time
ok=0
for i in 1 2 3 4 5; do
	bam_load || break
	modem_start -c 0,1 || break
	net_up 0 || break
	$PING -c 1 -W 5 10.64.0.1 > /dev/null || break
	modem_stop
	rmmod socbpf_bam_dmux || break
	ok=$((ok + 1))
done
tap_check "5 load / modem / ping / unload cycles ($ok done)" test $ok = 5
tap_check "module unloaded at the end" test ! -d /sys/module/socbpf_bam_dmux
w=$(ls -d /sys/class/net/wwan* 2>/dev/null | wc -l)
tap_check "no wwan netdev left behind" test "$w" = 0

tap_done
