# SPDX-License-Identifier: GPL-2.0
# The arm64 guest lane (included by the top Makefile): set-up, statically
# cross-built tools for the guest (build/arm64/bin, seen there as build/bin),
# and the test-only arm64 modules.
#
#   make arm64          everything below
#   make setup-arm64    kernel, sysroot, arm64 libbpf, cross toolchain, QEMU
#
# The BPF objects and skeletons are the host's: CO-RE with (raw) tracepoints
# loads unchanged on arm64.

ARM64_KVER	?= 6.12.95+deb12-arm64
A64_CROSS	:= aarch64-linux-gnu-
A64_CC		:= $(A64_CROSS)gcc-12
A64_BUILD	:= $(BUILD)/arm64
A64_BINDIR	:= $(A64_BUILD)/bin
A64_KROOT	:= $(CACHE)/kernel/$(ARM64_KVER)/root
A64_KDIR	:= $(A64_KROOT)/usr/src/linux-headers-$(ARM64_KVER)
A64_SYSROOT	:= $(CACHE)/arm64-sysroot
A64_LIBDIR	:= $(A64_SYSROOT)/usr/lib/aarch64-linux-gnu
A64_LIBBPF	:= $(CACHE)/libbpf-$(LIBBPF_VER)-arm64/install/usr
# A kernel of the newest-kernel lane (scripts/lane-newest.sh arm64) is built
# in its trixie chroot with that kernel's compiler (scripts/kmake).
A64_CHROOT	:= $(wildcard $(CACHE)/kernel/$(ARM64_KVER)/kbuild-chroot)
A64_KMAKE	:= ARCH=arm64 CROSS_COMPILE=$(A64_CROSS) \
		   CC=$(if $(A64_CHROOT),$(A64_CROSS)gcc-14,$(A64_CC))
# parts of linux-source-X.Y (same release as the kernel), paths as upstream's
A64_UPSTREAM	:= $(CACHE)/linux-source-$(shell echo $(ARM64_KVER) | cut -d. -f1,2)-parts

# tools the arm64 guest runs (the vhost-user platform runs on the host)
A64_TOOLS	:= scmitrace dbstat

A64_TOOL_VARS	:= BINDIR=$(A64_BINDIR) CC=$(A64_CC) \
	USER_CFLAGS="$(USER_CFLAGS) -static" \
	LIBBPF_CFLAGS="-I$(A64_LIBBPF)/include -I$(A64_SYSROOT)/usr/include" \
	LIBBPF_LDLIBS="$(A64_LIBBPF)/lib/libbpf.a $(A64_LIBDIR)/libelf.a $(A64_LIBDIR)/libz.a $(A64_LIBDIR)/libzstd.a"

.PHONY: arm64 setup-arm64 arm64-tools arm64-kmods arm64-modules

arm64: arm64-tools arm64-kmods arm64-modules

setup-arm64: setup
	@$(TOP)/scripts/setup-arm64.sh $(ARM64_KVER)

arm64-tools: setup-arm64 bpf
	@set -e; mkdir -p $(A64_BINDIR); for t in $(A64_TOOLS); do \
		$(MAKE) -s -C tools/$$t $(A64_TOOL_VARS); \
	done

# selftests/arm64-modules/<mod>/: test-only modules for the arm64 guest, built
# in build/arm64/modules/<mod> (a module folder may ask for upstream sources
# to be copied next to its Kbuild by listing them in its 'upstream' file).
A64_MODDIRS	:= $(patsubst %/Kbuild,%,$(wildcard selftests/arm64-modules/*/Kbuild))

# kernel/<mod>/ folders marked 'arm64-only' (A64_ONLY_MODDIRS, top Makefile):
# production modules that need the arm64 kernel, built in place.
arm64-kmods: setup-arm64
	+@set -e; for d in $(A64_ONLY_MODDIRS); do \
		$(TOP)/scripts/kmake $(ARM64_KVER) -s -C $(A64_KDIR) $(A64_KMAKE) M=$(TOP)/$$d modules; \
	done

# A test module's own sources (*.c, *.h beside its Kbuild) are copied too; it
# links against the arm64-only modules' exports (their Module.symvers).
A64_EXTRA_SYMBOLS := $(foreach d,$(A64_ONLY_MODDIRS),$(TOP)/$(d)/Module.symvers)

arm64-modules: setup-arm64 arm64-kmods
	+@set -e; for d in $(A64_MODDIRS); do \
		o=$(A64_BUILD)/modules/$$(basename $$d); mkdir -p $$o; \
		if [ -f $$d/upstream ]; then \
			(cd $(A64_UPSTREAM) && cp --parents $$(grep -v '^#' $(TOP)/$$d/upstream) $$o/); \
		fi; \
		cp $$d/Kbuild $$o/Kbuild; \
		for f in $$d/*.c $$d/*.h; do [ -e $$f ] && cp $$f $$o/; done; \
		$(TOP)/scripts/kmake $(ARM64_KVER) -s -C $(A64_KDIR) $(A64_KMAKE) M=$$o \
			KBUILD_EXTRA_SYMBOLS="$(A64_EXTRA_SYMBOLS)" modules; \
	done
