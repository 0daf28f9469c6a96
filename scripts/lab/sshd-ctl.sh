#!/usr/bin/env bash
# scripts/lab/sshd-ctl.sh I stop|start|restart|kill-sessions - control droplet I's sshd (as root).
#
#   stop           stop the listening sshd (open sessions live on, as with `service ssh stop`)
#   start          start it again with the same config and host key (no-op if running)
#   restart        stop + start
#   kill-sessions  kill every SSH session on the droplet (and what it runs), keep the listener
# Knob: LAB_ROOT (default /tmp/monarch-lab).
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
lab_index "${1:-}"
i=$1 pidf=$LAB_ROOT/pids/sshd-d$1.pid

stop() { lab_stop_pid "$(lab_pid "$pidf")"; rm -f "$pidf"; }

kill_sessions() {
  # Session processes are in the droplet's netns; the daemons there are the sshd listener,
  # dockerd, containerd, containerd-shim*, docker-proxy. (Containers have their own netns.)
  local listener p comm
  listener=$(lab_pid "$pidf" || true)
  for p in $(ip netns pids "$(lab_ns "$i")"); do
    [ "$p" = "$listener" ] && continue
    comm=$(cat "/proc/$p/comm" 2>/dev/null) || continue
    case $comm in dockerd | containerd | containerd-shim* | docker-proxy | runc) continue ;; esac
    kill -KILL "$p" 2>/dev/null || true
  done
}

case ${2:-} in
  stop) stop ;;
  start) lab_start_sshd "$i" ;;
  restart) stop; lab_start_sshd "$i" ;;
  kill-sessions) kill_sessions ;;
  *) lab_die "usage: sshd-ctl.sh I stop|start|restart|kill-sessions" ;;
esac
