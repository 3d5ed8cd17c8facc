#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# socbpf arm64 guest lane set-up: idempotent, safe to run on every build.
#
# 1. host packages: qemu-system-arm 10 (bookworm-backports), the cross
#    toolchain, dtc.
# 2. arm64 packages fetched through a private apt state (APT::Architecture=
#    arm64; the host's dpkg architecture list is not touched) and unpacked
#    with dpkg -x: the kernel image + headers, busybox-static, bash-static,
#    and the static libelf/zlib/zstd of the -dev packages (the sysroot).
# 3. the arch-independent -common headers and the amd64 linux-kbuild tools
#    (host apt), so out-of-tree arm64 modules build with the cross compiler.
# 4. libbpf 1.5.0 cross-built statically for arm64 from the same Debian
#    source package as the host's.
#
# Usage: scripts/setup-arm64.sh [ARM64_KVER]
set -euo pipefail

TOP=$(cd "$(dirname "$0")/.." && pwd)
AKVER=${1:-${ARM64_KVER:-6.12.95+deb12-arm64}}
CACHE=${SOCBPF_CACHE:-$TOP/.cache}
KROOT_DIR=$CACHE/kernel/$AKVER
SYSROOT=$CACHE/arm64-sysroot
APTDIR=$CACHE/apt-arm64
LIBBPF_VER=${LIBBPF_VER:-1.5.0}
LIBBPF_DST=$CACHE/libbpf-$LIBBPF_VER-arm64
CROSS=aarch64-linux-gnu-
XCC=${CROSS}gcc-12
STAMP_VER=1

log() { printf '[setup-arm64] %s\n' "$*"; }
die() { printf '[setup-arm64] error: %s\n' "$*" >&2; exit 1; }

SUDO=
if [ "$(id -u)" -ne 0 ]; then
	command -v sudo >/dev/null || die "root (or sudo) is needed for apt"
	SUDO=sudo
fi

HOST_PKGS=(gcc-12-aarch64-linux-gnu binutils-aarch64-linux-gnu
	   libc6-dev-arm64-cross device-tree-compiler)
SYSROOT_PKGS=(libelf-dev libelf1 zlib1g-dev libzstd-dev)

mirror_uri() {
	local f=/etc/apt/sources.list.d/debian.sources
	if [ -r "$f" ]; then
		awk '/^URIs:/ { print $2; exit }' "$f"
		return
	fi
	awk '$1 == "deb" && $3 ~ /^bookworm$/ { print $2; exit }' \
		/etc/apt/sources.list 2>/dev/null
}

apt_retry() { # dpkg's lock may be held by another user of the machine
	local i
	for i in $(seq 1 60); do
		if "$@"; then
			return 0
		fi
		log "apt busy or failed, retrying ($i)"
		sleep 5
	done
	return 1
}

install_host_packages() {
	local miss="" p
	export DEBIAN_FRONTEND=noninteractive
	for p in "${HOST_PKGS[@]}"; do
		dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null |
			grep -q '^install ok installed' || miss="$miss $p"
	done
	if [ -n "$miss" ]; then
		log "installing:$miss"
		apt_retry $SUDO apt-get install -y -qq --no-install-recommends $miss
	fi
	if ! qemu-system-aarch64 --version 2>/dev/null | grep -q 'version 1[0-9]\.'; then
		log "installing qemu-system-arm from bookworm-backports"
		apt_retry $SUDO apt-get install -y -qq --no-install-recommends \
			-t bookworm-backports qemu-system-arm
	fi
}

# A private apt state for arm64: its own lists, cache and (empty) status.
PAPT=()
private_apt() {
	local uri
	uri=$(mirror_uri)
	[ -n "$uri" ] || die "cannot find the Debian mirror in the apt configuration"
	mkdir -p "$APTDIR"/{lists/partial,archives/partial,etc/preferences.d}
	: > "$APTDIR/status"
	cat > "$APTDIR/etc/sources.list" <<EOF
deb [arch=arm64 signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $uri bookworm main
deb [arch=arm64 signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $uri bookworm-backports main
EOF
	PAPT=(apt-get -qq
		-o APT::Architecture=arm64 -o APT::Architectures=arm64
		-o Dir::State::Lists="$APTDIR/lists"
		-o Dir::State::status="$APTDIR/status"
		-o Dir::Cache="$APTDIR" -o Dir::Cache::archives="$APTDIR/archives"
		-o Dir::Etc::SourceList="$APTDIR/etc/sources.list"
		-o Dir::Etc::SourceParts=/nonexistent
		-o Dir::Etc::PreferencesParts="$APTDIR/etc/preferences.d")
	if [ ! -e "$APTDIR/.updated" ]; then
		log "private arm64 apt state: update"
		"${PAPT[@]}" update || die "arm64 apt-get update failed"
		touch "$APTDIR/.updated"
	fi
}

setup_kernel() {
	local common kbuild d t l
	[ -e "$KROOT_DIR/.done" ] && return
	log "fetching arm64 kernel $AKVER"
	common=${AKVER%-*}-common
	kbuild=linux-kbuild-${AKVER%-*}
	rm -rf "$KROOT_DIR"
	mkdir -p "$KROOT_DIR/debs" "$KROOT_DIR/root"
	(cd "$KROOT_DIR/debs" &&
		"${PAPT[@]}" download "linux-image-$AKVER" "linux-headers-$AKVER") ||
		die "cannot download the arm64 kernel packages"
	# -common is arch-independent; linux-kbuild must run here (amd64).
	(cd "$KROOT_DIR/debs" && apt-get download -qq "linux-headers-$common" "$kbuild") ||
		die "cannot download linux-headers-$common / $kbuild"
	for d in "$KROOT_DIR"/debs/*.deb; do
		dpkg -x "$d" "$KROOT_DIR/root"
	done
	sed -i "s|/usr/src/linux-headers-$common|$KROOT_DIR/root/usr/src/linux-headers-$common|g" \
		"$KROOT_DIR/root/usr/src/linux-headers-$AKVER/Makefile"
	find "$KROOT_DIR/root/usr/src" -type l | while read -r l; do
		t=$(readlink "$l")
		case "$t" in
		/usr/*) ln -sfn "$KROOT_DIR/root$t" "$l" ;;
		esac
	done
	depmod -b "$KROOT_DIR/root" "$AKVER"
	rm -rf "$KROOT_DIR/debs"
	touch "$KROOT_DIR/.done"
}

setup_sysroot() {
	local d
	[ -e "$SYSROOT/.done" ] && return
	log "fetching the arm64 sysroot (static libelf/zlib/zstd, busybox, bash)"
	rm -rf "$SYSROOT"
	mkdir -p "$SYSROOT/debs"
	(cd "$SYSROOT/debs" &&
		"${PAPT[@]}" download "${SYSROOT_PKGS[@]}" busybox-static bash-static) ||
		die "cannot download the arm64 sysroot packages"
	for d in "$SYSROOT"/debs/*.deb; do
		dpkg -x "$d" "$SYSROOT"
	done
	rm -rf "$SYSROOT/debs"
	[ -e "$SYSROOT/usr/lib/aarch64-linux-gnu/libelf.a" ] || die "no arm64 libelf.a"
	[ -x "$SYSROOT/bin/busybox" ] || die "no arm64 busybox"
	touch "$SYSROOT/.done"
}

setup_libbpf() {
	local src
	[ -e "$LIBBPF_DST/.done" ] && return
	log "cross-building libbpf $LIBBPF_VER (static, arm64)"
	rm -rf "$LIBBPF_DST"
	mkdir -p "$LIBBPF_DST/src-pkg"
	(cd "$LIBBPF_DST/src-pkg" && apt-get source -qq --download-only libbpf/trixie) ||
		die "cannot fetch the libbpf source package"
	(cd "$LIBBPF_DST/src-pkg" && dpkg-source -x --no-check ./*.dsc build >/dev/null)
	src=$LIBBPF_DST/src-pkg/build
	make -s -C "$src/src" -j2 BUILD_STATIC_ONLY=y CC="$XCC" AR=${CROSS}ar \
		EXTRA_CFLAGS="-I$SYSROOT/usr/include -I$SYSROOT/usr/include/aarch64-linux-gnu" \
		PKG_CONFIG=/bin/false \
		OBJDIR="$LIBBPF_DST/obj" DESTDIR="$LIBBPF_DST/install" PREFIX=/usr \
		LIBDIR=/usr/lib install >/dev/null
	rm -rf "$LIBBPF_DST/src-pkg" "$LIBBPF_DST/obj"
	touch "$LIBBPF_DST/.done"
}

# Parts of linux-source-6.12 (the same release as the kernels) for
# test-only modules built from upstream's files unmodified: the SCMI core's
# folder (transports, private headers) and the SCMI hwmon driver. Paths are
# kept as in the source tree.
UPSTREAM_PARTS=(drivers/firmware/arm_scmi drivers/hwmon/scmi-hwmon.c)
setup_upstream_parts() {
	local dst=$CACHE/linux-source-6.12-parts tarball top p
	[ -e "$dst/.done" ] && return
	tarball=$(ls /usr/src/linux-source-6.12*.tar.* 2>/dev/null | head -n 1 || true)
	if [ -z "$tarball" ]; then
		log "installing linux-source-6.12 (bookworm-backports)"
		apt_retry $SUDO apt-get install -y -qq --no-install-recommends \
			-t bookworm-backports linux-source-6.12 >/dev/null
		tarball=$(ls /usr/src/linux-source-6.12*.tar.* | head -n 1)
	fi
	log "unpacking ${UPSTREAM_PARTS[*]} from $(basename "$tarball")"
	top=$(basename "$tarball"); top=${top%.tar.*}
	rm -rf "$dst"
	mkdir -p "$dst"
	tar -xf "$tarball" -C "$dst" --strip-components=1 \
		$(for p in "${UPSTREAM_PARTS[@]}"; do echo "$top/$p"; done)
	dpkg-query -W -f='${Version}\n' linux-source-6.12 > "$dst/VERSION"
	touch "$dst/.done"
}

main() {
	local stamp=$CACHE/setup-arm64-$STAMP_VER-$AKVER.stamp
	if [ -e "$stamp" ] && command -v qemu-system-aarch64 >/dev/null &&
	   command -v "$XCC" >/dev/null && command -v dtc >/dev/null &&
	   [ -e "$KROOT_DIR/.done" ] && [ -e "$SYSROOT/.done" ] &&
	   [ -e "$LIBBPF_DST/.done" ] &&
	   [ -e "$CACHE/linux-source-6.12-parts/.done" ]; then
		exit 0
	fi
	mkdir -p "$CACHE"
	install_host_packages
	private_apt
	setup_kernel
	setup_sysroot
	setup_libbpf
	setup_upstream_parts
	touch "$stamp"
	log "ready: arm64 kernel $AKVER, sysroot, libbpf $LIBBPF_VER (arm64)"
}

main "$@"
