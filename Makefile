# SPDX-License-Identifier: GPL-2.0
# kitt: top-level build. `make` builds kitt.ko, tools/kittctl and tools/kitt-fuzz.
# KVER/KDIR select the kernel to build against (default: the newest
# installed Debian 6.1 headers; `uname -r` is the host's own kernel).
#
#   make                     kitt.ko (+ tools) against Debian 6.1
#   make K=6.12              the same against Debian 12's 6.12 kernel
#                            (or KVER=6.12.N+deb12-amd64, KDIR=/path)
#   make K=debug             against the debug kernel (scripts/build-debug-kernel.sh)
#   make W=1 C=2             extra warnings and sparse, as in `make check`
#   make kunit               KUnit suites under UML (scripts/kunit.sh)
#   make fuzz                libFuzzer on the pure layers, FUZZ_TIME s each (scripts/fuzz.sh)
#   make check [T=name] [K=6.1|6.12]   everything, or one guest test
#   make check-debug [T=name]   the build and guest tests on the debug kernel
#                            (KASAN, lockdep, kmemleak; built first if needed)
#   make demo                boot a guest: kitt serves a RAM disk to the Linux initiator
#   make bench               kitt against LIO in one guest boot (Documentation/performance.rst)
#   make bench-profile       perf profile of kitt and LIO under the same jobs
#   make deb                 Debian packages kitt-dkms and kittctl in build/deb (scripts/make-deb.sh)
#   make deps                install the Debian packages (as root)

# K=6.1 or K=6.12 picks the newest installed kernel of that line.
K ?= 6.1
ifeq ($(K),6.12)
KVER ?= $(shell ls -1d /lib/modules/6.12.*+deb12-amd64/build 2>/dev/null | sort -V | tail -1 | cut -d/ -f4)
else ifeq ($(K),debug)
# The debug kernel of scripts/build-debug-kernel.sh.
KVER ?= $(shell cat build/debug-kernel/release 2>/dev/null)
KDIR ?= $(CURDIR)/build/debug-kernel/obj
else
KVER ?= $(shell ls -1d /lib/modules/6.1.0-*-amd64/build 2>/dev/null | sort -V | tail -1 | cut -d/ -f4)
endif
KDIR ?= /lib/modules/$(KVER)/build

# Forward W= and C= to kbuild only when given.
KBUILD_OPTS := $(if $(W),W=$(W)) $(if $(C),C=$(C))

all: modules tools

modules:
	$(MAKE) -C $(KDIR) M=$(CURDIR) CONFIG_KITT=m $(KBUILD_OPTS) modules

tools:
	@if [ -f tools/kittctl/Makefile ]; then $(MAKE) -C tools/kittctl; fi
	@if [ -f tools/kitt-fuzz/Makefile ]; then $(MAKE) -C tools/kitt-fuzz; fi

# kbuild's clean deletes objects in the whole tree below M=, build/ too
# (the debug kernel, KUnit): so only below drivers/kitt.
clean:
	$(MAKE) -C $(KDIR) M=$(CURDIR)/drivers/kitt clean
	rm -f Module.symvers modules.order .Module.symvers.cmd .modules.order.cmd
	@if [ -f tools/kittctl/Makefile ]; then $(MAKE) -C tools/kittctl clean; fi
	@if [ -f tools/kitt-fuzz/Makefile ]; then $(MAKE) -C tools/kitt-fuzz clean; fi

kunit:
	scripts/kunit.sh

# libFuzzer harnesses of tools/fuzz, in userspace (FUZZ_TIME seconds each).
fuzz: deps
	scripts/fuzz.sh

# The test and demo targets install what is missing first (a no-op when
# everything is there; see scripts/deps.sh).
check: deps
	scripts/check.sh $(if $(T),-t $(T)) $(if $(filter command line,$(origin K)),-k $(K))

demo: deps
	scripts/demo.sh $(if $(filter command line,$(origin K)),-k $(K))

# kitt against LIO in one guest boot (ROUNDS, RUNTIME, JOBS: see scripts/bench.sh).
bench: deps
	scripts/bench.sh $(if $(filter command line,$(origin K)),-k $(K))

# Where the time goes: perf in the guest, kitt and LIO (PROFILE=1 of bench.sh).
bench-profile: deps
	PROFILE=1 scripts/bench.sh $(if $(filter command line,$(origin K)),-k $(K))

# The same guest tests on a kernel with KASAN, KFENCE, lockdep and
# kmemleak, built from Debian's source first if needed (30-60 minutes).
check-debug: deps
	scripts/build-debug-kernel.sh >/dev/null
	scripts/check.sh -g -k debug $(if $(T),-t $(T))

# kitt-dkms and kittctl .debs, built with dpkg-buildpackage and dh-dkms.
deb: deps
	scripts/make-deb.sh

deps:
	@bash scripts/deps.sh

.PHONY: all modules tools clean kunit fuzz check check-debug demo deps deb bench bench-profile
