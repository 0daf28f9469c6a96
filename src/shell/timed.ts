/**
 * How one command runs on a host, the part of the wire both sides share: the runner wraps each
 * command in the host's `timeout(1)`, may hold it until a `go` line comes, and keeps its own
 * clock beyond the host's. The connection (src/remote/) builds the wrapper; the host programs
 * (src/host-scripts/) and the steps read these names; neither imports the other.
 */
import { sh, type ShellCommand } from './command.js';

/** The line a waiting command reads on its standard input before it starts. */
export const GO_LINE = 'go';

/** The exit code of a command told not to start (its `go` line never came): it did nothing. */
export const NOT_STARTED_EXIT = 99;

/** timeout(1)'s exit codes: 124 when the command ended on TERM, 137 when `-k` had to KILL it. */
export const TIMED_OUT: readonly number[] = [124, 137];

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
  return sh`IFS= read -r go && [ "$go" = ${GO_LINE} ] || exit ${NOT_STARTED_EXIT}
exec ${timed}`;
}
