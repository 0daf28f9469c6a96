/**
 * A dry run's checks, in one long-lived command that owns a temporary folder outside app-dir:
 * it makes the folder, says it is ready, waits for `go`, the compose command and the release
 * (an archive, unpacked into the folder), checks, and removes the folder on any way out (an
 * upload that failed, a connection that dropped, a timeout): the throwaway login never stays
 * behind.
 */
import { sh, type ShellCommand } from '../shell/command.js';
import { DOCKER_CONFIG_DIR, stackFilter, type Layout } from './layout.js';
import { GO_LINE } from '../shell/timed.js';
import { EXIT, READY_LINE, replyKeys } from './protocol.js';
import { composeCall } from './prepare.js';
import { hostScript, type HostScript } from './script.js';

/** Where the dry run's temporary folders are made; nothing else there is ever removed. */
export const DRY_RUN_PREFIX = '/tmp/monarch-dry-run.';

/** The largest `.env` a dry run reads to compare: anything larger is not one the action wrote. */
export const MAX_ENV_BYTES = 1024 * 1024;

/** The replies of a dry run: what `dryRunChecks` found before and after its checks. */
export const DRY_RUN_REPLIES = replyKeys({
  appDir: 'app_dir',
  currentEnv: 'current_env',
  loginError: 'login_error',
  composeError: 'compose_error',
  stackService: 'stack_service',
});

/**
 * Prints `app_dir=yes` when app-dir exists, `current_env=<base64>` (the running release's
 * `.env`, from the action's copy or app-dir, only a regular file of at most `MAX_ENV_BYTES`;
 * `current_env=unreadable` otherwise), then `READY_LINE`; reads `GO_LINE`, the compose
 * command (`docker compose` or `docker-compose`) and the release's tar archive from its input;
 * then, in `<tmp>/release`, runs `check` (`composeConfigCheck` or `stackCheck`) and, with
 * `server`, a bare `docker login` through the release's docker config (`login_error=1`, its
 * errors on stderr). Exits 1 if a check failed.
 */
export function dryRunChecks(
  layout: Layout,
  check: ShellCommand,
  server: string | null,
): HostScript {
  const candidates = [`${layout.releaseDir}/.env`, `${layout.appDir}/.env`];
  const login = server
    ? sh`if ! DOCKER_CONFIG="$tmp/release/${DOCKER_CONFIG_DIR}" docker login -- ${server} </dev/null >/dev/null 2>"$tmp/login.err"; then
  echo ${DRY_RUN_REPLIES.loginError}=1; cat "$tmp/login.err" >&2; status=1
fi`
    : sh`:`;
  return hostScript(
    'monarch_dry_run_checks',
    sh`tmp=$(mktemp -d ${`${DRY_RUN_PREFIX}XXXXXX`}) || exit 1
trap 'rm -rf -- "$tmp"' EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 141' PIPE
trap 'exit 143' TERM
if [ -d ${layout.appDir} ]; then echo ${DRY_RUN_REPLIES.appDir}=yes; fi
for f in ${candidates}; do
  [ -e "$f" ] || [ -L "$f" ] || continue
  if [ -f "$f" ] && [ ! -L "$f" ] && [ "$(wc -c <"$f")" -le ${MAX_ENV_BYTES} ]; then
    echo "${DRY_RUN_REPLIES.currentEnv}=$(base64 <"$f" | tr -d '\n')"
  else
    echo ${DRY_RUN_REPLIES.currentEnv}=unreadable
  fi
  break
done
echo ${READY_LINE}
IFS= read -r go && [ "$go" = ${GO_LINE} ] || exit ${EXIT.notStarted}
IFS= read -r compose || exit ${EXIT.notStarted}
status=0
umask 077
mkdir -- "$tmp/release" && cd "$tmp/release" && tar -x -o -f - || exit 1
${check}
${login}
exit $status`,
  );
}

/**
 * The compose check of a dry run: `compose config` of the release with the compose command the
 * host named (`$compose`); `compose_error=1` and its output when it fails.
 */
export function composeConfigCheck(project: string): ShellCommand {
  return sh`case $compose in
  'docker compose') set -- docker compose ;;
  docker-compose) set -- docker-compose ;;
  *) exit ${EXIT.noDocker} ;;
esac
${composeCall(project, sh`"$@"`)} config --quiet </dev/null 2>&1 || { echo "${DRY_RUN_REPLIES.composeError}=1"; status=1; }`;
}

/** The swarm check of a dry run: the stack's services as they run now (`stack_service=`). */
export function stackCheck(stack: string): ShellCommand {
  return sh`docker service ls --filter ${stackFilter(stack)} --format ${`${DRY_RUN_REPLIES.stackService}={{.Name}}`} </dev/null || status=1`;
}
