#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build kitt.ko for one kernel in its own directory, so builds for several
# kernels do not overwrite each other's objects.
#
#   scripts/build-module.sh [--clean] KVER [make options, e.g. W=1 C=2]
#
# Sources are copied (mtimes kept) to build/mod/KVER/ and built there with
# the kernel's headers from /lib/modules/KVER/build (for the debug kernel,
# its object tree: see scripts/build-debug-kernel.sh). The compiler output
# goes to stderr; the path of kitt.ko to stdout. Serialised with
# /tmp/kitt-build.lock. --clean starts from an empty directory, so that
# every file is compiled (and warned about) again. With KITT_KO_COPY=PATH
# in the environment, kitt.ko is also copied to PATH before the lock is
# released, so that a --clean build started right after cannot remove it
# before the caller has it.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

CLEAN=
[ "${1:-}" = --clean ] && { CLEAN=1; shift; }
KVER=${1:?usage: build-module.sh [--clean] KVER [make options]}
shift
KDIR=$(kmodbase "$KVER")/lib/modules/$KVER/build
[ -d "$KDIR" ] || die "no headers for $KVER ($KDIR): run scripts/deps.sh"

exec 9>/tmp/kitt-build.lock
flock 9

dir=$KITT_BUILD/mod/$(echo "$KVER" | tr '+' '_')
[ -n "$CLEAN" ] && rm -rf "$dir"
mkdir -p "$dir/drivers/kitt"
cp -p "$KITT_ROOT/Kbuild" "$dir/Kbuild"
rsync -a --delete --include='*.c' --include='*.h' --include=Kconfig \
	--include=Makefile --exclude='*' \
	"$KITT_ROOT/drivers/kitt/" "$dir/drivers/kitt/"

make -C "$KDIR" M="$dir" CONFIG_KITT=m "$@" modules >&2
[ -n "${KITT_KO_COPY:-}" ] && cp "$dir/drivers/kitt/kitt.ko" "$KITT_KO_COPY"
echo "$dir/drivers/kitt/kitt.ko"
