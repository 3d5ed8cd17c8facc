#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# QMAP over BAM-DMUX: upstream's rmnet (built unmodified from the pinned
# kernel's source, selftests/kmod/rmnet_upstream: Debian's 6.12 has no
# RMNET) muxes two links, mux ids 1 and 2, on wwan0; the modem demuxes them to
# one TUN each and aggregates downlink packets into as few transfers as the
# host's buffers hold.  Negotiated: the modem's OPEN announces dynamic MTU
# (16 KiB), the host offers 16 KiB receive buffers in its OPEN (downstream
# msm bam_dmux's signal bits), the modem switches them on with its DATA
# signal, aggregates into frames above 2 KiB, and both directions carry
# 7000-byte pings as the very first traffic.  Legacy: a modem that does not negotiate gets 2 KiB
# buffers and an MTU of 2040, and QMAP still works.  Per-mux counts are
# checked at the emulator for ping and concurrent iperf3 on both links;
# unload under traffic with rmnet on top.
. "$(dirname "$0")/bam_lib.sh"
RMNET_KO=build/kmod/rmnet_upstream/socbpf_upstream_rmnet.ko
cleanup() {
	ip link del rmnet_data1 2>/dev/null
	ip link del rmnet_data2 2>/dev/null
	[ -n "$IPERF_PIDS" ] && kill $IPERF_PIDS 2>/dev/null
	bam_cleanup
	rmmod socbpf_upstream_rmnet 2>/dev/null
}
trap cleanup EXIT

tap_plan 27
# The test module is built from linux-source-6.12 for a 6.12 kernel only
# (Makefile): on another lane's kernel there is none to load.
if [ ! -f "$RMNET_KO" ] ||
   [ "$(modinfo -F vermagic "$RMNET_KO" 2>/dev/null | cut -d' ' -f1)" != "$(uname -r)" ]; then
	for i in $(seq 27); do
		tap_skip "QMAP: no socbpf_upstream_rmnet.ko built for $(uname -r) (6.12 only)"
	done
	exit 0
fi

# qmap_up ARGS...: module, modem with QMAP on channel 0 (mux 1, 2), wwan0 up
# without IPv6 (its own packets would not be QMAP), two rmnet links
qmap_up() {
	bam_load || return 1
	# the modem's TUNs without IPv6: their router solicitations would be
	# downlink packets of the muxes, counted below
	ip netns add "$NS" 2>/dev/null
	ip netns exec "$NS" sysctl -qw net.ipv6.conf.default.disable_ipv6=1
	modem_start -c 0 --qmap 0:1,2 "$@" || return 1
	wait_for 10 test -e /sys/class/net/wwan0 || return 1
	sysctl -qw net.ipv6.conf.wwan0.disable_ipv6=1
	ip link set wwan0 up || return 1
	for m in 1 2; do
		ip link add link wwan0 name rmnet_data$m type rmnet mux_id $m || return 1
		sysctl -qw net.ipv6.conf.rmnet_data$m.disable_ipv6=1
		ip addr add 10.65.$m.2/24 dev rmnet_data$m
		ip link set rmnet_data$m up
		ip -n "$NS" addr add 10.65.$m.1/24 dev bmtun0m$m
	done
}

# per_mux_ping: 5 pings on mux 1, 3 on mux 2, counted exactly per mux
per_mux_ping() {
	local b1u b1d b2u b2d
	modem_sync
	b1u=$(mst qmap_m1_up_pkts); b1d=$(mst qmap_m1_down_pkts)
	b2u=$(mst qmap_m2_up_pkts); b2d=$(mst qmap_m2_down_pkts)
	$PING -c 5 -i 0.2 -W 5 10.65.1.1 > /dev/null || return 1
	$PING -c 3 -i 0.2 -W 5 10.65.2.1 > /dev/null || return 1
	modem_sync
	tap_diag "mux 1: $(( $(mst qmap_m1_up_pkts) - b1u )) up $(( $(mst qmap_m1_down_pkts) - b1d )) down," \
		"mux 2: $(( $(mst qmap_m2_up_pkts) - b2u )) up $(( $(mst qmap_m2_down_pkts) - b2d )) down"
	test $(( $(mst qmap_m1_up_pkts) - b1u )) = 5 -a $(( $(mst qmap_m1_down_pkts) - b1d )) = 5 \
		-a $(( $(mst qmap_m2_up_pkts) - b2u )) = 3 -a $(( $(mst qmap_m2_down_pkts) - b2d )) = 3
}

# iperf_both: TCP downlink on mux 1 and TCP uplink on mux 2 at once, each
# checked against the bytes the emulator forwarded for that mux
IPERF_PIDS=
iperf_both() {
	local d1 u2 m1 m2
	modem_sync
	m1=$(mst qmap_m1_down_bytes); m2=$(mst qmap_m2_up_bytes)
	ip netns exec "$NS" iperf3 -s -B 10.65.1.1 -p 5201 > /dev/null 2>&1 &
	IPERF_PIDS="$!"
	ip netns exec "$NS" iperf3 -s -B 10.65.2.1 -p 5202 > /dev/null 2>&1 &
	IPERF_PIDS="$IPERF_PIDS $!"
	listening() { ip netns exec "$NS" ss -Hltn | grep -q "10.65.$1.1:520$1 "; }
	wait_for 10 listening 1 && wait_for 10 listening 2 || tap_diag "iperf3 servers not listening"
	timeout 30 iperf3 -c 10.65.1.1 -p 5201 -R -t 3 -J > "$TMP/i1.json" 2>&1 &
	local c1=$!
	timeout 30 iperf3 -c 10.65.2.1 -p 5202 -t 3 -J > "$TMP/i2.json" 2>&1
	wait $c1
	kill $IPERF_PIDS 2>/dev/null; wait $IPERF_PIDS 2>/dev/null; IPERF_PIDS=
	d1=$(python3 -c 'import json,sys; print(int(json.load(open(sys.argv[1]))["end"]["sum_received"]["bytes"]))' "$TMP/i1.json" 2>/dev/null)
	u2=$(python3 -c 'import json,sys; print(int(json.load(open(sys.argv[1]))["end"]["sum_received"]["bytes"]))' "$TMP/i2.json" 2>/dev/null)
	modem_sync
	m1=$(( $(mst qmap_m1_down_bytes) - m1 )); m2=$(( $(mst qmap_m2_up_bytes) - m2 ))
	tap_diag "mux 1 downlink: iperf3 received ${d1:-?} B, emulator sent $m1 B;" \
		"mux 2 uplink: iperf3 received ${u2:-?} B, emulator got $m2 B"
	# the emulator's counts are IP bytes: payload plus headers, acks apart
	test "${d1:-0}" -gt 100000 -a "${u2:-0}" -gt 100000 -a "$m1" -ge "${d1:-0}" \
		-a "$m2" -ge "${u2:-0}"
}

load_tun || tap_diag "cannot load tun"
tap_check "upstream rmnet (test-only build) loads" insmod "$RMNET_KO" || tap_done

# ------------------------------------------------------------ negotiated
qmap_up --dyn-mtu 16384
tap_check "negotiated: modem's OPEN announced dynamic MTU, 16 KiB frames allowed" \
	test "$(st dyn_mtu)" = 1 -a "$(st ul_mtu)" = 16384
tap_check "wwan0 max MTU 16376 (16 KiB less the mux header)" \
	grep -q 'maxmtu 16376 ' <<< "$(ip -d link show wwan0)"
modem_sync
tap_check "our OPEN offered 16 KiB receive buffers (modem saw host_dl 16384)" \
	test "$(mst host_dl)" = 16384
tap_check "two rmnet links on wwan0 (mux 1, mux 2)" \
	test -e /sys/class/net/rmnet_data1 -a -e /sys/class/net/rmnet_data2
tap_check "our receive ring was queued again at 16 KiB before our OPEN" \
	test "$(st rx_buf_size)" = 16384
# first traffic of the session: large both ways at once
ip link set wwan0 mtu 9000 && ip link set rmnet_data1 mtu 8000
tap_check "wwan0 takes MTU 9000, rmnet_data1 8000" test "$(cat /sys/class/net/rmnet_data1/mtu)" = 8000
tap_check "7000-byte pings through mux 1, both directions, as the first traffic" \
	$PING -c 2 -s 7000 -W 5 10.65.1.1
modem_sync
tap_check "uplink frames above 2 KiB reached the modem, downlink ones the host" \
	test "$(mst qmap_big_up)" -gt 0 -a "$(mst qmap_big_frames)" -gt 0 -a "$(mst qmap_fallback)" = 0
tap_check "ping per mux: 5 on mux 1, 3 on mux 2, counted exactly at the emulator" per_mux_ping
tap_check "the modem's DATA signal kept our buffers at 16 KiB" test "$(st rx_buf_size)" = 16384
tap_check "concurrent iperf3: TCP down on mux 1, TCP up on mux 2, per-mux bytes" iperf_both
modem_sync
tap_diag "downlink: $(mst qmap_pkts_down) packets in $(mst qmap_frames_down) frames, up to $(mst qmap_agg_max) per frame, $(mst qmap_big_frames) frames over 2 KiB, $(mst qmap_fallback) fallbacks"
tap_check "downlink aggregated: several packets per frame" test "$(mst qmap_agg_max)" -gt 1
tap_check "frames larger than 2 KiB (impossible without negotiation)" test "$(mst qmap_big_frames)" -gt 0
tap_check "no malformed QMAP at the emulator" test "$(mst qmap_bad)" = 0
tap_check "no frame dropped by the driver" \
	test "$(st drop_too_long)" = 0 -a "$(st drop_length)" = 0 -a "$(st drop_tx_toobig)" = 0 -a "$(st drop_proto)" = 0

# unload under traffic, rmnet still on top
$PING -i 0.02 -W 1 10.65.1.1 > /dev/null 2>&1 & p1=$!
$PING -i 0.02 -W 1 10.65.2.1 > /dev/null 2>&1 & p2=$!
sleep 1
modem_stop
unloaded() { rmmod socbpf_bam_dmux 2>/dev/null; [ ! -d /sys/module/socbpf_bam_dmux ]; }
tap_check "rmmod under ping on both rmnet links" wait_for 10 unloaded
kill $p1 $p2 2>/dev/null; wait $p1 $p2 2>/dev/null
tap_check "rmnet links went with wwan0" test ! -e /sys/class/net/rmnet_data1 -a ! -e /sys/class/net/rmnet_data2
ip netns del "$NS"

# ------------------------------------------------------------ legacy
qmap_up
tap_check "legacy: no dynamic MTU, 2 KiB frames" \
	test "$(st dyn_mtu)" = 0 -a "$(st ul_mtu)" = 2048 -a "$(st rx_buf_size)" = 2048
tap_check "wwan0 max MTU 2040, MTU 9000 refused" \
	bash -c "ip -d link show wwan0 | grep -q 'maxmtu 2040 ' && ! ip link set wwan0 mtu 9000 2>/dev/null"
modem_sync
tap_check "our OPEN offered nothing (signal 0): modem keeps 2 KiB" test "$(mst host_dl)" = 2048
tap_check "legacy ping per mux: 5 on mux 1, 3 on mux 2, exact" per_mux_ping
tap_check "legacy concurrent iperf3 on both muxes, per-mux bytes" iperf_both
modem_sync
tap_diag "downlink: $(mst qmap_pkts_down) packets in $(mst qmap_frames_down) frames, up to $(mst qmap_agg_max) per frame"
tap_check "legacy: no frame above 2 KiB, none refused" \
	test "$(mst qmap_big_frames)" = 0 -a "$(mst qmap_fallback)" = 0 -a "$(mst rx_err)" = 0
tap_check "legacy: nothing dropped by the driver" \
	test "$(st drop_too_long)" = 0 -a "$(st drop_length)" = 0 -a "$(st drop_proto)" = 0
modem_stop
ip link del rmnet_data1; ip link del rmnet_data2
tap_check "unload after the legacy run" bash -c "rmmod socbpf_bam_dmux && rmmod socbpf_upstream_rmnet"
tap_check "no wwan or rmnet netdev left" \
	test -z "$(ls /sys/class/net | grep -E '^(wwan|rmnet)')"

tap_done
