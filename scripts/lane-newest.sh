#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The newest-kernel lane's set-up: idempotent. Makes the newest Debian kernel
# the mirror serves ready for `make KVER=...` and `KVER=... scripts/check.sh`,
# and prints its KVER as the last line of stdout.
#
#   scripts/lane-newest.sh            the amd64 kernel (the x86 guest suite)
#   scripts/lane-newest.sh arm64      the arm64 kernel (ARM64_KVER=..., the
#                                     scmi-upstream area), plus the parts of
#                                     its source the test-only modules need
#
# The version is pinned (NEWEST_VER below): a lane that moved by itself
# whenever the mirror published a kernel would fail for reasons nobody
# changed. NEWEST_VER=latest picks the newest version in the indices at run
# time instead, which is how to find the next pin.
#
# 1. A private apt state (.cache/apt-newest: its own lists, cache and empty
#    status; the host's apt configuration is not touched) with trixie-
#    backports and sid, amd64 and arm64, the mirror read from the machine's
#    apt configuration. The kernel's packages are fetched with
#    `apt-get download` and unpacked with dpkg -x into
#    .cache/kernel/$KVER/root, laid out as scripts/setup.sh lays out the
#    stock kernel (boot/, lib/modules/ with modules.dep, usr/src/).
# 2. Those kernels were built by trixie's gcc-14, and their linux-kbuild
#    tools (fixdep, modpost, objtool...) are linked against glibc 2.38
#    (bookworm has 2.36 and gcc-12). Rebuilding the tools alone would still
#    compile modules with another compiler than the kernel's, so modules are
#    built in a trixie chroot instead: debootstrap minbase plus only what
#    kbuild needs (gcc-14, make, libc6-dev, pahole and the tools' libraries;
#    the arm64 lane adds the gcc-14 cross compiler). It is cached outside the
#    clone ($SOCBPF_CHROOT, default /var/cache/socbpf/trixie-kbuild), shared
#    by every clone on the machine, and entered by scripts/kmake, which the
#    Makefile uses for every kernel build of a KVER that has the file
#    .cache/kernel/$KVER/kbuild-chroot.
set -euo pipefail

TOP=$(cd "$(dirname "$0")/.." && pwd)
# the real path: .cache may be a symlink shared by several clones, and the
# paths written into the kernel tree must hold for all of them
CACHE=$(readlink -f "${SOCBPF_CACHE:-$TOP/.cache}")
ARCH=${1:-amd64}
NEWEST_VER=${NEWEST_VER:-7.3.4+deb13}
APTDIR=$CACHE/apt-newest
CHROOT=${SOCBPF_CHROOT:-/var/cache/socbpf/trixie-kbuild}
CHROOT_PKGS=gcc-14,make,libc6-dev,pahole,libelf1t64,libssl3t64,zlib1g,xz-utils,bc

log() { printf '[lane-newest] %s\n' "$*" >&2; }
die() { printf '[lane-newest] error: %s\n' "$*" >&2; exit 1; }

case "$ARCH" in
amd64|arm64) ;;
*) die "usage: $0 [amd64|arm64]" ;;
esac
[ "$(id -u)" -eq 0 ] || die "root is needed (debootstrap, chroot)"

mirror_uri() {
	local f=/etc/apt/sources.list.d/debian.sources
	if [ -r "$f" ]; then
		awk '/^URIs:/ { print $2; exit }' "$f"
		return
	fi
	awk '$1 == "deb" && $3 ~ /^bookworm$/ { print $2; exit }' \
		/etc/apt/sources.list 2>/dev/null
}

PAPT=()
private_apt() {
	local uri k=/usr/share/keyrings/debian-archive-keyring.gpg
	uri=$(mirror_uri)
	[ -n "$uri" ] || die "cannot find the Debian mirror in the apt configuration"
	mkdir -p "$APTDIR"/{lists/partial,archives/partial,etc/preferences.d}
	: > "$APTDIR/status"
	cat > "$APTDIR/etc/sources.list" <<EOF
deb [arch=amd64,arm64 signed-by=$k] $uri trixie-backports main
deb [arch=amd64,arm64 signed-by=$k] $uri sid main
EOF
	PAPT=(-o APT::Architecture=amd64 -o APT::Architectures=amd64,arm64
		-o Dir::State::Lists="$APTDIR/lists"
		-o Dir::State::status="$APTDIR/status"
		-o Dir::Cache="$APTDIR" -o Dir::Cache::archives="$APTDIR/archives"
		-o Dir::Etc::SourceList="$APTDIR/etc/sources.list"
		-o Dir::Etc::SourceParts=/nonexistent
		-o Dir::Etc::PreferencesParts="$APTDIR/etc/preferences.d")
	# refresh once a day at most (the pinned version stays on the mirror)
	if [ -z "$(find "$APTDIR/.updated" -mmin -1440 2>/dev/null)" ]; then
		log "private apt state (trixie-backports, sid): update"
		apt-get -qq "${PAPT[@]}" update >&2 || die "apt-get update failed"
		touch "$APTDIR/.updated"
	fi
}

# newest version with an image of the plain flavour for $ARCH
latest_version() {
	apt-cache "${PAPT[@]}" pkgnames linux-image- |
		sed -n "s/^linux-image-\([0-9][0-9.]*+deb[0-9]*\)-$ARCH\$/\1/p" |
		sort -V | tail -n 1
}

fetch_kernel() { # $1 = version (7.3.4+deb13)
	local ver=$1 kver=$1-$ARCH kdir=$CACHE/kernel/$1-$ARCH d l t common
	[ -e "$kdir/.done" ] && return
	log "fetching kernel $kver"
	common=$ver-common
	rm -rf "$kdir"
	mkdir -p "$kdir/debs" "$kdir/root"
	# Since 6.17 Debian splits the image: linux-image is a meta package over
	# linux-base (config, System.map), linux-binary (vmlinuz) and
	# linux-modules. -common is arch-independent; linux-kbuild is amd64 (it
	# runs on this machine, in the chroot).
	(cd "$kdir/debs" &&
		apt-get -qq "${PAPT[@]}" download \
			"linux-image-$kver:$ARCH" "linux-base-$kver:$ARCH" \
			"linux-binary-$kver:$ARCH" "linux-modules-$kver:$ARCH" \
			"linux-headers-$kver:$ARCH" "linux-headers-$common" \
			"linux-kbuild-$ver:amd64") 2>&1 | grep -v unsandboxed >&2 ||
		true
	for d in image base binary modules headers; do
		ls "$kdir"/debs/linux-$d-"$kver"_*.deb >/dev/null 2>&1 ||
			die "cannot download linux-$d-$kver"
	done
	for d in "$kdir"/debs/*.deb; do
		dpkg -x "$d" "$kdir/root"
	done
	# usrmerged packages: modules and the image live under usr/
	[ -e "$kdir/root/lib" ] || ln -s usr/lib "$kdir/root/lib"
	if [ ! -e "$kdir/root/boot/vmlinuz-$kver" ]; then
		mkdir -p "$kdir/root/boot"
		for l in "$kdir/root/usr/lib/modules/$kver/vmlinuz" \
			 "$kdir/root/usr/lib/linux-image-$kver/vmlinuz"; do
			[ -e "$l" ] && ln -sfn "$(realpath --relative-to="$kdir/root/boot" "$l")" \
				"$kdir/root/boot/vmlinuz-$kver"
		done
		[ -e "$kdir/root/boot/vmlinuz-$kver" ] ||
			d=$(find "$kdir/root" -name "vmlinuz*" | head -n 1)
		[ -e "$kdir/root/boot/vmlinuz-$kver" ] || [ -z "${d:-}" ] ||
			ln -sfn "$(realpath --relative-to="$kdir/root/boot" "$d")" \
				"$kdir/root/boot/vmlinuz-$kver"
	fi
	[ -e "$kdir/root/boot/vmlinuz-$kver" ] || die "no vmlinuz in the $kver packages"
	# The headers' Makefile names the -common tree and (since 6.x) its own
	# output folder by absolute /usr/src paths.
	sed -i "s|/usr/src/linux-headers-|$kdir/root/usr/src/linux-headers-|g" \
		"$kdir/root/usr/src/linux-headers-$kver/Makefile"
	find "$kdir/root/usr/src" -type l | while read -r l; do
		t=$(readlink "$l")
		case "$t" in
		/usr/*) ln -sfn "$kdir/root$t" "$l" ;;
		esac
	done
	depmod -b "$kdir/root" "$kver"
	[ -s "$kdir/root/lib/modules/$kver/modules.dep" ] || die "depmod made no modules.dep"
	echo "$CHROOT" > "$kdir/kbuild-chroot"
	rm -rf "$kdir/debs"
	touch "$kdir/.done"
}

setup_chroot() {
	local uri pkgs=$CHROOT_PKGS
	[ "$ARCH" = arm64 ] && pkgs=$pkgs,gcc-14-aarch64-linux-gnu,binutils-aarch64-linux-gnu
	if [ ! -e "$CHROOT/.done" ]; then
		command -v debootstrap >/dev/null ||
			DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >&2
		uri=$(mirror_uri)
		log "debootstrap trixie (minbase + $CHROOT_PKGS) into $CHROOT"
		rm -rf "$CHROOT"
		mkdir -p "$(dirname "$CHROOT")"
		debootstrap --variant=minbase --include="$pkgs" trixie "$CHROOT" "$uri" \
			> "$CHROOT.log" 2>&1 || { tail -n 20 "$CHROOT.log" >&2; die "debootstrap failed"; }
		rm -rf "$CHROOT"/var/cache/apt/archives/*.deb
		touch "$CHROOT/.done"
	fi
	if [ "$ARCH" = arm64 ] && [ ! -x "$CHROOT/usr/bin/aarch64-linux-gnu-gcc-14" ]; then
		log "adding the arm64 cross compiler to the chroot"
		chroot "$CHROOT" sh -c 'apt-get -qq update && DEBIAN_FRONTEND=noninteractive \
			apt-get install -y -qq --no-install-recommends \
			gcc-14-aarch64-linux-gnu binutils-aarch64-linux-gnu && apt-get clean' \
			>> "$CHROOT.log" 2>&1 ||
			{ tail -n 20 "$CHROOT.log" >&2; die "cannot install the cross compiler in the chroot"; }
	fi
}

# Parts of the kernel's own source for the arm64 test-only modules (see
# setup-arm64.sh: the same files, from linux-source-X.Y of the release).
UPSTREAM_PARTS=(drivers/firmware/arm_scmi drivers/hwmon/scmi-hwmon.c)
setup_upstream_parts() { # $1 = version
	local mm dst deb tarball top p
	mm=$(echo "$1" | cut -d. -f1,2)
	dst=$CACHE/linux-source-$mm-parts
	[ -e "$dst/.done" ] && return
	log "fetching linux-source-$mm for ${UPSTREAM_PARTS[*]}"
	rm -rf "$dst"
	mkdir -p "$dst/deb"
	(cd "$dst/deb" && apt-get -qq "${PAPT[@]}" download "linux-source-$mm") 2>&1 |
		grep -v unsandboxed >&2 || true
	deb=$(ls "$dst"/deb/linux-source-"$mm"_*.deb 2>/dev/null | head -n 1)
	[ -n "$deb" ] || die "cannot download linux-source-$mm"
	dpkg -x "$deb" "$dst/deb/x"
	tarball=$(ls "$dst"/deb/x/usr/src/linux-source-"$mm".tar.* | head -n 1)
	top=$(basename "$tarball"); top=${top%.tar.*}
	tar -xf "$tarball" -C "$dst" --strip-components=1 \
		$(for p in "${UPSTREAM_PARTS[@]}" Makefile; do echo "$top/$p"; done)
	dpkg-deb -f "$deb" Version > "$dst/VERSION"
	rm -rf "$dst/deb"
	touch "$dst/.done"
}

main() {
	local ver
	mkdir -p "$CACHE"
	ver=$NEWEST_VER
	if [ "$ver" = latest ] ||
	   [ ! -e "$CACHE/kernel/$ver-$ARCH/.done" ] ||
	   { [ "$ARCH" = arm64 ] && [ ! -e "$CACHE/linux-source-$(echo "$ver" | cut -d. -f1,2)-parts/.done" ]; }; then
		private_apt
		[ "$ver" = latest ] && ver=$(latest_version)
		[ -n "$ver" ] || die "no linux-image-*-$ARCH in the indices"
		fetch_kernel "$ver"
		[ "$ARCH" = arm64 ] && setup_upstream_parts "$ver"
	fi
	setup_chroot
	echo "$ver-$ARCH"
}

main "$@"
