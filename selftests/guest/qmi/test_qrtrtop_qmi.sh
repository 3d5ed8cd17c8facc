#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# qrtrtop's QMI view against what the test did: the in-kernel handle
# (socbpf_qmi_test.ko) runs Get Revision transactions to an emulated
# device's DMS whose answers the emulator delays by known amounts (4 x
# 200 ms, 4 x 30 ms) and one it leaves unanswered (a timeout); unmodified
# qmicli queries a DMS served by a kernel handle (requests received,
# responses sent, endpoint 0). qrtrtop --json must count every message and
# transaction exactly, name the messages, and give P50/P90/P99 within its
# stated 6.25% of the true latencies (the handle's own txn_end events);
# filters, text mode, raw_tp and a clean Ctrl-C.
# Userspace clients on the wire: a Python AF_QIPCRTR client sends 4 Get
# Revision requests to the device (3 answered 200 ms late, 1 never) and
# qmicli queries the kernel DMS: qrtrtop's 'wire' rows count exactly those
# (not the in-kernel handle's traffic), the timeout after --qmi-timeout, and
# latencies between the emulator's delay and what the client measured.
cd "$(dirname "$0")/../../.." || exit 1
. selftests/lib/tap.sh
. tools/qrtr-emu/emu-lib.sh
QMI_KO=kernel/qmi/socbpf_qmi.ko
TEST_KO=kernel/qmi_test/socbpf_qmi_test.ko
CTL=/sys/kernel/debug/socbpf_qmi_test/ctl
RES=/sys/kernel/debug/socbpf_qmi_test/result
T=/sys/kernel/tracing
QT=$BIN/qrtrtop
PY=/usr/bin/python3
OUT=$EMU_TMP
PIDS=
cleanup() {
	local p
	for p in $PIDS; do kill "$p" 2>/dev/null; done
	echo 0 > $T/events/socbpf_qmi/socbpf_qmi_txn_end/enable 2>/dev/null
	echo stop-dms > "$CTL" 2>/dev/null
	emu_cleanup
	rmmod socbpf_qmi_test 2>/dev/null
	rmmod socbpf_qmi 2>/dev/null
	qrtr_unload
}
trap cleanup EXIT
K1=pci:0000:01:00.0
SLOW=200	# ms, emulator's answer delay
FAST=30
NSLOW=4
NFAST=4

# wait_lines FILE N: until FILE has N lines (max ~60 s: three qrtrtop
# attaching at once under TCG take a while)
wait_lines() {
	local i
	for i in $(seq 600); do
		[ "$(wc -l < "$1" 2>/dev/null || echo 0)" -ge "$2" ] && return 0
		sleep 0.1
	done
	return 1
}

tap_plan 13
if qrtr_load && insmod "$QMI_KO" && insmod "$TEST_KO" &&
   emu_start a --key $K1 --node 7 --service 2:1:0@2; then
	tap_ok "modules loaded, one device with DMS"
else
	tap_fail "modules loaded, one device with DMS"
	tap_done
fi
EA=$(emu_ep a)

"$QT" -b --json -d 1 --qmi-timeout 1 > "$OUT/all.json" 2> "$OUT/all.err" &
QA=$!
"$QT" -b --json -d 1 --raw-tp --qmi-endpoint "$EA" --qmi-service dms \
	> "$OUT/filt.json" 2> "$OUT/filt.err" &
QF=$!
"$QT" -b -d 1 -p 0 > "$OUT/text.txt" 2> "$OUT/text.err" &
QX=$!
PIDS="$QA $QF $QX"
# attached once the first frame is out
t0=$(date +%s%N)
if wait_lines "$OUT/all.json" 1 && wait_lines "$OUT/filt.json" 1 &&
   wait_lines "$OUT/text.txt" 1; then
	tap_diag "attached and first frames out after $((($(date +%s%N) - t0) / 1000000)) ms"
	tap_ok "three qrtrtop instances attached (tp_btf, raw_tp + filters, text)"
else
	tap_fail "qrtrtop instances attached"
	tap_diag_lines "$(cat "$OUT"/*.err)"
	tap_done
fi

echo > $T/trace
echo 1 > $T/events/socbpf_qmi/socbpf_qmi_txn_end/enable
rcs=
emu_cmd a qmi-delay $SLOW
for i in $(seq $NSLOW); do
	echo "revision key:$K1 2 35 3000" > "$CTL"
	rcs="$rcs $(sed -n 's/.* rc=\([-0-9]*\) .*/\1/p' "$RES")"
done
emu_cmd a qmi-delay $FAST
for i in $(seq $NFAST); do
	echo "revision key:$K1 2 35 3000" > "$CTL"
	rcs="$rcs $(sed -n 's/.* rc=\([-0-9]*\) .*/\1/p' "$RES")"
done
emu_cmd a qmi-drop 1
echo "revision key:$K1 2 35 600" > "$CTL"
rcs="$rcs $(sed -n 's/.* rc=\([-0-9]*\) .*/\1/p' "$RES")"
tap_check "the handle saw 8 answers and 1 timeout" \
	test "$rcs" = " 0 0 0 0 0 0 0 0 -110" -a "$(emu_stat a qmi_dropped)" = 1 ||
	tap_diag "rcs:$rcs"

# a userspace client: 3 answers 200 ms late, then one never answered
emu_cmd a qmi-delay $SLOW
"$PY" selftests/guest/qmi/qmi_client.py 7 2 3 0x23 3 > "$OUT/client.out"
emu_cmd a qmi-drop 1
"$PY" selftests/guest/qmi/qmi_client.py 7 2 1 0x23 0.5 >> "$OUT/client.out"

# a kernel handle serves DMS to unmodified qmicli (endpoint 0: local)
QMICLI=0
if command -v qmicli >/dev/null; then
	echo serve-dms > "$CTL"
	node=$(sed -n 's/.*node=\([0-9]*\).*/\1/p' "$RES")
	timeout 30 qmicli -d "qrtr://$node" --dms-get-revision > "$OUT/qmicli.out" 2>&1 &&
		QMICLI=1
	echo stop-dms > "$CTL"
fi
echo 0 > $T/events/socbpf_qmi/socbpf_qmi_txn_end/enable
grep -o "socbpf_qmi_txn_end: ep $EA 7:2 svc 2 msg 0x0023 txn [0-9]* result 0 latency [0-9]*" $T/trace |
	awk '{print $NF}' > "$OUT/lat.txt"

# two more frames, then Ctrl-C
n=$(wc -l < "$OUT/all.json")
wait_lines "$OUT/all.json" $((n + 2))
kill -INT $QA $QF $QX
ok=1
for p in $QA $QF $QX; do
	wait "$p" || ok=0
done
PIDS=
tap_check "Ctrl-C: every qrtrtop exits 0" test $ok = 1 ||
	tap_diag_lines "$(cat "$OUT"/*.err)"

# check.py WHAT: checks on the last JSON frames
check() {
	"$PY" - "$1" "$OUT" "$EA" "$SLOW" "$FAST" "$QMICLI" <<'EOF'
import json, math, sys
what, out, ea, slow, fast, qmicli = sys.argv[1:]
ea, slow, fast, qmicli = int(ea), int(slow), int(fast), int(qmicli)

def last(name):
    lines = [l for l in open(f"{out}/{name}") if l.strip()]
    docs = [json.loads(l) for l in lines]	# every frame parses
    return docs[-1]

def row(doc, ep, svc, src="handle"):
    r = [s for s in doc["qmi"]["services"]
         if s["endpoint"] == ep and s["service"] == svc and s["source"] == src]
    return r[0] if len(r) == 1 else None

doc = last("all.json")
r = row(doc, ea, 2)
if what == "counts":
    got = (r["name"], r["requests_tx"], r["responses_rx"], r["requests_rx"],
           r["responses_tx"], r["indications_rx"], r["message_errors"])
    want = ("DMS", 9, 8, 0, 0, 0, 0)
    print(f"# got {got} want {want}")
    sys.exit(got != want)
if what == "names":
    msgs = {(m["name"], m["type"], m["dir"]): m["count"] for m in r["messages"]}
    want = {("Get Revision", "request", "tx"): 9,
            ("Get Revision", "response", "rx"): 8}
    print(f"# got {msgs}")
    sys.exit(msgs != want)
if what == "txns":
    t = r["transactions"]
    print(f"# got {t}")
    sys.exit(t != {"completed": 8, "timed_out": 1, "failed": 0})
if what == "latency":
    lat = sorted(int(l) / 1e6 for l in open(f"{out}/lat.txt"))
    err = doc["qmi"]["latency_rel_error"]
    pl = r["latency_ms"]
    print(f"# traced latencies (ms): {[round(x, 2) for x in lat]}")
    print(f"# qrtrtop: {pl}, stated error {err}")
    bad = len(lat) != 8 or err != 0.0625
    # the emulator's delay bounds each latency from below
    bad |= any(x < fast for x in lat) or sum(x >= slow for x in lat) != 4
    for p in (50, 90, 99):
        true = lat[max(1, math.ceil(p / 100 * len(lat))) - 1]
        est = pl[f"p{p}"]
        ok = abs(est - true) <= err * true + 0.001
        print(f"# P{p}: true {true:.3f} ms, qrtrtop {est:.3f} ms: {'ok' if ok else 'OFF'}")
        bad |= not ok
    # P50 is one of the fast ones, P90 and P99 slow ones
    bad |= not (pl["p50"] < slow * (1 - err) and pl["p90"] >= slow * (1 - err))
    sys.exit(bad)
if what == "local":
    if not qmicli:
        print("# qmicli missing")
        sys.exit(1)
    l = row(doc, 0, 2)
    got = l and (l["requests_rx"], l["responses_tx"], l["requests_tx"],
                 [(m["name"], m["type"], m["dir"], m["count"]) for m in l["messages"]])
    want = (1, 1, 0, [("Get Revision", "request", "rx", 1),
                      ("Get Revision", "response", "tx", 1)])
    print(f"# got {got}")
    sys.exit(got != want)
if what == "filter":
    f = last("filt.json")
    rows = [(s["endpoint"], s["service"], s["source"]) for s in f["qmi"]["services"]]
    fr = row(f, ea, 2)
    print(f"# filtered rows {rows}; all rows {[(s['endpoint'], s['service'], s['source']) for s in doc['qmi']['services']]}")
    same = fr and (fr["requests_tx"], fr["transactions"]) == (r["requests_tx"], r["transactions"])
    sys.exit(not (rows == [(ea, 2, "handle"), (ea, 2, "wire")] and same))
if what == "wire":
    w = row(doc, ea, 2, "wire")
    lines = open(f"{out}/client.out").read().split("\n")
    ms = sorted(float(l.split()[-1]) for l in lines if " answered " in l)
    got = w and (w["requests_tx"], w["responses_rx"], w["transactions"],
                 [(m["name"], m["type"], m["dir"], m["count"]) for m in w["messages"]])
    want = (4, 3, {"completed": 3, "timed_out": 1, "failed": 0},
            [("Get Revision", "request", "tx", 4), ("Get Revision", "response", "rx", 3)])
    print(f"# got {got}")
    print(f"# client measured (ms) {ms}; qrtrtop {w and w['latency_ms']}")
    bad = got != want or len(ms) != 3
    if not bad:
        err = doc["qmi"]["latency_rel_error"]
        for p in ("p50", "p90", "p99"):
            v = w["latency_ms"][p]
            # the kernel sees less than the client, never less than the delay
            bad |= not (slow * (1 - err) <= v <= ms[-1] * (1 + err))
    sys.exit(bad)
if what == "wire-local":
    if not qmicli:
        print("# qmicli missing")
        sys.exit(1)
    w = row(doc, 0, 2, "wire")
    got = w and (w["requests_tx"], w["responses_rx"], w["transactions"])
    print(f"# got {got}")
    sys.exit(got != (1, 1, {"completed": 1, "timed_out": 0, "failed": 0}))
sys.exit(2)
EOF
}
tap_check "per-service counts exact: 9 requests sent, 8 responses received" check counts
tap_check "messages named per service: Get Revision request tx 9, response rx 8" check names
tap_check "transactions: 8 completed, the injected timeout counted, 0 failed" check txns
tap_check "P50/P90/P99 within the stated 6.25% of the traced latencies" check latency &&
	tap_diag_lines "$(check latency | sed 's/^# //')"
tap_check "kernel DMS served to qmicli: 1 request received, 1 response sent on endpoint 0" check local ||
	tap_diag_lines "$(cat "$OUT/qmicli.out" 2>/dev/null)"
tap_check "--qmi-endpoint/--qmi-service (with --raw-tp): only those rows, same counts" check filter
tap_check "wire: a userspace client's 4 requests, 3 responses matched, 1 timed out, latencies between delay and client" \
	check wire || tap_diag_lines "$(cat "$OUT/client.out")"
tap_check "wire: qmicli's request to the kernel DMS and its response, one transaction" check wire-local
tap_check "text mode: a QMI row for DMS on endpoint $EA, its messages by name" \
	grep -q "Get Revision Q>:9, Get Revision R<:8" "$OUT/text.txt" ||
	tap_diag_lines "$(tail -12 "$OUT/text.txt")"
tap_done
