#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# kitt-timeout: 900
# libiscsi's conformance suite (issues 4, 12): iscsi-test-cu -d, every
# family, against a thin-provisioned kitt LUN (null_blk with discard)
# whose ACLs allow libiscsi's two initiator names, reached through two
# portals (two paths: the MultipathIO tests), then the write-protect
# tests on a read-only LUN and the unaligned-unmap tests on a LUN with
# 4 KiB physical blocks. Every test of the suites issue 4 requires must
# pass (as the ALL family runs them), and no test of the whole run may
# fail; the counts are printed per family. The harness fails the run on
# any kernel warning.
. /kitt/lib.sh

INI1=iqn.2007-10.com.github:sahlberg:libiscsi:iscsi-test
INI2=iqn.2007-10.com.github:sahlberg:libiscsi:iscsi-test-2
URL=iscsi://$P/$IQN/0
URL2=iscsi://$P:3261/$IQN/0
# 31 MiB: 63488 blocks, fewer than MAXIMUM WRITE SAME LENGTH (65535), so
# that a WRITE SAME of zero blocks ("to the last block") from LBA 0 is
# allowed and its tests run instead of skipping.
SIZE_MB=31

# The suites issue 4 requires, as iscsi-test-cu names them.
REQUIRED="Inquiry ReadCapacity10 ReadCapacity16 Read6 Read10 Read12 Read16
	Write10 Write12 Write16 Verify10 Verify12 Verify16 WriteVerify10
	WriteVerify12 WriteVerify16 TestUnitReady ModeSense6 Mandatory
	iSCSIcmdsn iSCSIdatasn iSCSIResiduals iSCSITMF"
# A wrapper may narrow the run: LIBISCSI_TESTS="Read10 Reserve6" (suites
# of the ALL family; all of them must pass), LIBISCSI_SECONDS, and set
# the target's offer with LIBISCSI_PARAMS.
# The test's own bound less time to report: 810 s, and three times that
# on the debug kernel (KITT_TIMEOUT is scaled for it).
SECONDS_MAX=${LIBISCSI_SECONDS:-$((${KITT_TIMEOUT:-900} - 90))}

kitt_test_setup
# LIBISCSI_ON_FILE=1: the LUN is a file on ext4 on the RAM disk (file.c).
# Otherwise a memory-backed null_blk device with discard: a block device
# LUN that is thin provisioned, so that the UNMAP and provisioning tests
# run. Either way LUN 1 is a read-only device for the tests that need a
# write-protected LU. LUN 0's physical blocks are its logical ones, so
# the unaligned-unmap tests skip there ("LBPPB < 2"); they run again on
# LUN 2, a thin scsi_debug disk with 4 KiB physical blocks. (Not the
# whole suite: libiscsi 1.19's GetLBAStatus.UnmapSingle expects the
# first descriptor at the next physical block where SBC-4 puts it at the
# LBA asked for, and scsi_debug runs the suite three times slower.)
if [ -n "${LIBISCSI_ON_FILE:-}" ]; then
	must brd_load $((SIZE_MB + 32))
	must modprobe ext4
	must /sbin/mkfs.ext4 -q -F /dev/ram0
	mkdir -p /backing
	must mount -t ext4 /dev/ram0 /backing
	cleanup_add "kitt_teardown; umount /backing"
	must dd if=/dev/zero of=/backing/lun.img bs=1M count=0 seek=$SIZE_MB
	must dd if=/dev/zero of=/backing/ro.img bs=1M count=0 seek=16
	must kitt_dev_create lu0 /backing/lun.img
	RO_PATH=/backing/ro.img
else
	must nullb_create thin0 $SIZE_MB 1
	must nullb_create ro0 16 1
	cleanup_add "kitt_teardown; nullb_remove_all"
	must kitt_dev_create lu0 "$(nullb_dev thin0)"
	RO_PATH=$(nullb_dev ro0)
fi
must mkdir "$KITT_CFS/devices/ro0"
must put "$KITT_CFS/devices/ro0/path" "$RO_PATH"
must put "$KITT_CFS/devices/ro0/read_only" 1
must put "$KITT_CFS/devices/ro0/enable" 1
# LUN 2: 512-byte blocks, 4 KiB physical, thin (where the kernel has
# scsi_debug: the debug kernel does not).
lbppb_lun=
if scsi_debug_load dev_size_mb=16 physblk_exp=3 lbpu=1 lbpws=1 lbpws10=1 \
	unmap_granularity=8 unmap_max_desc=16 unmap_max_blocks=65536; then
	must kitt_dev_create pb0 "$(scsi_debug_disk)"
	lbppb_lun=2
else
	log "no scsi_debug in this kernel: the LBPPB > 1 tests cannot run"
fi
must kitt_target_create "$IQN" 1
must kitt_lun_add "$IQN" 1 0 lu0
must kitt_lun_add "$IQN" 1 1 ro0
[ -z "$lbppb_lun" ] || must kitt_lun_add "$IQN" 1 2 pb0
must kitt_acl_add "$IQN" 1 "$INI1"
must kitt_acl_add "$IQN" 1 "$INI2"
must kitt_tpg_attr "$IQN" 1 authentication 0
must kitt_portal_add "$IQN" 1 "$P:3260"
must kitt_portal_add "$IQN" 1 "$P:3261"
# LIBISCSI_PARAMS="InitialR2T=Yes ...": the portal group's offer.
for kv in $LIBISCSI_PARAMS; do
	must kitt_tpg_param "$IQN" 1 "${kv%%=*}" "${kv#*=}"
done
must kitt_tpg_enable "$IQN" 1

# verdicts LOG: one line per test of iscsi-test-cu's verbose output:
# "<suite number> <suite> <test> passed|FAILED|skipped". A skipped test
# printed [SKIPPED] before its verdict (CUnit counts it as passed);
# "[FAILED]" inside a test's output is a message, not its verdict.
verdicts()
{
	awk '
	function verdict(v) {
		print ns, suite, test, (v == "passed" && sk ? "skipped" : v)
		cur = 0
	}
	/^Suite: / { ns++; suite = $2; next }
	/^  Test: / { cur = 1; sk = 0; test = $2; sub(/^  Test: [^ ]+ \.\.\./, "") }
	cur {
		p = index($0, "passed"); f = match($0, /(^|[^[])FAILED/)
		if (f) f = RSTART + (substr($0, RSTART, 1) == "F" ? 0 : 1)
		s = index($0, "[SKIPPED]")
		if (s && (!p || s < p) && (!f || s < f)) sk = 1
		if (p && (!f || p < f)) verdict("passed")
		else if (f) verdict("FAILED")
	}' "$1"
}

# failures LOG: the failed assertions, as SUITE.TEST: file:line - check.
failures()
{
	awk '/^Suite: / { s = $2 } /  Test: / { t = $2 }
	     /^ +[0-9]+\. .*:[0-9]+ / { sub(/^ +[0-9]+\. +/, ""); print s "." t ": " $0 }' "$1"
}

# count VERDICTS-FILE [WORD]: tests (with that verdict).
count() { awk -v w="$2" 'w == "" || $4 == w' "$1" | wc -l; }

# The whole suite (four families) on 6.1; on other kernels the ALL
# family, which runs every suite once (SCSI, iSCSI and LINUX run the same
# tests again), unless LIBISCSI_FULL=1: make check stays shorter.
if [ -n "$LIBISCSI_TESTS" ]; then
	REQUIRED=$LIBISCSI_TESTS
	args=(-t "$(for s in $REQUIRED; do printf 'ALL.%s,' "$s"; done | sed 's/,$//')")
elif [ -z "${LIBISCSI_FULL:-}" ] && [ "$(uname -r | cut -d. -f1-2)" != 6.1 ]; then
	log "$(uname -r): the ALL family (every suite once); LIBISCSI_FULL=1 runs all four"
	args=(-t ALL)
else
	args=()
fi

log "iscsi-test-cu -d ${args[*]} (at most $SECONDS_MAX s)"
timeout -k 5 "$SECONDS_MAX" iscsi-test-cu -d -i "$INI1" -I "$INI2" "${args[@]}" \
	"$URL" "$URL2" > /tmp/cu.log 2>&1
rc=$?
log "iscsi-test-cu exit $rc"
if [ $rc -eq 124 ] || [ $rc -eq 143 ]; then
	fail "iscsi-test-cu did not finish within $SECONDS_MAX s"
fi
export_file /tmp/cu.log libiscsi.log
verdicts /tmp/cu.log > /tmp/verdicts.txt

# The ALL family comes first and holds every suite: grade the required
# suites there (the other families run the same tests again).
if [ -n "$LIBISCSI_TESTS" ]; then
	nall=1000
else
	nall=$(iscsi-test-cu -l | grep -c '^ALL\.[^.]*$')
fi
awk -v n="$nall" '$1 <= n' /tmp/verdicts.txt > /tmp/all-family.txt
for s in $REQUIRED; do
	ran=$(awk -v s="$s" '$2 == s' /tmp/all-family.txt | wc -l)
	bad=$(awk -v s="$s" '$2 == s && $4 == "FAILED" { print $3 }' /tmp/all-family.txt)
	if [ "$ran" -eq 0 ]; then
		fail "suite $s did not run"
	elif [ -n "$bad" ]; then
		fail "suite $s: failed: $(echo $bad)"
	else
		pass "suite $s: $ran tests, $(awk -v s="$s" '$2 == s && $4 == "skipped"' \
			/tmp/all-family.txt | wc -l) skipped"
	fi
done

echo "failed assertions:"
failures /tmp/cu.log | sort | uniq -c
echo "skipped, by reason:"
awk '/^Suite: / { s = $2 } /\[SKIPPED\]/ { sub(/.*\[SKIPPED\] */, ""); print s ": " $0 }' \
	/tmp/cu.log | sort | uniq -c | sort -rn | head -30
# Per family: the suites run family by family, in the order -l lists them.
iscsi-test-cu -l | grep -E '^[^. ]+\.[^. ]+$' | cut -d. -f1 > /tmp/suite-family.txt
awk 'NR == FNR { fam[FNR] = $1; next }
     { f = fam[$1]; n[f]++; v[f, $4]++; if (!(f in seen)) { seen[f] = 1; order[++k] = f } }
     END { for (i = 1; i <= k; i++) { f = order[i]
		printf "family %s: %d tests: passed %d, failed %d, skipped %d\n", f, n[f],
		       v[f, "passed"], v[f, "FAILED"], v[f, "skipped"] } }' \
	/tmp/suite-family.txt /tmp/verdicts.txt
echo "whole run: $(count /tmp/verdicts.txt) tests: passed $(count /tmp/verdicts.txt passed)," \
	"failed $(count /tmp/verdicts.txt FAILED), skipped $(count /tmp/verdicts.txt skipped)"
grep -E '^ +tests +[0-9]' /tmp/cu.log
expect_eq "$(count /tmp/verdicts.txt FAILED)" 0 "no test of the whole run failed"

# The tests that need a write-protected LU skipped above; they run on the
# read-only LUN 1 (the others cannot pass there: they write).
awk -v n="$nall" '/^Suite: / { ns++; s = $2 } /^  Test: / { t = $2 }
	ns <= n && /not write-protected/ { print "ALL." s "." t }' /tmp/cu.log |
	sort -u > /tmp/ro-tests.txt
if [ -s /tmp/ro-tests.txt ] && [ -z "$LIBISCSI_TESTS" ]; then
	log "iscsi-test-cu -d on the read-only LUN: $(echo $(cat /tmp/ro-tests.txt))"
	timeout -k 5 300 iscsi-test-cu -d -i "$INI1" -I "$INI2" \
		-t "$(paste -sd, /tmp/ro-tests.txt)" "iscsi://$P/$IQN/1" > /tmp/cu-ro.log 2>&1
	export_file /tmp/cu-ro.log libiscsi-ro.log
	verdicts /tmp/cu-ro.log > /tmp/verdicts-ro.txt
	expect_eq "$(count /tmp/verdicts-ro.txt)" "$(wc -l < /tmp/ro-tests.txt)" \
		"the read-only LUN: every write-protect test ran"
	expect_eq "$(awk '$4 != "passed"' /tmp/verdicts-ro.txt)" "" \
		"the read-only LUN: every write-protect test passed"
fi

# The tests that need more than one logical block per physical block
# skipped above; they run on LUN 2.
awk -v n="$nall" '/^Suite: / { ns++; s = $2 } /^  Test: / { t = $2 }
	ns <= n && /LBPPB < 2/ { print "ALL." s "." t }' /tmp/cu.log |
	sort -u > /tmp/pb-tests.txt
if [ -s /tmp/pb-tests.txt ] && [ -z "$LIBISCSI_TESTS" ] && [ -n "$lbppb_lun" ]; then
	log "iscsi-test-cu -d on LUN 2, 8 blocks a physical block: $(echo $(cat /tmp/pb-tests.txt))"
	timeout -k 5 300 iscsi-test-cu -d -i "$INI1" -I "$INI2" \
		-t "$(paste -sd, /tmp/pb-tests.txt)" "iscsi://$P/$IQN/2" > /tmp/cu-pb.log 2>&1
	export_file /tmp/cu-pb.log libiscsi-lbppb.log
	verdicts /tmp/cu-pb.log > /tmp/verdicts-pb.txt
	cat /tmp/verdicts-pb.txt
	expect_eq "$(count /tmp/verdicts-pb.txt)" "$(wc -l < /tmp/pb-tests.txt)" \
		"LUN 2 (LBPPB 8): every unaligned test ran"
	expect_eq "$(awk '$4 != "passed"' /tmp/verdicts-pb.txt)" "" \
		"LUN 2 (LBPPB 8): every unaligned test passed, none skipped"
fi
# Multipath: both paths were there, so no MultipathIO test skipped.
expect_eq "$(grep -c 'Multipath unavailable' /tmp/cu.log)" 0 \
	"MultipathIO ran over two paths"

# What stays skipped: the tests of the whole run that skipped and did not
# pass on the read-only LUN or LUN 2, with the reason each gave. Only the
# features kitt does not offer may remain: WRITE ATOMIC where the device
# has no atomic writes, SANITIZE (the suite runs it only when told to
# destroy everything) and removable media.
awk '/^Suite: / { ns++; s = $2 } /^  Test: / { t = $2; r = "" }
	/\[SKIPPED\]/ && r == "" { r = $0; sub(/.*\[SKIPPED\] */, "", r); print ns, s, t, r }' \
	/tmp/cu.log | sort -u -k1,3 > /tmp/skip-reasons.txt
cat /tmp/verdicts-ro.txt /tmp/verdicts-pb.txt 2>/dev/null |
	awk '$4 == "passed" { print $2 "." $3 }' | sort -u > /tmp/rerun-passed.txt
awk 'NR == FNR { ok[$1] = 1; next } $4 == "skipped" && !(($2 "." $3) in ok)' \
	/tmp/rerun-passed.txt /tmp/verdicts.txt > /tmp/left-skipped.txt
left=$(wc -l < /tmp/left-skipped.txt)
echo "left skipped: $left tests (of $(count /tmp/verdicts.txt skipped) skipped in the whole run)"
awk 'NR == FNR { k = $1 " " $2 " " $3; $1 = $2 = $3 = ""; why[k] = $0; next }
	{ print why[$1 " " $2 " " $3] }' /tmp/skip-reasons.txt /tmp/left-skipped.txt |
	sort | uniq -c | sort -rn
if [ -z "$LIBISCSI_TESTS" ]; then
	other=$(awk 'NR == FNR { k = $1 " " $2 " " $3; $1 = $2 = $3 = ""; why[k] = $0; next }
		{ print $2 "." $3 ":" why[$1 " " $2 " " $3] }' /tmp/skip-reasons.txt \
		/tmp/left-skipped.txt |
		grep -Ev 'WRITEATOMIC16 is not implemented|allow-sanitize|not removable' | sort -u)
	expect_eq "$other" "" "every skip left is atomic writes, SANITIZE or removable media"
	expect_eq "$([ "$left" -le 75 ] && echo yes)" yes "at most 75 tests left skipped ($left)"
fi

expect_ok wait_for 10 test -z "$(ls /sys/kernel/kitt/sessions)"
# What kitt logged, counted by kind.
dmesg | sed -n 's/^\[[^]]*\] kitt: //p' | sed -E 's/[0-9]+/N/g' | sort | uniq -c | sort -rn | head -20
