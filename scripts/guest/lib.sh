# SPDX-License-Identifier: GPL-2.0
# Helpers for kitt's guest tests (bash). A test starts with
#
#	#!/bin/bash
#	# kitt-timeout: 300        optional: seconds before the harness kills it
#	. /kitt/lib.sh
#	kitt_test_setup [--initiator]   usually: kitt loaded, see below
#
# and records its checks with pass/fail/expect_*; the test fails when any
# check failed or the script exits non-zero. Commands given to cleanup_add
# run in reverse order when the script exits, then a summary line prints.
# See Documentation/testing.rst.

KITT_CFS=/sys/kernel/config/kitt
LIO_CFS=/sys/kernel/config/target
KITT_IQN_BASE=iqn.2024-01.org.kitt
KITT_INITIATOR=$(sed -n 's/^InitiatorName=//p' /etc/iscsi/initiatorname.iscsi 2>/dev/null)
# The test's own target name and the portal address of most tests, set
# here so that a test's constants may use them before its set-up runs. A
# test that needs other names sets its own.
IQN=$KITT_IQN_BASE:$KITT_TEST
P=127.0.0.1

_kitt_pass=0
_kitt_fail=0
_kitt_cleanups=()

# ---- reporting ------------------------------------------------------------

log() { echo "[$(date +%T)] $*"; }

pass()
{
	_kitt_pass=$((_kitt_pass + 1))
	echo "ok: $*"
}

fail()
{
	_kitt_fail=$((_kitt_fail + 1))
	echo "$_kitt_fail" > /tmp/kitt-fails
	echo "NOT OK: $*"
}

# die MSG: record a failure and stop the test (cleanups still run).
die()
{
	fail "$*"
	exit 1
}

# expect_eq ACTUAL EXPECTED MSG
expect_eq()
{
	if [ "$1" = "$2" ]; then
		pass "$3"
	else
		fail "$3: got '$1', expected '$2'"
	fi
}

# expect_ne ACTUAL UNEXPECTED MSG
expect_ne()
{
	if [ "$1" != "$2" ]; then
		pass "$3"
	else
		fail "$3: got '$1'"
	fi
}

# expect_match STRING REGEX MSG (grep -E syntax)
expect_match()
{
	if printf '%s\n' "$1" | grep -Eq -- "$2"; then
		pass "$3"
	else
		fail "$3: '$1' does not match /$2/"
	fi
}

# expect_ok CMD...: the command must succeed. Its output is shown.
expect_ok()
{
	local rc

	"$@"
	rc=$?
	if [ $rc -eq 0 ]; then
		pass "$*"
	else
		fail "$* (exit $rc)"
	fi
	return $rc
}

# expect_fail CMD...: the command must fail.
expect_fail()
{
	if "$@"; then
		fail "$* succeeded, expected failure"
		return 1
	fi
	pass "$* fails as expected"
	return 0
}

# fails_with TEXT CMD...: CMD must fail, with TEXT in its output (the
# error message).
fails_with()
{
	local want=$1 out

	shift
	if out=$("$@" 2>&1); then
		fail "$* succeeded, expected '$want'"
		return 1
	fi
	case "$out" in
	*"$want"*) pass "$* refused: $want" ;;
	*) fail "$*: '$out', expected '$want'" ;;
	esac
}

# put FILE VALUE: echo VALUE > FILE, as one command for expect_ok and
# fails_with.
put() { echo "$2" > "$1"; }

# must CMD...: run a setup step; stop the test if it fails.
must()
{
	"$@" || die "setup step failed: $*"
}

# cleanup_add CMD: run CMD (a string, eval'ed) when the test exits.
cleanup_add() { _kitt_cleanups+=("$1"); }

_kitt_exit()
{
	local rc=$? i

	for ((i = ${#_kitt_cleanups[@]} - 1; i >= 0; i--)); do
		eval "${_kitt_cleanups[i]}" || echo "cleanup failed: ${_kitt_cleanups[i]}"
	done
	echo "RESULT $KITT_TEST: $_kitt_pass ok, $_kitt_fail not ok"
	[ $_kitt_fail -gt 0 ] && [ $rc -eq 0 ] && rc=1
	exit $rc
}
trap _kitt_exit EXIT

# wait_for SECONDS CMD...: poll CMD every 0.1 s until it succeeds.
wait_for()
{
	local deadline=$(($(date +%s) + $1))

	shift
	until "$@" >/dev/null 2>&1; do
		[ "$(date +%s)" -ge $deadline ] && return 1
		sleep 0.1
	done
}

# wait_until SECONDS 'SHELL CONDITION': like wait_for, for a condition
# that must be evaluated anew each time, e.g. '[ "$(cat f)" = 1 ]' (in
# single quotes: wait_for test "$(cat f)" = 1 would read f only once).
wait_until()
{
	local deadline=$(($(date +%s) + $1))

	until eval "$2" >/dev/null 2>&1; do
		[ "$(date +%s)" -ge $deadline ] && return 1
		sleep 0.1
	done
}

# export_file PATH [NAME]: copy a file to the host's log directory
# (build/test-logs/<kernel>/<test>/files/NAME).
export_file()
{
	echo "=== KITT-FILE-BEGIN ${2:-$(basename "$1")} ==="
	base64 "$1"
	echo "=== KITT-FILE-END ==="
}

# ---- kitt ------------------------------------------------------------------

# Objects of a slab cache in use. A KASAN kernel keeps freed objects in a
# quarantine, still counted: shrinking the cache empties its part first.
slab_objs()
{
	[ -w "/sys/kernel/slab/$1/shrink" ] && echo 1 > "/sys/kernel/slab/$1/shrink"
	awk -v c="$1" '$1 == c { print $2 }' /proc/slabinfo
}

# slab_settle: empty the debug kernel's KASAN quarantine, whose freed
# objects still count as slab in use (shrinking each cache frees its
# part); elsewhere it only trims empty slabs. Before comparing slab use.
slab_settle()
{
	local f

	for f in /sys/kernel/slab/*/shrink; do
		[ -w "$f" ] && echo 1 > "$f" 2>/dev/null
	done
	return 0
}

# /sys/kernel/kitt/live when kitt holds no connection and no session.
KITT_LIVE0=$(printf 'connections 0\nsessions 0')

# kitt_idle: kitt holds no connection and no session.
kitt_idle() { [ "$(cat /sys/kernel/kitt/live)" = "$KITT_LIVE0" ]; }

# unreclaimable: the kernel's unreclaimable slab memory (SUnreclaim), in kB.
unreclaimable() { awk '$1 == "SUnreclaim:" { print $2 }' /proc/meminfo; }

kitt_load() { modprobe kitt "$@"; }
kitt_unload() { rmmod kitt; }

# kitt_dev_create NAME PATH: a backstore over block device PATH, enabled.
kitt_dev_create()
{
	mkdir "$KITT_CFS/devices/$1" &&
	echo "$2" > "$KITT_CFS/devices/$1/path" &&
	echo 1 > "$KITT_CFS/devices/$1/enable"
}

# kitt_target_create IQN [TPGT]: a target with one portal group.
kitt_target_create() { mkdir -p "$KITT_CFS/targets/$1/tpgt_${2:-1}"; }

# kitt_portal_add IQN TPGT ADDR:PORT
kitt_portal_add() { mkdir "$KITT_CFS/targets/$1/tpgt_$2/portals/$3"; }

# kitt_lun_add IQN TPGT LUN DEVNAME
kitt_lun_add() { ln -s "$KITT_CFS/devices/$4" "$KITT_CFS/targets/$1/tpgt_$2/luns/$3"; }

# kitt_acl_add IQN TPGT INITIATOR-IQN
kitt_acl_add() { mkdir "$KITT_CFS/targets/$1/tpgt_$2/acls/$3"; }

# kitt_tpg_attr IQN TPGT NAME VALUE / kitt_tpg_param IQN TPGT KEY VALUE
kitt_tpg_attr() { echo "$4" > "$KITT_CFS/targets/$1/tpgt_$2/attrib/$3"; }
kitt_tpg_param() { echo "$4" > "$KITT_CFS/targets/$1/tpgt_$2/params/$3"; }

# kitt_tpg_open IQN TPGT: any initiator, no CHAP (a lab setup).
kitt_tpg_open()
{
	kitt_tpg_attr "$1" "$2" generate_node_acls 1 &&
	kitt_tpg_attr "$1" "$2" authentication 0
}

# kitt_tpg_enable IQN TPGT [0|1]
kitt_tpg_enable() { echo "${3:-1}" > "$KITT_CFS/targets/$1/tpgt_$2/enable"; }

# kitt_quick_target IQN BLOCKDEV [ADDR:PORT]: device "d0" over BLOCKDEV as
# LUN 0 of tpgt_1, open access, one portal (default 127.0.0.1:3260), enabled.
kitt_quick_target()
{
	local iqn=$1 bdev=$2 portal=${3:-127.0.0.1:3260} name

	name=d$(ls "$KITT_CFS/devices" | wc -l)
	kitt_dev_create "$name" "$bdev" &&
	kitt_target_create "$iqn" 1 &&
	kitt_lun_add "$iqn" 1 0 "$name" &&
	kitt_tpg_open "$iqn" 1 &&
	kitt_portal_add "$iqn" 1 "$portal" &&
	kitt_tpg_enable "$iqn" 1
}

# kitt_teardown: remove every target and device from configfs.
kitt_teardown()
{
	local t g x

	[ -d "$KITT_CFS" ] || return 0
	for t in "$KITT_CFS"/targets/*/; do
		[ -d "$t" ] || continue
		for g in "$t"tpgt_*/; do
			[ -d "$g" ] || continue
			echo 0 > "$g/enable" 2>/dev/null
			for x in "$g"luns/*; do [ -L "$x" ] && rm -f "$x"; done
			for x in "$g"acls/*/luns/*/; do [ -d "$x" ] && rmdir "$x"; done
			for x in "$g"acls/*/ "$g"portals/*/; do [ -d "$x" ] && rmdir "$x"; done
			rmdir "$g"
		done
		rmdir "$t"
	done
	for x in "$KITT_CFS"/devices/*/; do
		[ -d "$x" ] || continue
		echo 0 > "$x/enable" 2>/dev/null
		rmdir "$x"
	done
}

# ---- EXTENDED COPY by hand (sg_raw) -------------------------------------------

# xcopy_list FILE NAA-HEX SRC-LBA DST-LBA BLOCKS: one 0xE4 target (the LU
# whose NAA designator is NAA-HEX) and one segment inside it; list id 5,
# held for COPY STATUS.
xcopy_list()
{
	local f=$1 naa=$2 s=$3 d=$4 n=$5 b

	b="\\x05\\x00\\x00\\x20\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x1c\\x00\\x00\\x00\\x00"
	b+="\\xe4\\x00\\x00\\x00\\x01\\x03\\x00\\x08"
	b+=$(echo "$naa" | sed 's/../\\x&/g')
	b+="\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x02\\x00"
	b+="\\x02\\x00\\x00\\x18\\x00\\x00\\x00\\x00\\x00\\x00"
	b+=$(printf '\\x%02x\\x%02x' $((n >> 8)) $((n & 255)))
	b+=$(printf '%016x' "$s" | sed 's/../\\x&/g')
	b+=$(printf '%016x' "$d" | sed 's/../\\x&/g')
	printf "$b" > "$f"
}
# xcopy_raw SG FILE: EXTENDED COPY with FILE as the parameter list; prints
# "status|sense key|additional sense".
xcopy_raw()
{
	local out st key asc

	out=$(sg_raw -v -s 76 -i "$2" "$1" 83 00 00 00 00 00 00 00 00 00 00 00 00 4c 00 00 2>&1)
	echo "$out" >> /tmp/sg_raw.log
	st=$(echo "$out" | sed -n 's/.*SCSI Status: \([A-Za-z ]*\).*/\1/p' | head -1 | tr -d ' ')
	key=$(echo "$out" | sed -n 's/.*Sense key: \(.*\)/\1/p' | head -1)
	asc=$(echo "$out" | sed -n 's/.*Additional sense: \(.*\)/\1/p' | head -1)
	echo "${st:-Good}|$key|$asc"
}
# naa_of SG: the NAA designator VPD page 0x83 lists first (the LU's), in hex.
naa_of() { sg_vpd -p 0x83 -r "$1" | od -An -tx1 -j 8 -N 8 | tr -d ' \n'; }

# ---- kitt-fuzz scenario fenced ---------------------------------------------------

# fenced_run IQN INITIATOR ACTION: kitt-fuzz as INITIATOR leaves a WRITE
# waiting for its data and one parked behind a CmdSN gap (LBAs 0-255 of
# its LUN 0); once they are in, ACTION runs (eval'd: a reset from another
# nexus, say); then the data and the missing CmdSN go. Prints the
# scenario's output; its last line is "PASS fenced" when both WRITEs
# answered TASK ABORTED.
fenced_run()
{
	local fpid

	rm -f /tmp/go
	mkfifo /tmp/go
	exec 7<>/tmp/go
	/kitt/kitt-fuzz scenario fenced --target "$1" --portal "$P:3260" --initiator "$2" \
		--hold 60 <&7 >/tmp/fenced.out 2>&1 &
	fpid=$!
	if wait_for 30 grep -q '^READY' /tmp/fenced.out; then
		eval "$3"
		echo GO >&7
	fi
	wait $fpid
	exec 7>&-
	cat /tmp/fenced.out
}

# ---- backing devices ---------------------------------------------------------

# brd_load SIZE_MB [COUNT]: /dev/ram0.. of SIZE_MB each (data is kept).
brd_load() { modprobe brd rd_nr="${2:-1}" rd_size=$(($1 * 1024)); }

# null_blk_load SIZE_GB: /dev/nullb0, fast, discards data.
null_blk_load()
{
	modprobe null_blk queue_mode=2 irqmode=0 hw_queue_depth=256 nr_devices=1 gb="${1:-4}"
}

# scsi_debug_load PARAM=VALUE...: load scsi_debug (one memory-backed disk)
# and wait for its disk; scsi_debug_disk prints its node.
scsi_debug_load()
{
	modprobe sd_mod && modprobe scsi_debug "$@" || return 1
	wait_for 10 scsi_debug_disk >/dev/null
}
scsi_debug_disk()
{
	local b

	for b in /sys/bus/pseudo/drivers/scsi_debug/adapter*/host*/target*/*/block/*; do
		[ -e "$b" ] && { echo "/dev/$(basename "$b")"; return 0; }
	done
	return 1
}

# nullb_create NAME SIZE_MB DISCARD: a memory-backed null_blk device made
# through null_blk's configfs (module parameters cannot set a size in MB
# or discard per device). Its node: nullb_dev NAME.
nullb_create()
{
	local d=/sys/kernel/config/nullb/$1

	if [ ! -d /sys/kernel/config/nullb ]; then
		modprobe null_blk nr_devices=0 || return 1
	fi
	mkdir "$d" &&
	echo "$2" > "$d/size" &&
	echo 1 > "$d/memory_backed" &&
	echo "$3" > "$d/discard" &&
	echo 1 > "$d/power"
}

# nullb_dev NAME: the device node of NAME: /dev/NAME on kernels that name
# the disk after its configfs directory (6.1 does), else /dev/nullbINDEX.
nullb_dev()
{
	local i

	if [ -b "/dev/$1" ]; then
		echo "/dev/$1"
	elif i=$(cat "/sys/kernel/config/nullb/$1/index" 2>/dev/null) && [ -b "/dev/nullb$i" ]; then
		echo "/dev/nullb$i"
	else
		return 1
	fi
}

# nullb_remove_all: remove the devices nullb_create made, and null_blk.
nullb_remove_all()
{
	local d

	for d in /sys/kernel/config/nullb/*/; do
		[ -f "$d/power" ] || continue
		echo 0 > "$d/power"
		rmdir "$d"
	done
	rmmod null_blk 2>/dev/null
	return 0
}

# ---- initiator (open-iscsi) ------------------------------------------------------

# iscsid_start: load the initiator's modules and start iscsid.
iscsid_start()
{
	modprobe crc32c_generic 2>/dev/null
	modprobe iscsi_tcp || return 1
	modprobe sd_mod
	# Its own session: on SIGTERM iscsid signals its whole process group.
	setsid iscsid -f >/tmp/iscsid.log 2>&1 &
	echo $! > /tmp/iscsid.pid
	# iscsiadm exits 20 while it cannot reach iscsid.
	local i rc
	for i in $(seq 100); do
		iscsiadm -m session >/dev/null 2>&1
		rc=$?
		[ $rc -ne 20 ] && return 0
		sleep 0.1
	done
	echo "iscsid did not start"; cat /tmp/iscsid.log
	return 1
}

iscsid_stop()
{
	[ -f /tmp/iscsid.pid ] || return 0
	kill "$(cat /tmp/iscsid.pid)" 2>/dev/null
	wait "$(cat /tmp/iscsid.pid)" 2>/dev/null
	rm -f /tmp/iscsid.pid
}

# iscsi_discover PORTAL: SendTargets discovery; prints "portal,tpgt iqn" lines.
iscsi_discover() { iscsiadm -m discovery -t st -p "$1"; }

# iscsi_login IQN PORTAL: log in; the node record is created if no
# discovery made it, so a login test does not depend on SendTargets.
iscsi_login()
{
	iscsiadm -m node -T "$1" -p "$2" >/dev/null 2>&1 ||
		iscsiadm -m node -T "$1" -p "$2" -o new >/dev/null || return 1
	iscsiadm -m node -T "$1" -p "$2" -l
}

# iscsi_logout IQN [PORTAL]: delete the session's SCSI disks first: the
# 6.1 initiator can WARN (check_flush_dependency) when logout removes them.
iscsi_logout()
{
	local d

	for d in $(iscsi_disks "$1"); do
		echo 1 > "/sys/block/${d#/dev/}/device/delete" 2>/dev/null
	done
	iscsiadm -m node -T "$1" ${2:+-p "$2"} -u
}

# iscsi_logout_all: log out of every session and forget all nodes.
iscsi_logout_all()
{
	iscsiadm -m node -u >/dev/null 2>&1
	iscsiadm -m node -o delete >/dev/null 2>&1
	return 0
}

# iscsi_disks IQN: the /dev/sdX of every LUN of the sessions with target IQN.
iscsi_disks()
{
	local s b

	for s in /sys/class/iscsi_session/session*; do
		[ -e "$s/targetname" ] || continue
		[ "$(cat "$s/targetname")" = "$1" ] || continue
		for b in "$s"/device/target*/*/block/*; do
			[ -e "$b" ] && echo "/dev/$(basename "$b")"
		done
	done
}

# iscsi_lun_node LUN [block|scsi_generic]: the sdX (default) or the sgN of
# LUN LUN of the iSCSI sessions.
iscsi_lun_node()
{
	local n

	for n in /sys/class/iscsi_session/session*/device/target*/*:*:*:"$1"/"${2:-block}"/*; do
		[ -e "$n" ] && { echo "/dev/$(basename "$n")"; return 0; }
	done
	return 1
}

# path_node PORT LUN [block|scsi_generic]: the LUN's node on the session
# that came in through PORT (tests with two portals).
path_node()
{
	local s n

	for s in /sys/class/iscsi_session/session*; do
		[ "$(cat "$s"/device/connection*/iscsi_connection/connection*/persistent_port \
			2>/dev/null)" = "$1" ] || continue
		for n in "$s"/device/target*/*:*:*:"$2"/"${3:-block}"/*; do
			[ -e "$n" ] && { echo "/dev/$(basename "$n")"; return 0; }
		done
	done
	return 1
}

# iscsi_wait_disk IQN [SECONDS]: wait for the first LUN's disk; prints it.
iscsi_wait_disk()
{
	local deadline=$(($(date +%s) + ${2:-30})) d

	while :; do
		d=$(iscsi_disks "$1" | head -1)
		if [ -n "$d" ] && [ -b "$d" ]; then
			echo "$d"
			return 0
		fi
		[ "$(date +%s)" -ge $deadline ] && return 1
		sleep 0.2
	done
}

# ---- udev and dm-multipath -------------------------------------------------------

# udev_start: start systemd-udevd (the guest has no systemd; the udev
# database, ID_SERIAL and the dm and multipath rules need it), replay the
# block and SCSI devices already there, and wait until it has handled
# them. At exit: udev_stop. Without it /dev still comes from devtmpfs.
udev_start()
{
	[ -f /tmp/udevd.pid ] && return 0
	mkdir -p /run/udev
	SYSTEMD_LOG_LEVEL=${UDEV_LOG_LEVEL:-notice} setsid /lib/systemd/systemd-udevd \
		--resolve-names=never >/tmp/udevd.log 2>&1 &
	echo $! > /tmp/udevd.pid
	cleanup_add udev_stop
	if ! wait_for 20 udevadm control --ping; then
		echo "udevd did not start"; cat /tmp/udevd.log
		return 1
	fi
	udevadm trigger --action=add --subsystem-match=scsi --subsystem-match=block
	udevadm settle -t 60
}

udev_stop()
{
	[ -f /tmp/udevd.pid ] || return 0
	udevadm control --exit 2>/dev/null || kill "$(cat /tmp/udevd.pid)" 2>/dev/null
	wait "$(cat /tmp/udevd.pid)" 2>/dev/null
	rm -f /tmp/udevd.pid
}

# multipath.conf of multipath_start: kitt's disks (vendor KITT) and no
# others, named by WWID, all paths of a LU in one group (round robin),
# checked by TEST UNIT READY every 2 s; I/O queued for 10 checks when no
# path is left, then failed; an iSCSI path fails its commands after 5 s
# without a connection (multipathd sets the session's recovery_tmo).
KITT_MPATH_CONF='defaults {
	user_friendly_names no
	find_multipaths no
	enable_foreign "^$"
	polling_interval 2
	max_polling_interval 4
	fast_io_fail_tmo 5
	no_path_retry 10
	failback immediate
}
blacklist {
	device {
		vendor ".*"
		product ".*"
	}
}
blacklist_exceptions {
	device {
		vendor "KITT"
		product ".*"
	}
}
devices {
	device {
		vendor "KITT"
		product ".*"
		path_grouping_policy multibus
		path_selector "round-robin 0"
		path_checker tur
		prio const
		detect_prio no
	}
}'

# multipath_start [CONF]: dm-multipath for kitt's disks: the modules
# (scsi_dh_alua before any login, as the SCSI scan only attaches a loaded
# handler; the debug kernel has none), udev (udev_start),
# /etc/multipath.conf (CONF's text, default $KITT_MPATH_CONF) and
# multipathd in the foreground, in its own session, logging to
# /tmp/multipathd.log. At exit, before udev and the initiator stop:
# multipath_stop.
multipath_start()
{
	modprobe -a dm_multipath dm_round_robin || return 1
	modprobe scsi_dh_alua 2>/dev/null
	modprobe dm_service_time 2>/dev/null
	printf '%s\n' "${1:-$KITT_MPATH_CONF}" > /etc/multipath.conf
	udev_start || return 1
	setsid multipathd -d -s >/tmp/multipathd.log 2>&1 &
	echo $! > /tmp/multipathd.pid
	cleanup_add multipath_stop
	if ! wait_until 30 'multipathd show daemon | grep -Eq "idle|running"'; then
		echo "multipathd did not start"; cat /tmp/multipathd.log
		return 1
	fi
}

# multipath_stop: fail what the maps queue, stop multipathd, remove every
# multipath map (so that the paths' sessions can log out and kitt unload).
multipath_stop()
{
	local m

	[ -f /tmp/multipathd.pid ] || return 0
	for m in $(mpath_maps); do
		dmsetup message "$m" 0 fail_if_no_path 2>/dev/null
	done
	multipathd shutdown >/dev/null 2>&1 || kill "$(cat /tmp/multipathd.pid)" 2>/dev/null
	wait "$(cat /tmp/multipathd.pid)" 2>/dev/null
	rm -f /tmp/multipathd.pid
	multipath -F >/dev/null 2>&1
	for m in $(mpath_maps); do
		dmsetup remove --retry "$m"
	done
	[ -z "$(mpath_maps)" ]
}

# mpath_maps: the names of the multipath maps.
mpath_maps() { dmsetup ls --target multipath 2>/dev/null | awk '!/^No devices found/ { print $1 }'; }

# mpath_status MAP: the kernel's view of MAP, one line per path from
# dmsetup status: "GROUP GROUP-STATE DEVICE PATH-STATE FAILURES", GROUP
# counted from 1, GROUP-STATE A (the group I/O goes to), E (enabled) or D
# (disabled), DEVICE as major:minor, PATH-STATE A (active) or F (failed).
mpath_status()
{
	dmsetup status "$1" | awk '$3 == "multipath" {
		i = 4; i += $i + 1; i += $i + 1
		npg = $i; i += 2
		for (g = 1; g <= npg; g++) {
			st = $i; i++
			i += $i + 1
			np = $i; ni = $(i + 1); i += 2
			for (p = 1; p <= np; p++) {
				print g, st, $i, $(i + 1), $(i + 2)
				i += 3 + ni
			}
		}
	}'
}

# ---- the preamble -----------------------------------------------------------------

# initiator_setup: start iscsid; when the test exits, log out of every
# session, then stop iscsid.
initiator_setup()
{
	iscsid_start || return 1
	cleanup_add iscsid_stop
	cleanup_add iscsi_logout_all
}

# kitt_test_setup [--initiator] [PARAM=VALUE...]: the set-up most tests
# begin with. Loads kitt with the module parameters given (the test stops
# if it does not load) and takes its configuration tree apart when the
# test exits; the harness unloads kitt after that, and fails the run if it
# cannot. --initiator adds initiator_setup, whose clean-ups run before
# kitt's. (IQN and P are set when this file is sourced.)
kitt_test_setup()
{
	local initiator=

	if [ "${1:-}" = --initiator ]; then
		initiator=1
		shift
	fi
	must kitt_load "$@"
	cleanup_add kitt_teardown
	[ -z "$initiator" ] || must initiator_setup
}

# ---- LIO, the baseline ----------------------------------------------------------

# lio_quick_target IQN BLOCKDEV [ADDR:PORT]: iblock LUN 0, demo mode, enabled.
lio_quick_target()
{
	local iqn=$1 bdev=$2 portal=${3:-127.0.0.1:3260} tpg

	modprobe crc32c_generic 2>/dev/null
	modprobe target_core_iblock && modprobe iscsi_target_mod || return 1
	mkdir -p "$LIO_CFS/core/iblock_0/lio0" &&
	echo "udev_path=$bdev" > "$LIO_CFS/core/iblock_0/lio0/control" &&
	echo 1 > "$LIO_CFS/core/iblock_0/lio0/enable" || return 1
	tpg=$LIO_CFS/iscsi/$iqn/tpgt_1
	mkdir -p "$tpg/lun/lun_0" &&
	ln -s "$LIO_CFS/core/iblock_0/lio0" "$tpg/lun/lun_0/lio0" &&
	mkdir "$tpg/np/$portal" &&
	echo 1 > "$tpg/attrib/generate_node_acls" &&
	echo 0 > "$tpg/attrib/demo_mode_write_protect" &&
	echo 0 > "$tpg/attrib/authentication" &&
	echo 1 > "$tpg/attrib/cache_dynamic_acls" &&
	echo 1 > "$tpg/enable"
}

# lio_teardown: remove every LIO iSCSI target and iblock device.
lio_teardown()
{
	local t g x

	[ -d "$LIO_CFS/iscsi" ] || return 0
	for t in "$LIO_CFS"/iscsi/iqn.*/ "$LIO_CFS"/iscsi/eui.*/ "$LIO_CFS"/iscsi/naa.*/; do
		[ -d "$t" ] || continue
		for g in "$t"tpgt_*/; do
			[ -d "$g" ] || continue
			echo 0 > "$g/enable" 2>/dev/null
			for x in "$g"np/*/; do [ -d "$x" ] && rmdir "$x"; done
			for x in "$g"acls/*/; do
				[ -d "$x" ] || continue
				for l in "$x"lun_*/; do
					[ -d "$l" ] || continue
					find "$l" -maxdepth 1 -type l -exec rm -f {} +
					rmdir "$l"
				done
				rmdir "$x"
			done
			for x in "$g"lun/lun_*/; do
				[ -d "$x" ] || continue
				find "$x" -maxdepth 1 -type l -exec rm -f {} +
				rmdir "$x"
			done
			rmdir "$g"
		done
		rmdir "$t"
	done
	for x in "$LIO_CFS"/core/iblock_*/*/ "$LIO_CFS"/core/fileio_*/*/; do
		[ -d "$x" ] && [ -f "$x/enable" ] && rmdir "$x"
	done
	for x in "$LIO_CFS"/core/iblock_*/ "$LIO_CFS"/core/fileio_*/; do
		[ -d "$x" ] && rmdir "$x"
	done
	return 0
}
