#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Closing a device (killing its emulator, no BYE) removes its nodes and
# servers, makes sends bound to its endpoint fail with ENXIO and leaves the
# other device alone; many open/close cycles leak nothing.
cd "$(dirname "$0")/../../.." || exit 1
. selftests/lib/tap.sh
. tools/qrtr-emu/emu-lib.sh
trap 'emu_cleanup; qrtr_unload' EXIT

CYCLES=${CYCLES:-50}
tap_plan 10
K1=pci:0000:01:00.0
K2=pci:0000:02:00.0

if ! qrtr_load; then
	tap_fail "insmod $QRTR_KO"
	tap_done
fi
base_links=$(dbg_stat links)
base_nodes=$(dbg_stat nodes)
base_srv=$(dbg_stat ns_servers)
base_socks=$(dbg_stat sockets)
tap_diag "baseline: links=$base_links nodes=$base_nodes ns_servers=$base_srv sockets=$base_socks"
slab0=$(awk '/^Slab:/ {print $2}' /proc/meminfo)

emu_start a --key $K1 --node 7 --service 69:1:0@1 --service 2:1:0@2 &&
	emu_start b --key $K2 --node 7 --service 69:1:0@1
tap_check "two devices up" test $? = 0
EA=$(emu_ep a)
EB=$(emu_ep b)

# a waiter bound to A, one bound to B
"$BIN/qrtr-epc" wait 7 1 -e "$EA" -t 20000 >"$EMU_TMP/wa" 2>&1 &
wa=$!
"$BIN/qrtr-epc" wait 7 1 -e "$EB" -t 3000 >"$EMU_TMP/wb" 2>&1 &
wb=$!
for i in $(seq 100); do
	grep -q waiting "$EMU_TMP/wa" && grep -q waiting "$EMU_TMP/wb" && break
	sleep 0.05
done
srv2=$(dbg_stat ns_servers)

emu_stop a KILL
kill $wa 2>/dev/null
wait $wa
# No asynchronous error: the proposal (like SO_BINDTOIFINDEX) has none;
# the next send through the vanished endpoint fails with its ENXIO.
out=$("$BIN/qrtr-epc" send 7 1 -e "$EA" -t 1000 2>&1)
tap_check "a send bound to the closed device fails with ENXIO" \
	grep -q 'ENXIO' <<<"$out"
tap_diag "$out"

sleep 0.3
out=$("$BIN/qrtr-epc" lookup -t 3000 2>&1)
tap_check "its servers are gone, the other device's remain" \
	bash -c "grep -q 'servers=1' <<<'$out' && ! grep -q 'svc=2 ' <<<'$out'"
tap_diag "ns_servers $srv2 -> $(dbg_stat ns_servers)"
tap_check "endpoint of the closed device has no nodes left" \
	bash -c "n=\$(grep '^id=$EA ' $QRTR_DBG/endpoints | tr ' ' '\n' | sed -n 's/^nodes=//p'); [ -z \"\$n\" ] || [ \"\$n\" = 0 ]"

wait $wb
tap_check "socket bound to the other device saw no error" \
	bash -c "grep -q '^timeout: no error' '$EMU_TMP/wb'"
tap_check "other device still answers" \
	"$BIN/qrtr-epc" send 7 1 -e "$EB" -x "key=$K2" -t 3000

out=$("$BIN/qrtr-epc" send 7 1 -e "$EA" -t 1000 2>&1)
tap_check "a new socket bound to the dead endpoint fails" test $? != 0
tap_diag_lines "$out"
emu_stop b

# open/close cycles, alternating clean BYE (TERM) and abrupt close (KILL)
fail=0
for i in $(seq "$CYCLES"); do
	sig=TERM
	[ $((i % 2)) = 0 ] && sig=KILL
	if ! emu_start c --key "pci:0000:03:00.$((i % 8))" --node $((10 + i % 3)) \
		--service 69:1:0@1 --service 15:1:$i@2; then
		fail=1
		break
	fi
	"$BIN/qrtr-epc" send $((10 + i % 3)) 1 -e "$(emu_ep c)" -q -t 3000 >/dev/null 2>&1 || fail=2
	emu_stop c $sig
done
tap_check "$CYCLES open/close cycles with traffic" test $fail = 0
sleep 0.5
links=$(dbg_stat links); nodes=$(dbg_stat nodes); srv=$(dbg_stat ns_servers)
socks=$(dbg_stat sockets); live=$(dbg_stat endpoints_live)
tap_diag "after: links=$links nodes=$nodes ns_servers=$srv sockets=$socks endpoints_live=$live endpoint_ids=$(dbg_stat endpoint_ids)"
slab1=$(awk '/^Slab:/ {print $2}' /proc/meminfo)
tap_diag "Slab: ${slab0} kB -> ${slab1} kB"
tap_check "no links, nodes, servers, live endpoints or sockets leaked" \
	test "$links" = "$base_links" -a "$nodes" = "$base_nodes" -a \
	"$srv" = "$base_srv" -a "$socks" = "$base_socks" -a "${live:-0}" = 0

qrtr_unload
tap_check "module unloads after the cycles" bash -c "! grep -q '^socbpf_qrtr ' /proc/modules"
tap_done
