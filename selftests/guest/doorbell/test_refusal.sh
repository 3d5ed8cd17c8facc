#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# socbpf-arch: arm64
# socbpf-vm: doorbell
# Doorbells are refused on an MSI parent whose message can change after
# setup, with upstream's errno (-ENODEV, drivers/pci/endpoint/pci-ep-msi.c
# pci_epf_alloc_doorbell(): "Mutable MSI controller not supported") and a
# log line, and accepted on the ITS. The mutable parent is a test module's
# MSI parent domain set up like 6.12's x86 vector domain (no immutable flag,
# no "ITS-"/"IR-" prefix), under a real EPC and function.
. "$(dirname "$0")/../../lib/tap.sh"
. "$(dirname "$0")/db_lib.sh"
tap_plan 8
R=/sys/kernel/debug/socbpf_db_mutable/result
T=/sys/kernel/tracing

load() {
	insmod $D/socbpf_doorbell.ko && insmod $D/socbpf_pci_epc_virt.ko &&
	echo 1 > $T/events/socbpf_doorbell/socbpf_doorbell_alloc/enable &&
	insmod $TM/doorbell_mutable/socbpf_db_mutable.ko
}
tap_check "library, virtual EPC and the mutable-parent test module load" load
sed 's/^/# /' $R
val() { awk -v k="$1" '$1 == k { print $2 }' $R; }
tap_check "allocation on the mutable parent fails with -ENODEV" test "$(val mutable_alloc)" = -19
tap_check "allocation with no MSI parent fails with -ENODEV" test "$(val noparent_alloc)" = -19
tap_check "the rule calls the fake vector-style parent mutable" test "$(val mutable_immutable)" = 0
tap_check "the rule calls the ITS (socbpf-vepc's parent) immutable" test "$(val its_immutable)" = 1
tap_check "the refusal is logged with the reason" \
	bash -c "dmesg | grep -q 'socbpf_db_mutable: doorbell: MSI parent .* of socbpf-db-mutable can change the message after setup: refused'"
tap_check "the alloc tracepoint recorded both failures (ret=-19)" \
	test "$(grep -c 'socbpf_doorbell_alloc: dev=socbpf_db_mutable num=1 first_irq=0 ret=-19' $T/trace)" = 2
echo 0 > $T/events/socbpf_doorbell/socbpf_doorbell_alloc/enable
echo > $T/trace
tap_check "unload" db_unload
tap_done
