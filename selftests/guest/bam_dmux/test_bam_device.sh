#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# /dev/bam-dmux-modem as untrusted input: one opener, bad ioctls, frames
# larger than a buffer, writes before the host powered its receive side,
# reads into a short buffer, then a hand-made modem session (power up,
# OPEN, one bad frame) driven from Python without the emulator.
. "$(dirname "$0")/bam_lib.sh"
trap bam_cleanup EXIT

tap_plan 11

bam_load || { tap_fail "module loads"; tap_done; }
python3 - > "$TMP/py.out" 2>&1 <<'PY'
import errno, fcntl, os, select, struct, subprocess, time

GET = 0x80000000 | (24 << 16) | (0xbd << 8) | 1   # _IOR(0xbd, 1, 24 bytes)
SET = 0x40000000 | (8 << 16) | (0xbd << 8) | 2    # _IOW(0xbd, 2, 8 bytes)
D = "/sys/kernel/debug/socbpf_bam_dmux/stats"

def err(f):
    try:
        f()
        return 0
    except OSError as e:
        return e.errno

def st(k):
    for l in open(D):
        a, b = l.split()
        if a == k:
            return b

def hdr(cmd, ch, ln, pad):
    return struct.pack("<HBBBBH", 0x33fc, 0, cmd, pad, ch, ln)

fd = os.open("/dev/bam-dmux-modem", os.O_RDWR | os.O_NONBLOCK)
print("second_open", err(lambda: os.open("/dev/bam-dmux-modem", os.O_RDWR)))
print("bad_ioctl", err(lambda: fcntl.ioctl(fd, 0xbd99, b"\0" * 8)))
print("bad_bits", err(lambda: fcntl.ioctl(fd, SET, struct.pack("II", 4, 4))))
print("write_before_power", err(lambda: os.write(fd, hdr(1, 0, 0, 0))))
s = struct.unpack("6I", fcntl.ioctl(fd, GET, b"\0" * 24))
acks = s[3]
fcntl.ioctl(fd, SET, struct.pack("II", 1, 1))      # power control up
for _ in range(50):
    s = struct.unpack("6I", fcntl.ioctl(fd, GET, b"\0" * 24))
    if s[3] != acks:
        break
    time.sleep(0.05)
print("host_acked_power", int(s[3] != acks), "rx_on", st("rx_on"))
print("oversize", err(lambda: os.write(fd, b"\0" * 2049)))
print("open_ch3", err(lambda: os.write(fd, hdr(1, 3, 0, 0))))
for _ in range(50):
    if os.path.exists("/sys/class/net/wwan0"):
        break
    time.sleep(0.1)
print("dev_port", open("/sys/class/net/wwan0/dev_port").read().strip())
print("lie", err(lambda: os.write(fd, hdr(0, 3, 30, 1) + b"\x45" + b"\0" * 30)), "drop_pad", st("drop_pad"))
# the host votes for power to send its OPEN: ack the vote by hand
p = subprocess.Popen(["ip", "link", "set", "wwan0", "up"])
for _ in range(100):
    s = struct.unpack("6I", fcntl.ioctl(fd, GET, b"\0" * 24))
    if s[0] & 1:
        break
    time.sleep(0.05)
fcntl.ioctl(fd, SET, struct.pack("II", 2, 2))      # ack toggles
p.wait()
print("link_up_rc", p.returncode)
pl = select.poll()
pl.register(fd, select.POLLIN)
pl.poll(3000)
b = bytearray(4)
print("short_read", err(lambda: os.readv(fd, [b])))
f = os.read(fd, 64)
print("host_open_frame", f.hex())
os.close(fd)
print("after_close channels", st("channels"), "rx_on_after", st("rx_on"), "resets", st("modem_resets"))
PY
tap_diag "$(tr '\n' ';' < "$TMP/py.out")"
g() { awk -v k="$1" '{ for (i = 1; i < NF; i++) if ($i == k) print $(i + 1) }' "$TMP/py.out"; }
tap_check "second opener: EBUSY" test "$(g second_open)" = 16
tap_check "unknown ioctl: ENOTTY; unknown state bits: EINVAL" \
	test "$(g bad_ioctl)" = 25 -a "$(g bad_bits)" = 22
tap_check "a frame before the host powered its receive side: ENOLINK" \
	test "$(g write_before_power)" = 67
tap_check "power control up: the host queues its buffers and acks" \
	test "$(g host_acked_power)" = 1 -a "$(g rx_on)" = 1
tap_check "a transfer larger than a 2 KiB buffer: EMSGSIZE" test "$(g oversize)" = 90
tap_check "OPEN of channel 3 creates wwan0 with dev_port 3" \
	test "$(g open_ch3)" = 0 -a "$(g dev_port)" = 3
tap_check "a padding lie is taken by the BAM, dropped and counted by the driver" \
	test "$(g lie)" = 0 -a "$(g drop_pad)" = 1
tap_check "ip link set up, the vote acked by hand: the link comes up" test "$(g link_up_rc)" = 0
tap_check "reading a frame into a 4-byte buffer: EMSGSIZE, frame kept" test "$(g short_read)" = 90
tap_check "... then the host's OPEN for channel 3: fc33 0001 0003 0000" \
	test "$(g host_open_frame)" = fc33000100030000
tap_check "modem gone: channels closed, rx side down, reset counted" \
	test "$(g channels)" = 0x00 -a "$(g rx_on_after)" = 0 -a "$(g resets)" = 1
tap_done
