/**
 * Redeploys nobody notices: a real Caddy in front of an app that takes ~2 s to listen, sampled
 * through it at 25 requests a second from the test process while the action runs. A
 * start-first service (`deploy.update_config.order: start-first`) loses no request; today's
 * recreate, on the same app and proxy, does (measured first: the sampling can see a gap).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { deployInputs } from './fixtures.js';
import { dockerOn, droplet, loggedCommands, readyDroplets, type Lab } from './lab.js';
import {
  ask,
  proxiedCompose,
  proxiedWorkspace,
  proxyUrl,
  sampleWhile,
  type Sampled,
} from './proxy.js';
import { runAction, type ActionRun } from './runner.js';

let lab: Lab;

beforeAll(() => {
  lab = readyDroplets(1, 2);
});

const deploy = (i: number, tag: string, compose: string, over: Record<string, string> = {}) =>
  runAction({
    inputs: deployInputs(lab, i, tag, { files: 'Caddyfile', ...over }),
    workspaceFiles: proxiedWorkspace(compose),
  });

const sampled = (i: number, run: () => Promise<ActionRun>): Promise<Sampled<ActionRun>> =>
  sampleWhile(proxyUrl(lab, i), run);

/** The containers of compose service `service` on droplet `i` (all states), by label. */
function containersOf(i: number, service: string): string[] {
  return dockerOn(lab, i, [
    'ps',
    '-aq',
    '--no-trunc',
    '--filter',
    `label=com.docker.compose.service=${service}`,
  ])
    .split('\n')
    .filter(Boolean);
}

const imageOf = (i: number, id: string) =>
  dockerOn(lab, i, ['inspect', '-f', '{{.Config.Image}}', id]).trim();

interface DockerEvent {
  readonly status: string;
  readonly id: string;
  readonly timeNano: number;
}

/** Container events on droplet `i` between two times (seconds since the epoch). */
function events(i: number, since: number, until: number): DockerEvent[] {
  return dockerOn(lab, i, [
    'events',
    '--since',
    String(since),
    '--until',
    String(until),
    '--filter',
    'type=container',
    '--format',
    '{{json .}}',
  ])
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as DockerEvent);
}

/** Throws with the run's errors and log tail unless it exited `code`. */
function expectExit(run: ActionRun, code: number): void {
  if (run.main.exitCode !== code)
    throw new Error(
      `exit ${run.main.exitCode}, expected ${code}: ${run.main.errors.join('\n')}\n${run.main.stdout.slice(-4000)}`,
    );
}

const describeFailures = (run: Sampled<ActionRun>) =>
  `${run.failed} of ${run.samples.length} failed (longest gap ${run.longestGapMs} ms): ${JSON.stringify(
    run.samples.filter((s) => s.version === null).slice(0, 3),
  )}\n${run.result.main.stdout.slice(-3000)}`;

describe('start-first on droplet 1 (docker compose)', () => {
  const startFirst = () => proxiedCompose(lab, { startFirst: true });

  it('deploys v1 behind the proxy', async () => {
    const run = await deploy(1, 'slow-v1', startFirst());
    expectExit(run, 0);
    expect(run.main.stdout).toContain('app: start-first (first start');
    expect(run.main.stdout).toContain('proxy: up -d (recreated if it changed)');
    expect(await ask(proxyUrl(lab, 1))).toBe('slow-v1');
  });

  it('v1 -> v2: no request fails, the new container is healthy before the old one is stopped', async () => {
    const [oldApp] = containersOf(1, 'app');
    const [proxy] = containersOf(1, 'proxy');
    const since = Math.floor(Date.now() / 1000);
    const run = await sampled(1, () => deploy(1, 'slow-v2', startFirst()));
    const until = Math.ceil(Date.now() / 1000) + 1;
    expectExit(run.result, 0);
    console.log(
      `start-first: ${run.failed} of ${run.samples.length} failed, longest gap ${run.longestGapMs} ms`,
    );
    expect(run.samples.length).toBeGreaterThan(40);
    expect(run.failed).toBe(0);
    expect(await ask(proxyUrl(lab, 1))).toBe('slow-v2');
    const apps = containersOf(1, 'app');
    expect(apps).toHaveLength(1);
    expect(imageOf(1, apps[0])).toBe(`${lab.image}:slow-v2`);
    expect(containersOf(1, 'proxy')).toEqual([proxy]);
    expect(run.result.main.stdout).toMatch(
      /app: start-first: old and new ran side by side for \d+ s/,
    );
    expect(run.result.main.summary).toContain('start-first');

    const seen = events(1, since, until);
    const healthy = seen.find((e) => e.id === apps[0] && e.status === 'health_status: healthy');
    const killed = seen.find((e) => e.id === oldApp && e.status.startsWith('kill'));
    expect(healthy).toBeDefined();
    expect(killed).toBeDefined();
    expect(healthy!.timeNano).toBeLessThan(killed!.timeNano);
    // SIGTERM first (docker stop), never a KILL before the grace period.
    const kills = seen.filter((e) => e.id === oldApp && e.status.startsWith('kill'));
    expect(kills[0].status).toBe('kill');
  });

  it('v2 -> an image whose health check fails: no request fails, v2 keeps serving, rolled back', async () => {
    const run = await sampled(1, () => deploy(1, 'slow-unhealthy', startFirst()));
    expectExit(run.result, 1);
    expect(run.result.main.outputs['rolled-back']).toBe('true');
    expect(run.result.main.errors.join('\n')).toMatch(/start-first service app/);
    if (run.failed) throw new Error(describeFailures(run));
    expect(await ask(proxyUrl(lab, 1))).toBe('slow-v2');
    const apps = containersOf(1, 'app');
    expect(apps).toHaveLength(1);
    expect(imageOf(1, apps[0])).toBe(`${lab.image}:slow-v2`);
    const appDir = path.join(droplet(lab, 1).opt, 'monarch');
    expect(readFileSync(path.join(appDir, '.env'), 'utf8')).toContain("APP_TAG='slow-v2'");
  });

  it.each([
    ['ports', '    ports: ["8081:8080"]\n'],
    ['container_name', '    container_name: the-app\n'],
  ])(
    'a start-first service with %s is refused before the host is touched',
    async (field, extra) => {
      const before = loggedCommands(lab, 1).length;
      const containers = dockerOn(lab, 1, ['ps', '-aq', '--no-trunc']);
      const run = await deploy(1, 'slow-v1', proxiedCompose(lab, { startFirst: true, extra }));
      expectExit(run, 1);
      expect(run.main.errors.join('\n')).toContain(`services.app.${field}`);
      expect(run.main.errors.join('\n')).toContain('proxy');
      expect(loggedCommands(lab, 1).length).toBe(before);
      expect(dockerOn(lab, 1, ['ps', '-aq', '--no-trunc'])).toBe(containers);
      expect(await ask(proxyUrl(lab, 1))).toBe('slow-v2');
    },
  );
});

describe('the dry run', () => {
  it('says which services a deploy would roll start-first, and refuses what the run would', async () => {
    const run = await deploy(1, 'slow-v2', proxiedCompose(lab, { startFirst: true }), {
      'dry-run': 'true',
    });
    expectExit(run, 0);
    expect(run.main.stdout).toContain(
      'a deploy would roll start-first, in this order: app (1 container',
    );
    expect(run.main.stdout).toContain(
      'a deploy would start by up -d (recreated if changed): proxy',
    );
    const refused = await deploy(
      1,
      'slow-v2',
      proxiedCompose(lab, { startFirst: true, extra: '    ports: ["8081:8080"]\n' }),
      { 'dry-run': 'true' },
    );
    expectExit(refused, 1);
    expect(refused.main.errors.join('\n')).toContain('services.app.ports');
  });
});

describe('droplet 2 (docker-compose v1)', () => {
  it("today's recreate loses requests through the same proxy (what start-first fixes)", async () => {
    const recreate = proxiedCompose(lab);
    expectExit(await deploy(2, 'slow-v1', recreate), 0);
    const run = await sampled(2, () => deploy(2, 'slow-v2', recreate));
    expectExit(run.result, 0);
    console.log(
      `recreate (up -d): ${run.failed} of ${run.samples.length} failed, longest gap ${run.longestGapMs} ms`,
    );
    expect(run.failed).toBeGreaterThan(0);
  });

  it('two replicas of a start-first service: no request fails, two v2 containers left', async () => {
    const compose = proxiedCompose(lab, { startFirst: true, replicas: 2 });
    const first = await deploy(2, 'slow-v1', compose);
    expectExit(first, 0);
    expect(containersOf(2, 'app')).toHaveLength(2);
    const run = await sampled(2, () => deploy(2, 'slow-v2', compose));
    expectExit(run.result, 0);
    if (run.failed) throw new Error(describeFailures(run));
    const apps = containersOf(2, 'app');
    expect(apps).toHaveLength(2);
    for (const id of apps) expect(imageOf(2, id)).toBe(`${lab.image}:slow-v2`);
  });

  it('a failed recreate is rolled back, and the run ends only once the previous release is healthy', async () => {
    const recreate = proxiedCompose(lab);
    expectExit(await deploy(2, 'slow-v2', recreate), 0);
    const run = await deploy(2, 'slow-unhealthy', recreate);
    expectExit(run, 1);
    expect(run.main.outputs['rolled-back']).toBe('true');
    const [app] = containersOf(2, 'app');
    // Read at once: the recreated v2 container must already be healthy when the run says so.
    const health = dockerOn(lab, 2, ['inspect', '-f', '{{.State.Health.Status}}', app]).trim();
    expect(health).toBe('healthy');
    expect(imageOf(2, app)).toBe(`${lab.image}:slow-v2`);
    expect(await ask(proxyUrl(lab, 2))).toBe('slow-v2');
  });
});
