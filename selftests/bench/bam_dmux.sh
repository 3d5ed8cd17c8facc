#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# bench-modes: tcg1
# bench-vm tcg1: VM_SMP=1
#
# BAM-DMUX throughput against a plain TUN path, and the cost of dmuxstat,
# in one guest boot.  One bam-modem process serves both paths in the same
# namespace layout: host wwan0 -> socbpf_bam_dmux -> /dev/bam-dmux-modem ->
# bam-modem -> TUN bmtun0 (namespace bammodem), and host TUN bmloop ->
# bam-modem -> TUN bmtunlp (same namespace), so the only difference is the
# driver and its character device.  One iperf3 server in the namespace.
#
# Phases, alternated for ROUNDS rounds (medians compared):
#   wwan-tcp   iperf3 TCP through wwan0           loop-tcp  ... through bmloop
#   wwan-udp   iperf3 UDP, unlimited rate, receiver's rate   loop-udp
#   stat-tcp   wwan-tcp with dmuxstat attached (flow stats overhead)
# Targets (issue #14): wwan >= 0.9 x loop; dmuxstat overhead <= 5%.
# Prints Mbit/s and the ratios; results also go to $SOCBPF_OUT/result.txt.
# Never a pass/fail test: TCG on a shared 2-core host is noisy, so one vCPU
# (client, server and emulator share it, as do both paths) and ROUNDS rounds.
#
# Usage: selftests/bench/bam_dmux.sh   (env: T=seconds per run, ROUNDS)
cd "$(dirname "$0")/../.." || exit 1
T=${T:-4}
ROUNDS=${ROUNDS:-5}
OUT=${SOCBPF_OUT:-/tmp}
NS=bammodem
TMP=$(mktemp -d /tmp/bam-bench.XXXXXX)

modprobe tun 2>/dev/null || {
	kv=$(uname -r)
	xz -dc ".cache/kernel/$kv/root/lib/modules/$kv/kernel/drivers/net/tun.ko.xz" > "$TMP/tun.ko"
	insmod "$TMP/tun.ko"
}
modprobe wwan 2>/dev/null || {
	kv=$(uname -r)
	xz -dc ".cache/kernel/$kv/root/lib/modules/$kv/kernel/drivers/net/wwan/wwan.ko.xz" > "$TMP/wwan.ko"
	insmod "$TMP/wwan.ko"
}
insmod kernel/bam_dmux/socbpf_bam_dmux.ko || exit 1
ip netns add $NS
ip -n $NS link set lo up
build/bin/bam-modem -n $NS -c 0 --loop-tun bmloop -r "$TMP/ready" > "$TMP/modem.out" 2>&1 &
modem=$!
for i in $(seq 150); do [ -e "$TMP/ready" ] && [ -e /sys/class/net/wwan0 ] && break; sleep 0.1; done
ip -n $NS addr add 10.64.0.1/30 dev bmtun0
ip -n $NS addr add 10.65.0.1/30 dev bmtunlp
ip addr add 10.64.0.2/30 dev wwan0
ip addr add 10.65.0.2/30 dev bmloop
ip link set wwan0 up
ip link set bmloop up
ip netns exec $NS iperf3 -s > /dev/null 2>&1 &
srv=$!
sleep 1
busybox ping -c 1 -W 5 10.64.0.1 > /dev/null && busybox ping -c 1 -W 5 10.65.0.1 > /dev/null ||
	echo "bench: a path does not answer"

# mbps DST [iperf3 args]: receiver's Mbit/s
mbps() {
	local dst=$1
	shift
	timeout $((T + 20)) iperf3 -c "$dst" -t "$T" -J "$@" > "$TMP/run.json" 2>&1
	python3 - "$TMP/run.json" <<'PY'
import json, sys
try:
    j = json.load(open(sys.argv[1]))
    e = j["end"]
    s = e.get("sum_received") or e.get("sum")
    print("%.1f" % (s["bits_per_second"] / 1e6))
except Exception:
    print("nan")
PY
}

declare -A R
for r in $(seq "$ROUNDS"); do
	R[wwan-tcp]+=" $(mbps 10.64.0.1)"
	build/bin/dmuxstat -d 600 > /dev/null 2> "$TMP/ds.err" &
	ds=$!
	for i in $(seq 100); do grep -q Tracing "$TMP/ds.err" && break; sleep 0.1; done
	R[stat-tcp]+=" $(mbps 10.64.0.1)"
	kill -INT $ds; wait $ds
	R[loop-tcp]+=" $(mbps 10.65.0.1)"
	R[wwan-udp]+=" $(mbps 10.64.0.1 -u -b 0 -l 1400)"
	R[loop-udp]+=" $(mbps 10.65.0.1 -u -b 0 -l 1400)"
done

median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }
{
	echo "bam_dmux bench: $ROUNDS rounds of ${T} s per phase, receiver Mbit/s (all runs: median)"
	for p in wwan-tcp loop-tcp wwan-udp loop-udp stat-tcp; do
		printf '  %-9s %8s   (%s)\n' "$p" "$(echo ${R[$p]} | median)" "${R[$p]# }"
	done
	wt=$(echo ${R[wwan-tcp]} | median); lt=$(echo ${R[loop-tcp]} | median)
	wu=$(echo ${R[wwan-udp]} | median); lu=$(echo ${R[loop-udp]} | median)
	st=$(echo ${R[stat-tcp]} | median)
	awk -v wt="$wt" -v lt="$lt" -v wu="$wu" -v lu="$lu" -v st="$st" 'BEGIN {
		rt = wt / lt; ru = wu / lu; ov = (1 - st / wt) * 100
		printf "  TCP wwan0/plain TUN = %.2fx (target >= 0.9x): %s\n", rt, (rt >= 0.9) ? "met" : "NOT met"
		printf "  UDP wwan0/plain TUN = %.2fx (target >= 0.9x): %s\n", ru, (ru >= 0.9) ? "met" : "NOT met"
		printf "  dmuxstat overhead (TCP) = %.1f%% (target <= 5%%): %s\n", ov, (ov <= 5) ? "met" : "NOT met"
	}'
} | tee "$OUT/result.txt"

kill $srv; wait $srv 2>/dev/null
kill $modem; wait $modem 2>/dev/null
ip link set wwan0 down
for i in $(seq 50); do rmmod socbpf_bam_dmux 2>/dev/null && break; sleep 0.2; done
ip netns del $NS
rm -rf "$TMP"
