#!/usr/bin/env bash
# Starts a step's command-line program: bin/stepNN and bin/jocker source this.
#   launch MODULE PROGRAM MAIN_CLASS ARGS...
#
# The JVM is started for a quick start (serial GC, first JIT tier only,
# JNA's native library unpacked by the build) with a class-data-sharing
# archive of this classpath. The archive is recorded the first time, or
# after a rebuild or a change of this file, by a hidden `cds-train` run;
# the same archive serves the container's init JVM, which is started with
# the same classpath.
# No subshells: every fork here is paid at every container start.
set -euo pipefail

launch() {
  local module=$1 program=$2 main=$3
  shift 3
  local here=${BASH_SOURCE[0]%/*}
  [[ $here == /* ]] || here="$PWD/$here"
  local repo=${here%/bin/lib}
  local target="$repo/$module/target"
  local jar="$target/$module.jar"
  if [[ ! -f "$jar" || ! -d "$target/lib" ]]; then
    echo "$program: not built yet: run 'mvn -q -DskipTests package' in $repo (or bin/demo)" >&2
    exit 125
  fi
  local java=java
  [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/java" ]] && java="$JAVA_HOME/bin/java"

  local cp="$jar" lib newest="$jar"
  for lib in "$target"/lib/*.jar; do
    cp="$cp:$lib"
    [[ "$lib" -nt "$newest" ]] && newest=$lib
  done
  # an archive records the JVM options it was made with: a changed launcher makes a new one
  [[ "${BASH_SOURCE[0]}" -nt "$newest" ]] && newest=${BASH_SOURCE[0]}

  local arch
  case "$HOSTTYPE" in
    x86_64) arch=linux-x86-64 ;;
    aarch64) arch=linux-aarch64 ;;
    *) arch=unknown ;;
  esac
  local jsa="$target/cds/$program.jsa"
  # ArchiveRelocationMode=0: map the class-data archive where it was made to be, rather than at a
  # random address with every pointer in it rewritten (this JDK's default: some 6 ms per start)
  local opts=(
    -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:CICompilerCount=1 -XX:-UsePerfData -Xshare:auto
    -XX:+UnlockDiagnosticVMOptions -XX:ArchiveRelocationMode=0
    -Djna.boot.library.path="$target/native/com/sun/jna/$arch"
    -Djna.platform.library.path=/usr/lib
    -Djocker.cds.archive="$jsa"
  )

  if [[ ! -f "$jsa" || "$newest" -nt "$jsa" ]]; then
    if ! command -v "$java" >/dev/null; then
      echo "$program: no java found: install a JDK 17 (apt-get install openjdk-17-jdk-headless)" >&2
      exit 125
    fi
    mkdir -p "$target/cds"
    local tmp="$jsa.$$.tmp"
    if "$java" "${opts[@]}" -XX:ArchiveClassesAtExit="$tmp" -Xlog:disable -cp "$cp" "$main" cds-train \
        >/dev/null 2>&1 && [[ -f "$tmp" ]]; then
      mv -f "$tmp" "$jsa"
    else
      rm -f "$tmp"   # no archive: everything still works, only slower
    fi
  fi
  exec "$java" "${opts[@]}" -XX:SharedArchiveFile="$jsa" -Xlog:disable -Xlog:all=error:stderr \
    -cp "$cp" "$main" "$@"
}
