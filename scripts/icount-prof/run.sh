#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# run.sh OUTDIR -- CMD [ARGS...]: run CMD (a path under the repo) in a
# 1-vCPU guest under -icount with the tbprof plugin (README.md).  CMD marks
# the stretch to count with "$ICP_TRIG 1" ... "$ICP_TRIG 2".  Leaves in
# OUTDIR: tb.out (instructions per translation block), tb.out.ev/.ic (the
# event log), events (its letters), mod.syms (module symbols of that boot)
# and cmd.out (CMD's output).  Kernel symbols: build/icount-prof/kallsyms-KVER
# (read once from a nokaslr guest).
#
# ICP_EVENTS: kernel functions to log (default: the system calls of the qrtr
# tun benchmark and the scheduler's switch, wake-up and schedule()).
set -euo pipefail
TOP=$(cd "$(dirname "$0")/../.." && pwd)
SRC=$TOP/scripts/icount-prof
B=$TOP/build/icount-prof
KVER=${KVER:-6.12.95+deb12-amd64}
[ $# -ge 3 ] && [ "$2" = -- ] || { echo "usage: $0 OUTDIR -- CMD [ARGS...]" >&2; exit 2; }
OUT=$1
shift 2
mkdir -p "$B" "$OUT"
OUT=$(cd "$OUT" && pwd)
rm -f "$OUT"/tb.out*

[ "$B/libtbprof.so" -nt "$SRC/tbprof.c" ] ||
	cc -O2 -Wall -shared -fPIC -fvisibility=hidden -o "$B/libtbprof.so" "$SRC/tbprof.c"
[ "$B/trig" -nt "$SRC/trig.c" ] || cc -O2 -Wall -static -o "$B/trig" "$SRC/trig.c"

export VM_SMP=1 VM_APPEND="clocksource=tsc tsc=reliable nokaslr"
KSYMS=$B/kallsyms-$KVER
if [ ! -s "$KSYMS" ]; then
	mkdir -p "$B/ksyms.out"
	"$TOP/scripts/vm-run" -q -o "$B/ksyms.out" -t 300 -- \
		bash -c 'cat /proc/kallsyms > "$SOCBPF_OUT/kallsyms"'
	mv "$B/ksyms.out/kallsyms" "$KSYMS"
fi
addr() {
	local a
	a=$(awk -v s="$1" '$3 == s { print $1; exit }' "$KSYMS")
	[ -n "$a" ] || { echo "$0: no symbol $1" >&2; exit 1; }
	echo "$a"
}
args="start=$(addr __x64_sys_sched_get_priority_min),stop=$(addr __x64_sys_sched_get_priority_max),out=$OUT/tb.out"
: > "$OUT/events"
letter=A
for f in ${ICP_EVENTS:-__x64_sys_sendto __x64_sys_recvfrom __x64_sys_poll __x64_sys_ppoll \
		__x64_sys_read __x64_sys_write __switch_to try_to_wake_up schedule}; do
	args+=",ev=$(addr "$f")"
	echo "$letter $f" >> "$OUT/events"
	letter=$(echo "$letter" | tr 'A-Y' 'B-Z')
done
cp "$KSYMS" "$OUT/kallsyms"
VM_QEMU_ARGS="-icount shift=0,sleep=off -plugin $B/libtbprof.so,$args" \
	"$TOP/scripts/vm-run" -q -o "$OUT" -t "${T:-900}" -- "$SRC/guest.sh" "$@"
