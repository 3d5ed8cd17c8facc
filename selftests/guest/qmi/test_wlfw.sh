#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Several identical WLAN cards completing their firmware handshake: two
# emulated devices, both node 7 with the WLAN firmware service (69) on port
# 1, each with its own chip and board ids; the sample client socbpf_wlfw.ko
# pre-assigns each card's endpoint by key, binds a socbpf_qmi handle to it
# and runs the ath11k-like handshake. One card opens before the client, one
# after. Then: a card that disappears mid-handshake fails it with a clear
# errno; without endpoint binding the cards cannot be told apart (the
# seed's failure) and the test asserts that; the modules unload cleanly.
cd "$(dirname "$0")/../../.." || exit 1
. selftests/lib/tap.sh
. tools/qrtr-emu/emu-lib.sh
QMI_KO=kernel/qmi/socbpf_qmi.ko
WLFW_KO=kernel/wlfw/socbpf_wlfw.ko
DEV=/sys/kernel/debug/socbpf_wlfw/devices
cleanup() {
	rmmod socbpf_wlfw 2>/dev/null
	emu_cleanup
	rmmod socbpf_qmi 2>/dev/null
	qrtr_unload
}
trap cleanup EXIT

K1=pci:0000:01:00.0
K2=pci:0000:02:00.0
K3=pci:0000:03:00.0
K4=pci:0000:04:00.0
FW1=chip=0x1001,family=0x4,board=0xa1,soc=0x400c0000,fw=0x01020304,build=WLAN.EMU.A
FW2=chip=0x2002,family=0x4,board=0xb2,soc=0x400c0000,fw=0x05060708,build=WLAN.EMU.B

line() { grep "^key=$1 " "$DEV" 2>/dev/null; }
# wait_state KEY REGEX [TENTHS]: until KEY's line matches
wait_state() {
	local i
	for i in $(seq "${3:-300}"); do
		line "$1" | grep -Eq "$2" && return 0
		sleep 0.1
	done
	return 1
}

tap_plan 10
if qrtr_load && insmod "$QMI_KO"; then
	tap_ok "insmod socbpf_qrtr, socbpf_qmi"
else
	tap_fail "insmod socbpf_qrtr, socbpf_qmi"
	tap_done
fi

# card A is there before the client, card B comes after it
emu_start a --key $K1 --node 7 --service 69:1:0@1 --wlfw $FW1
EA=$(emu_ep a)
insmod "$WLFW_KO" keys=$K1,$K2 || tap_diag "insmod $WLFW_KO failed"
wait_state $K2 'state=waiting' 50
emu_start b --key $K2 --node 7 --service 69:1:0@1 --wlfw $FW2
EB=$(emu_ep b)
tap_diag "endpoints: $K1 -> $EA, $K2 -> $EB"
tap_check "card B took the endpoint id the client pre-assigned" \
	sh -c "grep '^key=$K2 ' $DEV | grep -q 'ep=$EB '"
wait_state $K1 'state=(ready|failed)'
wait_state $K2 'state=(ready|failed)'
tap_diag_lines "$(cat "$DEV")"
tap_check "card A (open before the client): handshake done, its own chip and board" \
	sh -c "grep '^key=$K1 ' $DEV | grep -q 'state=ready server=7:1@$EA chip_id=0x1001 chip_family=0x4 board_id=0xa1 soc_id=0x400c0000 fw_version=0x1020304 fw_build_id=WLAN.EMU.A '"
tap_check "card B (open after the client): handshake done, its own chip and board" \
	sh -c "grep '^key=$K2 ' $DEV | grep -q 'state=ready server=7:1@$EB chip_id=0x2002 chip_family=0x4 board_id=0xb2 soc_id=0x400c0000 fw_version=0x5060708 fw_build_id=WLAN.EMU.B '"
tap_check "each card's firmware saw exactly one handshake" \
	test "$(emu_stat a wlfw_handshakes) $(emu_stat b wlfw_handshakes)" = "1 1"

# card C never answers the target capability request, then goes away
emu_start c --key $K3 --node 7 --service 69:1:0@1 --wlfw chip=0x3003,hang=0x24
echo $K3 > /sys/kernel/debug/socbpf_wlfw/probe
for i in $(seq 100); do
	[ "$(emu_stat c wlfw_req)" = 4 ] && break	# ind reg, host cap, mem, cap
	sleep 0.1
done
emu_stop c
wait_state $K3 'state=failed' 100
tap_check "card gone mid-handshake: fails at cap with ECONNRESET/ENETRESET" \
	sh -c "grep '^key=$K3 ' $DEV | grep -Eq 'state=failed .*step=cap err=-(104|102) '" ||
	tap_diag "$(line $K3)"

# card D sends malformed QMI before its real memory request: truncated
# TLV, length past the message, wrong layout, unknown id, huge array
emu_start d --key $K4 --node 7 --service 69:1:0@1 --wlfw chip=0x4004,bad=1
echo $K4 > /sys/kernel/debug/socbpf_wlfw/probe
wait_state $K4 'state=(ready|failed)'
tap_check "malformed QMI from a card: 4 malformed and 1 unknown counted, handshake done" \
	sh -c "grep '^key=$K4 ' $DEV | grep -q 'state=ready .*chip_id=0x4004 .* malformed=4 unknown=1'" ||
	tap_diag "$(line $K4)"

ok=1
rmmod socbpf_wlfw || ok=0
grep -q 'owner=socbpf_wlfw' "$QRTR_DBG/endpoints" && ok=0
tap_check "socbpf_wlfw unloads, its pre-assignments are gone" test $ok = 1

# without endpoint binding the two cards are one node:port: not both right
insmod "$WLFW_KO" keys=$K1,$K2 bind=0
wait_state $K1 'state=(ready|failed)' 150
wait_state $K2 'state=(ready|failed)' 150
a=$(line $K1)
b=$(line $K2)
tap_diag_lines "$a"
tap_diag_lines "$b"
both=0
grep -q 'state=ready .*chip_id=0x1001 ' <<<"$a" &&
	grep -q 'state=ready .*chip_id=0x2002 ' <<<"$b" && both=1
tap_check "unbound handles: the cards cannot each get their own firmware" \
	test $both = 0
ok=1
rmmod socbpf_wlfw || ok=0
emu_stop_all
rmmod socbpf_qmi || ok=0
qrtr_unload || ok=0
tap_check "modules unload cleanly" test $ok = 1
tap_done
