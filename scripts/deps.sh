#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Install everything kitt's build and tests need, from Debian's packages.
# Idempotent: packages already present are not fetched again.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive

BPO_LIST=/etc/apt/sources.list.d/kitt-backports.sources
PKGS=(build-essential bc flex bison libelf-dev libssl-dev python3 sparse
      linux-headers-amd64 linux-image-amd64 linux-source-6.1
      qemu-system-x86 busybox-static open-iscsi libiscsi-bin fio e2fsprogs
      kmod cpio xz-utils zstd iproute2 util-linux gnuplot-nox rsync
      sg3-utils linux-perf dmsetup clang libclang-rt-14-dev jq
      debhelper dh-dkms trace-cmd)

# Debian 12's 6.12 kernels come from bookworm-backports. Take the archive
# from the machine's own apt configuration (any form: apt-get indextargets
# reads sources.list and sources.list.d), so that a machine behind a local
# mirror or proxy works unchanged: if some source other than ours already
# lists bookworm-backports, use it (and drop ours, or apt warns about the
# duplicate); else add it on the mirror that serves bookworm.
# apt's targets as "suite repo-uri", leaving our own file out (apt folds
# a target listed twice into one, so ours could hide another).
apt_targets() {
	local parts f
	parts=$(mktemp -d)
	for f in /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do
		[ -f "$f" ] && [ "$f" != "$BPO_LIST" ] && ln -s "$f" "$parts/"
	done
	apt-get -o Dir::Etc::SourceParts="$parts" indextargets \
		--format '$(RELEASE) $(REPO_URI)' 'Identifier: Packages' 2>/dev/null | sort -u
	rm -rf "$parts"
}
if apt_targets | awk '$1 == "bookworm-backports" { found = 1 } END { exit !found }'; then
	if [ -f "$BPO_LIST" ]; then
		rm -f "$BPO_LIST"
		NEED_UPDATE=1
	fi
elif [ ! -f "$BPO_LIST" ]; then
	mirror=$(apt_targets | awk '$1 == "bookworm" { print $2; exit }')
	if [ -z "$mirror" ]; then
		echo "deps: no source for bookworm in apt's configuration" >&2
		exit 1
	fi
	cat > "$BPO_LIST" <<EOT
Types: deb
URIs: $mirror
Suites: bookworm-backports
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOT
	NEED_UPDATE=1
fi

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
