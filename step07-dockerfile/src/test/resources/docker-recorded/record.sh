#!/usr/bin/env bash
# Records what docker's classic builder makes of each context here (see README.md).
# Needs dockerd running and jk-busybox imported: tar -C ROOTFS -c . | docker import - jk-busybox
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
for dir in */; do
  name=${dir%/}
  [[ -d $name/parent ]] && DOCKER_BUILDKIT=0 docker build -q -t jk-busybox-onbuild "$name/parent" >/dev/null
  DOCKER_BUILDKIT=0 docker build -q -t "jk-fixture-$name" "$name/ctx" >/dev/null
  docker image inspect -f '{{json .Config}}' "jk-fixture-$name" \
    | jq -S '{Env, Cmd, Entrypoint, WorkingDir, User, ExposedPorts, Volumes, Labels, StopSignal, Healthcheck, OnBuild}' >"$name/config.json"
  docker run --rm "jk-fixture-$name" >"$name/run.txt" 2>&1
  docker run --rm --entrypoint /bin/sh "jk-fixture-$name" -c \
    "for p in $(tr '\n' ' ' <"$name/paths"); do stat -c '%n %u:%g %a %F' \$p; done" >"$name/tree.txt"
  base=$(docker image inspect -f '{{len .RootFS.Layers}}' jk-busybox) # noqa: the history of the base is one entry
  docker image inspect -f '{{json .}}' "jk-fixture-$name" >/dev/null
  docker history --no-trunc --format '{{.CreatedBy}}' "jk-fixture-$name" | tac | tail -n +2 >"$name/history.txt"
  docker rmi "jk-fixture-$name" >/dev/null
done
