/**
 * Starting the new release (and, when that fails, putting the previous one back), each one
 * remote command that also reports what runs and records the deploy in the history.
 */
import type { HistoryRecord } from '../host-scripts/history.js';
import { EXIT, Replies } from '../host-scripts/protocol.js';
import { firstLines, lastLines } from '../remote-text.js';
import { RemoteCommandError } from '../remote/host.js';
import { ROLLOUT_REPLIES } from '../host-scripts/start-first.js';
import type { HistoryEntry, HostResult, RunningImage, ServiceRollout } from '../types/report.js';
import { stackImages, stackServicesOf } from './stack-report.js';
import { programsFor, rolloutBudgetMs, stackRollbackWaitMs } from './programs-for.js';
import { DeployStepError, UnsafeHostError, type HostSession } from './session.js';

/** What a finished remote step reports. */
export interface StepReport {
  readonly images: RunningImage[];
  readonly history: HistoryEntry[];
  readonly removedImages: number;
  /** `mode: swarm`: the stack's services. */
  readonly stack?: HostResult['stack'];
  /** `mode: swarm`: the services a rollback put back. */
  readonly rolledBackServices?: readonly string[];
  /** `mode: compose` with start-first services: how each service was rolled. */
  readonly rollouts?: readonly ServiceRollout[];
  /** Start-first services whose new containers have no healthcheck. */
  readonly withoutHealthcheck?: readonly string[];
  /** `mode: swarm`: what `stack deploy` created and updated, and the services it removed. */
  readonly stackChanges?: Readonly<Record<'created' | 'updated' | 'removed', readonly string[]>>;
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
  const script = programsFor(session).start({
    healthSeconds: Math.ceil(inputs.healthTimeoutMs / 1000),
    prune: inputs.prune,
    record: record(session, 'success', false),
  });
  const result = await session.host.exec(script, {
    label: inputs.stack ? 'Deploying the stack' : 'Starting containers',
    timeoutMs: 2 * inputs.commandTimeoutMs + inputs.healthTimeoutMs + rolloutBudgetMs(inputs),
    after: ready,
  });
  if (result.code === 0) return stepReport(session, result.stdout);
  throw startFailure(session, result.code, result.stdout, result.stderr);
}

function startFailure(session: HostSession, code: number, stdout: string, stderr: string): Error {
  const detail = stderr.trim() || `exit code ${code}`;
  const timeout = `'health-timeout' (${Math.round(session.inputs.healthTimeoutMs / 1000)} s)`;
  const stack = session.inputs.stack;
  switch (code) {
    case EXIT.unsafePath:
      return new UnsafeHostError(session.host.name, new Replies(stdout).get('unsafe'));
    case EXIT.upFailed:
      return new DeployStepError(
        `${stack ? `docker stack deploy of ${stack.name}` : 'starting the containers'} failed: ${lastLines(detail, 3)}`,
      );
    case EXIT.healthTimeout:
      return new DeployStepError(
        stack
          ? `the stack ${stack.name} did not converge within ${timeout}: ${firstLines(detail, 12)}`
          : `the containers were not healthy within ${timeout}${stderr.trim() ? `: ${firstLines(detail, 12)}` : ''}`,
      );
    case EXIT.unhealthy:
      return new DeployStepError(
        stack
          ? `the update of the stack ${stack.name} failed: ${firstLines(detail, 12)}`
          : `health check failed: ${detail}`,
      );
    default:
      return new RemoteCommandError('Starting containers', code, stderr);
  }
}

/**
 * Puts the previous release back: its files, its image IDs under the names its compose file
 * uses (a pull may have moved a tag such as `latest`), and its containers; records it.
 */
export async function rollBack(session: HostSession): Promise<StepReport> {
  const result = await session.host.exec(
    programsFor(session).rollback(record(session, 'failure', true)),
    {
      label: 'Rolling back',
      // A rollback also waits for what it put back: a stack's services, compose's containers.
      timeoutMs:
        session.inputs.commandTimeoutMs +
        (session.inputs.stack
          ? stackRollbackWaitMs(session.inputs)
          : session.inputs.healthTimeoutMs),
    },
  );
  if (result.code === EXIT.unsafePath)
    throw new UnsafeHostError(session.host.name, new Replies(result.stdout).get('unsafe'));
  if (result.code === EXIT.unhealthy || result.code === EXIT.healthTimeout) {
    const why = firstLines(result.stderr, 12) || `exit code ${result.code}`;
    throw new DeployStepError(
      session.inputs.stack
        ? `the services put back did not converge: ${why}`
        : `the previous release was put back but is not healthy: ${result.code === EXIT.healthTimeout ? `not within 'health-timeout'` : why}`,
    );
  }
  if (result.code !== 0) throw new RemoteCommandError('Rolling back', result.code, result.stderr);
  return stepReport(session, result.stdout);
}

/** Records a failed deploy that was not rolled back, and removes its staging directory. */
export async function recordFailure(session: HostSession): Promise<StepReport> {
  const result = await session.host.exec(
    programsFor(session).recordFailure(record(session, 'failure', false)),
    { label: 'Recording the failure', timeoutMs: session.inputs.commandTimeoutMs },
  );
  return stepReport(session, result.stdout);
}

/**
 * Reads the `container=`, `digest=`, `history=` and `removed=` replies; in `mode: swarm`, the
 * stack's (see `stackServicesOf`) and `rolled_back=`.
 */
export function stepReport(session: HostSession, stdout: string): StepReport {
  const replies = new Replies(stdout);
  const stack = session.inputs.stack;
  if (stack) {
    const services = stackServicesOf(replies);
    return {
      images: stackImages(services),
      history: historyOf(replies),
      removedImages: replies.number('removed'),
      stack: { name: stack.name, services },
      rolledBackServices: replies.all('rolled_back'),
      stackChanges: {
        created: replies.all('created'),
        updated: replies.all('updated'),
        removed: replies.all('pruned_service'),
      },
    };
  }
  const digests = replies.all('digest');
  const rollouts = rolloutsOf(replies);
  return {
    ...(rollouts.length ? { rollouts } : {}),
    withoutHealthcheck: replies.all(ROLLOUT_REPLIES.noHealthcheck),
    images: replies.all('container').map((line) => {
      const [service = '', image = '', id = ''] = line.split(' ');
      const digest = digests.find((entry) => entry.startsWith(`${id} `));
      return { service, image, id, digest: digest?.split(' ')[1] ?? '' };
    }),
    history: historyOf(replies),
    removedImages: replies.number('removed'),
  };
}

function historyOf(replies: Replies): HistoryEntry[] {
  return replies.all('history').flatMap((line) => {
    try {
      return [JSON.parse(line) as HistoryEntry];
    } catch {
      return [];
    }
  });
}

/** The `rolled=<service> <order> [<overlap>|first]` replies of a start by a rollout plan. */
function rolloutsOf(replies: Replies): ServiceRollout[] {
  return replies.all(ROLLOUT_REPLIES.rolled).flatMap((line) => {
    const [service = '', order = '', overlap = ''] = line.split(' ');
    if (order !== 'start-first' && order !== 'recreate') return [];
    const seconds = /^\d+$/.test(overlap) ? Number(overlap) : null;
    return [{ service, order, overlapSeconds: order === 'start-first' ? seconds : null }];
  });
}
