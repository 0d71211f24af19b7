#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Install everything kitt's build and tests need, from Debian's packages.
# Idempotent: packages already present are not fetched again.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive

PKGS=(build-essential bc flex bison libelf-dev libssl-dev python3 sparse
      linux-headers-amd64 linux-image-amd64 linux-source-6.1
      qemu-system-x86 busybox-static open-iscsi libiscsi-bin fio e2fsprogs
      kmod cpio xz-utils zstd iproute2 util-linux gnuplot-nox rsync
      sg3-utils linux-perf dmsetup clang libclang-rt-14-dev jq
      debhelper dh-dkms trace-cmd udev multipath-tools)

# Debian 12's 6.12 kernels come from bookworm-backports. Take the archive
# from the machine's own apt configuration (any form: apt-get indextargets
# reads sources.list and sources.list.d), so that a machine behind a local
# mirror or proxy works unchanged: if some source other than ours already
# lists bookworm-backports, use it (and drop ours, or apt warns about the
# duplicate); else add it on the mirror that serves bookworm, with the
# options of that source (Signed-By, Trusted, Architectures, ...): a local
# mirror may be signed with its own key. Ours is written again when that
# source has changed since.
#
# KITT_DEPS_DRY_RUN=1 prints what would be written or removed and stops
# there, installing nothing. apt's own APT_CONFIG points all of this at
# another configuration tree (scripts/deps-test.sh does, with fixtures).
eval "$(apt-config shell SOURCEPARTS Dir::Etc::sourceparts/d)"
SOURCEPARTS=${SOURCEPARTS:-/etc/apt/sources.list.d/}
BPO_LIST=${SOURCEPARTS%/}/kitt-backports.sources
DRY=${KITT_DEPS_DRY_RUN:-}

# apt's targets as "suite repo-uri file:entry", leaving our own file out
# (apt folds a target listed twice into one, so ours could hide another).
# --no-release-info: a machine that never ran apt-get update has no
# Release files, and indextargets would list nothing without it.
apt_targets() {
	local parts f rc
	parts=$(mktemp -d)
	for f in "$SOURCEPARTS"*.list "$SOURCEPARTS"*.sources; do
		[ -f "$f" ] && [ "$f" != "$BPO_LIST" ] && ln -s "$f" "$parts/"
	done
	apt-get -o Dir::Etc::SourceParts="$parts" indextargets --no-release-info \
		--format '$(RELEASE) $(REPO_URI) $(SOURCESENTRY)' 'Identifier: Packages' \
		2>"$parts.err" | sed "s| $parts/*| ${SOURCEPARTS%/}/|" | sort -u
	rc=$?
	# apt's errors, when it cannot read the sources (not its warnings)
	[ $rc -eq 0 ] || grep -v '^W: ' "$parts.err" | sed "s|$parts/*|${SOURCEPARTS%/}/|g" >&2
	rm -rf "$parts" "$parts.err"
	return $rc
}

# bpo_source URI FILE:N: our deb822 source for bookworm-backports on URI,
# with the options of entry N of FILE (a line of a one-line file, the
# Nth stanza of a .sources file, as apt numbers them).
bpo_source() {
	local file=${2%:*} n=${2##*:}

	printf 'Types: deb\nURIs: %s\nSuites: bookworm-backports\nComponents: main\n' "$1"
	case $file in
	*.sources)	# every field but these four (and Enabled), as written
		awk -v n="$n" '
			/^[ \t]*$/ { inpara = 0; next }
			/^#/ { next }
			/^[ \t]/ { if (k == n && keep) print; next }
			{
				if (!inpara) { inpara = 1; k++ }
				f = tolower($0); sub(/[ \t]*:.*/, "", f)
				keep = f !~ /^(types|uris|suites|components|enabled)$/
				if (k == n && keep) print
			}' "$file" ;;
	*)		# [opt=v,w ...] of "deb [...] uri suite comp..."
		sed -n "${n}p" "$file" | awk '
			{
				sub(/#.*/, "")
				if (!match($0, /^[ \t]*deb[ \t]+\[[^]]*\]/)) exit
				o = substr($0, RSTART, RLENGTH)
				sub(/^[^[]*\[/, "", o); sub(/\]$/, "", o)
				no = split(o, opt, /[ \t]+/)
				for (i = 1; i <= no; i++) {
					if (!match(opt[i], /^[a-z-]+[+-]?=/)) continue
					key = substr(opt[i], 1, RLENGTH - 1)
					val = substr(opt[i], RLENGTH + 1)
					op = ""
					if (key ~ /[+-]$/) { op = substr(key, length(key)); key = substr(key, 1, length(key) - 1) }
					if (key == "arch" || key == "lang" || key == "target") {
						key = key == "arch" ? "Architectures" : key == "lang" ? "Languages" : "Targets"
						key = key (op == "+" ? "-Add" : op == "-" ? "-Remove" : "")
						gsub(/,/, " ", val)
					} else {	# signed-by -> Signed-By (apt reads fields in any case)
						nw = split(key, w, "-"); key = ""
						for (j = 1; j <= nw; j++)
							key = key (j > 1 ? "-" : "") toupper(substr(w[j], 1, 1)) substr(w[j], 2)
					}
					print key ": " val
				}
			}' ;;
	esac
}

targets=$(apt_targets) || exit 1
bpo=$(awk '$1 == "bookworm-backports" { print $3; exit }' <<<"$targets")
if [ -n "$bpo" ]; then
	if [ -f "$BPO_LIST" ]; then
		if [ -n "$DRY" ]; then
			echo "deps: would remove $BPO_LIST (bookworm-backports is in $bpo)"
		else
			rm -f "$BPO_LIST"
		fi
		NEED_UPDATE=1
	elif [ -n "$DRY" ]; then
		echo "deps: nothing to add (bookworm-backports is in $bpo)"
	fi
else
	read -r _ mirror entry < <(awk '$1 == "bookworm" { print; exit }' <<<"$targets") || true
	if [ -z "${mirror:-}" ]; then
		echo "deps: no source for bookworm in apt's configuration" >&2
		exit 1
	fi
	want=$(bpo_source "${mirror%/}" "$entry")
	if [ -f "$BPO_LIST" ] && [ "$(cat "$BPO_LIST")" = "$want" ]; then
		[ -z "$DRY" ] || echo "deps: nothing to add ($BPO_LIST is up to date)"
	elif [ -n "$DRY" ]; then
		echo "deps: would write $BPO_LIST (from $entry):"
		echo "$want"
	else
		echo "$want" > "$BPO_LIST"
		NEED_UPDATE=1
	fi
fi
[ -z "$DRY" ] || exit 0

missing=()
for p in "${PKGS[@]}"; do
	dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ] || [ -n "${NEED_UPDATE:-}" ]; then
	apt-get update -qq
	UPDATED=1
fi
if [ "${#missing[@]}" -gt 0 ]; then
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# The guest tests boot the 6.1 kernel that the newest 6.1 headers belong to.
k61=$(ls -1d /lib/modules/6.1.0-*-amd64/build 2>/dev/null | sort -V | tail -1 || true)
k61=$(basename "$(dirname "${k61:-/x/none}")")
if [ "$k61" != none ] && [ ! -f "/boot/vmlinuz-$k61" ]; then
	[ -n "${UPDATED:-}" ] || { apt-get update -qq; UPDATED=1; }
	apt-get install -y -qq --no-install-recommends "linux-image-$k61"
fi

# A second kernel to build and test against: Debian 12's 6.12 line
# (linux-*-6.12.N+deb12-amd64, published in bookworm-security and
# bookworm-backports). Only the versioned packages are installed, by exact
# name; the linux-*-amd64 metapackages and linux-libc-dev stay on 6.1.
# The headers package depends on the image, so the image is installed too
# (this machine boots no bootloader from it).
have_612=$(ls -1d /lib/modules/6.12.*+deb12-amd64/build 2>/dev/null | sort -V | tail -1 || true)
if [ -z "$have_612" ] || [ ! -f "/boot/vmlinuz-$(basename "$(dirname "$have_612")")" ]; then
	[ -n "${UPDATED:-}" ] || { apt-get update -qq; UPDATED=1; }
	ver=$(apt-cache search --names-only '^linux-headers-6\.12\.[0-9]+\+deb12-amd64$' |
	      awk '{ print $1 }' | sed 's/^linux-headers-//' | sort -V | tail -1)
	[ -n "$ver" ] || { echo "deps: no linux-headers-6.12.*+deb12-amd64 in apt" >&2; exit 1; }
	want=(linux-headers-$ver linux-image-$ver)
	plan=$(apt-get install -s --no-install-recommends "${want[@]}" | awk '/^Inst/ { print $2 }')
	if echo "$plan" | grep -Eq '^(linux-libc-dev|linux-image-amd64|linux-headers-amd64)$'; then
		echo "deps: installing ${want[*]} would move a metapackage:" $plan >&2
		exit 1
	fi
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${want[@]}"
fi

# Prometheus's promtool and node_exporter check `kittctl stats --prometheus`
# in the guest. Only their programs are wanted (static Go binaries), not
# the services the packages would install and start: download the .debs
# and unpack them under build/prometheus.
PROM_DIR=$(cd "$(dirname "$0")/.." && pwd)/build/prometheus
if [ ! -x "$PROM_DIR/usr/bin/promtool" ] || [ ! -x "$PROM_DIR/usr/bin/prometheus-node-exporter" ]; then
	[ -n "${UPDATED:-}" ] || { apt-get update -qq; UPDATED=1; }
	tmp=$(mktemp -d)
	chmod 755 "$tmp"
	(cd "$tmp" && apt-get download -qq prometheus prometheus-node-exporter 2>/dev/null)
	mkdir -p "$PROM_DIR"
	for deb in "$tmp"/*.deb; do
		dpkg-deb -x "$deb" "$PROM_DIR"
	done
	rm -rf "$tmp"
fi
