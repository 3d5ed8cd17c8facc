#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make fuzz-long: run every libFuzzer target for a fixed number of executions
# (FUZZ_RUNS, default 10 million) or, if FUZZ_LONG_SECONDS is set, for that
# many seconds each, then print one line per target from libFuzzer's final
# stats: executions, exec/s, coverage (edges covered / instrumented), features,
# corpus size, peak RSS and the verdict. A crash, leak, timeout or OOM fails the
# run; the input that caused it is kept under build/fuzz/artifacts-<target>/.
#
#   scripts/fuzz-long.sh build/fuzz/fuzz_*        (what make fuzz-long runs)
#   FUZZ_RUNS=200000 scripts/fuzz-long.sh ...     a short proof run
#   FUZZ_LONG_SECONDS=600 scripts/fuzz-long.sh ...
# EXEC/S is executions over wall-clock seconds of the whole run.
set -u
TOP=$(cd "$(dirname "$0")/.." && pwd)
FUZZ_DIR=$TOP/build/fuzz
RUNS=${FUZZ_RUNS:-10000000}
SECS=${FUZZ_LONG_SECONDS:-}

case "$RUNS" in
''|*[!0-9]*) echo "fuzz-long: FUZZ_RUNS wants a number of executions" >&2; exit 2 ;;
esac
case "$SECS" in
*[!0-9]*) echo "fuzz-long: FUZZ_LONG_SECONDS wants a number of seconds" >&2; exit 2 ;;
esac
[ $# -gt 0 ] || { echo "usage: $0 FUZZER..." >&2; exit 2; }

if [ -n "$SECS" ]; then
	limit=(-runs=-1 -max_total_time="$SECS")
	what="${SECS}s each"
else
	limit=(-runs="$RUNS")
	what="$RUNS executions each"
fi

rows=()
failed=0
start_all=$(date +%s)
for f in "$@"; do
	name=$(basename "$f")
	corpus=$FUZZ_DIR/corpus-$name
	art=$FUZZ_DIR/artifacts-$name
	log=$FUZZ_DIR/long-$name.log
	mkdir -p "$corpus" "$art"
	echo "== $name ($what; log: ${log#"$TOP"/})"
	t0=$(date +%s.%N)
	"$f" "${limit[@]}" -print_final_stats=1 -artifact_prefix="$art/" \
		"$corpus" > "$log" 2>&1
	rc=$?
	t1=$(date +%s.%N)
	secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')

	# libFuzzer's own figures: the last status line carries cov/ft/corp, the
	# final stats the executions and the rate.
	total=$(sed -n 's/^INFO: Loaded [0-9]* modules *(\([0-9]*\) inline 8-bit counters).*/\1/p' \
		"$log" | head -n 1)
	status=$(grep -a -E '^#[0-9]+[[:space:]]+[A-Z]+' "$log" | tail -n 1)
	cov=$(sed -n 's/.* cov: \([0-9]*\) .*/\1/p' <<<"$status")
	ft=$(sed -n 's/.* ft: \([0-9]*\) .*/\1/p' <<<"$status")
	corp=$(sed -n 's/.* corp: \([0-9]*\/[0-9]*[a-zA-Z]*\) .*/\1/p' <<<"$status")
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
	# libFuzzer rounds its own rate down to whole seconds of run time: take
	# the wall clock instead (corpus loading included).
	rate=$(awk -v n="${execs:-0}" -v s="$secs" 'BEGIN { printf "%d", (s > 0 ? n / s : 0) }')
	rss=$(sed -n 's/^stat::peak_rss_mb: *//p' "$log")
	if [ "$rc" = 0 ]; then
		verdict=ok
	else
		verdict="FAIL($rc)"
		failed=$((failed + 1))
		grep -a -E '^(==[0-9]+==ERROR|SUMMARY|artifact_prefix|.*Test unit written)' \
			"$log" | head -n 5 | sed 's/^/   /'
	fi
	rows+=("$(printf '%-22s %11s %9s %9s %7s %10s %7s %7s %s' "$name" \
		"${execs:--}" "${rate:--}" "${cov:--}/${total:--}" "${ft:--}" \
		"${corp:--}" "${rss:--}" "$secs" "$verdict")")
done

echo
printf '%-22s %11s %9s %9s %7s %10s %7s %7s %s\n' TARGET EXECS EXEC/S COV/EDGES \
	FT CORPUS RSS_MB SECS VERDICT
printf '%s\n' "${rows[@]}"
echo "fuzz-long: $# targets, $failed failed, $(( $(date +%s) - start_all ))s in all"
[ "$failed" = 0 ]
