#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# socbpf_bam_dmux basics: the modem powers up and OPENs channels 0 and 1,
# which become Raw-IP netdevs (dev_port = channel, devtype wwan); ping over
# IPv4 and IPv6 through wwan0 and through both channels at once; iperf3 TCP
# and UDP short runs; the tracepoints; autosuspend after 1000 ms idle.
. "$(dirname "$0")/bam_lib.sh"
trap bam_cleanup EXIT

tap_plan 21

load_tun || tap_diag "cannot load tun"
tap_check "module loads" bam_load || tap_done
tap_check "/dev/bam-dmux-modem exists" test -c /dev/bam-dmux-modem
tap_check "autosuspend delay is 1000 ms (as upstream)" \
	test "$(cat $PDEV/power/autosuspend_delay_ms)" = 1000

if modem_start -c 0,1; then tap_ok "modem powers up, opens channels 0 and 1"; else
	tap_fail "modem powers up, opens channels 0 and 1"; tap_done; fi
out=$(timeout 5 "$MODEM" -n "$NS" -t other 2>&1)
case "$out" in *"another modem"*) tap_ok "second modem: clear EBUSY message" ;;
*) tap_fail "second modem: clear EBUSY message"; tap_diag "$out" ;; esac

net_up 0 && net_up 1
w0=$(wwan_of 0); w1=$(wwan_of 1)
tap_check "channel 0 -> $w0, channel 1 -> $w1, both Raw-IP (type 519)" \
	test -n "$w0" -a -n "$w1" -a "$(cat /sys/class/net/$w0/type)" = 519 \
	-a "$(cat /sys/class/net/$w1/type)" = 519
tap_check "devtype wwan" grep -qx DEVTYPE=wwan "/sys/class/net/$w0/uevent"
tap_check "driver sees channels 0x03 open" test "$(st channels)" = 0x03

tap_check "ping IPv4 through $w0" $PING -c 3 -W 5 10.64.0.1
tap_check "ping IPv6 through $w0" $PING -6 -c 3 -W 5 fd00:64:0::1

rx0=$(nstat "$w0" rx_packets)
$PING -c 5 -i 0.2 -W 5 10.64.0.1 > "$TMP/p0" 2>&1 & p0=$!
$PING -6 -c 5 -i 0.2 -W 5 fd00:64:1::1 > "$TMP/p1" 2>&1 & p1=$!
wait $p0; r0=$?; wait $p1; r1=$?
tap_check "two channels at once: IPv4 on $w0 and IPv6 on $w1 (5/5 each)" \
	test $r0 = 0 -a $r1 = 0 -a "$(grep -c 'bytes from' "$TMP/p0")" = 5 \
	-a "$(grep -c 'bytes from' "$TMP/p1")" = 5
tap_check "$w0 counted its 5 replies" test $(( $(nstat "$w0" rx_packets) - rx0 )) -ge 5

# tracepoints: a ping shows as tx and rx DATA on channel 0
T=/sys/kernel/tracing
echo > $T/trace
echo 1 > $T/events/socbpf_bam_dmux/enable
$PING -c 1 -W 5 10.64.0.1 > /dev/null
echo 0 > $T/events/socbpf_bam_dmux/enable
tap_check "tracepoints: bam_dmux_tx and bam_dmux_rx of the ping (ch=0 cmd=DATA len=84)" \
	bash -c "grep -q 'bam_dmux_tx: ch=0 cmd=DATA len=84' $T/trace && grep -q 'bam_dmux_rx: ch=0 cmd=DATA len=84' $T/trace"

# iperf3 through wwan0, server in the modem's namespace
ip netns exec "$NS" iperf3 -s -D -I "$TMP/iperf.pid" > /dev/null 2>&1
sleep 0.5
timeout 30 iperf3 -c 10.64.0.1 -t 3 -J > "$TMP/tcp.json" 2>&1
tcp=$(python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); print(int(j["end"]["sum_received"]["bytes"]))' "$TMP/tcp.json" 2>/dev/null)
tap_check "iperf3 TCP 3 s through $w0 (${tcp:-?} bytes received)" test "${tcp:-0}" -gt 100000
timeout 30 iperf3 -c 10.64.0.1 -u -b 5M -t 3 -J > "$TMP/udp.json" 2>&1
udp=$(python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); s=j["end"]["sum"]; print(s["packets"]-s["lost_packets"], s["packets"])' "$TMP/udp.json" 2>/dev/null)
tap_check "iperf3 UDP 5 Mbit/s 3 s through $w0 (received/sent: ${udp:-?})" \
	test -n "$udp" -a "${udp%% *}" -gt 0
timeout 30 iperf3 -6 -c fd00:64:1::1 -t 2 -J > "$TMP/tcp6.json" 2>&1
tcp6=$(python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); print(int(j["end"]["sum_received"]["bytes"]))' "$TMP/tcp6.json" 2>/dev/null)
tap_check "iperf3 TCP over IPv6 through $w1 (${tcp6:-?} bytes)" test "${tcp6:-0}" -gt 100000
# both channels at once: TCP on channel 0, UDP on channel 1, second server
ip netns exec "$NS" iperf3 -s -p 5202 -D -I "$TMP/iperf2.pid" > /dev/null 2>&1
sleep 0.5
timeout 30 iperf3 -c 10.64.0.1 -t 3 -J > "$TMP/both0.json" 2>&1 & b0=$!
timeout 30 iperf3 -c 10.64.1.1 -p 5202 -u -b 5M -t 3 -J > "$TMP/both1.json" 2>&1 & b1=$!
wait $b0; wait $b1
both=$(python3 -c 'import json,sys; a=json.load(open(sys.argv[1])); b=json.load(open(sys.argv[2])); print(int(a["end"]["sum_received"]["bytes"]), b["end"]["sum"]["packets"] - b["end"]["sum"]["lost_packets"])' "$TMP/both0.json" "$TMP/both1.json" 2>/dev/null)
tap_check "iperf3 on two channels at once: TCP on $w0 and UDP on $w1 (bytes, datagrams: ${both:-?})" \
	test -n "$both" -a "${both%% *}" -gt 100000 -a "${both##* }" -gt 0
kill "$(cat "$TMP/iperf.pid")" "$(cat "$TMP/iperf2.pid")" 2>/dev/null

tap_check "no drops in the driver beyond 'closed' (frames before a link was up)" \
	bash -c "! grep -E '^drop_' $D/stats | grep -v '^drop_closed' | grep -qv ' 0$'"

# autosuspend: 1000 ms after the last frame the vote is withdrawn
v0=$(st votes_off)
$PING -i 0.1 -W 5 10.64.0.1 > /dev/null 2>&1 & pp=$!
active() { [ "$(st runtime_suspended)" = 0 ]; }
tap_check "active while traffic flows" wait_for 5 active
kill $pp; wait $pp 2>/dev/null
tap_check "suspended (vote withdrawn) after idle" wait_for 4 suspended
tap_check "... and the modem saw the vote go and acked it" \
	test "$(st votes_off)" -gt "$v0" -a "$(st ack_timeouts)" = 0

tap_done
