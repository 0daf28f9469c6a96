/** The outcome of a run across its hosts: what outputs, the job summary and Slack all show. */
import type { DeployReport, HostResult, RunContext } from '../types/report.js';

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
    ...(hosts.some((host) => host.releaseCommandFailed) ? { releaseCommandFailed: true } : {}),
  };
}
