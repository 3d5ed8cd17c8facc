#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Runs inside the guest, around one area's tests (scripts/guest-tests.sh),
# on a kernel with kmemleak (the debug lane); a no-op elsewhere.
#
#   guest-kmemleak.sh start          before the first test
#   guest-kmemleak.sh check DIR      after the last: scans, writes
#                                    DIR/kmemleak.txt and DIR/kmemleak.tap
#   guest-kmemleak.sh verdict REPORT TRACE [REF]
#                                    the TAP verdict alone, from a saved
#                                    kmemleak report, module-unload trace
#                                    and clock reference (what "check"
#                                    uses; host-testable)
#
# The check fails if a leak's allocation backtrace reaches a socbpf module:
# a frame "[socbpf_...]" of a loaded module, or the address of a module
# that was unloaded before the scan (tests unload their modules, and
# kmemleak then prints such frames as bare addresses). To attribute those,
# "start" records every module unload in a trace instance of its own (tests
# clear the main buffer): a kprobe on free_module() reads the module's text
# region (mod->mem[MOD_TEXT].base and .size, offsets from the kernel's BTF
# with pahole), and the module_free tracepoint it fires next gives the name.
# Several modules can occupy one region in turn (one boot runs several
# areas): a leak is the module's that held the region when the object was
# allocated, the first to be unloaded from it after the allocation time
# (kmemleak gives it in jiffies; "check" saves jiffies, seconds since boot
# and HZ at the scan, and the trace instance runs on the boot clock).
set -u
KML=/sys/kernel/debug/kmemleak
TR=/sys/kernel/tracing
INST=$TR/instances/socbpf_modfree
# kmemleak reports an object 5 s after its allocation (MSECS_MIN_AGE in
# mm/kmemleak.c), and only once its checksum stayed the same across two
# scans: wait, then scan twice.
MIN_AGE=6

start() {
	local mem
	[ -e "$KML" ] || return 0
	[ -d "$INST" ] || mkdir "$INST" || return 0
	if ! grep -q 'socbpf_modfree_range' "$TR/kprobe_events" 2>/dev/null; then
		# "struct module_memory mem[7] ...; /* OFFSET SIZE */"
		mem=$(pahole -C module /sys/kernel/btf/vmlinux 2>/dev/null |
			awk '{ for (i = 1; i < NF; i++) if ($i ~ /^mem\[/) m = 1;
				for (i = 1; i < NF; i++) if (m && $i == "/*") { print $(i + 1); exit } }')
		case "$mem" in
		''|*[!0-9]*) echo "# kmemleak: no offset of struct module's mem in BTF" >&2; return 0 ;;
		esac
		# the probe is global; it is enabled only in our instance
		echo "p:socbpf/socbpf_modfree_range free_module base=+$mem(%di):x64 size=+$((mem + 8))(%di):u32" \
			>> "$TR/kprobe_events" || return 0
	fi
	echo boot > "$INST/trace_clock" 2>/dev/null
	echo 1 > "$INST/events/module/module_free/enable"
	echo 1 > "$INST/events/socbpf/socbpf_modfree_range/enable"
	echo 1 > "$INST/tracing_on"
}

# name base size ms: the text regions of every socbpf module unloaded so
# far, in order, and when (ms since boot), from the trace instance's text
# ($1): free_module's region, then the module_free event of the same
# unload names it
unloaded_ranges() {
	awk '
		/ socbpf_modfree_range: / {
			b = $0; sub(/.*base=/, "", b); sub(/ .*/, "", b)
			s = $0; sub(/.*size=/, "", s); sub(/ .*/, "", s)
			t = 0
			for (i = 1; i < NF; i++)
				if ($i ~ /^[0-9]+\.[0-9]+:$/) { t = $i; break }
			pb = b; ps = s; pt = int(t * 1000); next
		}
		/ module_free: / {
			sub(/.* module_free: /, ""); mod = $1
			if (pb != "" && mod ~ /^socbpf_/) print mod, pb, ps, pt
			pb = ""; ps = ""
		}' "$1" 2>/dev/null
}

# jiffies_ref: "J MS HZ" now: jiffies, ms since boot (the boot clock, as
# /proc/uptime), HZ (measured: jiffies over a second of uptime)
jiffies_ref() {
	local j0 u0 j1 u1
	j0=$(awk '/^jiffies:/ { print $2; exit }' /proc/timer_list)
	u0=$(awk '{ printf "%d", $1 * 1000 }' /proc/uptime)
	sleep 1
	j1=$(awk '/^jiffies:/ { print $2; exit }' /proc/timer_list)
	u1=$(awk '{ printf "%d", $1 * 1000 }' /proc/uptime)
	[ -n "$j0" ] && [ -n "$j1" ] && [ "$u1" -gt "$u0" ] || return 1
	echo "$j1 $u1 $(( (j1 - j0) * 1000 / (u1 - u0) ))"
}

# verdict REPORT TRACE [REF]: TAP on stdout, one result
verdict() {
	local report=$1 trace=$2 ref=${3:-} n=0 other=0 rec hit out= a i
	local rj= rms= hz= j at
	local -a rn=() rb=() rs=() rt=()
	while read -r name base size ms; do
		rn+=("$name") rb+=("$((base))") rs+=("$((size))") rt+=("${ms:-0}")
	done < <(unloaded_ranges "$trace")
	[ -n "$ref" ] && read -r rj rms hz < "$ref"
	case "$hz" in ''|0|*[!0-9]*) hz= ;; esac

	# one record per "unreferenced object" paragraph
	while IFS= read -r -d $'\x1e' rec; do
		[ -n "${rec//[[:space:]]/}" ] || continue
		hit=$(grep -o '\[socbpf_[a-z0-9_]*\]' <<< "$rec" | head -n 1)
		if [ -z "$hit" ]; then
			# when it was allocated, in ms since boot (if known)
			at=
			j=$(sed -n 's/.*, jiffies \([0-9][0-9]*\).*/\1/p' <<< "$rec" | head -n 1)
			[ -n "$hz" ] && [ -n "$j" ] && at=$((rms - (rj - j) * 1000 / hz))
			# a frame of an unloaded module prints as a bare address:
			# the module of the first unload from that region after
			# the allocation (the first unload at all without times)
			for a in $(grep -oE '^ +0x[0-9a-f]+$' <<< "$rec"); do
				for i in "${!rb[@]}"; do
					if (( a >= rb[i] && a - rb[i] < rs[i] )) &&
					   { [ -z "$at" ] || (( rt[i] + 50 >= at )); }; then
						hit="[${rn[i]}, unloaded]"
						break 2
					fi
				done
			done
		fi
		if [ -n "$hit" ]; then
			n=$((n + 1))
			out+="# leak reaching $hit:"$'\n'
			out+=$(sed 's/^/#   /' <<< "$rec")$'\n'
		else
			other=$((other + 1))
		fi
	done < <(awk '/^unreferenced object/ && NR > 1 { printf "\036" } { print }
		END { printf "\036" }' "$report")
	echo "TAP version 13"
	echo "1..1"
	if [ "$n" -eq 0 ]; then
		echo "ok 1 - kmemleak: no leak reaches a socbpf module ($other other suspects, ${#rn[@]} regions of unloaded socbpf modules known)"
	else
		echo "not ok 1 - kmemleak: $n leaks reach socbpf modules ($other other suspects; see kmemleak.txt)"
		printf '%s' "$out" | head -n 200
	fi
}

check() {
	local dir=$1
	[ -e "$KML" ] || return 0
	mkdir -p "$dir"
	sleep "$MIN_AGE"
	echo scan > "$KML"
	echo scan > "$KML"
	cat "$KML" > "$dir/kmemleak.txt"
	cat "$INST/trace" > "$dir/modfree.trace" 2>/dev/null
	jiffies_ref > "$dir/kmemleak.ref" || rm -f "$dir/kmemleak.ref"
	verdict "$dir/kmemleak.txt" "$dir/modfree.trace" \
		"$(ls "$dir/kmemleak.ref" 2>/dev/null)" > "$dir/kmemleak.tap"
	cat "$dir/kmemleak.tap"
}

case "${1:-}" in
start) start ;;
check) check "${2:?usage: $0 check DIR}" ;;
verdict) verdict "${2:?usage: $0 verdict REPORT TRACE [REF]}" \
	"${3:?usage: $0 verdict REPORT TRACE [REF]}" "${4:-}" ;;
*) echo "usage: $0 start | check DIR | verdict REPORT TRACE [REF]" >&2; exit 2 ;;
esac
