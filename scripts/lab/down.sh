#!/usr/bin/env bash
# scripts/lab/down.sh - tear the e2e lab down (run as root). Idempotent; succeeds when nothing is up.
#
# Stops sshd, dockerd (and its containers, containerd, shims) and the registry by their pid files,
# then kills leftovers: any process still inside a droplet namespace (e.g. an SSH session the
# action left running) and any dockerd/containerd/sshd/registry/docker-proxy whose command line
# points into $LAB_ROOT. Unmounts what is under $LAB_ROOT, deletes the namespaces mdroplet<i>,
# their veths, the bridge mnbr0 and the cgroups monarch-d<i>, removes user deploy if up.sh
# created it, and deletes $LAB_ROOT. Leaves the apt packages (and /run/sshd) in place.
#
# Knobs: LAB_ROOT (default /tmp/monarch-lab); KEEP_FILES=1 keeps $LAB_ROOT (logs) on disk.
# Flag: --quiet prints only problems.
set -uo pipefail
# shellcheck source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
[ "$(id -u)" = 0 ] || lab_die "down.sh must run as root"
QUIET=0; [ "${1:-}" = --quiet ] && QUIET=1

T0=$EPOCHREALTIME
step() {
  ((QUIET)) && return 0
  local us=$((${EPOCHREALTIME/./} - ${T0/./}))
  printf '[down %3d.%02ds] %s\n' $((us / 1000000)) $((us % 1000000 / 10000)) "$*"
}
droplet_namespaces() { ip netns list 2>/dev/null | awk '{print $1}' | grep -E '^mdroplet[0-9]+$'; }

# 1. sshd listeners first (no new sessions)
for f in "$LAB_ROOT"/pids/sshd-d*.pid; do [ -f "$f" ] && lab_stop_pid "$(lab_pid "$f")"; done

# 2. dockerd: kill the containers first (faster than their stop timeouts), then stop the daemons
stop_dockerd() {
  local f=$1 sock
  sock=$LAB_ROOT/droplets/$(basename "$f" .pid | sed 's/^dockerd-//')/docker.sock
  if [ -S "$sock" ]; then
    local ids
    ids=$(timeout 5 "$LAB_DOCKER" -H "unix://$sock" ps -q 2>/dev/null) &&
      [ -n "$ids" ] && echo "$ids" | xargs timeout 10 "$LAB_DOCKER" -H "unix://$sock" kill >/dev/null 2>&1
  fi
  lab_stop_pid "$(lab_pid "$f")" 20
}
for f in "$LAB_ROOT"/pids/dockerd-d*.pid; do [ -f "$f" ] && stop_dockerd "$f" & done
wait

# 3. registry
lab_stop_pid "$(lab_pid "$LAB_ROOT/pids/registry.pid")"
step "sshd, dockerd, registry stopped"

# 4. leftovers: anything in a droplet's network namespace, lab daemons found by command line
for ns in $(droplet_namespaces); do
  for p in $(ip netns pids "$ns" 2>/dev/null); do
    echo "down: pid $p still in $ns: $({ tr '\0' ' ' <"/proc/$p/cmdline"; } 2>/dev/null | cut -c1-80)" >&2
    lab_stop_pid "$p" 3
  done
done
for p in /proc/[0-9]*; do
  pid=${p#/proc/}
  cmd=$({ tr '\0' ' ' <"$p/cmdline"; } 2>/dev/null) || continue
  case $cmd in
    *containerd* | *docker-proxy* | *dockerd* | *sshd* | *docker-registry*)
      if [[ $cmd == *"$LAB_ROOT/"* ]]; then
        echo "down: leftover pid $pid: ${cmd:0:80}" >&2
        lab_stop_pid "$pid" 3
      fi ;;
  esac
done
step "leftover scan done"

# 5. mounts under $LAB_ROOT, deepest first (the pinned mount namespaces, the ns dir itself, and
#    whatever a dockerd left in the host namespace)
grep -o " $LAB_ROOT/[^ ]*" /proc/mounts | sort -ru | while read -r m; do
  umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || echo "down: cannot unmount $m" >&2
done
grep -q " $LAB_ROOT/" /proc/mounts && { grep -o " $LAB_ROOT/[^ ]*" /proc/mounts | sort -ru | xargs -r -n1 umount -l 2>/dev/null; }

# 6. network: namespaces (their veths, docker bridges and iptables rules go with them), the host
#    ends of veths whose namespace something still pins, the bridge
for ns in $(droplet_namespaces); do ip netns del "$ns" || echo "down: cannot delete netns $ns" >&2; done
for l in $(ip -o link show 2>/dev/null | awk -F': ' '{print $2}' | sed 's/@.*//' | grep -E '^mnd[0-9]+h$'); do
  ip link del "$l" 2>/dev/null
done
ip link del "$LAB_BRIDGE" 2>/dev/null
step "namespaces, veths, bridge removed"

# 7. cgroups made through --cgroup-parent monarch-d<i> (deepest first)
for c in /sys/fs/cgroup/*/monarch-d[0-9]* /sys/fs/cgroup/monarch-d[0-9]*; do
  [ -d "$c" ] && find "$c" -depth -type d -exec rmdir {} + 2>/dev/null
done

# 8. empty dirs dockerd/containerd make outside their roots (rmdir: a host docker's stay)
rmdir /run/docker/plugins /run/docker /run/containerd/s /run/containerd 2>/dev/null

# 9. the user, if up.sh created it, and the files
if [ -f "$LAB_ROOT/.created-user" ] && id "$LAB_SSH_USER" >/dev/null 2>&1; then
  userdel -r "$LAB_SSH_USER" 2>/dev/null || userdel "$LAB_SSH_USER" 2>/dev/null ||
    echo "down: could not remove user $LAB_SSH_USER" >&2
fi
if [ "${KEEP_FILES:-0}" != 1 ] && [ -e "$LAB_ROOT" ]; then
  rm -rf "$LAB_ROOT" 2>/dev/null || { sleep 0.5; rm -rf "$LAB_ROOT"; } || echo "down: could not delete $LAB_ROOT" >&2
fi
step "done"
exit 0
