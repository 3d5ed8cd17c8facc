# SPDX-License-Identifier: GPL-2.0
# Shared by doorbell-x86 (plain MSI) and doorbell-x86-ir (interrupt
# remapping): the doorbell library's 6.12 MSI-parent rule
# (kernel/doorbell/msi_rule.h) evaluated by a test module on edu's MSI parent,
# against what an affinity move really does to edu's MSI message.
# Usage: msi_rule_run WANT_FIXED WANT_PREFIX
. "$(dirname "${BASH_SOURCE[0]}")/../../lib/tap.sh"
R=/sys/kernel/debug/socbpf_msi_rule/result

msi_rule_run() {
	local want=$1 prefix=$2 changed=$(( ! $1 ))
	tap_plan 6
	tap_check "the rule's test module binds edu and moves its MSI" \
		insmod build/x86/modules/msi_rule/socbpf_msi_rule.ko
	sed 's/^/# /' $R
	val() { awk -v k="$1" '$1 == k { print $2 }' $R; }
	tap_check "edu's MSI parent has prefix '$prefix'" test "$(awk '$1 == "parent" { print $4 }' $R)" = "$prefix"
	tap_check "the irq moved to the other CPU" test "$(val moved)" = 1
	tap_check "the message after the affinity move: changed=$changed" test "$(val msg_changed)" = $changed
	tap_check "the rule calls the parent $([ "$want" = 1 ] && echo immutable || echo mutable) (fixed=$want)" \
		test "$(val rule_fixed)" = "$want"
	tap_check "unload" rmmod socbpf_msi_rule
	tap_done
}
