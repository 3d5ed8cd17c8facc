# SPDX-License-Identifier: GPL-2.0
# Shared by the scmitrace guest tests (sourced, not a test): set PLAN before
# sourcing. Runs as root in the guest with cwd = repo top.
. "$(dirname "$0")/../../lib/tap.sh"

ST=${SCMITRACE:-build/bin/scmitrace}
PLAT=${SCMI_PLATFORM:-build/bin/scmi-platform}
KO=${SCMI_KO:-kernel/scmi/socbpf_scmi.ko}
D=/sys/kernel/debug/socbpf_scmi
TMP=$(mktemp -d)
pids=()

cleanup() {
	local p
	for p in "${pids[@]}"; do
		kill "$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
	for p in 1 2 3 4 5 6 7 8 9 10; do
		lsmod | grep -q '^socbpf_scmi ' || break
		rmmod socbpf_scmi 2>/dev/null && break
		sleep 0.2
	done
	rm -rf "$TMP"
}
trap cleanup EXIT

tap_plan "$PLAN"

# skip_all WHY: a precondition outside this test is missing
skip_all() {
	local i
	for i in $(seq $((PLAN - TAP_N))); do tap_skip "$1"; done
	tap_done
}

# bail WHY: the set-up this test needs failed: every remaining check fails
bail() {
	local i
	for i in $(seq $((PLAN - TAP_N))); do tap_fail "$1"; done
	tap_done
}

[ -x "$ST" ] || bail "scmitrace not built"
[ -x "$PLAT" ] || bail "scmi-platform not built"
[ -f "$KO" ] || bail "$KO not built"
lsmod | grep -q '^socbpf_scmi ' && skip_all "socbpf_scmi already loaded"

# stat FILE KEY: value of "KEY value" in FILE
stat() { awk -v k="$2" '$1 == k { print $2; exit }' "$1"; }

# wait_line FILE PATTERN [TENTHS]
wait_line() {
	local i
	for i in $(seq "${3:-100}"); do
		grep -q "$2" "$1" 2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}

# start_trace NAME ARGS...: scmitrace in the background, attached when it returns
start_trace() {
	local name=$1
	shift
	"$ST" "$@" > "$TMP/$name.out" 2> "$TMP/$name.err" &
	pids+=($!)
	eval "pid_$name=$!"
	wait_line "$TMP/$name.err" 'Tracing SCMI' 200 ||
		wait_line "$TMP/$name.out" 'Tracing SCMI' 1
}

# stop_trace NAME: Ctrl-C it and wait for its report
stop_trace() {
	local name=$1 pid
	eval "pid=\$pid_$name"
	kill -INT "$pid" 2>/dev/null
	wait "$pid"
}
