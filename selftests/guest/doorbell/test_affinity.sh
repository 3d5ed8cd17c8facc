#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# socbpf-arch: arm64
# socbpf-vm: doorbell
# Moving a published doorbell's irq between CPUs keeps the message the host
# holds valid: the ITS message (address, event id) does not change, the
# host keeps ringing the same pair, and the handler follows the affinity.
. "$(dirname "$0")/../../lib/tap.sh"
. "$(dirname "$0")/db_lib.sh"
tap_plan 7

load_bind() { db_load && db_bind; }
tap_check "load and bind" load_bind
reg_pair() { cat $HOST/regs | awk -v i="$1" '$1 == "db" && $2 == i { print $6, $8 }'; }

moves() { # IDX HOW: ring after each move, check CPU and message
	local i=$1 how=$2 irq pub0 regs0 c fail=0
	irq=$(db_irq "$i") pub0=$(db_pub "$i") regs0=$(reg_pair "$i")
	for c in 1 0 1 0; do
		echo "$c" > /proc/irq/"$irq"/smp_affinity_list || { fail=1; continue; }
		db_ring "$i" 3 "$how" || { echo "ring failed after move to $c"; fail=1; continue; }
		echo "db $i irq $irq -> cpu $c: handler on $(db_last_field cpu), published $(db_pub "$i"), now $(db_cur "$i"), regs $(reg_pair "$i")"
		[ "$(db_last_field cpu)" = "$c" ] || fail=1
		[ "$(db_pub "$i")" = "$pub0" ] || fail=1
		[ "$(db_cur "$i")" = "$pub0" ] || fail=1
		[ "$(reg_pair "$i")" = "$regs0" ] || fail=1
	done
	return $fail
}
tap_check "doorbell 0, CPU rings: handler follows 4 moves, message unchanged" moves 0 cpu
tap_check "doorbell 3, CPU rings: handler follows 4 moves, message unchanged" moves 3 cpu
tap_check "doorbell 1, edu DMA rings: handler follows 4 moves, message unchanged" moves 1 dma
tap_check "no published message changed (library count)" test "$(db_msg_changes)" = 0
tap_check "no message-change error logged" bash -c "! dmesg | grep -q 'changed after it was published'"
tap_check "unbind, unload" db_unload
tap_done
