#!/usr/bin/env bash
# A cold build (--no-cache) and a cached rebuild of the same 6-instruction
# Dockerfile (2 RUNs), by step07 and, with --with-docker, by docker's classic
# builder (DOCKER_BUILDKIT=0 docker build) on the same busybox base, in one
# run (hyperfine). Prints the medians and the ratios.
#   bench/step07-build.sh [--with-docker] [--runs N]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

source bench/lib/options.sh
bench_options 10 "$@"

extra=(hyperfine)
$with_docker && extra+=(docker.io)
bin/install-deps "${extra[@]}"
mvn -q -B -Dstyle.color=never -DskipTests package -pl step07-dockerfile -am

work=$(mktemp -d /var/tmp/jocker-bench7.XXXXXX)
export JOCKER_ROOT=$work/root
source bench/lib/dockerd.sh
cleanup() {
  if $with_docker && docker info >/dev/null 2>&1; then
    docker rmi -f jk-bench-app jk-bench-busybox >/dev/null 2>&1 || true
  fi
  dockerd_stop
  bin/step07 cleanup >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

bin/step01 rootfs busybox "$work/rootfs" >/dev/null
bin/step07 import "$work/rootfs" jk-bench-busybox >/dev/null
mkdir -p "$work/ctx"
echo "hello" >"$work/ctx/hello.txt"
cat >"$work/ctx/Dockerfile" <<'DOCKERFILE'
FROM jk-bench-busybox
ENV GREETING=hello
WORKDIR /app
COPY hello.txt .
RUN echo "$GREETING" > greeting && cat hello.txt >> greeting
RUN mkdir -p /data && date > /data/built
DOCKERFILE
bin/step07 build -q -t jk-bench-app "$work/ctx" >/dev/null # fills the cache, warms the class-data archive
commands=(-n "jocker cold" "bin/step07 build -q --no-cache -t jk-bench-app $work/ctx"
  -n "jocker cached" "bin/step07 build -q -t jk-bench-app $work/ctx")
if $with_docker; then
  dockerd_start "$work" "$work/docker"
  tar -C "$work/rootfs" -c . | docker import - jk-bench-busybox >/dev/null
  DOCKER_BUILDKIT=0 docker build -q -t jk-bench-app "$work/ctx" >/dev/null 2>&1
  commands+=(-n "docker cold" "env DOCKER_BUILDKIT=0 docker build -q --no-cache -t jk-bench-app $work/ctx"
    -n "docker cached" "env DOCKER_BUILDKIT=0 docker build -q -t jk-bench-app $work/ctx")
fi
hyperfine -N --warmup 1 --runs "$runs" --export-csv "$work/build.csv" "${commands[@]}" >/dev/null 2>&1

echo "results ($(nproc) cores, $(date -u +%F)), medians of $runs:"
awk -F, 'NR > 1 { med[$1] = $4 } END {
  printf "  jocker  cold %6.3f s   cached %6.3f s\n", med["jocker cold"], med["jocker cached"]
  if ("docker cold" in med) {
    printf "  docker  cold %6.3f s   cached %6.3f s\n", med["docker cold"], med["docker cached"]
    printf "  jocker/docker: cold %.2fx, cached %.2fx\n", med["jocker cold"] / med["docker cold"], med["jocker cached"] / med["docker cached"]
  } }' "$work/build.csv"
