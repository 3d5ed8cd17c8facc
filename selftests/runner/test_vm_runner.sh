#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The VM runner's own tests (run on the host by `make check`): exit statuses
# propagate, a failing guest test fails the summary, a kernel WARN in the
# guest fails the run, and timeouts / boot failures are reported as such.
set -u
TOP=$(cd "$(dirname "$0")/../.." && pwd)
cd "$TOP" || exit 1
. selftests/lib/tap.sh
tmp=$(mktemp -d "$TOP/build/vm/runner-test.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

vm() { scripts/vm-run -q "$@" >"$tmp/out.txt" 2>&1; }

tap_plan 8

vm -t 300 -- sh -c 'insmod kernel/testwarn/socbpf_testwarn.ko && rmmod socbpf_testwarn && exit 7'
rc=$?
if [ $rc -eq 7 ]; then
	tap_ok "guest exit status propagates; O/E taint of an out-of-tree module is tolerated"
else
	tap_fail "guest exit status propagates (got $rc, want 7)"
	sed 's/^/# /' "$tmp/out.txt" | tail -n 10
fi

mkdir -p "$tmp/fix"
vm -t 300 -o "$tmp/fix" -- env GUEST_TEST_DIR=selftests/runner/fixtures/guest \
	scripts/guest-tests.sh mixed
rc=$?
tap_check "guest fixture run completes with a clean log" test $rc -eq 0
scripts/tap-summary "$tmp"/fix/mixed/*.tap > "$tmp/summary.txt"
src=$?
last=$(tail -n 1 "$tmp/summary.txt")
if [ $src -ne 0 ] && [ "$last" = "4 passed, 2 failed, 0 skipped" ]; then
	tap_ok "a deliberately failing guest test fails the summary ($last)"
else
	tap_fail "a deliberately failing guest test fails the summary (exit $src, '$last')"
	sed 's/^/# /' "$tmp/summary.txt"
fi
scripts/tap-summary "$tmp/fix/no-such.tap" > "$tmp/summary2.txt"
src=$?
last=$(tail -n 1 "$tmp/summary2.txt")
tap_check "a missing TAP file counts as a failure ($last)" \
	test $src -ne 0 -a "$last" = "0 passed, 1 failed, 0 skipped"

vm -t 300 -- sh -c 'insmod kernel/testwarn/socbpf_testwarn.ko &&
	echo 1 > /sys/kernel/debug/socbpf_testwarn/warn; rmmod socbpf_testwarn; exit 0'
rc=$?
if [ $rc -eq 97 ] && grep -q 'kernel errors' "$tmp/out.txt"; then
	tap_ok "a kernel WARN in the guest fails the run (exit 97)"
else
	tap_fail "a kernel WARN in the guest fails the run (got $rc, want 97)"
	sed 's/^/# /' "$tmp/out.txt" | tail -n 10
fi

vm -t 300 -- sh -c 'command -v qrtr-lookup qmicli bpftool sensors iperf3 &&
	test -e /sys/kernel/tracing/events && test -d /sys/kernel/debug/tracing &&
	mount | grep -q " /sys/fs/bpf type bpf" &&
	test -e /lib/modules/$(uname -r)/modules.dep && modprobe -n -v qrtr'
rc=$?
tap_check "host programs, tracefs, debugfs, bpffs and the kernel's modules are there in the guest" test $rc -eq 0

vm -t 25 -- sleep 600
rc=$?
if [ $rc -eq 124 ] && grep -q timeout "$tmp/out.txt"; then
	tap_ok "a hung guest command is killed at the timeout (exit 124)"
else
	tap_fail "a hung guest command is killed at the timeout (got $rc, want 124)"
fi

vm -a arm64 -t 300 -- sh -c 'test "$(uname -m)" = aarch64 && build/bin/scmitrace --version >/dev/null && exit 7'
rc=$?
if [ $rc -eq 7 ]; then
	tap_ok "the arm64 guest boots, runs the command with our arm64 tools, its status propagates"
else
	tap_fail "the arm64 guest: got $rc, want 7"
	sed 's/^/# /' "$tmp/out.txt" | tail -n 10
fi

VM_KERNEL=/dev/null vm -t 60 -- true
rc=$?
if [ $rc -eq 125 ] && grep -q 'retrying once' "$tmp/out.txt"; then
	tap_ok "a guest that never boots is retried once, then reported (exit 125)"
else
	tap_fail "a guest that never boots is retried once, then reported (got $rc)"
	sed 's/^/# /' "$tmp/out.txt" | tail -n 5
fi
tap_done
