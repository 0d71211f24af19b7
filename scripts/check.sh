#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# kitt's whole test suite, as `make check` runs it.
#
#   scripts/check.sh                 everything, on both kernels
#   scripts/check.sh -k 6.12         everything, on one kernel
#   scripts/check.sh -t smoke        one guest test (on both kernels, or -k)
#   scripts/check.sh -g -k debug     only what depends on the kernel (the
#                                    build and the guest tests), here on the
#                                    debug kernel: `make check-debug`
#
# Tests, each counted once:
#   build:<kernel>        kitt.ko with W=1 C=2 (sparse) from clean; any
#                         compiler, sparse or modpost warning fails it
#   layers:<kernel>       scripts/layers.py on those objects: no call cycle
#                         between files but the runtime's
#   build:kittctl         tools/kittctl with its own warnings flags, if present
#   build:kitt-fuzz       tools/kitt-fuzz likewise
#   checkpatch:<file>     checkpatch.pl --strict on every file in drivers/kitt
#   kunit:<suite>.<case>  every KUnit case (UML, scripts/kunit.sh)
#   fuzz:<harness>        each libFuzzer harness for 10 s (scripts/fuzz.sh -q)
#   docs:modparams        every module parameter in admin-guide.rst's table,
#                         with its default (scripts/check-modparams-doc.sh)
#   deps:<case>           scripts/deps-test.sh: deps.sh's bookworm-backports
#                         source against temporary apt trees, no network
#   guest:<kernel>:<test> every scripts/guest/tests/*.sh, one QEMU boot each
#                         (SKIP when the kernel cannot run it, see qemu-run.sh)
#   package:<step>        scripts/package-test.sh: make deb, apt install,
#                         dkms install for 6.1 and 6.12, the DKMS-built
#                         module in a guest of each, apt purge
# The last line is "N passed, N failed"; the exit status is non-zero when
# anything failed. Logs: build/test-logs/ (check.log is this output;
# check-debug.log for -k debug).
set -uo pipefail
. "$(dirname "$0")/lib.sh"

KERNELS=(6.1 6.12)
ONLY_TEST=
KERNEL_ONLY=
while getopts "t:k:g" o; do
	case $o in
	t)	ONLY_TEST=$OPTARG ;;
	k)	KERNELS=("$OPTARG") ;;
	g)	KERNEL_ONLY=1 ;;
	*)	echo "usage: check.sh [-g] [-t TEST] [-k 6.1|6.12|debug]" >&2; exit 2 ;;
	esac
done

mkdir -p "$KITT_LOGS"
# The debug kernel's run keeps its own log, so it may run beside another.
logname=check
[ "${KERNELS[*]}" = debug ] && logname=check-debug
exec > >(tee "$KITT_LOGS/$logname.log") 2>&1
teepid=$!

npass=0
nfail=0
nskip=0
failed=()

result()	# result PASS|FAIL NAME [DETAIL]
{
	if [ "$1" = PASS ]; then
		npass=$((npass + 1))
	else
		nfail=$((nfail + 1))
		failed+=("$2")
	fi
	echo "$1 $2${3:+: $3}"
}

# Lines of a build log that count as warnings.
build_findings()
{
	grep -E 'warning:|error:|WARNING:|Error [0-9]+|undefined!' "$1" |
		grep -v 'Skipping BTF generation' || true
}

start=$(date +%s)
stage_start=$start

# stage NAME: print a heading, with the time the previous stage took.
stage()
{
	local now

	now=$(date +%s)
	[ "$now" != "$start" ] && echo "    ($((now - stage_start))s)"
	stage_start=$now
	echo "=== $1"
}

if [ -z "$ONLY_TEST" ]; then
	stage "build (W=1 C=2)"
	for k in "${KERNELS[@]}"; do
		kver=$(kver_pick "$k")
		if [ -z "$kver" ]; then
			result FAIL "build:$k" "no headers installed (scripts/deps.sh)"
			continue
		fi
		log="$KITT_LOGS/build-$k.log"
		# From clean, so warnings of unchanged objects show again.
		"$KITT_ROOT/scripts/build-module.sh" --clean "$kver" W=1 C=2 >/dev/null 2>"$log"
		rc=$?
		f=$(build_findings "$log")
		if [ $rc -eq 0 ] && [ -z "$f" ]; then
			result PASS "build:$k" "$kver"
		else
			echo "$f" | head -20
			result FAIL "build:$k" "$(echo "$f" | grep -c .) warnings/errors, exit $rc (log: ${log#"$KITT_ROOT"/})"
			continue
		fi
		# The layering, from the objects just built: no call cycle but
		# the runtime's (scripts/layers.py).
		out=$(python3 "$KITT_ROOT/scripts/layers.py" \
			"$KITT_BUILD/mod/$(echo "$kver" | tr '+' '_')/drivers/kitt" 2>&1)
		if [ $? -eq 0 ]; then
			result PASS "layers:$k"
		else
			echo "$out"
			result FAIL "layers:$k" "a call cycle outside conn, conn_login, session, task"
		fi
	done
	if [ -f "$KITT_ROOT/tools/kittctl/Makefile" ]; then
		log="$KITT_LOGS/build-kittctl.log"
		make -C "$KITT_ROOT/tools/kittctl" clean >/dev/null 2>&1
		make -C "$KITT_ROOT/tools/kittctl" >"$log" 2>&1
		rc=$?
		f=$(build_findings "$log")
		if [ $rc -eq 0 ] && [ -z "$f" ]; then
			result PASS build:kittctl
		else
			echo "$f" | head -20
			result FAIL build:kittctl "exit $rc (log: ${log#"$KITT_ROOT"/})"
		fi
	fi
	if [ -f "$KITT_ROOT/tools/kitt-fuzz/Makefile" ]; then
		log="$KITT_LOGS/build-kitt-fuzz.log"
		make -C "$KITT_ROOT/tools/kitt-fuzz" clean >/dev/null 2>&1
		make -C "$KITT_ROOT/tools/kitt-fuzz" >"$log" 2>&1
		rc=$?
		f=$(build_findings "$log")
		if [ $rc -eq 0 ] && [ -z "$f" ]; then
			result PASS build:kitt-fuzz
		else
			echo "$f" | head -20
			result FAIL build:kitt-fuzz "exit $rc (log: ${log#"$KITT_ROOT"/})"
		fi
	fi
fi
if [ -z "$ONLY_TEST" ] && [ -z "$KERNEL_ONLY" ]; then
	stage "checkpatch --strict"
	ksrc_ensure
	for f in $(cd "$KITT_ROOT" && find drivers/kitt -maxdepth 1 -type f \
			\( -name '*.[ch]' -o -name Kconfig -o -name Makefile -o -name .kunitconfig \) \
			! -name '*.mod.c' |
			LC_ALL=C sort); do
		ignore=
		# The compat header exists to compare kernel versions.
		[ "$(basename "$f")" = kitt_compat.h ] && ignore=--ignore=LINUX_VERSION_CODE,CONSTANT_COMPARISON
		# The TRACE_EVENT() layout of the kernel's own trace headers.
		[ "$(basename "$f")" = kitt_trace.h ] && ignore=--ignore=OPEN_ENDED_LINE,PARENTHESIS_ALIGNMENT
		out=$(cd "$KITT_ROOT" && "$KSRC/scripts/checkpatch.pl" -q --terse --strict --no-tree \
			--show-types $ignore -f "$f" 2>&1 | { grep -v '^total: ' || true; })
		rc=$?
		if [ $rc -eq 0 ] && [ -z "$out" ]; then
			result PASS "checkpatch:$f"
		else
			echo "$out" | head -10
			result FAIL "checkpatch:$f" "$(echo "$out" | grep -c ': [A-Z]*:') findings"
		fi
	done

	stage KUnit
	rm -f "$KITT_LOGS/kunit.json"
	kfail=0
	"$KITT_ROOT/scripts/kunit.sh" >/dev/null 2>&1
	krc=$?
	if [ -s "$KITT_LOGS/kunit.json" ]; then
		while read -r st name; do
			case $st in
			PASS)	result PASS "kunit:$name" ;;
			SKIP)	nskip=$((nskip + 1)); echo "SKIP kunit:$name" ;;
			*)	result FAIL "kunit:$name" "$st"; kfail=$((kfail + 1)) ;;
			esac
		done < <(python3 - "$KITT_LOGS/kunit.json" <<'EOF'
import json, sys
def walk(g, prefix, top=True):
    name = g.get("name", "")
    path = prefix if top or not name else prefix + [name]
    for c in g.get("test_cases", []):
        print(c["status"], ".".join(path + [c["name"]]))
    for s in g.get("sub_groups", []):
        walk(s, path, False)
walk(json.load(open(sys.argv[1])), [])
EOF
		)
		[ $krc -ne 0 ] && [ $kfail -eq 0 ] &&
			result FAIL kunit "kunit.py exit $krc (log: build/test-logs/kunit.log)"
	else
		grep -E 'error|ERROR' "$KITT_LOGS/kunit.log" | head -10
		result FAIL kunit "no results, kunit.py exit $krc (log: build/test-logs/kunit.log)"
	fi

	stage "fuzz (libFuzzer, 10 s each)"
	while read -r st name detail; do
		result "$st" "${name%:}" "$detail"
	done < <("$KITT_ROOT/scripts/fuzz.sh" -q 2>&1 | grep -E '^(PASS|FAIL) ')

	stage documentation
	out=$("$KITT_ROOT/scripts/check-modparams-doc.sh" 2>&1)
	rc=$?
	line=$(grep -E '^(PASS|FAIL) docs:' <<< "$out" | tail -1)
	grep -vE '^(PASS|FAIL) docs:' <<< "$out" | head -20
	if [ -n "$line" ]; then
		read -r st name detail <<< "$line"
		# A PASS line with a non-zero exit is still a failure.
		[ $rc -ne 0 ] && st=FAIL
		result "$st" "${name%:}" "$detail"
	else
		result FAIL docs:modparams "scripts/check-modparams-doc.sh printed no result, exit $rc"
	fi

	stage "set-up (scripts/deps.sh against apt fixtures)"
	out=$("$KITT_ROOT/scripts/deps-test.sh" 2>&1)
	rc=$?
	grep -vE '^(PASS|FAIL) deps:' <<< "$out" | head -20
	dfail=0
	while read -r st name detail; do
		[ "$st" = FAIL ] && dfail=$((dfail + 1))
		result "$st" "${name%:}" "$detail"
	done < <(grep -E '^(PASS|FAIL) deps:' <<< "$out")
	# No result, or a non-zero exit with no FAIL line, still fails.
	if ! grep -qE '^(PASS|FAIL) deps:' <<< "$out"; then
		result FAIL deps "scripts/deps-test.sh printed no result, exit $rc"
	elif [ $rc -ne 0 ] && [ $dfail -eq 0 ]; then
		result FAIL deps "scripts/deps-test.sh exit $rc"
	fi
fi

stage "guest tests"
if [ -n "$ONLY_TEST" ]; then
	tests=("$ONLY_TEST")
else
	tests=()
	for t in "$KITT_ROOT"/scripts/guest/tests/*.sh; do
		[ -f "$t" ] && tests+=("$(basename "$t" .sh)")
	done
fi
# "# kitt-kernels: 6.1" in a test's header: the whole suite runs it on
# those kernels only (the long variants of a test, to keep make check in
# CI's time); named with -t, it runs wherever asked.
kernels_of()
{
	sed -n 's/^# kitt-kernels: *//p' "$KITT_ROOT/scripts/guest/tests/$1.sh" 2>/dev/null | head -1
}
for t in "${tests[@]}"; do
	for k in "${KERNELS[@]}"; do
		only=$(kernels_of "$t")
		# The debug kernel is a 6.1: make check-debug runs them all.
		kline=$k
		[ "$k" = debug ] && kline=6.1
		if [ -z "$ONLY_TEST" ] && [ -n "$only" ] && ! grep -qwF -- "$kline" <<<"$only"; then
			nskip=$((nskip + 1))
			echo "SKIP guest:$k:$t: make check runs it on $only only"
			continue
		fi
		line=$("$KITT_ROOT/scripts/qemu-run.sh" -q -k "$k" "$t" 2>&1)
		rc=$?
		echo "$line" | sed '$d'
		detail=$(echo "$line" | tail -1 | sed 's/^\(PASS\|FAIL\|SKIP\) [^ ]* [^ ]*:\? *//')
		if [ $rc -eq 77 ]; then
			nskip=$((nskip + 1))
			echo "SKIP guest:$k:$t: $detail"
		elif [ $rc -eq 0 ]; then
			result PASS "guest:$k:$t" "$detail"
		else
			result FAIL "guest:$k:$t" "$detail"
		fi
	done
done

if [ -z "$ONLY_TEST" ] && [ -z "$KERNEL_ONLY" ]; then
	stage "Debian packages (make deb, apt, DKMS for 6.1 and 6.12, a guest each)"
	# Results, and the lines that explain a failure ("  | ...").
	while IFS= read -r line; do
		case "$line" in
		"  | "*) echo "$line"; continue ;;
		esac
		read -r st name detail <<< "$line"
		result "$st" "${name%:}" "$detail"
	done < <("$KITT_ROOT/scripts/package-test.sh" 2>&1 | tee "$KITT_LOGS/package.log" |
		 grep -E '^((PASS|FAIL) package:|  \| )')
fi

stage "done in $(($(date +%s) - start))s"
if [ ${#failed[@]} -gt 0 ]; then
	echo "failed:"
	printf '  %s\n' "${failed[@]}"
fi
summary="$npass passed, $nfail failed"
[ $nskip -gt 0 ] && summary+=", $nskip skipped"
echo "$summary"
exec >&- 2>&-
wait $teepid
[ $nfail -eq 0 ]
