#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# scmitrace -p / -m filters and interval mode against socbpf_scmi +
# scmi-platform: several instances trace the same workload of sensor
# readings and clock rate reads at once; each must see exactly its share.
# Runs as root in the guest with cwd = repo top.
NSENS=${NSENS:-25}
NCLK=${NCLK:-15}
PLAN=8
. "$(dirname "$0")/scmitrace_lib.sh"

if ! insmod "$KO" 2>"$TMP/insmod.err"; then
	tap_diag "$(cat "$TMP/insmod.err")"
	bail "insmod $KO failed"
fi
"$PLAT" -l 1 > "$TMP/plat.out" 2>&1 &
pids+=($!)
wait_line "$D/info" '^ready 1' 100 || bail "SCMI platform did not come up"

# discovery is over: from here on the workload is all there is
start_trace all -j
start_trace sensor -j -p sensor
start_trace clkget -j -p 0x14 -m RATE_GET
start_trace byname -j -m SENSOR_READING_GET
start_trace none -j -p power
start_trace ival -j -T 1

for i in $(seq "$NSENS"); do echo "sensor_read 0" > "$D/cmd"; done
for i in $(seq "$NCLK"); do echo "clock_get 0" > "$D/cmd"; done
sleep 0.3
for n in all sensor clkget byname none; do stop_trace $n; done
sleep 1.2	# let the interval instance print at least one full interval
stop_trace ival

# get NAME JQ: from the summary object of instance NAME
get() { jq -r "select(.type == \"summary\") | $2" "$TMP/$1.out" 2>/dev/null; }

tap_check "unfiltered instance sees all $((NSENS + NCLK)) transfers" \
	test "$(get all .counts.transfers)" = $((NSENS + NCLK))
tap_check "-p sensor sees only the $NSENS sensor readings" \
	test "$(get sensor '"\(.counts.transfers) \([.histograms[].proto] | unique)"')" = "$NSENS [21]"
tap_check "-p 0x14 -m RATE_GET sees only the $NCLK CLOCK_RATE_GET" \
	test "$(get clkget '"\(.counts.transfers) \([.histograms[].msg_name] | unique)"')" = "$NCLK [\"CLOCK_RATE_GET\"]"
tap_check "-m SENSOR_READING_GET implies the sensor protocol" \
	test "$(get byname '"\(.filter.proto) \(.filter.msg) \(.counts.transfers)"')" = "21 6 $NSENS"
tap_check "-p power sees nothing" \
	test "$(get none '"\(.counts.transfers) \(.counts.begin) \(.histograms | length)"')" = "0 0 0"
tap_check "per-(protocol, message) histograms: sensor 0x15/0x06 and clock 0x14/0x06" \
	test "$(get all '[.histograms[] | "\(.proto)/\(.msg)=\(.count)"] | sort | join(",")')" = "20/6=$NCLK,21/6=$NSENS"

# intervals: kernel-side reset, so the intervals add up to the summary
sum=$(jq -s '[.[] | select(.type == "interval") | .counts.transfers] | add' "$TMP/ival.out")
tot=$(get ival .counts.transfers)
tap_check "interval counts add up to the summary ($sum = $tot = $((NSENS + NCLK)))" \
	test "$sum" = "$tot" -a "$tot" = $((NSENS + NCLK))
nint=$(jq -s '[.[] | select(.type == "interval" and .timestamp != null)] | length' "$TMP/ival.out")
tap_check "interval objects carry a timestamp with -T ($nint)" test "$nint" -ge 1
tap_done
