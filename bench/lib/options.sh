# Sourced by the benchmarks that can compare with docker: their options.
#   bench_options DEFAULT_RUNS "$@"   sets with_docker (true|false) and runs
bench_options() {
  runs=$1
  shift
  with_docker=false
  while [[ $# -gt 0 ]]; do
    case $1 in
      --with-docker) with_docker=true ;;
      --runs) runs=${2:-}; shift ;;
      *) echo "usage: $0 [--with-docker] [--runs N]" >&2; exit 2 ;;
    esac
    shift
  done
  if [[ ! $runs =~ ^[1-9][0-9]*$ ]]; then
    echo "$0: --runs wants a positive number, not \"$runs\"" >&2
    exit 2
  fi
}
