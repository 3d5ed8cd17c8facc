#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# socbpf_qrtr endpoint registry: the exported lookup/pre-assign/release API
# (through the test module socbpf_qrtr_test.ko), pre-assigned ids taken by a
# qrtr-tun link, reclaim on release and on owner unload, and exhaustion.
. "$(dirname "$0")/../../lib/tap.sh"

KO=kernel/qrtr/socbpf_qrtr.ko
TKO=kernel/qrtr_test/socbpf_qrtr_test.ko
BIN=build/selftests/bin/qrtr-sockcheck
DBG=/sys/kernel/debug/socbpf_qrtr
CTL=/sys/kernel/debug/socbpf_qrtr_test/ctl

tap_plan 11

if [ ! -e "$KO" ] || [ ! -e "$TKO" ] || [ ! -x "$BIN" ]; then
	echo "Bail out! build $KO, $TKO and $BIN first"
	exit 1
fi

ctl() { echo "$1 $2" > $CTL && cat $CTL; }
ep_line() { grep " key=$1 " $DBG/endpoints; }

tap_check "insmod socbpf_qrtr and socbpf_qrtr_test" sh -c "insmod $KO && insmod $TKO"
selftest_ok() {
	cat /sys/kernel/debug/socbpf_qrtr_test/selftest
	! grep -q '^not ok' /sys/kernel/debug/socbpf_qrtr_test/selftest &&
		grep -q '^1\.\.10$' /sys/kernel/debug/socbpf_qrtr_test/selftest
}
tap_check "in-kernel API self-test (lookup/preassign/release errors)" selftest_ok

preassign_ok() {
	local id tid
	id=$(ctl preassign devP)
	[ "$id" -gt 0 ] 2>/dev/null || { echo "preassign gave $id"; return 1; }
	ep_line devP | grep -q "state=preassigned" || { cat $DBG/endpoints; return 1; }
	tid=$($BIN tun-info devP) || return 1
	[ "$tid" = "$id" ] || { echo "tun got id $tid, pre-assigned $id"; return 1; }
}
tap_check "a tun link takes the id pre-assigned to its key" preassign_ok

tap_check "pre-assigned id survives the link closing" \
	sh -c "grep ' key=devP ' $DBG/endpoints | grep -q 'state=preassigned refs=1'"
tap_check "lookup finds it" sh -c "[ \"\$(echo lookup devP > $CTL; cat $CTL)\" = \"\$(grep ' key=devP ' $DBG/endpoints | sed 's/^id=\([0-9]*\).*/\1/')\" ]"
tap_check "release reclaims it" sh -c "[ \"\$(echo release devP > $CTL; cat $CTL)\" = 0 ] && ! grep -q ' key=devP ' $DBG/endpoints && [ \"\$(echo lookup devP > $CTL; cat $CTL)\" = -2 ]"

live_ok() {
	# pre-assigning the key of a live link pins its current id
	local id tid pid rc=0
	rm -f /tmp/qrtr-reg.out
	$BIN hold 60 > /tmp/qrtr-reg.out &
	pid=$!
	for _ in $(seq 50); do grep -q ready /tmp/qrtr-reg.out && break; sleep 0.1; done
	tid=$(grep ' key=hold ' $DBG/endpoints | sed 's/^id=\([0-9]*\).*/\1/')
	id=$(ctl preassign hold)
	[ -n "$tid" ] && [ "$id" = "$tid" ] || { echo "live $tid preassign $id"; rc=1; }
	ep_line hold | grep -q 'state=live+preassigned refs=2' || { cat $DBG/endpoints; rc=1; }
	kill $pid; wait $pid
	ep_line hold | grep -q 'state=preassigned refs=1' || { cat $DBG/endpoints; rc=1; }
	[ "$(ctl release hold)" = 0 ] || rc=1
	return $rc
}
tap_check "pre-assigning a live link's key pins its id" live_ok

owner_ok() {
	local id
	id=$(ctl preassign devQ)
	[ "$id" -gt 0 ] 2>/dev/null || return 1
	rmmod socbpf_qrtr_test || return 1
	if grep -q ' key=devQ ' $DBG/endpoints; then cat $DBG/endpoints; return 1; fi
	dmesg | grep -q "reclaiming endpoint id $id (devQ) pre-assigned by socbpf_qrtr_test"
}
tap_check "unloading the owner reclaims its pre-assignments" owner_ok

exhaust_ok() {
	rmmod socbpf_qrtr && insmod $KO max_endpoint_id=2 && insmod $TKO || return 1
	local a b c rc=0
	a=$(ctl preassign ka); b=$(ctl preassign kb); c=$(ctl preassign kc)
	[ "$a" -gt 0 ] && [ "$b" -gt 0 ] && [ "$c" = -28 ] || { echo "ids $a $b $c"; rc=1; }
	if $BIN tun-info knew 2>/dev/null; then echo "tun got an id past the max"; rc=1; fi
	[ "$($BIN tun-info ka)" = "$a" ] || { echo "ka did not get $a"; rc=1; }
	[ "$(ctl release ka)" = 0 ] && [ "$(ctl release kb)" = 0 ] || rc=1
	[ -z "$(cat $DBG/endpoints)" ] || { cat $DBG/endpoints; rc=1; }
	return $rc
}
tap_check "pre-assignment exhaustion gives -ENOSPC, links too" exhaust_ok

tap_check "bad ctl input is rejected" sh -c "! echo bogus > $CTL 2>/dev/null"
tap_check "rmmod both" sh -c "rmmod socbpf_qrtr_test && rmmod socbpf_qrtr"
grep -q '^socbpf_qrtr_test ' /proc/modules && rmmod socbpf_qrtr_test
grep -q '^socbpf_qrtr ' /proc/modules && rmmod socbpf_qrtr
tap_done
