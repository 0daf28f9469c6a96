#!/usr/bin/env bash
# scripts/bench/baseline-deploy.sh - the deploy monarch-deploy replaces, as a benchmark baseline.
#
# Workflows built from appleboy/ssh-action + appleboy/scp-action make one SSH connection per
# step. This script does the same steps the same way, one OpenSSH call each (BatchMode, the
# known_hosts file pinned, no connection sharing: ControlMaster=no), in this order:
#   1. ssh   check the setup marker exists
#   2. ssh   mkdir -p the app directory
#   3. scp   upload docker-compose.yml
#   4. ssh   write .env from standard input under umask 077
#   5. ssh   docker login --password-stdin
#   6. ssh   docker compose pull && docker compose up -d
#   7. ssh   docker image prune -af
#   8. ssh   health check: ONE docker inspect of the project's containers (running/healthy),
#            not a wait (the action polls until healthy and stable, within health-timeout)
# It does not count what such a workflow also pays on a real runner: appleboy's actions are
# Docker container actions, so each of those steps also starts a container.
#
# Settings (environment, all required):
#   BASE_HOST BASE_PORT BASE_USER     where to connect (here: the latency proxy on 127.0.0.1)
#   BASE_KEY BASE_KNOWN_HOSTS         client private key; known_hosts with the pinned host key
#   BASE_WORKSPACE                    folder holding docker-compose.yml and .env
#   BASE_APP_DIR BASE_MARKER          remote app directory; setup marker file
#   BASE_REGISTRY BASE_REGISTRY_USER BASE_REGISTRY_PASSWORD   registry login
# Optional: BASE_COMPOSE, the droplet's compose command (default `docker compose`; the lab's
# droplets 2+ have only `docker-compose`); BASE_HEALTH_OK, a regex of the states
# (<status>/<health>) the health check accepts (default running/healthy; a first deploy, whose
# container has just been created, may accept running/starting).
# Exits non-zero (with the failing step on stderr) if any step fails or the service is not
# running and healthy.
set -euo pipefail

for v in BASE_HOST BASE_PORT BASE_USER BASE_KEY BASE_KNOWN_HOSTS BASE_WORKSPACE BASE_APP_DIR \
  BASE_MARKER BASE_REGISTRY BASE_REGISTRY_USER BASE_REGISTRY_PASSWORD; do
  [ -n "${!v:-}" ] || { echo "baseline-deploy.sh: $v is not set" >&2; exit 2; }
done

COMPOSE=${BASE_COMPOSE:-docker compose}
HEALTH_OK=${BASE_HEALTH_OK:-running/healthy}
SSH_OPTIONS=(
  -F none -i "$BASE_KEY" -o IdentitiesOnly=yes -o BatchMode=yes
  -o StrictHostKeyChecking=yes -o UserKnownHostsFile="$BASE_KNOWN_HOSTS" -o GlobalKnownHostsFile=/dev/null
  -o ControlMaster=no -o ControlPath=none -o LogLevel=ERROR
)

# remote COMMAND: one new SSH connection running COMMAND (stdin passes through).
remote() { ssh "${SSH_OPTIONS[@]}" -p "$BASE_PORT" "$BASE_USER@$BASE_HOST" "$1"; }

# step NAME CMD...: run a step; on failure name it.
step() {
  local name=$1; shift
  "$@" || { echo "baseline: step '$name' failed" >&2; exit 1; }
}

upload_compose() {
  scp "${SSH_OPTIONS[@]}" -q -P "$BASE_PORT" "$BASE_WORKSPACE/docker-compose.yml" \
    "$BASE_USER@$BASE_HOST:$BASE_APP_DIR/docker-compose.yml"
}
write_env() { remote "umask 077 && cat > $BASE_APP_DIR/.env" <"$BASE_WORKSPACE/.env"; }
registry_login() {
  printf '%s\n' "$BASE_REGISTRY_PASSWORD" |
    remote "docker login --username $BASE_REGISTRY_USER --password-stdin $BASE_REGISTRY" >/dev/null
}
pull_and_up() { remote "cd $BASE_APP_DIR && $COMPOSE pull && $COMPOSE up -d"; }
health_check() {
  local state
  # shellcheck disable=SC2016  # $(...) runs on the droplet
  state=$(remote "cd $BASE_APP_DIR && docker inspect -f '{{.State.Status}}/{{.State.Health.Status}}' \$($COMPOSE ps -q)")
  [[ $state =~ ^($HEALTH_OK)$ ]] || { echo "baseline: service is '$state', not $HEALTH_OK" >&2; return 1; }
}

step "marker check" remote "test -e $BASE_MARKER"
step "mkdir" remote "mkdir -p $BASE_APP_DIR"
step "scp compose file" upload_compose
step "write .env" write_env
step "registry login" registry_login
step "pull and up" pull_and_up
step "prune" remote "docker image prune -af >/dev/null"
step "health check" health_check
