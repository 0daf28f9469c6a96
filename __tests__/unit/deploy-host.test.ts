import { jest } from '@jest/globals';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { captureStdout } from '../support/capture.js';
import { deployHost, type DeployDependencies } from '../../src/deploy/deploy-host.js';
import { streamingLog } from '../../src/deploy/host-log.js';
import { getInputs } from '../../src/inputs/index.js';
import { GO_LINE } from '../../src/shell/timed.js';
import type { Inputs } from '../../src/types/settings.js';
import { HostStoppedAnsweringError, NoReportError } from '../../src/remote/host.js';
import { SshConnectError } from '../../src/remote/retry.js';
import { FakeHost } from '../support/fake-host.js';
import { makeWorkspace, reader } from '../support/inputs.js';
import { makeKey } from '../support/keys.js';
import { HISTORY_REPLIES } from '../../src/host-scripts/history.js';
import { DETECT_REPLIES, LOCK_REPLIES, MARKER_REPLIES } from '../../src/host-scripts/prepare.js';
import { IMAGE_REPLIES, KEEP_REPLIES } from '../../src/host-scripts/release.js';

const key = makeKey('ed25519');
let stdout: string;

beforeEach(() => {
  stdout = '';
  captureStdout((text) => (stdout += text));
});
afterEach(() => jest.restoreAllMocks());

/** The inputs every deploy here shares. */
const BASE = {
  host: 'droplet',
  'ssh-private-key': key.privateKey,
  'host-fingerprint': key.fingerprint,
  registry: 'registry.example.com',
  'registry-username': 'robot',
  'registry-password': 'pa55-w0rd',
  env: 'APP_TAG=v2\nSECRET_KEY=s3cr3t value',
};

function inputs(values: Record<string, string> = {}): Promise<Inputs> {
  return getInputs(reader({ ...BASE, ...values }), makeWorkspace());
}

const LOCKED = {
  stdout: `${MARKER_REPLIES.waited}=0\n${DETECT_REPLIES.user}=deploy\n${DETECT_REPLIES.compose}=docker compose\n`,
};
const WAIT = 'Waiting for the droplet';
const PULL = 'Uploading the release, logging in to registry.example.com, pulling images';
const START = 'Starting containers';

function deps(host: FakeHost, leftovers: [string, string | null][] = []): DeployDependencies {
  return {
    connect: async () => host,
    log: streamingLog('droplet'),
    identity: {
      runId: 'run-7-abc123',
      actor: 'octocat',
      commit: 'c0ffee',
      runUrl: 'https://x/runs/7',
    },
    onLeftovers: (name, dir) => leftovers.push([name, dir]),
  };
}

describe('deployHost', () => {
  it('takes the lock, uploads, pulls and starts, in that order, over one connection', async () => {
    const host = new FakeHost()
      .answer(WAIT, LOCKED)
      .answer(PULL, { stdout: `${KEEP_REPLIES.previous}=yes\n` });
    const leftovers: [string, string | null][] = [];
    const result = await deployHost('droplet', await inputs(), deps(host, leftovers));
    expect(result).toMatchObject({ host: 'droplet', status: 'success', rolledBack: false });
    expect(host.labels()).toEqual([WAIT, PULL, START]);
    expect(host.held).toBe(false);
    expect(host.closed).toBe(true);
    // The post step is told of the staging folder while it may exist, then that it is gone.
    expect(leftovers).toEqual([
      ['droplet', expect.stringMatching(/\.monarch\/staging-run-7-abc123$/)],
      ['droplet', null],
    ]);
  });

  it("stages .env with mode 0600 in this run's own folder, and moves it into place at start", async () => {
    const host = new FakeHost().answer(WAIT, LOCKED);
    await deployHost('droplet', await inputs(), deps(host));
    const staging = [...host.dirs][0];
    expect(staging).toMatch(/^\/opt\/monarch\/\.monarch\/staging-run-7-abc123$/);
    expect(host.files.get(`${staging}/.env`)).toEqual({
      content: "APP_TAG='v2'\nSECRET_KEY='s3cr3t value'\n",
      mode: 0o600,
    });
    expect(host.files.get(`${staging}/docker-compose.yml`)?.mode).toBe(0o644);
    const pull = host.commands.find((c) => c.label === PULL)?.text;
    expect(pull).toContain(
      `cd ${staging} || exit 1\nstatus=0\nif ! output=$(monarch_compose --file docker-compose.yml --project-name monarch pull --quiet 2>&1 </dev/null); then`,
    );
    expect(host.commands.find((c) => c.label === START)?.text).toContain(
      // Relative to app-dir, where the install works from (see safe-files.ts).
      `cd /opt/monarch || exit 1\nfor f in docker-compose.yml .env; do check_target "$f"; done\nfor f in docker-compose.yml .env; do install_file .monarch/staging-run-7-abc123 "$f"; done`,
    );
  });

  it('puts the registry login in a 0600 docker config of this run only; no secret, not even the user, in a command line', async () => {
    const host = new FakeHost().answer(WAIT, LOCKED);
    await deployHost('droplet', await inputs(), deps(host));
    const staging = [...host.dirs][0];
    const auth = Buffer.from('robot:pa55-w0rd').toString('base64');
    expect(host.files.get(`${staging}/.monarch-docker-config/config.json`)).toEqual({
      content: `${JSON.stringify({ auths: { 'registry.example.com': { auth } } }, null, 2)}\n`,
      mode: 0o600,
    });
    const pull = host.commands.find((c) => c.label === PULL)!;
    expect(pull.text).toContain(`export DOCKER_CONFIG=${staging}/.monarch-docker-config`);
    expect(pull.text).not.toContain('docker login');
    expect(pull.text).toContain(`rm -rf -- ${staging}/.monarch-docker-config`);
    for (const secret of ['pa55-w0rd', 'robot', auth, 's3cr3t', key.privateKey.split('\n')[1]]) {
      expect(host.commandLines()).not.toContain(secret);
    }
  });

  it("keeps the run's docker config apart from a release file of the same name", async () => {
    const host = new FakeHost().answer(WAIT, LOCKED);
    const workspace = makeWorkspace();
    mkdirSync(path.join(workspace, 'docker-config'));
    writeFileSync(path.join(workspace, 'docker-config/config.json'), '{"mine":true}\n');
    const values = { host: 'droplet', files: 'docker-config/config.json' };
    const settings = await getInputs(reader({ ...BASE, ...values }), workspace);
    expect((await deployHost('droplet', settings, deps(host))).status).toBe('success');
    const staging = [...host.dirs][0];
    expect(host.files.get(`${staging}/docker-config/config.json`)?.content).toBe('{"mine":true}\n');
    expect(host.files.get(`${staging}/.monarch-docker-config/config.json`)?.content).toContain(
      'registry.example.com',
    );
  });

  it('calls compose as the host has it, found on the host by the command that needs it', async () => {
    const host = new FakeHost().answer(WAIT, {
      stdout: `${DETECT_REPLIES.compose}=docker-compose\n`,
    });
    await deployHost('droplet', await inputs(), deps(host));
    for (const label of [PULL, START]) {
      const text = host.commands.find((c) => c.label === label)?.text ?? '';
      expect(text).toContain('monarch_compose() (');
      expect(text).toContain(
        'if command -v docker-compose >/dev/null 2>&1; then exec docker-compose "$@"; fi',
      );
    }
    expect(host.commands.find((c) => c.label === START)?.text).toContain(
      'monarch_compose --file docker-compose.yml --project-name monarch up -d --remove-orphans 2>&1 </dev/null',
    );
  });

  it('a failed pull stops before start, reports the step, and records the failure', async () => {
    const host = new FakeHost().answer(WAIT, LOCKED).answer(PULL, {
      code: 1,
      stderr: 'manifest for registry.example.com/app:v9 not found',
    });
    const result = await deployHost('droplet', await inputs(), deps(host));
    expect(result).toMatchObject({ status: 'failure', rolledBack: false });
    expect(result.failedStep).toBe(
      'Uploading the release, logging in to registry.example.com, pulling images',
    );
    expect(result.error).toContain('manifest for registry.example.com/app:v9 not found');
    expect(host.labels()).not.toContain(START);
    expect(host.labels()).toContain('Recording the failure');
  });

  it('says the login failed, for that registry, when it did', async () => {
    const host = new FakeHost()
      .answer(WAIT, LOCKED)
      .answer('Uploading the release, logging in to registry.example.com, pulling images', {
        code: 97,
        stderr: 'unauthorized: bad credentials',
      });
    const result = await deployHost('droplet', await inputs(), deps(host));
    expect(result.error).toBe(
      'registry login to registry.example.com failed: unauthorized: bad credentials',
    );
  });

  it('rolls back when the health check fails and there is a previous release', async () => {
    const host = new FakeHost()
      .answer(WAIT, LOCKED)
      .answer('Uploading the release, logging in to registry.example.com, pulling images', {
        stdout: `${KEEP_REPLIES.previous}=yes\n`,
      })
      .answer(START, { code: 93, stderr: 'service web is running (unhealthy)' })
      .answer('Rolling back', {
        stdout: `${IMAGE_REPLIES.container}=web r/app:v1 sha256:aaa\n${IMAGE_REPLIES.digest}=sha256:aaa r/app@sha256:bbb \n${HISTORY_REPLIES.history}={"time":"t","commit":"c0ffee","actor":"octocat","result":"failure","rolledBack":true,"run":"u"}\n`,
      });
    const result = await deployHost('droplet', await inputs(), deps(host));
    expect(result).toMatchObject({
      status: 'failure',
      failedStep: 'Starting containers, checking health',
      rolledBack: true,
    });
    expect(result.error).toContain('service web is running (unhealthy)');
    expect(result.images).toEqual([
      { service: 'web', image: 'r/app:v1', id: 'sha256:aaa', digest: 'r/app@sha256:bbb' },
    ]);
    expect(result.history).toHaveLength(1);
    expect(host.labels()).toEqual([
      WAIT,
      'Uploading the release, logging in to registry.example.com, pulling images',
      START,
      'Rolling back',
    ]);
  });

  it.each([
    ['stopped answering', new HostStoppedAnsweringError('droplet')],
    ['never reported', new NoReportError('droplet', START, 155_000)],
  ])(
    'a host that %s during the start is named with the step and what it may run; no rollback is tried',
    async (_, lost) => {
      // Over a lost connection every later command fails the same way.
      const host = new FakeHost()
        .answer(WAIT, LOCKED)
        .answer(PULL, { stdout: `${KEEP_REPLIES.previous}=yes\n` })
        .answer(START, lost)
        .answer('Rolling back', lost)
        .answer('Recording the failure', lost);
      const result = await deployHost('droplet', await inputs(), deps(host));
      expect(result).toMatchObject({
        status: 'failure',
        rolledBack: false,
        failedStep: 'Starting containers, checking health',
        error:
          `${lost.message}; the new release may be starting or running, and the previous one ` +
          'may be stopped; no rollback was tried: check the host',
      });
      expect(host.labels()).not.toContain('Rolling back');
      expect(host.labels()).not.toContain('Recording the failure');
      expect(stdout).not.toMatch(/rollback failed|Rolling back/);
      expect(stdout).toContain(
        `::error::droplet: Starting containers, checking health: ${lost.message}`,
      );
    },
  );

  it('a host that stops answering before the start is said to run what it ran', async () => {
    const lost = new HostStoppedAnsweringError('droplet');
    const host = new FakeHost().answer(WAIT, LOCKED).answer(PULL, lost);
    const result = await deployHost('droplet', await inputs(), deps(host));
    expect(result).toMatchObject({
      failedStep: PULL,
      error:
        'droplet stopped answering (its SSH server did not answer keepalives); nothing that ' +
        'runs was changed yet: the host still runs the release it ran before',
    });
    expect(host.labels()).not.toContain(START);
  });

  it('does not roll back a first deploy, and says there is nothing to roll back to', async () => {
    const host = new FakeHost()
      .answer(WAIT, LOCKED)
      .answer(START, { code: 98, stderr: 'port is already allocated' });
    const result = await deployHost('droplet', await inputs(), deps(host));
    expect(result).toMatchObject({
      status: 'failure',
      rolledBack: false,
      error: 'starting the containers failed: port is already allocated',
    });
    expect(stdout).toContain('there is no previous release to roll back to');
    expect(host.labels()).not.toContain('Rolling back');
  });

  it('names the marker when the droplet never finishes its setup', async () => {
    const host = new FakeHost().answer(WAIT, { code: 90 });
    const result = await deployHost('droplet', await inputs({ 'setup-timeout': '30' }), deps(host));
    expect(result.error).toBe(
      "the setup marker /opt/setup_complete did not appear on fake-droplet within 'setup-timeout' (30 s): has cloud-init finished?",
    );
  });

  it('says who holds the lock when another deploy does not finish in time', async () => {
    const host = new FakeHost().answer(WAIT, {
      code: 96,
      stdout: `${DETECT_REPLIES.user}=deploy\n${LOCK_REPLIES.holder}=hubot (https://x/runs/6) since 2026-11-30T08:00:00Z\n`,
    });
    const result = await deployHost('droplet', await inputs({ 'lock-timeout': '5' }), deps(host));
    expect(result.error).toBe(
      "another deploy holds the lock on fake-droplet (hubot (https://x/runs/6) since 2026-11-30T08:00:00Z); gave up after 'lock-timeout' (5 s)",
    );
  });

  it('reports a host it could not reach without running anything', async () => {
    const result = await deployHost('droplet', await inputs(), {
      ...deps(new FakeHost()),
      connect: async () => {
        throw new SshConnectError(
          'could not connect to root@droplet:22 over SSH: 5 attempt(s) in 30 s',
        );
      },
    });
    expect(result).toMatchObject({
      status: 'failure',
      error: expect.stringContaining('5 attempt(s)'),
    });
    expect(result.failedStep).toMatch(/^Connecting to droplet/);
  });

  it('a marker wait ends late by a little, never early: what is left of setup-timeout, rounded up', async () => {
    const host = new FakeHost().answer(WAIT, LOCKED);
    await deployHost('droplet', await inputs({ 'setup-timeout': '5' }), {
      ...deps(host),
      // Connecting took a moment: about 4.4 s of the 5 are left.
      connect: () => new Promise((resolve) => setTimeout(() => resolve(host), 600)),
    });
    const wait = host.commands.find((c) => c.label === WAIT)?.text ?? '';
    expect(wait).toMatch(/if \[ "\$waited" -ge '?5'? \]; then exit/);
  });

  it('gives every remote command a timeout', async () => {
    const host = new FakeHost().answer(WAIT, LOCKED);
    await deployHost('droplet', await inputs({ 'command-timeout': '42' }), deps(host));
    for (const command of host.commands) expect(command.timeoutMs).toBeGreaterThan(0);
    expect(host.commands.find((c) => c.label === PULL)?.timeoutMs).toBe(42_000);
  });

  it('a dry run checks and reports .env changes, and changes nothing', async () => {
    const current = Buffer.from("APP_TAG='v1'\nOLD='x'\n").toString('base64');
    const host = new FakeHost().answer('Checking the droplet', {
      stdout: `${MARKER_REPLIES.waited}=0\n${DETECT_REPLIES.user}=deploy\n${DETECT_REPLIES.compose}=docker compose\napp_dir=yes\ncurrent_env=${current}\n`,
    });
    const result = await deployHost('droplet', await inputs({ 'dry-run': 'true' }), deps(host));
    expect(result.status).toBe('success');
    expect(result.dryRun).toMatchObject({
      added: ['SECRET_KEY'],
      changed: ['APP_TAG'],
      removed: ['OLD'],
    });
    expect(host.labels()).toEqual(['Checking the droplet']);
    expect(host.files.size).toBe(0);
    expect(host.held).toBe(false);
    expect(stdout).not.toContain("'v1'");
    // What the host checks, after the go line: the compose file, the new .env, and the
    // registry login in the run's own docker config.
    const handed = host.releasedRelease('Checking the droplet', 2);
    expect(handed.lines).toEqual([GO_LINE, 'docker compose']);
    expect([...handed.files.keys()].sort()).toEqual([
      '.env',
      '.monarch-docker-config/config.json',
      'docker-compose.yml',
    ]);
    expect(handed.files.get('.env')).toContain('SECRET_KEY=');
    const config = JSON.parse(handed.files.get('.monarch-docker-config/config.json')!) as {
      auths: Record<string, unknown>;
    };
    expect(Object.keys(config.auths)).toHaveLength(1);
  });
});
