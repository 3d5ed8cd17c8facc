#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The libbpf / bpftool pair: a generated skeleton loads, attaches a
# tracepoint program, reads .bss, and attaches a struct_ops map.
exec build/selftests/bin/skelcheck
