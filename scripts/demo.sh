#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make demo: runs inside the guest (scripts/vm-run). A user's day with socbpf:
# load the modules, bring up the emulated far sides, look at them with the
# stock clients and our tools. Each part runs when its pieces are built.
set -u
export PATH=$PWD/build/bin:$PATH
say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
run() { printf '$ %s\n' "$*"; "$@"; }

say "guest kernel"
run uname -r

say "socbpf modules"
for ko in kernel/*/socbpf_*.ko; do
	case "$ko" in *testwarn*|*_test.ko) continue ;; esac
	printf '%-40s %s\n' "$ko" "$(modinfo -F description "$ko")"
done

# One part per subsystem (qrtr, scmi, ...), in name order.
for part in scripts/demo.d/*.sh; do
	[ -e "$part" ] && . "$part"
done

say "done"
