/**
 * What a deploy does on the host before anything else: wait for the end of the first boot,
 * find docker and compose, create app-dir, and hold the deploy lock.
 */
import { ShellCommand, sh } from '../shell/command.js';
import { STAGING_PREFIX, type Layout } from './layout.js';
import { EXIT, READY_LINE, replyKeys } from './protocol.js';
import { isRegularFile, replaceFile, UNSAFE } from './safe-files.js';
import { hostScript, type HostScript } from './script.js';

/** The reply of `waitForMarker`: `waited=<seconds>`. */
export const MARKER_REPLIES = replyKeys({ waited: 'waited' });

/**
 * Waits, on the host (no polling over the network), until `marker` exists, for at most
 * `seconds`; prints `waited=<seconds>`. Exits `markerTimeout` when it never appears.
 */
export function waitForMarker(marker: string, seconds: number): HostScript {
  return hostScript(
    'monarch_wait_for_marker',
    sh`waited=0
while [ ! -e ${marker} ]; do
  if [ "$waited" -ge ${seconds} ]; then exit ${EXIT.markerTimeout}; fi
  sleep 1; waited=$((waited + 1))
done
echo "${MARKER_REPLIES.waited}=$waited"`,
  );
}

/** Where the docker CLI looks for its plugins (the user's first), compose v2 among them. */
const PLUGIN_DIRS = [
  '/usr/local/lib/docker/cli-plugins',
  '/usr/local/libexec/docker/cli-plugins',
  '/usr/lib/docker/cli-plugins',
  '/usr/libexec/docker/cli-plugins',
];

/** Where the plugins of the user's docker CLI are. */
const USER_PLUGINS = '"${DOCKER_CONFIG:-${HOME:-/root}/.docker}/cli-plugins"';

/**
 * How the host scripts pick compose, without starting it (a compose start costs ~0.5 s with
 * v1): the v2 plugin where the docker CLI looks for it (the user's folder first), else
 * `docker-compose` on the PATH. Runs `v2` or `v1`, whichever is found, else falls through.
 */
function findCompose(v2: ShellCommand, v1: ShellCommand): ShellCommand {
  return sh`for dir in ${new ShellCommand(USER_PLUGINS)} ${PLUGIN_DIRS}; do
  if [ -x "$dir/docker-compose" ]; then ${v2}; fi
done
if command -v docker-compose >/dev/null 2>&1; then ${v1}; fi`;
}

/**
 * `monarch_compose ARGS...` runs compose as `detectDocker` chose it, found again on the host
 * the same way (`findCompose`): the commands that need compose are built before the host has
 * answered which one it has, and their channels open beside the lock's.
 */
export function composeHelper(): HostScript {
  return hostScript(
    'monarch_compose',
    sh`${findCompose(sh`exec docker compose "$@"`, sh`exec docker-compose "$@"`)}
exec docker compose "$@"`,
  );
}

/** How the host scripts call compose: through `composeHelper`. */
export const COMPOSE = sh`monarch_compose`;

/** The compose file of a release, the one name every compose call gives (`composeCall`). */
export const COMPOSE_FILE = 'docker-compose.yml';

/**
 * Every compose call of the host scripts: `<compose> --file docker-compose.yml --project-name
 * <project>`, its subcommand and arguments to follow (both flags go before the subcommand, as
 * v1 and v2 accept them). Run it in the folder of the release's file (app-dir, this run's
 * staging folder): compose reads that file alone, never one it would find by itself there (a
 * `docker-compose.override.yml` it merges in, a `compose.yaml` it prefers), and the `.env` of
 * that folder (its project directory is the file's). `compose`: `COMPOSE` (the helper), or the
 * dry run's `"$@"`.
 */
export function composeCall(project: string, compose: ShellCommand = COMPOSE): ShellCommand {
  return sh`${compose} --file ${COMPOSE_FILE} --project-name ${project}`;
}

/** The replies of `detectDocker` (`user=` also of `detectSwarm`). */
export const DETECT_REPLIES = replyKeys({ user: 'user', compose: 'compose' });

/**
 * Prints `user=<name>` and `compose=docker compose` or `compose=docker-compose`, whichever the
 * host has (v2 preferred), as `findCompose` finds it; `docker compose version` is asked only
 * when neither is found. Exits `noDocker` when there is no docker or no compose.
 */
export function detectDocker(): HostScript {
  return hostScript(
    'monarch_detect_docker',
    sh`echo "${DETECT_REPLIES.user}=$(id -un)"
command -v docker >/dev/null 2>&1 || exit ${EXIT.noDocker}
${findCompose(sh`echo "${DETECT_REPLIES.compose}=docker compose"; exit 0`, sh`echo "${DETECT_REPLIES.compose}=docker-compose"; exit 0`)}
if docker compose version >/dev/null 2>&1; then echo "${DETECT_REPLIES.compose}=docker compose"; exit 0; fi
exit ${EXIT.noDocker}`,
  );
}

/**
 * Creates app-dir (mode 0700 when new) and its state folder (mode 0700), and checks that both
 * are real folders (not links) owned by the SSH user and writable by nobody else: otherwise
 * another user, or a container, could swap what the deploy works in (exit `unsafePath`).
 * Exits `notWritable` when app-dir cannot be made or written. Removes the copies of the
 * previous layout (`.monarch/previous`), which nothing reads any more.
 */
export function prepareAppDir(layout: Layout): HostScript {
  const { appDir, stateDir } = layout;
  const owned = (
    dir: string,
    name: string,
  ) => sh`[ -L ${dir} ] && unsafe ${`${name} is a symbolic link`}
[ -d ${dir} ] || unsafe ${`${name} is not a folder`}
[ -O ${dir} ] || unsafe "${name} is not owned by $(id -un)"
[ -z "$(find ${dir} -maxdepth 0 \( -perm -020 -o -perm -002 \))" ] || unsafe ${`${name} is writable by other users (chmod go-w ${dir})`}`;
  return hostScript(
    'monarch_prepare_app_dir',
    sh`${UNSAFE}
umask 077
if [ ! -e ${appDir} ] && [ ! -L ${appDir} ]; then mkdir -p -- ${appDir} 2>/dev/null || exit ${EXIT.notWritable}; fi
${owned(appDir, appDir)}
[ -w ${appDir} ] || exit ${EXIT.notWritable}
if [ ! -e ${stateDir} ] && [ ! -L ${stateDir} ]; then mkdir -- ${stateDir} 2>/dev/null || [ -d ${stateDir} ] || exit ${EXIT.notWritable}; fi
${owned(stateDir, stateDir)}
chmod 700 ${stateDir} || exit ${EXIT.notWritable}
rm -rf -- ${`${stateDir}/previous`}`,
  );
}

/** Removes staging folders of runs that died more than a day ago. */
export function removeStaleStaging(layout: Layout): HostScript {
  return hostScript(
    'monarch_remove_stale_staging',
    sh`find ${layout.stateDir} -maxdepth 1 -name ${`${STAGING_PREFIX}*`} -mmin +1440 -exec rm -rf {} + 2>/dev/null
exit 0`,
  );
}

/** The replies of a lock that waited or gave up (`holdLock`, and the swarm's lease). */
export const LOCK_REPLIES = replyKeys({ lockWaited: 'lock_waited', holder: 'holder' });

/**
 * Takes the deploy lock (flock on the lock file), waiting up to `seconds` for another deploy;
 * records `holder` and the time in the lock info file; prints `lock_waited=<seconds>` if it
 * waited, then `READY_LINE`, and holds the lock until its standard input closes (the runner
 * releases it, or the connection drops and the host's kernel does). When it gives up it prints
 * `holder=<who holds it>` and exits `locked`; without flock it exits `noFlock`. A link at the
 * lock's name is `unsafe` (opening it would create or touch what it points to).
 */
export function holdLock(layout: Layout, seconds: number, holder: string): HostScript {
  const { lockFile, lockInfo } = layout;
  return hostScript(
    'monarch_hold_lock',
    sh`${UNSAFE}
command -v flock >/dev/null 2>&1 || exit ${EXIT.noFlock}
[ -L ${lockFile} ] && unsafe ${`${lockFile} is a symbolic link`}
exec 9>>${lockFile}
if ! flock -n 9; then
  asked=$(date +%s)
  if ! flock -w ${seconds} 9; then
    if ${isRegularFile(lockInfo)}; then head -c 1024 ${lockInfo} | sed ${`s/^/${LOCK_REPLIES.holder}=/`}; fi
    exit ${EXIT.locked}
  fi
  echo "${LOCK_REPLIES.lockWaited}=$(( $(date +%s) - asked ))"
fi
${replaceFile(
  lockInfo,
  sh`printf '%s %s
' ${holder} "$(date -u +%Y-%m-%dT%H:%M:%SZ)"`,
)} || exit 1
echo ${READY_LINE}
cat >/dev/null`,
  );
}
