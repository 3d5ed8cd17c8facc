# SPDX-License-Identifier: GPL-2.0
# Shared helpers for the socbpf_bam_dmux guest tests (sourced, not a test).
# Runs as root in the guest with cwd = repo top.
. "$(dirname "$0")/../../lib/tap.sh"

KO=kernel/bam_dmux/socbpf_bam_dmux.ko
MODEM=${BAM_MODEM:-build/bin/bam-modem}
D=/sys/kernel/debug/socbpf_bam_dmux
PDEV=/sys/devices/platform/socbpf-bam-dmux
NS=bammodem
TMP=$(mktemp -d /tmp/bam-test.XXXXXX)
STATS=$TMP/modem.stats
CTL=$TMP/modem.ctl
MODEM_PID=
PING="busybox ping"

# tun.ko: modprobe, or straight from the cached kernel tree (a worktree's
# .cache symlink leaves the guest's /lib/modules empty)
load_tun() {
	[ -c /dev/net/tun ] && [ -d /sys/module/tun ] && return 0
	modprobe tun 2>/dev/null && return 0
	local kv
	kv=$(uname -r)
	xz -dc ".cache/kernel/$kv/root/lib/modules/$kv/kernel/drivers/net/tun.ko.xz" \
		> "$TMP/tun.ko" && insmod "$TMP/tun.ko"
}

# wwan.ko (the WWAN subsystem the control port registers with), by modprobe
# or from the cached kernel tree; unloaded again by bam_cleanup
WWAN_LOADED=
load_wwan() {
	[ -d /sys/module/wwan ] && return 0
	WWAN_LOADED=1
	modprobe wwan 2>/dev/null && return 0
	local kv
	kv=$(uname -r)
	xz -dc ".cache/kernel/$kv/root/lib/modules/$kv/kernel/drivers/net/wwan/wwan.ko.xz" \
		> "$TMP/wwan.ko" && insmod "$TMP/wwan.ko"
}

bam_load() {
	rmmod socbpf_bam_dmux 2>/dev/null
	load_wwan || return 1
	insmod "$KO" "$@"
}

bam_cleanup() {
	modem_stop
	ip netns del "$NS" 2>/dev/null
	[ -d /sys/module/socbpf_bam_dmux ] && rmmod socbpf_bam_dmux 2>/dev/null
	[ -n "$WWAN_LOADED" ] && rmmod wwan 2>/dev/null
	rm -rf "$TMP"
}

st() { # st NAME -> value from the driver's debugfs stats
	awk -v k="$1" '$1 == k { print $2 }' "$D/stats"
}

mst() { # mst KEY -> value from the modem's stats file
	awk -v k="$1" '$1 == k { print $2 }' "$STATS" 2>/dev/null
}

modem_ctl() { echo "$*" > "$CTL"; }

# refresh the modem's stats file (it answers in its own loop)
modem_sync() {
	rm -f "$STATS"
	modem_ctl stats
	wait_for 5 test -s "$STATS"
}

# wait_for SECONDS CMD...: poll CMD every 0.1 s until it succeeds
wait_for() {
	local n=$(($1 * 10))
	shift
	while [ $n -gt 0 ]; do
		"$@" && return 0
		sleep 0.1
		n=$((n - 1))
	done
	return 1
}

# wwan_of CH: the netdev whose dev_port is CH
wwan_of() {
	local d
	for d in /sys/class/net/wwan*; do
		[ -e "$d/dev_port" ] || continue
		[ "$(cat "$d/dev_port")" = "$1" ] && { basename "$d"; return 0; }
	done
	return 1
}

# modem_start ARGS...: start the emulator in namespace $NS (created here)
modem_start() {
	local ready=$TMP/modem.ready
	rm -f "$ready" "$STATS"
	ip netns add "$NS" 2>/dev/null
	ip -n "$NS" link set lo up
	"$MODEM" -n "$NS" -C "$CTL" -S "$STATS" -r "$ready" "$@" \
		> "$TMP/modem.out" 2>&1 &
	MODEM_PID=$!
	if ! wait_for 15 test -e "$ready"; then
		tap_diag "modem did not come up: $(cat "$TMP/modem.out")"
		return 1
	fi
}

modem_stop() {
	[ -n "$MODEM_PID" ] || return 0
	kill -TERM "$MODEM_PID" 2>/dev/null
	wait "$MODEM_PID" 2>/dev/null
	MODEM_PID=
}

modem_kill() {
	[ -n "$MODEM_PID" ] || return 0
	kill -9 "$MODEM_PID" 2>/dev/null
	wait "$MODEM_PID" 2>/dev/null
	MODEM_PID=
}

# net_up CH: addresses on both ends of channel CH, host side up
#   host wwanX 10.64.CH.2/30 fd00:64:CH::2/64, namespace bmtunCH .1 / ::1
net_up() {
	local ch=$1 dev
	wait_for 10 wwan_of "$ch" > /dev/null || return 1
	dev=$(wwan_of "$ch")
	ip -n "$NS" addr add "10.64.$ch.1/30" dev "bmtun$ch" 2>/dev/null
	ip -n "$NS" -6 addr add "fd00:64:$ch::1/64" dev "bmtun$ch" nodad 2>/dev/null
	ip addr flush dev "$dev"
	ip addr add "10.64.$ch.2/30" dev "$dev"
	ip -6 addr add "fd00:64:$ch::2/64" dev "$dev" nodad
	ip link set "$dev" up
}

suspended() { [ "$(st runtime_suspended)" = 1 ]; }

pm_idle() { [ "$(cat $PDEV/power/runtime_usage)" = 0 ]; }

# nstat DEV FIELD: a netdev statistic
nstat() { cat "/sys/class/net/$1/statistics/$2"; }
