#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# socbpf-arch: arm64
# Reproducer (not a test: make check does not run it): a platform response
# whose header has the reserved message type 1 makes upstream arm_scmi
# (6.12, driver.c scmi_rx_callback) WARN_ONCE("received unknown
# msg_type:1"): firmware can raise a kernel WARNING (a panic with
# panic_on_warn). Run it with
#   VM_SCMI_PLATFORM=1 scripts/vm-run -a arm64 -- \
#       bash selftests/guest/scmi-upstream/repro_corrupt_hdr_warn.sh
# vm-run then exits 97 and the serial log shows the WARNING.
PLAN=2
. "$(dirname "$0")/upstream_lib.sh"
load_upstream || bail "upstream arm_scmi did not come up over vhost-user"
tap_ok "upstream arm_scmi is up"
ctl "match 20:6"
ctl "fault corrupt-hdr=1"
wait_stat faults_pending 1
cat /sys/kernel/debug/clk/cpu_clk/clk_rate > /dev/null 2>&1
if dmesg | grep -q 'received unknown msg_type:1'; then
	tap_ok "upstream WARNs on a reserved message type from the platform"
else
	tap_fail "no WARN: upstream handled the reserved message type quietly"
fi
tap_done
