/**
 * The remote commands of a session's deploy, as its mode has them: compose's programs
 * (programs.ts), or a swarm stack's (stack-programs.ts). The steps ask here, and never
 * branch on the mode themselves.
 */
import type { HistoryRecord } from '../host-scripts/history.js';
import {
  dryRunProgram,
  lockProgram,
  pullProgram,
  recordFailureProgram,
  rollbackProgram,
  startProgram,
  type MarkerWait,
  type StartOptions,
} from '../host-scripts/programs.js';
import type { ReceivedEntry } from '../host-scripts/receive.js';
import type { PullLogin } from '../host-scripts/release.js';
import {
  stackDryRunProgram,
  stackLockProgram,
  stackPullProgram,
  stackRecordFailureProgram,
  stackRollbackProgram,
  stackStartProgram,
  type StackTarget,
} from '../host-scripts/stack-programs.js';
import type { ShellCommand } from '../remote/shell.js';
import type { Inputs, StackPlan } from '../types/settings.js';
import { projectName, releaseTarget, type HostSession } from './session.js';

/** The limit for the lock holder: the whole deploy's worst case, so a stuck one cannot hold forever. */
export function holdBudget(inputs: Inputs): number {
  return 6 * inputs.commandTimeoutMs + inputs.healthTimeoutMs + rolloutBudgetMs(inputs) + 60_000;
}

/**
 * How long a stack's rollback waits for the services it put back: `health-timeout`, or, when
 * that is 0 (and the deploy failed at `stack deploy` itself), `command-timeout`.
 */
export function stackRollbackWaitMs(inputs: Inputs): number {
  return inputs.healthTimeoutMs || inputs.commandTimeoutMs;
}

/**
 * How long a start-first service's new containers have to pass the health gate:
 * `health-timeout`, or `command-timeout` when that is 0 (the old ones must not stop unchecked).
 */
export function rolloutHealthMs(inputs: Inputs): number {
  return inputs.healthTimeoutMs || inputs.commandTimeoutMs;
}

/**
 * What rolling the start-first services adds to the start's limit: for each, an `up`, the
 * health gate and the old containers' grace period.
 */
export function rolloutBudgetMs(inputs: Inputs): number {
  return (inputs.rollout?.startFirst ?? []).reduce(
    (sum, service) =>
      sum + inputs.commandTimeoutMs + rolloutHealthMs(inputs) + service.stopGraceSeconds * 1000,
    0,
  );
}

/** One deploy's remote commands. */
export interface DeployPrograms {
  lock(wait: MarkerWait, lockSeconds: number, holder: string): ShellCommand;
  pull(entries: readonly ReceivedEntry[]): ShellCommand;
  start(options: StartOptions): ShellCommand;
  rollback(record: HistoryRecord): ShellCommand;
  recordFailure(record: HistoryRecord): ShellCommand;
  dryRun(wait: MarkerWait): ShellCommand;
}

/** The programs of `session`'s mode. */
export function programsFor(session: HostSession): DeployPrograms {
  const { inputs, layout } = session;
  const target = releaseTarget(session);
  const server = inputs.registry?.server ?? null;
  const login = server ? { server, keep: !inputs.registryLogout } : null;
  if (inputs.stack) {
    const stack = stackTarget(inputs.stack, login);
    const healthSeconds = Math.ceil(stackRollbackWaitMs(inputs) / 1000);
    return {
      lock: (wait, seconds, holder) =>
        stackLockProgram(layout, wait, {
          stack: stack.name,
          waitSeconds: seconds,
          // A lease older than its holder's whole deploy is a dead run's.
          staleSeconds: seconds + Math.ceil(holdBudget(inputs) / 1000),
          holder,
        }),
      pull: (entries) => stackPullProgram(target, stack, entries),
      start: (options) => stackStartProgram(target, stack, options),
      rollback: (record) => stackRollbackProgram(target, stack, healthSeconds, record),
      recordFailure: (record) => stackRecordFailureProgram(target, stack, record),
      dryRun: (wait) => stackDryRunProgram(layout, wait, stack.name, server),
    };
  }
  return {
    lock: (wait, seconds, holder) => lockProgram(layout, wait, seconds, holder),
    pull: (entries) => pullProgram(target, entries, login),
    start: (options) =>
      startProgram(
        target,
        options,
        inputs.rollout && {
          plan: inputs.rollout,
          healthSeconds: Math.ceil(rolloutHealthMs(inputs) / 1000),
        },
      ),
    rollback: (record) => rollbackProgram(target, record, Math.ceil(inputs.healthTimeoutMs / 1000)),
    recordFailure: (record) => recordFailureProgram(target, record),
    dryRun: (wait) => dryRunProgram(layout, wait, projectName(inputs.appDir), server),
  };
}

function stackTarget(plan: StackPlan, login: PullLogin | null): StackTarget {
  return {
    name: plan.name,
    services: plan.services.map((service) => service.name),
    startFirstHostPort: plan.services
      .filter((service) => service.updateOrder === 'start-first' && service.hostModePorts.length)
      .map((service) => `${plan.name}_${service.name}`),
    login,
  };
}
