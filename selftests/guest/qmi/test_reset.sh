#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Resets under a bound handle.
# 1. A network reset (ENETRESET on the handle's socket, what upstream's
#    qrtr_reset_ports() reports when the name service restarts): the handle
#    must do what upstream's qmi_handle_net_reset() does, a new socket bound
#    to the same endpoint, its lookups sent again, so the server is found
#    again and a new transaction completes (before the fix the lookup
#    results were dropped and never came back: -ENOENT).
# 2. A device that goes away and comes back with the same endpoint id (its
#    key is pre-assigned by the WLFW client), by closing its link and by a
#    firmware restart on a live link (BYE, HELLO, servers again): the bound
#    client completes a new firmware handshake each time.
cd "$(dirname "$0")/../../.." || exit 1
. selftests/lib/tap.sh
. tools/qrtr-emu/emu-lib.sh
QMI_KO=kernel/qmi/socbpf_qmi.ko
TEST_KO=kernel/qmi_test/socbpf_qmi_test.ko
WLFW_KO=kernel/wlfw/socbpf_wlfw.ko
CTL=/sys/kernel/debug/socbpf_qmi_test/ctl
RES=/sys/kernel/debug/socbpf_qmi_test/result
DEV=/sys/kernel/debug/socbpf_wlfw/devices
cleanup() {
	rmmod socbpf_wlfw 2>/dev/null
	emu_cleanup
	rmmod socbpf_qmi_test 2>/dev/null
	rmmod socbpf_qmi 2>/dev/null
	qrtr_unload
}
trap cleanup EXIT
K1=pci:0000:01:00.0
K2=pci:0000:02:00.0
FW2=chip=0x2002,family=0x4,board=0xb2,soc=0x400c0000,fw=0x05060708,build=WLAN.EMU.B

field() { tr ' ' '\n' <<<"$R" | sed -n "s/^$1=//p"; }
line() { grep "^key=$1 " "$DEV" 2>/dev/null; }
# wait_state KEY REGEX [TENTHS]
wait_state() {
	local i
	for i in $(seq "${3:-300}"); do
		line "$1" | grep -Eq "$2" && return 0
		sleep 0.1
	done
	return 1
}
ready_count() { dmesg | grep -c "socbpf_wlfw: $1: firmware ready on endpoint $2:"; }

tap_plan 7
if qrtr_load && insmod "$QMI_KO" && insmod "$TEST_KO" &&
   emu_start a --key $K1 --node 7 --service 2:1:0@2; then
	tap_ok "modules loaded, one device with DMS"
else
	tap_fail "modules loaded, one device with DMS"
	tap_done
fi
EA=$(emu_ep a)

echo "reset key:$K1 2 35 3000" > "$CTL"
R=$(cat "$RES")
tap_diag "$R"
tap_check "network reset: net_reset once, a new port, the server found again" \
	test "$(field rc1) $(field resets) $(field newport) $(field servers) $(field first)" = \
	"0 1 1 1 7:2@$EA"
tap_check "network reset: a new transaction completes through the same endpoint" \
	test "$(field rc) $(field result)" = "0 0" -a -n "$(grep -o "key=$K1 " <<<"$R")"
emu_stop a

# the WLFW client pre-assigns K2; the card comes, goes and comes back
insmod "$WLFW_KO" keys=$K2 || tap_diag "insmod $WLFW_KO failed"
emu_start b --key $K2 --node 7 --service 69:1:0@1 --wlfw $FW2
EB=$(emu_ep b)
wait_state $K2 'state=(ready|failed)'
tap_check "card up: handshake done on endpoint $EB" \
	test "$(ready_count $K2 $EB)" = 1 || tap_diag "$(line $K2)"

emu_stop b
wait_state $K2 'state=gone' 50
emu_start b --key $K2 --node 7 --service 69:1:0@1 --wlfw $FW2
EB2=$(emu_ep b)
for i in $(seq 100); do
	[ "$(ready_count $K2 $EB)" = 2 ] && break
	sleep 0.1
done
tap_check "card closed and reopened: same endpoint id, a second handshake completes" \
	test "$EB2" = "$EB" -a "$(ready_count $K2 $EB)" = 2 \
	-a "$(emu_stat b wlfw_handshakes)" = 1 ||
	tap_diag "ep $EB -> $EB2: $(line $K2)"

# firmware restart on the live link: BYE, then HELLO and its servers again
emu_cmd b bye
wait_state $K2 'state=gone' 50
emu_cmd b hello
sleep 0.3
emu_cmd b announce
for i in $(seq 100); do
	[ "$(ready_count $K2 $EB)" = 3 ] && break
	sleep 0.1
done
tap_check "firmware restart (BYE/HELLO): a third handshake completes" \
	test "$(ready_count $K2 $EB)" = 3 -a "$(emu_stat b wlfw_handshakes)" = 2 ||
	tap_diag "$(line $K2)"

ok=1
rmmod socbpf_wlfw || ok=0
emu_stop_all
rmmod socbpf_qmi_test || ok=0
rmmod socbpf_qmi || ok=0
qrtr_unload || ok=0
tap_check "modules unload cleanly" test $ok = 1
tap_done
