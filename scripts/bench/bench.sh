#!/usr/bin/env bash
# scripts/bench/bench.sh - how fast is monarch-deploy? (`npm run bench`; run as root, after npm ci)
#
# Measures the committed bundle (dist/, as it is: nothing is rebuilt) and prints a markdown
# report with the targets of the issue "Fast where it counts" beside each figure (every timed
# figure: median, min and max of 5 runs; BENCH_RUNS=1 for a quick look, not for the README):
#   1. a redeploy of an unchanged tag by monarch-deploy vs. a baseline of one ssh/scp call per
#      step (the appleboy/ssh-action + scp-action way), through a TCP proxy adding 0, 25 and 50 ms
#      of one-way latency (this kernel has no netem); round trips from the slope;
#   2. `node dist/index.js` cold start (start-up + input parsing) and the size of dist/;
#   3. a deploy to 1, 2 and 4 droplets at once: wall time, peak RSS and CPU time;
#   4. a deploy to 1, 10, 50 and 100 light droplets (scripts/bench/fleet-lab.sh: each its own
#      sshd, docker a stub with fixed delays): in parallel, max-parallel 10, and rolling;
#   5. mode: swarm: a stack update with nothing changed, and one to a new image, on the lab's
#      droplets made a Swarm (one manager, three workers);
#   6. a redeploy behind a real proxy (Caddy), sampled through it 25 times a second: failed
#      requests and the longest gap, today's recreate beside start-first, same app and proxy.
# Steps 1, 3, 5 and 6 need the lab (scripts/lab/up.sh: droplets with real sshd, dockerd, compose and a
# registry, in network namespaces). The lab's names (netns mdroplet<i>, bridge mnbr0,
# 10.210.0.0/24) are fixed, so only one lab can be up on a machine: this script waits while
# another one is up (e.g. the e2e tests'), brings up its own under its own LAB_ROOT only for
# steps 1, 3 and 5, and always tears it down (trap), also on failure or Ctrl-C.
#
# Progress goes to stderr, the report to stdout. Takes about 8 minutes on 2 cores (plus any wait).
#
# Knobs (environment):
#   BENCH_LAB_ROOT  the lab's folder (default /tmp/monarch-bench-lab; the e2e tests use /tmp/monarch-lab)
#   BENCH_DIST      the dist/ folder to measure (default: this repository's dist/)
#   BENCH_WAIT_S    how long to wait for another lab to go away (default 1200)
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$BENCH_DIR/../.." && pwd)
LAB_DIR=$REPO/scripts/lab
export LAB_ROOT=${BENCH_LAB_ROOT:-/tmp/monarch-bench-lab}
export BENCH_DIST=${BENCH_DIST:-$REPO/dist}
DROPLETS=4
OTHER_LAB_ROOT=/tmp/monarch-lab         # where the e2e tests and demo.sh keep their lab
WAIT_POLL_S=30
WAIT_MAX_S=${BENCH_WAIT_S:-1200}
GNU_TIME=/usr/bin/time

T0=$EPOCHREALTIME
lab_started=0
fleet_started=0
results=

say() {
  local us=$((${EPOCHREALTIME/./} - ${T0/./}))
  printf '[bench %4d.%02ds] %s\n' $((us / 1000000)) $((us % 1000000 / 10000)) "$*" >&2
}
die() { say "error: $*"; exit 1; }
elapsed_s() { local us=$((${EPOCHREALTIME/./} - ${T0/./})); echo $((us / 1000000)); }

lab_down() {
  ((lab_started)) || return 0
  say "tearing the lab down ($LAB_ROOT)"
  bash "$LAB_DIR/down.sh" --quiet || say "warning: down.sh reported a problem"
  lab_started=0
}

# explain_lab_loss: after a failure, say so if our lab was taken down under us (another lab's
# up.sh/down.sh removes every mdroplet namespace and what runs in it: the names are fixed).
explain_lab_loss() {
  ((lab_started)) || return 0
  if [ ! -e /run/netns/mdroplet1 ] || [ -e "$OTHER_LAB_ROOT" ]; then
    say "note: our lab was disturbed while it was up (namespaces gone or $OTHER_LAB_ROOT appeared):"
    say "      another lab was probably started (its up.sh tears down every lab); run again later"
  fi
}

fleet_down() {
  ((fleet_started)) || return 0
  say "tearing the fleet of light droplets down"
  bash "$BENCH_DIR/fleet-lab.sh" down || say "warning: fleet-lab.sh down reported a problem"
  fleet_started=0
}

cleanup() {
  local rc=$?
  ((rc == 0)) || explain_lab_loss
  lab_down
  fleet_down
  [ -n "$results" ] && rm -rf "$results"
  ((rc == 0)) || say "failed (status $rc)"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

check_prerequisites() {
  [ "$(id -u)" = 0 ] || die "run as root (the lab creates network namespaces and starts dockerd)"
  command -v node >/dev/null || die "node is not on the PATH"
  [ -f "$BENCH_DIST/index.js" ] || die "no $BENCH_DIST/index.js to measure"
  if [ ! -x "$GNU_TIME" ]; then
    say "installing GNU time (apt package 'time') for the peak RSS"
    { apt-get -q update && DEBIAN_FRONTEND=noninteractive apt-get -q -y install time; } >&2 ||
      die "could not install GNU time"
  fi
}

# lab_in_use: true while any lab's namespaces or bridge exist (its names are fixed machine-wide).
lab_in_use() {
  ip netns list 2>/dev/null | grep -qE '^mdroplet[0-9]+' || ip link show mnbr0 >/dev/null 2>&1
}

# wait_for_free_lab: a lab of our own left by an aborted run is taken down; another lab (the
# e2e tests', or one being brought up) is waited for, polling every WAIT_POLL_S.
wait_for_free_lab() {
  local waited=0
  while lab_in_use; do
    if [ ! -e "$OTHER_LAB_ROOT/lab.json" ] && [ -e "$LAB_ROOT/lab.json" ]; then
      say "a lab of an earlier bench run is still up: taking it down"
      bash "$LAB_DIR/down.sh" --quiet
      continue
    fi
    ((waited < WAIT_MAX_S)) || die "another lab (netns mdroplet*, $OTHER_LAB_ROOT) is still up after ${WAIT_MAX_S} s"
    say "another lab is up (netns mdroplet*, $OTHER_LAB_ROOT): waiting (${waited}/${WAIT_MAX_S} s)"
    sleep "$WAIT_POLL_S"
    waited=$((waited + WAIT_POLL_S))
  done
}

describe_dist() {
  local commit state
  if commit=$(git -C "$REPO" rev-parse --short HEAD 2>/dev/null) && [ "$BENCH_DIST" = "$REPO/dist" ]; then
    state=$(git -C "$REPO" status --porcelain -- dist | grep -q . && echo 'with local changes' || echo 'as committed')
    echo "dist/ of commit $commit, $state"
  else
    echo "$BENCH_DIST"
  fi
}

write_meta() {  # write_meta FILE [ELAPSED_S]
  printf '{"nproc": %s, "droplets": %s, "dist": "%s"%s}\n' "$(nproc)" "$DROPLETS" "${DIST_DESCRIPTION//\"/}" \
    "${2:+, \"elapsedS\": $2}" >"$1"
}

phase() {  # phase NAME: one measurement phase of bench.mjs
  say "measuring: $1"
  node "$BENCH_DIR/bench.mjs" "$1" "$results"
}

check_prerequisites
results=$(mktemp -d /tmp/monarch-bench-results.XXXXXX)
# Every phase measures the same bundle, even if dist/ is rebuilt while this waits for the lab.
DIST_DESCRIPTION=$(describe_dist)
cp -r "$BENCH_DIST" "$results/dist"
export BENCH_DIST=$results/dist
say "measuring $DIST_DESCRIPTION"

wait_for_free_lab
phase cold-start   # no lab needed; measured once the machine is free of the other lab's work too
say "bringing up the lab: $DROPLETS droplets in $LAB_ROOT"
lab_started=1
DROPLETS=$DROPLETS bash "$LAB_DIR/up.sh" >&2
phase latency
phase hosts
phase zero-downtime
bash "$LAB_DIR/swarm.sh" init >&2
phase swarm
lab_down
say "bringing up 100 light droplets (fleet-lab.sh)"
fleet_started=1
bash "$BENCH_DIR/fleet-lab.sh" up 100 >&2
phase fleet
fleet_down

write_meta "$results/meta.json" "$(elapsed_s)"
node "$BENCH_DIR/report.mjs" "$results"
