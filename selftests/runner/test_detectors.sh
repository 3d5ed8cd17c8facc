#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The debug lane's detectors fail the run (run on the host by the debug
# lane of `make check`, KVER = the debug kernel): each bug of the planted
# module (selftests/kmod/planted) fired in a guest must make the run fail,
# with the report of the detector meant to catch it (one boot a bug). The
# leak leaves the log clean and is found by the kmemleak scan after the
# area, after the module is gone: that run also proves the rest raises no
# false alarm and that an unloaded module's leak is attributed to it.
set -u
TOP=$(cd "$(dirname "$0")/../.." && pwd)
cd "$TOP" || exit 1
. selftests/lib/tap.sh
mkdir -p "$TOP/build/vm"
tmp=$(mktemp -d "$TOP/build/vm/detectors-test.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

cfg=$TOP/.cache/kernel/${KVER:-none}/root/boot/config-${KVER:-none}
tap_plan 7
if ! grep -q '^CONFIG_KASAN=y' "$cfg" 2>/dev/null ||
   ! grep -q '^CONFIG_DEBUG_KMEMLEAK=y' "$cfg"; then
	for _ in $(seq 7); do
		tap_skip "KVER=${KVER:-} is not a debug kernel (run on the debug lane)"
	done
	exit 0
fi

# boot BUG: the planted area in a guest of its own firing BUG; vm-run's
# status goes to $tmp/BUG/rc, its output and the area's results to $tmp/BUG/.
# One vCPU a guest (booting is one CPU's work under TCG); the guests boot
# side by side, as many at a time as the host has CPUs, so six boots of the
# slow debug kernel cost about three boots' time.
boot() {
	local d=$tmp/$1
	mkdir -p "$d/out"
	PLANTED_BUG=$1 VM_ENV=PLANTED_BUG VM_SMP=1 scripts/vm-run -q -t 900 -o "$d/out" \
		-l "$d/serial.log" -- env GUEST_TEST_DIR=selftests/runner/fixtures/guest \
		scripts/guest-tests.sh planted > "$d/vm.txt" 2>&1
	echo $? > "$d/rc"
}
bugs="uaf lock_inversion atomic_sleep shift list_corrupt leak"
jobs=$(nproc)
for bug in $bugs; do
	while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do
		wait -n
	done
	boot "$bug" &
done
wait

# run BUG: that guest's vm-run status in $rc
run() {
	rc=$(cat "$tmp/$1/rc" 2>/dev/null || echo 255)
}

# expect BUG PATTERN DETECTOR: the run fails (97) and the log has PATTERN
expect() {
	local bug=$1 pat=$2 what=$3
	run "$bug"
	if [ "$rc" -eq 97 ] && grep -aqE "$pat" "$tmp/$bug/serial.log"; then
		tap_ok "$what fails the run (vm-run exit 97, log: $(grep -aoE "$pat" "$tmp/$bug/serial.log" | head -n 1))"
	else
		tap_fail "$what fails the run (vm-run exit $rc, want 97 and /$pat/)"
		sed 's/^/# /' "$tmp/$bug/vm.txt" | tail -n 5
		grep -a -A3 'socbpf_planted: firing' "$tmp/$bug/serial.log" | sed 's/^/# /' | head -n 10
	fi
}

expect uaf 'BUG: KASAN: [a-z-]*use-after-free|BUG: KFENCE: use-after-free' \
	"a use-after-free (KASAN)"
expect lock_inversion 'possible circular locking dependency detected' \
	"a lock inversion (lockdep)"
expect atomic_sleep 'BUG: sleeping function called from invalid context' \
	"sleeping under a spinlock (DEBUG_ATOMIC_SLEEP)"
expect shift 'UBSAN: shift-out-of-bounds' "a shift past the type's width (UBSAN)"
expect list_corrupt 'list_del corruption' "a double list_del (DEBUG_LIST)"

# The leak: no report in the log, so the guest run itself passes (which
# also shows that loading, using and unloading the module and the runner
# raise no false alarm), and the area's kmemleak result fails, naming our
# module, already unloaded: that fails make check.
run leak
leaktap=$tmp/leak/out/planted/kmemleak.tap
if [ "$rc" -eq 0 ] && grep -q '^ok' "$tmp/leak/out/planted/test_planted.sh.tap"; then
	tap_ok "a run firing only the leak has a clean log (vm-run exit 0)"
else
	tap_fail "a run firing only the leak has a clean log (vm-run exit $rc)"
	sed 's/^/# /' "$tmp/leak/vm.txt" | tail -n 5
fi
if grep -q '^not ok 1 - kmemleak' "$leaktap" 2>/dev/null &&
   grep -q 'leak reaching \[socbpf_planted' "$leaktap" &&
   ! scripts/tap-summary "$tmp/leak/out/planted"/*.tap > /dev/null; then
	tap_ok "a leak (kmemleak) fails the area's results: $(grep -o 'leak reaching \[[^]]*\]' "$leaktap" | head -n 1)"
else
	tap_fail "a leak (kmemleak) fails the area's results"
	sed 's/^/# /' "$leaktap" 2>/dev/null | head -n 20
fi
tap_done
