#!/usr/bin/env bash
# scripts/lab/smoke.sh - prove a running lab (up.sh) behaves like the droplets the action expects,
# using only the OpenSSH client as user deploy, the way the action reaches a droplet. Run as root.
#
# Checks: sftp (put/rename/chmod/get) through the ForceCommand wrapper as deploy and root; stdin
# piping and exit codes over ssh; the command log; `docker compose` on droplet 1, only
# `docker-compose` on droplet 2; registry login (and 401 for a wrong password); a compose
# deployment of :v1 (init, env_file, 127.0.0.1:8080) that serves "v1" and gets healthy; :unhealthy
# turns unhealthy; :crash exits 1. Leaves droplets 1 and 2 as it found them apart from what it
# deployed (it resets them at the end). Prints one line per check; exits 1 if any failed.
#
# Knob: LAB_ROOT (default /tmp/monarch-lab).
# shellcheck disable=SC2029,SC2317  # commands are expanded locally on purpose; checks run indirectly
set -uo pipefail
LAB_ROOT=${LAB_ROOT:-/tmp/monarch-lab}
# shellcheck source=/dev/null
. "$LAB_ROOT/env.sh" || exit 1
[ "${LAB_DROPLETS:-0}" -ge 2 ] || { echo "smoke: needs DROPLETS>=2" >&2; exit 1; }

SSHO=(-i "$LAB_SSH_KEY" -o BatchMode=yes -o UserKnownHostsFile="$LAB_KNOWN_HOSTS"
  -o StrictHostKeyChecking=yes -o ConnectTimeout=5 -o LogLevel=ERROR)
d1() { ssh "${SSHO[@]}" "deploy@$LAB_HOST_1" "$@"; }
d2() { ssh "${SSHO[@]}" "deploy@$LAB_HOST_2" "$@"; }
T0=$EPOCHREALTIME
FAILED=0
check() {  # check DESCRIPTION CMD... : run CMD, report
  local out rc us
  out=$("${@:2}" 2>&1); rc=$?
  us=$((${EPOCHREALTIME/./} - ${T0/./}))
  if ((rc == 0)); then
    printf '[smoke %3d.%02ds] ok    %s\n' $((us / 1000000)) $((us % 1000000 / 10000)) "$1"
  else
    printf '[smoke %3d.%02ds] FAIL  %s\n%s\n' $((us / 1000000)) $((us % 1000000 / 10000)) "$1" "$(tail -5 <<<"$out" | sed 's/^/        /')"
    FAILED=1
  fi
}
served() { nsenter --net="/run/netns/$1" curl -fsS -m 2 http://127.0.0.1:8080/version.txt; }
state() {  # state I CONTAINER -> "status exitcode health"
  local sock=LAB_DOCKER_HOST_$1
  docker -H "${!sock}" inspect -f '{{.State.Status}} {{.State.ExitCode}} {{if .State.Health}}{{.State.Health.Status}}{{end}}' "$2"
}
wait_state() {  # wait_state I CONTAINER PATTERN SECONDS
  local k
  for ((k = 0; k < $4 * 5; k++)); do [[ $(state "$1" "$2") =~ $3 ]] && return 0; sleep 0.2; done
  echo "state of $2 on droplet $1: $(state "$1" "$2"), wanted /$3/"; return 1
}
reset() {  # reset I: containers, images, /opt contents, logins, command log
  local sock=LAB_DOCKER_HOST_$1 opt=LAB_OPT_$1 log=LAB_COMMAND_LOG_$1 ids
  ids=$(docker -H "${!sock}" ps -aq); [ -n "$ids" ] && echo "$ids" | xargs docker -H "${!sock}" rm -f -v >/dev/null
  ids=$(docker -H "${!sock}" images -q | sort -u); [ -n "$ids" ] && echo "$ids" | xargs docker -H "${!sock}" rmi -f >/dev/null
  docker -H "${!sock}" network prune -f >/dev/null
  find "${!opt}" -mindepth 1 -maxdepth 1 ! -name containerd -exec rm -rf {} +
  rm -f "$LAB_ROOT/droplets/d$1/docker-config/"{deploy,root}/config.json
  : >"${!log}"
}

# --- SSH plumbing ------------------------------------------------------------------------------
sftp_roundtrip() {  # sftp_roundtrip USER
  local src=$LAB_ROOT/smoke-src.txt back=$LAB_ROOT/smoke-back.txt
  printf 'line 1\nline 2 for %s\n' "$1" >"$src"
  sftp -q -b - "${SSHO[@]}" "$1@$LAB_HOST_1" <<EOF >/dev/null || return 1
put $src /opt/smoke-$1.tmp
rename /opt/smoke-$1.tmp /opt/smoke-$1.txt
chmod 600 /opt/smoke-$1.txt
get /opt/smoke-$1.txt $back
EOF
  cmp "$src" "$back" && [ "$(stat -c '%a %U' "$LAB_OPT_1/smoke-$1.txt")" = "600 $1" ]
  local rc=$?; rm -f "$src" "$back" "$LAB_OPT_1/smoke-$1.txt"; return "$rc"
}
check "sftp put/rename/chmod/get as deploy" sftp_roundtrip deploy
check "sftp put/rename/chmod/get as root" sftp_roundtrip root
pipe_stdin() { echo hi | d1 'cat > /opt/x' && [ "$(cat "$LAB_OPT_1/x")" = hi ] && rm "$LAB_OPT_1/x"; }
exit_status() { d1 'exit 42'; [ $? = 42 ]; }
command_log() {
  d1 $'echo a\necho b' >/dev/null &&
    tail -1 "$LAB_COMMAND_LOG_1" | grep -qP '^\d{4}-\d\d-\d\dT[\d:.]+Z\tdeploy\techo a\\necho b$' &&
    grep -qP '\troot\t/usr/lib/openssh/sftp-server$' "$LAB_COMMAND_LOG_1"
}
check "stdin piped into an exec command" pipe_stdin
check "exit status passes through" exit_status
check "command log: one escaped line per session" command_log

# --- compose flavours, registry ----------------------------------------------------------------
no_v2_on_d2() { ! d2 'docker compose version'; }
wrong_password() {
  local out
  out=$(d2 "docker login $LAB_REGISTRY -u $LAB_REGISTRY_USER --password-stdin" <<<wrong 2>&1) && return 1
  [[ $out == *"401 Unauthorized"* ]] || { echo "$out"; return 1; }
}
check "droplet 1: docker compose version" d1 'docker compose version'
check "droplet 2: docker-compose version" d2 'docker-compose version'
check "droplet 2: docker compose fails" no_v2_on_d2
check "droplet 1: docker login" d1 "docker login $LAB_REGISTRY -u $LAB_REGISTRY_USER --password-stdin" <<<"$LAB_REGISTRY_PASSWORD"
check "droplet 2: wrong password -> 401" wrong_password

# --- a deployment on droplet 1 (as the action does it) --------------------------------------------
upload() {
  d1 'mkdir -p /opt/monarch && cat > /opt/monarch/docker-compose.yml' <<'EOF' || return 1
services:
  web:
    image: ${IMAGE}:${APP_TAG}
    init: true
    restart: unless-stopped
    env_file: .env
    ports: ["127.0.0.1:8080:8080"]
EOF
  printf 'IMAGE=%s\nAPP_TAG=v1\nSECRET=s3cr3t\n' "$LAB_IMAGE" | d1 'umask 077 && cat > /opt/monarch/.env'
}
serves_v1() {
  local k
  for ((k = 0; k < 25; k++)); do [ "$(served mdroplet1)" = v1 ] && return 0; sleep 0.2; done
  return 1
}
check "droplet 1: upload compose file + .env" upload
check "droplet 1: docker compose pull + up -d" d1 'cd /opt/monarch && docker compose pull -q && docker compose up -d'
check "droplet 1: serves v1 on 127.0.0.1:8080" serves_v1
cid=$(d1 'docker compose -f /opt/monarch/docker-compose.yml ps -q web' 2>/dev/null)
check "droplet 1: v1 becomes healthy" wait_state 1 "$cid" '^running 0 healthy$' 10

# --- failure images on droplet 2 ------------------------------------------------------------------
d2 "docker login $LAB_REGISTRY -u $LAB_REGISTRY_USER --password-stdin >/dev/null 2>&1" <<<"$LAB_REGISTRY_PASSWORD"
check "droplet 2: run :unhealthy and :crash" d2 "docker run -d --name smoke-unhealthy $LAB_IMAGE:unhealthy && docker run -d --name smoke-crash $LAB_IMAGE:crash"
check "droplet 2: :unhealthy becomes unhealthy" wait_state 2 smoke-unhealthy '^running 0 unhealthy$' 10
check "droplet 2: :crash exits 1" wait_state 2 smoke-crash '^exited 1 $' 5

reset 1; reset 2
exit $FAILED
