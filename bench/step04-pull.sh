#!/usr/bin/env bash
# How long a pull of a ~200 MB single-layer image takes, side by side in one
# run: the image is a debootstrap Debian minbase rootfs, imported with step04
# (one gzip layer) and pushed to Debian's docker-registry on 127.0.0.1. Then,
# each into an empty store:
#   step04   bin/step04 pull            download, verify, unpack into the layer store
#   skopeo   skopeo copy ... dir:       download and verify only (no unpacking)
#   tar      tar -xzf LAYER             unpacking only, of the same blob, from disk
#   docker   docker pull (--with-docker: docker.io installed, dockerd started for the run)
#
#   bench/step04-pull.sh [--with-docker] [--runs N]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

source bench/lib/options.sh
bench_options 5 "$@"

extra=(docker-registry skopeo)
$with_docker && extra+=(docker.io)
bin/install-deps "${extra[@]}"
mvn -q -B -Dstyle.color=never -DskipTests package -pl step04-images -am
rootfs=$(bench/lib/debian-rootfs.sh)

work=$(mktemp -d /tmp/jocker-bench4.XXXXXX)
source bench/lib/dockerd.sh
cleanup() {
  if [[ -f $work/registry.pid ]]; then kill "$(cat "$work/registry.pid")" 2>/dev/null || true; fi
  if $with_docker && [[ -n ${repo:-} ]]; then
    for i in $(seq 0 "$runs"); do docker rmi -f "$repo:$i" >/dev/null 2>&1 || true; done
  fi
  dockerd_stop
  # dockerd leaves its data root bind-mounted on itself if it dies badly: innermost first
  findmnt -rn -o TARGET | grep "^$work/fs" | sort -r | while read -r m; do umount "$m"; done
  rm -rf "$work"
}
trap cleanup EXIT

# the registry, on a free port of 127.0.0.1
port=5100
while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done
cat >"$work/registry.yml" <<EOF
version: 0.1
log:
  level: error
storage:
  filesystem:
    rootdirectory: $work/registry
http:
  addr: 127.0.0.1:$port
EOF
docker-registry serve "$work/registry.yml" >"$work/registry.log" 2>&1 &
echo $! >"$work/registry.pid"
for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.05; done

# Every tool writes to a new ext4 filesystem made for the benchmark (a loop
# device), and each run pulls its own image (the rootfs plus a file naming the run,
# so each has its own layer): nothing is deleted between runs. On ext4,
# creating files within minutes of deleting thousands is slow (the kernel's
# recently_deleted() scan when it picks inodes: tar -xzf of this layer takes
# 1.4 s, and up to 5.7 s after an rm -rf of the last one), and which tool
# takes the hit would decide the result.
repo=127.0.0.1:$port/bench/debian
echo "image: $rootfs ($(du -sh "$rootfs" | cut -f1), $(find "$rootfs" | wc -l) entries), $((runs + 1)) variants as $repo:0..$runs"
tar -C "$rootfs" -cf "$work/rootfs.tar" .
declare -A blob
for i in $(seq 0 "$runs"); do
  cp "$work/rootfs.tar" "$work/variant.tar"
  echo "$i" >"$work/bench-run" && tar -rf "$work/variant.tar" -C "$work" bench-run
  bin/step04 import --root "$work/source" "$work/variant.tar" "$repo:$i" >/dev/null
  bin/step04 push --root "$work/source" "$repo:$i" >/dev/null
  layer=$(bin/step04 manifest --root "$work/source" "$repo:$i" | grep -A1 'tar+gzip' | grep -o '[0-9a-f]\{64\}')
  blob[$i]=$work/source/images/blobs/sha256/$layer
done
rm "$work/rootfs.tar" "$work/variant.tar"
unpacked=$(zcat "${blob[0]}" | wc -c)
echo "layer blob: $(( $(stat -c %s "${blob[0]}") / 1000000 )) MB gzip, $(( unpacked / 1000000 )) MB as a tar"

mkdir "$work/fs"
truncate -s 8G "$work/fs.img"
mkfs.ext4 -q -F "$work/fs.img"
mount -o loop "$work/fs.img" "$work/fs"
fs=$work/fs
names=(step04 skopeo tar)
if $with_docker; then
  names+=(docker)
  dockerd_start "$work" "$fs/docker"
  $started_dockerd || echo "note: docker was running already: its pulls write to its own data root" >&2
fi
run_one() { # NAME RUN
  local out=$fs/$1-$2
  case $1 in
    step04) bin/step04 pull --root "$out" "$repo:$2" ;;
    skopeo) skopeo copy -q --src-tls-verify=false "docker://$repo:$2" "dir:$out" ;;
    tar) mkdir -p "$out" && tar -xzf "${blob[$2]}" -C "$out" ;;
    docker) docker pull -q "$repo:$2" ;;
  esac >/dev/null
}

# run 0 warms up (step04's class-data archive, the registry's page cache)
: >"$work/times"
for run in $(seq 0 "$runs"); do
  for name in "${names[@]}"; do
    sync
    t0=$(date +%s%N)
    run_one "$name" "$run"
    (( run > 0 )) && echo "$name $(( $(date +%s%N) - t0 ))" >>"$work/times"
  done
done

echo
echo "median s (min-max), MB/s of the uncompressed layer, step04 as a multiple ($runs runs, $(nproc) cores):"
for name in "${names[@]}"; do
  awk -v n="$name" '$1 == n { print $2 / 1e9 }' "$work/times" | sort -g | awk -v n="$name" '{ t[NR] = $1 }
    END { m = NR % 2 ? t[(NR + 1) / 2] : (t[NR / 2] + t[NR / 2 + 1]) / 2; printf "%s %f %f %f\n", n, m, t[1], t[NR] }'
done | awk -v bytes="$unpacked" '{ name[NR] = $1; med[NR] = $2; lo[NR] = $3; hi[NR] = $4; if ($1 == "step04") s = $2 }
  END { for (i = 1; i <= NR; i++)
          printf "  %-8s %6.2f s (%.2f-%.2f)  %5.0f MB/s   step04 = %.2fx\n", name[i], med[i], lo[i], hi[i], bytes / med[i] / 1e6, s / med[i] }'
