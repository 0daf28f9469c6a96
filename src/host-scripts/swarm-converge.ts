/**
 * Waiting, on the manager, until a stack's services run their new spec, and reporting what
 * runs where. What Swarm says is read from three docker calls a second: each service's
 * replicas (running/desired), its update state, and its tasks of the current spec that
 * should be running; the verdict is an awk program (`STACK_VERDICT`), tested on its own.
 */
import { ShellCommand, sh } from '../shell/command.js';
import { EXIT, replyKeys } from './protocol.js';
import { PRUNE_REPLIES } from './prune.js';
import { STACK_IMAGES, stackFilter, type Layout } from './layout.js';
import { hostScript, type HostScript } from './script.js';

/** How long a task may stay unplaceable for a host-mode port before the wait gives up on it. */
export const PORT_STUCK_SECONDS = 5;

/**
 * Reads `MONARCH_WANT` (service names), `MONARCH_REPLICAS` (`name running/desired` lines),
 * `MONARCH_STATES` (`name state|message`, state `none` before any update) and `MONARCH_TASKS`
 * (`task|state|node|error` of up-to-date tasks that should run) from the environment; prints
 * per service `ok NAME`, `wait NAME what`, `port NAME error` (a task of a service in
 * `MONARCH_START_FIRST` that no node can take for its host-mode port) or `fail NAME why`
 * (Swarm paused the update, or rolled it back itself). With
 * `MONARCH_ROLLBACK=1` (waiting for a rollback), a rollback in progress is waited for, a
 * completed one is the end, and a paused one fails.
 */
export const STACK_VERDICT = new ShellCommand(`BEGIN {
  n = split(ENVIRON["MONARCH_WANT"], want, " ")
  rollback = ENVIRON["MONARCH_ROLLBACK"] == "1"
  done = rollback ? "rollback_completed" : "completed"
  count = split(ENVIRON["MONARCH_REPLICAS"], lines, "\\n")
  for (i = 1; i <= count; i++) {
    split(lines[i], f, " ")
    split(f[2], r, "/")
    running[f[1]] = r[1] + 0; desired[f[1]] = r[2] + 0
  }
  count = split(ENVIRON["MONARCH_STATES"], lines, "\\n")
  for (i = 1; i <= count; i++) {
    at = index(lines[i], " "); name = substr(lines[i], 1, at - 1); rest = substr(lines[i], at + 1)
    bar = index(rest, "|"); state[name] = substr(rest, 1, bar - 1); message[name] = substr(rest, bar + 1)
  }
  count = split(ENVIRON["MONARCH_TASKS"], lines, "\\n")
  for (i = 1; i <= count; i++) {
    if (lines[i] == "") continue
    nf = split(lines[i], f, "|")
    service = f[1]; sub(/\\.[^.]*$/, "", service)
    error = f[4]; for (j = 5; j <= nf; j++) error = error "|" f[j]
    tasks[service]++
    if (f[2] ~ /^Running/) up[service]++
    else note[service] = note[service] "; task " f[1] (f[3] == "" ? "" : " on " f[3]) ": " f[2] (error == "" ? "" : " (" error ")")
    if (error ~ /host-mode port already in use/ && index(" " ENVIRON["MONARCH_START_FIRST"] " ", " " service " ")) port[service] = error
  }
  for (i = 1; i <= n; i++) {
    s = want[i]; st = state[s]
    if (st == "rollback_paused" || (!rollback && st == "paused")) { print "fail " s " Swarm paused its " (rollback ? "rollback" : "update") ": " message[s] note[s]; continue }
    if (!rollback && st ~ /^rollback/) { print "fail " s " Swarm rolled its update back (" st "): " message[s] note[s]; continue }
    if ((st == "none" || st == done) && up[s] + 0 == desired[s] && tasks[s] + 0 == desired[s]) { print "ok " s; continue }
    if (s in port) print "port " s " " port[s]
    print "wait " s " " up[s] + 0 "/" desired[s] + 0 " tasks of its current spec running" (st == "none" || st == "" || st == done ? "" : ", " st) note[s]
  }
}`);

/**
 * Waits, for at most `seconds`, until every service given as an argument (full names) runs its
 * current spec with its desired replicas, healthy where it has a health check (Swarm starts a
 * task's container as `Running` only once it is healthy). Exits `unhealthy` at once when Swarm
 * paused or rolled back an update, or when a task of a `startFirst` service (start-first
 * update, host-mode port) stays unplaceable for `PORT_STUCK_SECONDS` (its old task holds the
 * port), and `healthTimeout` when time is up. A docker call that fails (a manager electing a
 * leader) is tried again the next second, until time is up. Standard error then says why:
 * the services that failed first, then those not there yet with their tasks' states and
 * errors, the tasks of the current spec that ended, and the nodes that are not ready.
 */
export function waitForStack(
  stack: string,
  seconds: number,
  startFirst: readonly string[],
): HostScript {
  return hostScript('monarch_wait_for_stack', waitBody(stack, seconds, startFirst, false));
}

/**
 * `waitForStack` for the services a rollback put back (see `rollbackStack`): a rollback in
 * progress is waited for, a completed one is the end, a paused one fails.
 */
export function waitForRollback(stack: string, seconds: number): HostScript {
  return hostScript('monarch_wait_for_rollback', waitBody(stack, seconds, [], true));
}

function waitBody(
  stack: string,
  seconds: number,
  startFirst: readonly string[],
  rollback: boolean,
): ShellCommand {
  return sh`[ $# -gt 0 ] || exit 0
export MONARCH_WANT="$*" MONARCH_ROLLBACK=${rollback ? '1' : '0'} MONARCH_START_FIRST=${startFirst.join(' ')}
deadline=$(( $(date +%s) + ${seconds} ))
nl='
'
stuck_since=
status=
while :; do
  if MONARCH_REPLICAS=$(docker service ls --filter ${stackFilter(stack)} --format '{{.Name}} {{.Replicas}}' 2>&1) &&
    MONARCH_STATES=$(docker service inspect --format '{{.Spec.Name}} {{if .UpdateStatus}}{{.UpdateStatus.State}}|{{.UpdateStatus.Message}}{{else}}none|{{end}}' "$@" 2>&1) &&
    MONARCH_TASKS=$(docker service ps --no-trunc --filter desired-state=running --filter _up-to-date=true --format '{{.Name}}|{{.CurrentState}}|{{.Node}}|{{.Error}}' "$@" 2>&1); then
    export MONARCH_REPLICAS MONARCH_STATES MONARCH_TASKS
    verdict=$(awk ${STACK_VERDICT.text} </dev/null)
  else
    verdict="wait swarm did not answer: $(printf '%s' "$MONARCH_REPLICAS $MONARCH_STATES $MONARCH_TASKS" | tail -n 1)"
  fi
  case "$nl$verdict" in *"\${nl}wait "*|*"\${nl}fail "*) ;; *) exit 0 ;; esac
  now=$(date +%s)
  case "$nl$verdict" in
    *"\${nl}fail "*) status=${EXIT.unhealthy} ;;
    *"\${nl}port "*)
      [ -n "$stuck_since" ] || stuck_since=$now
      [ $((now - stuck_since)) -lt ${PORT_STUCK_SECONDS} ] || status=port ;;
    *) stuck_since= ;;
  esac
  [ -z "$status" ] && [ "$now" -ge "$deadline" ] && status=${EXIT.healthTimeout}
  [ -n "$status" ] && break
  sleep 1
done
{
  printf '%s\n' "$verdict" | awk '$1 == "port" { print $2 ": no node can take its new task: the old task holds its host-mode port, and a start-first update needs a node where it is free (update_config.order: stop-first, or one more node)" }'
  printf '%s\n' "$verdict" | awk '$1 == "fail" { s = $2; $1 = ""; $2 = ""; sub(/^  /, ""); print s ": " $0 }'
  printf '%s\n' "$verdict" | awk '$1 == "wait" { s = $2; $1 = ""; $2 = ""; sub(/^  /, ""); print s ": " $0 }'
  for s in $(printf '%s\n' "$verdict" | awk '$1 == "fail" || $1 == "port" || $1 == "wait" && $2 != "swarm" { print $2 }' | sort -u); do
    docker service ps --no-trunc --filter desired-state=shutdown --filter _up-to-date=true --format "$s: ended task {{.Name}} on {{.Node}}: {{.CurrentState}} {{.Error}}" "$s" 2>/dev/null | head -n 2
  done
  docker node ls --format '{{.Hostname}} {{.Status}} {{.Availability}}' 2>/dev/null | awk '$2 != "Ready" { print "node " $1 " is " $2 " (" $3 ")" }'
} >&2
[ "$status" = port ] && status=${EXIT.unhealthy}
exit $status`;
}

/** The replies of `nameRolledBack` and `reportStack`. */
export const CONVERGE_REPLIES = replyKeys({
  rolledBack: 'rolled_back',
  replicas: 'replicas',
  image: 'image',
  task: 'task',
});

/** Prints `rolled_back=<name>` for each service given as an argument. */
export function nameRolledBack(): HostScript {
  return hostScript(
    'monarch_name_rolled_back',
    sh`for name in "$@"; do echo "${CONVERGE_REPLIES.rolledBack}=$name"; done`,
  );
}

/**
 * Prints, for the stack's services, `replicas=<name> <running>/<desired>`, `image=<name>
 * <image of its spec>` (a digest once `stack deploy` resolved it) and `task=<name> <node>`
 * for each task that runs: three docker calls.
 */
export function reportStack(stack: string): HostScript {
  return hostScript(
    'monarch_report_stack',
    sh`replicas=$(docker service ls --filter ${stackFilter(stack)} --format '{{.Name}} {{.Replicas}}') || exit 1
[ -n "$replicas" ] || exit 0
printf '%s\n' "$replicas" | sed ${`s/^/${CONVERGE_REPLIES.replicas}=/`}
names=$(printf '%s\n' "$replicas" | cut -d' ' -f1)
docker service inspect --format ${`${CONVERGE_REPLIES.image}={{.Spec.Name}} {{.Spec.TaskTemplate.ContainerSpec.Image}}`} $names
docker service ps --filter desired-state=running --format ${`${CONVERGE_REPLIES.task}={{.Name}} {{.Node}} {{.CurrentState}}`} $names | awk '$3 == "Running" { print $1, $2 }'`,
  );
}

/**
 * Removes, on the manager, the images of the stack's repositories that no container there uses
 * and that are not what the stack names now (both from `STACK_IMAGES` in the staging folder);
 * prints `removed=<count>`. Workers are not reached: each node's images are its own (README).
 */
export function pruneStackImages(layout: Layout): HostScript {
  const images = `${layout.stagingDir}/${STACK_IMAGES}`;
  return hostScript(
    'monarch_prune_stack_images',
    sh`all=$(docker ps -aq --no-trunc) || exit 1
repos=$(sed -e 's/@.*$//' -e 's/:[^:/]*$//' ${images} | sort -u)
keep=$( { [ -z "$all" ] || docker inspect -f '{{.Image}}' $all; while IFS= read -r ref; do docker image inspect -f '{{.ID}}' "$ref" 2>/dev/null; done <${images}; } | sort -u)
list=$(docker images --no-trunc --format '{{.Repository}} {{.ID}}') || exit 1
nl='
'
removed=0
while read -r repo id; do
  [ -n "$id" ] || continue
  case "$nl$repos$nl" in *"$nl$repo$nl"*) ;; *) continue ;; esac
  case "$nl$keep$nl" in *"$nl$id$nl"*) continue ;; esac
  docker rmi -f -- "$id" >/dev/null 2>&1 && removed=$((removed + 1))
done <<IMAGES
$list
IMAGES
echo "${PRUNE_REPLIES.removed}=$removed"`,
  );
}
