#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Name-service caps: a device announcing more servers than ns_max_servers
# gets the extra ones refused (counted as drop_ns, logged once, rate
# limited).  Local servers and lookups are capped per user: one
# unprivileged user who takes all of its slots locks nobody else out (other
# users' lookups and servers, root's qrtr-lookup still work); sendto() of a
# refused message returns its length, as upstream (the name service is
# another socket there), and the refusal is counted as drop_ns.
cd "$(dirname "$0")/../../.." || exit 1
. selftests/lib/tap.sh
. tools/qrtr-emu/emu-lib.sh
trap 'emu_cleanup; qrtr_unload' EXIT

tap_plan 9
dmesg_mark
if ! qrtr_load ns_max_servers=2 ns_max_lookups=2; then
	tap_fail "insmod $QRTR_KO ns_max_servers=2 ns_max_lookups=2"
	tap_done
fi
emu_start a --key pci:0000:01:00.0 --node 7 -s 69:1:0@1 -s 70:1:0@2 -s 71:1:0@3
ep=$(emu_ep a)
for i in $(seq 50); do
	[ "$(dbg_ep_field "$ep" drop_ns)" = 1 ] && break
	sleep 0.1
done
n=$(grep -c "^server .*endpoint=$ep\$" "$QRTR_DBG/servers")
tap_check "a device's third server is refused at ns_max_servers=2 ($n kept)" test "$n" = 2
tap_check "the refusal is counted as drop_ns on its endpoint" test "$(dbg_ep_field "$ep" drop_ns)" = 1
tap_check "and logged, naming the cap" bash -c "dmesg | tail -n +$((DMESG_MARK + 1)) | grep -q 'refusing more (ns_max_servers)'"

cat > "$EMU_TMP/caps.py" <<'EOP'
import os, socket, struct, sys
CTRL = 0xfffffffe
NEW_SERVER, NEW_LOOKUP = 4, 10
NODE = int(open("/sys/module/socbpf_qrtr/parameters/node_id").read())

def ctrl(cmd, service):
    # autobind on send; the name service takes a local server's address
    # from the sender, so node and port in the packet can be 0
    s = socket.socket(socket.AF_QIPCRTR, socket.SOCK_DGRAM)
    n = s.sendto(struct.pack("<5I", cmd, service, 1, 0, 0), (NODE, CTRL))
    assert n == 20, n
    return s

def listed(s):
    # a lookup is answered by its matches, then an all-zero NEW_SERVER
    # a refused lookup is never answered; a slow guest may take a while
    s.settimeout(3.0)
    try:
        while True:
            d = s.recv(64)
            if d == struct.pack("<5I", NEW_SERVER, 0, 0, 0, 0):
                return True
    except socket.timeout:
        return False

what, uid = sys.argv[1], int(sys.argv[2])
base = int(sys.argv[3])
os.setgid(uid)
os.setuid(uid)
held = []
if what == "lookups":
    res = []
    for i in range(int(sys.argv[4])):
        s = ctrl(NEW_LOOKUP, base + i)
        held.append(s)
        res.append(listed(s))
    print(" ".join("listed" if r else "refused" for r in res))
else:
    for i in range(int(sys.argv[4])):
        held.append(ctrl(NEW_SERVER, base + i))
    print("sent %d" % len(held))
sys.stdout.flush()
if len(sys.argv) > 5:
    # hold the slots until told to let go
    open(sys.argv[5]).read()
EOP
fifo=$EMU_TMP/hold
chmod 711 "$EMU_TMP"		# the unprivileged users open the FIFOs there
mkfifo -m 666 "$fifo"
release() { timeout 5 bash -c "echo go > '$1'"; }
# user 65534 takes all its lookups and one more, and keeps them (its verdicts
# go to caps-a.out: $EMU_TMP/a.out is emulator a's stdout, whose "ready" line
# the wait below read when it ran before the background job's redirection)
python3 "$EMU_TMP/caps.py" lookups 65534 4000 3 "$fifo" > "$EMU_TMP/caps-a.out" 2>&1 &
hold=$!
for i in $(seq 300); do [ -s "$EMU_TMP/caps-a.out" ] && break; sleep 0.1; done
tap_check "user A: two lookups listed, the third refused ($(cat "$EMU_TMP/caps-a.out"))" \
	test "$(cat "$EMU_TMP/caps-a.out")" = "listed listed refused"
out=$(python3 "$EMU_TMP/caps.py" lookups 65533 4100 2 2>&1)
tap_check "user B still gets both its lookups while A holds its slots ($out)" \
	test "$out" = "listed listed"
out=$(setpriv --reuid 65532 --regid 65532 --clear-groups qrtr-lookup 2>&1)
tap_check "an unmodified qrtr-lookup as a third user lists the device's services" \
	bash -c "grep -qw 69 <<< '$out' && grep -qw 70 <<< '$out'"
release "$fifo"
wait $hold
out=$(python3 "$EMU_TMP/caps.py" lookups 65534 4200 2 2>&1)
tap_check "A's slots come back once its sockets close ($out)" test "$out" = "listed listed"

# the same for local servers: A's third is not kept, B registers its own
local_servers() { grep -c '^server .*endpoint=0$' "$QRTR_DBG/servers"; }
mkfifo -m 666 "$fifo.b"
n0=$(local_servers)
python3 "$EMU_TMP/caps.py" servers 65534 5000 3 "$fifo" > "$EMU_TMP/caps-s.out" 2>&1 &
hold=$!
for i in $(seq 300); do [ -s "$EMU_TMP/caps-s.out" ] && break; sleep 0.1; done
na=$(( $(local_servers) - n0 ))
python3 "$EMU_TMP/caps.py" servers 65533 5100 2 "$fifo.b" > "$EMU_TMP/s2.out" 2>&1 &
hold2=$!
for i in $(seq 300); do [ -s "$EMU_TMP/s2.out" ] && break; sleep 0.1; done
nb=$(( $(local_servers) - n0 - na ))
tap_check "servers: A keeps 2 of 3 ($na), B still registers its 2 ($nb)" \
	test "$na" = 2 -a "$nb" = 2
release "$fifo"
release "$fifo.b"
wait $hold $hold2
emu_stop a
tap_check "module unloads" qrtr_unload
tap_done
