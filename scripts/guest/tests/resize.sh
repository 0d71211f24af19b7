#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# kitt-timeout: 400
# kitt-kernels: 6.12
# Live resize (issue 11). A LUN on a loop device over a tmpfs file holds
# ext4, with fio writing and verifying on it; the backing grows
# (truncate + losetup -c) under that load. kitt notices on the next
# command (it reads the size again: nothing tells a holder of a resize),
# raises CAPACITY DATA HAS CHANGED, and after the initiator's rescan the
# ext4 grows online with resize2fs: no logout, no I/O error, fio's verify
# clean. A file-backed device grows through kitt's own attribute
# (devices/<name>/size); a shrink asked for there while a LUN maps it is
# refused and changes nothing; `rescan` takes the size at once; a block
# device cannot be resized through kitt (EINVAL). A shrink done outside
# kitt is logged, and a READ past the new end gets LBA OUT OF RANGE.
. /kitt/lib.sh

kitt_test_setup --initiator
must modprobe loop
must modprobe sg
must mkdir -p /grow
must mount -t tmpfs -o size=600m grow /grow
must truncate -s 64M /grow/loop.img /grow/file.img
loopdev=$(losetup -f --show /grow/loop.img) || die "no loop device"
cleanup_add "kitt_teardown; losetup -d $loopdev; umount /grow"

must kitt_dev_create blk "$loopdev"
must kitt_dev_create file /grow/file.img
must kitt_target_create "$IQN" 1
must kitt_lun_add "$IQN" 1 0 blk
must kitt_lun_add "$IQN" 1 1 file
must kitt_tpg_open "$IQN" 1
must kitt_portal_add "$IQN" 1 "$P:3260"
must kitt_tpg_enable "$IQN" 1
must iscsi_login "$IQN" "$P"
wait_until 20 '[ "$(iscsi_disks "$IQN" | wc -l)" = 2 ]'
disk=$(iscsi_lun_node 0)
fdisk=$(iscsi_lun_node 1)
sg=$(iscsi_lun_node 0 scsi_generic)
D=$KITT_CFS/devices
expect_eq "$(blockdev --getsize64 "$disk")" $((64 << 20)) "LUN 0: 64 MiB at login"
expect_eq "$(cat $D/blk/size)" $((64 << 20)) "devices/blk/size: 64 MiB"

# ---- grow under load -------------------------------------------------------------
must /sbin/mkfs.ext4 -q -F "$disk"
must mkdir -p /mnt/r
must mount -t ext4 "$disk" /mnt/r
log "fio with verify on ext4 while the backing grows"
fio --name=grow --filename=/mnt/r/data --size=8M --rw=randwrite --bs=4k --direct=1 \
	--ioengine=psync --verify=crc32c --verify_fatal=1 --do_verify=1 --time_based=0 \
	--loops=3 --output=/tmp/fio.out >/dev/null 2>&1 &
fio_pid=$!
sleep 3
must truncate -s 256M /grow/loop.img
must losetup -c "$loopdev"
# fio's next command shows kitt the new size.
wait_until 20 '[ "$(cat $D/blk/size)" = $((256 << 20)) ]'
expect_eq "$(cat $D/blk/size)" $((256 << 20)) "kitt saw the loop device grow"
expect_match "$(dmesg | grep 'device blk:')" "grew from 131072 to 524288 blocks" \
	"the growth is logged"
# The initiator rescans (the unit attention alone only logs there).
echo 1 > "/sys/block/${disk#/dev/}/device/rescan"
expect_eq "$(blockdev --getsize64 "$disk")" $((256 << 20)) "the initiator sees 256 MiB"
expect_ok resize2fs "$disk"
blocks=$(df -k /mnt/r | awk 'NR == 2 { print $2 }')
echo "ext4 now $blocks KiB"
expect_eq "$([ "$blocks" -gt $((200 << 10)) ] && echo grown)" grown "ext4 grew online"
wait $fio_pid
rc=$?
grep -E "err=|verify|WRITE:" /tmp/fio.out | head -5
expect_eq "$rc" 0 "fio finished, verify clean, no I/O error"
expect_eq "$(grep -c 'err= *0' /tmp/fio.out)" 1 "fio: err=0"
expect_eq "$(dmesg | grep -c 'I/O error')" 0 "the initiator logged no I/O error"
expect_match "$(dmesg | grep -i 'capacity data has changed')" "." \
	"the initiator was told: CAPACITY DATA HAS CHANGED"
must umount /mnt/r
expect_ok e2fsck -f -n "$disk"

# ---- a file-backed device, resized through kitt -------------------------------------
expect_eq "$(cat $D/file/size)" $((64 << 20)) "devices/file/size: 64 MiB"
must put $D/file/size $((96 << 20))
expect_eq "$(stat -c %s /grow/file.img)" $((96 << 20)) "the file grew to 96 MiB"
expect_eq "$(cat $D/file/size)" $((96 << 20)) "devices/file/size: 96 MiB"
echo 1 > "/sys/block/${fdisk#/dev/}/device/rescan"
expect_eq "$(blockdev --getsize64 "$fdisk")" $((96 << 20)) "the initiator sees 96 MiB"
fails_with "Device or resource busy" put $D/file/size $((32 << 20))
expect_match "$(dmesg | grep 'device file:' | tail -1)" "will not shrink from 100663296 to 33554432 bytes" \
	"the refused shrink says why"
expect_eq "$(stat -c %s /grow/file.img)" $((96 << 20)) "the refused shrink changed nothing"
fails_with "Invalid argument" put $D/file/size 1000
fails_with "Invalid argument" put $D/file/size banana
fails_with "Invalid argument" put $D/blk/size $((512 << 20))
expect_match "$(dmesg | grep 'device blk:' | tail -1)" "kitt cannot resize a block device" \
	"a block device: resize it, then rescan"
expect_eq "$(cat $D/blk/size)" $((256 << 20)) "refused values changed nothing"
# Grown outside kitt, then rescan takes it at once.
must truncate -s 128M /grow/file.img
must put $D/file/rescan 1
expect_eq "$(cat $D/file/size)" $((128 << 20)) "rescan: 128 MiB"
fails_with "Invalid argument" put $D/file/rescan 0
# kittctl does the same, and a saved configuration holds no size.
must truncate -s 160M /grow/file.img
expect_eq "$(kittctl device rescan file)" "file: $((160 << 20)) bytes" "kittctl device rescan"
expect_eq "$(kittctl save - | grep -c '/size ')" 0 "kittctl save keeps no size"

# ---- shrunk outside kitt ------------------------------------------------------------
must truncate -s 32M /grow/loop.img
must losetup -c "$loopdev"
# The next command on the LU reports the change.
r=$(sg_turs -vv "$sg" 2>&1)
expect_match "$r" "Capacity data has changed" "TEST UNIT READY: CAPACITY DATA HAS CHANGED"
# A READ(16) of block 100000 (past 32 MiB, inside what the initiator saw).
r=$(sg_raw -r 512 "$sg" 88 00 00 00 00 00 00 01 86 a0 00 00 00 01 00 00 2>&1)
echo "$r"
expect_match "$r" "Logical block address out of range" "past the new end: LBA OUT OF RANGE"
expect_match "$(dmesg | grep 'device blk:' | tail -1)" "shrank from 524288 to 65536 blocks" \
	"the shrink is logged"
expect_eq "$(cat $D/blk/size)" $((32 << 20)) "devices/blk/size: 32 MiB"
r=$(sg_raw -r 512 "$sg" 88 00 00 00 00 00 00 00 00 10 00 00 00 01 00 00 2>&1)
expect_match "$r" "Good" "a READ inside still works"

iscsi_logout_all
pass "live resize"
