#!/usr/bin/env bash
# Prints the path of a Debian 12 minbase root filesystem (about 206 MB),
# made with debootstrap the first time and kept in /var/cache/jocker-bench.
# A realistic image layer: thousands of small files, links, devices.
set -euo pipefail
cache=/var/cache/jocker-bench
rootfs=$cache/debian-rootfs
if [[ ! -d $rootfs ]]; then
  "$(dirname "${BASH_SOURCE[0]}")/../../bin/install-deps" debootstrap >&2
  mkdir -p "$cache"
  rm -rf "$rootfs.tmp"
  echo "debian-rootfs: debootstrap --variant=minbase bookworm (about 30 s) ..." >&2
  debootstrap --variant=minbase bookworm "$rootfs.tmp" http://deb.debian.org/debian >"$cache/debootstrap.log" 2>&1 \
    || { echo "debian-rootfs: debootstrap failed, see $cache/debootstrap.log" >&2; exit 1; }
  mv "$rootfs.tmp" "$rootfs"
fi
echo "$rootfs"
