#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# kitt-timeout: 300
# The demo (`make demo`): what an administrator types to export a RAM disk
# with kitt, by shell on configfs, and the Linux initiator using it as a
# disk: discovery, login, mkfs.ext4, a file written, logout, login again,
# the file read back identical. Every command is echoed before it runs.
. /kitt/lib.sh

IQN=iqn.2024-01.org.kitt:demo
CFS=/sys/kernel/config/kitt

run()
{
	echo "# $*"
	eval "$@" || die "failed: $*"
}

log "1. load kitt"
run modprobe kitt
cleanup_add "if grep -q '^kitt ' /proc/modules; then kitt_teardown; rmmod kitt; fi"

log "2. a RAM-backed block device, and a kitt device over it"
run modprobe brd rd_nr=1 rd_size=65536
cleanup_add "rmmod brd"
run mkdir $CFS/devices/ram0
run "echo /dev/ram0 > $CFS/devices/ram0/path"
run "echo 1 > $CFS/devices/ram0/enable"

log "3. a target with portal group 1, the device as LUN 0, open access, a portal"
run mkdir -p $CFS/targets/$IQN/tpgt_1
run ln -s $CFS/devices/ram0 $CFS/targets/$IQN/tpgt_1/luns/0
run "echo 1 > $CFS/targets/$IQN/tpgt_1/attrib/generate_node_acls"
run mkdir $CFS/targets/$IQN/tpgt_1/portals/0.0.0.0:3260
run "echo 1 > $CFS/targets/$IQN/tpgt_1/enable"

log "4. the configuration tree"
find $CFS -path '*/params/*' -prune -o -print | sort | sed "s|^$CFS|kitt|"
for f in path enable size block_size; do
	echo "devices/ram0/$f = $(cat $CFS/devices/ram0/$f)"
done
echo "targets/$IQN/tpgt_1/enable = $(cat $CFS/targets/$IQN/tpgt_1/enable)"

log "5. kitt listens"
run ss -ltn
expect_match "$(ss -ltnH)" '0\.0\.0\.0:3260' "listening on 0.0.0.0:3260"

log "6. the Linux initiator discovers the target and logs in; a disk appears"
run iscsid_start
run iscsiadm -m discovery -t st -p 127.0.0.1
run iscsiadm -m node -T $IQN -p 127.0.0.1 --login
disk=$(iscsi_wait_disk $IQN 30) || die "no disk appeared"
run lsblk -o NAME,SIZE,VENDOR,MODEL $disk
expect_eq "$(cat /sys/block/${disk#/dev/}/device/vendor | tr -d ' ')" KITT "the disk is kitt's"
run "cat /sys/kernel/kitt/sessions/*/initiator /sys/kernel/kitt/sessions/*/target"

log "7. a filesystem on it, a file written"
run mkfs.ext4 -q -F $disk
run mkdir -p /mnt/kitt
run mount $disk /mnt/kitt
run "dd if=/dev/urandom of=/mnt/kitt/hello.bin bs=1M count=16 status=none"
run "echo 'written through kitt' > /mnt/kitt/hello.txt"
sum=$(sha256sum /mnt/kitt/hello.bin | cut -d' ' -f1)
run umount /mnt/kitt
run iscsi_logout $IQN 127.0.0.1

log "8. log in again: the data reads back identical"
run iscsiadm -m node -T $IQN -p 127.0.0.1 --login
disk=$(iscsi_wait_disk $IQN 30) || die "no disk after the second login"
run e2fsck -f -n $disk
run mount -o ro $disk /mnt/kitt
run cat /mnt/kitt/hello.txt
expect_eq "$(sha256sum /mnt/kitt/hello.bin | cut -d' ' -f1)" "$sum" "16 MiB read back byte for byte"
expect_eq "$(cat /mnt/kitt/hello.txt)" "written through kitt" "the text file reads back"
run umount /mnt/kitt
run iscsi_logout $IQN 127.0.0.1
run iscsid_stop

log "9. tear down, in reverse order, and unload"
run "echo 0 > $CFS/targets/$IQN/tpgt_1/enable"
run rmdir $CFS/targets/$IQN/tpgt_1/portals/0.0.0.0:3260
run rm $CFS/targets/$IQN/tpgt_1/luns/0
run rmdir $CFS/targets/$IQN/tpgt_1
run rmdir $CFS/targets/$IQN
run "echo 0 > $CFS/devices/ram0/enable"
run rmdir $CFS/devices/ram0
run rmmod kitt
expect_fail grep -q '^kitt ' /proc/modules
expect_eq "$(ss -ltnH | grep -c ':3260')" 0 "nothing listens any more"

log "10. what kitt said in the kernel log"
dmesg | grep 'kitt:' | grep -Ev 'taint'
