/**
 * Starting the new release (and, when that fails, putting the previous one back), each one
 * remote command that also reports what runs and records the deploy in the history.
 */
import type { HistoryRecord } from '../host-scripts/history.js';
import { EXIT, readReplies } from '../host-scripts/protocol.js';
import { PRUNE_REPLIES } from '../host-scripts/prune.js';
import { IMAGE_REPLIES } from '../host-scripts/release.js';
import { lastLines } from '../remote-text.js';
import { RemoteCommandError } from '../remote/host.js';
import { historyOf } from './history-entries.js';
import { DeployStepError, programsOf, UnsafeHostError, type HostSession } from './session.js';
import type { StepReport } from './step-report.js';

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
  const script = programsOf(session).start({
    healthSeconds: Math.ceil(inputs.healthTimeoutMs / 1000),
    prune: inputs.prune,
    record: record(session, 'success', false),
  });
  const result = await session.host.exec(script, {
    label: session.mode.words.startLabel,
    timeoutMs: session.mode.limits.start,
    after: ready,
  });
  if (result.code === 0) return stepReport(session, result.stdout);
  throw startFailure(session, result.code, result.stdout, result.stderr);
}

function startFailure(session: HostSession, code: number, stdout: string, stderr: string): Error {
  const detail = stderr.trim() || `exit code ${code}`;
  const timeout = `'health-timeout' (${Math.round(session.inputs.healthTimeoutMs / 1000)} s)`;
  const { words } = session.mode;
  switch (code) {
    case EXIT.unsafePath:
      return new UnsafeHostError(session.host.name, stdout);
    case EXIT.upFailed:
      return new DeployStepError(`${words.upFailed} failed: ${lastLines(detail, 3)}`);
    case EXIT.healthTimeout:
      return new DeployStepError(words.healthTimeout(timeout, stderr.trim()));
    case EXIT.unhealthy:
      return new DeployStepError(words.unhealthy(detail));
    default:
      return new RemoteCommandError(words.startLabel, code, stderr);
  }
}

/**
 * Puts the previous release back: its files, its image IDs under the names its compose file
 * uses (a pull may have moved a tag such as `latest`), and its containers; records it.
 */
export async function rollBack(session: HostSession): Promise<StepReport> {
  const { mode } = session;
  const result = await session.host.exec(
    programsOf(session).rollback(record(session, 'failure', true)),
    {
      label: 'Rolling back',
      timeoutMs: mode.limits.rollback,
    },
  );
  if (result.code === EXIT.unsafePath) throw new UnsafeHostError(session.host.name, result.stdout);
  if (result.code === EXIT.unhealthy || result.code === EXIT.healthTimeout) {
    const stderr = result.stderr.trim() || `exit code ${result.code}`;
    const error = mode.rollbackError(result.code, stderr);
    if (error) throw error;
  }
  if (result.code !== 0) throw new RemoteCommandError('Rolling back', result.code, result.stderr);
  return stepReport(session, result.stdout);
}

/** Records a failed deploy that was not rolled back, and removes its staging directory. */
export async function recordFailure(session: HostSession): Promise<StepReport> {
  const result = await session.host.exec(
    programsOf(session).recordFailure(record(session, 'failure', false)),
    {
      label: 'Recording the failure',
      timeoutMs: session.mode.limits.recordFailure,
    },
  );
  return stepReport(session, result.stdout);
}

/**
 * Reads the `container=`, `digest=`, `history=` and `removed=` replies, then the mode's own
 * (a stack's services, and what its deploy or rollback did to them).
 */
export function stepReport(session: HostSession, stdout: string): StepReport {
  const replies = readReplies(stdout, IMAGE_REPLIES, PRUNE_REPLIES);
  const digests = replies.all(IMAGE_REPLIES.digest);
  return {
    images: replies.all(IMAGE_REPLIES.container).map((line) => {
      const [service = '', image = '', id = ''] = line.split(' ');
      const digest = digests.find((entry) => entry.startsWith(`${id} `));
      return { service, image, id, digest: digest?.split(' ')[1] ?? '' };
    }),
    history: historyOf(stdout),
    removedImages: replies.number(PRUNE_REPLIES.removed),
    ...session.mode.report(stdout),
  };
}
