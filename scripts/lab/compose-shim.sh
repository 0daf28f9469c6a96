#!/bin/sh
# compose-shim.sh - `docker compose` for lab droplet 1: a docker CLI plugin (installed as
# $DOCKER_CONFIG/cli-plugins/docker-compose) that turns the v2 command into Debian's
# docker-compose 1.29. Beware: v1 silently ignores v2-only flags such as `up --wait`.
if [ "$1" = docker-cli-plugin-metadata ]; then
  echo '{"SchemaVersion":"0.1.0","Vendor":"monarch-lab","Version":"1.29.2-shim","ShortDescription":"Docker Compose (v1 behind a v2 plugin shim)"}'
  exit 0
fi
[ "$1" = compose ] && shift
exec docker-compose "$@"
