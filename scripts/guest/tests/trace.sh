#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# kitt-timeout: 240
# kitt's tracepoints, seen the way an administrator sees them: trace-cmd
# shows the connection, the login's steps and outcome, the session, each
# command with its latency, a LUN reset and the end of it all; perf
# records the command completions with their fields. A refused login
# shows its reason.
. /kitt/lib.sh

INI=${KITT_INITIATOR:-iqn.2024-01.org.kitt:guest}
kitt_test_setup --initiator
must brd_load 16 1
must modprobe sg
must kitt_quick_target "$IQN" /dev/ram0
command -v trace-cmd >/dev/null || die "trace-cmd is not in the guest (scripts/deps.sh)"

mountpoint -q /sys/kernel/tracing || must mount -t tracefs nodev /sys/kernel/tracing
expect_ok test -d /sys/kernel/tracing/events/kitt
for e in kitt_conn_accept kitt_conn_close kitt_login_step kitt_login_done \
	 kitt_session_start kitt_session_end kitt_tmf kitt_cmd_done; do
	expect_ok test -d "/sys/kernel/tracing/events/kitt/$e"
done

# ---- trace-cmd: a login, I/O, a LUN reset, a logout -------------------------
must trace-cmd start -e kitt
must iscsi_login "$IQN" $P
disk=$(iscsi_wait_disk "$IQN" 30) || die "no disk"
must dd if=/dev/urandom of=/tmp/data bs=4096 count=8 status=none
must dd if=/tmp/data of="$disk" bs=4096 count=8 oflag=direct status=none
must dd if="$disk" of=/dev/null bs=4096 count=8 iflag=direct status=none
wait_until 10 'iscsi_lun_node 0 scsi_generic >/dev/null'
must sg_reset -d "$(iscsi_lun_node 0 scsi_generic)"
must iscsi_logout "$IQN"
wait_until 10 'kitt_idle'
must trace-cmd stop
trace-cmd show > /tmp/trace.txt
export_file /tmp/trace.txt trace.txt
grep -c kitt_ /tmp/trace.txt
t=$(cat /tmp/trace.txt)

expect_match "$t" "kitt_conn_accept: conn=[0-9]+ peer=127.0.0.1:[0-9]+ local=127.0.0.1:3260" \
	"the connection is accepted"
expect_match "$t" "kitt_login_step: conn=[0-9]+ initiator=$INI target=$IQN csg=[01] nsg=3 transit=1 status=0x0000" \
	"the login step into full feature phase"
expect_match "$t" "kitt_login_done: conn=[0-9]+ initiator=$INI target=$IQN tpgt=1 outcome=accepted" \
	"the login is accepted"
expect_match "$t" "kitt_session_start: session=[0-9]+ tsih=[0-9]+ initiator=$INI target=$IQN tpgt=1 type=Normal" \
	"the session starts"
expect_match "$t" "kitt_cmd_done: session=[0-9]+ itt=0x[0-9a-f]+ lun=0 opcode=0x2a data_len=[0-9]+ status=0x00 sense=0/00/00 latency_ns=[1-9][0-9]*" \
	"a WRITE(10) completes, with its latency"
expect_match "$t" "kitt_cmd_done: session=[0-9]+ itt=0x[0-9a-f]+ lun=0 opcode=0x28 data_len=4096 status=0x00" \
	"a READ(10) of 4 KiB completes"
expect_match "$t" "kitt_tmf: session=[0-9]+ function=logical_unit_reset lun=0 ref_itt=0x[0-9a-f]+ response=0" \
	"the LUN reset"
expect_match "$t" "kitt_conn_close: conn=[0-9]+ session=[0-9]+ rx_bytes=[1-9][0-9]* tx_bytes=[1-9][0-9]*" \
	"the connection closes with its byte counts"
expect_match "$t" "kitt_session_end: session=[0-9]+ tsih=[0-9]+" "the session ends"

# A command that fails shows its sense: a READ past the end (16 MiB).
must trace-cmd clear
must trace-cmd start -e kitt:kitt_cmd_done -e kitt:kitt_login_done
must iscsi_login "$IQN" $P
disk=$(iscsi_wait_disk "$IQN" 30) || die "no disk"
sg=$(iscsi_lun_node 0 scsi_generic)
wait_until 10 'iscsi_lun_node 0 scsi_generic >/dev/null'
sg=$(iscsi_lun_node 0 scsi_generic)
sg_raw -r 512 "$sg" 28 00 00 00 80 00 00 00 01 00 >/dev/null 2>&1
must iscsi_logout "$IQN"
must trace-cmd stop
t=$(trace-cmd show)
expect_match "$t" "kitt_cmd_done: .* opcode=0x28 data_len=0 status=0x02 sense=5/21/00" \
	"LBA OUT OF RANGE in the trace"

# A refused login: an initiator name that has no ACL.
must trace-cmd clear
must trace-cmd start -e kitt:kitt_login_done
echo 0 > "$KITT_CFS/targets/$IQN/tpgt_1/attrib/generate_node_acls"
expect_fail iscsi_login "$IQN" $P
must trace-cmd stop
expect_match "$(trace-cmd show)" \
	"kitt_login_done: conn=[0-9]+ initiator=$INI target=$IQN tpgt=0 outcome=authorization_failure why=\"no ACL for the initiator\"" \
	"a refused login shows its reason"
echo 1 > "$KITT_CFS/targets/$IQN/tpgt_1/attrib/generate_node_acls"
must trace-cmd reset

# ---- perf: record the completions, read them back -----------------------------
if command -v perf >/dev/null; then
	must iscsi_login "$IQN" $P
	disk=$(iscsi_wait_disk "$IQN" 30) || die "no disk"
	perf record -q -e kitt:kitt_cmd_done -a -o /tmp/perf.data -- \
		dd if="$disk" of=/dev/null bs=4096 count=16 iflag=direct status=none
	perf script -i /tmp/perf.data > /tmp/perf.txt 2>/dev/null
	export_file /tmp/perf.txt perf.txt
	expect_ok test "$(grep -c 'kitt:kitt_cmd_done: .*opcode=0x28' /tmp/perf.txt)" -ge 16
	must iscsi_logout "$IQN"
else
	log "no perf in the guest: skipping its part"
fi
