#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# BPF endpoint policy (struct qrtr_policy_ops, bpf/qrtr_policy.bpf.c, loaded
# by qrtr-policy): stable ids whatever the open order, a filter that drops
# exactly what its rules name (module counters and rule hits agree), detach
# restores the defaults, a hostile policy cannot corrupt the registry, one
# policy at a time, bad rules files are refused with the line named.
cd "$(dirname "$0")/../../.." || exit 1
. selftests/lib/tap.sh
. tools/qrtr-emu/emu-lib.sh
POLICY=$BIN/qrtr-policy
HOSTILE=$TBIN/qrtr-hostile-policy
trap '"$POLICY" detach >/dev/null 2>&1; emu_cleanup; qrtr_unload' EXIT

tap_plan 15
K1=pci:0000:01:00.0
K2=pci:0000:02:00.0

pol_stat() { sed -n "s/^$1: *//p" "$QRTR_DBG/policy" 2>/dev/null; }
ep_drop() { dbg_ep_field "$1" drop_policy; }

if ! qrtr_load; then
	tap_fail "insmod $QRTR_KO"
	tap_done
fi

cat > "$EMU_TMP/ids.conf" <<EOC
# two WLAN cards, stable ids
$K1 = 5
$K2 = 3
EOC
tap_check "attach stable ids from a file" "$POLICY" attach --ids "$EMU_TMP/ids.conf"
tap_check "debugfs shows the policy attached" grep -q '^attached: 1' "$QRTR_DBG/policy"

ok=1
for order in "a b" "b a"; do
	for n in $order; do
		key=$K1; [ $n = b ] && key=$K2
		emu_start $n --key $key --node 7 --service 69:1:0@1 || ok=0
	done
	[ "$(emu_ep a)" = 5 ] && [ "$(emu_ep b)" = 3 ] || {
		ok=0
		tap_diag "order '$order': a=$(emu_ep a) b=$(emu_ep b)"
	}
	emu_stop a; emu_stop b
done
if [ $ok = 1 ]; then
	tap_ok "devices get their configured ids (5, 3) whatever order they open in"
else
	tap_fail "devices get their configured ids whatever order they open in"
fi
tap_check "detach" "$POLICY" detach
tap_check "debugfs shows no policy after detach" grep -q '^attached: 0' "$QRTR_DBG/policy"

# Filter: drop host->device data to endpoint 5 only.
cat > "$EMU_TMP/rules" <<EOC
# keep device A quiet
deny ep 5 type data dir tx
default allow
EOC
"$POLICY" attach --ids "$EMU_TMP/ids.conf" --rules "$EMU_TMP/rules" >/dev/null
emu_start a --key $K1 --node 7 --service 69:1:0@1
emu_start b --key $K2 --node 7 --service 69:1:0@1
ea0=$(emu_stat a echo); eb0=$(emu_stat b echo)
d0=$(ep_drop 5)
eperm=0
for i in $(seq 10); do
	"$BIN/qrtr-epc" send 7 1 -e 5 -q -t 300 2>&1 | grep -q 'Operation not permitted' &&
		eperm=$((eperm + 1))
done
"$BIN/qrtr-epc" send 7 1 -e 3 -n 10 -q -t 3000 >/dev/null 2>&1
ea1=$(emu_stat a echo); eb1=$(emu_stat b echo)
d1=$(ep_drop 5)
tap_diag "echo a: $ea0->$ea1 b: $eb0->$eb1, ep5 policy drops: $d0->$d1, EPERM seen: $eperm"
tap_check "the filter drops exactly the 10 data packets to endpoint 5 (sender gets EPERM)" \
	test "$((ea1 - ea0))" = 0 -a "$((eb1 - eb0))" = 10 -a "$((${d1:-0} - ${d0:-0}))" = 10 -a $eperm = 10
hits=$("$POLICY" status | sed -n 's/^ *deny ep 5 type data dir tx *//p')
tap_check "rule hit count agrees with the module's policy drops ($hits)" test "$hits" = 10
tap_check "endpoint 3 saw no policy drops" test "$(ep_drop 3)" = 0

"$HOSTILE" -- true > "$EMU_TMP/second" 2>&1
rc=$?
tap_check "a second policy cannot attach (EEXIST, clear message)" \
	grep -q 'Failed to attach policy: File exists' "$EMU_TMP/second"
[ $rc = 3 ] || tap_diag "second attach exit $rc"

rmmod socbpf_qrtr 2>/dev/null
tap_check "the module cannot be unloaded while a policy is attached" qrtr_loaded
"$POLICY" detach >/dev/null
"$BIN/qrtr-epc" send 7 1 -e 5 -n 3 -q -t 3000 >/dev/null 2>&1
tap_check "after detach, endpoint 5 is reachable again" test $? = 0
emu_stop a; emu_stop b

# Hostile policy: ids out of range, huge, already taken, zero; verdict 7.
emu_start keep --key pci:0000:09:00.0 --node 9 --service 15:1:0@1
taken=$(emu_ep keep)
cat > "$EMU_TMP/hostile.sh" <<EOC
. tools/qrtr-emu/emu-lib.sh
EMU_TMP=$EMU_TMP
for n in h1 h2 h3 h4; do emu_start \$n --key pci:0000:1\${n#h}:00.0 --node 7 --service 69:1:0@1 || exit 1; done
for n in h1 h2 h3 h4; do echo "\$n=\$(emu_ep \$n)"; done
"\$BIN/qrtr-epc" send 7 1 -e \$(emu_ep h1) -n 5 -q -t 3000 || exit 1
for n in h1 h2 h3 h4; do emu_stop \$n; done
EOC
"$HOSTILE" -i "4096,0xffffffff,$taken,0" -V 7 -- bash "$EMU_TMP/hostile.sh" > "$EMU_TMP/h.out" 2>&1
rc=$?
ids=$(sed -n 's/^h[0-9]=//p' "$EMU_TMP/h.out" | tr '\n' ' ')
tap_diag "hostile run exit $rc, ids: $ids (taken: $taken)"
uniq=$(printf '%s\n' $ids $taken | sort -u | grep -c '^[0-9]')
range_ok=1
for i in $ids; do [ "$i" -ge 1 ] && [ "$i" -le 255 ] || range_ok=0; done
tap_check "hostile ids fall back to the default allocator: 4 distinct valid ids, traffic passes" \
	test $rc = 0 -a "$uniq" = 5 -a $range_ok = 1
tap_check "rejected ids (3) and bad verdicts are counted" \
	test "$(pol_stat ids_rejected)" = 3 -a "$(pol_stat verdicts_bad)" -gt 0
n_ep=$(grep -c '^id=' "$QRTR_DBG/endpoints")
tap_check "registry consistent after the hostile policy (1 endpoint left)" test "$n_ep" = 1
emu_stop keep

printf 'allow ep 1\ndeny sevrice 69\n' > "$EMU_TMP/bad.rules"
out=$("$POLICY" attach --rules "$EMU_TMP/bad.rules" 2>&1)
rc=$?
tap_check "a bad rules file is refused, naming the line ($out)" \
	test $rc != 0 -a -n "$(grep "bad.rules:2: unknown field 'sevrice'" <<<"$out")"
tap_done
