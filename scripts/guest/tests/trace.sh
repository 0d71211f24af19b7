#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# kitt-timeout: 240
# kitt's tracepoints, seen the way an administrator sees them: trace-cmd
# shows the connection, the login's steps and outcome, the session, each
# command with its latency, a LUN reset and the end of it all; perf
# records the command completions with their fields. Then the commands of
# Documentation/admin-guide.rst ("Tracing"), as printed there: trace-cmd
# record/report of a refused login (with what iscsiadm says), trace-cmd
# start with the guide's filter on a READ past the end, perf record/script
# and perf trace of a login. perf and trace-cmd are in the guest when
# installed on the host (scripts/deps.sh): missing, they fail the test.
. /kitt/lib.sh

INI=${KITT_INITIATOR:-iqn.2024-01.org.kitt:guest}
kitt_test_setup --initiator
must brd_load 16 1
must modprobe sg
must kitt_quick_target "$IQN" /dev/ram0
command -v trace-cmd >/dev/null || die "trace-cmd is not in the guest (scripts/deps.sh)"

grep -q ' /sys/kernel/tracing tracefs ' /proc/mounts ||
	must mount -t tracefs nodev /sys/kernel/tracing
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

# ---- the guide: which commands fail, or are slow, on a LUN --------------------
# Its filter, on reads that succeed and a READ past the end (16 MiB): what
# trace-cmd shows is the failed READ, and only lines the filter lets by.
FILTER='status != 0 || latency_ns > 10000000'
must trace-cmd clear
must trace-cmd start -e kitt:kitt_cmd_done -f "$FILTER"
must iscsi_login "$IQN" $P
disk=$(iscsi_wait_disk "$IQN" 30) || die "no disk"
wait_until 10 'iscsi_lun_node 0 scsi_generic >/dev/null'
sg=$(iscsi_lun_node 0 scsi_generic)
must dd if="$disk" of=/dev/null bs=4096 count=16 iflag=direct status=none
sg_raw -r 512 "$sg" 28 00 00 00 80 00 00 00 01 00 2>&1 | tail -4
must iscsi_logout "$IQN"
trace-cmd show > /tmp/filtered.txt
must trace-cmd stop
must trace-cmd reset
export_file /tmp/filtered.txt filtered.txt
t=$(cat /tmp/filtered.txt)
expect_match "$t" "kitt_cmd_done: .* opcode=0x28 data_len=0 status=0x02 sense=5/21/00" \
	"the filter lets the failed READ by: LBA OUT OF RANGE"
# Every line shown matches the filter (a good read slower than 10 ms may).
bad=$(grep 'kitt_cmd_done:' /tmp/filtered.txt |
      sed -n 's/.* status=0x\([0-9a-f]*\) .* latency_ns=\([0-9]*\).*/\1 \2/p' |
      awk '$1 == "00" && $2 <= 10000000' | wc -l)
expect_eq "$bad" 0 "no line the filter should have dropped"

# ---- the guide: why does a client's login fail? ------------------------------
# trace-cmd record while the client tries, Ctrl-C, trace-cmd report; the
# initiator has no ACL (02/02), and iscsiadm says so as the guide's
# troubleshooting table has it.
echo 0 > "$KITT_CFS/targets/$IQN/tpgt_1/attrib/generate_node_acls"
rm -f /tmp/trace.dat
(cd /tmp && exec trace-cmd record -e kitt:kitt_login_step -e kitt:kitt_login_done) \
	> /tmp/record.log 2>&1 &
rec=$!
wait_until 10 '[ "$(cat /sys/kernel/tracing/events/kitt/kitt_login_done/enable)" = 1 ]' ||
	fail "trace-cmd record did not enable kitt_login_done"
sleep 1
out=$(iscsi_login "$IQN" $P 2>&1)
rc=$?
echo "$out"
expect_ne "$rc" 0 "the login without an ACL fails"
kill -INT $rec
wait $rec
expect_eq "$?" 0 "trace-cmd record stops on Ctrl-C"
(cd /tmp && trace-cmd report) > /tmp/report.txt 2>&1
export_file /tmp/report.txt login-report.txt
t=$(cat /tmp/report.txt)
expect_match "$t" "kitt_login_step: +conn=[0-9]+ initiator=$INI target=$IQN csg=[01] nsg=[0-3] transit=[01] status=0x0202" \
	"trace-cmd report: the Login Response with status 0x0202"
expect_match "$t" "kitt_login_done: +conn=[0-9]+ initiator=$INI target=$IQN tpgt=0 outcome=authorization_failure why='no ACL for the initiator'" \
	"trace-cmd report: the refused login and its reason"
expect_match "$out" "initiator reported error \(24 - iSCSI login failed due to authorization failure\)" \
	"iscsiadm reports 02/02 as error 24"

# A target error (03/01, portal group disabled) is one the initiator
# retries: a few refusals, then iscsiadm gives up.
echo 1 > "$KITT_CFS/targets/$IQN/tpgt_1/attrib/generate_node_acls"
echo 0 > "$KITT_CFS/targets/$IQN/tpgt_1/enable"
unavail() { awk '$1 == "service_unavailable" { print $2 }' \
	"/sys/kernel/kitt/targets/$IQN/tpgt_1/logins"; }
n0=$(unavail)
iscsiadm -m node -T "$IQN" -p $P -o update -n node.session.initial_login_retry_max -v 1
iscsiadm -m node -T "$IQN" -p $P -o update -n 'node.conn[0].timeo.login_timeout' -v 3
out=$(iscsi_login "$IQN" $P 2>&1)
rc=$?
echo "$out"
expect_ne "$rc" 0 "the login to a disabled portal group fails"
# iscsid retries until its time is up: error 8 when that happens while it
# waits to reconnect (DefaultTime2Wait), 5 when a refusal arrives.
expect_match "$out" "initiator reported error \((8 - connection timed out|5 - encountered iSCSI login failure)\)" \
	"iscsiadm gives up on the target error"
expect_ok test "$(unavail)" -ge $((n0 + 1))
log "service_unavailable: $n0 -> $(unavail) refusals"
expect_match "$(dmesg | grep 'failed: portal group disabled' | tail -1)" \
	"to $IQN failed: portal group disabled \(status 0x0301\)" "the kernel log names the reason"
iscsiadm -m node -T "$IQN" -p $P -o update -n node.session.initial_login_retry_max -v 8
iscsiadm -m node -T "$IQN" -p $P -o update -n 'node.conn[0].timeo.login_timeout' -v 15
echo 1 > "$KITT_CFS/targets/$IQN/tpgt_1/enable"

# ---- perf: record the completions, read them back; perf trace a login ---------
if ! command -v perf >/dev/null; then
	fail "perf is not in the guest (linux-perf: scripts/deps.sh installs it)"
else
	must iscsi_login "$IQN" $P
	disk=$(iscsi_wait_disk "$IQN" 30) || die "no disk"
	perf record -q -e 'kitt:*' -a -o /tmp/perf.data -- \
		dd if="$disk" of=/dev/null bs=4096 count=16 iflag=direct status=none
	perf script -i /tmp/perf.data > /tmp/perf.txt 2>/dev/null
	export_file /tmp/perf.txt perf.txt
	expect_ok test "$(grep -c 'kitt:kitt_cmd_done: .*opcode=0x28' /tmp/perf.txt)" -ge 16
	must iscsi_logout "$IQN"

	# The guide's perf trace, system-wide until Ctrl-C, over a login.
	perf trace -e 'kitt:kitt_login_done' --no-syscalls -o /tmp/perf-trace.txt &
	pt=$!
	sleep 3
	must iscsi_login "$IQN" $P
	must iscsi_logout "$IQN"
	sleep 1
	kill -INT $pt
	wait $pt
	expect_eq "$?" 0 "perf trace stops on Ctrl-C"
	export_file /tmp/perf-trace.txt perf-trace.txt
	# (perf trace prints the fields by name: "conn: 7, initiator: ...")
	expect_match "$(cat /tmp/perf-trace.txt)" \
		"kitt:kitt_login_done\\(conn: [0-9]+, initiator: \"$INI\", target: \"$IQN\", tpgt: 1, outcome: \"accepted\"" \
		"perf trace shows the accepted login"
fi
