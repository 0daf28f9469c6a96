/**
 * `mode: compose` with start-first services (see compose/rollout-plan.ts): the other services
 * are started by `up -d` as before, then each start-first service is rolled the docker-rollout
 * way: its new containers start beside the old ones (`up --no-recreate --scale`), the old ones
 * stop (SIGTERM, their grace period) only once the new ones pass the health gate, and a new
 * container that never does is removed while the old ones keep serving.
 */
import { lines, sh, type ShellCommand } from '../shell/command.js';
import type { RolloutPlan, StartFirstService } from '../types/settings.js';
import { projectFilters, type Layout } from './layout.js';
import { composeCall } from './prepare.js';
import { EXIT, replyKeys } from './protocol.js';
import { hostScript, type HostScript } from './script.js';

/**
 * The replies of a rollout: `rolled=<service> recreate` for each service `up -d` started,
 * `rolled=<service> start-first <overlap seconds>` for each start-first one (the seconds from
 * its new containers' start to the old ones' removal; `first` when it had none running), and
 * `no_healthcheck=<service>` for a start-first service whose new containers have none.
 */
export const ROLLOUT_REPLIES = replyKeys({ rolled: 'rolled', noHealthcheck: 'no_healthcheck' });

/** The label filters of one service's containers, `$svc` (one-off `run` containers left out). */
function serviceFilters(project: string): ShellCommand {
  const [ofProject, notOneOff] = projectFilters(project);
  return sh`--filter ${ofProject} --filter "label=com.docker.compose.service=$svc" --filter ${notOneOff}`;
}

/**
 * `monarch_roll_start_first SERVICE REPLICAS GRACE`: rolls one start-first service, in app-dir.
 * With no container of it running, starts it (`first`). Otherwise: removes its stopped
 * containers (they serve nothing, and `--no-recreate` would start them again), scales it to
 * its running containers plus REPLICAS without recreating any, waits for the new ones by the
 * health gate (`monarch_check_health`, the program's one gate), then stops the old ones with
 * `docker stop -t GRACE` (their stop signal first) and removes them. A new container that
 * fails the gate is removed, the old ones untouched, and the gate's exit code returned.
 */
export function rollStartFirst(compose: ShellCommand, project: string): HostScript {
  const filters = serviceFilters(project);
  const up = sh`${composeCall(project, compose)} up -d --no-deps`;
  return hostScript(
    'monarch_roll_start_first',
    sh`svc=$1 want=$2 grace=$3
all=$(docker ps -a -q --no-trunc ${filters}) || exit 1
old=$(docker ps -q --no-trunc ${filters}) || exit 1
stale=
for id in $all; do case " $(echo $old) " in *" $id "*) ;; *) stale="$stale $id" ;; esac; done
[ -z "$stale" ] || docker rm -f $stale >/dev/null || exit 1
if [ -z "$old" ]; then
  if ! up_output=$(${up} --scale "$svc=$want" "$svc" 2>&1 </dev/null); then
    printf '%s\n' "$up_output" >&2
    exit ${EXIT.upFailed}
  fi
  echo "${ROLLOUT_REPLIES.rolled}=$svc start-first first"
  exit 0
fi
count=$(echo $old | wc -w)
began=$(date +%s)
up_output=$(${up} --no-recreate --scale "$svc=$((count + want))" "$svc" 2>&1 </dev/null)
up_status=$?
new=
for id in $(docker ps -a -q --no-trunc ${filters}); do case " $(echo $old) " in *" $id "*) ;; *) new="$new $id" ;; esac; done
if [ "$up_status" != 0 ] || [ -z "$new" ]; then
  printf '%s\n' "$up_output" >&2
  echo "start-first service $svc: compose started no new container beside the old ones, which keep serving" >&2
  [ -z "$new" ] || docker rm -f $new >/dev/null 2>&1
  exit ${EXIT.upFailed}
fi
checks=$(docker inspect -f '{{if .Config.Healthcheck}}{{range .Config.Healthcheck.Test}}{{.}} {{end}}{{end}}' $new) || checks=
case $checks in ''|NONE*) echo "${ROLLOUT_REPLIES.noHealthcheck}=$svc" ;; esac
monarch_check_health $new >/dev/null
health=$?
if [ "$health" != 0 ]; then
  docker rm -f $new >/dev/null 2>&1
  if [ "$health" = ${EXIT.healthTimeout} ]; then
    echo "start-first service $svc: its new containers were not healthy in time" >&2
  fi
  echo "start-first service $svc: its new containers were removed; the old ones kept serving" >&2
  exit "$health"
fi
docker stop -t "$grace" $old >/dev/null || exit 1
docker rm $old >/dev/null || exit 1
echo "${ROLLOUT_REPLIES.rolled}=$svc start-first $(($(date +%s) - began))"`,
  );
}

/**
 * Starts the release by `plan`, in app-dir: `up -d --no-deps --remove-orphans` for the
 * services it recreates (one `up`, as without a plan), then each start-first service in
 * dependency order (`rollStartFirst`). Exits `upFailed` with compose's output when `up` fails,
 * or the health gate's code when a start-first service's new containers fail it.
 */
export function startByPlan(
  layout: Layout,
  compose: ShellCommand,
  project: string,
  plan: RolloutPlan,
): HostScript {
  const recreate = plan.recreate.length
    ? sh`if ! up_output=$(${composeCall(project, compose)} up -d --no-deps --remove-orphans ${plan.recreate} 2>&1 </dev/null); then
  printf '%s\n' "$up_output" >&2
  exit ${EXIT.upFailed}
fi
for svc in ${plan.recreate}; do echo "${ROLLOUT_REPLIES.rolled}=$svc recreate"; done`
    : sh`:`;
  const rolls = plan.startFirst.map(
    (service: StartFirstService) =>
      sh`monarch_roll_start_first ${service.name} ${service.replicas} ${service.stopGraceSeconds} || exit`,
  );
  return hostScript(
    'monarch_start_by_plan',
    sh`cd ${layout.appDir} || exit 1
${recreate}
${lines(rolls)}`,
  );
}

/**
 * The scripts `startByPlan` calls, for the program's definitions: `gate`, the program's one
 * health gate (`checkHealth`), which the final check of the start shares, and the rollout.
 */
export function startByPlanHelpers(
  compose: ShellCommand,
  project: string,
  gate: HostScript,
): HostScript[] {
  return [gate, rollStartFirst(compose, project)];
}
