#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# kitt-timeout: 480
# kitt-kernels: 6.1
# libiscsi's block command suites against a file-backed LUN (file.c and
# sbc_io.c on the file backend): READ, WRITE, VERIFY, WRITE AND VERIFY,
# COMPARE AND WRITE, ORWRITE, WRITE SAME, UNMAP, PRE-FETCH, GET LBA
# STATUS. Every test that runs must pass.
export LIBISCSI_ON_FILE=1
export LIBISCSI_SECONDS=$((${KITT_TIMEOUT:-480} - 80))
export LIBISCSI_TESTS="Read10 Write10 Verify10 WriteVerify10 CompareAndWrite OrWrite
	WriteSame10 Unmap Prefetch10 GetLBAStatus"
exec bash /kitt/tests/libiscsi.sh
