#!/usr/bin/env bash
# install-test-packages.sh - the Debian/Ubuntu packages the tests need, installed when missing
# (run as root): the lab's OpenSSH, Docker, docker-compose, registry and busybox (scripts/lab/up.sh
# would install them too; caddy is the real proxy of the zero-downtime tests), pytest for the example service's tests, and GNU time (the tests' and
# the benchmark's peak memory).
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
pkgs=(openssh-server openssh-client docker.io docker-compose docker-registry apache2-utils busybox-static iptables curl python3-pytest time caddy)
# A runner with Docker CE already has a daemon: docker.io would conflict with it.
if command -v dockerd >/dev/null 2>&1; then pkgs=("${pkgs[@]/docker.io/}"); fi
missing=()
for p in "${pkgs[@]}"; do
  [ -n "$p" ] || continue
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "installing: ${missing[*]}"
  apt-get update -q >/dev/null
  apt-get install -y -q --no-install-recommends "${missing[@]}" >/tmp/install-test-packages.log 2>&1 ||
    { tail -30 /tmp/install-test-packages.log; exit 1; }
fi
