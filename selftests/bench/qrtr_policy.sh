#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Cost of the BPF policy on the qrtr-tun path, in one boot: round trips to a
# qrtr-emu echo port with no policy, with a pass-all policy (the verdict hook
# runs, no rules), and with a 16-rule filter the traffic falls through (every
# rule is evaluated, then the default allows). Each configuration is
# measured in turn, ROUNDS times, interleaved, so drift hits all of them
# alike; qrtr_policy.report prints medians and ratios. Never a pass/fail test.
cd "$(dirname "$0")/../.." || exit 1
DUR=${DUR:-2}
ROUNDS=${ROUNDS:-5}
OUT=${SOCBPF_OUT:-/tmp}
RES=$OUT/result.txt
BIN=$PWD/build/bin
TBIN=$PWD/build/selftests/bin
: > "$RES"

insmod kernel/qrtr/socbpf_qrtr.ko || { echo "insmod failed" >&2; exit 1; }
for i in $(seq 50); do [ -c /dev/qrtr-tun ] && break; sleep 0.1; done
taskset -c 0 "$BIN/qrtr-emu" -k bench0 -n 7 -s 4242:1:0@1 --echo-raw \
	-r /tmp/bench0.ready >/tmp/bench0.out 2>&1 &
emu=$!
for i in $(seq 100); do [ -e /tmp/bench0.ready ] && break; sleep 0.05; done
ep=$(sed -n 's/^endpoint=//p' /tmp/bench0.ready)

# 16 rules that never match the benchmark's traffic (node 7 port 1).
rules=/tmp/bench16.rules
: > "$rules"
for i in $(seq 16); do
	echo "deny ep $ep node $((100 + i)) port $i type data" >> "$rules"
done
echo "default allow" >> "$rules"

measure() { # config
	local line
	line=$(taskset -c 0 "$TBIN/qrtr-bench" tun-rtt -n 7 -p 1 -e "$ep" -s 64 \
		-d "$DUR" -l "$1" 2>&1 | grep '^result') || { echo "# $1 failed" | tee -a "$RES"; return; }
	echo "$line" | tee -a "$RES"
}

# bpf_stats: the verdict program's own run time per call, a figure the
# scheduler noise of wall-clock round trips does not blur.
vstat() { # label
	bpftool -j prog show name qp_verdict 2>/dev/null | python3 -c '
import json, sys
p = json.load(sys.stdin)
p = p[0] if isinstance(p, list) else p
print("stat label=%s run_cnt=%d run_time_ns=%d" % (sys.argv[1], p.get("run_cnt", 0), p.get("run_time_ns", 0)))
' "$1" | tee -a "$RES"
}
sysctl -qw kernel.bpf_stats_enabled=1
echo "# kernel=$(uname -r) cpus=$(nproc) dur=${DUR}s rounds=$ROUNDS" | tee -a "$RES"
for r in $(seq "$ROUNDS"); do
	measure none
	"$BIN/qrtr-policy" attach --pass-all >/dev/null && measure pass-all && vstat pass-all
	"$BIN/qrtr-policy" detach >/dev/null
	"$BIN/qrtr-policy" attach --rules "$rules" >/dev/null && measure rules16 && vstat rules16
	"$BIN/qrtr-policy" detach >/dev/null
done
kill "$emu"
wait "$emu"
for i in $(seq 50); do rmmod socbpf_qrtr 2>/dev/null && break; sleep 0.1; done
exit 0
