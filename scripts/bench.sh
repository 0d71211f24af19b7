#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# `make bench`: kitt against LIO in one QEMU guest boot, interleaved, and
# the report (issue 5). See Documentation/performance.rst.
#
#   scripts/bench.sh [-k 6.1|6.12]
#
# Environment (defaults in brackets):
#   ROUNDS       interleaved rounds [5]
#   RUNTIME      measured seconds per job [8]
#   RAMP         warm-up seconds per job, not measured [2]
#   JOBS         jobs on null_blk [qd1-randread qd1-randwrite qd4-randrw
#                qd32-randread qd32-randwrite qd32-randrw seq-read seq-write
#                sess4-randrw perf-randread];
#                perf-seqread (iscsi-perf, 128k) is available too
#   DIGEST_JOBS  of JOBS, those repeated with CRC32C digests on null_blk ("": none)
#                [the fio jobs]
#   BRD_JOBS     of JOBS, those repeated on brd [qd32-randwrite seq-read seq-write]
#   BACKENDS     null, brd or both ["null brd"]
#   CEILING      1: fio on the raw backing devices once, before the rounds [1]
#   MAX_OTHER_LOAD  leave out of the report the job runs during which other
#                processes on the host used more than this many CPUs [keep all]
#   PROFILE      1: instead of the rounds, one perf profile (cpu-clock, all
#                CPUs) of each fio job on each target, on null_blk unless
#                BACKENDS says otherwise; `make bench-profile` [0]
#   PROFILE_DIGEST  none or crc32c, for PROFILE=1 [none]
#   PROFILE_CALLERS 1: PROFILE=1 records call chains too, and the report adds
#                the callers of the target threads' busiest functions [0]
#   PROFILE_ROUNDS  PROFILE=1 logs in and profiles each target this many
#                times (thread placement differs from login to login) [1]
#   KITT_PARAMS  kitt's module parameters, for an A/B run ("pin_threads=0") [none]
#   FIO_CPUS     fio's --cpus_allowed in the guest ("1": fio on the CPU that
#                the first connection of either target does not use) [any]
#   QEMU_CPU     -cpu of the guest (see qemu-run.sh) [QEMU's default]
#   BASE         A/B mode: a git revision; kitt built from it takes LIO's
#                place in the same boot (the report's "LIO" column), so that
#                two builds of kitt are compared without the noise between
#                boots. BASE_KO=PATH: the same with a kitt.ko built already.
#   BASE_PARAMS  A/B mode: the baseline's module parameters [KITT_PARAMS];
#                alone (no BASE, BASE_KO), the tree's own kitt.ko with
#                these parameters is the baseline
# The defaults take about 40 minutes. A smoke run of a few minutes:
#   ROUNDS=1 RUNTIME=3 RAMP=1 JOBS="qd1-randread qd32-randread" make bench
#
# Output: build/bench/results.md, results.png, results.json, results.rst,
# and the raw files (fio JSON, results.csv, negotiated settings, host load)
# in build/bench/raw/. Each run keeps all of these in its own directory,
# build/bench/runs/<time>-<kernel>-<rounds>x<runtime>s/; build/bench/ shows
# the latest.
# The guest's own logs are in build/test-logs/<kernel>/bench/.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

K=6.1
while [ $# -gt 0 ]; do
	case "$1" in
	-k)	K=$2; shift 2 ;;
	*)	die "usage: bench.sh [-k 6.1|6.12]" ;;
	esac
done

JOBS_SET=${JOBS:-}
BACKENDS_SET=${BACKENDS:-}
ROUNDS=${ROUNDS:-5}
RUNTIME=${RUNTIME:-8}
RAMP=${RAMP:-2}
FIO_JOBS="qd1-randread qd1-randwrite qd4-randrw qd32-randread qd32-randwrite qd32-randrw seq-read seq-write sess4-randrw"
JOBS=${JOBS:-$FIO_JOBS perf-randread}
DIGEST_JOBS=${DIGEST_JOBS-$FIO_JOBS}
BRD_JOBS=${BRD_JOBS-qd32-randwrite seq-read seq-write}
BACKENDS=${BACKENDS:-null brd}
CEILING=${CEILING:-1}
PROFILE=${PROFILE:-0}
PROFILE_DIGEST=${PROFILE_DIGEST:-none}
PROFILE_CALLERS=${PROFILE_CALLERS:-0}
PROFILE_ROUNDS=${PROFILE_ROUNDS:-1}
KITT_PARAMS=${KITT_PARAMS:-}
BASE=${BASE:-}
BASE_KO=${BASE_KO:-}
BASE_PARAMS=${BASE_PARAMS-$KITT_PARAMS}
FIO_CPUS=${FIO_CPUS:-}
BASELINE=
if [ "$PROFILE" = 1 ]; then
	JOBS=${JOBS_SET:-qd1-randread qd32-randread qd32-randwrite seq-read seq-write}
	[ -n "${BACKENDS_SET:-}" ] || BACKENDS=null
fi

for v in ROUNDS RUNTIME RAMP PROFILE_ROUNDS; do
	[[ ${!v} =~ ^[1-9][0-9]*$ ]] || die "$v must be a positive number"
done
[[ $FIO_CPUS =~ ^[0-9,-]*$ ]] || die "FIO_CPUS must be a CPU list such as 1 or 0-1"

# has_word LIST WORD
has_word() { case " $1 " in *" $2 "*) return 0 ;; esac; return 1; }

# The expected duration from the job count: each job takes its runtime,
# its ramp and about a second to start; each of the three logins per
# target and round, the target's setup and teardown take about ten seconds
# together; the boot and the fill of the RAM disk about a minute. The
# guest's bound is half as much again plus five minutes.
njobs=0
nceil=0
for be in $BACKENDS; do
	for j in $JOBS; do
		[ "$be" = brd ] && ! has_word "$BRD_JOBS" "$j" && continue
		njobs=$((njobs + 1))
		case "$j" in
		perf-*)	;;
		*)	[ "$be" = null ] && has_word "$DIGEST_JOBS" "$j" &&
				njobs=$((njobs + 1))
			nceil=$((nceil + 1)) ;;
		esac
	done
done
[ "$CEILING" = 1 ] || nceil=0
per_job=$((RUNTIME + RAMP + 1))
nblocks=$(echo "$BACKENDS" | wc -w)
estimate=$(( (ROUNDS * 2 * njobs + nceil) * per_job + ROUNDS * 2 * nblocks * 10 + 60 ))
[ "$PROFILE" = 1 ] &&
	estimate=$(( PROFILE_ROUNDS * $(echo "$JOBS" | wc -w) * $(echo "$BACKENDS" | wc -w) * 2 *
		     (per_job + RUNTIME + 15) + 90 ))
TIMEOUT=$((estimate * 3 / 2 + 300))

OUT=$KITT_BUILD/bench
mkdir -p "$OUT"

KVER=$(kver_pick "$K") || die "no kernel $K installed"
RUN=$KITT_LOGS/$KVER/bench

# A/B mode: the baseline kitt.ko, from a revision's own tree.
if [ -n "$BASE" ]; then
	rev=$(git -C "$KITT_ROOT" rev-parse --short "$BASE^{commit}") ||
		die "BASE=$BASE is not a revision"
	src=$OUT/base-$rev
	rm -rf "$src"
	mkdir -p "$src"
	git -C "$KITT_ROOT" archive "$rev" | tar -x -C "$src"
	log "bench: A/B against $rev: building its kitt.ko"
	rm -f "$OUT/kitt-base.ko"
	# Every version of build-module.sh prints the module's path.
	if ! ko=$("$src/scripts/build-module.sh" "$KVER" 2>"$OUT/base-build.log"); then
		die "$rev does not build: $OUT/base-build.log"
	fi
	cp "$ko" "$OUT/kitt-base.ko"
	rm -rf "$src"
	BASE_KO=$OUT/kitt-base.ko
	BASELINE=$rev
elif [ -n "$BASE_KO" ]; then
	[ -f "$BASE_KO" ] || die "BASE_KO=$BASE_KO: no such file"
	BASELINE=$BASE_KO
fi
if [ -n "$BASE_KO" ]; then
	vermagic=$(modinfo -F vermagic "$BASE_KO")
	[ "${vermagic%% *}" = "$KVER" ] ||
		die "$BASE_KO is built for ${vermagic%% *}, not $KVER"
elif [ "$BASE_PARAMS" != "$KITT_PARAMS" ]; then
	BASELINE="this tree"
fi
if [ "$BASE_PARAMS" != "$KITT_PARAMS" ]; then
	BASELINE+=" with module parameters \"$BASE_PARAMS\""
fi
[ -z "$BASELINE" ] || export KITT_BASE_KO=$BASE_KO

GUEST=$OUT/bench.sh
{
	echo "#!/bin/bash"
	echo "# kitt-bench: yes"
	echo "# kitt-timeout: $TIMEOUT"
	for v in ROUNDS RUNTIME RAMP JOBS DIGEST_JOBS BRD_JOBS BACKENDS CEILING PROFILE \
		 PROFILE_DIGEST PROFILE_CALLERS PROFILE_ROUNDS KITT_PARAMS BASE_PARAMS BASELINE FIO_CPUS; do
		printf '%s=%q\n' "$v" "${!v}"
	done
	cat "$KITT_ROOT/scripts/guest/bench.sh"
} > "$GUEST"

load=$(cut -d' ' -f1 /proc/loadavg)
log "bench: $ROUNDS rounds, ${RUNTIME}s + ${RAMP}s ramp per job, $njobs jobs per target and round"
log "bench: about $((estimate / 60 + 1)) minutes (bound $((TIMEOUT / 60)) min); host load $load"
if awk -v l="$load" 'BEGIN { exit !(l >= 0.5) }'; then
	log "bench: warning: the host is busy (load $load): numbers will be noisy"
fi

# The host's own load during the run: every 2 seconds the host's busy CPU
# ticks and the guest's (the qemu process's), cumulative. The report
# subtracts one from the other: whatever else ran on the host.
sample_host()
{
	local pid q

	set +eo pipefail
	while :; do
		# A fixed string: the 6.12 kernel's name has a "+".
		pid=
		for q in $(pgrep -f '^qemu-system-x86_64 '); do
			grep -qaF -- "$RUN/console.log" "/proc/$q/cmdline" 2>/dev/null &&
				{ pid=$q; break; }
		done
		q=0
		[ -n "$pid" ] && q=$(awk '{ sub(/.*\) /, ""); print $12 + $13 }' \
					"/proc/$pid/stat" 2>/dev/null)
		echo "$(date +%s) $(awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9 }' \
				  /proc/stat) ${q:-0}"
		sleep 2
	done
}
sample_host > "$OUT/hostload.txt" &
sampler=$!

# The tree kitt.ko is built from, as qemu-run.sh starts.
commit=$(git -C "$KITT_ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
git -C "$KITT_ROOT" diff --quiet HEAD -- drivers/kitt 2>/dev/null ||
	commit+=" with uncommitted changes in drivers/kitt"
start=$(date +%s)
stamp=$(date -u -d "@$start" +%Y%m%dT%H%MZ)
set +e
"$KITT_ROOT/scripts/qemu-run.sh" -k "$K" "$GUEST"
rc=$?
set -e
kill $sampler 2>/dev/null || true
wait $sampler 2>/dev/null || true
secs=$(($(date +%s) - start))
load_end=$(cut -d' ' -f1 /proc/loadavg)

if [ "$PROFILE" = 1 ]; then
	DIR=$OUT/profile/$stamp-${KVER%%-*}-$PROFILE_DIGEST
	mkdir -p "$DIR"
	{
		echo "# kitt and LIO under perf"
		echo
		echo "\`make bench-profile\` on $(date -u -d "@$start" +%Y-%m-%dT%H:%MZ), commit" \
		     "$commit, guest kernel $KVER; ${RUNTIME} s of samples per job" \
		     "(cpu-clock, 1000 Hz, both vCPUs). Host load $load at start," \
		     "$(cut -d' ' -f1 /proc/loadavg) at the end."
		echo
		for f in "$RUN"/files/prof-*.txt; do
			[ -f "$f" ] || continue
			cp "$f" "$DIR/"
			sed -n '1,4p' "$f"
			echo '```'
			sed -n '5,$p' "$f"
			echo '```'
			echo
		done
	} > "$DIR/profile.md"
	cp "$DIR/profile.md" "$OUT/profile.md"
	log "bench: profile in ${OUT#"$KITT_ROOT"/}/profile.md (run: ${DIR#"$KITT_ROOT"/})"
	exit $rc
fi

# Every run keeps its own directory; build/bench/ shows the latest.
DIR=$OUT/runs/$stamp-${KVER%%-*}-${ROUNDS}x${RUNTIME}s
mkdir -p "$DIR/raw"
for f in "$RUN"/files/*.tar.gz; do
	[ -f "$f" ] && tar -C "$DIR/raw" -xzf "$f"
done
for f in results.csv env.txt; do
	[ -f "$RUN/files/$f" ] && cp "$RUN/files/$f" "$DIR/raw/"
done
mv "$OUT/hostload.txt" "$DIR/raw/"
cp "$RUN/findings.log" "$DIR/raw/" 2>/dev/null || true
[ -f "$DIR/raw/results.csv" ] || die "no results came back (see ${RUN#"$KITT_ROOT"/})"
cat > "$DIR/raw/host.txt" <<EOT
kernel_line $K
guest_kernel $KVER
verdict $(cat "$RUN/result" 2>/dev/null || echo none)
wall_seconds $secs
host_load_start $load
host_load_end $load_end
host_cpus $(nproc)
host_hz $(getconf CLK_TCK)
host_cpu $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
qemu $(qemu-system-x86_64 --version | head -1)
date $(date -u -d "@$start" +%Y-%m-%dT%H:%MZ)
commit $commit
EOT

python3 "$KITT_ROOT/scripts/bench-report.py" \
	${MAX_OTHER_LOAD:+--max-other-load "$MAX_OTHER_LOAD"} "$DIR/raw" "$DIR"
rm -rf "$OUT/raw"
ln -s "${DIR#"$OUT"/}/raw" "$OUT/raw"
for f in "$DIR"/results.*; do
	cp "$f" "$OUT/"
done
log "bench: ${secs}s; results in ${OUT#"$KITT_ROOT"/}/results.md (run: ${DIR#"$KITT_ROOT"/})"
[ $rc -eq 0 ] || log "bench: the guest run failed: see ${RUN#"$KITT_ROOT"/}"
exit $rc
