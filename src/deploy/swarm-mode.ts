/**
 * Swarm mode: the compose file, rendered on the runner into a stack file, is deployed once
 * with `docker stack deploy` through the first manager of `host` that takes it.
 */
import { STACK_FILE, STACK_IMAGES } from '../host-scripts/layout.js';
import type { ReleaseTarget } from '../host-scripts/programs.js';
import { DRY_RUN_REPLIES } from '../host-scripts/dry-run.js';
import { EXIT, readReplies } from '../host-scripts/protocol.js';
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
import { CONVERGE_REPLIES } from '../host-scripts/swarm-converge.js';
import { LEASE_REPLIES } from '../host-scripts/swarm-lease.js';
import { STACK_REPLIES } from '../host-scripts/swarm-stack.js';
import { firstLines } from '../remote-text.js';
import type { TarEntry } from '../remote/tar.js';
import type { Inputs, StackPlan } from '../types/settings.js';
import { holders } from './compose-mode.js';
import { stackRollbackWaitMs, staleLeaseSeconds, stepLimits } from './deadlines.js';
import { deployThroughManagers, FAILOVER_CONNECT_MS } from './failover.js';
import type { DeployMode, DeployPrograms } from './mode.js';
import { DeployStepError } from './session.js';
import { logStackOutcome, stackImages, stackServicesOf } from './stack-report.js';

/** Swarm mode for `inputs`, whose `stack` is `plan`. */
export function swarmMode(inputs: Inputs, plan: StackPlan): DeployMode {
  const name = plan.name;
  const limits = stepLimits(inputs, stackRollbackWaitMs(inputs));
  const staleSeconds = staleLeaseSeconds(inputs, limits);
  return {
    programs: (target, token) => stackPrograms(inputs, plan, target, { token, staleSeconds }),
    releaseEntries: stackEntries(plan),
    words: {
      tool: () => `swarm manager, stack ${name}`,
      startTitle: `Deploying the stack ${name}, waiting until it converged`,
      startLabel: 'Deploying the stack',
      firstDeploy: `first deploy of the stack ${name}: there is no previous release to roll back to`,
      noDocker: (host, user) =>
        `${host} has no docker on the PATH of '${user}' (or its daemon does not answer)`,
      upFailed: `docker stack deploy of ${name}`,
      healthTimeout: (timeout, output) =>
        `the stack ${name} did not converge within ${timeout}: ${firstLines(output || `exit code ${EXIT.healthTimeout}`, 12)}`,
      unhealthy: (detail) => `the update of the stack ${name} failed: ${firstLines(detail, 12)}`,
    },
    locks: 2,
    // A stack's rollback also waits for the services it put back.
    limits,
    rollbackError: (_code, stderr) =>
      new DeployStepError(`the services put back did not converge: ${firstLines(stderr, 12)}`),
    lockedError: (host, stdout, gaveUpAfter) =>
      readReplies(stdout, LEASE_REPLIES).get(LEASE_REPLIES.lease) === 'swarm'
        ? `another deploy holds the swarm's lock of the stack ${name} (${holders(stdout)}); gave up after ${gaveUpAfter}`
        : `another deploy holds the lock on ${host} (${holders(stdout)}); gave up after ${gaveUpAfter}`,
    report: (stdout) => stackReport(name, stdout),
    logOutcome: logStackOutcome,
    dryRunPlan: (stdout) => ({ stack: stackPlan(plan, stdout) }),
    dryRunLines: (report) => {
      const { create = [], update = [], remove = [] } = report.stack ?? {};
      return [
        `the stack file of ${name} was rendered on the runner with the values of 'env'`,
        `services a deploy would create: ${create.join(', ') || 'none'}`,
        `services a deploy would update: ${update.join(', ') || 'none'}`,
        `services a deploy would remove (once it converged): ${remove.join(', ') || 'none'}`,
      ];
    },
    deployHosts: (hosts, deployOne, warn) =>
      deployThroughManagers(
        hosts,
        (host, last) =>
          deployOne(host, {
            buffered: false,
            ...(last ? {} : { connectBudgetMs: FAILOVER_CONNECT_MS, failover: true }),
          }),
        warn,
      ),
  };
}

function stackPrograms(
  inputs: Inputs,
  plan: StackPlan,
  target: ReleaseTarget,
  lease: { readonly token: string; readonly staleSeconds: number },
): DeployPrograms {
  const server = inputs.registry?.server ?? null;
  const stack = stackTarget(plan, server ? { server, keep: !inputs.registryLogout } : null);
  const { layout } = target;
  const rollbackSeconds = Math.ceil(stackRollbackWaitMs(inputs) / 1000);
  return {
    lock: (wait, seconds, holder) =>
      stackLockProgram(layout, wait, {
        stack: stack.name,
        waitSeconds: seconds,
        staleSeconds: lease.staleSeconds,
        holder,
        token: lease.token,
      }),
    pull: (entries) => stackPullProgram(target, stack, entries),
    start: (options) => stackStartProgram(target, stack, options),
    rollback: (record) => stackRollbackProgram(target, stack, rollbackSeconds, record),
    recordFailure: (record) => stackRecordFailureProgram(target, stack, record),
    dryRun: (wait) => stackDryRunProgram(layout, wait, stack.name, server),
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

/** The stack file and its images' list (both may hold `env` values: mode 0600). */
function stackEntries(stack: StackPlan): TarEntry[] {
  const images = [...new Set(stack.services.map((service) => service.image))];
  return [
    { name: STACK_FILE, mode: 0o600, content: stack.file },
    { name: STACK_IMAGES, mode: 0o600, content: Buffer.from(`${images.join('\n')}\n`) },
  ];
}

/** The stack's services (`stackServicesOf`) and what the deploy or rollback did to them. */
function stackReport(name: string, stdout: string) {
  const services = stackServicesOf(stdout);
  const replies = readReplies(stdout, CONVERGE_REPLIES, STACK_REPLIES);
  return {
    images: stackImages(services),
    stack: { name, services },
    rolledBackServices: replies.all(CONVERGE_REPLIES.rolledBack),
    stackChanges: {
      created: replies.all(STACK_REPLIES.created),
      updated: replies.all(STACK_REPLIES.updated),
      removed: replies.all(STACK_REPLIES.prunedService),
    },
  };
}

/** Which services a deploy of `stack` would create, update and remove. */
function stackPlan(stack: StackPlan, stdout: string) {
  const running = readReplies(stdout, DRY_RUN_REPLIES).all(DRY_RUN_REPLIES.stackService);
  const wanted = stack.services.map((service) => `${stack.name}_${service.name}`);
  return {
    create: wanted.filter((name) => !running.includes(name)),
    update: wanted.filter((name) => running.includes(name)),
    remove: running.filter((name) => !wanted.includes(name)),
  };
}
