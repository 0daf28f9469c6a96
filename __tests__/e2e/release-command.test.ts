/**
 * `release-command` on a real droplet (compose v1 behind the v2 CLI shim): it runs in a
 * one-off container of the new release before the switch and leaves what it wrote in the
 * project's named volume; when it fails or hangs past its timeout, nothing is switched, the old
 * version serves throughout, and no one-off container is left behind.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { runAction } from './runner.js';
import { SlackStub } from './slack-stub.js';
import { deployInputs } from './fixtures.js';
import { dockerOn, droplet, readyDroplets, servedVersion, type Lab } from './lab.js';

let lab: Lab;
let slack: SlackStub;

beforeAll(async () => {
  lab = readyDroplets(1, 2, 3);
  slack = await new SlackStub().start();
});
afterAll(() => slack.stop());

/** The test service with a named volume, which the release command writes into. */
const COMPOSE = `services:
  web:
    image: \${IMAGE}:\${APP_TAG}
    restart: unless-stopped
    init: true
    env_file: .env
    ports: ["127.0.0.1:8080:8080"]
    volumes: ["data:/www/data"]
volumes:
  data:
`;

const deploy = (tag: string, over: Record<string, string> = {}) =>
  runAction({
    inputs: deployInputs(lab, 1, tag, { 'slack-webhook-url': slack.url, ...over }),
    workspaceFiles: { 'docker-compose.yml': COMPOSE },
  });

/** Samples what the droplet serves every 200 ms while `body` runs. */
async function whileServing<T>(
  body: () => Promise<T>,
): Promise<{ result: T; served: (string | null)[] }> {
  const served: (string | null)[] = [];
  let running = true;
  const sampler = (async () => {
    while (running) {
      served.push(servedVersion(lab, 1));
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  })();
  const result = await body();
  running = false;
  await sampler;
  return { result, served };
}

const appFile = (name: string) =>
  readFileSync(path.join(droplet(lab, 1).opt, 'monarch', name), 'utf8');
const oneOffs = (i = 1) =>
  dockerOn(lab, i, ['ps', '-aq', '--filter', 'label=com.docker.compose.oneoff=True']).trim();
const webContainer = (i = 1) =>
  dockerOn(lab, i, ['ps', '-q', '--filter', 'label=com.docker.compose.service=web']).trim();

describe('release-command', () => {
  it('runs before the switch with the new release, and leaves a mark in the named volume the new container sees', async () => {
    expect((await deploy('v1')).main.exitCode).toBe(0);
    const before = webContainer();
    const run = await deploy('v2', {
      'release-command': `sh -c 'echo "migrated to $APP_TAG" > /www/data/mark.txt; echo migrations applied'`,
    });
    expect(run.main.exitCode).toBe(0);
    expect(run.main.stdout).toMatch(/Running the release command in a one-off container of web/);
    expect(run.main.stdout).toContain('migrations applied');
    expect(servedVersion(lab, 1)).toBe('v2');
    const after = webContainer();
    expect(after).not.toBe(before);
    // Written with the new release's .env, in the project's volume, before the new container.
    expect(dockerOn(lab, 1, ['exec', after, 'cat', '/www/data/mark.txt']).trim()).toBe(
      'migrated to v2',
    );
    expect(oneOffs()).toBe('');
  });

  it('a failed release command switches nothing: the old version serves throughout, and the run says why', async () => {
    const envBefore = appFile('.env');
    const { result: run, served } = await whileServing(() =>
      deploy('v1', {
        'release-command': `sh -c 'echo "no such table: users" >&2; exit 3'`,
      }),
    );
    expect(run.main.exitCode).toBe(1);
    expect(served.length).toBeGreaterThan(3);
    expect(served.filter((version) => version !== 'v2')).toEqual([]);
    expect(servedVersion(lab, 1)).toBe('v2');
    expect(appFile('.env')).toBe(envBefore);
    expect(run.main.errors.join('\n')).toContain(
      'the release command failed with exit status 3; nothing was switched, the previous release keeps running; its last lines:',
    );
    expect(run.main.errors.join('\n')).toContain('no such table: users');
    expect(run.main.outputs['rolled-back']).toBe('false');
    expect(run.main.summary).toContain('release command failed, nothing switched');
    expect(slack.lastMessageText()).toContain('release command failed, nothing switched');
    expect(oneOffs()).toBe('');
  });

  it('a release command that hangs is stopped at its timeout; nothing switched, no container left', async () => {
    const started = Date.now();
    const { result: run, served } = await whileServing(() =>
      deploy('v1', { 'release-command': 'sleep 600', 'release-command-timeout': '5' }),
    );
    const seconds = (Date.now() - started) / 1000;
    expect(run.main.exitCode).toBe(1);
    expect(seconds).toBeGreaterThanOrEqual(5);
    expect(seconds).toBeLessThan(40);
    expect(run.main.errors.join('\n')).toContain(
      "the release command failed: it did not finish within 'release-command-timeout' (5 s), was stopped and its container removed; nothing was switched",
    );
    expect(served.filter((version) => version !== 'v2')).toEqual([]);
    expect(servedVersion(lab, 1)).toBe('v2');
    expect(oneOffs()).toBe('');
  });
});

describe('release-command on two droplets (compose v1)', () => {
  const [first, second] = [2, 3];
  const both = (tag: string, over: Record<string, string> = {}) =>
    runAction({
      inputs: deployInputs(lab, first, tag, {
        host: `${droplet(lab, first).host}, ${droplet(lab, second).host}`,
        'host-fingerprint': '',
        'known-hosts': readFileSync(lab.knownHosts, 'utf8'),
        ...over,
      }),
      workspaceFiles: { 'docker-compose.yml': COMPOSE },
    });
  const marks = (i: number) =>
    dockerOn(lab, i, ['exec', webContainer(i), 'ls', '/www/data']).trim();

  it('runs once, on the first host, and both switch after it', async () => {
    expect((await both('v1')).main.exitCode).toBe(0);
    const run = await both('v2', {
      'release-command': `sh -c 'echo "migrated to $APP_TAG" > /www/data/mark.txt'`,
    });
    expect(run.main.exitCode).toBe(0);
    expect([servedVersion(lab, first), servedVersion(lab, second)]).toEqual(['v2', 'v2']);
    expect(marks(first)).toBe('mark.txt');
    expect(marks(second)).toBe('');
    expect(run.main.stdout).toContain(
      `${droplet(lab, second).host}: Waiting for the release command on ${droplet(lab, first).host}`,
    );
  });

  it('when it fails on the first host, neither host switches', async () => {
    const run = await both('v1', { 'release-command': 'false' });
    expect(run.main.exitCode).toBe(1);
    expect([servedVersion(lab, first), servedVersion(lab, second)]).toEqual(['v2', 'v2']);
    expect(run.main.errors.join('\n')).toContain(
      `nothing was switched here: the release command did not succeed on ${droplet(lab, first).host}`,
    );
    expect(run.main.summary).toContain('release command failed, nothing switched');
    expect(oneOffs(first)).toBe('');
  });
});
