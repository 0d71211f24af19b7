#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Run kitt's KUnit suites under UML in Debian's linux-source-6.1 tree.
#
#   scripts/kunit.sh [kunit.py run options, e.g. a filter glob 'kitt_text*']
#
# Copies drivers/kitt into build/linux-source-6.1/drivers/kitt (keeping the
# mtimes of unchanged files, so rebuilds are incremental), hooks it into
# drivers/Kconfig and drivers/Makefile once, then runs kunit.py with
# drivers/kitt/.kunitconfig. The build directory build/kunit is kept
# between runs. Output goes to the terminal and build/test-logs/kunit.log;
# the exit status is kunit.py's (non-zero when a test fails or kitt does
# not build).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

JOBS=${KUNIT_JOBS:-$([ "${CI:-}" = true ] && nproc || echo 1)}

exec 9>/tmp/kitt-kunit.lock
flock 9

ksrc_ensure
mkdir -p "$KITT_LOGS" "$KITT_BUILD/kunit"

rsync -a --delete --include='*.c' --include='*.h' --include=Kconfig \
	--include=Makefile --include=.kunitconfig --exclude='*' \
	"$KITT_ROOT/drivers/kitt/" "$KSRC/drivers/kitt/"

if ! grep -q '^source "drivers/kitt/Kconfig"' "$KSRC/drivers/Kconfig"; then
	# Insert before the final endmenu of "Device Drivers".
	tac "$KSRC/drivers/Kconfig" |
		awk '!done && /^endmenu/ { print; print ""; print "source \"drivers/kitt/Kconfig\""; done=1; next } { print }' |
		tac > "$KSRC/drivers/Kconfig.kitt"
	mv "$KSRC/drivers/Kconfig.kitt" "$KSRC/drivers/Kconfig"
fi
grep -q '^obj-$(CONFIG_KITT)' "$KSRC/drivers/Makefile" ||
	echo 'obj-$(CONFIG_KITT)		+= kitt/' >> "$KSRC/drivers/Makefile"

cd "$KSRC"
set +e
python3 tools/testing/kunit/kunit.py run --build_dir="$KITT_BUILD/kunit" \
	--kunitconfig="$KSRC/drivers/kitt/.kunitconfig" --jobs="$JOBS" \
	--json="$KITT_LOGS/kunit.json" "$@" 2>&1 | tee "$KITT_LOGS/kunit.log"
rc=${PIPESTATUS[0]}
set -e
exit "$rc"
