#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# kitt-kernels: 6.1
# kitt-timeout: 300
# ALUA (issue 11), on the wire: one target with two portal groups, each a
# target port and a target port group of its own (tpgt_1 through port
# 3260, tpgt_2 through 3261), both mapping d0 as LUN 0; tpgt_1 also maps
# d1 as LUN 1. With sg3_utils on each path (no device handler loaded, so
# every sense comes back as sent):
#  - INQUIRY reports TPGS (implicit; explicit once enabled), VPD 83h the
#    relative target port and target port group of the path;
#  - REPORT TARGET PORT GROUPS lists exactly the groups that map the LU,
#    byte for byte, in both formats;
#  - each access state set through configfs lets through what SPC-4 says
#    and refuses the rest with NOT READY and its ASCQ (standby 04h/0Bh,
#    unavailable 04h/0Ch, transitioning 04h/0Ah); reads through the
#    block device fail in standby;
#  - a change raises ASYMMETRIC ACCESS STATE CHANGED (2Ah/06h) on every
#    nexus to the LUs of the group that changed, once;
#  - SET TARGET PORT GROUPS only where explicit ALUA is on: all or
#    nothing, refused for unknown groups and for transitioning; the
#    sender's nexus is not told, the others are; RTPG says who changed it;
#  - configfs refuses bad values and keeps the old one; kittctl saves it.
. /kitt/lib.sh

kitt_test_setup --initiator
must brd_load 16 2
must modprobe sg

must kitt_dev_create d0 /dev/ram0
must kitt_dev_create d1 /dev/ram1
for t in 1 2; do
	must kitt_target_create "$IQN" $t
	must kitt_lun_add "$IQN" $t 0 d0
	must kitt_tpg_open "$IQN" $t
	must kitt_portal_add "$IQN" $t "$P:326$((t - 1))"
	must kitt_tpg_enable "$IQN" $t
done
must kitt_lun_add "$IQN" 1 1 d1
A1=$KITT_CFS/targets/$IQN/tpgt_1/alua
A2=$KITT_CFS/targets/$IQN/tpgt_2/alua

expect_eq "$(cat "$A1/access_state") $(cat "$A1/preferred") $(cat "$A1/explicit")" \
	"active_optimized 0 0" "defaults: active/optimized, not preferred, implicit only"
expect_eq "$(cat "$A2/group_id")" 2 "group_id is the portal group tag"

must iscsi_login "$IQN" "$P:3260"
must iscsi_login "$IQN" "$P:3261"
wait_until 20 '[ "$(iscsi_disks "$IQN" | wc -l)" = 3 ]'

a=$(path_node 3260 0 scsi_generic)
b=$(path_node 3261 0 scsi_generic)
a1=$(path_node 3260 1 scsi_generic)
bdisk=$(path_node 3261 0)
expect_ne "$a" "" "LUN 0 through port 3260"
expect_ne "$b" "" "LUN 0 through port 3261"
expect_ne "$a1" "" "LUN 1 through port 3260"
expect_eq "$(path_node 3261 1)" "" "LUN 1 is not mapped through port 3261"

# sense NODE CMD...: sg3_utils' exit status and its output on one line.
sense()
{
	local node=$1 out rc

	shift
	out=$("$@" -vv "$node" 2>&1)
	rc=$?
	echo "$rc ${out//$'\n'/ }"
}
tur() { sense "$1" sg_turs; }
hex() { od -An -tx1 -v | tr -s ' \n' ' ' | sed 's/^ //; s/ $//'; }
rtpg() { sg_rtpg ${2:+--extended} -r "$1" 2>/dev/null | hex; }

# What login and the scan left pending is gone: start clean.
for n in "$a" "$b" "$a1"; do
	sg_turs "$n" >/dev/null 2>&1
	sg_turs "$n" >/dev/null 2>&1
done

# ---- INQUIRY and VPD 83h ----------------------------------------------------------------
expect_eq "$(sg_inq -r "$a" 2>/dev/null | hex | cut -d' ' -f6)" 18 \
	"INQUIRY byte 5: 3PC and TPGS 01b (implicit)"
# desig NODE TYPE: the last two bytes of VPD 83h's designator of TYPE
# (4: relative target port, 5: target port group).
desig()
{
	local b i=4 len

	b=($(sg_vpd -p di -r "$1" 2>/dev/null | od -An -tx1 -v))
	while [ $((i + 7)) -lt ${#b[@]} ]; do
		len=$((16#${b[i + 3]}))
		if [ $((16#${b[i + 1]} & 15)) = "$2" ]; then
			echo "${b[i + 6]}${b[i + 7]}"
			return
		fi
		i=$((i + 4 + len))
	done
}
expect_eq "$(desig "$a" 4) $(desig "$a" 5)" "0001 0001" "path A: relative port 1, group 1"
expect_eq "$(desig "$b" 4) $(desig "$b" 5)" "0002 0002" "path B: relative port 2, group 2"

# ---- REPORT TARGET PORT GROUPS ------------------------------------------------------------
# Header, then per group: PREF|state, supported states (T U S AN AO),
# group id, status, port count 1, relative port id.
G1="00 8f 00 01 00 00 00 01 00 00 00 01"
G2="00 8f 00 02 00 00 00 01 00 00 00 02"
expect_eq "$(rtpg "$a")" "00 00 00 18 $G1 $G2" "RTPG through A: both groups, active/optimized"
expect_eq "$(rtpg "$b")" "00 00 00 18 $G1 $G2" "RTPG through B: the same"
expect_eq "$(rtpg "$a" x)" "00 00 00 1c 10 00 00 00 $G1 $G2" "RTPG, extended header"
expect_eq "$(rtpg "$a1")" "00 00 00 0c $G1" "RTPG of LUN 1: only the group that maps it"

# ---- standby, set through configfs ------------------------------------------------------------
put "$A2/preferred" 1
put "$A2/access_state" standby
expect_eq "$(cat "$A2/access_state")" standby "tpgt_2 is standby"
r=$(tur "$b")
echo "path B: $r"
expect_match "$r" "^6 .*[Aa]symmetric access state changed" "path B: 2Ah/06h"
expect_match "$(tur "$a")" "^6 .*[Aa]symmetric access state changed" \
	"path A: 2Ah/06h too (LU 0's groups changed)"
expect_match "$(tur "$a")" "^0 " "path A: once, then GOOD"
expect_match "$(tur "$a1")" "^0 " "LUN 1 (not in tpgt_2) is not told"
r=$(tur "$b")
echo "path B in standby: $r"
expect_match "$r" "^2 .*[Nn]ot [Rr]eady.*[Tt]arget port in standby state" \
	"standby: TEST UNIT READY is NOT READY 04h/0Bh"
expect_ok sg_inq "$b"
expect_ok sg_readcap "$b"
expect_ok sg_readcap -l "$b"
expect_ok sg_modes "$b"
expect_ok sg_persist -k "$b"
expect_eq "$(rtpg "$b")" "00 00 00 18 $G1 82 8f 00 02 00 02 00 01 00 00 00 02" \
	"RTPG: group 2 preferred, standby, changed implicitly"
expect_fail dd if="$bdisk" of=/dev/null bs=4k count=1 iflag=direct
expect_ok dd if="$(path_node 3260 0)" of=/dev/null bs=4k count=1 iflag=direct

# ---- unavailable and transitioning -------------------------------------------------------------------
put "$A2/access_state" 3
expect_eq "$(cat "$A2/access_state")" unavailable "a state by its number"
expect_match "$(tur "$b")" "^6 .*[Aa]symmetric access state changed" "unavailable: 2Ah/06h"
expect_match "$(sense "$b" sg_readcap)" "^2 .*[Tt]arget port in unavailable state" \
	"unavailable: READ CAPACITY is NOT READY 04h/0Ch"
expect_match "$(sense "$b" sg_modes)" "^2 .*[Tt]arget port in unavailable state" \
	"unavailable: MODE SENSE too"
expect_ok sg_inq "$b"
put "$A2/access_state" transitioning
expect_match "$(tur "$b")" "^6 .*[Aa]symmetric access state changed" "transitioning: 2Ah/06h"
expect_match "$(tur "$b")" "^2 .*[Aa]symmetric access state transition" \
	"transitioning: NOT READY 04h/0Ah"
put "$A2/access_state" transitioning
expect_match "$(tur "$b")" "^2 " "the same state again raises nothing"
put "$A2/access_state" active_nonoptimized
expect_match "$(tur "$b")" "^6 .*[Aa]symmetric access state changed" "active again: 2Ah/06h"
expect_match "$(tur "$b")" "^0 " "active/non-optimized: GOOD"
expect_ok dd if="$bdisk" of=/dev/null bs=4k count=1 iflag=direct
for n in "$a" "$a1"; do
	sg_turs "$n" >/dev/null 2>&1
done

# ---- configfs refusals ----------------------------------------------------------------------
expect_fail put "$A2/access_state" offline
expect_fail put "$A2/access_state" 4
expect_fail put "$A2/preferred" 2
expect_fail put "$A2/group_id" 5
expect_eq "$(cat "$A2/access_state") $(cat "$A2/preferred") $(cat "$A2/group_id")" \
	"active_nonoptimized 1 2" "bad values leave the old ones"

# ---- SET TARGET PORT GROUPS -------------------------------------------------------------------
# stpg NODE "STATE GROUP"...: send one with those descriptors.
stpg()
{
	local node=$1 d f=/tmp/stpg.bin n=4 out rc

	shift
	printf '\0\0\0\0' > $f
	for d in "$@"; do
		set -- $d
		printf "\\x$(printf %02x "$1")\\0\\x$(printf %02x $(($2 >> 8)))\\x$(printf %02x $(($2 & 255)))" >> $f
		n=$((n + 4))
	done
	out=$(sg_raw -s $n -i $f "$node" a4 0a 00 00 00 00 00 00 00 $(printf %02x $n) 00 00 2>&1)
	rc=$?
	echo "$rc ${out//$'\n'/ }"
}
r=$(stpg "$a" "0 2")
echo "STPG with explicit ALUA off: $r"
expect_match "$r" "[Ii]nvalid command operation code" "explicit off: STPG is an unknown opcode"
put "$A1/explicit" 1
expect_eq "$(sg_inq -r "$a" 2>/dev/null | hex | cut -d' ' -f6)" 38 "TPGS 11b once explicit"
r=$(stpg "$a" "0 2")
expect_match "$r" "[Ii]nvalid field in parameter list" "group 2 is not open to STPG"
expect_eq "$(cat "$A2/access_state")" active_nonoptimized "nothing changed"
put "$A2/explicit" 1
r=$(stpg "$a" "0 2" "1 9")
expect_match "$r" "[Ii]nvalid field in parameter list" "group 9 does not exist"
expect_eq "$(cat "$A2/access_state")" active_nonoptimized "all or nothing: nothing changed"
r=$(stpg "$a" "15 2")
expect_match "$r" "[Ii]nvalid field in parameter list" "transitioning cannot be asked for"
r=$(stpg "$a" "0 2" "1 1")
echo "STPG: $r"
expect_match "$r" "^0 " "STPG: group 2 active/optimized, group 1 active/non-optimized"
expect_eq "$(cat "$A1/access_state") $(cat "$A2/access_state")" \
	"active_nonoptimized active_optimized" "configfs shows the new states"
expect_match "$(tur "$a")" "^0 " "the sender's nexus is not told"
expect_match "$(tur "$b")" "^6 .*[Aa]symmetric access state changed" "path B is told"
expect_eq "$(rtpg "$b")" \
	"00 00 00 18 01 8f 00 01 00 01 00 01 00 00 00 01 80 8f 00 02 00 01 00 01 00 00 00 02" \
	"RTPG: both changed by STPG (status 01h)"
expect_match "$(tur "$a1")" "^0 " "nor on LUN 1: the same I_T nexus"
expect_ok sg_raw "$a" a4 0a 00 00 00 00 00 00 00 00 00 00
expect_eq "$(cat "$A1/access_state")" active_nonoptimized "an empty list changes nothing"
expect_eq "$(dmesg | grep -c "tpgt 2: ALUA access state active_optimized (SET TARGET PORT GROUPS)")" 1 \
	"the kernel log names the change"

# ---- a registration through every target port (ALL_TG_PT) ---------------------
# open-iscsi gives each session its own ISID, so path B is another
# initiator port: it sees the registration, it does not share it (KUnit
# covers one port through two portal groups).
pr() { sg_persist -n "$@" >/dev/null 2>&1; }
expect_match "$(sg_persist -n -c "$a" 2>&1)" "All Target Ports Capable.ATP_C.: 1" \
	"REPORT CAPABILITIES: ALL_TG_PT supported"
expect_ok pr --out --register --param-sark=0xabc --param-alltgpt "$a"
r=$(sg_persist -n -s "$b" 2>&1)
echo "$r"
expect_match "$r" "Key=0xabc" "READ FULL STATUS through B: A's key"
expect_match "$r" "All target ports bit set" "... registered through all target ports"
expect_eq "$(sg_persist -n -k "$b" 2>&1 | grep -c 0xabc)" 1 "READ KEYS through B: one key"
expect_ok pr --out --reserve --param-rk=0xabc --prout-type=1 "$a"
expect_fail pr --out --reserve --param-rk=0xabc --prout-type=1 "$b"
expect_ok pr --out --release --param-rk=0xabc --prout-type=1 "$a"
expect_ok pr --out --register --param-rk=0xabc --param-sark=0 "$a"
expect_match "$(sg_persist -n -k "$b" 2>&1)" "NO registered reservation keys" "unregistered"

# ---- kittctl ----------------------------------------------------------------------
if command -v kittctl >/dev/null; then
	s=$(kittctl save - 2>&1)
	expect_match "$s" "tpgt_2/alua/access_state active_optimized" "kittctl save keeps the state"
	expect_match "$s" "tpgt_2/alua/preferred 1" "... and the flags"
	expect_eq "$(grep -c "alua/group_id" <<< "$s")" 0 "... not the read-only group id"
fi

iscsi_logout_all
wait_for 10 kitt_idle
pass "ALUA"
