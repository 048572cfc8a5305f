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
  # the mirror this machine's apt already uses (no host name written here): deb822 .sources or one-line .list
  mirror=$( { grep -hE '^URIs:' /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '{print $2}'
              grep -hE '^deb ' /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null \
                | awk '{for (i = 2; i <= NF; i++) if ($i ~ /^[a-z]+:\/\//) {print $i; break}}'; } \
            | grep -v -- '-security' | head -n 1 || true)
  [[ -n $mirror ]] || { echo "debian-rootfs: no Debian mirror in this machine's apt configuration" >&2; exit 1; }
  echo "debian-rootfs: debootstrap --variant=minbase bookworm from $mirror (about 30 s) ..." >&2
  debootstrap --variant=minbase bookworm "$rootfs.tmp" "$mirror" >"$cache/debootstrap.log" 2>&1 \
    || { echo "debian-rootfs: debootstrap failed, see $cache/debootstrap.log" >&2; exit 1; }
  mv "$rootfs.tmp" "$rootfs"
fi
echo "$rootfs"
