#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Unmodified Debian clients against emulated devices: qrtr-lookup lists every
# device's services (including two devices sharing node 7), qmicli talks QMI
# DMS to an emulated modem over qrtr://7.
cd "$(dirname "$0")/../../.." || exit 1
. selftests/lib/tap.sh
. tools/qrtr-emu/emu-lib.sh
trap 'emu_cleanup; qrtr_unload' EXIT

tap_plan 8
K1=pci:0000:01:00.0
K2=pci:0000:02:00.0

if ! qrtr_load; then
	tap_fail "insmod $QRTR_KO"
	tap_done
fi
emu_start modem --key $K1 --node 7 --service 69:1:0@1 --service 2:1:0@2 \
	--manufacturer "socbpf-labs" --model "emu-modem" &&
	emu_start wlan --key $K2 --node 9 --service 69:1:0@1
tap_check "modem (node 7) and wlan (node 9) emulators up" test $? = 0

if command -v qrtr-lookup >/dev/null; then
	out=$(timeout 20 qrtr-lookup 2>&1)
	tap_diag_lines "$out"
	tap_check "qrtr-lookup lists service 69 on node 7 and on node 9" \
		bash -c "awk '\$1 == 69 && \$4 == 7 && \$5 == 1' <<<'$out' | grep -q . &&
			 awk '\$1 == 69 && \$4 == 9 && \$5 == 1' <<<'$out' | grep -q ."
	tap_check "qrtr-lookup lists DMS (service 2) on node 7" \
		bash -c "awk '\$1 == 2 && \$4 == 7 && \$5 == 2' <<<'$out' | grep -q ."
else
	tap_skip "qrtr-lookup not installed"
	tap_skip "qrtr-lookup not installed"
fi

if command -v qmicli >/dev/null; then
	out=$(timeout 60 qmicli -d qrtr://7 --dms-get-revision 2>&1)
	tap_diag_lines "$out"
	tap_check "qmicli --dms-get-revision answered by the emulated modem" \
		grep -q "Revision: 'QRTR-EMU-1.0 key=$K1 node=7 inst=0'" <<<"$out"
	out=$(timeout 60 qmicli -d qrtr://7 --dms-get-manufacturer 2>&1)
	tap_check "qmicli --dms-get-manufacturer" grep -q "Manufacturer: 'socbpf-labs'" <<<"$out" ||
		tap_diag_lines "$out"
	out=$(timeout 60 qmicli -d qrtr://7 --dms-get-model 2>&1)
	tap_check "qmicli --dms-get-model" grep -q "Model: 'emu-modem'" <<<"$out" ||
		tap_diag_lines "$out"
	out=$(timeout 60 qmicli -d qrtr://7 --dms-get-ids 2>&1)
	tap_check "unsupported DMS request gets a QMI error, not a hang" \
		grep -q "QMI protocol error" <<<"$out"
	tap_diag_lines "$out"
else
	for i in 1 2 3 4; do tap_skip "qmicli not installed"; done
fi

# a second device with the same node 7: qrtr-lookup shows both
emu_start twin --key pci:0000:03:00.0 --node 7 --service 69:1:1@1
if command -v qrtr-lookup >/dev/null; then
	out=$(timeout 20 qrtr-lookup 2>&1)
	tap_check "qrtr-lookup lists both node-7 devices' service 69" \
		test "$(awk '$1 == 69 && $4 == 7' <<<"$out" | wc -l)" = 2 ||
		tap_diag_lines "$out"
else
	tap_skip "qrtr-lookup not installed"
fi
tap_done
