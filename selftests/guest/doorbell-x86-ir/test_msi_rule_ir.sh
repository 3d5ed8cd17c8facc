#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# socbpf-vm: doorbell
# socbpf-vm: intremap
# x86 with interrupt remapping (q35, intel-iommu,intremap=on): edu's MSI
# parent is the IR domain (prefix "IR-", drivers/iommu/intel/irq_remapping.c),
# its message stays when the affinity moves, and the doorbell rule accepts it.
. "$(dirname "$0")/../doorbell-x86/msi_rule_lib.sh"
msi_rule_run 1 IR-
