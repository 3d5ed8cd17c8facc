#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Runs inside the guest, around one area's tests (scripts/guest-tests.sh),
# on a kernel with kmemleak (the debug lane); a no-op elsewhere.
#
#   guest-kmemleak.sh start          before the first test
#   guest-kmemleak.sh check DIR      after the last: scans, writes
#                                    DIR/kmemleak.txt and DIR/kmemleak.tap
#   guest-kmemleak.sh verdict REPORT TRACE
#                                    the TAP verdict alone, from a saved
#                                    kmemleak report and module-unload trace
#                                    (what "check" uses; host-testable)
#
# The check fails if a leak's allocation backtrace reaches a socbpf module:
# a frame "[socbpf_...]" of a loaded module, or the address of a module
# that was unloaded before the scan (tests unload their modules, and
# kmemleak then prints such frames as bare addresses). To attribute those,
# "start" records every module unload in a trace instance of its own (tests
# clear the main buffer): a kprobe on free_module() reads the module's text
# region (mod->mem[MOD_TEXT].base and .size, offsets from the kernel's BTF
# with pahole), and the module_free tracepoint it fires next gives the name.
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
	echo 1 > "$INST/events/module/module_free/enable"
	echo 1 > "$INST/events/socbpf/socbpf_modfree_range/enable"
	echo 1 > "$INST/tracing_on"
}

# name base size: the text regions of every socbpf module unloaded so far,
# from the trace instance's text ($1): free_module's region, then the
# module_free event of the same unload names it
unloaded_ranges() {
	awk '
		/ socbpf_modfree_range: / {
			b = $0; sub(/.*base=/, "", b); sub(/ .*/, "", b)
			s = $0; sub(/.*size=/, "", s); sub(/ .*/, "", s)
			pb = b; ps = s; next
		}
		/ module_free: / {
			sub(/.* module_free: /, ""); mod = $1
			if (pb != "" && mod ~ /^socbpf_/) print mod, pb, ps
			pb = ""; ps = ""
		}' "$1" 2>/dev/null
}

# verdict REPORT TRACE: TAP on stdout, one result
verdict() {
	local report=$1 trace=$2 n=0 other=0 rec hit out= a i
	local -a rn=() rb=() rs=()
	while read -r name base size; do
		rn+=("$name") rb+=("$((base))") rs+=("$((size))")
	done < <(unloaded_ranges "$trace")

	# one record per "unreferenced object" paragraph
	while IFS= read -r -d $'\x1e' rec; do
		[ -n "${rec//[[:space:]]/}" ] || continue
		hit=$(grep -o '\[socbpf_[a-z0-9_]*\]' <<< "$rec" | head -n 1)
		if [ -z "$hit" ]; then
			# a frame of an unloaded module prints as a bare address
			for a in $(grep -oE '^ +0x[0-9a-f]+$' <<< "$rec"); do
				for i in "${!rb[@]}"; do
					if (( a >= rb[i] && a - rb[i] < rs[i] )); then
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
	verdict "$dir/kmemleak.txt" "$dir/modfree.trace" > "$dir/kmemleak.tap"
	cat "$dir/kmemleak.tap"
}

case "${1:-}" in
start) start ;;
check) check "${2:?usage: $0 check DIR}" ;;
verdict) verdict "${2:?usage: $0 verdict REPORT TRACE}" "${3:?usage: $0 verdict REPORT TRACE}" ;;
*) echo "usage: $0 start | check DIR | verdict REPORT TRACE" >&2; exit 2 ;;
esac
