#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build the base initramfs for kitt's QEMU guest tests, for one kernel.
#
#   scripts/mkinitramfs.sh KVER      prints the path of build/initramfs/KVER.cpio
#
# The archive holds busybox, kmod (as /sbin/modprobe, so the kernel's
# request_module works), bash, the initiator and test tools with their
# shared libraries, and the kernel modules the tests need with everything
# they depend on (resolved by modprobe --show-depends against the host's
# /lib/modules/KVER, or the debug kernel's, then depmod'ed inside the
# archive; built-in ones are left out). kitt.ko and the test scripts are
# not in it: scripts/qemu-run.sh appends them as a second cpio archive per
# run, so this one is rebuilt only when its inputs change (this script,
# the modules, the tools' files).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

KVER=${1:?usage: mkinitramfs.sh KVER}
# The debug kernel's modules are in build/debug-kernel/root (MODBASE).
MODBASE=$(kmodbase "$KVER")
MODDIR=$MODBASE/lib/modules/$KVER
[ -f "$MODDIR/modules.dep" ] || die "no modules for $KVER in $MODDIR"

OUTDIR=$KITT_BUILD/initramfs
OUT=$OUTDIR/$KVER.cpio
mkdir -p "$OUTDIR"

# Modules the guest tests may load. Missing ones are skipped (built in,
# or absent from that kernel).
MODULES=(configfs ipv6 brd null_blk scsi_debug loop sd_mod sg iscsi_tcp libiscsi
	 scsi_transport_iscsi crc32c_generic crc32c-intel libcrc32c
	 sha3_generic sha256_generic sha1_generic md5
	 target_core_mod target_core_iblock target_core_file iscsi_target_mod
	 inet_diag tcp_diag ext4 dm_mod dm_flakey
	 dm_delay dm_multipath dm_round_robin dm_service_time scsi_dh_alua)

# Programs, by name; each is copied with its shared libraries. Optional
# ones (sg3-utils, strace, perf) are taken when installed.
REQUIRED_BINS=(bash kmod busybox iscsid iscsiadm iscsi-iname iscsi-test-cu iscsi-perf
	       iscsi-ls iscsi-inq iscsi-readcapacity16 iscsi-swp fio mke2fs e2fsck resize2fs
	       ss ip losetup blkid lsblk blockdev mount umount dd dmesg dmsetup fstrim blkdiscard
	       udevadm multipath multipathd sg_inq)
OPTIONAL_BINS=(strace sg_readcap sg_persist sg_vpd sg_turs sg_sat_identify
	       sg_compare_and_write sg_write_same sg_unmap sg_sync sg_luns sg_rtpg
	       sg_get_lba_status sg_reset sg_requests sg_modes sg_raw sg_verify
	       sg_rep_zones sg_xcopy sg_senddiag sg_logs sg_prevent sg_start
	       sg_stream_ctl sg_write_verify sg_dd perf jq trace-cmd)
# (Prometheus's tools, 62 MB, are not in the base archive: qemu-run.sh adds
# them for the tests whose header asks, "# kitt-extras: prometheus".)

# udev and dm-multipath (lib.sh's udev_start and multipath_start): udevd
# (a link to udevadm), the few rules that identify SCSI disks and drive
# device-mapper and multipath, and multipath's checkers and prioritizers,
# which it opens by name. A disk's ID_SERIAL, the WWID multipath groups
# paths by, comes from sg3-utils' rules (sg_inq on the sysfs copies of
# VPD pages 0x80 and 0x83), which run before multipath's, as they must;
# scsi_id is the fallback of udev's own rules. No hwdb, no rules that
# load modules or set permissions.
UDEV_FILES=(/lib/systemd/systemd-udevd /lib/udev/scsi_id)
UDEV_RULES=(55-dm.rules 55-scsi-sg3_id.rules 56-dm-mpath.rules 60-multipath.rules
	    60-persistent-storage.rules 60-persistent-storage-dm.rules 95-dm-notify.rules)
MPATH_PLUGINS=(/lib/multipath/*.so)

binpath()
{
	local p

	p=$(PATH=/usr/sbin:/usr/bin:/sbin:/bin command -v "$1" 2>/dev/null) || return 1
	readlink -f "$p"
}

bins=()
for b in "${REQUIRED_BINS[@]}"; do
	p=$(binpath "$b") || die "$b not installed: run scripts/deps.sh"
	bins+=("$p")
done
for b in "${OPTIONAL_BINS[@]}"; do
	p=$(binpath "$b") && bins+=("$p")
done
for f in "${UDEV_FILES[@]}" "${MPATH_PLUGINS[@]}"; do
	[ -e "$f" ] || die "$f missing: run scripts/deps.sh"
	bins+=("$f")
done
rules=()
for r in "${UDEV_RULES[@]}"; do
	[ -f "/lib/udev/rules.d/$r" ] || die "no udev rules $r: run scripts/deps.sh"
	rules+=("/lib/udev/rules.d/$r")
done

mods=()
for m in "${MODULES[@]}"; do
	while read -r verb path _; do
		[ "$verb" = insmod ] && mods+=("$path")
	done < <(modprobe ${MODBASE:+-d "$MODBASE"} -S "$KVER" --show-depends "$m" 2>/dev/null || true)
done
mapfile -t mods < <(printf '%s\n' "${mods[@]}" | sort -u)

libs=()
for b in "${bins[@]}"; do
	while read -r l; do
		libs+=("$l")
	done < <(ldd "$b" 2>/dev/null | awk '/=> \// { print $3 } /^\t\/lib/ { print $1 }')
done
mapfile -t libs < <(printf '%s\n' "${libs[@]}" | sort -u)

ETC=(/etc/iscsi/iscsid.conf /etc/mke2fs.conf /etc/e2fsck.conf)

# The key covers every input; an unchanged key means the archive is current.
key=$( {
	sha256sum "$0" "$KITT_ROOT/scripts/lib.sh" "$KITT_ROOT/scripts/guest/init.sh"
	echo "$KVER"
	for f in "${bins[@]}" "${libs[@]}" "${mods[@]}" "${ETC[@]}" "${rules[@]}" \
		 "$MODDIR/modules.dep"; do
		[ -e "$f" ] && stat -L -c '%n %s %Y' "$f"
	done
} | sha256sum | cut -d' ' -f1)

exec 7>"$OUTDIR/.lock"
flock 7
if [ -f "$OUT" ] && [ "$(cat "$OUT.key" 2>/dev/null)" = "$key" ]; then
	echo "$OUT"
	exit 0
fi
log "building $OUT"

root=$(mktemp -d "$OUTDIR/.root.XXXXXX")
trap 'rm -rf "$root"' EXIT

# Merged /usr, as on Debian 12.
mkdir -p "$root"/usr/{bin,sbin,lib,lib64} "$root"/{dev,proc,sys,tmp,run,root,mnt,etc,var}
ln -s usr/bin "$root/bin"
ln -s usr/sbin "$root/sbin"
ln -s usr/lib "$root/lib"
ln -s usr/lib64 "$root/lib64"
chmod 1777 "$root/tmp"

# usrpath PATH: PATH with /bin, /sbin, /lib, /lib64 mapped into /usr.
usrpath() { echo "$1" | sed -E 's,^/(bin|sbin|lib|lib64)/,/usr/\1/,'; }

# copy FILE: copy FILE's target to the same path inside the root, and FILE
# itself as a symlink to it when it is one (sonames, the loader).
copy()
{
	local real dst link

	real=$(usrpath "$(readlink -f "$1")")
	dst=$root$real
	if [ ! -e "$dst" ]; then
		mkdir -p "$(dirname "$dst")"
		cp -L "$1" "$dst"
	fi
	link=$(usrpath "$(cd "$(dirname "$1")" && pwd -P)/$(basename "$1")")
	if [ "$link" != "$real" ] && [ ! -e "$root$link" ]; then
		mkdir -p "$(dirname "$root$link")"
		ln -s "$real" "$root$link"
	fi
}

for f in "${bins[@]}" "${libs[@]}"; do
	copy "$f"
done

# kmod's names, /sbin/modprobe first.
for n in modprobe insmod rmmod depmod modinfo; do
	ln -sf ../bin/kmod "$root/usr/sbin/$n"
done
ln -sf kmod "$root/usr/bin/lsmod"
ln -sf mke2fs "$root/usr/sbin/mkfs.ext4"
# udev's rules, and the directories udevd and multipath expect.
mkdir -p "$root/usr/lib/udev/rules.d" "$root/etc/udev/rules.d" "$root/etc/multipath"
for r in "${rules[@]}"; do
	cp "$r" "$root/usr/lib/udev/rules.d/"
done
ln -sf e2fsck "$root/usr/sbin/fsck.ext4"

# Busybox for every applet that no real tool above provides.
for a in $("$root/usr/bin/busybox" --list); do
	[ -e "$root/usr/bin/$a" ] || [ -e "$root/usr/sbin/$a" ] || [ -L "$root/usr/bin/$a" ] ||
		ln -s busybox "$root/usr/bin/$a"
done
ln -sf busybox "$root/usr/bin/sh"

# Modules, in the kernel's own layout, then a depmod of that subset.
for m in "${mods[@]}"; do
	dst=$root${m#"$MODBASE"}
	mkdir -p "$(dirname "$dst")"
	cp "$m" "$dst"
done
for f in modules.order modules.builtin modules.builtin.modinfo; do
	[ -f "$MODDIR/$f" ] && cp "$MODDIR/$f" "$root/usr/lib/modules/$KVER/"
done
mkdir -p "$root/usr/lib/modules/$KVER/extra"
depmod -b "$root" "$KVER"

# Configuration for the initiator, the target and the tools.
mkdir -p "$root"/etc/iscsi "$root"/var/lib/iscsi/{nodes,send_targets,ifaces,isns,static,fw,slp} \
	 "$root"/var/target/pr "$root"/var/lock "$root"/run/lock/iscsi
for f in "${ETC[@]}"; do
	[ -f "$f" ] && cp "$f" "$root$f"
done
echo "InitiatorName=iqn.2024-01.org.kitt:guest" > "$root/etc/iscsi/initiatorname.iscsi"
cat > "$root/etc/passwd" <<EOT
root:x:0:0:root:/root:/bin/bash
EOT
cat > "$root/etc/group" <<EOT
root:x:0:
disk:x:6:
EOT
echo "hosts: files" > "$root/etc/nsswitch.conf"
printf '127.0.0.1\tlocalhost\n::1\tlocalhost\n' > "$root/etc/hosts"
echo kitt-guest > "$root/etc/hostname"
touch "$root/etc/fstab" "$root/etc/mtab"

install -m 0755 "$KITT_ROOT/scripts/guest/init.sh" "$root/init"

(cd "$root" && find . -print0 | LC_ALL=C sort -z |
	cpio --null -o -H newc -R 0:0 --quiet) > "$OUT.tmp"
mv "$OUT.tmp" "$OUT"
echo "$key" > "$OUT.key"
log "$OUT: $(du -h "$OUT" | cut -f1)"
echo "$OUT"
