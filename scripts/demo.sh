#!/usr/bin/env bash
# demo.sh - deploy the example service to a throwaway local droplet with the committed bundle.
#
# Brings the lab up (a real OpenSSH + dockerd + compose "droplet" and a registry with a password,
# in network namespaces; apt packages are installed when missing), runs dist/index.js exactly as
# the Actions runner would (INPUT_* variables, GITHUB_OUTPUT, GITHUB_STATE, GITHUB_STEP_SUMMARY,
# then the post step), redeploys once more (the app rolled start-first behind Caddy) while asking
# the proxy 20 times a second and prints how many requests failed, and shows the page the droplet
# serves, the Slack message a local stand-in received and the job summary. Then it tears the lab
# down (KEEP_LAB=1 keeps it).
# Run on Debian or Ubuntu, as root or as a user who may sudo: bash scripts/demo.sh
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "$(id -u)" != 0 ]; then
  # shellcheck source=as-root.sh
  . scripts/as-root.sh
  as_root bash scripts/demo.sh "$@"
  exit
fi
export LAB_ROOT=${LAB_ROOT:-/tmp/monarch-lab}

title() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
cleanup() {
  [ -n "${slack_pid:-}" ] && kill "$slack_pid" 2>/dev/null
  if [ "${KEEP_LAB:-0}" != 1 ]; then title "Tearing the lab down"; DROPLETS=1 bash scripts/lab/down.sh >/dev/null 2>&1 || true; fi
}
trap cleanup EXIT

title "Bringing up a throwaway droplet"
DROPLETS=1 bash scripts/lab/up.sh
# shellcheck disable=SC1091
. "$LAB_ROOT/env.sh"

run=$(mktemp -d /tmp/monarch-demo.XXXXXX)
mkdir -p "$run/workspace" "$run/temp"
# The app (the lab's slow-* image: ~2 s from start to listening, like a real service) rolled
# start-first, behind Debian's Caddy (the lab's image of it), as the README's "Zero-downtime
# deploys" describes; the Caddyfile is the example service's (examples/monarch).
cat >"$run/workspace/docker-compose.yml" <<YAML
services:
  web:
    image: \${IMAGE}:\${APP_TAG}
    restart: unless-stopped
    init: true
    env_file: .env
    stop_grace_period: 3s
    deploy:
      update_config:
        order: start-first
  proxy:
    image: $LAB_REGISTRY/monarch/caddy:2.6
    ports: ["8090:80"]
    volumes: ["./Caddyfile:/etc/caddy/Caddyfile:ro"]
    depends_on: [web]
YAML
sed 's/dynamic a web 8000/dynamic a web 8080/' examples/monarch/Caddyfile >"$run/workspace/Caddyfile"
echo '{"head_commit":{"message":"Demo: ship v1"}}' >"$run/event.json"
: >"$run/output"; : >"$run/state"; : >"$run/summary"

# A local Slack stand-in: prints each message it receives to slack.json.
node -e '
  const fs = require("fs");
  require("http").createServer((req, res) => {
    let body = ""; req.on("data", (c) => (body += c));
    req.on("end", () => { fs.appendFileSync(process.argv[1], body + "\n"); res.end("ok"); });
  }).listen(0, "127.0.0.1", function () { fs.writeFileSync(process.argv[2], String(this.address().port)); });
' "$run/slack.json" "$run/slack.port" &
slack_pid=$!
for _ in $(seq 50); do [ -s "$run/slack.port" ] && break; sleep 0.1; done

# After 2 s the droplet "finishes cloud-init": the action waits for it.
(sleep 2; touch "$LAB_OPT_1/setup_complete") &

runner_env=(
  GITHUB_ACTIONS=true CI=true GITHUB_ACTOR="${SUDO_USER:-octocat}" GITHUB_REPOSITORY=acme/monarch
  GITHUB_SHA=0123456789abcdef0123456789abcdef01234567 GITHUB_REF=refs/heads/main GITHUB_REF_NAME=main
  GITHUB_SERVER_URL=https://github.com GITHUB_RUN_ID=1 GITHUB_WORKFLOW=deploy GITHUB_EVENT_NAME=push
  GITHUB_EVENT_PATH="$run/event.json" GITHUB_WORKSPACE="$run/workspace" RUNNER_TEMP="$run/temp"
  GITHUB_OUTPUT="$run/output" GITHUB_STATE="$run/state" GITHUB_STEP_SUMMARY="$run/summary"
  INPUT_HOST="$LAB_HOST_1" INPUT_PORT=22 INPUT_USERNAME="$LAB_SSH_USER"
  "INPUT_SSH-PRIVATE-KEY=$(cat "$LAB_SSH_KEY")" "INPUT_HOST-FINGERPRINT=$LAB_FINGERPRINT_1"
  "INPUT_APP-DIR=/opt/monarch" "INPUT_COMPOSE-FILE=docker-compose.yml" INPUT_FILES=Caddyfile
  "INPUT_ENV=IMAGE=$LAB_IMAGE
APP_TAG=slow-v1
SECRET_KEY=demo secret, never logged"
  "INPUT_SETUP-MARKER=/opt/setup_complete" "INPUT_SETUP-TIMEOUT=120" "INPUT_COMMAND-TIMEOUT=120"
  INPUT_REGISTRY="$LAB_REGISTRY" "INPUT_REGISTRY-USERNAME=$LAB_REGISTRY_USER" "INPUT_REGISTRY-PASSWORD=$LAB_REGISTRY_PASSWORD"
  "INPUT_REGISTRY-LOGOUT=true" "INPUT_HEALTH-TIMEOUT=60" INPUT_ROLLBACK=true INPUT_PRUNE=true
  "INPUT_INSECURE-IGNORE-HOST-KEY=false" "INPUT_SLACK-WEBHOOK-URL=http://127.0.0.1:$(cat "$run/slack.port")/services/demo"
)

# The log is shown as the Actions UI shows it: workflow commands applied, not printed (masks
# as ***, groups folded, annotations labelled): scripts/actions-log.mjs.
show_log() { node scripts/actions-log.mjs; }
title "Running dist/index.js as the Actions runner would"
status=0
(cd "$run/workspace" && env -i PATH="$PATH" HOME="$HOME" "${runner_env[@]}" node "$OLDPWD/dist/index.js") | show_log || status=$?
title "Post step"
# GITHUB_STATE holds name<<DELIMITER / value / DELIMITER blocks; the runner passes each as STATE_<name>.
mapfile -d '' state_env < <(node -e '
  const lines = require("fs").readFileSync(process.argv[1], "utf8").split("\n");
  for (let i = 0; i < lines.length; i++) {
    const m = /^([^=<]+)<<(.+)$/.exec(lines[i]);
    if (m) { const end = lines.indexOf(m[2], i + 1); process.stdout.write(`STATE_${m[1]}=${lines.slice(i + 1, end).join("\n")}\0`); i = end; }
    else if (lines[i].includes("=")) process.stdout.write(`STATE_${lines[i]}\0`);
  }' "$run/state")
(cd "$run/workspace" && env -i PATH="$PATH" HOME="$HOME" "${runner_env[@]}" "${state_env[@]}" node "$OLDPWD/dist/index.js") | show_log

url=http://$LAB_HOST_1:8090/version.txt
title "Redeploying (slow-v2, web start-first) while asking $url 20 times a second"
# A bounded sampler: one request every 50 ms (each on its own), from the start of the run to its end.
: >"$run/samples"
( while [ ! -e "$run/stop" ]; do
    (curl -fsS -m 2 -o /dev/null "$url" && echo ok || echo failed) >>"$run/samples" 2>/dev/null &
    sleep 0.05
  done; wait ) &
sampler=$!
: >"$run/output"; : >"$run/summary"
(cd "$run/workspace" && env -i PATH="$PATH" HOME="$HOME" "${runner_env[@]}" "INPUT_ENV=IMAGE=$LAB_IMAGE
APP_TAG=slow-v2
SECRET_KEY=demo secret, never logged" node "$OLDPWD/dist/index.js") | show_log >"$run/redeploy.log" || status=$?
grep -E 'web:|proxy:|^ *Error:' "$run/redeploy.log" || true
touch "$run/stop"; wait "$sampler"
failed=$(grep -c failed "$run/samples" || true)
title "Requests that failed during the redeploy: $failed of $(wc -l <"$run/samples")"

title "Step outputs (GITHUB_OUTPUT)"
cat "$run/output"
title "The page the droplet serves through its proxy ($url)"
curl -fsS -m 5 "$url" || echo "(nothing served)"
title "The Slack message received"
node -e 'for (const l of require("fs").readFileSync(process.argv[1], "utf8").split("\n").filter(Boolean)) console.log(JSON.stringify(JSON.parse(l), null, 2))' "$run/slack.json"
title "The job summary (GITHUB_STEP_SUMMARY)"
cat "$run/summary"
echo
exit "$status"
