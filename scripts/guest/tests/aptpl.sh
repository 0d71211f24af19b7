#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# kitt-kernels: 6.1
# kitt-timeout: 300
# Persistent reservations kept through power loss (APTPL, issue 11): a
# registration and a reservation made with APTPL survive rmmod and insmod
# of kitt (the state is in /var/lib/kitt, the pr_dir parameter, as the
# Debian package and kitt.service leave it); a REGISTER without APTPL
# stops keeping it; with nowhere to keep it, APTPL is refused with
# INSUFFICIENT REGISTRATION RESOURCES and nothing changes.
. /kitt/lib.sh

mkdir -p /var/lib/kitt
rm -f /var/lib/kitt/pr-*
kitt_test_setup --initiator
must brd_load 16
must modprobe sg

setup()
{
	kitt_quick_target "$IQN" /dev/ram0 "$P:3260" && iscsi_login "$IQN" "$P:3260"
}
sgdev() { iscsi_lun_node 0 scsi_generic; }
# pr ARGS: sg_persist's output on one line
pr() { sg_persist -n "$@" "$(sgdev)" 2>&1 | tr '\n' ' '; }
reload()
{
	iscsi_logout "$IQN" >/dev/null
	wait_for 10 kitt_idle
	kitt_teardown
	expect_ok kitt_unload
	must kitt_load
	must setup
	wait_for 30 sgdev
}

must setup
wait_for 30 sgdev
expect_match "$(pr -c)" "Persist Through Power Loss Capable.PTPL_C.: 1" "PTPL_C"
expect_match "$(pr -c)" "Persist Through Power Loss Active.PTPL_A.: 0" "not active yet"
expect_ok sg_persist -n --out --register --param-sark=0x123 --param-aptpl "$(sgdev)"
expect_ok sg_persist -n --out --reserve --param-rk=0x123 --prout-type=1 "$(sgdev)"
expect_match "$(pr -c)" "Persist Through Power Loss Active.PTPL_A.: 1" "PTPL_A after APTPL"
ls -l /var/lib/kitt
naa=$(ls /var/lib/kitt | sed -n 's/^pr-\([0-9a-f]*\)\.[01]$/\1/p' | sort -u)
expect_eq "$(echo "$naa" | wc -w)" 1 "one device's files in /var/lib/kitt"
cat /var/lib/kitt/pr-"$naa".*
before=$(pr -s)

# ---- rmmod, insmod: the state comes back -------------------------------------
reload
after=$(pr -s)
echo "$after"
expect_match "$(dmesg | tail -50)" "device d0: 1 persistent registration.s. and the reservation restored .APTPL." \
	"the kernel log says what came back"
expect_match "$(pr -k)" "0x123" "the key survived the reload"
expect_match "$(pr -r)" "Key=0x123.*Write Exclusive" "and the reservation, with its type"
expect_match "$(pr -c)" "Persist Through Power Loss Active.PTPL_A.: 1" "still kept"
expect_eq "$(grep -o 'Key=' <<< "$after" | wc -l)" 1 "READ FULL STATUS: one registration"
expect_eq "$(grep -o 'generation=[0-9a-fx]*' <<< "$after")" \
	"$(grep -o 'generation=[0-9a-fx]*' <<< "$before")" "PRgeneration kept"
# ---- twice more: the two files take turns ------------------------------------------
expect_ok sg_persist -n --out --register-ignore --param-sark=0x456 --param-aptpl "$(sgdev)"
reload
expect_match "$(pr -k)" "0x123.*0x456|0x456.*0x123" "both keys after a second reload"
expect_eq "$(ls /var/lib/kitt/pr-"$naa".* | wc -l)" 2 "two files, written in turn"

# ---- a file cut short is skipped: the other one is read -------------------------
newest=$(grep -l "^seq $(cat /var/lib/kitt/pr-"$naa".* | sed -n 's/^seq //p' | sort -n | tail -1)$" \
	/var/lib/kitt/pr-"$naa".*)
head -c 40 "$newest" > /tmp/cut && cat /tmp/cut > "$newest"
reload
expect_match "$(dmesg | tail -30)" "unreadable: -22" "the cut file is reported"
expect_match "$(pr -k)" "0x123" "the older whole file is taken"

# ---- REGISTER without APTPL: no longer kept ---------------------------------------------
expect_ok sg_persist -n --out --register-ignore --param-sark=0x789 "$(sgdev)"
expect_match "$(pr -c)" "Persist Through Power Loss Active.PTPL_A.: 0" "PTPL_A off"
reload
expect_match "$(pr -k)" "NO registered reservation keys" "nothing restored without APTPL"
expect_match "$(pr -r)" "NO reservation held" "no reservation either"

# ---- nowhere to keep it: refused ---------------------------------------------------------
rm -rf /var/lib/kitt
r=$(sg_persist -n -vv --out --register --param-sark=0x321 --param-aptpl "$(sgdev)" 2>&1)
echo "$r"
expect_match "$r" "[Ii]nsufficient registration resources" \
	"APTPL with no /var/lib/kitt: INSUFFICIENT REGISTRATION RESOURCES"
expect_match "$(pr -k)" "NO registered reservation keys" "and nothing registered"
expect_match "$(dmesg | tail -5)" "APTPL refused, cannot write /var/lib/kitt/pr-" \
	"the kernel log says why"
expect_ok sg_persist -n --out --register --param-sark=0x321 "$(sgdev)"
expect_ok sg_persist -n --out --register --param-rk=0x321 --param-sark=0 "$(sgdev)"

iscsi_logout_all
wait_for 10 kitt_idle
pass "APTPL"
