#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# kitt-timeout: 300
# Thin provisioning end to end (issue 12): the Linux initiator sees a LUN
# whose backing can discard as thin provisioned (VPD 0xB2), makes ext4 on
# it, writes and deletes 48 MiB, and `fstrim` (then `blkdiscard`) frees
# the space on the target: the backing file's allocated blocks shrink.
# Two LUNs: a block device (a loop device over a tmpfs file, which
# punches holes on discard) and a file on tmpfs (kitt's file backend).
# A LUN on a device without discard is fully provisioned and refuses
# UNMAP, while WRITE SAME still works. GET LBA STATUS tells deallocated
# blocks where kitt can know (a file: SEEK_HOLE), "mapped or unknown"
# elsewhere.
. /kitt/lib.sh

kitt_test_setup --initiator
must modprobe loop
must modprobe sg
must mkdir -p /thin
must mount -t tmpfs -o size=400m thin /thin
must truncate -s 128M /thin/loop.img /thin/file.img
loopdev=$(losetup -f --show /thin/loop.img) || die "no loop device"
# kitt lets go of the loop device and the file first.
cleanup_add "kitt_teardown; losetup -d $loopdev; umount /thin; nullb_remove_all"

must kitt_dev_create blk "$loopdev"
must kitt_dev_create file /thin/file.img
# null_blk without discard (brd discards on 6.12)
must nullb_create full0 16 0
must kitt_dev_create full "$(nullb_dev full0)"
must kitt_target_create "$IQN" 1
must kitt_lun_add "$IQN" 1 0 blk
must kitt_lun_add "$IQN" 1 1 file
must kitt_lun_add "$IQN" 1 2 full
must kitt_tpg_open "$IQN" 1
must kitt_portal_add "$IQN" 1 "$P:3260"
must kitt_tpg_enable "$IQN" 1
must iscsi_login "$IQN" "$P"
wait_until 20 '[ "$(iscsi_disks "$IQN" | wc -l)" = 3 ]'

# used_kib FILE: the file's allocated space.
used_kib() { du -k "$1" | cut -f1; }

for lun in 0 1; do
	img=/thin/loop.img
	[ $lun = 1 ] && img=/thin/file.img
	disk=$(iscsi_lun_node $lun)
	sg=$(iscsi_lun_node $lun scsi_generic)
	expect_ne "$disk" "" "LUN $lun is a disk"
	expect_match "$(sg_vpd -p lbpv "$sg")" "Unmap command supported \\(LBPU\\): 1" \
		"LUN $lun: UNMAP supported"
	expect_match "$(sg_vpd -p lbpv "$sg")" "Provisioning type: 2|thin" \
		"LUN $lun: thin provisioned"
	expect_match "$(cat /sys/block/"${disk#/dev/}"/queue/discard_max_bytes)" "^[1-9]" \
		"LUN $lun: the initiator can discard"

	must /sbin/mkfs.ext4 -q -F -E nodiscard "$disk"
	mkdir -p /mnt/l$lun
	must mount -t ext4 "$disk" /mnt/l$lun
	dd if=/dev/urandom of=/mnt/l$lun/data bs=1M count=48 conv=fsync status=none
	sync
	full=$(used_kib $img)
	echo "LUN $lun: backing file uses $full KiB with 48 MiB written"
	expect_eq "$([ "$full" -gt $((48 * 1024)) ] && echo yes)" yes \
		"LUN $lun: the data reached the backing file"
	rm /mnt/l$lun/data
	sync
	expect_ok fstrim -v /mnt/l$lun
	trimmed=$(used_kib $img)
	echo "LUN $lun: backing file uses $trimmed KiB after fstrim"
	expect_eq "$([ "$trimmed" -lt $((full - 40 * 1024)) ] && echo yes)" yes \
		"LUN $lun: fstrim freed the space on the target"
	must umount /mnt/l$lun
	expect_ok blkdiscard -f "$disk"
	expect_eq "$([ "$(used_kib $img)" -lt 1024 ] && echo yes)" yes \
		"LUN $lun: blkdiscard freed (nearly) everything"
	# What was discarded reads back as zeros through kitt.
	expect_eq "$(dd if="$disk" bs=1M count=4 iflag=direct status=none | tr -d '\0' | wc -c)" 0 \
		"LUN $lun: discarded blocks read zeros"
	# GET LBA STATUS: only the file backend can tell holes (SEEK_HOLE);
	# the block device answers "mapped or unknown" (status 0) throughout.
	must dd if=/dev/urandom of="$disk" bs=1M seek=1 count=1 oflag=direct status=none
	gls=$(sg_get_lba_status --maxlen=1024 --brief "$sg" | awk '/^0x/ { print $1, $2, $3 }' |
		while read -r a b c; do printf '%d %d %d ' "$a" "$b" "$c"; done)
	echo "LUN $lun: GET LBA STATUS: $(echo $gls)"
	if [ $lun = 1 ]; then
		expect_eq "$(echo $gls)" "0 2048 1 2048 2048 0 4096 258048 1" \
			"LUN $lun: deallocated, 1 MiB mapped, deallocated to the end"
	else
		expect_eq "$(echo $gls)" "0 262144 0" "LUN $lun: all mapped or unknown"
	fi
done

# A device without discard: fully provisioned, no UNMAP; WRITE SAME works.
sg=$(iscsi_lun_node 2 scsi_generic)
disk=$(iscsi_lun_node 2)
expect_match "$(sg_vpd -p lbpv "$sg" 2>&1)" "Unmap command supported \\(LBPU\\): 0" \
	"the LUN without discard: no UNMAP"
expect_fail sg_unmap --force --lba=0 --num=8 "$sg"
head -c 512 /dev/zero | tr '\0' '\132' > /tmp/blk
expect_ok sg_write_same --lba=8 --num=8 --xferlen=512 --in=/tmp/blk "$sg"
expect_eq "$(dd if="$disk" bs=512 skip=8 count=8 iflag=direct status=none | tr -d 'Z' | wc -c)" 0 \
	"WRITE SAME on the LUN without discard wrote its block"

expect_ok iscsi_logout "$IQN"
