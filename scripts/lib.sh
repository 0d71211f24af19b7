#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Host-side helpers shared by kitt's scripts. Source it; do not run it.

KITT_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
KITT_BUILD=$KITT_ROOT/build
KITT_LOGS=$KITT_BUILD/test-logs
KSRC=$KITT_BUILD/linux-source-6.1
KSRC_TARBALL=/usr/src/linux-source-6.1.tar.xz

log() { printf '%s %s\n' "$(date +%T)" "$*" >&2; }
die() { log "error: $*"; exit 1; }

# ksrc_ensure: extract Debian's linux-source-6.1 tarball into build/ once.
# The stamp records the package version; a new version is extracted again.
# Extraction goes to a temporary directory first, so a stopped run leaves
# no half tree behind.
ksrc_ensure()
{
	local ver stamp=$KSRC/.kitt-extracted tmp

	[ -f "$KSRC_TARBALL" ] || die "$KSRC_TARBALL missing: run scripts/deps.sh"
	ver=$(dpkg-query -W -f='${Version}' linux-source-6.1 2>/dev/null || echo unknown)
	exec 8>"$KITT_BUILD/.ksrc.lock" 2>/dev/null || {
		mkdir -p "$KITT_BUILD"; exec 8>"$KITT_BUILD/.ksrc.lock"; }
	flock 8
	if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$ver" ]; then
		flock -u 8
		return 0
	fi
	log "extracting $KSRC_TARBALL ($ver) into $KSRC"
	tmp=$KITT_BUILD/.ksrc.tmp
	rm -rf "$tmp" "$KSRC"
	mkdir -p "$tmp"
	tar -C "$tmp" -xJf "$KSRC_TARBALL"
	mv "$tmp/linux-source-6.1" "$KSRC"
	rmdir "$tmp"
	echo "$ver" > "$stamp"
	flock -u 8
}

# kver_61: the newest installed Debian 6.1 kernel with headers.
kver_61()
{
	local d

	d=$(ls -1d /lib/modules/6.1.0-*-amd64/build 2>/dev/null | sort -V | tail -1)
	[ -n "$d" ] || return 1
	basename "$(dirname "$d")"
}

# kver_612: the newest Debian backports 6.12 kernel we have headers for.
kver_612()
{
	local d

	d=$(ls -1d /lib/modules/6.12.*+deb12-amd64/build 2>/dev/null | sort -V | tail -1)
	[ -n "$d" ] || return 1
	basename "$(dirname "$d")"
}

# The debug kernel (KASAN, lockdep, kmemleak) of scripts/build-debug-kernel.sh.
KITT_DEBUG_KERNEL=$KITT_BUILD/debug-kernel

# kver_debug: the release of the debug kernel, once it has been built.
kver_debug()
{
	[ -f "$KITT_DEBUG_KERNEL/bzImage" ] && [ -f "$KITT_DEBUG_KERNEL/release" ] || return 1
	cat "$KITT_DEBUG_KERNEL/release"
}

# kmodbase KVER: the directory that holds lib/modules/KVER: empty for an
# installed kernel (/lib/modules/KVER), build/debug-kernel/root for the
# debug kernel. Its lib/modules/KVER/build is the tree to build against.
kmodbase()
{
	if [ -d "$KITT_DEBUG_KERNEL/root/lib/modules/$1" ]; then
		echo "$KITT_DEBUG_KERNEL/root"
	fi
}

# kver_pick NAME: map 6.1 / 6.12 / debug (or a full version) to a version
# string.
kver_pick()
{
	case "$1" in
	6.1)	kver_61 ;;
	6.12)	kver_612 ;;
	debug)	kver_debug ;;
	*)	echo "$1" ;;
	esac
}
