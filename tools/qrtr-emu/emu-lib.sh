# SPDX-License-Identifier: GPL-2.0
# Shell helpers for the QRTR guest tests and benches: load/unload
# socbpf_qrtr.ko, start/stop qrtr-emu instances and read the module's debugfs
# counters.  Source after selftests/lib/tap.sh; cwd = repo top.

QRTR_KO=${QRTR_KO:-kernel/qrtr/socbpf_qrtr.ko}
QRTR_DBG=/sys/kernel/debug/socbpf_qrtr
BIN=${BIN:-$PWD/build/bin}
TBIN=${TBIN:-$PWD/build/selftests/bin}	# test-only programs
EMU_TMP=$(mktemp -d /tmp/qrtr-emu.XXXXXX)
EMU_NAMES=""

qrtr_loaded() { grep -q '^socbpf_qrtr ' /proc/modules; }

# qrtr_load: insmod the module (unless loaded) and wait for /dev/qrtr-tun
qrtr_load() {
	local i
	if ! qrtr_loaded; then
		insmod "$QRTR_KO" "$@" || return 1
	fi
	for i in $(seq 50); do
		[ -c /dev/qrtr-tun ] && return 0
		sleep 0.1
	done
	echo "# /dev/qrtr-tun did not appear" >&2
	return 1
}

# qrtr_unload: rmmod, retrying while sockets/files drain (max ~10 s)
qrtr_unload() {
	local i
	qrtr_loaded || return 0
	for i in $(seq 100); do
		rmmod socbpf_qrtr 2>/dev/null && return 0
		sleep 0.1
	done
	rmmod socbpf_qrtr
}

# emu_start NAME ARGS...: start qrtr-emu in the background and wait until it
# has announced its services; EMU_EP_<NAME> = its endpoint id.
emu_start() {
	local name=$1 i pid
	shift
	rm -f "$EMU_TMP/$name.ready" "$EMU_TMP/$name.stats"
	"$BIN/qrtr-emu" --ready-file "$EMU_TMP/$name.ready" \
		--stats-file "$EMU_TMP/$name.stats" \
		--control "$EMU_TMP/$name.ctl" "$@" \
		>"$EMU_TMP/$name.out" 2>"$EMU_TMP/$name.log" &
	pid=$!
	eval "EMU_PID_$name=$pid"
	EMU_NAMES="$EMU_NAMES $name"
	for i in $(seq 200); do
		if [ -e "$EMU_TMP/$name.ready" ]; then
			eval "EMU_EP_$name=$(sed -n 's/^endpoint=//p' "$EMU_TMP/$name.ready")"
			return 0
		fi
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.05
	done
	echo "# emulator $name did not get ready:" >&2
	sed 's/^/#   /' "$EMU_TMP/$name.log" >&2
	return 1
}

emu_pid() { eval "echo \${EMU_PID_$1:-}"; }
emu_ep() { eval "echo \${EMU_EP_$1:-}"; }

# emu_cmd NAME CMD...: send a control command (see qrtr-emu --help)
emu_cmd() {
	local name=$1
	shift
	echo "$*" > "$EMU_TMP/$name.ctl"
}

# emu_stat NAME KEY: a counter of the emulator (refreshes its stats file)
emu_stat() {
	local name=$1 key=$2 i old
	old=$(stat -c %Y.%s "$EMU_TMP/$name.stats" 2>/dev/null)
	rm -f "$EMU_TMP/$name.stats"
	emu_cmd "$name" stats
	for i in $(seq 100); do
		[ -e "$EMU_TMP/$name.stats" ] && break
		sleep 0.05
	done
	sed -n "s/^$key=//p" "$EMU_TMP/$name.stats" 2>/dev/null
	: "$old"
}

# emu_stop NAME [SIGNAL]: stop it and wait (default SIGTERM: clean BYE)
emu_stop() {
	local name=$1 sig=${2:-TERM} pid
	pid=$(emu_pid "$name")
	[ -n "$pid" ] || return 0
	kill -"$sig" "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	local rc=$?
	eval "EMU_PID_$name="
	return $rc
}

emu_stop_all() {
	local n
	for n in $EMU_NAMES; do
		emu_stop "$n" KILL
	done
}

# dbg_stat KEY: a line of debugfs stats (global)
dbg_stat() { sed -n "s/^$1=//p" "$QRTR_DBG/stats" 2>/dev/null; }

# dbg_ep_field ID FIELD: FIELD=value of endpoint ID in debugfs endpoints
dbg_ep_field() {
	grep "^id=$1 " "$QRTR_DBG/endpoints" 2>/dev/null |
		tr ' ' '\n' | sed -n "s/^$2=//p"
}

emu_cleanup() {
	emu_stop_all
	rm -rf "$EMU_TMP"
}

# dmesg_mark / dmesg_since: kernel log lines logged after the mark
dmesg_mark() { DMESG_MARK=$(dmesg | wc -l); }
dmesg_since() { dmesg | tail -n +"$((DMESG_MARK + 1))"; }

# tap_diag_lines TEXT: multi-line diagnostics, each line prefixed with '# '
tap_diag_lines() { printf '%s\n' "$*" | sed 's/^/# /'; }
