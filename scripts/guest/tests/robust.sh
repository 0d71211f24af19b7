#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# kitt-timeout: 240
# Bad input never crashes, hangs or leaks: a connection that never logs in
# is closed after login_timeout; garbage, an oversized data segment, a
# non-login first PDU and a truncated header each end the connection;
# many connections at once are all cleaned up.
. /kitt/lib.sh

kitt_test_setup
must brd_load 16
must kitt_quick_target "$IQN" /dev/ram0 "$P:3260"
kitt_tpg_attr "$IQN" 1 login_timeout 3

live() { sed -n 's/^connections //p' /sys/kernel/kitt/live; }
idle() { test "$(live)" = 0; }

# send HEXBYTES: open a connection, write the bytes, keep it open 1 s.
send() {
	exec 3<>/dev/tcp/$P/3260 || return 1
	printf "$1" >&3
	sleep 1
	exec 3>&- 3<&-
}

# 1. An idle connection: closed by the login timeout. Logins do not know
# their portal group yet, so the default (15 s) applies until then.
exec 4<>/dev/tcp/$P/3260 || die "connect"
wait_until 3 '[ "$(live)" = 1 ]'
expect_eq "$(live)" 1 "an idle connection is up"
expect_ok wait_for 25 idle
exec 4>&- 4<&-
expect_match "$(dmesg | grep 'timed out' | tail -1)" "login from 127.0.0.1 timed out" "the timeout is logged"

# 2. 48 bytes of garbage (an unknown opcode during login).
send "$(head -c 48 /dev/urandom | od -An -tx1 | tr -d ' \n' | sed 's/\(..\)/\\x\1/g')"
expect_ok wait_for 5 idle

# 3. A Login Request announcing a 16 MB data segment.
hdr='\x43\x87\x00\x00\x00\xff\xff\xff'
send "$hdr$(printf '\\x00%.0s' $(seq 40))"
expect_ok wait_for 5 idle
expect_match "$(dmesg | tail -5)" "bad PDU|data segment" "the oversized segment is logged"

# 4. A SCSI Command before login.
send "\x01\x80\x00\x00\x00\x00\x00\x00$(printf '\\x00%.0s' $(seq 40))"
expect_ok wait_for 5 idle

# 5. Half a header, then close.
send '\x43\x87\x00\x00'
expect_ok wait_for 5 idle

# 6. Many connections at once.
for i in $(seq 40); do
	( exec 5<>/dev/tcp/$P/3260 && printf '\x43' >&5 && sleep 2 ) &
done
wait
expect_ok wait_for 30 idle

expect_eq "$(cat /sys/kernel/kitt/live)" "$KITT_LIVE0" "nothing left behind"
