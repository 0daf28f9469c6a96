/**
 * `release-command` on the runner's side: run once, on the run's first host, after its pull and
 * before its start; the other hosts' starts wait on the gate it opens (`ReleaseGate`), so no
 * host switches before the command succeeded, and none does if it failed.
 */
import { EXIT, readReplies } from '../host-scripts/protocol.js';
import {
  RELEASE_COMMAND_REPLIES,
  releaseCommandProgram,
  releaseCommandWords,
} from '../host-scripts/release-command.js';
import { lastLines } from '../remote-text.js';
import { RemoteCommandError, RemoteTimeoutError } from '../remote/host.js';
import type { ReleaseCommandPlan } from '../types/settings.js';
import { wholeSeconds } from '../shell/timed.js';
import type { HostLog } from './host-log.js';
import { DeployStepError, releaseTarget, type HostSession } from './session.js';

/** How many of the command's last lines a failure quotes. */
const QUOTED_LINES = 10;

/** The release command ran and failed, or did not finish in time: nothing was switched. */
export class ReleaseCommandError extends DeployStepError {
  constructor(
    message: string,
    /** What it printed (its output and compose's), as the host sent it. */
    readonly output = '',
  ) {
    super(message);
    this.name = 'ReleaseCommandError';
  }
}

/** The log title of the step. */
export function releaseCommandTitle(plan: ReleaseCommandPlan): string {
  return `Running the release command in a one-off container of ${plan.service}`;
}

/**
 * Runs the release command once `ready` resolves (its channel opens now: see
 * `ExecOptions.after`); resolves with its output, or rejects with a `ReleaseCommandError`.
 */
export async function runReleaseCommand(
  session: HostSession,
  plan: ReleaseCommandPlan,
  ready: Promise<unknown>,
): Promise<string> {
  const seconds = wholeSeconds(plan.timeoutMs);
  const script = releaseCommandProgram(releaseTarget(session), { service: plan.service, seconds });
  let result;
  try {
    result = await session.host.exec(script, {
      label: 'Running the release command',
      stdin: releaseCommandWords(plan.words),
      timeoutMs: session.mode.limits.releaseCommand,
      after: ready,
    });
  } catch (error) {
    if (!(error instanceof RemoteTimeoutError)) throw error;
    throw new ReleaseCommandError(
      `the release command failed: ${session.host.name} did not answer within its timeout (${seconds} s); nothing was switched`,
    );
  }
  const output = result.stderr;
  const tail = lastLines(output, QUOTED_LINES);
  const quoted = tail ? `; its last lines:\n${tail}` : '; it printed nothing';
  switch (result.code) {
    case 0:
      return output;
    case EXIT.notStarted:
      throw new DeployStepError('the release command did not run: an earlier step failed');
    case EXIT.releaseCommandTimedOut:
      throw new ReleaseCommandError(
        `the release command failed: it did not finish within 'release-command-timeout' (${seconds} s), ` +
          `was stopped and its container removed; nothing was switched, the previous release keeps running${quoted}`,
        output,
      );
    case EXIT.releaseCommandFailed: {
      const replies = readReplies(result.stdout, RELEASE_COMMAND_REPLIES);
      throw new ReleaseCommandError(
        `the release command failed with exit status ${replies.get(RELEASE_COMMAND_REPLIES.status) ?? '?'}; ` +
          `nothing was switched, the previous release keeps running${quoted}`,
        output,
      );
    }
    default:
      throw new RemoteCommandError('Running the release command', result.code, output);
  }
}

/** Runs `running` as the step: its output in the host's log, then its outcome. */
export async function logReleaseCommand(
  running: Promise<string>,
  plan: ReleaseCommandPlan,
  log: HostLog,
): Promise<void> {
  log.info(`release command: ${plan.line}`);
  try {
    const output = await running;
    if (output.trim()) log.info(output.trimEnd());
    log.info('the release command succeeded');
  } catch (error) {
    if (error instanceof ReleaseCommandError && error.output.trim())
      log.info(error.output.trimEnd());
    throw error;
  }
}

/**
 * Which host runs the release command, and whether the others may switch: `opened` resolves
 * once it succeeded there, and rejects (with why) once it is known it will not.
 */
export interface ReleaseGate {
  /** The host that runs the command (the run's first). */
  readonly host: string;
  readonly opened: Promise<void>;
  /** The command succeeded. */
  open(): void;
  /** The command failed, or will not run; the first call of `open` or `close` counts. */
  close(reason: unknown): void;
}

/** A gate for a run whose release command runs on `host`. */
export function releaseGate(host: string): ReleaseGate {
  let open: () => void = () => {};
  let close: (reason: unknown) => void = () => {};
  const opened = new Promise<void>((resolve, reject) => {
    open = resolve;
    close = reject;
  });
  opened.catch(() => {});
  return { host, opened, open: () => open(), close: (reason) => close(reason) };
}

/**
 * For a host other than the gate's: resolves when the gate opens; otherwise rejects with the
 * reason this host does not switch (a `ReleaseCommandError` when the command failed).
 */
export async function waitForGate(gate: ReleaseGate): Promise<void> {
  try {
    await gate.opened;
  } catch (reason) {
    const why = reason instanceof Error ? reason.message.split('\n')[0] : String(reason);
    const message = `nothing was switched here: the release command did not succeed on ${gate.host} (${why})`;
    throw reason instanceof ReleaseCommandError
      ? new ReleaseCommandError(message)
      : new DeployStepError(message);
  }
}

/** Runs a step as a group of the host's log (the deploy's `group`). */
type StepGroup = <T>(name: string, body: () => Promise<T>) => Promise<T>;

/** What `releaseSteps` needs of the host's deploy. */
export interface ReleaseStepDeps {
  readonly log: HostLog;
  readonly releaseGate?: ReleaseGate;
}

/**
 * With `release-command`: what the start of `hostName` waits for besides its pull (`ready`),
 * and the step that logs it (`step`, run after the pull's). On the gate's host, the command,
 * run after the pull (the gate opens or closes with it); on the others, the pull and the
 * gate. Null without a release command.
 */
export function releaseSteps(
  hostName: string,
  session: HostSession,
  deps: ReleaseStepDeps,
  pulling: Promise<unknown>,
  group: StepGroup,
): { ready: Promise<void>; step: () => Promise<void> } | null {
  const plan = session.inputs.releaseCommand;
  const gate = deps.releaseGate;
  if (!plan || !gate) return null;
  if (gate.host !== hostName) {
    const ready = pulling.then(() => waitForGate(gate));
    ready.catch(() => {});
    const step = () =>
      group(`Waiting for the release command on ${gate.host}`, async () => {
        await ready;
        deps.log.info(`the release command succeeded on ${gate.host}`);
      });
    return { ready, step };
  }
  const running = runReleaseCommand(session, plan, pulling);
  running.catch(() => {});
  // The gate's reason, when it closes: the pull's failure, or the command's.
  pulling
    .then(() => running)
    .then(
      () => gate.open(),
      (error: unknown) => gate.close(error),
    );
  const ready = running.then(() => {});
  ready.catch(() => {});
  const step = () =>
    group(releaseCommandTitle(plan), () => logReleaseCommand(running, plan, deps.log));
  return { ready, step };
}

/** The dry run's word on the release command: where it would run; it does not run it. */
export function dryRunReleaseCommand(session: HostSession, log: HostLog): void {
  const plan = session.inputs.releaseCommand;
  if (!plan) return;
  const first = session.inputs.hosts[0];
  const where =
    session.host.name === first ? 'on this host' : `on ${first} (the run's first host), not here`;
  log.info(
    `a deploy would run the release command once, ${where}, in a one-off container of ${plan.service} ` +
      `(timeout ${Math.round(plan.timeoutMs / 1000)} s), after the pull and before the switch; the dry run does not run it: ${plan.line}`,
  );
}
