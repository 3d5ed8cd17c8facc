#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Module unload with traffic in flight: rmmod while sockets, tun files and
# datagrams are live is refused cleanly (or succeeds and tears everything
# down), never crashes; once users are gone it unloads, and reloads.
cd "$(dirname "$0")/../../.." || exit 1
. selftests/lib/tap.sh
. tools/qrtr-emu/emu-lib.sh
trap 'kill $BG 2>/dev/null; emu_cleanup; qrtr_unload' EXIT
BG=

tap_plan 7
if ! qrtr_load; then
	tap_fail "insmod $QRTR_KO"
	tap_done
fi
emu_start d1 --key pci:0000:01:00.0 --node 7 --service 69:1:0@1 --echo-raw &&
	emu_start d2 --key pci:0000:02:00.0 --node 8 --service 69:1:0@1 --echo-raw
tap_check "two echo devices up" test $? = 0

"$TBIN/qrtr-bench" tun-tput -n 7 -p 1 -e "$(emu_ep d1)" -d 6 -w 8 >"$EMU_TMP/b1" 2>&1 &
BG="$BG $!"
"$TBIN/qrtr-bench" tun-rtt -n 8 -p 1 -d 6 >"$EMU_TMP/b2" 2>&1 &
BG="$BG $!"
"$TBIN/qrtr-bench" tput -f qrtr -s 512 -d 6 >"$EMU_TMP/b3" 2>&1 &
BG="$BG $!"
sleep 1.5

tries=0 refused=0
for i in 1 2 3 4 5; do
	tries=$((tries + 1))
	if rmmod socbpf_qrtr 2>"$EMU_TMP/rmmod.err"; then
		break
	fi
	refused=$((refused + 1))
	sleep 0.2
done
if qrtr_loaded; then
	tap_ok "rmmod with traffic in flight refused cleanly ($refused/$tries: $(head -c 80 "$EMU_TMP/rmmod.err"))"
	loaded=1
else
	tap_ok "rmmod with traffic in flight succeeded"
	loaded=0
fi

rc=0
for p in $BG; do wait "$p" || rc=1; done
BG=
if [ $loaded = 1 ]; then
	tap_check "traffic survived the rmmod attempts" test $rc = 0 ||
		tap_diag_lines "$(cat "$EMU_TMP/b1" "$EMU_TMP/b2" "$EMU_TMP/b3")"
else
	tap_ok "traffic ended (module gone) # rc=$rc"
fi
tap_diag_lines "$(cat "$EMU_TMP/b1" "$EMU_TMP/b2" "$EMU_TMP/b3" | grep result)"

# in-flight datagrams queued on the device side: send without reading
"$BIN/qrtr-epc" send 7 1 -n 5 -q -t 100 >/dev/null 2>&1 &
emu_stop d1 KILL
emu_stop d2 TERM
wait
qrtr_unload
tap_check "unloads once users are gone" bash -c "! grep -q '^socbpf_qrtr ' /proc/modules"
tap_check "debugfs directory removed" test ! -e "$QRTR_DBG"

# unload while an emulator's tun file is open but idle, then reload
qrtr_load
emu_start d3 --key pci:0000:03:00.0 --node 7 --service 69:1:0@1
rmmod socbpf_qrtr 2>/dev/null
if qrtr_loaded; then
	emu_stop d3 TERM
	qrtr_unload
else
	wait "$(emu_pid d3)" 2>/dev/null
fi
tap_check "unload with an idle tun file open is clean" bash -c "! grep -q '^socbpf_qrtr ' /proc/modules"

rounds=0
for i in 1 2 3; do
	qrtr_load && emu_start r$i --key pci:0000:04:00.$i --node 7 --service 69:1:0@1 &&
		"$BIN/qrtr-epc" send 7 1 -q -t 3000 >/dev/null && emu_stop r$i && qrtr_unload || break
	rounds=$i
done
tap_check "three load/use/unload rounds" test "$rounds" = 3 -a ! -e /dev/qrtr-tun
tap_done
