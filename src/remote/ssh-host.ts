/**
 * `RemoteHost` over one ssh2 connection: every command and every upload of a deploy shares it.
 * `connectWithRetry` (ssh-connect.ts) opens it, host key verified.
 */
import type { Duplex } from 'node:stream';
import * as core from '@actions/core';
import type ssh2 from 'ssh2';
import type { SFTPWrapper } from 'ssh2';
import { GO_LINE, TIMED_OUT, timedCommand } from '../host-scripts/protocol.js';
import { collect } from './channel-output.js';
import type { ExecOptions, ExecResult, HeldCommand, HoldOutcome, RemoteHost } from './host.js';
import { ConnectionLostError, RemoteTimeoutError } from './host.js';
import { sftpMkdir, sftpReadFile, sftpUploadFile, sftpWriteFile } from './sftp-files.js';
import type { ShellCommand } from './shell.js';

/** Slack after the remote `timeout` for its kill and the answer to travel back. */
const CLIENT_TIMEOUT_MARGIN_MS = 15_000;

/** One live SSH connection to a droplet. */
export class SshHost implements RemoteHost {
  private sftpSession?: Promise<SFTPWrapper>;
  private closed = false;
  private lostReason?: Error;
  private readonly pending = new Set<(error: Error) => void>();

  constructor(
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

  /**
   * Runs `command` under the host's `timeout` (so a hung `docker pull` is killed there, with
   * its children), and gives up here a little later if the host stops answering at all.
   */
  exec(command: ShellCommand, options: ExecOptions): Promise<ExecResult> {
    // With `after`, the command first waits for a `go` line, outside its timeout.
    const wrapped = timedCommand(command, options.timeoutMs, Boolean(options.after));
    const input = options.after
      ? options.after.then(() => `${GO_LINE}\n${options.stdin ?? ''}`)
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
          if (TIMED_OUT.includes(code))
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
    const wrapped = timedCommand(command, options.timeoutMs);
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
    return this.track(sftpMkdir(await this.sftp(), remotePath, mode));
  }

  async writeFile(remotePath: string, data: Buffer | string, mode: number): Promise<void> {
    const buffer = Buffer.isBuffer(data) ? data : Buffer.from(data, 'utf8');
    return this.track(sftpWriteFile(await this.sftp(), remotePath, buffer, mode));
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
    return this.track(sftpReadFile(await this.sftp(), remotePath));
  }

  async uploadFile(localPath: string, remotePath: string, mode: number): Promise<void> {
    return this.track(sftpUploadFile(await this.sftp(), localPath, remotePath, mode));
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
    work: Promise<T> | ((resolve: (value: T) => void, reject: (error: Error) => void) => void),
  ): Promise<T> {
    if (this.lostReason) return Promise.reject(this.lostReason);
    return new Promise<T>((resolve, reject) => {
      const fail = (error: Error) => {
        this.pending.delete(fail);
        reject(error);
      };
      const succeed = (value: T) => {
        this.pending.delete(fail);
        resolve(value);
      };
      this.pending.add(fail);
      if (typeof work === 'function') work(succeed, fail);
      else work.then(succeed, fail);
    });
  }
}
