#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# dmuxstat: per-channel and per-flow counts from BPF on the socbpf_bam_dmux
# tracepoints, checked against what iperf3, ping and the modem emulator
# report: UDP datagrams exactly, TCP bytes within [1.00, 1.10] of iperf3's
# UDP datagrams exactly (iperf3's count plus its one 4-byte "connect"
# datagram), TCP bytes between what the server received and 1.10 x what the
# client sent (the flow counts IP bytes: IP+TCP headers are ~3.5% at a 1448
# byte MSS, plus retransmissions; data still queued when iperf3 stops was
# sent by the client but may never cross), ICMP and injected drops exactly.
# Also the CLI: bad flags, module not loaded, text frames, Ctrl-C.
. "$(dirname "$0")/bam_lib.sh"
DS=build/bin/dmuxstat
trap 'kill $DSP 2>/dev/null; kill $IPERF_SRV 2>/dev/null; bam_cleanup' EXIT
DSP=
IPERF_SRV=

tap_plan 13

"$DS" --sort nope > /dev/null 2>&1
tap_check "bad --sort: exit 2" test $? = 2
out=$("$DS" -n 1 2>&1); rc=$?
tap_check "module not loaded: clear message, exit 1" \
	bash -c "[ $rc = 1 ] && grep -q 'module not loaded' <<<'$out'"

load_tun || tap_diag "cannot load tun"
bam_load || { tap_fail "module loads"; tap_done; }
modem_start -c 0,1 || { tap_fail "modem starts"; tap_done; }
net_up 0 && net_up 1
$PING -c 1 -W 5 10.64.0.1 > /dev/null; $PING -c 1 -W 5 10.64.1.1 > /dev/null
ip netns exec "$NS" iperf3 -s > /dev/null 2>&1 & IPERF_SRV=$!
sleep 0.5

"$DS" -j -d 600 -N 1000 > "$TMP/ds.json" 2> "$TMP/ds.err" & DSP=$!
attached() { grep -q Tracing "$TMP/ds.err"; }
tap_check "dmuxstat attaches" wait_for 20 attached

timeout 30 iperf3 -c 10.64.0.1 -u -b 2M -l 1000 -k 300 -J > "$TMP/udp.json" 2>&1
timeout 30 iperf3 -c 10.64.0.1 -t 2 -J > "$TMP/tcp.json" 2>&1
$PING -c 5 -i 0.2 -W 5 10.64.1.1 > /dev/null
modem_ctl "bad magic 3"
modem_ctl "bad proto 4 0"
modem_sync
sleep 0.5
kill -INT $DSP; wait $DSP; rc=$?; DSP=
tap_check "Ctrl-C: one frame printed, exit 0" test $rc = 0 -a "$(wc -l < "$TMP/ds.json")" = 1

# q EXPR: evaluate a Python expression over the frame (j), iperf3 (u, t)
q() {
	python3 - "$TMP/ds.json" "$TMP/udp.json" "$TMP/tcp.json" "$1" <<'PY'
import json, sys
j = json.loads(open(sys.argv[1]).read().splitlines()[-1])
u = json.load(open(sys.argv[2]))
t = json.load(open(sys.argv[3]))
def flows(**kw):
    return [f for f in j["flows"] if all(f[k] == v for k, v in kw.items())]
def chan(ch, d):
    return ([c for c in j["channels"] if c["ch"] == ch and c["dir"] == d] or
            [{"packets": 0, "bytes": 0, "drops": 0}])[0]
print(eval(sys.argv[4]))
PY
}
sent=$(q 'u["end"]["sum"]["packets"]')
got=$(q 'sum(f["packets"] + f["drops"] for f in flows(dir="tx", proto="udp", dport=5201))')
tap_check "UDP: iperf3 sent $sent datagrams (+1 connect), dmuxstat counted $got on the flow" \
	test "$sent" = 300 -a "$got" = 301
udpb=$(q 'sum(f["bytes"] for f in flows(dir="tx", proto="udp", dport=5201))')
tap_check "UDP bytes: 300 x (1000 + 28) + (4 + 28) = $udpb" test "$udpb" = 308432
tcp=$(q 'max(f["bytes"] for f in flows(dir="tx", proto="tcp", dport=5201))')
tsent=$(q 't["end"]["sum_sent"]["bytes"]')
trecv=$(q 't["end"]["sum_received"]["bytes"]')
tap_check "TCP: server received $trecv <= flow $tcp <= 1.10 x client sent $tsent" \
	python3 -c "import sys; sys.exit(not $trecv <= $tcp <= 1.10 * $tsent)"
acks=$(q 'max(f["packets"] for f in flows(dir="rx", proto="tcp", sport=5201))')
tap_check "TCP: the ACK direction is seen too ($acks packets rx)" test "$acks" -gt 10
icmp=$(q '[f["packets"] for f in flows(dir="rx", ch=1, proto="icmp", src="10.64.1.1")]')
tap_check "ICMP on channel 1: exactly the 5 echo replies: $icmp" \
	test "$icmp" = "[5]"
tap_check "injected drops: 3 bad-magic frames on the unknown-channel row" \
	test "$(q 'chan(-1, "rx")["drops"]')" = 3
d0=$(q 'chan(0, "rx")["drops"]'); dn=$(q 'sum(f["drops"] for f in flows(dir="rx", family=0))')
tap_check "injected drops: 4 non-IP frames as channel 0 rx drops ($d0) and on a non-IP flow ($dn)" \
	test "$d0" = 4 -a "$dn" = 4
tap_check "channel 0 tx packets >= the flows' (all IP on channel 0)" \
	test "$(q 'chan(0, "tx")["packets"] >= sum(f["packets"] for f in flows(dir="tx", ch=0))')" = True

"$DS" -d 1 -n 2 -N 3 -s pkts > "$TMP/ds.txt" 2>&1 &
$PING -c 8 -i 0.2 -W 5 10.64.0.1 > /dev/null
wait $!
tap_check "text frames: two channel tables with the ping's flows" \
	test "$(grep -c '^CH DIR' "$TMP/ds.txt")" = 2 -a "$(grep -c 'icmp' "$TMP/ds.txt")" -ge 2
sed 's/^/# /' "$TMP/ds.txt" | tail -n 12

tap_done
