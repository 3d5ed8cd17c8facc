# SPDX-License-Identifier: GPL-2.0
# Shared by the scmi-upstream guest tests (sourced, not a test): set PLAN
# before sourcing. The arm64 guest runs Debian's stock arm_scmi (built in);
# upstream's virtio transport and SCMI hwmon driver are test-only modules
# built unmodified from linux-source-6.12 (selftests/arm64-modules). The
# platform is the host's scmi-platform serving vhost-user-scmi (vm-run
# VM_SCMI_PLATFORM=1): its stats file is $SOCBPF_OUT/scmi-platform.stats, its
# control FIFO the virtio-serial port named scmi.ctl.
#
# Timing: under TCG on a shared machine the guest may take an interrupt
# hundreds of ms late, and a response and its delayed response travel on
# different virtqueues (cmdq, eventq), so the guest may see them in either
# order when they are close. The area's platform (the "socbpf-vm:" line of
# its tests) spaces them 300 ms apart (100 ms reordered them under a
# load average of 14) and sends late replies 1 s after the
# agent's timeout (arm,max-rx-timeout-ms = 1000 in the device tree).
. "$(dirname "$0")/../../lib/tap.sh"

ST=build/bin/scmitrace
MODS=build/arm64/modules
VIRTIO_KO=$MODS/scmi_virtio_upstream/socbpf_scmi_virtio_upstream.ko
HWMON_KO=$MODS/scmi_hwmon_upstream/socbpf_scmi_hwmon_upstream.ko
STATS=${SOCBPF_OUT:-/nonexistent}/scmi-platform.stats
TMP=$(mktemp -d)
pids=()

cleanup() {
	local p
	for p in "${pids[@]}"; do
		kill "$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
	grep -q '^socbpf_scmi_hwmon_upstream ' /proc/modules &&
		rmmod socbpf_scmi_hwmon_upstream
	grep -q '^socbpf_scmi_virtio_upstream ' /proc/modules &&
		rmmod socbpf_scmi_virtio_upstream
	rm -rf "$TMP"
}
trap cleanup EXIT

tap_plan "$PLAN"

bail() {
	local i
	for i in $(seq $((PLAN - TAP_N))); do tap_fail "$1"; done
	tap_done
}

# stat KEY: the platform's counter KEY (host side, seen through 9p)
stat() { awk -v k="$1" '$1 == k { print $2; exit }' "$STATS"; }

# The control port: /dev/vportNpM whose name is scmi.ctl.
CTL=
for n in /sys/class/virtio-ports/*/name; do
	[ "$(cat "$n" 2>/dev/null)" = scmi.ctl ] || continue
	CTL=/dev/$(basename "$(dirname "$n")")
done
[ -n "$CTL" ] && [ -f "$STATS" ] ||
	bail "no scmi-platform here (boot with VM_SCMI_PLATFORM=1)"

# ctl LINE: one control command. It travels guest -> QEMU -> FIFO -> the
# platform, in order: wait for its effect on a stat (wait_stat).
ctl() { echo "$1" > "$CTL"; }

# rd FILE: one read(2) of a sysfs/debugfs attribute (each one is one SCMI
# command). Not busybox cat: it tries sendfile() first and, when that
# fails (a timed-out command), reads again, i.e. sends a second command.
rd() {
	local v
	read -r v < "$1" || return 1
	echo "$v"
}

# wait_stat KEY VALUE [TENTHS]
wait_stat() {
	local i
	for i in $(seq "${3:-100}"); do
		[ "$(stat "$1")" = "$2" ] && return 0
		sleep 0.1
	done
	return 1
}

# wait_line FILE PATTERN [TENTHS]
wait_line() {
	local i
	for i in $(seq "${3:-100}"); do
		grep -q "$2" "$1" 2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}

# load_upstream: upstream's transport binds to the DT node, the stock agent
# runs Base discovery against the platform; then the hwmon driver.
load_upstream() {
	insmod "$VIRTIO_KO" || return 1
	for i in $(seq 200); do
		dmesg | grep -q "SCMI Protocol v.* 'socbpf:emulator'" && break
		sleep 0.1
	done
	dmesg | grep -q "SCMI Protocol v.* 'socbpf:emulator'" || return 1
	insmod "$HWMON_KO" || return 1
	find_hwmon
}

# find_hwmon: HWMON = the scmi_sensors hwmon device
find_hwmon() {
	local h
	HWMON=
	for h in /sys/class/hwmon/hwmon*; do
		[ "$(cat "$h/name" 2>/dev/null)" = scmi_sensors ] && HWMON=$h
	done
	[ -n "$HWMON" ]
}

# start_trace NAME ARGS...: scmitrace -j in the background, attached when it
# returns; stop_trace NAME: Ctrl-C, then its summary's counts in $TMP/NAME.sum
start_trace() {
	local name=$1
	shift
	"$ST" -j "$@" > "$TMP/$name.out" 2> "$TMP/$name.err" &
	pids+=($!)
	eval "pid_$name=$!"
	wait_line "$TMP/$name.err" 'Tracing SCMI' 300 ||
		wait_line "$TMP/$name.out" 'Tracing SCMI' 1
}

stop_trace() {
	local name=$1 pid
	eval "pid=\$pid_$name"
	kill -INT "$pid" 2>/dev/null
	wait "$pid"
	grep '"type":"summary"' "$TMP/$name.out" | tail -n 1 |
		sed 's/.*"counts":{\([^}]*\)}.*/\1/' | tr ',' '\n' | tr -d '"' |
		tr ':' ' ' > "$TMP/$name.sum"
}

# count NAME KEY: a count of scmitrace's summary
count() { awk -v k="$2" '$1 == k { print $2; exit }' "$TMP/$1.sum"; }
