#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# bench-host
# make bench B=qmi: the QMI codec against libqmi-glib, on the host (pure
# userspace, nothing to boot): encode and decode messages per second on one
# message set, one run (selftests/bench/qmi_bench.c). Usage: qmi.sh OUTDIR
set -eu
out=${1:-build/bench/qmi}
mkdir -p "$out"
# shellcheck disable=SC2046
cc -O2 -g -Wall -Wextra -Werror -Wno-unused-parameter -D_GNU_SOURCE \
	-Iinclude -Iinclude/uapi selftests/bench/qmi_bench.c \
	-o "$out/qmi_bench" $(pkg-config --cflags --libs qmi-glib)
"$out/qmi_bench" 0.1 | tee "$out/result.txt"
