#!/usr/bin/env bash
# Cold start: the runtime's short programs against runc's, in one run. For
# each, the median time (hyperfine -N) and the peak RSS (GNU time, the
# largest of 5 runs) of
#   --help;  state of a created container;  list;
#   create + start + delete of a /bin/true container, each verb a program
#     of its own as an engine calls them (the RSS is the largest verb's);
#   run /bin/true (bin/step01 run against runc run);
#   with --with-docker, the engine path: `docker run --runtime jocker --rm`
#     against `docker run --rm` (runc), on a dockerd of the benchmark's own
#     (own socket and data root, no bridge, no iptables rules), stopped at the end;
# and the RSS of a created container's waiting init (jocker's JVM, runc's
# `runc init`). The runtime verbs are step 2's (what an engine would call:
# cgroups included); `run` is step 1's.
#
#   bench/runtime-lifecycle.sh [--with-docker] [--runs N]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
repo=$PWD

source bench/lib/options.sh
bench_options 20 "$@"

extra=(runc hyperfine time)
$with_docker && extra+=(docker.io)
bin/install-deps "${extra[@]}"
mvn -q -B -Dstyle.color=never -DskipTests package -pl step02-cgroups -am

work=$(mktemp -d /tmp/jocker-bench.XXXXXX)
J="$repo/bin/step02 --root $work/state"
dockerd_pid=
cleanup() {
  if [[ -n $dockerd_pid ]]; then
    kill "$dockerd_pid" 2>/dev/null || true
    for _ in $(seq 60); do kill -0 "$dockerd_pid" 2>/dev/null || break; sleep 0.5; done
  fi
  for id in bench bench-created; do
    $J delete --force "$id" >/dev/null 2>&1 || true
    runc delete --force "$id" >/dev/null 2>&1 || true
  done
  runc delete --force bench-run >/dev/null 2>&1 || true
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

# a created container of each runtime, for state (and for the RSS of its waiting init)
$J create --bundle "$work/bundle" bench-created </dev/null >/dev/null
runc create --bundle "$work/bundle" bench-created </dev/null >/dev/null
init_rss() { # RUNTIME: the RSS of its created container's process, in MB
  local pid
  pid=$("$@" state bench-created | sed -n 's/^ *"pid" *: *\([0-9]*\).*/\1/p')
  awk '/^VmRSS/ { printf "%.1f", $2 / 1024 }' "/proc/$pid/status"
}

names=(--help state list create+start+delete "run /bin/true")
commands=(
  -n "jocker --help" "$J --help"
  -n "runc --help" "runc --help"
  -n "jocker state" "$J state bench-created"
  -n "runc state" "runc state bench-created"
  -n "jocker list" "$J list"
  -n "runc list" "runc list"
  -n "jocker create+start+delete" "bash -c '$(lifecycle "$J")'"
  -n "runc create+start+delete" "bash -c '$(lifecycle runc)'"
  -n "jocker run /bin/true" "$repo/bin/step01 run --rootfs $work/rootfs -- /bin/true"
  -n "runc run /bin/true" "runc run --bundle $work/bundle bench-run"
)

if $with_docker; then
  export DOCKER_HOST=unix://$work/docker.sock
  dockerd -H "$DOCKER_HOST" --data-root "$work/data" --exec-root "$work/exec" --bridge none --iptables=false \
    --ip-masq=false --add-runtime "jocker=$repo/bin/step02" >"$work/dockerd.log" 2>&1 &
  dockerd_pid=$!
  for _ in $(seq 120); do docker version >/dev/null 2>&1 && break; sleep 0.5; done
  tar -C "$work/rootfs" -c . | docker import - jocker-bench-busybox >/dev/null
  names+=("docker run --rm")
  commands+=(
    -n "docker run --runtime jocker" "docker run --runtime jocker --rm jocker-bench-busybox true"
    -n "docker run (runc)" "docker run --rm jocker-bench-busybox true"
  )
fi

# peak RSS in MB, the largest of 5 runs: of a command, or of the largest of create, start, delete
mb() { awk -v kb="$1" 'BEGIN { printf "%.1f", kb / 1024 }'; }
peak_rss() { # COMMAND (a string for bash -c, which execs it)
  local max=0 kb _
  for _ in 1 2 3 4 5; do
    /usr/bin/time -f %M -o "$work/rss" bash -c "$1" >/dev/null 2>&1 </dev/null || true
    kb=$(tail -1 "$work/rss")
    ((kb > max)) && max=$kb
  done
  mb "$max"
}
verb_rss() { # RUNTIME [GLOBAL FLAGS]
  local max=0 kb verb _
  for _ in 1 2 3 4 5; do
    for verb in "create --bundle $work/bundle bench" "start bench" "delete --force bench"; do
      /usr/bin/time -f %M -o "$work/rss" bash -c "$* $verb" >/dev/null 2>&1 </dev/null || true
      kb=$(tail -1 "$work/rss")
      ((kb > max)) && max=$kb
    done
  done
  mb "$max"
}
rss=()
for ((i = 1; i < ${#commands[@]}; i += 3)); do
  case ${commands[i]} in
    "jocker create+start+delete") rss+=("$(verb_rss "$J")") ;;
    "runc create+start+delete") rss+=("$(verb_rss runc)") ;;
    docker*) rss+=(-) ;; # the runtime runs under containerd's shim, not under the docker client
    *) rss+=("$(peak_rss "${commands[i + 1]}")") ;;
  esac
done

hyperfine -N --warmup 2 --runs "$runs" --export-csv "$work/results.csv" "${commands[@]}"

echo
echo "median ms and peak RSS (hyperfine -N, $runs runs; RSS the largest of 5 runs; $(nproc) cores):"
printf "  %-22s %10s %10s %8s %12s %10s\n" "" jocker runc/docker ratio "jocker RSS" "runc RSS"
awk -F, -v names="$(IFS=';'; echo "${names[*]}")" -v rss="$(IFS=';'; echo "${rss[*]}")" '
  function size(m) { return m == "-" ? "-" : m " MB" }
  NR > 1 { med[NR - 1] = $4 * 1000 }
  END {
    n = split(names, name, ";"); split(rss, mb, ";")
    for (i = 1; i <= n; i++) {
      j = med[2 * i - 1]; r = med[2 * i]
      printf "  %-22s %7.1f ms %7.1f ms %7.1fx %12s %10s\n", name[i], j, r, j / r, size(mb[2 * i - 1]), size(mb[2 * i])
    }
  }' "$work/results.csv"
echo "  a created container's waiting init: jocker $(init_rss $J) MB, runc $(init_rss runc) MB (RSS)"
