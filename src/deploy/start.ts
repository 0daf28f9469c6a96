/**
 * Starting the new release (and, when that fails, putting the previous one back), each one
 * remote command that also reports what runs and records the deploy in the history.
 */
import type { HistoryRecord } from '../host-scripts/history.js';
import { recordFailureProgram, rollbackProgram, startProgram } from '../host-scripts/programs.js';
import { EXIT, Replies } from '../host-scripts/protocol.js';
import { lastLines } from '../remote-text.js';
import { RemoteCommandError } from '../remote/host.js';
import type { HistoryEntry, RunningImage } from '../types/report.js';
import { DeployStepError, releaseTarget, UnsafeHostError, type HostSession } from './session.js';

/** What a finished remote step reports. */
export interface StepReport {
  readonly images: RunningImage[];
  readonly history: HistoryEntry[];
  readonly removedImages: number;
}

/** A report of nothing (before any step ran). */
export const EMPTY_REPORT: StepReport = { images: [], history: [], removedImages: 0 };

function record(
  session: HostSession,
  result: 'success' | 'failure',
  rolledBack: boolean,
): HistoryRecord {
  const { identity } = session;
  return {
    commit: identity.commit,
    actor: identity.actor,
    result,
    rolledBack,
    run: identity.runUrl,
  };
}

/**
 * Moves the staged files into place, runs `up -d`, waits for health, then reports the images,
 * prunes and records the deploy (see `startProgram`); starts once `ready` resolves.
 */
export async function startRelease(
  session: HostSession,
  ready: Promise<unknown> = Promise.resolve(),
): Promise<StepReport> {
  const { inputs } = session;
  const script = startProgram(releaseTarget(session), {
    healthSeconds: Math.ceil(inputs.healthTimeoutMs / 1000),
    prune: inputs.prune,
    record: record(session, 'success', false),
  });
  const result = await session.host.exec(script, {
    label: 'Starting containers',
    timeoutMs: 2 * inputs.commandTimeoutMs + inputs.healthTimeoutMs,
    after: ready,
  });
  if (result.code === 0) return stepReport(result.stdout);
  const detail = result.stderr.trim() || `exit code ${result.code}`;
  switch (result.code) {
    case EXIT.unsafePath:
      throw new UnsafeHostError(session.host.name, new Replies(result.stdout).get('unsafe'));
    case EXIT.upFailed:
      throw new DeployStepError(`starting the containers failed: ${lastLines(detail, 3)}`);
    case EXIT.healthTimeout:
      throw new DeployStepError(
        `the containers were not healthy within 'health-timeout' (${Math.round(inputs.healthTimeoutMs / 1000)} s)`,
      );
    case EXIT.unhealthy:
      throw new DeployStepError(`health check failed: ${detail}`);
    default:
      throw new RemoteCommandError('Starting containers', result.code, result.stderr);
  }
}

/**
 * Puts the previous release back: its files, its image IDs under the names its compose file
 * uses (a pull may have moved a tag such as `latest`), and its containers; records it.
 */
export async function rollBack(session: HostSession): Promise<StepReport> {
  const result = await session.host.exec(
    rollbackProgram(releaseTarget(session), record(session, 'failure', true)),
    { label: 'Rolling back', timeoutMs: session.inputs.commandTimeoutMs },
  );
  if (result.code === EXIT.unsafePath)
    throw new UnsafeHostError(session.host.name, new Replies(result.stdout).get('unsafe'));
  if (result.code !== 0) throw new RemoteCommandError('Rolling back', result.code, result.stderr);
  return stepReport(result.stdout);
}

/** Records a failed deploy that was not rolled back, and removes its staging directory. */
export async function recordFailure(session: HostSession): Promise<StepReport> {
  const result = await session.host.exec(
    recordFailureProgram(releaseTarget(session), record(session, 'failure', false)),
    { label: 'Recording the failure', timeoutMs: session.inputs.commandTimeoutMs },
  );
  return stepReport(result.stdout);
}

/** Reads the `container=`, `digest=`, `history=` and `removed=` replies. */
export function stepReport(stdout: string): StepReport {
  const replies = new Replies(stdout);
  const digests = replies.all('digest');
  return {
    images: replies.all('container').map((line) => {
      const [service = '', image = '', id = ''] = line.split(' ');
      const digest = digests.find((entry) => entry.startsWith(`${id} `));
      return { service, image, id, digest: digest?.split(' ')[1] ?? '' };
    }),
    history: replies.all('history').flatMap((line) => {
      try {
        return [JSON.parse(line) as HistoryEntry];
      } catch {
        return [];
      }
    }),
    removedImages: replies.number('removed'),
  };
}
