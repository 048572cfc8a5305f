#!/usr/bin/env bash
# Networking, in one run, jocker and docker side by side:
#   1. TCP throughput container -> container over the bridge (iperf3, 5 s), against
#      the host's loopback (the same iperf3 on 127.0.0.1), on a user network of each
#   2. the latency of a published port (ab, 2000 requests, one at a time, busybox
#      httpd in the container): to 127.0.0.1 (the userland proxy) and to the
#      bridge's gateway address (DNAT in OUTPUT)
#   3. a container start (run --rm IMAGE true) on the default bridge against
#      --network none (hyperfine): what the bridge adds
# Without --with-docker, jocker's figures only.
#   bench/step06-networking.sh [--with-docker] [--runs N]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

source bench/lib/options.sh
bench_options 10 "$@"

extra=(iperf3 hyperfine apache2-utils)
$with_docker && extra+=(docker.io)
bin/install-deps "${extra[@]}"
mvn -q -B -Dstyle.color=never -DskipTests package -pl step06-networking -am

work=$(mktemp -d /var/tmp/jocker-bench6.XXXXXX)
export JOCKER_ROOT=$work/root
source bench/lib/dockerd.sh
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill -KILL "$p" 2>/dev/null || true; done
  pkill -KILL -f "iperf3 -s -p 5201" 2>/dev/null || true
  pkill -KILL -x httpd 2>/dev/null || true
  sleep 1
  if $with_docker && docker info >/dev/null 2>&1; then
    docker rm -f jk-bench-srv jk-bench-web >/dev/null 2>&1 || true
    docker network rm jk-bench >/dev/null 2>&1 || true
    docker rmi jocker-bench-net >/dev/null 2>&1 || true
  fi
  dockerd_stop
  bin/step06 network rm bench >/dev/null 2>&1 || true
  bin/step06 cleanup >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

# a busybox rootfs with iperf3 and its libraries
rootfs=$work/rootfs
bin/step01 rootfs busybox "$rootfs" >/dev/null
for f in /usr/bin/iperf3 $(ldd /usr/bin/iperf3 | grep -o '/[^ ]*'); do
  mkdir -p "$rootfs$(dirname "$f")"
  cp -L "$f" "$rootfs$f"
done
bin/step06 import -c 'CMD ["sh"]' "$rootfs" net >/dev/null
bin/step06 network create bench >/dev/null

# waits until http://HOST:PORT/ answers (a port that accepts is not enough: the proxy holds it before the server runs)
await() { for _ in $(seq 100); do busybox wget -q -O /dev/null "http://$1:$2/" 2>/dev/null && return; sleep 0.1; done; echo "no answer from $1:$2" >&2; return 1; }
# ab's mean time per request, in ms, or its error on stderr and a failure
latency() {
  local out
  if ! out=$(ab -n 2000 -c 1 "$1" 2>&1) || [[ -z $(per_request <<<"$out") ]]; then
    echo "ab $1 failed: $(tail -n 2 <<<"$out")" >&2
    return 1
  fi
  per_request <<<"$out"
}
# iperf3's receiver throughput in Gbit/s, from its JSON
gbits() { grep -A8 '"sum_received"' | grep -o '"bits_per_second":[[:space:]]*[0-9.e+]*' | head -1 | awk -F: '{ printf "%.2f", $2 / 1e9 }'; }
# ab's mean time per request, in ms
per_request() { sed -n 's/^Time per request:[[:space:]]*\([0-9.]*\) \[ms\] (mean)$/\1/p' | head -1; }

echo "== 1. TCP throughput (iperf3, 5 s)"
iperf3 -s -p 5201 -1 >/dev/null 2>&1 & # -1: one test, then it ends (so no probe of the port first)
sleep 1
loop=$(iperf3 -c 127.0.0.1 -p 5201 -t 5 -J | gbits)
bin/step06 run --rm --name srv --network bench net iperf3 -s -p 5201 -1 >/dev/null 2>&1 &
pids+=($!)
for _ in $(seq 100); do ip=$(bin/step06 network inspect bench | sed -n 's/.*"IPv4Address": "\([0-9.]*\)\/.*/\1/p'); [[ -n $ip ]] && break; sleep 0.2; done
sleep 1
jk_bridge=$(bin/step06 run --rm --network bench net iperf3 -c "$ip" -p 5201 -t 5 -J | gbits)
wait "${pids[-1]}" 2>/dev/null || true
if $with_docker; then
  dockerd_start "$work" "$work/docker" iptables
  tar -C "$rootfs" -c . | docker import -c 'CMD ["sh"]' - jocker-bench-net >/dev/null
  docker network create jk-bench >/dev/null
  docker run -d --rm --name jk-bench-srv --network jk-bench jocker-bench-net iperf3 -s -p 5201 -1 >/dev/null
  sleep 1
  d_bridge=$(docker run --rm --network jk-bench jocker-bench-net iperf3 -c jk-bench-srv -p 5201 -t 5 -J | gbits)
fi

echo "== 2. a published port's latency (ab -n 2000 -c 1)"
mkdir -p "$work/www" && head -c 512 /dev/zero | tr '\0' x >"$work/www/index.html"
bin/step06 run --rm --name web -p 18080:80 -v "$work/www:/www:ro" net httpd -f -p 80 -h /www >/dev/null 2>&1 &
pids+=($!)
await 127.0.0.1 18080
gw=$(bin/step06 network inspect bridge | sed -n 's/.*"Gateway": "\([0-9.]*\)".*/\1/p')
ab -q -n 200 -c 1 "http://127.0.0.1:18080/" >/dev/null 2>&1 # warm up
jk_proxy=$(latency "http://127.0.0.1:18080/")
jk_dnat=$(latency "http://$gw:18080/")
pkill -KILL -x httpd || true
if $with_docker; then
  docker run -d --rm --name jk-bench-web -p 18081:80 -v "$work/www:/www:ro" jocker-bench-net httpd -f -p 80 -h /www >/dev/null
  await 127.0.0.1 18081
  dgw=$(ip -4 -o addr show docker0 | awk '{print $4}' | cut -d/ -f1)
  ab -q -n 200 -c 1 "http://127.0.0.1:18081/" >/dev/null 2>&1
  d_proxy=$(latency "http://127.0.0.1:18081/")
  d_dnat=$(latency "http://$dgw:18081/")
  docker rm -f jk-bench-web >/dev/null
fi

echo "== 3. start: bridge against --network none (hyperfine, $runs runs)"
bin/step06 run --rm net true # warm the class-data archive
commands=(-n "jocker bridge" "bin/step06 run --rm net true" -n "jocker none" "bin/step06 run --rm --network none net true")
if $with_docker; then
  commands+=(-n "docker bridge" "docker run --rm jocker-bench-net true" -n "docker none" "docker run --rm --network none jocker-bench-net true")
fi
hyperfine -N --warmup 1 --runs "$runs" --export-csv "$work/start.csv" "${commands[@]}" >/dev/null

echo
echo "results ($(nproc) cores, $(date -u +%F)):"
awk -v l="$loop" -v j="$jk_bridge" -v d="${d_bridge:-}" 'BEGIN {
  printf "  throughput   host loopback %6.2f Gbit/s\n", l
  printf "               jocker bridge %6.2f Gbit/s   %.2fx loopback\n", j, j / l
  if (d != "") printf "               docker bridge %6.2f Gbit/s   %.2fx loopback; jocker/docker %.2fx\n", d, d / l, j / d }'
awk -v p="$jk_proxy" -v n="$jk_dnat" -v dp="${d_proxy:-}" -v dn="${d_dnat:-}" 'BEGIN {
  printf "  -p latency   jocker proxy  %6.3f ms   DNAT %6.3f ms   proxy/DNAT %.2fx\n", p, n, p / n
  if (dp != "") printf "               docker proxy  %6.3f ms   DNAT %6.3f ms   proxy/DNAT %.2fx; jocker/docker proxy %.2fx, DNAT %.2fx\n", dp, dn, dp / dn, p / dp, n / dn }'
awk -F, 'NR > 1 { med[$1] = $4 * 1000 } END {
  printf "  start        jocker bridge %7.1f ms   none %7.1f ms   bridge adds %+.1f ms\n", med["jocker bridge"], med["jocker none"], med["jocker bridge"] - med["jocker none"]
  if ("docker bridge" in med) printf "               docker bridge %7.1f ms   none %7.1f ms   bridge adds %+.1f ms; jocker/docker (bridge) %.2fx\n", med["docker bridge"], med["docker none"], med["docker bridge"] - med["docker none"], med["jocker bridge"] / med["docker bridge"] }' "$work/start.csv"
