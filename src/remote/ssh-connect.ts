/**
 * Opening a verified SSH connection: the host key is checked during the handshake, before the
 * private key is used; connecting retries with backoff while the droplet is still booting.
 */
import type { Duplex } from 'node:stream';
import ssh2 from 'ssh2';
import type { ConnectConfig } from 'ssh2';
import { untrustedError } from '../remote-text.js';
import type { ConnectionSettings } from '../types/settings.js';
import { checkHostKey, fingerprintOf, preferredHostKeyAlgorithms } from './host-keys.js';
import {
  retryUntilDeadline,
  SshFatalError,
  type RetryListener,
  type RetryPolicy,
} from './retry.js';
import { SshHost } from './ssh-host.js';

/** How to reach and authenticate to one droplet. */
export interface SshTarget extends ConnectionSettings {
  /** Opens the TCP stream to the host through a jump host; without it, a direct connection. */
  readonly tunnel?: (host: string, port: number) => Promise<Duplex>;
}

/** The time between keepalives (ms), and how many may go unanswered before the connection is lost. */
const KEEPALIVE = { intervalMs: 5_000, countMax: 3 } as const;

/**
 * Connects, retrying refused, unreachable and timed-out attempts with exponential backoff until
 * `retry.deadline`; a host key mismatch or a refused key fails at once.
 */
export function connectWithRetry(
  target: SshTarget,
  retry: RetryPolicy,
  onRetry: RetryListener = () => {},
): Promise<SshHost> {
  const now = retry.now ?? Date.now;
  const describe = `${target.username}@${target.host}:${target.port}`;
  return retryUntilDeadline(
    () => connectOnce(target, Math.max(5_000, Math.min(30_000, retry.deadline - now()))),
    describe,
    retry,
    onRetry,
  );
}

/** One connection attempt. */
export async function connectOnce(target: SshTarget, readyTimeoutMs: number): Promise<SshHost> {
  const sock = target.tunnel ? await target.tunnel(target.host, target.port) : undefined;
  return new Promise((resolve, reject) => {
    const client = new ssh2.Client();
    let presented = '';
    let insecure = false;
    let rejection: string | undefined;
    const algorithms = preferredHostKeyAlgorithms(target.hostKeyPolicy, target.host, target.port);
    const config: ConnectConfig = {
      ...(sock ? { sock } : { host: target.host, port: target.port }),
      username: target.username,
      privateKey: target.privateKey,
      passphrase: target.passphrase,
      // The key straight away: ssh2 would first try the `none` method, one round trip more.
      authHandler: ['publickey'],
      readyTimeout: readyTimeoutMs,
      keepaliveInterval: KEEPALIVE.intervalMs,
      keepaliveCountMax: KEEPALIVE.countMax,
      hostVerifier: (key: Buffer) => {
        presented = fingerprintOf(key);
        const verdict = checkHostKey(target.hostKeyPolicy, target.host, target.port, key);
        if (!verdict.ok) rejection = verdict.reason;
        else insecure = verdict.insecure;
        return verdict.ok;
      },
      ...(algorithms.length > 0 ? { algorithms: { serverHostKey: algorithms as never } } : {}),
    };
    client.once('ready', () => resolve(new SshHost(client, target.host, presented, insecure)));
    client.once('error', (error: Error & { level?: string }) => {
      client.end();
      if (rejection) reject(new SshFatalError(rejection));
      else if (error.level === 'client-authentication') {
        reject(
          new SshFatalError(
            `the server ${target.host} refused the key for user '${target.username}' ` +
              `(is its public key in ~${target.username}/.ssh/authorized_keys?)`,
          ),
        );
      } else reject(untrustedError(error));
    });
    client.connect(config);
  });
}
