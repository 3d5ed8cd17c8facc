#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Name-service caps: a device announcing more servers than ns_max_servers
# gets the extra ones refused (counted as drop_ns, logged once, rate
# limited); local sockets past ns_max_servers / ns_max_lookups get ENOSPC
# from sendmsg; closing them frees the slots.
cd "$(dirname "$0")/../../.." || exit 1
. selftests/lib/tap.sh
. tools/qrtr-emu/emu-lib.sh
trap 'emu_cleanup; qrtr_unload' EXIT

tap_plan 6
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
import errno, socket, struct, sys
CTRL = 0xfffffffe
NEW_SERVER, NEW_LOOKUP = 4, 10

def ctrl(cmd, service):
    # autobind on send; the name service takes a local server's address
    # from the sender, so node and port in the packet can be 0
    s = socket.socket(socket.AF_QIPCRTR, socket.SOCK_DGRAM)
    node = int(open("/sys/module/socbpf_qrtr/parameters/node_id").read())
    try:
        s.sendto(struct.pack("<5I", cmd, service, 1, 0, 0), (node, CTRL))
        return s, 0
    except OSError as e:
        return s, e.errno

what, cmd = sys.argv[1], {"servers": NEW_SERVER, "lookups": NEW_LOOKUP}[sys.argv[1]]
held, errs = [], []
for i in range(3):
    s, err = ctrl(cmd, 4000 + i)
    held.append(s)
    errs.append(err)
ok1 = errs == [0, 0, errno.ENOSPC]
for s in held:
    s.close()
s, err = ctrl(cmd, 4100)
print("%s: %s then %s after close" % (what, [errno.errorcode.get(e, e) for e in errs], err))
sys.exit(0 if ok1 and err == 0 else 1)
EOP
out=$(python3 "$EMU_TMP/caps.py" servers 2>&1)
tap_check "local servers: the third gets ENOSPC, closing frees the slots ($out)" test $? = 0
out=$(python3 "$EMU_TMP/caps.py" lookups 2>&1)
tap_check "local lookups: the third gets ENOSPC, closing frees the slots ($out)" test $? = 0
emu_stop a
tap_check "module unloads" qrtr_unload
tap_done
