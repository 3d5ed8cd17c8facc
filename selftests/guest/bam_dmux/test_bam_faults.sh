#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Bad frames from the modem: every kind the emulator injects (bad magic, bad
# channel, unknown command, zero length, length larger than a buffer,
# padding lies, length mismatch, short transfer, non-IP payload, data on a
# closed channel) is dropped and counted exactly, by reason in debugfs and
# in the netdev's error counters; a flood and a power collapse mid-traffic;
# the link keeps working throughout.
. "$(dirname "$0")/bam_lib.sh"
trap bam_cleanup EXIT

tap_plan 17

load_tun || tap_diag "cannot load tun"
bam_load || { tap_fail "module loads"; tap_done; }
modem_start -c 0 || { tap_fail "modem starts"; tap_done; }
net_up 0
W=$(wwan_of 0)
tap_check "ping before the faults" $PING -c 2 -W 5 10.64.0.1

echo 1 > "$D/reset"
e0=$(nstat "$W" rx_errors); l0=$(nstat "$W" rx_length_errors)
f0=$(nstat "$W" rx_frame_errors); d0=$(nstat "$W" rx_dropped)
# different counts per kind, so a reason mix-up cannot pass
modem_ctl "bad magic 3"
modem_ctl "bad channel 4"
modem_ctl "bad cmd 5 0"
modem_ctl "bad zero 6 0"
modem_ctl "bad toolong 7 0"
modem_ctl "bad pad 8 0"
modem_ctl "bad length 9 0"
modem_ctl "bad short 10"
modem_ctl "bad proto 11 0"
modem_ctl "bad closed 12 5"
modem_sync
sleep 0.3
modem_sync

for r in magic:3 channel:4 cmd:5 zero_len:6 too_long:7 pad:8 length:9 short:10 proto:11 closed:12; do
	n=${r%%:*}; want=${r#*:}
	tap_check "$n: driver drop_$n = emulator expect_$n = $want" \
		test "$(st drop_$n)" = "$want" -a "$(mst expect_$n)" = "$want"
done
tap_check "$W rx_length_errors += zero_len + too_long + length (22)" \
	test $(( $(nstat "$W" rx_length_errors) - l0 )) = 22
tap_check "$W rx_frame_errors += cmd + pad (13), rx_errors += 35" \
	test $(( $(nstat "$W" rx_frame_errors) - f0 )) = 13 \
	-a $(( $(nstat "$W" rx_errors) - e0 )) = 35
tap_check "$W rx_dropped += proto (11); closed ch 5 has no netdev" \
	test $(( $(nstat "$W" rx_dropped) - d0 )) = 11

# a flood of valid frames, then a power collapse in the middle of traffic
modem_ctl "flood 0 3000"
$PING -i 0.05 -c 40 -W 5 10.64.0.1 > "$TMP/ping" 2>&1 & pp=$!
sleep 0.5
modem_ctl collapse
wait $pp
modem_sync
tap_check "flood + power collapse: modem_pc_off 1, rx re-armed (rx_on 1)" \
	test "$(st modem_pc_off)" = 1 -a "$(st rx_on)" = 1
tap_check "... the 5 frames sent into the collapse were refused (ENOLINK)" \
	test "$(mst rx_nolink)" = 5
tap_check "ping works after the collapse" $PING -c 3 -W 5 10.64.0.1
tap_diag "frames the host took: $(mst rx_data), refused while collapsed: $(mst rx_nolink), busy: $(mst rx_busy)"

tap_done
