#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# bench-modes: socbpf stock
#
# QRTR datagram benchmark, run in the guest by `make bench` once per mode
# (each its own boot: both modules own AF_QIPCRTR):
#   socbpf  kernel/qrtr/socbpf_qrtr.ko: local sockets + the qrtr-tun path
#           against qrtr-emu's echo service
#   stock   the guest kernel's own qrtr.ko (modprobe qrtr): local sockets
# AF_UNIX SOCK_DGRAM is measured in both as the floor.  Results go to
# $SOCBPF_OUT/result.txt (one 'result ...' line each); qrtr.report turns
# them into ratios on the host.  Never a pass/fail test.
#
# Usage: selftests/bench/qrtr.sh socbpf|stock   (env: DUR=seconds, SIZES=...)
cd "$(dirname "$0")/../.." || exit 1
mode=${1:-socbpf}
DUR=${DUR:-2}
SIZES=${SIZES:-64 1024 8192}
OUT=${SOCBPF_OUT:-/tmp}
RES=$OUT/result.txt
BIN=$PWD/build/bin
TBIN=$PWD/build/selftests/bin
: > "$RES"

# Every measurement runs pinned to vCPU 0: under TCG a cross-vCPU wake-up
# costs tens of milliseconds now and then, which swamps round-trip figures.
run() { # label args...
	local label=$1 line
	shift
	line=$(taskset -c 0 "$TBIN/qrtr-bench" "$@" -l "$label" 2>&1 | grep '^result') ||
		{ echo "# $label $*: failed" | tee -a "$RES"; return 1; }
	echo "$line" | tee -a "$RES"
}

case "$mode" in
socbpf)
	insmod kernel/qrtr/socbpf_qrtr.ko || { echo "insmod failed" >&2; exit 1; }
	for i in $(seq 50); do [ -c /dev/qrtr-tun ] && break; sleep 0.1; done
	;;
stock)
	modprobe qrtr || { echo "modprobe qrtr failed" >&2; exit 1; }
	;;
*)
	echo "usage: $0 socbpf|stock" >&2
	exit 2
	;;
esac

echo "# mode=$mode kernel=$(uname -r) cpus=$(nproc) dur=${DUR}s" | tee -a "$RES"
for s in $SIZES; do
	run "$mode" rtt -f qrtr -s "$s" -d "$DUR"
	run "$mode" tput -f qrtr -s "$s" -d "$DUR"
	run unix rtt -f unix -s "$s" -d "$DUR"
	run unix tput -f unix -s "$s" -d "$DUR"
done

if [ "$mode" = socbpf ]; then
	taskset -c 0 "$BIN/qrtr-emu" -k bench0 -n 7 -s 4242:1:0@1 --echo-raw \
		-r /tmp/bench0.ready >/tmp/bench0.out 2>&1 &
	emu=$!
	for i in $(seq 100); do [ -e /tmp/bench0.ready ] && break; sleep 0.05; done
	ep=$(sed -n 's/^endpoint=//p' /tmp/bench0.ready)
	for s in $SIZES; do
		run socbpf-tun tun-rtt -n 7 -p 1 -e "$ep" -s "$s" -d "$DUR"
		run socbpf-tun tun-tput -n 7 -p 1 -e "$ep" -s "$s" -w 16 -d "$DUR"
	done
	kill "$emu"
	wait "$emu"
	for i in $(seq 50); do rmmod socbpf_qrtr 2>/dev/null && break; sleep 0.1; done
else
	modprobe -r qrtr 2>/dev/null
fi
exit 0
