#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The debug lane's kmemleak verdict (scripts/guest-kmemleak.sh verdict), on
# the host from saved reports: which leaks fail an area. The report format
# is mm/kmemleak.c's print_unreferenced() of 6.12 ("unreferenced object
# 0x%08lx (size %zu):", comm/pid/jiffies, an optional hex dump, "backtrace
# (crc %x):", then one "    %pS" line a frame; %pS of an address no
# symbol covers, as one of an unloaded module, prints "0x%lx").
set -u
TOP=$(cd "$(dirname "$0")/../.." && pwd)
cd "$TOP" || exit 1
. selftests/lib/tap.sh
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
v() { scripts/guest-kmemleak.sh verdict "$tmp/report" "$tmp/trace" > "$tmp/tap"; }

# two modules unloaded: ours, then the stock tun; free_module()'s kprobe
# gives the text region, the module_free event that follows the name
cat > "$tmp/trace" <<'EOT'
# tracer: nop
           rmmod-210     [001] .....   100.100000: socbpf_modfree_range: (free_module+0x0/0x6b0) base=0xffffffffc0a00000 size=8192
           rmmod-210     [001] .....   100.100200: module_free: socbpf_planted
           rmmod-211     [000] .....   101.100000: socbpf_modfree_range: (free_module+0x0/0x6b0) base=0xffffffffc0c00000 size=36864
           rmmod-211     [000] .....   101.100100: module_free: tun
EOT
leak_unloaded='unreferenced object 0xffff888012345678 (size 200):
  comm "sh", pid 300, jiffies 4294938000
  hex dump (first 32 bytes):
    5a 5a 5a 5a 5a 5a 5a 5a 5a 5a 5a 5a 5a 5a 5a 5a  ZZZZZZZZZZZZZZZZ
    5a 5a 5a 5a 5a 5a 5a 5a 5a 5a 5a 5a 5a 5a 5a 5a  ZZZZZZZZZZZZZZZZ
  backtrace (crc 6d2e9e1b):
    kmemleak_alloc+0x4b/0x80
    __kmalloc_cache_noprof+0x2d9/0x3a0
    0xffffffffc0a00123
    full_proxy_write+0xbc/0x120
    vfs_write+0x1c4/0x9a0
    ksys_write+0xf2/0x1d0
    do_syscall_64+0x82/0x190
    entry_SYSCALL_64_after_hwframe+0x76/0x7e
'
leak_loaded='unreferenced object 0xffff888012340000 (size 64):
  comm "qrtr-emu", pid 310, jiffies 4294939000
  backtrace (crc 1a2b3c4d):
    kmemleak_alloc+0x4b/0x80
    __kmalloc_noprof+0x2e0/0x3b0
    qrtr_endpoint_post+0x1f0/0x6a0 [socbpf_qrtr]
    qrtr_tun_write_iter+0x80/0x100 [socbpf_qrtr]
    vfs_write+0x1c4/0x9a0
'
leak_tun='unreferenced object 0xffff888012349999 (size 64):
  comm "ip", pid 320, jiffies 4294939500
  backtrace (crc 0badf00d):
    kmemleak_alloc+0x4b/0x80
    0xffffffffc0c00010
    do_one_initcall+0x8a/0x300
'
leak_core='unreferenced object 0xffff888012348888 (size 32):
  comm "swapper/0", pid 1, jiffies 4294892000
  backtrace (crc 00000000):
    kmemleak_alloc+0x4b/0x80
    0xffffffffc0f00000
    kernel_init_freeable+0x300/0x400
'

tap_plan 8

: > "$tmp/report"
v
tap_check "an empty report passes" grep -q '^ok 1 - kmemleak' "$tmp/tap"

printf '%s%s' "$leak_tun" "$leak_core" > "$tmp/report"
v
tap_check "leaks of the stock kernel and of an unloaded stock module pass, counted" \
	grep -q '^ok 1 - kmemleak: no leak reaches a socbpf module (2 other suspects, 1 regions' "$tmp/tap"

printf '%s' "$leak_loaded" > "$tmp/report"
v
tap_check "a leak through a loaded socbpf module fails, named" \
	grep -q '^not ok 1 .*1 leaks reach' "$tmp/tap"
tap_check "the failure quotes the leak and its module" \
	grep -q '^# leak reaching \[socbpf_qrtr\]:' "$tmp/tap"

printf '%s%s%s' "$leak_core" "$leak_unloaded" "$leak_tun" > "$tmp/report"
v
tap_check "a leak through an unloaded socbpf module fails, attributed by address" \
	grep -q '^# leak reaching \[socbpf_planted, unloaded\]:' "$tmp/tap"
tap_check "among others, only that leak counts" \
	grep -q '^not ok 1 - kmemleak: 1 leaks reach socbpf modules (2 other suspects' "$tmp/tap"

# One boot, several areas: socbpf_qmi, then socbpf_bam_dmux, then
# socbpf_qrtr held the same region in turn (a debug lane run, 2026-12-01).
# The object was allocated at 725.4 s (jiffies 4295073651 with HZ 250 and,
# at the scan, jiffies 4295192296 at 1200 s): while socbpf_bam_dmux held
# the region, the first module unloaded from it after that time.
cat > "$tmp/trace" <<'EOT'
# tracer: nop
           rmmod-1580    [001] .....   503.216036: socbpf_modfree_range: (free_module+0x0/0x270) base=0xffffffffc04a8000 size=36864
           rmmod-1580    [001] .....   503.216133: module_free: socbpf_qmi
           rmmod-2505    [001] .....   799.369739: socbpf_modfree_range: (free_module+0x0/0x270) base=0xffffffffc04a8000 size=40960
           rmmod-2505    [001] .....   799.369847: module_free: socbpf_bam_dmux
           rmmod-3191    [000] .....  1006.788156: socbpf_modfree_range: (free_module+0x0/0x270) base=0xffffffffc04a8000 size=73728
           rmmod-3191    [000] .....  1006.788254: module_free: socbpf_qrtr
EOT
printf '%s' 'unreferenced object 0xffff888005a10000 (size 4096):
  comm "kworker/0:1", pid 11, jiffies 4295073651
  backtrace (crc c7e4152c):
    __kmalloc_node_noprof+0x35e/0x450
    alloc_netdev_mqs+0x82/0x9c0
    0xffffffffc04aad98
    process_one_work+0x4ee/0xbe0
' > "$tmp/report"
echo "4295192296 1200000 250" > "$tmp/ref"
scripts/guest-kmemleak.sh verdict "$tmp/report" "$tmp/trace" "$tmp/ref" > "$tmp/tap"
tap_check "a region reused by several modules: the leak is the module's that held it at the allocation" \
	grep -q '^# leak reaching \[socbpf_bam_dmux, unloaded\]:' "$tmp/tap"
v
tap_check "without the clock reference, the first module unloaded from the region" \
	grep -q '^# leak reaching \[socbpf_qmi, unloaded\]:' "$tmp/tap"
tap_done
