#!/usr/bin/env bash
# socbpf set-up: idempotent, safe to run on every build.
#
# 1. apt sources: bookworm-backports (binaries) and trixie (source packages
#    only), both derived from the machine's own debian.sources mirror entry.
# 2. host packages (toolchain, QEMU 10, bpftool, real QRTR/QMI clients).
# 3. the pinned guest kernel (image + headers) unpacked into .cache/kernel.
# 4. libbpf built statically from the source package that matches bpftool's
#    skeleton ABI (see PLATFORM.md: bpftool 7.5 needs libbpf >= 1.5).
#
# Usage: scripts/setup.sh [KVER]
set -euo pipefail

TOP=$(cd "$(dirname "$0")/.." && pwd)
KVER=${1:-${KVER:-6.12.95+deb12-amd64}}
CACHE=${SOCBPF_CACHE:-$TOP/.cache}
KDIR_ROOT=$CACHE/kernel/$KVER
LIBBPF_VER=${LIBBPF_VER:-1.5.0}
STAMP_VER=3

log() { printf '[setup] %s\n' "$*"; }
die() { printf '[setup] error: %s\n' "$*" >&2; exit 1; }

SUDO=
if [ "$(id -u)" -ne 0 ]; then
	command -v sudo >/dev/null || die "root (or sudo) is needed for apt"
	SUDO=sudo
fi

HOST_PKGS=(
	build-essential make gcc bc bison flex git
	clang llvm lld dwarves
	libelf-dev zlib1g-dev libzstd-dev libncurses-dev pkg-config
	busybox-static cpio kmod xz-utils zstd dpkg-dev
	qrtr-tools libqmi-utils iperf3 lm-sensors iproute2 ethtool
	# test_qmi_libqmi; qmi-glib.pc requires mbim-glib, which the -dev
	# package does not depend on
	libqmi-glib-dev libmbim-glib-dev
	bpftrace trinity dkms
)
BACKPORTS_PKGS=(qemu-system-x86 bpftool)

# ---------------------------------------------------------------- apt
mirror_uri() {
	local f=/etc/apt/sources.list.d/debian.sources
	if [ -r "$f" ]; then
		awk '/^URIs:/ { print $2; exit }' "$f"
		return
	fi
	awk '$1 == "deb" && $3 ~ /^bookworm$/ { print $2; exit }' \
		/etc/apt/sources.list 2>/dev/null
}

setup_apt_sources() {
	local uri changed=0 f
	uri=$(mirror_uri)
	[ -n "$uri" ] || die "cannot find the Debian mirror in the apt configuration"

	f=/etc/apt/sources.list.d/socbpf-backports.sources
	if [ ! -f "$f" ]; then
		log "adding bookworm-backports apt source"
		$SUDO tee "$f" >/dev/null <<EOF
Types: deb
URIs: $uri
Suites: bookworm-backports
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
		changed=1
	fi
	f=/etc/apt/sources.list.d/socbpf-trixie-src.sources
	if [ ! -f "$f" ]; then
		log "adding trixie deb-src apt source (source packages only)"
		$SUDO tee "$f" >/dev/null <<EOF
Types: deb-src
URIs: $uri
Suites: trixie
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
		changed=1
	fi
	if [ "$changed" = 1 ] || [ ! -e "$CACHE/.apt-updated" ]; then
		log "apt-get update"
		$SUDO apt-get update -qq
		mkdir -p "$CACHE"
		touch "$CACHE/.apt-updated"
	fi
}

pkgs_missing() {
	local p
	for p in "$@"; do
		dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null |
			grep -q '^install ok installed' || echo "$p"
	done
}

install_packages() {
	local miss
	export DEBIAN_FRONTEND=noninteractive
	miss=$(pkgs_missing "${HOST_PKGS[@]}")
	if [ -n "$miss" ]; then
		log "installing: $(echo $miss)"
		$SUDO apt-get install -y -qq --no-install-recommends $miss
	fi
	# QEMU 10 and bpftool 7.5 come from backports; QEMU 7.2 from bookworm
	# crashes guests now and then with 2 vCPUs.
	if ! qemu-system-x86_64 --version 2>/dev/null | grep -c 'version 1[0-9]\.' >/dev/null ||
	   ! command -v bpftool >/dev/null; then
		log "installing from bookworm-backports: ${BACKPORTS_PKGS[*]}"
		$SUDO apt-get install -y -qq --no-install-recommends \
			-t bookworm-backports "${BACKPORTS_PKGS[@]}"
	fi
}

# ---------------------------------------------------------------- kernel
setup_kernel() {
	local common kbuild_ver debs d
	if [ -e "$KDIR_ROOT/.done" ]; then
		return
	fi
	log "fetching kernel $KVER"
	common=${KVER%-*}-common           # 6.12.95+deb12-common
	kbuild_ver=linux-kbuild-${KVER%-*}   # linux-kbuild-6.12.95+deb12
	rm -rf "$KDIR_ROOT"
	mkdir -p "$KDIR_ROOT/debs" "$KDIR_ROOT/root"
	(cd "$KDIR_ROOT/debs" &&
		apt-get download -qq "linux-image-$KVER" "linux-headers-$KVER" \
			"linux-headers-$common" "$kbuild_ver") ||
		die "cannot download kernel $KVER packages (is bookworm-backports configured?)"
	for d in "$KDIR_ROOT"/debs/*.deb; do
		dpkg -x "$d" "$KDIR_ROOT/root"
	done
	# The headers' top Makefile includes the -common tree by absolute path.
	sed -i "s|/usr/src/linux-headers-$common|$KDIR_ROOT/root/usr/src/linux-headers-$common|g" \
		"$KDIR_ROOT/root/usr/src/linux-headers-$KVER/Makefile"
	# Symlinks to the kbuild tree are absolute as well.
	find "$KDIR_ROOT/root/usr/src" -type l | while read -r l; do
		t=$(readlink "$l")
		case "$t" in
		/usr/*) ln -sfn "$KDIR_ROOT/root$t" "$l" ;;
		esac
	done
	depmod -b "$KDIR_ROOT/root" "$KVER"
	rm -rf "$KDIR_ROOT/debs"
	touch "$KDIR_ROOT/.done"
}

# ---------------------------------------------------------------- libbpf
setup_libbpf() {
	local dst=$CACHE/libbpf-$LIBBPF_VER src
	if [ -e "$dst/.done" ]; then
		return
	fi
	log "building libbpf $LIBBPF_VER (static) from the Debian source package"
	rm -rf "$dst"
	mkdir -p "$dst/src-pkg"
	(cd "$dst/src-pkg" &&
		apt-get source -qq --download-only libbpf/trixie) ||
		die "cannot fetch the libbpf source package"
	(cd "$dst/src-pkg" && dpkg-source -x --no-check ./*.dsc build >/dev/null)
	src=$dst/src-pkg/build
	make -s -C "$src/src" -j"$(nproc)" BUILD_STATIC_ONLY=y \
		OBJDIR="$dst/obj" DESTDIR="$dst/install" PREFIX=/usr LIBDIR=/usr/lib \
		install >/dev/null
	rm -rf "$dst/src-pkg"
	touch "$dst/.done"
}

main() {
	local stamp=$CACHE/setup-$STAMP_VER-$KVER.stamp
	if [ -e "$stamp" ] && command -v qemu-system-x86_64 >/dev/null &&
	   command -v bpftool >/dev/null && command -v clang >/dev/null &&
	   command -v trinity >/dev/null && command -v dkms >/dev/null &&
	   [ -e "$KDIR_ROOT/.done" ] && [ -e "$CACHE/libbpf-$LIBBPF_VER/.done" ]; then
		exit 0
	fi
	mkdir -p "$CACHE"
	setup_apt_sources
	install_packages
	setup_kernel
	setup_libbpf
	touch "$stamp"
	log "ready: kernel $KVER, libbpf $LIBBPF_VER, $(bpftool version | head -1)"
}

main "$@"
