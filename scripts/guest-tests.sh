#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Runs inside the guest: every test_* of one selftests/guest/AREA, each with a
# timeout, its TAP saved to $SOCBPF_OUT/AREA/<test>.tap and its exit status to
# <test>.rc. Usage: guest-tests.sh AREA [TEST]
set -u
area=${1:?usage: guest-tests.sh AREA [TEST]}
only=${2:-}
dir=${GUEST_TEST_DIR:-selftests/guest}/$area
out=${SOCBPF_OUT:-/tmp}/$area
per_test_timeout=${GUEST_TEST_TIMEOUT:-600}
mkdir -p "$out"
export PATH=$PWD/build/bin:$PWD/build/selftests/bin:$PATH

# A test runs in the guests of the arches on its "# socbpf-arch: ARCH..."
# line (x86_64, arm64; default x86_64): scripts/test-arch prints them.
garch=x86_64
[ "$(uname -m)" = aarch64 ] && garch=arm64

[ -d "$dir" ] || { echo "guest-tests: no such area: $dir" >&2; exit 2; }
# on a kernel with kmemleak: record module unloads now, scan after the area
scripts/guest-kmemleak.sh start
for t in "$dir"/test_*; do
	[ -e "$t" ] || continue
	name=$(basename "$t")
	[ -n "$only" ] && [ "$only" != "$name" ] && continue
	case " $(scripts/test-arch "$t") " in
	*" $garch "*) ;;
	*) continue ;;
	esac
	case "$name" in
	*.sh) cmd=(bash "$t") ;;
	*.c|*.h|*.txt|*.conf) continue ;;
	*) [ -x "$t" ] || continue; cmd=("$t") ;;
	esac
	# a test may ask for more time with a line "# guest-test-timeout: SECONDS"
	t_timeout=$(sed -n 's/^# guest-test-timeout: *\([0-9][0-9]*\)$/\1/p' "$t" | head -n 1)
	[ -n "$t_timeout" ] && [ "$t_timeout" -gt "$per_test_timeout" ] || t_timeout=$per_test_timeout
	echo "# selftests: $area: $name"
	timeout -k 10 "$t_timeout" "${cmd[@]}" 2>&1 | tee "$out/$name.tap"
	rc=${PIPESTATUS[0]}
	echo "$rc" > "$out/$name.rc"
	echo "# selftests: $area: $name exit=$rc"
done
scripts/guest-kmemleak.sh check "$out"
exit 0
