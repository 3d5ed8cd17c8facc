#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Guest side of run.sh: run the command with $ICP_TRIG set, keep its output
# and the module symbols of this boot.
export ICP_TRIG=$SOCBPF_TOP/build/icount-prof/trig
"$@" > "$SOCBPF_OUT/cmd.out" 2>&1
rc=$?
cat "$SOCBPF_OUT/cmd.out"
grep -F '[' /proc/kallsyms > "$SOCBPF_OUT/mod.syms"
exit $rc
