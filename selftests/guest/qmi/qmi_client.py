#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""A minimal userspace QMI client on AF_QIPCRTR, for the guest tests.

qmi_client.py NODE PORT COUNT MSG_ID TIMEOUT_S
  sends COUNT requests (no TLVs) with message id MSG_ID to NODE:PORT, one at
  a time, each waiting up to TIMEOUT_S for the response with its transaction
  id. Prints one line per request, "txn T answered MS" or "txn T timeout",
  then "answered=A timedout=T".
"""
import socket
import struct
import sys
import time


def main():
    node, port, count, msg_id = (int(a, 0) for a in sys.argv[1:5])
    timeout = float(sys.argv[5])
    s = socket.socket(socket.AF_QIPCRTR, socket.SOCK_DGRAM)
    answered = timedout = 0
    for txn in range(1, count + 1):
        # QMI header: type 0 (request), transaction id, message id, length
        s.sendto(struct.pack("<BHHH", 0, txn, msg_id, 0), (node, port))
        t0 = time.monotonic()
        got = False
        while True:
            left = timeout - (time.monotonic() - t0)
            if left <= 0:
                break
            s.settimeout(left)
            try:
                data = s.recv(65536)
            except socket.timeout:
                break
            if len(data) >= 7:
                typ, t = struct.unpack_from("<BH", data)
                if typ == 2 and t == txn:
                    got = True
                    break
        if got:
            answered += 1
            print(f"txn {txn} answered {(time.monotonic() - t0) * 1000:.3f}")
        else:
            timedout += 1
            print(f"txn {txn} timeout")
    print(f"answered={answered} timedout={timedout}")


if __name__ == "__main__":
    main()
