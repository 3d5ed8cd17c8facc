#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The socbpf_qmi handle over socbpf_qrtr, driven by the test module
# socbpf_qmi_test.ko: two emulated devices with the same node (7) and the
# same DMS port (2) each answer their own bound handle (key -> pre-assigned
# endpoint -> handle); an unbound handle sees both servers at one node:port
# (the ambiguity endpoints remove); a QMI error response decodes; a
# malformed response is counted and the transaction times out; a device
# that goes away mid-transaction fails it with a clear errno; a device that
# appears after the client is found; the modules unload cleanly.
cd "$(dirname "$0")/../../.." || exit 1
. selftests/lib/tap.sh
. tools/qrtr-emu/emu-lib.sh
QMI_KO=kernel/qmi/socbpf_qmi.ko
TEST_KO=kernel/qmi_test/socbpf_qmi_test.ko
CTL=/sys/kernel/debug/socbpf_qmi_test/ctl
RES=/sys/kernel/debug/socbpf_qmi_test/result
cleanup() {
	emu_cleanup
	rmmod socbpf_qmi_test 2>/dev/null
	rmmod socbpf_qmi 2>/dev/null
	qrtr_unload
}
trap cleanup EXIT

K1=pci:0000:01:00.0
K2=pci:0000:02:00.0
K3=pci:0000:03:00.0

# run CMD: one command of the test module; R = its result line
run() {
	R=
	echo "$*" > "$CTL" || return 1
	R=$(cat "$RES")
}
# field NAME: NAME=value from $R
field() { tr ' ' '\n' <<<"$R" | sed -n "s/^$1=//p"; }

tap_plan 12
if qrtr_load && insmod "$QMI_KO" && insmod "$TEST_KO"; then
	tap_ok "insmod socbpf_qrtr, socbpf_qmi, socbpf_qmi_test"
else
	tap_fail "insmod socbpf_qrtr, socbpf_qmi, socbpf_qmi_test"
	tap_done
fi
if emu_start a --key $K1 --node 7 --service 2:1:0@2 &&
   emu_start b --key $K2 --node 7 --service 2:1:0@2 --service 69:1:0@1; then
	tap_ok "two devices, both node 7 with DMS on port 2"
else
	tap_fail "two devices up"
	tap_done
fi
EA=$(emu_ep a)
EB=$(emu_ep b)
tap_diag "endpoints: $K1 -> $EA, $K2 -> $EB"

run revision key:$K1 2 35 3000
tap_check "handle bound by key $K1: one server, 7:2 on its endpoint, its own revision" \
	test "$(field servers) $(field first) $(field rc) $(field result)" = "1 7:2@$EA 0 0" \
	-a -n "$(grep -o "key=$K1" <<<"$R")" || tap_diag "$R"
run revision key:$K2 2 35 3000
tap_check "handle bound by key $K2: its own server and revision" \
	test "$(field servers) $(field first) $(field rc)" = "1 7:2@$EB 0" \
	-a -n "$(grep -o "key=$K2" <<<"$R")" || tap_diag "$R"
run revision ep:$EA 2 35 3000
tap_check "handle bound by endpoint id $EA: device A's revision" \
	test "$(field rc)" = 0 -a -n "$(grep -o "key=$K1" <<<"$R")" || tap_diag "$R"

run revision none 2 35 3000
all=$(field all)
tap_check "unbound handle: two DMS servers at the same 7:2 (the ambiguity)" \
	test "$(field servers)" = 2 -a "${all/7:2@$EA/}" != "$all" \
	-a "${all/7:2@$EB/}" != "$all" || tap_diag "$R"

run revision key:$K1 2 4660 3000
tap_check "unknown message id: the device's QMI error response decodes (1, 71)" \
	test "$(field rc) $(field result) $(field error) $(field rev)" = "0 1 71 -" ||
	tap_diag "$R"

# service 69 of device B echoes the request with a text tag: not QMI
run revision key:$K2 69 35 1000
tap_check "malformed response counted and dropped, transaction times out" \
	test "$(field rc) $(field malformed)" = "-110 1" || tap_diag "$R"

# device B goes away while a transaction waits (8 s timeout)
t0=$(date +%s%N)
echo0=$(emu_stat b echo)
( echo "revision key:$K2 69 35 8000" > "$CTL" ) &
bg=$!
# stop it once the request reached it (it answers with a non-QMI echo)
for i in $(seq 100); do
	[ "$(emu_stat b echo)" != "$echo0" ] && break
	sleep 0.05
done
emu_stop b
wait $bg
t1=$(date +%s%N)
R=$(cat "$RES")
rc=$(field rc)
tap_diag "$R"
tap_check "device gone mid-transaction: clear errno (ECONNRESET/ENETRESET), no timeout" \
	test "$rc" = -104 -o "$rc" = -102 -a $(((t1 - t0) / 1000000)) -lt 7000 ||
	tap_diag "$R after $(((t1 - t0) / 1000000)) ms"

# device C appears after its client: the pre-assigned id is waiting for it
( echo "revision key:$K3 2 35 10000" > "$CTL" ) &
bg=$!
# the client's pre-assignment exists before the device does
for i in $(seq 100); do
	grep -q "key=$K3 state=preassigned" "$QRTR_DBG/endpoints" && break
	sleep 0.05
done
pre=$(grep -c "key=$K3 state=preassigned" "$QRTR_DBG/endpoints")
emu_start c --key $K3 --node 7 --service 2:1:0@2
wait $bg
R=$(cat "$RES")
tap_check "device that opens after the client: found and answers" \
	test "$pre $(field rc) $(field servers)" = "1 0 1" -a -n "$(grep -o "key=$K3" <<<"$R")" ||
	tap_diag "$R"
EC=$(emu_ep c)
tap_check "it took the endpoint id the client pre-assigned" \
	test -n "$EC" -a "${R/first=7:2@$EC /}" != "$R" || tap_diag "ep $EC: $R"

emu_stop_all
ok=1
rmmod socbpf_qmi_test || ok=0
rmmod socbpf_qmi || ok=0
qrtr_unload || ok=0
insmod "$QMI_KO" 2>/dev/null && ok=0	# needs socbpf_qrtr
qrtr_load && insmod "$QMI_KO" && insmod "$TEST_KO" || ok=0
rmmod socbpf_qmi_test && rmmod socbpf_qmi && qrtr_unload || ok=0
if [ $ok = 1 ]; then
	tap_ok "modules unload, reload and unload again"
else
	tap_fail "modules unload, reload and unload again"
fi
tap_done
