#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# One emulated device on /dev/qrtr-tun: HELLO/NEW_SERVER handshake, name
# service lookup, echo on a data port, flow control (RESUME_TX), PING, BYE,
# and the emulator's command line.
cd "$(dirname "$0")/../../.." || exit 1
. selftests/lib/tap.sh
. tools/qrtr-emu/emu-lib.sh
trap 'emu_cleanup; qrtr_unload' EXIT

tap_plan 12
KEY=pci:0000:01:00.0

tap_check "emulator rejects bad flags with exit 2" \
	bash -c "$BIN/qrtr-emu --bogus; [ \$? = 2 ] && $BIN/qrtr-emu -k x -s 69; [ \$? = 2 ] && $BIN/qrtr-emu; [ \$? = 2 ]"
tap_check "emulator --help shows examples" bash -c "$BIN/qrtr-emu --help | grep -q Examples"

if ! qrtr_load; then
	tap_fail "insmod $QRTR_KO"
	tap_done
fi
tap_ok "module loaded, /dev/qrtr-tun present"

if emu_start d1 --key "$KEY" --node 7 --service 69:1:0@1 --service 4242:2:5@3; then
	tap_ok "emulator ready (endpoint $(emu_ep d1))"
else
	tap_fail "emulator ready"
	tap_done
fi
EP=$(emu_ep d1)

tap_check "debugfs lists the endpoint with its key" \
	grep -q "^id=$EP key=$KEY " "$QRTR_DBG/endpoints"

out=$("$BIN/qrtr-epc" lookup -t 3000 2>&1)
tap_check "name service lists both services of node 7" \
	bash -c "grep -q 'svc=69 ver=1 inst=0 node=7 port=1' <<<'$out' && grep -q 'svc=4242 ver=2 inst=5 node=7 port=3' <<<'$out'" ||
	tap_diag_lines "$out"

tap_check "echo from the device's data port carries its key" \
	"$BIN/qrtr-epc" send 7 1 -d hello -x "key=$KEY ep=$EP node=7 port=1 svc=69 inst=0|hello" -t 3000

out=$("$BIN/qrtr-epc" send 7 1 -d flow -n 60 -q -t 3000 2>&1)
tap_check "60 datagrams in a row all answered (flow control)" test $? = 0 || tap_diag_lines "$out"
tap_diag "emulator sent RESUME_TX $(emu_stat d1 resume_tx) times"

tap_check "data to an unknown port is ignored by the device" \
	bash -c "! $BIN/qrtr-epc send 7 99 -t 500"

emu_cmd d1 bye
sleep 0.5
out=$("$BIN/qrtr-epc" lookup -s 69 -t 3000 2>&1)
if grep -q 'servers=0' <<<"$out"; then
	tap_ok "BYE from the device removes its servers"
else
	tap_fail "BYE from the device removes its servers"
	tap_diag_lines "$out"
fi
emu_cmd d1 hello
emu_cmd d1 announce
sleep 0.5
out=$("$BIN/qrtr-epc" lookup -s 69 -t 3000 2>&1)
tap_check "HELLO + announce again restores them" grep -q 'servers=1' <<<"$out" ||
	tap_diag_lines "$out"

emu_stop d1
tap_check "emulator exits 0 on SIGTERM" test $? = 0
tap_done
