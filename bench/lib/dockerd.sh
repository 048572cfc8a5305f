# Sourced by the benchmarks that compare with docker: starts dockerd for the
# run if none is running (docker.io installed by bin/install-deps), and stops
# it again at the end. No iptables rules: nothing of docker stays on the host.
#   dockerd_start WORKDIR [DATA_ROOT]   then, in the EXIT trap:   dockerd_stop
started_dockerd=false

dockerd_start() {
  if docker info >/dev/null 2>&1; then
    return
  fi
  dockerd --iptables=false --ip-masq=false ${2:+--data-root "$2"} >"$1/dockerd.log" 2>&1 &
  echo $! >"$1/dockerd.pid"
  dockerd_pidfile=$1/dockerd.pid
  started_dockerd=true
  for _ in $(seq 60); do docker info >/dev/null 2>&1 && return; sleep 0.5; done
  echo "dockerd did not start; see $1/dockerd.log" >&2
  return 1
}

dockerd_stop() {
  if $started_dockerd; then
    local pid
    pid=$(cat "$dockerd_pidfile")
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    ip link del docker0 2>/dev/null || true
    started_dockerd=false
  fi
}
