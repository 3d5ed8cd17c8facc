#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make bench [B=AREA]: run selftests/bench/AREA.sh in the guest, once per mode
# listed on its "# bench-modes:" line (each mode gets its own boot, e.g. to
# compare with a stock module that owns the same socket family), then its
# AREA.report on the host, if any, to print figures and ratios.  A script
# with a "# bench-host" line runs on the host instead (no boot).  A line
# "# bench-vm MODE: VAR=value ..." (shell words: quote values with spaces)
# sets vm-run's environment (VM_SMP, VM_QEMU_ARGS, VM_APPEND, ...) for that
# mode's boot.  An executable AREA.prepare runs on the host first (given the
# output folder), e.g. to build a test-only module the guest loads.
set -u
TOP=$(cd "$(dirname "$0")/.." && pwd)
cd "$TOP" || exit 2
only=${1:-}
rc=0
for b in selftests/bench/*.sh; do
	[ -e "$b" ] || continue
	area=$(basename "$b" .sh)
	[ -n "$only" ] && [ "$only" != "$area" ] && continue
	out=$TOP/build/bench/$area
	rm -rf "$out"
	mkdir -p "$out"
	# "# bench-host" in the script: it runs on the host, given OUTDIR
	if grep -q '^# bench-host' "$b"; then
		echo "== bench $area (host)"
		bash "$b" "$out" || { echo "bench $area failed" >&2; rc=1; }
		continue
	fi
	# host-side preparation before the boots (e.g. a test-only module)
	if [ -x "selftests/bench/$area.prepare" ] &&
	   ! "selftests/bench/$area.prepare" "$out"; then
		echo "bench $area: $area.prepare failed" >&2
		rc=1
	fi
	modes=$(sed -n 's/^# bench-modes: *//p' "$b")
	[ -n "$modes" ] || modes=default
	for m in $modes; do
		echo "== bench $area ($m)"
		mkdir -p "$out/$m"
		# words as the shell splits them (quotes allowed), from our own file
		eval "vmenv=($(sed -n "s/^# bench-vm $m: *//p" "$b"))"
		if ! env "${vmenv[@]}" scripts/vm-run -q -t 1800 -o "$out/$m" -l "$out/$m/serial.log" -- bash "$b" "$m"; then
			echo "bench $area ($m) failed: see $out/$m/serial.log" >&2
			rc=1
		fi
		cat "$out/$m/result.txt" 2>/dev/null
	done
	if [ -x "selftests/bench/$area.report" ]; then
		"selftests/bench/$area.report" "$out" || rc=1
	fi
done
exit $rc
