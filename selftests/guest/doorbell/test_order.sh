#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# socbpf-arch: arm64
# socbpf-vm: doorbell
# The library makes the safe order the only order: inside its publish
# callback a test function finds the irq's handler installed, and a ring it
# sends from there (what a host could do the moment it learns the doorbell)
# reaches the handler; ready comes after publish; a second enable of one
# doorbell is -EBUSY, one past the set -EINVAL.
. "$(dirname "$0")/../../lib/tap.sh"
. "$(dirname "$0")/db_lib.sh"
tap_plan 8
R=/sys/kernel/debug/socbpf_db_order/result

load() {
	insmod $D/socbpf_doorbell.ko && insmod $D/socbpf_pci_epc_virt.ko &&
	insmod $TM/doorbell_order/socbpf_db_order.ko
}
tap_check "library, virtual EPC and the order test function load" load
tap_check "the order test function binds (2 doorbells)" db_bind socbpf_db_order
sed 's/^/# /' $R
val() { awk -v k="$1" '$1 == k { print $2 }' $R; }
tap_check "both doorbells published" test "$(val published)" = 2
tap_check "at publish time each irq's handler was installed" test "$(val action_at_publish)" = 2
tap_check "a ring sent from inside publish reached the handler, both doorbells" \
	test "$(val rung_in_publish)" = 2
tap_check "ready came after publish for both" test "$(val ready_after_publish)" = 2
tap_check "enabling twice is -EBUSY, past the set -EINVAL" \
	test "$(val enable_twice)" = -16 -a "$(val enable_range)" = -22
tap_check "unbind, unload" db_unload
tap_done
