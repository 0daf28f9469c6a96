/**
 * The narrow interface the deploy steps use to act on a droplet. `SshHost` implements it over
 * one ssh2 connection; the unit tests use an in-memory fake.
 */
import { lastLines } from '../remote-text.js';
import type { ShellCommand } from '../shell/command.js';

/** Options of one remote command. */
export interface ExecOptions {
  /** What the command does, for logs and error messages ("Pulling images"). */
  readonly label: string;
  /** Sent to the command's standard input, then closed (how secrets travel). */
  readonly stdin?: string | Buffer;
  /**
   * Start the command only once this resolves: its channel opens now (two round trips saved
   * while the step before it runs) and it waits on the host, outside its timeout. If this
   * rejects, the command stops there without doing anything and exits `EXIT.notStarted`.
   */
  readonly after?: Promise<unknown>;
  /** The command is killed on the host after this long, and abandoned here shortly after. */
  readonly timeoutMs: number;
  /**
   * The runner's own limit, from the moment the command starts: after it, the channel is
   * closed and the command fails with `NoReportError` (for `hold`: the limit on its ready
   * line). Default: `runnerDeadlineMs(timeoutMs)`.
   */
  readonly runnerDeadlineMs?: number;
}

/** What a finished remote command left. */
export interface ExecResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** A command left running by `RemoteHost.hold`. */
export interface HeldCommand {
  /** What it printed before its ready line. */
  readonly stdout: string;
  /** Writes `input` (if any) and closes its standard input: it ends, releasing what it holds. */
  release(input?: string | Buffer): void;
  /** How it ended: everything it printed (within a bound), its exit code. */
  readonly result: Promise<ExecResult>;
}

/** How `hold` went: ready and running, or ended before it was ready. */
export type HoldOutcome =
  | { readonly ready: true; readonly held: HeldCommand }
  | { readonly ready: false; readonly result: ExecResult };

/** A connected droplet. */
export interface RemoteHost {
  /** The address, for messages. */
  readonly name: string;
  /** Runs a command in the user's shell. Resolves with any exit code; rejects on timeout or a lost connection. */
  exec(command: ShellCommand, options: ExecOptions): Promise<ExecResult>;
  /** Runs a long-lived command; see `SshHost.hold`. */
  hold(
    command: ShellCommand,
    options: ExecOptions & { readonly readyLine: string },
  ): Promise<HoldOutcome>;
  /** Closes the connection; safe to call twice. */
  close(): void;
}

/** A remote command that ran and failed. */
export class RemoteCommandError extends Error {
  constructor(
    readonly step: string,
    readonly code: number,
    readonly stderr: string,
    message?: string,
  ) {
    super(message ?? `${step} failed (exit code ${code})${tailSuffix(stderr)}`);
    this.name = 'RemoteCommandError';
  }
}

/** The SSH connection went away (dropped, reset, or closed by the server). */
export class ConnectionLostError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConnectionLostError';
  }
}

/** The host stopped answering: its SSH server no longer answered keepalives. */
export class HostStoppedAnsweringError extends ConnectionLostError {
  constructor(host: string) {
    super(`${host} stopped answering (its SSH server did not answer keepalives)`);
    this.name = 'HostStoppedAnsweringError';
  }
}

/**
 * The host never reported the end of a command within the runner's own limit, although the
 * connection still answers: the command, or the host's `timeout` over it, is stuck.
 */
export class NoReportError extends Error {
  constructor(
    host: string,
    readonly step: string,
    readonly deadlineMs: number,
  ) {
    super(
      `${host} did not report the end of '${step}' within ${Math.round(deadlineMs / 1000)} s ` +
        `(the step's own limit on the host, and a margin): its SSH server answers, its command does not`,
    );
    this.name = 'NoReportError';
  }
}

/** A remote command that did not finish in time. */
export class RemoteTimeoutError extends Error {
  constructor(
    readonly step: string,
    readonly timeoutMs: number,
  ) {
    super(`${step} timed out after ${Math.round(timeoutMs / 1000)} s`);
    this.name = 'RemoteTimeoutError';
  }
}

function tailSuffix(stderr: string): string {
  const tail = lastLines(stderr);
  return tail ? `: ${tail}` : '';
}
