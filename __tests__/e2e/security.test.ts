/**
 * Attacks and faults against a real droplet: host identity, secrets in the droplet's process
 * list, hostile values, refused and dropped connections, a bad or hung registry, a bad Slack.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { HttpStub } from '../support/http-stub.js';
import { runAction } from './runner.js';
import { SlackStub } from './slack-stub.js';
import { deployInputs, preLogin, unmaskedLeaks, WORKSPACE } from './fixtures.js';
import {
  containerEnv,
  droplet,
  readyDroplets,
  loggedCommands,
  netCtl,
  registryCtl,
  runningContainers,
  servedVersion,
  sshdCtl,
  type Lab,
} from './lab.js';

let lab: Lab;
let slack: SlackStub;

beforeAll(async () => {
  lab = readyDroplets(1);
  slack = await new SlackStub().start();
});
afterAll(async () => {
  registryCtl(lab, 'start');
  netCtl(lab, 1, 'clear');
  await slack.stop();
});
beforeEach(() => {
  slack.requests.length = 0;
  slack.behaviour = 'ok';
});

const inputs = (tag: string, over: Record<string, string> = {}) =>
  deployInputs(lab, 1, tag, { 'slack-webhook-url': slack.url, ...over });
const deploy = (tag: string, over: Record<string, string> = {}) =>
  runAction({ inputs: inputs(tag, over), workspaceFiles: WORKSPACE });
const keyLine = (i: number) =>
  readFileSync(lab.knownHosts, 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${droplet(lab, i).host} `))!;

describe('host identity', () => {
  it('refuses a mismatched host key before authenticating, naming both fingerprints', async () => {
    const accepted = () =>
      (readFileSync(droplet(lab, 1).sshdLog, 'utf8').match(/Accepted publickey/g) ?? []).length;
    const [sessions, logins] = [loggedCommands(lab, 1).length, accepted()];
    const run = await deploy('v1', { 'host-fingerprint': droplet(lab, 2).fingerprint });
    expect(run.main.exitCode).toBe(1);
    expect(run.main.errors).toEqual([
      expect.stringContaining(
        `host key mismatch for ${droplet(lab, 1).host}: expected ${droplet(lab, 2).fingerprint}, the server presented ${droplet(lab, 1).fingerprint}`,
      ),
      expect.any(String),
    ]);
    expect(run.main.stdout).not.toContain('::group::' + droplet(lab, 1).host + ': Waiting');
    expect(loggedCommands(lab, 1).length).toBe(sessions);
    expect(accepted()).toBe(logins);
  });

  it('without any host key setting, refuses and prints the fingerprint to pin', async () => {
    const run = await deploy('v1', { 'host-fingerprint': '' });
    expect(run.main.exitCode).toBe(1);
    expect(run.main.errors.at(-1)).toContain(`The server presented ${droplet(lab, 1).fingerprint}`);
  });

  it('accepts several pinned keys (rotation), a known_hosts line, a hashed line and [host]:port', async () => {
    const d = droplet(lab, 1);
    const salt = randomBytes(20);
    const hashed = `|1|${salt.toString('base64')}|${createHmac('sha1', salt).update(d.host).digest('base64')} ${d.hostKeyPub}`;
    for (const over of <Record<string, string>[]>[
      { 'host-fingerprint': `${droplet(lab, 2).fingerprint}\n${d.fingerprint}` },
      { 'host-fingerprint': '', 'known-hosts': keyLine(1) },
      { 'host-fingerprint': '', 'known-hosts': hashed },
    ]) {
      const run = await deploy('v1', over);
      expect({ over, exit: run.main.exitCode, errors: run.main.errors }).toEqual({
        over,
        exit: 0,
        errors: [],
      });
    }
  });

  it('does not accept a known_hosts line for another host', async () => {
    const run = await deploy('v1', {
      'host-fingerprint': '',
      'known-hosts': keyLine(2).replace(droplet(lab, 2).host, '10.210.0.99'),
    });
    expect(run.main.exitCode).toBe(1);
    expect(run.main.errors.at(-1)).toContain(
      `'known-hosts' has no entry for ${droplet(lab, 1).host}`,
    );
  });

  it('insecure-ignore-host-key works, but warns with the presented fingerprint', async () => {
    const run = await deploy('v1', { 'host-fingerprint': '', 'insecure-ignore-host-key': 'true' });
    expect(run.main.exitCode).toBe(0);
    expect(run.main.warnings.join('\n')).toContain(`accepted WITHOUT verification`);
    expect(run.main.warnings.join('\n')).toContain(droplet(lab, 1).fingerprint);
  });
});

describe('secrets', () => {
  it('no secret (nor the registry user) ever appears in a command line on the droplet, and no login is left', async () => {
    const secrets = [
      's3cr3t-value-42',
      lab.registryPassword,
      `--username`,
      lab.registryUser,
      Buffer.from(`${lab.registryUser}:${lab.registryPassword}`).toString('base64'),
    ];
    const run = await deploy('v1');
    expect(run.main.exitCode).toBe(0);
    const commands = loggedCommands(lab, 1);
    // The login travelled in the release's archive, on the pull command's standard input.
    expect(commands.some((c) => c.command?.includes('export DOCKER_CONFIG='))).toBe(true);
    expect(commands.some((c) => c.command?.includes('tar -x -o -f -'))).toBe(true);
    const everything = commands.map((c) => c.command ?? '').join('\n');
    for (const secret of secrets) expect(everything).not.toContain(secret);
    for (const line of readFileSync(lab.sshKey, 'utf8')
      .split('\n')
      .filter((l) => l.length > 20))
      expect(everything).not.toContain(line);
    const config = path.join(droplet(lab, 1).dockerConfig, 'config.json');
    expect(existsSync(config) ? readFileSync(config, 'utf8') : '').not.toContain(
      lab.registry + '"',
    );
    expect(unmaskedLeaks(run.main.stdout, ['s3cr3t-value-42', lab.registryPassword])).toEqual([]);
  });

  it('the post step removes what a killed run left (its files and registry login), even when a later step removed the compose file', async () => {
    const run = await runAction({
      inputs: inputs('v2'),
      workspaceFiles: WORKSPACE,
      killMainOn: /::group::.*pulling images/i,
      beforePost: (workspace) => rmSync(path.join(workspace, 'docker-compose.yml')),
    });
    expect(run.main.exitCode).not.toBe(0);
    // One state entry per host (its index in `host`): the folder that may be left.
    const staging = run.main.state['leftover-0'];
    expect(staging).toMatch(/^\/opt\/monarch\/\.monarch\/staging-/);
    expect(run.post.exitCode).toBe(0);
    expect(run.post.stdout).toContain(`removed ${staging}`);
    const onDroplet = path.join(droplet(lab, 1).opt, staging.slice('/opt/'.length));
    expect(existsSync(onDroplet)).toBe(false);
    const config = path.join(droplet(lab, 1).dockerConfig, 'config.json');
    expect(existsSync(config) ? readFileSync(config, 'utf8') : '').not.toContain(lab.registry);
    expect(servedVersion(lab, 1)).toBe('v1');
  });
});

describe('the dry run', () => {
  const dryRunFolders = () =>
    readdirSync('/tmp').filter((name) => name.startsWith('monarch-dry-run.'));

  it('leaves no throwaway login behind when a check fails, nor when the run is killed', async () => {
    const before = dryRunFolders();
    const failed = await deploy('v1', { 'dry-run': 'true', 'registry-password': 'wrong-password' });
    expect(failed.main.exitCode).toBe(1);
    expect(failed.main.errors.at(-1)).toContain(`registry login to ${lab.registry} failed`);
    expect(dryRunFolders()).toEqual(before);
    // The registry hangs: the dry run's login check waits, its folder (and login) on the host.
    registryCtl(lab, 'hang');
    let seen = false;
    const watch = setInterval(() => (seen ||= dryRunFolders().length > before.length), 100);
    try {
      const killed = await runAction({
        inputs: inputs('v1', { 'dry-run': 'true', 'setup-timeout': '10', 'command-timeout': '5' }),
        workspaceFiles: WORKSPACE,
        killMainOn: /::group::.*Dry run/,
        killDelayMs: 4_000,
        skipPost: true,
      });
      expect(killed.main.exitCode).not.toBe(0);
    } finally {
      clearInterval(watch);
      registryCtl(lab, 'unhang');
    }
    expect(seen).toBe(true);
    // The host removes its folder once its check ends: here, killed at its time limit (a trap
    // runs on TERM), since sshd leaves a session's processes running when the client is gone.
    for (let i = 0; i < 400 && dryRunFolders().length > before.length; i++)
      await new Promise((resolve) => setTimeout(resolve, 100));
    expect(dryRunFolders()).toEqual(before);
  });
});

describe('hostile values never run', () => {
  it('env values that look like shell code reach the container as text', async () => {
    const hostile = {
      SUBST: '$(touch /tmp/monarch-pwned-subst)',
      BACKTICK: '`touch /tmp/monarch-pwned-tick`',
      BREAKOUT: "'; touch /tmp/monarch-pwned-quote; '",
      NEWLINE_CMD: 'x\ntouch /tmp/monarch-pwned-newline',
    };
    const env =
      `IMAGE=${lab.image}\nAPP_TAG=v1\n` +
      Object.entries(hostile)
        .map(([k, v]) => `${k}<<END\n${v}\nEND`)
        .join('\n');
    const run = await runAction({
      inputs: inputs('v1', {
        env,
        'compose-file': 'deploy/my compose $(touch monarch-pwned-file).yml',
      }),
      workspaceFiles: {
        'deploy/my compose $(touch monarch-pwned-file).yml': WORKSPACE['docker-compose.yml'],
      },
    });
    expect(run.main.exitCode).toBe(0);
    expect(run.main.errors).toEqual([]);
    const seen = containerEnv(lab, 1, runningContainers(lab, 1)[0]);
    for (const [key, value] of Object.entries(hostile)) expect(seen[key]).toBe(value);
    for (const name of ['subst', 'tick', 'quote', 'newline', 'file'])
      expect(existsSync(`/tmp/monarch-pwned-${name}`)).toBe(false);
  });
});

describe('faults', () => {
  it('retries while the droplet refuses connections (still booting), then deploys', async () => {
    netCtl(lab, 1, 'reject');
    const open = setTimeout(() => netCtl(lab, 1, 'clear'), 4_000);
    const run = await deploy('v2');
    clearTimeout(open);
    expect(run.main.exitCode).toBe(0);
    expect(run.main.stdout).toMatch(/attempt 1 failed \(connect ECONNREFUSED/);
    expect(servedVersion(lab, 1)).toBe('v2');
  });

  it('says what it tried, for how long, when the droplet never answers', async () => {
    netCtl(lab, 1, 'drop');
    try {
      const run = await deploy('v2', { 'setup-timeout': '6' });
      expect(run.main.exitCode).toBe(1);
      expect(run.main.errors.at(-1)).toMatch(
        /could not connect to deploy@10\.210\.0\.11:22 over SSH: \d+ attempt\(s\) in \d+ s \(until 'setup-timeout'\)/,
      );
    } finally {
      netCtl(lab, 1, 'clear');
    }
  });

  it('a wrong registry password says the login failed for that registry', async () => {
    const run = await deploy('v1', { 'registry-password': 'not-the-password' });
    expect(run.main.exitCode).toBe(1);
    expect(run.main.errors.at(-1)).toContain(`registry login to ${lab.registry} failed`);
    expect(unmaskedLeaks(run.main.stdout, ['not-the-password'])).toEqual([]);
    expect(servedVersion(lab, 1)).toBe('v2');
  });

  it('a hung registry makes the pull time out at command-timeout instead of hanging the job', async () => {
    preLogin(lab, 1);
    registryCtl(lab, 'hang');
    try {
      const started = Date.now();
      const run = await deploy('v1', { 'command-timeout': '5', registry: '' });
      expect(run.main.exitCode).toBe(1);
      expect(run.main.errors.at(-1)).toBe(
        'Uploading the release, pulling images timed out after 5 s',
      );
      expect(Date.now() - started).toBeLessThan(30_000);
    } finally {
      registryCtl(lab, 'unhang');
    }
    expect(servedVersion(lab, 1)).toBe('v2');
  });

  it('a connection dropped mid-deploy names the step; the old version keeps serving with its old files', async () => {
    const envBefore = readFileSync(path.join(droplet(lab, 1).opt, 'monarch/.env'), 'utf8');
    preLogin(lab, 1);
    registryCtl(lab, 'hang');
    const cut = setTimeout(() => sshdCtl(lab, 1, 'kill-sessions'), 4_000);
    let run;
    try {
      run = await deploy('v1', { registry: '' });
    } finally {
      clearTimeout(cut);
      registryCtl(lab, 'unhang');
      sshdCtl(lab, 1, 'start');
    }
    expect(run.main.exitCode).toBe(1);
    expect(run.main.errors.at(-2)).toMatch(/Pulling images: .*(connection|closed|lost)/i);
    expect(slack.lastMessageText()).toContain('Deploy failed');
    expect(servedVersion(lab, 1)).toBe('v2');
    expect(readFileSync(path.join(droplet(lab, 1).opt, 'monarch/.env'), 'utf8')).toBe(envBefore);
  });

  it('Slack answering 500, or never answering, changes nothing but a warning', async () => {
    for (const behaviour of [500, 'hang'] as const) {
      slack.behaviour = behaviour;
      const run = await deploy('v2');
      expect(run.main.exitCode).toBe(0);
      expect(run.main.outputs.status).toBe('success');
      expect(run.main.warnings.join('\n')).toContain(
        'the Slack notification failed (the deploy result is unchanged)',
      );
    }
  });
});

describe('tokens go only where they belong', () => {
  /** A stand-in that would take the token: on the lab bridge, an address of this machine that is not loopback. */
  const collector = new HttpStub();
  beforeAll(() => collector.start('10.210.0.1'));
  afterAll(() => collector.stop());
  beforeEach(() => collector.reset());

  const overrideRefused = (variable: string, api: string) =>
    `Refused environment variable '${variable}': expected nothing, or a loopback URL such as http://127.0.0.1:8080/ (it exists for tests, to reach a stand-in for ${api}), got a URL for host '10.210.0.1'. An earlier step of the job may have set it through GITHUB_ENV to send the token elsewhere: unset it`;
  interface Attack {
    readonly what: string;
    readonly inputs: () => Record<string, string>;
    readonly env: () => Record<string, string>;
    readonly error: string;
  }
  const cases: Attack[] = [
    {
      what: 'MONARCH_SLACK_API_URL set by an earlier step',
      inputs: () => ({ 'slack-bot-token': 'xoxb-stolen-token', 'slack-channel': 'C0123456789' }),
      env: () => ({ MONARCH_SLACK_API_URL: `${collector.url}/api/` }),
      error: overrideRefused('MONARCH_SLACK_API_URL', 'the Slack Web API'),
    },
    {
      what: 'MONARCH_DIGITALOCEAN_API_URL set by an earlier step',
      inputs: () => ({
        'digitalocean-token': 'dop_v1_stolen_token',
        registry: '',
        'registry-username': '',
        'registry-password': '',
      }),
      env: () => ({ MONARCH_DIGITALOCEAN_API_URL: collector.url }),
      error: overrideRefused('MONARCH_DIGITALOCEAN_API_URL', 'the DigitalOcean API'),
    },
    {
      what: 'a slack-webhook-url over plain http to another machine',
      inputs: () => ({ 'slack-webhook-url': `${collector.url}/services/T0/B0/XX` }),
      env: () => ({}),
      error:
        "Invalid input 'slack-webhook-url': expected an https:// URL (http:// only to a loopback address such as 127.0.0.1, for tests)",
    },
  ];

  it.each(cases)('$what: refused before any host or API is reached', async (attack) => {
    const before = loggedCommands(lab, 1).length;
    const run = await runAction({
      inputs: deployInputs(lab, 1, 'v1', attack.inputs()),
      workspaceFiles: WORKSPACE,
      env: attack.env(),
    });
    expect(run.main.exitCode).toBe(1);
    expect(run.main.errors).toEqual([attack.error]);
    expect(collector.requests).toEqual([]);
    expect(loggedCommands(lab, 1).length).toBe(before);
  });
});
