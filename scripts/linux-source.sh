#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# scripts/linux-source.sh PATH...: make files of the pinned kernel's own
# source available under .cache/linux-source/PATH (same layout as the
# kernel tree) and print that directory.  They come from Debian's
# linux-source-6.12 package (installed on first use, as `make lint` does),
# which must be the release of the pinned image (KVER): upstream code
# built against the pinned headers has to be the code of that kernel.
# Only the files asked for are unpacked; each lands with an atomic rename,
# so two trees sharing .cache can run this at once.
set -euo pipefail
TOP=$(cd "$(dirname "$0")/.." && pwd)
KVER=${KVER:-6.12.95+deb12-amd64}
dst=$TOP/.cache/linux-source
SUDO=
[ "$(id -u)" -eq 0 ] || SUDO=sudo
[ $# -gt 0 ] || { echo "usage: $0 PATH..." >&2; exit 2; }

missing=()
for f in Makefile "$@"; do
	[ -f "$dst/$f" ] || missing+=("$f")
done
if [ ${#missing[@]} -gt 0 ]; then
	tarball=$(ls /usr/src/linux-source-6.12.tar.* 2>/dev/null | head -n 1 || true)
	if [ -z "$tarball" ]; then
		for i in $(seq 60); do	# another apt may hold dpkg's lock
			$SUDO apt-get install -y -qq -t bookworm-backports \
				linux-source-6.12 >/dev/null && break
			sleep 5
		done
		tarball=$(ls /usr/src/linux-source-6.12.tar.* | head -n 1)
	fi
	top=$(basename "$tarball")
	top=${top%.tar.*}
	mkdir -p "$dst"
	tmp=$(mktemp -d "$dst/.unpack.XXXXXX")
	trap 'rm -rf "$tmp"' EXIT
	tar -xf "$tarball" -C "$tmp" --strip-components=1 "${missing[@]/#/$top/}"
	for f in "${missing[@]}"; do
		mkdir -p "$(dirname "$dst/$f")"
		mv -f "$tmp/$f" "$dst/$f"
	done
fi

# The source must be the pinned kernel's release (6.12.95 for 6.12.95+deb12-amd64).
ver=$(awk -F' *= *' '$1 == "VERSION" { v = $2 } $1 == "PATCHLEVEL" { p = $2 }
	$1 == "SUBLEVEL" { s = $2 } END { print v "." p "." s }' "$dst/Makefile")
if [ "${KVER%%[-+]*}" != "$ver" ]; then
	echo "linux-source.sh: linux-source is $ver, the pinned kernel is $KVER" >&2
	exit 1
fi
echo "$dst"
