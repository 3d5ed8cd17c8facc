#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Install like a user: Debian's dkms builds socbpf's modules from dkms.conf
# against the running kernel's headers (make dkms-install), installs them in
# /lib/modules/$(uname -r)/updates/dkms, modprobe finds them by name,
# socket(AF_QIPCRTR) autoloads socbpf_qrtr instead of the stock qrtr.ko, and
# make dkms-uninstall brings the stock behaviour back.
#
# Everything written here lands in guest RAM. Two things make the guest look
# like an installed machine for this test only: the kernel's headers are
# linked into /usr/src (where linux-headers puts them), and the kernel's
# modprobe helper is pointed at the overlay root (the guest's init stays in its
# initramfs, where the kernel would look for /sbin/modprobe). /lib/modules is
# trimmed to the stock QRTR modules in a tmpfs: depmod, which dkms runs on
# install and remove, takes 2-3 minutes over the full 4200-module tree under
# TCG, and nothing but qrtr.ko competes for AF_QIPCRTR. Compiling the modules
# under TCG takes minutes (about 8 on a loaded 2-core machine), hence:
# guest-test-timeout: 1080
cd "$(dirname "$0")/../../.." || exit 1
. selftests/lib/tap.sh
tap_diag_lines() { printf '%s\n' "$*" | sed 's/^/# /'; }
KV=$(uname -r)
K=/lib/modules/$KV
TMP=$(mktemp -d /tmp/dkms-test.XXXXXX)
CONF=/etc/modprobe.d/socbpf.conf
HELPER=/proc/1/root/bin/socbpf-guest-modprobe
old_modprobe=$(cat /proc/sys/kernel/modprobe)
VER=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' dkms.conf)

cleanup() {
	rmmod socbpf_qrtr 2>/dev/null
	rmmod socbpf_scmi 2>/dev/null
	rmmod qrtr 2>/dev/null
	echo "$old_modprobe" > /proc/sys/kernel/modprobe
	rm -f "$HELPER"
	mountpoint -q "$K" && umount "$K"
	mountpoint -q "$TMP/full" && umount "$TMP/full"
	rm -rf "$TMP"
}
trap cleanup EXIT

loaded() { grep -q "^$1 " /proc/modules; }

# trim_modules: /lib/modules/$KV becomes a tmpfs with the stock qrtr modules
trim_modules() {
	local m
	mkdir -p "$TMP/full"
	mount --bind "$K" "$TMP/full" || return 1
	mount -t tmpfs -o size=64m,mode=0755 modules "$K" || return 1
	cp "$TMP/full"/modules.builtin "$TMP/full"/modules.builtin.modinfo \
		"$TMP/full"/modules.order "$K/" || return 1
	for m in $(awk -F': *' '$1 ~ /\/net\/qrtr\/qrtr\.ko/ { print $1 " " $2 }' \
			"$TMP/full/modules.dep"); do
		mkdir -p "$K/$(dirname "$m")"
		cp "$TMP/full/$m" "$K/$m" || return 1
	done
	ln -s "/usr/src/linux-headers-$KV" "$K/build"
	depmod "$KV"
}

tap_plan 12

if ! command -v dkms >/dev/null; then
	tap_fail "dkms installed (scripts/setup.sh installs it)"
	tap_done
fi
tap_ok "dkms $(dpkg-query -W -f='${Version}' dkms 2>/dev/null) installed, package socbpf/$VER"

# The headers as the linux-headers packages install them, and a modprobe
# helper the kernel can run.
ok=1
for h in "linux-headers-$KV" "linux-headers-${KV%-*}-common"; do
	[ -e "/usr/src/$h" ] || ln -s "$SOCBPF_TOP/.cache/kernel/$KV/root/usr/src/$h" "/usr/src/$h" || ok=0
done
printf '#!/bin/sh\nexec /bin/chroot /newroot /sbin/modprobe "$@"\n' > "$HELPER" && chmod 0755 "$HELPER" &&
	echo /bin/socbpf-guest-modprobe > /proc/sys/kernel/modprobe || ok=0
if [ $ok = 1 ] && [ -e "/usr/src/linux-headers-$KV/Makefile" ] && trim_modules; then
	tap_ok "headers in /usr/src, /lib/modules/$KV holds $(find "$K" -name '*.ko*' | wc -l) stock qrtr modules"
else
	tap_fail "headers in /usr/src, trimmed /lib/modules"
	tap_done
fi
tap_check "before: socket(AF_QIPCRTR) autoloads the stock qrtr" \
	bash -c "qrtr-lookup >/dev/null 2>&1; grep -q '^qrtr ' /proc/modules"
rmmod qrtr

start=$(date +%s)
out=$(make -s dkms-install 2>&1)
rc=$?
if [ $rc = 0 ] && dkms status -m socbpf -v "$VER" -k "$KV" 2>/dev/null | grep -q ': installed'; then
	tap_ok "make dkms-install: built and installed in $(( $(date +%s) - start ))s"
else
	tap_fail "make dkms-install (exit $rc)"
	tap_diag_lines "$(tail -n 30 <<<"$out")"
	cat /var/lib/dkms/socbpf/"$VER"/build/make.log 2>/dev/null | tail -n 20 | sed 's/^/# /'
	tap_done
fi
tap_diag "$(dkms status -m socbpf 2>/dev/null)"

path=$(modinfo -n socbpf_qrtr 2>&1)
vm=$(modinfo -F vermagic socbpf_qrtr 2>&1)
case "$path" in
"$K"/updates/dkms/socbpf_qrtr.ko*)
	if [ "${vm%% *}" = "$KV" ] && modinfo -n socbpf_scmi | grep -q "^$K/updates/dkms/"; then
		tap_ok "modules in updates/dkms, built for $KV"
	else
		tap_fail "modules in updates/dkms, built for $KV (vermagic '$vm')"
	fi ;;
*)	tap_fail "modules in updates/dkms (modinfo: $path)" ;;
esac
tap_check "post-install wrote $CONF" grep -q '^install net-pf-42 ' "$CONF"

if modprobe socbpf_qrtr && loaded socbpf_qrtr && [ -c /dev/qrtr-tun ] && modprobe -r socbpf_qrtr &&
   modprobe socbpf_scmi && loaded socbpf_scmi && [ -c /dev/scmi-platform ] && modprobe -r socbpf_scmi; then
	tap_ok "modprobe by name loads and removes socbpf_qrtr and socbpf_scmi"
else
	tap_fail "modprobe by name loads and removes socbpf_qrtr and socbpf_scmi"
fi

out=$(qrtr-lookup 2>&1)
rc=$?
if [ $rc = 0 ] && loaded socbpf_qrtr && ! loaded qrtr; then
	tap_ok "socket(AF_QIPCRTR) autoloads socbpf_qrtr, not qrtr (qrtr-lookup works)"
else
	tap_fail "socket(AF_QIPCRTR) autoloads socbpf_qrtr, not qrtr (qrtr-lookup exit $rc)"
	tap_diag "$out; loaded: $(grep -E '^(socbpf_)?qrtr ' /proc/modules | cut -d' ' -f1 | tr '\n' ' ')"
fi
tap_check "socbpf_qrtr unloads" rmmod socbpf_qrtr

start=$(date +%s)
out=$(make -s dkms-uninstall 2>&1)
rc=$?
if [ $rc = 0 ] && [ -z "$(dkms status -m socbpf 2>/dev/null)" ] &&
   ! ls "$K"/updates/dkms/socbpf_* >/dev/null 2>&1 && [ ! -e "$CONF" ] &&
   [ ! -e "/usr/src/socbpf-$VER" ] && ! modprobe -n socbpf_qrtr 2>/dev/null; then
	tap_ok "make dkms-uninstall: modules, modprobe.d file and sources gone ($(( $(date +%s) - start ))s)"
else
	tap_fail "make dkms-uninstall (exit $rc)"
	tap_diag_lines "$(tail -n 20 <<<"$out")"
fi

tap_check "after: socket(AF_QIPCRTR) autoloads the stock qrtr again" \
	bash -c "qrtr-lookup >/dev/null 2>&1; grep -q '^qrtr ' /proc/modules && ! grep -q '^socbpf_qrtr ' /proc/modules"
tap_check "qrtr unloads" rmmod qrtr
tap_done
