/**
 * `RemoteHost` over one ssh2 connection: every command of a deploy (the upload is one) shares it.
 * `connectWithRetry` (ssh-connect.ts) opens it, host key verified.
 */
import type { Duplex } from 'node:stream';
import * as core from '@actions/core';
import type ssh2 from 'ssh2';
import type { ClientChannel } from 'ssh2';
import { GO_LINE, runnerDeadlineMs, TIMED_OUT, timedCommand } from '../shell/timed.js';
import { oneLine, untrustedError } from '../remote-text.js';
import { collect, LineWatcher } from './channel-output.js';
import type { ExecOptions, ExecResult, HoldOutcome, RemoteHost } from './host.js';
import {
  ConnectionLostError,
  HostStoppedAnsweringError,
  NoReportError,
  RemoteTimeoutError,
} from './host.js';
import type { ShellCommand } from '../shell/command.js';

/** How long one channel open or forwarded channel may wait for the server. */
export const OPERATION_TIMEOUT_MS = 60_000;

/** A limit for one operation, named for the error that says it ran out. */
interface Limit {
  readonly label: string;
  readonly timeoutMs: number;
}

/** One live SSH connection to a droplet. */
export class SshHost implements RemoteHost {
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
    /** The limit of each channel open and forwarded channel. */
    private readonly operationTimeoutMs = OPERATION_TIMEOUT_MS,
  ) {
    const lost = (error?: Error) => {
      // The first reason stays: a keepalive timeout is followed by the close it causes.
      this.lostReason ??=
        error ?? new ConnectionLostError(`the SSH connection to ${name} was closed`);
      for (const reject of this.pending) reject(this.lostReason);
      this.pending.clear();
    };
    client.on('error', (error: Error & { level?: string }) =>
      lost(
        error.level === 'client-timeout'
          ? new HostStoppedAnsweringError(name)
          : new ConnectionLostError(
              `the SSH connection to ${name} was lost: ${oneLine(error.message)}`,
            ),
      ),
    );
    client.on('close', () => lost());
  }

  /**
   * Runs `command` under the host's `timeout` (so a hung `docker pull` is killed there, with
   * its children), and gives up here at `runnerDeadlineMs` if the host never reports its end.
   */
  exec(command: ShellCommand, options: ExecOptions): Promise<ExecResult> {
    // With `after`, the command first waits for a `go` line, outside its timeout.
    const wrapped = timedCommand(command, options.timeoutMs, Boolean(options.after));
    const stdin = options.stdin ?? '';
    const input = options.after
      ? options.after.then(() => Buffer.concat([Buffer.from(`${GO_LINE}\n`), Buffer.from(stdin)]))
      : Promise.resolve(stdin);
    // Handled here at once: a rejected input (an earlier step failed) must not go unhandled
    // while the channel is still opening.
    input.catch(() => {});
    return this.openChannel(wrapped, options.label).then((channel) =>
      this.track<ExecResult>((resolve, reject) => {
        let timer: NodeJS.Timeout | undefined;
        let started = Date.now();
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
            timer = this.deadline(channel, options, reject);
            channel.end(data);
          },
          () => channel.end(),
        );
      }),
    );
  }

  /**
   * Starts a command that keeps running (to hold a lock) and resolves once it prints the line
   * `readyLine`, or with its result if it ends first. Closing its standard input ends it. The
   * ready line is awaited until `runnerDeadlineMs`, the end until `runnerDeadlineMs(timeoutMs)`.
   */
  async hold(
    command: ShellCommand,
    options: ExecOptions & { readyLine: string },
  ): Promise<HoldOutcome> {
    const channel = await this.openChannel(timedCommand(command, options.timeoutMs), options.label);
    let ended: (result: ExecResult) => void = () => {};
    const result = this.track<ExecResult>((resolve, reject) => {
      const whole = { ...options, runnerDeadlineMs: runnerDeadlineMs(options.timeoutMs) };
      const timer = this.deadline(channel, whole, reject);
      ended = (value) => {
        clearTimeout(timer);
        resolve(value);
      };
    });
    result.catch(() => {});
    return this.track<HoldOutcome>((resolve, reject) => {
      const timer = this.deadline(channel, options, reject);
      const watcher = new LineWatcher(options.readyLine);
      const onData = (chunk: Buffer) => {
        if (!watcher.push(chunk)) return;
        clearTimeout(timer);
        channel.off('data', onData);
        const release = (input?: string | Buffer) => channel.end(input);
        resolve({ ready: true, held: { stdout: watcher.text(), release, result } });
      };
      channel.on('data', onData);
      collect(channel, (code, stdout, stderr) => {
        clearTimeout(timer);
        ended({ code, stdout, stderr });
        if (!watcher.found)
          resolve({ ready: false, result: { code, stdout: watcher.text(), stderr } });
      });
    });
  }

  /** The runner's clock on a started command: at its deadline, the channel is closed and `fail` told. */
  private deadline(
    channel: ClientChannel,
    options: ExecOptions,
    fail: (error: Error) => void,
  ): NodeJS.Timeout {
    const ms = options.runnerDeadlineMs ?? runnerDeadlineMs(options.timeoutMs);
    const timer = setTimeout(() => {
      core.debug(`${this.name}: ${options.label}: no report within ${ms} ms; closing its channel`);
      channel.close();
      fail(new NoReportError(this.name, options.label, ms));
    }, ms);
    // The connection keeps the run alive while it waits; a lost one must not be kept by this.
    timer.unref();
    return timer;
  }

  /** Opens an exec channel, giving up when the server does not answer in time. */
  private openChannel(command: ShellCommand, label: string): Promise<ClientChannel> {
    const opened = Date.now();
    core.debug(
      `${this.name}: ${label}: opening a channel for ${command.text.length} characters of shell`,
    );
    return this.track<ClientChannel>(
      (resolve, reject) =>
        this.client.exec(command.text, (error, channel) => {
          if (error) return reject(untrustedError(error));
          core.debug(`${this.name}: ${label}: channel open after ${Date.now() - opened} ms`);
          resolve(channel);
        }),
      { label: `${label}: opening a channel`, timeoutMs: this.operationTimeoutMs },
    );
  }

  /** Opens a TCP stream from this host to `host:port` (this host serving as a jump host). */
  forward(host: string, port: number): Promise<Duplex> {
    return this.track<Duplex>(
      (resolve, reject) => {
        this.client.forwardOut('127.0.0.1', 0, host, port, (error, stream) =>
          error ? reject(untrustedError(error)) : resolve(stream),
        );
      },
      { label: `forwarding a channel to ${host}:${port}`, timeoutMs: this.operationTimeoutMs },
    );
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.client.end();
  }

  /**
   * A promise that also fails if the connection is lost while it is pending, and, with a
   * `limit`, when the server does not answer within it (the connection's keepalive alone would
   * let a server that answers keepalives but nothing else hold the step forever).
   */
  private track<T>(
    work: Promise<T> | ((resolve: (value: T) => void, reject: (error: Error) => void) => void),
    limit?: Limit,
  ): Promise<T> {
    if (this.lostReason) return Promise.reject(this.lostReason);
    return new Promise<T>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const settle = () => {
        clearTimeout(timer);
        this.pending.delete(fail);
      };
      const fail = (error: Error) => {
        settle();
        reject(error);
      };
      const succeed = (value: T) => {
        settle();
        resolve(value);
      };
      this.pending.add(fail);
      if (limit)
        timer = setTimeout(
          () => fail(new RemoteTimeoutError(limit.label, limit.timeoutMs)),
          limit.timeoutMs,
        );
      if (typeof work === 'function') work(succeed, fail);
      else work.then(succeed, fail);
    });
  }
}
