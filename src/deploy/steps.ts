/**
 * The remote steps of a deploy, each a small function of (session). Every command is built with
 * `sh` (which quotes every value) and run through `RemoteHost` (which applies the timeout).
 * Steps that always follow each other share one remote command, to save round trips:
 * login + pull + logout, and start + health check + prune + history.
 */
import * as core from '@actions/core';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path/posix';
import type { Inputs } from '../inputs.js';
import {
  RemoteCommandError,
  lastLines,
  type ExecResult,
  type HeldCommand,
  type RemoteHost,
} from '../remote/host.js';
import { ShellCommand, sh } from '../remote/shell.js';
import { renderEnvFile } from './env-render.js';
import { layoutOf, type Layout } from './layout.js';

/** Who is deploying what: written to the lock and the history, never secret. */
export interface DeployIdentity {
  /** Unique per run and host attempt: names the staging directory. */
  readonly runId: string;
  readonly actor: string;
  readonly commit: string;
  readonly runUrl: string;
}

/** One droplet being deployed: its connection, the settings, and what the steps learned. */
export interface HostSession {
  readonly host: RemoteHost;
  readonly inputs: Inputs;
  readonly layout: Layout;
  readonly identity: DeployIdentity;
  /** `docker compose` or `docker-compose`, whichever the host has (set by `lockHost`). */
  compose: ShellCommand;
}

/** Starts a session on a connected host. */
export function openSession(
  host: RemoteHost,
  inputs: Inputs,
  identity: DeployIdentity,
): HostSession {
  return {
    host,
    inputs,
    identity,
    layout: layoutOf(inputs.appDir, identity.runId),
    compose: sh`docker compose`,
  };
}

/** A step that failed in a way the user can act on; `message` says what and where. */
export class DeployStepError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DeployStepError';
  }
}

// Exit codes of the remote scripts, chosen clear of those of docker, timeout and the shell.
const EXIT = {
  markerTimeout: 90,
  notWritable: 91,
  noDocker: 92,
  unhealthy: 93,
  healthTimeout: 94,
  noFlock: 95,
  locked: 96,
  loginFailed: 97,
  upFailed: 98,
} as const;

const READY = 'monarch-ready';

/** Waits for the marker and detects compose: shared by the deploy and the dry run. */
function waitAndDetect(session: HostSession, markerSeconds: number): ShellCommand {
  const marker = session.inputs.setupMarker;
  const wait = marker
    ? sh`waited=0
while [ ! -e ${marker} ]; do
  if [ "$waited" -ge ${markerSeconds} ]; then exit ${EXIT.markerTimeout}; fi
  sleep 1; waited=$((waited + 1))
done
echo "waited=$waited"`
    : sh`echo waited=0`;
  return sh`${wait}
echo "user=$(id -un)"
command -v docker >/dev/null 2>&1 || exit ${EXIT.noDocker}
if docker compose version >/dev/null 2>&1; then echo "compose=docker compose"
elif command -v docker-compose >/dev/null 2>&1; then echo "compose=docker-compose"
else exit ${EXIT.noDocker}; fi`;
}

/** What `lockHost` found. */
export interface LockedHost {
  readonly lock: HeldCommand;
  readonly waitedSeconds: number;
  /** Seconds spent waiting for another deploy's lock. */
  readonly lockWaitedSeconds: number;
  readonly composeCommand: string;
  readonly user: string;
}

/**
 * One long-lived remote command: waits for the setup marker (on the host: no polling over the
 * network), creates the app directory, finds the compose command, and takes the deploy lock
 * with flock, holding it until the runner closes the command's input or the connection drops
 * (so the lock of a killed run is released by the kernel, not by a timeout guess).
 */
export async function lockHost(
  session: HostSession,
  markerBudgetMs: number,
  holdMs: number,
): Promise<LockedHost> {
  const { inputs, layout, identity } = session;
  const lockSeconds = Math.ceil(inputs.lockTimeoutMs / 1000);
  const info = `${identity.actor || 'someone'} (${identity.runUrl || 'a run without a URL'}) since`;
  const script = sh`${waitAndDetect(session, Math.floor(markerBudgetMs / 1000))}
mkdir -p ${layout.appDir} 2>/dev/null && [ -w ${layout.appDir} ] || exit ${EXIT.notWritable}
umask 077
mkdir -p ${layout.stateDir} && chmod 700 ${layout.stateDir} || exit ${EXIT.notWritable}
command -v flock >/dev/null 2>&1 || exit ${EXIT.noFlock}
exec 9>>${layout.lockFile}
if ! flock -n 9; then
  asked=$(date +%s)
  if ! flock -w ${lockSeconds} 9; then cat ${layout.lockInfo} 2>/dev/null; exit ${EXIT.locked}; fi
  echo "lock_waited=$(( $(date +%s) - asked ))"
fi
printf '%s %s\\n' ${info} "$(date -u +%Y-%m-%dT%H:%M:%SZ)" >${layout.lockInfo}
find ${layout.stateDir} -maxdepth 1 -name 'staging-*' -mmin +1440 -exec rm -rf {} + 2>/dev/null
echo ${READY}
cat >/dev/null`;
  const outcome = await session.host.hold(script, {
    label: 'Waiting for the droplet',
    timeoutMs: markerBudgetMs + inputs.lockTimeoutMs + holdMs,
    readyLine: READY,
  });
  if (!outcome.ready) throw lockFailure(session, outcome.result);
  const facts = keyValues(outcome.held.stdout);
  session.compose = facts.compose === 'docker-compose' ? sh`docker-compose` : sh`docker compose`;
  return {
    lock: outcome.held,
    waitedSeconds: Number(facts.waited ?? 0),
    lockWaitedSeconds: Number(facts.lock_waited ?? 0),
    composeCommand: facts.compose ?? '',
    user: facts.user ?? '',
  };
}

function lockFailure(session: HostSession, result: ExecResult): Error {
  const { inputs, layout, host } = session;
  const user = keyValues(result.stdout).user ?? inputs.username;
  switch (result.code) {
    case EXIT.markerTimeout:
      return new DeployStepError(
        `the setup marker ${inputs.setupMarker} did not appear on ${host.name} within ` +
          `'setup-timeout' (${Math.round(inputs.setupTimeoutMs / 1000)} s): has cloud-init finished?`,
      );
    case EXIT.notWritable:
      return new DeployStepError(
        `user '${user}' cannot create or write ${layout.appDir} on ${host.name}: create it for that ` +
          `user first (for example in cloud-init: mkdir -p ${layout.appDir} && chown ${user} ${layout.appDir})`,
      );
    case EXIT.noDocker:
      return new DeployStepError(
        `${host.name} has no docker with compose ('docker compose' or 'docker-compose') on the PATH of '${user}'`,
      );
    case EXIT.noFlock:
      return new DeployStepError(
        `${host.name} has no 'flock' (util-linux or busybox), needed for the deploy lock`,
      );
    case EXIT.locked: {
      const holder = result.stdout
        .split('\n')
        .filter((line) => !line.includes('='))
        .join(' ')
        .trim();
      return new DeployStepError(
        `another deploy holds the lock on ${host.name} (${holder || 'holder unknown'}); gave up after ` +
          `'lock-timeout' (${Math.round(inputs.lockTimeoutMs / 1000)} s)`,
      );
    }
    default:
      return new RemoteCommandError('Preparing the droplet', result.code, result.stderr);
  }
}

/** Names the release files (relative to the app directory) that a deploy replaces. */
function releaseFiles(inputs: Inputs): string[] {
  return ['docker-compose.yml', '.env', ...inputs.files.map((file) => file.remoteName)];
}

/**
 * Uploads the compose file, the extra files and `.env` into this run's staging directory, all
 * at once over the one SFTP channel. `.env` is created with mode 0600: never readable by others.
 * With `optimistic`, returns false, having written nothing, when the staging directory cannot
 * be made (on a first deploy its parent appears only with `lockHost`): the caller tries again.
 */
export async function uploadRelease(session: HostSession, optimistic = false): Promise<boolean> {
  const { host, inputs, layout } = session;
  const staged = (name: string) => path.join(layout.stagingDir, name);
  const dirs = [...new Set(inputs.files.flatMap((file) => parents(file.remoteName)))].sort(
    (a, b) => a.split('/').length - b.split('/').length,
  );
  // The SFTP server handles requests in the order they come: the folders are asked for first
  // and the files right behind them, without waiting a round trip for each folder.
  const staging = host.mkdir(layout.stagingDir, 0o700);
  const writes = [
    ...dirs.map((dir) => host.mkdir(staged(dir), 0o755)),
    // The compose file is small and was read whole to check it: one write (open, write, close)
    // costs a round trip less than a stream (which also sets the mode again).
    host.writeFile(staged('docker-compose.yml'), readFileSync(inputs.composeFile), 0o644),
    ...inputs.files.map((file) =>
      host.uploadFile(
        file.localPath,
        staged(file.remoteName),
        statSync(file.localPath).mode & 0o755,
      ),
    ),
    host.writeFile(staged('.env'), renderEnvFile(inputs.env), 0o600),
    ...(inputs.registry
      ? [
          host.mkdir(staged(DOCKER_CONFIG_DIR), 0o700),
          host.writeFile(
            staged(`${DOCKER_CONFIG_DIR}/config.json`),
            dockerConfig(inputs.registry),
            0o600,
          ),
        ]
      : []),
  ];
  const started = Date.now();
  const [created, ...written] = await Promise.allSettled([staging, ...writes]);
  core.debug(
    `${host.name}: ${writes.length} upload request(s) settled after ${Date.now() - started} ms`,
  );
  if (created.status === 'rejected') {
    if (optimistic) return false;
    throw created.reason;
  }
  const failed = written.find((result) => result.status === 'rejected');
  if (failed) throw (failed as PromiseRejectedResult).reason;
  return true;
}

/** This run's docker config (registry credentials), inside its staging folder. */
const DOCKER_CONFIG_DIR = 'docker-config';

/** A docker config.json holding one registry login, as `docker login` would write it. */
function dockerConfig(registry: NonNullable<Inputs['registry']>): string {
  const auth = Buffer.from(`${registry.username}:${registry.password}`).toString('base64');
  core.setSecret(auth);
  return `${JSON.stringify({ auths: { [registry.server]: { auth } } }, null, 2)}\n`;
}

function parents(name: string): string[] {
  const parts = name.split('/').slice(0, -1);
  return parts.map((_, i) => parts.slice(0, i + 1).join('/'));
}

/** What `pullRelease` found about the release it will replace. */
export interface PulledRelease {
  /** True when a previous release exists to roll back to. */
  readonly hasPrevious: boolean;
}

/**
 * Keeps the running release (its files, and the image IDs its containers use) for a rollback,
 * logs in to the registry (password over stdin), pulls the new images with the staged files,
 * and logs out. Nothing in the app directory changes here: if this fails or the connection
 * drops, the host runs, and has on disk, what it had.
 */
export async function pullRelease(
  session: HostSession,
  ready: Promise<unknown> = Promise.resolve(),
): Promise<PulledRelease> {
  const { layout, compose, inputs } = session;
  const registry = inputs.registry;
  const config = path.join(layout.stagingDir, DOCKER_CONFIG_DIR);
  // The registry credentials are in this run's own docker config (written over SFTP with mode
  // 0600 by uploadRelease), never on a command line and never in the user's docker config.
  // `docker login` with no arguments checks them, for a clear error; the user's CLI plugins
  // (docker compose) stay reachable through a link.
  const login = registry
    ? sh`plugins="\${DOCKER_CONFIG:-\${HOME:-/root}/.docker}/cli-plugins"
export DOCKER_CONFIG=${config}
if [ -d "$plugins" ]; then ln -s "$plugins" ${config}/cli-plugins; fi
login_errors=$(docker login ${registry.server} 2>&1 </dev/null >/dev/null) ||
  { printf '%s\n' "$login_errors" >&2; exit ${EXIT.loginFailed}; }`
    : sh`:`;
  const keep =
    registry && !inputs.registryLogout
      ? sh`rm -rf ${layout.dockerConfigDir} && cp -Rp ${config} ${layout.dockerConfigDir}`
      : sh`:`;
  const script = sh`set -u
umask 077
cd ${layout.appDir} || exit 1
rm -rf ${layout.previousDir} && mkdir ${layout.previousDir}
if [ -e docker-compose.yml ]; then
  for f in ${releaseFiles(inputs)}; do
    if [ -e "$f" ]; then mkdir -p ${layout.previousDir}/"$(dirname "$f")" && cp -p "$f" ${layout.previousDir}/"$f"; fi
  done
  ids=$(${compose} ps -q 2>/dev/null </dev/null) || ids=
  if [ -n "$ids" ]; then docker inspect -f '{{.Config.Image}} {{.Image}}' $ids >${layout.previousDir}/images; fi
  echo previous=yes
fi
${login}
(cd ${layout.stagingDir} && ${compose} --project-name ${projectName(session)} pull --quiet </dev/null)
status=$?
${keep}
rm -rf ${config}
exit $status`;
  const label = registry ? `Logging in to ${registry.server}, pulling images` : 'Pulling images';
  const result = await session.host.exec(script, {
    label,
    timeoutMs: inputs.commandTimeoutMs,
    after: ready,
  });
  if (result.code === EXIT.loginFailed && registry) {
    throw new DeployStepError(
      `registry login to ${registry.server} failed: ${lastLines(result.stderr, 2) || 'no reason given'}`,
    );
  }
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

/** One image a service runs, as the host reports it. */
export interface RunningImage {
  readonly service: string;
  readonly image: string;
  readonly id: string;
  /** `repo@sha256:...` when the image came from a registry. */
  readonly digest: string;
}

/** One line of the app directory's deploy history. */
export interface HistoryEntry {
  readonly time: string;
  readonly commit: string;
  readonly actor: string;
  readonly result: 'success' | 'failure';
  readonly rolledBack: boolean;
  readonly run: string;
}

/** What a finished remote step reports. */
export interface StepReport {
  readonly images: RunningImage[];
  readonly history: HistoryEntry[];
  readonly removedImages: number;
}

/** Appends this run's entry to the history and prints its last lines back. */
function historyCommand(
  session: HostSession,
  result: 'success' | 'failure',
  rolledBack: boolean,
): ShellCommand {
  const { identity, layout } = session;
  const entry = JSON.stringify({
    commit: identity.commit,
    actor: identity.actor,
    result,
    rolledBack,
    run: identity.runUrl,
  }).slice(1);
  return sh`printf '{"time":"%s",%s\\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" ${entry} >>${layout.historyFile}
tail -n 5 ${layout.historyFile} | sed 's/^/history=/'`;
}

/**
 * Sets `ids` to the project's service containers, stopped ones included (compose v2's `ps`
 * lists only running ones without `-a`), leaving out one-off `run` containers. Compose is slow
 * to start: it is asked once.
 */
function listContainers(session: HostSession): ShellCommand {
  return sh`ids=$(${session.compose} ps -a -q </dev/null)
if [ -n "$ids" ]; then
  ids=$(docker inspect -f '{{.ID}} {{index .Config.Labels "com.docker.compose.oneoff"}}' $ids | awk '$2 != "True" { print $1 }')
fi`;
}

/*
 * docker inspect templates name fields as the CLI's Go types do (`.ID`, `.Name`), never as the
 * JSON does (`.Id`): a template that fails on the types makes newer CLIs retry it on the raw
 * JSON, where a missing key such as `.State.Health` is an error rather than empty.
 */

/**
 * Prints `container=service ref image-id` for each container in `ids`, and `digest=image-id
 * repo@sha256:...` for their images: two docker calls whatever the number of services.
 */
function imagesCommand(): ShellCommand {
  return sh`if [ -n "$ids" ]; then
  docker inspect -f 'container={{index .Config.Labels "com.docker.compose.service"}} {{.Config.Image}} {{.Image}}' $ids
  docker image inspect -f 'digest={{.ID}} {{range .RepoDigests}}{{.}} {{end}}' $(docker inspect -f '{{.Image}}' $ids | sort -u)
fi`;
}

/**
 * Waits, on the host, until every container in `ids` is running and, where it has a
 * healthcheck, healthy. A container without a healthcheck must stay running for two checks a
 * second apart (a crash right after start shows as a restart). Fails fast on an exited,
 * unhealthy or restarting container, with the service's last log lines. Does not trust
 * `up --wait`, which compose v1 ignores.
 */
function healthCommand(session: HostSession): ShellCommand {
  const limit = Math.ceil(session.inputs.healthTimeoutMs / 1000);
  return sh`if [ -z "$ids" ]; then echo "no container of the project is running" >&2; exit ${EXIT.unhealthy}; fi
waited=0 stable=0 seen=
while :; do
  ready=1 needed=1
  states=$(docker inspect -f '{{.Name}} {{.State.Status}} {{.State.ExitCode}} {{.RestartCount}} {{if .State.Health}}{{.State.Health.Status}}{{else}}none{{end}} {{index .Config.Labels "com.docker.compose.service"}}' $ids) || exit ${EXIT.unhealthy}
  while read -r id status code restarts health service; do
    id=\${id#/}
    case " $seen " in *" $id:"*) ;; *) seen="$seen $id:$restarts" ;; esac
    problem=
    case "$status/$health" in
      running/healthy) ;;
      running/none) needed=2 ;;
      exited/*) if [ "$code" != 0 ]; then problem="exited with code $code"; fi ;; # 0: a one-shot task done
      running/starting|created/*) ready=0 ;;
      *) problem="is $status ($health)" ;;
    esac
    case " $seen " in *" $id:$restarts "*) ;; *) problem="restarted $restarts times (crash loop?)" ;; esac
    if [ -n "$problem" ]; then
      echo "service $service $problem; its last log lines:" >&2
      docker logs --tail 15 "$id" 2>&1 | sed 's/^/  /' >&2
      exit ${EXIT.unhealthy}
    fi
  done <<STATES
$states
STATES
  if [ "$ready" = 1 ]; then stable=$((stable + 1)); else stable=0; fi
  if [ "$stable" -ge "$needed" ]; then echo "healthy_after=$waited"; break; fi
  if [ "$waited" -ge ${limit} ]; then exit ${EXIT.healthTimeout}; fi
  sleep 1; waited=$((waited + 1))
done`;
}

/**
 * Removes this project's old images: those of the repositories its services use (now or in the
 * previous release) that no container uses, except the previous release's (a rollback needs
 * them). Other projects' images on the host are left alone. Not `docker image prune -a`: it
 * also untags images the running containers use.
 */
function pruneCommand(session: HostSession): ShellCommand {
  const previous = `${session.layout.previousDir}/images`;
  return sh`repos=$( { [ -n "$ids" ] && docker inspect -f '{{.Config.Image}}' $ids; cut -d' ' -f1 ${previous} 2>/dev/null; } | sed -e 's/@.*$//' -e 's/:[^:/]*$//' | sort -u)
keep=$( { docker ps -aq | xargs -r docker inspect -f '{{.Image}}'; cut -d' ' -f2 ${previous} 2>/dev/null; } | sort -u)
images=$(docker images --no-trunc --format '{{.Repository}} {{.ID}}')
removed=0
while read -r repo id; do
  [ -n "$id" ] || continue
  printf '%s\n' "$repos" | grep -qxF "$repo" || continue
  printf '%s\n' "$keep" | grep -qxF "$id" && continue
  docker rmi -f "$id" >/dev/null 2>&1 && removed=$((removed + 1))
done <<IMAGES
$images
IMAGES
echo "removed=$removed"`;
}

/**
 * Moves the staged files into place (each with a rename), runs `up -d`, waits for health,
 * then reports the images, prunes and records the deploy in the history.
 */
export async function startRelease(
  session: HostSession,
  ready: Promise<unknown> = Promise.resolve(),
): Promise<StepReport> {
  const { layout, compose, inputs } = session;
  const script = sh`cd ${layout.appDir} || exit 1
for f in ${releaseFiles(inputs)}; do
  mkdir -p "$(dirname "$f")" && mv -f ${layout.stagingDir}/"$f" "$f" || exit 1
done
rm -rf ${layout.stagingDir}
up_output=$(${compose} up -d --remove-orphans 2>&1 </dev/null) || { printf '%s\n' "$up_output" >&2; exit ${EXIT.upFailed}; }
${listContainers(session)}
${inputs.healthTimeoutMs > 0 ? healthCommand(session) : sh`:`}
${imagesCommand()}
${inputs.prune ? pruneCommand(session) : sh`:`}
${historyCommand(session, 'success', false)}`;
  const result = await session.host.exec(script, {
    label: 'Starting containers',
    timeoutMs: 2 * inputs.commandTimeoutMs + inputs.healthTimeoutMs,
    after: ready,
  });
  if (result.code === 0) return stepReport(result.stdout);
  const detail = result.stderr.trim() || `exit code ${result.code}`;
  if (result.code === EXIT.upFailed)
    throw new DeployStepError(`starting the containers failed: ${lastLines(detail, 3)}`);
  if (result.code === EXIT.healthTimeout) {
    throw new DeployStepError(
      `the containers were not healthy within 'health-timeout' (${Math.round(inputs.healthTimeoutMs / 1000)} s)`,
    );
  }
  if (result.code === EXIT.unhealthy) throw new DeployStepError(`health check failed: ${detail}`);
  throw new RemoteCommandError('Starting containers', result.code, result.stderr);
}

/** Shell function `restore`: puts the previous release's files back, each with a rename. */
function restoreCommand(session: HostSession): ShellCommand {
  const { layout } = session;
  return sh`for f in ${releaseFiles(session.inputs)}; do
  if [ -e ${layout.previousDir}/"$f" ]; then
    cp -p ${layout.previousDir}/"$f" "$f.monarch-restore" && mv -f "$f.monarch-restore" "$f" || exit 1
  else
    rm -f "$f"
  fi
done`;
}

/**
 * Puts the previous release back: its files, its image IDs under the names its compose file
 * uses (a pull may have moved a tag such as `latest`), and its containers; records it.
 */
export async function rollBack(session: HostSession): Promise<StepReport> {
  const { layout, compose, inputs } = session;
  const script = sh`set -u
cd ${layout.appDir} || exit 1
${restoreCommand(session)}
if [ -s ${layout.previousDir}/images ]; then
  while read -r ref id; do
    case $ref in *@*) continue ;; esac # a digest reference cannot move: nothing to re-tag
    docker tag "$id" "$ref" || exit 1
  done <${layout.previousDir}/images
fi
${compose} up -d --remove-orphans </dev/null || exit 1
${listContainers(session)}
${imagesCommand()}
${historyCommand(session, 'failure', true)}`;
  const result = await session.host.exec(script, {
    label: 'Rolling back',
    timeoutMs: inputs.commandTimeoutMs,
  });
  if (result.code !== 0) throw new RemoteCommandError('Rolling back', result.code, result.stderr);
  return stepReport(result.stdout);
}

/** Records a failed deploy that was not rolled back, and removes its staging directory. */
export async function recordFailure(session: HostSession): Promise<StepReport> {
  const { layout, inputs } = session;
  const script = sh`cd ${layout.appDir} || exit 1
rm -rf ${layout.stagingDir}
${listContainers(session)}
${imagesCommand()}
${historyCommand(session, 'failure', false)}`;
  const result = await session.host.exec(script, {
    label: 'Recording the failure',
    timeoutMs: inputs.commandTimeoutMs,
  });
  return stepReport(result.stdout);
}

function stepReport(stdout: string): StepReport {
  const lines = stdout.split('\n');
  const values = (key: string) =>
    lines.filter((line) => line.startsWith(`${key}=`)).map((line) => line.slice(key.length + 1));
  return {
    images: values('container').map((line) => {
      const [service = '', image = '', id = ''] = line.split(' ');
      const digests = values('digest').find((entry) => entry.startsWith(`${id} `));
      return { service, image, id, digest: digests?.split(' ')[1] ?? '' };
    }),
    history: values('history').flatMap((line) => {
      try {
        return [JSON.parse(line) as HistoryEntry];
      } catch {
        return [];
      }
    }),
    removedImages: Number(values('removed')[0] ?? 0),
  };
}

/** What a dry run found on a host. */
export interface DryRunReport {
  readonly composeCommand: string;
  readonly user: string;
  readonly appDirExists: boolean;
  readonly added: string[];
  readonly changed: string[];
  readonly removed: string[];
}

/**
 * Checks everything a deploy needs and changes nothing: the marker, the compose file as the
 * host's compose reads it (in a temporary folder outside the app directory, removed after),
 * the registry login (with a throwaway docker config), and which `.env` keys would be added,
 * changed or removed (compared here; no value is printed).
 */
export async function dryRun(
  session: HostSession,
  markerBudgetMs: number,
  readCurrentEnv: () => Promise<string | null>,
): Promise<DryRunReport> {
  const { host, inputs, layout } = session;
  const probe = await host.exec(
    sh`${waitAndDetect(session, Math.floor(markerBudgetMs / 1000))}
if [ -d ${layout.appDir} ]; then echo app_dir=yes; fi
echo "tmp=$(mktemp -d /tmp/monarch-dry-run.XXXXXX)"`,
    { label: 'Checking the droplet', timeoutMs: markerBudgetMs + inputs.commandTimeoutMs },
  );
  if (probe.code !== 0) throw lockFailure(session, probe);
  const facts = keyValues(probe.stdout);
  session.compose = facts.compose === 'docker-compose' ? sh`docker-compose` : sh`docker compose`;
  const tmp = facts.tmp ?? '';
  if (!tmp.startsWith('/tmp/monarch-dry-run.'))
    throw new DeployStepError('could not create a temporary folder on the host');
  const checkSession: HostSession = {
    ...session,
    layout: { ...layout, stagingDir: `${tmp}/release` },
  };
  const [, currentEnv] = await Promise.all([uploadRelease(checkSession), readCurrentEnv()]);
  const registry = inputs.registry;
  const result = await host.exec(
    sh`cd ${tmp}/release || exit 1
${session.compose} --project-name ${projectName(session)} config --quiet </dev/null 2>&1 || { echo "compose_error=1"; status=1; }
${registry ? sh`DOCKER_CONFIG=${tmp}/release/${DOCKER_CONFIG_DIR} docker login ${registry.server} </dev/null >/dev/null 2>${tmp}/login.err || { echo login_error=1; cat ${tmp}/login.err >&2; status=1; }` : sh`:`}
cd / && rm -rf ${tmp}
exit \${status:-0}`,
    {
      label: 'Checking the release',
      timeoutMs: inputs.commandTimeoutMs,
    },
  );
  const checks = keyValues(result.stdout);
  if (checks.compose_error) {
    throw new DeployStepError(
      `the compose file does not pass 'compose config' on ${host.name}: ${lastLines(result.stdout.replace(/^compose_error=1$/m, ''), 3)}`,
    );
  }
  if (checks.login_error && registry) {
    throw new DeployStepError(
      `registry login to ${registry.server} failed: ${lastLines(result.stderr, 2)}`,
    );
  }
  if (result.code !== 0)
    throw new RemoteCommandError('Checking the release', result.code, result.stderr);
  return {
    composeCommand: facts.compose ?? '',
    user: facts.user ?? '',
    appDirExists: facts.app_dir === 'yes',
    ...diffEnv(currentEnv, renderEnvFile(inputs.env)),
  };
}

/** Which keys differ between two `.env` files written by `renderEnvFile`. */
export function diffEnv(
  current: string | null,
  next: string,
): Pick<DryRunReport, 'added' | 'changed' | 'removed'> {
  const before = parseRenderedEnv(current ?? '');
  const after = parseRenderedEnv(next);
  const keys = (map: Map<string, string>) =>
    [...map.keys()].filter((key) => !key.startsWith('MONARCH_ENV_'));
  return {
    added: keys(after).filter((key) => !before.has(key)),
    changed: keys(after).filter((key) => before.has(key) && before.get(key) !== after.get(key)),
    removed: keys(before).filter((key) => !after.has(key)),
  };
}

/** Reads back a file `renderEnvFile` wrote: each value's written form, by key. */
export function parseRenderedEnv(text: string): Map<string, string> {
  const values = new Map<string, string>();
  const pattern = /^([A-Za-z_][A-Za-z0-9_]*)=('[^']*'|"(?:\\.|[^"\\])*"|[^\n]*)$/gm;
  for (const match of text.matchAll(pattern)) values.set(match[1], match[2]);
  return values;
}

function keyValues(text: string): Record<string, string> {
  const facts: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0 && !(line.slice(0, eq) in facts)) facts[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return facts;
}
