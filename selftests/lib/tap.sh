# SPDX-License-Identifier: GPL-2.0
# Minimal kselftest-style TAP helpers for guest tests written in shell.
#
#   . "$(dirname "$0")/../../lib/tap.sh"
#   tap_plan 3
#   tap_ok "two devices coexist"           # pass
#   tap_check "bound socket sees only dev1" test "$x" = 1
#   tap_skip "qmicli not installed"
#   tap_done                               # exits 1 if anything failed
#
# Diagnostics go to stdout prefixed with '# '.

TAP_N=0
TAP_FAILED=0

tap_plan() { echo "TAP version 13"; echo "1..$1"; }
tap_diag() { printf '# %s\n' "$*"; }
tap_ok() { TAP_N=$((TAP_N + 1)); echo "ok $TAP_N - $*"; }
tap_fail() {
	TAP_N=$((TAP_N + 1))
	TAP_FAILED=$((TAP_FAILED + 1))
	echo "not ok $TAP_N - $*"
}
tap_skip() { TAP_N=$((TAP_N + 1)); echo "ok $TAP_N - $* # SKIP"; }
# tap_check DESC CMD...: runs CMD, ok if it exits 0, shows its output on failure.
tap_check() {
	local desc=$1 out rc
	shift
	out=$("$@" 2>&1)
	rc=$?
	if [ $rc -eq 0 ]; then
		tap_ok "$desc"
	else
		tap_fail "$desc (exit $rc)"
		printf '%s\n' "$out" | sed 's/^/# /' | tail -n 20
	fi
	return $rc
}
tap_done() { [ "$TAP_FAILED" -eq 0 ]; exit $?; }
