#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make check: host unit tests, the VM runner's own tests, then the guest
# selftests (one boot per area), ending with "N passed, N failed, N skipped".
#
#   scripts/check.sh            everything
#   scripts/check.sh unit       host unit tests only
#   scripts/check.sh runner     the VM runner's tests only
#   scripts/check.sh AREA       one guest area (selftests/guest/AREA)
#   scripts/check.sh AREA/TEST  one guest test
set -u
TOP=$(cd "$(dirname "$0")/.." && pwd)
cd "$TOP" || exit 2
sel=${1:-}
sel_area=${sel%%/*}
sel_test=
[ "$sel" != "$sel_area" ] && sel_test=${sel#*/}
RES=$TOP/build/results
KVER=${KVER:-6.12.95+deb12-amd64}
ARM64_KVER=${ARM64_KVER:-6.12.95+deb12-arm64}
AREA_TIMEOUT=${GUEST_AREA_TIMEOUT:-1200}
rm -rf "$RES"
mkdir -p "$RES"

want() { [ -z "$sel_area" ] || [ "$sel_area" = "$1" ]; }
taps=()

if want unit; then
	mkdir -p "$RES/unit"
	for b in build/unit/test_*; do
		[ -x "$b" ] || continue
		n=$(basename "$b")
		echo "== unit: $n"
		"$b" > "$RES/unit/$n.tap" 2>&1
		echo $? > "$RES/unit/$n.rc"
		taps+=("$RES/unit/$n.tap")
	done
fi

if want runner; then
	mkdir -p "$RES/runner"
	echo "== runner: test_vm_runner.sh"
	bash selftests/runner/test_vm_runner.sh > "$RES/runner/test_vm_runner.tap" 2>&1
	echo $? > "$RES/runner/test_vm_runner.rc"
	taps+=("$RES/runner/test_vm_runner.tap")
fi

# the arches an area's tests (or the one selected) want: scripts/test-arch
area_arches() {
	local f
	for f in "$1"/test_*; do
		[ -e "$f" ] || continue
		[ -n "$sel_test" ] && [ "$(basename "$f")" != "$sel_test" ] && continue
		scripts/test-arch "$f"
	done | tr ' ' '\n' | sort -u
}

# The arm64 areas whose tests carry "# socbpf-vm: scmi-vhost [ARGS]" boot
# with scmi-platform serving vhost-user-scmi on the host (vm-run
# VM_SCMI_PLATFORM), with ARGS (the first such line of the area's tests).
area_scmi_vhost() {
	grep -h -m1 '^# socbpf-vm: scmi-vhost' "$1"/test_* 2>/dev/null | head -n 1
}

# "# socbpf-vm: doorbell": the arm64 guest gets the PCIe endpoint doorbell
# bed (vm-run VM_DOORBELL: a virtual EPC node and an edu device), the x86
# guest an edu device; "# socbpf-vm: intremap": the x86 guest is a q35 with
# interrupt remapping (vm-run VM_INTREMAP).
area_doorbell() {
	grep -q -h -m1 '^# socbpf-vm: doorbell' "$1"/test_* 2>/dev/null
}
area_intremap() {
	grep -q -h -m1 '^# socbpf-vm: intremap' "$1"/test_* 2>/dev/null
}

for d in selftests/guest/*/; do
	[ -d "$d" ] || continue
	a=$(basename "$d")
	want "$a" || continue
	arches=$(area_arches "$d")
	for arch in x86_64 arm64; do
		echo "$arches" | grep -qx "$arch" || continue
		if [ "$arch" = x86_64 ]; then
			gres=$RES/guest/$a kver=$KVER name=$a
		else
			gres=$RES/guest-arm64/$a kver=$ARM64_KVER name=$a@arm64
		fi
		echo "== guest: $a${sel_test:+/$sel_test} (booting $kver)"
		mkdir -p "$gres"
		plat= pargs=
		if [ "$arch" = arm64 ] && [ -n "$(area_scmi_vhost "$d")" ]; then
			plat=1
			pargs=$(area_scmi_vhost "$d" | sed 's/^# socbpf-vm: scmi-vhost *//')
		fi
		dbell=0 irmap=0
		area_doorbell "$d" && dbell=1
		[ "$arch" = x86_64 ] && area_intremap "$d" && irmap=1
		VM_DOORBELL=$dbell VM_INTREMAP=$irmap \
		VM_SCMI_PLATFORM=${plat:-0} VM_SCMI_PLATFORM_ARGS=$pargs \
			scripts/vm-run -a "$arch" -q -t "$AREA_TIMEOUT" -o "$gres" \
			-l "$gres/serial.log" -- scripts/guest-tests.sh "$a" $sel_test
		rc=$?
		{
			echo "TAP version 13"
			echo "1..1"
			if [ $rc -eq 0 ]; then
				echo "ok 1 - $name: guest booted, ran the tests, log clean"
			else
				echo "not ok 1 - $name: vm-run exit $rc (serial log: $gres/serial.log)"
			fi
		} > "$gres/vm.tap"
		taps+=("$gres/vm.tap")
		for t in "$gres/$a"/*.tap; do
			[ -e "$t" ] && taps+=("$t")
		done
	done
done

if [ ${#taps[@]} -eq 0 ]; then
	echo "check: nothing matched '$sel'" >&2
	echo "0 passed, 1 failed, 0 skipped"
	exit 1
fi

# Show what failed, with its diagnostics, before the summary.
for t in "${taps[@]}"; do
	if grep -q '^not ok' "$t" || { [ -f "${t%.tap}.rc" ] && [ "$(cat "${t%.tap}.rc")" != 0 ]; }; then
		echo "---- ${t#"$RES"/}"
		grep -E '^(not ok|#)' "$t" | tail -n 40
	fi
done
echo "---- results"
TAP_SUMMARY_STRIP=$RES/ scripts/tap-summary "${taps[@]}"
