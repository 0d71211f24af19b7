#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# kitt-timeout: 900
# kitt-kernels: 6.1
# The disk test on a file-backed LUN (the file backend, file.c): see
# disk.sh.
export DISK_ON_FILE=1
exec bash /kitt/tests/disk.sh
