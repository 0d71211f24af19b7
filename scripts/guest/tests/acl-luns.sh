#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# kitt-kernels: 6.1
# kitt-timeout: 300
# LUN masking per initiator (issue 11): an ACL shows its initiator a
# subset of the portal group's LUNs under its own numbers, read-only
# where acls/<iqn>/luns/<n>/write_protect says. Two initiator names log
# in to one portal group of three RAM disks: node 1's ACL shows the
# group's LUN 2 as its LUN 0, read-only, and LUN 0 as its LUN 1; node 2's
# ACL maps nothing (lun_map "all") and sees all three as they are.
# REPORT LUNS, reads, writes and the write protection follow the map; a
# LUN the ACL does not show is LOGICAL UNIT NOT SUPPORTED and no EXTENDED
# COPY target; a change of node 1's map tells node 1 only (REPORTED LUNS
# DATA HAS CHANGED and the Asynchronous Message on which iscsid adds the
# new disk). A LU reset
# still aborts a third initiator's queued WRITEs sent through a LUN its
# ACL has since taken away (kitt-fuzz scenario fenced). configfs
# refuses bad values and keeps the old ones; kittctl saves and restores
# the maps.
. /kitt/lib.sh

N1=$KITT_INITIATOR
N2=iqn.2024-01.org.kitt:node2

kitt_test_setup --initiator
must brd_load 16 3
must modprobe sg

# Each RAM disk starts with its own byte: d0 'A', d1 'B', d2 'C'.
for i in 0 1 2; do
	c=$(printf "\\x$((41 + i))")
	head -c 1048576 /dev/zero | tr '\0' "$c" > "/tmp/fill$i"
	must dd if="/tmp/fill$i" of="/dev/ram$i" bs=1M count=1 oflag=direct status=none
	must kitt_dev_create "d$i" "/dev/ram$i"
done
must kitt_target_create "$IQN" 1
for i in 0 1 2; do
	must kitt_lun_add "$IQN" 1 "$i" "d$i"
done
must kitt_tpg_open "$IQN" 1
must kitt_tpg_attr "$IQN" 1 generate_node_acls 0
must kitt_portal_add "$IQN" 1 "$P:3260"
must kitt_acl_add "$IQN" 1 "$N1"
must kitt_acl_add "$IQN" 1 "$N2"
must kitt_tpg_enable "$IQN" 1
A1=$KITT_CFS/targets/$IQN/tpgt_1/acls/$N1

# ---- configfs ------------------------------------------------------------------
expect_eq "$(cat "$A1/lun_map")" all "a new ACL shows every LUN"
expect_ok mkdir "$A1/luns/0"
expect_eq "$(cat "$A1/lun_map")" mapped "the first entry makes lun_map mapped"
expect_eq "$(cat "$A1/luns/0/tpg_lun")" 0 "tpg_lun defaults to the entry's number"
expect_eq "$(cat "$A1/luns/0/write_protect")" 0 "write_protect defaults to 0"
expect_ok put "$A1/luns/0/tpg_lun" 2
expect_ok put "$A1/luns/0/write_protect" 1
for v in 256 -1 x "" 1x; do
	expect_fail put "$A1/luns/0/tpg_lun" "$v"
done
expect_eq "$(cat "$A1/luns/0/tpg_lun")" 2 "bad tpg_lun values leave it as it was"
for v in 2 yes ""; do
	expect_fail put "$A1/luns/0/write_protect" "$v"
done
expect_eq "$(cat "$A1/luns/0/write_protect")" 1 "bad write_protect values leave it as it was"
for n in 256 01 x -1; do
	expect_fail mkdir "$A1/luns/$n"
done
expect_ok mkdir "$A1/luns/1"
expect_ok put "$A1/luns/1/tpg_lun" 0
expect_fail put "$A1/lun_map" all
expect_fail put "$A1/lun_map" some
expect_eq "$(cat "$A1/lun_map")" mapped "lun_map stays mapped while entries exist"
expect_fail rmdir "$A1"

# ---- two initiators ----------------------------------------------------------------
must iscsiadm -m iface -I node2 -o new
cleanup_add "iscsiadm -m iface -I node2 -o delete"
must iscsiadm -m iface -I node2 -o update -n iface.initiatorname -v "$N2"
must iscsi_login "$IQN" "$P:3260"
must iscsiadm -m node -T "$IQN" -p "$P:3260" -I node2 -o new
must iscsiadm -m node -T "$IQN" -p "$P:3260" -I node2 -l
wait_until 20 '[ "$(iscsi_disks "$IQN" | wc -l)" = 5 ]'

# node_lun NAME LUN block|scsi_generic: the node of LUN through NAME's session
node_lun()
{
	local s n

	for s in /sys/class/iscsi_session/session*; do
		[ "$(cat "$s/initiatorname" 2>/dev/null)" = "$1" ] || continue
		for n in "$s"/device/target*/*:*:*:"$2"/"$3"/*; do
			[ -e "$n" ] && { echo "/dev/$(basename "$n")"; return 0; }
		done
	done
	return 1
}
# reads DEV: the first byte of each of DEV's first 1 MiB, O_DIRECT, as one char
reads() { dd if="$1" bs=1M count=1 iflag=direct status=none | od -An -c | awk '{ print $1; exit }'; }
# luns SG: the LUNs REPORT LUNS lists, in one line
luns()
{
	local l out=

	for l in $(sg_luns "$1" 2>/dev/null | grep -E '^ +[0-9a-f]{16} *$'); do
		out+="$((16#${l:0:4} & 0x3fff)) "
	done
	echo "$out"
}
# tur SG: sg3_utils' exit status and the sense of TEST UNIT READY
tur()
{
	local out rc

	out=$(sg_turs -vv "$1" 2>&1)
	rc=$?
	echo "$rc ${out//$'\n'/ }"
}

for l in 0 1; do
	eval "b1_$l=\$(node_lun \"\$N1\" $l block)"
	eval "g1_$l=\$(node_lun \"\$N1\" $l scsi_generic)"
done
for l in 0 1 2; do
	eval "b2_$l=\$(node_lun \"\$N2\" $l block)"
	eval "g2_$l=\$(node_lun \"\$N2\" $l scsi_generic)"
done
expect_ne "$b1_0" "" "node 1 has a LUN 0"
expect_ne "$b1_1" "" "node 1 has a LUN 1"
expect_eq "$(node_lun "$N1" 2 block)" "" "node 1 has no LUN 2"
expect_ne "$b2_2" "" "node 2 has a LUN 2"
for g in "$g1_0" "$g1_1" "$g2_0" "$g2_1" "$g2_2"; do
	sg_turs "$g" >/dev/null 2>&1
	sg_turs "$g" >/dev/null 2>&1
done

expect_eq "$(luns "$g1_0")" "0 1 " "node 1: REPORT LUNS lists its map"
expect_eq "$(luns "$g2_0")" "0 1 2 " "node 2: REPORT LUNS lists the whole group"
expect_eq "$(reads "$b1_0")" C "node 1's LUN 0 is the group's LUN 2 (d2)"
expect_eq "$(reads "$b1_1")" A "node 1's LUN 1 is the group's LUN 0 (d0)"
expect_eq "$(reads "$b2_0")" A "node 2's LUN 0 is d0"
expect_eq "$(reads "$b2_2")" C "node 2's LUN 2 is d2"
# Both name the same LU: node 1's LUN 0 and node 2's LUN 2 have one serial.
expect_eq "$(sg_inq -p 0x80 -r "$g1_0" | od -An -c)" "$(sg_inq -p 0x80 -r "$g2_2" | od -An -c)" \
	"node 1's LUN 0 and node 2's LUN 2 are one LU"

# A LUN the ACL does not show: LOGICAL UNIT NOT SUPPORTED, for a new
# session of node 1 too; node 2 reaches it.
out=$(iscsi-inq -i "$N1" "iscsi://$P/$IQN/2" 2>&1)
expect_match "$out" "LOGICAL_UNIT_NOT_SUPPORTED|not supported|0x25" \
	"node 1, LUN 2: LOGICAL UNIT NOT SUPPORTED ($out)"
expect_ok iscsi-inq -i "$N2" "iscsi://$P/$IQN/2"

# ---- write protection ------------------------------------------------------------
expect_eq "$(cat "/sys/block/${b1_0#/dev/}/ro")" 1 "node 1's LUN 0 is read-only (MODE SENSE WP)"
expect_eq "$(cat "/sys/block/${b2_2#/dev/}/ro")" 0 "node 2's view of the same LU is writable"
head -c 4096 /dev/zero | tr '\0' W > /tmp/w
out=$(sg_raw -v -s 4096 -i /tmp/w "$g1_0" 2a 00 00 00 00 00 00 00 08 00 2>&1)
expect_match "$out" "[Dd]ata [Pp]rotect" "node 1: WRITE to its LUN 0 is DATA PROTECT"
expect_match "$out" "[Ww]rite protected" "node 1: WRITE PROTECTED (27h/00h)"
expect_eq "$(dd if=/dev/ram2 bs=4096 count=1 iflag=direct status=none | od -An -c | awk '{ print $1; exit }')" C \
	"d2 is untouched"
# Node 1's LUN 1 is writable: node 2 reads the write through its LUN 0.
expect_ok dd if=/tmp/w of="$b1_1" bs=4096 count=1 oflag=direct conv=notrunc status=none
expect_eq "$(reads "$b2_0")" W "node 1's write to its LUN 1 reads back on node 2's LUN 0"

# EXTENDED COPY sees what the ACL shows: a LU node 1 does not see is not
# reachable (node 2 tells its NAA), a read-only one is DATA PROTECT.
naa_d1=$(naa_of "$g2_1")
naa_d2=$(naa_of "$g1_0")
naa_d0=$(naa_of "$g1_1")
expect_match "$naa_d1" "^[0-9a-f]{16}$" "d1's NAA designator (through node 2)"
xcopy_list /tmp/l1 "$naa_d1" 0 100 8
expect_match "$(xcopy_raw "$g1_1" /tmp/l1)" "Check Condition|Copy Aborted|.*not reachable" \
	"node 1: a LU its ACL does not show is no copy target"
expect_match "$(xcopy_raw "$g2_0" /tmp/l1)" "^Good" "node 2 copies within d1"
xcopy_list /tmp/l2 "$naa_d2" 0 100 8
expect_match "$(xcopy_raw "$g1_1" /tmp/l2)" "Check Condition|Data Protect|Write protected" \
	"node 1: its read-only LUN is no copy destination"
xcopy_list /tmp/l0 "$naa_d0" 200 100 8
expect_match "$(xcopy_raw "$g1_1" /tmp/l0)" "^Good" "node 1 copies within its writable LUN"

# write_protect off while logged in: after a rescan the disk is writable.
expect_ok put "$A1/luns/0/write_protect" 0
sg_turs "$g1_0" >/dev/null 2>&1
echo 1 > "/sys/block/${b1_0#/dev/}/device/rescan"
wait_until 10 '[ "$(cat /sys/block/${b1_0#/dev/}/ro)" = 0 ]'
expect_ok dd if=/tmp/w of="$b1_0" bs=4096 count=1 oflag=direct conv=notrunc status=none
expect_eq "$(dd if=/dev/ram2 bs=4096 count=1 iflag=direct status=none | od -An -c | awk '{ print $1; exit }')" W \
	"with write_protect 0, node 1's write reaches d2"

# ---- a change of node 1's map tells node 1 only ---------------------------------
for g in "$g1_0" "$g1_1" "$g2_0" "$g2_1" "$g2_2"; do
	sg_turs "$g" >/dev/null 2>&1
done
expect_ok mkdir "$A1/luns/2"
expect_ok put "$A1/luns/2/tpg_lun" 1
# iscsid rescans on the Asynchronous Message: node 1's new LUN 2 appears.
wait_until 20 'node_lun "$N1" 2 block >/dev/null'
b1_2=$(node_lun "$N1" 2 block)
expect_ne "$b1_2" "" "node 1's new LUN 2 appeared without a rescan asked for"
wait_until 10 '[ "$(reads "$b1_2")" = B ]'
expect_eq "$(reads "$b1_2")" B "node 1's LUN 2 is the group's LUN 1 (d1)"
expect_match "$(tur "$g1_1")" "^6 .*[Rr]eported luns data has changed" \
	"node 1's LUN 1: REPORTED LUNS DATA HAS CHANGED"
for g in "$g2_0" "$g2_1" "$g2_2"; do
	expect_match "$(tur "$g")" "^0 " "node 2 ($g) is not told of node 1's map"
done
expect_eq "$(luns "$g1_0")" "0 1 2 " "node 1: REPORT LUNS lists the new entry"

# Entry removed: node 1's disk stays until a rescan, but commands fail.
expect_ok rmdir "$A1/luns/2"
expect_fail dd if="$b1_2" of=/dev/null bs=4096 count=1 iflag=direct status=none
expect_eq "$(luns "$g1_0")" "0 1 " "node 1: REPORT LUNS no longer lists it"

# The last entry removed: lun_map stays mapped and node 1 sees nothing.
expect_ok rmdir "$A1/luns/0"
expect_ok rmdir "$A1/luns/1"
expect_eq "$(cat "$A1/lun_map")" mapped "removing the last entry shows no more LUNs"
expect_fail dd if="$b1_1" of=/dev/null bs=4096 count=1 iflag=direct status=none
expect_match "$(iscsi-ls -s -i "$N1" "iscsi://$P" 2>&1)" "^Target" "node 1 can still log in"
expect_eq "$(iscsi-ls -s -i "$N1" "iscsi://$P" 2>&1 | grep -c 'Lun:')" 0 \
	"a new session of node 1 lists no LUN"
expect_ok put "$A1/lun_map" all
expect_eq "$(luns "$g1_0")" "0 1 2 " "lun_map all: node 1 sees the whole group"
expect_eq "$(reads "$b1_1")" B "node 1's LUN 1 is the group's LUN 1 again"

# ---- a LU reset reaches commands through a LUN the ACL took away ------------
# Node 3 (kitt-fuzz) sees d0 as its LUN 0 and leaves a WRITE waiting for
# its data and one parked behind a CmdSN gap there; its entry is removed
# (commands already in the target stay), then node 2 resets d0: both
# WRITEs must still answer TASK ABORTED and leave d0 as it was.
N3=iqn.2024-01.org.kitt:node3
A3=$KITT_CFS/targets/$IQN/tpgt_1/acls/$N3
must mkdir "$A3"
must mkdir "$A3/luns/0"
dd if=/dev/urandom of=/tmp/f bs=4k count=32 status=none
expect_ok dd if=/tmp/f of="$b2_0" bs=4k count=32 oflag=direct conv=notrunc status=none
sg_turs "$g2_0" >/dev/null 2>&1
fenced_run "$IQN" "$N3" 'expect_ok rmdir "$A3/luns/0"; expect_ok sg_reset -d "$g2_0"'
expect_match "$(tail -1 /tmp/fenced.out)" "^PASS fenced" \
	"node 3's queued WRITEs on a LUN its ACL no longer shows: TASK ABORTED"
expect_eq "$(dd if="$b2_0" bs=4k count=32 iflag=direct status=none | cmp - /tmp/f && echo same)" \
	same "d0 is unchanged"
expect_ok rmdir "$A3"

# ---- kittctl saves and restores the maps -------------------------------------
expect_ok mkdir "$A1/luns/5"
expect_ok put "$A1/luns/5/tpg_lun" 2
expect_ok put "$A1/luns/5/write_protect" 1
iscsi_logout_all
wait_for 10 kitt_idle
expect_ok kittctl save /tmp/saved
expect_match "$(cat /tmp/saved)" "mkdir targets/$IQN/tpgt_1/acls/$N1/luns/5" "saved: the entry"
expect_match "$(cat /tmp/saved)" "acls/$N1/luns/5/write_protect 1" "saved: its write_protect"
expect_ok kittctl clear
expect_eq "$(ls "$KITT_CFS/targets")" "" "cleared"
expect_ok kittctl restore /tmp/saved
expect_eq "$(cat "$A1/lun_map")" mapped "restored: lun_map"
expect_eq "$(cat "$A1/luns/5/tpg_lun") $(cat "$A1/luns/5/write_protect")" "2 1" \
	"restored: the entry"
expect_eq "$(cat "$KITT_CFS/targets/$IQN/tpgt_1/acls/$N2/lun_map")" all \
	"restored: node 2 still sees all"
expect_ok kittctl save /tmp/saved2
expect_eq "$(diff /tmp/saved /tmp/saved2 && echo same)" same "save after restore: the same file"

# kittctl acl map / unmap, idempotent; show and --json print the maps.
A2=$KITT_CFS/targets/$IQN/tpgt_1/acls/$N2
expect_ok kittctl acl map "$IQN" "$N2" 3 1 --ro
expect_ok kittctl acl map "$IQN" "$N2" 3 1 --ro
expect_eq "$(cat "$A2/lun_map") $(cat "$A2/luns/3/tpg_lun") $(cat "$A2/luns/3/write_protect")" \
	"mapped 1 1" "kittctl acl map: LUN 3 shows the group's LUN 1, read-only"
expect_match "$(kittctl show)" "sees only: LUN 3 = group LUN 1 \(ro\)" "kittctl show: the map"
expect_eq "$(kittctl show --json | jq -c '.targets[0].tpgs[0].acls[] | select(.initiator == "'"$N2"'") | .luns')" \
	'[{"lun":3,"tpg_lun":1,"write_protect":true}]' "kittctl show --json: the map"
expect_ok kittctl acl map "$IQN" "$N2" 3
expect_eq "$(cat "$A2/luns/3/tpg_lun") $(cat "$A2/luns/3/write_protect")" "3 0" \
	"kittctl acl map again: new values"
expect_fail kittctl acl map "$IQN" "$N2" 256
expect_fail kittctl acl map "$IQN" iqn.2024-01.org.kitt:nobody 0
expect_ok kittctl acl unmap "$IQN" "$N2" 3
expect_ok kittctl acl unmap "$IQN" "$N2" 3
expect_eq "$(ls "$A2/luns") $(cat "$A2/lun_map")" " mapped" "kittctl acl unmap: gone, still mapped"
expect_ok kittctl acl del "$IQN" "$N1"
expect_eq "$(ls -d "$A1" 2>/dev/null)" "" "kittctl acl del removes an ACL with entries"
pass "LUN masking per ACL"
