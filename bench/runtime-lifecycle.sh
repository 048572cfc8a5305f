#!/usr/bin/env bash
# The runtime's lifecycle verbs against runc's, in one run: create + start
# + delete of a /bin/true container from one bundle (each verb a separate
# program, as an engine calls them), and, with --with-docker, the engine
# path: `docker run --runtime jocker --rm` against `docker run --rm` (runc),
# on a dockerd of the benchmark's own (own socket and data root, no bridge,
# no iptables rules), stopped at the end. Prints hyperfine's figures and
# the ratios.
#
#   bench/runtime-lifecycle.sh [--with-docker] [--runs N]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
repo=$PWD

source bench/lib/options.sh
bench_options 20 "$@"

extra=(runc hyperfine)
$with_docker && extra+=(docker.io)
bin/install-deps "${extra[@]}"
mvn -q -B -Dstyle.color=never -DskipTests package -pl step02-cgroups -am

work=$(mktemp -d /tmp/jocker-bench.XXXXXX)
dockerd_pid=
cleanup() {
  if [[ -n $dockerd_pid ]]; then
    kill "$dockerd_pid" 2>/dev/null || true
    for _ in $(seq 60); do kill -0 "$dockerd_pid" 2>/dev/null || break; sleep 0.5; done
  fi
  bin/step02 --root "$work/state" delete --force bench >/dev/null 2>&1 || true
  runc delete --force bench >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

bin/step01 rootfs busybox "$work/rootfs" >/dev/null
mkdir -p "$work/bundle"
cp -a "$work/rootfs" "$work/bundle/rootfs"
(cd "$work/bundle" && runc spec)
sed -i -e 's/"terminal": true/"terminal": false/' -e 's/"sh"$/"\/bin\/true"/' "$work/bundle/config.json"

lifecycle() { # RUNTIME [GLOBAL FLAGS]: create, start, delete, each a program of its own
  echo "$* create --bundle $work/bundle bench </dev/null >/dev/null && $* start bench && $* delete --force bench"
}
commands=(
  -n "step02 create+start+delete" "bash -c '$(lifecycle "$repo/bin/step02 --root $work/state")'"
  -n "runc create+start+delete" "bash -c '$(lifecycle runc)'"
)

if $with_docker; then
  export DOCKER_HOST=unix://$work/docker.sock
  dockerd -H "$DOCKER_HOST" --data-root "$work/data" --exec-root "$work/exec" --bridge none --iptables=false \
    --ip-masq=false --add-runtime "jocker=$repo/bin/step02" >"$work/dockerd.log" 2>&1 &
  dockerd_pid=$!
  for _ in $(seq 120); do docker version >/dev/null 2>&1 && break; sleep 0.5; done
  tar -C "$work/rootfs" -c . | docker import - jocker-bench-busybox >/dev/null
  commands+=(
    -n "docker run --runtime jocker" "docker run --runtime jocker --rm jocker-bench-busybox true"
    -n "docker run (runc)" "docker run --rm jocker-bench-busybox true"
  )
fi

bash -c "$(lifecycle "$repo/bin/step02 --root $work/state")" # records the class-data archive if missing
hyperfine -N --warmup 2 --runs "$runs" --export-csv "$work/results.csv" "${commands[@]}"

echo
echo "median ms (hyperfine -N, $runs runs, $(nproc) cores):"
awk -F, 'NR > 1 { name[NR] = $1; med[NR] = $4 * 1000 }
         END {
           for (i = 2; i <= NR; i++) printf "  %-30s %7.1f ms\n", name[i], med[i]
           printf "  jocker / runc, create+start+delete: %.2fx\n", med[2] / med[3]
           if (NR >= 5) printf "  docker with jocker / docker with runc: %.2fx\n", med[4] / med[5]
         }' "$work/results.csv"
