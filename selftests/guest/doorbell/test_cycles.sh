#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# socbpf-arch: arm64
# socbpf-vm: doorbell
# Allocate/free cycles repeat cleanly: the second (and every later)
# allocation on the same controller works and its doorbells ring. Upstream's
# pci_epf_free_doorbell() failed exactly there on real hardware until
# platform_device_msi_free_irqs_all() also removed the device's MSI domain
# (upstream commit "platform-msi: Add msi_remove_device_irq_domain() in
# platform_device_msi_free_irqs_all()"). Cycled three ways: the function's
# realloc (free + allocate N), unbind/bind, and module unload/load.
. "$(dirname "$0")/../../lib/tap.sh"
. "$(dirname "$0")/db_lib.sh"
tap_plan 10

nirqs() { grep -c 'ITS-pMSI-socbpf-vepc' /proc/interrupts; }
ring_each() { # N: every doorbell 0..N-1 rings twice, counted twice
	local i c0 fail=0
	for ((i = 0; i < $1; i++)); do
		c0=$(cat $HOST/regs | awk -v i=$i '$1 == "db" && $2 == i { print $10 }')
		db_ring $i 2 cpu || { echo "db $i: ring failed"; fail=1; continue; }
		[ "$(db_last_field count)" = $((c0 + 2)) ] ||
			{ echo "db $i: count was $c0, $(db_last)"; fail=1; }
	done
	return $fail
}

nirq0=$(ls /sys/kernel/irq | wc -l)	# irq descriptors before
load_bind() { db_load && db_bind; }
tap_check "load and bind (4 doorbells)" load_bind
realloc_cycles() {
	local n fail=0
	for n in 1 3 8 2 4 4; do
		echo "realloc $n" > $EPFCTL || { echo "realloc $n failed"; fail=1; continue; }
		echo "realloc $n: $(nirqs) MSIs, host sees num $(cat $HOST/regs | awk 'NR == 1 { print $6 }')"
		[ "$(nirqs)" = "$n" ] || fail=1
		ring_each "$n" || fail=1
	done
	return $fail
}
tap_check "6 free+allocate cycles (1, 3, 8, 2, 4, 4 doorbells): each rings, no MSI left over" realloc_cycles
tap_check "more doorbells than the function offers is refused (-EINVAL)" \
	bash -c "! echo 'realloc 9' > $EPFCTL"
tap_check "after the refusal the 4 doorbells still ring" ring_each 4
bind_cycles() {
	local k fail=0
	for k in 1 2 3; do
		db_unbind && [ "$(nirqs)" = 0 ] || { echo "unbind $k left $(nirqs) MSIs"; fail=1; }
		db_bind || { echo "bind $k failed"; fail=1; continue; }
		ring_each 4 || fail=1
	done
	return $fail
}
tap_check "3 unbind/bind cycles: MSIs freed on unbind, all ring after bind" bind_cycles
module_cycles() {
	local k fail=0
	for k in 1 2; do
		db_unload || fail=1
		grep -q socbpf /proc/modules && { echo "modules left"; fail=1; }
		load_bind || { echo "reload $k failed"; fail=1; continue; }
		ring_each 4 || fail=1
	done
	return $fail
}
tap_check "2 unload/load cycles of every module: all ring after each" module_cycles
# freeing a doorbell deactivates its MSI, which writes a zero message: the
# library must not take that for a change of the published message (it did
# before it dropped the published pair ahead of free_irq())
tap_check "no published message reported changed across the cycles" \
	bash -c "! dmesg | grep -q 'changed after it was published'"
tap_check "unbind, unload" db_unload
tap_check "no doorbell irq, no debugfs left" \
	bash -c "! grep -q socbpf /proc/interrupts && ! ls -d /sys/kernel/debug/socbpf* 2>/dev/null"
nirq1=$(ls /sys/kernel/irq | wc -l)
tap_check "every irq descriptor was given back ($nirq0 before, $nirq1 after)" test "$nirq1" = "$nirq0"
tap_done
