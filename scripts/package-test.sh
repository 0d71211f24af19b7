#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The Debian packages, installed the way an administrator would (as root,
# on the host; the host's own kernel is never loaded into):
#
#   1. make-deb.sh builds kitt-dkms and kittctl;
#   2. apt installs both .debs (pulling in dkms);
#   3. `dkms install` for Debian's 6.1 and 6.12 kernels, explicitly
#      (Debian's dkms builds on its own only for the running kernel and
#      the newest one), and kitt.ko is there for each, of the right
#      version and vermagic;
#   4. a guest of each kernel boots the DKMS-built kitt.ko and runs the
#      service test with the packaged kittctl and kitt.service;
#   5. apt purges both packages, and nothing of them is left.
#
# Prints "PASS|FAIL package:<step>" lines, like scripts/check.sh's
# results ("FAIL package:root" when not run as root); exits non-zero if
# any failed.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

nfail=0
result() { echo "$1 package:$2${3:+: $3}"; [ "$1" = PASS ] || nfail=$((nfail + 1)); }

# Not as root: a failed step, counted by check.sh like any other.
if [ "$(id -u)" != 0 ]; then
	result FAIL root "package-test.sh installs packages with apt: run it (make check) as root"
	exit 1
fi

VERSION=$(sed -n 's/^#define KITT_VERSION[[:space:]]*"\(.*\)"/\1/p' "$KITT_ROOT/drivers/kitt/kitt.h")
K61=$(kver_pick 6.1)
K612=$(kver_pick 6.12)

# Leftovers of an earlier run would hide what this one installs.
DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq kitt-dkms kittctl >/dev/null 2>&1

if debs=$("$KITT_ROOT/scripts/make-deb.sh"); then
	result PASS build
else
	result FAIL build "scripts/make-deb.sh failed"
	exit 1
fi

log=$KITT_LOGS/package-install.log
mkdir -p "$KITT_LOGS"
# shellcheck disable=SC2086 # two paths, no spaces
if DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $debs \
		> "$log" 2>&1; then
	result PASS install
else
	tail -20 "$log"
	result FAIL install "apt-get install failed (log: ${log#"$KITT_ROOT"/})"
	exit 1
fi
for f in /usr/sbin/kittctl /usr/share/man/man8/kittctl.8.gz /lib/systemd/system/kitt.service \
	 /usr/share/bash-completion/completions/kittctl "/usr/src/kitt-$VERSION/dkms.conf"; do
	[ -e "$f" ] || result FAIL files "$f missing"
done
[ "$(/usr/sbin/kittctl --version)" = "kittctl $VERSION" ] &&
	result PASS kittctl-version || result FAIL kittctl-version "$(/usr/sbin/kittctl --version)"
# Installed, not enabled: loading a module at install time is the
# administrator's call.
if [ -e /etc/systemd/system/multi-user.target.wants/kitt.service ]; then
	result FAIL not-enabled "kitt.service was enabled by the install"
else
	result PASS not-enabled
fi

# kitt.ko of KVER, as DKMS installed it (kitt.ko or kitt.ko.xz).
dkms_ko() { ls "/lib/modules/$1/updates/dkms/"kitt.ko* 2>/dev/null | head -1; }

for k in "$K61" "$K612"; do
	if ! dkms install "kitt/$VERSION" -k "$k" >> "$log" 2>&1; then
		# (readelf's warnings about .comment go to the log too)
		result FAIL "dkms:$k" "dkms install failed (log: ${log#"$KITT_ROOT"/})"
		continue
	fi
	ko=$(dkms_ko "$k")
	if [ -z "$ko" ]; then
		result FAIL "dkms:$k" "no kitt.ko in /lib/modules/$k/updates/dkms"
		continue
	fi
	v=$(modinfo -F version "$ko")
	magic=$(modinfo -F vermagic "$ko" | cut -d' ' -f1)
	if [ "$v" = "$VERSION" ] && [ "$magic" = "$k" ] &&
	   dkms status "kitt/$VERSION" -k "$k" 2>/dev/null | grep -q ': installed'; then
		result PASS "dkms:$k"
	else
		result FAIL "dkms:$k" "version '$v', vermagic '$magic'"
	fi
done

# The DKMS-built module and the packaged tool and unit, in a guest.
for k in 6.1 6.12; do
	kv=$(kver_pick $k)
	ko=$(dkms_ko "$kv")
	[ -n "$ko" ] || { result FAIL "guest:$k" "no DKMS-built kitt.ko"; continue; }
	out=$(KITT_KO_PREBUILT=$ko KITT_KITTCTL=/usr/sbin/kittctl \
	      KITT_UNIT=/lib/systemd/system/kitt.service \
	      "$KITT_ROOT/scripts/qemu-run.sh" -q -k "$k" service 2>&1)
	if grep -q '^PASS ' <<< "$out"; then
		result PASS "guest:$k"
	else
		# What went wrong, where make check shows it too.
		run=$KITT_LOGS/$kv/service
		{
			echo "$out"
			echo "--- kernel log findings:"
			head -20 "$run/findings.log" 2>/dev/null
			echo "--- end of the console:"
			tail -15 "$run/console.log" 2>/dev/null
			echo "--- free space:"
			df -h "$KITT_BUILD" | tail -1
		} | sed 's/^/  | /'
		result FAIL "guest:$k" "service test with the DKMS module"
	fi
done

if DEBIAN_FRONTEND=noninteractive apt-get purge -y kitt-dkms kittctl >> "$log" 2>&1; then
	left=$(ls -d /usr/src/kitt-* /var/lib/dkms/kitt /lib/modules/*/updates/dkms/kitt.ko* \
		   /usr/sbin/kittctl /lib/systemd/system/kitt.service \
		   /usr/share/bash-completion/completions/kittctl 2>/dev/null)
	if [ -z "$left" ]; then
		result PASS purge
	else
		result FAIL purge "left behind: $(echo $left)"
	fi
else
	result FAIL purge "apt-get purge failed (log: ${log#"$KITT_ROOT"/})"
fi
exit $((nfail > 0))
