# SPDX-License-Identifier: GPL-2.0
# Shared helpers for the socbpf_scmi guest tests (sourced, not a test).
# Runs as root in the guest with cwd = repo top.
. "$(dirname "$0")/../../lib/tap.sh"

KO=${SCMI_KO:-kernel/scmi/socbpf_scmi.ko}
PLAT=${SCMI_PLATFORM:-build/bin/scmi-platform}
D=/sys/kernel/debug/socbpf_scmi
PARAMS=/sys/module/socbpf_scmi/parameters
TMP=$(mktemp -d /tmp/scmi-test.XXXXXX)
STATS=$TMP/plat.stats
CTL=$TMP/plat.ctl
PLAT_PID=
CMD_OUT=

# Fault counters the emulator predicts (expect_<name> in its stats file).
FAULT_CTRS="timeouts late duplicates ghosts out_of_order ooo_resp_dropped unexpected_dresp malformed"

scmi_load() {
	rmmod socbpf_scmi 2>/dev/null
	insmod "$KO" "$@"
}

scmi_cleanup() {
	plat_stop
	[ -d /sys/module/socbpf_scmi ] && rmmod socbpf_scmi 2>/dev/null
	rm -rf "$TMP"
}

stat_get() { # stat_get NAME -> value from debugfs stats
	awk -v k="$1" '$1 == k { print $2 }' "$D/stats"
}

ctr() { cat "$D/counters/$1"; }

plat_stat() { # plat_stat KEY -> value from the emulator's stats file
	awk -v k="$1" '$1 == k { print $2 }' "$STATS" 2>/dev/null
}

# wait_for SECONDS CMD...: poll CMD every 0.1 s until it succeeds
wait_for() {
	local n=$(($1 * 10))
	shift
	while [ $n -gt 0 ]; do
		"$@" && return 0
		sleep 0.1
		n=$((n - 1))
	done
	return 1
}

agent_ready() { [ "$(stat_get ready)" = 1 ]; }

# plat_start ARGS...: start the emulator, wait for discovery, reset counters
plat_start() {
	rm -f "$STATS" "$CTL"
	"$PLAT" -S "$STATS" -C "$CTL" "$@" > "$TMP/plat.out" 2>&1 &
	PLAT_PID=$!
	if ! wait_for 20 agent_ready; then
		tap_diag "platform did not come up: $(cat "$TMP/plat.out")"
		return 1
	fi
	echo 1 > "$D/counters/reset"
}

plat_stop() {
	[ -n "$PLAT_PID" ] || return 0
	kill -TERM "$PLAT_PID" 2>/dev/null
	wait "$PLAT_PID" 2>/dev/null
	PLAT_PID=
}

plat_ctl() { echo "$*" > "$CTL"; }

plat_idle() {
	[ "$(plat_stat scheduled)" = 0 ] && [ "$(stat_get inflight)" = 0 ]
}

# plat_wait_idle: everything the emulator scheduled has been delivered
plat_wait_idle() {
	plat_ctl stats
	wait_for 20 plat_idle
	sleep 0.2
	plat_ctl stats
	sleep 0.1
}

# cmd LINE: run a debugfs command; result in CMD_OUT, status = write status
cmd() {
	local rc
	exec 5<>"$D/cmd"
	echo "$*" >&5 2>/dev/null
	rc=$?
	CMD_OUT=$(cat <&5)
	exec 5>&-
	return $rc
}

# counters_match: every fault counter equals what the emulator injected
counters_match() {
	local c e a ok=0
	for c in $FAULT_CTRS; do
		e=$(plat_stat "expect_$c")
		a=$(ctr "$c")
		if [ "$e" != "$a" ]; then
			echo "counter $c: module $a, emulator expects $e"
			ok=1
		fi
	done
	return $ok
}

# counters_show: one diagnostic line with the fault counters
counters_show() {
	local c line=""
	for c in $FAULT_CTRS; do
		line="$line $c=$(ctr "$c")/$(plat_stat "expect_$c")"
	done
	line="$line notif=$(( $(ctr notif_ok) + $(ctr notif_dropped) + $(ctr notif_unhandled) ))/$(plat_stat expect_notif)"
	tap_diag "module/expected:$line"
}
