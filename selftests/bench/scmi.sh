#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# bench-modes: tcg icount
# bench-vm icount: VM_SMP=1 "VM_APPEND=clocksource=tsc tsc=reliable" "VM_QEMU_ARGS=-icount shift=0,sleep=off"
#
# SCMI transfer rate through socbpf_scmi + scmi-platform, in one guest boot
# per mode:
#   none       no tracing
#   scmitrace  build/bin/scmitrace attached (raw tracepoints, the default)
#   scmitrace-classic  the same with --classic-tp (perf trace records)
#   scmitrace-rxdone   --rx-done: accepted messages from scmi_rx_done, one
#              hook more, none missed (not in the default MODES)
#   bpftrace   the equivalent bpftrace histogram one-liner
# Each phase pushes N synchronous CLOCK_RATE_GET transfers through the
# module's debugfs cmd file (one write() per transfer, from dd, timed by dd
# itself so process start-up is not counted); the phases alternate for
# ROUNDS rounds and the medians are compared.
#
# Two machines, two clocks:
#   tcg     2 vCPUs, host time.  Noisy, and TCG makes calls, returns and
#           helper calls (what tracepoint dispatch is made of) several times
#           dearer relative to straight-line code than a real CPU does.
#   icount  1 vCPU under QEMU -icount shift=0: guest time advances 1 ns per
#           guest instruction, so "transfers per second" counts instructions
#           per transfer; repeatable to a few percent whatever the host does.
# Prints transfers/s and the overhead ratios; results also go to
# $SOCBPF_OUT/result.txt.  Never a pass/fail test.
#
# Usage: selftests/bench/scmi.sh [tcg|icount]   (env: N=transfers per phase,
#        ROUNDS, MODES="none scmitrace ..." to run only some phases)
cd "$(dirname "$0")/../.." || exit 1
machine=${1:-tcg}
if [ "$machine" = icount ]; then
	N=${N:-20000}
	ROUNDS=${ROUNDS:-7}
else
	N=${N:-4000}
	ROUNDS=${ROUNDS:-5}
fi
MODES=${MODES:-none scmitrace scmitrace-classic bpftrace}
# Load generator and platform share one CPU: cross-CPU wake-ups are slow and
# noisy under TCG.  PIN= (empty) disables pinning.
PIN=${PIN-0}
TS=()
[ -n "$PIN" ] && TS=(taskset -c "$PIN")
OUT=${SOCBPF_OUT:-/tmp}
RES=$OUT/result.txt
KO=${SCMI_KO:-kernel/scmi/socbpf_scmi.ko}
D=/sys/kernel/debug/socbpf_scmi
TMP=$(mktemp -d)
: > "$RES"
pids=()

cleanup() {
	local p
	for p in "${pids[@]}"; do
		kill "$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
	rmmod socbpf_scmi 2>/dev/null
	rm -rf "$TMP"
}
trap cleanup EXIT

say() { echo "$*" | tee -a "$RES"; }

insmod "$KO" || { echo "insmod $KO failed" >&2; exit 1; }
"${TS[@]}" build/bin/scmi-platform > "$TMP/plat.out" 2>&1 &
pids+=($!)
for i in $(seq 100); do grep -q '^ready 1' "$D/info" 2>/dev/null && break; sleep 0.1; done
grep -q '^ready 1' "$D/info" || { echo "SCMI platform not ready" >&2; exit 1; }

yes "clock_get 0" | head -n "$N" > "$TMP/cmds"
BS=$(( $(head -n 1 "$TMP/cmds" | wc -c) ))

# run_load: N transfers; prints transfers per second, as timed by dd (from
# its first read to its last write)
run_load() {
	local secs
	timeout -s KILL 300 "${TS[@]}" dd if="$TMP/cmds" of="$D/cmd" bs="$BS" \
		count="$N" 2>"$TMP/dd.err"
	secs=$(sed -n 's/.* copied, \([0-9.e+-]*\) s,.*/\1/p' "$TMP/dd.err")
	if ! grep -q "^$N+0 records out" "$TMP/dd.err" || [ -z "$secs" ]; then
		sed 's/^/# dd: /' "$TMP/dd.err" >&2
		return 1
	fi
	awk -v n="$N" -v s="$secs" 'BEGIN { printf "%.0f\n", n / s }'
}

wait_for() { # FILE PATTERN TENTHS
	local i
	for i in $(seq "$3"); do
		grep -q "$2" "$1" 2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}

BT_PROG='tracepoint:scmi:scmi_xfer_begin { @start[args->seq] = nsecs; }
tracepoint:scmi:scmi_xfer_end /@start[args->seq]/ {
	@usecs[args->protocol_id, args->msg_id] = hist((nsecs - @start[args->seq]) / 1000);
	delete(@start[args->seq]);
}'

stop() { # PID: SIGINT, SIGKILL if it is still there 30 s later
	local w
	kill -INT "$1" 2>/dev/null
	( sleep 30; kill -KILL "$1" 2>/dev/null ) &
	w=$!
	wait "$1"
	kill "$w" 2>/dev/null
	wait "$w" 2>/dev/null
}

phase() { # MODE -> prints rate
	local mode=$1 pid rate
	echo "# phase $mode" >&2
	case "$mode" in
	none)
		run_load
		;;
	scmitrace|scmitrace-classic|scmitrace-rxdone)
		if [ "$mode" = scmitrace ]; then
			build/bin/scmitrace > "$TMP/st.out" 2> "$TMP/st.err" &
		elif [ "$mode" = scmitrace-rxdone ]; then
			build/bin/scmitrace --rx-done > "$TMP/st.out" 2> "$TMP/st.err" &
		else
			build/bin/scmitrace --classic-tp > "$TMP/st.out" 2> "$TMP/st.err" &
		fi
		pid=$!
		wait_for "$TMP/st.out" 'Tracing SCMI' 600 || { echo "# scmitrace did not start" >&2; kill $pid; return 1; }
		rate=$(run_load)
		stop $pid
		grep -E '^  (clock|transfers)' "$TMP/st.out" | sed "s/^/# $mode: /" >&2
		echo "$rate"
		;;
	bpftrace)
		timeout -s KILL 400 bpftrace -e "$BT_PROG" > "$TMP/bt.out" 2>&1 &
		pid=$!
		wait_for "$TMP/bt.out" 'Attaching' 1800 || { echo "# bpftrace did not start: $(head -c 300 "$TMP/bt.out")" >&2; stop $pid; return 1; }
		sleep 0.5
		rate=$(run_load)
		stop $pid
		echo "# bpftrace: $(grep -c '|' "$TMP/bt.out") histogram lines" >&2
		echo "$rate"
		;;
	esac
}

say "# scmi bench ($machine): kernel=$(uname -r) cpus=$(nproc) N=$N rounds=$ROUNDS pin=${PIN:-none} clocksource=$(cat /sys/devices/system/clocksource/clocksource0/current_clocksource)"
phase none > /dev/null	# warm up
declare -A all
for r in $(seq "$ROUNDS"); do
	for m in $MODES; do
		rate=$(phase "$m")
		say "round $r $m ${rate:-failed} transfers/s"
		[ -n "$rate" ] && all[$m]+=" $rate"
	done
done

# median and best of each phase, overhead = 1 - median / median(none)
for m in $MODES; do
	echo "$m ${all[$m]:-}"
done | awk -v machine="$machine" '
function median(a, n,   i, j, t) {
	for (i = 2; i <= n; i++)
		for (j = i; j > 1 && a[j - 1] > a[j]; j--) {
			t = a[j]; a[j] = a[j - 1]; a[j - 1] = t
		}
	return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
}
{
	n = 0; best = 0
	for (i = 2; i <= NF; i++) { v[++n] = $i; if ($i > best) best = $i }
	med[$1] = n ? median(v, n) : 0
	printf "result machine=%s mode=%s median_transfers_per_sec=%.0f best=%.0f rounds=%d\n", machine, $1, med[$1], best, n
	order[++k] = $1
}
END {
	base = med["none"]
	if (base <= 0)
		exit
	for (i = 1; i <= k; i++) {
		m = order[i]
		if (m == "none" || med[m] <= 0)
			continue
		printf "ratio machine=%s %s/none = %.3f (overhead %.1f%%)\n", machine, m, med[m] / base, (1 - med[m] / base) * 100
	}
	if (med["scmitrace"] > 0 && med["bpftrace"] > 0) {
		ov = (1 - med["scmitrace"] / base) * 100
		printf "machine=%s: scmitrace overhead %.1f%% is %s 5%% and %s bpftrace'"'"'s (target: at most 5%% and below bpftrace)\n", machine, ov, (ov <= 5 ? "within" : "above"), (med["scmitrace"] > med["bpftrace"] ? "below" : "not below")
	}
}' | tee -a "$RES"
med_none=$(awk '/^result .*mode=none /{ sub(/.*median_transfers_per_sec=/, ""); print $1 }' "$RES")

# Where scmitrace's cost goes: its programs' own run time per transfer
# (bpf_stats), against the time of a transfer without tracing. Unlike the
# wall-clock ratio above, this does not move with the guest's noise.
sysctl -qw kernel.bpf_stats_enabled=1
build/bin/scmitrace > "$TMP/st.out" 2> "$TMP/st.err" &
pid=$!
if wait_for "$TMP/st.out" 'Tracing SCMI' 600; then
	run_load > /dev/null
	bpftool -j prog show 2>/dev/null | python3 -c '
import json, sys
n, base, machine = int(sys.argv[1]), float(sys.argv[2]), sys.argv[3]
unit = "ns (= guest instructions)" if machine == "icount" else "ns"
tot = 0
for p in json.load(sys.stdin):
    if p.get("name", "").startswith(("raw_", "tp_")) and p.get("run_cnt"):
        print("# %-24s %7d runs %7.0f %s per run" % (p["name"], p["run_cnt"], p["run_time_ns"] / p["run_cnt"], unit))
        tot += p["run_time_ns"]
if base > 0:
    per = tot / n
    print("bpf_stats machine=%s: scmitrace programs %.0f ns per transfer = %.1f%% of an untraced transfer (%.0f ns)"
          % (machine, per, 100 * per / (1e9 / base), 1e9 / base))
' "$N" "${med_none:-0}" "$machine" | tee -a "$RES"
fi
stop $pid
sysctl -qw kernel.bpf_stats_enabled=0
exit 0
