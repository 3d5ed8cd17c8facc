#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# trinity against our character devices: file system calls (open, read,
# write, ioctl, poll, mmap, ...) on /dev/qrtr-tun and /dev/scmi-platform only
# (-V on a directory holding just those two nodes, file descriptors from it
# alone), as an unprivileged user, while root keeps both stacks busy: name
# service lookups go out to every endpoint (trinity's tun files included) and
# SCMI sensor reads go to whichever platform file trinity holds. Afterwards:
# no splat, no fuzzer process left, a real device and a real platform work
# again, both modules unload.
cd "$(dirname "$0")/../../.." || exit 1
. selftests/lib/tap.sh
. tools/qrtr-emu/emu-lib.sh
. selftests/guest/trinity/trinity_lib.sh
SCMI_DBG=/sys/kernel/debug/socbpf_scmi
SCMI_KO=kernel/scmi/socbpf_scmi.ko
PLAT_PID=
LOAD_PID=
cleanup() {
	[ -n "$LOAD_PID" ] && kill "$LOAD_PID" 2>/dev/null && wait "$LOAD_PID" 2>/dev/null
	[ -n "$PLAT_PID" ] && kill "$PLAT_PID" 2>/dev/null && wait "$PLAT_PID" 2>/dev/null
	tr_cleanup
	emu_cleanup
	qrtr_unload
	[ -d /sys/module/socbpf_scmi ] && rmmod socbpf_scmi
}
trap cleanup EXIT

# scmi_cmd LINE: one debugfs command of socbpf_scmi; prints its result
scmi_cmd() {
	local out
	exec 5<>"$SCMI_DBG/cmd"
	echo "$*" >&5 2>/dev/null
	out=$(cat <&5)
	exec 5>&-
	echo "$out"
}
scmi_ready() { grep -q '^ready 1$' "$SCMI_DBG/stats"; }

tap_plan 8

dmesg_mark
if qrtr_load && insmod "$SCMI_KO" timeout_ms=200 && [ -c /dev/scmi-platform ]; then
	tap_ok "socbpf_qrtr and socbpf_scmi loaded"
else
	tap_fail "socbpf_qrtr and socbpf_scmi loaded"
	tap_done
fi

if make_victims "$TR_TMP/victims" /dev/qrtr-tun /dev/qrtr-tun /dev/qrtr-tun /dev/scmi-platform; then
	tap_ok "victim directory: $(ls "$TR_TMP/victims" | tr '\n' ' ')"
else
	tap_fail "victim directory"
	tap_done
fi

(
	while :; do
		"$BIN/qrtr-epc" lookup -t 200 >/dev/null 2>&1
		scmi_cmd "sensor_read 0" >/dev/null
		sleep 0.2
	done
) &
LOAD_PID=$!

trinity_run devs -C 2 -V "$TR_TMP/victims" --enable-fds=pseudo \
	-c open -c openat -c read -c write -c readv -c writev -c pread64 \
	-c pwrite64 -c ioctl -c poll -c ppoll -c select -c lseek -c fcntl \
	-c mmap -c newfstat -c splice -c dup
rc=$?
kill "$LOAD_PID" 2>/dev/null
wait "$LOAD_PID" 2>/dev/null
LOAD_PID=
if [ "$TR_SYSCALLS" -gt 0 ] && grep -q 'Bailing main loop' "$TR_OUT"; then
	tap_ok "trinity: $TR_SYSCALLS syscalls on the two devices in ${TRINITY_SECONDS}s, stopped on SIGINT (exit $rc)"
else
	tap_fail "trinity ran and stopped on SIGINT (exit $rc, $TR_SYSCALLS syscalls)"
	tail -n 20 "$TR_OUT" | sed 's/^/# /'
fi
tap_diag "$(grep -a 'Added .* filenames' "$TR_OUT" | tail -n 1)"

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
tap_diag "qrtr counters: $(grep -v '=0$' "$QRTR_DBG/stats" | tr '\n' ' ')"
tap_diag "scmi stats: $(tr '\n' ' ' < "$SCMI_DBG/stats")"

# A real device after the fuzzer: its endpoint works end to end.
if emu_start d1 --key pci:0000:01:00.0 --node 7 --service 69:1:0@1 &&
   "$BIN/qrtr-epc" send 7 1 -e "$(emu_ep d1)" -d alive -t 5000 -x '|alive' >/dev/null; then
	tap_ok "qrtr-tun: a device attached after the run answers"
else
	tap_fail "qrtr-tun: a device attached after the run answers"
fi

# A real platform after the fuzzer: discovery completes, a sensor reads.
build/bin/scmi-platform > "$TR_TMP/plat.out" 2>&1 &
PLAT_PID=$!
out=
tr_wait_for 20 scmi_ready && out=$(scmi_cmd "sensor_read 0")
if [ "$out" = "ok value=45000" ]; then
	tap_ok "scmi-platform: a platform started after the run completes discovery and a read"
else
	tap_fail "scmi-platform: a platform started after the run completes discovery and a read"
	tap_diag "read: '$out'; platform: $(tail -n 3 "$TR_TMP/plat.out" | tr '\n' ' ')"
fi
kill "$PLAT_PID"
wait "$PLAT_PID" 2>/dev/null
PLAT_PID=
emu_stop d1

qrtr_unload
rmmod socbpf_scmi 2>/dev/null || { sleep 1; rmmod socbpf_scmi; }
if [ ! -d /sys/module/socbpf_qrtr ] && [ ! -d /sys/module/socbpf_scmi ] &&
   [ -z "$(dmesg_since | grep -E "$TR_SPLAT")" ]; then
	tap_ok "both modules unload, log clean"
else
	tap_fail "both modules unload, log clean"
	tap_diag_lines "$(dmesg_since | grep -E "$TR_SPLAT")"
fi
tap_done
