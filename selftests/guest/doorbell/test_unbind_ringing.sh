#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# socbpf-arch: arm64
# socbpf-vm: doorbell
# The endpoint function is unbound and bound again while the host keeps
# ringing (CPU stores and edu DMA): the host's rings fail cleanly (doorbell
# not READY, BAR gone, or no answer) instead of touching freed memory, the
# kernel log stays clean (the runner fails the boot on any splat), nothing
# leaks, and after the storm every doorbell rings again.
. "$(dirname "$0")/../../lib/tap.sh"
. "$(dirname "$0")/db_lib.sh"
tap_plan 7
OUTF=/tmp/db-storm.out

nirq0=$(ls /sys/kernel/irq | wc -l)	# irq descriptors before
load_bind() { db_load && db_bind; }
tap_check "load and bind" load_bind

storm() { # rings until /tmp/db-storm.stop exists; one result per line
	local i=0 how
	while [ ! -e /tmp/db-storm.stop ]; do
		how=cpu; [ $((i % 5)) = 4 ] && how=dma
		if db_ring $((i % 4)) 1 $how 2>/dev/null; then echo ok; else echo fail; fi
		i=$((i + 1))
	done
}
rm -f /tmp/db-storm.stop
storm > $OUTF &
spid=$!
flips() {
	local k fail=0
	for k in 1 2 3 4 5 6; do
		sleep 0.3
		db_unbind || fail=1
		sleep 0.2
		db_bind || fail=1
	done
	return $fail
}
tap_check "6 unbind/bind flips while the host rings" flips
sleep 0.5
touch /tmp/db-storm.stop
wait $spid
okn=$(grep -c '^ok' $OUTF) failn=$(grep -c '^fail' $OUTF)
tap_diag "host rings during the flips: $okn answered, $failn refused or unanswered"
tap_check "the host's rings were answered between flips and refused during them" \
	test "$okn" -gt 0 -a "$failn" -gt 0
ring_all() { local i; for i in 0 1 2 3; do db_ring $i 2 cpu || return 1; done; }
tap_check "after the storm every doorbell rings" ring_all
tap_check "unbind, unload" db_unload
tap_check "no doorbell irq or module left" \
	bash -c "! grep -q socbpf /proc/interrupts && ! grep -q socbpf /proc/modules"
rm -f $OUTF /tmp/db-storm.stop
nirq1=$(ls /sys/kernel/irq | wc -l)
tap_check "every irq descriptor was given back ($nirq0 before, $nirq1 after)" test "$nirq1" = "$nirq0"
tap_done
