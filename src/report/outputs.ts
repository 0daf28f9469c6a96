/** Step outputs and the job summary of a run. */
import * as core from '@actions/core';
import type { DeployReport } from './deploy-report.js';

/** Sets `status`, `rolled-back`, `duration` and `images`. */
export function setOutputs(report: DeployReport): void {
  core.setOutput('status', report.status);
  core.setOutput('rolled-back', String(report.rolledBack));
  core.setOutput('duration', String(Math.round(report.durationMs / 1000)));
  const images = Object.fromEntries(
    report.hosts.map((host) => [
      host.host,
      Object.fromEntries(
        host.images.map((image) => [image.service, { image: image.image, id: image.id }]),
      ),
    ]),
  );
  core.setOutput('images', JSON.stringify(images));
}

/** Writes the job summary: one row per host, and what was deployed. */
export async function writeSummary(report: DeployReport): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) return;
  const ctx = report.context;
  const icon = report.status === 'success' ? '✅' : report.rolledBack ? '↩️' : '❌';
  const summary = core.summary.addHeading(
    `${icon} monarch-deploy: ${report.status}${report.rolledBack ? ' (rolled back)' : ''}`,
    2,
  );
  summary.addRaw(
    `Commit <code>${ctx.sha.slice(0, 7) || 'unknown'}</code> by ${ctx.actor || 'unknown'}, ` +
      `${report.startedAt.toISOString()}, ${Math.round(report.durationMs / 1000)} s`,
    true,
  );
  if (report.hosts.length > 0) {
    summary.addTable([
      [
        { data: 'Host', header: true },
        { data: 'Result', header: true },
        { data: 'Images', header: true },
        { data: 'Rolled back', header: true },
        { data: 'Duration', header: true },
      ],
      ...report.hosts.map((host) => [
        host.host,
        host.status === 'success' ? 'success' : `failure at ${host.failedStep}`,
        host.images
          .map((image) => `${image.service}: ${image.image} (${image.id.slice(7, 19)})`)
          .join('<br>') || '-',
        host.rolledBack ? 'yes' : 'no',
        `${Math.round(host.durationMs / 1000)} s`,
      ]),
    ]);
  }
  if (report.error) summary.addCodeBlock(report.error);
  await summary.write();
}
