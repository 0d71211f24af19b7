#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# kitt-timeout: 300
# kitt-kernels: 6.1
# kitt-extras: prometheus
# kittctl: build a configuration with it (RAM disks, two targets, LUNs, an
# ACL with mutual CHAP, parameters, open access), save it, clear, restore,
# save again and compare byte for byte, restore again (nothing changes),
# log in with CHAP to the restored target, count its I/O exactly in every
# statistics file and with kittctl stats (tables, JSON, Prometheus text
# checked by promtool and served by node_exporter), then take it apart
# with kittctl and unload kitt. On
# the way: each command's --help, the exit statuses, deleting what is
# missing, portals on their own, --json.
. /kitt/lib.sh

IQN2=$KITT_IQN_BASE:kittctl-lab
INI=${KITT_INITIATOR:-iqn.2024-01.org.kitt:guest}
INI2=iqn.1993-08.org.debian:01:second
TPG=$KITT_CFS/targets/$IQN/tpgt_1
TPG2=$KITT_CFS/targets/$IQN2/tpgt_2
CONF=/etc/kitt/kitt.conf
SECRET=kittctl-secret-0123
MSECRET=kittctl-mutual-4567

command -v kittctl >/dev/null || die "kittctl is not in the guest (make -C tools/kittctl)"

# one_line_error CMD...: CMD fails with exactly one line on stderr, which
# names a path and a reason.
one_line_error()
{
	local err rc

	err=$("$@" 2>&1 >/dev/null)
	rc=$?
	echo "$err"
	[ $rc -ne 0 ] && [ "$(printf '%s\n' "$err" | wc -l)" -eq 1 ] &&
		printf '%s\n' "$err" | grep -Eq '^kittctl: .*/.*: [A-Z]'
}

# sval FILE KEY: the value of "KEY N" in a statistics file.
sval() { awk -v k="$2" '$1 == k { print $2 }' "$1"; }

# stat_settle FILE: wait until FILE stops changing for a second (udev and
# the initiator's own commands are done).
stat_settle()
{
	local a b i same=0

	a=$(cat "$1")
	for i in $(seq 100); do
		sleep 0.2
		b=$(cat "$1")
		if [ "$a" = "$b" ]; then
			same=$((same + 1))
			[ $same -ge 5 ] && return 0
		else
			same=0
		fi
		a=$b
	done
	return 1
}

# check_exact_counts: N READs and M WRITEs of 4 KiB and one unknown opcode,
# sent with sg_raw to LUN 0 through the one session, count exactly that in
# the target, the portal group, the portal, LUN 0, the session and the
# connection (the first three add up the connections; a command touches
# only its LUN's and its connection's per-CPU counters); the device counts
# the reads and writes. Nothing is left in flight.
check_exact_counts()
{
	local sg=$1 K=/sys/kernel/kitt n=5 m=3 i o k d sess
	local -A before objs

	sess=$(ls $K/sessions | head -1)
	objs=([target]=$K/targets/$IQN [tpg]=$K/targets/$IQN/tpgt_1
	      [portal]=$K/targets/$IQN/tpgt_1/portals/0.0.0.0:3260
	      [lun]=$K/targets/$IQN/tpgt_1/luns/0 [session]=$K/sessions/$sess
	      [connection]=$K/sessions/$sess/connections/0)
	for o in "${!objs[@]}"; do
		expect_ok test -r "${objs[$o]}/statistics"
		expect_ok test -r "${objs[$o]}/task_management"
	done
	expect_ok stat_settle "${objs[session]}/statistics"
	for o in "${!objs[@]}"; do
		for k in read_commands write_commands other_commands read_bytes write_bytes \
			 errors_illegal_request; do
			before[$o.$k]=$(sval "${objs[$o]}/statistics" $k)
		done
	done
	for k in read_cmds write_cmds read_bytes write_bytes; do
		before[dev.$k]=$(cat "$KITT_CFS/devices/disk0/$k")
	done

	head -c 4096 /dev/urandom > /tmp/blk
	for i in $(seq $n); do
		expect_ok sg_raw -r 4096 -o /dev/null "$sg" 28 00 00 00 00 00 00 00 08 00
	done
	for i in $(seq $m); do
		expect_ok sg_raw -s 4096 -i /tmp/blk "$sg" 2a 00 00 00 00 10 00 00 08 00
	done
	# An opcode kitt does not know: CHECK CONDITION, ILLEGAL REQUEST.
	expect_fail sg_raw -n "$sg" c0 00 00 00 00 00
	# Each task is freed just after its response went out.
	expect_ok stat_settle "${objs[session]}/statistics"

	for o in "${!objs[@]}"; do
		d=${objs[$o]}/statistics
		expect_eq "$(($(sval "$d" read_commands) - before[$o.read_commands]))" $n \
			"$o: $n READs"
		expect_eq "$(($(sval "$d" read_bytes) - before[$o.read_bytes]))" $((n * 4096)) \
			"$o: their bytes"
		expect_eq "$(($(sval "$d" write_commands) - before[$o.write_commands]))" $m \
			"$o: $m WRITEs"
		expect_eq "$(($(sval "$d" write_bytes) - before[$o.write_bytes]))" $((m * 4096)) \
			"$o: their bytes"
		expect_eq "$(($(sval "$d" other_commands) - before[$o.other_commands]))" 1 \
			"$o: one other command"
		expect_eq "$(($(sval "$d" errors_illegal_request) - before[$o.errors_illegal_request]))" \
			1 "$o: the unknown opcode is an illegal request"
		expect_eq "$(sval "$d" in_flight)" 0 "$o: nothing in flight at rest"
	done
	d=$KITT_CFS/devices/disk0
	expect_eq "$(($(cat $d/read_cmds) - before[dev.read_cmds]))" $n "device: $n reads"
	expect_eq "$(($(cat $d/read_bytes) - before[dev.read_bytes]))" $((n * 4096)) "device: bytes read"
	expect_eq "$(($(cat $d/write_cmds) - before[dev.write_cmds]))" $m "device: $m writes"
	expect_eq "$(($(cat $d/write_bytes) - before[dev.write_bytes]))" $((m * 4096)) \
		"device: bytes written"
	# The connection's own file also has what went over the wire.
	expect_match "$(cat "${objs[connection]}/statistics")" "^rx_pdus [1-9]" \
		"the connection counts PDUs too"
	cat "${objs[target]}/statistics"
}

# check_host_limit: a host with max_login_per_host connections in login
# gets two more closed at once, counted as host_login_limit.
check_host_limit()
{
	local per i n0 fds=()

	per=$(cat /sys/module/kitt/parameters/max_login_per_host)
	n0=$(sval /sys/kernel/kitt/logins host_login_limit)
	for i in $(seq $((per + 2))); do
		exec {fd}<>/dev/tcp/127.0.0.1/3260 && fds+=("$fd")
	done
	wait_until 10 '[ "$(sval /sys/kernel/kitt/logins host_login_limit)" -ge $((n0 + 2)) ]'
	expect_eq "$(($(sval /sys/kernel/kitt/logins host_login_limit) - n0))" 2 \
		"two connections over max_login_per_host are counted"
	for fd in "${fds[@]}"; do
		exec {fd}<&-
	done
	wait_until 20 '[ "$(sval /sys/kernel/kitt/live connections)" = 1 ]'
}

# check_stats DISK: write 1 MiB to DISK (LUN 0, disk0), read 2 MiB, then
# exact counts sent with sg_raw and a LUN reset; kittctl stats counts them
# in every format; promtool accepts the Prometheus text, and
# node_exporter's textfile collector serves it.
check_stats()
{
	local json w r sg tb prom=/tmp/textfile/kitt.prom o

	dd if=/dev/urandom of=/tmp/stats.data bs=1M count=1 status=none
	must dd if=/tmp/stats.data of="$1" bs=1M count=1 oflag=direct status=none
	must dd if="$1" of=/dev/null bs=1M count=2 iflag=direct status=none
	must modprobe sg
	wait_until 10 'iscsi_lun_node 0 scsi_generic >/dev/null'
	sg=$(iscsi_lun_node 0 scsi_generic)
	check_exact_counts "$sg"
	check_host_limit
	kittctl stats
	must sg_reset -d "$sg"
	json=$(kittctl stats --json)
	w=$(echo "$json" | jq '.devices[] | select(.device == "disk0") | .counters.write_bytes')
	r=$(echo "$json" | jq '.devices[] | select(.device == "disk0") | .counters.read_bytes')
	expect_ok test "${w:-0}" -ge 1048576
	expect_ok test "${r:-0}" -ge 2097152
	expect_eq "$(echo "$json" | jq -r '.sessions[0].initiator')" "$INI" "stats --json: the session"
	expect_ok test "$(echo "$json" | jq '.sessions[0].counters.read_commands')" -ge 2
	expect_ok test "$(echo "$json" | jq '.sessions[0].counters.read_bytes')" -ge 2097152
	expect_ok test "$(echo "$json" | jq '.connections[0].counters.rx_bytes')" -ge 1048576
	expect_ok test "$(echo "$json" | jq '.connections[0].counters.errors.illegal_request')" -ge 1

	# The LUN's own counters, per CPU in the kernel.
	local lun='.luns[] | select(.lun == 0 and .device == "disk0") | .counters'
	expect_ok test "$(echo "$json" | jq "$lun.write_bytes")" -ge 1048576
	expect_ok test "$(echo "$json" | jq "$lun.read_bytes")" -ge 2097152
	expect_ok test "$(echo "$json" | jq "$lun.write_commands")" -ge 1
	expect_eq "$(echo "$json" | jq "$lun | .read_commands + .write_commands + .other_commands")" \
		"$(echo "$json" | jq "$lun.latency_count")" "every completed command has a latency"
	expect_eq "$(echo "$json" | jq "$lun.latency_buckets_le_seconds[\"+Inf\"]")" \
		"$(echo "$json" | jq "$lun.latency_count")" "the +Inf bucket holds them all"
	expect_eq "$(echo "$json" | jq "$lun.in_flight")" 0 "nothing in flight when idle"
	# The LUN reset, in every object it went through.
	tb='select(.target == "'"$IQN"'")'
	for o in ".targets[] | $tb" ".tpgs[] | select(.tpgt == 1) | $tb" \
		 ".portals[] | select(.portal == \"0.0.0.0:3260\") | $tb" \
		 ".luns[] | select(.lun == 0) | $tb" ".sessions[0]" ".connections[0]"; do
		expect_eq "$(echo "$json" | jq "$o | .counters.task_management.logical_unit_reset")" \
			1 "the LUN reset is counted in $o"
	done
	# The target and its one session saw the same commands.
	expect_eq "$(echo "$json" | jq ".targets[] | $tb | .counters.read_bytes")" \
		"$(echo "$json" | jq '.sessions[0].counters.read_bytes')" \
		"the target's bytes read are its session's"
	expect_eq "$(echo "$json" | jq ".targets[] | $tb | .counters.logins.accepted")" \
		1 "one login accepted by the target"
	expect_ok test "$(echo "$json" | jq '.logins.accepted')" -ge 1
	expect_eq "$(echo "$json" | jq '.logins.host_login_limit')" 2 \
		"stats --json: the connections closed by max_login_per_host"

	mkdir -p /tmp/textfile
	kittctl stats --prometheus > $prom.tmp && mv $prom.tmp $prom
	export_file $prom kitt.prom
	expect_ok promtool check metrics < $prom
	expect_match "$(cat $prom)" "^kitt_device_write_bytes_total\{device=\"disk0\"\} $w\$" \
		"Prometheus: the device's bytes written"
	expect_match "$(cat $prom)" "^# TYPE kitt_session_read_commands_total counter\$" "a counter's TYPE"
	expect_match "$(cat $prom)" "^# TYPE kitt_portal_in_flight gauge\$" "a gauge's TYPE"
	expect_match "$(cat $prom)" "^# TYPE kitt_lun_latency_seconds histogram\$" "the latency histogram"
	expect_match "$(cat $prom)" "^kitt_lun_latency_seconds_bucket\{target=\"$IQN\",tpgt=\"1\",lun=\"0\",device=\"disk0\",le=\"\+Inf\"\} [1-9][0-9]*\$" \
		"a bucket of LUN 0's histogram"
	expect_match "$(cat $prom)" "^kitt_tpg_logins_total\{target=\"$IQN\",tpgt=\"1\",outcome=\"authentication_failed\"\} 1\$" \
		"the refused login, by reason"
	expect_match "$(cat $prom)" "^kitt_logins_total\{outcome=\"host_login_limit\"\} 2\$" \
		"the connections over the per-host cap"
	expect_match "$(cat $prom)" "^kitt_target_errors_total\{target=\"$IQN\",kind=\"illegal_request\"\} [1-9][0-9]*\$" \
		"the target's errors, by kind"
	expect_match "$(cat $prom)" "^kitt_portal_task_management_total\{target=\"$IQN\",tpgt=\"1\",portal=\"0.0.0.0:3260\",function=\"logical_unit_reset\"\} 1\$" \
		"the portal's task management"
	expect_match "$(cat $prom)" "^kitt_session_read_bytes_total\{target=\"$IQN\",tpgt=\"1\",initiator=\"$INI\",isid=\"[0-9a-f]+\"\} [1-9][0-9]*\$" \
		"Prometheus: a session's labels"
	expect_match "$(cat $prom)" "^kitt_connection_rx_bytes_total\{cid=\"0\",target=\"$IQN\",tpgt=\"1\",initiator=\"$INI\",portal=\"127.0.0.1:3260\",peer=\"127.0.0.1:[0-9]+\"\} [0-9]+\$" \
		"Prometheus: a connection's labels"

	prometheus-node-exporter --collector.disable-defaults --collector.textfile \
		--collector.textfile.directory=/tmp/textfile \
		--web.listen-address=127.0.0.1:9100 > /tmp/node-exporter.log 2>&1 &
	cleanup_add "kill $! 2>/dev/null"
	wait_until 20 'wget -q -O /tmp/metrics http://127.0.0.1:9100/metrics'
	# node_exporter writes large values in floating point: 1.048576e+06.
	expect_eq "$(awk '$1 == "kitt_device_write_bytes_total{device=\"disk0\"}" { printf "%.0f", $2 }' \
		/tmp/metrics)" "$w" "node_exporter serves kitt's counters on /metrics"
	expect_ok grep -q '^node_textfile_scrape_error 0$' /tmp/metrics
}

# lun_disks N: the initiator sees N disks of $IQN; no_sessions: kitt has none.
lun_disks() { [ "$(iscsi_disks "$IQN" | wc -l)" -eq "$1" ]; }
no_sessions() { [ -z "$(ls /sys/kernel/kitt/sessions)" ]; }

must brd_load 32 2
cleanup_add "rmmod brd"

# status CMD...: CMD's exit status, its output thrown away.
status() { "$@" >/dev/null 2>&1; echo $?; }

# ---- without kitt ----------------------------------------------------------
expect_ok one_line_error kittctl show
expect_ok one_line_error kittctl sessions
expect_eq "$(status kittctl show)" 3 "kitt not loaded: exit status 3"
expect_eq "$(status kittctl stats)" 3 "stats without kitt: exit status 3"

# Help for each command, without kitt.
for c in device target portal lun acl attrib param open discovery show save \
	 restore clear sessions stats; do
	out=$(kittctl "$c" --help)
	expect_eq "$?" 0 "kittctl $c --help succeeds"
	expect_match "$out" "^  $c " "kittctl $c --help shows $c's usage"
done
expect_eq "$(kittctl help lun)" "$(kittctl lun -h)" "kittctl help lun is kittctl lun -h"
expect_eq "$(status kittctl lun frob)" 2 "usage error: exit status 2"
expect_eq "$(status kittctl frob)" 2 "unknown command: exit status 2"

kitt_test_setup
cleanup_add "kittctl clear >/dev/null 2>&1"

# ---- build a configuration -------------------------------------------------
log "building the configuration with kittctl"
expect_ok kittctl device add disk0 /dev/ram0
expect_ok kittctl device add disk1 /dev/ram1 --ro
expect_ok kittctl discovery --chap discuser:discovery-secret-89 --enforce 0
expect_ok kittctl target add "$IQN"
expect_ok kittctl lun add "$IQN" 0 disk0
expect_ok kittctl lun add "$IQN" 1 disk1
expect_ok kittctl acl add "$IQN" "$INI" --chap "user1:$SECRET" --mutual "tgtuser:$MSECRET"
expect_ok kittctl acl add "$IQN" "$INI2"
expect_ok kittctl param "$IQN" MaxRecvDataSegmentLength 262144
expect_ok kittctl param "$IQN" ImmediateData Yes
expect_ok kittctl attrib "$IQN" cmdsn_depth 64
expect_ok kittctl target add "$IQN2" --tpgt 2 --portal 127.0.0.1:3261 --portal 127.0.0.1:3262
expect_ok kittctl lun add "$IQN2" 0 disk1 --tpgt 2
expect_ok kittctl open "$IQN2" --tpgt 2

# What it made, read back by shell.
expect_eq "$(cat $KITT_CFS/devices/disk0/path)" /dev/ram0 "disk0 path"
expect_eq "$(cat $KITT_CFS/devices/disk0/enable)" 1 "disk0 enabled"
expect_eq "$(cat $KITT_CFS/devices/disk1/read_only)" 1 "disk1 read-only (--ro)"
expect_ok test -d "$TPG/portals/0.0.0.0:3260"
expect_eq "$(ls $TPG/portals)" 0.0.0.0:3260 "one default portal"
expect_eq "$(cat $TPG/enable)" 1 "tpgt_1 enabled"
expect_eq "$(basename "$(readlink $TPG/luns/0)")" disk0 "LUN 0 is disk0"
expect_eq "$(basename "$(readlink $TPG/luns/1)")" disk1 "LUN 1 is disk1"
expect_eq "$(cat $TPG/acls/$INI/auth/userid)" user1 "CHAP user"
expect_eq "$(cat $TPG/acls/$INI/auth/password)" "$SECRET" "CHAP secret"
expect_eq "$(cat $TPG/acls/$INI/auth/userid_mutual)" tgtuser "mutual CHAP user"
expect_eq "$(cat $TPG/acls/$INI/auth/password_mutual)" "$MSECRET" "mutual CHAP secret"
expect_eq "$(cat $TPG/attrib/authentication)" 1 "--chap makes CHAP required"
expect_eq "$(cat $TPG/attrib/cmdsn_depth)" 64 "attrib cmdsn_depth"
expect_eq "$(kittctl attrib "$IQN" cmdsn_depth)" 64 "kittctl attrib reads a value"
expect_eq "$(cat $TPG/params/MaxRecvDataSegmentLength)" 262144 "param MaxRecvDataSegmentLength"
expect_eq "$(ls $TPG2/portals | tr '\n' ' ')" "127.0.0.1:3261 127.0.0.1:3262 " "two portals"
expect_eq "$(cat $TPG2/attrib/generate_node_acls)" 1 "open: generate_node_acls"
expect_eq "$(cat $TPG2/attrib/authentication)" 0 "open: no CHAP"
expect_eq "$(cat $KITT_CFS/discovery/auth/userid)" discuser "discovery CHAP user"

# Adding again changes nothing; conflicts and bad names fail in one line.
expect_eq "$(kittctl -v target add "$IQN")" "" "target add again: no change"
expect_eq "$(kittctl -v device add disk0 /dev/ram0)" "" "device add again: no change"
expect_eq "$(kittctl -v lun add "$IQN" 0 disk0)" "" "lun add again: no change"
expect_eq "$(kittctl -v acl add "$IQN" "$INI" --chap "user1:$SECRET")" "" "acl add again: no change"
expect_ok one_line_error kittctl lun add "$IQN" 0 disk1
expect_ok one_line_error kittctl device del disk0
expect_ok one_line_error kittctl target add not-an-iqn
expect_ok one_line_error kittctl param "$IQN" MaxBurstLength lots
expect_ok one_line_error kittctl lun add "$IQN" 5 nosuchdisk
expect_fail test -e "$KITT_CFS/targets/not-an-iqn"

# The errors name the object, the value and the reason; exit statuses.
err=$(kittctl param "$IQN" MaxBurstLength lots 2>&1)
expect_match "$err" "^kittctl: targets/$IQN/tpgt_1/params/MaxBurstLength: cannot set to 'lots': Invalid argument\$" \
	"a refused value: object, value, reason"
expect_eq "$(cat $TPG/params/MaxBurstLength)" "$(kittctl param "$IQN" MaxBurstLength)" \
	"param reads back the old value"
expect_eq "$(status kittctl param "$IQN" MaxBurstLength lots)" 1 "refused value: exit status 1"
expect_eq "$(status kittctl lun add "$IQN" 5 nosuchdisk)" 4 "missing device: exit status 4"
expect_eq "$(status kittctl lun add iqn.2000-01.org.kitt:nosuch 0 disk0)" 4 \
	"missing target: exit status 4"
expect_eq "$(status kittctl device del disk0)" 5 "mapped device: exit status 5"
expect_eq "$(status kittctl lun add "$IQN" 0 disk1)" 5 "LUN mapping another device: exit status 5"
expect_match "$(kittctl lun add "$IQN" 0 disk1 2>&1)" "maps device disk0, not disk1" \
	"a conflicting LUN names both devices"

# Deleting what is not there succeeds and changes nothing.
expect_eq "$(kittctl -v device del nosuchdisk; echo "rc=$?")" "rc=0" "device del of a missing device"
expect_eq "$(kittctl -v target del iqn.2000-01.org.kitt:nosuch; echo "rc=$?")" "rc=0" \
	"target del of a missing target"
expect_eq "$(kittctl -v lun del "$IQN" 7; echo "rc=$?")" "rc=0" "lun del of a missing LUN"
expect_eq "$(kittctl -v lun del iqn.2000-01.org.kitt:nosuch 0; echo "rc=$?")" "rc=0" \
	"lun del under a missing target"
expect_eq "$(kittctl -v acl del "$IQN" iqn.2000-01.org.kitt:nobody; echo "rc=$?")" "rc=0" \
	"acl del of a missing ACL"
expect_eq "$(kittctl -v portal del "$IQN" 127.0.0.9:3260; echo "rc=$?")" "rc=0" \
	"portal del of a missing portal"

# Portals on their own.
expect_ok kittctl portal add "$IQN2" 127.0.0.1:3263 --tpgt 2
expect_eq "$(kittctl -v portal add "$IQN2" 127.0.0.1:3263 --tpgt 2)" "" "portal add again: no change"
expect_eq "$(kittctl -v open "$IQN2" --tpgt 2)" "" "open again: no change"
expect_eq "$(kittctl -v discovery --chap discuser:discovery-secret-89 --enforce 0)" "" \
	"discovery again: no change"
expect_match "$(ss -ltn)" "127.0.0.1:3263 " "the new portal listens"
expect_ok kittctl portal del "$IQN2" 127.0.0.1:3263 --tpgt 2
expect_fail test -d "$TPG2/portals/127.0.0.1:3263"
wait_until 10 '! ss -ltn | grep -q "127.0.0.1:3263 "'
expect_fail bash -c 'ss -ltn | grep -q "127.0.0.1:3263 "'
expect_eq "$(status kittctl portal add "$IQN2" 127.0.0.1:99999 --tpgt 2)" 1 \
	"a bad portal address: exit status 1"

# JSON for scripts.
json=$(kittctl show --json)
expect_eq "$(echo "$json" | jq -r '.devices[] | select(.name == "disk1") | .read_only')" true \
	"show --json: disk1 is read-only"
expect_eq "$(echo "$json" | jq -c "[.targets[] | select(.name == \"$IQN\") | .tpgs[0].luns[].device]")" \
	'["disk0","disk1"]' "show --json: the LUNs"
expect_eq "$(echo "$json" | jq -r "[.targets[] | select(.name == \"$IQN2\") | .tpgs[0].portals[]] | join(\" \")")" \
	"127.0.0.1:3261 127.0.0.1:3262" "show --json: the portals"
expect_eq "$(echo "$json" | jq -r "[.targets[] | select(.name == \"$IQN\") | .tpgs[0].params.MaxRecvDataSegmentLength][0]")" \
	262144 "show --json: a parameter, as a number"
expect_fail grep -q "$SECRET" <<< "$json"

kittctl show
expect_match "$(kittctl show)" "lun 1: disk1 \(/dev/ram1\)" "show lists the LUNs"

# ---- save, clear, restore, save again --------------------------------------
log "save / clear / restore"
expect_ok kittctl save
expect_eq "$(stat -c %a $CONF)" 600 "the saved file is 0600"
expect_ok grep -q "auth/password $SECRET\$" $CONF
export_file $CONF kitt.conf

expect_ok kittctl clear
expect_eq "$(ls $KITT_CFS/targets $KITT_CFS/devices | grep -v ':$' | grep -c .)" 0 \
	"clear removes every target and device"
expect_eq "$(cat $KITT_CFS/discovery/auth/userid)" "" "clear resets discovery CHAP"

expect_ok kittctl restore
expect_ok kittctl save /tmp/kitt-2.conf
export_file /tmp/kitt-2.conf kitt-2.conf
if cmp $CONF /tmp/kitt-2.conf; then
	pass "save after restore gives the same file, byte for byte"
else
	fail "save after restore differs"
	diff $CONF /tmp/kitt-2.conf
fi
expect_eq "$(cat $TPG/acls/$INI/auth/password_mutual)" "$MSECRET" "restored mutual secret"
expect_eq "$(cat $KITT_CFS/devices/disk1/read_only)" 1 "restored read_only"

# A second restore: no change at all (kittctl -v prints every change),
# and nothing new in the kernel log.
dmesg_before=$(dmesg | wc -l)
out=$(kittctl -v restore)
expect_eq "$?" 0 "second restore succeeds"
expect_eq "$out" "" "second restore changes nothing"
expect_eq "$(dmesg | wc -l)" "$dmesg_before" "second restore logs nothing"
expect_ok kittctl save /tmp/kitt-3.conf
expect_ok cmp $CONF /tmp/kitt-3.conf

# Restore over a partial tree fills in only what is missing.
expect_ok kittctl target del "$IQN2"
expect_fail test -d "$KITT_CFS/targets/$IQN2"
out=$(kittctl -v restore)
expect_match "$out" "^mkdir targets/$IQN2\$" "restore re-creates the deleted target"
expect_ok kittctl save /tmp/kitt-4.conf
expect_ok cmp $CONF /tmp/kitt-4.conf

# ---- the restored target works: CHAP login ---------------------------------
log "logging in with mutual CHAP to the restored target"
if must initiator_setup; then
	expect_match "$(iscsi_discover 127.0.0.1)" "$IQN" "discovery lists the target"
	iscsiadm -m node -o new -T "$IQN" -p 127.0.0.1:3260 >/dev/null 2>&1
	# First a wrong secret: refused, and counted as such.
	for kv in node.session.auth.authmethod=CHAP node.session.auth.username=user1 \
		  node.session.auth.password=wrong-secret-000 node.session.auth.username_in=tgtuser \
		  node.session.auth.password_in=$MSECRET; do
		iscsiadm -m node -T "$IQN" -p 127.0.0.1 -o update -n "${kv%%=*}" -v "${kv#*=}"
	done
	expect_fail iscsi_login "$IQN" 127.0.0.1
	TPGS=/sys/kernel/kitt/targets/$IQN/tpgt_1
	expect_eq "$(awk '$1 == "authentication_failed" { print $2 }' $TPGS/logins)" 1 \
		"a wrong CHAP secret counts in the portal group's logins"
	expect_eq "$(awk '$1 == "authentication_failed" { print $2 }' /sys/kernel/kitt/targets/$IQN/logins)" \
		1 "and in the target's"
	expect_eq "$(awk '$1 == "authentication_failed" { print $2 }' "$TPGS/portals/0.0.0.0:3260/logins")" \
		1 "and in the portal's"
	iscsiadm -m node -T "$IQN" -p 127.0.0.1 -o update -n node.session.auth.password -v "$SECRET"
	if expect_ok iscsi_login "$IQN" 127.0.0.1; then
		disk=$(iscsi_wait_disk "$IQN" 30)
		expect_ne "$disk" "" "a disk appears"
		wait_for 30 lun_disks 2
		expect_eq "$(iscsi_disks "$IQN" | wc -l)" 2 "two LUNs"
		kittctl sessions
		expect_match "$(kittctl sessions)" "$INI -> $IQN tpgt 1" "kittctl sessions lists it"
		expect_eq "$(ls /sys/kernel/kitt/sessions | wc -l)" 1 "one session in sysfs"
		expect_match "$(kittctl show)" "sessions: 1" "show counts it"
		expect_match "$(kittctl show)" "^    connection cid 0 local 127.0.0.1:3260 peer 127.0.0.1:" \
			"show lists its connection"
		expect_eq "$(kittctl sessions --json | jq -r '.[0].initiator, .[0].connections[0].local')" \
			"$INI
127.0.0.1:3260" "sessions --json: initiator and connection"
		expect_eq "$(kittctl show --json | jq '.sessions | length')" 1 "show --json: the session"
		check_stats "$(iscsi_lun_node 0)"
		# Remove the disks before logging out: the 6.1 initiator's unbind
		# work warns when it has to flush a pending runtime-PM work of the
		# SCSI target it removes (check_flush_dependency).
		for d in $(iscsi_disks "$IQN"); do
			echo 1 > "/sys/block/${d#/dev/}/device/delete"
		done
		sleep 1
		expect_ok iscsi_logout "$IQN"
		wait_for 10 no_sessions
		expect_eq "$(kittctl sessions)" "" "no session after logout"
	fi
	iscsi_logout_all
fi

# ---- take it apart -----------------------------------------------------------
log "deleting with kittctl"
expect_ok kittctl acl del "$IQN" "$INI2"
expect_fail test -d "$TPG/acls/$INI2"
expect_ok kittctl lun del "$IQN" 1
expect_ok kittctl lun del "$IQN2" 0 --tpgt 2
expect_ok kittctl device del disk1
expect_fail test -d "$KITT_CFS/devices/disk1"
expect_ok kittctl clear
expect_eq "$(ls $KITT_CFS/targets $KITT_CFS/devices | grep -v ':$' | grep -c .)" 0 "all gone"
expect_eq "$(kittctl save - | grep -c -e '^mkdir' -e '^link')" 0 "an empty tree saves no object"
expect_ok kittctl clear
kittctl save /tmp/empty-1.conf && kittctl save /tmp/empty-2.conf
expect_ok cmp /tmp/empty-1.conf /tmp/empty-2.conf
expect_ok kitt_unload
expect_fail test -d "$KITT_CFS"

# restore loads kitt when its tree is missing.
log "restore with kitt unloaded"
expect_ok kittctl restore
expect_ok grep -q '^kitt ' /proc/modules
expect_ok kittctl save /tmp/kitt-5.conf
expect_ok cmp $CONF /tmp/kitt-5.conf

# A bad file: each failing line is named, the others are applied.
printf '%s\n' '# comment' '' 'mkdir devices/extra' 'frob devices/x' \
	'set devices/extra/nosuchfile 1' 'set ../escape 1' > /tmp/bad.conf
err=$(kittctl restore /tmp/bad.conf 2>&1)
expect_eq "$?" 1 "a bad file fails"
echo "$err"
expect_match "$err" "^kittctl: /tmp/bad.conf:4: unknown command 'frob'" "unknown command, line 4"
expect_match "$err" "^kittctl: /tmp/bad.conf:5: devices/extra/nosuchfile: No such file" \
	"missing attribute, line 5"
expect_match "$err" "^kittctl: /tmp/bad.conf:6: invalid path" "path outside the tree, line 6"
expect_ok test -d "$KITT_CFS/devices/extra"

expect_ok kittctl clear
expect_ok kitt_unload
