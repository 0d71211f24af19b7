#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# kitt-timeout: 240
# Portals: TCP connections are accepted on IPv4 and IPv6 addresses; one
# listener serves every portal group naming an address; a wildcard and a
# specific address on the same port both listen (the more specific one
# gets its connections), as do [::] and 0.0.0.0; bind errors come back
# from mkdir; the last portal of an address stops its listener.
. /kitt/lib.sh

# accepted_by CONNECT-HOST PORT LISTENER: a TCP connection to HOST:PORT is
# accepted by the listener of portal LISTENER (kitt logs each accept with
# debug_mask=1).
accepted_by()
{
	local n

	n=$(dmesg | grep -c "portal $3: connection accepted")
	if ! (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; then
		fail "connect to $1 port $2"
		return 1
	fi
	if wait_until 10 "[ \"\$(dmesg | grep -c 'portal $3: connection accepted')\" -gt $n ]"; then
		pass "$1 port $2 accepted by the listener of $3"
	else
		fail "$1 port $2 not accepted by the listener of $3"
	fi
}

listeners() { ps -o comm | grep -c "^kitt_np$1\$"; }

kitt_test_setup debug_mask=1
T=$KITT_CFS/targets
B=$KITT_IQN_BASE

# IPv4 and IPv6 loopback.
must mkdir -p "$T/$B:a/tpgt_1"
expect_ok mkdir "$T/$B:a/tpgt_1/portals/127.0.0.1:3260"
expect_ok mkdir "$T/$B:a/tpgt_1/portals/[::1]:3260"
accepted_by 127.0.0.1 3260 127.0.0.1:3260
accepted_by ::1 3260 "\[::1\]:3260"
expect_eq "$(listeners 3260)" 2 "two addresses, two listeners"

# Shared by several targets and portal groups: one listener.
must mkdir -p "$T/$B:b/tpgt_1" "$T/$B:b/tpgt_2" "$T/$B:c/tpgt_9"
expect_ok mkdir "$T/$B:b/tpgt_2/portals/127.0.0.1:3260"
expect_ok mkdir "$T/$B:c/tpgt_9/portals/127.0.0.1:3260"
expect_eq "$(listeners 3260)" 2 "still two listeners"
accepted_by 127.0.0.1 3260 127.0.0.1:3260

# A wildcard and a specific address on one port.
expect_ok mkdir "$T/$B:b/tpgt_1/portals/0.0.0.0:3261"
expect_ok mkdir "$T/$B:c/tpgt_9/portals/127.0.0.1:3261"
accepted_by 127.0.0.1 3261 127.0.0.1:3261
accepted_by 127.0.0.2 3261 0.0.0.0:3261
# The specific one may come first, too.
expect_ok mkdir "$T/$B:c/tpgt_9/portals/127.0.0.3:3265"
expect_ok mkdir "$T/$B:b/tpgt_1/portals/0.0.0.0:3265"
accepted_by 127.0.0.3 3265 127.0.0.3:3265
accepted_by 127.0.0.4 3265 0.0.0.0:3265

# [::] beside 0.0.0.0 (IPv6 sockets are IPv6-only).
expect_ok mkdir "$T/$B:a/tpgt_1/portals/[::]:3262"
expect_ok mkdir "$T/$B:b/tpgt_1/portals/0.0.0.0:3262"
accepted_by ::1 3262 "\[::\]:3262"
accepted_by 127.0.0.1 3262 0.0.0.0:3262
expect_ok mkdir "$T/$B:c/tpgt_9/portals/[::1]:3262"
accepted_by ::1 3262 "\[::1\]:3262"

# Bind errors are mkdir's errors, and nothing is left behind.
fails_with "Cannot assign requested address" mkdir "$T/$B:a/tpgt_1/portals/192.0.2.1:3260"
fails_with "Cannot assign requested address" mkdir "$T/$B:a/tpgt_1/portals/[2001:db8::1]:3260"
nc -l -p 3270 >/dev/null 2>&1 &
ncpid=$!
cleanup_add "kill $ncpid 2>/dev/null; true"
wait_for 5 sh -c "netstat -ltn 2>/dev/null | grep -q ':3270 '"
fails_with "Address already in use" mkdir "$T/$B:a/tpgt_1/portals/127.0.0.1:3270"
expect_match "$(dmesg | tail -2)" "127.0.0.1:3270: address already in use by another program" \
	"the log names the address"
kill $ncpid 2>/dev/null
wait $ncpid 2>/dev/null
expect_eq "$(ls -A $T/$B:a/tpgt_1/portals | grep -c 3270)" 0 "nothing left behind"
expect_eq "$(listeners 3270)" 0 "no listener left behind"
expect_ok mkdir "$T/$B:a/tpgt_1/portals/127.0.0.1:3270"
accepted_by 127.0.0.1 3270 127.0.0.1:3270

# The listener lives while any portal names its address.
expect_ok rmdir "$T/$B:a/tpgt_1/portals/127.0.0.1:3260"
expect_ok rmdir "$T/$B:b/tpgt_2/portals/127.0.0.1:3260"
accepted_by 127.0.0.1 3260 127.0.0.1:3260
expect_ok rmdir "$T/$B:c/tpgt_9/portals/127.0.0.1:3260"
expect_eq "$(listeners 3260)" 1 "the last portal took its listener along"
expect_fail bash -c "exec 3<>/dev/tcp/127.0.0.1/3260"
# ... and comes back at once, even with connections in TIME_WAIT.
expect_ok mkdir "$T/$B:a/tpgt_1/portals/127.0.0.1:3260"
accepted_by 127.0.0.1 3260 127.0.0.1:3260

# The port module parameter is the default port.
expect_ok kitt_teardown
expect_ok kitt_unload
must kitt_load debug_mask=1 port=3300
must mkdir -p "$T/$B:a/tpgt_1/portals/127.0.0.1"
accepted_by 127.0.0.1 3300 127.0.0.1:3300
expect_ok kitt_teardown
expect_ok kitt_unload
