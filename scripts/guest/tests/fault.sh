#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# kitt-timeout: 600
# Faults during I/O (issue 4): connections killed under load come back
# (the initiator reconnects and reinstates its session) with no data lost;
# NOP-In pings run throughout (nopin_interval 2); nothing leaks.
. /kitt/lib.sh

kitt_test_setup
must brd_load 128
must modprobe inet_diag
must modprobe tcp_diag
must initiator_setup
must kitt_quick_target "$IQN" /dev/ram0 "$P:3260"
kitt_tpg_attr "$IQN" 1 nopin_interval 2
kitt_tpg_attr "$IQN" 1 nopin_timeout 3
iscsiadm -m discovery -t st -p $P >/dev/null || die "discovery"
# Reconnect fast, and fail commands late, so a killed connection recovers.
iscsiadm -m node -T "$IQN" -p $P -o update -n node.session.timeo.replacement_timeout -v 60
must iscsi_login "$IQN" $P
disk=$(iscsi_wait_disk "$IQN" 30) || die "no disk"

# fio writes with verification while connections are killed under it.
fio --name=faults --filename="$disk" --size=64M --rw=randwrite --bsrange=4k-256k \
	--ioengine=libaio --iodepth=16 --direct=1 --verify=crc32c --verify_fatal=1 \
	--do_verify=1 --randrepeat=0 --output=/tmp/fio.out &
fio_pid=$!
for i in 1 2 3; do
	sleep 2
	log "killing the iSCSI connection ($i)"
	ss -K dst $P dport = :3260 >/dev/null 2>&1
	ss -K src $P sport = :3260 >/dev/null 2>&1
done
wait $fio_pid
rc=$?
grep -E "err=|WRITE:|READ:" /tmp/fio.out
expect_eq "$rc" 0 "fio verify across killed connections"
expect_match "$(dmesg | grep -c 'session .* reinstated\|normal login')" '^[2-9]|^[1-9][0-9]' \
	"the initiator logged in again"
wait_until 30 '[ "$(ls /sys/kernel/kitt/sessions | wc -l)" = 1 ]'
expect_eq "$(ls /sys/kernel/kitt/sessions | wc -l)" 1 "one session after recovery"

expect_ok iscsi_logout "$IQN"
wait_for 10 test -z "$(ls /sys/kernel/kitt/sessions)"
expect_eq "$(cat /sys/kernel/kitt/live)" "$KITT_LIVE0" \
	"no connection or session left behind"
slab=$(slab_objs kitt_task)
expect_eq "${slab:-0}" 0 "no task left behind"
