#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Wire interop with a real client: a socbpf_qmi handle in the kernel serves
# DMS (through the test module socbpf_qmi_test.ko), and Debian's unmodified
# qmicli (libqmi) finds it with the name service and queries revision,
# manufacturer and model over QRTR: the kernel codec on the wire against
# libqmi's decoder.
cd "$(dirname "$0")/../../.." || exit 1
. selftests/lib/tap.sh
. tools/qrtr-emu/emu-lib.sh
QMI_KO=kernel/qmi/socbpf_qmi.ko
TEST_KO=kernel/qmi_test/socbpf_qmi_test.ko
CTL=/sys/kernel/debug/socbpf_qmi_test/ctl
RES=/sys/kernel/debug/socbpf_qmi_test/result
cleanup() {
	rmmod socbpf_qmi_test 2>/dev/null
	rmmod socbpf_qmi 2>/dev/null
	qrtr_unload
	emu_cleanup
}
trap cleanup EXIT

tap_plan 7
if ! command -v qmicli >/dev/null; then
	for i in $(seq 7); do tap_skip "qmicli not installed (libqmi-utils)"; done
	exit 0
fi
if qrtr_load && insmod "$QMI_KO" && insmod "$TEST_KO"; then
	tap_ok "insmod socbpf_qrtr, socbpf_qmi, socbpf_qmi_test"
else
	tap_fail "insmod socbpf_qrtr, socbpf_qmi, socbpf_qmi_test"
	tap_done
fi
echo serve-dms > "$CTL"
R=$(cat "$RES")
node=$(sed -n 's/.*node=\([0-9]*\).*/\1/p' <<<"$R")
port=$(sed -n 's/.*port=\([0-9]*\).*/\1/p' <<<"$R")
tap_check "kernel handle serves DMS" grep -q 'rc=0' <<<"$R" || tap_diag "$R"

out=$(timeout 20 qrtr-lookup 2>&1)
tap_check "qrtr-lookup lists DMS (2) at $node:$port" \
	grep -Eq "^ +2 +1 +0 +$node +$port " <<<"$out" || tap_diag_lines "$out"

q() { timeout 30 qmicli -d "qrtr://$node" "$@" 2>&1; }
out=$(q --dms-get-revision)
tap_check "qmicli --dms-get-revision" \
	grep -q "Revision: 'SOCBPF-KERNEL-QMI-1.0'" <<<"$out" || tap_diag_lines "$out"
out=$(q --dms-get-manufacturer)
tap_check "qmicli --dms-get-manufacturer" \
	grep -q "Manufacturer: 'socbpf'" <<<"$out" || tap_diag_lines "$out"
out=$(q --dms-get-model)
tap_check "qmicli --dms-get-model" \
	grep -q "Model: 'socbpf_qmi kernel DMS'" <<<"$out" || tap_diag_lines "$out"

echo stop-dms > "$CTL"
R=$(cat "$RES")
ok=1
rmmod socbpf_qmi_test || ok=0
rmmod socbpf_qmi || ok=0
tap_check "3 requests served, modules unload" test "$R" = "stopped served=3" -a $ok = 1 ||
	tap_diag "$R"
tap_done
