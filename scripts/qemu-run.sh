#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Boot a QEMU guest with a Debian kernel, run ONE guest test in it, and
# judge the run.
#
#   scripts/qemu-run.sh [-k 6.1|6.12|debug|KVER] [-q] [--no-kitt] TEST
#
# TEST is a name from scripts/guest/tests/ (without .sh) or a path to a
# script. The guest gets the base initramfs (scripts/mkinitramfs.sh), plus
# kitt.ko built for that kernel (scripts/build-module.sh),
# scripts/guest/lib.sh as /kitt/lib.sh, every guest test in /kitt/tests/,
# tools/kittctl/kittctl if built and tools/kitt-fuzz/kitt-fuzz (built here
# if needed) as /kitt/kitt-fuzz.
#
# The run fails when the test exits non-zero or records a failed check,
# when the final `rmmod kitt` fails, when the guest does not finish within
# the test's time bound ("# kitt-timeout: SECONDS" in its header, default
# 300), or when the kernel log shows a BUG, WARNING, Oops, hung task,
# lockdep, slub, KFENCE, ... report. Kernel arguments add slub_debug=FZPU
# (and kfence.sample_interval=10 on 6.12) unless the test's header has
# "# kitt-bench: yes".
#
# -k debug boots the debug kernel of scripts/build-debug-kernel.sh (KASAN,
# KFENCE, lockdep, kmemleak; build it first). There the test's time bound
# is multiplied by DEBUG_TIMEOUT_SCALE (default 3), slub_debug is left off
# (KASAN covers it), and the run also fails when kmemleak reports an
# unreferenced object after the test (kmemleak.log). Benchmarks, and tests
# that need a module the kernel lacks ("# kitt-modules: NAME..." in the
# header), are skipped: the verdict is SKIP and the exit status 77.
#
# KITT_BASE_KO, if set, is a second kitt.ko for the guest, staged as
# /kitt/kitt-base.ko (scripts/bench.sh's A/B mode).
#
# QEMU_CPU, if set, is passed as -cpu (for example "max", so that the
# guest has SSE4.2 and crc32c-intel); unset, QEMU's default model.
#
# Logs: build/test-logs/<KVER>/<TEST>/: output.log (the test's output),
# dmesg.log (the whole kernel log), console.log (the serial console),
# findings.log (kernel log lines that failed the run), result, files/.
# Prints the test's output live unless -q; the last line is
# "PASS|FAIL|SKIP <kernel> <test> ...". Exit status 0 on PASS.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

K=6.1
QUIET=
NO_KITT=
while [ $# -gt 0 ]; do
	case "$1" in
	-k)		K=$2; shift 2 ;;
	-q)		QUIET=1; shift ;;
	--no-kitt)	NO_KITT=1; shift ;;
	-*)		die "unknown option $1" ;;
	*)		break ;;
	esac
done
TEST=${1:?usage: qemu-run.sh [-k 6.1|6.12|debug|KVER] [-q] [--no-kitt] TEST}

if [ -f "$TEST" ]; then
	TEST_FILE=$(readlink -f "$TEST")
else
	TEST_FILE=$KITT_ROOT/scripts/guest/tests/$TEST.sh
fi
[ -f "$TEST_FILE" ] || die "no guest test $TEST"
NAME=$(basename "$TEST_FILE" .sh)

if [ "$K" = debug ]; then
	KVER=$(kver_debug) || die "no debug kernel: run scripts/build-debug-kernel.sh"
else
	KVER=$(kver_pick "$K") || die "no kernel $K installed: run scripts/deps.sh"
fi
# The debug kernel is the one with its modules under build/debug-kernel.
DEBUG_K=
[ -n "$(kmodbase "$KVER")" ] && DEBUG_K=1
VMLINUZ=/boot/vmlinuz-$KVER
[ -f "$VMLINUZ" ] || VMLINUZ=$KITT_BUILD/kernels/$KVER/boot/vmlinuz-$KVER
[ -n "$DEBUG_K" ] && VMLINUZ=$KITT_DEBUG_KERNEL/bzImage
[ -f "$VMLINUZ" ] || die "no kernel image for $KVER"

RUN=$KITT_LOGS/$KVER/$NAME
# Two runs of the same test on the same kernel take turns (one log dir).
mkdir -p "$KITT_LOGS/$KVER"
exec 6>"$RUN.lock"
flock 6
rm -rf "$RUN"
mkdir -p "$RUN/files"

verdict()
{
	echo "$1" > "$RUN/result"
	echo "$1 $K $NAME${2:+: $2} (logs: ${RUN#"$KITT_ROOT"/})"
	case "$1" in
	PASS)	exit 0 ;;
	SKIP)	exit 77 ;;
	*)	exit 1 ;;
	esac
}

header()
{
	sed -n "s/^# $1: *//p" "$TEST_FILE" | head -1
}
TIMEOUT=$(header kitt-timeout)
TIMEOUT=${TIMEOUT:-300}
# "# kitt-timeout-plus: VAR": the seconds in environment variable VAR, if
# set, add to the bound (FUZZ_TIME for a longer run of guest/tests/fuzz.sh).
plus=$(header kitt-timeout-plus)
if [ -n "$plus" ] && [ -n "${!plus:-}" ]; then
	TIMEOUT=$((TIMEOUT + ${!plus//[^0-9]/0}))
fi
BENCH=0
[ "$(header kitt-bench)" = yes ] && BENCH=1

# What this kernel cannot run.
[ -n "$DEBUG_K" ] && [ $BENCH -eq 1 ] &&
	verdict SKIP "a benchmark: timings under KASAN and lockdep mean nothing"
moddir=$(kmodbase "$KVER")/lib/modules/$KVER
have=$(cut -d: -f1 "$moddir/modules.dep" "$moddir/modules.builtin" 2>/dev/null |
	sed 's,.*/,,; s,\.ko.*,,; s,-,_,g')
for m in $(header kitt-modules); do
	grep -qx "${m//-/_}" <<<"$have" || verdict SKIP "no $m module in $KVER"
done
# KASAN, lockdep and kmemleak under TCG make everything slower: the
# test's bound and the hung task detector's scale with it.
SCALE=1
[ -n "$DEBUG_K" ] && SCALE=${DEBUG_TIMEOUT_SCALE:-3}
TIMEOUT=$((TIMEOUT * SCALE))

# kitt.ko for this kernel: built here, or KITT_KO_PREBUILT (a .ko or
# .ko.xz, such as the one DKMS built: scripts/package-test.sh).
KO=
if [ -z "$NO_KITT" ] && [ -n "${KITT_KO_PREBUILT:-}" ]; then
	case "$KITT_KO_PREBUILT" in
	*.xz)	xz -dc "$KITT_KO_PREBUILT" > "$RUN/kitt.ko" ;;
	*)	cp "$KITT_KO_PREBUILT" "$RUN/kitt.ko" ;;
	esac || verdict FAIL "cannot read $KITT_KO_PREBUILT"
	KO=$RUN/kitt.ko
elif [ -z "$NO_KITT" ]; then
	# The copy in the run's directory is the one tested (and kept).
	if ! KITT_KO_COPY=$RUN/kitt.ko "$KITT_ROOT/scripts/build-module.sh" "$KVER" \
			>/dev/null 2>"$RUN/build.log"; then
		tail -20 "$RUN/build.log"
		verdict FAIL "kitt.ko does not build for $KVER"
	fi
	KO=$RUN/kitt.ko
fi

BASE=$("$KITT_ROOT/scripts/mkinitramfs.sh" "$KVER")

# The per-run archive, appended to the base one.
stage=$(mktemp -d "$KITT_BUILD/initramfs/.run.XXXXXX")
chmod 755 "$stage"
INITRD=$stage.cpio
trap 'rm -rf "$stage" "$INITRD"' EXIT
mkdir -p "$stage/kitt/tests"
cp "$KITT_ROOT/scripts/guest/lib.sh" "$stage/kitt/lib.sh"
cp "$KITT_ROOT"/scripts/guest/tests/*.sh "$stage/kitt/tests/" 2>/dev/null || true
cp "$TEST_FILE" "$stage/kitt/tests/$NAME.sh"
[ -n "$KO" ] && cp "$KO" "$stage/kitt/kitt.ko"
# KITT_BASE_KO: a second kitt.ko for the same kernel, as
# /kitt/kitt-base.ko (the bench's A/B mode, BASE_KO in scripts/bench.sh).
if [ -n "${KITT_BASE_KO:-}" ]; then
	cp "$KITT_BASE_KO" "$stage/kitt/kitt-base.ko" || verdict FAIL "cannot read $KITT_BASE_KO"
fi
# kittctl and kitt.service from the tree, or installed ones (KITT_KITTCTL,
# KITT_UNIT: the packages' files, in scripts/package-test.sh).
KITTCTL=${KITT_KITTCTL:-$KITT_ROOT/tools/kittctl/kittctl}
if [ -x "$KITTCTL" ]; then
	mkdir -p "$stage/usr/sbin"
	cp "$KITTCTL" "$stage/usr/sbin/kittctl"
fi
cp "${KITT_UNIT:-$KITT_ROOT/tools/kittctl/kitt.service}" "$stage/kitt/kitt.service"
# "# kitt-extras: prometheus": Prometheus's promtool and node_exporter
# (static binaries unpacked by scripts/deps.sh), kept out of the base
# archive that every boot unpacks.
for x in $(header kitt-extras); do
	case "$x" in
	prometheus)
		mkdir -p "$stage/usr/bin"
		for b in promtool prometheus-node-exporter; do
			[ -x "$KITT_BUILD/prometheus/usr/bin/$b" ] &&
				cp "$KITT_BUILD/prometheus/usr/bin/$b" "$stage/usr/bin/"
		done
		;;
	*)	verdict FAIL "unknown kitt-extras '$x'" ;;
	esac
done
# kitt-fuzz, the hostile initiator of the hostile and fuzz tests: built
# here (a no-op when current), as those tests cannot run without it.
if [ -f "$KITT_ROOT/tools/kitt-fuzz/Makefile" ]; then
	(flock 8; make -s -C "$KITT_ROOT/tools/kitt-fuzz") 8>"$KITT_BUILD/.kitt-fuzz.lock" \
		>"$RUN/build-kitt-fuzz.log" 2>&1 || echo "KITT: kitt-fuzz does not build" >&2
	if [ -x "$KITT_ROOT/tools/kitt-fuzz/kitt-fuzz" ]; then
		cp "$KITT_ROOT/tools/kitt-fuzz/kitt-fuzz" "$stage/kitt/"
	fi
fi
cat > "$stage/kitt/run.env" <<EOF
KITT_TEST=$NAME
KITT_TIMEOUT=$TIMEOUT
KITT_BENCH=$BENCH
KITT_HUNG_TASK_SECS=$((60 * SCALE))
EOF
# The fuzz test's seed, run time and connections, when set on the host.
for v in FUZZ_SEED FUZZ_TIME FUZZ_CONNS; do
	if [ -n "${!v:-}" ]; then
		echo "export $v=${!v//[^0-9]/}" >> "$stage/kitt/run.env"
	fi
done
{
	cat "$BASE"
	(cd "$stage" && find . -print0 | cpio --null -o -H newc -R 0:0 --quiet)
} > "$INITRD"

APPEND="console=ttyS0,115200 loglevel=5 panic=-1 mitigations=off random.trust_cpu=on"
if [ -n "$DEBUG_K" ]; then
	# KASAN checks every access already; slub_debug would only slow it.
	# kmemleak is on by default in that build; say so anyway.
	APPEND+=" kmemleak=on"
elif [ $BENCH -eq 0 ]; then
	APPEND+=" slub_debug=FZPU"
	case "$KVER" in
	6.1.*)	;;
	*)	APPEND+=" kfence.sample_interval=10" ;;
	esac
else
	# Under TCG the kernel finds the vCPUs' TSCs out of step and falls
	# back to the HPET, whose every read is an emulated MMIO access: in a
	# profile, clock reads took 5-7% of all CPU time. Benchmarks keep the
	# TSC, as the hardware they stand for does.
	APPEND+=" tsc=reliable clocksource=tsc"
fi

# Host bound: the test's own bound (enforced in the guest, which then still
# reports the kernel log) plus time to boot and to dump the log.
HOST_TIMEOUT=$((TIMEOUT + 180))
# The debug kernel boots in about 30 s, and kmemleak scans three times.
[ -n "$DEBUG_K" ] && HOST_TIMEOUT=$((TIMEOUT + 300))
start=$(date +%s)
# A guest that crashes or hangs while booting, before the test has begun
# (so before kitt is loaded), is the emulator's fault, not the test's: TCG
# has been seen to fault in the kernel's own boot-time code, and to stop
# for good in early PCI probing. Boot again, twice at most, and say so.
# A boot takes about 5 s, 30 s on a loaded host; BOOT_LIMIT is the most
# it may take before it counts as hung.
# The debug kernel takes about 30 s, but stops for good in about one boot
# out of three, idle, its first synchronize_rcu_tasks() never returning
# (just after "Running RCU-tasks wait API self tests", which lockdep's
# PROVE_RCU runs): it gets a shorter limit and more boots.
BOOT_LIMIT=${BOOT_LIMIT:-$([ -n "$DEBUG_K" ] && echo 120 || echo 150)}
BOOTS=3
[ -n "$DEBUG_K" ] && BOOTS=5
for ((boot = 1; boot <= BOOTS; boot++)); do
	: > "$RUN/output.raw"
	: > "$RUN/console.log"
	rm -f "$RUN/boot-hung"
	set +e
	timeout -k 10 "$HOST_TIMEOUT" qemu-system-x86_64 \
		-accel tcg,thread=multi ${QEMU_CPU:+-cpu "$QEMU_CPU"} -smp 2 -m 2048 \
		-nographic -nodefaults -nic none \
		-no-reboot -kernel "$VMLINUZ" -initrd "$INITRD" -append "$APPEND" \
		-serial "file:$RUN/console.log" -serial "file:$RUN/output.raw" \
		</dev/null >"$RUN/qemu.log" 2>&1 &
	qpid=$!
	(
		for ((i = 0; i < BOOT_LIMIT; i++)); do
			sleep 1
			kill -0 $qpid 2>/dev/null || exit 0
			grep -q '^=== KITT-TEST-BEGIN' "$RUN/output.raw" 2>/dev/null && exit 0
		done
		: > "$RUN/boot-hung"
		kill $qpid 2>/dev/null
	) &
	watchpid=$!
	if [ -z "$QUIET" ]; then
		# Show the test's output as it comes, up to the kernel log dump.
		tail -n +1 -F --pid=$qpid "$RUN/output.raw" 2>/dev/null |
			awk '/^=== KITT-TEST-BEGIN/ { on = 1; next } /^=== KITT-TEST-END/ { on = 0 }
			     /^=== KITT-FILE-BEGIN/ { file = 1 } /^=== KITT-FILE-END/ { file = 0; next }
			     on && !file { print; fflush() }' &
		tailpid=$!
	fi
	wait $qpid
	qrc=$?
	[ -z "$QUIET" ] && wait $tailpid 2>/dev/null
	kill $watchpid 2>/dev/null
	wait $watchpid 2>/dev/null
	set -e
	if [ $boot -lt $BOOTS ] && ! grep -q '^=== KITT-TEST-BEGIN' "$RUN/output.raw" &&
	   { [ -f "$RUN/boot-hung" ] || grep -q 'Kernel panic' "$RUN/console.log"; }; then
		how=crashed
		[ -f "$RUN/boot-hung" ] && how="hung (no test after ${BOOT_LIMIT}s)"
		echo "KITT: the guest $how while booting, before the test; booting again" >&2
		cp "$RUN/console.log" "$RUN/console-boot$boot.log"
		continue
	fi
	rm -f "$RUN/boot-hung"
	break
done
secs=$(($(date +%s) - start))

# Split the guest's channel: test output, exported files, kernel log.
tr -d '\r' < "$RUN/output.raw" | awk -v dir="$RUN" '
	/^=== KITT-TEST-BEGIN/	{ sect = "test"; next }
	/^=== KITT-TEST-END/	{ sect = ""; next }
	/^=== KITT-FILE-BEGIN /	{ f = dir "/files/" $3 ".b64"; prev = sect; sect = "file"; next }
	/^=== KITT-FILE-END/	{ close(f); sect = prev; next }
	/^=== KITT-DMESG-BEGIN/	{ sect = "dmesg"; next }
	/^=== KITT-DMESG-END/	{ sect = ""; next }
	/^=== KITT-KSYMS-BEGIN/	{ sect = "ksyms"; next }
	/^=== KITT-KSYMS-END/	{ sect = ""; next }
	/^=== KITT-KMEMLEAK-BEGIN/	{ sect = "kmemleak"; printf "" > (dir "/kmemleak.log"); next }
	/^=== KITT-KMEMLEAK-END/	{ sect = ""; next }
	/^=== KITT-RESULT /	{ print > (dir "/result.raw"); next }
	sect == "test"		{ print > (dir "/output.log") }
	sect == "file"		{ print > f }
	sect == "dmesg"		{ print > (dir "/dmesg.log") }
	sect == "ksyms"		{ print > (dir "/kitt-syms.log") }
	sect == "kmemleak"	{ print > (dir "/kmemleak.log") }
'
for f in "$RUN"/files/*.b64; do
	[ -f "$f" ] || continue
	base64 -d "$f" > "${f%.b64}" && rm -f "$f"
done
touch "$RUN/output.log"

# The kernel log: the guest's dump if it got that far, else the console.
KLOG=$RUN/dmesg.log
[ -s "$KLOG" ] || KLOG=$RUN/console.log
PATTERNS='BUG:|WARNING:|Oops|general protection|blocked for more than|Call Trace:|kernel BUG|'\
'^[^a-z]*BUG [^ ]+ \(|Redzone|Poison overwritten|Object padding|Freepointer|KFENCE|KASAN|UBSAN|'\
'possible circular locking|possible recursive locking|inconsistent lock state|'\
'circular locking dependency|suspicious RCU usage|lockdep|unreferenced object|'\
'refcount_t:|list_add corruption|list_del corruption|Kernel panic|soft lockup|'\
'hard LOCKUP|rcu_.*self-detected stall|rcu: INFO|double free|use-after-free|stack-protector|'\
'sleeping function called from invalid context|scheduling while atomic|bad page state'
# Lines that match but report nothing: the debug kernel's boot banners.
BENIGN='RCU lockdep checking is enabled'
grep -E "$PATTERNS" "$KLOG" | grep -vE "$BENIGN" > "$RUN/findings.log" || true

# kmemleak, on the debug kernel. Any object still unreferenced after the
# test fails the run, not only one with kitt in its backtrace: what booting
# left was cleared before the test, so the rest comes from the test's
# window, where kitt is what runs, and kitt's frames cannot be picked out
# reliably (after rmmod they print as bare addresses, and a test that loads
# kitt again puts it elsewhere). A leak that turns out to be another
# subsystem's (the initiator's, LIO's) is rare and worth a look anyway.
# kitt's last symbols name its bare addresses where they can.
if [ -s "$RUN/kmemleak.log" ] && [ -s "$RUN/kitt-syms.log" ]; then
	python3 - "$RUN/kitt-syms.log" "$RUN/kmemleak.log" <<'EOF'
import re, sys
syms = sorted((int(l.split()[0], 16), l.split()[2]) for l in open(sys.argv[1])
	      if len(l.split()) >= 3)
text = open(sys.argv[2]).read()
def name(m):
    a = int(m.group(1), 16)
    best = None
    for addr, sym in syms:
        if addr > a:
            break
        best = (addr, sym)
    if not best or a - best[0] > 0x10000:
        return m.group(0)
    return "%s (%s+0x%x [kitt, unloaded])" % (m.group(0), best[1], a - best[0])
open(sys.argv[2], "w").write(re.sub(r"(?<=\] )0x([0-9a-f]{16})$", name, text, flags=re.M))
EOF
fi
if [ -s "$RUN/kmemleak.log" ]; then
	grep '^unreferenced object' "$RUN/kmemleak.log" >> "$RUN/findings.log" || true
fi

if [ -z "$QUIET" ]; then
	:
elif [ -s "$RUN/findings.log" ] || [ ! -s "$RUN/result.raw" ] ||
     ! grep -q 'rc=0 rmmod=0 fails=0' "$RUN/result.raw"; then
	# Quiet runs show the end of the output of a failed test.
	tail -40 "$RUN/output.log"
fi

if [ $qrc -eq 124 ] || [ $qrc -eq 137 ]; then
	verdict FAIL "guest did not finish within ${HOST_TIMEOUT}s"
fi
[ -s "$RUN/result.raw" ] || verdict FAIL "guest stopped before the test finished (qemu exit $qrc, see console.log)"
rc=$(sed -n 's/.* rc=\([0-9]*\).*/\1/p' "$RUN/result.raw")
rmrc=$(sed -n 's/.* rmmod=\([0-9]*\).*/\1/p' "$RUN/result.raw")
fails=$(sed -n 's/.* fails=\([0-9]*\).*/\1/p' "$RUN/result.raw")
reasons=()
[ "$rc" = 124 ] && reasons+=("timed out after ${TIMEOUT}s")
[ "$rc" != 0 ] && [ "$rc" != 124 ] && reasons+=("test exit $rc")
[ "$fails" != 0 ] && reasons+=("$fails checks failed")
[ "$rmrc" != 0 ] && reasons+=("rmmod kitt failed")
first=$(grep -v -m1 '^unreferenced object' "$RUN/findings.log" || true)
[ -n "$first" ] && reasons+=("kernel log: $(echo "$first" | sed 's/^\[[^]]*\] //' | cut -c1-80)")
nleak=$(grep -c '^unreferenced object' "$RUN/kmemleak.log" 2>/dev/null || true)
[ "${nleak:-0}" -gt 0 ] && reasons+=("kmemleak: $nleak unreferenced objects (kmemleak.log)")
if [ -n "$DEBUG_K" ] && { [ ! -e "$RUN/kmemleak.log" ] ||
			  grep -q 'kmemleak: .*disabled' "$KLOG"; }; then
	reasons+=("kmemleak did not run to the end")
fi
if [ -s "$RUN/findings.log" ]; then
	[ -n "$QUIET" ] || { echo "--- kernel log findings:"; head -20 "$RUN/findings.log"; }
fi
if [ ${#reasons[@]} -gt 0 ]; then
	verdict FAIL "$(IFS=';'; echo "${reasons[*]}" | sed 's/;/; /g') [${secs}s]"
fi
verdict PASS "${secs}s"
