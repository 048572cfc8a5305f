#!/usr/bin/env bash
# Volumes, in one run:
#   1. writing 1 GiB (dd, bs=1M, fsync at the end) into a volume, into the container's
#      overlay upper layer, and into a host directory of the same filesystem, from the
#      same busybox dd; the median of N runs each
#   2. a container start (run --rm IMAGE true) with 10 named volumes against none
#   bench/step05-volumes.sh [--runs N]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
runs=3
[[ ${1:-} == --runs ]] && runs=$2

bin/install-deps hyperfine
mvn -q -B -Dstyle.color=never -DskipTests package -pl step05-volumes -am
rootfs=/var/lib/jocker/rootfs/busybox
[[ -x $rootfs/bin/busybox ]] || bin/step01 rootfs busybox "$rootfs"
work=$(mktemp -d /var/tmp/jocker-bench5.XXXXXX)
trap 'rm -rf "$work"' EXIT
root=$work/root
export JOCKER_ROOT=$root
bin/step05 import -c 'CMD ["sh"]' "$rootfs" busybox >/dev/null
bin/step05 volume create bench >/dev/null
mkdir -p "$work/host"
echo "filesystem: $(df -h --output=source,fstype,avail "$work" | tail -1)"

# busybox's time applet, on stderr: "real	0m 1.23s"
seconds() { sed -n 's/^real[[:space:]]*\([0-9]*\)m \([0-9.]*\)s$/\1 \2/p' | awk '{ print $1 * 60 + $2 }'; }
dd_cmd='time dd if=/dev/zero of=F bs=1M count=1024 conv=fsync'
for i in $(seq "$runs"); do
  bin/step05 run --rm -v bench:/v busybox sh -c "(${dd_cmd//F//v/f}) 2>&1; rm /v/f" | seconds >>"$work/volume"
  bin/step05 run --rm busybox sh -c "(${dd_cmd//F//tmp/f}) 2>&1" | seconds >>"$work/upper"
  PATH=$rootfs/bin:$PATH $rootfs/bin/busybox sh -c "(${dd_cmd//F/$work/host/f}) 2>&1; rm $work/host/f" \
    | seconds >>"$work/host.t"
done

for i in $(seq 10); do bin/step05 volume create "v$i" >/dev/null; done
ten=$(for i in $(seq 10); do printf -- '-v v%d:/v%d ' "$i" "$i"; done)
bin/step05 run --rm busybox true # warm the class-data archive
hyperfine -N --warmup 1 --runs 10 --export-csv "$work/start.csv" \
  -n "no volumes" "bin/step05 run --rm busybox true" \
  -n "10 volumes" "bin/step05 run --rm $ten busybox true"

median() { sort -n "$1" | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
echo
echo "writing 1 GiB with fsync (median of $runs, $(nproc) cores):"
host=$(median "$work/host.t")
for what in volume upper host.t; do
  t=$(median "$work/$what")
  awk -v n="$what" -v t="$t" -v h="$host" 'BEGIN {
    name = n == "host.t" ? "host directory" : n == "upper" ? "overlay upper" : "volume";
    printf "  %-15s %6.2f s  %7.0f MiB/s   %.2fx the host directory'"'"'s time\n", name, t, 1024 / t, t / h }'
done
echo "container start (median of 10):"
awk -F, 'NR > 1 { med[$1] = $4 * 1000 } END {
  printf "  no volumes  %7.1f ms\n  10 volumes  %7.1f ms   %.2fx, %+.1f ms per volume\n",
    med["no volumes"], med["10 volumes"], med["10 volumes"] / med["no volumes"],
    (med["10 volumes"] - med["no volumes"]) / 10 }' "$work/start.csv"
