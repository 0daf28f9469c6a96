/** The outcome of a run across its hosts: what outputs, the job summary and Slack all show. */
import type { RunContext } from '../context.js';
import type { HostResult } from '../deploy/deploy-host.js';

/** A finished run. */
export interface DeployReport {
  readonly status: 'success' | 'failure';
  readonly rolledBack: boolean;
  /** The hosts the run was asked to deploy to (empty when the inputs were invalid). */
  readonly targets: readonly string[];
  readonly hosts: readonly HostResult[];
  /** The first failure's step and message, for a one-line reason. */
  readonly failedStep?: string;
  readonly error?: string;
  readonly startedAt: Date;
  readonly durationMs: number;
  readonly context: RunContext;
  /** A dry run: checked, nothing changed. */
  readonly dryRun: boolean;
  /** The GitHub environment deployed to, when set. */
  readonly environment?: string;
  readonly environmentUrl?: string;
}

/** Sums up host results (or an error that stopped the run before any host). */
export function buildReport(
  context: RunContext,
  startedAt: Date,
  targets: readonly string[],
  hosts: readonly HostResult[],
  runError?: { step: string; message: string },
  dryRun = false,
): DeployReport {
  const failed = hosts.find((host) => host.status === 'failure');
  const status =
    !runError && hosts.length > 0 && hosts.every((host) => host.status === 'success')
      ? 'success'
      : 'failure';
  return {
    status,
    rolledBack: hosts.some((host) => host.rolledBack),
    targets,
    hosts,
    failedStep: runError?.step ?? (failed ? `${failed.host}: ${failed.failedStep}` : undefined),
    error: runError?.message ?? failed?.error,
    startedAt,
    durationMs: Date.now() - startedAt.getTime(),
    context,
    dryRun,
  };
}
