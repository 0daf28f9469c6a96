/**
 * `mode: swarm` through the deploy sequence, against the in-memory host: which commands run,
 * what travels, when a rollback happens, and how the managers take turns.
 */
import { jest } from '@jest/globals';
import { captureStdout } from '../support/capture.js';
import { deployHost, type DeployDependencies } from '../../src/deploy/deploy-host.js';
import { deployThroughManagers } from '../../src/deploy/failover.js';
import { streamingLog } from '../../src/deploy/host-log.js';
import { EXIT } from '../../src/host-scripts/protocol.js';
import { getInputs } from '../../src/inputs/index.js';
import { SshConnectError } from '../../src/remote/retry.js';
import type { HostResult } from '../../src/types/report.js';
import type { Inputs } from '../../src/types/settings.js';
import { FakeHost } from '../support/fake-host.js';
import { makeWorkspace, reader } from '../support/inputs.js';
import { makeKey } from '../support/keys.js';
import { DETECT_REPLIES } from '../../src/host-scripts/prepare.js';
import { KEEP_REPLIES } from '../../src/host-scripts/release.js';
import { CONVERGE_REPLIES } from '../../src/host-scripts/swarm-converge.js';
import { SWARM_REPLIES } from '../../src/host-scripts/swarm-stack.js';

const key = makeKey('ed25519');
let stdout: string;

beforeEach(() => {
  stdout = '';
  captureStdout((text) => (stdout += text));
});
afterEach(() => jest.restoreAllMocks());

const STACK_COMPOSE = `services:
  web:
    image: registry.example.com/app:\${APP_TAG}
    env_file: .env
    ports:
      - { target: 8080, published: 8080, mode: host }
  worker:
    image: registry.example.com/app:\${APP_TAG}
`;

const BASE = {
  host: 'manager',
  'ssh-private-key': key.privateKey,
  'host-fingerprint': key.fingerprint,
  registry: 'registry.example.com',
  'registry-username': 'robot',
  'registry-password': 'pa55-w0rd',
  env: 'APP_TAG=v2\nSECRET_KEY=s3cr3t value',
  mode: 'swarm',
  stack: 'shop',
};

function inputs(values: Record<string, string> = {}): Promise<Inputs> {
  return getInputs(
    reader({ ...BASE, ...values }),
    makeWorkspace({ 'docker-compose.yml': STACK_COMPOSE }),
  );
}

const LOCKED = { stdout: `${DETECT_REPLIES.user}=deploy\n${SWARM_REPLIES.swarm}=active true\n` };
const WAIT = 'Waiting for the droplet';
const PULL = 'Uploading the release, logging in to registry.example.com, pulling images';
const START = 'Deploying the stack';
const ROLLBACK = 'Rolling back';
const REPORT = [
  `${CONVERGE_REPLIES.replicas}=shop_web 2/2`,
  `${CONVERGE_REPLIES.replicas}=shop_worker 1/1`,
  `${CONVERGE_REPLIES.image}=shop_web registry.example.com/app:v2@sha256:aaa`,
  `${CONVERGE_REPLIES.image}=shop_worker registry.example.com/app:v2@sha256:aaa`,
  `${CONVERGE_REPLIES.task}=shop_web.1 node2`,
  `${CONVERGE_REPLIES.task}=shop_web.2 node3`,
  `${CONVERGE_REPLIES.task}=shop_worker.1 node2`,
].join('\n');

function deps(host: FakeHost): DeployDependencies {
  return {
    connect: async () => host,
    log: streamingLog('manager'),
    identity: { runId: 'run-7-abc123', actor: 'octocat', commit: 'c0ffee', runUrl: 'https://x/7' },
  };
}

const commandOf = (host: FakeHost, label: string) =>
  host.commands.find((command) => command.label === label)?.text ?? '';

describe('mode: swarm', () => {
  it('checks the manager, uploads the rendered stack file 0600, pulls, deploys and waits', async () => {
    const host = new FakeHost()
      .answer(WAIT, LOCKED)
      .answer(PULL, { stdout: `${KEEP_REPLIES.previous}=yes\n` })
      .answer(START, { stdout: REPORT });
    const result = await deployHost('manager', await inputs(), deps(host));
    expect(result).toMatchObject({ status: 'success', rolledBack: false });
    expect(host.labels()).toEqual([WAIT, PULL, START]);
    expect(commandOf(host, WAIT)).toContain('monarch_detect_swarm');
    expect(commandOf(host, PULL)).toContain('docker pull --quiet');
    expect(commandOf(host, START)).toContain('docker stack deploy --with-registry-auth');
    expect(commandOf(host, START)).toContain('monarch_wait_for_stack shop_web shop_worker');
    const staging = [...host.dirs][0];
    const stackFile = host.files.get(`${staging}/.monarch-stack.yml`);
    expect(stackFile?.mode).toBe(0o600);
    expect(stackFile?.content).toContain('"s3cr3t value"');
    // No value of env, and no registry password, in any command line.
    for (const command of host.commands) {
      expect(command.text).not.toContain('s3cr3t');
      expect(command.text).not.toContain('pa55-w0rd');
    }
    expect(result.stack).toEqual({
      name: 'shop',
      services: [
        {
          name: 'shop_web',
          running: 2,
          desired: 2,
          image: 'registry.example.com/app:v2',
          digest: 'sha256:aaa',
          nodes: ['node2', 'node3'],
        },
        {
          name: 'shop_worker',
          running: 1,
          desired: 1,
          image: 'registry.example.com/app:v2',
          digest: 'sha256:aaa',
          nodes: ['node2'],
        },
      ],
    });
  });

  it('rolls back the changed services when the update fails, naming them', async () => {
    const host = new FakeHost()
      .answer(WAIT, LOCKED)
      .answer(PULL, { stdout: `${KEEP_REPLIES.previous}=yes\n` })
      .answer(START, {
        code: EXIT.unhealthy,
        stderr: 'shop_web: Swarm paused its update: update paused due to failure of task x\n',
      })
      .answer(ROLLBACK, { stdout: `${CONVERGE_REPLIES.rolledBack}=shop_web\n${REPORT}` });
    const result = await deployHost('manager', await inputs(), deps(host));
    expect(result).toMatchObject({ status: 'failure', rolledBack: true });
    expect(result.error).toContain('the update of the stack shop failed: shop_web: Swarm paused');
    expect(result.rolledBackServices).toEqual(['shop_web']);
    expect(commandOf(host, ROLLBACK)).toContain('docker service rollback');
    expect(stdout).toContain('rolled back to their previous spec: shop_web');
  });

  it('a first deploy of the stack says there is nothing to roll back to', async () => {
    const host = new FakeHost().answer(WAIT, LOCKED).answer(START, {
      code: EXIT.healthTimeout,
      stderr: 'shop_web: 0/2 tasks of its current spec running\n',
    });
    const result = await deployHost('manager', await inputs(), deps(host));
    expect(result).toMatchObject({ status: 'failure', rolledBack: false });
    expect(result.error).toContain("the stack shop did not converge within 'health-timeout'");
    expect(stdout).toContain('first deploy of the stack shop: there is no previous release');
    expect(host.labels()).not.toContain(ROLLBACK);
  });

  it('a host that is no manager is said so, and marked untouched', async () => {
    const host = new FakeHost().answer(`${WAIT}: result`, {
      code: EXIT.notManager,
      stdout: `${DETECT_REPLIES.user}=deploy\n${SWARM_REPLIES.swarm}=active false\n`,
    });
    host.answer(WAIT, {
      code: EXIT.notManager,
      stdout: `${DETECT_REPLIES.user}=deploy\n${SWARM_REPLIES.swarm}=active false\n`,
    });
    const result = await deployHost('manager', await inputs(), deps(host));
    expect(result).toMatchObject({ status: 'failure', untouched: true });
    expect(result.error).toContain('is a worker of its swarm, not a manager');
  });
});

describe('a manager that cannot be reached', () => {
  it('is untouched, its connection attempts cut to the budget a failover gives', async () => {
    let deadline = 0;
    const result = await deployHost('manager', await inputs(), {
      ...deps(new FakeHost()),
      connect: async (_host, retry) => {
        deadline = retry.deadline;
        throw new SshConnectError('manager: connection refused');
      },
      connectBudgetMs: 30_000,
    });
    expect(result).toMatchObject({ status: 'failure', untouched: true });
    expect(deadline - Date.now()).toBeLessThanOrEqual(30_000);
  });
});

describe('deployThroughManagers', () => {
  const result = (host: string, over: Partial<HostResult>): HostResult => ({
    host,
    status: 'success',
    rolledBack: false,
    images: [],
    history: [],
    durationMs: 1,
    ...over,
  });

  it('passes over a manager that did not take the deploy, and reports the one that did', async () => {
    const warnings: string[] = [];
    const tried: [string, boolean][] = [];
    const results = await deployThroughManagers(
      ['m1', 'm2', 'm3'],
      async (host, last) => {
        tried.push([host, last]);
        return host === 'm1'
          ? result(host, { status: 'failure', untouched: true, error: 'unreachable' })
          : result(host, {});
      },
      (message) => warnings.push(message),
    );
    expect(tried).toEqual([
      ['m1', false],
      ['m2', false],
    ]);
    expect(results.map((r) => r.host)).toEqual(['m2']);
    expect(warnings).toEqual(['manager m1 did not take the deploy (unreachable); trying m2']);
  });

  it('stops at a failure after the deploy began (the next manager would deploy the same stack)', async () => {
    const results = await deployThroughManagers(
      ['m1', 'm2'],
      async (host) => result(host, { status: 'failure', error: 'update paused' }),
      () => {},
    );
    expect(results.map((r) => [r.host, r.status])).toEqual([['m1', 'failure']]);
  });

  it('reports every manager when none took it', async () => {
    const results = await deployThroughManagers(
      ['m1', 'm2'],
      async (host, last) =>
        result(host, { status: 'failure', untouched: true, error: last ? 'last' : 'first' }),
      () => {},
    );
    expect(results.map((r) => r.error)).toEqual(['first', 'last']);
  });
});

describe('mode and stack inputs', () => {
  it.each([
    [
      { mode: 'cluster' },
      "Invalid input 'mode': expected one of 'compose', 'swarm', got 'cluster'",
    ],
    [
      { mode: 'compose', stack: 'shop' },
      "Invalid input 'stack': expected nothing unless 'mode' is 'swarm'",
    ],
    [{ stack: 'bad name' }, "Invalid input 'stack': expected a stack name"],
    [{ strategy: 'rolling' }, "Invalid input 'strategy': expected nothing with mode 'swarm'"],
    [{ 'max-parallel': '2' }, "Invalid input 'max-parallel': expected nothing with mode 'swarm'"],
  ])('%j is refused', async (values, message) => {
    await expect(inputs(values)).rejects.toThrow(message);
  });

  it('the stack is named after app-dir by default', async () => {
    const settings = await inputs({ stack: '', 'app-dir': '/srv/My.Shop' });
    expect(settings.stack?.name).toBe('MyShop');
    expect(settings.stack?.services.map((s) => s.name)).toEqual(['web', 'worker']);
  });

  it('a template error in the compose file fails before any host is contacted', async () => {
    await expect(inputs({ env: 'SECRET_KEY=x' })).resolves.toBeDefined();
    const bad = getInputs(
      reader({ ...BASE }),
      makeWorkspace({
        'docker-compose.yml': 'services:\n  web:\n    image: app:${TAG:?set TAG}\n',
      }),
    );
    await expect(bad).rejects.toThrow(
      /^Invalid input 'compose-file': expected a stack file Swarm can deploy: services\.web\.image/,
    );
  });
});
