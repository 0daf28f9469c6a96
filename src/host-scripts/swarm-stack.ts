/**
 * `mode: swarm` on the manager: check it is one, remember the stack's services as they run,
 * pull its images, deploy it, remove the services the new file dropped, and put the changed
 * services back when the update does not converge. Service specs may hold `env` values: they
 * are only ever piped or hashed on the host, never put on a command line.
 */
import { sh, type ShellCommand } from '../shell/command.js';
import { STACK_FILE, STACK_IMAGES, stackFilter, type Layout } from './layout.js';
import { DETECT_REPLIES } from './prepare.js';
import { EXIT, replyKeys } from './protocol.js';
import {
  dropRunConfig,
  KEEP_REPLIES,
  REFUSED_LOGIN,
  useRunConfig,
  type PullLogin,
} from './release.js';
import { replaceFile } from './safe-files.js';
import { hostScript, type HostScript } from './script.js';

/** The stack's services, `name hash-of-spec` per line, as they were before this deploy. */
function servicesBefore(layout: Layout): string {
  return `${layout.stateDir}/stack-services`;
}

/** The stack's services by the label `docker stack deploy` gives them. */
export function stackServices(stack: string): ShellCommand {
  return sh`docker service ls --filter ${stackFilter(stack)} --format '{{.Name}}'`;
}

/** The replies of `detectSwarm` (with `DETECT_REPLIES.user`). */
export const SWARM_REPLIES = replyKeys({ swarm: 'swarm' });

/**
 * Prints `user=` and `swarm=<state of this node>`; exits
 * `noDocker` without docker, `notManager` unless this node is a manager of an active swarm
 * that can act (`swarm=active true noquorum` when it cannot list the nodes: the managers have
 * lost their quorum, and another manager will not do better, but a failover tries).
 */
export function detectSwarm(): HostScript {
  return hostScript(
    'monarch_detect_swarm',
    sh`echo "${DETECT_REPLIES.user}=$(id -un)"
command -v docker >/dev/null 2>&1 || exit ${EXIT.noDocker}
state=$(docker info --format '{{.Swarm.LocalNodeState}} {{.Swarm.ControlAvailable}}' 2>/dev/null) || exit ${EXIT.noDocker}
[ "$state" = 'active true' ] || { echo "${SWARM_REPLIES.swarm}=$state"; exit ${EXIT.notManager}; }
docker node ls -q >/dev/null 2>&1 || { echo "${SWARM_REPLIES.swarm}=$state noquorum"; exit ${EXIT.notManager}; }
echo "${SWARM_REPLIES.swarm}=$state"`,
  );
}

/**
 * Records each service of `stack` with a hash of its spec (what a rollback compares), and
 * prints `previous=yes` when the stack has any: a first deploy has nothing to roll back to.
 */
export function snapshotStack(layout: Layout, stack: string): HostScript {
  return hostScript(
    'monarch_snapshot_stack',
    sh`umask 077
names=$(${stackServices(stack)}) || exit 1
hashes=$(if [ -n "$names" ]; then ${specHashes(sh`$names`)}; fi) || exit 1
${replaceFile(servicesBefore(layout), sh`printf '%s\n' "$hashes"`)} || exit 1
[ -z "$names" ] || echo ${KEEP_REPLIES.previous}=yes`,
  );
}

/**
 * `name hash` of each of `names`' specs (a spec is only ever piped, never an argument); fails
 * when docker does.
 */
function specHashes(names: ShellCommand): ShellCommand {
  return sh`specs=$(docker service inspect --format '{{.Spec.Name}} {{json .Spec}}' ${names}) || exit 1
printf '%s\n' "$specs" | while IFS=' ' read -r name spec; do
  sum=$(printf '%s' "$spec" | cksum) && [ -n "$sum" ] || exit 1
  printf '%s %s\n' "$name" "$(printf '%s' "$sum" | tr ' ' '-')"
done`;
}

/**
 * Pulls the stack's images (`STACK_IMAGES` in the staging folder) on the manager through this
 * run's docker config, all at once: a refused login (`loginFailed`) or a missing image fails
 * here, before any service changed. The config stays in the staging folder for `deployStack`.
 */
export function pullStackImages(
  layout: Layout,
  login: { readonly server: string } | null,
): HostScript {
  const refused = login ? sh`${REFUSED_LOGIN}) status=${EXIT.loginFailed} ;;` : sh``;
  return hostScript(
    'monarch_pull_stack_images',
    sh`umask 077
${useRunConfig(layout, login !== null)}
cd ${layout.stagingDir} || exit 1
rm -f -- .monarch-pull-*
i=0
while IFS= read -r image; do
  [ -n "$image" ] || continue
  i=$((i + 1))
  (docker pull --quiet "$image" </dev/null >/dev/null 2>".monarch-pull-$i" || mv -- ".monarch-pull-$i" ".monarch-pull-$i.failed") &
done <${STACK_IMAGES}
wait
status=0
for err in .monarch-pull-*.failed; do
  [ -e "$err" ] || continue
  output=$(cat -- "$err")
  printf '%s\n' "$output" | tail -n 5 >&2
  case $output in
    ${refused}
    *) [ $status = ${EXIT.loginFailed} ] || status=1 ;;
  esac
done
rm -f -- .monarch-pull-*
exit $status`,
  );
}

/** The replies of `deployStack` and `removeDroppedServices`. */
export const STACK_REPLIES = replyKeys({
  created: 'created',
  updated: 'updated',
  prunedService: 'pruned_service',
});

/**
 * `docker stack deploy` of the installed stack file, from app-dir (where the file's relative
 * paths point), through this run's docker config; `--with-registry-auth` hands its login to
 * the nodes that pull. Not `--prune`: the services the new file dropped are removed only once
 * it converged (`removeDroppedServices`), so a rollback still has them. The run's docker
 * config is removed afterwards (kept in the state folder with `keep`, as compose mode does).
 * Prints `created=` and `updated=` for each service; exits `upFailed` with docker's output
 * when the deploy fails.
 */
export function deployStack(layout: Layout, stack: string, login: PullLogin | null): HostScript {
  return hostScript(
    'monarch_deploy_stack',
    sh`umask 077
${useRunConfig(layout, login !== null)}
cd ${layout.appDir} || exit 1
status=0
output=$(docker stack deploy --with-registry-auth --compose-file ${STACK_FILE} ${stack} 2>&1 </dev/null) || status=${EXIT.upFailed}
${dropRunConfig(layout, login)}
if [ $status != 0 ]; then printf '%s\n' "$output" | tail -n 20 >&2; exit $status; fi
printf '%s\n' "$output" | sed -n -e ${`s/^Creating service \\([^ ]*\\).*/${STACK_REPLIES.created}=\\1/p`} -e ${`s/^Updating service \\([^ ]*\\).*/${STACK_REPLIES.updated}=\\1/p`}`,
  );
}

/**
 * Removes the services of `stack` that its new file no longer has (what `--prune` would have
 * done at the deploy); prints `pruned_service=<name>` for each.
 */
export function removeDroppedServices(stack: string, services: readonly string[]): HostScript {
  return hostScript(
    'monarch_remove_dropped_services',
    sh`keep=${` ${services.map((s) => `${stack}_${s}`).join(' ')} `}
for name in $(${stackServices(stack)}); do
  case $keep in *" $name "*) continue ;; esac
  docker service rm "$name" >/dev/null && echo "${STACK_REPLIES.prunedService}=$name"
done
exit 0`,
  );
}

/**
 * Puts back every service this deploy changed (`docker service rollback` to its previous
 * spec, once: a second one would swap the failed spec back in) and removes those it created,
 * comparing the stack with what `snapshotStack` recorded (without that record it does
 * nothing, and fails). Prints, one per line for `waitForRollback`, the services it rolled
 * back and those Swarm is rolling back itself (`failure_action: rollback`); says on standard
 * error which services it removed.
 */
export function rollbackStack(layout: Layout, stack: string): HostScript {
  const before = servicesBefore(layout);
  return hostScript(
    'monarch_rollback_stack',
    sh`[ -f ${before} ] && [ ! -L ${before} ] || { echo "no record of the stack's services before this deploy (${before})" >&2; exit 1; }
names=$(${stackServices(stack)}) || exit 1
[ -n "$names" ] || exit 0
now=$(${specHashes(sh`$names`)}) || exit 1
states=$(docker service inspect --format '{{.Spec.Name}} {{if .UpdateStatus}}{{.UpdateStatus.State}}{{end}}' $names) || exit 1
printf '%s\n' "$now" | while read -r name hash; do
  [ -n "$name" ] || continue
  was=$(awk -v n="$name" '$1 == n { print $2 }' ${before})
  if [ -z "$was" ]; then
    docker service rm "$name" >/dev/null || exit 1
    echo "removed $name, which the failed deploy created" >&2
  elif [ "$was" != "$hash" ]; then
    docker service rollback --detach "$name" >/dev/null </dev/null || exit 1
    echo "$name"
  else
    case " $(printf '%s\n' "$states" | awk -v n="$name" '$1 == n { print $2 }')" in *" rollback_"*) echo "$name" ;; esac
  fi
done`,
  );
}
