#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# kitt-timeout: 240
# kitt-kernels: 6.1
# Attribute writes: values with and without echo's newline work; invalid
# values are refused with EINVAL and the old value stays; changes that are
# unsafe in the current state are refused with EBUSY.
. /kitt/lib.sh

# putn FILE VALUE: put without the newline.
putn() { printf '%s' "$2" > "$1"; }

# refused ERR FILE VALUE: the write fails with ERR and FILE keeps its value.
refused()
{
	local before

	before=$(cat "$2")
	fails_with "$1" put "$2" "$3"
	expect_eq "$(cat "$2")" "$before" "${2#$KITT_CFS/} kept '$before'"
}

must brd_load 16 2
cleanup_add "rmmod brd"
kitt_test_setup

IQN=$KITT_IQN_BASE:attrs
G=$KITT_CFS/targets/$IQN/tpgt_1
D=$KITT_CFS/devices/d0
must mkdir -p "$G" "$D"

# ---- devices: validation --------------------------------------------------
refused "Invalid argument" "$D/enable" 1		# no path yet
for v in 2 yes on -1 "" " 1" "1 " 01; do
	refused "Invalid argument" "$D/enable" "$v"
	refused "Invalid argument" "$D/read_only" "$v"
	refused "Invalid argument" "$D/wce" "$v"
done
expect_ok putn "$D/path" /dev/ram0
expect_eq "$(cat $D/path)" /dev/ram0 "path written without a newline"
refused "Invalid argument" "$D/path" relative/path
refused "Invalid argument" "$D/path" "/dev/$(printf 'x%.0s' $(seq 300))"
expect_ok put "$D/path" ""
expect_eq "$(cat $D/path)" "" "an empty path clears it"
expect_ok put "$D/path" /dev/ram0
for v in xyz 123 5001405abcdef01 5001405abcdef0123 4001405abcdef012 0001405abcdef012 \
	 0x5001405abcdef0 naa.123 "5001405abcdef01g" "naa.6001405abcdef012"; do
	refused "Invalid argument" "$D/wwn" "$v"
done
expect_ok put "$D/wwn" 2001405ABCDEF012
expect_eq "$(cat $D/wwn)" 2001405abcdef012 "wwn in capitals reads back in lower case"
for v in "" "a b" "$(printf 's%.0s' $(seq 64))" "$(printf 'a\tb')"; do
	refused "Invalid argument" "$D/serial" "$v"
done
expect_ok putn "$D/serial" "$(printf 's%.0s' $(seq 63))"
expect_ok put "$D/serial" SN-1
for f in size blocks block_size export_count read_cmds write_cmds read_bytes write_bytes; do
	fails_with "" put "$D/$f" 1
done

# ---- devices: EBUSY ----------------------------------------------------------
expect_ok put "$D/enable" 1
refused "Device or resource busy" "$D/path" /dev/ram1
refused "Device or resource busy" "$D/read_only" 1
expect_ok put "$D/path" /dev/ram0
expect_ok put "$D/read_only" 0
# Identity may change until the device is exported.
expect_ok put "$D/serial" SN-2
expect_ok put "$D/wwn" 5001405abcdef012
must ln -s "$D" "$G/luns/0"
refused "Device or resource busy" "$D/enable" 0
refused "Device or resource busy" "$D/serial" SN-3
refused "Device or resource busy" "$D/wwn" 5001405abcdef013
expect_ok put "$D/serial" SN-2
expect_ok put "$D/wwn" 5001405abcdef012
expect_ok put "$D/wce" 0
expect_eq "$(cat $D/wce)" 0 "wce changes while exported"
expect_ok rm "$G/luns/0"
expect_ok put "$D/enable" 0
expect_eq "$(cat $D/enable)" 0 "disabled once unmapped"

# ---- portal groups --------------------------------------------------------------
for v in 2 yes "" -1; do
	refused "Invalid argument" "$G/enable" "$v"
	refused "Invalid argument" "$G/attrib/generate_node_acls" "$v"
	refused "Invalid argument" "$G/attrib/authentication" "$v"
done
for v in 0 1025 -1 abc 1.5 "" 0x10 4294967296; do
	refused "Invalid argument" "$G/attrib/cmdsn_depth" "$v"
done
refused "Invalid argument" "$G/attrib/nopin_interval" 3601
refused "Invalid argument" "$G/attrib/nopin_timeout" 0
refused "Invalid argument" "$G/attrib/login_timeout" 0
refused "Invalid argument" "$G/attrib/login_timeout" 3601
refused "Invalid argument" "$G/attrib/send_timeout" 0
refused "Invalid argument" "$G/attrib/send_timeout" 3601
expect_eq "$(cat $G/attrib/send_timeout)" 30 "send_timeout default"
expect_ok put "$G/attrib/send_timeout" 7
expect_eq "$(cat $G/attrib/send_timeout)" 7 "send_timeout set"
# One connection per session: MaxConnections offers no more.
refused "Invalid argument" "$G/params/MaxConnections" 2
expect_ok put "$G/params/MaxConnections" 1
expect_eq "$(cat $G/params/MaxConnections)" 1 "MaxConnections stays 1"
expect_ok put "$G/attrib/nopin_interval" 0
expect_ok putn "$G/attrib/cmdsn_depth" 1024
expect_eq "$(cat $G/attrib/cmdsn_depth)" 1024 "cmdsn_depth without a newline"
expect_ok put "$G/attrib/cmdsn_depth" 1
expect_eq "$(cat $G/attrib/cmdsn_depth)" 1 "cmdsn_depth 1"
# Attributes and parameters may change while the group is enabled: they
# apply to the next login.
expect_ok put "$G/enable" 1
expect_ok put "$G/attrib/cmdsn_depth" 64
refused "Invalid argument" "$G/params/MaxRecvDataSegmentLength" 100
refused "Invalid argument" "$G/params/MaxRecvDataSegmentLength" abc
refused "Invalid argument" "$G/params/HeaderDigest" Foo
refused "Invalid argument" "$G/params/ImmediateData" Maybe
expect_ok put "$G/params/MaxRecvDataSegmentLength" 65536
expect_eq "$(cat $G/params/MaxRecvDataSegmentLength)" 65536 "MaxRecvDataSegmentLength"
expect_ok put "$G/enable" 0

# ---- credentials -------------------------------------------------------------------
must mkdir "$G/acls/iqn.1993-08.org.debian:01:attrs"
A=$G/acls/iqn.1993-08.org.debian:01:attrs/auth
refused "Invalid argument" "$A/userid" "$(printf 'a\001b')"
refused "Invalid argument" "$A/password" "$(printf 'p%.0s' $(seq 256))"
refused "Invalid argument" "$A/userid" "$(printf 'u%.0s' $(seq 224))"
expect_ok put "$A/password" "a secret with spaces"
expect_eq "$(cat $A/password)" "a secret with spaces" "spaces are kept"
expect_ok putn "$A/password_mutual" "$(printf 'p%.0s' $(seq 255))"
# RFC 7143 12.1.3: one secret may not authenticate both sides.
expect_ok put "$A/password" "attrs-secret-1234"
refused "Invalid argument" "$A/password_mutual" "attrs-secret-1234"
expect_ok put "$A/password_mutual" "attrs-mutual-5678"
refused "Invalid argument" "$A/password" "attrs-mutual-5678"
expect_eq "$(cat $A/password)" "attrs-secret-1234" "password kept"
refused "Invalid argument" "$KITT_CFS/discovery/auth/enforce" x
refused "Invalid argument" "$KITT_CFS/discovery/auth/password" "$(printf 'a\tb')"

expect_ok kitt_teardown
expect_ok kitt_unload
