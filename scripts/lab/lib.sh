# shellcheck shell=bash disable=SC2034  # the variables are for the scripts that source this
# scripts/lab/lib.sh - names, paths and helpers shared by the lab scripts (sourced, never run).
#
# One lab per machine: the names below (bridge mnbr0, namespaces mdroplet<i>, veths mnd<i>h,
# cgroups monarch-d<i>, subnet 10.210.0.0/24) are fixed, only LAB_ROOT moves.
#
# Layout under $LAB_ROOT (default /tmp/monarch-lab; must be traversable by user deploy):
#   lab.json env.sh          what the tests read
#   ssh/                     client key id_ed25519(.pub), known_hosts, authorized_keys/<user>
#   bin/                     force-command (the sshd ForceCommand wrapper), counting/ (call counters)
#   pids/                    sshd-d<i>.pid dockerd-d<i>.pid registry.pid
#   logs/                    sshd-d<i>.log dockerd-d<i>.log registry.log commands-d<i>.log
#   ns/                      mnt-d<i>: droplet i's persistent mount namespace (a private bind mount)
#   registry/                config.yml htpasswd storage/
#   droplets/d<i>/           opt/ (bound over /opt for the droplet), docker.sock, docker-data/,
#                            docker-exec/, docker-config/{deploy,root}/, sshd_config, host key

LAB_ROOT=${LAB_ROOT:-/tmp/monarch-lab}
LAB_ROOT=${LAB_ROOT%/}
LAB_NET=10.210.0                       # host bridge .1, droplet i .(10+i)
LAB_BRIDGE=mnbr0
LAB_REG_ADDR=$LAB_NET.1:5000
LAB_SSH_USER=deploy
LAB_SCRIPTS=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
# The docker CLI that matches the distribution's dockerd (a newer one may shadow it in /usr/local/bin).
LAB_DOCKER=$(command -v /usr/bin/docker || command -v docker || echo docker)

lab_ip()    { echo "$LAB_NET.$((10 + $1))"; }
lab_ns()    { echo "mdroplet$1"; }
lab_dir()   { echo "$LAB_ROOT/droplets/d$1"; }
lab_mntns() { echo "$LAB_ROOT/ns/mnt-d$1"; }
lab_sock()  { echo "$(lab_dir "$1")/docker.sock"; }

lab_die() { echo "lab: $*" >&2; exit 1; }

# lab_index I: validate a droplet index argument and that its namespaces exist.
lab_index() {
  [[ ${1:-} =~ ^[1-9][0-9]*$ ]] || lab_die "bad droplet index '${1:-}'"
  [ -e "/run/netns/$(lab_ns "$1")" ] || lab_die "droplet $1 is not up (no netns $(lab_ns "$1"))"
}

# lab_in I CMD...: run CMD inside droplet I (its network and mount namespace; nsenter, NOT
# `ip netns exec`, which remounts /sys and hides the cgroup v1 mounts dockerd needs).
lab_in() {
  local i=$1; shift
  nsenter --mount="$(lab_mntns "$i")" --net="/run/netns/$(lab_ns "$i")" -- "$@"
}

# lab_start_dockerd I: starts droplet I's dockerd in the background (its socket shows up ~0.3 s
# later) with the settings up.sh wrote to its daemon.json, in a UTS namespace of its own whose
# host name is droplet<I>: Swarm names nodes by it (sshd and the SSH sessions still see the
# machine's). The pid file holds dockerd's pid (the shell execs it).
lab_start_dockerd() {
  local i=$1 d
  d=$(lab_dir "$i")
  # shellcheck disable=SC2016  # expanded by the inner sh
  lab_in "$i" setsid unshare --uts sh -c 'hostname "droplet$0" && exec "$@"' "$i" \
    dockerd --config-file "$d/daemon.json" \
    --data-root "$d/docker-data" --exec-root "$d/docker-exec" \
    -H "unix://$d/docker.sock" --pidfile "$LAB_ROOT/pids/dockerd-d$i.pid" \
    --cgroup-parent "monarch-d$i" \
    --bip 10.211.0.1/24 --default-address-pool base=10.212.0.0/16,size=24 \
    --insecure-registry "$LAB_REG_ADDR" --shutdown-timeout 3 \
    </dev/null >>"$LAB_ROOT/logs/dockerd-d$i.log" 2>&1 &
}

# lab_running PID: true if PID is a live process (a zombie waiting for init to reap it is not).
lab_running() {
  local s
  [[ ${1:-} =~ ^[0-9]+$ ]] && s=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
  s=${s##*) }
  [ "${s:0:1}" != Z ]
}

# lab_pid PIDFILE: print the pid if it names a running process of this lab (its command line
# mentions $LAB_ROOT: a stale pid file must never make us signal an unrelated process).
lab_pid() {
  local p
  p=$(cat "$1" 2>/dev/null) && lab_running "$p" || return 1
  [[ $({ tr '\0' ' ' <"/proc/$p/cmdline"; } 2>/dev/null) == *"$LAB_ROOT/"* ]] || return 1
  echo "$p"
}

# lab_alive PIDFILE: true if the pid file names a running process of this lab.
lab_alive() { lab_pid "$1" >/dev/null; }

# lab_stop_pid PID [TIMEOUT_S]: SIGCONT (in case it is stopped), TERM, wait, then KILL.
lab_stop_pid() {
  local p=$1 t=${2:-5} k
  lab_running "$p" || return 0
  kill -CONT "$p" 2>/dev/null; kill "$p" 2>/dev/null
  for ((k = 0; k < t * 20; k++)); do lab_running "$p" || return 0; sleep 0.05; done
  echo "lab: pid $p ($({ tr '\0' ' ' <"/proc/$p/cmdline"; } 2>/dev/null | cut -c1-60)) ignored TERM, killing" >&2
  kill -9 "$p" 2>/dev/null
  for ((k = 0; k < 40; k++)); do lab_running "$p" || return 0; sleep 0.05; done
}

# lab_waitfor SECONDS WHAT CMD...: poll CMD every 50 ms.
lab_waitfor() {
  local n=$(($1 * 20)) what=$2 k; shift 2
  for ((k = 0; k < n; k++)); do "$@" >/dev/null 2>&1 && return 0; sleep 0.05; done
  echo "lab: timed out after ${n}x50ms waiting for $what" >&2
  return 1
}

# lab_start_sshd I: start droplet I's sshd (config and host key written by up.sh) and wait for it.
lab_start_sshd() {
  local i=$1 pidf="$LAB_ROOT/pids/sshd-d$1.pid"
  lab_alive "$pidf" && return 0
  rm -f "$pidf"
  mkdir -p /run/sshd && chmod 0755 /run/sshd   # privilege separation dir; root sshd refuses to start without it
  # shellcheck disable=SC2094  # sshd -E appends its log; early errors land on stderr, same file
  lab_in "$i" /usr/sbin/sshd -f "$(lab_dir "$i")/sshd_config" -E "$LAB_ROOT/logs/sshd-d$i.log" \
    </dev/null >>"$LAB_ROOT/logs/sshd-d$i.log" 2>&1 \
    || { tail -5 "$LAB_ROOT/logs/sshd-d$i.log" >&2; lab_die "sshd d$i failed to start"; }
  lab_waitfor 10 "sshd d$i" lab_alive "$pidf"
}

# lab_start_registry: start the registry in the background (detached: it must not hold the
# caller's stdout, or a test's execFileSync would wait for it) and wait until it answers.
lab_start_registry() {
  local pidf="$LAB_ROOT/pids/registry.pid"
  if lab_alive "$pidf"; then kill -CONT "$(lab_pid "$pidf")"; return 0; fi
  setsid docker-registry serve "$LAB_ROOT/registry/config.yml" </dev/null >>"$LAB_ROOT/logs/registry.log" 2>&1 &
  echo $! >"$pidf"
  lab_waitfor 10 registry sh -c "curl -s -m 1 -o /dev/null -w '%{http_code}' http://$LAB_REG_ADDR/v2/ | grep -qx 401"
}
