#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# kitt-timeout: 240
# kitt-kernels: 6.1
# Devices: enable opens the block device exclusively and reads its
# geometry; a second user of the same block device is refused; a device
# cannot be disabled or removed while a LUN maps it; read_only opens it
# read-only; only enabled devices can be mapped.
. /kitt/lib.sh

must brd_load 32 3
cleanup_add "rmmod brd"
kitt_test_setup

DEV=$KITT_CFS/devices
G1=$KITT_CFS/targets/$KITT_IQN_BASE:dev1/tpgt_1
G2=$KITT_CFS/targets/$KITT_IQN_BASE:dev2/tpgt_1
must mkdir -p "$G1" "$G2"

# ---- open and geometry ----------------------------------------------------
must mkdir "$DEV/d0" "$DEV/d1" "$DEV/d2"
expect_ok put "$DEV/d0/path" /dev/ram0
expect_ok put "$DEV/d0/enable" 1
expect_eq "$(cat $DEV/d0/blocks)" 65536 "32 MiB in 512-byte blocks"
expect_eq "$(cat $DEV/d0/size)" 33554432 "size in bytes"
expect_match "$(dmesg | tail -5)" "device d0: /dev/ram0 opened read-write, 65536 blocks of 512 bytes" \
	"the kernel log says what was opened"

# ---- exclusive open --------------------------------------------------------
expect_ok put "$DEV/d1/path" /dev/ram0
fails_with "Device or resource busy" put "$DEV/d1/enable" 1
expect_eq "$(cat $DEV/d1/enable)" 0 "the second device stays disabled"
expect_match "$(dmesg | tail -3)" "device d1: /dev/ram0 is in use" "and the log says why"
# The block device is held: no one else may open it exclusively either.
if command -v mkfs.ext4 >/dev/null; then
	fails_with "" mkfs.ext4 -q -F /dev/ram0
fi
expect_ok put "$DEV/d1/path" /dev/ram1
expect_ok put "$DEV/d1/enable" 1

fails_with "No such file or directory" sh -c "echo /dev/nosuchdisk > $DEV/d2/path && echo 1 > $DEV/d2/enable"
expect_eq "$(cat $DEV/d2/enable)" 0 "a missing path leaves the device disabled"
fails_with "Block device required" sh -c "echo /dev/null > $DEV/d2/path && echo 1 > $DEV/d2/enable"
# A regular file is served by the file backend, once it holds a block.
: > /tmp/not-a-disk
fails_with "Invalid argument" sh -c "echo /tmp/not-a-disk > $DEV/d2/path && echo 1 > $DEV/d2/enable"
expect_match "$(dmesg | tail -1)" "not-a-disk is smaller than one block" "an empty file is refused"
dd if=/dev/zero of=/tmp/a-disk bs=1k count=1 2>/dev/null
expect_ok put "$DEV/d2/path" /tmp/a-disk
expect_ok put "$DEV/d2/enable" 1
expect_match "$(dmesg | tail -1)" "file /tmp/a-disk opened read-write, 2 blocks of 512 bytes" "a 1 KiB file is 2 blocks"
expect_eq "$(cat $DEV/d2/direct_io)" 0 "buffered by default"
fails_with "Device or resource busy" sh -c "echo 1 > $DEV/d2/direct_io"
expect_ok put "$DEV/d2/enable" 0
expect_ok put "$DEV/d2/path" ""

# A mounted file system is another exclusive user.
if mkfs.ext4 -q -F /dev/ram2 2>/dev/null && mkdir -p /mnt/r2 && mount /dev/ram2 /mnt/r2 2>/dev/null; then
	fails_with "Device or resource busy" sh -c "echo /dev/ram2 > $DEV/d2/path && echo 1 > $DEV/d2/enable"
	umount /mnt/r2
	expect_ok put "$DEV/d2/enable" 1
	expect_ok put "$DEV/d2/enable" 0
else
	log "no ext4 mount in this guest: mounted-device check skipped"
fi

# ---- read-only ----------------------------------------------------------------
expect_ok put "$DEV/d2/path" /dev/ram2
expect_ok put "$DEV/d2/read_only" 1
expect_ok put "$DEV/d2/enable" 1
expect_match "$(dmesg | tail -3)" "device d2: /dev/ram2 opened read-only" "opened read-only"
expect_ok put "$DEV/d2/enable" 0
if [ -x /usr/sbin/blockdev ] || [ -x /sbin/blockdev ]; then
	BLOCKDEV=$(command -v /usr/sbin/blockdev /sbin/blockdev | head -1)
	must $BLOCKDEV --setro /dev/ram2
	expect_ok put "$DEV/d2/read_only" 0
	fails_with "Permission denied" put "$DEV/d2/enable" 1
	expect_match "$(dmesg | tail -3)" "set read_only to 1" "the log says what to do"
	expect_ok put "$DEV/d2/read_only" 1
	expect_ok put "$DEV/d2/enable" 1
	expect_ok put "$DEV/d2/enable" 0
	$BLOCKDEV --setrw /dev/ram2
else
	log "no util-linux blockdev: read-only block device check skipped"
fi

# ---- mapping --------------------------------------------------------------------
fails_with "No such device" ln -s "$DEV/d2" "$G1/luns/0"
expect_eq "$(ls -A $G1/luns)" "" "a disabled device is not mapped"
expect_ok ln -s "$DEV/d0" "$G1/luns/0"
expect_ok ln -s "$DEV/d0" "$G2/luns/3"
expect_eq "$(cat $DEV/d0/export_count)" 2 "mapped in two portal groups"
# One device once per portal group.
fails_with "Device or resource busy" ln -s "$DEV/d0" "$G1/luns/1"
expect_ok ln -s "$DEV/d1" "$G1/luns/1"
fails_with "Device or resource busy" put "$DEV/d0/enable" 0
expect_eq "$(cat $DEV/d0/enable)" 1 "still enabled"
fails_with "Device or resource busy" rmdir "$DEV/d0"
expect_ok rm "$G1/luns/0"
fails_with "Device or resource busy" put "$DEV/d0/enable" 0
expect_ok rm "$G2/luns/3"
expect_eq "$(cat $DEV/d0/export_count)" 0 "unmapped"
expect_ok put "$DEV/d0/enable" 0
# Closed for real: someone else may open it now.
if command -v mkfs.ext4 >/dev/null; then
	expect_ok mkfs.ext4 -q -F /dev/ram0
fi
expect_ok rmdir "$DEV/d0"

expect_ok kitt_teardown
expect_ok kitt_unload
