#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The user's flow through the WWAN QMI control port: Debian's unmodified
# qmicli (libqmi 1.32) on /dev/wwan0qmi0, whose far side is bam-modem's QMI
# engine on /dev/bam-dmux-ctl.  DMS identity; WDS start network, current
# settings, whose addresses are configured on wwan0 and pinged end to end
# (the emulator forwards channel 0 only during the session, and its network
# side holds exactly the gateway address it announced); the session's errors
# (out of call, no effect, IPv6 refused, invalid handle); stop and release;
# malformed QMUX frames from the modem dropped by the driver, counted by
# reason, never reaching an open port; unload with the port held open.
. "$(dirname "$0")/bam_lib.sh"
trap bam_cleanup EXIT

tap_plan 26

Q=/dev/wwan0qmi0
qmi() { timeout 30 qmicli -d "$Q" "$@" 2>&1; }
cst() { awk -v k="$1" '$1 == k { print $2 }' "$D/ctrl"; }

load_tun || tap_diag "cannot load tun"
tap_check "module loads (with wwan.ko)" bam_load || tap_done
tap_check "$Q is a WWAN QMI port (class wwan, type QMI)" \
	test -c "$Q" -a "$(cat /sys/class/wwan/wwan0qmi0/type 2>/dev/null)" = QMI
tap_check "the port shares its WWAN device with the netdevs' parent" \
	test "$(readlink -f /sys/class/wwan/wwan0/device)" = "$(readlink -f $PDEV)"

if modem_start -c 0 --qmi-net; then tap_ok "modem with QMI and --qmi-net comes up"; else
	tap_fail "modem with QMI and --qmi-net comes up"; tap_done; fi

# --- DMS identity
out=$(qmi --dms-get-ids)
tap_check "--dms-get-ids: IMEI 356938035643809" grep -q "IMEI: '356938035643809'" <<< "$out" ||
	tap_diag "$out"
out=$(qmi --dms-get-manufacturer; qmi --dms-get-model; qmi --dms-get-revision)
case "$out" in *"Manufacturer: 'socbpf'"*"Model: 'bam-modem'"*"Revision: 'BAM-MODEM-1.0'"*) r=0 ;; *) r=1 ;; esac
tap_check "--dms-get-manufacturer/model/revision: socbpf, bam-modem, BAM-MODEM-1.0" test $r = 0 ||
	tap_diag "$out"

# --- before the session
out=$(qmi --wds-get-packet-service-status)
tap_check "packet service status: disconnected" grep -q "Connection status: 'disconnected'" <<< "$out"
out=$(qmi --wds-get-current-settings)
tap_check "current settings out of call: OutOfCall error" grep -qi "OutOfCall" <<< "$out" || tap_diag "$out"
out=$(qmi --wds-start-network="apn=internet,ip-type=6")
tap_check "IPv6-only start refused (CallFailed)" grep -qi CallFailed <<< "$out" || tap_diag "$out"
tap_check "the emulator's network side has no address before the session" \
	test -z "$(ip -n "$NS" -4 -o addr show dev bmtun0)"

# --- start the session, read the settings, configure, ping
out=$(qmi --wds-start-network="apn=internet,ip-type=4" --client-no-release-cid)
handle=$(sed -n "s/.*Packet data handle: '\([0-9]*\)'.*/\1/p" <<< "$out")
cid=$(sed -n "s/.*CID: '\([0-9]*\)'.*/\1/p" <<< "$out")
tap_check "--wds-start-network: handle $handle, CID $cid kept" test -n "$handle" -a -n "$cid" ||
	tap_diag "$out"
out=$(qmi --wds-get-current-settings)
echo "$out" | sed 's/^/# /'
ipv4=$(sed -n 's/.*IPv4 address: \([0-9.]*\).*/\1/p' <<< "$out")
mask=$(sed -n 's/.*IPv4 subnet mask: \([0-9.]*\).*/\1/p' <<< "$out")
gw=$(sed -n 's/.*IPv4 gateway address: \([0-9.]*\).*/\1/p' <<< "$out")
mtu=$(sed -n 's/.*MTU: \([0-9]*\).*/\1/p' <<< "$out")
prefix=$(python3 -c 'import ipaddress,sys; print(ipaddress.IPv4Network("0.0.0.0/" + sys.argv[1]).prefixlen)' "$mask" 2>/dev/null)
tap_check "--wds-get-current-settings: address, mask, gateway, MTU" \
	test -n "$ipv4" -a -n "$prefix" -a -n "$gw" -a -n "$mtu"
tap_check "the emulator routes what it announced: $gw/$prefix on its TUN" \
	grep -q "inet $gw/$prefix " <<< "$(ip -n "$NS" -4 -o addr show dev bmtun0)"
modem_sync
tap_check "modem saw APN 'internet', session up" \
	test "$(mst qmi_apn)" = internet -a "$(mst qmi_connected)" = 1
ip addr flush dev wwan0
ip addr add "$ipv4/$prefix" dev wwan0 && ip link set wwan0 mtu "$mtu" up
tap_check "ip addr add $ipv4/$prefix + ip link set wwan0 up, ping $gw" $PING -c 3 -W 5 "$gw"
out=$(qmi --wds-start-network="apn=internet,ip-type=4")
tap_check "a second start while connected: NoEffect" grep -qi NoEffect <<< "$out" || tap_diag "$out"

# --- malformed QMUX from the modem: dropped, counted, never delivered
exec 3<> "$Q"		# an open port: valid frames would reach this reader
for k in marker qmux_len qmi_len tlv short; do modem_ctl "qmi-bad $k 3"; done
modem_sync
ok=1
for k in short marker qmux_len qmi_len tlv; do
	[ "$(cst drop_$k)" = "$(mst expect_qmux_$k)" ] && [ "$(cst drop_$k)" = 3 ] || {
		ok=0; tap_diag "$k: driver $(cst drop_$k), modem sent $(mst expect_qmux_$k)"; }
done
tap_check "15 malformed frames (5 kinds x 3) counted exactly by reason" test $ok = 1
timeout 1 head -c 1 <&3 > /dev/null; r=$?
tap_check "none reached the open port (read times out)" test $r = 124
exec 3<&-
out=$(qmi --dms-get-manufacturer)
tap_check "the port still answers afterwards" grep -q "Manufacturer: 'socbpf'" <<< "$out"

# --- stop, then release ends a session
out=$(qmi --wds-stop-network=1 --client-cid="$cid" --client-no-release-cid)
tap_check "stop with a wrong handle: InvalidHandle" grep -qi InvalidHandle <<< "$out" || tap_diag "$out"
out=$(qmi --wds-stop-network="$handle" --client-cid="$cid")
tap_check "--wds-stop-network $handle: session down" grep -q "Network stopped" <<< "$out" ||
	tap_diag "$out"
tap_check "no data without a session (ping fails), gateway address gone" \
	bash -c "! $PING -c 1 -W 2 $gw > /dev/null && test -z \"\$(ip -n $NS -4 -o addr show dev bmtun0)\""
qmi --wds-start-network="apn=internet,ip-type=4" > /dev/null
out=$(qmi --wds-get-packet-service-status)
tap_check "a session whose client qmicli released at exit ends with it" \
	grep -q "Connection status: 'disconnected'" <<< "$out"
tap_check "no host frame refused or left unread" \
	test "$(cst tx_full)" = 0 -a "$(cst tx_nomodem)" = 0 -a "$(cst txq)" = 0

# --- unload with the port held open and a reader blocked in it
qmi --wds-start-network="apn=internet,ip-type=4" --client-no-release-cid > /dev/null
$PING -i 0.05 -W 1 "$gw" > /dev/null 2>&1 & pinger=$!
cat "$Q" > /dev/null 2>&1 & reader=$!
sleep 0.5
modem_stop
unloaded() { rmmod socbpf_bam_dmux 2>/dev/null; [ ! -d /sys/module/socbpf_bam_dmux ]; }
tap_check "rmmod under ping with $Q held open by a blocked reader" wait_for 10 unloaded
wait_for 5 bash -c "! kill -0 $reader 2>/dev/null"; r=$?
tap_check "the reader sees the port unplugged and exits" test $r = 0
kill $pinger $reader 2>/dev/null; wait $pinger $reader 2>/dev/null
tap_check "$Q gone" test ! -e "$Q"

tap_done
