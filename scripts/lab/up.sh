#!/usr/bin/env bash
# scripts/lab/up.sh - start the end-to-end lab: fake "droplets" on this machine (run as root).
#
# Each droplet i (1..DROPLETS) is a network namespace mdroplet<i> at 10.210.0.(10+i) on the host
# bridge mnbr0 (10.210.0.1/24), with its own persistent mount namespace in which a per-droplet dir
# is bound over /opt. In both namespaces run:
#   * a real OpenSSH sshd on <ip>:22 (keys only; users root and deploy, same client key), whose
#     ForceCommand logs every session to $LAB_ROOT/logs/commands-d<i>.log (see force-command.sh);
#   * a real dockerd (socket $LAB_ROOT/droplets/d<i>/docker.sock; sshd sets DOCKER_HOST and a
#     per-user DOCKER_CONFIG for SSH sessions);
#   * compose: droplet 1 has `docker compose` (Debian's docker-compose 1.29 behind a CLI-plugin
#     shim), droplets 2+ have only `docker-compose`.
# Plus one private registry on 10.210.0.1:5000 (htpasswd basic auth, plain HTTP, deletes enabled)
# holding 10.210.0.1:5000/monarch/app:{v1,v2,latest,unhealthy,crash,slow-v1,slow-v2,slow-unhealthy}
# (slow-*: listening ~2 s after start) and 10.210.0.1:5000/monarch/caddy:2.6 (Debian's caddy).
# /opt/setup_complete is NOT created: the tests do that (__tests__/e2e/lab.ts setupComplete).
# Check a running lab with smoke.sh; control it with sshd-ctl.sh, net-ctl.sh, registry-ctl.sh.
#
# Writes $LAB_ROOT/lab.json and $LAB_ROOT/env.sh. Idempotent: first tears down any previous lab
# (down.sh). Undo with down.sh.
#
# Knobs (environment):
#   LAB_ROOT        lab directory (default /tmp/monarch-lab; user deploy must be able to traverse it)
#   DROPLETS        number of droplets (default 2)
#   REG_USER        registry user (default ciuser)
#   REG_PASS        registry password (default ci-secret-pw)
#   STORAGE_DRIVER  dockerd storage driver (default overlay2; vfs works too, slower)
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

DROPLETS=${DROPLETS:-2}
REG_USER=${REG_USER:-ciuser}
REG_PASS=${REG_PASS:-ci-secret-pw}
STORAGE_DRIVER=${STORAGE_DRIVER:-overlay2}
IMAGE=$LAB_REG_ADDR/monarch/app
[[ $DROPLETS =~ ^[1-9][0-9]?$ ]] || lab_die "DROPLETS must be 1..99"
[ "$(id -u)" = 0 ] || lab_die "up.sh must run as root"
[[ $LAB_ROOT == /* && $LAB_ROOT != *[[:space:]\"\'\\]* ]] || lab_die "LAB_ROOT must be an absolute path without spaces or quotes"
# unix socket paths are limited to 108 bytes; containerd's lives under the exec root
((${#LAB_ROOT} + 64 < 108)) || lab_die "LAB_ROOT is too long for the docker/containerd socket paths"

on_exit() {
  local rc=$?
  ((rc == 0)) || echo "up.sh failed (status $rc): logs in $LAB_ROOT/logs; clean up with scripts/lab/down.sh" >&2
}
trap on_exit EXIT
T0=$EPOCHREALTIME
step() { local us=$((${EPOCHREALTIME/./} - ${T0/./})); printf '[up %3d.%02ds] %s\n' $((us / 1000000)) $((us % 1000000 / 10000)) "$*"; }

# ---- 0. packages --------------------------------------------------------------------------------
install_packages() {
  local pkgs=(openssh-server openssh-client docker.io docker-compose docker-registry apache2-utils
    busybox-static iptables iproute2 curl util-linux passwd) missing=() p log=/tmp/monarch-lab-apt.log
  for p in "${pkgs[@]}"; do
    # a docker from elsewhere (e.g. docker-ce on a CI runner) would conflict with docker.io
    [ "$p" = docker.io ] && command -v dockerd >/dev/null && continue
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p")
  done
  ((${#missing[@]})) || return 0
  step "apt-get install ${missing[*]} (log: $log)"
  export DEBIAN_FRONTEND=noninteractive
  { apt-get -q -o DPkg::Lock::Timeout=300 update &&
    apt-get -q -y -o DPkg::Lock::Timeout=300 install --no-install-recommends "${missing[@]}"; } >"$log" 2>&1 ||
    { tail -25 "$log" >&2; lab_die "apt-get failed (see $log)"; }
}
install_packages
step "packages ok"

# ---- 1. a clean slate ----------------------------------------------------------------------------
KEEP_FILES=0 bash "$LAB_SCRIPTS/down.sh" --quiet
# An older prototype lab (netns droplet<i>, bridge feasbr0, 10.200.0.0/24) may be up: our names and
# subnet differ, so leave it alone and just say so.
if [ -e /run/netns/droplet1 ] || ip link show feasbr0 >/dev/null 2>&1; then
  step "note: another lab (netns droplet1 / bridge feasbr0, 10.200.0.0/24) is up; left alone, we use $LAB_NET.0/24"
fi
mkdir -p "$LAB_ROOT"/{pids,logs,ssh/authorized_keys,bin,ns,empty,registry/storage,img/ctx}
chmod 0755 "$LAB_ROOT" "$LAB_ROOT/logs"

# ---- 2. user, keys, wrappers --------------------------------------------------------------------
if ! id "$LAB_SSH_USER" >/dev/null 2>&1; then
  useradd -m -s /bin/bash -G docker "$LAB_SSH_USER"
  touch "$LAB_ROOT/.created-user"   # down.sh removes the user again
fi
usermod -p '*' -aG docker "$LAB_SSH_USER"   # useradd leaves '!' (locked); with UsePAM no sshd refuses locked accounts
runuser -u "$LAB_SSH_USER" -- test -x "$LAB_ROOT/logs" ||
  lab_die "user $LAB_SSH_USER cannot reach $LAB_ROOT: choose a LAB_ROOT whose parents are world-searchable"
ssh-keygen -q -t ed25519 -N '' -C monarch-lab-client -f "$LAB_ROOT/ssh/id_ed25519"
for u in root "$LAB_SSH_USER"; do cp "$LAB_ROOT/ssh/id_ed25519.pub" "$LAB_ROOT/ssh/authorized_keys/$u"; done
install -m 0755 "$LAB_SCRIPTS/force-command.sh" "$LAB_ROOT/bin/force-command"
# Call counters for the benchmark (force-command.sh puts them first on the PATH when asked).
mkdir -p "$LAB_ROOT/bin/counting"
for tool in docker docker-compose; do
  real=$(command -v "$tool") || continue
  printf '#!/bin/sh\n# counts the calls of %s for the benchmark (see force-command.sh)\n[ -z "$LAB_CALLS" ] || printf "%%s %%s\\n" %s "$1" >>"$LAB_CALLS"\nexec %s "$@"\n' \
    "$tool" "$tool" "$real" >"$LAB_ROOT/bin/counting/$tool"
  chmod 0755 "$LAB_ROOT/bin/counting/$tool"
done
: >"$LAB_ROOT/ssh/known_hosts"
mount --bind "$LAB_ROOT/ns" "$LAB_ROOT/ns"   # a mount namespace can only be pinned on a private mount
mount --make-private "$LAB_ROOT/ns"
step "user $LAB_SSH_USER, keys ok"

# ---- 3. bridge + registry ------------------------------------------------------------------------
ip link add "$LAB_BRIDGE" type bridge
ip addr add "$LAB_NET.1/24" dev "$LAB_BRIDGE"
ip link set "$LAB_BRIDGE" up

htpasswd -Bbn "$REG_USER" "$REG_PASS" >"$LAB_ROOT/registry/htpasswd"
cat >"$LAB_ROOT/registry/config.yml" <<EOF
version: 0.1
log: {level: info}
storage:
  cache: {blobdescriptor: inmemory}
  filesystem: {rootdirectory: $LAB_ROOT/registry/storage}
  delete: {enabled: true}
http:
  addr: $LAB_REG_ADDR
  secret: monarch-lab-not-secret
auth:
  htpasswd: {realm: monarch-lab-registry, path: $LAB_ROOT/registry/htpasswd}
EOF
lab_start_registry
step "registry on $LAB_REG_ADDR (pid $(cat "$LAB_ROOT/pids/registry.pid"))"

# ---- 4. droplets ---------------------------------------------------------------------------------
# The system-wide docker CLI plugin dirs: hidden on droplets 2+ (so `docker compose` fails there
# even where a real compose v2 plugin is installed on the host, e.g. on a CI runner).
PLUGIN_DIRS=(/usr/local/lib/docker/cli-plugins /usr/local/libexec/docker/cli-plugins
  /usr/lib/docker/cli-plugins /usr/libexec/docker/cli-plugins)

make_netns() {  # make_netns I: namespace + veth pair into the bridge
  local i=$1 ns h=mnd${1}h n=mnd${1}n
  ns=$(lab_ns "$i")
  ip netns add "$ns"
  ip link add "$h" type veth peer name "$n"
  ip link set "$n" netns "$ns"
  ip link set "$h" master "$LAB_BRIDGE" up
  ip -n "$ns" link set "$n" name eth0
  ip -n "$ns" addr add "$(lab_ip "$i")/24" dev eth0
  ip -n "$ns" link set eth0 up
  ip -n "$ns" link set lo up
}

make_mntns() {  # make_mntns I: persistent private mount namespace with the droplet's dir over /opt
  local i=$1 d masks=() p
  d=$(lab_dir "$i")
  if ((i >= 2)); then for p in "${PLUGIN_DIRS[@]}"; do [ -d "$p" ] && masks+=("$p"); done; fi
  touch "$(lab_mntns "$i")"
  # Inside: drop our copy of $LAB_ROOT/ns (it pins the other droplets' namespaces), bind /opt,
  # hide the system plugin dirs.
  # shellcheck disable=SC2016  # expanded by the inner sh
  unshare --mount="$(lab_mntns "$i")" --propagation private sh -c '
    umount -l "$1" 2>/dev/null; mount --bind "$2" /opt || exit 1
    e=$3; shift 3; for p in "$@"; do mount --bind "$e" "$p" || exit 1; done' \
    sh "$LAB_ROOT/ns" "$d/opt" "$LAB_ROOT/empty" "${masks[@]}"
}

start_dockerd() {  # start_dockerd I (background; the socket shows up ~0.3 s later)
  # Its own config file: never the host's /etc/docker/daemon.json.
  printf '{"storage-driver": "%s"}\n' "$STORAGE_DRIVER" >"$(lab_dir "$1")/daemon.json"
  lab_start_dockerd "$1"
}

write_sshd_config() {  # write_sshd_config I
  local i=$1 d
  d=$(lab_dir "$i")
  cat >"$d/sshd_config" <<EOF
ListenAddress $(lab_ip "$i")
Port 22
HostKey $d/ssh_host_ed25519_key
PidFile $LAB_ROOT/pids/sshd-d$i.pid
AuthorizedKeysFile $LAB_ROOT/ssh/authorized_keys/%u
PermitRootLogin prohibit-password
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
# keys live under /tmp (mode 1777): StrictModes would reject them
StrictModes no
LogLevel VERBOSE
# not internal-sftp: the ForceCommand wrapper must see and exec the sftp-server path
Subsystem sftp /usr/lib/openssh/sftp-server
ForceCommand $LAB_ROOT/bin/force-command $LAB_ROOT/logs/commands-d$i.log
# SetEnv: the first value obtained wins, so it lives only in Match blocks
Match User root
  SetEnv DOCKER_HOST=unix://$d/docker.sock DOCKER_CONFIG=$d/docker-config/root
Match all
  SetEnv DOCKER_HOST=unix://$d/docker.sock DOCKER_CONFIG=$d/docker-config/$LAB_SSH_USER
EOF
}

for i in $(seq 1 "$DROPLETS"); do
  d=$(lab_dir "$i")
  mkdir -p "$d"/{opt,docker-data,docker-exec,docker-config/root,docker-config/"$LAB_SSH_USER"}
  chown "$LAB_SSH_USER": "$d/opt" "$d/docker-config/$LAB_SSH_USER"
  chmod 0755 "$d" "$d/opt"
  if ((i == 1)); then
    for u in root "$LAB_SSH_USER"; do
      mkdir -p "$d/docker-config/$u/cli-plugins"
      install -m 0755 "$LAB_SCRIPTS/compose-shim.sh" "$d/docker-config/$u/cli-plugins/docker-compose"
    done
  fi
  : >"$LAB_ROOT/logs/commands-d$i.log"
  chmod 0666 "$LAB_ROOT/logs/commands-d$i.log"   # deploy's sessions append to it too
  make_netns "$i"
  make_mntns "$i"
  start_dockerd "$i"
  ssh-keygen -q -t ed25519 -N '' -C "mdroplet$i" -f "$d/ssh_host_ed25519_key"
  write_sshd_config "$i"
  lab_start_sshd "$i"
  echo "$(lab_ip "$i") $(cut -d' ' -f1,2 "$d/ssh_host_ed25519_key.pub")" >>"$LAB_ROOT/ssh/known_hosts"
done
step "droplets 1..$DROPLETS: netns, sshd up; dockerd starting"

# ---- 5. test images -> registry (built on droplet 1's dockerd, then removed from it) ------------
# Debian's caddy (the real reverse proxy in front of the zero-downtime tests) in a FROM scratch
# image: its binary and what ldd lists (libc, libzstd, the loader).
CADDY_IMAGE=$LAB_REG_ADDR/monarch/caddy:2.6
build_caddy() {
  local ctx=$LAB_ROOT/img/caddy lib
  command -v caddy >/dev/null || lab_die "no caddy (apt-get install caddy: scripts/install-test-packages.sh)"
  mkdir -p "$ctx/rootfs/tmp" "$ctx/rootfs/etc/caddy"
  chmod 1777 "$ctx/rootfs/tmp"
  cp --parents "$(command -v caddy)" "$ctx/rootfs/"
  for lib in $(ldd "$(command -v caddy)" | awk '$2 == "=>" && $3 ~ /^\// {print $3} $1 ~ /^\// {print $1}'); do
    cp -L --parents "$lib" "$ctx/rootfs/"
  done
  printf 'FROM scratch\nCOPY rootfs/ /\nENV XDG_CONFIG_HOME=/tmp XDG_DATA_HOME=/tmp\nENTRYPOINT ["%s"]\nCMD ["run", "--config", "/etc/caddy/Caddyfile", "--adapter", "caddyfile"]\n' \
    "$(command -v caddy)" >"$ctx/Dockerfile"
  "$LAB_DOCKER" build -q -t "$CADDY_IMAGE" "$ctx" >/dev/null
}

build_images() {
  # No RUN steps (each costs a container start): the image is a root filesystem prepared here,
  # static busybox plus one symlink per applet (what `busybox --install -s /bin` would make).
  local -x DOCKER_HOST DOCKER_CONFIG=$LAB_ROOT/img/docker-config DOCKER_BUILDKIT=0
  local tag hc cmd a pids=() rootfs=$LAB_ROOT/img/base/rootfs
  DOCKER_HOST=unix://$(lab_sock 1)
  mkdir -p "$rootfs/bin" "$rootfs/www" "$rootfs/tmp"
  chmod 1777 "$rootfs/tmp"
  cp "$(command -v busybox)" "$rootfs/bin/busybox"   # busybox-static: no base image needed
  for a in $("$rootfs/bin/busybox" --list); do [ "$a" = busybox ] || ln -s busybox "$rootfs/bin/$a"; done
  printf 'FROM scratch\nCOPY rootfs/ /\nEXPOSE 8080\n' >"$LAB_ROOT/img/base/Dockerfile"
  "$LAB_DOCKER" build -q -t monarch-lab-base "$LAB_ROOT/img/base" >/dev/null

  local ok='HEALTHCHECK --interval=1s --timeout=2s --retries=3 CMD ["/bin/wget", "-q", "-O", "/dev/null", "http://127.0.0.1:8080/version.txt"]'
  local serve='CMD ["/bin/httpd", "-f", "-p", "8080", "-h", "/www"]'
  # slow-*: like a real service, ~2 s from start to listening (a recreate's gap a proxy cannot hide)
  local slow='CMD ["/bin/sh", "-c", "sleep 2; exec /bin/httpd -f -p 8080 -h /www"]'
  for tag in v1 v2 unhealthy crash slow-v1 slow-v2 slow-unhealthy; do
    case $tag in
      v1 | v2) hc=$ok cmd=$serve ;;
      unhealthy) hc='HEALTHCHECK --interval=1s --timeout=1s --retries=2 CMD ["/bin/false"]' cmd=$serve ;;
      crash) hc='' cmd='CMD ["/bin/sh", "-c", "echo \"crash: exiting with status 1\" >&2; exit 1"]' ;;
      slow-v1 | slow-v2) hc=$ok cmd=$slow ;;
      slow-unhealthy) hc='HEALTHCHECK --interval=1s --timeout=1s --retries=2 CMD ["/bin/false"]' cmd=$slow ;;
    esac
    echo "$tag" >"$LAB_ROOT/img/ctx/$tag.txt"
    printf 'FROM monarch-lab-base\nCOPY %s.txt /www/version.txt\n%s\n%s\n' "$tag" "$hc" "$cmd" |
      "$LAB_DOCKER" build -q -t "$IMAGE:$tag" -f - "$LAB_ROOT/img/ctx" >/dev/null &
    pids+=($!)
  done
  build_caddy & pids+=($!)
  for a in "${pids[@]}"; do wait "$a" || lab_die "docker build failed"; done
  pids=()
  "$LAB_DOCKER" tag "$IMAGE:v2" "$IMAGE:latest"
  printf '%s\n' "$REG_PASS" | "$LAB_DOCKER" login "$LAB_REG_ADDR" -u "$REG_USER" --password-stdin >/dev/null 2>&1
  for tag in v1 v2 latest unhealthy crash slow-v1 slow-v2 slow-unhealthy; do "$LAB_DOCKER" push -q "$IMAGE:$tag" >/dev/null & pids+=($!); done
  "$LAB_DOCKER" push -q "$CADDY_IMAGE" >/dev/null & pids+=($!)
  for a in "${pids[@]}"; do wait "$a" || lab_die "docker push failed"; done
  "$LAB_DOCKER" logout "$LAB_REG_ADDR" >/dev/null

  # leave droplet 1 with an empty image store and no build cache
  local ids
  for _ in 1 2 3; do   # newest first (children before parents); another pass catches the rest
    ids=$("$LAB_DOCKER" images -aq | awk '!seen[$0]++')
    [ -z "$ids" ] && break
    echo "$ids" | xargs "$LAB_DOCKER" rmi -f >/dev/null 2>&1 || true
  done
  "$LAB_DOCKER" builder prune -af >/dev/null 2>&1 || true
  [ -z "$("$LAB_DOCKER" images -aq)" ] || lab_die "images left on droplet 1 after the build"
  rm -rf "$LAB_ROOT/img"
}
lab_waitfor 30 "dockerd d1" "$LAB_DOCKER" -H "unix://$(lab_sock 1)" version
step "dockerd d1 up"
build_images
step "pushed $IMAGE:{v1,v2,latest,unhealthy,crash,slow-*} and $CADDY_IMAGE"

# ---- 6. check every droplet the way the action will reach it, then start from clean logs --------
SSH=(ssh -i "$LAB_ROOT/ssh/id_ed25519" -o BatchMode=yes -o UserKnownHostsFile="$LAB_ROOT/ssh/known_hosts"
  -o StrictHostKeyChecking=yes -o ConnectTimeout=5 -o LogLevel=ERROR)
check_droplet() {  # check_droplet I
  lab_waitfor 30 "dockerd d$1" "$LAB_DOCKER" -H "unix://$(lab_sock "$1")" version
  "${SSH[@]}" "$LAB_SSH_USER@$(lab_ip "$1")" 'docker info --format "{{.ServerVersion}}" >/dev/null' ||
    lab_die "droplet $1: 'ssh $LAB_SSH_USER@$(lab_ip "$1") docker info' failed"
}
pids=()
for i in $(seq 1 "$DROPLETS"); do check_droplet "$i" & pids+=($!); done
for p in "${pids[@]}"; do wait "$p" || exit 1; done
for i in $(seq 1 "$DROPLETS"); do : >"$LAB_ROOT/logs/commands-d$i.log"; done
step "droplets 1..$DROPLETS answer over SSH as $LAB_SSH_USER, docker works"

# ---- 7. what the tests need ------------------------------------------------------------------------
json() { local s=${1//\\/\\\\}; s=${s//\"/\\\"}; printf '"%s"' "$s"; }
{
  printf '{\n  "root": %s,\n  "scriptsDir": %s,\n' "$(json "$LAB_ROOT")" "$(json "$LAB_SCRIPTS")"
  printf '  "sshKey": %s,\n  "sshUser": %s,\n  "knownHosts": %s,\n' "$(json "$LAB_ROOT/ssh/id_ed25519")" \
    "$(json "$LAB_SSH_USER")" "$(json "$LAB_ROOT/ssh/known_hosts")"
  printf '  "registry": %s,\n  "registryUser": %s,\n  "registryPassword": %s,\n  "image": %s,\n' \
    "$(json "$LAB_REG_ADDR")" "$(json "$REG_USER")" "$(json "$REG_PASS")" "$(json "$IMAGE")"
  printf '  "registryPidFile": %s,\n  "droplets": [' "$(json "$LAB_ROOT/pids/registry.pid")"
  for i in $(seq 1 "$DROPLETS"); do
    d=$(lab_dir "$i")
    compose='docker-compose'; ((i == 1)) && compose='docker compose'
    ((i == 1)) || printf ','
    printf '\n    {\n      "index": %d,\n      "host": %s,\n      "port": 22,\n      "netns": %s,\n' \
      "$i" "$(json "$(lab_ip "$i")")" "$(json "$(lab_ns "$i")")"
    printf '      "opt": %s,\n      "dockerSock": %s,\n' "$(json "$d/opt")" "$(json "$d/docker.sock")"
    printf '      "dockerConfig": %s,\n      "dockerConfigRoot": %s,\n' \
      "$(json "$d/docker-config/$LAB_SSH_USER")" "$(json "$d/docker-config/root")"
    printf '      "commandLog": %s,\n      "sshdLog": %s,\n' \
      "$(json "$LAB_ROOT/logs/commands-d$i.log")" "$(json "$LAB_ROOT/logs/sshd-d$i.log")"
    printf '      "sshdPidFile": %s,\n      "dockerdPidFile": %s,\n' \
      "$(json "$LAB_ROOT/pids/sshd-d$i.pid")" "$(json "$LAB_ROOT/pids/dockerd-d$i.pid")"
    printf '      "hostKeyPub": %s,\n      "fingerprint": %s,\n      "composeCommand": %s\n    }' \
      "$(json "$(cut -d' ' -f1,2 "$d/ssh_host_ed25519_key.pub")")" \
      "$(json "$(ssh-keygen -lf "$d/ssh_host_ed25519_key.pub" | cut -d' ' -f2)")" "$(json "$compose")"
  done
  printf '\n  ]\n}\n'
} >"$LAB_ROOT/lab.json.tmp"
mv "$LAB_ROOT/lab.json.tmp" "$LAB_ROOT/lab.json"

{
  echo "# source me: the monarch-deploy e2e lab (scripts/lab/up.sh)"
  echo "export LAB_ROOT='$LAB_ROOT' LAB_DROPLETS=$DROPLETS LAB_SSH_USER=$LAB_SSH_USER"
  echo "export LAB_SSH_KEY='$LAB_ROOT/ssh/id_ed25519' LAB_KNOWN_HOSTS='$LAB_ROOT/ssh/known_hosts'"
  echo "export LAB_REGISTRY=$LAB_REG_ADDR LAB_REGISTRY_USER='$REG_USER' LAB_REGISTRY_PASSWORD='$REG_PASS' LAB_IMAGE=$IMAGE"
  for i in $(seq 1 "$DROPLETS"); do
    d=$(lab_dir "$i")
    compose='docker-compose'; ((i == 1)) && compose='docker compose'
    echo "export LAB_HOST_$i=$(lab_ip "$i") LAB_NETNS_$i=$(lab_ns "$i") LAB_OPT_$i='$d/opt'"
    echo "export LAB_DOCKER_HOST_$i='unix://$d/docker.sock' LAB_DOCKER_CONFIG_$i='$d/docker-config/$LAB_SSH_USER'"
    echo "export LAB_COMMAND_LOG_$i='$LAB_ROOT/logs/commands-d$i.log' LAB_COMPOSE_$i='$compose'"
    echo "export LAB_FINGERPRINT_$i='$(ssh-keygen -lf "$d/ssh_host_ed25519_key.pub" | cut -d' ' -f2)'"
  done
} >"$LAB_ROOT/env.sh"
step "lab up: $LAB_ROOT/lab.json, source $LAB_ROOT/env.sh"
