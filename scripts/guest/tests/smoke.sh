#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# kitt-timeout: 120
# Smoke test: the guest works, and kitt loads, shows its configfs root and
# unloads cleanly.
. /kitt/lib.sh

log "kernel $KITT_KVER"

# The guest itself: a RAM disk comes and goes.
expect_ok brd_load 16
expect_ok test -b /dev/ram0
expect_ok rmmod brd

if [ ! -f "$KITT_KO" ]; then
	log "no kitt.ko in this run (--no-kitt): guest checks only"
	exit 0
fi

expect_ok modinfo kitt
expect_ok kitt_load
expect_ok test -d "$KITT_CFS"
for d in devices targets; do
	expect_ok test -d "$KITT_CFS/$d"
done
ls -la "$KITT_CFS"
expect_ok kitt_unload
expect_fail test -d "$KITT_CFS"

# A second load after a clean unload.
expect_ok kitt_load
expect_ok kitt_unload
