/**
 * The remote commands of a `mode: swarm` deploy, one program each, as `programs.ts` has them
 * for compose: the same lock, upload, release copy and history, with the stack's own steps
 * (see swarm-stack.ts and swarm-converge.ts) where compose would run containers.
 */
import type { ShellCommand } from '../shell/command.js';
import { recordHistory, type HistoryRecord } from './history.js';
import {
  removeFolder,
  waitAndDetect,
  type MarkerWait,
  type ReleaseTarget,
  type StartOptions,
} from './programs.js';
import { dryRunChecks, stackCheck } from './dry-run.js';
import { receiveRelease, type ReceivedEntry } from './receive.js';
import { commitRelease, installRelease, keepRelease, type PullLogin } from './release.js';
import { restoreRelease } from './rollback.js';
import { holdLock, prepareAppDir, removeStaleStaging } from './prepare.js';
import { program, step } from './script.js';
import { releaseLease, takeLease, type LeaseClaim } from './swarm-lease.js';
import {
  nameRolledBack,
  pruneStackImages,
  reportStack,
  waitForRollback,
  waitForStack,
} from './swarm-converge.js';
import {
  deployStack,
  detectSwarm,
  pullStackImages,
  removeDroppedServices,
  rollbackStack,
  snapshotStack,
} from './swarm-stack.js';

/** The stack a swarm program deploys. */
export interface StackTarget {
  readonly name: string;
  /** Its services' keys in the file (Swarm names them `<stack>_<key>`). */
  readonly services: readonly string[];
  /** The services that publish a host-mode port and update start-first (full names). */
  readonly startFirstHostPort: readonly string[];
  /** The registry login that travels in the release (this run's docker config), if any. */
  readonly login: PullLogin | null;
}

function fullNames(stack: StackTarget): string[] {
  return stack.services.map((service) => `${stack.name}_${service}`);
}

/** How long a stack's lock may be waited for, after how long a holder is a dead run, who takes it. */
export type StackLock = LeaseClaim;

/**
 * Waits for the marker, checks the host is a manager, creates app-dir, takes the swarm-wide
 * lease of the stack (see swarm-lease.ts), then holds the lock on app-dir as compose mode does;
 * gives the lease back when the lock is released (or could not be taken), with the lock's
 * exit code.
 */
export function stackLockProgram(
  layout: ReleaseTarget['layout'],
  wait: MarkerWait,
  lock: StackLock,
): ShellCommand {
  const hold = holdLock(layout, lock.waitSeconds, lock.holder);
  const release = releaseLease(lock.stack, lock.token);
  return program([
    ...waitAndDetect(wait, detectSwarm()),
    step(prepareAppDir(layout), { orExit: true }),
    step(removeStaleStaging(layout)),
    step(takeLease(lock), { orExit: true }),
    { script: hold, line: `${hold.name}; status=$?` },
    { script: release, line: `${release.name}; exit $status` },
  ]);
}

/**
 * Unpacks the release, keeps the running release's files, records the stack's services as
 * they run (`previous=yes` when there are any), and pulls its images on the manager.
 */
export function stackPullProgram(
  target: ReleaseTarget,
  stack: StackTarget,
  entries: readonly ReceivedEntry[],
): ShellCommand {
  return program([
    step(receiveRelease(target.layout, entries), { orExit: true }),
    step(keepRelease(target.layout, target.files, null), { orExit: true }),
    step(snapshotStack(target.layout, stack.name), { orExit: true }),
    step(pullStackImages(target.layout, stack.login)),
  ]);
}

/**
 * Installs the files, deploys the stack, waits until it converged, removes the services the
 * file dropped, reports, prunes the manager's old images, keeps the release, records it.
 */
export function stackStartProgram(
  target: ReleaseTarget,
  stack: StackTarget,
  options: StartOptions,
): ShellCommand {
  const { layout } = target;
  return program([
    step(installRelease(layout, target.files), { orExit: true }),
    step(deployStack(layout, stack.name, stack.login), { orExit: true }),
    options.healthSeconds > 0 &&
      step(waitForStack(stack.name, options.healthSeconds, stack.startFirstHostPort), {
        args: fullNames(stack),
        orExit: true,
      }),
    options.prune && step(pruneStackImages(layout)),
    step(commitRelease(layout), { orExit: true }),
    // Only now: until the release is kept, a rollback must still find them.
    step(removeDroppedServices(stack.name, stack.services)),
    step(reportStack(stack.name)),
    step(recordHistory(layout, options.record)),
  ]);
}

/**
 * Puts the previous files back, rolls back the services this deploy changed (removing those it
 * created), waits for them, and records the rollback.
 */
export function stackRollbackProgram(
  target: ReleaseTarget,
  stack: StackTarget,
  healthSeconds: number,
  record: HistoryRecord,
): ShellCommand {
  const { layout } = target;
  return program([
    step(restoreRelease(layout, target.files), { orExit: true }),
    step(rollbackStack(layout, stack.name), { intoIds: true, orExit: true }),
    step(waitForRollback(stack.name, healthSeconds), {
      withIds: true,
      orExit: true,
    }),
    step(nameRolledBack(), { withIds: true }),
    step(removeFolder(layout.stagingDir)),
    step(reportStack(stack.name)),
    step(recordHistory(layout, record)),
  ]);
}

/** Records a failed deploy that was not rolled back, and removes its staging folder. */
export function stackRecordFailureProgram(
  target: ReleaseTarget,
  stack: StackTarget,
  record: HistoryRecord,
): ShellCommand {
  return program([
    step(removeFolder(target.layout.stagingDir)),
    step(reportStack(stack.name)),
    step(recordHistory(target.layout, record)),
  ]);
}

/** The dry run's one command on a manager: marker, swarm, then its checks (see `dryRunChecks`). */
export function stackDryRunProgram(
  layout: ReleaseTarget['layout'],
  wait: MarkerWait,
  stack: string,
  server: string | null,
): ShellCommand {
  return program([
    ...waitAndDetect(wait, detectSwarm()),
    step(dryRunChecks(layout, stackCheck(stack), server)),
  ]);
}
