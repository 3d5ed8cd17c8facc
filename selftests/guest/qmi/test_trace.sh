#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The socbpf_qmi tracepoints: a transaction to a device's DMS shows its
# request (tx), its response (rx) and its end (txn_end: service, message
# and transaction ids, result 0, a latency); a transaction that times out
# ends with -110; a malformed response shows as an rx with its errno.
cd "$(dirname "$0")/../../.." || exit 1
. selftests/lib/tap.sh
. tools/qrtr-emu/emu-lib.sh
QMI_KO=kernel/qmi/socbpf_qmi.ko
TEST_KO=kernel/qmi_test/socbpf_qmi_test.ko
CTL=/sys/kernel/debug/socbpf_qmi_test/ctl
T=/sys/kernel/tracing
cleanup() {
	echo 0 > $T/events/socbpf_qmi/enable 2>/dev/null
	emu_cleanup
	rmmod socbpf_qmi_test 2>/dev/null
	rmmod socbpf_qmi 2>/dev/null
	qrtr_unload
}
trap cleanup EXIT
K1=pci:0000:01:00.0

tap_plan 6
if qrtr_load && insmod "$QMI_KO" && insmod "$TEST_KO" &&
   emu_start a --key $K1 --node 7 --service 2:1:0@2 --service 69:1:0@1; then
	tap_ok "modules loaded, one device up"
else
	tap_fail "modules loaded, one device up"
	tap_done
fi
EA=$(emu_ep a)
tap_check "the three socbpf_qmi events exist" \
	test -d $T/events/socbpf_qmi/socbpf_qmi_tx -a \
	-d $T/events/socbpf_qmi/socbpf_qmi_rx -a \
	-d $T/events/socbpf_qmi/socbpf_qmi_txn_end
echo > $T/trace
echo 1 > $T/events/socbpf_qmi/enable
echo "revision key:$K1 2 35 3000" > "$CTL"
echo "revision key:$K1 69 35 800" > "$CTL"	# echoed as text: malformed
echo 0 > $T/events/socbpf_qmi/enable
tr=$(grep socbpf_qmi $T/trace)
tap_check "request traced: tx ep $EA to 7:2 svc 2 msg 0x0023" \
	grep -Eq "socbpf_qmi_tx: ep $EA 7:2 svc 2 type 0 msg 0x0023 txn [0-9]+ len 7 result 0" <<<"$tr" ||
	tap_diag_lines "$tr"
tap_check "response traced: rx from 7:2, type 2, msg 0x0023" \
	grep -Eq "socbpf_qmi_rx: ep $EA 7:2 svc 2 type 2 msg 0x0023 txn [0-9]+ len [0-9]+ result 0" <<<"$tr"
tap_check "transaction end traced: svc 2, result 0, latency > 0" \
	grep -Eq "socbpf_qmi_txn_end: ep $EA 7:2 svc 2 msg 0x0023 txn [0-9]+ result 0 latency [1-9][0-9]* ns" <<<"$tr"
malformed_traced() {
	grep -Eq "socbpf_qmi_rx: ep $EA 7:1 .* result -(74|90)" <<<"$tr" &&
	grep -Eq "socbpf_qmi_txn_end: ep $EA 7:1 svc 69 msg 0x0023 txn [0-9]+ result -110 " <<<"$tr"
}
tap_check "malformed response: rx with -EBADMSG/-EMSGSIZE, transaction ends -110" \
	malformed_traced
tap_done
