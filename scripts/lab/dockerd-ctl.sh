#!/usr/bin/env bash
# scripts/lab/dockerd-ctl.sh I stop|start - stop or start droplet I's dockerd (as root), as a
# droplet whose Docker daemon died (its containers stop with it) and came back.
#
#   stop   TERM (KILL after 20 s); then what a killed daemon leaves behind, a containerd shim
#          or containerd's pid file, is removed, so the next start does not hang on it
#   start  start it again with the same settings (no-op if running); waits for its socket
# Knob: LAB_ROOT (default /tmp/monarch-lab).
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
lab_index "${1:-}"
i=$1 pidf=$LAB_ROOT/pids/dockerd-d$1.pid d=$(lab_dir "$1")

stop() {
  local p
  lab_stop_pid "$(lab_pid "$pidf" || true)" 20
  rm -f "$pidf"
  for p in $(pgrep -f "containerd-shim.*$d/docker-exec" || true); do kill -KILL "$p" 2>/dev/null || true; done
  rm -f "$d/docker-exec/containerd/containerd.pid"
}

start() {
  lab_pid "$pidf" >/dev/null 2>&1 && return 0
  lab_start_dockerd "$i"
  lab_waitfor 30 "dockerd d$i" "$LAB_DOCKER" -H "unix://$(lab_sock "$i")" version
}

case ${2:-} in
  stop) stop ;;
  start) start ;;
  *) lab_die "usage: dockerd-ctl.sh I stop|start" ;;
esac
