#!/usr/bin/env bash
# scripts/lab/registry-ctl.sh stop|start|hang|unhang - control the lab registry (as root).
#
#   stop    stop it (pulls fail: connection refused)
#   start   start it again, same config and storage; also un-hangs it (no-op if it runs)
#   hang    SIGSTOP it: connections are accepted by the kernel but never answered, so pulls and
#           logins hang until the client's own timeout
#   unhang  SIGCONT it
# Knob: LAB_ROOT (default /tmp/monarch-lab).
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
pidf=$LAB_ROOT/pids/registry.pid
[ -f "$LAB_ROOT/registry/config.yml" ] || lab_die "the lab is not up ($LAB_ROOT/registry/config.yml missing)"
running() { lab_alive "$pidf" || lab_die "the registry is not running (registry-ctl.sh start)"; }

case ${1:-} in
  stop) lab_stop_pid "$(lab_pid "$pidf")"; rm -f "$pidf" ;;
  start) lab_start_registry ;;
  hang) running; kill -STOP "$(lab_pid "$pidf")" ;;
  unhang) running; kill -CONT "$(lab_pid "$pidf")" ;;
  *) lab_die "usage: registry-ctl.sh stop|start|hang|unhang" ;;
esac
