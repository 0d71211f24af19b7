#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# kitt-bench: yes
# kitt-timeout: 3000
# `make bench`, the guest side (issue 5): kitt and LIO take turns on the
# same backing devices in one boot, driven by the Linux initiator (fio) and
# by libiscsi's iscsi-perf. scripts/bench.sh prepends the settings (ROUNDS,
# RUNTIME, ...) and the time bound, and turns the exported raw results
# into build/bench/results.md; see Documentation/performance.rst.
#
# Per job the guest records, besides fio's JSON, the deltas of /proc/stat
# (busy and total CPU ticks, context switches) and of the disk's sector
# counters over the whole job, so the host can compute CPU time and
# context switches per I/O.
. /kitt/lib.sh

: "${ROUNDS:=5}"		# interleaved rounds
: "${RUNTIME:=8}"		# seconds measured per job
: "${RAMP:=2}"			# seconds of warm-up per job, not measured
FIO_JOBS="qd1-randread qd1-randwrite qd4-randrw qd32-randread qd32-randwrite qd32-randrw seq-read seq-write sess4-randrw"
: "${JOBS:=$FIO_JOBS perf-randread}"
: "${DIGEST_JOBS=$FIO_JOBS}"
: "${BRD_JOBS=qd32-randwrite seq-read seq-write}"
: "${BACKENDS:=null brd}"	# null: null_blk, brd: RAM disk (keeps data)
: "${CEILING:=1}"		# 1: fio on the raw backing devices once
: "${BRD_MB:=512}"
: "${NULL_GB:=4}"
: "${KITT_PARAMS:=}"		# kitt's module parameters (A/B runs)

OUT=/tmp/bench
KIQN=$KITT_IQN_BASE:bench-kitt
LIQN=$KITT_IQN_BASE:bench-lio
KPORTAL=127.0.0.1:3260
LPORTAL=127.0.0.1:3261
FIO_TIMEOUT=$((RUNTIME + RAMP + 90))

# The session settings both targets offer (and the initiator asks for).
MRDSL=262144
MBL=262144
FBL=65536
IMMEDIATE=Yes
INITIAL_R2T=No
CMDSN_DEPTH=128

mkdir -p "$OUT"
CSV=$OUT/results.csv
echo "round backend digest target job tool bs ios busy_ticks total_ticks ctxt wall_cs rc" \
     "result t_start t_end" > "$CSV"

has_job() { case " $2 " in *" $1 "*) return 0 ;; esac; return 1; }

# job_spec JOB: TOOL (fio|perf), BS (bytes), RW, QD, MIX, SESS (sessions,
# each to a target of its own mapping the same device, QD each) for one job.
job_spec()
{
	MIX= SESS=1
	case "$1" in
	qd1-randread)	TOOL=fio BS=4096 RW=randread QD=1 ;;
	qd1-randwrite)	TOOL=fio BS=4096 RW=randwrite QD=1 ;;
	qd4-randrw)	TOOL=fio BS=4096 RW=randrw QD=4 MIX=70 ;;
	sess4-randrw)	TOOL=fio BS=4096 RW=randrw QD=32 MIX=70 SESS=4 ;;
	qd32-randread)	TOOL=fio BS=4096 RW=randread QD=32 ;;
	qd32-randwrite)	TOOL=fio BS=4096 RW=randwrite QD=32 ;;
	qd32-randrw)	TOOL=fio BS=4096 RW=randrw QD=32 MIX=70 ;;
	seq-read)	TOOL=fio BS=131072 RW=read QD=8 ;;
	seq-write)	TOOL=fio BS=131072 RW=write QD=8 ;;
	perf-randread)	TOOL=perf BS=4096 RW=randread QD=32 ;;
	perf-seqread)	TOOL=perf BS=131072 RW=read QD=8 ;;
	*)		return 1 ;;
	esac
}

# snap DEVS: "busy total ctxt sectors uptime_cs epoch" now; DEVS is "-", a
# disk, or disks joined by ":" (their sectors summed). The epoch (the
# guest's clock is the host's) lets the host match a job with its own load
# at the time.
snap()
{
	local sect=0 up d

	if [ "$1" != - ]; then
		for d in ${1//:/ }; do
			sect=$((sect + $(awk '{ print $3 + $7 }' "/sys/block/${d#/dev/}/stat")))
		done
	fi
	up=$(awk '{ printf "%d", $1 * 100 }' /proc/uptime)
	awk -v sect="$sect" -v up="$up" -v now="$(date +%s)" '
		/^cpu / { busy = $2 + $3 + $4 + $7 + $8 + $9; total = busy + $5 + $6 }
		/^ctxt/ { ctxt = $2 }
		END { print busy, total, ctxt, sect, up, now }' /proc/stat
}

# record ROUND BACKEND DIGEST TARGET JOB BEFORE AFTER RC RESULTFILE [IOS]:
# one line of results.csv. I/Os come from the disk's sector counter (a
# request split by the block layer still counts once) unless given.
record()
{
	local b a ios=${10:-}

	read -ra b <<< "$6"
	read -ra a <<< "$7"

	[ -n "$ios" ] || ios=$(( (a[3] - b[3]) * 512 / BS ))
	echo "$1 $2 $3 $4 $5 $TOOL $BS $ios $((a[0] - b[0])) $((a[1] - b[1])) $((a[2] - b[2]))" \
	     "$((a[4] - b[4])) $8 $9 ${b[5]} ${a[5]}" >> "$CSV"
}

# run_fio ROUND BACKEND DIGEST TARGET JOB DEVS (disks joined by ":", one
# fio job of QD each, reported as one group)
run_fio()
{
	local f=$OUT/$1-$2-$3-$4-$5.json before after rc d per=()

	job_spec "$5" || { fail "unknown job $5"; return; }
	for d in ${6//:/ }; do
		per+=(--name="$5" --filename="$d")
	done
	before=$(snap "$6")
	timeout -s KILL $FIO_TIMEOUT fio --ioengine=libaio --group_reporting \
		--direct=1 --time_based --runtime="$RUNTIME" --ramp_time="$RAMP" \
		--bs="$BS" --rw="$RW" --iodepth="$QD" ${MIX:+--rwmixread=$MIX} \
		${FIO_CPUS:+"--cpus_allowed=$FIO_CPUS"} --randrepeat=0 --norandommap --eta=never --output-format=json --output="$f" \
		"${per[@]}"
	rc=$?
	after=$(snap "$6")
	record "$1" "$2" "$3" "$4" "$5" "$before" "$after" $rc "$(basename "$f")"
	[ $rc -eq 0 ] || fail "round $1 $2 $3 $4 $5: fio exit $rc"
	progress "$@"
}

# run_perf ROUND BACKEND DIGEST TARGET JOB URL SECTOR
run_perf()
{
	local f=$OUT/$1-$2-$3-$4-$5.txt before after rc iops rnd=

	job_spec "$5" || { fail "unknown job $5"; return; }
	[ "$RW" = randread ] && rnd=-r
	before=$(snap -)
	timeout -s KILL $FIO_TIMEOUT iscsi-perf -t $((RUNTIME + RAMP)) -m "$QD" \
		-b $((BS / $7)) $rnd "$6" > "$f" 2>&1
	rc=$?
	after=$(snap -)
	iops=$(tr '\r' '\n' < "$f" | sed -n 's/^iops average \([0-9]*\).*/\1/p' | tail -1)
	[ -n "$iops" ] || { iops=0; [ $rc -eq 0 ] && rc=1; }
	record "$1" "$2" "$3" "$4" "$5" "$before" "$after" $rc "$(basename "$f")" \
	       $((iops * (RUNTIME + RAMP)))
	[ $rc -eq 0 ] || { fail "round $1 $2 $4 $5: iscsi-perf exit $rc"; tail -5 "$f"; }
	progress "$@"
}

# progress: a line per job from the last results.csv line (rates over the
# whole job, ramp included; the report takes fio's own figures).
progress()
{
	tail -1 "$CSV" | awk '{
		secs = $12 / 100; if (secs <= 0) secs = 1
		printf "  r%s %-4s %-6s %-4s %-15s ", $1, $2, $3, $4, $5
		if ($8 == 0)
			printf "(the device keeps no I/O statistics) rc=%s\n", $13
		else
			printf "%8.0f IO/s %7.1f MB/s %7.0f us/IO %5.2f cs/IO rc=%s\n",
				$8 / secs, $8 * $7 / secs / 1e6, $9 * 10000 / $8, $11 / $8, $13 }'
}

# ---- targets ------------------------------------------------------------------

# kitt_target IQN [PORTAL]: a target with LUN 0 on device bench0 and the
# settings both targets offer, on PORTAL [$KPORTAL]
kitt_target()
{
	kitt_target_create "$1" 1 &&
	kitt_lun_add "$1" 1 0 bench0 &&
	kitt_tpg_open "$1" 1 &&
	kitt_tpg_attr "$1" 1 cmdsn_depth $CMDSN_DEPTH &&
	kitt_tpg_param "$1" 1 MaxRecvDataSegmentLength $MRDSL &&
	kitt_tpg_param "$1" 1 MaxBurstLength $MBL &&
	kitt_tpg_param "$1" 1 FirstBurstLength $FBL &&
	kitt_tpg_param "$1" 1 ImmediateData $IMMEDIATE &&
	kitt_tpg_param "$1" 1 InitialR2T $INITIAL_R2T &&
	kitt_tpg_param "$1" 1 HeaderDigest CRC32C,None &&
	kitt_tpg_param "$1" 1 DataDigest CRC32C,None &&
	kitt_portal_add "$1" 1 "${2:-$KPORTAL}" &&
	kitt_tpg_enable "$1" 1 && [ -d "$KITT_CFS/targets/$1/tpgt_1" ]
}

kitt_setup() { kitt_dev_create bench0 "$1" && kitt_target "$KIQN"; }

# lio_target IQN: the same for LIO, LUN 0 on iblock_0/bench0, on $LPORTAL
lio_target()
{
	local tpg=$LIO_CFS/iscsi/$1/tpgt_1

	mkdir -p "$tpg/lun/lun_0" &&
	ln -s "$LIO_CFS/core/iblock_0/bench0" "$tpg/lun/lun_0/bench0" &&
	echo 1 > "$tpg/attrib/generate_node_acls" &&
	echo 0 > "$tpg/attrib/demo_mode_write_protect" &&
	echo 0 > "$tpg/attrib/authentication" &&
	echo 1 > "$tpg/attrib/cache_dynamic_acls" &&
	echo $CMDSN_DEPTH > "$tpg/attrib/default_cmdsn_depth" &&
	echo $MRDSL > "$tpg/param/MaxRecvDataSegmentLength" &&
	echo $MRDSL > "$tpg/param/MaxXmitDataSegmentLength" &&
	echo $MBL > "$tpg/param/MaxBurstLength" &&
	echo $FBL > "$tpg/param/FirstBurstLength" &&
	echo $IMMEDIATE > "$tpg/param/ImmediateData" &&
	echo $INITIAL_R2T > "$tpg/param/InitialR2T" &&
	echo CRC32C,None > "$tpg/param/HeaderDigest" &&
	echo CRC32C,None > "$tpg/param/DataDigest" &&
	mkdir "$tpg/np/$LPORTAL" &&
	echo 1 > "$tpg/enable"
}

lio_setup()
{
	local dev=$LIO_CFS/core/iblock_0/bench0

	mkdir -p "$dev" &&
	echo "udev_path=$1" > "$dev/control" &&
	echo 1 > "$dev/enable" &&
	lio_target "$LIQN"
}

# extra_targets kitt|lio N: targets <iqn>-s2 .. -sN, each with LUN 0 on the
# device the first one serves, on the same portal (the multi-session job).
extra_targets()
{
	local i iqn

	for i in $(seq 2 "$2"); do
		iqn=$(iqn_of "$1")-s$i
		if [ "$1" = kitt ]; then
			[ -d "$KITT_CFS/targets/$iqn" ] || kitt_target "$iqn" || return 1
		elif [ -n "${BASELINE:-}" ]; then
			[ -d "$KITT_CFS/targets/$iqn" ] || kitt_target "$iqn" "$LPORTAL" || return 1
		else
			[ -d "$LIO_CFS/iscsi/$iqn" ] || lio_target "$iqn" || return 1
		fi
	done
}

# extra_disks kitt|lio N DIGEST: log in to the extra targets; prints
# their disks joined by ":".
extra_disks()
{
	local i iqn portal disk out=

	portal=$(portal_of "$1")
	for i in $(seq 2 "$2"); do
		iqn=$(iqn_of "$1")-s$i
		node_prepare "$iqn" "$portal" "$3" || return 1
		iscsiadm -m node -T "$iqn" -p "$portal" -l >/dev/null || return 1
		disk=$(iscsi_wait_disk "$iqn" 30) || return 1
		echo none > "/sys/block/${disk#/dev/}/queue/scheduler" || return 1
		out+=":$disk"
	done
	echo "$out"
}

extra_logout()
{
	local i

	for i in $(seq 2 "$2"); do
		iscsi_logout "$(iqn_of "$1")-s$i" >/dev/null
	done
}

# kitt_out: unload kitt, whichever build is loaded. Its connection
# threads may still hold the module for a moment after a logout.
kitt_out()
{
	kitt_teardown
	grep -q '^kitt ' /proc/modules || return 0
	wait_for 20 kitt_unload
}

# has_params PARAM=VALUE...: the loaded kitt knows every parameter (a
# module ignores, with a warning, one it does not have).
has_params()
{
	local w

	for w in "$@"; do
		[ -e "/sys/module/kitt/parameters/${w%%=*}" ] ||
			{ log "kitt has no parameter ${w%%=*}"; return 1; }
	done
}

# A/B mode (BASELINE, scripts/bench.sh's BASE): in LIO's place, kitt from
# /kitt/kitt-base.ko (or the tree's own) with BASE_PARAMS, swapped in for
# its block and out again after it, on LIO's name and portal.
# shellcheck disable=SC2086 # *_PARAMS: words, PARAM=VALUE each
base_setup()
{
	local ko=/kitt/kitt-base.ko

	[ -f $ko ] || ko=$KITT_KO
	kitt_out && insmod $ko ${BASE_PARAMS-${KITT_PARAMS:-}} &&
	has_params ${BASE_PARAMS-${KITT_PARAMS:-}} &&
	kitt_dev_create bench0 "$1" && kitt_target "$LIQN" "$LPORTAL"
}
# After the baseline's block, whatever happened in it, the tree's kitt
# must be back: otherwise the next "kitt" block would measure the wrong
# module.
# shellcheck disable=SC2086
base_teardown()
{
	if ! kitt_out || ! kitt_load ${KITT_PARAMS:-}; then
		die "A/B: cannot load the tree's kitt again"
	fi
	if [ -e /sys/module/kitt/srcversion ]; then
		[ "$(cat /sys/module/kitt/srcversion)" = "$(modinfo -F srcversion kitt)" ] ||
			die "A/B: the loaded kitt is not the tree's"
	fi
}

# target_setup kitt|lio BDEV / target_teardown kitt|lio
target_setup()
{
	if [ "$1" = lio ] && [ -n "${BASELINE:-}" ]; then
		base_setup "$2"
	else
		"$1_setup" "$2"
	fi
}
target_teardown()
{
	if [ "$1" = kitt ]; then
		kitt_teardown
	elif [ -n "${BASELINE:-}" ]; then
		base_teardown
	else
		lio_teardown
	fi
}

iqn_of() { if [ "$1" = kitt ]; then echo "$KIQN"; else echo "$LIQN"; fi; }
portal_of() { if [ "$1" = kitt ]; then echo "$KPORTAL"; else echo "$LPORTAL"; fi; }

# node_prepare IQN PORTAL DIGEST: the initiator's node record, same settings
# for both targets.
node_prepare()
{
	local n="iscsiadm -m node -T $1 -p $2" d=None k v

	[ "$3" = crc32c ] && d=CRC32C
	$n >/dev/null 2>&1 || $n -o new >/dev/null || return 1
	while read -r k v; do
		$n -o update -n "$k" -v "$v" || return 1
	done <<-EOT
	node.session.cmds_max 128
	node.session.queue_depth 128
	node.session.iscsi.MaxBurstLength $MBL
	node.session.iscsi.FirstBurstLength $FBL
	node.session.iscsi.ImmediateData $IMMEDIATE
	node.session.iscsi.InitialR2T $INITIAL_R2T
	node.conn[0].iscsi.MaxRecvDataSegmentLength $MRDSL
	node.conn[0].iscsi.HeaderDigest $d
	node.conn[0].iscsi.DataDigest $d
	EOT
}

# session_login TARGET DIGEST: log in; prints the disk.
session_login()
{
	local iqn portal disk

	iqn=$(iqn_of "$1")
	portal=$(portal_of "$1")
	node_prepare "$iqn" "$portal" "$2" || return 1
	iscsiadm -m node -T "$iqn" -p "$portal" -l >/dev/null || return 1
	disk=$(iscsi_wait_disk "$iqn" 30) || return 1
	echo none > "/sys/block/${disk#/dev/}/queue/scheduler" || return 1
	echo "$disk"
}

# session_info TARGET DIGEST DISK: what was negotiated, once per pair.
session_info()
{
	local f=$OUT/session-$1-$2.txt q=/sys/block/${3#/dev/}

	[ -f "$f" ] && return
	{
		iscsiadm -m session -P 2 | sed -n '/Negotiated iSCSI params/,$p'
		echo "scheduler: $(cat "$q/queue/scheduler")"
		echo "queue_depth: $(cat "$q/device/queue_depth")"
		echo "nr_requests: $(cat "$q/queue/nr_requests")"
		echo "max_sectors_kb: $(cat "$q/queue/max_sectors_kb")"
		echo "can_queue: $(cat "$q"/device/../../../scsi_host/*/can_queue 2>/dev/null)"
	} > "$f"
}

session_logout()
{
	iscsi_logout "$(iqn_of "$1")" >/dev/null || return 1
	wait_for 30 sh -c "! iscsiadm -m session >/dev/null 2>&1"
}

# ---- one block: one target on one backing device, all its jobs ----------------

# block ROUND BACKEND TARGET
block()
{
	local r=$1 be=$2 t=$3 bdev jobs dg disk j url ss

	bdev=/dev/nullb0
	[ "$be" = brd ] && bdev=/dev/ram0
	ss=$(blockdev --getss $bdev)
	log "round $r: $t on $bdev"
	target_setup "$t" $bdev || { fail "round $r: $t setup on $bdev"; target_teardown "$t"; return; }
	# Digests on null_blk only: they cost the same on any device.
	for dg in none crc32c; do
		[ "$be" = brd ] && [ $dg = crc32c ] && continue
		jobs=
		for j in $JOBS; do
			[ "$be" = brd ] && ! has_job "$j" "$BRD_JOBS" && continue
			[ "$dg" = crc32c ] && ! has_job "$j" "$DIGEST_JOBS" && continue
			job_spec "$j" || { fail "unknown job $j"; continue; }
			[ "$TOOL" = fio ] && jobs+=" $j"
		done
		if [ -n "$jobs" ]; then
			if disk=$(session_login "$t" $dg); then
				session_info "$t" $dg "$disk"
				for j in $jobs; do
					job_spec "$j"
					if [ "$SESS" -gt 1 ]; then
						if extra_targets "$t" "$SESS" &&
						   more=$(extra_disks "$t" "$SESS" $dg); then
							run_fio "$r" "$be" $dg "$t" "$j" "$disk$more"
						else
							fail "round $r: $t: $SESS sessions for $j"
						fi
						extra_logout "$t" "$SESS"
						continue
					fi
					run_fio "$r" "$be" $dg "$t" "$j" "$disk"
				done
				session_logout "$t" || fail "round $r: $t logout"
			else
				fail "round $r: $t login ($be, digest $dg)"
				iscsi_logout_all
			fi
		fi
		# iscsi-perf: the userspace initiator, no digests.
		[ "$dg" = none ] || continue
		for j in $JOBS; do
			[ "$be" = brd ] && ! has_job "$j" "$BRD_JOBS" && continue
			job_spec "$j" || continue
			[ "$TOOL" = perf ] || continue
			url=iscsi://$(portal_of "$t")/$(iqn_of "$t")/0
			run_perf "$r" "$be" none "$t" "$j" "$url" "$ss"
		done
	done
	target_teardown "$t" || fail "round $r: $t teardown"
}

# ceiling BACKEND: fio on the raw device, the jobs the targets run.
ceiling()
{
	local be=$1 bdev=/dev/nullb0 j

	[ "$be" = brd ] && bdev=/dev/ram0
	log "ceiling: fio on $bdev"
	for j in $JOBS; do
		[ "$be" = brd ] && ! has_job "$j" "$BRD_JOBS" && continue
		job_spec "$j" || continue
		[ "$TOOL" = fio ] && [ "$SESS" = 1 ] || continue
		run_fio 0 "$be" none raw "$j" $bdev
	done
}

# export_round N: this round's raw files to the host (so a later timeout
# still leaves the earlier rounds).
export_round()
{
	(shopt -s nullglob; cd "$OUT" && tar czf "/tmp/bench-r$1.tar.gz" "$1"-* session-*)
	export_file "/tmp/bench-r$1.tar.gz"
	export_file "$CSV" results.csv
	export_file "$OUT/env.txt" env.txt
}

# ---- profile mode (PROFILE=1, `make bench-profile`) -----------------------------

# profile_callers DATA: with PROFILE_CALLERS=1, where the target threads'
# busiest functions were called from (samples taken with interrupts off
# land on the unlock that ends the section: the call chain says whose).
profile_callers()
{
	echo "Call chains in the target's own threads, three frames deep, with the"
	echo "offsets to look up in the module (>= 0.3% of all samples):"
	echo
	perf script -i "$1" -F comm,ip,sym,symoff 2>/dev/null | awk '
		/^[^ \t]/ { comm = $1; n = 0; key = ""; total++; next }
		/^[ \t]/ { if (n < 3) key = key (n ? " < " : "") $2; n++; next }
		/^$/ && comm ~ /^(kitt_[rt]x\/|iscsi_t[rt]x|kworker\/[0-9]+:[0-9]+[-+]tar)/ && key != "" {
			count[comm "  " key]++; key = "" }
		END { for (k in count) if (count[k] * 1000 >= 3 * total)
			printf "%6.2f%%  %s\n", 100 * count[k] / total, k }' |
		sort -rn | head -60
	echo
}

# irq_snap: "NAME total" for the interrupts that cost most under TCG:
# rescheduling and function call IPIs, local timer; and SEG, the TCP
# segments sent (by both ends: initiator and target share the guest).
irq_snap()
{
	awk '$1 ~ /^(RES|CAL|LOC|TLB):$/ {
		t = 0; for (i = 2; i <= NF && $i ~ /^[0-9]+$/; i++) t += $i
		printf "%s %d\n", substr($1, 1, 3), t }' /proc/interrupts
	awk '$1 == "Tcp:" { if (!c) { for (i = 2; i <= NF; i++) if ($i == "OutSegs") c = i }
		else print "SEG", $c }' /proc/net/snmp
}

# thread_snap: "tid comm ticks" for every thread (user + system time).
thread_snap()
{
	cat /proc/[0-9]*/task/[0-9]*/stat 2>/dev/null | awk '{
		c = $0; sub(/^[0-9]+ \(/, "", c); sub(/\) .*/, "", c); gsub(/ /, "_", c)
		r = $0; sub(/.*\) /, "", r); split(r, f, " ")
		print $1, c, f[12] + f[13], f[37] }'
}

# sched_snap: "tid comm field value" for each thread's scheduler counters
# (schedstats, turned on in profile mode): switches, wake-ups by where the
# woken thread ran (on the waker's CPU or another), migrations.
sched_snap()
{
	awk 'FNR == 1 { tid = FILENAME; sub(/\/sched$/, "", tid); sub(/.*\//, "", tid)
			c = $1; sub(/ \(.*/, "", c) }
		$1 ~ /^(nr_switches|nr_voluntary_switches|nr_wakeups|nr_wakeups_sync|nr_wakeups_local|nr_wakeups_remote|nr_wakeups_migrate|nr_wakeups_affine|se.nr_migrations)$/ {
			print tid, c, $1, $3 }' /proc/[0-9]*/task/[0-9]*/sched 2>/dev/null
}

# sched_per_io IOS SNAP0 SNAP1: the counters' growth per I/O, summed over
# threads of one kind (the comm up to its first "/" or digit).
sched_per_io()
{
	awk -v n="$1" 'NR == FNR { v[$1 " " $3] = $4; next }
		{ d = $4 - v[$1 " " $3]; if (d <= 0) next
		  k = $2; sub(/[\/0-9].*/, "", k); s[k, $3] += d; kinds[k] = 1 }
		END {
			printf "| thread | switches | voluntary | wake-ups | sync | on waker CPU | on other CPU | moved on wake | affine | migrations |\n"
			printf "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n"
			for (k in kinds) {
				if (s[k, "nr_switches"] * 20 < n) continue
				printf "| %s | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f |\n", k,
					s[k, "nr_switches"] / n, s[k, "nr_voluntary_switches"] / n,
					s[k, "nr_wakeups"] / n, s[k, "nr_wakeups_sync"] / n,
					s[k, "nr_wakeups_local"] / n, s[k, "nr_wakeups_remote"] / n,
					s[k, "nr_wakeups_migrate"] / n, s[k, "nr_wakeups_affine"] / n,
					s[k, "se.nr_migrations"] / n }
		}' "$2" "$3"
}

# per_io IOS BEFORE AFTER IRQ0 IRQ1 THR0 THR1: CPU, context switches,
# interrupts and TCP segments per I/O, then the threads that used the most
# CPU per I/O.
per_io()
{
	local n=$1 b a

	read -ra b <<< "$2"
	read -ra a <<< "$3"
	echo "$(( (a[0] - b[0]) * 10000 / n )) us CPU," \
	     "$(awk -v n="$n" -v c=$((a[2] - b[2])) 'BEGIN { printf "%.2f", c / n }') context switches," \
	     "$(awk -v n="$n" 'NR == FNR { c[$1] = $2; next }
		{ printf "%s%.2f %s", sep, ($2 - c[$1]) / n, $1; sep = ", " }' "$4" "$5")" \
	     "interrupts and TCP segments;" \
	     "CPU us per I/O by thread: $(awk -v n="$n" 'NR == FNR { t[$1] = $3; next }
		{ d = $3 - t[$1]; if (d > 0) u[$2] += d }
		END { for (c in u) printf "%d %s\n", u[c] * 10000 / n, c }' "$6" "$7" |
		sort -rn | head -8 | awk '{ printf "%s%s %s", sep, $2, $1; sep = ", " }')"
}

# profile_block BACKEND TARGET: for each fio job of $JOBS, sample every CPU
# with perf (cpu-clock, flat) while the job runs; the reports break the
# time down by thread and by thread and function.
profile_block()
{
	local be=$1 t=$2 r=$3 bdev=/dev/nullb0 disk j f pid before after ios a b

	[ "$be" = brd ] && bdev=/dev/ram0
	log "profile: $t on $bdev"
	target_setup "$t" $bdev || { fail "profile: $t setup"; target_teardown "$t"; return; }
	if disk=$(session_login "$t" "$PROFILE_DIGEST"); then
		for j in $JOBS; do
			job_spec "$j" && [ "$TOOL" = fio ] && [ "$SESS" = 1 ] || continue
			f=$OUT/prof-$be-$PROFILE_DIGEST-$j-r$r-$t
			fio --name="$j" --filename="$disk" --ioengine=libaio --direct=1 \
				--time_based --runtime=$((2 * RUNTIME + RAMP)) --bs="$BS" --rw="$RW" \
				--iodepth="$QD" ${MIX:+--rwmixread=$MIX} --randrepeat=0 \
				${FIO_CPUS:+"--cpus_allowed=$FIO_CPUS"} \
				--norandommap --eta=never --output-format=json \
				--output="$f.json" &
			pid=$!
			sleep "$RAMP"
			# First window: counters only (perf's own timer changes how
			# often idle vCPUs halt and wake); second: perf samples.
			irq_snap > "$f.irq0"; thread_snap > "$f.thr0"; sched_snap > "$f.sch0"
			before=$(snap "${disk#/dev/}")
			sleep "$RUNTIME"
			after=$(snap "${disk#/dev/}")
			irq_snap > "$f.irq1"; thread_snap > "$f.thr1"; sched_snap > "$f.sch1"
			perf record -q -a -F 1000 -e cpu-clock ${callers:+-g} -o "$f.data" \
				-- sleep "$RUNTIME" \
				2>/dev/null || fail "profile: perf record $t $j"
			wait $pid || fail "profile: fio $t $j"
			read -ra b <<< "$before"
			read -ra a <<< "$after"
			ios=$(( (a[3] - b[3]) * 512 / BS ))
			[ "$ios" -gt 0 ] || ios=1
			{
				echo "### $t, $j ($be, digests $PROFILE_DIGEST, login $r)"
				echo
				echo "fio (both windows): $(awk -F'[:,]' '/"iops"/ && $2 > 0 {
					printf "%.0f IOPS ", $2 }' "$f.json")," \
				     "$((ios / RUNTIME)) IOPS without perf"
				echo
				echo "Per I/O without perf: $(per_io "$ios" "$before" "$after" \
					"$f.irq0" "$f.irq1" "$f.thr0" "$f.thr1")"
				echo
				echo "Last CPU of the busiest threads: $(awk 'NR == FNR { t[$1] = $3; next }
					{ d = $3 - t[$1]; if (d > 0) print d, $2, $4 }' "$f.thr0" "$f.thr1" |
					sort -rn | head -8 | awk '{ printf "%s%s on %s", sep, $2, $3; sep = ", " }')"
				echo
				echo "Scheduler counters per I/O without perf, by kind of thread:"
				echo
				sched_per_io "$ios" "$f.sch0" "$f.sch1"
				echo
				echo "By thread (% of all samples on both vCPUs):"
				echo
				perf report -i "$f.data" --stdio --no-children --sort comm -q \
					--percent-limit 1 2>/dev/null | sed '/^$/d' | head -25
				echo
				echo "By thread and function (>= 0.5%):"
				echo
				perf report -i "$f.data" --stdio --no-children --sort comm,dso,sym -q \
					--percent-limit 0.5 2>/dev/null | sed '/^$/d' | head -60
				echo
				echo "The target's own threads, by function (>= 0.1%):"
				echo
				perf report -i "$f.data" --stdio --no-children --sort comm,sym -q \
					--percent-limit 0.1 2>/dev/null |
					grep -E ' (kitt_[rt]x/|iscsi_t[rt]x|kworker/[0-9]+:[0-9]+[-+]tar)' |
					head -60
				echo
				[ -z "$callers" ] || profile_callers "$f.data"
			} > "$f.txt"
			rm -f "$f.data" "$f".irq? "$f".thr? "$f".sch?
			export_file "$f.txt"
		done
		session_logout "$t" || fail "profile: $t logout"
	else
		fail "profile: $t login"
		iscsi_logout_all
	fi
	target_teardown "$t" || fail "profile: $t teardown"
}

# ---- main -----------------------------------------------------------------------

{
	echo "kernel $(uname -r)"
	echo "cpus $(nproc)"
	echo "mem_kb $(awk '/MemTotal/ { print $2 }' /proc/meminfo)"
	echo "rounds $ROUNDS runtime $RUNTIME ramp $RAMP"
	echo "jobs $JOBS"
	echo "digest_jobs $DIGEST_JOBS"
	echo "brd_jobs $BRD_JOBS"
	echo "backends $BACKENDS"
	echo "settings MaxRecvDataSegmentLength=$MRDSL MaxBurstLength=$MBL" \
	     "FirstBurstLength=$FBL ImmediateData=$IMMEDIATE InitialR2T=$INITIAL_R2T" \
	     "cmdsn_depth=$CMDSN_DEPTH cmds_max=128 queue_depth=128"
	echo "kitt module parameters: ${KITT_PARAMS:-defaults}"
	echo "fio_cpus ${FIO_CPUS:-any}"
	[ -z "${BASELINE:-}" ] || echo "baseline ${BASELINE:-}"
	echo "fio $(fio --version)"
	grep -m1 'model name' /proc/cpuinfo
} > "$OUT/env.txt"
cat "$OUT/env.txt"

# Every crc32c the CPU can run, before kitt and LIO take theirs (and
# before libcrc32c, which kitt loads, picks one for good).
modprobe crc32c_generic 2>/dev/null
modprobe crc32c_intel 2>/dev/null
# shellcheck disable=SC2086 # KITT_PARAMS: words, PARAM=VALUE each
kitt_test_setup ${KITT_PARAMS:-}
must modprobe target_core_iblock
must modprobe iscsi_target_mod
cleanup_add "lio_teardown"
must null_blk_load "$NULL_GB"
must brd_load "$BRD_MB"
must initiator_setup
for d in nullb0 ram0; do
	echo none > /sys/block/$d/queue/scheduler 2>/dev/null
done
echo "null_blk $(cd /sys/module/null_blk/parameters &&
	for p in queue_mode irqmode hw_queue_depth; do
		printf '%s=%s ' $p "$(cat $p)"
	done)" >> "$OUT/env.txt"
# The crc32c implementations the digests may use, best first.
echo "crc32c $(awk '/^name/ { n = $3 } /^driver/ { d = $3 } /^priority/ && n == "crc32c" {
	print $3, d }' /proc/crypto | sort -rn | awk '{ printf "%s ", $2 }')" >> "$OUT/env.txt"

if [ "${PROFILE:-0}" = 1 ]; then
	command -v perf >/dev/null || die "perf is not in the initramfs: run scripts/deps.sh"
	echo 0 > /proc/sys/kernel/kptr_restrict
	echo -1 > /proc/sys/kernel/perf_event_paranoid
	echo 1 > /proc/sys/kernel/sched_schedstats
	: "${PROFILE_DIGEST:=none}"
	callers=
	[ "${PROFILE_CALLERS:-0}" = 1 ] && callers=1
	for r in $(seq "${PROFILE_ROUNDS:-1}"); do
		for be in $BACKENDS; do
			for t in kitt lio; do
				profile_block "$be" "$t" "$r"
			done
		done
	done
	exit 0
fi

if has_job brd "$BACKENDS"; then
	log "filling /dev/ram0 ($BRD_MB MB)"
	fio --name=fill --filename=/dev/ram0 --rw=write --bs=1M --iodepth=4 \
		--ioengine=libaio --direct=1 --eta=never --output=/dev/null ||
		fail "filling /dev/ram0"
fi

if [ "$CEILING" = 1 ]; then
	for be in $BACKENDS; do
		ceiling "$be"
	done
	export_round 0
fi

for r in $(seq 1 "$ROUNDS"); do
	# The first target alternates, so drift weighs on both alike.
	order="kitt lio"
	[ $((r % 2)) -eq 0 ] && order="lio kitt"
	for be in $BACKENDS; do
		for t in $order; do
			block "$r" "$be" "$t"
		done
	done
	export_round "$r"
done
dmesg | grep -E "kitt|iSCSI|iscsi|connection" | tail -40
