#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# kitt-timeout: 900
# kitt as a disk for the Linux initiator (issue 4): the right size, ext4
# made, mounted, written and checked by fio --verify; e2fsck clean; data
# identical after logout and a new login. Three rounds: default settings,
# header and data digests, and R2T-heavy settings (InitialR2T=Yes,
# ImmediateData=No, a small MaxBurstLength). With DISK_ON_FILE=1
# (disk-file.sh) the LUN is a regular file on an ext4 file system on a RAM
# disk instead of the RAM disk itself, read through the page cache in the
# first two rounds and with O_DIRECT (direct_io) in the third.
. /kitt/lib.sh

SIZE_MB=256

kitt_test_setup
must modprobe ext4
must initiator_setup
cleanup_add "umount /mnt 2>/dev/null"
if [ -n "${DISK_ON_FILE:-}" ]; then
	must brd_load $((SIZE_MB + 64))
	must /sbin/mkfs.ext4 -q -F /dev/ram0
	mkdir -p /backing
	must mount -t ext4 /dev/ram0 /backing
	# kitt holds the file open until its device is gone.
	cleanup_add "kitt_teardown; umount /backing"
	must dd if=/dev/zero of=/backing/lun.img bs=1M count=0 seek=$SIZE_MB
	must kitt_quick_target "$IQN" /backing/lun.img "$P:3260"
	expect_match "$(dmesg | grep 'kitt: device' | tail -1)" "file /backing/lun.img opened read-write, $((SIZE_MB * 2048)) blocks of 512 bytes" "the file backend opened it"
else
	must brd_load $SIZE_MB
	must kitt_quick_target "$IQN" /dev/ram0 "$P:3260"
fi
mkdir -p /mnt
iscsiadm -m discovery -t st -p $P >/dev/null || die "discovery"

node_set() { iscsiadm -m node -T "$IQN" -p $P -o update -n "$1" -v "$2"; }

login_disk() {
	iscsi_login "$IQN" $P >/dev/null || return 1
	iscsi_wait_disk "$IQN" 30
}

round() {
	local name=$1 disk sum1 sum2

	log "=== round: $name"
	disk=$(login_disk) || { fail "$name: login"; return; }
	expect_eq "$(blockdev --getsize64 "$disk")" $((SIZE_MB * 1024 * 1024)) "$name: disk size"
	echo none > "/sys/block/${disk#/dev/}/queue/scheduler" 2>/dev/null

	expect_ok /sbin/mkfs.ext4 -q -F "$disk"
	expect_ok mount -t ext4 "$disk" /mnt || return
	dd if=/dev/urandom of=/mnt/random.bin bs=1M count=8 2>/dev/null
	cp /kitt/lib.sh /mnt/lib.sh
	expect_ok fio --name=verify --directory=/mnt --size=48M --rw=randwrite \
		--bsrange=4k-1M --ioengine=libaio --iodepth=16 --direct=1 \
		--verify=crc32c --verify_fatal=1 --do_verify=1 --randrepeat=0 \
		--output=/tmp/fio.out
	grep -E "err=|WRITE:|READ:" /tmp/fio.out
	# Reads of what was just written, while writes go on: data pages
	# come back from the connection's pool while others are in flight.
	expect_ok fio --name=backlog --directory=/mnt --size=24M --rw=randwrite \
		--bsrange=4k-256k --ioengine=libaio --iodepth=32 --direct=1 \
		--verify=crc32c --verify_backlog=16 --verify_fatal=1 --randrepeat=0 \
		--output=/tmp/fio2.out
	grep -E "err=|WRITE:|READ:" /tmp/fio2.out
	sum1=$(cd /mnt && sha256sum random.bin lib.sh verify.0.0 | sha256sum)
	sync
	expect_ok umount /mnt
	expect_ok /sbin/e2fsck -f -n "$disk"
	expect_ok iscsi_logout "$IQN"

	disk=$(login_disk) || { fail "$name: second login"; return; }
	expect_ok mount -t ext4 -o ro "$disk" /mnt || return
	sum2=$(cd /mnt && sha256sum random.bin lib.sh verify.0.0 | sha256sum)
	expect_eq "$sum2" "$sum1" "$name: data identical after a new login"
	expect_ok umount /mnt
	expect_ok iscsi_logout "$IQN"
}

round defaults

node_set node.conn[0].iscsi.HeaderDigest CRC32C
node_set node.conn[0].iscsi.DataDigest CRC32C
round digests
node_set node.conn[0].iscsi.HeaderDigest None
node_set node.conn[0].iscsi.DataDigest None

if [ -n "${DISK_ON_FILE:-}" ]; then
	# The same file, now with O_DIRECT; direct_io is fixed while enabled.
	D=$KITT_CFS/devices/d0
	rm "$KITT_CFS/targets/$IQN/tpgt_1/luns/0"
	expect_fail sh -c "echo 1 > $D/direct_io"
	echo 0 > "$D/enable"
	echo 1 > "$D/direct_io"
	echo 1 > "$D/enable"
	must kitt_lun_add "$IQN" 1 0 d0
	expect_match "$(dmesg | grep 'kitt: device' | tail -1)" "direct I/O" "direct I/O"
fi
kitt_tpg_param "$IQN" 1 InitialR2T Yes
kitt_tpg_param "$IQN" 1 ImmediateData No
kitt_tpg_param "$IQN" 1 MaxBurstLength 16384
kitt_tpg_param "$IQN" 1 FirstBurstLength 8192
kitt_tpg_param "$IQN" 1 MaxOutstandingR2T 4
round r2t

expect_eq "$(ls /sys/kernel/kitt/sessions)" "" "no session left"
dmesg | grep -E "kitt: (rejected|bad|conn)" | head -20
