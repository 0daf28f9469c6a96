/**
 * How long each step of a deploy may take, derived from the inputs in this one place: the
 * limits the steps run under, the lock holder's limit that covers them all, the age after
 * which a stack's swarm-wide lease is a dead run's, and how long short-lived registry
 * credentials must live. Each mode computes its `StepLimits` once (`DeployMode.limits`), with
 * what its rollback waits beyond `command-timeout`.
 */
import { wholeSeconds } from '../shell/timed.js';
import { RELEASE_CLEANUP_SECONDS } from '../host-scripts/release-command.js';
import type { Inputs } from '../types/settings.js';

/** The runner-side limit of each step of a deploy that runs under the lock. */
export interface StepLimits {
  readonly pull: number;
  /** `release-command` (0 without one): its own timeout and a margin for its cleanup. */
  readonly releaseCommand: number;
  /** Install, start, and the health gate (a stack's convergence wait). */
  readonly start: number;
  /** A stack's rollback also waits for the services it put back. */
  readonly rollback: number;
  readonly recordFailure: number;
}

/** Each step's limit (ms), as `inputs` make it: what every step's `timeoutMs` is. */
export function stepLimits(inputs: Inputs, rollbackWaitMs: number): StepLimits {
  const c = inputs.commandTimeoutMs;
  return {
    pull: c,
    releaseCommand: inputs.releaseCommand
      ? (wholeSeconds(inputs.releaseCommand.timeoutMs) + RELEASE_CLEANUP_SECONDS) * 1000
      : 0,
    start: 2 * c + inputs.healthTimeoutMs + rolloutBudgetMs(inputs),
    rollback: c + rollbackWaitMs,
    recordFailure: c,
  };
}

/**
 * The limit for the lock holder (ms): every step a deploy can run under the lock (see
 * `stepLimits`), one `command-timeout` more for the runner's own work between them, and a
 * minute's margin. So a stuck holder cannot hold forever, and a live one is never cut short.
 */
export function holdBudget(inputs: Inputs, steps: StepLimits): number {
  const all =
    steps.pull + steps.releaseCommand + steps.start + steps.rollback + steps.recordFailure;
  return all + inputs.commandTimeoutMs + 60_000;
}

/**
 * The age (s) after which a stack's swarm-wide lease is a dead run's and is taken over: the
 * longest a live run holds it, waiting for the lock on app-dir (`lock-timeout`) and then for
 * the whole deploy (`holdBudget`).
 */
export function staleLeaseSeconds(inputs: Inputs, steps: StepLimits): number {
  return Math.ceil((inputs.lockTimeoutMs + holdBudget(inputs, steps)) / 1000);
}

/**
 * How long the lock program may take to hold the lock (its ready line): the marker's wait, the
 * wait for each of the mode's `locks` (a stack's lease, then app-dir's lock), and a command's
 * for docker's checks.
 */
export function lockReadyBudget(inputs: Inputs, markerBudgetMs: number, locks: number): number {
  return markerBudgetMs + locks * inputs.lockTimeoutMs + inputs.commandTimeoutMs;
}

/** What short-lived registry credentials are given beyond the deploy's worst case (s). */
const REGISTRY_LOGIN_MARGIN_SECONDS = 300;

/**
 * How long short-lived registry credentials (`digitalocean-token`) must stay valid (s): until
 * the last host's start has ended (its pull logs in; a stack's nodes pull while it converges),
 * the hosts taken one after another, the worst any `strategy` does. Each host before it may
 * take its connection and setup marker (`setup-timeout`), both locks (`lock-timeout`) and all
 * it runs under them (`holdBudget`, a rollback included); the last one the same, up to the end
 * of its start. Either mode's rollback wait and lock count are covered (the longer), and a
 * margin of five minutes.
 */
export function registryLoginSeconds(inputs: Inputs): number {
  // A stack's rollback wait (health-timeout, or command-timeout when that is 0) is never
  // shorter than compose's (health-timeout).
  const steps = stepLimits(inputs, stackRollbackWaitMs(inputs));
  const reachLocked = inputs.setupTimeoutMs + 2 * inputs.lockTimeoutMs;
  const wholeHost = reachLocked + holdBudget(inputs, steps);
  const lastHost = reachLocked + steps.pull + steps.releaseCommand + steps.start;
  const ms = (inputs.hosts.length - 1) * wholeHost + lastHost;
  return wholeSeconds(ms) + REGISTRY_LOGIN_MARGIN_SECONDS;
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

/**
 * How long a stack's rollback waits for the services it put back: `health-timeout`, or, when
 * that is 0 (and the deploy failed at `stack deploy` itself), `command-timeout`.
 */
export function stackRollbackWaitMs(inputs: Inputs): number {
  return inputs.healthTimeoutMs || inputs.commandTimeoutMs;
}
