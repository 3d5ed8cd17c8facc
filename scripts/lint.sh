#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make lint: checkpatch.pl --strict over our kernel code. checkpatch comes
# from Debian's linux-source-6.12 package (installed on first use; only the
# checkpatch files are unpacked into .cache).
set -euo pipefail
TOP=$(cd "$(dirname "$0")/.." && pwd)
dst=$TOP/.cache/checkpatch
SUDO=
[ "$(id -u)" -eq 0 ] || SUDO=sudo
if [ ! -x "$dst/scripts/checkpatch.pl" ]; then
	tarball=$(ls /usr/src/linux-source-6.12*.tar.* 2>/dev/null | head -n 1 || true)
	if [ -z "$tarball" ]; then
		$SUDO apt-get install -y -qq -t bookworm-backports linux-source-6.12 >/dev/null
		tarball=$(ls /usr/src/linux-source-6.12*.tar.* | head -n 1)
	fi
	top=$(basename "$tarball"); top=${top%.tar.*}
	mkdir -p "$dst"
	tar -xf "$tarball" -C "$dst" --strip-components=1 \
		"$top/scripts/checkpatch.pl" "$top/scripts/spelling.txt" \
		"$top/scripts/const_structs.checkpatch"
fi
files=$(cd "$TOP" && git ls-files 'kernel/*.c' 'kernel/*.h' 'selftests/kmod/planted/*.c' 2>/dev/null || true)
[ -n "$files" ] || files=$(cd "$TOP" && find kernel -name '*.[ch]' ! -name '*.mod.c')
rc=0
cd "$TOP"
for f in $files; do
	ignore=
	case "$f" in
	*.mod.c) continue ;;
	# TRACE_EVENT() bodies are laid out as upstream's trace headers are.
	*trace*.h) ignore=--ignore=OPEN_ENDED_LINE,PARENTHESIS_ALIGNMENT ;;
	esac
	"$dst/scripts/checkpatch.pl" --no-tree --strict --terse --show-types $ignore \
		-f "$f" || rc=1
done
[ $rc -eq 0 ] && echo "lint: checkpatch --strict clean ($(echo $files | wc -w) files)"
exit $rc
