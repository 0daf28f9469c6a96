#!/usr/bin/env bash
# scripts/lab/swarm.sh - turn a running lab (up.sh, DROPLETS >= 3) into a Docker Swarm, and check
# what a stack deploy needs of it (run as root). Groundwork for issue 13 (mode: swarm).
#
#   swarm.sh init    droplet 1 becomes the manager (advertised on its lab address), droplets
#                    2..N join as workers; nodes are labelled monarch.droplet=<i>
#   swarm.sh check   an overlay network, and a service of the lab registry's private :v1 with one
#                    replica per worker and a host-mode port, deployed from the manager with
#                    --with-registry-auth (the workers have no login of their own): every task
#                    runs, on the workers, and answers on each worker's address; then removed
#   swarm.sh leave   every node leaves the swarm (down.sh tears the lab down either way)
#
# This kernel has no IPVS, so the ingress routing mesh cannot work here: services publish their
# ports in `mode: host` (or use `endpoint_mode: dnsrr`). Real droplets have the mesh.
# Knob: LAB_ROOT (default /tmp/monarch-lab).
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
[ "$(id -u)" = 0 ] || lab_die "swarm.sh must run as root"
[ -f "$LAB_ROOT/lab.json" ] || lab_die "no lab at $LAB_ROOT (run up.sh with DROPLETS=3 first)"
DROPLETS=$(find "$LAB_ROOT/droplets" -maxdepth 1 -name 'd[0-9]*' | wc -l)
((DROPLETS >= 3)) || lab_die "a swarm of one manager and two workers needs DROPLETS=3 (the lab has $DROPLETS)"

# on I ARGS...: the lab's docker CLI against droplet I's dockerd.
on() { local i=$1; shift; "$LAB_DOCKER" -H "unix://$(lab_sock "$i")" "$@"; }

init() {
  on 1 swarm init --advertise-addr "$(lab_ip 1)" --listen-addr "$(lab_ip 1):2377" >/dev/null
  local token i
  token=$(on 1 swarm join-token -q worker)
  for ((i = 2; i <= DROPLETS; i++)); do
    on "$i" swarm join --token "$token" --advertise-addr "$(lab_ip "$i")" \
      --listen-addr "$(lab_ip "$i"):2377" "$(lab_ip 1):2377" >/dev/null
  done
  for ((i = 1; i <= DROPLETS; i++)); do
    on 1 node update --label-add "monarch.droplet=$i" "$(on "$i" info -f '{{.Swarm.NodeID}}')" >/dev/null
  done
  lab_waitfor 30 "every node ready" sh -c \
    "[ \"\$('$LAB_DOCKER' -H unix://$(lab_sock 1) node ls -q --filter role=worker | wc -l)\" -eq $((DROPLETS - 1)) ]"
  echo "swarm: manager $(lab_ip 1), $((DROPLETS - 1)) workers"
}

check() {
  local config=$LAB_ROOT/swarm-check-config i served
  on 1 network create -d overlay --attachable monarch-check-net >/dev/null
  trap 'on 1 service rm monarch-check >/dev/null 2>&1; on 1 network rm monarch-check-net >/dev/null 2>&1 || true' RETURN
  # The manager logs in through a throwaway config; the workers get the credentials with the task.
  mkdir -p "$config"
  printf '%s\n' "$LAB_REG_PASS" | DOCKER_CONFIG=$config "$LAB_DOCKER" -H "unix://$(lab_sock 1)" \
    login --username "$LAB_REG_USER" --password-stdin "$LAB_REG_ADDR" >/dev/null 2>&1 || lab_die "registry login failed"
  DOCKER_CONFIG=$config "$LAB_DOCKER" -H "unix://$(lab_sock 1)" service create -q --detach \
    --with-registry-auth --name monarch-check --network monarch-check-net \
    --mode replicated --replicas $((DROPLETS - 1)) --constraint node.role==worker \
    --placement-pref spread=node.labels.monarch.droplet \
    --publish mode=host,target=8080,published=8080 "$IMAGE:v1" >/dev/null
  rm -rf "$config"
  lab_waitfor 60 "every task running" sh -c \
    "[ \"\$('$LAB_DOCKER' -H unix://$(lab_sock 1) service ps -q --filter desired-state=running --filter _up-to-date=true monarch-check | wc -l)\" -eq $((DROPLETS - 1)) ] &&
     ! '$LAB_DOCKER' -H unix://$(lab_sock 1) service ps --format '{{.CurrentState}}' --filter desired-state=running monarch-check | grep -qv '^Running'"
  for ((i = 2; i <= DROPLETS; i++)); do
    served=$(curl -fsS -m 3 "http://$(lab_ip "$i"):8080/version.txt") ||
      lab_die "worker $i does not answer on its host-mode port"
    [ "$served" = v1 ] || lab_die "worker $i serves '$served', not v1"
  done
  echo "swarm: a private :v1 runs on each of the $((DROPLETS - 1)) workers (no login of their own), overlay network ok"
}

leave() {
  local i
  for ((i = DROPLETS; i >= 1; i--)); do on "$i" swarm leave --force >/dev/null 2>&1 || true; done
  echo "swarm: left"
}

# The registry's user and password, and the image, as up.sh wrote them.
# shellcheck source=/dev/null
. "$LAB_ROOT/env.sh"
LAB_REG_USER=$LAB_REGISTRY_USER LAB_REG_PASS=$LAB_REGISTRY_PASSWORD IMAGE=$LAB_IMAGE
case ${1:-} in
  init) init ;;
  check) check ;;
  leave) leave ;;
  *) lab_die "usage: swarm.sh init | check | leave" ;;
esac
