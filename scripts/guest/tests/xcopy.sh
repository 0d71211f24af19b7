#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# kitt-timeout: 240
# Copy offload (issue 12): sg_xcopy copies between two LUNs of a kitt
# target with EXTENDED COPY; the blocks read back byte for byte and do
# not cross the network (the connection moves a few KiB, not the data).
# The copy manager reaches only the session's own LUNs: a target
# descriptor naming a device exported by another target gets COPY
# ABORTED / COPY TARGET DEVICE NOT REACHABLE (LIO's CVE-2020-28374 was a
# missing check there), and a read-only destination DATA PROTECT.
# RECEIVE COPY RESULTS reports the limits and the status of a held copy.
. /kitt/lib.sh

kitt_test_setup --initiator
must brd_load 16 4
must modprobe sg

for i in 0 1 2 3; do
	must kitt_dev_create "d$i" "/dev/ram$i"
done
echo 0 > "$KITT_CFS/devices/d2/enable"
echo 1 > "$KITT_CFS/devices/d2/read_only"
echo 1 > "$KITT_CFS/devices/d2/enable"
must kitt_target_create "$IQN" 1
must kitt_lun_add "$IQN" 1 0 d0
must kitt_lun_add "$IQN" 1 1 d1
must kitt_lun_add "$IQN" 1 2 d2
must kitt_tpg_open "$IQN" 1
must kitt_portal_add "$IQN" 1 "$P:3260"
must kitt_tpg_enable "$IQN" 1
# d3 is exported, but by another target this initiator is not logged in to.
OTHER=${IQN}-other
must kitt_target_create "$OTHER" 1
must kitt_lun_add "$OTHER" 1 0 d3
must kitt_tpg_open "$OTHER" 1
must kitt_portal_add "$OTHER" 1 "$P:3261"
must kitt_tpg_enable "$OTHER" 1

must iscsi_login "$IQN" "$P"
wait_until 20 '[ "$(iscsi_disks "$IQN" | wc -l)" = 3 ]'
src=$(iscsi_lun_node 0)
dst=$(iscsi_lun_node 1)
src_sg=$(iscsi_lun_node 0 scsi_generic)
dst_sg=$(iscsi_lun_node 1 scsi_generic)
ro_sg=$(iscsi_lun_node 2 scsi_generic)
expect_ne "$src_sg" "" "LUN 0 has a SCSI generic node"
expect_ne "$dst_sg" "" "LUN 1 has a SCSI generic node"

# What the target offers.
expect_match "$(sg_inq "$src_sg")" "3PC=1" "standard INQUIRY: 3PC"
vpd=$(sg_vpd -p 0x8f "$src_sg" 2>&1)
echo "$vpd"
expect_match "$vpd" "Maximum CSCD descriptor count: 8" "VPD 0x8F: 8 target descriptors"
expect_match "$vpd" "Maximum segment descriptor count: 16" "VPD 0x8F: 16 segments"
expect_match "$vpd" "Maximum segment length: 16777216" "VPD 0x8F: 16 MiB a segment"

# conn_bytes: bytes the session's connection moved both ways so far.
conn_bytes()
{
	awk '$1 == "rx_bytes" || $1 == "tx_bytes" { n += $2 } END { print n + 0 }' \
		/sys/kernel/kitt/sessions/*/connections/*/statistics
}

# ---- 4 MiB from LUN 0 (at block 2048) to LUN 1 (at block 4096) -------------
head -c $((4 << 20)) /dev/urandom > /tmp/data
must dd if=/tmp/data of="$src" bs=1M seek=1 oflag=direct status=none
before=$(conn_bytes)
expect_ok sg_xcopy if="$src_sg" of="$dst_sg" bs=512 skip=2048 seek=4096 count=8192
moved=$(($(conn_bytes) - before))
echo "the connection moved $moved bytes for a 4 MiB copy"
expect_eq "$([ "$moved" -lt $((256 << 10)) ] && echo small)" small \
	"the copied blocks did not cross the network"
dd if="$dst" of=/tmp/back bs=1M skip=2 count=4 iflag=direct status=none
expect_ok cmp /tmp/data /tmp/back
# The blocks around the copy are untouched (the RAM disk starts zeroed).
expect_eq "$(dd if="$dst" bs=1M count=2 iflag=direct status=none | tr -d '\0' | wc -c)" 0 \
	"LUN 1 before the copy's range is untouched"

# ---- a copy inside one LUN, overlapping, towards higher blocks ----------------
head -c $((1 << 20)) /dev/urandom > /tmp/small
must dd if=/tmp/small of="$src" bs=1M seek=8 oflag=direct status=none
expect_ok sg_xcopy if="$src_sg" of="$src_sg" bs=512 skip=16384 seek=16896 count=2048
dd if="$src" of=/tmp/back bs=512 skip=16896 count=2048 iflag=direct status=none
expect_ok cmp /tmp/small /tmp/back

# ---- hand-made parameter lists (sg_raw) ---------------------------------------
# xcopy_list, xcopy_raw and naa_of are in lib.sh.
naa0=$(naa_of "$src_sg")
echo "LUN 0 NAA designator: $naa0"
expect_match "$naa0" "^[0-9a-f]{16}$" "LUN 0 reports an 8-byte NAA designator"
# A copy through the list, held: COPY STATUS reports it.
xcopy_list /tmp/l0 "$naa0" 0 100 8
expect_eq "$(stat -c %s /tmp/l0)" 76 "the hand-made list is 76 bytes"
expect_eq "$(xcopy_raw "$src_sg" /tmp/l0)" "Good||" "EXTENDED COPY by NAA designator"
st=$(sg_raw -r 12 "$src_sg" 84 00 05 00 00 00 00 00 00 00 00 00 00 0c 00 00 2>&1)
expect_match "$st" "00 +00 +00 +08 +00 +00 +01 +01 +00 +00 +00 +04" \
	"COPY STATUS of list 5: completed, 1 segment, 4 KiB"
expect_match "$(sg_raw -r 12 "$src_sg" 84 00 06 00 00 00 00 00 00 00 00 00 00 0c 00 00 2>&1)" \
	"Illegal Request" "COPY STATUS of an unknown list identifier: ILLEGAL REQUEST"

# Another target's device: not reachable from this session.
# (reported as configured when an 8-byte NAA form, else as NAA 3)
naa3=$(cat "$KITT_CFS/devices/d3/wwn")
case "$naa3" in
[235]*) ;;
*) naa3=3${naa3:1} ;;
esac
expect_match "$naa3" "^[0-9a-f]{16}$" "the other target's device has an NAA identifier"
xcopy_list /tmp/l3 "$naa3" 0 100 8
expect_match "$(xcopy_raw "$src_sg" /tmp/l3)" "Check Condition|Copy Aborted|.*not reachable" \
	"a device of another target: COPY ABORTED, not reachable"

# A read-only destination: what a WRITE to it gets.
naa2=$(naa_of "$ro_sg")
xcopy_list /tmp/l2 "$naa2" 0 100 8
expect_match "$(xcopy_raw "$src_sg" /tmp/l2)" "Check Condition|Data Protect|Write protected" \
	"a read-only destination: DATA PROTECT, WRITE PROTECTED"
# A segment off the end of the LU.
xcopy_list /tmp/l4 "$naa0" 0 $((32768 - 4)) 8
expect_match "$(xcopy_raw "$src_sg" /tmp/l4)" "Check Condition|Copy Aborted" \
	"a segment past the last block: COPY ABORTED"

expect_ok iscsi_logout "$IQN"
