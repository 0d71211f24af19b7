#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# kitt-timeout: 240
# kitt-kernels: 6.1
# The configuration tree: build a whole target by shell, read every value
# back, then take it apart and unload kitt with a clean kernel log.
. /kitt/lib.sh

IQN=$KITT_IQN_BASE:tree
INI=iqn.1993-08.org.debian:01:tree-initiator
TPG=$KITT_CFS/targets/$IQN/tpgt_1

must brd_load 64 2
cleanup_add "rmmod brd"
kitt_test_setup

# The fixed top-level layout.
for d in devices targets discovery discovery/auth; do
	expect_ok test -d "$KITT_CFS/$d"
done
for f in enforce userid password userid_mutual password_mutual; do
	expect_ok test -f "$KITT_CFS/discovery/auth/$f"
done

# A device over /dev/ram0.
must mkdir "$KITT_CFS/devices/disk0"
D=$KITT_CFS/devices/disk0
for f in path enable read_only serial wwn wce size blocks block_size export_count \
	 read_cmds write_cmds read_bytes write_bytes; do
	expect_ok test -f "$D/$f"
done
expect_eq "$(cat $D/enable)" 0 "a new device is disabled"
expect_eq "$(cat $D/size)" 0 "a disabled device has no size"
expect_match "$(cat $D/wwn)" '^3[0-9a-f]{15}$' "default wwn is a 16-digit NAA 3 id"
expect_ok sh -c "echo /dev/ram0 > $D/path"
expect_eq "$(cat $D/path)" /dev/ram0 "path reads back"
expect_ok sh -c "echo 1 > $D/enable"
expect_eq "$(cat $D/enable)" 1 "device enabled"
expect_eq "$(cat $D/size)" $((64 * 1024 * 1024)) "size of a 64 MiB RAM disk"
expect_eq "$(cat $D/block_size)" 512 "block size"
expect_eq "$(cat $D/blocks)" $((64 * 2048)) "blocks"
expect_eq "$(cat $D/export_count)" 0 "not exported yet"
expect_ok sh -c "echo kitt-serial-0 > $D/serial"
expect_eq "$(cat $D/serial)" kitt-serial-0 "serial reads back"
expect_ok sh -c "echo 5001405abcdef012 > $D/wwn"
expect_eq "$(cat $D/wwn)" 5001405abcdef012 "wwn reads back"
expect_ok sh -c "echo naa.5001405abcdef013 > $D/wwn"
expect_eq "$(cat $D/wwn)" 5001405abcdef013 "wwn with the naa. prefix"
expect_ok sh -c "echo 0 > $D/wce"
expect_eq "$(cat $D/wce)" 0 "wce off"
expect_ok sh -c "echo 1 > $D/wce"

# A target, its portal group and everything inside.
must mkdir "$KITT_CFS/targets/$IQN"
must mkdir "$TPG"
for d in portals luns acls attrib params; do
	expect_ok test -d "$TPG/$d"
done
expect_eq "$(cat $TPG/enable)" 0 "a new portal group is disabled"
for f in generate_node_acls authentication cmdsn_depth nopin_interval nopin_timeout \
	 login_timeout send_timeout; do
	expect_ok test -f "$TPG/attrib/$f"
done
for k in HeaderDigest DataDigest MaxRecvDataSegmentLength MaxBurstLength \
	 FirstBurstLength ImmediateData InitialR2T MaxOutstandingR2T; do
	expect_ok test -f "$TPG/params/$k"
done
log "params/: $(ls $TPG/params | tr '\n' ' ')"

expect_ok mkdir "$TPG/portals/127.0.0.1:3260"
expect_ok mkdir "$TPG/portals/[::1]:3260"
expect_ok ln -s "$D" "$TPG/luns/0"
expect_eq "$(readlink -f $TPG/luns/0)" "$(readlink -f $D)" "luns/0 points at the device"
expect_eq "$(cat $D/export_count)" 1 "exported once"

expect_ok mkdir "$TPG/acls/$INI"
A=$TPG/acls/$INI/auth
for f in userid password userid_mutual password_mutual; do
	expect_ok test -f "$A/$f"
done
expect_ok sh -c "echo tree-user > $A/userid"
expect_ok sh -c "echo tree-secret-0123 > $A/password"
expect_ok sh -c "echo tree-target > $A/userid_mutual"
expect_ok sh -c "echo tree-mutual-4567 > $A/password_mutual"
expect_eq "$(cat $A/userid)" tree-user "ACL userid"
expect_eq "$(cat $A/password)" tree-secret-0123 "ACL password"
expect_eq "$(cat $A/userid_mutual)" tree-target "ACL userid_mutual"
expect_eq "$(cat $A/password_mutual)" tree-mutual-4567 "ACL password_mutual"
expect_eq "$(stat -c %a $A/password)" 600 "secrets are readable by root only"
expect_ok sh -c "echo > $A/userid_mutual"
expect_eq "$(cat $A/userid_mutual)" "" "an empty write clears a name"

for kv in generate_node_acls=1 authentication=1 cmdsn_depth=256 nopin_interval=0 \
	  nopin_timeout=10 login_timeout=20; do
	expect_ok sh -c "echo ${kv#*=} > $TPG/attrib/${kv%%=*}"
	expect_eq "$(cat $TPG/attrib/${kv%%=*})" "${kv#*=}" "attrib ${kv%%=*}"
done
expect_ok sh -c "echo 0 > $TPG/attrib/authentication"
expect_ok sh -c "echo 262144 > $TPG/params/MaxRecvDataSegmentLength"
expect_eq "$(cat $TPG/params/MaxRecvDataSegmentLength)" 262144 "params value reads back"

expect_ok sh -c "echo 1 > $KITT_CFS/discovery/auth/enforce"
expect_ok sh -c "echo disc-user > $KITT_CFS/discovery/auth/userid"
expect_eq "$(cat $KITT_CFS/discovery/auth/userid)" disc-user "discovery userid"
expect_ok sh -c "echo 0 > $KITT_CFS/discovery/auth/enforce"

expect_ok sh -c "echo 1 > $TPG/enable"
expect_eq "$(cat $TPG/enable)" 1 "portal group enabled"
# Writing the same values again changes nothing (restoring a saved tree).
expect_ok sh -c "echo 1 > $TPG/enable"
expect_ok sh -c "echo /dev/ram0 > $D/path"
expect_ok sh -c "echo 1 > $D/enable"

# A second target on the same portal shares the listener.
IQN2=$KITT_IQN_BASE:tree2
expect_ok mkdir -p "$KITT_CFS/targets/$IQN2/tpgt_7/portals/127.0.0.1:3260"
expect_eq "$(ps -o comm | grep -c '^kitt_np3260$')" 2 \
	"one listener thread per address (127.0.0.1 and ::1)"

# Take it apart in the order a shell has to.
expect_fail rmdir "$KITT_CFS/devices/disk0"
expect_fail rmdir "$TPG"
expect_ok rmdir "$KITT_CFS/targets/$IQN2/tpgt_7/portals/127.0.0.1:3260"
expect_ok rmdir "$KITT_CFS/targets/$IQN2/tpgt_7"
expect_ok rmdir "$KITT_CFS/targets/$IQN2"
expect_ok sh -c "echo 0 > $TPG/enable"
expect_ok rm "$TPG/luns/0"
expect_eq "$(cat $D/export_count)" 0 "unmapped"
expect_ok rmdir "$TPG/acls/$INI"
expect_ok rmdir "$TPG/portals/127.0.0.1:3260"
expect_ok rmdir "$TPG/portals/[::1]:3260"
expect_eq "$(ps -o comm | grep -c '^kitt_np')" 0 "no listener thread left"
expect_ok rmdir "$TPG"
expect_ok rmdir "$KITT_CFS/targets/$IQN"
expect_ok sh -c "echo 0 > $D/enable"
expect_ok rmdir "$D"
# An enabled device may be removed directly: it is closed on the way out.
must kitt_dev_create disk1 /dev/ram1
expect_ok rmdir "$KITT_CFS/devices/disk1"
expect_eq "$(ls -A $KITT_CFS/devices; ls -A $KITT_CFS/targets)" "" "tree is empty"
expect_ok kitt_unload
