#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# kitt-timeout: 240
# kitt-kernels: 6.1
# Directory and link names: invalid target, portal group, portal, LUN,
# ACL and device names are refused with EINVAL and leave nothing behind;
# every legal form is accepted; duplicates are EEXIST.
. /kitt/lib.sh

# listing DIR: the names in DIR, one line.
listing() { ls -A "$1" | sort | tr '\n' ' '; }

must brd_load 16 1
cleanup_add "rmmod brd"
kitt_test_setup
T=$KITT_CFS/targets

# ---- target names (RFC 7143 4.2.7) --------------------------------------
long_iqn=iqn.2024-01.org.kitt:$(printf 'x%.0s' $(seq 1 $((223 - 21))))
for bad in foo iqn. iqn.2024-01 iqn.2024-01. iqn.2024-13.org.kitt iqn.2024-00.org.kitt \
	   iqn.2024-1.org.kitt iqn.24-01.org.kitt iqn.2024-01.org.kitt: iqn.2024-01.:x \
	   iqn.2024-01..org iqn.2024-01.org..kitt iqn.2024-01.org.kitt. \
	   IQN.2024-01.org.kitt iqn.2024-01.Org.kitt iqn.2024-01.org.kitt:A \
	   iqn.2024-01.org_kitt iqn.2024-01.org.kitt:a_b iqn.2024-01.org.kitt:a@b \
	   eui.123 eui.0123456789abcdeg eui.0123456789abcdef0 naa.0123 \
	   naa.0123456789abcdef0 naa.0123456789abcdef0123456789abcdeg "${long_iqn}x"; do
	fails_with "Invalid argument" mkdir "$T/$bad"
done
expect_eq "$(listing $T)" "" "nothing left behind by refused target names"

for good in iqn.2024-01.org.kitt iqn.2024-01.org.kitt:a.b-c:d iqn.1993-08.org.debian:01:abc \
	    eui.02004567A425678D naa.52004567ba64678d naa.60012345678901234567890123456789 \
	    "$long_iqn"; do
	expect_ok mkdir "$T/$good"
done
expect_eq "${#long_iqn}" 223 "the longest name has 223 bytes"
fails_with "File exists" mkdir "$T/iqn.2024-01.org.kitt"
fails_with "File exists" mkdir "$T/eui.02004567a425678d"

# ---- portal group tags ----------------------------------------------------
Q=$T/iqn.2024-01.org.kitt
for bad in tpgt_0 tpgt_ tpgt_x tpgt_1x tpgt_01 tpgt_+1 tpgt_-1 tpgt_65536 tpgt_4294967297 \
	   tpg_1 tpgt1 1 TPGT_1; do
	fails_with "Invalid argument" mkdir "$Q/$bad"
done
expect_eq "$(listing $Q)" "" "nothing left behind by refused tags"
expect_ok mkdir "$Q/tpgt_1"
expect_ok mkdir "$Q/tpgt_65535"
fails_with "File exists" mkdir "$Q/tpgt_1"
G=$Q/tpgt_1

# ---- portals ----------------------------------------------------------------
for bad in foo 127.0.0.1:0 127.0.0.1:65536 127.0.0.1: 127.0.0.1:32a 127.0.0.1:+1 \
	   256.0.0.1:3260 1.2.3:3260 1.2.3.4.5:3260 ::1:3260 "[::1" "[::1]3260" "[::1]:" \
	   "[]:3260" "[::ffff:127.0.0.1]:3260" "[::1]:99999" "[::g]:3260" 127.0.0.1:3260:1 \
	   "[::1%nosuchif]:3260" " 127.0.0.1:3260"; do
	fails_with "Invalid argument" mkdir "$G/portals/$bad"
done
expect_eq "$(listing $G/portals)" "" "nothing left behind by refused portals"
expect_ok mkdir "$G/portals/127.0.0.1:3260"
fails_with "File exists" mkdir "$G/portals/127.0.0.1:3260"
# The same address spelt differently is the same portal.
fails_with "File exists" mkdir "$G/portals/127.0.0.1"
expect_ok mkdir "$G/portals/[::1]:3260"
fails_with "File exists" mkdir "$G/portals/[0:0::1]:3260"
# A portal belongs to one portal group of a target (RFC 7143).
fails_with "Address already in use" mkdir "$Q/tpgt_65535/portals/127.0.0.1:3260"
expect_eq "$(listing $Q/tpgt_65535/portals)" "" "nothing left behind"
# The port defaults to the port module parameter (3260).
expect_ok mkdir "$G/portals/127.0.0.2"
expect_ok bash -c "exec 3<>/dev/tcp/127.0.0.2/3260"
expect_ok mkdir "$G/portals/[::1%lo]:3262"
expect_eq "$(listing $G/portals)" "127.0.0.1:3260 127.0.0.2 [::1%lo]:3262 [::1]:3260 " \
	"portals"

# ---- LUNs -------------------------------------------------------------------
must kitt_dev_create d0 /dev/ram0
for bad in 256 x 01 -1 +1 1x 4294967296 "" ; do
	[ -z "$bad" ] && continue
	fails_with "Invalid argument" ln -s "$KITT_CFS/devices/d0" "$G/luns/$bad"
done
expect_eq "$(listing $G/luns)" "" "nothing left behind by refused LUN names"
expect_eq "$(cat $KITT_CFS/devices/d0/export_count)" 0 "refused links export nothing"
# Only devices can be LUNs.
fails_with "Invalid argument" ln -s "$Q/tpgt_65535" "$G/luns/0"
expect_ok ln -s "$KITT_CFS/devices/d0" "$G/luns/255"
expect_eq "$(cat $KITT_CFS/devices/d0/export_count)" 1 "mapped"
expect_ok rm "$G/luns/255"
expect_ok ln -s "$KITT_CFS/devices/d0" "$G/luns/0"
expect_ok rm "$G/luns/0"
# Links elsewhere in the tree are refused by configfs itself.
fails_with "Operation not permitted" ln -s "$KITT_CFS/devices/d0" "$G/portals/x"
fails_with "Operation not permitted" ln -s "$KITT_CFS/devices/d0" "$G/0"

# ---- ACLs ---------------------------------------------------------------------
for bad in foo iqn.bad iqn.2024-01.org.kitt:A eui.12; do
	fails_with "Invalid argument" mkdir "$G/acls/$bad"
done
expect_eq "$(listing $G/acls)" "" "nothing left behind by refused ACL names"
expect_ok mkdir "$G/acls/iqn.1993-08.org.debian:01:abc"
expect_ok mkdir "$G/acls/eui.02004567A425678D"
fails_with "File exists" mkdir "$G/acls/eui.02004567a425678d"
expect_ok test -d "$G/acls/iqn.1993-08.org.debian:01:abc/auth"

# ---- devices --------------------------------------------------------------------
for bad in .hidden "a b" "d@1" "d*" "é"; do
	fails_with "Invalid argument" mkdir "$KITT_CFS/devices/$bad"
done
expect_ok mkdir "$KITT_CFS/devices/My_disk-1.0:a"
fails_with "File exists" mkdir "$KITT_CFS/devices/d0"
expect_eq "$(listing $KITT_CFS/devices)" "My_disk-1.0:a d0 " "devices"

# ---- everything can be taken apart -----------------------------------------------
expect_ok kitt_teardown
expect_eq "$(listing $T)$(listing $KITT_CFS/devices)" "" "tree is empty"
expect_ok kitt_unload
