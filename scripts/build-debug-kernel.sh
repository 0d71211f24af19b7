#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build the debug guest kernel: Debian's linux-source-6.1 with KASAN,
# KFENCE, lockdep, kmemleak and the hung task detector, for
# `scripts/qemu-run.sh -k debug` and `make check-debug`.
#
#   scripts/build-debug-kernel.sh [-f]      prints the kernel release
#
# Layout, all under build/debug-kernel/:
#   linux/   the source, extracted from /usr/src/linux-source-6.1.tar.xz
#   obj/     the object tree (make O=obj); kitt builds with KDIR=obj
#   root/    modules_install'ed modules: root/lib/modules/RELEASE/
#   bzImage  the kernel image
#   release  the kernel release string
# The build is skipped when the stamp (a hash of this script and of the
# source package's version) matches and its outputs are there; -f builds
# anyway. A changed script reconfigures and rebuilds incrementally.
# The compile runs under `nice -n 10`; on 2 cores it takes 30-60 minutes
# the first time. Output goes to build/debug-kernel/build.log.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

FORCE=
[ "${1:-}" = -f ] && FORCE=1

DK=$KITT_DEBUG_KERNEL
SRC=$DK/linux
OBJ=$DK/obj
ROOT=$DK/root
JOBS=${DEBUG_KERNEL_JOBS:-$(nproc)}

# Options on top of x86_64_defconfig. "y"/"m"/"n" or a value; everything
# listed is checked after olddefconfig, so a dependency that silently drops
# an option fails the build instead.
CONFIG=(
	# The checkers.
	KASAN=y KASAN_GENERIC=y KASAN_INLINE=y KASAN_OUTLINE=n
	KFENCE=y
	PROVE_LOCKING=y DEBUG_ATOMIC_SLEEP=y DEBUG_LIST=y
	DEBUG_KMEMLEAK=y DEBUG_KMEMLEAK_DEFAULT_OFF=n DEBUG_KMEMLEAK_AUTO_SCAN=n
	DEBUG_KMEMLEAK_MEM_POOL_SIZE=40000
	DETECT_HUNG_TASK=y DEBUG_FS=y
	# No debug info: it would double the build time and the disk use;
	# KALLSYMS still gives symbol+offset in traces.
	DEBUG_INFO_NONE=y DEBUG_INFO_DWARF_TOOLCHAIN_DEFAULT=n DEBUG_INFO_DWARF4=n
	DEBUG_INFO_DWARF5=n KALLSYMS=y KALLSYMS_ALL=y
	# What the guest tests use, built in.
	MODULES=y MODULE_UNLOAD=y DEVTMPFS=y BLK_DEV_INITRD=y IPV6=y
	CONFIGFS_FS=y BLK_DEV_LOOP=y EXT4_FS=y
	SCSI=y BLK_DEV_SD=y CHR_DEV_SG=y SCSI_LOWLEVEL=y ISCSI_TCP=y
	LIBCRC32C=y CRYPTO_CRC32C=y CRYPTO_MD5=y CRYPTO_SHA1=y CRYPTO_SHA256=y
	CRYPTO_SHA3=y
	MD=y BLK_DEV_DM=y DM_MULTIPATH=y DM_FLAKEY=y DM_DELAY=y
	SCSI_DH=y SCSI_DH_ALUA=y
	INET_DIAG=y INET_TCP_DIAG=y INET_DIAG_DESTROY=y
	# Modules, because the tests load them with parameters or remove them
	# (brd: `modprobe brd rd_size=...`, `rmmod brd`; null_blk likewise).
	BLK_DEV_RAM=m BLK_DEV_NULL_BLK=m
	# LIO, for the tests that compare kitt with it.
	TARGET_CORE=m TCM_IBLOCK=m TCM_FILEIO=m ISCSI_TARGET=m
	# A release of its own, so nothing mixes it up with Debian's 6.1.
	LOCALVERSION=\"-kitt-debug\" LOCALVERSION_AUTO=n
	# Not needed by a guest with no devices but a serial port: left out to
	# build faster.
	DRM=n SOUND=n USB_SUPPORT=n WLAN=n WIRELESS=n CFG80211=n MAC80211=n
	RFKILL=n ETHERNET=n ATA=n NFS_FS=n AGP=n HID=n INPUT_JOYSTICK=n
	INPUT_TABLET=n INPUT_TOUCHSCREEN=n MACINTOSH_DRIVERS=n FB=n NETFILTER=n
)

ksrc_version() { dpkg-query -W -f='${Version}' linux-source-6.1 2>/dev/null || echo unknown; }

mkdir -p "$DK"
exec 9>"$DK/.lock"
flock 9

key=$( { sha256sum "$0"; ksrc_version; stat -L -c '%s %Y' "$KSRC_TARBALL"; } |
	sha256sum | cut -d' ' -f1)
if [ -z "$FORCE" ] && [ "$(cat "$DK/stamp" 2>/dev/null)" = "$key" ] &&
   [ -f "$DK/bzImage" ] && [ -f "$ROOT/lib/modules/$(cat "$DK/release")/modules.dep" ]; then
	cat "$DK/release"
	exit 0
fi
rm -f "$DK/stamp"

# The source: extracted once per package version.
ver=$(ksrc_version)
if [ "$(cat "$SRC/.kitt-extracted" 2>/dev/null)" != "$ver" ]; then
	[ -f "$KSRC_TARBALL" ] || die "$KSRC_TARBALL missing: run scripts/deps.sh"
	log "extracting $KSRC_TARBALL ($ver) into $SRC"
	rm -rf "$SRC" "$DK/.src.tmp" "$OBJ"
	mkdir -p "$DK/.src.tmp"
	tar -C "$DK/.src.tmp" -xJf "$KSRC_TARBALL"
	mv "$DK/.src.tmp/linux-source-6.1" "$SRC"
	rmdir "$DK/.src.tmp"
	echo "$ver" > "$SRC/.kitt-extracted"
fi

LOGF=$DK/build.log
: > "$LOGF"
kmake() { nice -n 10 make -C "$SRC" O="$OBJ" "$@" >>"$LOGF" 2>&1; }

log "configuring $OBJ"
mkdir -p "$OBJ"
kmake x86_64_defconfig
args=()
for c in "${CONFIG[@]}"; do
	name=${c%%=*} val=${c#*=}
	case "$val" in
	y)	args+=(--enable "$name") ;;
	m)	args+=(--module "$name") ;;
	n)	args+=(--disable "$name") ;;
	\"*)	val=${val#\"}; args+=(--set-str "$name" "${val%\"}") ;;
	*)	args+=(--set-val "$name" "$val") ;;
	esac
done
"$SRC/scripts/config" --file "$OBJ/.config" "${args[@]}"
kmake olddefconfig

# Every option asked for must have survived olddefconfig.
bad=()
for c in "${CONFIG[@]}"; do
	name=${c%%=*} val=${c#*=}
	case "$val" in
	n)	grep -q "^CONFIG_$name=" "$OBJ/.config" && bad+=("$c") ;;
	*)	grep -qx "CONFIG_$name=$val" "$OBJ/.config" || bad+=("$c") ;;
	esac
done
[ ${#bad[@]} -eq 0 ] || die "olddefconfig did not keep: ${bad[*]}"

log "building bzImage and modules with $JOBS jobs (log: ${LOGF#"$KITT_ROOT"/})"
start=$(date +%s)
if ! kmake -j"$JOBS" bzImage modules; then
	tail -30 "$LOGF" >&2
	die "the debug kernel does not build (see $LOGF)"
fi
release=$(cat "$OBJ/include/config/kernel.release")
rm -rf "$ROOT"
kmake INSTALL_MOD_PATH="$ROOT" modules_install
cp "$OBJ/arch/x86/boot/bzImage" "$DK/bzImage"
echo "$release" > "$DK/release"
echo "$key" > "$DK/stamp"
log "debug kernel $release built in $(($(date +%s) - start))s"
echo "$release"
