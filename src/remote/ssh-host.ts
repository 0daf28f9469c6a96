/**
 * `RemoteHost` over one ssh2 connection: every command and every upload of a deploy shares it.
 * Connecting retries with backoff while the droplet is still booting; the host key is checked
 * during the handshake, before the private key is used.
 */
import { createReadStream } from 'node:fs';
import type { Duplex } from 'node:stream';
import * as core from '@actions/core';
import ssh2 from 'ssh2';
import type { ClientChannel, ConnectConfig, SFTPWrapper } from 'ssh2';
import type { ExecOptions, ExecResult, HeldCommand, HoldOutcome, RemoteHost } from './host.js';
import { ConnectionLostError, NOT_STARTED, RemoteTimeoutError } from './host.js';
import {
  checkHostKey,
  fingerprintOf,
  preferredHostKeyAlgorithms,
  type HostKeyPolicy,
} from './host-keys.js';
import { sh, type ShellCommand } from './shell.js';

/** How to reach and authenticate to one droplet. */
export interface SshTarget {
  readonly host: string;
  readonly port: number;
  readonly username: string;
  readonly privateKey: string;
  readonly passphrase?: string;
  readonly hostKeyPolicy: HostKeyPolicy;
  /** Opens the TCP stream to the host through a jump host; without it, a direct connection. */
  readonly tunnel?: (host: string, port: number) => Promise<Duplex>;
}

/** How long to keep trying, and how fast. Injected so tests run without waiting. */
export interface RetryPolicy {
  /** Epoch milliseconds after which no new attempt starts. */
  readonly deadline: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
}

/** Called after a failed attempt that will be retried. */
export type RetryListener = (attempt: number, error: Error, delayMs: number) => void;

/** A failure that retrying cannot fix (host key, authentication). */
export class SshFatalError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SshFatalError';
  }
}

/** Where connection attempts stop for good. */
export class SshConnectError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SshConnectError';
  }
}

const OUTPUT_LIMIT = 1 << 20;
/** Below SFTP's usual packet limit (32 KiB): one write request carries the whole file. */
const SMALL_FILE = 30_000;
/** Slack after the remote `timeout` for its kill and the answer to travel back. */
const CLIENT_TIMEOUT_MARGIN_MS = 15_000;

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

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
    () => SshHost.connect(target, Math.max(5_000, Math.min(30_000, retry.deadline - now()))),
    describe,
    retry,
    onRetry,
  );
}

/**
 * Calls `attempt` until it succeeds, an `SshFatalError` is thrown, or the next try would start
 * after the deadline; the delay doubles from `baseDelayMs` up to `maxDelayMs`.
 */
export async function retryUntilDeadline<T>(
  attempt: () => Promise<T>,
  describe: string,
  retry: RetryPolicy,
  onRetry: RetryListener = () => {},
): Promise<T> {
  const now = retry.now ?? Date.now;
  const sleep = retry.sleep ?? defaultSleep;
  const started = now();
  for (let count = 1; ; count++) {
    try {
      return await attempt();
    } catch (error) {
      if (error instanceof SshFatalError) throw error;
      const lastError = error instanceof Error ? error : new Error(String(error));
      const delay = Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** (count - 1));
      if (now() + delay >= retry.deadline) {
        const seconds = Math.round((now() - started) / 1000);
        throw new SshConnectError(
          `could not connect to ${describe} over SSH: ${count} attempt(s) in ${seconds} s ` +
            `(until 'setup-timeout'), the last failed with: ${lastError.message}`,
        );
      }
      onRetry(count, lastError, delay);
      await sleep(delay);
    }
  }
}

/** One live SSH connection to a droplet. */
export class SshHost implements RemoteHost {
  private sftpSession?: Promise<SFTPWrapper>;
  private closed = false;
  private lostReason?: Error;
  private readonly pending = new Set<(error: Error) => void>();

  private constructor(
    private readonly client: ssh2.Client,
    readonly name: string,
    /** The server's host key fingerprint, as verified. */
    readonly fingerprint: string,
    /** True when the key was accepted only because of `insecure-ignore-host-key`. */
    readonly insecure: boolean,
  ) {
    const lost = (error?: Error) => {
      this.lostReason =
        error ?? new ConnectionLostError(`the SSH connection to ${name} was closed`);
      for (const reject of this.pending) reject(this.lostReason);
      this.pending.clear();
    };
    client.on('error', (error: Error) =>
      lost(new ConnectionLostError(`the SSH connection to ${name} was lost: ${error.message}`)),
    );
    client.on('close', () => lost());
  }

  /** One connection attempt. */
  static async connect(target: SshTarget, readyTimeoutMs: number): Promise<SshHost> {
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
        readyTimeout: readyTimeoutMs,
        keepaliveInterval: 5_000,
        keepaliveCountMax: 3,
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
        } else reject(error);
      });
      client.connect(config);
    });
  }

  /**
   * Runs `command` under the host's `timeout` (so a hung `docker pull` is killed there, with
   * its children), and gives up here a little later if the host stops answering at all.
   */
  exec(command: ShellCommand, options: ExecOptions): Promise<ExecResult> {
    const seconds = Math.max(1, Math.ceil(options.timeoutMs / 1000));
    const timed = sh`timeout -k 5 ${seconds} sh -c ${command.text}`;
    // With `after`, the command first waits for a `go` line, outside its timeout.
    const wrapped = options.after
      ? sh`IFS= read -r go || exit ${NOT_STARTED}; exec ${timed}`
      : timed;
    const input = options.after
      ? options.after.then(() => `go\n${options.stdin ?? ''}`)
      : Promise.resolve(options.stdin ?? '');
    // Handled here at once: a rejected input (an earlier step failed) must not go unhandled
    // while the channel is still opening.
    input.catch(() => {});
    const opened = Date.now();
    core.debug(
      `${this.name}: ${options.label}: opening a channel for ${wrapped.text.length} characters of shell`,
    );
    return this.track<ExecResult>((resolve, reject) => {
      this.client.exec(wrapped.text, (error, channel) => {
        if (error) return reject(error);
        let timer: NodeJS.Timeout | undefined;
        let started = Date.now();
        core.debug(`${this.name}: ${options.label}: channel open after ${started - opened} ms`);
        collect(channel, (code, stdout, stderr) => {
          clearTimeout(timer);
          core.debug(
            `${this.name}: ${options.label}: exit ${code} after ${Date.now() - started} ms`,
          );
          if (code === 124 || code === 137)
            reject(new RemoteTimeoutError(options.label, options.timeoutMs));
          else resolve({ code, stdout, stderr });
        });
        input.then(
          (data) => {
            started = Date.now();
            timer = setTimeout(() => {
              channel.close();
              reject(new RemoteTimeoutError(options.label, options.timeoutMs));
            }, options.timeoutMs + CLIENT_TIMEOUT_MARGIN_MS);
            channel.end(data);
          },
          () => channel.end(),
        );
      });
    });
  }

  /**
   * Starts a command that keeps running (to hold a lock) and resolves once it prints the line
   * `readyLine`, or with its result if it ends first. Closing its standard input ends it.
   */
  hold(command: ShellCommand, options: ExecOptions & { readyLine: string }): Promise<HoldOutcome> {
    const seconds = Math.max(1, Math.ceil(options.timeoutMs / 1000));
    const wrapped = sh`timeout -k 5 ${seconds} sh -c ${command.text}`;
    return this.track<HoldOutcome>((resolve, reject) => {
      this.client.exec(wrapped.text, (error, channel) => {
        if (error) return reject(error);
        let stdout = '';
        let ready = false;
        const onData = (chunk: Buffer) => {
          stdout += chunk.toString('utf8');
          const at = stdout.indexOf(`${options.readyLine}\n`);
          if (ready || at < 0) return;
          ready = true;
          const held: HeldCommand = { stdout: stdout.slice(0, at), release: () => channel.end() };
          resolve({ ready: true, held });
        };
        channel.on('data', onData);
        collect(channel, (code, _out, stderr) => {
          if (!ready) resolve({ ready: false, result: { code, stdout, stderr } });
        });
      });
    });
  }

  async mkdir(remotePath: string, mode: number): Promise<void> {
    const sftp = await this.sftp();
    return this.track<void>((resolve, reject) => {
      sftp.mkdir(remotePath, { mode }, (error) =>
        error ? reject(sftpError(error, 'create', remotePath)) : resolve(),
      );
    });
  }

  /**
   * Small files are written with the close sent right behind the write (the server answers in
   * order): open, then write + close, two round trips instead of three.
   */
  async writeFile(remotePath: string, data: Buffer | string, mode: number): Promise<void> {
    const sftp = await this.sftp();
    const buffer = Buffer.isBuffer(data) ? data : Buffer.from(data, 'utf8');
    return this.track<void>((resolve, reject) => {
      const fail = (error: Error) => reject(sftpError(error, 'write', remotePath));
      if (buffer.length > SMALL_FILE) {
        sftp.writeFile(remotePath, buffer, { flag: 'wx', mode }, (error) =>
          error ? fail(error) : resolve(),
        );
        return;
      }
      sftp.open(remotePath, 'wx', { mode }, (openError, handle) => {
        if (openError) return fail(openError);
        let writeError: Error | undefined;
        if (buffer.length > 0) {
          sftp.write(
            handle,
            buffer,
            0,
            buffer.length,
            0,
            (error) => (writeError = error ?? undefined),
          );
        }
        sftp.close(handle, (closeError) => {
          const error = writeError ?? closeError;
          if (error) fail(error);
          else resolve();
        });
      });
    });
  }

  /** Opens a TCP stream from this host to `host:port` (this host serving as a jump host). */
  forward(host: string, port: number): Promise<Duplex> {
    return this.track<Duplex>((resolve, reject) => {
      this.client.forwardOut('127.0.0.1', 0, host, port, (error, stream) =>
        error ? reject(error) : resolve(stream),
      );
    });
  }

  async readFile(remotePath: string): Promise<Buffer | null> {
    const sftp = await this.sftp();
    return this.track<Buffer | null>((resolve, reject) => {
      sftp.readFile(remotePath, (error: (Error & { code?: number }) | undefined, data: Buffer) => {
        if (!error) return resolve(data);
        // SFTP status 2 is "no such file".
        if (error.code === 2) return resolve(null);
        reject(new Error(`could not read ${remotePath} over SFTP: ${error.message}`));
      });
    });
  }

  async uploadFile(localPath: string, remotePath: string, mode: number): Promise<void> {
    const sftp = await this.sftp();
    return this.track<void>((resolve, reject) => {
      const source = createReadStream(localPath);
      const sink = sftp.createWriteStream(remotePath, { flags: 'wx', mode });
      source.once('error', (error) => {
        sink.destroy();
        reject(error);
      });
      sink.once('error', (error: Error) => reject(sftpError(error, 'write', remotePath)));
      sink.once('close', () => resolve());
      source.pipe(sink);
    });
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.client.end();
  }

  private sftp(): Promise<SFTPWrapper> {
    const started = Date.now();
    this.sftpSession ??= this.track<SFTPWrapper>((resolve, reject) => {
      this.client.sftp((error, sftp) => {
        core.debug(
          `${this.name}: SFTP session ${error ? 'failed' : 'open'} after ${Date.now() - started} ms`,
        );
        if (error) reject(error);
        else resolve(sftp);
      });
    });
    return this.sftpSession;
  }

  /** A promise that also fails if the connection is lost while it is pending. */
  private track<T>(
    body: (resolve: (value: T) => void, reject: (error: Error) => void) => void,
  ): Promise<T> {
    if (this.lostReason) return Promise.reject(this.lostReason);
    return new Promise<T>((resolve, reject) => {
      const fail = (error: Error) => {
        this.pending.delete(fail);
        reject(error);
      };
      this.pending.add(fail);
      body((value) => {
        this.pending.delete(fail);
        resolve(value);
      }, fail);
    });
  }
}

function collect(
  channel: ClientChannel,
  done: (code: number, stdout: string, stderr: string) => void,
): void {
  const out = new BoundedBuffer();
  const err = new BoundedBuffer();
  let code = -1;
  channel.on('data', (chunk: Buffer) => out.push(chunk));
  channel.stderr.on('data', (chunk: Buffer) => err.push(chunk));
  channel.on('exit', (exitCode: number | null, signal?: string) => {
    code = exitCode ?? (signal ? 128 : -1);
  });
  channel.on('close', () => done(code, out.text(), err.text()));
}

/** Keeps the last `OUTPUT_LIMIT` bytes of a stream: enough for any message, bounded memory. */
class BoundedBuffer {
  private chunks: Buffer[] = [];
  private size = 0;
  push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.size += chunk.length;
    while (this.size > OUTPUT_LIMIT && this.chunks.length > 1)
      this.size -= this.chunks.shift()!.length;
  }
  text(): string {
    return Buffer.concat(this.chunks).toString('utf8');
  }
}

function sftpError(error: Error, action: 'create' | 'write', remotePath: string): Error {
  return new Error(`could not ${action} ${remotePath} over SFTP: ${error.message}`);
}
