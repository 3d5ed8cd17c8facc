#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Two emulated devices with the same node (7), the same port (1) and the same
# service (69, WLAN firmware) coexist; a socket bound to each endpoint
# (SOL_QRTR QRTR_BIND_ENDPOINT) talks only to its own device, and received
# messages report their endpoint (QRTR_ENDPOINT cmsg).
cd "$(dirname "$0")/../../.." || exit 1
. selftests/lib/tap.sh
. tools/qrtr-emu/emu-lib.sh
trap 'emu_cleanup; qrtr_unload' EXIT

tap_plan 9
K1=pci:0000:01:00.0
K2=pci:0000:02:00.0

if ! qrtr_load; then
	tap_fail "insmod $QRTR_KO"
	tap_done
fi
if emu_start a --key $K1 --node 7 --service 69:1:0@1 &&
   emu_start b --key $K2 --node 7 --service 69:1:0@1; then
	tap_ok "two devices with node 7 port 1 service 69 up"
else
	tap_fail "two devices up"
	tap_done
fi
EA=$(emu_ep a)
EB=$(emu_ep b)
tap_diag "endpoints: $K1 -> $EA, $K2 -> $EB"
tap_check "distinct endpoint ids" test -n "$EA" -a -n "$EB" -a "$EA" != "$EB"

out=$("$BIN/qrtr-epc" lookup -s 69 -t 3000 2>&1)
tap_check "name service has service 69 twice (one per device)" grep -q 'servers=2' <<<"$out" ||
	tap_diag_lines "$out"

ok=1
for i in 1 2 3 4 5; do
	oa=$("$BIN/qrtr-epc" send 7 1 -e "$EA" -d "a$i" -t 3000 2>&1)
	ob=$("$BIN/qrtr-epc" send 7 1 -e "$EB" -d "b$i" -t 3000 2>&1)
	grep -q "reply ep=$EA from=7:1 .*key=$K1 ep=$EA .*|a$i" <<<"$oa" || { ok=0; tap_diag "A: $oa"; }
	grep -q "reply ep=$EB from=7:1 .*key=$K2 ep=$EB .*|b$i" <<<"$ob" || { ok=0; tap_diag "B: $ob"; }
done
if [ $ok = 1 ]; then
	tap_ok "bound sockets reach only their own device, cmsg reports the endpoint"
else
	tap_fail "bound sockets reach only their own device"
fi

echo_a0=$(emu_stat a echo)
echo_b0=$(emu_stat b echo)
"$BIN/qrtr-epc" send 7 1 -e "$EA" -d burst -n 40 -q -t 3000 >/dev/null 2>&1
echo_a1=$(emu_stat a echo)
echo_b1=$(emu_stat b echo)
tap_check "a 40-datagram burst to endpoint A never reaches device B" \
	test "$((echo_a1 - echo_a0))" = 40 -a "$echo_b1" = "$echo_b0"

# Both devices answer concurrently.
"$BIN/qrtr-epc" send 7 1 -e "$EA" -n 30 -q -x "key=$K1" -t 3000 >"$EMU_TMP/ca" 2>&1 &
pa=$!
"$BIN/qrtr-epc" send 7 1 -e "$EB" -n 30 -q -x "key=$K2" -t 3000 >"$EMU_TMP/cb" 2>&1 &
pb=$!
wait $pa; ra=$?
wait $pb; rb=$?
tap_check "concurrent traffic to both endpoints stays separate" test $ra = 0 -a $rb = 0 ||
	tap_diag_lines "$(cat "$EMU_TMP/ca" "$EMU_TMP/cb")"

out=$("$BIN/qrtr-epc" send 7 1 -e 250 -t 1000 2>&1)
tap_check "binding to a nonexistent endpoint is refused or gets no answer" test $? != 0
tap_diag_lines "$out"

out=$("$BIN/qrtr-epc" send 7 1 -t 3000 2>&1)
tap_diag "unbound socket to 7:1: $out"
tap_check "an unbound socket still gets an answer from one of them" \
	grep -Eq "key=($K1|$K2)" <<<"$out"

emu_stop a && emu_stop b
tap_check "emulators exit cleanly" test $? = 0
tap_done
