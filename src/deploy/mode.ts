/**
 * A mode is one way to deploy: compose on each host (compose-mode.ts), or a Swarm stack
 * through a manager (swarm-mode.ts). It is chosen once per run (`modeOf`, modes.ts), and the
 * steps receive it whole: its programs, what its release holds, its words in the log and in
 * errors, how it reads replies and how it goes through the hosts. No step asks which mode it is.
 */
import type { HistoryRecord } from '../host-scripts/history.js';
import type { MarkerWait, ReleaseTarget, StartOptions } from '../host-scripts/programs.js';
import type { ReceivedEntry } from '../host-scripts/receive.js';
import type { ShellCommand } from '../shell/command.js';
import type { TarEntry } from '../remote/tar.js';
import type { DryRunReport, HostResult } from '../types/report.js';
import type { StepLimits } from './deadlines.js';
import type { StepReport } from './step-report.js';

/** One deploy's remote commands. */
export interface DeployPrograms {
  lock(wait: MarkerWait, lockSeconds: number, holder: string): ShellCommand;
  pull(entries: readonly ReceivedEntry[]): ShellCommand;
  start(options: StartOptions): ShellCommand;
  rollback(record: HistoryRecord): ShellCommand;
  recordFailure(record: HistoryRecord): ShellCommand;
  dryRun(wait: MarkerWait): ShellCommand;
}

/** How a run deploys one of its hosts (see `DeployMode.deployHosts`). */
export interface HostDeployOptions {
  /** Its log is kept and printed whole when it ends (hosts deploying side by side). */
  readonly buffered: boolean;
  /** How long connection attempts may go on (default: `setup-timeout`). */
  readonly connectBudgetMs?: number;
  /** A failure that left the host untouched is logged as information: another host is tried. */
  readonly failover?: boolean;
}

/** What the log and the errors of a mode say. */
export interface ModeWords {
  /** The lock step's last words: what deploys on the host, e.g. `compose command: docker compose`. */
  tool(composeCommand: string): string;
  /** The log group of the start. */
  readonly startTitle: string;
  /** The start's command, in messages ("Starting containers"). */
  readonly startLabel: string;
  /** Why a first deploy has nothing to roll back to. */
  readonly firstDeploy: string;
  /** The host lacks what the mode needs of docker. */
  noDocker(host: string, user: string): string;
  /** What failed when the start's `up` (or `stack deploy`) failed. */
  readonly upFailed: string;
  /**
   * The health (or convergence) wait ran out; `timeout` names the input and its value,
   * `output` is what the wait printed (empty: nothing).
   */
  healthTimeout(timeout: string, output: string): string;
  /** A container (or a task) failed its health check, or an update was paused. */
  unhealthy(detail: string): string;
}

/** One way to deploy, whole. */
export interface DeployMode {
  /**
   * The remote programs of a deploy to `target` (its layout included); `runToken` names this
   * run on this host (what a swarm-wide lease is given back by).
   */
  programs(target: ReleaseTarget, runToken: string): DeployPrograms;
  /** The release's entries beyond the compose file, `files`, `.env` and the registry login. */
  readonly releaseEntries: readonly TarEntry[];
  readonly words: ModeWords;
  /** How many locks the lock step waits for in turn (app-dir's; a stack's swarm-wide lease too). */
  readonly locks: number;
  /**
   * Each step's limit (`stepLimits`): the mode's rollback waits for what it put back
   * (compose's containers, a stack's services), so its limit is the mode's.
   */
  readonly limits: StepLimits;
  /** The error a rollback's exit code means for this mode, if any. */
  rollbackError(code: number, stderr: string): Error | undefined;
  /** The message when another deploy held the lock, from what the lock program printed. */
  lockedError(host: string, stdout: string, gaveUpAfter: string): string;
  /** The mode's own replies in a finished step's `stdout` (images, history and prune are read for all). */
  report(stdout: string): Partial<StepReport>;
  /** Logs what a finished deploy did beyond the images (e.g. the services it created). */
  logOutcome(outcome: StepReport, log: ModeLog): void;
  /** What the dry run found that a deploy would do, from what its checks printed. */
  dryRunPlan(stdout: string): Pick<DryRunReport, 'stack'>;
  /** The dry run's lines about the file it checked and what a deploy would do. */
  dryRunLines(report: DryRunReport): string[];
  /** Deploys the run's `hosts` with `deployOne` (all of them, or the first that takes it). */
  deployHosts(
    hosts: readonly string[],
    deployOne: (host: string, options: HostDeployOptions) => Promise<HostResult>,
    warn: (message: string) => void,
  ): Promise<HostResult[]>;
}

/** Where a mode logs. */
export interface ModeLog {
  info(text: string): void;
  warning(text: string): void;
}
