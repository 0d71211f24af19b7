#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# kitt-timeout: 600
# kitt-kernels: 6.1
# 1000 login/logout cycles (issue 9): four libiscsi initiators, each with
# its own name and ACL, log in, send INQUIRY and log out 250 times each,
# at the same time. Every cycle must succeed and be a real login on kitt's
# side (1000 "normal login" lines); afterwards no connection, session or
# task is left, unreclaimable slab is back where it was, and the kernel
# log (followed all along, as 1000 login lines overflow its ring) is clean.
. /kitt/lib.sh

WORKERS=4
CYCLES=250		# per worker

# The whole kernel log, from boot, into a file.
dmesg -w > /tmp/klog 2>&1 &
klog_pid=$!
cleanup_add "kill $klog_pid 2>/dev/null"

must brd_load 16
kitt_test_setup
must kitt_target_create "$IQN" 1
must kitt_dev_create d0 /dev/ram0
must kitt_lun_add "$IQN" 1 0 d0
for w in $(seq $WORKERS); do
	must kitt_acl_add "$IQN" 1 "$KITT_IQN_BASE:cycler$w"
done
must kitt_tpg_attr "$IQN" 1 authentication 0
must kitt_portal_add "$IQN" 1 "$P:3260"
must kitt_tpg_enable "$IQN" 1

# A warm-up cycle, so that caches filled once do not count as growth.
iscsi-inq -i "$KITT_IQN_BASE:cycler1" "iscsi://$P/$IQN/0" >/dev/null ||
	die "a first libiscsi login fails"
wait_until 10 '[ "$(cat /sys/kernel/kitt/live)" = "$KITT_LIVE0" ]'
sync
echo 3 > /proc/sys/vm/drop_caches
slab_settle
slab0=$(unreclaimable)
sleep 1
logins0=$(grep -c 'kitt: normal login' /tmp/klog)

# cycler W: CYCLES cycles as initiator cyclerW; the number that worked
# goes to /tmp/cycles.W.
cycler() {
	local name=$KITT_IQN_BASE:cycler$1 i ok=0

	for ((i = 0; i < CYCLES; i++)); do
		iscsi-inq -i "$name" "iscsi://$P/$IQN/0" > "/tmp/inq.$1" 2>&1 &&
		[[ $(< "/tmp/inq.$1") == *Vendor:KITT* ]] && ok=$((ok + 1))
	done
	echo $ok > "/tmp/cycles.$1"
}

log "$((WORKERS * CYCLES)) login/logout cycles by $WORKERS initiators"
t0=$(date +%s)
pids=()
for w in $(seq $WORKERS); do
	cycler "$w" &
	pids+=($!)
done
# Sessions come and go; they never pile up.
most=0
while kill -0 "${pids[@]}" 2>/dev/null; do
	n=$(ls /sys/kernel/kitt/sessions | wc -l)
	[ "$n" -gt $most ] && most=$n
	sleep 1
done
wait "${pids[@]}"
secs=$(($(date +%s) - t0))
total=0
for w in $(seq $WORKERS); do
	total=$((total + $(cat "/tmp/cycles.$w")))
done
log "$total cycles in $secs s; at most $most sessions at once"
expect_eq "$total" $((WORKERS * CYCLES)) "every login/logout cycle works"
expect_eq "$((most <= WORKERS))" 1 "sessions never outnumber the initiators ($most)"
wait_until 10 '[ "$(cat /sys/kernel/kitt/live)" = "$KITT_LIVE0" ]'
expect_eq "$(cat /sys/kernel/kitt/live)" "$KITT_LIVE0" "no connection or session left behind"
expect_eq "$(slab_objs kitt_task)" 0 "no task left behind"
sleep 1
expect_eq "$(($(grep -c 'kitt: normal login' /tmp/klog) - logins0))" $((WORKERS * CYCLES)) \
	"kitt logged every login"

sync
echo 3 > /proc/sys/vm/drop_caches
slab_settle
slab1=$(unreclaimable)
log "unreclaimable slab: $slab0 kB before, $slab1 kB after"
# A connection costs kitt about 40 KiB: 1000 leaked ones would be 40 MB.
expect_eq "$((slab1 - slab0 < 4096))" 1 "unreclaimable slab grew by less than 4 MiB"
grep kitt /proc/slabinfo

# The harness checks the kernel log it dumps at the end; the start of it is
# gone from the ring by now, so check the copy.
PATTERNS='BUG:|WARNING:|Oops|general protection|blocked for more than|Call Trace:|'\
'Redzone|Poison overwritten|KFENCE|UBSAN|refcount_t:|list_(add|del) corruption|'\
'soft lockup|rcu: INFO|use-after-free|double free|scheduling while atomic'
kill $klog_pid
found=$(grep -E "$PATTERNS" /tmp/klog | head -5)
expect_eq "$found" "" "the kernel log is clean"
