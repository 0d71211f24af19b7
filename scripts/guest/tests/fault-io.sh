#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# kitt-timeout: 480
# Writes cut short (issue 9), with R2T-heavy settings (InitialR2T=Yes,
# ImmediateData=No, MaxBurstLength 8 KiB, one R2T at a time) so that a
# 256 KiB write is a sequence of 32 R2T/Data-Out exchanges:
#  - the connection is cut (ss -K on kitt's side) while writes are inside
#    their R2T sequences: the initiator reconnects, every write completes
#    and reads back byte for byte;
#  - the initiator dies mid-write (iscsid killed, its socket reset, no
#    reconnection): kitt drops the session and every task, and once the
#    initiator is back, every write acknowledged before its death reads
#    back byte for byte;
#  - everything acknowledged is still there after a new login; nothing leaks.
. /kitt/lib.sh

BS=262144		# one write command: 32 bursts of 8 KiB
WRITERS=4
PER_WRITER=8		# blocks each writer writes per round
REGION=64		# blocks between two writers' regions (16 MiB)

kitt_test_setup
must brd_load 160
must modprobe inet_diag
must modprobe tcp_diag
must initiator_setup

must kitt_quick_target "$IQN" /dev/ram0 "$P:3260"
kitt_tpg_param "$IQN" 1 InitialR2T Yes
kitt_tpg_param "$IQN" 1 ImmediateData No
kitt_tpg_param "$IQN" 1 MaxBurstLength 8192
kitt_tpg_param "$IQN" 1 FirstBurstLength 4096
kitt_tpg_param "$IQN" 1 MaxOutstandingR2T 1
# Write-through: an acknowledged write is on the device, and the initiator
# sends no SYNCHRONIZE CACHE, so the session's command count is the number
# of writes (see the count of writes waiting for data below).
echo 0 > "$KITT_CFS/devices/d0/wce"

must iscsiadm -m node -T "$IQN" -p $P -o new
iscsiadm -m node -T "$IQN" -p $P -o update -n node.session.timeo.replacement_timeout -v 60
iscsiadm -m node -T "$IQN" -p $P -o update -n node.conn[0].timeo.noop_out_interval -v 0
must iscsi_login "$IQN" $P
disk=$(iscsi_wait_disk "$IQN" 30) || die "no disk"
echo none > "/sys/block/${disk#/dev/}/queue/scheduler" 2>/dev/null
d=$(ls -d /sys/kernel/kitt/sessions/*/ | head -1)
expect_eq "$(cat "$d/InitialR2T") $(cat "$d/ImmediateData") $(cat "$d/MaxBurstLength")" \
	"Yes No 8192" "R2T-heavy settings negotiated"

# sess_stat: "commands write_bytes in_flight" of the (one) session (commands
# completed, and those in the target now), or nothing.
sess_stat()
{
	awk '$1 ~ /_commands$/ { c += $2; n++ } $1 == "write_bytes" { w = $2 }
	     $1 == "in_flight" { f = $2 } END { if (n) print c, w, f }' \
		/sys/kernel/kitt/sessions/*/statistics 2>/dev/null
}

# busy_stat: the session's counters at a moment when a write is in the
# target (in_flight > 0), polled for up to 10 s; else the last ones read.
# Polling, not a random pause: a writer spends much of its time starting
# its next dd, so a pause alone often ends with nothing in flight.
busy_stat()
{
	local s i

	for i in $(seq 200); do
		s=$(sess_stat)
		set -- $s
		[ "${3:-0}" -gt 0 ] && break
		sleep 0.05
	done
	echo "$s"
}

# stat_settle: wait until the session's counters stop moving; prints them.
stat_settle()
{
	local a b i

	a=$(sess_stat)
	for i in $(seq 50); do
		sleep 0.2
		b=$(sess_stat)
		[ -n "$b" ] && [ "$a" = "$b" ] && break
		a=$b
	done
	echo "$b"
}

# writer FIRST COUNT PAT ACK: write blocks FIRST.. from block 0.. of PAT,
# one O_DIRECT|O_SYNC write each; append "block index" to ACK once the
# write is acknowledged.
writer()
{
	local first=$1 n=$2 pat=$3 ack=$4 i

	for ((i = 0; i < n; i++)); do
		dd if="$pat" of="$disk" bs=$BS skip=$i seek=$((first + i)) count=1 \
			oflag=direct,sync conv=notrunc status=none 2>/dev/null || return 1
		echo "$((first + i)) $i" >> "$ack"
	done
}

# start_writers TAG BASE COUNT: $WRITERS writers of COUNT blocks, writer w
# at block BASE+w*REGION, with patterns /tmp/pat.TAG.w and acknowledgements
# in /tmp/ack.TAG.w.
start_writers()
{
	local w

	wpids=()
	for ((w = 0; w < WRITERS; w++)); do
		: > "/tmp/ack.$1.$w"
		writer $(($2 + w * REGION)) "$3" "/tmp/pat.$1.$w" "/tmp/ack.$1.$w" &
		wpids+=($!)
	done
}

# verify_acked TAG: every acknowledged block of TAG's writers reads back
# byte for byte; prints "acknowledged wrong".
verify_acked()
{
	local w blk i n=0 bad=0

	for ((w = 0; w < WRITERS; w++)); do
		while read -r blk i; do
			n=$((n + 1))
			dd if="$disk" of=/tmp/back bs=$BS skip="$blk" count=1 iflag=direct \
				status=none 2>/dev/null &&
			dd if="/tmp/pat.$1.$w" of=/tmp/want bs=$BS skip="$i" count=1 \
				status=none &&
			cmp -s /tmp/back /tmp/want || bad=$((bad + 1))
		done < "/tmp/ack.$1.$w"
	done
	echo "$n $bad"
}

# acks_at_least TAG N: TAG's writers have N writes acknowledged
acks_at_least() { [ "$(cat /tmp/ack.$1.* | wc -l)" -ge "$2" ]; }

# mkpats TAG COUNT: random patterns of COUNT blocks for TAG's writers
mkpats()
{
	local w

	for ((w = 0; w < WRITERS; w++)); do
		dd if=/dev/urandom of="/tmp/pat.$1.$w" bs=$BS count="$2" status=none
	done
}

# --- the connection cut in the middle of R2T sequences ---------------------------
ROUNDS=4
mid=0
for r in $(seq $ROUNDS); do
	log "=== round $r: cut the connection in the middle of R2T sequences"
	mkpats cut$r $PER_WRITER
	s0=$(stat_settle)
	[ -n "$s0" ] || { fail "round $r: no session"; continue; }
	start_writers cut$r 0 $PER_WRITER
	wait_for 60 acks_at_least cut$r $WRITERS
	sleep "0.$((RANDOM % 10))"
	s1=$(busy_stat)
	ss -K src $P sport = :3260 >/dev/null 2>&1
	# Write commands received but not executed: in the target, waiting
	# for their Data-Out, since no data comes with a write under these
	# settings.
	set -- $s0 $s1
	waiting=$6
	log "cut with $waiting write(s) inside their R2T sequences ($(($4 - $1)) commands so far)"
	[ "$waiting" -gt 0 ] && mid=$((mid + 1))
	rc=0
	for p in "${wpids[@]}"; do wait "$p" || rc=1; done
	expect_eq "$rc" 0 "round $r: every write completes across the cut"
	set -- $(verify_acked cut$r)
	expect_eq "$1 $2" "$((WRITERS * PER_WRITER)) 0" "round $r: all writes read back byte for byte"
	wait_until 30 '[ "$(ls /sys/kernel/kitt/sessions | wc -l)" = 1 ]'
	expect_eq "$(ls /sys/kernel/kitt/sessions | wc -l)" 1 "round $r: one session after the reconnection"
done
expect_ne "$mid" 0 "at least one cut fell inside an R2T sequence ($mid of $ROUNDS)"
n=$(dmesg | grep -c "kitt: normal login")
expect_eq "$((n > ROUNDS))" 1 "the initiator logged in again after each cut ($n logins)"

# --- the initiator dies mid-write ----------------------------------------------------
log "=== the initiator dies in the middle of its writes"
# Blocks 32..55 of each writer region, more than it can write by then.
mkpats kill 24
for d in /sys/class/iscsi_session/session*; do
	echo 8 > "$d/recovery_tmo" 2>/dev/null
done
s0=$(stat_settle)
start_writers kill 32 24
wait_for 60 acks_at_least kill $WRITERS
sleep "0.$((RANDOM % 10))"
s1=$(busy_stat)
kill -KILL "$(cat /tmp/iscsid.pid)"
ss -K dst $P dport = :3260 >/dev/null 2>&1
set -- $s0 $s1
log "killed with $6 write(s) inside their R2T sequences"
t0=$(date +%s)
wait_for 20 kitt_idle
expect_ok kitt_idle
log "kitt dropped the dead initiator's session in $(($(date +%s) - t0)) s"
wait_until 10 '[ "$(slab_objs kitt_task)" = 0 ]'
expect_eq "$(slab_objs kitt_task)" 0 "no task of the dead session left in kitt"
# The writers' last commands fail once the initiator's recovery time is out.
failed=0
for p in "${wpids[@]}"; do wait "$p" || failed=$((failed + 1)); done
acked=$(cat /tmp/ack.kill.* | wc -l)
log "$acked writes were acknowledged before the initiator died"
expect_ne "$failed" 0 "writes were in flight when the initiator died ($failed writers failed)"

# The initiator comes back: a new iscsid takes over the old session and
# logs in again, or else the session is ended and a new one logged in.
rm -f /tmp/iscsid.pid
must iscsid_start
one_session() { [ "$(ls /sys/kernel/kitt/sessions | wc -l)" = 1 ]; }
if ! wait_for 20 one_session; then
	log "the old session did not come back: a new login"
	iscsiadm -m node -T "$IQN" -p $P -u
	iscsiadm -m node -T "$IQN" -p $P -l
fi
wait_for 30 one_session || die "the initiator did not log in again"
disk=$(iscsi_wait_disk "$IQN" 30) || die "no disk after the initiator came back"
wait_for 30 dd if="$disk" of=/dev/null bs=4k count=1 iflag=direct
set -- $(verify_acked kill)
expect_eq "$1 $2" "$acked 0" "every write acknowledged before the death reads back"

# --- all of it again after a new login -----------------------------------------------
expect_ok iscsi_logout "$IQN"
wait_for 10 kitt_idle
must iscsi_login "$IQN" $P
disk=$(iscsi_wait_disk "$IQN" 30) || die "no disk after a new login"
set -- $(verify_acked cut$ROUNDS)
expect_eq "$1 $2" "$((WRITERS * PER_WRITER)) 0" "the last round's writes after a new login"
set -- $(verify_acked kill)
expect_eq "$1 $2" "$acked 0" "the acknowledged writes after a new login"
expect_ok iscsi_logout "$IQN"
wait_for 10 kitt_idle
expect_ok kitt_idle
expect_eq "$(slab_objs kitt_task)" 0 "no task left behind"
