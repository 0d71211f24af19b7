#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Install everything kitt's build and tests need, from Debian's packages.
# Idempotent: packages already present are not fetched again.
set -euo pipefail

BPO_LIST=/etc/apt/sources.list.d/kitt-backports.sources
PKGS=(build-essential bc flex bison libelf-dev libssl-dev python3 sparse
      linux-headers-amd64 linux-image-amd64 linux-source-6.1
      qemu-system-x86 busybox-static open-iscsi libiscsi-bin fio e2fsprogs
      kmod cpio xz-utils zstd iproute2 util-linux gnuplot-nox rsync)

if [ ! -f "$BPO_LIST" ]; then
	cat > "$BPO_LIST" <<EOT
Types: deb
URIs: http://deb.debian.org/debian
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
fi
if [ "${#missing[@]}" -gt 0 ]; then
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
