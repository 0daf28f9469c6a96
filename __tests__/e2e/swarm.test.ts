/**
 * `mode: swarm` against a real three-node Swarm of the lab's droplets (droplet 1 the manager,
 * 2 and 3 workers, each its own dockerd), the lab's private registry, and the bundle run as the
 * runner runs it. This kernel has no IPVS (no ingress mesh): the web service publishes its port
 * in host mode, answered on each worker.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { runAction } from './runner.js';
import { SlackStub } from './slack-stub.js';
import { BATTERY, BATTERY_EXPECTED, deployInputs } from './fixtures.js';
import { randomValues } from '../support/random-values.js';
import {
  containerEnv,
  dockerOn,
  droplet,
  loggedCommands,
  readyDroplets,
  servedVersion,
  type Lab,
} from './lab.js';

let lab: Lab;
let slack: SlackStub;

const STACK = `services:
  web:
    image: \${IMAGE}:\${APP_TAG}
    env_file: .env
    ports:
      - target: 8080
        published: 8080
        mode: host
    # The lab image's httpd ignores TERM: without this each old task takes 10 s to stop.
    stop_grace_period: 1s
    deploy:
      replicas: 2
      placement:
        constraints: [node.role == worker]
  worker:
    image: \${IMAGE}:\${APP_TAG}
    stop_grace_period: 1s
    deploy:
      replicas: 1
`;

/** The stack with `change` applied to its text (another port mode, update order...). */
const variant = (change: (text: string) => string) => change(STACK);

function labScript(name: string, args: string[]): void {
  const run = spawnSync('bash', [path.join(lab.scriptsDir, name), ...args], {
    env: { ...process.env, LAB_ROOT: lab.root },
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (run.status !== 0) throw new Error(`${name} ${args.join(' ')}: ${run.stderr}`);
}

/** Polls `check` every 250 ms for up to `seconds`. */
async function eventually(check: () => boolean, seconds: number): Promise<void> {
  const until = Date.now() + seconds * 1000;
  while (!check()) {
    if (Date.now() > until) throw new Error(`not true within ${seconds} s: ${String(check)}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

function swarm(action: 'init' | 'leave'): void {
  const run = spawnSync('bash', [path.join(lab.scriptsDir, 'swarm.sh'), action], {
    env: { ...process.env, LAB_ROOT: lab.root },
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (run.status !== 0 && action === 'init') throw new Error(`swarm.sh init: ${run.stderr}`);
}

beforeAll(async () => {
  lab = readyDroplets(1, 2, 3);
  swarm('leave');
  swarm('init');
  slack = await new SlackStub().start();
}, 180_000);

afterAll(async () => {
  await slack?.stop();
  if (!lab) return;
  labScript('dockerd-ctl.sh', ['3', 'start']);
  spawnSync('docker', ['-H', `unix://${droplet(lab, 1).dockerSock}`, 'stack', 'rm', 'monarch']);
  swarm('leave');
  readyDroplets(1, 2, 3);
}, 180_000);

/** Random values of every kind of character, as NAME<<EOF heredocs (env.test.ts does the same). */
const RANDOM = randomValues(100, 7, 16);
const RANDOM_ENV = RANDOM.map((value, i) => `R${i}<<MONARCH_EOF\n${value}\nMONARCH_EOF`).join('\n');

const deploy = (tag: string, over: Record<string, string> = {}, stack = STACK) =>
  runAction({
    inputs: deployInputs(lab, 1, tag, {
      mode: 'swarm',
      'slack-webhook-url': slack.url,
      'health-timeout': '90',
      env: `IMAGE=${lab.image}\nAPP_TAG=${tag}\nSECRET_KEY=s3cr3t-value-42\n${BATTERY}\n${RANDOM_ENV}`,
      ...over,
    }),
    workspaceFiles: { 'docker-compose.yml': stack },
  });

const manager = (args: string[]) => dockerOn(lab, 1, args).trim();
const serviceImage = (name: string) =>
  manager(['service', 'inspect', '--format', '{{.Spec.TaskTemplate.ContainerSpec.Image}}', name]);
/** What the stack's services, networks and app-dir are now: a dry run must change none. */
function swarmState(): string {
  const names = manager(['service', 'ls', '-q']).split('\n').filter(Boolean);
  const specs = names.length
    ? manager(['service', 'inspect', '--format', '{{json .Spec}} {{.Version.Index}}', ...names])
    : '';
  const appDir = path.join(droplet(lab, 1).opt, 'monarch');
  const files = existsSync(appDir)
    ? spawnSync('ls', ['-laR', appDir], { encoding: 'utf8' }).stdout
    : '';
  // docker_gwbridge is Swarm's own, made when the swarm first needs it.
  const networks = manager(['network', 'ls', '--format', '{{.ID}} {{.Name}}'])
    .split('\n')
    .filter((line) => !line.endsWith(' docker_gwbridge'));
  return [specs, ...networks, files].join('\n');
}
/** What workers 2 and 3 serve on the web service's host-mode port. */
const served = () => [servedVersion(lab, 2), servedVersion(lab, 3)];

/** Samples what the workers serve every 200 ms while `body` runs. */
async function whileServing<T>(
  body: () => Promise<T>,
): Promise<{ result: T; samples: (string | null)[][] }> {
  const samples: (string | null)[][] = [];
  let running = true;
  const sampler = (async () => {
    while (running) {
      samples.push(served());
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  })();
  const result = await body();
  running = false;
  await sampler;
  return { result, samples };
}

describe('mode: swarm on a three-node swarm', () => {
  it('a dry run on a swarm without the stack changes nothing and says what a deploy would create', async () => {
    const before = swarmState();
    const run = await deploy('v1', { 'dry-run': 'true' });
    expect(run.main.errors).toEqual([]);
    expect(run.main.exitCode).toBe(0);
    expect(run.main.stdout).toContain(
      'services a deploy would create: monarch_web, monarch_worker',
    );
    expect(swarmState()).toBe(before);
  });

  it('deploys v1: web on both workers, pulled there without a login of their own, env byte for byte', async () => {
    const run = await deploy('v1');
    expect(run.main.errors).toEqual([]);
    expect(run.main.exitCode).toBe(0);
    expect(served()).toEqual(['v1', 'v1']);
    // The workers have no registry login: the credentials came with the deploy.
    const pinned = serviceImage('monarch_web');
    expect(pinned).toMatch(/:v1@sha256:[0-9a-f]{64}$/);
    const digest = pinned.split('@')[1];
    for (const i of [2, 3]) {
      expect(existsSync(path.join(droplet(lab, i).dockerConfig, 'config.json'))).toBe(false);
      expect(
        dockerOn(lab, i, ['images', '--digests', '--format', '{{.Repository}}@{{.Digest}}']),
      ).toContain(`${lab.image}@${digest}`);
    }
    // The login is gone from the manager too.
    expect(existsSync(path.join(droplet(lab, 1).dockerConfig, 'config.json'))).toBe(false);
    // What the task's process gets, as compose mode gives it (the battery of env.test.ts).
    const task = dockerOn(lab, 2, [
      'ps',
      '-q',
      '--no-trunc',
      '--filter',
      'label=com.docker.swarm.service.name=monarch_web',
    ]).trim();
    const env = containerEnv(lab, 2, task);
    for (const [key, value] of Object.entries(BATTERY_EXPECTED))
      expect({ key, value: env[key] }).toEqual({ key, value });
    RANDOM.forEach((value, i) => expect({ i, value: env[`R${i}`] }).toEqual({ i, value }));
    expect(env.SECRET_KEY).toBe('s3cr3t-value-42');
    // The summary has the stack per service; Slack the stack and its service count.
    expect(run.main.summary).toContain('Stack monarch');
    expect(run.main.summary).toMatch(/monarch_web<\/td><td>2\/2<\/td>/);
    expect(slack.lastMessageText()).toContain('monarch · 2 services, 3/3 tasks running');
    // No secret in any command line the manager's sshd saw.
    const commands = loggedCommands(lab, 1)
      .map((c) => c.command ?? '')
      .join('\n');
    for (const secret of [
      lab.registryPassword,
      's3cr3t-value-42',
      's3cr$t',
      'MIIBszCCAVmgAwIBAgIUX',
    ])
      expect(commands).not.toContain(secret);
    // The stack file holds the values: 0600, the SSH user's.
    const file = path.join(droplet(lab, 1).opt, 'monarch/.monarch-stack.yml');
    expect((await import('node:fs')).statSync(file).mode & 0o777).toBe(0o600);
  });

  it('a dry run of v2 over v1 changes nothing (services, networks, files)', async () => {
    const before = swarmState();
    const run = await deploy('v2', { 'dry-run': 'true' });
    expect(run.main.exitCode).toBe(0);
    expect(run.main.stdout).toContain(
      'services a deploy would update: monarch_web, monarch_worker',
    );
    expect(swarmState()).toBe(before);
  });

  it('v2 rolls out with web answering throughout on at least one worker', async () => {
    const { result: run, samples } = await whileServing(() => deploy('v2'));
    expect(run.main.errors).toEqual([]);
    expect(run.main.exitCode).toBe(0);
    expect(served()).toEqual(['v2', 'v2']);
    expect(samples.filter((pair) => pair.every((v) => v === null))).toEqual([]);
    expect(serviceImage('monarch_web')).toMatch(/:v2@sha256:/);
  });

  it('an unchanged redeploy converges at once and restarts nothing', async () => {
    const tasks = manager(['service', 'ps', '-q', 'monarch_web']);
    const run = await deploy('v2');
    expect(run.main.exitCode).toBe(0);
    expect(manager(['service', 'ps', '-q', 'monarch_web'])).toBe(tasks);
  });

  it("the stack's swarm-wide lock: a deploy leaves none behind, and waits for another run's", async () => {
    expect(manager(['config', 'ls', '--format', '{{.Name}}'])).not.toContain('monarch-lock-');
    // Another run, through another manager, holds the lock (as its `docker config create` left it).
    const since = String(Math.floor(Date.now() / 1000));
    spawnSync(
      'docker',
      [
        '-H',
        `unix://${droplet(lab, 1).dockerSock}`,
        'config',
        'create',
        '--label',
        `monarch.since=${since}`,
        'monarch-lock-monarch',
        '-',
      ],
      { input: 'octocat (https://example.com/runs/1) since 2026-12-03T10:00:00Z' },
    );
    try {
      const run = await deploy('v2', { 'lock-timeout': '3' });
      expect(run.main.exitCode).toBe(1);
      expect(run.main.errors.join('\n')).toContain(
        "another deploy holds the swarm's lock of the stack monarch (octocat (https://example.com/runs/1) since 2026-12-03T10:00:00Z); gave up after 'lock-timeout' (3 s)",
      );
      // Its own lease taken nowhere: the other run's is still there, untouched.
      expect(manager(['config', 'ls', '--format', '{{.Name}}'])).toContain('monarch-lock-monarch');
    } finally {
      manager(['config', 'rm', 'monarch-lock-monarch']);
    }
  });

  it("a run killed while it holds the stack's lock leaves it to the next run", async () => {
    const killed = await runAction({
      inputs: deployInputs(lab, 1, 'v2', {
        mode: 'swarm',
        env: `IMAGE=${lab.image}\nAPP_TAG=v2\nSECRET_KEY=s3cr3t-value-42\n${BATTERY}\n${RANDOM_ENV}`,
      }),
      workspaceFiles: { 'docker-compose.yml': STACK },
      killMainOn: /locked for this deploy/,
    });
    expect(killed.main.exitCode).not.toBe(0);
    // Its connection gone, the lock command ends on the manager and gives the lock back.
    await eventually(
      () => !manager(['config', 'ls', '--format', '{{.Name}}']).includes('monarch-lock-'),
      30,
    );
    const run = await deploy('v2');
    expect(run.main.exitCode).toBe(0);
  });

  it('v3, whose health check fails, is rolled back; v2 keeps serving; the error names the service', async () => {
    const { result: run, samples } = await whileServing(() => deploy('unhealthy'));
    expect(run.main.exitCode).toBe(1);
    expect(run.main.outputs['rolled-back']).toBe('true');
    const error = run.main.errors.join('\n');
    expect(error).toMatch(
      /the update of the stack monarch failed: monarch_(web|worker): Swarm paused its update/,
    );
    expect(error).toContain('dockerexec: unhealthy container');
    expect(run.main.stdout).toMatch(/rolled back to their previous spec: .*monarch_web/);
    expect(served()).toEqual(['v2', 'v2']);
    expect(serviceImage('monarch_web')).toMatch(/:v2@sha256:/);
    expect(samples.filter((pair) => !pair.includes('v2'))).toEqual([]);
    expect(slack.lastMessageText()).toContain('rolled back');
  });

  it('a manager list that starts with a worker: it is passed over, the next manager deploys', async () => {
    const run = await deploy('v2', {
      host: `${droplet(lab, 2).host}, ${droplet(lab, 1).host}`,
      'host-fingerprint': '',
      'known-hosts': readFileSync(lab.knownHosts, 'utf8'),
    });
    expect(run.main.errors).toEqual([]);
    expect(run.main.exitCode).toBe(0);
    expect(run.main.warnings).toContainEqual(
      expect.stringContaining(
        `manager ${droplet(lab, 2).host} did not take the deploy (${droplet(lab, 2).host} is a worker of its swarm, not a manager`,
      ),
    );
    expect(served()).toEqual(['v2', 'v2']);
  });

  it('a start-first update of a host-mode port no node can take fails within seconds, saying why', async () => {
    const startFirst = variant((text) =>
      text.replace(
        '      replicas: 2\n',
        '      replicas: 2\n      update_config: { order: start-first }\n',
      ),
    );
    const started = Date.now();
    const run = await deploy('v1', { 'health-timeout': '120' }, startFirst);
    expect(run.main.exitCode).toBe(1);
    expect(Date.now() - started).toBeLessThan(60_000);
    expect(run.main.errors.join('\n')).toContain(
      'monarch_web: no node can take its new task: the old task holds its host-mode port, and a start-first update needs a node where it is free',
    );
    expect(run.main.outputs['rolled-back']).toBe('true');
    expect(served()).toEqual(['v2', 'v2']);
  });

  it('a worker whose dockerd stopped: the deploy converges on the remaining nodes', async () => {
    labScript('dockerd-ctl.sh', ['3', 'stop']);
    await eventually(
      () =>
        manager(['node', 'ls', '--format', '{{.Hostname}} {{.Status}}']).includes('droplet3 Down'),
      60,
    );
    // Without the host-mode port, both replicas may run on the one worker left.
    const noPort = variant((text) => text.replace(/ {4}ports:\n( {6}.*\n)+/, ''));
    const run = await deploy('v1', {}, noPort);
    expect(run.main.errors).toEqual([]);
    expect(run.main.exitCode).toBe(0);
    expect(run.main.summary).toMatch(/monarch_web<\/td><td>2\/2<\/td><td>droplet2<\/td>/);
  });
});
