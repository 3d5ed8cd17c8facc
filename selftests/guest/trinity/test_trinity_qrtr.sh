#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# trinity against AF_QIPCRTR: socket system calls on QIPCRTR sockets only
# (-P QIPCRTR, the socket pool and nothing else as file descriptors), with
# socbpf_qrtr loaded and two emulated devices attached, as an unprivileged
# user. Afterwards: no splat, no fuzzer process left behind, both devices
# still answer through their endpoints, the module unloads.
cd "$(dirname "$0")/../../.." || exit 1
. selftests/lib/tap.sh
. tools/qrtr-emu/emu-lib.sh
. selftests/guest/trinity/trinity_lib.sh
trap 'tr_cleanup; emu_cleanup; qrtr_unload' EXIT

tap_plan 10

if ! command -v "$TRINITY" >/dev/null; then
	tap_fail "trinity installed (scripts/setup.sh installs it)"
	tap_done
fi
tap_ok "trinity installed: $(dpkg-query -W -f='${Version}' trinity 2>/dev/null)"

# The sandbox itself: nobody, and the host share is out of reach.
probe=$SOCBPF_OUT/.trinity-probe.$$
uid=$(as_fuzzer id -u 2>&1)
if [ "$uid" = "$(id -u "$TRINITY_USER")" ] && touch "$probe" && rm -f "$probe" &&
   ! as_fuzzer sh -c "echo x > $probe" 2>/dev/null && [ ! -e "$probe" ] &&
   ! as_fuzzer ls "$SOCBPF_OUT/env" >/dev/null 2>&1; then
	tap_ok "fuzzer runs as $TRINITY_USER and cannot see or write the host share"
else
	tap_fail "fuzzer runs as $TRINITY_USER and cannot see or write the host share"
	tap_diag "uid=$uid"
	rm -f "$probe"
fi

dmesg_mark
if qrtr_load && emu_start d1 --key pci:0000:01:00.0 --node 7 --service 69:1:0@1 --service 2:1:0@2 &&
   emu_start d2 --key pci:0000:02:00.0 --node 7 --service 69:1:0@1; then
	tap_ok "socbpf_qrtr loaded, two devices attached (endpoints $(emu_ep d1) and $(emu_ep d2))"
else
	tap_fail "socbpf_qrtr loaded, two devices attached"
	tap_done
fi

trinity_run qrtr -C 2 -P QIPCRTR --enable-fds=sockets \
	-c socket -c bind -c connect -c sendto -c sendmsg -c sendmmsg \
	-c recvfrom -c recvmsg -c recvmmsg -c setsockopt -c getsockopt \
	-c getsockname -c getpeername -c shutdown -c ioctl -c poll
rc=$?
if [ "$TR_SYSCALLS" -gt 0 ] && grep -q 'Bailing main loop' "$TR_OUT"; then
	tap_ok "trinity: $TR_SYSCALLS syscalls on QIPCRTR sockets in ${TRINITY_SECONDS}s, stopped on SIGINT (exit $rc)"
else
	tap_fail "trinity ran and stopped on SIGINT (exit $rc, $TR_SYSCALLS syscalls)"
	tail -n 20 "$TR_OUT" | sed 's/^/# /'
fi

if tr_wait_for 20 fuzzer_gone; then
	tap_ok "no fuzzer process left (nothing stuck in the kernel)"
else
	tap_fail "no fuzzer process left (nothing stuck in the kernel)"
	show_stuck
fi

splat=$(dmesg_since | grep -E "$TR_SPLAT")
if [ -z "$splat" ]; then
	tap_ok "no kernel splat during the run"
else
	tap_fail "no kernel splat during the run"
	tap_diag_lines "$(dmesg_since | grep -E -A 30 "$TR_SPLAT" | head -n 60)"
fi
tap_diag "module counters: $(grep -v '=0$' "$QRTR_DBG/stats" | tr '\n' ' ')"

ok=1
for d in d1 d2; do
	ep=$(emu_ep $d)
	out=$("$BIN/qrtr-epc" send 7 1 -e "$ep" -d alive -t 5000 2>&1)
	grep -q "reply ep=$ep .*|alive" <<<"$out" || { ok=0; tap_diag "$d: $out"; }
done
if [ $ok = 1 ]; then
	tap_ok "both devices still answer through their endpoints"
else
	tap_fail "both devices still answer through their endpoints"
fi

emu_stop d1 && emu_stop d2
tap_check "emulators exit cleanly" test $? = 0
qrtr_unload
tap_check "socbpf_qrtr unloads" test ! -d /sys/module/socbpf_qrtr
splat=$(dmesg_since | grep -E "$TR_SPLAT")
tap_check "no kernel splat at unload" test -z "$splat" || tap_diag_lines "$splat"
tap_done
