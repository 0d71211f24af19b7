#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# kitt-timeout: 300
# kitt-kernels: 6.1
# kitt.service, run the way systemd runs it (there is no systemd in the
# guest): its ExecStartPre=, ExecStart= and ExecStop= lines in order,
# each a failure unless prefixed with "-". A start with no saved file
# loads an empty kitt; a configuration saved with `kittctl save` comes
# back after stop and start (a reboot), byte for byte, and the initiator
# reads back what it wrote before; a stop with a session logged in closes
# it, removes the tree and unloads kitt.
. /kitt/lib.sh

UNIT=/kitt/kitt.service
CONF=/etc/kitt/kitt.conf

[ -f "$UNIT" ] || die "no $UNIT in the guest"

# unit_run KEY: run the unit's KEY= lines, in order, as systemd would:
# no shell, the first word the program (with systemd's "-" prefix
# meaning that a failure is ignored).
unit_run()
{
	local key=$1 line cmd ignore rc

	while IFS= read -r line; do
		case "$line" in
		"$key="*) ;;
		*) continue ;;
		esac
		cmd=${line#"$key="}
		ignore=
		if [ "${cmd#-}" != "$cmd" ]; then
			ignore=1
			cmd=${cmd#-}
		fi
		log "$key: $cmd"
		# shellcheck disable=SC2086 # systemd splits on spaces, no globbing
		(set -f; exec $cmd)
		rc=$?
		if [ $rc -ne 0 ] && [ -z "$ignore" ]; then
			echo "$key=$cmd failed: exit status $rc"
			return 1
		fi
	done < "$UNIT"
}
unit_start() { unit_run ExecStartPre && unit_run ExecStart; }
unit_stop() { unit_run ExecStop; }
kitt_loaded() { grep -q '^kitt ' /proc/modules; }

# What systemd needs to run it at boot.
expect_match "$(cat $UNIT)" "^Type=oneshot$" "a oneshot unit"
expect_match "$(cat $UNIT)" "^RemainAfterExit=yes$" "that stays active after start"
expect_match "$(cat $UNIT)" "^WantedBy=multi-user.target$" "enabled for multi-user.target"
expect_match "$(cat $UNIT)" "^After=network-online.target" "started once the network is up"

must brd_load 32 1
cleanup_add "rmmod brd"
cleanup_add "kittctl clear >/dev/null 2>&1; rmmod kitt 2>/dev/null"

# ---- first boot: no saved file ---------------------------------------------
rm -f $CONF
expect_fail kitt_loaded
expect_ok unit_start
expect_ok kitt_loaded
expect_eq "$(kittctl save - | grep -c -e '^mkdir' -e '^link')" 0 "a start with no file: kitt empty"

# ---- configure and save ----------------------------------------------------
INI=${KITT_INITIATOR:-iqn.2024-01.org.kitt:guest}
must kittctl device add disk0 /dev/ram0
must kittctl target add "$IQN" --portal 127.0.0.1:3260
must kittctl lun add "$IQN" 0 disk0
must kittctl acl add "$IQN" "$INI" --chap "svcuser:service-secret-0123"
expect_ok kittctl save
expect_eq "$(stat -c %a $CONF)" 600 "the saved file is 0600"
cp $CONF /tmp/saved.conf

# ---- write data through kitt -------------------------------------------------
must initiator_setup
chap_node()
{
	iscsiadm -m node -o new -T "$IQN" -p 127.0.0.1:3260 >/dev/null 2>&1
	iscsiadm -m node -T "$IQN" -p 127.0.0.1 -o update -n node.session.auth.authmethod -v CHAP
	iscsiadm -m node -T "$IQN" -p 127.0.0.1 -o update -n node.session.auth.username -v svcuser
	iscsiadm -m node -T "$IQN" -p 127.0.0.1 -o update \
		-n node.session.auth.password -v service-secret-0123
}
chap_node
must iscsi_login "$IQN" 127.0.0.1
disk=$(iscsi_wait_disk "$IQN" 30) || die "no disk"
dd if=/dev/urandom of=/tmp/data bs=1M count=4 status=none
must dd if=/tmp/data of="$disk" bs=1M oflag=direct status=none

# ---- stop with the session logged in -----------------------------------------
log "stop with a live session"
expect_ok unit_stop
expect_fail kitt_loaded
expect_fail test -d "$KITT_CFS"
expect_ok cmp $CONF /tmp/saved.conf
iscsi_logout_all

# ---- start again: the configuration comes back ------------------------------
log "start again"
expect_ok unit_start
expect_ok kitt_loaded
kittctl save - > /tmp/restored.conf
if cmp /tmp/saved.conf /tmp/restored.conf; then
	pass "the restored configuration saves to the same bytes"
else
	fail "the restored configuration differs"
	diff /tmp/saved.conf /tmp/restored.conf
fi
expect_eq "$(kittctl -v restore)" "" "restoring again changes nothing"
chap_node
if expect_ok iscsi_login "$IQN" 127.0.0.1; then
	disk=$(iscsi_wait_disk "$IQN" 30)
	expect_ne "$disk" "" "the disk is back"
	expect_ok cmp -n $((4 << 20)) /tmp/data "$disk"
	iscsi_logout_all
fi

# ---- a second stop and a start that fails loudly ----------------------------
expect_ok unit_stop
expect_fail kitt_loaded
echo "set devices/nosuch/enable 1" > $CONF
expect_fail unit_start
echo "a bad saved file fails the start"
rm -f $CONF
expect_ok unit_stop
expect_fail kitt_loaded
