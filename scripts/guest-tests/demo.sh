#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# kitt-timeout: 240
# The demo (`make demo`): what an administrator types to export a RAM disk
# with kitt, by shell on configfs. Every command is echoed before it runs.
. /kitt/guest-lib.sh

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

log "6. tear down, in reverse order, and unload"
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

log "7. what kitt said in the kernel log"
dmesg | grep 'kitt:' | grep -Ev 'taint'
