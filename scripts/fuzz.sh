#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build kitt's libFuzzer harnesses (tools/fuzz) and run each for a bounded
# time; `make fuzz` runs it.
#
#   scripts/fuzz.sh                  every harness, FUZZ_TIME s each (60)
#   scripts/fuzz.sh -q               quick: 10 s each (for check.sh)
#   scripts/fuzz.sh -t 300 login     one harness, 5 minutes
#
# Environment: FUZZ_TIME (seconds per harness), FUZZ_SEED (libFuzzer's
# -seed, default 1, so a run can be repeated), FUZZ_RSS_MB (memory limit,
# default 2048), FUZZ_JOBS (parallel harnesses, default 1).
#
# One line per harness, "PASS fuzz:NAME: ..." or "FAIL fuzz:NAME: ...",
# then "N passed, N failed"; the exit status is non-zero when anything
# failed. The corpus grows in build/fuzz/corpus/NAME (seeded from
# tools/fuzz/corpus/NAME), logs go to build/fuzz/logs/, and an input that
# crashed a harness to build/fuzz/crashes/ (the log says how to replay it).
set -uo pipefail
. "$(dirname "$0")/lib.sh"

ALL=(pdu text params chap login scsi wdata)
FUZZ_TIME=${FUZZ_TIME:-60}
FUZZ_SEED=${FUZZ_SEED:-1}
FUZZ_RSS_MB=${FUZZ_RSS_MB:-2048}
FUZZ_JOBS=${FUZZ_JOBS:-1}

while getopts "qt:" o; do
	case $o in
	q)	FUZZ_TIME=10 ;;
	t)	FUZZ_TIME=$OPTARG ;;
	*)	echo "usage: fuzz.sh [-q] [-t SECONDS] [HARNESS...]" >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=("${ALL[@]}")

OUT=$KITT_BUILD/fuzz
SRC=$KITT_ROOT/tools/fuzz
mkdir -p "$OUT/logs" "$OUT/crashes"

# Longest input per harness: a login is several PDUs, CHAP values are long.
max_len()
{
	case $1 in
	login)			echo 20000 ;;
	text|params|chap)	echo 10000 ;;
	scsi)			echo 9000 ;;
	*)			echo 4096 ;;
	esac
}

npass=0
nfail=0

if ! command -v clang-14 >/dev/null && ! command -v clang >/dev/null; then
	echo "FAIL fuzz:build: no clang (scripts/deps.sh installs clang and libclang-rt-14-dev)"
	echo "0 passed, 1 failed"
	exit 1
fi
if ! nice -n 10 make -s -C "$SRC" -j"$(nproc)" >"$OUT/logs/build.log" 2>&1 ||
   grep -q 'warning:' "$OUT/logs/build.log"; then
	grep -E 'warning:|error:' "$OUT/logs/build.log" | head -20
	echo "FAIL fuzz:build: see ${OUT#"$KITT_ROOT"/}/logs/build.log"
	echo "0 passed, 1 failed"
	exit 1
fi

# run NAME: one harness for FUZZ_TIME seconds; prints its verdict line.
run()
{
	local t=$1 bin=$OUT/fuzz_$1 log=$OUT/logs/$1.log corpus=$OUT/corpus/$1
	local rc last cov ft corp runs crash

	if [ ! -x "$bin" ]; then
		echo "FAIL fuzz:$t: no such harness"
		return 1
	fi
	mkdir -p "$corpus"
	rm -f "$OUT/crashes/$t-"*
	# New inputs go to the first directory (build/), the seeds stay as they are.
	nice -n 10 "$bin" -max_total_time="$FUZZ_TIME" -seed="$FUZZ_SEED" \
		-rss_limit_mb="$FUZZ_RSS_MB" -timeout=30 -max_len="$(max_len "$t")" \
		-print_final_stats=1 -artifact_prefix="$OUT/crashes/$t-" \
		"$corpus" "$SRC/corpus/$t" >"$log" 2>&1
	rc=$?
	last=$(grep -E '^#[0-9]+' "$log" | tail -1)
	cov=$(echo "$last" | sed -n 's/.* cov: \([0-9]*\).*/\1/p')
	ft=$(echo "$last" | sed -n 's/.* ft: \([0-9]*\).*/\1/p')
	corp=$(echo "$last" | sed -n 's/.* corp: \([0-9]*\).*/\1/p')
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
	if [ $rc -eq 0 ]; then
		echo "PASS fuzz:$t: ${FUZZ_TIME}s, ${runs:-?} runs, cov ${cov:-?} ft ${ft:-?}, corpus ${corp:-?}"
		return 0
	fi
	crash=$(ls -1 "$OUT/crashes/$t-"* 2>/dev/null | head -1)
	grep -E 'ERROR: |runtime error:|check failed|WARNING at' "$log" | head -3 | sed 's/^/    /'
	echo "FAIL fuzz:$t: exit $rc after ${runs:-?} runs; input ${crash#"$KITT_ROOT"/}" \
	     "(replay: KITT_FUZZ_VERBOSE=1 ${bin#"$KITT_ROOT"/} ${crash#"$KITT_ROOT"/}; log ${log#"$KITT_ROOT"/})"
	return 1
}

results=$OUT/logs/results
: >"$results"
running=0
for t in "${targets[@]}"; do
	if [ "$FUZZ_JOBS" -le 1 ]; then
		run "$t" | tee -a "$results"
		continue
	fi
	run "$t" >>"$results" &
	running=$((running + 1))
	if [ "$running" -ge "$FUZZ_JOBS" ]; then
		wait -n
		running=$((running - 1))
	fi
done
wait
[ "$FUZZ_JOBS" -le 1 ] || cat "$results"
npass=$(grep -c '^PASS ' "$results")
nfail=$(grep -c '^FAIL ' "$results")
echo "$npass passed, $nfail failed"
[ "$nfail" -eq 0 ]
