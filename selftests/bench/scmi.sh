#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# bench-modes: default
#
# SCMI transfer rate through socbpf_scmi + scmi-platform, in one guest boot:
#   none       no tracing
#   scmitrace  build/bin/scmitrace attached (raw tracepoints, the default)
#   scmitrace-classic  the same with --classic-tp (perf trace records)
#   bpftrace   the equivalent bpftrace histogram one-liner
# Each phase pushes N synchronous CLOCK_RATE_GET transfers through the
# module's debugfs cmd file (one write() per transfer, from dd) and the
# phases alternate for ROUNDS rounds; the best round of each counts.
# Prints transfers/s and the overhead ratios; results also go to
# $SOCBPF_OUT/result.txt.  Never a pass/fail test.
#
# Usage: selftests/bench/scmi.sh   (env: N=transfers per phase, ROUNDS,
#        MODES="none scmitrace ..." to run only some phases)
cd "$(dirname "$0")/../.." || exit 1
N=${N:-4000}
ROUNDS=${ROUNDS:-3}
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

# run_load: N transfers; prints transfers per second
run_load() {
	local t0 t1 ok
	t0=$(date +%s%N)
	timeout -s KILL 300 "${TS[@]}" dd if="$TMP/cmds" of="$D/cmd" bs="$BS" \
		count="$N" status=none 2>"$TMP/dd.err"
	t1=$(date +%s%N)
	ok=$?
	[ -s "$TMP/dd.err" ] && { cat "$TMP/dd.err" >&2; }
	awk -v n="$N" -v ns=$((t1 - t0)) 'BEGIN { printf "%.0f\n", n / (ns / 1e9) }'
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
	scmitrace|scmitrace-classic)
		if [ "$mode" = scmitrace ]; then
			build/bin/scmitrace > "$TMP/st.out" 2> "$TMP/st.err" &
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

say "# scmi bench: kernel=$(uname -r) cpus=$(nproc) N=$N rounds=$ROUNDS pin=${PIN:-none}"
phase none > /dev/null	# warm up
declare -A best
for r in $(seq "$ROUNDS"); do
	for m in $MODES; do
		rate=$(phase "$m")
		say "round $r $m $rate transfers/s"
		[ -n "$rate" ] || continue
		[ "${best[$m]:-0}" -lt "$rate" ] && best[$m]=$rate
	done
done

for m in $MODES; do
	say "result mode=$m transfers_per_sec=${best[$m]:-0}"
done
awk -v n="${best[none]:-0}" -v s="${best[scmitrace]:-0}" -v c="${best[scmitrace-classic]:-0}" -v b="${best[bpftrace]:-0}" 'BEGIN {
	if (n <= 0) exit
	printf "ratio scmitrace/none = %.3f (overhead %.1f%%, target <= 5%%)\n", s / n, (1 - s / n) * 100
	printf "ratio scmitrace --classic-tp/none = %.3f (overhead %.1f%%)\n", c / n, (1 - c / n) * 100
	printf "ratio bpftrace/none  = %.3f (overhead %.1f%%)\n", b / n, (1 - b / n) * 100
	if (b > 0)
		printf "scmitrace overhead is %s bpftrace'\''s\n", (s >= b ? "below" : "above")
}' | tee -a "$RES"

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
n, base = int(sys.argv[1]), float(sys.argv[2])
tot = 0
for p in json.load(sys.stdin):
    if p.get("name", "").startswith(("raw_", "tp_")) and p.get("run_cnt"):
        print("# %-24s %7d runs %7.0f ns/run" % (p["name"], p["run_cnt"], p["run_time_ns"] / p["run_cnt"]))
        tot += p["run_time_ns"]
if base > 0:
    per = tot / n
    print("bpf_stats scmitrace programs: %.0f ns per transfer = %.1f%% of an untraced transfer (%.0f ns)"
          % (per, 100 * per / (1e9 / base), 1e9 / base))
' "$N" "${best[none]:-0}" | tee -a "$RES"
fi
stop $pid
sysctl -qw kernel.bpf_stats_enabled=0
exit 0
