#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# kitt-timeout: 300
# kitt-modules: scsi_debug
# Atomic writes (issue 12): on a kernel whose block layer has them
# (REQ_ATOMIC, 6.11 on) and a device that offers them (scsi_debug with
# atomic_wr=1), kitt offers WRITE ATOMIC(16) with the Block Limits atomic
# fields the device's limits allow; libiscsi's WriteAtomic16 suite runs
# every test and passes; through the Linux initiator an atomic write
# reads back byte for byte and a misaligned one is refused. A LUN on a
# device without atomic writes does not offer the command. On 6.1 (no
# REQ_ATOMIC, no atomic_wr in scsi_debug) the opcode is unsupported and
# the Block Limits atomic fields are zero.
. /kitt/lib.sh

if ! modinfo -F parm scsi_debug 2>/dev/null | grep -q '^atomic_wr:'; then
	log "$(uname -r): no atomic writes; WRITE ATOMIC(16) must be unsupported"
	kitt_test_setup --initiator
	must modprobe sg
	must scsi_debug_load dev_size_mb=16
	cleanup_add "kitt_teardown; rmmod scsi_debug"
	must kitt_quick_target "$IQN" "$(scsi_debug_disk)"
	must iscsi_login "$IQN" "$P"
	wait_until 20 '[ "$(iscsi_disks "$IQN" | wc -l)" = 1 ]'
	sg=$(iscsi_lun_node 0 scsi_generic)
	head -c 1024 /dev/zero > /tmp/two
	expect_match "$(sg_raw -s 1024 -i /tmp/two "$sg" 9c 00 00 00 00 00 00 00 00 00 00 00 00 02 00 00 2>&1)" \
		"Invalid command operation code" "WRITE ATOMIC(16): INVALID COMMAND OPERATION CODE"
	expect_match "$(sg_vpd -p bl "$sg")" "Maximum atomic transfer length: 0" \
		"Block Limits: no atomic transfer length"
	expect_ok iscsi_logout "$IQN"
	exit 0
fi

INI1=iqn.2007-10.com.github:sahlberg:libiscsi:iscsi-test
INI2=iqn.2007-10.com.github:sahlberg:libiscsi:iscsi-test-2

kitt_test_setup --initiator
must modprobe sg
must scsi_debug_load dev_size_mb=32 atomic_wr=1
cleanup_add "kitt_teardown; rmmod scsi_debug; nullb_remove_all"
sdev=$(scsi_debug_disk)
q=/sys/block/${sdev#/dev/}/queue
echo "scsi_debug $sdev: atomic unit $(cat $q/atomic_write_unit_min_bytes)..$(cat $q/atomic_write_unit_max_bytes) bytes"
expect_match "$(cat $q/atomic_write_unit_max_bytes)" "^[1-9]" "the device offers atomic writes"
must nullb_create plain0 16 0

must kitt_dev_create atom "$sdev"
must kitt_dev_create plain "$(nullb_dev plain0)"
must kitt_target_create "$IQN" 1
must kitt_lun_add "$IQN" 1 0 atom
must kitt_lun_add "$IQN" 1 1 plain
must kitt_acl_add "$IQN" 1 "$INI1"
must kitt_acl_add "$IQN" 1 "$INI2"
must kitt_acl_add "$IQN" 1 "${KITT_INITIATOR:-iqn.2024-01.org.kitt:guest}"
must kitt_tpg_attr "$IQN" 1 authentication 0
must kitt_portal_add "$IQN" 1 "$P:3260"
must kitt_tpg_enable "$IQN" 1

# ---- libiscsi's WriteAtomic16 suite: every test runs and passes ----------------
timeout -k 5 180 iscsi-test-cu -d -i "$INI1" -I "$INI2" -t ALL.WriteAtomic16 \
	"iscsi://$P/$IQN/0" > /tmp/cu.log 2>&1
export_file /tmp/cu.log libiscsi-atomic.log
grep -E '^  Test:|SKIPPED|FAILED' /tmp/cu.log | head -40
expect_eq "$(grep -c '^  Test: ' /tmp/cu.log)" 6 "WriteAtomic16: six tests ran"
expect_eq "$(grep -c 'SKIPPED' /tmp/cu.log)" 0 "WriteAtomic16: nothing skipped"
expect_eq "$(grep -cE '(^|[^[])FAILED' /tmp/cu.log)" 0 "WriteAtomic16: nothing failed"
expect_match "$(grep -E '^ +tests +[0-9]' /tmp/cu.log)" "tests +6 +6 +6 +0" \
	"WriteAtomic16: 6 run, 6 passed"

# ---- through the Linux initiator -----------------------------------------------
must iscsi_login "$IQN" "$P"
wait_until 20 '[ "$(iscsi_disks "$IQN" | wc -l)" = 2 ]'
sg=$(iscsi_lun_node 0 scsi_generic)
disk=$(iscsi_lun_node 0)
vpd=$(sg_vpd -p bl "$sg")
echo "$vpd" | grep -i atomic
gran=$(echo "$vpd" | sed -n 's/.*Atomic transfer length granularity: \([0-9]*\).*/\1/p')
expect_match "$(echo "$vpd" | sed -n 's/.*Maximum atomic transfer length: \([0-9]*\).*/\1/p')" \
	"^[1-9]" "Block Limits: a maximum atomic transfer length"
[ -n "$gran" ] && [ "$gran" -gt 0 ] || gran=1
n=$((gran * 4))
head -c $((n * 512)) /dev/urandom > /tmp/atom
# WRITE ATOMIC(16): LBA 64, n blocks
cdb="9c 00 00 00 00 00 00 00 00 40 00 00 $(printf '%02x %02x' $((n >> 8)) $((n & 255))) 00 00"
# shellcheck disable=SC2086 # the CDB's bytes are separate arguments
expect_ok sg_raw -s $((n * 512)) -i /tmp/atom "$sg" $cdb
dd if="$disk" of=/tmp/back bs=512 skip=64 count=$n iflag=direct status=none
expect_ok cmp /tmp/atom /tmp/back
if [ "$gran" -gt 1 ]; then
	cdb="9c 00 00 00 00 00 00 00 00 41 00 00 $(printf '%02x %02x' $((n >> 8)) $((n & 255))) 00 00"
	# shellcheck disable=SC2086
	expect_match "$(sg_raw -s $((n * 512)) -i /tmp/atom "$sg" $cdb 2>&1)" \
		"Illegal Request|Invalid field in cdb" "a misaligned atomic write: INVALID FIELD IN CDB"
fi
# The LUN on a device without atomic writes: no such command.
sg1=$(iscsi_lun_node 1 scsi_generic)
expect_match "$(sg_raw -s 512 -i /tmp/atom "$sg1" 9c 00 00 00 00 00 00 00 00 00 00 00 00 01 00 00 2>&1)" \
	"Invalid command operation code" "a device without atomic writes: INVALID COMMAND OPERATION CODE"
expect_ok iscsi_logout "$IQN"
