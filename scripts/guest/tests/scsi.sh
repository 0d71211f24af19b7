#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# kitt-timeout: 240
# SCSI answers through the Linux initiator (issue 4), checked with sg_raw
# for exact status and sense: a read-only device answers writes with DATA
# PROTECT / WRITE PROTECTED, an LBA past the end LBA OUT OF RANGE, an
# unknown opcode INVALID COMMAND OPERATION CODE, a bad field INVALID FIELD
# IN CDB; REPORT LUNS lists sparse LUNs; an unmapped LUN reports no device;
# VERIFY with BYTCHK compares; SYNCHRONIZE CACHE and FUA writes succeed;
# WRITE SAME with UNMAP=1 writes the block it was sent (only zeros may be
# deallocated), NDOB writes zeros and zero blocks run to the last block,
# on a file-backed LUN that can unmap.
. /kitt/lib.sh

kitt_test_setup --initiator
must brd_load 16 2
must modprobe sg

must kitt_target_create "$IQN" 1
must mkdir "$KITT_CFS/devices/rw"
echo /dev/ram0 > "$KITT_CFS/devices/rw/path"
echo 1 > "$KITT_CFS/devices/rw/enable"
must mkdir "$KITT_CFS/devices/ro"
echo /dev/ram1 > "$KITT_CFS/devices/ro/path"
echo 1 > "$KITT_CFS/devices/ro/read_only"
echo 1 > "$KITT_CFS/devices/ro/enable"
# A file on tmpfs, which can punch holes: a LUN that can unmap.
must mkdir -p /mnt/thin
must mount -t tmpfs -o size=32m thin /mnt/thin
must truncate -s 16M /mnt/thin/img
must mkdir "$KITT_CFS/devices/thin"
echo /mnt/thin/img > "$KITT_CFS/devices/thin/path"
echo 1 > "$KITT_CFS/devices/thin/enable"
# Sparse LUNs: 0, 3 and 7 (LUN 0 must exist for Linux to scan well).
must kitt_lun_add "$IQN" 1 0 rw
must kitt_lun_add "$IQN" 1 3 thin
must kitt_lun_add "$IQN" 1 7 ro
must kitt_tpg_open "$IQN" 1
must kitt_portal_add "$IQN" 1 "$P:3260"
must kitt_tpg_enable "$IQN" 1
must iscsi_login "$IQN" $P
wait_until 20 '[ "$(iscsi_disks "$IQN" | wc -l)" = 3 ]'
expect_eq "$(iscsi_disks "$IQN" | wc -l)" 3 "the three LUNs appear"

rw=$(iscsi_lun_node 0)
ro=$(iscsi_lun_node 7)
# The SCSI generic node of LUN 7: unlike sdX, it passes writes to a
# write-protected disk through, so kitt's own answer is seen.
ro_sg=$(iscsi_lun_node 7 scsi_generic)
expect_ne "$rw" "" "LUN 0 is a disk"
# READ CAPACITY(16) passes the device's physical block size on (LBPPBE).
expect_eq "$(blockdev --getpbsz "$rw")" "$(cat /sys/block/ram0/queue/physical_block_size)" \
	"LUN 0 has the RAM disk's physical block size"
expect_ne "$ro" "" "LUN 7 is a disk"

# sense [-s LEN -i FILE] DISK CDB-BYTES...: "status|key|asc" of the command;
# without -s it reads up to 512 bytes.
sense() {
	local opts=(-r 512) out st key

	if [ "$1" = -s ]; then
		opts=(-s "$2" -i "$4")
		shift 4
	fi
	out=$(sg_raw -v "${opts[@]}" "$@" 2>&1)
	echo "$out" >> /tmp/sg_raw.log
	st=$(echo "$out" | sed -n 's/.*SCSI Status: \([A-Za-z ]*\).*/\1/p' | head -1 | tr -d ' ')
	key=$(echo "$out" | sed -n 's/.*Sense key: \(.*\)/\1/p' | head -1)
	asc=$(echo "$out" | sed -n 's/.*Additional sense: \(.*\)/\1/p' | head -1)
	echo "${st:-Good}|$key|$asc"
}

expect_eq "$(sense "$rw" 28 00 00 00 00 00 00 00 01 00)" "Good||" "READ(10) of block 0"
# 16 MiB = 32768 blocks: LBA 32768 is one past the end.
expect_match "$(sense "$rw" 28 00 00 00 80 00 00 00 01 00)" \
	"Check Condition|Illegal Request|Logical block address out of range" "READ past the end"
expect_match "$(sense "$rw" 28 00 00 00 7f ff 00 00 02 00)" \
	"Check Condition|Illegal Request|Logical block address out of range" "READ across the end"
expect_match "$(sense "$rw" c7 00 00 00 00 00)" \
	"Check Condition|Illegal Request|Invalid command operation code" "unknown opcode"
# INQUIRY with EVPD=0 and a page code
expect_match "$(sense "$rw" 12 00 83 00 ff 00)" \
	"Check Condition|Illegal Request|Invalid field in cdb" "INQUIRY page without EVPD"
expect_match "$(sense -s 512 -i /dev/zero "$ro_sg" 2a 00 00 00 00 00 00 00 01 00)" \
	"Check Condition|Data protect|Write protected" "WRITE to a read-only LUN"
expect_match "$(cat /sys/block/${ro#/dev/}/ro)" 1 "the initiator sees LUN 7 read-only"
expect_eq "$(sense "$rw" 35 00 00 00 00 00 00 00 00 00)" "Good||" "SYNCHRONIZE CACHE(10)"
expect_eq "$(sense -s 512 -i /dev/zero "$rw" 2a 08 00 00 00 10 00 00 01 00)" "Good||" \
	"WRITE(10) with FUA"

# REPORT LUNS lists 0, 3 and 7
luns=$(sg_luns "$rw" 2>/dev/null | grep -Eo '^ +[0-9a-f]{16}' | tr -d ' ' | tr '\n' ' ')
expect_eq "$luns" "0000000000000000 0003000000000000 0007000000000000 " \
	"REPORT LUNS lists LUNs 0, 3 and 7"

# VERIFY(10) BYTCHK=1: compare 8 blocks with what was written.
head -c 4096 /dev/urandom > /tmp/blk
dd if=/tmp/blk of="$rw" bs=4096 seek=10 oflag=direct 2>/dev/null
expect_eq "$(sense -s 4096 -i /tmp/blk "$rw" 2f 02 00 00 00 50 00 00 08 00)" "Good||" \
	"VERIFY(10) BYTCHK=1 matches"
head -c 4096 /dev/urandom > /tmp/other
expect_match "$(sense -s 4096 -i /tmp/other "$rw" 2f 02 00 00 00 50 00 00 08 00)" \
	"Check Condition|Miscompare|Miscompare during verify" "VERIFY(10) BYTCHK=1 miscompares"


# WRITE SAME(16) with UNMAP=1 and a block of 0xa5: the range holds 0xa5
# afterwards (45f77ad zero-filled it whatever the block); with a block of
# zeros it reads back zeros.
thin=$(iscsi_lun_node 3)
thin_sg=$(iscsi_lun_node 3 scsi_generic)
bs=$(blockdev --getss "$thin")
head -c $((bs * 16)) /dev/urandom > /tmp/rnd
must dd if=/tmp/rnd of="$thin" bs="$bs" seek=64 oflag=direct status=none
head -c "$bs" /dev/zero | tr '\0' '\245' > /tmp/pat
for i in $(seq 16); do cat /tmp/pat; done > /tmp/pat16
expect_ok sg_write_same --16 --unmap --lba=64 --num=16 --xferlen="$bs" --in=/tmp/pat "$thin_sg"
dd if="$thin" of=/tmp/back bs="$bs" skip=64 count=16 iflag=direct status=none
expect_ok cmp /tmp/pat16 /tmp/back
head -c "$bs" /dev/zero > /tmp/zero
expect_ok sg_write_same --16 --unmap --lba=64 --num=16 --xferlen="$bs" --in=/tmp/zero "$thin_sg"
dd if="$thin" of=/tmp/back bs="$bs" skip=64 count=16 iflag=direct status=none
head -c $((bs * 16)) /dev/zero > /tmp/zero16
expect_ok cmp /tmp/zero16 /tmp/back

# NDOB (no Data-Out buffer): the range reads back zeros, with UNMAP=1 or
# without. A WRITE SAME of zero blocks (WSNZ is 0) runs from its LBA to
# the last block, and the blocks before it are left alone.
must dd if=/tmp/rnd of="$thin" bs="$bs" seek=64 oflag=direct status=none
expect_ok sg_write_same --16 --ndob --lba=64 --num=8 "$thin_sg"
expect_ok sg_write_same --16 --ndob --unmap --lba=72 --num=8 "$thin_sg"
dd if="$thin" of=/tmp/back bs="$bs" skip=64 count=16 iflag=direct status=none
expect_ok cmp /tmp/zero16 /tmp/back
nblk=$(($(blockdev --getsize64 "$thin") / bs))
must dd if=/tmp/rnd of="$thin" bs="$bs" seek=$((nblk - 16)) oflag=direct status=none
expect_ok sg_write_same --16 --lba=$((nblk - 8)) --num=0 --xferlen="$bs" --in=/tmp/pat "$thin_sg"
dd if="$thin" of=/tmp/back bs="$bs" skip=$((nblk - 16)) count=16 iflag=direct status=none
{ head -c $((bs * 8)) /tmp/rnd; head -c $((bs * 8)) /tmp/pat16; } > /tmp/want
expect_ok cmp /tmp/want /tmp/back
expect_match "$(sg_vpd -p bl "$thin_sg")" "Write same non-zero \\(WSNZ\\): 0" \
	"Block Limits: WSNZ 0"
expect_match "$(sg_vpd -p bl "$thin_sg")" "Maximum write same length: 0xffff blocks" \
	"Block Limits: MAXIMUM WRITE SAME LENGTH 65535 blocks"

expect_ok iscsi_logout "$IQN"
