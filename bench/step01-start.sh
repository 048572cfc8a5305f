#!/usr/bin/env bash
# How long a container start takes: `bin/step01 run ... /bin/true` side by
# side, in one run, with runc on the same rootfs, with `unshare -fpmuin chroot`
# (namespaces without any runtime: the floor) and, with --with-docker, with
# `docker run --rm busybox true` (docker.io is installed and dockerd started
# for the run, then stopped). Prints hyperfine's figures and the ratios.
#
#   bench/step01-start.sh [--with-docker] [--runs N]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

source bench/lib/options.sh
bench_options 40 "$@"

extra=(runc hyperfine)
$with_docker && extra+=(docker.io)
bin/install-deps "${extra[@]}"
mvn -q -B -Dstyle.color=never -DskipTests package -pl step01-namespaces -am

work=$(mktemp -d /tmp/jocker-bench.XXXXXX)
source bench/lib/dockerd.sh
cleanup() {
  dockerd_stop
  rm -rf "$work"
}
trap cleanup EXIT

bin/step01 rootfs busybox "$work/rootfs" >/dev/null

# runc's own default bundle, on a copy of the same rootfs, without a terminal
mkdir -p "$work/bundle"
cp -a "$work/rootfs" "$work/bundle/rootfs"
(cd "$work/bundle" && runc spec)
sed -i -e 's/"terminal": true/"terminal": false/' -e 's/"sh"$/"\/bin\/true"/' "$work/bundle/config.json"

commands=(
  -n "step01" "bin/step01 run --rootfs $work/rootfs -- /bin/true"
  -n "runc" "runc run --bundle $work/bundle jocker-bench"
  -n "unshare+chroot" "unshare -fpmuin chroot $work/rootfs /bin/true"
)

if $with_docker; then
  dockerd_start "$work"
  tar -C "$work/rootfs" -c . | docker import - jocker-bench-busybox >/dev/null
  commands+=(-n "docker" "docker run --rm jocker-bench-busybox true")
fi

bin/step01 run --rootfs "$work/rootfs" -- /bin/true   # records the class-data archive if missing
hyperfine -N --warmup 3 --runs "$runs" --export-csv "$work/results.csv" "${commands[@]}"

if $with_docker; then
  docker rmi jocker-bench-busybox >/dev/null 2>&1 || true
fi

echo
echo "median ms, and step01 as a multiple of each (hyperfine -N, $runs runs, $(nproc) cores):"
awk -F, 'NR > 1 { name[NR] = $1; med[NR] = $4 * 1000 }
         name[NR] == "step01" { s = med[NR] }
         END { for (i = 2; i <= NR; i++) printf "  %-16s %7.1f ms   step01 = %.2fx\n", name[i], med[i], s / med[i] }' \
  "$work/results.csv"
