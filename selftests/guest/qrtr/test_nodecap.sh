#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# max_nodes_per_endpoint also bounds the nodes a device advertises servers
# on (NEW_SERVER for a node behind it), not only the nodes it sends from: a
# device cannot make the name service keep servers for nodes it may not use
# (unbounded memory: ns_max_servers is per node). A NEW_SERVER sent as a
# DATA packet to the control port, which the core does not route, is refused
# too.
cd "$(dirname "$0")/../../.." || exit 1
. selftests/lib/tap.sh
. tools/qrtr-emu/emu-lib.sh
trap 'emu_cleanup; qrtr_unload' EXIT

tap_plan 6
if ! qrtr_load max_nodes_per_endpoint=2; then
	tap_fail "insmod $QRTR_KO max_nodes_per_endpoint=2"
	tap_done
fi

cat > "$EMU_TMP/nodecap.py" <<'EOP'
import os, struct, sys, time
CTRL, DATA, NEW_SERVER = 0xfffffffe, 1, 4
fd = os.open("/dev/qrtr-tun", os.O_RDWR | os.O_NONBLOCK)

def frame(typ, payload, dport=CTRL):
    hdr = struct.pack("<8I", 1, typ, 7, CTRL, 0, len(payload), 1, dport)
    return hdr + payload

def new_server(service, node, typ=NEW_SERVER):
    pl = struct.pack("<5I", NEW_SERVER, service, 1, node, 1)
    try:
        os.write(fd, frame(typ, pl))
        return "ok"
    except OSError as e:
        return os.strerror(e.errno)

res = [new_server(100, 7),	# node 7: the sender itself (1 of 2)
       new_server(101, 20)]	# node 20 behind it (2 of 2)
res += [new_server(102 + i, 21 + i) for i in range(3)]	# past the cap
res.append(new_server(110, 30, DATA))	# not routed by the core at all
print(" ".join(res))
sys.stdout.flush()
open(sys.argv[1], "w").write("ready\n")
time.sleep(30)
EOP
python3 "$EMU_TMP/nodecap.py" "$EMU_TMP/ready" > "$EMU_TMP/out" 2>&1 &
PY=$!
for _ in $(seq 50); do [ -s "$EMU_TMP/ready" ] && break; sleep 0.1; done
ep=$(sed -n 's/^id=\([0-9]*\) .*state=live.*/\1/p' "$QRTR_DBG/endpoints" | head -1)
for _ in $(seq 30); do
	[ "$(dbg_ep_field "$ep" drop_ns)" = 1 ] && break
	sleep 0.1
done
sleep 0.3
tap_diag "writes: $(cat "$EMU_TMP/out"); endpoint $ep"
tap_diag_lines "$(cat "$QRTR_DBG/servers")"
tap_check "the endpoint uses 2 nodes (max_nodes_per_endpoint=2)" \
	test "$(dbg_ep_field "$ep" nodes)" = 2
tap_check "only the servers on those 2 nodes are kept" \
	test "$(grep -c "^server .*endpoint=$ep\$" "$QRTR_DBG/servers")" = 2
tap_check "the 3 NEW_SERVERs past the cap are counted as drop_nodes" \
	test "$(dbg_ep_field "$ep" drop_nodes)" = 3
tap_check "the unrouted DATA NEW_SERVER is counted as drop_ns" \
	test "$(dbg_ep_field "$ep" drop_ns)" = 1
kill $PY 2>/dev/null
wait $PY 2>/dev/null
for _ in $(seq 50); do
	[ "$(dbg_stat links)" = 0 ] && [ "$(dbg_stat ns_servers)" = 0 ] && break
	sleep 0.1
done
tap_check "closing the device forgets its nodes and servers" \
	test "$(dbg_stat nodes)" = 0 -a "$(dbg_stat ns_servers)" = 0
tap_check "module unloads" qrtr_unload
tap_done
