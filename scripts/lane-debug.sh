#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# scripts/lane-debug.sh: make the debug lane's kernel ready; its KVER is the
# last line of stdout (everything else goes to stderr). Idempotent.
#
# The kernel is Debian's own linux-source-6.12 (the release of the pinned
# image) built with the pinned image's config, trimmed by localmodconfig to
# scripts/lanes/debug-kernel.modules, plus scripts/lanes/debug-kernel.config
# (KASAN, lockdep, DEBUG_ATOMIC_SLEEP, kmemleak, DEBUG_LIST, DEBUG_OBJECTS,
# UBSAN; BTF for vmlinux and modules). The result is cached outside the
# clone, keyed by the source release and a hash of everything that decides
# the config, in $SOCBPF_KCACHE/kernel/<release>-<hash>/ (default
# /var/cache/socbpf), laid out like the stock kernel in .cache/kernel:
#   root/boot/vmlinuz-$KVER, root/lib/modules/$KVER (modules.dep),
#   root/usr/src/linux-headers-$KVER (the KDIR: what external modules need,
#   Module.symvers and a vmlinux without DWARF but with .BTF)
# and .cache/kernel/$KVER is a symlink to it. The build tree
# ($SOCBPF_KCACHE/build/linux-<release>) is kept, so a changed config
# rebuilds incrementally. A fresh machine builds it once (nice -n 10,
# `make -j$(nproc)`; the time it took is logged, "built in N min").
set -euo pipefail

TOP=$(cd "$(dirname "$0")/.." && pwd)
BASE_KVER=${DEBUG_BASE_KVER:-6.12.95+deb12-amd64}
LANES=$TOP/scripts/lanes
FRAG=$LANES/debug-kernel.config
MODS=$LANES/debug-kernel.modules
KCACHE=${SOCBPF_KCACHE:-/var/cache/socbpf}
JOBS=${DEBUG_KERNEL_JOBS:-$(nproc)}
# bump when the steps below change what gets built
RECIPE=1

log() { printf '[lane-debug] %s\n' "$*" >&2; }
die() { printf '[lane-debug] error: %s\n' "$*" >&2; exit 1; }

SUDO=
[ "$(id -u)" -eq 0 ] || SUDO=sudo

# the pinned image (its config is the base) and the host packages
base_cfg=$TOP/.cache/kernel/$BASE_KVER/root/boot/config-$BASE_KVER
if [ ! -f "$base_cfg" ]; then
	"$TOP/scripts/setup.sh" "$BASE_KVER" >&2
fi
[ -f "$base_cfg" ] || die "no config for $BASE_KVER at $base_cfg"

# Debian's linux-source-6.12 (bookworm-backports, same release as the image)
tarball=$(ls /usr/src/linux-source-6.12.tar.* 2>/dev/null | head -n 1 || true)
if [ -z "$tarball" ]; then
	log "installing linux-source-6.12"
	for _ in $(seq 60); do	# another apt may hold dpkg's lock
		$SUDO apt-get install -y -qq -t bookworm-backports \
			linux-source-6.12 >&2 && break
		sleep 5
	done
	tarball=$(ls /usr/src/linux-source-6.12.tar.* | head -n 1)
fi
# the release: the package's upstream version (6.12.95-1~bpo12+1), or the
# tarball's Makefile (slow: tar reads the whole archive)
srcver=$(dpkg-query -W -f '${Version}' linux-source-6.12 2>/dev/null | sed 's/-[^-]*$//')
case "$srcver" in
[0-9]*.[0-9]*.[0-9]*) ;;
*)
	srcver=$(tar -xOf "$tarball" "$(basename "${tarball%.tar.*}")/Makefile" |
		awk -F' *= *' '$1 == "VERSION" { v = $2 } $1 == "PATCHLEVEL" { p = $2 }
			$1 == "SUBLEVEL" { s = $2 } END { print v "." p "." s }') ;;
esac
[ "$srcver" = "${BASE_KVER%%[-+]*}" ] ||
	die "linux-source is $srcver, the pinned kernel is $BASE_KVER"

# The key: source, base config, fragment, module list, this recipe, compiler.
hash=$({
	echo "recipe $RECIPE"
	basename "$tarball"; stat -c %s "$tarball"
	cat "$base_cfg" "$FRAG" "$MODS"
	gcc --version | head -n 1
	pahole --version
} | sha256sum | cut -c1-10)
KVER=$srcver-socbpf-dbg-$hash
OUTDIR=$KCACHE/kernel/$srcver-$hash
link=$TOP/.cache/kernel/$KVER

publish() {
	if [ "$(readlink "$link" 2>/dev/null)" != "$OUTDIR" ]; then
		mkdir -p "$TOP/.cache/kernel"
		ln -sfn "$OUTDIR" "$link.tmp.$$"
		mv -T "$link.tmp.$$" "$link"
	fi
	echo "$KVER"
}

if [ -e "$OUTDIR/.done" ]; then
	publish
	exit 0
fi
# check.sh asks first whether the kernel is here (exit 3: not built), then
# builds it in the background while the other lanes run
if [ -n "${LANE_DEBUG_CACHED_ONLY:-}" ]; then
	log "not built on this machine ($OUTDIR); 'make lane-debug' builds it"
	exit 3
fi

mkdir -p "$KCACHE/build" "$KCACHE/kernel"
exec 9>"$KCACHE/build/linux-$srcver.lock"
log "waiting for the build lock ($KCACHE/build/linux-$srcver.lock)"
flock 9
if [ -e "$OUTDIR/.done" ]; then	# another run built it meanwhile
	publish
	exit 0
fi

tree=$KCACHE/build/linux-$srcver
if [ ! -f "$tree/.unpacked" ]; then
	log "unpacking $tarball"
	rm -rf "$tree" "$tree.tmp"
	mkdir -p "$tree.tmp"
	nice -n 10 tar -xf "$tarball" -C "$tree.tmp" --strip-components=1
	touch "$tree.tmp/.unpacked"
	mv -T "$tree.tmp" "$tree"
fi
cd "$tree"

log "configuring $KVER"
cp "$base_cfg" .config
sed -i '/^CONFIG_LOCALVERSION[= ]/d; /^# CONFIG_LOCALVERSION /d' .config
echo "CONFIG_LOCALVERSION=\"-socbpf-dbg-$hash\"" >> .config
make -s olddefconfig >&2
lsmod_file=$(mktemp)
trap 'rm -f "$lsmod_file"' EXIT
{ echo Module; sed 's/#.*//; /^[[:space:]]*$/d' "$MODS"; } > "$lsmod_file"
{ yes '' || true; } | make -s LSMOD="$lsmod_file" localmodconfig >/dev/null 2>&1 ||
	die "localmodconfig failed"
scripts/kconfig/merge_config.sh -m -O . .config "$FRAG" >/dev/null
make -s olddefconfig >&2

# Every line of the fragment must have survived (a dependency can drop
# one), except in its trim section: a part that something else selects
# stays, and is only named here.
bad=0 strict=1
while IFS= read -r l; do
	case "$l" in
	'# --- trim'*) strict=0; continue ;;
	CONFIG_*=*) ;;
	*) continue ;;
	esac
	opt=${l%%=*} val=${l#*=} lost=
	if [ "$val" = n ]; then
		grep -qx "$opt=[ym].*" .config && lost="$opt is set"
	else
		grep -qxF "$l" .config || lost="$opt is not $val"
	fi
	[ -n "$lost" ] || continue
	if [ "$strict" = 1 ]; then
		log "$lost"
		bad=1
	else
		log "trim: $lost (selected by another option)"
	fi
done < "$FRAG"
[ "$bad" = 0 ] || die "the config lost lines of $FRAG"

blog=$KCACHE/build/build-$srcver-$hash.log
log "building $KVER with $JOBS jobs (log: $blog)"
start=$(date +%s)
if ! nice -n 10 make -j"$JOBS" bzImage modules > "$blog" 2>&1; then
	tail -n 30 "$blog" >&2
	die "kernel build failed (log: $blog)"
fi
log "built in $(( ($(date +%s) - start) / 60 )) min"
readelf -S vmlinux | grep -q '\.BTF' || die "vmlinux has no .BTF section"
[ "$(cat include/config/kernel.release)" = "$KVER" ] ||
	die "kernel release is $(cat include/config/kernel.release), expected $KVER"

log "installing into $OUTDIR"
rm -rf "$OUTDIR"
root=$OUTDIR/root
mkdir -p "$root/boot"
cp arch/x86/boot/bzImage "$root/boot/vmlinuz-$KVER"
cp System.map "$root/boot/System.map-$KVER"
cp .config "$root/boot/config-$KVER"
make -s INSTALL_MOD_PATH="$root" INSTALL_MOD_STRIP=1 DEPMOD=/sbin/depmod \
	modules_install >&2
hdr=$root/usr/src/linux-headers-$KVER
CC=gcc HOSTCC=gcc MAKE=make SRCARCH=x86 srctree=. \
	scripts/package/install-extmod-build "$hdr" >&2
cp .config "$hdr/.config"
# the base for module BTF: vmlinux's .BTF without its DWARF
objcopy --strip-debug vmlinux "$hdr/vmlinux"
rm -f "$root/lib/modules/$KVER/build"
ln -s "../../../usr/src/linux-headers-$KVER" "$root/lib/modules/$KVER/build"
[ -s "$root/lib/modules/$KVER/modules.dep" ] || die "no modules.dep"
touch "$OUTDIR/.done"
publish
