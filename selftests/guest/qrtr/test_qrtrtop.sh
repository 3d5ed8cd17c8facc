#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# qrtrtop against two emulated devices (both node 7, service 69, different
# keys): batch JSON output is valid, shows both endpoints and their services,
# counts exactly the data packets of a known traffic pattern per endpoint,
# agrees with the module's debugfs counters; text mode, raw_tp mode, Ctrl-C,
# a terminal smoke test, and the error paths (bad flag, module not loaded).
cd "$(dirname "$0")/../../.." || exit 1
. selftests/lib/tap.sh
. tools/qrtr-emu/emu-lib.sh

QT=$BIN/qrtrtop
PY=/usr/bin/python3
OUT=$EMU_TMP
QT_PID=
cleanup() {
	[ -n "$QT_PID" ] && kill "$QT_PID" 2>/dev/null
	emu_cleanup
	qrtr_unload
}
trap cleanup EXIT

tap_plan 23
KA=pci:0000:01:00.0
KB=pci:0000:02:00.0
NA=12		# echo round trips to device A
NB=7		# ... and to device B

# ---- error paths, before the module is loaded
out=$("$QT" --bogus 2>&1)
rc=$?
if [ $rc -ne 0 ] && grep -q "unrecognized option '--bogus'" <<<"$out"; then
	out2=$("$QT" -s nosuchfield 2>&1)
	rc2=$?
	if [ $rc2 -ne 0 ] && grep -q "invalid sort field" <<<"$out2"; then
		tap_ok "bad flags: non-zero exit ($rc, $rc2) with a message"
	else
		tap_fail "bad sort field: exit $rc2"
		tap_diag_lines "$out2"
	fi
else
	tap_fail "bad flag: exit $rc"
	tap_diag_lines "$out"
fi

tap_check "--help has an EXAMPLES block" bash -c "'$QT' --help | grep -q '^EXAMPLES:'"

if qrtr_loaded; then
	tap_skip "socbpf_qrtr already loaded, cannot test the missing-module error"
else
	out=$("$QT" -b -n 1 2>&1)
	rc=$?
	if [ $rc -ne 0 ] && grep -q "socbpf_qrtr module not loaded: insmod kernel/qrtr/socbpf_qrtr.ko" <<<"$out"; then
		tap_ok "module not loaded: clear message, exit $rc"
	else
		tap_fail "module not loaded: exit $rc"
		tap_diag_lines "$out"
	fi
fi

# ---- two devices
if ! qrtr_load; then
	tap_fail "insmod $QRTR_KO"
	tap_done
fi
if emu_start a --key $KA --node 7 --service 69:1:0@1 &&
   emu_start b --key $KB --node 7 --service 69:1:0@1; then
	tap_ok "two devices (node 7, service 69) up"
else
	tap_fail "two devices up"
	tap_done
fi
EA=$(emu_ep a)
EB=$(emu_ep b)
tap_diag "endpoints: $KA -> $EA, $KB -> $EB"

# ---- batch JSON while a known traffic pattern runs
"$QT" -b -d 1 -n 10 --json >"$OUT/qt.json" 2>"$OUT/qt.err" &
QT_PID=$!
for _ in $(seq 300); do
	[ -s "$OUT/qt.json" ] && break
	kill -0 $QT_PID 2>/dev/null || break
	sleep 0.1
done
if [ -s "$OUT/qt.json" ]; then
	tap_ok "qrtrtop -b -d 1 -n 10 --json attached and printed a first frame"
else
	tap_fail "qrtrtop printed no frame"
	tap_diag_lines "$(cat "$OUT/qt.err")"
	tap_done
fi

ok=1
"$BIN/qrtr-epc" send 7 1 -e "$EA" -n $NA -q -x "key=$KA" -t 3000 >"$OUT/ta" 2>&1 || ok=0
"$BIN/qrtr-epc" send 7 1 -e "$EB" -n $NB -q -x "key=$KB" -t 3000 >"$OUT/tb" 2>&1 || ok=0
if [ $ok = 1 ]; then
	tap_ok "traffic: $NA round trips to A, $NB to B, every reply from the right device"
else
	tap_fail "traffic"
	tap_diag_lines "$(cat "$OUT/ta" "$OUT/tb")"
fi

wait $QT_PID
rc=$?
QT_PID=
tap_check "qrtrtop exits 0 after -n 10 frames" test $rc = 0 ||
	tap_diag_lines "$(cat "$OUT/qt.err")"
# the counters are settled now (no more traffic): debugfs is the reference
cp "$QRTR_DBG/endpoints" "$OUT/dbg_endpoints"
tap_diag_lines "$(cat "$OUT/dbg_endpoints")"

# jcheck NAME: run one named check over the JSON frames (python)
jcheck() {
	"$PY" - "$1" "$OUT/${JF:-qt.json}" "$OUT/dbg_endpoints" "$EA" "$EB" "$KA" "$KB" \
		"$NA" "$NB" "${POLICY_NAME:-}" <<'PY'
import json, sys
name, path, dbg, ea, eb, ka, kb, na, nb, pname = sys.argv[1:]
ea, eb, na, nb = int(ea), int(eb), int(na), int(nb)
frames = []
with open(path) as f:
    for i, line in enumerate(f, 1):
        try:
            frames.append(json.loads(line))
        except ValueError as e:
            sys.exit("line %d is not JSON: %s: %r" % (i, e, line[:200]))
last = frames[-1]
eps = {e["id"]: e for e in last["endpoints"]}

def fail(msg):
    print(msg)
    print("last frame:", json.dumps(last, indent=1)[:3000])
    sys.exit(1)

if name == "valid":
    if len(frames) != 10:
        fail("want 10 frames, got %d" % len(frames))
    for fr in frames:
        for k in ("iteration", "timestamp", "interval_s", "endpoints",
                  "services", "ports"):
            if k not in fr:
                fail("frame without %s" % k)
    if [fr["iteration"] for fr in frames] != list(range(1, 11)):
        fail("iterations not 1..10")
elif name == "endpoints":
    for i, k in ((ea, ka), (eb, kb)):
        if i not in eps:
            fail("endpoint %d missing" % i)
        if eps[i]["key"] != k or eps[i]["state"] != "live":
            fail("endpoint %d: key %r state %r" % (i, eps[i]["key"], eps[i]["state"]))
        if eps[i]["nodes"] != 1:
            fail("endpoint %d: nodes %r" % (i, eps[i]["nodes"]))
    # seeded from debugfs: both already in the very first frame
    first = {e["id"] for e in frames[0]["endpoints"]}
    if not {ea, eb} <= first:
        fail("first frame lacks an endpoint: %r" % first)
elif name == "services":
    got = {(s["endpoint"], s["service"], s["node"], s["port"], s["name"],
            s["version"], s["instance"]) for s in last["services"]}
    for i in (ea, eb):
        if (i, 69, 7, 1, "WLFW", 1, 0) not in got:
            fail("service 69 WLFW v1 inst 0 at 7:1 on endpoint %d missing: %r" % (i, got))
    if not {ea, eb} <= {s["endpoint"] for s in frames[0]["services"]}:
        fail("services not in the first frame")
elif name == "exact":
    for i, n in ((ea, na), (eb, nb)):
        e = eps[i]
        if e["tx_data_pkts_seen"] != n or e["rx_data_pkts_seen"] != n:
            fail("endpoint %d: data tx %d rx %d, want %d each" %
                 (i, e["tx_data_pkts_seen"], e["rx_data_pkts_seen"], n))
        if e["drops_total"] != 0:
            fail("endpoint %d: drops %r" % (i, e["drops"]))
elif name == "debugfs":
    ref = {}
    for line in open(dbg):
        kv = dict(t.split("=", 1) for t in line.split() if "=" in t)
        ref[int(kv["id"])] = kv
    for i in (ea, eb):
        for k in ("rx_pkts", "tx_pkts", "rx_bytes", "tx_bytes"):
            if eps[i][k] != int(ref[i][k]):
                fail("endpoint %d %s: qrtrtop %d, debugfs %s" %
                     (i, k, eps[i][k], ref[i][k]))
        print("endpoint %d: rx_pkts=%d tx_pkts=%d rx_bytes=%d tx_bytes=%d (= debugfs)"
              % (i, eps[i]["rx_pkts"], eps[i]["tx_pkts"], eps[i]["rx_bytes"],
                 eps[i]["tx_bytes"]))
elif name == "policy":
    # rx data from B denied by the policy: 3 packets, reason "policy"
    e = eps[eb]
    if last["policy"] != pname or e["policy"] != pname:
        fail("policy name %r / %r, want %r" % (last["policy"], e["policy"], pname))
    if e["drops"].get("policy") != 3:
        fail("endpoint %d policy drops %r, want 3" % (eb, e["drops"]))
    if eps[ea]["drops"].get("policy", 0) != 0:
        fail("endpoint %d has policy drops %r" % (ea, eps[ea]["drops"]))
elif name == "ports":
    ports = {(p["endpoint"], p["node"], p["port"]): p for p in last["ports"]}
    for i, n in ((ea, na), (eb, nb)):
        p = ports.get((i, 7, 1))
        # to the port: exactly the requests; from it: the echoes plus the
        # RESUME_TX flow-control packets the device sends from that port
        if not p or p["tx_pkts"] != n or p["rx_pkts"] < n:
            fail("port 7:1 on endpoint %d: %r, want tx %d, rx >= %d" % (i, p, n, n))
    if ports[(ea, 7, 1)]["pkts_per_s"] < 0 or last["ports"][0]["pkts"] < 2 * na:
        fail("busiest port not first: %r" % last["ports"][0])
elif name == "rates":
    for i, n in ((ea, na), (eb, nb)):
        tot = sum(e["tx_pkts_per_s"] * fr["interval_s"]
                  for fr in frames[1:] for e in fr["endpoints"] if e["id"] == i)
        want = eps[i]["tx_pkts"] - [e for e in frames[0]["endpoints"] if e["id"] == i][0]["tx_pkts"]
        if abs(tot - want) > 0.05 * want + 0.5:
            fail("endpoint %d: sum of tx rates x interval %.2f, counter delta %d" % (i, tot, want))
        if want < n:
            fail("endpoint %d: tx delta %d < %d" % (i, want, n))
else:
    fail("unknown check " + name)
PY
}

tap_check "every line is a JSON document, 10 frames, iterations 1..10" jcheck valid
tap_check "both endpoints shown with key and state, from the first frame" jcheck endpoints
tap_check "service 69 (WLFW) on both endpoints, node 7 port 1" jcheck services
tap_check "exactly $NA/$NB data packets each way on A/B, no drops" jcheck exact
out=$(jcheck debugfs 2>&1)
if [ $? = 0 ]; then
	tap_ok "rx/tx packet and byte totals equal the module's debugfs counters"
	tap_diag_lines "$out"
else
	tap_fail "totals vs debugfs"
	tap_diag_lines "$out"
fi
tap_check "ports: 7:1 on each endpoint, exactly its requests sent to it, busiest first" jcheck ports
tap_check "rates x intervals add up to the counter deltas" jcheck rates

# ---- started while traffic runs: the debugfs seed and the BPF counts
# overlap (programs attach before the seed is read); totals stay exact
( for _ in 1 2 3 4 5 6; do
	"$BIN/qrtr-epc" send 7 1 -e "$EA" -n 10 -q -t 3000 >/dev/null 2>&1
  done ) &
tp=$!
"$QT" -b -d 1 -n 12 --json >"$OUT/qt3.json" 2>"$OUT/qt3.err" &
QT_PID=$!
wait $tp
if kill -0 $QT_PID 2>/dev/null; then
	wait $QT_PID
	QT_PID=
	cp "$QRTR_DBG/endpoints" "$OUT/dbg_endpoints"
	out=$(JF=qt3.json jcheck debugfs 2>&1)
	if [ $? = 0 ]; then
		tap_ok "started during traffic: totals still equal debugfs"
	else
		tap_fail "started during traffic: totals vs debugfs"
	fi
	tap_diag_lines "$out"
else
	QT_PID=
	tap_fail "started during traffic: qrtrtop ended before the traffic"
	tap_diag_lines "$(cat "$OUT/qt3.err")"
fi

# ---- a policy that drops B's data on receive (skipped without qrtr-policy)
if [ -x "$BIN/qrtr-policy" ] && [ -e "$QRTR_DBG/policy" ] &&
   echo "deny ep $EB type data dir rx" >"$OUT/rules" &&
   "$BIN/qrtr-policy" attach --rules "$OUT/rules" >"$OUT/pol.out" 2>&1; then
	POLICY_NAME=$(sed -n 's/^name: *//p' "$QRTR_DBG/policy")
	tap_diag "policy attached: $POLICY_NAME"
	"$QT" -b -d 1 -n 4 --json >"$OUT/qt2.json" 2>"$OUT/qt2.err" &
	QT_PID=$!
	for _ in $(seq 300); do
		[ -s "$OUT/qt2.json" ] && break
		kill -0 $QT_PID 2>/dev/null || break
		sleep 0.1
	done
	for _ in 1 2 3; do
		"$BIN/qrtr-epc" send 7 1 -e "$EB" -n 1 -q -t 300 >/dev/null 2>&1
	done
	"$BIN/qrtr-epc" send 7 1 -e "$EA" -n 2 -q -t 3000 >/dev/null 2>&1
	wait $QT_PID
	QT_PID=
	cp "$QRTR_DBG/endpoints" "$OUT/dbg_endpoints"
	JF=qt2.json
	tap_check "policy: its name shown, 3 rx drops with reason 'policy' on B only" jcheck policy
	tap_check "policy: totals still equal debugfs (refused packets not counted)" jcheck debugfs
	JF=
	"$BIN/qrtr-policy" detach >/dev/null 2>&1 || tap_diag "qrtr-policy detach failed"
else
	tap_skip "policy drops: qrtr-policy or the policy debugfs file not available"
	tap_skip "policy: totals vs debugfs"
	tap_diag_lines "$(cat "$OUT/pol.out" 2>/dev/null)"
fi

# ---- text batch mode, raw_tp
out=$("$QT" -b -n 1 -d 0.5 2>&1)
if grep -q "^ *$EA $KA .*live" <<<"$out" && grep -q "^ *$EB $KB .*live" <<<"$out" &&
   grep -q "^ *69 WLFW" <<<"$out"; then
	tap_ok "text batch frame lists both endpoints and service 69"
else
	tap_fail "text batch frame"
fi
tap_diag_lines "$out"

out=$("$QT" -b -n 1 -d 0.5 --json --raw-tp 2>&1)
tap_check "--raw-tp mode works too" "$PY" -c '
import json, sys
d = json.loads(sys.argv[1])
ids = {e["id"] for e in d["endpoints"]}
sys.exit(0 if {int(sys.argv[2]), int(sys.argv[3])} <= ids else 1)' "$out" "$EA" "$EB" ||
	tap_diag_lines "$out"

# ---- Ctrl-C in batch mode: prompt clean exit
"$QT" -b -d 60 --json >"$OUT/int.json" 2>&1 &
pid=$!
sleep 3
kill -INT $pid
for _ in $(seq 50); do kill -0 $pid 2>/dev/null || break; sleep 0.1; done
if kill -0 $pid 2>/dev/null; then
	kill -KILL $pid
	tap_fail "SIGINT: still running after 5 s"
else
	wait $pid
	tap_check "SIGINT: exits 0 within 5 s" test $? = 0
fi

# ---- terminal UI smoke test on a pty (script(1)), q to quit
if command -v script >/dev/null; then
	out=$( (sleep 4; printf 'h'; sleep 0.5; printf 'x'; sleep 0.5; printf 's'; sleep 0.5; printf 'q') |
		TERM=xterm timeout 30 script -qfec "exec $QT -d 0.5" /dev/null 2>&1)
	rc=$?
	if [ $rc = 0 ] && grep -q "any key closes it" <<<"$out" && grep -q "$KB" <<<"$out" &&
	   grep -q $'\e\[?1049l' <<<"$out"; then
		tap_ok "ncurses mode on a pty: draws, help key, q exits 0, terminal restored"
	else
		tap_fail "ncurses mode on a pty (exit $rc)"
		tap_diag_lines "$(tr -cd '[:print:]\n' <<<"$out" | tail -n 20)"
	fi
	out=$( (sleep 4; printf '\003') |
		TERM=xterm timeout 30 script -qfec "exec $QT -d 0.5 -s rxtotal" /dev/null 2>&1)
	rc=$?
	if [ $rc = 0 ] && grep -q "$KA" <<<"$out" && grep -q $'\e\[?1049l' <<<"$out"; then
		tap_ok "ncurses mode: Ctrl-C exits 0, terminal restored"
	else
		tap_fail "ncurses mode: Ctrl-C (exit $rc)"
		tap_diag_lines "$(tr -cd '[:print:]\n' <<<"$out" | tail -n 20)"
	fi
else
	tap_skip "script(1) not installed: no pty for the terminal UI"
	tap_skip "script(1) not installed: no Ctrl-C test of the terminal UI"
fi

emu_stop a && emu_stop b
qrtr_unload
tap_check "module unloads after qrtrtop detached" bash -c "! grep -q '^socbpf_qrtr ' /proc/modules"
tap_done
