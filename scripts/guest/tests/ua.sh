#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# kitt-kernels: 6.1
# kitt-timeout: 300
# Unit attentions (issue 11), kept per I_T_L nexus: the Linux initiator
# logs in to one target through two portals, so LUN 0 has two paths
# (two sessions, two nexuses). A LOGICAL UNIT RESET through one path
# raises BUS DEVICE RESET FUNCTION OCCURRED (29h/03h) on the other;
# REQUEST SENSE returns it with GOOD status and clears it, INQUIRY leaves
# it; changing the write cache through one path raises MODE PARAMETERS
# CHANGED (2Ah/01h) on the other only; mapping a LUN while the sessions
# run sends an Asynchronous Message (3Fh/0Eh) on which iscsid rescans:
# the new LUN's disks appear on both paths with no rescan asked for, and
# a LUN the rescan did not touch reports REPORTED LUNS DATA HAS CHANGED.
# Persistent reservations: a preempted registrant is told REGISTRATIONS
# PREEMPTED, the others of a released registrants-only reservation
# RESERVATIONS RELEASED, and of a CLEAR RESERVATIONS PREEMPTED.
. /kitt/lib.sh

kitt_test_setup --initiator
must brd_load 16 4
must modprobe sg

for i in 0 1 2; do
	must kitt_dev_create "d$i" "/dev/ram$i"
done
must kitt_target_create "$IQN" 1
must kitt_lun_add "$IQN" 1 0 d0
must kitt_lun_add "$IQN" 1 2 d2
must kitt_tpg_open "$IQN" 1
must kitt_portal_add "$IQN" 1 "$P:3260"
must kitt_portal_add "$IQN" 1 "$P:3261"
must kitt_tpg_enable "$IQN" 1

must iscsi_login "$IQN" "$P:3260"
must iscsi_login "$IQN" "$P:3261"
wait_until 20 '[ "$(iscsi_disks "$IQN" | wc -l)" = 4 ]'

a=$(path_node 3260 0 scsi_generic)
b=$(path_node 3261 0 scsi_generic)
a2=$(path_node 3260 2 scsi_generic)
b2=$(path_node 3261 2 scsi_generic)
expect_ne "$a" "" "LUN 0 through port 3260"
expect_ne "$b" "" "LUN 0 through port 3261"
expect_ne "$a" "$b" "two paths"
# Both paths are one LU: the same serial number.
expect_eq "$(sg_inq -p 0x80 -r "$a" | od -An -c)" "$(sg_inq -p 0x80 -r "$b" | od -An -c)" \
	"both paths name the same LU"

# tur NODE: TEST UNIT READY; prints sg3_utils' exit status and the sense.
tur()
{
	local out rc

	out=$(sg_turs -vv "$1" 2>&1)
	rc=$?
	echo "$rc ${out//$'\n'/ }"
}

# Whatever login and the SCSI scan left pending is gone: start clean.
for n in "$a" "$b" "$a2" "$b2"; do
	sg_turs "$n" >/dev/null 2>&1
	sg_turs "$n" >/dev/null 2>&1
done
expect_match "$(tur "$b")" "^0 " "path B: TEST UNIT READY is GOOD"

# ---- LOGICAL UNIT RESET through path A -----------------------------------------
expect_ok sg_reset -d "$a"
r=$(tur "$b")
echo "path B after the reset: $r"
# sg3_utils: exit status 6 is UNIT ATTENTION.
expect_match "$r" "^6 " "path B: the reset is a UNIT ATTENTION"
expect_match "$r" "[Bb]us device reset function occurred" "path B: 29h/03h"
expect_match "$(tur "$b")" "^0 " "path B: reported once, then cleared"
# LUN 2 was not reset: nothing pending there.
expect_match "$(tur "$b2")" "^0 " "LUN 2 is not told of LUN 0's reset"
# Path A, which sent the reset, has one too (SG_IO passes it through).
expect_match "$(tur "$a")" "^6 .*[Bb]us device reset function occurred" \
	"path A, which sent the reset: 29h/03h too"
expect_match "$(tur "$a")" "^0 " "path A: then cleared"

# REQUEST SENSE returns the unit attention as data with GOOD, and clears it.
expect_ok sg_reset -d "$a"
expect_ok sg_inq "$b"
r=$(sg_requests -vv "$b" 2>&1)
rc=$?
echo "$r"
expect_eq "$rc" 0 "REQUEST SENSE: GOOD"
expect_match "$r" "[Bb]us device reset function occurred" \
	"REQUEST SENSE: the reset's sense, INQUIRY left it"
expect_match "$(tur "$b")" "^0 " "REQUEST SENSE cleared it"
expect_match "$(tur "$a")" "^6 .*[Bb]us device reset function occurred" "path A: 29h/03h"

# Path A's own nexus got it too: Linux consumed it after its own reset (it
# expects one and retries), so count it on the target: two per reset.
# Three CHECK CONDITIONs so far: path A after each reset, path B after the
# first (the second went out as REQUEST SENSE data).
st=/sys/kernel/kitt/targets/$IQN/tpgt_1/luns/0/statistics
cat "$st"
expect_eq "$(awk '$1 == "errors_unit_attention" { print $2 }' "$st")" 3 \
	"LUN 0: both resets reached both nexuses"

# ---- MODE PARAMETERS CHANGED: the write cache changed through path A ------------
adisk=$(path_node 3260 0)
cache=$(ls -d /sys/block/"${adisk#/dev/}"/device/scsi_disk/*)/cache_type
echo "write through" > "$cache" || fail "path A: could not turn the write cache off"
r=$(tur "$b")
echo "path B after MODE SELECT on A: $r"
expect_match "$r" "^6 .*[Mm]ode parameters changed" "path B: 2Ah/01h"
expect_match "$(tur "$a")" "^0 " "path A, which changed it, is not told"
echo "write back" > "$cache"
expect_match "$(tur "$b")" "^6 .*[Mm]ode parameters changed" "path B: told again"

# ---- REPORTED LUNS DATA HAS CHANGED: LUN 1 mapped live ------------------------
must kitt_lun_add "$IQN" 1 1 d1
# No rescan asked for: iscsid rescans on the Asynchronous Message.
wait_until 30 '[ "$(iscsi_disks "$IQN" | wc -l)" = 6 ]'
expect_eq "$(iscsi_disks "$IQN" | wc -l)" 6 "LUN 1 appeared on both paths by itself"
expect_ne "$(path_node 3260 1)" "" "LUN 1 through port 3260"
expect_ne "$(path_node 3261 1)" "" "LUN 1 through port 3261"
# The rescan's REPORT LUNS (to LUN 0) cleared it there; LUN 2 still has it.
r=$(tur "$b2")
echo "LUN 2 on path B: $r"
expect_match "$r" "^6 .*[Rr]eported luns data has changed" "LUN 2: 3Fh/0Eh"
expect_match "$(tur "$b2")" "^0 " "LUN 2: then cleared"
# Data through the new LUN, read back through the other path.
head -c 1048576 /dev/urandom > /tmp/data
must dd if=/tmp/data of="$(path_node 3260 1)" bs=1M oflag=direct status=none
must dd if="$(path_node 3261 1)" of=/tmp/back bs=1M count=1 iflag=direct status=none
expect_ok cmp /tmp/data /tmp/back

# Unmapped live: the other LUNs are told.
for n in $(path_node 3260 1) $(path_node 3261 1); do
	echo 1 > "/sys/block/${n#/dev/}/device/delete"
done
must rm "$KITT_CFS/targets/$IQN/tpgt_1/luns/1"
# REQUEST SENSE (no CHECK CONDITION that Linux could retry on its own).
for n in "$a2" "$b2"; do
	r=$(sg_requests "$n" 2>&1)
	echo "$r"
	expect_match "$r" "[Rr]eported luns data has changed" "LUN 2 ($n) told of the unmapping"
done
wait_until 30 '[ "$(iscsi_disks "$IQN" | wc -l)" = 4 ]'

# ---- persistent reservations between the two nexuses ---------------------------
# (one initiator name, two sessions: two ISIDs, two I_T nexuses)
for n in "$a" "$b"; do
	sg_turs "$n" >/dev/null 2>&1
	sg_turs "$n" >/dev/null 2>&1
done
pro() { sg_persist --out "$@" >/dev/null 2>&1; }
expect_ok pro --register --param-sark=0xa "$a"
expect_ok pro --register --param-sark=0xb "$b"
expect_ok pro --reserve --param-rk=0xa --prout-type=1 "$a"
expect_match "$(tur "$a")" "^0 " "registering and reserving tell nobody"
# b preempts a: a's registration is gone.
expect_ok pro --preempt --param-rk=0xb --param-sark=0xa --prout-type=1 "$b"
expect_match "$(tur "$a")" "^6 .*[Rr]egistrations preempted" "path A: 2Ah/05h"
expect_match "$(tur "$b")" "^0 " "path B, which preempted, is not told"
expect_match "$(sg_persist --in -k "$b" 2>&1)" "0xb" "b's key stays"
# A registrants-only reservation released: the other registrant is told.
expect_ok pro --register --param-sark=0xa "$a"
expect_ok pro --release --param-rk=0xb --prout-type=1 "$b"
expect_match "$(tur "$a")" "^0 " "a Write Exclusive reservation released: nobody told"
expect_ok pro --reserve --param-rk=0xb --prout-type=5 "$b"
expect_ok pro --release --param-rk=0xb --prout-type=5 "$b"
expect_match "$(tur "$a")" "^6 .*[Rr]eservations released" "path A: 2Ah/04h"
# CLEAR: the other registrants' reservations are preempted.
expect_ok pro --reserve --param-rk=0xb --prout-type=1 "$b"
expect_ok pro --clear --param-rk=0xb "$b"
expect_match "$(tur "$a")" "^6 .*[Rr]eservations preempted" "path A: 2Ah/03h"
expect_match "$(tur "$b")" "^0 " "path B: nothing"
expect_match "$(sg_persist --in -k "$b" 2>&1)" "NO registered reservation keys" "CLEAR left no key"

iscsi_logout_all
pass "unit attentions"
