#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# kitt-timeout: 420
# kitt-kernels: 6.1
# Failing storage under a LUN (issue 9): device-mapper "error" and
# "flakey" targets on brd. A read that hits an error answers CHECK
# CONDITION, fixed sense, MEDIUM ERROR / UNRECOVERED READ ERROR
# (03/11/00), a write MEDIUM ERROR / WRITE ERROR (03/0c/00), checked byte
# by byte with sg_raw; commands next to the errors still work and their
# data is intact; fio across failing ranges ends in bounded time; nothing
# hangs and nothing leaks.
. /kitt/lib.sh

export DM_DISABLE_UDEV=1
SECTORS=131072		# 64 MiB

must brd_load 64 2
must modprobe dm_mod
must modprobe dm_flakey
must modprobe sg
dm() { dmsetup --noudevsync "$@"; }
cleanup_add "dmsetup --noudevsync remove_all"
cleanup_add "[ -f /tmp/sg_raw.log ] && export_file /tmp/sg_raw.log"

# kerr: 8 MiB of errors (sectors 16384-32767) between two linear ranges.
must dm create kerr --table "0 16384 linear /dev/ram0 0
16384 16384 error
32768 $((SECTORS - 32768)) linear /dev/ram0 32768"
# kflaky: flakey over ram1, always up for now.
FLAKY_UP="0 $SECTORS flakey /dev/ram1 0 3600 0"
must dm create kflaky --table "$FLAKY_UP"
kerr=/dev/$(dm info -c --noheadings -o blkdevname kerr)
kflaky=/dev/$(dm info -c --noheadings -o blkdevname kflaky)
[ -b "$kerr" ] && [ -b "$kflaky" ] || die "no dm devices ($kerr, $kflaky)"

kitt_test_setup --initiator

must kitt_target_create "$IQN" 1
must kitt_dev_create err "$kerr"
must kitt_dev_create flaky "$kflaky"
must kitt_lun_add "$IQN" 1 0 err
must kitt_lun_add "$IQN" 1 1 flaky
must kitt_tpg_open "$IQN" 1
must kitt_portal_add "$IQN" 1 "$P:3260"
must kitt_tpg_enable "$IQN" 1
iscsiadm -m node -T "$IQN" -p $P -o new >/dev/null
iscsiadm -m node -T "$IQN" -p $P -o update -n node.conn[0].timeo.noop_out_interval -v 0
must iscsi_login "$IQN" $P
wait_until 20 '[ "$(iscsi_disks "$IQN" | wc -l)" = 2 ]'
expect_eq "$(iscsi_disks "$IQN" | wc -l)" 2 "both LUNs appear"

err_sd=$(iscsi_lun_node 0 block)
err_sg=$(iscsi_lun_node 0 scsi_generic)
fl_sd=$(iscsi_lun_node 1 block)
fl_sg=$(iscsi_lun_node 1 scsi_generic)
[ -n "$err_sd" ] && [ -n "$err_sg" ] && [ -n "$fl_sd" ] && [ -n "$fl_sg" ] ||
	die "LUN nodes: $err_sd $err_sg $fl_sd $fl_sg"
expect_eq "$(blockdev --getsz "$err_sd")" $SECTORS "the error device's size"

# sense SG [-w] LBA BLOCKS: READ(10) (or with -w WRITE(10) of zeroes) through
# sg_raw; prints "Good" or "STATUS|RESPONSE-CODE KEY ASC ASCQ" from the raw
# sense bytes. A command that does not finish within 30 s prints "hang".
sense() {
	local sg=$1 op=28 opts out rc lba blocks

	shift
	if [ "$1" = -w ]; then
		op=2a
		shift
	fi
	lba=$(printf '%08x' "$1")
	blocks=$(printf '%04x' "$2")
	if [ $op = 2a ]; then
		opts=(-s $(($2 * 512)) -i /dev/zero)
	else
		opts=(-r $(($2 * 512)) -o /dev/null)
	fi
	out=$(timeout 30 sg_raw -v "${opts[@]}" "$sg" $op 00 ${lba:0:2} ${lba:2:2} ${lba:4:2} \
		${lba:6:2} 00 ${blocks:0:2} ${blocks:2:2} 00 2>&1)
	rc=$?
	echo "$out" >> /tmp/sg_raw.log
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
READ_ERR="Check Condition|70 03 11 00"
WRITE_ERR="Check Condition|70 03 0c 00"

# --- dm error ----------------------------------------------------------------------
log "=== dm error: sectors 16384-32767 fail"
dd if=/dev/urandom of=/tmp/pat bs=1M count=8 status=none
expect_ok dd if=/tmp/pat of="$err_sd" bs=1M count=8 oflag=direct status=none
expect_ok dd if=/tmp/pat of="$err_sd" bs=1M count=8 seek=16 oflag=direct status=none
expect_eq "$(sense "$err_sg" 0 8)" Good "READ(10) before the error range"
expect_eq "$(sense "$err_sg" 16384 8)" "$READ_ERR" "READ(10) in the error range: MEDIUM ERROR, UNRECOVERED READ ERROR"
expect_eq "$(sense "$err_sg" 32767 1)" "$READ_ERR" "READ(10) of the last failing block"
expect_eq "$(sense "$err_sg" 16380 8)" "$READ_ERR" "READ(10) across the start of the error range"
expect_eq "$(sense "$err_sg" 32768 8)" Good "READ(10) right after the error range"
expect_eq "$(sense "$err_sg" -w 16384 8)" "$WRITE_ERR" "WRITE(10) in the error range: MEDIUM ERROR, WRITE ERROR"
expect_eq "$(sense "$err_sg" -w 32760 16)" "$WRITE_ERR" "WRITE(10) across the end of the error range"
expect_eq "$(sense "$err_sg" -w 65536 8)" Good "WRITE(10) in a good range"
# Through the block layer: errors, in bounded time, not hangs.
expect_fail timeout 30 dd if="$err_sd" of=/dev/null bs=4k skip=2048 count=1 iflag=direct status=none
expect_fail timeout 30 dd if=/dev/zero of="$err_sd" bs=4k seek=3000 count=1 oflag=direct status=none
# fio goes on after the errors the Linux initiator makes of MEDIUM ERROR
# (EIO, or ENODATA for reads; by number, fio 3.33 knows no ENODATA) and
# counts them.
FIO_IGNORE=--ignore_error=5,61:5,61
fio_errors() { sed -n 's/.*errors *: total=\([0-9]*\).*/\1/p' "$1" | head -1; }
log "fio across the failing range for 10 s"
t0=$(date +%s)
timeout 120 fio --name=errs --filename="$err_sd" --size=24M --rw=randrw --bs=4k-64k \
	--ioengine=libaio --iodepth=16 --direct=1 --time_based --runtime=10 \
	--continue_on_error=all $FIO_IGNORE --output=/tmp/fio-err.out >/dev/null 2>&1
rc=$?
expect_ne "$rc" 124 "fio over failing blocks finishes ($(($(date +%s) - t0)) s)"
grep -E "errors|IOPS" /tmp/fio-err.out
nerr=$(fio_errors /tmp/fio-err.out)
expect_ne "${nerr:-0}" 0 "fio saw errors and went on (${nerr:-0})"
# The good ranges still hold what was written, byte for byte.
dd if="$err_sd" of=/tmp/back bs=1M count=8 iflag=direct status=none
expect_ok cmp /tmp/pat /tmp/back
s=$(ls -d /sys/kernel/kitt/sessions/*/ | head -1)
expect_match "$(awk '$1 ~ /^errors_/ { n += $2 } END { print n + 0 }' "$s/statistics")" '^[1-9]' \
	"the session counts the failed commands"

# --- dm flakey -----------------------------------------------------------------------
# flaky_table TABLE: swap kflaky's table (suspend, load, resume).
flaky_table() { dm suspend kflaky && dm load kflaky --table "$1" && dm resume kflaky; }

log "=== dm flakey"
expect_ok dd if=/tmp/pat of="$fl_sd" bs=1M count=8 oflag=direct status=none
expect_eq "$(sense "$fl_sg" 0 8)" Good "flakey up: READ(10)"

must flaky_table "0 $SECTORS flakey /dev/ram1 0 0 1 1 error_writes"
expect_eq "$(sense "$fl_sg" 0 8)" Good "flakey error_writes: READ(10) works"
expect_eq "$(sense "$fl_sg" -w 0 8)" "$WRITE_ERR" "flakey error_writes: WRITE(10) is a WRITE ERROR"
expect_eq "$(sense "$fl_sg" -w 100000 256)" "$WRITE_ERR" "flakey error_writes: a 128 KiB WRITE(10)"

must flaky_table "0 $SECTORS flakey /dev/ram1 0 0 1"
expect_eq "$(sense "$fl_sg" 0 8)" "$READ_ERR" "flakey down: READ(10) is an UNRECOVERED READ ERROR"
expect_eq "$(sense "$fl_sg" -w 0 8)" "$WRITE_ERR" "flakey down: WRITE(10) is a WRITE ERROR"
expect_eq "$(sense "$fl_sg" 0 256)" "$READ_ERR" "flakey down: a 128 KiB READ(10)"

# Up one second, down one second, under fio and a loop of READ(10)s.
must flaky_table "0 $SECTORS flakey /dev/ram1 0 1 1"
log "fio and READ(10)s on a device up 1 s, down 1 s, for 10 s"
t0=$(date +%s)
timeout 120 fio --name=flaky --filename="$fl_sd" --offset=16M --size=32M --rw=randrw \
	--bs=4k-64k --ioengine=libaio --iodepth=8 --direct=1 --time_based --runtime=10 \
	--continue_on_error=all $FIO_IGNORE --output=/tmp/fio-flaky.out >/dev/null 2>&1 &
fio_pid=$!
good=0 bad=0 other=0
while [ $(($(date +%s) - t0)) -lt 10 ]; do
	r=$(sense "$fl_sg" 0 8)
	case "$r" in
	Good)		good=$((good + 1)) ;;
	"$READ_ERR")	bad=$((bad + 1)) ;;
	*)		other=$((other + 1)); echo "unexpected: $r" ;;
	esac
	sleep 0.1
done
wait $fio_pid
rc=$?
expect_ne "$rc" 124 "fio on the flakey device finishes ($(($(date +%s) - t0)) s)"
grep -E "errors|IOPS" /tmp/fio-flaky.out
nerr=$(fio_errors /tmp/fio-flaky.out)
expect_ne "${nerr:-0}" 0 "fio saw errors and went on (${nerr:-0})"
log "READ(10): $good good, $bad MEDIUM ERROR, $other other"
expect_eq "$other" 0 "every READ(10) is GOOD or exactly MEDIUM ERROR 03/11/00"
expect_ne "$good" 0 "some READ(10)s succeed while up"
expect_ne "$bad" 0 "some READ(10)s fail while down"

must flaky_table "$FLAKY_UP"
dd if="$fl_sd" of=/tmp/back bs=1M count=8 iflag=direct status=none
expect_ok cmp /tmp/pat /tmp/back

# --- nothing left behind --------------------------------------------------------------
expect_ok iscsi_logout "$IQN"
wait_until 10 '[ "$(cat /sys/kernel/kitt/live)" = "$KITT_LIVE0" ]'
expect_eq "$(cat /sys/kernel/kitt/live)" "$KITT_LIVE0" \
	"no connection or session left behind"
slab=$(slab_objs kitt_task)
expect_eq "${slab:-0}" 0 "no task left behind"
