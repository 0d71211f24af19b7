#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# kitt-kernels: 6.1
# kitt-timeout: 420
# Two cluster nodes on one LUN (issue 11): two initiator names logged in
# at once (the default iface and an open-iscsi iface with its own
# InitiatorName). The LUN sits on dm-delay, whose writes take 2 s, so that
# commands are in flight when another node acts:
#  - O_DIRECT writes from one node read back byte for byte on the other;
#  - both register, node 1 reserves WRITE EXCLUSIVE, REGISTRANTS ONLY;
#    node 2 writes; node 1's PREEMPT AND ABORT of node 2's key waits for
#    node 2's write in flight, which ends in TASK ABORTED (kitt logs it),
#    and Linux's retry of it meets RESERVATION CONFLICT: node 2's dd fails,
#    and none of its later blocks reaches the medium; node 2 is fenced
#    (its writes fail, its key is gone), node 1 still writes;
#  - a LOGICAL UNIT RESET from node 1 aborts node 2's write in flight
#    (TASK ABORTED), which Linux retries: it completes and reads back;
#  - SPEC_I_PT registers node 2 by name from node 1; REGISTER AND MOVE
#    hands node 1's reservation to node 2's nexus with a new key;
#  - a third node's WRITEs still waiting for their Data-Out or for their
#    CmdSN when node 1 resets the LU answer TASK ABORTED and never write.
. /kitt/lib.sh

N2=iqn.2024-01.org.kitt:node2
DELAY_MS=2000

must brd_load 64
must modprobe sg
must modprobe dm_delay
sectors=$(blockdev --getsz /dev/ram0)
must dmsetup --noudevsync create slow --table "0 $sectors delay /dev/ram0 0 0 /dev/ram0 0 $DELAY_MS"
# Clean-ups run last first: this one after kitt's
cleanup_add "dmsetup --noudevsync remove slow"
slow=/dev/$(dmsetup info -c --noheadings -o blkdevname slow)
[ -b "$slow" ] || die "no dm-delay device"
kitt_test_setup --initiator

must kitt_quick_target "$IQN" "$slow" "$P:3260"

# Node 2: an iface of its own with its own InitiatorName.
must iscsiadm -m iface -I node2 -o new
must iscsiadm -m iface -I node2 -o update -n iface.initiatorname -v "$N2"
must iscsi_login "$IQN" "$P:3260"
must iscsiadm -m node -T "$IQN" -p "$P:3260" -I node2 -o new
must iscsiadm -m node -T "$IQN" -p "$P:3260" -I node2 -l
wait_until 20 '[ "$(iscsi_disks "$IQN" | wc -l)" = 2 ]'
expect_eq "$(cat /sys/kernel/kitt/sessions/*/initiator | sort | tr '\n' ' ')" \
	"$KITT_INITIATOR $N2 " "two initiator names logged in"

# node_dev NAME block|scsi_generic: the LUN's node through NAME's session
node_dev()
{
	local s n

	for s in /sys/class/iscsi_session/session*; do
		[ "$(cat "$s/initiatorname" 2>/dev/null)" = "$1" ] || continue
		for n in "$s"/device/target*/*:*:*:0/"$2"/*; do
			[ -e "$n" ] && { echo "/dev/$(basename "$n")"; return 0; }
		done
	done
	return 1
}
d1=$(node_dev "$KITT_INITIATOR" block)
d2=$(node_dev "$N2" block)
g1=$(node_dev "$KITT_INITIATOR" scsi_generic)
g2=$(node_dev "$N2" scsi_generic)
expect_ne "$d1" "" "node 1's disk"
expect_ne "$d2" "" "node 2's disk"
for d in "$d1" "$d2"; do
	echo none > "/sys/block/${d#/dev/}/queue/scheduler" 2>/dev/null
done
for g in "$g1" "$g2"; do
	sg_turs "$g" >/dev/null 2>&1
	sg_turs "$g" >/dev/null 2>&1
done

# same DEV BLOCK COUNT FILE [FILE_BLOCK]: COUNT 4 KiB blocks of DEV from
# BLOCK read (O_DIRECT) equal FILE's from FILE_BLOCK
same()
{
	dd if="$1" of=/tmp/got bs=4k skip="$2" count="$3" iflag=direct status=none &&
	dd if="$4" of=/tmp/want bs=4k skip="${5:-0}" count="$3" status=none &&
	cmp -s /tmp/got /tmp/want
}
head -c 65536 /dev/zero > /tmp/zero
now_ms() { echo $((${EPOCHREALTIME/./} / 1000)); }

# ---- shared data ----------------------------------------------------------------------
dd if=/dev/urandom of=/tmp/a bs=4k count=4 status=none
expect_ok dd if=/tmp/a of="$d1" bs=4k count=4 oflag=direct conv=notrunc status=none
expect_ok same "$d2" 0 4 /tmp/a
dd if=/dev/urandom of=/tmp/b bs=4k count=4 status=none
expect_ok dd if=/tmp/b of="$d2" bs=4k seek=4 count=4 oflag=direct conv=notrunc status=none
expect_ok same "$d1" 4 4 /tmp/b

# ---- reservations: node 1 fences node 2 ---------------------------------------------------
pr() { sg_persist -n "$@" >/dev/null 2>&1; }
expect_ok pr --out --register --param-sark=0x1 "$g1"
expect_ok pr --out --register --param-sark=0x2 "$g2"
expect_ok pr --out --reserve --param-rk=0x1 --prout-type=5 "$g1"
expect_match "$(sg_persist -n -k "$g2" 2>&1 | tr '\n' ' ')" "0x1 .*0x2" "both registered"

# Node 2 writes 8 blocks, one 2-second write each, from block 64.
dd if=/dev/urandom of=/tmp/c bs=4k count=8 status=none
dd if=/tmp/c of="$d2" bs=4k seek=64 count=8 oflag=direct conv=notrunc > /tmp/dd2.out 2>&1 &
ddpid=$!
sleep 3			# one block done, the next in flight
t0=$(now_ms)
expect_ok pr --out --preempt-abort --param-rk=0x1 --param-sark=0x2 --prout-type=5 "$g1"
ms=$(($(now_ms) - t0))
log "PREEMPT AND ABORT took $ms ms"
expect_eq "$((ms >= 200))" 1 "PREEMPT AND ABORT waited for node 2's write in flight ($ms ms)"
wait $ddpid
rc=$?
cat /tmp/dd2.out
expect_ne "$rc" 0 "node 2's dd failed: it is fenced"
done_blocks=$(sed -n 's/^\([0-9]*\)+.*records out/\1/p' /tmp/dd2.out | head -1)
log "node 2 wrote $done_blocks block(s) before the fence"
expect_match "$(dmesg | grep kitt | tail -20)" "aborted by another nexus" "kitt logs the abort"
# Nothing node 2 sent after the aborted write reached the medium.
bad=0
for ((i = ${done_blocks:-0} + 1; i < 8; i++)); do
	same "$d1" $((64 + i)) 1 /tmp/zero || bad=$((bad + 1))
done
expect_eq "$bad" 0 "no block after the aborted one was written"
expect_ok same "$d1" 64 "${done_blocks:-0}" /tmp/c
expect_match "$(sg_persist -n -k "$g1" 2>&1 | tr '\n' ' ')" "1 registered reservation key follows: *0x1 " \
	"only node 1's key is left"
expect_fail dd if=/tmp/c of="$d2" bs=4k seek=80 count=1 oflag=direct conv=notrunc status=none
expect_ok dd if=/tmp/c of="$d1" bs=4k seek=80 count=1 oflag=direct conv=notrunc status=none
expect_ok same "$d2" 80 1 /tmp/c

# ---- a LUN reset from node 1 aborts node 2's write; Linux retries it ------------------------
expect_ok pr --out --clear --param-rk=0x1 "$g1"
for g in "$g1" "$g2"; do
	sg_turs "$g" >/dev/null 2>&1
	sg_turs "$g" >/dev/null 2>&1
done
before=$(dmesg | grep -c "aborted by another nexus")
dd if=/tmp/c of="$d2" bs=4k seek=96 count=2 oflag=direct conv=notrunc > /tmp/dd3.out 2>&1 &
ddpid=$!
sleep 1
expect_ok sg_reset -d "$g1"
wait $ddpid
rc=$?
cat /tmp/dd3.out
expect_eq "$rc" 0 "node 2's write completes after the reset (retried)"
expect_eq "$(($(dmesg | grep -c "aborted by another nexus") > before))" 1 \
	"the reset aborted node 2's write in flight"
expect_ok same "$d1" 96 2 /tmp/c

# ---- SPEC_I_PT and REGISTER AND MOVE ----------------------------------------------------
# (sg_persist sets SPEC_I_PT when REGISTER is given TransportIDs; it exits
# 0 on an option it does not know, so every result is read back.)
for g in "$g1" "$g2"; do
	sg_turs "$g" >/dev/null 2>&1
	sg_turs "$g" >/dev/null 2>&1
done
# Node 1 registers itself and node 2 (by name, any ISID) in one command.
expect_ok pr --out --register --param-sark=0x7 --transport-id="$N2" "$g1"
expect_match "$(sg_persist -n -k "$g2" 2>&1 | tr '\n' ' ')" "2 registered reservation keys follow: *0x7 *0x7 " \
	"SPEC_I_PT registered both"
expect_ok pr --out --reserve --param-rk=0x7 --prout-type=1 "$g2"
expect_ok pr --out --release --param-rk=0x7 --prout-type=1 "$g2"
# Node 1 takes the reservation and moves it to node 2's I_T nexus.
expect_ok pr --out --reserve --param-rk=0x7 --prout-type=1 "$g1"
isid2=$(for s in /sys/kernel/kitt/sessions/*/; do
	[ "$(cat "$s/initiator")" = "$N2" ] && cat "$s/isid"; done)
expect_ok pr --out --register-move --param-rk=0x7 --param-sark=0x8 --prout-type=1 \
	--relative-target-port=1 --transport-id="$N2,i,0x$isid2" "$g1"
r=$(sg_persist -n -r "$g1" 2>&1 | tr '\n' ' ')
expect_match "$r" "Key=0x8 .*Write Exclusive" "REGISTER AND MOVE: node 2 holds it, with its new key"
expect_ok dd if=/tmp/c of="$d2" bs=4k seek=112 count=1 oflag=direct conv=notrunc status=none
expect_fail dd if=/tmp/c of="$d1" bs=4k seek=113 count=1 oflag=direct conv=notrunc status=none
expect_ok pr --out --clear --param-rk=0x8 "$g2"

# ---- a third node's queued commands: aborted, never run ----------------------------
# kitt-fuzz (initiator node3) leaves one WRITE waiting for its Data-Out
# and one parked behind a CmdSN gap; node 1 resets the LU; then node 3
# sends the data and fills the gap: both WRITEs must answer TASK ABORTED
# and leave their blocks (4 KiB blocks 0-31) as they were.
dd if=/dev/urandom of=/tmp/f bs=4k count=32 status=none
expect_ok dd if=/tmp/f of="$d1" bs=4k count=32 oflag=direct conv=notrunc status=none
sg_turs "$g1" >/dev/null 2>&1
fenced_run "$IQN" iqn.2024-01.org.kitt:node3 'expect_ok sg_reset -d "$g1"'
expect_match "$(tail -1 /tmp/fenced.out)" "^PASS fenced" \
	"node 3's WRITEs waiting for data or CmdSN end in TASK ABORTED"
expect_ok same "$d1" 0 32 /tmp/f

iscsi_logout_all
iscsiadm -m iface -I node2 -o delete >/dev/null 2>&1
wait_for 10 kitt_idle
pass "two nodes"
