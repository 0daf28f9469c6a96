/**
 * The deploy lock, dry run and history on a real droplet: concurrent runs never interleave, a
 * killed run's lock does not block the next, a dry run changes nothing.
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { runAction } from './runner.js';
import { deployInputs, WORKSPACE } from './fixtures.js';
import { dockerOn, droplet, readyDroplets, servedVersion, type Lab } from './lab.js';

let lab: Lab;

beforeAll(() => {
  lab = readyDroplets(1);
});

const stateDir = () => path.join(droplet(lab, 1).opt, 'monarch', '.monarch');
const deploy = (tag: string, over: Record<string, string> = {}) =>
  runAction({ inputs: deployInputs(lab, 1, tag, over), workspaceFiles: WORKSPACE });

/** Every file under the app directory with its content and mode, and the containers and images. */
function snapshot(): string {
  const root = path.join(droplet(lab, 1).opt, 'monarch');
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const file = path.join(dir, name);
      const stat = statSync(file);
      if (stat.isDirectory()) walk(file);
      else
        files.push(
          `${path.relative(root, file)} ${stat.mode.toString(8)} ${stat.mtimeMs} ${readFileSync(file, 'base64')}`,
        );
    }
  };
  walk(root);
  const containers = dockerOn(lab, 1, [
    'ps',
    '-a',
    '--no-trunc',
    '--format',
    '{{.ID}} {{.Image}} {{.Status}}',
  ]).replace(/Up [^\n]*/g, 'Up');
  const images = dockerOn(lab, 1, ['images', '-q', '--no-trunc']).split('\n').sort();
  return [...files, containers, ...images].join('\n');
}

describe('lock, dry run and history', () => {
  it('two runs at once serialize on the lock: both succeed, one after the other', async () => {
    const first = deploy('v1');
    await new Promise((resolve) => setTimeout(resolve, 300));
    const second = deploy('v2');
    const runs = await Promise.all([first, second]);
    expect(runs.map((run) => run.main.exitCode)).toEqual([0, 0]);
    expect(runs.map((run) => run.main.stdout).join('\n')).toMatch(
      /waited \d+ s for another deploy's lock/,
    );
    const history = readFileSync(path.join(stateDir(), 'history.log'), 'utf8').trim().split('\n');
    expect(history.map((line) => JSON.parse(line).result)).toEqual(['success', 'success']);
  });

  it('a run that cannot get the lock in time fails cleanly, saying who holds it since when', async () => {
    writeFileSync(
      path.join(stateDir(), 'lock.info'),
      'hubot (https://github.com/acme/monarch/actions/runs/1) since 2026-11-30T07:00:00Z\n',
    );
    const holder = spawn('flock', ['--close', path.join(stateDir(), 'lock'), 'sleep', '60'], {
      stdio: 'ignore',
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    try {
      const run = await deploy('v1', { 'lock-timeout': '2' });
      expect(run.main.exitCode).toBe(1);
      expect(run.main.errors.at(-1)).toBe(
        `another deploy holds the lock on ${droplet(lab, 1).host} (hubot (https://github.com/acme/monarch/actions/runs/1) since 2026-11-30T07:00:00Z); gave up after 'lock-timeout' (2 s)`,
      );
    } finally {
      holder.kill();
    }
    expect(servedVersion(lab, 1)).toBe('v2');
  });

  it("a killed run's lock does not block the next run", async () => {
    const killed = await runAction({
      inputs: deployInputs(lab, 1, 'v1'),
      workspaceFiles: WORKSPACE,
      killMainOn: /::group::.*pulling images/,
    });
    expect(killed.main.exitCode).not.toBe(0);
    const started = Date.now();
    const next = await deploy('v1', { 'lock-timeout': '20' });
    expect(next.main.exitCode).toBe(0);
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(servedVersion(lab, 1)).toBe('v1');
  });

  it('a dry run checks everything, shows which .env keys change (never values), and changes nothing', async () => {
    const before = snapshot();
    const env = `IMAGE=${lab.image}\nAPP_TAG=v2\nNEW_KEY=brand-new-value`;
    const run = await deploy('v2', { 'dry-run': 'true', env });
    expect(run.main.exitCode).toBe(0);
    expect(run.main.stdout).toContain('.env keys added: NEW_KEY');
    expect(run.main.stdout).toContain('.env keys changed: APP_TAG');
    expect(run.main.stdout).toContain('.env keys removed: SECRET_KEY');
    expect(run.main.stdout).toContain('nothing was changed on the droplet');
    expect(run.main.summary).toContain('dry run');
    expect(snapshot()).toBe(before);
    expect(servedVersion(lab, 1)).toBe('v1');
  });

  it('a dry run fails on a compose file the host rejects, and on a wrong registry password', async () => {
    const bad = await runAction({
      inputs: deployInputs(lab, 1, 'v2', { 'dry-run': 'true' }),
      workspaceFiles: {
        'docker-compose.yml':
          'services:\n  web:\n    image: x\n    ports: "not-a-list"\n    restart: sometimes\n',
      },
    });
    expect(bad.main.exitCode).toBe(1);
    expect(bad.main.errors.at(-1)).toContain("does not pass 'compose config'");
    const login = await deploy('v2', { 'dry-run': 'true', 'registry-password': 'wrong' });
    expect(login.main.errors.at(-1)).toContain(`registry login to ${lab.registry} failed`);
  });

  it('keeps a history of deploys and shows the last ones in the job summary', async () => {
    const run = await deploy('v2');
    expect(run.main.exitCode).toBe(0);
    const history = readFileSync(path.join(stateDir(), 'history.log'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(history.at(-1)).toMatchObject({
      commit: '0123456789abcdef0123456789abcdef01234567',
      actor: 'octocat',
      result: 'success',
      rolledBack: false,
    });
    expect(run.main.summary).toContain('Recent deploys');
    expect(run.main.summary).toContain('<code>0123456</code>');
  });
});
