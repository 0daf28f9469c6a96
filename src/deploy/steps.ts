/**
 * The remote steps of a deploy, each a small function of (session). Every command is built with
 * `sh` (which quotes every value) and run through `RemoteHost.exec` (which applies the timeout).
 */
import path from 'node:path/posix';
import { statSync } from 'node:fs';
import type { Inputs } from '../inputs.js';
import { RemoteCommandError, lastLines, runChecked, type RemoteHost } from '../remote/host.js';
import { ShellCommand, joinCommands, sh } from '../remote/shell.js';
import { renderEnvFile } from './env-render.js';
import { layoutOf, type Layout } from './layout.js';

/** One droplet being deployed: its connection, the settings, and what the steps learned. */
export interface HostSession {
  readonly host: RemoteHost;
  readonly inputs: Inputs;
  readonly layout: Layout;
  /** `docker compose` or `docker-compose`, whichever the host has (set by `prepareHost`). */
  compose: ShellCommand;
}

/** Starts a session on a connected host. */
export function openSession(host: RemoteHost, inputs: Inputs): HostSession {
  return { host, inputs, layout: layoutOf(inputs.appDir), compose: sh`docker compose` };
}

/** A step that failed in a way the user can act on; `message` says what and where. */
export class DeployStepError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DeployStepError';
  }
}

const EXIT_MARKER_TIMEOUT = 90;
const EXIT_NOT_WRITABLE = 91;
const EXIT_NO_DOCKER = 92;

/** What `prepareHost` found. */
export interface PreparedHost {
  readonly waitedSeconds: number;
  readonly composeCommand: string;
  readonly user: string;
}

/**
 * Waits on the host (no polling over the network) for the setup marker, then creates the app
 * and staging directories and finds the compose command: one round trip.
 */
export async function prepareHost(
  session: HostSession,
  markerBudgetMs: number,
): Promise<PreparedHost> {
  const { inputs, layout } = session;
  const markerSeconds = Math.max(0, Math.floor(markerBudgetMs / 1000));
  const subdirs = [
    ...new Set(inputs.files.map((file) => path.dirname(file.remoteName)).filter((d) => d !== '.')),
  ];
  const waitForMarker = inputs.setupMarker
    ? sh`waited=0
while [ ! -e ${inputs.setupMarker} ]; do
  if [ "$waited" -ge ${markerSeconds} ]; then exit ${EXIT_MARKER_TIMEOUT}; fi
  sleep 1; waited=$((waited + 1))
done
echo "waited=$waited"`
    : sh`echo waited=0`;
  const script = sh`${waitForMarker}
umask 077
mkdir -p ${layout.appDir} 2>/dev/null && [ -w ${layout.appDir} ] || exit ${EXIT_NOT_WRITABLE}
mkdir -p ${layout.stateDir} && chmod 700 ${layout.stateDir}
rm -rf ${layout.stagingDir} && mkdir ${layout.stagingDir}
${joinCommands(
  subdirs.map((dir) => sh`mkdir -p ${path.join(layout.stagingDir, dir)}`),
  '\n',
)}
echo "user=$(id -un)"
command -v docker >/dev/null 2>&1 || exit ${EXIT_NO_DOCKER}
if docker compose version >/dev/null 2>&1; then echo "compose=docker compose"
elif command -v docker-compose >/dev/null 2>&1; then echo "compose=docker-compose"
else exit ${EXIT_NO_DOCKER}; fi`;
  const result = await session.host.exec(script, {
    label: 'Waiting for the droplet',
    timeoutMs: markerBudgetMs + inputs.commandTimeoutMs,
  });
  const facts = keyValues(result.stdout);
  switch (result.code) {
    case 0:
      break;
    case EXIT_MARKER_TIMEOUT:
      throw new DeployStepError(
        `the setup marker ${inputs.setupMarker} did not appear on ${session.host.name} within ` +
          `'setup-timeout' (${Math.round(inputs.setupTimeoutMs / 1000)} s): has cloud-init finished?`,
      );
    case EXIT_NOT_WRITABLE:
      throw new DeployStepError(
        `user '${facts.user ?? inputs.username}' cannot create or write ${layout.appDir} on ${session.host.name}: ` +
          `create it for that user first (for example in cloud-init: mkdir -p ${layout.appDir} && chown ${inputs.username} ${layout.appDir})`,
      );
    case EXIT_NO_DOCKER:
      throw new DeployStepError(
        `${session.host.name} has no docker with compose ('docker compose' or 'docker-compose') on the PATH of '${facts.user ?? inputs.username}'`,
      );
    default:
      throw new RemoteCommandError('Preparing the app directory', result.code, result.stderr);
  }
  session.compose = facts.compose === 'docker-compose' ? sh`docker-compose` : sh`docker compose`;
  return {
    waitedSeconds: Number(facts.waited ?? 0),
    composeCommand: facts.compose ?? '',
    user: facts.user ?? '',
  };
}

/**
 * Uploads the compose file, the extra files and `.env` into the staging directory, all at once
 * over the one SFTP channel. `.env` is created with mode 0600: it is never readable by others.
 */
export async function uploadRelease(session: HostSession): Promise<void> {
  const { host, inputs, layout } = session;
  const staged = (name: string) => path.join(layout.stagingDir, name);
  await Promise.all([
    host.uploadFile(inputs.composeFile, staged('docker-compose.yml'), 0o644),
    ...inputs.files.map((file) =>
      host.uploadFile(
        file.localPath,
        staged(file.remoteName),
        statSync(file.localPath).mode & 0o755,
      ),
    ),
    host.writeFile(staged('.env'), renderEnvFile(inputs.env), 0o600),
  ]);
}

/** `docker login` on the host, the password over standard input. */
export async function registryLogin(session: HostSession): Promise<void> {
  const registry = session.inputs.registry;
  if (!registry) return;
  const result = await session.host.exec(
    sh`docker login --username ${registry.username} --password-stdin ${registry.server}`,
    {
      label: `Logging in to ${registry.server}`,
      timeoutMs: session.inputs.commandTimeoutMs,
      stdin: registry.password,
    },
  );
  if (result.code !== 0) {
    throw new DeployStepError(
      `registry login to ${registry.server} failed for user '${registry.username}': ${lastLines(result.stderr, 2) || `exit code ${result.code}`}`,
    );
  }
}

/** `docker logout` on the host, so no registry credential stays there. */
export async function registryLogout(session: HostSession): Promise<void> {
  const registry = session.inputs.registry;
  if (!registry) return;
  await runChecked(session.host, sh`docker logout ${registry.server}`, {
    label: `Logging out of ${registry.server}`,
    timeoutMs: session.inputs.commandTimeoutMs,
  });
}

/** Names the release files (relative to the app directory) that a deploy replaces. */
function releaseFiles(inputs: Inputs): string[] {
  return ['docker-compose.yml', '.env', ...inputs.files.map((file) => file.remoteName)];
}

/** Shell function `restore`: puts the previous release's files back, each with a rename. */
function restoreFunction(session: HostSession): ShellCommand {
  const { layout } = session;
  return sh`restore() {
  for f in ${releaseFiles(session.inputs)}; do
    if [ -e ${layout.previousDir}/"$f" ]; then
      cp -p ${layout.previousDir}/"$f" "$f.monarch-restore" && mv -f "$f.monarch-restore" "$f"
    else
      rm -f "$f"
    fi
  done
}`;
}

/** What `pullRelease` found about the release it will replace. */
export interface PulledRelease {
  /** True when a previous release exists to roll back to. */
  readonly hasPrevious: boolean;
}

/**
 * Keeps the running release (its files, and the image IDs its containers use) for a rollback,
 * then pulls the new images with the staged files. Nothing in the app directory changes here:
 * if the pull fails or the connection drops, the host runs, and has on disk, what it had.
 */
export async function pullRelease(session: HostSession): Promise<PulledRelease> {
  const { layout, compose, inputs } = session;
  const script = sh`set -u
umask 077
cd ${layout.appDir}
rm -rf ${layout.previousDir} && mkdir ${layout.previousDir}
if [ -e docker-compose.yml ]; then
  for f in ${releaseFiles(inputs)}; do
    if [ -e "$f" ]; then mkdir -p ${layout.previousDir}/"$(dirname "$f")" && cp -p "$f" ${layout.previousDir}/"$f"; fi
  done
  ids=$(${compose} ps -q 2>/dev/null </dev/null) || ids=
  if [ -n "$ids" ]; then docker inspect -f '{{.Config.Image}} {{.Image}}' $ids >${layout.previousDir}/images; fi
  echo previous=yes
fi
cd ${layout.stagingDir} && ${compose} --project-name ${projectName(session)} pull --quiet </dev/null`;
  const result = await session.host.exec(script, {
    label: 'Pulling images',
    timeoutMs: inputs.commandTimeoutMs,
  });
  if (result.code !== 0) {
    throw new DeployStepError(
      `pulling the images failed; the running version was left as it was: ${lastLines(result.stderr, 3) || `exit code ${result.code}`}`,
    );
  }
  return { hasPrevious: keyValues(result.stdout).previous === 'yes' };
}

/** Compose's default project name for the app directory (its base name, as compose derives it). */
function projectName(session: HostSession): string {
  return (
    path
      .basename(session.layout.appDir)
      .toLowerCase()
      .replace(/[^a-z0-9_-]/g, '') || 'default'
  );
}

/** Moves the staged files into place (each with a rename) and runs `up -d`. */
export async function startRelease(session: HostSession): Promise<void> {
  const { layout, compose, inputs } = session;
  const script = sh`cd ${layout.appDir} || exit 1
for f in ${releaseFiles(inputs)}; do
  mkdir -p "$(dirname "$f")" && mv -f ${layout.stagingDir}/"$f" "$f" || exit 1
done
${compose} up -d --remove-orphans </dev/null`;
  const result = await session.host.exec(script, {
    label: 'Starting containers',
    timeoutMs: inputs.commandTimeoutMs,
  });
  if (result.code !== 0) {
    throw new DeployStepError(
      `starting the containers failed: ${lastLines(result.stderr, 3) || `exit code ${result.code}`}`,
    );
  }
}

const EXIT_UNHEALTHY = 93;
const EXIT_HEALTH_TIMEOUT = 94;

/**
 * Waits, on the host, until every container of the project is running and, where it has a
 * healthcheck, healthy. Fails fast on an exited, unhealthy or restarting container, with the
 * service's last log lines. Does not trust `up --wait`, which compose v1 ignores.
 */
export async function checkHealth(session: HostSession): Promise<void> {
  const { layout, compose, inputs } = session;
  const limit = Math.ceil(inputs.healthTimeoutMs / 1000);
  const script = sh`cd ${layout.appDir}
waited=0 stable=0 seen=
while :; do
  ids=$(${compose} ps -q </dev/null)
  if [ -z "$ids" ]; then echo "no container of the project is running" >&2; exit ${EXIT_UNHEALTHY}; fi
  ready=1
  for id in $ids; do
    set -- $(docker inspect -f '{{.State.Status}} {{.RestartCount}} {{if .State.Health}}{{.State.Health.Status}}{{else}}none{{end}} {{index .Config.Labels "com.docker.compose.service"}}' "$id")
    status=$1 restarts=$2 health=$3 service=$4
    case " $seen " in *" $id:"*) ;; *) seen="$seen $id:$restarts" ;; esac
    problem=
    case "$status/$health" in
      running/healthy|running/none) ;;
      running/starting|created/*) ready=0 ;;
      *) problem="is $status ($health)" ;;
    esac
    case " $seen " in *" $id:$restarts "*) ;; *) problem="restarted $restarts times (crash loop?)" ;; esac
    if [ -n "$problem" ]; then
      echo "service $service $problem; its last log lines:" >&2
      docker logs --tail 15 "$id" 2>&1 | sed 's/^/  /' >&2
      exit ${EXIT_UNHEALTHY}
    fi
  done
  if [ "$ready" = 1 ]; then stable=$((stable + 1)); else stable=0; fi
  if [ "$stable" -ge 3 ]; then echo "waited=$waited"; exit 0; fi
  if [ "$waited" -ge ${limit} ]; then
    echo "not healthy after ${limit} s: still starting" >&2; exit ${EXIT_HEALTH_TIMEOUT}
  fi
  sleep 1; waited=$((waited + 1))
done`;
  const result = await session.host.exec(script, {
    label: 'Checking health',
    timeoutMs: inputs.healthTimeoutMs + 30_000,
  });
  if (result.code === 0) return;
  const detail = result.stderr.trim() || `exit code ${result.code}`;
  throw new DeployStepError(
    result.code === EXIT_HEALTH_TIMEOUT
      ? `the containers were not healthy within 'health-timeout' (${limit} s)`
      : `health check failed: ${detail}`,
  );
}

/**
 * Puts the previous release back: its files, its image IDs under the names its compose file
 * uses (a pull may have moved a tag such as `latest`), and its containers.
 */
export async function rollBack(session: HostSession): Promise<void> {
  const { layout, compose, inputs } = session;
  const script = sh`set -u
cd ${layout.appDir}
${restoreFunction(session)}
restore
if [ -s ${layout.previousDir}/images ]; then
  while read -r ref id; do docker tag "$id" "$ref" || exit 1; done <${layout.previousDir}/images
fi
${compose} up -d --remove-orphans </dev/null`;
  await runChecked(session.host, script, {
    label: 'Rolling back',
    timeoutMs: inputs.commandTimeoutMs,
  });
}

/**
 * Removes images no container uses, except the previous release's (a later rollback needs them).
 * Not `docker image prune -a`: it also untags images the running containers use.
 */
export async function pruneImages(session: HostSession): Promise<number> {
  const { layout } = session;
  const script = sh`keep=$( { docker ps -aq | xargs -r docker inspect -f '{{.Image}}'; cut -d' ' -f2 ${layout.previousDir}/images 2>/dev/null; } | sort -u)
removed=0
for id in $(docker images -q --no-trunc | sort -u); do
  if ! printf '%s\n' "$keep" | grep -qxF "$id"; then
    docker rmi -f "$id" >/dev/null 2>&1 && removed=$((removed + 1))
  fi
done
echo "removed=$removed"`;
  const out = await runChecked(session.host, script, {
    label: 'Pruning images',
    timeoutMs: session.inputs.commandTimeoutMs,
  });
  return Number(keyValues(out).removed ?? 0);
}

/** One image a service runs, as the host reports it. */
export interface RunningImage {
  readonly service: string;
  readonly image: string;
  readonly id: string;
}

/** The images the project's containers run now. */
export async function runningImages(session: HostSession): Promise<RunningImage[]> {
  const { layout, compose } = session;
  const out = await runChecked(
    session.host,
    sh`cd ${layout.appDir} && ids=$(${compose} ps -q </dev/null) && if [ -n "$ids" ]; then docker inspect -f '{{index .Config.Labels "com.docker.compose.service"}} {{.Config.Image}} {{.Image}}' $ids; fi`,
    { label: 'Listing images', timeoutMs: session.inputs.commandTimeoutMs },
  );
  return out
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [service, image, id] = line.split(' ');
      return { service, image, id };
    });
}

function keyValues(text: string): Record<string, string> {
  const facts: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0) facts[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return facts;
}
