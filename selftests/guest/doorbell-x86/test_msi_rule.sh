#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# socbpf-vm: doorbell
# x86 without interrupt remapping: edu's MSI parent is the vector domain
# (6.12: msi_parent_ops without prefix, arch/x86/kernel/apic/msi.c), its
# message changes when the affinity moves, and the doorbell rule refuses it.
. "$(dirname "$0")/msi_rule_lib.sh"
msi_rule_run 0 none
