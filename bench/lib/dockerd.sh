# Sourced by the benchmarks that compare with docker: starts dockerd for the
# run if none is running (docker.io installed by bin/install-deps), and stops
# it again at the end. No iptables rules, unless asked (step 6 measures NAT and
# published ports): then docker's rules and chains are removed at the stop, and
# the FORWARD policy docker set to DROP is put back. Nothing of docker stays.
#   dockerd_start WORKDIR [DATA_ROOT [iptables]]   then, in the EXIT trap:   dockerd_stop
started_dockerd=false
dockerd_iptables=false

dockerd_start() {
  if docker info >/dev/null 2>&1; then
    return
  fi
  local flags=(--iptables=false --ip-masq=false)
  if [[ ${3:-} == iptables ]]; then
    flags=()
    dockerd_iptables=true
    dockerd_forward_policy=$(iptables -w -S FORWARD | sed -n 's/^-P FORWARD //p')
  fi
  dockerd "${flags[@]}" ${2:+--data-root "$2"} >"$1/dockerd.log" 2>&1 &
  echo $! >"$1/dockerd.pid"
  dockerd_pidfile=$1/dockerd.pid
  started_dockerd=true
  for _ in $(seq 60); do docker info >/dev/null 2>&1 && return; sleep 0.5; done
  echo "dockerd did not start; see $1/dockerd.log" >&2
  return 1
}

# every rule that names a DOCKER chain or a docker bridge, then docker's chains
docker_rules_remove() {
  local table rule chain
  for table in nat filter; do
    iptables -w -t "$table" -S | grep -E '^-A .*(DOCKER|docker0|br-[0-9a-f]{12})' | sed 's/^-A //' \
      | while read -r rule; do eval "iptables -w -t $table -D $rule" 2>/dev/null || true; done
    for chain in $(iptables -w -t "$table" -S | sed -n 's/^-N \(DOCKER[A-Z0-9-]*\)$/\1/p'); do
      iptables -w -t "$table" -F "$chain" 2>/dev/null || true
    done
    for chain in $(iptables -w -t "$table" -S | sed -n 's/^-N \(DOCKER[A-Z0-9-]*\)$/\1/p'); do
      iptables -w -t "$table" -X "$chain" 2>/dev/null || true
    done
  done
  iptables -w -P FORWARD "${dockerd_forward_policy:-ACCEPT}"
}

dockerd_stop() {
  if $started_dockerd; then
    local pid
    pid=$(cat "$dockerd_pidfile")
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    ip link del docker0 2>/dev/null || true
    if $dockerd_iptables; then
      docker_rules_remove
    fi
    started_dockerd=false
  fi
}
