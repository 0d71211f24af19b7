# SPDX-License-Identifier: GPL-2.0
# kitt: top-level build. `make` builds kitt.ko and tools/kittctl.
# KVER/KDIR select the kernel to build against (default: the newest
# installed Debian 6.1 headers; `uname -r` is the host's own kernel).

KVER ?= $(shell ls -1d /lib/modules/6.1.0-*-amd64/build 2>/dev/null | sort -V | tail -1 | cut -d/ -f4)
KDIR ?= /lib/modules/$(KVER)/build

all: modules

modules:
	$(MAKE) -C $(KDIR) M=$(CURDIR) CONFIG_KITT=m modules

clean:
	$(MAKE) -C $(KDIR) M=$(CURDIR) clean

.PHONY: all modules clean
