#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build kitt's Debian packages with Debian's own tooling (dpkg-buildpackage,
# debhelper, dh-dkms): `make deb`.
#
#   scripts/make-deb.sh        prints the paths of the two .deb files
#
#   kitt-dkms   the module's source in /usr/src/kitt-VERSION with its
#               dkms.conf (AUTOINSTALL); DKMS builds kitt.ko for the
#               installed kernels
#   kittctl     /usr/sbin/kittctl, kittctl(8), bash completion, and
#               kitt.service (installed, not enabled or started)
#
# VERSION is KITT_VERSION of drivers/kitt/kitt.h. The packaging is in
# scripts/package/debian/; the source tree is staged in build/deb/ and the
# packages are written there.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

VERSION=$(sed -n 's/^#define KITT_VERSION[[:space:]]*"\(.*\)"/\1/p' \
	  "$KITT_ROOT/drivers/kitt/kitt.h")
[ -n "$VERSION" ] || die "no KITT_VERSION in drivers/kitt/kitt.h"
command -v dpkg-buildpackage >/dev/null && dpkg -s debhelper dh-dkms >/dev/null 2>&1 ||
	die "dpkg-buildpackage, debhelper or dh-dkms missing: run scripts/deps.sh"

OUT=$KITT_BUILD/deb
src=$OUT/kitt-$VERSION
rm -rf "$OUT"
mkdir -p "$src/drivers/kitt" "$src/tools/kittctl"

# What the packages are built from, and nothing else (no objects).
cp -p "$KITT_ROOT/Kbuild" "$KITT_ROOT/README" "$src/"
rsync -a --include='*.c' --include='*.h' --include=Kconfig --include=Makefile \
	--exclude='*' "$KITT_ROOT/drivers/kitt/" "$src/drivers/kitt/"
for f in kittctl.c kittctl.8 Makefile kitt.service kittctl.bash-completion; do
	cp -p "$KITT_ROOT/tools/kittctl/$f" "$src/tools/kittctl/"
done
cp -rp "$KITT_ROOT/scripts/package/debian" "$src/debian"
cp -p "$KITT_ROOT/tools/kittctl/kitt.service" "$src/debian/kittctl.kitt.service"

commit=$(git -C "$KITT_ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
date=$(git -C "$KITT_ROOT" log -1 --format=%aD 2>/dev/null || date -R)
cat > "$src/debian/changelog" <<EOT
kitt ($VERSION) unstable; urgency=medium

  * Built from kitt's source tree at commit $commit.

 -- The kitt developers <kitt@localhost>  $date
EOT

log "building kitt-dkms and kittctl $VERSION in $OUT"
if ! (cd "$src" && dpkg-buildpackage -b -us -uc) > "$OUT/build.log" 2>&1; then
	tail -30 "$OUT/build.log" >&2
	die "dpkg-buildpackage failed (log: $OUT/build.log)"
fi
ls "$OUT"/kitt-dkms_"$VERSION"_all.deb "$OUT"/kittctl_"$VERSION"_*.deb
