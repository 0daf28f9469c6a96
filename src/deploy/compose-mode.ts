/**
 * Compose mode: on each host, `docker compose` pulls and starts the release in app-dir; the
 * hosts go as `strategy` and `max-parallel` say.
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
import { firstLines } from '../remote-text.js';
import type { Inputs } from '../types/settings.js';
import { concurrency, deployFleet } from './fleet.js';
import type { DeployMode } from './mode.js';

/** Compose mode for `inputs`. */
export function composeMode(inputs: Inputs): DeployMode {
  const server = inputs.registry?.server ?? null;
  const login = server ? { server, keep: !inputs.registryLogout } : null;
  return {
    programs: (target: ReleaseTarget) => ({
      lock: (wait, seconds, holder) => lockProgram(target.layout, wait, seconds, holder),
      pull: (entries) => pullProgram(target, entries, login),
      start: (options) => startProgram(target, options),
      rollback: (record) => rollbackProgram(target, record),
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
      healthTimeout: (timeout) => `the containers were not healthy within ${timeout}`,
      unhealthy: (detail) => `health check failed: ${firstLines(detail, 40)}`,
    },
    locks: 1,
    rollbackExtraMs: 0,
    rollbackError: () => undefined,
    lockedError: (host, replies, gaveUpAfter) =>
      `another deploy holds the lock on ${host} (${holders(replies.all('holder'))}); gave up after ${gaveUpAfter}`,
    report: () => ({}),
    logOutcome: () => {},
    dryRunPlan: () => ({}),
    dryRunLines: () => ["the compose file passes the host's compose config check"],
    deployHosts: (hosts, deployOne) => {
      const buffered = concurrency(inputs, hosts.length) > 1;
      return deployFleet(hosts, inputs, (host) => deployOne(host, { buffered }));
    },
  };
}

/** Who holds a lock, from its `holder=` replies. */
export function holders(lines: readonly string[]): string {
  return lines.join(' ').trim() || 'holder unknown';
}
