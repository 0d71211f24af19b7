#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# scripts/deps.sh's choice of the bookworm-backports source, on the host,
# without network and without touching the machine's apt configuration:
# each case is a temporary apt tree (etc/apt/sources.list, sources.list.d,
# empty lists) that apt reads through its own APT_CONFIG, and deps.sh runs
# with KITT_DEPS_DRY_RUN=1, printing what it would write or remove. What
# it would write is then put in the tree and read back by apt-get
# indextargets, as apt-get update would, and deps.sh run again.
#
#   scripts/deps-test.sh
#
# Prints "PASS deps:<case>" or "FAIL deps:<case>: why" per case; exits
# non-zero when one failed. Runs in scripts/check.sh.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
nfail=0

pass() { echo "PASS deps:$1"; }
fail() { echo "FAIL deps:$1: $2"; nfail=$((nfail + 1)); }

# fixture NAME: a fresh, empty apt tree in $R, its configuration in $R/apt.conf.
fixture()
{
	R=$tmp/$1
	mkdir -p "$R/etc/apt/sources.list.d" "$R/etc/apt/apt.conf.d" \
		"$R/etc/apt/preferences.d" "$R/var/lib/apt/lists/partial" \
		"$R/var/cache/apt/archives/partial" "$R/var/lib/dpkg"
	: > "$R/var/lib/dpkg/status"
	printf 'Dir "%s/";\n' "$R" > "$R/apt.conf"
	SL=$R/etc/apt/sources.list
	SD=$R/etc/apt/sources.list.d
	OURS=$SD/kitt-backports.sources
}

# deps: deps.sh's dry run on the tree; output in $out, status in $rc.
deps()
{
	out=$(APT_CONFIG=$R/apt.conf KITT_DEPS_DRY_RUN=1 bash "$KITT_ROOT/scripts/deps.sh" 2>&1)
	rc=$?
}

# targets: "suite uri arch" of every Packages target apt reads from the
# tree; apt_said: its warnings and errors then (a target configured twice...).
targets()
{
	APT_CONFIG=$R/apt.conf apt-get indextargets --no-release-info \
		--format '$(RELEASE) $(REPO_URI) $(ARCHITECTURE)' 'Identifier: Packages' \
		2>"$tmp/apt.err" | sort -u
}
apt_said() { tr '\n' ' ' < "$tmp/apt.err"; }

# apply: do what the dry run said, in the tree (only inside it).
apply()
{
	local f

	f=$(sed -n 's/^deps: would write \(.*\) (from .*):$/\1/p' <<<"$out")
	if [ -n "$f" ]; then
		[ "$f" = "$OURS" ] || { echo "writes $f, not $OURS"; return 1; }
		awk 'p; /^deps: would write /{ p = 1 }' <<<"$out" > "$f"
	fi
	f=$(sed -n 's/^deps: would remove \(.*\) (.*$/\1/p' <<<"$out")
	if [ -n "$f" ]; then
		[ "$f" = "$OURS" ] || { echo "removes $f, not $OURS"; return 1; }
		rm -f "$f"
	fi
	return 0
}

# check_added CASE MIRROR FIELD...: deps.sh writes our file on MIRROR with
# exactly the option fields FIELD... ("Name: value"); apt reads the result
# without a warning, lists bookworm-backports on MIRROR for the same
# architectures as bookworm, and a second run adds nothing.
check_added()
{
	local c=$1 mirror=$2 want got err t
	shift 2

	deps
	[ $rc -eq 0 ] || { fail "$c" "deps.sh exit $rc: $out"; return; }
	grep -q '^deps: would write ' <<<"$out" || { fail "$c" "writes nothing: $out"; return; }
	want=$(printf 'Types: deb\nURIs: %s\nSuites: bookworm-backports\nComponents: main\n' "$mirror"
	       [ $# -gt 0 ] && printf '%s\n' "$@")
	got=$(awk 'p; /^deps: would write /{ p = 1 }' <<<"$out")
	if [ "$got" != "$want" ]; then
		fail "$c" "writes [$(echo $got)], not [$(echo $want)]"
		return
	fi
	err=$(apply) || { fail "$c" "$err"; return; }
	t=$(targets)
	[ -z "$(apt_said)" ] || { fail "$c" "apt: $(apt_said)"; return; }
	if [ "$(awk '$1 == "bookworm-backports" { print $2, $3 }' <<<"$t")" != \
	     "$(awk '$1 == "bookworm" { print $2, $3 }' <<<"$t")" ]; then
		fail "$c" "apt lists backports not as bookworm: $(echo $t)"
		return
	fi
	deps
	if [ $rc -ne 0 ] || ! grep -q '^deps: nothing to add' <<<"$out"; then
		fail "$c" "second run: exit $rc: $out"
		return
	fi
	pass "$c"
}

# check_nothing CASE: backports is configured already: deps.sh adds and
# removes nothing, and apt reads the tree without a duplicate.
check_nothing()
{
	local c=$1

	deps
	if [ $rc -ne 0 ] || ! grep -q '^deps: nothing to add (bookworm-backports is in ' <<<"$out" ||
	   grep -q '^deps: would ' <<<"$out"; then
		fail "$c" "exit $rc: $out"
		return
	fi
	targets >/dev/null
	[ -z "$(apt_said)" ] || { fail "$c" "apt: $(apt_said)"; return; }
	pass "$c"
}

MIRROR=http://mirror.example.lan/debian

# A one-line sources.list on a local mirror signed with its own key.
fixture oneline
cat > "$SL" <<EOF
# the local mirror
deb [signed-by=/etc/apt/keyrings/mirror.gpg] $MIRROR bookworm main contrib
deb [signed-by=/etc/apt/keyrings/mirror.gpg] $MIRROR bookworm-updates main
deb-src [signed-by=/etc/apt/keyrings/mirror.gpg] $MIRROR bookworm main
EOF
check_added oneline "$MIRROR" "Signed-By: /etc/apt/keyrings/mirror.gpg"

# The same in deb822, bookworm in the second stanza (after a comment
# paragraph and a stanza with another key): that stanza's options.
fixture deb822
cat > "$SD/debian.sources" <<EOF
# Local mirrors.

Types: deb
URIs: http://security.example.lan/debian-security
Suites: bookworm-security
Components: main
Signed-By: /etc/apt/keyrings/security.gpg

Types: deb deb-src
URIs: $MIRROR
# bookworm and its updates
Suites: bookworm bookworm-updates
Components: main
Architectures: amd64 i386
Signed-By: /etc/apt/keyrings/mirror.gpg
EOF
check_added deb822 "$MIRROR" "Architectures: amd64 i386" \
	"Signed-By: /etc/apt/keyrings/mirror.gpg"

# One-line options other than Signed-By, on a caching proxy.
fixture options
cat > "$SD/mirror.list" <<EOF
deb [ trusted=yes arch=amd64,i386 ] http://proxy.example.lan:3142/debian bookworm main
EOF
check_added options http://proxy.example.lan:3142/debian \
	"Trusted: yes" "Architectures: amd64 i386"

# A key embedded in the deb822 stanza, continuation lines and all.
fixture deb822-key
cat > "$SD/debian.sources" <<EOF
Types: deb
URIs: $MIRROR
Suites: bookworm
Components: main
Signed-By:
 -----BEGIN PGP PUBLIC KEY BLOCK-----
 .
 bWlycm9yIGtleQ==
 -----END PGP PUBLIC KEY BLOCK-----
EOF
check_added deb822-key "$MIRROR" "Signed-By:" \
	" -----BEGIN PGP PUBLIC KEY BLOCK-----" " ." " bWlycm9yIGtleQ==" \
	" -----END PGP PUBLIC KEY BLOCK-----"

# Backports already configured, one-line.
fixture configured-oneline
cat > "$SL" <<EOF
deb $MIRROR bookworm main
deb $MIRROR bookworm-backports main
EOF
check_nothing configured-oneline

# Backports already configured, deb822, on another mirror.
fixture configured-deb822
cat > "$SD/debian.sources" <<EOF
Types: deb
URIs: $MIRROR
Suites: bookworm bookworm-updates
Components: main

Types: deb
URIs: http://backports.example.lan/debian
Suites: bookworm-backports
Components: main
EOF
check_nothing configured-deb822

# Ours from an earlier run, and backports configured since by the
# administrator: apt warns about the duplicate until ours is removed.
fixture stale
cat > "$SD/debian.sources" <<EOF
Types: deb
URIs: $MIRROR
Suites: bookworm bookworm-backports
Components: main
EOF
printf 'Types: deb\nURIs: %s\nSuites: bookworm-backports\nComponents: main\n' "$MIRROR" > "$OURS"
deps
if [ $rc -ne 0 ] || ! grep -q "^deps: would remove $OURS " <<<"$out"; then
	fail stale "exit $rc: $out"
elif ! { targets >/dev/null; apt_said | grep -q 'configured multiple times'; }; then
	fail stale "no duplicate to begin with: $(apt_said)"
elif ! err=$(apply); then
	fail stale "$err"
elif targets >/dev/null; [ -n "$(apt_said)" ]; then
	fail stale "apt: $(apt_said)"
else
	check_nothing stale
fi

# No bookworm at all: an error, nothing written.
fixture no-bookworm
echo "deb $MIRROR trixie main" > "$SL"
deps
if [ $rc -eq 0 ] || ! grep -q "no source for bookworm" <<<"$out" || [ -e "$OURS" ]; then
	fail no-bookworm "exit $rc: $out"
else
	pass no-bookworm
fi

# No archive address in the repository: the machine's configuration is
# the only one.
found=$(grep -rIlE --exclude-dir=.git --exclude-dir=build \
	'(deb|ftp|ftp[0-9]*\.[a-z][a-z]|security|snapshot|httpredir|archive|incoming)\.debian\.(org|net)|(cdn|http)\.debian\.net|debian\.map\.fastly\.net' \
	"$KITT_ROOT" | sed "s|^$KITT_ROOT/||")
if [ -n "$found" ]; then
	fail no-archive-address "$(echo $found)"
else
	pass no-archive-address
fi

[ $nfail -eq 0 ]
