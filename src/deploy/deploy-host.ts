/**
 * The sequence of one droplet's deploy, over one SSH connection: each step a group in the log;
 * on a failure after the new release was started, a rollback to the one that ran before.
 */
import type { RemoteHost } from '../remote/host.js';
import { SshConnectError, type RetryPolicy } from '../remote/retry.js';
import type { DeployIdentity, HostResult } from '../types/report.js';
import type { Inputs } from '../types/settings.js';
import { dryRunSteps } from './dry-run-steps.js';
import type { HostLog } from './host-log.js';
import { holdBudget } from './deadlines.js';
import { isOutOfReach, outOfReachMessage, type HostPhase } from './host-state.js';
import { lockHost, NotManagerError } from './lock.js';
import type { DeployMode } from './mode.js';
import { modeOf } from './modes.js';
import { pullRelease, pullTitle, type PulledRelease } from './pull.js';
import { ReleaseCommandError, releaseSteps, type ReleaseGate } from './release-command.js';
import { DeployStepError, openSession, UnsafeHostError, type HostSession } from './session.js';
import { recordFailure, rollBack, startRelease } from './start.js';
import { EMPTY_REPORT, hostResult, type StepReport } from './step-report.js';
import { removeStaging } from './upload.js';

/** A connected host as the sequence needs it. */
export type ConnectedHost = RemoteHost & {
  readonly insecure?: boolean;
  readonly fingerprint?: string;
};

/** What the sequence needs from outside. */
export interface DeployDependencies {
  readonly connect: (host: string, retry: RetryPolicy) => Promise<ConnectedHost>;
  readonly log: HostLog;
  readonly identity: DeployIdentity;
  /**
   * Told which of this run's folders may hold its files and registry credentials on the host
   * (null once removed), so the post step can remove what main could not.
   */
  readonly onLeftovers?: (host: string, stagingDir: string | null) => void;
  readonly retryDelays?: Pick<RetryPolicy, 'baseDelayMs' | 'maxDelayMs' | 'sleep' | 'now'>;
  /** How long connection attempts may go on (default: `setup-timeout`). */
  readonly connectBudgetMs?: number;
  /**
   * Another manager is tried when this one does not take the deploy (`mode: swarm`): that
   * failure is then logged as information (the failover warns), not as an error.
   */
  readonly failover?: boolean;
  /** How the run deploys (default: the mode the inputs ask for, `modeOf`). */
  readonly mode?: DeployMode;
  /**
   * With `release-command`: the gate its host opens once it succeeded; every host's start
   * waits for it (see release-command.ts).
   */
  readonly releaseGate?: ReleaseGate;
}

/** Deploys to one host; never throws: failures are in the result. */
export function deployHost(
  hostName: string,
  inputs: Inputs,
  deps: DeployDependencies,
): Promise<HostResult> {
  return new HostDeploy(hostName, inputs, deps).run();
}

/** One host's deploy in progress: which step it is at and what it holds. */
class HostDeploy {
  private readonly started = Date.now();
  private readonly deadline: number;
  private step = 'Connecting';
  private phase: HostPhase = 'unchanged';
  private session?: HostSession;
  private releaseLock?: () => void;
  private stagingGone = false;
  private outcome: StepReport = EMPTY_REPORT;

  constructor(
    private readonly hostName: string,
    private readonly inputs: Inputs,
    private readonly deps: DeployDependencies,
  ) {
    this.deadline = this.started + inputs.setupTimeoutMs;
  }

  async run(): Promise<HostResult> {
    try {
      const mode = this.deps.mode ?? modeOf(this.inputs);
      const session = openSession(await this.connect(), this.inputs, this.deps.identity, mode);
      this.session = session;
      if (this.inputs.dryRun) {
        const dryRun = await dryRunSteps(session, this.deadline, this.group, this.deps.log);
        this.stagingGone = true;
        return this.result('success', { dryRun });
      }
      return await this.deploy(session);
    } catch (error) {
      await this.recordFailure(error);
      return this.failure(error);
    } finally {
      // The host that runs the release command and never got to it keeps no other host waiting.
      const gate = this.deps.releaseGate;
      if (gate?.host === this.hostName)
        gate.close(new DeployStepError(`${this.hostName} failed at ${this.step}`));
      await this.cleanUp();
    }
  }

  /** Runs `body` as the named step: a group in the log, and the step a failure names. */
  private readonly group = <T>(name: string, body: () => Promise<T>): Promise<T> => {
    this.step = name;
    return this.deps.log.group(name, body);
  };

  private connect(): Promise<ConnectedHost> {
    const { inputs, deps, hostName } = this;
    return this.group(
      `Connecting to ${hostName}:${inputs.port} as ${inputs.username}`,
      async () => {
        const budget = deps.connectBudgetMs;
        const connected = await deps.connect(hostName, {
          deadline:
            budget === undefined ? this.deadline : Math.min(this.deadline, Date.now() + budget),
          baseDelayMs: 1_000,
          maxDelayMs: 10_000,
          ...deps.retryDelays,
        });
        if (connected.insecure) {
          deps.log.warning(
            `host key ${connected.fingerprint} accepted WITHOUT verification ('insecure-ignore-host-key'); ` +
              `pin it with host-fingerprint: ${connected.fingerprint}`,
          );
        } else deps.log.info(`host key verified: ${connected.fingerprint ?? ''}`);
        return connected;
      },
    );
  }

  private async deploy(session: HostSession): Promise<HostResult> {
    // The three commands of a deploy open their channels at once, side by side: the pull's
    // (which also uploads the release) waits on the host for its `go` line until the lock is
    // held, the start's until the pull is done (see `ExecOptions.after`): no step waits for a
    // channel to open. If a step fails, the ones after it are told not to start.
    this.deps.onLeftovers?.(this.hostName, session.layout.stagingDir);
    // With a release command, the start waits for it too (`release.ready`).
    const locked = this.lock(session);
    const pulling = pullRelease(session, locked);
    const release = releaseSteps(this.hostName, session, this.deps, pulling, this.group);
    const starting = startRelease(session, release?.ready ?? pulling);
    pulling.catch(() => {});
    starting.catch(() => {});
    await locked;
    const pulled = await this.group(pullTitle(session), async () => {
      const keys = this.inputs.env.map((v) => v.key).join(', ') || '(none)';
      this.deps.log.info(`.env: ${this.inputs.env.length} variable(s), mode 0600: ${keys}`);
      return pulling;
    });
    await release?.step();
    return this.start(session, pulled, starting);
  }

  private lock(session: HostSession): Promise<void> {
    const { inputs, deps } = this;
    const title = inputs.setupMarker
      ? `Waiting for ${inputs.setupMarker}, locking ${inputs.appDir}`
      : `Locking ${inputs.appDir}`;
    return this.group(title, async () => {
      const lock = await lockHost(
        session,
        Math.max(0, this.deadline - Date.now()),
        holdBudget(inputs, session.mode.limits),
      );
      this.releaseLock = lock.lock.release;
      if (inputs.setupMarker)
        deps.log.info(`${inputs.setupMarker} present (waited ${lock.waitedSeconds} s)`);
      if (lock.lockWaitedSeconds > 0) {
        deps.log.info(`waited ${lock.lockWaitedSeconds} s for another deploy's lock`);
      }
      const tool = session.mode.words.tool(lock.composeCommand);
      deps.log.info(`${inputs.appDir} locked for this deploy; user ${lock.user}; ${tool}`);
    });
  }

  private async start(
    session: HostSession,
    pulled: PulledRelease,
    starting: Promise<StepReport>,
  ): Promise<HostResult> {
    try {
      // The start's `go` went with the pull's end: from here, what runs may change.
      this.phase = 'starting';
      this.outcome = await this.group(session.mode.words.startTitle, () => starting);
      this.stagingGone = true;
    } catch (error) {
      // An unsafe app-dir stops the start before anything changed: nothing to roll back. Nor
      // over a host out of reach, whose start may still be going on.
      if (error instanceof UnsafeHostError || isOutOfReach(error)) throw error;
      const failedStep = this.step;
      const rolledBack = await this.rollBackAfter(session, pulled.hasPrevious, error);
      this.step = failedStep;
      if (rolledBack) return this.failure(error, { rolledBack: true });
      throw error;
    }
    session.mode.logOutcome(this.outcome, this.deps.log);
    if (this.inputs.prune)
      this.deps.log.info(`pruned ${this.outcome.removedImages} unused image(s)`);
    return this.result('success');
  }

  private async rollBackAfter(
    session: HostSession,
    hasPrevious: boolean,
    error: unknown,
  ): Promise<boolean> {
    const { log } = this.deps;
    if (!this.inputs.rollback) {
      log.warning(`'rollback' is false: the failed release stays in place`);
      return false;
    }
    if (!hasPrevious) {
      log.warning(session.mode.words.firstDeploy);
      return false;
    }
    return log.group('Rolling back', async () => {
      this.phase = 'rollingBack';
      log.info(`rolling back after: ${messageOf(error).split('\n')[0]}`);
      try {
        this.outcome = await rollBack(session);
        this.stagingGone = true;
        const services = this.outcome.rolledBackServices;
        if (services) {
          log.info(`rolled back to their previous spec: ${services.join(', ') || 'none changed'}`);
        }
        log.info('the previous release is running again');
        return true;
      } catch (rollbackError) {
        log.error(`rollback failed: ${this.messageOf(rollbackError)}`);
        return false;
      }
    });
  }

  /** After a failure while locked, records it in the history (and removes the staging folder). */
  private async recordFailure(error: unknown): Promise<void> {
    if (!this.session || !this.releaseLock || isOutOfReach(error)) return;
    try {
      this.outcome = await recordFailure(this.session);
      this.stagingGone = true;
    } catch (recordError) {
      this.deps.log.debug(`could not record the failure: ${String(recordError)}`);
    }
  }

  private async cleanUp(): Promise<void> {
    const { session } = this;
    if (session && !this.stagingGone)
      this.stagingGone = await removeStaging(session, this.deps.log);
    if (this.stagingGone) this.deps.onLeftovers?.(this.hostName, null);
    this.releaseLock?.();
    session?.host.close();
  }

  private result(status: 'success' | 'failure', extra: Partial<HostResult> = {}): HostResult {
    return { ...hostResult(this.hostName, status, this.outcome, this.started), ...extra };
  }

  /** What a failure says: for a host out of reach, also what it may be running now. */
  private messageOf(error: unknown): string {
    return isOutOfReach(error) ? outOfReachMessage(error, this.phase) : messageOf(error);
  }

  private failure(error: unknown, extra: Partial<HostResult> = {}): HostResult {
    const message = this.messageOf(error);
    const untouched = error instanceof SshConnectError || error instanceof NotManagerError;
    if (untouched && this.deps.failover) this.deps.log.info(`${this.step}: ${message}`);
    else this.deps.log.error(`${this.step}: ${message}`);
    if (error instanceof Error && error.stack) this.deps.log.debug(error.stack);
    return this.result('failure', {
      failedStep: this.step,
      error: message,
      ...(untouched ? { untouched } : {}),
      ...(error instanceof ReleaseCommandError ? { releaseCommandFailed: true } : {}),
      ...extra,
    });
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
