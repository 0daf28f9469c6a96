/** Several droplets at once, one by one, and through a jump host. */
import { readFileSync } from 'node:fs';
import { runAction } from './runner.js';
import { deployInputs, WORKSPACE } from './fixtures.js';
import { droplet, readyDroplets, loggedCommands, netCtl, servedVersion, type Lab } from './lab.js';

let lab: Lab;

beforeAll(() => {
  lab = readyDroplets(1, 2);
});
afterAll(() => {
  netCtl(lab, 1, 'clear');
  netCtl(lab, 2, 'clear');
});

const both = (tag: string, over: Record<string, string> = {}) =>
  runAction({
    inputs: deployInputs(lab, 1, tag, {
      host: `${droplet(lab, 1).host}, ${droplet(lab, 2).host}`,
      'host-fingerprint': '',
      'known-hosts': readFileSync(lab.knownHosts, 'utf8'),
      ...over,
    }),
    workspaceFiles: WORKSPACE,
  });

describe('many droplets', () => {
  it('deploys to every host in parallel, with a readable log and a row per host', async () => {
    const run = await both('v1');
    expect(run.main.exitCode).toBe(0);
    expect([servedVersion(lab, 1), servedVersion(lab, 2)]).toEqual(['v1', 'v1']);
    for (const i of [1, 2]) {
      const host = droplet(lab, i).host;
      expect(run.main.stdout).toContain(`::group::${host}: Starting containers, checking health`);
      expect(run.main.stdout).toContain(`[${host}] host key verified`);
      expect(run.main.summary).toContain(`<td>${host}</td>`);
    }
    // Groups never interleave: each ::group:: is closed before the next opens.
    const markers = run.main.stdout.split('\n').filter((line) => /^::(end)?group::/.test(line));
    markers.forEach((line, i) =>
      expect(line.startsWith(i % 2 === 0 ? '::group::' : '::endgroup::')).toBe(true),
    );
  });

  it('rolling stops at the first failure and leaves the other hosts untouched', async () => {
    netCtl(lab, 1, 'reject');
    const before = loggedCommands(lab, 2).length;
    const run = await both('v2', { strategy: 'rolling', 'setup-timeout': '3' });
    netCtl(lab, 1, 'clear');
    expect(run.main.exitCode).toBe(1);
    expect(run.main.outputs.status).toBe('failure');
    expect(loggedCommands(lab, 2).length).toBe(before);
    expect(servedVersion(lab, 2)).toBe('v1');
    expect(run.main.summary).toMatch(
      new RegExp(`<td>${droplet(lab, 2).host.replace(/\./g, '\\.')}</td><td>skipped</td>`),
    );
  });

  it('parallel: one failed host makes the run fail, the other is still deployed', async () => {
    netCtl(lab, 1, 'reject');
    const run = await both('v2', { 'setup-timeout': '3' });
    netCtl(lab, 1, 'clear');
    expect(run.main.exitCode).toBe(1);
    expect(servedVersion(lab, 2)).toBe('v2');
    expect(servedVersion(lab, 1)).toBe('v1');
  });

  it('reaches a private droplet through a jump host, whose key is verified too', async () => {
    const [d1, d2] = [droplet(lab, 1), droplet(lab, 2)];
    netCtl(lab, 2, 'only-from', d1.host);
    const direct = await runAction({
      inputs: deployInputs(lab, 2, 'v1', { 'setup-timeout': '3' }),
      workspaceFiles: WORKSPACE,
    });
    expect(direct.main.exitCode).toBe(1);
    const jump = {
      'proxy-host': d1.host,
      'proxy-username': lab.sshUser,
      'proxy-fingerprint': d1.fingerprint,
    };
    const run = await runAction({
      inputs: deployInputs(lab, 2, 'v1', jump),
      workspaceFiles: WORKSPACE,
    });
    expect(run.main.errors).toEqual([]);
    expect(run.main.exitCode).toBe(0);
    expect(servedVersion(lab, 2)).toBe('v1');
    const wrong = await runAction({
      inputs: deployInputs(lab, 2, 'v1', { ...jump, 'proxy-fingerprint': d2.fingerprint }),
      workspaceFiles: WORKSPACE,
    });
    expect(wrong.main.exitCode).toBe(1);
    expect(wrong.main.errors.at(-1)).toContain(`host key mismatch for ${d1.host}`);
    // A pin for the jump host is authoritative: known-hosts listing it does not override it,
    // and the droplets' insecure flag does not open it.
    const overridden = await runAction({
      inputs: deployInputs(lab, 2, 'v1', {
        ...jump,
        'proxy-fingerprint': d2.fingerprint,
        'known-hosts': readFileSync(lab.knownHosts, 'utf8'),
        'insecure-ignore-host-key': 'true',
      }),
      workspaceFiles: WORKSPACE,
    });
    expect(overridden.main.exitCode).toBe(1);
    expect(overridden.main.errors.at(-1)).toContain(`host key mismatch for ${d1.host}`);
  });

  it("pins each droplet separately: one droplet's key does not open another", async () => {
    const [d1, d2] = [droplet(lab, 1), droplet(lab, 2)];
    netCtl(lab, 2, 'clear');
    const run = await both('v1', {
      'known-hosts': '',
      'host-fingerprint': `${d1.host}=${d1.fingerprint}\n${d2.host}=${d1.fingerprint}`,
    });
    expect(run.main.exitCode).toBe(1);
    expect(run.main.errors.join('\n')).toContain(
      `host key mismatch for ${d2.host}: expected ${d1.fingerprint}, the server presented ${d2.fingerprint}`,
    );
    expect(run.main.summary).toMatch(
      new RegExp(`<td>${d1.host.replace(/\./g, '\\.')}</td><td>success</td>`),
    );
  });
});
