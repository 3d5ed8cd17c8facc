#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A burst of malformed frames from an emulated device is counted by reason and
# dropped: the module's per-endpoint and global debugfs drop counters match
# what the emulator says it sent, the device keeps working, and the kernel log
# stays clean (rate-limited messages only, no WARN/Oops: vm-run checks that).
cd "$(dirname "$0")/../../.." || exit 1
. selftests/lib/tap.sh
. tools/qrtr-emu/emu-lib.sh
trap 'emu_cleanup; qrtr_unload' EXIT

N=${N:-300}
REASONS="short version size type ctrl"
tap_plan 11

if ! qrtr_load; then
	tap_fail "insmod $QRTR_KO"
	tap_done
fi
emu_start bad --key pci:0000:0a:00.0 --node 9 --service 69:1:0@1
tap_check "emulator up" test $? = 0
EP=$(emu_ep bad)
declare -A g0
for r in $REASONS; do g0[$r]=$(dbg_stat drop_$r); done

dmesg_mark
emu_cmd bad malformed "$N"
for i in $(seq 200); do
	[ "$(emu_stat bad malformed_sent)" = "$N" ] && break
	sleep 0.1
done
sent=$(emu_stat bad malformed_sent)
tap_check "emulator sent $N malformed frames" test "$sent" = "$N"
tap_diag "$(grep -E '^(malformed|kind)_' "$EMU_TMP/bad.stats" | tr '\n' ' ')"

total=0
for r in $REASONS; do
	want=$(sed -n "s/^malformed_$r=//p" "$EMU_TMP/bad.stats")
	got=$(dbg_ep_field "$EP" "drop_$r")
	gdelta=$(( $(dbg_stat drop_$r) - ${g0[$r]:-0} ))
	total=$((total + ${got:-0}))
	tap_check "drop_$r: endpoint counter ${got:-?} == emulator $want (global +$gdelta)" \
		test "${got:-x}" = "$want" -a "$gdelta" = "$want"
done

tap_check "device still answers after the burst" \
	"$BIN/qrtr-epc" send 9 1 -e "$EP" -x "key=pci:0000:0a:00.0" -t 3000

out=$("$BIN/qrtr-epc" lookup -s 4242 -t 3000 2>&1)
tap_check "no bogus server (4242/4243) slipped into the name service" \
	bash -c "grep -q 'servers=0' <<<'$out' && ! grep -q 'svc=4243' <<<\"\$($BIN/qrtr-epc lookup -s 4243 -t 3000)\""

lines=$(dmesg_since | wc -l)
tap_diag "kernel log lines during the burst: $lines"
dmesg_since | head -n 5 | sed 's/^/#   /'
tap_check "kernel log rate-limited (< $((N / 4)) lines for $N bad frames)" test "$lines" -lt $((N / 4))

# a second burst of one kind at a time, through --malformed at start-up
emu_stop bad
emu_start bad2 --key pci:0000:0b:00.0 --node 9 --service 69:1:0@1 --malformed 64 --malformed-kind ctrl-to-data
sleep 1
EP2=$(emu_ep bad2)
tap_check "--malformed-kind ctrl-to-data: 64 counted as drop_ctrl" \
	test "$(dbg_ep_field "$EP2" drop_ctrl)" = 64
tap_done
