/** The first remote command of a deploy: wait for the droplet, create app-dir, take the lock. */

import { DETECT_REPLIES, LOCK_REPLIES, MARKER_REPLIES } from '../host-scripts/prepare.js';
import { EXIT, READY_LINE, readReplies } from '../host-scripts/protocol.js';
import { SWARM_REPLIES } from '../host-scripts/swarm-stack.js';
import { runnerDeadlineMs } from '../shell/timed.js';
import { RemoteCommandError, type ExecResult, type HeldCommand } from '../remote/host.js';
import { lockReadyBudget } from './deadlines.js';
import { DeployStepError, programsOf, UnsafeHostError, type HostSession } from './session.js';

/** What `lockHost` found. */
export interface LockedHost {
  readonly lock: HeldCommand;
  readonly waitedSeconds: number;
  /** Seconds spent waiting for another deploy's lock. */
  readonly lockWaitedSeconds: number;
  /** The host's compose command (`docker compose` or `docker-compose`); empty in mode swarm. */
  readonly composeCommand: string;
  readonly user: string;
}

/**
 * One long-lived remote command (see `lockProgram`): waits for the setup marker, creates the
 * app directory, finds the compose command, and takes the deploy lock, holding it until
 * `lock.release()` or the connection drops (then the host's kernel releases it).
 */
export async function lockHost(
  session: HostSession,
  markerBudgetMs: number,
  holdMs: number,
): Promise<LockedHost> {
  const { inputs, identity } = session;
  const holder = `${identity.actor || 'someone'} (${identity.runUrl || 'a run without a URL'}) since`;
  const script = programsOf(session).lock(
    { marker: inputs.setupMarker, seconds: Math.ceil(markerBudgetMs / 1000) },
    Math.ceil(inputs.lockTimeoutMs / 1000),
    holder,
  );
  const outcome = await session.host.hold(script, {
    label: 'Waiting for the droplet',
    timeoutMs: markerBudgetMs + inputs.lockTimeoutMs + holdMs,
    // The lock is held long after it is taken; taking it is what the runner's clock bounds.
    runnerDeadlineMs: runnerDeadlineMs(lockReadyBudget(inputs, markerBudgetMs, session.mode.locks)),
    readyLine: READY_LINE,
  });
  if (!outcome.ready) throw hostNotReady(session, outcome.result);
  const replies = readReplies(outcome.held.stdout, MARKER_REPLIES, DETECT_REPLIES, LOCK_REPLIES);
  return {
    lock: outcome.held,
    waitedSeconds: replies.number(MARKER_REPLIES.waited),
    lockWaitedSeconds: replies.number(LOCK_REPLIES.lockWaited),
    composeCommand: replies.get(DETECT_REPLIES.compose) ?? '',
    user: replies.get(DETECT_REPLIES.user) ?? '',
  };
}

/** `mode: swarm`, and the host is not a manager of an active swarm: the next one may be. */
export class NotManagerError extends DeployStepError {
  constructor(host: string, state: string) {
    const [local = '', control = '', quorum = ''] = state.split(' ');
    let why = `${host} is not part of an active swarm (its state: ${local || 'unknown'}): 'host' must name manager nodes of the swarm (docker swarm init)`;
    if (local === 'locked')
      why = `the swarm of ${host} is locked: unlock it on the manager (docker swarm unlock)`;
    else if (local === 'active' && control === 'false') {
      why = `${host} is a worker of its swarm, not a manager: 'host' must name manager nodes`;
    } else if (quorum === 'noquorum') {
      why = `${host} is a manager, but the swarm does not answer it (have the managers lost their quorum?)`;
    }
    super(why);
    this.name = 'NotManagerError';
  }
}

/** Why the host was not ready: the marker, app-dir, docker, flock or the lock. */
export function hostNotReady(session: HostSession, result: ExecResult): Error {
  const { inputs, layout, host } = session;
  const replies = readReplies(result.stdout, DETECT_REPLIES, SWARM_REPLIES);
  const user = replies.get(DETECT_REPLIES.user) ?? inputs.username;
  switch (result.code) {
    case EXIT.unsafePath:
      return new UnsafeHostError(host.name, result.stdout);
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
      return new DeployStepError(session.mode.words.noDocker(host.name, user));
    case EXIT.notManager:
      return new NotManagerError(host.name, replies.get(SWARM_REPLIES.swarm) ?? '');
    case EXIT.noFlock:
      return new DeployStepError(
        `${host.name} has no 'flock' (util-linux or busybox), needed for the deploy lock`,
      );
    case EXIT.locked:
      return new DeployStepError(
        session.mode.lockedError(
          host.name,
          result.stdout,
          `'lock-timeout' (${Math.round(inputs.lockTimeoutMs / 1000)} s)`,
        ),
      );
    default:
      return new RemoteCommandError('Preparing the droplet', result.code, result.stderr);
  }
}
