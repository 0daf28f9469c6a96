import { jest } from '@jest/globals';
import { deployHost, type DeployDependencies } from '../../src/deploy/deploy-host.js';
import { getInputs, type Inputs } from '../../src/inputs.js';
import { SshConnectError } from '../../src/remote/ssh-host.js';
import { FakeHost } from '../support/fake-host.js';
import { makeWorkspace, reader } from '../support/inputs.js';
import { makeKey } from '../support/keys.js';

const key = makeKey('ed25519');
let stdout: string;

beforeEach(() => {
  stdout = '';
  jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout += chunk.toString();
    return true;
  });
});
afterEach(() => jest.restoreAllMocks());

function inputs(values: Record<string, string> = {}): Inputs {
  return getInputs(
    reader({
      host: 'droplet',
      'ssh-private-key': key.privateKey,
      'host-fingerprint': key.fingerprint,
      registry: 'registry.example.com',
      'registry-username': 'robot',
      'registry-password': 'pa55-w0rd',
      env: 'APP_TAG=v2\nSECRET_KEY=s3cr3t value',
      ...values,
    }),
    makeWorkspace(),
  );
}

const PREPARED = { stdout: 'waited=0\nuser=deploy\ncompose=docker compose\n' };

function deps(host: FakeHost, logins: [string, boolean][] = []): DeployDependencies {
  return {
    connect: async () => host,
    onLoginStateChange: (name, loggedIn) => logins.push([name, loggedIn]),
  };
}

describe('deployHost', () => {
  it('runs the steps in order over one connection and closes it', async () => {
    const host = new FakeHost()
      .answer('Waiting for the droplet', PREPARED)
      .answer('Pulling images', { stdout: 'previous=yes\n' });
    const logins: [string, boolean][] = [];
    const result = await deployHost('droplet', inputs(), deps(host, logins));
    expect(result).toMatchObject({ host: 'droplet', status: 'success', rolledBack: false });
    expect(host.labels()).toEqual([
      'Waiting for the droplet',
      'Logging in to registry.example.com',
      'Pulling images',
      'Starting containers',
      'Checking health',
      'Listing images',
      'Pruning images',
      'Logging out of registry.example.com',
    ]);
    expect(host.closed).toBe(true);
    expect(logins).toEqual([
      ['droplet', true],
      ['droplet', false],
    ]);
  });

  it('stages .env with mode 0600 and the compose file beside it, then moves them into place', async () => {
    const host = new FakeHost().answer('Waiting for the droplet', PREPARED);
    await deployHost('droplet', inputs(), deps(host));
    expect(host.files.get('/opt/monarch/.monarch/staging/.env')).toEqual({
      content: "APP_TAG='v2'\nSECRET_KEY='s3cr3t value'\n",
      mode: 0o600,
    });
    expect(host.files.get('/opt/monarch/.monarch/staging/docker-compose.yml')?.mode).toBe(0o644);
    expect(host.commands.find((c) => c.label === 'Pulling images')?.text).toContain(
      'cd /opt/monarch/.monarch/staging && docker compose --project-name monarch pull',
    );
    expect(host.commands.find((c) => c.label === 'Starting containers')?.text).toContain(
      'mv -f /opt/monarch/.monarch/staging/"$f" "$f"',
    );
  });

  it('sends the registry password only over stdin, and no secret in any command line', async () => {
    const host = new FakeHost().answer('Waiting for the droplet', PREPARED);
    await deployHost('droplet', inputs(), deps(host));
    expect(host.commands.find((c) => c.label.startsWith('Logging in'))).toMatchObject({
      text: 'docker login --username robot --password-stdin registry.example.com',
      stdin: 'pa55-w0rd',
    });
    for (const secret of ['pa55-w0rd', 's3cr3t', key.privateKey.split('\n')[1]])
      expect(host.commandLines()).not.toContain(secret);
  });

  it('uses docker-compose when that is what the host has', async () => {
    const host = new FakeHost().answer('Waiting for the droplet', {
      stdout: 'compose=docker-compose\n',
    });
    await deployHost('droplet', inputs(), deps(host));
    expect(host.commands.find((c) => c.label === 'Starting containers')?.text).toContain(
      'docker-compose up -d --remove-orphans </dev/null',
    );
  });

  it('a failed pull stops before up, reports the step, and leaves the containers alone', async () => {
    const host = new FakeHost()
      .answer('Waiting for the droplet', PREPARED)
      .answer('Pulling images', {
        code: 1,
        stderr: 'manifest for registry.example.com/app:v9 not found',
      });
    const result = await deployHost('droplet', inputs(), deps(host));
    expect(result).toMatchObject({
      status: 'failure',
      failedStep: 'Pulling images',
      rolledBack: false,
    });
    expect(result.error).toContain('manifest for registry.example.com/app:v9 not found');
    expect(host.labels()).not.toContain('Starting containers');
    expect(host.labels()).not.toContain('Rolling back');
    expect(host.labels()).toContain('Logging out of registry.example.com');
  });

  it('rolls back when the health check fails and there is a previous release', async () => {
    const host = new FakeHost()
      .answer('Waiting for the droplet', PREPARED)
      .answer('Pulling images', { stdout: 'previous=yes\n' })
      .answer('Checking health', { code: 93, stderr: 'service web is running (unhealthy)' });
    const result = await deployHost('droplet', inputs(), deps(host));
    expect(result).toMatchObject({
      status: 'failure',
      failedStep: 'Checking health',
      rolledBack: true,
    });
    expect(result.error).toContain('service web is running (unhealthy)');
    expect(host.labels()).toContain('Rolling back');
    expect(host.labels()).not.toContain('Pruning images');
  });

  it('does not roll back a first deploy, and says there is nothing to roll back to', async () => {
    const host = new FakeHost()
      .answer('Waiting for the droplet', PREPARED)
      .answer('Starting containers', { code: 1, stderr: 'port is already allocated' });
    const result = await deployHost('droplet', inputs(), deps(host));
    expect(result).toMatchObject({
      status: 'failure',
      failedStep: 'Starting containers',
      rolledBack: false,
    });
    expect(stdout).toContain('there is no previous release to roll back to');
    expect(host.labels()).not.toContain('Rolling back');
  });

  it('names the marker when the droplet never finishes its setup', async () => {
    const host = new FakeHost().answer('Waiting for the droplet', { code: 90 });
    const result = await deployHost('droplet', inputs({ 'setup-timeout': '30' }), deps(host));
    expect(result.error).toBe(
      "the setup marker /opt/setup_complete did not appear on fake-droplet within 'setup-timeout' (30 s): has cloud-init finished?",
    );
  });

  it('reports a host it could not reach without running anything', async () => {
    const result = await deployHost('droplet', inputs(), {
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

  it('gives every remote command a timeout', async () => {
    const host = new FakeHost().answer('Waiting for the droplet', PREPARED);
    await deployHost('droplet', inputs({ 'command-timeout': '42' }), deps(host));
    for (const command of host.commands) expect(command.timeoutMs).toBeGreaterThan(0);
    expect(host.commands.find((c) => c.label === 'Pulling images')?.timeoutMs).toBe(42_000);
  });
});
