#!/usr/bin/env bash
# overlay against vfs, in one run, on a ~200 MB layer (a Debian minbase rootfs):
#   1. a container start that prepares and tears down its root (run --rm -- /bin/true),
#      against the same start on a plain directory (no storage driver): the difference
#      is the driver's cost
#   2. the disk 10 containers of that image take, with each driver
#   bench/step03-storage.sh [--runs N]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
runs=10
[[ ${1:-} == --runs ]] && runs=$2

bin/install-deps hyperfine
mvn -q -B -Dstyle.color=never -DskipTests package -pl step03-unionfs -am
rootfs=$(bench/lib/debian-rootfs.sh)
work=$(mktemp -d /tmp/jocker-bench3.XXXXXX)
trap 'rm -rf "$work"' EXIT
root=$work/root

echo "layer: $rootfs ($(du -sh "$rootfs" | cut -f1), $(find "$rootfs" | wc -l) entries)"
t0=$(date +%s%N)
layer=$(bin/step03 layer add --root "$root" "$rootfs")
echo "storing it as a layer (digest + copy, once): $(( ($(date +%s%N) - t0) / 1000000 )) ms"
bin/step03 run --root "$root" --layer "$layer" --rm -- /bin/true   # warm the class-data archive

hyperfine -N --warmup 1 --runs "$runs" --export-csv "$work/start.csv" \
  -n "plain-dir" "bin/step03 run --rootfs $rootfs -- /bin/true" \
  -n "overlay" "bin/step03 run --root $root --layer $layer --rm --storage-driver overlay -- /bin/true" \
  -n "vfs" "bin/step03 run --root $root --layer $layer --rm --storage-driver vfs -- /bin/true"

for driver in overlay vfs; do
  for i in $(seq 10); do
    bin/step03 run --root "$root" --layer "$layer" --storage-driver $driver -- sh -c 'echo hi > /tmp/hi' >/dev/null
  done
  echo "$driver $(du -sb "$root/containers" | cut -f1)" >>"$work/disk"
  for id in $(ls "$root/containers"); do bin/step03 rm --root "$root" "$id" >/dev/null; done
done

echo
echo "container start with its root prepared and torn down (median, $runs runs, $(nproc) cores):"
awk -F, 'NR > 1 { med[$1] = $4 * 1000 }
         END { base = med["plain-dir"];
               for (n in med) printf "  %-12s %8.1f ms   driver cost %+8.1f ms\n", n, med[n], med[n] - base }' \
  "$work/start.csv" | sort
echo "disk used by 10 containers of the image (their own layers; the image layer itself: $(du -sh "$root/layers" | cut -f1)):"
while read -r driver bytes; do
  awk -v d="$driver" -v b="$bytes" 'BEGIN { printf "  %-8s %10.1f MiB\n", d, b / 1048576 }'
done <"$work/disk"
