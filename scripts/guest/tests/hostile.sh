#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# kitt-timeout: 480
# Hostile peers (issue 9): the PDU sequence of each finding, sent by
# `kitt-fuzz scenario NAME`, must PASS: a discovery session that stops
# reading is dropped after send_timeout with memory bounded (noread), and
# so is one that floods PDUs each answered by a Reject (rejects); kitt
# keeps reading from a peer that leaves READ data unread, with PDUs of 512
# bytes too (slowread, slowsmall); the
# CmdSN window closes while commands wait for data, extras and a parked
# duplicate are dropped, immediate commands are capped (window); a reused
# ITT is refused or answered, never a crash (dupitt); a second connection
# to a session is refused (mcs); logins that never start are capped per
# address and per listener (loginflood); logged-in connections are capped
# per address and in all, and idle discovery sessions closed (connflood);
# SessionType cannot change during
# login (sesstype); a NOP-Out ahead of a CmdSN gap waits for it, 16 at
# most (ctlorder); WRITE data with a wrong data digest, small or large, in
# the command or in a Data-Out, closes the connection and writes nothing
# (ddigest); a byte of TCP urgent data closes the connection at once
# (urgent); Text floods are bounded and NOP echoes fit the
# initiator's limit (textbomb); unlinking a LUN held by a peer returns
# (unlinkhang); a huge CHAP_A list costs no modprobe per element (chapa);
# connections reset with commands in flight are cleaned up (inflight).
# Afterwards kitt holds no connection, session or task.
. /kitt/lib.sh

IQN2=$KITT_IQN_BASE:hostile-chap
FI=iqn.2024-01.org.kitt:fuzzer
FUZZ=/kitt/kitt-fuzz
[ -x $FUZZ ] || die "no $FUZZ in the guest (tools/kitt-fuzz did not build?)"

# Short timeouts: a peer that never reads is dropped after 5 s.
kitt_test_setup send_timeout=5
must brd_load 64 2
must kitt_quick_target "$IQN" /dev/ram0 "$P:3260"
kitt_tpg_attr "$IQN" 1 send_timeout 5 || fail "attrib/send_timeout"
kitt_tpg_attr "$IQN" 1 cmdsn_depth 32
# CHAP MD5 for the chapa scenario, on a second target.
must kitt_dev_create c0 /dev/ram1
must kitt_target_create "$IQN2" 1
must kitt_lun_add "$IQN2" 1 0 c0
must kitt_acl_add "$IQN2" 1 "$FI"
echo fuzzuser > "$KITT_CFS/targets/$IQN2/tpgt_1/acls/$FI/auth/userid"
echo fuzz-secret-12 > "$KITT_CFS/targets/$IQN2/tpgt_1/acls/$FI/auth/password"
must kitt_tpg_attr "$IQN2" 1 authentication 1
must kitt_portal_add "$IQN2" 1 "$P:3260"
must kitt_tpg_enable "$IQN2" 1

param() { cat "/sys/module/kitt/parameters/$1" 2>/dev/null || echo "$2"; }

task0=$(slab_objs kitt_task)
su0=$(unreclaimable)

# scen NAME ARGS...: run a scenario against $IQN; its last line must be PASS.
# Then kitt must let go of everything the scenario made it hold.
scen()
{
	local name=$1 out

	shift
	log "kitt-fuzz scenario $name $*"
	out=$($FUZZ scenario "$name" --target "$IQN" --portal "$P:3260" --initiator "$FI" "$@" 2>&1)
	echo "$out"
	expect_match "$(echo "$out" | tail -1)" "^PASS $name" "scenario $name"
	wait_for 40 kitt_idle
	expect_ok kitt_idle
	echo "    SUnreclaim $(unreclaimable) kB (start $su0 kB), kitt_task $(slab_objs kitt_task)"
}

# 1. A discovery session that stops reading, NOP-Outs of 256 KiB.
scen noread --time 60 --bound 30 --mem-limit 64

# 1b. The same with header-only PDUs it must reject (a Reject each).
scen rejects --time 60 --bound 30 --mem-limit 64

# 1c. READ data never read while Data-Outs keep coming: the receive thread
# must keep reading (only the transmit thread waits) until the drop.
scen slowread --time 30 --bound 30 --mem-limit 96
# The same with Data-In PDUs of 512 bytes, after kitt's send buffer grew:
# what an skb per PDU takes of it must count.
scen slowsmall --time 30 --bound 30 --mem-limit 96

# 7. Text Requests without reading; a NOP echo larger than the initiator allows.
scen textbomb --time 60 --bound 30 --mem-limit 64

# 2. The command window: depth 32 as set above, 16 immediate commands.
scen window --depth 32 --imm-limit 16

# 3. A command reusing the ITT of one in flight, for 20 s (under slub_debug).
scen dupitt --time 20

# 4. A second connection to a session. MaxConnections above 1 may be
# refused in params/ already; the login must answer 1 either way.
if kitt_tpg_param "$IQN" 1 MaxConnections 8 2>/dev/null; then
	log "params/MaxConnections accepts 8; the login must still answer 1"
else
	log "params/MaxConnections refuses 8"
fi
scen mcs
kitt_tpg_param "$IQN" 1 MaxConnections 1 2>/dev/null

# 5. Logins that never start: per address and per listener caps.
scen loginflood --conns 40 --per-host "$(param max_login_per_host 16)" \
	--max-login "$(param max_login_conns 64)" --bound 20

# 5b. Discovery sessions logged in and left idle: capped per address and in
# all, closed once idle. Small limits for the test, then the defaults back.
M=/sys/module/kitt/parameters
must put $M/max_conns_per_host 6
must put $M/max_conns 10
must put $M/discovery_idle_timeout 20
scen connflood --per-host 6 --max-conns 10 --idle 20 --max-disc 4
put $M/max_conns_per_host 128
put $M/max_conns 1024
put $M/discovery_idle_timeout 60

# 6. SessionType switched during login.
scen sesstype

# 6b. NOP-Outs behind a CmdSN gap wait for it and run in order, 16 at most.
scen ctlorder

# Data digests over WRITE data (into the pages, digest computed in the copy).
scen ddigest

# TCP urgent data stops read_sock(): the connection must be closed, not spun on.
scen urgent

# 8. rm luns/0 while a peer holds a WRITE waiting for data and one parked
# behind a CmdSN gap: it must return within seconds, by closing the session.
log "kitt-fuzz scenario unlinkhang"
$FUZZ scenario unlinkhang --target "$IQN" --portal "$P:3260" --initiator "$FI" --hold 45 \
	>/tmp/unlink.out 2>&1 &
fpid=$!
if wait_for 30 grep -q '^READY' /tmp/unlink.out; then
	t0=$(date +%s)
	rm "$KITT_CFS/targets/$IQN/tpgt_1/luns/0" &
	rpid=$!
	for i in $(seq 250); do
		kill -0 $rpid 2>/dev/null || break
		sleep 0.1
	done
	if kill -0 $rpid 2>/dev/null; then
		fail "rm luns/0 still blocked after 25 s"
		kill $fpid	# its connection going away releases the LUN
		wait $rpid
	else
		wait $rpid
		rc=$?
		expect_eq $rc 0 "rm luns/0 succeeds"
		secs=$(($(date +%s) - t0))
		log "rm luns/0 returned after ${secs}s"
		expect_ok test $secs -le 20
	fi
else
	fail "unlinkhang did not get ready"
fi
wait $fpid
cat /tmp/unlink.out
expect_match "$(tail -1 /tmp/unlink.out)" "^PASS unlinkhang" "scenario unlinkhang"
expect_ok wait_for 40 kitt_idle
[ -L "$KITT_CFS/targets/$IQN/tpgt_1/luns/0" ] || must kitt_lun_add "$IQN" 1 0 d0

# 9. CHAP_A lists full of duplicates and unknown numbers. The kernel's
# module requests go to a counter that loads nothing, with SHA3-256 (8 in
# CHAP_A) absent: a lookup per list element would show as many requests.
modprobe md5 2>/dev/null
modprobe sha1_generic 2>/dev/null
modprobe sha256_generic 2>/dev/null
rmmod sha3_generic 2>/dev/null
sha3_builtin=0
grep -q 'sha3-256' /proc/crypto && sha3_builtin=1
cat > /tmp/modprobe-count <<'EOF'
#!/bin/sh
echo "$*" >> /tmp/modprobe.calls
exit 1
EOF
chmod 755 /tmp/modprobe-count
: > /tmp/modprobe.calls
old_modprobe=$(cat /proc/sys/kernel/modprobe)
echo /tmp/modprobe-count > /proc/sys/kernel/modprobe
cleanup_add "echo $old_modprobe > /proc/sys/kernel/modprobe"
log "kitt-fuzz scenario chapa"
out=$($FUZZ scenario chapa --target "$IQN2" --portal "$P:3260" --initiator "$FI" \
	--chap fuzzuser:fuzz-secret-12 --bound 20 2>&1)
echo "$out"
echo "$old_modprobe" > /proc/sys/kernel/modprobe
expect_match "$(echo "$out" | tail -1)" "^PASS chapa" "scenario chapa"
calls=$(wc -l < /tmp/modprobe.calls)
log "module requests during chapa: $calls ($(sort /tmp/modprobe.calls | uniq -c | tr '\n' ' '))"
if [ $sha3_builtin = 1 ]; then
	log "sha3-256 is built in: the request count proves nothing here"
else
	expect_ok test "$calls" -le 8
fi
expect_ok wait_for 40 kitt_idle

# 10. Connections reset while commands are in flight (found by kitt-fuzz
# random: the teardown waited for them with the wait queue's own lock held).
# Last, because a deadlock here stops the whole guest.
scen inflight --conns 20 --bound 20

# Everything let go.
expect_eq "$(cat /sys/kernel/kitt/live)" "$KITT_LIVE0" \
	"no connection or session left"
wait_until 20 '[ "$(slab_objs kitt_task)" = "${task0:-0}" ]'
expect_eq "$(slab_objs kitt_task)" "${task0:-0}" "kitt_task slab objects back to the start"
su=$(unreclaimable)
log "SUnreclaim ${su0} kB at the start, ${su} kB now"
expect_ok test $((su - su0)) -lt 65536
