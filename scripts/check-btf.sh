#!/usr/bin/env bash
# Fail the build if a module has no .BTF section (BPF needs module BTF to see
# its tracepoints and struct_ops types).
set -euo pipefail
rc=0
for d in "$@"; do
	for ko in "$d"/*.ko; do
		[ -e "$ko" ] || { echo "error: $d built no module" >&2; rc=1; continue; }
		# Not "| grep -q": with pipefail, grep quitting at the first match
		# can kill readelf with SIGPIPE and fail a module that has BTF.
		if ! readelf -S "$ko" | grep -c '\.BTF' >/dev/null; then
			echo "error: $ko has no .BTF section (is pahole installed?)" >&2
			rc=1
		fi
	done
done
exit $rc
