#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# socbpf_qrtr: AF_QIPCRTR sockets, endpoint API, name service, qrtr-tun,
# endpoint id exhaustion/reclaim, leaks over many tun cycles, tracepoints,
# module unload with sockets open and traffic in flight.
# Runs in the guest with cwd = repo top (scripts/vm-run).
. "$(dirname "$0")/../../lib/tap.sh"

KO=kernel/qrtr/socbpf_qrtr.ko
BIN=build/selftests/bin/qrtr-sockcheck
DBG=/sys/kernel/debug/socbpf_qrtr
TR=/sys/kernel/tracing

tap_plan 17

if [ ! -e "$KO" ] || [ ! -x "$BIN" ]; then
	echo "Bail out! build $KO and $BIN first (make modules tools)"
	exit 1
fi
if grep -q '^qrtr ' /proc/modules; then
	rmmod qrtr 2>/dev/null || { echo "Bail out! stock qrtr.ko is loaded"; exit 1; }
fi

stat_of() { sed -n "s/^$1=//p" $DBG/stats; }
unload() {
	local i
	for i in 1 2 3 4 5 6 7 8 9 10; do
		rmmod socbpf_qrtr 2>/dev/null && return 0
		sleep 0.3
	done
	return 1
}

tap_check "insmod socbpf_qrtr" insmod $KO
tap_check "/dev/qrtr-tun and debugfs files exist" \
	test -c /dev/qrtr-tun -a -r $DBG/endpoints -a -r $DBG/stats -a -r $DBG/servers
tap_check "local datagram round trip" $BIN roundtrip
tap_check "bind, autobind, getsockname, connect" $BIN bind
tap_check "poll and TIOCINQ/TIOCOUTQ/SIOCGIFADDR" $BIN poll
tap_check "endpoint socket options and cmsg errors" $BIN sockopt

# tracepoints on for the multi-endpoint scenario
echo > $TR/trace
echo 1 > $TR/events/qrtr/enable
tap_check "two devices as node 7: routing, lookup, filters, flow control, teardown" \
	$BIN endpoints
echo 0 > $TR/events/qrtr/enable
trace_has() {
	local ev
	for ev in "$@"; do
		grep -q " $ev:" $TR/trace || { echo "no $ev in trace"; return 1; }
	done
}
tap_check "tracepoints fired" trace_has qrtr_endpoint_add qrtr_endpoint_remove \
	qrtr_endpoint_id_assign qrtr_pkt_rx qrtr_pkt_tx qrtr_pkt_drop \
	qrtr_ns_message qrtr_ns_server_add qrtr_ns_service_announce_new \
	qrtr_ns_service_announce_del
fmt_ok() {
	local f=$TR/events/qrtr/qrtr_ns_server_add/format fld
	for fld in "unsigned int service" "unsigned int instance" \
		   "unsigned int node" "unsigned int port"; do
		grep -q "field:$fld;" $f || { echo "missing $fld"; cat $f; return 1; }
	done
	grep -q 'field:__data_loc char\[\] ctrl_pkt_str;' \
		$TR/events/qrtr/qrtr_ns_message/format || return 1
	grep -q 'field:u32 endpoint_id;' $TR/events/qrtr/qrtr_pkt_drop/format
}
tap_check "tracepoint fields match upstream" fmt_ok

if command -v qrtr-lookup >/dev/null; then
	lookup_ok() {
		local out
		rm -f /tmp/qrtr-hold.out
		$BIN hold 60 > /tmp/qrtr-hold.out &
		local pid=$!
		for _ in $(seq 50); do grep -q ready /tmp/qrtr-hold.out && break; sleep 0.1; done
		for _ in $(seq 50); do [ "$(stat_of ns_servers)" = 1 ] && break; sleep 0.1; done
		out=$(timeout 5 qrtr-lookup 2>&1)
		kill $pid 2>/dev/null; wait $pid 2>/dev/null
		echo "$out"
		echo "$out" | grep -Eq '^ *15 +[0-9]+ +[0-9]+ +7 +1( |$)'
	}
	tap_check "Debian qrtr-lookup lists a device's server" lookup_ok
else
	tap_skip "qrtr-lookup not installed"
fi

tap_check "state empty after the scenarios" \
	test "$(stat_of endpoint_ids)$(stat_of links)$(stat_of nodes)$(stat_of sockets)$(stat_of ns_servers)$(stat_of ns_lookups)" = 000000

cycles_ok() {
	$BIN cycles 300 || return 1
	[ -z "$(cat $DBG/endpoints)" ] || { cat $DBG/endpoints; return 1; }
	[ "$(stat_of sockets)" = 0 ] || return 1
	unload || { echo "rmmod failed after cycles"; return 1; }
	insmod $KO
}
tap_check "300 open/close cycles of /dev/qrtr-tun leak nothing, rmmod works" cycles_ok

exhaust_ok() {
	unload && insmod $KO max_endpoint_id=4 || return 1
	$BIN exhaust 4
	local rc=$?
	unload && insmod $KO || return 1
	return $rc
}
tap_check "endpoint ids exhaust with ENOSPC at max_endpoint_id=4 and are reclaimed" exhaust_ok

busy_ok() {
	rm -f /tmp/qrtr-hold.out
	$BIN hold 60 > /tmp/qrtr-hold.out &
	local pid=$! rc=0
	for _ in $(seq 50); do grep -q ready /tmp/qrtr-hold.out && break; sleep 0.1; done
	if rmmod socbpf_qrtr 2>/dev/null; then echo "rmmod succeeded with sockets open"; rc=1; fi
	kill $pid; wait $pid || rc=1
	unload || { echo "rmmod failed after close"; rc=1; }
	insmod $KO || rc=1
	return $rc
}
tap_check "rmmod refused while sockets and a tun are open, works after" busy_ok

traffic_ok() {
	rm -f /tmp/qrtr-hold.out
	$BIN traffic 60 > /tmp/qrtr-hold.out &
	local pid=$! rc=0 i
	for _ in $(seq 50); do grep -q ready /tmp/qrtr-hold.out && break; sleep 0.1; done
	for i in 1 2 3 4 5; do
		if rmmod socbpf_qrtr 2>/dev/null; then
			echo "rmmod succeeded under traffic"; cat /tmp/qrtr-hold.out
			rc=1; break
		fi
		sleep 0.2
	done
	kill $pid; wait $pid || rc=1
	unload || { echo "rmmod failed after traffic"; rc=1; }
	return $rc
}
tap_check "module unload with traffic in flight" traffic_ok

# a closed socket drops its module reference after an RCU grace period, so
# rmmod right after the last close may see it: unload() retries (3 s at most)
reload_ok() { insmod $KO && $BIN roundtrip && unload; }
tap_check "reload and unload once more" reload_ok
tap_check "no socbpf_qrtr warnings in dmesg" \
	sh -c "! dmesg | grep -E 'socbpf_qrtr.*(WARNING|BUG)|Call Trace'"

grep -q '^socbpf_qrtr ' /proc/modules && rmmod socbpf_qrtr
tap_done
