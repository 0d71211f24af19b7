#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# kitt-timeout: 180
# pin_threads: by default (Y) the receive and transmit threads of each
# connection of a normal session run on one CPU, the one with the fewest
# such connections; a CPU freed by a logout is taken again. With N
# (writable) new connections run anywhere and the pinned ones stay. I/O
# runs through both kinds.
. /kitt/lib.sh

T1=$IQN-1
T2=$IQN-2

kitt_test_setup --initiator
[ "$(nproc)" -ge 2 ] || die "needs 2 CPUs"
ALL=$(cat /sys/devices/system/cpu/online)
must brd_load 16 2
must kitt_quick_target "$T1" /dev/ram0 "$P:3260"
must kitt_quick_target "$T2" /dev/ram1 "$P:3261"
expect_eq "$(cat /sys/module/kitt/parameters/pin_threads)" Y "pin_threads is on by default"

# cpus_of NAME: the CPUs the kernel thread NAME may run on.
cpus_of()
{
	local p

	for p in /proc/[0-9]*; do
		[ "$(cat "$p/comm" 2>/dev/null)" = "$1" ] || continue
		sed -n 's/^Cpus_allowed_list:[[:space:]]*//p' "$p/status"
		return 0
	done
	return 1
}

# conn_ids: the numbers N of the kitt_tx/N threads (connections in full
# feature phase), in ascending order.
conn_ids()
{
	cat /proc/[0-9]*/comm 2>/dev/null | sed -n 's|^kitt_tx/||p' | sort -n
}

# rw_check IQN: a write through the session's disk reads back the same.
rw_check()
{
	local disk

	disk=$(iscsi_wait_disk "$1") || { fail "no disk for $1"; return; }
	head -c 65536 /dev/urandom > /tmp/pattern
	dd if=/tmp/pattern of="$disk" bs=64k count=1 oflag=direct 2>/dev/null
	expect_eq "$(dd if="$disk" bs=64k count=1 iflag=direct 2>/dev/null | md5sum)" \
		"$(md5sum < /tmp/pattern)" "$1: 64 KiB read back byte for byte"
}

# pinned LABEL ID: connection ID's threads on one CPU, the same one, which
# goes to $cpu.
pinned()
{
	local rx tx

	rx=$(cpus_of "kitt_rx/$2")
	tx=$(cpus_of "kitt_tx/$2")
	log "connection $2: kitt_rx on $rx, kitt_tx on $tx"
	expect_match "$rx" '^[0-9]+$' "$1: connection $2's receive thread on one CPU"
	expect_eq "$tx" "$rx" "$1: connection $2's transmit thread on the receive thread's CPU"
	cpu=$rx
}

# On (the default): each connection on its own CPU while there are CPUs.
must iscsi_login "$T1" "$P:3260"
must iscsi_login "$T2" "$P:3261"
rw_check "$T1"
rw_check "$T2"
ids=$(conn_ids)
expect_eq "$(echo "$ids" | wc -w)" 2 "two connections in full feature phase"
cpus=()
for id in $ids; do
	pinned default "$id"
	cpus+=("$cpu")
done
expect_ne "${cpus[0]}" "${cpus[1]}" "the two connections on different CPUs"

# The second logs out and in again: it takes the CPU it left, the one
# with fewer connections, however many logins came before.
second=$(echo "$ids" | tail -1)
iscsi_logout "$T2" "$P:3261" >/dev/null
wait_until 20 '[ "$(conn_ids | wc -w)" = 1 ]' || fail "$T2's connection did not end"
must iscsi_login "$T2" "$P:3261"
rw_check "$T2"
for id in $(conn_ids); do
	[ "$id" = "$(echo "$ids" | head -1)" ] && continue
	expect_ne "$id" "$second" "a new connection for $T2"
	pinned again "$id"
	expect_eq "$cpu" "${cpus[1]}" "the new connection on the CPU the old one left"
done
expect_eq "$(conn_ids | wc -w)" 2 "two connections again"

# Off: a new connection may run anywhere; the pinned one stays as it was.
must put /sys/module/kitt/parameters/pin_threads N
iscsi_logout "$T2" "$P:3261" >/dev/null
wait_until 20 '[ "$(conn_ids | wc -w)" = 1 ]'
must iscsi_login "$T2" "$P:3261"
rw_check "$T2"
old=$(echo "$ids" | head -1)
for id in $(conn_ids); do
	rx=$(cpus_of "kitt_rx/$id")
	tx=$(cpus_of "kitt_tx/$id")
	if [ "$id" = "$old" ]; then
		expect_eq "$rx" "${cpus[0]}" "connection $id keeps its CPU"
	else
		expect_eq "$rx" "$ALL" "pin_threads=N: connection $id's receive thread on any CPU"
		expect_eq "$tx" "$ALL" "pin_threads=N: connection $id's transmit thread on any CPU"
	fi
done
expect_fail put /sys/module/kitt/parameters/pin_threads maybe
expect_eq "$(cat /sys/module/kitt/parameters/pin_threads)" N "a bad value leaves pin_threads as it was"
iscsi_logout_all
