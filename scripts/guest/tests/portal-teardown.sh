#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# kitt-kernels: 6.1
# kitt-timeout: 300
# Taking the tree apart by shell while listeners and connections are live:
# removing a portal closes the connections of its portal group that came
# through it (logged-in sessions and connections still in login), the
# last portal stops the listener, and then everything is freed and kitt
# unloads with a clean kernel log.
. /kitt/lib.sh

# closed FD: the peer closed the connection on FD (read sees EOF in time,
# well before the login timeout would close it).
closed()
{
	local rc

	timeout 5 cat <&"$1" >/dev/null 2>&1
	rc=$?
	if [ $rc -ne 124 ]; then
		pass "connection on fd $1 closed by kitt"
	else
		fail "connection on fd $1 still open"
	fi
}

# sessions_of IQN: kitt's live sessions of target IQN (sysfs).
sessions_of()
{
	local s n=0

	for s in /sys/kernel/kitt/sessions/*/; do
		[ -f "$s/target" ] && [ "$(cat "$s/target")" = "$1" ] && n=$((n + 1))
	done
	echo $n
}

# timed SECONDS CMD...: CMD must succeed within SECONDS.
timed()
{
	local s=$1 start rc

	shift
	start=$(date +%s)
	timeout "$s" "$@"
	rc=$?
	if [ $rc -eq 0 ]; then
		pass "$* ($(($(date +%s) - start)) s)"
	else
		fail "$* (exit $rc)"
	fi
}

must brd_load 32 1
cleanup_add "rmmod brd"
kitt_test_setup --initiator

A=$KITT_IQN_BASE:teardown-a
C=$KITT_IQN_BASE:teardown-c
GA=$KITT_CFS/targets/$A/tpgt_1
GC=$KITT_CFS/targets/$C/tpgt_1
must kitt_dev_create d0 /dev/ram0
must mkdir -p "$GA" "$GC"
must ln -s "$KITT_CFS/devices/d0" "$GA/luns/0"
must kitt_tpg_open "$A" 1
must kitt_tpg_open "$C" 1
must mkdir "$GA/portals/127.0.0.1:3260" "$GA/portals/[::1]:3260" "$GA/portals/0.0.0.0:3264"
# Target C lists the specific address beside A's wildcard: connections to
# 127.0.0.1:3264 arrive through C's listener but may log in to A.
must mkdir "$GC/portals/127.0.0.1:3264"
must kitt_tpg_enable "$A" 1
must kitt_tpg_enable "$C" 1

# Sessions: through the specific portal, and through the wildcard by way
# of the specific listener (discovery reports the wildcard portal with the
# address the initiator asked on).
expect_ok iscsi_discover 127.0.0.1:3260
expect_ok iscsi_login "$A" 127.0.0.1:3260
expect_ok iscsi_login "$A" 127.0.0.1:3264
expect_eq "$(sessions_of $A)" 2 "two sessions of $A"

# The wildcard portal goes: its session (through C's listener) goes too,
# and the connection waiting in login on that listener stays (it is not
# A's).
timed 30 rmdir "$GA/portals/0.0.0.0:3264"
wait_until 10 '[ "$(sessions_of $A)" -eq 1 ]'
expect_eq "$(sessions_of $A)" 1 "the session through the wildcard is closed"
expect_ok test -d "$GC/portals/127.0.0.1:3264"

# Unmapping the LUN under a live session waits for nothing in flight.
timed 30 rm "$GA/luns/0"

# The rest goes by shell, with the session and connections that never log
# in (kitt closes those after 15 s on its own) live.
exec 5<>/dev/tcp/127.0.0.1/3260
exec 6<>/dev/tcp/::1/3260
exec 7<>/dev/tcp/127.0.0.1/3264
timed 30 rmdir "$GA/portals/127.0.0.1:3260"
closed 5
wait_until 10 '[ "$(sessions_of $A)" -eq 0 ]'
expect_eq "$(sessions_of $A)" 0 "no session of $A left"
timed 30 rmdir "$GA/portals/[::1]:3260"
closed 6
timed 30 rmdir "$GC/portals/127.0.0.1:3264"
closed 7
expect_eq "$(ps -o comm | grep -c '^kitt_np')" 0 "no listener thread left"
timed 30 rmdir "$GA" "$GC"
timed 30 rmdir "$KITT_CFS/targets/$A" "$KITT_CFS/targets/$C"
expect_ok put "$KITT_CFS/devices/d0/enable" 0
expect_ok rmdir "$KITT_CFS/devices/d0"
exec 5>&- 6>&- 7>&-

# The initiator still retries its session; make it stop, then unload.
iscsi_logout_all
iscsid_stop
expect_ok kitt_unload
