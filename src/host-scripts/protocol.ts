/**
 * The protocol between the action and the scripts it runs on a host, declared once and imported
 * by both sides and by the tests: exit codes, the lines that start and release commands, and
 * the `key=value` replies scripts print.
 */
import { oneLine } from '../remote-text.js';
import { sh, type ShellCommand } from '../remote/shell.js';

/** Exit codes of the host scripts, clear of docker's, the shell's (126-128+) and timeout(1)'s. */
export const EXIT = {
  /** The release command did not finish within its timeout; its container was removed. */
  releaseCommandTimedOut: 85,
  /** The release command exited non-zero; `release_status=` says with what. */
  releaseCommandFailed: 86,
  /** `mode: swarm`, and the host is not a manager of an active swarm; `swarm=` says its state. */
  notManager: 87,
  /** The release could not be unpacked into this run's staging folder. */
  uploadFailed: 88,
  /** app-dir holds what the deploy must not follow or overwrite (a link, a folder, a foreign owner); `unsafe=` says what. */
  unsafePath: 89,
  /** The setup marker did not appear in time. */
  markerTimeout: 90,
  /** app-dir (or its state folder) cannot be created or written. */
  notWritable: 91,
  /** No docker, or no compose. */
  noDocker: 92,
  /** A container exited, restarted or turned unhealthy. */
  unhealthy: 93,
  /** The containers were not healthy within health-timeout. */
  healthTimeout: 94,
  /** No flock for the deploy lock. */
  noFlock: 95,
  /** Another deploy held the lock for all of lock-timeout. */
  locked: 96,
  /** The registry refused the login. */
  loginFailed: 97,
  /** `compose up` (or `docker stack deploy`) failed. */
  upFailed: 98,
  /** The command was told not to start (its `go` line never came): it did nothing. */
  notStarted: 99,
} as const;

/** timeout(1)'s exit codes: 124 when the command ended on TERM, 137 when `-k` had to KILL it. */
export const TIMED_OUT: readonly number[] = [124, 137];

/** What a long-lived command prints once it holds the lock; everything before it is replies. */
export const READY_LINE = 'monarch-ready';

/** The line a waiting command reads on its standard input before it starts. */
export const GO_LINE = 'go';

/** Seconds the host's timeout(1) waits after TERM before it KILLs. */
const KILL_AFTER_SECONDS = 5;

/** `ms` as the whole seconds a host's `timeout` gets: rounded up, never down, at least 1. */
export function wholeSeconds(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1000));
}

/** What the runner waits beyond a command's limit on the host: timeout(1)'s KILL, then 10 s for the answer. */
export const RUNNER_MARGIN_MS = (KILL_AFTER_SECONDS + 10) * 1000;

/**
 * The runner's own limit on a command that the host limits to `hostTimeoutMs` (rounded up to
 * the whole seconds `timedCommand` gives it), plus `RUNNER_MARGIN_MS`. It holds when the host
 * answers keepalives but never reports: its program, or its `timeout`, stopped or starved.
 */
export function runnerDeadlineMs(hostTimeoutMs: number): number {
  return wholeSeconds(hostTimeoutMs) * 1000 + RUNNER_MARGIN_MS;
}

/**
 * The command line that runs `script` under the host's `timeout` (a hung `docker pull` is
 * killed there, with its children). With `waitForGo`, it first reads one line from its
 * standard input, outside the timeout, and starts only if that line is `GO_LINE`.
 */
export function timedCommand(
  script: ShellCommand,
  timeoutMs: number,
  waitForGo = false,
): ShellCommand {
  const seconds = wholeSeconds(timeoutMs);
  const timed = sh`timeout -k ${KILL_AFTER_SECONDS} ${seconds} sh -c ${script.text}`;
  if (!waitForGo) return timed;
  return sh`IFS= read -r go && [ "$go" = ${GO_LINE} ] || exit ${EXIT.notStarted}
exec ${timed}`;
}

/**
 * The `key=value` lines a script printed; other lines are ignored. What a host prints is not
 * trusted: each value is kept on one line, its control characters shown escaped.
 */
export class Replies {
  private readonly values = new Map<string, string[]>();

  constructor(text: string) {
    for (const line of text.split('\n')) {
      const eq = line.indexOf('=');
      if (eq <= 0) continue;
      const key = line.slice(0, eq);
      if (!/^[a-z_]+$/.test(key)) continue;
      const list = this.values.get(key) ?? [];
      list.push(oneLine(line.slice(eq + 1)));
      this.values.set(key, list);
    }
  }

  /** The first value printed for `key`. */
  get(key: string): string | undefined {
    return this.values.get(key)?.[0];
  }

  /** Every value printed for `key`, in order. */
  all(key: string): string[] {
    return this.values.get(key) ?? [];
  }

  /** The first value of `key` as a whole number, or `fallback`. */
  number(key: string, fallback = 0): number {
    const value = Number(this.get(key));
    return Number.isFinite(value) && this.get(key) !== undefined ? value : fallback;
  }
}
