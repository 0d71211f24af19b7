#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# kitt-timeout: 120
# kitt-kernels: 6.1
# Module parameters set the defaults of new portal groups; a bad value
# makes the load fail with a log line.
. /kitt/lib.sh

G=$KITT_CFS/targets/$KITT_IQN_BASE:mp/tpgt_1

modprobe configfs; modprobe libcrc32c
expect_fail modprobe kitt max_recv_dsl=12
expect_match "$(dmesg | tail -3)" "MaxRecvDataSegmentLength: bad value '12'" "bad value named in the log"
expect_fail modprobe kitt cmdsn_depth=0
expect_fail modprobe kitt send_timeout=0
expect_fail modprobe kitt login_timeout=0
expect_fail modprobe kitt nopin_timeout=0
expect_fail modprobe kitt nopin_interval=3601
expect_fail modprobe kitt discovery_idle_timeout=0
expect_fail modprobe kitt discovery_idle_timeout=3601

must modprobe kitt cmdsn_depth=64 nopin_interval=5 send_timeout=9 max_recv_dsl=65536 \
	max_burst_length=131072 initial_r2t=Yes header_digest=CRC32C
cleanup_add "kitt_teardown"
must kitt_target_create "$KITT_IQN_BASE:mp" 1
expect_eq "$(cat $G/attrib/cmdsn_depth)" 64 "cmdsn_depth default"
expect_eq "$(cat $G/attrib/nopin_interval)" 5 "nopin_interval default"
expect_eq "$(cat $G/attrib/send_timeout)" 9 "send_timeout default"
expect_eq "$(cat /sys/module/kitt/parameters/max_login_conns)" 64 "max_login_conns default"
expect_eq "$(cat /sys/module/kitt/parameters/max_login_per_host)" 16 "max_login_per_host default"
expect_eq "$(cat /sys/module/kitt/parameters/max_conns)" 1024 "max_conns default"
expect_eq "$(cat /sys/module/kitt/parameters/max_conns_per_host)" 128 "max_conns_per_host default"
expect_eq "$(cat /sys/module/kitt/parameters/max_discovery_conns)" 64 "max_discovery_conns default"
P=/sys/module/kitt/parameters/discovery_idle_timeout
expect_eq "$(cat $P)" 60 "discovery_idle_timeout default"
# Writable, within 1-3600; a bad value is refused and the old one kept.
expect_ok put $P 3600
expect_fail put $P 0
expect_fail put $P 3601
expect_fail put $P abc
expect_eq "$(cat $P)" 3600 "discovery_idle_timeout keeps its value after bad writes"
expect_ok put $P 60
expect_eq "$(cat $G/params/MaxRecvDataSegmentLength)" 65536 "MaxRecvDataSegmentLength default"
expect_eq "$(cat $G/params/MaxBurstLength)" 131072 "MaxBurstLength default"
expect_eq "$(cat $G/params/InitialR2T)" Yes "InitialR2T default"
expect_eq "$(cat $G/params/HeaderDigest)" CRC32C "HeaderDigest default"
expect_eq "$(cat $G/params/DataDigest)" CRC32C,None "DataDigest keeps kitt's default"
