#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# scmitrace command line: help, bad flags, missing tracepoints, clean Ctrl-C,
# JSON well-formedness.  Needs no SCMI platform: transfers are not required.
# Runs as root in the guest with cwd = repo top.
. "$(dirname "$0")/../../lib/tap.sh"

ST=${SCMITRACE:-build/bin/scmitrace}
KO=kernel/scmi/socbpf_scmi.ko
TMP=$(mktemp -d)
loaded_here=0

cleanup() {
	[ "$loaded_here" = 1 ] && rmmod socbpf_scmi 2>/dev/null
	rm -rf "$TMP"
}
trap cleanup EXIT

# expect_fail DESC PATTERN CMD...: CMD must exit non-zero and print PATTERN
expect_fail() {
	local desc=$1 pat=$2 out rc
	shift 2
	out=$("$@" 2>&1)
	rc=$?
	if [ $rc -ne 0 ] && printf '%s' "$out" | grep -q -- "$pat"; then
		tap_ok "$desc"
	else
		tap_fail "$desc (exit $rc)"
		printf '%s\n' "$out" | sed 's/^/# /' | tail -n 10
	fi
}

# started FILE...: scmitrace said it is tracing (in one of FILEs), within
# 120 s: loading and verifying its programs takes seconds on a debug kernel
# under TCG, and a background job of a script starts with SIGINT ignored,
# so a Ctrl-C sent before its handler is installed would be lost
started() {
	local i
	for i in $(seq 1200); do
		grep -qs '^Tracing SCMI' "$@" && return 0
		sleep 0.1
	done
	return 1
}

# run_sigint SECONDS OUT ARGS...: run scmitrace, Ctrl-C it SECONDS after it
# started tracing
run_sigint() {
	local secs=$1 out=$2 pid
	shift 2
	"$ST" "$@" > "$out" 2> "$out.err" &
	pid=$!
	started "$out" "$out.err"
	sleep "$secs"
	kill -INT "$pid" 2>/dev/null
	wait "$pid"
}

tap_plan 14

if [ ! -x "$ST" ]; then
	for i in $(seq 14); do tap_fail "scmitrace not built"; done
	tap_done
fi

out=$("$ST" --help 2>&1)
rc=$?
if [ $rc -eq 0 ] && grep -q EXAMPLES <<<"$out" && grep -q -- '--protocol' <<<"$out"; then
	tap_ok "--help exits 0 and shows EXAMPLES and options"
else
	tap_fail "--help (exit $rc)"
fi
expect_fail "unknown flag is rejected" "unrecognized option" "$ST" --bogus
expect_fail "bad protocol is rejected with a clear message" "invalid protocol 'nosuch'" "$ST" -p nosuch
expect_fail "protocol out of range is rejected" "invalid protocol '300'" "$ST" -p 300
expect_fail "bad message name is rejected" "invalid message 'RATE_GOT'" "$ST" -p clock -m RATE_GOT
expect_fail "zero interval is rejected" "invalid interval '0'" "$ST" 0
expect_fail "non-numeric count is rejected" "invalid count 'x'" "$ST" 1 x
expect_fail "third positional argument is rejected" "unrecognized positional" "$ST" 1 2 3

# without any SCMI driver the tracepoints are missing
if lsmod | grep -q '^socbpf_scmi '; then
	tap_skip "missing tracepoints message (socbpf_scmi already loaded)"
elif [ -d /sys/kernel/tracing/events/scmi ]; then
	tap_skip "missing tracepoints message (kernel has scmi events built in)"
else
	expect_fail "missing tracepoints give a clear error" \
		"SCMI tracepoints not found: is socbpf_scmi (or the kernel SCMI driver) loaded?" "$ST"
fi

# with the module (no platform connected: no transfers) it attaches and
# exits cleanly on Ctrl-C with a summary
if ! lsmod | grep -q '^socbpf_scmi '; then
	if insmod "$KO" 2>"$TMP/insmod.err"; then
		loaded_here=1
	else
		tap_diag "insmod $KO: $(cat "$TMP/insmod.err")"
	fi
fi
if [ ! -d /sys/kernel/tracing/events/scmi ]; then
	for i in 1 2 3 4 5; do tap_fail "socbpf_scmi not loadable"; done
	tap_done
fi

run_sigint 2 "$TMP/text"
rc=$?
if [ $rc -eq 0 ] && grep -q '^Summary' "$TMP/text" && grep -q 'transfers 0' "$TMP/text"; then
	tap_ok "Ctrl-C exits 0 with a summary"
else
	tap_fail "Ctrl-C exit/summary (exit $rc)"
	sed 's/^/# /' "$TMP/text" "$TMP/text.err" | tail -n 15
fi

run_sigint 2 "$TMP/json" -j -p clock -m CLOCK_RATE_GET
rc=$?
if [ $rc -eq 0 ] && jq -e 'select(.type == "summary") | .counts.transfers == 0 and .filter.proto == 20 and .filter.msg == 6' "$TMP/json" >/dev/null; then
	tap_ok "--json summary is valid JSON, filters resolved (clock=20, CLOCK_RATE_GET=6)"
else
	tap_fail "--json summary (exit $rc)"
	sed 's/^/# /' "$TMP/json" "$TMP/json.err" | tail -n 15
fi

# interval mode: count limits the run without Ctrl-C
timeout 20 "$ST" -j 1 2 > "$TMP/int" 2> "$TMP/int.err"
rc=$?
n=$(jq -s 'map(select(.type == "interval")) | length' "$TMP/int" 2>/dev/null)
if [ $rc -eq 0 ] && [ "$n" = 2 ] && jq -e -s 'map(select(.type == "summary")) | length == 1' "$TMP/int" >/dev/null; then
	tap_ok "'-j 1 2' prints 2 intervals and a summary, then exits 0"
else
	tap_fail "interval mode (exit $rc, intervals '$n')"
	sed 's/^/# /' "$TMP/int" "$TMP/int.err" | tail -n 10
fi

# SIGTERM is as clean as SIGINT
"$ST" -s > "$TMP/term" 2>&1 &
pid=$!
started "$TMP/term"
sleep 2
kill -TERM $pid
wait $pid
rc=$?
if [ $rc -eq 0 ] && grep -q 'TIME(s)' "$TMP/term" && grep -q '^Summary' "$TMP/term"; then
	tap_ok "stream mode prints its header and exits 0 on SIGTERM"
else
	tap_fail "stream mode / SIGTERM (exit $rc)"
	sed 's/^/# /' "$TMP/term" | tail -n 10
fi

# no BPF programs or maps left behind
sleep 0.5
if bpftool prog show 2>/dev/null | grep -E -q 'name (raw|tp)_(xfer|rx|msg)_'; then
	tap_fail "BPF programs detached after exit"
	bpftool prog show | grep -E -A1 'name (raw|tp)_' | sed 's/^/# /'
else
	tap_ok "BPF programs detached after exit"
fi
tap_done
