#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Runs inside the guest: every test_* of one selftests/guest/AREA, each with a
# timeout, its TAP saved to $SOCBPF_OUT/AREA/<test>.tap and its exit status to
# <test>.rc; then a kmemleak scan (on a kernel with kmemleak) whose result
# goes to $SOCBPF_OUT/AREA/kmemleak.tap.
#
#   guest-tests.sh AREA [TEST...]     the area's tests (or the ones named)
#   guest-tests.sh -m SEL...          several areas in one boot, SEL being
#                                     AREA or AREA/TEST, in that order; one
#                                     kmemleak scan at the end, its result in
#                                     $SOCBPF_OUT/kmemleak/kmemleak.tap
set -u
usage="usage: guest-tests.sh AREA [TEST...] | -m AREA[/TEST]..."
[ $# -ge 1 ] || { echo "$usage" >&2; exit 2; }
tdir=${GUEST_TEST_DIR:-selftests/guest}
per_test_timeout=${GUEST_TEST_TIMEOUT:-600}
export PATH=$PWD/build/bin:$PWD/build/selftests/bin:$PATH

# A test runs in the guests of the arches on its "# socbpf-arch: ARCH..."
# line (x86_64, arm64; default x86_64): scripts/test-arch prints them.
garch=x86_64
[ "$(uname -m)" = aarch64 ] && garch=arm64

# run_area AREA [TEST...]: the area's tests, or only those named
run_area() {
	local area=$1 t name cmd rc t_timeout only
	shift
	only=" $* "
	local dir=$tdir/$area out=${SOCBPF_OUT:-/tmp}/$area
	[ -d "$dir" ] || { echo "guest-tests: no such area: $dir" >&2; return 2; }
	mkdir -p "$out"
	for t in "$dir"/test_*; do
		[ -e "$t" ] || continue
		name=$(basename "$t")
		[ "$only" != "  " ] && [ "${only#* "$name" }" = "$only" ] && continue
		case " $(scripts/test-arch "$t") " in
		*" $garch "*) ;;
		*) continue ;;
		esac
		case "$name" in
		*.sh) cmd=(bash "$t") ;;
		*.c|*.h|*.txt|*.conf) continue ;;
		*) [ -x "$t" ] || continue; cmd=("$t") ;;
		esac
		# a test may ask for more time: "# guest-test-timeout: SECONDS"
		t_timeout=$(sed -n 's/^# guest-test-timeout: *\([0-9][0-9]*\)$/\1/p' "$t" | head -n 1)
		[ -n "$t_timeout" ] && [ "$t_timeout" -gt "$per_test_timeout" ] ||
			t_timeout=$per_test_timeout
		echo "# selftests: $area: $name"
		timeout -k 10 "$t_timeout" "${cmd[@]}" 2>&1 | tee "$out/$name.tap"
		rc=${PIPESTATUS[0]}
		echo "$rc" > "$out/$name.rc"
		echo "# selftests: $area: $name exit=$rc"
	done
}

# on a kernel with kmemleak: record module unloads now, scan at the end
scripts/guest-kmemleak.sh start
if [ "$1" = -m ]; then
	shift
	for sel in "$@"; do
		if [ "$sel" = "${sel%%/*}" ]; then
			run_area "$sel"
		else
			run_area "${sel%%/*}" "${sel#*/}"
		fi
	done
	mkdir -p "${SOCBPF_OUT:-/tmp}/kmemleak"
	scripts/guest-kmemleak.sh check "${SOCBPF_OUT:-/tmp}/kmemleak"
else
	run_area "$@" || exit 2
	scripts/guest-kmemleak.sh check "${SOCBPF_OUT:-/tmp}/$1"
fi
exit 0
