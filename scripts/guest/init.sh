#!/bin/busybox sh
# SPDX-License-Identifier: GPL-2.0
# /init of kitt's test guest (see scripts/qemu-run.sh).
#
# Busybox's shell runs its own applets before anything on PATH, so the
# real tools (kmod, util-linux) are called by full path here.
#
# ttyS0 is the kernel console; ttyS1 carries the test's output, a result
# line and the whole kernel log between markers, which the host splits
# apart. Runs one test script from /kitt/tests, then removes kitt if it is
# still loaded, then powers off.

export PATH=/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/root TERM=dumb LANG=C.UTF-8

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mkdir -p /dev/pts /dev/shm
mount -t devpts devpts /dev/pts
mount -t tmpfs tmpfs /dev/shm
mount -t tmpfs tmpfs /run
mkdir -p /run/lock/iscsi
mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
/usr/sbin/modprobe configfs 2>/dev/null
mount -t configfs configfs /sys/kernel/config
hostname kitt-guest
ip link set lo up

out=/dev/ttyS1
stty -F $out raw -echo 2>/dev/null
exec >$out 2>&1 </dev/null

. /kitt/run.env
export KITT_DIR=/kitt KITT_TEST KITT_KVER=$(uname -r) KITT_BENCH KITT_TIMEOUT
export KITT_KO=/kitt/kitt.ko

# Hung tasks are reported after a minute (three on the debug kernel); a
# kitt thread stuck that long is a bug.
echo "${KITT_HUNG_TASK_SECS:-60}" > /proc/sys/kernel/hung_task_timeout_secs 2>/dev/null
echo 1 > /proc/sys/kernel/sysrq

if [ -f "$KITT_KO" ]; then
	cp "$KITT_KO" "/lib/modules/$KITT_KVER/extra/kitt.ko"
	/usr/sbin/depmod -a
fi

# Wait for the kernel's random number generator before the test starts.
# When it becomes ready the kernel patches a static branch in every
# caller of get_random_*(); under TCG a vCPU running such a caller at that
# moment has been seen to take the patching breakpoint as an Oops (int3 in
# crng_make_state(), a fork in fio, 6.12). The guest has no RDRAND, so the
# moment fell inside a test; reading /dev/random here makes the kernel
# gather jitter entropy at once, while nothing else runs.
head -c 1 /dev/random > /dev/null

# On a kernel with kmemleak (the debug kernel), forget what booting left
# behind: scan once, then "clear" marks every object reported so far as
# never to be reported again. What the final scans find is the test's.
KMEMLEAK=/sys/kernel/debug/kmemleak
if [ -w $KMEMLEAK ]; then
	echo scan > $KMEMLEAK
	echo clear > $KMEMLEAK
fi

echo "=== KITT-TEST-BEGIN $KITT_TEST on $KITT_KVER ==="
cd /tmp
bash "/kitt/tests/$KITT_TEST.sh" &
pid=$!
(
	sleep "$KITT_TIMEOUT"
	echo "KITT: $KITT_TEST timed out after $KITT_TIMEOUT s; blocked tasks follow in the kernel log"
	touch /tmp/kitt-timed-out
	echo w > /proc/sysrq-trigger
	kill -KILL $pid
) &
wd=$!
wait $pid
rc=$?
kill $wd 2>/dev/null
[ -e /tmp/kitt-timed-out ] && rc=124
echo "=== KITT-TEST-END ==="

# The harness removes kitt: a module that will not unload fails the run.
rmmod_rc=0
if grep -q '^kitt ' /proc/modules; then
	# Once kitt is gone, kmemleak prints its frames as bare addresses: keep
	# its symbols, so the host can name them (scripts/qemu-run.sh).
	if [ -w $KMEMLEAK ]; then
		echo "=== KITT-KSYMS-BEGIN ==="
		grep '\[kitt\]' /proc/kallsyms
		echo "=== KITT-KSYMS-END ==="
	fi
	/usr/sbin/rmmod kitt
	rmmod_rc=$?
	[ $rmmod_rc -ne 0 ] && echo "KITT: rmmod kitt failed ($rmmod_rc)"
fi
fails=$(cat /tmp/kitt-fails 2>/dev/null || echo 0)
echo "=== KITT-RESULT rc=$rc rmmod=$rmmod_rc fails=$fails ==="

# kmemleak reports only objects older than 5 s, and a second scan drops
# objects the first found unreferenced only for a moment (a pointer held in
# a register or moving between lists); the report lists what is still
# unreferenced after both. The host judges it.
if [ -w $KMEMLEAK ]; then
	sleep 6
	echo scan > $KMEMLEAK
	sleep 3
	echo scan > $KMEMLEAK
	echo "=== KITT-KMEMLEAK-BEGIN ==="
	head -c 200000 $KMEMLEAK
	echo "=== KITT-KMEMLEAK-END ==="
fi

echo "=== KITT-DMESG-BEGIN ==="
/usr/bin/dmesg
echo "=== KITT-DMESG-END ==="
sync
poweroff -f
