#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# kitt-timeout: 420
# libiscsi's conformance suite (issue 4): iscsi-test-cu -d against a
# brd-backed kitt LUN, two initiator names allowed by ACLs. Every test of
# the required suites must pass; then the whole suite runs and its
# pass/fail/skip counts are printed (informational). The harness fails
# the run on any kernel warning.
. /kitt/guest-lib.sh

IQN=$KITT_IQN_BASE:libiscsi
P=127.0.0.1
INI1=iqn.2007-10.com.github:sahlberg:libiscsi:iscsi-test
INI2=iqn.2007-10.com.github:sahlberg:libiscsi:iscsi-test-2
URL=iscsi://$P/$IQN/0
SIZE_MB=64

# The suites issue 4 requires (family ALL), as iscsi-test-cu -t names them.
REQUIRED="Inquiry ReadCapacity10 ReadCapacity16 Read6 Read10 Read12 Read16
	Write10 Write12 Write16 Verify10 Verify12 Verify16 WriteVerify10
	WriteVerify12 WriteVerify16 TestUnitReady ModeSense6 Mandatory
	iSCSIcmdsn iSCSIdatasn iSCSIResiduals iSCSITMF"

kitt_load || { modprobe configfs; modprobe libcrc32c; insmod "$KITT_KO"; } || die "cannot load kitt"
cleanup_add "kitt_teardown"
must brd_load $SIZE_MB
must kitt_dev_create lu0 /dev/ram0
must kitt_target_create "$IQN" 1
must kitt_lun_add "$IQN" 1 0 lu0
must kitt_acl_add "$IQN" 1 "$INI1"
must kitt_acl_add "$IQN" 1 "$INI2"
must kitt_tpg_attr "$IQN" 1 authentication 0
must kitt_portal_add "$IQN" 1 "$P:3260"
must kitt_tpg_enable "$IQN" 1
[ -n "$KITT_LIBISCSI_DEBUG" ] && echo 32 > /sys/module/kitt/parameters/debug_mask

# summarize LOG: print the CUnit run summary; sets RUN FAILED SKIPPED.
# A skipped test is one that printed [SKIPPED] before its verdict (CUnit
# counts it as passed).
summarize()
{
	local line

	line=$(grep -E '^ +tests +[0-9]' "$1" | tail -1)
	# "tests  Total  Ran  Passed  Failed  Inactive"
	RUN=$(echo "$line" | awk '{ print $3 }')
	FAILED=$(echo "$line" | awk '{ print $5 }')
	SKIPPED=$(awk '
		/  Test: / { cur = 1; sk = 0 }
		{
			p = index($0, "passed"); f = index($0, "FAILED")
			pre = p ? substr($0, 1, p - 1) : $0
			if (cur && pre ~ /\[SKIPPED\]/) sk = 1
			if (cur && p) { n += sk; cur = 0 }
			if (cur && f && !index($0, "[FAILED]")) cur = 0
		}
		END { print n + 0 }' "$1")
	echo "tests: ${RUN:-?} run, ${FAILED:-?} failed, $SKIPPED of the passed were skipped"
}

# failures LOG: the failed assertions, as SUITE.TEST: file:line - check.
failures()
{
	awk '/^Suite: / { s = $2 } /  Test: / { t = $2 }
	     /^ +[0-9]+\. .*:[0-9]+ / { sub(/^ +[0-9]+\. +/, ""); print s "." t ": " $0 }' "$1"
}

# run_cu LOG SECONDS [ARGS]: run iscsi-test-cu -d, bounded in time.
run_cu()
{
	local log=$1 secs=$2

	shift 2
	timeout -k 5 "$secs" iscsi-test-cu -d -i "$INI1" -I "$INI2" "$@" "$URL" > "$log" 2>&1
}

log "required suites"
# LIBISCSI_TESTS / LIBISCSI_NO_ALL: a wrapper script may narrow the run.
list=$(for s in ${LIBISCSI_TESTS:-$REQUIRED}; do printf 'ALL.%s,' "$s"; done)
run_cu /tmp/required.log 200 -t "${list%,}"
rc=$?
export_file /tmp/required.log libiscsi-required.log
summarize /tmp/required.log
failures /tmp/required.log | head -60
expect_ne "$rc" 124 "required suites finish within 200 s"
expect_match "$RUN" '^[1-9][0-9]*$' "required suites ran"
expect_eq "$FAILED" 0 "required suites: no failed test"

[ -n "$LIBISCSI_NO_ALL" ] && exit 0
log "whole suite (informational)"
run_cu /tmp/all.log 240
rc=$?
export_file /tmp/all.log libiscsi-all.log
[ $rc -eq 124 ] && echo "the whole suite did not finish within 240 s"
summarize /tmp/all.log
echo "libiscsi whole suite: $RUN run: passed $((RUN - FAILED - SKIPPED)), failed $FAILED, skipped $SKIPPED"
failures /tmp/all.log | sort | uniq -c | head -100

expect_ok wait_for 10 test -z "$(ls /sys/kernel/kitt/sessions)"
# What kitt logged, counted by kind.
dmesg | sed -n 's/^\[[^]]*\] kitt: //p' | sed -E 's/[0-9]+/N/g' | sort | uniq -c | sort -rn | head -20
