/**
 * The runner's own clock on remote commands, against a real SSH server (ssh2's, in this
 * process): a command whose end the host never reports, while the connection answers, ends at
 * the runner's deadline with a message that says so; and what ends a frozen host's connection.
 */
import type { AddressInfo } from 'node:net';
import ssh2 from 'ssh2';
import type { ServerChannel } from 'ssh2';
import { RUNNER_MARGIN_MS, runnerDeadlineMs } from '../../src/shell/timed.js';
import { HostStoppedAnsweringError, NoReportError } from '../../src/remote/host.js';
import { sh } from '../../src/shell/command.js';
import { SshHost } from '../../src/remote/ssh-host.js';
import { makeKey } from '../support/keys.js';

/** What the server's commands do: print `output` (if any), then never exit. */
let output = '';
const channels: ServerChannel[] = [];

const server = new ssh2.Server({ hostKeys: [makeKey('ed25519').privateKey] }, (client) => {
  client.on('authentication', (context) => context.accept());
  client.on('error', () => {});
  client.on('session', (accept) => {
    accept().on('exec', (acceptExec) => {
      const channel = acceptExec();
      channels.push(channel);
      if (output) channel.write(output);
    });
  });
});

beforeAll(() => new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve)));
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  output = '';
});

function connect(): Promise<SshHost> {
  const client = new ssh2.Client();
  return new Promise((resolve, reject) => {
    client.on('ready', () => resolve(new SshHost(client, 'droplet', 'SHA256:x', false)));
    client.on('error', reject);
    client.connect({
      host: '127.0.0.1',
      port: (server.address() as AddressInfo).port,
      username: 'deploy',
      password: 'unused',
    });
  });
}

describe('runnerDeadlineMs', () => {
  it.each([[1], [999], [1_000], [5_500], [300_000]])(
    'outlasts the host limit of %i ms, its KILL grace included, by the margin',
    (hostMs) => {
      const hostLimitMs = Math.max(1, Math.ceil(hostMs / 1000)) * 1000 + 5_000;
      expect(runnerDeadlineMs(hostMs)).toBeGreaterThan(hostLimitMs);
      expect(runnerDeadlineMs(hostMs) - Math.ceil(hostMs / 1000) * 1000).toBe(RUNNER_MARGIN_MS);
    },
  );
});

describe('SshHost', () => {
  it('ends a command the host never reports at the runner deadline, naming the step', async () => {
    const host = await connect();
    try {
      const started = Date.now();
      const run = host.exec(sh`docker compose up -d`, {
        label: 'Starting containers',
        timeoutMs: 60_000,
        runnerDeadlineMs: 300,
      });
      await expect(run).rejects.toThrow(NoReportError);
      await expect(run).rejects.toThrow(
        "droplet did not report the end of 'Starting containers' within 0 s (the step's own limit on the host, and a margin): its SSH server answers, its command does not",
      );
      expect(Date.now() - started).toBeLessThan(30_000);
    } finally {
      host.close();
    }
  });

  it('ends a lock holder that never prints its ready line at its runner deadline', async () => {
    output = 'waited=0\n';
    const host = await connect();
    try {
      const outcome = host.hold(sh`flock 9`, {
        label: 'Waiting for the droplet',
        timeoutMs: 600_000,
        runnerDeadlineMs: 300,
        readyLine: 'monarch-ready',
      });
      await expect(outcome).rejects.toThrow(
        /^droplet did not report the end of 'Waiting for the droplet' within 0 s/,
      );
    } finally {
      host.close();
    }
  });

  it('keeps to the deadline a held command that became ready, only for its end', async () => {
    output = 'user=deploy\nmonarch-ready\n';
    const host = await connect();
    try {
      const outcome = await host.hold(sh`flock 9`, {
        label: 'Waiting for the droplet',
        timeoutMs: 600_000,
        runnerDeadlineMs: 300,
        readyLine: 'monarch-ready',
      });
      expect(outcome.ready).toBe(true);
      if (!outcome.ready) return;
      expect(outcome.held.stdout).toBe('user=deploy\n');
      // Past the ready line's deadline, the lock is still held: its channel is open.
      await new Promise((resolve) => setTimeout(resolve, 600));
      expect(channels.at(-1)?.destroyed).toBe(false);
      outcome.held.release();
    } finally {
      host.close();
    }
  });

  it('names a host whose SSH server stopped answering keepalives as one that stopped answering', async () => {
    const host = await connect();
    try {
      const run = host.exec(sh`true`, { label: 'Pulling images', timeoutMs: 60_000 });
      // What ssh2's client emits when keepaliveCountMax keepalives went unanswered.
      const keepalive = Object.assign(new Error('Keepalive timeout'), { level: 'client-timeout' });
      (host as unknown as { client: ssh2.Client }).client.emit('error', keepalive);
      await expect(run).rejects.toThrow(HostStoppedAnsweringError);
      await expect(run).rejects.toThrow(
        'droplet stopped answering (its SSH server did not answer keepalives)',
      );
    } finally {
      host.close();
    }
  });
});
