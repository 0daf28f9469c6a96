/**
 * The `env` input is a .env file, read as docker compose reads one: on a real droplet, what the
 * container's process gets (its /proc/1/environ), byte for byte, and the dry run's reading of
 * the .env the action wrote, given back.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { runAction } from './runner.js';
import { BATTERY, BATTERY_EXPECTED as EXPECTED, deployInputs, WORKSPACE } from './fixtures.js';
import { containerEnv, droplet, readyDroplets, runningContainers, type Lab } from './lab.js';
import { randomValues } from '../support/random-values.js';

let lab: Lab;

beforeAll(() => {
  lab = readyDroplets(1);
});

const deploy = (env: string, over: Record<string, string> = {}) =>
  runAction({
    inputs: deployInputs(lab, 1, 'v1', { env: `IMAGE=${lab.image}\nAPP_TAG=v1\n${env}`, ...over }),
    workspaceFiles: WORKSPACE,
  });
const seen = () => containerEnv(lab, 1, runningContainers(lab, 1)[0]);

describe('the env input, read as compose reads a .env file', () => {
  it('gives the container, byte for byte, what compose v2 would give it from that text', async () => {
    const run = await deploy(BATTERY);
    expect(run.main.errors).toEqual([]);
    expect(run.main.exitCode).toBe(0);
    const env = seen();
    for (const [key, value] of Object.entries(EXPECTED))
      expect({ key, value: env[key] }).toEqual({ key, value });
    // The unquoted URL with its inline comment is read as compose reads it, and said so.
    expect(run.main.warnings).toEqual([
      expect.stringMatching(
        /^Input 'env', line \d+ \(URL\): read as compose reads an unquoted value/,
      ),
    ]);
    const file = readFileSync(path.join(droplet(lab, 1).opt, 'monarch/.env'), 'utf8');
    expect(file).not.toContain('# the primary');
  });

  it('gives 200 random values of every kind of character, passed as NAME<<EOF, back byte for byte', async () => {
    const values = randomValues(200, 7, 16);
    const env = values.map((value, i) => `R${i}<<MONARCH_EOF\n${value}\nMONARCH_EOF`).join('\n');
    const run = await deploy(env);
    expect(run.main.exitCode).toBe(0);
    const got = seen();
    values.forEach((value, i) => expect({ i, value: got[`R${i}`] }).toEqual({ i, value }));
  });

  it('the .env the action wrote, given back as env, changes no key in a dry run', async () => {
    expect((await deploy(BATTERY)).main.exitCode).toBe(0);
    const written = readFileSync(path.join(droplet(lab, 1).opt, 'monarch/.env'), 'utf8');
    const run = await runAction({
      inputs: deployInputs(lab, 1, 'v1', { env: written, 'dry-run': 'true' }),
      workspaceFiles: WORKSPACE,
    });
    expect(run.main.exitCode).toBe(0);
    expect(run.main.warnings).toEqual([]);
    expect(run.main.stdout).toContain('.env keys added: none');
    expect(run.main.stdout).toContain('.env keys changed: none');
    expect(run.main.stdout).toContain('.env keys removed: none');
  });

  it('an unterminated quote fails before the host is touched, naming the line and the key', async () => {
    const before = readFileSync(droplet(lab, 1).commandLog, 'utf8');
    const run = await deploy('OK=1\nBROKEN="never closed s3cr3t\nNEXT=2');
    expect(run.main.exitCode).toBe(1);
    expect(run.main.errors[0]).toBe(
      "Invalid input 'env': line 4: the double quote that starts the value of BROKEN is never closed",
    );
    expect(run.main.stdout).not.toContain('never closed s3cr3t');
    expect(readFileSync(droplet(lab, 1).commandLog, 'utf8')).toBe(before);
  });
});
