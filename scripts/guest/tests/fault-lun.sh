#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# kitt-timeout: 480
# kitt-kernels: 6.1
# Configuration pulled from under running I/O (issue 9):
#  - disabling or removing a device that a LUN maps is refused (EBUSY)
#    while fio verifies on it, and the I/O goes on unharmed;
#  - a LUN unmapped under fio: the unlink returns in bounded time, commands
#    for it fail (LOGICAL UNIT NOT SUPPORTED, 05/25/00, exactly) instead of
#    hanging, fio ends, another LUN of the same session keeps verifying;
#    mapped again, the LUN serves the data it had;
#  - rmmod with sessions and I/O in flight is refused (module in use) and
#    the I/O verifies; a whole tear-down and rmmod under I/O finish in
#    bounded time; kitt loaded and configured again, the initiator's
#    session comes back with its data intact.
. /kitt/lib.sh

TPG=$KITT_CFS/targets/$IQN/tpgt_1

must brd_load 64 2
must modprobe sg
kitt_test_setup --initiator

# setup: devices d0 (ram0) and d1 (ram1) as LUNs 0 and 1, open access.
setup() {
	kitt_target_create "$IQN" 1 &&
	kitt_dev_create d0 /dev/ram0 &&
	kitt_dev_create d1 /dev/ram1 &&
	kitt_lun_add "$IQN" 1 0 d0 &&
	kitt_lun_add "$IQN" 1 1 d1 &&
	kitt_tpg_open "$IQN" 1 &&
	kitt_portal_add "$IQN" 1 "$P:3260" &&
	kitt_tpg_enable "$IQN" 1
}
must setup
iscsiadm -m node -T "$IQN" -p $P -o new >/dev/null
# A lost session fails its commands after 15 s, and is retried meanwhile.
iscsiadm -m node -T "$IQN" -p $P -o update -n node.session.timeo.replacement_timeout -v 15
must iscsi_login "$IQN" $P
wait_until 20 '[ "$(iscsi_disks "$IQN" | wc -l)" = 2 ]'

sd0=$(iscsi_lun_node 0 block)
sg0=$(iscsi_lun_node 0 scsi_generic)
sd1=$(iscsi_lun_node 1 block)
[ -n "$sd0" ] && [ -n "$sg0" ] && [ -n "$sd1" ] || die "LUN nodes: $sd0 $sg0 $sd1"

# read10 SG LBA: READ(10) of one block through sg_raw; prints "Good" or
# "STATUS|RESPONSE-CODE KEY ASC ASCQ" from the raw sense bytes, "hang" if
# it takes more than 30 s.
read10() {
	local out rc lba

	lba=$(printf '%08x' "$2")
	out=$(timeout 30 sg_raw -v -r 512 -o /dev/null "$1" 28 00 ${lba:0:2} ${lba:2:2} \
		${lba:4:2} ${lba:6:2} 00 00 01 00 2>&1)
	rc=$?
	[ $rc -eq 124 ] && { echo hang; return; }
	set -- $(echo "$out" | awk '
		/SCSI Status:/ { sub(/.*SCSI Status: */, ""); sub(/ *$/, ""); gsub(/ /, "_"); st = $0 }
		/Raw sense data/ { raw = 1; next }
		raw && /^ *([0-9a-f][0-9a-f] *)+$/ { for (i = 1; i <= NF; i++) b[n++] = $i; next }
		raw { raw = 0 }
		END { print (st == "" ? "Good" : st), b[0], b[2], b[12], b[13] }')
	if [ "$1" = Good ]; then
		echo Good
	else
		printf '%s|%s %02x %s %s\n' "${1//_/ }" "$2" $((0x${3:-0} & 0x0f)) "$4" "$5"
	fi
}

# fio_verify NAME DISK SECONDS: random writes verified as they go, in the
# background (16-32 MiB of DISK), for SECONDS.
fio_verify() {
	fio --name="$1" --filename="$2" --offset=16M --size=16M --rw=randwrite --bs=4k-128k \
		--ioengine=libaio --iodepth=16 --direct=1 --verify=crc32c --verify_fatal=1 \
		--verify_backlog=64 --time_based --runtime="$3" --randrepeat=0 \
		--output="/tmp/$1.out" >/dev/null 2>&1
}

# fio_errors NAME DISK SECONDS: random reads and writes that go on after
# I/O errors, in the background, for SECONDS.
fio_errors() {
	fio --name="$1" --filename="$2" --offset=16M --size=16M --rw=randrw --bs=4k-128k \
		--ioengine=libaio --iodepth=16 --direct=1 --time_based --runtime="$3" \
		--continue_on_error=all --ignore_error=5,61:5,61 \
		--output="/tmp/$1.out" >/dev/null 2>&1
}

# wait_bounded PID SECONDS: wait for PID at most SECONDS; its exit status,
# or 124 if it is still running.
wait_bounded() {
	local deadline=$(($(date +%s) + $2))

	while kill -0 "$1" 2>/dev/null; do
		[ "$(date +%s)" -ge $deadline ] && return 124
		sleep 0.2
	done
	wait "$1"
}

# The data of LUN 0 that must survive everything below.
dd if=/dev/urandom of=/tmp/pat bs=1M count=8 status=none
must dd if=/tmp/pat of="$sd0" bs=1M oflag=direct status=none
lun0_intact() {
	dd if="$sd0" of=/tmp/back bs=1M count=8 iflag=direct status=none 2>/dev/null &&
	cmp -s /tmp/pat /tmp/back
}

# --- a mapped device cannot be disabled or removed under I/O ---------------------
log "=== disable and remove a mapped device under fio"
fio_verify busy0 "$sd0" 8 &
fio_pid=$!
sleep 2
out=$(echo 0 2>&1 > "$KITT_CFS/devices/d0/enable")
expect_match "$out" "busy" "disabling a mapped device is refused (EBUSY)"
expect_eq "$(cat "$KITT_CFS/devices/d0/enable")" 1 "the device stays enabled"
expect_fail rmdir "$KITT_CFS/devices/d0"
wait_bounded $fio_pid 60
expect_eq "$?" 0 "fio verifies across the refused changes"
expect_match "$(dmesg | grep 'kitt:.*d0: cannot disable')" "mapped by 1 LUN" "one log line says why"

# --- a LUN unmapped under I/O ----------------------------------------------------------
log "=== unmap LUN 0 under fio (LUN 1 keeps verifying)"
fio_errors gone0 "$sd0" 20 &
fio0=$!
fio_verify keep1 "$sd1" 20 &
fio1=$!
sleep 3
t0=$(date +%s)
rm "$TPG/luns/0" &
rm_pid=$!
wait_bounded $rm_pid 60
rc=$?
expect_eq "$rc" 0 "rm luns/0 under I/O returns ($(($(date +%s) - t0)) s)"
expect_eq "$(cat "$KITT_CFS/devices/d0/export_count")" 0 "the device is no longer exported"
expect_eq "$(read10 "$sg0" 0)" "Check Condition|70 05 25 00" \
	"READ(10) of the unmapped LUN: ILLEGAL REQUEST, LOGICAL UNIT NOT SUPPORTED"
t0=$(date +%s)
wait_bounded $fio0 90
rc=$?
expect_ne "$rc" 124 "fio on the unmapped LUN ends ($(($(date +%s) - t0)) s)"
grep -E "errors|IOPS" /tmp/gone0.out
expect_match "$(sed -n 's/.*errors *: total=\([0-9]*\).*/\1/p' /tmp/gone0.out)" '^[1-9]' \
	"its I/O failed with errors"
wait_bounded $fio1 90
expect_eq "$?" 0 "fio verifies on LUN 1 all along"
grep -E "err=|IOPS" /tmp/keep1.out

# Unmapped, the device can be disabled; then it is mapped again.
expect_ok sh -c "echo 0 > $KITT_CFS/devices/d0/enable"
expect_ok sh -c "echo 1 > $KITT_CFS/devices/d0/enable"
expect_ok kitt_lun_add "$IQN" 1 0 d0
wait_for 30 lun0_intact
expect_ok lun0_intact

# --- rmmod with sessions and I/O in flight -----------------------------------------------
log "=== rmmod under I/O is refused"
fio_verify rmmod0 "$sd0" 8 &
fio_pid=$!
sleep 2
out=$(rmmod kitt 2>&1)
rc=$?
expect_ne "$rc" 0 "rmmod kitt with a session and I/O fails"
expect_match "$out" "in use" "rmmod says the module is in use"
expect_ok grep -q '^kitt ' /proc/modules
wait_bounded $fio_pid 60
expect_eq "$?" 0 "fio verifies across the refused rmmod"
expect_eq "$(ls /sys/kernel/kitt/sessions | wc -l)" 1 "the session is still there"

log "=== tear-down and rmmod under I/O"
fio_errors drain0 "$sd0" 30 &
fio0=$!
sleep 3
t0=$(date +%s)
kitt_teardown &
td_pid=$!
wait_bounded $td_pid 90
expect_eq "$?" 0 "tear-down under I/O ($(($(date +%s) - t0)) s)"
expect_eq "$(cat /sys/kernel/kitt/live)" "$KITT_LIVE0" "the tear-down ended every session"
# Connection threads may still be on their way out: rmmod either
# succeeds or says the module is in use, until it succeeds.
t0=$(date +%s)
out=$(rmmod kitt 2>&1) || { log "first rmmod: $out"; wait_for 20 rmmod kitt; }
log "kitt unloaded $(($(date +%s) - t0)) s after the tear-down"
expect_fail grep -q '^kitt ' /proc/modules
t0=$(date +%s)
wait_bounded $fio0 120
expect_ne "$?" 124 "fio ends once kitt is gone ($(($(date +%s) - t0)) s)"
grep -E "errors|IOPS" /tmp/drain0.out

log "=== kitt again: the initiator's session comes back"
must kitt_load
must setup
# The initiator retries its login with growing pauses: up to a minute here.
wait_until 120 '[ "$(ls /sys/kernel/kitt/sessions 2>/dev/null | wc -l)" = 1 ]'
expect_eq "$(ls /sys/kernel/kitt/sessions | wc -l)" 1 "the initiator logged in again"
sd0=$(iscsi_lun_node 0 block)
wait_for 30 lun0_intact
expect_ok lun0_intact

expect_ok iscsi_logout "$IQN"
wait_until 10 '[ "$(cat /sys/kernel/kitt/live)" = "$KITT_LIVE0" ]'
expect_eq "$(cat /sys/kernel/kitt/live)" "$KITT_LIVE0" "no connection or session left behind"
slab=$(slab_objs kitt_task)
expect_eq "${slab:-0}" 0 "no task left behind"
