#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build upstream's rmnet (drivers/net/ethernet/qualcomm/rmnet, unmodified)
# from the pinned kernel's source as the test-only out-of-tree module
# build/kmod/rmnet_upstream/socbpf_upstream_rmnet.ko, against the pinned
# headers.  Prints the path of the module.
set -euo pipefail
TOP=$(cd "$(dirname "$0")/../../.." && pwd)
KVER=${KVER:-6.12.95+deb12-amd64}
KDIR=${KDIR:-$TOP/.cache/kernel/$KVER/root/usr/src/linux-headers-$KVER}
here=$TOP/selftests/kmod/rmnet_upstream
out=$TOP/build/kmod/rmnet_upstream
d=drivers/net/ethernet/qualcomm/rmnet
files=(rmnet_config.c rmnet_config.h rmnet_handlers.c rmnet_handlers.h
       rmnet_map.h rmnet_map_command.c rmnet_map_data.c rmnet_private.h
       rmnet_vnd.c rmnet_vnd.h)
src=$(KVER=$KVER "$TOP/scripts/linux-source.sh" "${files[@]/#/$d/}")

mkdir -p "$out"
for f in "${files[@]/#/$src/$d/}" "$here/Kbuild"; do
	cmp -s "$f" "$out/$(basename "$f")" || cp "$f" "$out/"
done
make -s -C "$KDIR" M="$out" modules >&2
"$TOP/scripts/check-btf.sh" "$out" >&2
echo "$out/socbpf_upstream_rmnet.ko"
