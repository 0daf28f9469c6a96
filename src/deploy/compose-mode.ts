/**
 * Compose mode: on each host, `docker compose` pulls and starts the release in app-dir; the
 * hosts go as `strategy` and `max-parallel` say. Services the compose file marks start-first
 * (`deploy.update_config.order`) are rolled beside their old containers (`Inputs.rollout`).
 */
import {
  dryRunProgram,
  lockProgram,
  pullProgram,
  recordFailureProgram,
  rollbackProgram,
  startProgram,
  type ReleaseTarget,
} from '../host-scripts/programs.js';
import { LOCK_REPLIES } from '../host-scripts/prepare.js';
import { EXIT, readReplies } from '../host-scripts/protocol.js';
import { ROLLOUT_REPLIES } from '../host-scripts/start-first.js';
import { firstLines } from '../remote-text.js';
import type { ServiceRollout } from '../types/report.js';
import type { Inputs } from '../types/settings.js';
import { wholeSeconds } from '../shell/timed.js';
import { rolloutHealthMs, stepLimits } from './deadlines.js';
import { concurrency, deployFleet } from './fleet.js';
import type { DeployMode } from './mode.js';
import { describePlan, logRollouts } from './rollout-log.js';
import { DeployStepError } from './session.js';

/** Compose mode for `inputs`. */
export function composeMode(inputs: Inputs): DeployMode {
  const server = inputs.registry?.server ?? null;
  const login = server ? { server, keep: !inputs.registryLogout } : null;
  const rollout = inputs.rollout && {
    plan: inputs.rollout,
    healthSeconds: wholeSeconds(rolloutHealthMs(inputs)),
  };
  // A rollback waits until the release it put back is healthy again.
  const rollbackSeconds = Math.ceil(inputs.healthTimeoutMs / 1000);
  return {
    programs: (target: ReleaseTarget) => ({
      lock: (wait, seconds, holder) => lockProgram(target.layout, wait, seconds, holder),
      pull: (entries) => pullProgram(target, entries, login),
      start: (options) => startProgram(target, options, rollout),
      rollback: (record) => rollbackProgram(target, record, rollbackSeconds),
      recordFailure: (record) => recordFailureProgram(target, record),
      dryRun: (wait) => dryRunProgram(target.layout, wait, target.project, server),
    }),
    releaseEntries: [],
    words: {
      tool: (composeCommand) => `compose command: ${composeCommand}`,
      startTitle: 'Starting containers, checking health',
      startLabel: 'Starting containers',
      firstDeploy: `first deploy to ${inputs.appDir}: there is no previous release to roll back to`,
      noDocker: (host, user) =>
        `${host} has no docker with compose ('docker compose' or 'docker-compose') on the PATH of '${user}'`,
      upFailed: 'starting the containers',
      healthTimeout: (timeout, output) =>
        `the containers were not healthy within ${timeout}${output ? `: ${firstLines(output, 12)}` : ''}`,
      unhealthy: (detail) => `health check failed: ${firstLines(detail, 40)}`,
    },
    locks: 1,
    limits: stepLimits(inputs, inputs.healthTimeoutMs),
    rollbackError: (code, stderr) =>
      new DeployStepError(
        `the previous release was put back but is not healthy: ${code === EXIT.healthTimeout ? `not within 'health-timeout'` : firstLines(stderr, 12)}`,
      ),
    lockedError: (host, stdout, gaveUpAfter) =>
      `another deploy holds the lock on ${host} (${holders(stdout)}); gave up after ${gaveUpAfter}`,
    report: (stdout) => {
      const replies = readReplies(stdout, ROLLOUT_REPLIES);
      const rollouts = rolloutsOf(replies.all(ROLLOUT_REPLIES.rolled));
      return {
        ...(rollouts.length ? { rollouts } : {}),
        withoutHealthcheck: replies.all(ROLLOUT_REPLIES.noHealthcheck),
      };
    },
    logOutcome: logRollouts,
    dryRunPlan: () => ({}),
    dryRunLines: () => [
      "the compose file passes the host's compose config check",
      ...(inputs.rollout ? describePlan(inputs.rollout) : []),
    ],
    deployHosts: (hosts, deployOne) => {
      const buffered = concurrency(inputs, hosts.length) > 1;
      return deployFleet(hosts, inputs, (host) => deployOne(host, { buffered }));
    },
  };
}

/** Who holds a lock, from the `holder=` replies in the lock program's `stdout`. */
export function holders(stdout: string): string {
  const lines = readReplies(stdout, LOCK_REPLIES).all(LOCK_REPLIES.holder);
  return lines.join(' ').trim() || 'holder unknown';
}

/** The `rolled=<service> <order> [<overlap>|first]` replies of a start by a rollout plan. */
function rolloutsOf(rolled: readonly string[]): ServiceRollout[] {
  return rolled.flatMap((line) => {
    const [service = '', order = '', overlap = ''] = line.split(' ');
    if (order !== 'start-first' && order !== 'recreate') return [];
    const seconds = /^\d+$/.test(overlap) ? Number(overlap) : null;
    return [{ service, order, overlapSeconds: order === 'start-first' ? seconds : null }];
  });
}
