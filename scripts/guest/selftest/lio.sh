#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# kitt-timeout: 300
# Harness self-test, not part of `make check`: LIO serves a RAM disk, the
# Linux initiator logs in, fio verifies data, ext4 mounts, ss -K kills the
# connection, everything is torn down. Proves the guest's tools work:
#	scripts/qemu-run.sh --no-kitt scripts/guest/selftest/lio.sh
. /kitt/lib.sh

IQN=$KITT_IQN_BASE:lio
must brd_load 64
must lio_quick_target "$IQN" /dev/ram0
cleanup_add lio_teardown
must initiator_setup
ss -ltn
expect_match "$(iscsi_discover 127.0.0.1)" "$IQN" "discovery lists the target"
expect_ok iscsi_login "$IQN" 127.0.0.1
disk=$(iscsi_wait_disk "$IQN") || die "no disk after login"
log "disk $disk"
lsblk
expect_ok fio --name=v --filename="$disk" --ioengine=libaio --direct=1 --rw=randwrite \
	--bs=4k --iodepth=8 --size=16M --verify=crc32c --output-format=terse
expect_ok mkfs.ext4 -q "$disk"
expect_ok mount "$disk" /mnt
dd if=/dev/urandom of=/mnt/f bs=1M count=4 2>/dev/null
s1=$(sha256sum < /mnt/f)
expect_ok umount /mnt
expect_ok e2fsck -fn "$disk"
expect_ok mount "$disk" /mnt
expect_eq "$(sha256sum < /mnt/f)" "$s1" "file survives remount"
umount /mnt
modprobe tcp_diag
expect_ok ss -K src 127.0.0.1 sport = :3260
expect_ok wait_for 30 test -b "$disk"
expect_ok iscsi-inq iscsi://127.0.0.1/$IQN/0
expect_ok iscsi_logout "$IQN"
