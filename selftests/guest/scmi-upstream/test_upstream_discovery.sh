#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# socbpf-arch: arm64
# socbpf-vm: scmi-vhost --dresp-delay 300 --late-margin 1000
# Upstream arm_scmi (Debian's stock arm64 kernel) with upstream's virtio
# transport completes Base discovery against scmi-platform over
# vhost-user-scmi, registers the platform's clocks, reads a clock (sync) and
# a sensor (async: response, then delayed response on the event queue),
# and scmitrace, unchanged, counts exactly what the platform sent, with raw
# and with classic tracepoints.
PLAN=10
. "$(dirname "$0")/upstream_lib.sh"

c0=$(stat commands)
tap_check "upstream's virtio transport binds and the agent completes Base discovery" \
	load_upstream
find_hwmon
dmesg | grep -m1 "SCMI Protocol v" | sed 's/^/# /'
c1=$(stat commands)
tap_check "every discovery command was answered (platform: $((c1 - c0)) commands)" \
	test "$(stat responses)" = "$c1" -a "$c1" -gt "$c0"
tap_check "the platform's clocks are registered by clk-scmi" \
	test -e /sys/kernel/debug/clk/cpu_clk -a -e /sys/kernel/debug/clk/gpu_clk

# One traced round of reads.  (This used to get a second round on a
# mismatch: scmitrace missed a response in about 1 run of 10.  The cause was
# the kernel's recursion check: a response whose virtio interrupt came while
# the scmi_msg_dump program ran for the command going out was never seen by
# that program.  scmitrace now reports such misses and infers the response
# from the transfer's successful end; issue #12 item 6.)
start_trace disc || bail "scmitrace did not attach"
r0=$(stat responses) d0=$(stat dresps)
for i in 1 2 3 4 5; do rd /sys/kernel/debug/clk/cpu_clk/clk_rate > /dev/null; done
rate=$(rd /sys/kernel/debug/clk/gpu_clk/clk_rate)
temp=$(rd "$HWMON/temp1_input")
temp2=$(rd "$HWMON/temp1_input")
wait_stat scheduled 0
stop_trace disc
r1=$(stat responses) d1=$(stat dresps)
tap_diag "scmitrace recursion misses $(count disc recursion_misses), inferred responses $(count disc inferred_responses)"
tap_check "a sync clock read returns the platform's rate (gpu_clk $rate Hz)" test "$rate" = 400000000
tap_check "an async sensor read returns the platform's value (temp1 $temp)" \
	test "$temp" = 45000 -a "$temp2" = 45000
tap_check "scmitrace: 8 transfers, all ok" \
	test "$(count disc transfers)" = 8 -a "$(count disc ok)" = 8
tap_check "scmitrace responses = the platform's ($((r1 - r0)))" \
	test "$(count disc responses)" = $((r1 - r0))
tap_check "scmitrace delayed responses = the platform's ($((d1 - d0)))" \
	test "$(count disc delayed_responses)" = $((d1 - d0)) -a $((d1 - d0)) = 2
tap_check "nothing odd: no timeouts, late, ghost, out-of-order, lost events" \
	test "$(count disc timeouts)$(count disc late)$(count disc ghost)$(count disc out_of_order)$(count disc lost_events)" = 00000
[ "$TAP_FAILED" = 0 ] || sed 's/^/# /' "$TMP/disc.sum"

# The same with classic tracepoints (perf records, -C), one round.
start_trace classic -C || bail "scmitrace -C did not attach"
r0=$(stat responses) d0=$(stat dresps)
rd /sys/kernel/debug/clk/cpu_clk/clk_rate > /dev/null
rd "$HWMON/temp1_input" > /dev/null
wait_stat scheduled 0
stop_trace classic
r1=$(stat responses) d1=$(stat dresps)
tap_check "scmitrace -C (classic tracepoints): 2 transfers ok, responses $((r1 - r0)) and delayed responses $((d1 - d0)) as the platform's" \
	test "$(count classic transfers)/$(count classic ok)/$(count classic responses)/$(count classic delayed_responses)" = "2/2/$((r1 - r0))/$((d1 - d0))"
[ "$TAP_FAILED" = 0 ] || sed 's/^/# /' "$TMP/classic.sum"
tap_done
