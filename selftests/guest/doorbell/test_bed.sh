#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# socbpf-arch: arm64
# socbpf-vm: doorbell
# The doorbell bed end to end: the virtual EPC binds to its DT node and
# registers with the endpoint framework; the function's BARs are recorded
# (BAR1 on the ITS doorbell page); the host reads the registers and rings
# every doorbell several times by CPU store and by edu DMA; each ring is
# counted once by the endpoint's handler, on the CPU its irq's affinity names.
. "$(dirname "$0")/../../lib/tap.sh"
. "$(dirname "$0")/db_lib.sh"
NDB=4 NRING=5
tap_plan 13

tap_check "modules load (library, virtual EPC, function, host side)" db_load
tap_check "the EPC registered with the endpoint framework" test -e /sys/class/pci_epc/socbpf-vepc
tap_check "function socbpf_db_test binds to the EPC" db_bind
tap_check "its $NDB doorbells are ITS platform MSIs of the EPC (ITS-pMSI-socbpf-vepc)" \
	test "$(grep -c 'ITS-pMSI-socbpf-vepc .*socbpf_db_test-db' /proc/interrupts)" = $NDB
cat $VEPC/bars | sed 's/^/# /'
# GITS_TRANSLATER is at offset 0x10040 of the ITS (GICv3 architecture
# specification, ITS register map); QEMU virt puts the ITS at 0x08080000.
tap_check "BAR0 (registers) is RAM and BAR1 is the ITS doorbell page 0x8090000" \
	bash -c "grep -q '^BAR0 0x[0-9a-f]* 512 ram$' $VEPC/bars &&
		 grep -q '^BAR1 0x0*8090000 4096 mmio$' $VEPC/bars"
regs=$(cat $HOST/regs)
printf '%s\n' "$regs" | sed 's/^/# /'
tap_check "the host reads magic, version, $NDB doorbells, BAR1, status up" \
	grep -q '^magic 0x31424453 version 1 num 4 bar 1 status 0x1$' <<<"$regs"
tap_check "every doorbell is READY at offset 0x40 (GITS_TRANSLATER) with its own data" \
	test "$(grep -c '^db [0-3] flags 0x1 offset 0x40 data' <<<"$regs")" = $NDB -a \
	"$(awk '$1 == "db" { print $8 }' <<<"$regs" | sort -u | wc -l)" = $NDB

ring_all() { # how: NRING rings of every doorbell, count and CPU checked
	local how=$1 n=$2 i irq cnt cpu want fail=0
	for ((i = 0; i < NDB; i++)); do
		irq=$(db_irq $i)
		c0=$(cat $HOST/regs | awk -v i=$i '$1 == "db" && $2 == i { print $10 }')
		if ! db_ring $i "$n" "$how"; then
			echo "db $i: ring failed"; fail=1; continue
		fi
		cnt=$(db_last_field count) cpu=$(db_last_field cpu)
		want=$(db_eff_cpu "$irq")
		echo "db $i irq $irq: count $c0 -> $cnt, handler on cpu $cpu, affinity $want"
		[ "$cnt" = $((c0 + n)) ] || fail=1
		[ "$cpu" = "$want" ] || fail=1
	done
	return $fail
}
tap_check "$NRING CPU-store rings of each of $NDB doorbells: each counted once, on the affinity's CPU" \
	ring_all cpu $NRING
tap_check "2 edu DMA rings of each doorbell: each counted once, on the affinity's CPU" \
	ring_all dma 2
tap_check "/proc/interrupts counts $((NRING + 2)) per doorbell" \
	test "$(awk '/socbpf_db_test-db/ { print $2 + $3 }' /proc/interrupts | sort -u)" = $((NRING + 2))
tap_check "the library saw no published message change" test "$(db_msg_changes)" = 0
tap_check "unbind, unload" db_unload
tap_check "no doorbell irq is left" bash -c "! grep -q 'socbpf' /proc/interrupts"
tap_done
