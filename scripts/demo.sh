#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# `make demo`: boot a QEMU guest, load kitt, export a RAM disk by shell on
# configfs, show the tree and the listening socket, tear it all down.
#
#   scripts/demo.sh [-k 6.1|6.12]
exec "$(dirname "$0")/qemu-run.sh" "$@" demo
