#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# kitt-kernels: 6.1
# kitt-timeout: 600
# dm-multipath over kitt: one target, two portal groups (tpgt_1 on port
# 3260, tpgt_2 on port 3261) mapping the same RAM disk as LUN 0; the
# Linux initiator logs in through both, udev and multipathd make one map
# of two paths. Under fio --verify on the map, tpgt_2's portal is removed:
# that path fails, I/O goes on through tpgt_1 alone, fio sees no error;
# the portal is added back, iscsid reconnects and multipathd reinstates
# the path. Data written through the map reads back byte for byte from
# the RAM disk. Then ALUA, when kitt has it (tpgt_N/alua/): REPORT TARGET
# PORT GROUPS through each path, multipath's ALUA prioritizer grouping
# the paths by state, I/O only to the active/optimized group, following
# a swap of the states under fio; a standby path is a ghost, refused
# with NOT READY, and gets no I/O.
. /kitt/lib.sh

T=$KITT_CFS/targets/$IQN
ST=/sys/kernel/kitt/targets/$IQN
FIO_OUT=/tmp/fio.out

kitt_test_setup --initiator
must brd_load 64
# Before any login: the SCSI scan attaches scsi_dh_alua only if loaded.
must multipath_start
cleanup_add "export_file /tmp/multipathd.log"
must modprobe sg

must kitt_dev_create d0 /dev/ram0
for g in 1 2; do
	must kitt_target_create "$IQN" $g
	must kitt_lun_add "$IQN" $g 0 d0
	must kitt_tpg_open "$IQN" $g
	must kitt_portal_add "$IQN" $g "$P:326$((g - 1))"
	must kitt_tpg_enable "$IQN" $g
done

must iscsi_discover "$P:3260"
for port in 3260 3261; do
	# A path without its connection fails its commands after 5 s
	# (multipathd sets the same from fast_io_fail_tmo).
	iscsiadm -m node -T "$IQN" -p "$P:$port" -o update \
		-n node.session.timeo.replacement_timeout -v 5 || die "node $port"
	must iscsi_login "$IQN" "$P:$port"
done
wait_until 30 '[ "$(iscsi_disks "$IQN" | wc -l)" = 2 ]' || die "no disks"

# path_node PORT: the disk of the session that came in through PORT.
path_node()
{
	local s b

	for s in /sys/class/iscsi_session/session*; do
		[ "$(cat "$s"/device/connection*/iscsi_connection/connection*/persistent_port \
			2>/dev/null)" = "$1" ] || continue
		for b in "$s"/device/target*/*:*:*:0/block/*; do
			[ -e "$b" ] && { basename "$b"; return 0; }
		done
	done
	return 1
}

# rw_cmds N: READ and WRITE commands tpgt_N has served (its portals, live
# and removed, added up).
rw_cmds()
{
	awk '$1 == "read_commands" || $1 == "write_commands" { n += $2 } END { print n + 0 }' \
		"$ST/tpgt_$1/statistics"
}

# io_window: READ and WRITE commands each portal group served in 4 s, as
# "TPGT1 TPGT2".
io_window()
{
	local a1 a2

	a1=$(rw_cmds 1)
	a2=$(rw_cmds 2)
	sleep 4
	echo "$(($(rw_cmds 1) - a1)) $(($(rw_cmds 2) - a2))"
}

# path_line DEV: "GROUP GROUP-STATE PATH-STATE" of DEV in the map (dmsetup
# status, the kernel's view).
path_line()
{
	mpath_status "$MAP" | awk -v d="$(cat "/sys/block/$1/dev")" '$3 == d { print $1, $2, $4 }'
}

# path_daemon DEV: multipathd's view of DEV: "DM-STATE CHECKER-STATE PRIO".
path_daemon()
{
	multipathd show paths raw format "%d %t %T %p" | awk -v d="$1" '$1 == d { print $2, $3, $4 }'
}

# groups: the number of path groups of the map.
groups() { mpath_status "$MAP" | awk '{ print $1 }' | sort -u | wc -l; }

show_map()
{
	multipath -ll "$MAP"
	dmsetup status "$MAP"
}

# fio_start SECONDS: verified random writes on the map, in the background,
# for SECONDS, or as many times more as the test's bound is longer than
# its own 600 s (three on the debug kernel, where all is slower).
fio_start()
{
	local scale=$((${KITT_TIMEOUT:-600} / 600))

	fio --name=mpath --filename="/dev/mapper/$MAP" --size=32M --rw=randwrite \
		--bsrange=4k-64k --ioengine=libaio --iodepth=8 --direct=1 \
		--verify=crc32c --verify_backlog=64 --verify_fatal=1 --randrepeat=0 \
		--time_based --runtime=$(($1 * (scale > 1 ? scale : 1))) --eta=never \
		--output="$FIO_OUT" &
	FIO_PID=$!
}

# fio_running WHAT: fio is still running (WHAT happened under I/O).
fio_running()
{
	if kill -0 "$FIO_PID" 2>/dev/null; then
		pass "fio still running: $1"
	else
		fail "fio ended before $1: lengthen its run"
	fi
}

# fio_check WHAT: fio has ended; exit 0, no error, verified.
fio_check()
{
	local rc

	wait "$FIO_PID"
	rc=$?
	grep -E "err=|WRITE:|READ:|verify" "$FIO_OUT"
	expect_eq "$rc" 0 "$1: fio exit status"
	expect_match "$(grep -o 'err= *[0-9]*' "$FIO_OUT")" '^err= *0$' "$1: fio reports no error"
	expect_eq "$(grep -ci 'verify.*fail\|bad magic\|crc32c.*mismatch' "$FIO_OUT")" 0 \
		"$1: no verify error"
}

A=$(path_node 3260) || die "no disk through port 3260"
B=$(path_node 3261) || die "no disk through port 3261"
log "paths: $A (tpgt_1, port 3260), $B (tpgt_2, port 3261)"

# ---- one map, two paths ------------------------------------------------------
udevadm settle -t 60
wa=$(udevadm info -q property -n "$A" | sed -n 's/^ID_SERIAL=//p')
wb=$(udevadm info -q property -n "$B" | sed -n 's/^ID_SERIAL=//p')
expect_ne "$wa" "" "udev: $A has a WWID (ID_SERIAL)"
expect_eq "$wb" "$wa" "udev: both paths have the same WWID"
MAP=$wa
wait_until 60 '[ "$(mpath_status "$MAP" | grep -c " A [0-9]*$")" = 2 ]'
show_map
expect_eq "$(mpath_maps)" "$MAP" "one multipath map, named by the WWID"
expect_eq "$(mpath_status "$MAP" | wc -l)" 2 "the map has two paths"
expect_eq "$(path_line "$A")" "1 A A" "$A: active, in the active group"
expect_eq "$(path_line "$B")" "1 A A" "$B: active, in the same group"
expect_eq "$(path_daemon "$A")" "active ready 1" "multipathd: $A active ready"
expect_eq "$(path_daemon "$B")" "active ready 1" "multipathd: $B active ready"
expect_eq "$(multipath -ll "$MAP" | grep -c 'active ready running')" 2 \
	"multipath -ll: two paths active ready running"
expect_eq "$(blockdev --getsize64 "/dev/mapper/$MAP")" $((64 << 20)) "the map is the RAM disk's size"

# ---- a portal removed and added back under fio --------------------------------
portal2=$T/tpgt_2/portals/$P:3261
fio_start 75
sleep 5
w=$(io_window)
log "READ+WRITE commands in 4 s, tpgt_1 tpgt_2: $w"
expect_match "$w" '^[1-9][0-9]* [1-9][0-9]*$' "round robin: I/O through both paths"

log "removing tpgt_2's portal"
t0=$(date +%s)
expect_ok rmdir "$portal2"
wait_until 60 '[ "$(path_line "$B")" = "1 A F" ]'
log "path $B failed after $(($(date +%s) - t0)) s"
show_map
expect_eq "$(path_line "$B")" "1 A F" "portal gone: $B failed in the kernel"
expect_eq "$(path_line "$A")" "1 A A" "$A still active"
wait_until 30 '[ "$(path_daemon "$B" | cut -d" " -f1-2)" = "failed faulty" ]'
expect_eq "$(path_daemon "$B" | cut -d" " -f1-2)" "failed faulty" "multipathd: $B failed faulty"
fio_running "the path failed"
w=$(io_window)
log "READ+WRITE commands in 4 s with $B failed: $w"
expect_match "$w" '^[1-9][0-9]* 0$' "I/O goes on through tpgt_1 alone"
# Data written now goes through tpgt_1 only.
head -c $((4 << 20)) /dev/urandom > /tmp/pat1
expect_ok dd if=/tmp/pat1 of="/dev/mapper/$MAP" bs=1M seek=40 oflag=direct status=none

log "adding tpgt_2's portal back"
t0=$(date +%s)
expect_ok mkdir "$portal2"
wait_until 90 '[ "$(path_line "$B")" = "1 A A" ]'
log "path $B active again after $(($(date +%s) - t0)) s"
show_map
expect_eq "$(path_line "$B")" "1 A A" "portal back: $B active again in the kernel"
expect_eq "$(path_daemon "$B")" "active ready 1" "multipathd reinstated $B"
expect_eq "$(multipath -ll "$MAP" | grep -c 'active ready running')" 2 \
	"multipath -ll: two paths active ready running again"
w=$(io_window)
log "READ+WRITE commands in 4 s with both paths: $w"
expect_match "$w" '^[1-9][0-9]* [1-9][0-9]*$' "I/O through both paths again"
fio_running "the path came back"
fio_check "path failed and reinstated"

head -c $((4 << 20)) /dev/urandom > /tmp/pat2
expect_ok dd if=/tmp/pat2 of="/dev/mapper/$MAP" bs=1M seek=48 oflag=direct status=none
# The RAM disk, read past any cache, holds what went through the map.
must dd if=/dev/ram0 of=/tmp/back1 bs=1M skip=40 count=4 iflag=direct status=none
must dd if=/dev/ram0 of=/tmp/back2 bs=1M skip=48 count=4 iflag=direct status=none
expect_ok cmp /tmp/pat1 /tmp/back1
expect_ok cmp /tmp/pat2 /tmp/back2
must dd if="/dev/mapper/$MAP" of=/tmp/back3 bs=1M skip=40 count=4 iflag=direct status=none
expect_ok cmp /tmp/pat1 /tmp/back3
# What fio wrote is on the RAM disk, as read through the map.
must dd if="/dev/mapper/$MAP" of=/tmp/fio-map bs=1M count=32 iflag=direct status=none
must dd if=/dev/ram0 of=/tmp/fio-ram bs=1M count=32 iflag=direct status=none
expect_ok cmp /tmp/fio-map /tmp/fio-ram
rm -f /tmp/fio-map /tmp/fio-ram /tmp/back*

# ---- ALUA -----------------------------------------------------------------------
# rtpg DEV: REPORT TARGET PORT GROUPS through DEV, decoded from the raw
# answer: "GROUP STATE PREF PORTS" per descriptor (PORTS: the relative
# target port ids, comma separated). A pending unit attention (the state
# changes raise them) is cleared by retrying.
rtpg()
{
	local i raw

	for i in 1 2 3 4; do
		raw=$(sg_rtpg -r "/dev/$1" 2>/dev/null | od -An -v -tu1) && break
		raw=
	done
	[ -n "$raw" ] || return 1
	echo $raw | awk '{
		split("active_optimized active_nonoptimized standby unavailable lba_dependent", n, " ")
		len = $1 * 16777216 + $2 * 65536 + $3 * 256 + $4
		i = 5
		while (i < 5 + len) {
			aas = $(i) % 16; pref = int($(i) / 128)
			name = aas < 5 ? n[aas + 1] : aas == 14 ? "offline" : aas == 15 ? "transitioning" : aas
			grp = $(i + 2) * 256 + $(i + 3); cnt = $(i + 7)
			ports = ""
			for (p = 0; p < cnt; p++) {
				id = $(i + 10 + p * 4) * 256 + $(i + 11 + p * 4)
				ports = ports (p ? "," : "") id
			}
			print grp, name, pref, ports
			i += 8 + 4 * cnt
		}
	}'
}

# alua_set N STATE: tpgt_N's access state.
alua_set() { put "$T/tpgt_$1/alua/access_state" "$2"; }

# ua_count DEV: "Asymmetric access state changed" reports in the kernel
# log for DEV's SCSI device.
ua_count()
{
	local hctl

	hctl=$(basename "$(readlink -f "/sys/block/$1/device")")
	dmesg | grep -c "$hctl: Asymmetric access state changed"
}

# sense DEV CMD...: CMD's output (sg3-utils, verbose), once no unit
# attention is left pending on DEV's nexus (the state changes raise them).
sense()
{
	local i out

	shift
	for i in 1 2 3 4; do
		out=$("$@" 2>&1)
		case "$out" in
		*"nit attention"* | *"NIT ATTENTION"*) ;;
		*) break ;;
		esac
	done
	echo "$out"
}

# The ALUA configuration: paths grouped by the ALUA prioritizer's
# priority (active/optimized 50, active/non-optimized 10, standby 1),
# the highest group used, the group of a better priority taken at once.
MPATH_ALUA_CONF=$(printf '%s\n' "$KITT_MPATH_CONF" | awk '
	/path_grouping_policy multibus/ { sub(/multibus/, "group_by_prio") }
	/prio const/ { sub(/const/, "alua"); print; print "\t\thardware_handler \"1 alua\""; next }
	{ print }')

alua_test()
{
	local w e1 e2 i f s r

	# -- the configfs interface
	for i in 1 2; do
		expect_eq "$(cat "$T/tpgt_$i/alua/group_id")" "$i" "tpgt_$i: group_id is $i"
		expect_fail put "$T/tpgt_$i/alua/group_id" 7
		expect_eq "$(cat "$T/tpgt_$i/alua/explicit")" 0 "tpgt_$i: implicit ALUA only by default"
		log "tpgt_$i: access_state $(cat "$T/tpgt_$i/alua/access_state"), preferred $(cat "$T/tpgt_$i/alua/preferred")"
	done
	expect_fail put "$T/tpgt_1/alua/access_state" sleepy
	for s in standby unavailable transitioning active_optimized active_nonoptimized; do
		put "$T/tpgt_2/alua/access_state" "$s"
		expect_eq "$(cat "$T/tpgt_2/alua/access_state")" "$s" "access_state $s reads back"
	done

	# -- what the initiator sees
	expect_ok alua_set 1 active_optimized
	expect_ok alua_set 2 active_nonoptimized
	expect_match "$(sg_inq "/dev/$A" 2>/dev/null)" 'TPGS=1' "INQUIRY: TPGS 01b, implicit ALUA"
	for f in "$A" "$B"; do
		expect_eq "$(cat "/sys/block/$f/device/dh_state")" alua "$f: scsi_dh_alua attached"
	done
	for f in "$A" "$B"; do
		expect_eq "$(rtpg "$f" | tr '\n' ';')" \
			"1 active_optimized 0 1;2 active_nonoptimized 0 2;" \
			"REPORT TARGET PORT GROUPS through $f: AO group 1 (port 1), AN group 2 (port 2)"
	done
	expect_ok put "$T/tpgt_1/alua/preferred" 1
	expect_eq "$(rtpg "$A" | head -1)" "1 active_optimized 1 1" "RTPG: preferred group 1"
	expect_ok put "$T/tpgt_1/alua/preferred" 0
	expect_eq "$(rtpg "$A" | head -1)" "1 active_optimized 0 1" "RTPG: not preferred again"

	# -- multipath groups the paths by their ALUA state
	printf '%s\n' "$MPATH_ALUA_CONF" > /etc/multipath.conf
	expect_ok multipathd reconfigure
	wait_until 60 '[ "$(groups)" = 2 ] && [ "$(path_line "$A" | cut -d" " -f2)" = A ] &&
		[ "$(path_daemon "$B")" = "active ready 10" ]'
	show_map
	expect_eq "$(groups)" 2 "group_by_prio: two path groups"
	expect_match "$(multipath -ll "$MAP")" "hwhandler='1 alua'" "the map uses scsi_dh_alua"
	expect_eq "$(path_line "$A" | cut -d' ' -f2-)" "A A" "$A (optimized): its group is active"
	expect_eq "$(path_line "$B" | cut -d' ' -f2-)" "E A" "$B (non-optimized): enabled, not used"
	expect_eq "$(path_daemon "$A")" "active ready 50" "multipathd: $A priority 50"
	expect_eq "$(path_daemon "$B")" "active ready 10" "multipathd: $B priority 10"
	expect_eq "$(cat "/sys/block/$A/device/access_state")" active/optimized \
		"scsi_dh_alua: $A active/optimized"
	expect_eq "$(cat "/sys/block/$B/device/access_state")" active/non-optimized \
		"scsi_dh_alua: $B active/non-optimized"

	fio_start 90
	sleep 3
	w=$(io_window)
	log "READ+WRITE commands in 4 s, tpgt_1 (optimized) tpgt_2: $w"
	expect_match "$w" '^[1-9][0-9]* 0$' "I/O goes to the optimized group only"

	# -- the states swapped under fio: the active group follows
	e1=$(ua_count "$A")
	e2=$(ua_count "$B")
	expect_ok alua_set 2 active_optimized
	expect_ok alua_set 1 active_nonoptimized
	wait_until 60 '[ "$(path_line "$B" | cut -d" " -f2)" = A ] &&
		[ "$(path_daemon "$A")" = "active ready 10" ]'
	show_map
	expect_eq "$(path_line "$B" | cut -d' ' -f2-)" "A A" "swapped: $B's group is active"
	expect_eq "$(path_line "$A" | cut -d' ' -f2-)" "E A" "swapped: $A's group enabled, not used"
	expect_eq "$(path_daemon "$B")" "active ready 50" "multipathd: $B priority 50"
	expect_eq "$(path_daemon "$A")" "active ready 10" "multipathd: $A priority 10"
	expect_ne "$(ua_count "$A")" "$e1" "$A's nexus told: ASYMMETRIC ACCESS STATE CHANGED"
	expect_ne "$(ua_count "$B")" "$e2" "$B's nexus told: ASYMMETRIC ACCESS STATE CHANGED"
	expect_eq "$(rtpg "$A" | tr '\n' ';')" "1 active_nonoptimized 0 1;2 active_optimized 0 2;" \
		"RTPG after the swap"
	w=$(io_window)
	log "READ+WRITE commands in 4 s, tpgt_1 tpgt_2 (optimized): $w"
	expect_match "$w" '^0 [1-9][0-9]*$' "I/O follows: tpgt_2 only"

	# -- standby: a ghost path, refused, no I/O
	expect_ok alua_set 1 active_optimized
	expect_ok alua_set 2 standby
	wait_until 60 '[ "$(path_line "$A" | cut -d" " -f2)" = A ] &&
		[ "$(path_line "$B" | cut -d" " -f3)" = A ] &&
		[ "$(path_daemon "$B")" = "active ghost 1" ]'
	show_map
	expect_eq "$(path_daemon "$B")" "active ghost 1" "multipathd: $B standby, a ghost, priority 1"
	expect_eq "$(path_daemon "$A")" "active ready 50" "multipathd: $A priority 50"
	expect_eq "$(path_line "$A" | cut -d' ' -f2-)" "A A" "$A's group is active"
	expect_eq "$(path_line "$B" | cut -d' ' -f2-)" "E A" "$B's group enabled, the path not failed"
	expect_match "$(multipath -ll "$MAP" | grep " $B ")" "active ghost running" \
		"multipath -ll: $B active ghost"
	expect_eq "$(rtpg "$A" | tr '\n' ';')" "1 active_optimized 0 1;2 standby 0 2;" \
		"RTPG: group 2 standby"
	expect_eq "$(cat "/sys/block/$B/device/access_state")" standby "scsi_dh_alua: $B standby"
	r=$(sense "$B" sg_raw -r 512 "/dev/$B" 28 00 00 00 00 00 00 00 01 00)
	echo "$r"
	expect_match "$r" "Not Ready" "READ(10) through the standby port: NOT READY"
	expect_match "$r" "target port in standby state" "READ(10) through the standby port: 04h/0Bh"
	expect_match "$(sense "$B" sg_turs -vv "/dev/$B")" "target port in standby state" \
		"TEST UNIT READY through the standby port: 04h/0Bh"
	w=$(io_window)
	log "READ+WRITE commands in 4 s, tpgt_1 tpgt_2 (standby): $w"
	expect_match "$w" '^[1-9][0-9]* 0$' "I/O goes on through tpgt_1 only"
	fio_running "the last state change"
	fio_check "ALUA states changed"

	# -- unavailable and transitioning, as reported
	expect_ok alua_set 2 unavailable
	expect_eq "$(rtpg "$A" | sed -n 2p)" "2 unavailable 0 2" "RTPG: group 2 unavailable"
	expect_match "$(sense "$B" sg_turs -vv "/dev/$B")" "target port in unavailable state" \
		"TEST UNIT READY through the unavailable port: 04h/0Ch"
	expect_ok alua_set 2 transitioning
	expect_eq "$(rtpg "$A" | sed -n 2p)" "2 transitioning 0 2" "RTPG: group 2 transitioning"

	# -- both optimized: one group of two paths again
	expect_ok alua_set 2 active_optimized
	wait_until 60 '[ "$(groups)" = 1 ] && [ "$(path_daemon "$B")" = "active ready 50" ]'
	show_map
	expect_eq "$(groups)" 1 "both optimized: one group"
	expect_eq "$(path_line "$A")" "1 A A" "$A active"
	expect_eq "$(path_line "$B")" "1 A A" "$B active"
	expect_eq "$(path_daemon "$B")" "active ready 50" "multipathd: $B priority 50"
}

if [ ! -e "$T/tpgt_1/alua/access_state" ]; then
	log "NOTE: this kitt has no ALUA (no tpgt_1/alua/access_state): the ALUA part did not run"
	expect_match "$(sg_inq "/dev/$A" 2>/dev/null)" 'TPGS=0' "INQUIRY: TPGS 00b, no ALUA"
elif [ ! -d /sys/module/scsi_dh_alua ]; then
	log "NOTE: this kernel has no scsi_dh_alua: the ALUA part did not run"
else
	alua_test
fi

# ---- tear-down ------------------------------------------------------------------
# (multipath_stop does it at exit too; here it is checked)
expect_ok multipath_stop
expect_eq "$(mpath_maps)" "" "the map is gone"
expect_ok iscsi_logout "$IQN"
wait_until 20 kitt_idle
expect_ok kitt_idle
