# SPDX-License-Identifier: GPL-2.0
#
# socbpf: everything starts here.
#
#   make            set up (idempotent), build modules, BPF, skeletons, tools, unit tests
#   make check      host unit tests + guest selftests, one summary line
#   make demo       the main job: a guest with the emulated devices
#   make vm-shell   interactive guest shell with the modules built
#   make bench      benchmarks in the guest
#   make lint       checkpatch --strict over kernel/
#   make fuzz       build and briefly run the libFuzzer targets
#   make fuzz-long  every libFuzzer target for FUZZ_RUNS (10M) executions or FUZZ_LONG_SECONDS
#   make trinity    the trinity guest area with longer runs (TRINITY_SECONDS each, default 600)
#   make install    the user tools into $(DESTDIR)$(PREFIX)/bin (PREFIX=/usr/local)
#   make dkms-install / dkms-uninstall   the modules through DKMS, for the running kernel
#
# KVER selects the guest kernel (image + headers fetched into .cache/).

KVER		?= 6.12.95+deb12-amd64
TOP		:= $(abspath $(dir $(lastword $(MAKEFILE_LIST))))
CACHE		:= $(TOP)/.cache
BUILD		:= $(TOP)/build
BINDIR		:= $(BUILD)/bin
# test-only programs (selftests/progs/*): kept apart from the user tools
TEST_BINDIR	:= $(BUILD)/selftests/bin
KROOT		:= $(CACHE)/kernel/$(KVER)/root
KDIR		?= $(KROOT)/usr/src/linux-headers-$(KVER)
VMLINUX_BTF	:= $(KDIR)/vmlinux
LIBBPF_VER	:= 1.5.0
LIBBPF_PREFIX	:= $(CACHE)/libbpf-$(LIBBPF_VER)/install/usr
BPFTOOL		?= bpftool
CLANG		?= clang
LLVM_STRIP	?= llvm-strip

USER_CFLAGS	:= -O2 -g -Wall -Wextra -Werror -Wno-unused-parameter \
		   -I$(TOP)/include -I$(TOP)/include/uapi -D_GNU_SOURCE
LIBBPF_CFLAGS	:= -I$(LIBBPF_PREFIX)/include
LIBBPF_LDLIBS	:= $(LIBBPF_PREFIX)/lib/libbpf.a -lelf -lz -lzstd
BPF_BUILD	:= $(BUILD)/bpf

export TOP BUILD BINDIR TEST_BINDIR KVER KDIR USER_CFLAGS LIBBPF_CFLAGS LIBBPF_LDLIBS BPF_BUILD CLANG BPFTOOL

# kernel/qrtr first: other modules link against its exported symbols.
MODDIRS		:= $(patsubst %/Kbuild,%,$(wildcard kernel/*/Kbuild))
MODDIRS		:= $(filter kernel/qrtr,$(MODDIRS)) $(filter-out kernel/qrtr,$(MODDIRS))
# Folders with an 'arm64-only' file need what only the arm64 kernel has (the
# PCI endpoint framework): scripts/arm64.mk builds them, the x86 build skips them.
A64_ONLY_MODDIRS := $(patsubst %/arm64-only,%,$(wildcard kernel/*/arm64-only))
MODDIRS		:= $(filter-out $(A64_ONLY_MODDIRS),$(MODDIRS))
# test-only modules built with ours for every kernel (the debug lane's
# planted bugs); selftests/kmod/qrtr_tun_upstream is built by its test
TESTMODDIRS	:= selftests/kmod/planted
# BPF programs: the user's in bpf/, test-only ones beside their loader in
# selftests/progs/<prog>/; both build into $(BPF_BUILD).
BPF_SRCS	:= $(wildcard bpf/*.bpf.c selftests/progs/*/*.bpf.c)
BPF_OBJS	:= $(patsubst %.bpf.c,$(BPF_BUILD)/%.bpf.o,$(notdir $(BPF_SRCS)))
BPF_SKELS	:= $(patsubst %.bpf.c,$(BPF_BUILD)/%.skel.h,$(notdir $(BPF_SRCS)))
vpath %.bpf.c bpf $(sort $(dir $(wildcard selftests/progs/*/*.bpf.c)))
TOOLDIRS	:= $(patsubst %/Makefile,%,$(wildcard tools/*/Makefile))
TESTPROGDIRS	:= $(patsubst %/Makefile,%,$(wildcard selftests/progs/*/Makefile))
UNIT_SRCS	:= $(wildcard selftests/unit/test_*.c)
UNIT_BINS	:= $(patsubst selftests/unit/%.c,$(BUILD)/unit/%,$(UNIT_SRCS))
FUZZ_SRCS	:= $(wildcard selftests/fuzz/fuzz_*.c)
FUZZ_BINS	:= $(patsubst selftests/fuzz/%.c,$(BUILD)/fuzz/%,$(FUZZ_SRCS))
# vmlinux.h plus one module's BTF, for BPF programs that use module types.
MOD_VMLINUX_H	:= $(foreach d,$(MODDIRS),$(BUILD)/vmlinux_socbpf_$(notdir $(d)).h)

.PHONY: all setup lane-debug modules x86-test-modules bpf tools unit check demo vm-shell bench lint fuzz fuzz-long trinity install uninstall dkms-src dkms-install dkms-uninstall clean distclean

all: modules x86-test-modules bpf tools unit arm64

# The guest arch of vm-shell (make vm-shell ARCH=arm64); never handed to the
# kernel builds below, which take ARCH from the environment.
VM_ARCH		:= $(or $(ARCH),x86_64)
unexport ARCH
MAKEOVERRIDES	:= $(filter-out ARCH=%,$(MAKEOVERRIDES))
override ARCH	:=
include $(TOP)/scripts/arm64.mk

setup:
	@$(TOP)/scripts/setup.sh $(KVER)

# ------------------------------------------------------------------ modules
# KMAKE is make, or make inside the build chroot of a kernel whose kbuild
# tools this machine cannot run (scripts/kmake, the newest-kernel lane).
KMAKE		:= $(TOP)/scripts/kmake $(KVER)

modules: setup
	+@set -e; for d in $(MODDIRS); do \
		$(KMAKE) -s -C $(KDIR) M=$(TOP)/$$d modules; \
	done
	@$(TOP)/scripts/check-btf.sh $(MODDIRS)
	+@set -e; for d in $(TESTMODDIRS); do \
		$(KMAKE) -s -C $(KDIR) M=$(TOP)/$$d modules; \
	done
	@# test-only: upstream's rmnet, unmodified from linux-source-6.12 (Debian's
	@# 6.12 has no RMNET), so only for Debian's 6.12 (the debug kernel has no
	@# GRO_CELLS for it); elsewhere the QMAP test skips
	+@case "$(KVER)" in \
	6.12.*+deb12-amd64) KVER=$(KVER) KDIR=$(KDIR) $(TOP)/selftests/kmod/rmnet_upstream/build.sh > /dev/null ;; \
	*) rm -f $(BUILD)/kmod/rmnet_upstream/*.ko ;; \
	esac

# selftests/x86-modules/<mod>/: test-only x86 modules (a Kbuild and its
# sources), built in build/x86/modules/<mod>.
X86_TMODDIRS	:= $(patsubst %/Kbuild,%,$(wildcard selftests/x86-modules/*/Kbuild))

x86-test-modules: setup
	+@set -e; for d in $(X86_TMODDIRS); do \
		o=$(BUILD)/x86/modules/$$(basename $$d); mkdir -p $$o; \
		cp $$d/Kbuild $$o/Kbuild; \
		for f in $$d/*.c $$d/*.h; do [ -e $$f ] && cp $$f $$o/; done; \
		$(KMAKE) -s -C $(KDIR) M=$$o modules; \
	done

# ------------------------------------------------------------------ BPF
$(BUILD)/vmlinux.h: | setup
	@mkdir -p $(@D)
	$(BPFTOOL) btf dump file $(VMLINUX_BTF) format c > $@.tmp && mv $@.tmp $@

# Regenerated after every module build, replaced only when it changed.
$(BUILD)/vmlinux_socbpf_%.h: modules FORCE
	@mkdir -p $(@D)
	@ko=$(TOP)/kernel/$*/socbpf_$*.ko; : > $@.tmp; \
	if [ -f "$$ko" ]; then \
		$(BPFTOOL) -B $(VMLINUX_BTF) btf dump file $$ko format c > $@.tmp; \
	fi; \
	if cmp -s $@.tmp $@; then rm -f $@.tmp; else mv $@.tmp $@; fi

FORCE:

# Keep BPF objects and generated headers between runs.
.SECONDARY:

# Kernels built with -fms-extensions (7.x) have BTF with anonymous members of
# a named struct type, which bpftool dumps as "struct foo;" inside a struct:
# accept that in vmlinux.h and the module headers.
BPF_CFLAGS := -g -O2 -target bpf -D__TARGET_ARCH_x86 -Wall -Werror \
	      -fms-extensions -Wno-microsoft-anon-tag \
	      -I$(BUILD) -I$(TOP)/include -I$(TOP)/include/uapi -I$(TOP)/bpf \
	      $(LIBBPF_CFLAGS)

$(BPF_BUILD)/%.bpf.o: %.bpf.c $(BUILD)/vmlinux.h $(MOD_VMLINUX_H) $(wildcard bpf/*.h) | setup
	@mkdir -p $(@D)
	$(CLANG) $(BPF_CFLAGS) -MMD -MP -c $< -o $@
	$(LLVM_STRIP) -g $@

# headers a BPF object includes (tools/*/*.h, include/socbpf/*.h), from -MMD
-include $(BPF_OBJS:.o=.d)

$(BPF_BUILD)/%.skel.h: $(BPF_BUILD)/%.bpf.o
	$(BPFTOOL) gen skeleton $< name $(subst -,_,$*)_bpf > $@.tmp && mv $@.tmp $@

bpf: $(BPF_SKELS)

# ------------------------------------------------------------------ tools
tools: bpf
	@set -e; mkdir -p $(BINDIR) $(TEST_BINDIR); for d in $(TOOLDIRS) $(TESTPROGDIRS); do \
		$(MAKE) -s -C $$d; \
	done

# ------------------------------------------------------------------ host unit tests
UNIT_CFLAGS := $(USER_CFLAGS) -fsanitize=address,undefined -fno-omit-frame-pointer \
	       -fno-sanitize-recover=all

# Per-test extra flags (a library a test links): UNIT_FLAGS_<test> := ...
UNIT_FLAGS_test_qmi_libqmi = $(shell pkg-config --cflags --libs qmi-glib)
UNIT_FLAGS_test_bam_qmi = $(shell pkg-config --cflags --libs qmi-glib)
UNIT_FLAGS_test_qrtrtop_qmi = $(shell pkg-config --cflags --libs qmi-glib)

$(BUILD)/unit/%: selftests/unit/%.c $(wildcard selftests/unit/*.h) $(wildcard include/socbpf/*.h) $(wildcard tools/*/*.h) $(wildcard tools/scmi-platform/*.c) $(wildcard tools/bam-modem/*.c) | setup
	@mkdir -p $(@D)
	$(CC) $(UNIT_CFLAGS) $< -o $@ -lm $(UNIT_FLAGS_$*)

unit: $(UNIT_BINS)

$(BUILD)/fuzz/%: selftests/fuzz/%.c $(wildcard include/socbpf/*.h) $(wildcard tools/*/*.h)
	@mkdir -p $(@D)
	$(CLANG) -g -O1 -fsanitize=fuzzer,address,undefined -I$(TOP)/include \
		-I$(TOP)/include/uapi -D_GNU_SOURCE $< -o $@

FUZZ_SECONDS ?= 20
fuzz: $(FUZZ_BINS)
	@set -e; for f in $(FUZZ_BINS); do \
		echo "== $$(basename $$f) ($(FUZZ_SECONDS)s)"; \
		mkdir -p $(BUILD)/fuzz/corpus-$$(basename $$f); \
		$$f -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 \
			$(BUILD)/fuzz/corpus-$$(basename $$f) 2>&1 | tail -n 3; \
	done

# FUZZ_RUNS=N executions per target (default 10 million), or
# FUZZ_LONG_SECONDS=S seconds per target instead; one stats line per target.
fuzz-long: $(FUZZ_BINS)
	@$(TOP)/scripts/fuzz-long.sh $(FUZZ_BINS)

# ------------------------------------------------------------------ tests
# T= limits the guest tests: an area (T=qrtr) or one test (T=qrtr/test_sock.sh).
# LANE= picks the kernel lane(s): without T every lane runs (stock, debug,
# newest), with T the stock lane; LANE=debug T=qrtr runs qrtr on the debug
# kernel, LANE=debug alone the debug lane's selection.
check: all
	@LANE=$(LANE) $(TOP)/scripts/check.sh $(T)

# The debug lane's kernel (built once per machine, cached); prints its KVER.
lane-debug: setup
	@$(TOP)/scripts/lane-debug.sh

# make check runs selftests/guest/trinity with 60 s per trinity run; this is the
# same area with longer runs (two runs, TRINITY_SECONDS each).
TRINITY_SECONDS ?= 600
trinity: all
	@TRINITY_SECONDS=$(TRINITY_SECONDS) GUEST_TEST_TIMEOUT=$$(($(TRINITY_SECONDS) + 300)) \
		GUEST_AREA_TIMEOUT=$$((2 * $(TRINITY_SECONDS) + 900)) \
		VM_ENV="TRINITY_SECONDS GUEST_TEST_TIMEOUT" $(TOP)/scripts/check.sh trinity

# ------------------------------------------------------------------ install
# The user tools (build/bin; test-only programs live in build/selftests/bin).
PREFIX		?= /usr/local
install: tools
	install -d $(DESTDIR)$(PREFIX)/bin
	install -m 0755 $(wildcard $(BINDIR)/*) $(DESTDIR)$(PREFIX)/bin/

uninstall:
	rm -f $(addprefix $(DESTDIR)$(PREFIX)/bin/,$(notdir $(wildcard $(BINDIR)/*)))

# The modules as a DKMS package (dkms.conf): sources to /usr/src/socbpf-VERSION,
# then dkms builds and installs them for the running kernel (or KERNELVER).
DKMS_VERSION	:= $(shell sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' $(TOP)/dkms.conf)
DKMS_SRC	:= $(DESTDIR)/usr/src/socbpf-$(DKMS_VERSION)
DKMS_MODDIRS	:= kernel/qrtr kernel/scmi

dkms-src:
	rm -rf $(DKMS_SRC)
	install -d $(DKMS_SRC)/dkms $(DKMS_SRC)/include
	install -m 0644 dkms.conf $(DKMS_SRC)/
	install -m 0755 dkms/socbpf-modprobe $(DKMS_SRC)/dkms/
	cp -r include/socbpf include/uapi $(DKMS_SRC)/include/
	set -e; for d in $(DKMS_MODDIRS); do \
		install -d $(DKMS_SRC)/$$d; \
		install -m 0644 $$d/Kbuild $$(ls $$d/*.[ch] | grep -v '\.mod\.c$$') $(DKMS_SRC)/$$d/; \
	done
	@# one kbuild run (make -j) for every module: dkms.conf builds M=kernel
	echo 'obj-m += $(patsubst kernel/%,%/,$(DKMS_MODDIRS))' > $(DKMS_SRC)/kernel/Kbuild

dkms-install: dkms-src
	dkms install -m socbpf -v $(DKMS_VERSION) $(if $(KERNELVER),-k $(KERNELVER))

dkms-uninstall:
	-dkms remove -m socbpf -v $(DKMS_VERSION) --all
	rm -rf $(DKMS_SRC)

vm-shell: all
	@$(TOP)/scripts/vm-run -a $(VM_ARCH) --interactive

demo: all
	@$(TOP)/scripts/vm-run -t 600 -- scripts/demo.sh

bench: all
	@$(TOP)/scripts/bench.sh $(B)

CHECKPATCH ?= $(CACHE)/linux-source/scripts/checkpatch.pl
lint: setup
	@$(TOP)/scripts/lint.sh

clean:
	@for d in $(MODDIRS); do $(KMAKE) -s -C $(KDIR) M=$(TOP)/$$d clean; done 2>/dev/null || true
	@for d in $(A64_ONLY_MODDIRS); do $(TOP)/scripts/kmake $(ARM64_KVER) -s -C $(A64_KDIR) $(A64_KMAKE) M=$(TOP)/$$d clean; done 2>/dev/null || true
	rm -rf $(BUILD)
	@for d in $(TESTMODDIRS); do $(KMAKE) -s -C $(KDIR) M=$(TOP)/$$d clean; done 2>/dev/null || true

distclean: clean
	rm -rf $(CACHE)
