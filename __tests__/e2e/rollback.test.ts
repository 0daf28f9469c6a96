/**
 * Health check and rollback on a real droplet: an unhealthy or crashing release is replaced by
 * the one that ran before, which keeps serving; prune never removes what a rollback needs.
 */
import { runAction } from './runner.js';
import { SlackStub } from './slack-stub.js';
import { deployInputs, WORKSPACE } from './fixtures.js';
import { images, readyDroplets, servedVersion, type Lab } from './lab.js';

let lab: Lab;
let slack: SlackStub;

beforeAll(async () => {
  lab = readyDroplets(2);
  slack = await new SlackStub().start();
});
afterAll(() => slack.stop());

// Droplet 2 has only `docker-compose` (compose v1 without the `docker compose` plugin).
const deploy = (tag: string, over: Record<string, string> = {}) =>
  runAction({
    inputs: deployInputs(lab, 2, tag, { 'slack-webhook-url': slack.url, ...over }),
    workspaceFiles: WORKSPACE,
  });

/** Samples what the droplet serves every 200 ms while `body` runs. */
async function whileServing<T>(
  body: () => Promise<T>,
): Promise<{ result: T; served: (string | null)[] }> {
  const served: (string | null)[] = [];
  let running = true;
  const sampler = (async () => {
    while (running) {
      served.push(servedVersion(lab, 2));
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  })();
  const result = await body();
  running = false;
  await sampler;
  return { result, served };
}

describe('health check and rollback', () => {
  it('a first deploy with nothing to roll back to says so', async () => {
    const run = await deploy('crash', { 'health-timeout': '20' });
    expect(run.main.exitCode).toBe(1);
    expect(run.main.stdout).toContain('there is no previous release to roll back to');
    expect(run.main.outputs['rolled-back']).toBe('false');
  });

  it('deploys v1 with docker-compose (v1) when the host has no compose plugin', async () => {
    const run = await deploy('v1');
    expect(run.main.exitCode).toBe(0);
    expect(run.main.stdout).toContain('compose command: docker-compose');
    expect(servedVersion(lab, 2)).toBe('v1');
  });

  it('an unhealthy release is rolled back and the old version keeps serving throughout', async () => {
    const { result: run, served } = await whileServing(() => deploy('unhealthy'));
    expect(run.main.exitCode).toBe(1);
    expect(run.main.outputs['rolled-back']).toBe('true');
    expect(run.main.errors.join('\n')).toMatch(
      /health check failed: service web is running \(unhealthy\)/,
    );
    expect(servedVersion(lab, 2)).toBe('v1');
    // The unhealthy image serves "unhealthy": the old version must come back, and nothing but
    // v1, the brief window of the recreate, or the new one while it was being checked.
    expect(served.filter((v) => v !== 'v1' && v !== 'unhealthy' && v !== null)).toEqual([]);
    expect(slack.lastMessageText()).toContain('rolled back');
    expect(run.main.summary).toContain('rolled back');
  });

  it('a release that crashes on start is rolled back', async () => {
    const run = await deploy('crash', { 'health-timeout': '30' });
    expect(run.main.exitCode).toBe(1);
    expect(run.main.outputs['rolled-back']).toBe('true');
    expect(run.main.errors.join('\n')).toMatch(/service web (is exited|is restarting|restarted)/);
    expect(servedVersion(lab, 2)).toBe('v1');
  });

  it('prune after a rollback keeps what is running', async () => {
    const run = await deploy('v2');
    expect(run.main.exitCode).toBe(0);
    expect(servedVersion(lab, 2)).toBe('v2');
    const left = images(lab, 2);
    expect(left).toContain(`${lab.image}:v2`);
    expect(left).toContain(`${lab.image}:v1`);
    expect(left).not.toContain(`${lab.image}:crash`);
    expect(left).not.toContain(`${lab.image}:unhealthy`);
  });
});
