#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# socbpf-arch: arm64
# The arm64 guest lane: the guest is Debian's arm64 kernel on -M virt with
# a GICv3 ITS, our tools run there as static arm64 binaries, upstream's
# built-in arm_scmi exposes its tracepoints and scmitrace (the host-built
# CO-RE object) attaches to them, and the test-only upstream SCMI virtio
# transport module loads and unloads cleanly.
. "$(dirname "$0")/../../lib/tap.sh"
KO=build/arm64/modules/scmi_virtio_upstream/socbpf_scmi_virtio_upstream.ko
tap_plan 6

tap_check "the guest is arm64" test "$(uname -m)" = aarch64
tap_check "GICv3 with an ITS" sh -c 'dmesg | grep -q "GICv3" && dmesg | grep -q "ITS@"'
tap_check "scmitrace is a static arm64 binary here" \
	sh -c 'build/bin/scmitrace --version >/dev/null'
tap_check "upstream arm_scmi's tracepoints exist" \
	test -d /sys/kernel/tracing/events/scmi/scmi_xfer_begin
out=$(build/bin/scmitrace -j 1 1 2>&1)
rc=$?
if [ $rc -eq 0 ] && printf '%s\n' "$out" | grep -q '"transfers"'; then
	tap_ok "scmitrace attaches to the stock kernel's scmi tracepoints and reports"
else
	tap_fail "scmitrace attaches to the stock kernel's scmi tracepoints (exit $rc)"
	printf '%s\n' "$out" | sed 's/^/# /' | tail -n 10
fi
tap_check "upstream's virtio transport module loads and unloads" \
	sh -c "insmod $KO && grep -q '^socbpf_scmi_virtio_upstream ' /proc/modules && rmmod socbpf_scmi_virtio_upstream"
tap_done
