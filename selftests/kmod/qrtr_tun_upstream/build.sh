#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build upstream's qrtr-tun (net/qrtr/tun.c, unmodified) from the pinned
# kernel's source as the test-only out-of-tree module
# build/kmod/qrtr_tun_upstream/socbpf_upstream_qrtr_tun.ko, against the
# pinned headers.  Prints the path of the module.
set -euo pipefail
TOP=$(cd "$(dirname "$0")/../../.." && pwd)
KVER=${KVER:-6.12.95+deb12-amd64}
KDIR=${KDIR:-$TOP/.cache/kernel/$KVER/root/usr/src/linux-headers-$KVER}
here=$TOP/selftests/kmod/qrtr_tun_upstream
out=$TOP/build/kmod/qrtr_tun_upstream
src=$(KVER=$KVER "$TOP/scripts/linux-source.sh" net/qrtr/tun.c net/qrtr/qrtr.h)

mkdir -p "$out"
for f in "$src/net/qrtr/tun.c" "$src/net/qrtr/qrtr.h" "$here/Kbuild"; do
	cmp -s "$f" "$out/$(basename "$f")" || cp "$f" "$out/"
done
make -s -C "$KDIR" M="$out" modules >&2
"$TOP/scripts/check-btf.sh" "$out" >&2
echo "$out/socbpf_upstream_qrtr_tun.ko"
