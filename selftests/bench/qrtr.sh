#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# bench-modes: socbpf stock socbpf-icount stock-icount
# bench-vm socbpf-icount: VM_SMP=1 "VM_APPEND=clocksource=tsc tsc=reliable" "VM_QEMU_ARGS=-icount shift=0,sleep=off"
# bench-vm stock-icount: VM_SMP=1 "VM_APPEND=clocksource=tsc tsc=reliable" "VM_QEMU_ARGS=-icount shift=0,sleep=off"
#
# QRTR datagram benchmark, run in the guest by `make bench` once per mode
# (each its own boot: both modules own AF_QIPCRTR):
#   socbpf  kernel/qrtr/socbpf_qrtr.ko: local sockets + the qrtr-tun path
#           against qrtr-emu's echo service (unbound, and bound to its
#           endpoint)
#   stock   the guest kernel's own qrtr.ko (modprobe qrtr): local sockets,
#           and the same tun path through upstream's qrtr-tun built from
#           the same kernel's source (selftests/kmod/qrtr_tun_upstream,
#           built on the host by qrtr.prepare)
# AF_UNIX SOCK_DGRAM is measured in both as the floor.  Each runs on two
# machines: 2 vCPUs under plain TCG (host time: the figures move by tens of
# percent from run to run on a shared host), and, as MODE-icount, 1 vCPU
# under QEMU -icount shift=0, where guest time advances 1 ns per guest
# instruction: those ratios compare instructions per operation and repeat
# to about 1%.  Results go to $SOCBPF_OUT/result.txt (one 'result ...' line
# each); qrtr.report turns them into ratios on the host.  Never a
# pass/fail test.
#
# Usage: selftests/bench/qrtr.sh socbpf|stock[-icount]
#        (env: DUR=seconds, SIZES=...)
cd "$(dirname "$0")/../.." || exit 1
mode=${1:-socbpf}
machine=tcg
case "$mode" in
*-icount)
	mode=${mode%-icount}
	machine=icount
	;;
esac
# Under icount a guest second is a billion instructions (10-30 s of host
# time) and the figures repeat, so shorter runs do.
[ "$machine" = icount ] && DUR=${DUR:-0.25}
DUR=${DUR:-2}
SIZES=${SIZES:-64 1024 8192}
OUT=${SOCBPF_OUT:-/tmp}
RES=$OUT/result.txt
BIN=$PWD/build/bin
TBIN=$PWD/build/selftests/bin
UPSTREAM_TUN=build/kmod/qrtr_tun_upstream/socbpf_upstream_qrtr_tun.ko
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
	if insmod "$UPSTREAM_TUN"; then
		for i in $(seq 50); do [ -c /dev/qrtr-tun ] && break; sleep 0.1; done
	else
		echo "# stock-tun: insmod $UPSTREAM_TUN failed" | tee -a "$RES"
	fi
	;;
*)
	echo "usage: $0 socbpf|stock[-icount]" >&2
	exit 2
	;;
esac

echo "# mode=$mode machine=$machine kernel=$(uname -r) cpus=$(nproc) dur=${DUR}s" | tee -a "$RES"
# Warm-up, not measured: the boot's first socket traffic pays one-off costs
# (it read 17% low as the first quarter-second run under icount).
taskset -c 0 "$BIN/qrtr-bench" rtt -f qrtr -s 64 -d 0.2 >/dev/null 2>&1
for s in $SIZES; do
	run "$mode" rtt -f qrtr -s "$s" -d "$DUR"
	run "$mode" tput -f qrtr -s "$s" -d "$DUR"
	run unix rtt -f unix -s "$s" -d "$DUR"
	run unix tput -f unix -s "$s" -d "$DUR"
done

# The device path: the same echo service behind whichever qrtr-tun is
# loaded; the client sends unbound in both modes, and socbpf is also
# measured bound to the emulator's endpoint.
if [ -c /dev/qrtr-tun ]; then
	rm -f /tmp/bench0.ready
	taskset -c 0 "$BIN/qrtr-emu" -k bench0 -n 7 -s 4242:1:0@1 --echo-raw \
		-r /tmp/bench0.ready >/tmp/bench0.out 2>&1 &
	emu=$!
	for i in $(seq 100); do [ -e /tmp/bench0.ready ] && break; sleep 0.05; done
	ep=$(sed -n 's/^endpoint=//p' /tmp/bench0.ready)
	for s in $SIZES; do
		run "$mode-tun" tun-rtt -n 7 -p 1 -s "$s" -d "$DUR"
		run "$mode-tun" tun-tput -n 7 -p 1 -s "$s" -w 16 -d "$DUR"
		[ "$mode" = socbpf ] || continue
		run socbpf-tun-ep tun-rtt -n 7 -p 1 -e "$ep" -s "$s" -d "$DUR"
		run socbpf-tun-ep tun-tput -n 7 -p 1 -e "$ep" -s "$s" -w 16 -d "$DUR"
	done
	kill "$emu"
	wait "$emu"
fi

if [ "$mode" = socbpf ]; then
	for i in $(seq 50); do rmmod socbpf_qrtr 2>/dev/null && break; sleep 0.1; done
else
	rmmod socbpf_upstream_qrtr_tun 2>/dev/null
	modprobe -r qrtr 2>/dev/null
fi
exit 0
