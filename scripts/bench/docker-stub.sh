#!/bin/sh
# scripts/bench/docker-stub.sh - `docker` on the fleet benchmark's droplets (see fleet-lab.sh).
#
# Answers the calls a redeploy of one healthy service makes, as docker would (the formats the
# host scripts ask for), with fixed delays for the slow ones: `compose pull` FLEET_PULL_S
# (default 0.3 s), `compose up` FLEET_UP_S (default 0.5 s); everything else at once. One
# container (web), one image, always running and healthy: a redeploy of an unchanged tag.
ID=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
IMAGE=sha256:1111111111111111111111111111111111111111111111111111111111111111
REF=registry.example.com/app:v1

[ "$1" = -- ] && shift
command=$1
[ $# -gt 0 ] && shift
case $command in
  compose)
    for arg in "$@"; do
      case $arg in
        pull) exec sleep "${FLEET_PULL_S:-0.3}" ;;
        up) exec sleep "${FLEET_UP_S:-0.5}" ;;
      esac
    done ;;
  ps) echo "$ID" ;;
  inspect)
    case $2 in
      *State.Status*) echo "/monarch-web-1 running 0 0 healthy 2026-01-01T00:00:00Z web" ;;
      container=*) echo "container=web $REF $IMAGE" ;;
      '{{.ID}}'*) echo "$ID $REF $IMAGE" ;;
      *) echo "$REF $IMAGE" ;;
    esac ;;
  image) echo "digest=$IMAGE registry.example.com/app@sha256:2222 " ;;
  images) echo "registry.example.com/app $IMAGE" ;;
esac
exit 0
