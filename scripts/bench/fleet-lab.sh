#!/usr/bin/env bash
# scripts/bench/fleet-lab.sh - light droplets for the fleet benchmark (run as root).
#
#   fleet-lab.sh up N     N droplets (at most 250), each a network namespace with its own sshd
#   fleet-lab.sh down     stops them and removes everything (idempotent)
#
# What is measured at scale is the action, not 100 dockerd on 2 cores: each droplet has a real
# OpenSSH server, real sh, flock, timeout and tar, and `docker` replaced by docker-stub.sh, which
# answers a deploy's docker calls as docker would, with fixed delays (FLEET_PULL_S, FLEET_UP_S).
# Each sshd runs in its own mount namespace, where /opt is the droplet's own folder (app-dir and
# the setup marker) and /usr/local/bin holds only the stub (first on the session's PATH).
#
# Names are this script's own (netns mfleet<i>, bridge mfbr0, 10.214.0.0/16, FLEET_ROOT), so it
# never touches the e2e lab's; it is run by bench.sh after that lab is down. Writes
# $FLEET_ROOT/fleet.json: { hosts, sshKey, knownHosts, user } (user mfleet, made here if need be).
set -euo pipefail
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
FLEET_ROOT=${FLEET_ROOT:-/tmp/monarch-fleet-lab}
BRIDGE=mfbr0
# The SSH user: its own, with /bin/sh as its shell (no rc file: root's bash here would run
# whatever ~/.bashrc holds in each of 100 sessions at once).
FLEET_USER=mfleet
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

ip_of() { echo "10.214.$(($1 / 200)).$(($1 % 200 + 10))"; }
die() { echo "fleet-lab: $*" >&2; exit 1; }

down() {
  for f in "$FLEET_ROOT"/d*/sshd.pid; do
    [ -f "$f" ] && kill "$(cat "$f")" 2>/dev/null || true
  done
  for ns in $(ip netns list 2>/dev/null | awk '{print $1}' | grep -E '^mfleet[0-9]+$'); do
    for p in $(ip netns pids "$ns" 2>/dev/null); do kill -9 "$p" 2>/dev/null || true; done
    ip netns del "$ns"
  done
  ip link del "$BRIDGE" 2>/dev/null || true
  if [ -e "$FLEET_ROOT/.created-user" ]; then userdel "$FLEET_USER" 2>/dev/null || true; fi
  rm -rf "$FLEET_ROOT"
}

write_sshd_config() {  # write_sshd_config I DIR
  cat >"$2/sshd_config" <<EOF
ListenAddress $(ip_of "$1")
Port 22
HostKey $2/host_key
PidFile $2/sshd.pid
AuthorizedKeysFile $FLEET_ROOT/authorized_keys
PermitRootLogin no
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
MaxStartups 100:30:200
SetEnv DOCKER_CONFIG=$2/docker-config
EOF
}

up() {
  local n=$1 i d hosts=()
  [[ $n =~ ^[1-9][0-9]*$ ]] && ((n <= 250)) || die "up N: N from 1 to 250"
  down
  mkdir -p "$FLEET_ROOT/bin"
  chmod 0755 "$FLEET_ROOT"
  if ! id "$FLEET_USER" >/dev/null 2>&1; then
    useradd -M -d "$FLEET_ROOT" -s /bin/sh "$FLEET_USER"
    touch "$FLEET_ROOT/.created-user"
  fi
  usermod -p '*' "$FLEET_USER"   # unlocked (UsePAM no refuses a locked account), no password
  install -m 0755 "$HERE/docker-stub.sh" "$FLEET_ROOT/bin/docker"
  ssh-keygen -q -t ed25519 -N '' -C monarch-fleet -f "$FLEET_ROOT/id_ed25519"
  cp "$FLEET_ROOT/id_ed25519.pub" "$FLEET_ROOT/authorized_keys"
  : >"$FLEET_ROOT/known_hosts"
  mkdir -p /run/sshd && chmod 0755 /run/sshd
  ip link add "$BRIDGE" type bridge
  ip addr add 10.214.0.1/16 dev "$BRIDGE"
  ip link set "$BRIDGE" up
  for ((i = 1; i <= n; i++)); do
    d=$FLEET_ROOT/d$i
    mkdir -p "$d/opt" "$d/docker-config/cli-plugins"
    touch "$d/opt/setup_complete"
    # The compose v2 plugin, as the docker CLI finds it (the stub answers `docker compose`).
    install -m 0755 /dev/null "$d/docker-config/cli-plugins/docker-compose"
    chown "$FLEET_USER" "$d/opt"
    ip netns add "mfleet$i"
    ip link add "mf${i}h" type veth peer name "mf${i}n"
    ip link set "mf${i}n" netns "mfleet$i"
    ip link set "mf${i}h" master "$BRIDGE" up
    ip -n "mfleet$i" link set "mf${i}n" name eth0
    ip -n "mfleet$i" addr add "$(ip_of "$i")/16" dev eth0
    ip -n "mfleet$i" link set eth0 up
    ip -n "mfleet$i" link set lo up
    ssh-keygen -q -t ed25519 -N '' -C "mfleet$i" -f "$d/host_key"
    write_sshd_config "$i" "$d"
    # shellcheck disable=SC2016  # expanded by the inner sh
    nsenter --net="/run/netns/mfleet$i" unshare -m --propagation private sh -c \
      'mount --bind "$1/opt" /opt && mount --bind "$2" /usr/local/bin && exec /usr/sbin/sshd -f "$1/sshd_config" -E "$1/sshd.log"' \
      sh "$d" "$FLEET_ROOT/bin"
    echo "$(ip_of "$i") $(cut -d' ' -f1,2 "$d/host_key.pub")" >>"$FLEET_ROOT/known_hosts"
    hosts+=("\"$(ip_of "$i")\"")
  done
  for ((i = 1; i <= n; i++)); do
    for _ in $(seq 100); do [ -s "$FLEET_ROOT/d$i/sshd.pid" ] && break; sleep 0.05; done
    [ -s "$FLEET_ROOT/d$i/sshd.pid" ] || die "sshd of droplet $i did not start: $(tail -n 3 "$FLEET_ROOT/d$i/sshd.log")"
  done
  printf '{"hosts": [%s], "sshKey": "%s", "knownHosts": "%s", "user": "%s"}\n' \
    "$(IFS=,; echo "${hosts[*]}")" "$FLEET_ROOT/id_ed25519" "$FLEET_ROOT/known_hosts" "$FLEET_USER" >"$FLEET_ROOT/fleet.json"
}

[ "$(id -u)" = 0 ] || die "run as root (network namespaces)"
case ${1:-} in
  up) up "${2:-}" ;;
  down) down ;;
  *) die "usage: fleet-lab.sh up N | down" ;;
esac
