#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# kitt-kernels: 6.1
# kitt-timeout: 420
# kitt-timeout-plus: FUZZ_TIME
# A short seeded run of the PDU fuzzer (issue 9): `kitt-fuzz random`
# throws FUZZ_TIME seconds (default 60) of structure-aware hostile
# connections at kitt, FUZZ_CONNS at once (default 6), seeded by FUZZ_SEED
# (default 9), at an open target and a CHAP target. It must see no
# malformed answer and no unanswered ping, and its own final login must
# write and read back. Then kitt holds no connection, session or task,
# the Linux initiator logs in and `fio --verify` passes on the LUN, and
# rmmod kitt succeeds. FUZZ_SEED, FUZZ_TIME and FUZZ_CONNS set on the host
# reach the guest (scripts/qemu-run.sh), e.g.
#   FUZZ_SEED=1234 FUZZ_TIME=300 scripts/qemu-run.sh -k 6.1 fuzz
. /kitt/lib.sh

SEED=${FUZZ_SEED:-9}
TIME=${FUZZ_TIME:-60}
CONNS=${FUZZ_CONNS:-6}
IQN2=$KITT_IQN_BASE:fuzz-chap
FI=iqn.2024-01.org.kitt:fuzzer
FUZZ=/kitt/kitt-fuzz
[ -x $FUZZ ] || die "no $FUZZ in the guest (tools/kitt-fuzz did not build?)"

kitt_test_setup
must brd_load 64 2
must kitt_quick_target "$IQN" /dev/ram0 "$P:3260"
must kitt_dev_create c0 /dev/ram1
must kitt_target_create "$IQN2" 1
must kitt_lun_add "$IQN2" 1 0 c0
must kitt_acl_add "$IQN2" 1 "$FI"
echo fuzzuser > "$KITT_CFS/targets/$IQN2/tpgt_1/acls/$FI/auth/userid"
echo fuzz-secret-12 > "$KITT_CFS/targets/$IQN2/tpgt_1/acls/$FI/auth/password"
must kitt_tpg_attr "$IQN2" 1 authentication 1
must kitt_portal_add "$IQN2" 1 "$P:3260"
must kitt_tpg_enable "$IQN2" 1
modprobe crc32c_generic 2>/dev/null

task0=$(slab_objs kitt_task)
su0=$(unreclaimable)

log "kitt-fuzz random --seed $SEED --time $TIME --conns $CONNS"
$FUZZ random --seed "$SEED" --time "$TIME" --conns "$CONNS" --portal "$P:3260" \
	--target "$IQN" --chap-target "$IQN2" --chap fuzzuser:fuzz-secret-12 --initiator "$FI" \
	>/tmp/fuzz.out 2>&1
rc=$?
# The whole output goes to the host; here the misbehaviours and the summary.
export_file /tmp/fuzz.out kitt-fuzz.out
grep -A12 'MISBEHAVIOUR' /tmp/fuzz.out | head -120
grep -v -e '^    ' -e 'MISBEHAVIOUR' -e 'last PDUs' -e 'misbehaved; replay' /tmp/fuzz.out | tail -70
expect_eq $rc 0 "kitt-fuzz random --seed $SEED: nothing wrong seen, final check passed"

# kitt lets go of everything the fuzzer made it hold.
wait_for 60 kitt_idle
expect_eq "$(cat /sys/kernel/kitt/live)" "$KITT_LIVE0" \
	"no connection or session left"
wait_until 20 '[ "$(slab_objs kitt_task)" = "${task0:-0}" ]'
expect_eq "$(slab_objs kitt_task)" "${task0:-0}" "kitt_task slab objects back to the start"
su=$(unreclaimable)
log "SUnreclaim ${su0} kB at the start, ${su} kB now"
expect_ok test $((su - su0)) -lt 65536

# A normal initiator still logs in and gets its data back.
must initiator_setup
expect_ok iscsi_login "$IQN" $P
disk=$(iscsi_wait_disk "$IQN" 30) || die "no disk after the fuzz run"
expect_ok fio --name=after-fuzz --filename="$disk" --rw=randwrite --bs=4k --size=32M \
	--ioengine=libaio --direct=1 --iodepth=16 --verify=crc32c --verify_fatal=1 \
	--output=/tmp/fio.out
grep -E 'err=|WRITE:|READ:' /tmp/fio.out
expect_ok iscsi_logout "$IQN"
iscsi_logout_all
expect_ok wait_for 30 kitt_idle

# And kitt unloads.
kitt_teardown
expect_ok rmmod kitt
