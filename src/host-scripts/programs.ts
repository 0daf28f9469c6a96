/**
 * The remote commands of a deploy, one program each: which host scripts run, in which order,
 * and what each hands the next (the container IDs). A program stops at the first script that
 * must succeed and fails, with that script's exit code.
 */
import { sh, type ShellCommand } from '../shell/command.js';
import type { RolloutPlan } from '../types/settings.js';
import { composeConfigCheck, dryRunChecks } from './dry-run.js';
import { checkHealth } from './health.js';
import { recordHistory, type HistoryRecord } from './history.js';
import type { Layout } from './layout.js';
import {
  COMPOSE,
  composeHelper,
  detectDocker,
  holdLock,
  prepareAppDir,
  removeStaleStaging,
  waitForMarker,
} from './prepare.js';
import { pruneImages } from './prune.js';
import { receiveRelease, type ReceivedEntry } from './receive.js';
import {
  commitRelease,
  installRelease,
  keepRelease,
  listContainers,
  pullImages,
  reportImages,
  startContainers,
  type PullLogin,
} from './release.js';
import { restoreRelease, retagPrevious } from './rollback.js';
import { hostScript, program, step, type HostScript, type ProgramStep } from './script.js';
import { startByPlan, startByPlanHelpers } from './start-first.js';

/** What every release program needs to know about the host and the release. */
export interface ReleaseTarget {
  readonly layout: Layout;
  /** The release's files, relative to app-dir (docker-compose.yml, .env, the `files`). */
  readonly files: readonly string[];
  /** The compose project name (app-dir's base name, as compose derives it). */
  readonly project: string;
}

/** The setup marker to wait for (none: no wait), and for how long. */
export interface MarkerWait {
  readonly marker: string | null;
  readonly seconds: number;
}

/** Waits for the marker, then checks the host has what the deploy needs (`detect`). */
export function waitAndDetect(
  wait: MarkerWait,
  detect: HostScript = detectDocker(),
): ProgramStep[] {
  return [
    ...(wait.marker ? [step(waitForMarker(wait.marker, wait.seconds), { orExit: true })] : []),
    step(detect, { orExit: true }),
  ];
}

/**
 * Waits for the marker, checks the host (`detect`: by default, finds compose), creates app-dir,
 * and holds the lock (see `holdLock`).
 */
export function lockProgram(
  layout: Layout,
  wait: MarkerWait,
  lockSeconds: number,
  holder: string,
  detect: HostScript = detectDocker(),
): ShellCommand {
  return program([
    ...waitAndDetect(wait, detect),
    step(prepareAppDir(layout), { orExit: true }),
    step(removeStaleStaging(layout)),
    step(holdLock(layout, lockSeconds, holder)),
  ]);
}

/**
 * Unpacks the release from standard input into this run's staging folder (see
 * `receiveRelease`), keeps the running release for a rollback, then logs in and pulls (see
 * `pullImages`). Runs under the lock.
 */
export function pullProgram(
  target: ReleaseTarget,
  entries: readonly ReceivedEntry[],
  login: PullLogin | null,
): ShellCommand {
  return program(
    [
      step(receiveRelease(target.layout, entries), { orExit: true }),
      step(keepRelease(target.layout, target.files, target.project), { orExit: true }),
      step(pullImages(target.layout, COMPOSE, target.project, login)),
    ],
    [composeHelper()],
  );
}

/** What `startProgram` does after the containers are up. */
export interface StartOptions {
  /** Seconds for the health gate; 0 skips it. */
  readonly healthSeconds: number;
  readonly prune: boolean;
  readonly record: HistoryRecord;
}

/** A release with start-first services: how each is rolled, and how long a new one may take. */
export interface StartRollout {
  readonly plan: RolloutPlan;
  /** Seconds a start-first service's new containers have to pass the health gate. */
  readonly healthSeconds: number;
}

/**
 * Puts the staged files in place, starts the containers (`up -d`, or by the rollout plan: see
 * `startByPlan`), waits for health, reports the images, prunes, keeps the release as the one
 * to roll back to next time, and records the deploy.
 */
export function startProgram(
  target: ReleaseTarget,
  options: StartOptions,
  rollout: StartRollout | null = null,
): ShellCommand {
  const { layout } = target;
  const start = rollout
    ? startByPlan(layout, COMPOSE, target.project, rollout.plan)
    : startContainers(layout, COMPOSE, target.project);
  // One health gate for the program: the start-first rollouts' and the final check's (with
  // health-timeout 0 there is no final check, and the rollouts' gate has command-timeout).
  const gate = checkHealth(options.healthSeconds || (rollout?.healthSeconds ?? 0));
  const helpers = rollout ? startByPlanHelpers(COMPOSE, target.project, gate) : [];
  return program(
    [
      step(installRelease(layout, target.files), { orExit: true }),
      step(start, { orExit: true }),
      step(listContainers(target.project), { intoIds: true, orExit: true }),
      options.healthSeconds > 0 && step(gate, { withIds: true, orExit: true }),
      step(reportImages(), { withIds: true }),
      options.prune && step(pruneImages(layout), { withIds: true }),
      step(commitRelease(layout), { orExit: true }),
      step(recordHistory(layout, options.record)),
    ],
    [composeHelper(), ...helpers],
  );
}

/**
 * Puts the previous release back (files, image tags, containers), removes the failed one's
 * staging folder and records it; then, with `healthSeconds`, waits until its containers pass
 * the health gate (a container `up` did not recreate passes at once), so that "running again"
 * means serving again.
 */
export function rollbackProgram(
  target: ReleaseTarget,
  record: HistoryRecord,
  healthSeconds = 0,
): ShellCommand {
  const { layout } = target;
  return program(
    [
      step(restoreRelease(layout, target.files), { orExit: true }),
      step(retagPrevious(layout), { orExit: true }),
      step(startContainers(layout, COMPOSE, target.project), { orExit: true }),
      step(removeFolder(layout.stagingDir)),
      ...reportAndRecord(target, record),
      healthSeconds > 0 && step(checkHealth(healthSeconds), { withIds: true, orExit: true }),
    ],
    [composeHelper()],
  );
}

/** Records a failed deploy that was not rolled back, and removes its staging folder. */
export function recordFailureProgram(target: ReleaseTarget, record: HistoryRecord): ShellCommand {
  return program([
    step(removeFolder(target.layout.stagingDir)),
    ...reportAndRecord(target, record),
  ]);
}

function reportAndRecord(target: ReleaseTarget, record: HistoryRecord): ProgramStep[] {
  return [
    step(listContainers(target.project), { intoIds: true }),
    step(reportImages(), { withIds: true }),
    step(recordHistory(target.layout, record)),
  ];
}

/** Removes a folder of this run's (its staging folder, a dry run's temporary folder). */
export function removeFolder(dir: string): HostScript {
  return hostScript('monarch_remove_folder', sh`rm -rf -- ${dir}`);
}

/** Removes `dir` alone. */
export function removeFolderProgram(dir: string): ShellCommand {
  return program([step(removeFolder(dir))]);
}

/** The dry run's one command: marker, compose, then its checks (see `dryRunChecks`). */
export function dryRunProgram(
  layout: Layout,
  wait: MarkerWait,
  project: string,
  server: string | null,
): ShellCommand {
  return program([
    ...waitAndDetect(wait),
    step(dryRunChecks(layout, composeConfigCheck(project), server)),
  ]);
}
