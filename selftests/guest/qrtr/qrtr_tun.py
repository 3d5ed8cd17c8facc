# SPDX-License-Identifier: GPL-2.0
"""A raw QRTR device for the guest tests: one open /dev/qrtr-tun file, frames
built and parsed by hand (v1 header, include/socbpf/qrtr_wire.h), so a test
can send exactly what a firmware would, including what a well-behaved
emulator never sends."""
import fcntl
import os
import select
import socket
import struct

CTRL = 0xFFFFFFFE
BCAST = 0xFFFFFFFF
DATA, HELLO, BYE, NEW_SERVER, DEL_SERVER, DEL_CLIENT, RESUME_TX = 1, 2, 3, 4, 5, 6, 7
NEW_LOOKUP, DEL_LOOKUP = 10, 11
# _IOW('Q', 1, char[64]) and _IOR('Q', 2, struct qrtr_tun_info) (72 bytes)
SET_KEY = (1 << 30) | (64 << 16) | (ord("Q") << 8) | 1
GET_INFO = (2 << 30) | (72 << 16) | (ord("Q") << 8) | 2
DBG = "/sys/kernel/debug/socbpf_qrtr"
LOCAL = int(open("/sys/module/socbpf_qrtr/parameters/node_id").read())


class Tun:
    def __init__(self, key, node=7):
        self.fd = os.open("/dev/qrtr-tun", os.O_RDWR)
        fcntl.ioctl(self.fd, SET_KEY, key.encode().ljust(64, b"\0"))
        info = fcntl.ioctl(self.fd, GET_INFO, b"\0" * 72)
        self.ep = struct.unpack_from("<I", info)[0]
        self.node = node

    def write(self, typ, src_port, dst_node, dst_port, payload, confirm=0,
              src_node=None):
        src = self.node if src_node is None else src_node
        pad = b"\0" * (-len(payload) % 4)
        hdr = struct.pack("<8I", 1, typ, src, src_port, confirm, len(payload),
                          dst_node, dst_port)
        return os.write(self.fd, hdr + payload + pad)

    def ctrl(self, cmd, a=0, b=0, c=0, d=0, dst_port=CTRL, dst_node=None):
        body = struct.pack("<5I", cmd, a, b, c, d)
        return self.write(cmd, CTRL, LOCAL if dst_node is None else dst_node,
                          dst_port, body)

    def hello(self, dst_port=CTRL):
        return self.ctrl(HELLO, dst_port=dst_port)

    def new_server(self, svc, inst, port, node=None):
        return self.ctrl(NEW_SERVER, svc, inst, self.node if node is None
                         else node, port)

    def del_server(self, svc, inst, port, node=None):
        return self.ctrl(DEL_SERVER, svc, inst, self.node if node is None
                         else node, port)

    def read(self, timeout=1.0):
        """One frame as a dict, or None after @timeout seconds."""
        r, _, _ = select.select([self.fd], [], [], timeout)
        if not r:
            return None
        buf = os.read(self.fd, 65536)
        (ver, typ, sn, sp, conf, size, dn, dp) = struct.unpack_from("<8I", buf)
        f = dict(type=typ, src_node=sn, src_port=sp, confirm=conf,
                 dst_node=dn, dst_port=dp, payload=buf[32:32 + size])
        if typ != DATA and size >= 20:
            f["ctrl"] = struct.unpack_from("<5I", buf, 32)
        return f

    def frames(self, timeout=0.5):
        """Every frame until the device has been idle for @timeout s."""
        out = []
        while True:
            f = self.read(timeout)
            if f is None:
                return out
            out.append(f)

    def close(self):
        os.close(self.fd)


def servers(ep=None):
    """(service, instance, node, port, endpoint) the name service knows."""
    out = []
    for line in open(DBG + "/servers"):
        if not line.startswith("server "):
            continue
        kv = dict(x.split("=") for x in line.split()[1:])
        t = tuple(int(kv[k]) for k in ("service", "instance", "node", "port",
                                        "endpoint"))
        if ep is None or t[4] == ep:
            out.append(t)
    return out


def lookups():
    out = []
    for line in open(DBG + "/servers"):
        if line.startswith("lookup "):
            kv = dict(x.split("=") for x in line.split()[1:])
            out.append((int(kv["service"]), int(kv["port"])))
    return out


def ep_field(ep, field):
    for line in open(DBG + "/endpoints"):
        kv = dict(x.split("=", 1) for x in line.split() if "=" in x)
        if kv.get("id") == str(ep):
            return int(kv[field])
    return None


def qsock():
    return socket.socket(socket.AF_QIPCRTR, socket.SOCK_DGRAM)
