#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# kitt-kernels: 6.1
# kitt-timeout: 420
# Discovery, login and authentication with the Linux initiator (issue 3):
# SendTargets lists exactly the targets an initiator may see; logins with
# no authentication, one-way and mutual CHAP (MD5 and SHA-256) succeed;
# a wrong secret, an unknown initiator and an unknown target fail with the
# right status and one log line; negotiated values match between iscsiadm
# and /sys/kernel/kitt/sessions; 100 login/logout cycles leak nothing.
. /kitt/lib.sh

T1=$KITT_IQN_BASE:login1
T2=$KITT_IQN_BASE:login2
T3=$KITT_IQN_BASE:hidden
ME=$KITT_INITIATOR

kitt_test_setup
must brd_load 16 3
must initiator_setup
modprobe sha3_generic 2>/dev/null

# Three targets on one shared portal address; T3 has an ACL for someone else.
for t in "$T1" "$T2" "$T3"; do
	must kitt_target_create "$t" 1
	must kitt_portal_add "$t" 1 "$P:3260"
done
must kitt_dev_create d1 /dev/ram0
must kitt_dev_create d2 /dev/ram1
must kitt_dev_create d3 /dev/ram2
must kitt_lun_add "$T1" 1 0 d1
must kitt_lun_add "$T2" 1 0 d2
must kitt_lun_add "$T3" 1 0 d3
must kitt_acl_add "$T1" 1 "$ME"
must kitt_acl_add "$T2" 1 "$ME"
must kitt_acl_add "$T3" 1 iqn.2024-01.org.kitt:someone-else
for t in "$T1" "$T2" "$T3"; do must kitt_tpg_enable "$t" 1; done

# --- discovery ----------------------------------------------------------------
out=$(iscsi_discover $P | sort)
expect_eq "$out" "$(printf '%s\n' "$P:3260,1 $T1" "$P:3260,1 $T2" | sort)" \
	"SendTargets lists exactly the targets with an ACL for us"

# Node records for later logins.
iscsiadm -m node -o delete >/dev/null 2>&1
for t in "$T1" "$T2" "$T3" "$KITT_IQN_BASE:nonexistent"; do
	iscsiadm -m node -T "$t" -p $P -o new >/dev/null || die "node record for $t"
done

# last_login_line: the newest kitt login failure line in the kernel log
last_login_line() { dmesg | grep 'kitt: login from' | tail -1; }
nr_login_lines() { dmesg | grep -c 'kitt: login from'; }

session_dir() {
	local d
	for d in /sys/kernel/kitt/sessions/*/; do
		[ "$(cat "$d/target" 2>/dev/null)" = "$1" ] && { echo "$d"; return 0; }
	done
	return 1
}

# iscsiadm's negotiated value of KEY for target IQN
iscsiadm_param() {
	iscsiadm -m session -P3 | awk -v t="$1" -v k="$2" '
		/^Target: / { cur = $2 }
		cur == t && $1 == k":" { print $2; exit }'
}

# check_params IQN: every negotiated key agrees between iscsiadm and kitt.
check_params() {
	local d k kitt_k
	d=$(session_dir "$1") || { fail "no kitt session for $1"; return; }
	for k in HeaderDigest DataDigest FirstBurstLength MaxBurstLength ImmediateData \
		 InitialR2T MaxOutstandingR2T; do
		expect_eq "$(cat "$d/$k")" "$(iscsiadm_param "$1" $k)" "$k agrees ($2)"
	done
	# The initiator's MaxRecvDataSegmentLength is what kitt may send, and
	# kitt's is what the initiator may send (iscsiadm: MaxXmitDataSegmentLength).
	expect_eq "$(cat "$d/MaxXmitDataSegmentLength")" \
		"$(iscsiadm_param "$1" MaxRecvDataSegmentLength)" "initiator's MaxRecvDataSegmentLength agrees ($2)"
	expect_eq "$(cat "$d/MaxRecvDataSegmentLength")" \
		"$(iscsiadm_param "$1" MaxXmitDataSegmentLength)" "target's MaxRecvDataSegmentLength agrees ($2)"
	expect_eq "$(cat "$d/initiator")" "$ME" "session initiator name ($2)"
	expect_eq "$(cat "$d/tpgt")" 1 "session tpgt ($2)"
}

# --- no authentication, default values ------------------------------------------
expect_ok iscsi_login "$T1" $P
check_params "$T1" defaults
d=$(session_dir "$T1")
expect_eq "$(cat "$d/MaxRecvDataSegmentLength")" 262144 "kitt's default MaxRecvDataSegmentLength"
expect_eq "$(cat "$d/InitialR2T")" No "kitt's default InitialR2T"
expect_eq "$(cat "$d/ImmediateData")" Yes "default ImmediateData"
expect_eq "$(cat "$d/FirstBurstLength")" 65536 "default FirstBurstLength"
expect_eq "$(cat "$d/MaxBurstLength")" 262144 "default MaxBurstLength"
expect_eq "$(cat "$d/cmdsn_depth")" 128 "default command window"
expect_eq "$(ls "$d/connections")" 0 "one connection, CID 0"
expect_eq "$(cat "$d/connections/0/peer" | cut -d: -f1)" 127.0.0.1 "connection peer address"
expect_eq "$(cat "$d/connections/0/local")" 127.0.0.1:3260 "connection local address"
expect_match "$(cat "$d/connections/0/statistics")" "rx_pdus [1-9]" "connection statistics count PDUs"
expect_ok iscsi_logout "$T1"
wait_for 5 test -z "$(ls /sys/kernel/kitt/sessions)"
expect_eq "$(ls /sys/kernel/kitt/sessions)" "" "logout removes the session"

# --- changed params and digests -------------------------------------------------
kitt_tpg_param "$T1" 1 MaxRecvDataSegmentLength 65536
kitt_tpg_param "$T1" 1 MaxBurstLength 131072
kitt_tpg_param "$T1" 1 FirstBurstLength 32768
kitt_tpg_param "$T1" 1 InitialR2T Yes
iscsiadm -m node -T "$T1" -p $P -o update -n node.conn[0].iscsi.HeaderDigest -v CRC32C
iscsiadm -m node -T "$T1" -p $P -o update -n node.conn[0].iscsi.DataDigest -v CRC32C
iscsiadm -m node -T "$T1" -p $P -o update -n node.conn[0].iscsi.MaxRecvDataSegmentLength -v 131072
expect_ok iscsi_login "$T1" $P
check_params "$T1" changed
d=$(session_dir "$T1")
expect_eq "$(cat "$d/HeaderDigest")" CRC32C "HeaderDigest CRC32C"
expect_eq "$(cat "$d/DataDigest")" CRC32C "DataDigest CRC32C"
expect_eq "$(cat "$d/connections/0/HeaderDigest")" CRC32C "the connection uses header digests"
expect_eq "$(cat "$d/MaxRecvDataSegmentLength")" 65536 "changed MaxRecvDataSegmentLength"
expect_eq "$(cat "$d/MaxXmitDataSegmentLength")" 131072 "initiator's MaxRecvDataSegmentLength"
expect_eq "$(cat "$d/MaxBurstLength")" 131072 "changed MaxBurstLength"
expect_eq "$(cat "$d/FirstBurstLength")" 32768 "changed FirstBurstLength"
expect_eq "$(cat "$d/InitialR2T")" Yes "changed InitialR2T"
expect_eq "$(cat "$d/ImmediateData")" Yes "ImmediateData stays Yes"
disk=$(iscsi_wait_disk "$T1" 20)
expect_ne "$disk" "" "disk with digests"
if [ -n "$disk" ]; then
	dd if=/dev/urandom of=/tmp/pat bs=64k count=16 2>/dev/null
	dd if=/tmp/pat of="$disk" bs=64k oflag=direct 2>/dev/null
	dd if="$disk" of=/tmp/back bs=64k count=16 iflag=direct 2>/dev/null
	expect_ok cmp /tmp/pat /tmp/back
fi
expect_ok iscsi_logout "$T1"
for k in MaxRecvDataSegmentLength=262144 MaxBurstLength=262144 FirstBurstLength=65536 \
	 InitialR2T=No; do
	kitt_tpg_param "$T1" 1 "${k%%=*}" "${k#*=}"
done
for k in HeaderDigest DataDigest; do
	iscsiadm -m node -T "$T1" -p $P -o update -n node.conn[0].iscsi.$k -v None
done

# --- failures: unknown target, no ACL, wrong CHAP secret ----------------------------
n=$(nr_login_lines)
expect_fail iscsi_login "$KITT_IQN_BASE:nonexistent" $P
expect_match "$(last_login_line)" "to $KITT_IQN_BASE:nonexistent failed: unknown target \(status 0x0203\)" \
	"unknown target: status 0203 and a log line"
expect_eq "$(nr_login_lines)" $((n + 1)) "one log line for the unknown target"

n=$(nr_login_lines)
expect_fail iscsi_login "$T3" $P
expect_match "$(last_login_line)" "from $ME .* to $T3 failed: .*ACL.* \(status 0x0202\)" \
	"no ACL: status 0202 (authorization failure) and a log line"
expect_eq "$(nr_login_lines)" $((n + 1)) "one log line for the refused initiator"

# set_chap IQN USER SECRET [MUSER MSECRET]: CHAP on our ACL of IQN, mandatory.
set_chap() {
	local a=$KITT_CFS/targets/$1/tpgt_1/acls/$ME/auth
	echo "$2" > "$a/userid"; echo "$3" > "$a/password"
	echo "${4:-}" > "$a/userid_mutual"; echo "${5:-}" > "$a/password_mutual"
	kitt_tpg_attr "$1" 1 authentication 1
}

# node_chap IQN USER SECRET [MUSER MSECRET [ALGS]]
node_chap() {
	local o="iscsiadm -m node -T $1 -p $P -o update -n"
	$o node.session.auth.authmethod -v CHAP
	$o node.session.auth.username -v "$2"
	$o node.session.auth.password -v "$3"
	$o node.session.auth.username_in -v "${4:-}"
	$o node.session.auth.password_in -v "${5:-}"
	[ -n "${6:-}" ] && $o node.session.auth.chap_algs -v "$6"
	return 0
}

set_chap "$T2" alice secret-alice-12
node_chap "$T2" alice wrong-secret-99
n=$(nr_login_lines)
expect_fail iscsi_login "$T2" $P
expect_match "$(last_login_line)" "from $ME .* to $T2 failed: .* \(status 0x0201\)" \
	"wrong CHAP secret: status 0201 and a log line"
expect_eq "$(nr_login_lines)" $((n + 1)) "one log line for the wrong secret"

# --- CHAP: one-way MD5, mutual MD5, mutual SHA-256 -------------------------------------
node_chap "$T2" alice secret-alice-12 "" "" MD5
expect_ok iscsi_login "$T2" $P
expect_ok iscsi_logout "$T2"

set_chap "$T2" alice secret-alice-12 target2 secret-target-34
node_chap "$T2" alice secret-alice-12 target2 secret-target-34 MD5
expect_ok iscsi_login "$T2" $P
expect_ok iscsi_logout "$T2"

node_chap "$T2" alice secret-alice-12 target2 secret-target-34 SHA256
expect_ok iscsi_login "$T2" $P
expect_ok iscsi_logout "$T2"

# Mutual CHAP with the wrong target secret on the initiator side: the
# initiator refuses the target, and the login fails.
node_chap "$T2" alice secret-alice-12 target2 not-the-secret MD5
expect_fail iscsi_login "$T2" $P
iscsiadm -m node -T "$T2" -p $P -o update -n node.session.auth.authmethod -v None
kitt_tpg_attr "$T2" 1 authentication 0

# --- 100 login/logout cycles ------------------------------------------------------
task0=$(slab_objs kitt_task)
live0=$(cat /sys/kernel/kitt/live)
ok=0
for i in $(seq 100); do
	iscsiadm -m node -T "$T1" -p $P -l >/dev/null 2>&1 &&
	iscsi_wait_disk "$T1" 10 >/dev/null &&
	iscsi_logout "$T1" $P >/dev/null 2>&1 && ok=$((ok + 1))
done
expect_eq "$ok" 100 "100 login/logout cycles"
wait_for 10 test -z "$(ls /sys/kernel/kitt/sessions)"
expect_eq "$(cat /sys/kernel/kitt/live)" "$live0" "no connection or session left behind"
expect_eq "$(slab_objs kitt_task)" "${task0:-0}" "kitt_task slab objects back to the start"
grep kitt /proc/slabinfo

# --- removing the ACL ends the initiator's session ------------------------------------
expect_ok iscsi_login "$T1" $P
expect_eq "$(ls /sys/kernel/kitt/sessions | wc -l)" 1 "logged in before the ACL goes"
expect_ok rmdir "$KITT_CFS/targets/$T1/tpgt_1/acls/$ME"
expect_eq "$(ls /sys/kernel/kitt/sessions | wc -l)" 0 "the session ended with its ACL"
iscsiadm -m node -T "$T1" -p $P -o update -n node.session.initial_login_retry_max -v 1 \
	>/dev/null 2>&1
iscsi_logout "$T1" >/dev/null 2>&1

# --- discovery CHAP (discovery/auth) ----------------------------------------------------
D=$KITT_CFS/discovery/auth
echo disco > $D/userid
echo disco-secret-56 > $D/password
echo 1 > $D/enforce
expect_fail iscsiadm -m discovery -t st -p $P
expect_match "$(last_login_line)" "to discovery failed: .* \(status 0x0201\)" \
	"discovery without CHAP refused: status 0201"
iscsiadm -m discoverydb -t st -p $P -o new >/dev/null 2>&1
dset() { iscsiadm -m discoverydb -t st -p $P -o update -n "$1" -v "$2"; }
dset discovery.sendtargets.auth.authmethod CHAP
dset discovery.sendtargets.auth.username disco
dset discovery.sendtargets.auth.password disco-secret-56
out=$(iscsiadm -m discoverydb -t st -p $P --discover | sort)
expect_match "$out" "$T2" "discovery with CHAP lists the targets"
echo 0 > $D/enforce
