#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""The kernel-built QMI codec (socbpf_qmi.ko) through debugfs: a WLAN firmware
capability response written to socbpf_qmi/codec is decoded in the kernel,
re-encoded, and read back; malformed messages fail the write with the
codec's errno and are counted; random corruptions never hurt the kernel
(vm-run fails the run on any Oops/WARNING); the module reloads cleanly."""
import errno
import os
import random
import struct
import subprocess
import sys

KO = "kernel/qmi/socbpf_qmi.ko"
QRTR_KO = "kernel/qrtr/socbpf_qrtr.ko"   # socbpf_qmi.ko depends on it
DBG = "/sys/kernel/debug/socbpf_qmi"
n = 0
failed = 0


def ok(cond, desc, diag=None):
    global n, failed
    n += 1
    if cond:
        print(f"ok {n} - {desc}")
    else:
        failed += 1
        print(f"not ok {n} - {desc}")
        if diag is not None:
            for line in str(diag).splitlines()[-20:]:
                print(f"# {line}")
    sys.stdout.flush()


def tlv(t, v):
    return struct.pack("<BH", t, len(v)) + v


def msg(tlvs, typ=2, txn=7, msg_id=0x24):
    body = b"".join(tlvs)
    return struct.pack("<BHHH", typ, txn, msg_id, len(body)) + body


def write_codec(data):
    """One write() of data; returns 0 or the errno."""
    fd = os.open(f"{DBG}/codec", os.O_RDWR)
    try:
        os.write(fd, data)
        return 0
    except OSError as e:
        return e.errno
    finally:
        os.close(fd)


def read_codec():
    with open(f"{DBG}/codec", "rb") as f:
        return f.read()


def stats():
    with open(f"{DBG}/stats") as f:
        return {k: int(v) for k, v in (l.split() for l in f)}


def sh(*cmd):
    return subprocess.run(cmd, capture_output=True, text=True)


RESULT = tlv(0x02, struct.pack("<HH", 0, 0))
CHIP = tlv(0x10, struct.pack("<II", 0x1234, 0x4))
BOARD = tlv(0x11, struct.pack("<I", 0xff))
TS = b"2026-12-01 12:00"
FWVER = tlv(0x13, struct.pack("<IB", 0x01020304, len(TS)) + TS)
BUILD = tlv(0x14, b"WLAN.HSP.1.1-01234")
MEM = tlv(0x20, bytes([2]) +
          struct.pack("<QIB", 0x80000000, 0x100000, 1) +
          struct.pack("<QIB", 0x1_0000_0000, 4096, 4))
UNKNOWN = tlv(0x7f, b"\xaa\xbb\xcc")
GOOD = [RESULT, CHIP, BOARD, FWVER, BUILD, MEM]

print("TAP version 13")
print("1..16")
r = sh("insmod", QRTR_KO)
if r.returncode == 0:
    r = sh("insmod", KO)
ok(r.returncode == 0, "insmod socbpf_qrtr.ko, socbpf_qmi.ko", r.stderr)
if r.returncode != 0:
    sys.exit(1)

good = msg(GOOD)
ok(write_codec(msg(GOOD[:3] + [UNKNOWN] + GOOD[3:])) == 0,
   "valid capability response (plus an unknown TLV) decodes in the kernel")
back = read_codec()
ok(back == good, "kernel re-encoding equals the message without the unknown TLV",
   f"got {back.hex()}\nwant {good.hex()}")
with open(f"{DBG}/fields") as f:
    fields = f.read()
want = ["type 2 txn 7 msg_id 0x0024", "chip_id 0x1234 chip_family 0x4",
        "board_id 0xff", "fw_version 0x1020304 fw_build_timestamp 2026-12-01 12:00",
        "fw_build_id WLAN.HSP.1.1-01234",
        "mem 1 addr 0x100000000 size 4096 type 4"]
ok(all(w in fields for w in want), "decoded fields: chip, board, firmware, memory",
   fields)
s = stats()
ok(s["decoded"] == 1 and s["unknown_tlvs"] == 1, "unknown TLV counted", s)

bad = [
    ("short header", good[:6], errno.EMSGSIZE),
    ("header length past the buffer", good[:-1], errno.EMSGSIZE),
    ("truncated TLV header", msg([RESULT, b"\x11\x01"]), errno.EBADMSG),
    ("TLV length past the message", msg([RESULT, b"\x11\x09\x00\xff\x00\x00\x00"]),
     errno.EBADMSG),
    ("wrong type: 2-byte board id", msg([RESULT, tlv(0x11, b"\xff\x00")]),
     errno.EBADMSG),
    ("huge array: 200 memory segments for 8", msg([RESULT, tlv(0x20, bytes([200]))]),
     errno.EOVERFLOW),
    ("string longer than its field", msg([RESULT, tlv(0x14, b"x" * 200)]),
     errno.EOVERFLOW),
    ("nested string prefix past the TLV",
     msg([RESULT, tlv(0x13, struct.pack("<IB", 1, 20) + b"short")]), errno.EBADMSG),
]
for desc, data, want_err in bad:
    got = write_codec(data)
    ok(got == want_err, f"malformed ({desc}): {errno.errorcode.get(want_err)}",
       f"got errno {got}")
s = stats()
ok(s["drop_msgsize"] == 2 and s["drop_badmsg"] == 4 and s["drop_overflow"] == 2
   and s["drop_other"] == 0 and s["decoded"] == 1,
   "each malformed message counted by reason, none decoded", s)

rng = random.Random(13)
errs = set()
for i in range(3000):
    b = bytearray(good)
    for _ in range(rng.randint(1, 4)):
        b[rng.randrange(len(b))] = rng.randrange(256)
    if rng.random() < 0.3:
        b = b[:rng.randrange(len(b))]
    errs.add(write_codec(bytes(b)))
ok(errs <= {0, errno.EMSGSIZE, errno.EBADMSG, errno.EOVERFLOW},
   "3000 random corruptions: decoded or a documented errno", errs)

cycles = 0
for i in range(3):
    if sh("rmmod", "socbpf_qmi").returncode == 0 and \
       sh("insmod", KO).returncode == 0:
        cycles += 1
r = sh("rmmod", "socbpf_qmi")
if r.returncode == 0:
    r = sh("rmmod", "socbpf_qrtr")
ok(cycles == 3 and r.returncode == 0 and not os.path.exists(DBG),
   "unload and reload 3 times, debugfs gone at the end", r.stderr)
sys.exit(1 if failed else 0)
