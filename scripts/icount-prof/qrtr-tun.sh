#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Guest command for run.sh: load socbpf_qrtr (socbpf) or stock qrtr with
# upstream's qrtr-tun (stock), start the qrtr-emu echo service, warm up,
# then count one qrtr-bench run (tun-tput by default, 0.25 s) at SIZE.
#   scripts/icount-prof/run.sh OUT -- scripts/icount-prof/qrtr-tun.sh socbpf 64
cd "$SOCBPF_TOP" || exit 1
mode=$1 size=${2:-64} test=${3:-tun-tput}
BIN=$PWD/build/bin TBIN=$PWD/build/selftests/bin
if [ "$mode" = socbpf ]; then
	insmod kernel/qrtr/socbpf_qrtr.ko || exit 1
else
	modprobe qrtr && insmod build/kmod/qrtr_tun_upstream/socbpf_upstream_qrtr_tun.ko || exit 1
fi
for i in $(seq 50); do [ -c /dev/qrtr-tun ] && break; sleep 0.1; done
"$BIN/qrtr-emu" -k bench0 -n 7 -s 4242:1:0@1 --echo-raw -r /tmp/ready > /tmp/emu.out 2>&1 &
for i in $(seq 100); do [ -e /tmp/ready ] && break; sleep 0.05; done
"$TBIN/qrtr-bench" "$test" -n 7 -p 1 -s "$size" -w 16 -d 0.1 -l warm > /dev/null 2>&1
cs0=$(awk '/^ctxt/ { print $2 }' /proc/stat)
"$ICP_TRIG" 1
"$TBIN/qrtr-bench" "$test" -n 7 -p 1 -s "$size" -w 16 -d 0.25 -l "$mode" 2>&1 | grep '^result'
"$ICP_TRIG" 2
cs1=$(awk '/^ctxt/ { print $2 }' /proc/stat)
echo "context_switches=$((cs1 - cs0))"
