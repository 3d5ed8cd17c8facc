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
#
# KVER selects the guest kernel (image + headers fetched into .cache/).

KVER		?= 6.12.95+deb12-amd64
TOP		:= $(abspath $(dir $(lastword $(MAKEFILE_LIST))))
CACHE		:= $(TOP)/.cache
BUILD		:= $(TOP)/build
BINDIR		:= $(BUILD)/bin
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

export TOP BUILD BINDIR KVER KDIR USER_CFLAGS LIBBPF_CFLAGS LIBBPF_LDLIBS BPF_BUILD CLANG BPFTOOL

MODDIRS		:= $(patsubst %/Kbuild,%,$(wildcard kernel/*/Kbuild))
BPF_SRCS	:= $(wildcard bpf/*.bpf.c)
BPF_OBJS	:= $(patsubst bpf/%.bpf.c,$(BPF_BUILD)/%.bpf.o,$(BPF_SRCS))
BPF_SKELS	:= $(patsubst bpf/%.bpf.c,$(BPF_BUILD)/%.skel.h,$(BPF_SRCS))
TOOLDIRS	:= $(patsubst %/Makefile,%,$(wildcard tools/*/Makefile))
UNIT_SRCS	:= $(wildcard selftests/unit/test_*.c)
UNIT_BINS	:= $(patsubst selftests/unit/%.c,$(BUILD)/unit/%,$(UNIT_SRCS))
FUZZ_SRCS	:= $(wildcard selftests/fuzz/fuzz_*.c)
FUZZ_BINS	:= $(patsubst selftests/fuzz/%.c,$(BUILD)/fuzz/%,$(FUZZ_SRCS))
# vmlinux.h plus one module's BTF, for BPF programs that use module types.
MOD_VMLINUX_H	:= $(foreach d,$(MODDIRS),$(BUILD)/vmlinux_socbpf_$(notdir $(d)).h)

.PHONY: all setup modules bpf tools unit check demo vm-shell bench lint fuzz clean distclean

all: modules bpf tools unit arm64

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
modules: setup
	@set -e; for d in $(MODDIRS); do \
		$(MAKE) -s -C $(KDIR) M=$(TOP)/$$d modules; \
	done
	@$(TOP)/scripts/check-btf.sh $(MODDIRS)

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

BPF_CFLAGS := -g -O2 -target bpf -D__TARGET_ARCH_x86 -Wall -Werror \
	      -I$(BUILD) -I$(TOP)/include -I$(TOP)/include/uapi -I$(TOP)/bpf \
	      $(LIBBPF_CFLAGS)

$(BPF_BUILD)/%.bpf.o: bpf/%.bpf.c $(BUILD)/vmlinux.h $(MOD_VMLINUX_H) $(wildcard bpf/*.h) | setup
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
	@set -e; mkdir -p $(BINDIR); for d in $(TOOLDIRS); do \
		$(MAKE) -s -C $$d; \
	done

# ------------------------------------------------------------------ host unit tests
UNIT_CFLAGS := $(USER_CFLAGS) -fsanitize=address,undefined -fno-omit-frame-pointer \
	       -fno-sanitize-recover=all

$(BUILD)/unit/%: selftests/unit/%.c $(wildcard selftests/unit/*.h) $(wildcard include/socbpf/*.h) $(wildcard tools/*/*.h) $(wildcard tools/scmi-platform/*.c) | setup
	@mkdir -p $(@D)
	$(CC) $(UNIT_CFLAGS) $< -o $@ -lm

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

# ------------------------------------------------------------------ tests
# T= limits the guest tests: an area (T=qrtr) or one test (T=qrtr/test_sock.sh).
check: all
	@$(TOP)/scripts/check.sh $(T)

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
	@for d in $(MODDIRS); do $(MAKE) -s -C $(KDIR) M=$(TOP)/$$d clean; done 2>/dev/null || true
	rm -rf $(BUILD)

distclean: clean
	rm -rf $(CACHE)
