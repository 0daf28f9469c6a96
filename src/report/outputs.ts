/** Step outputs and the job summary of a run. */
import * as core from '@actions/core';
import type { DeployReport } from '../types/report.js';

/** Sets `status`, `rolled-back`, `duration` and `images`. */
export function setOutputs(report: DeployReport): void {
  core.setOutput('status', report.status);
  core.setOutput('rolled-back', String(report.rolledBack));
  core.setOutput('duration', String(Math.round(report.durationMs / 1000)));
  const images = Object.fromEntries(
    report.hosts.map((host) => [
      host.host,
      Object.fromEntries(
        host.images.map((image) => [
          image.service,
          { image: image.image, id: image.id, digest: image.digest || null },
        ]),
      ),
    ]),
  );
  core.setOutput('images', JSON.stringify(images));
}

/** Escapes text for the HTML of the job summary. */
function html(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Writes the job summary: a row per host, what runs there, and the recent deploys. */
export async function writeSummary(report: DeployReport): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) return;
  const ctx = report.context;
  const icon = report.dryRun
    ? '🔍'
    : report.status === 'success'
      ? '✅'
      : report.rolledBack
        ? '↩️'
        : '❌';
  const title = report.dryRun
    ? `dry run: ${report.status === 'success' ? 'every check passed, nothing changed' : 'a check failed'}`
    : `${report.status}${report.rolledBack ? ' (rolled back)' : ''}`;
  const summary = core.summary.addHeading(`${icon} monarch-deploy: ${title}`, 2);
  summary.addRaw(
    `Commit <code>${html(ctx.sha.slice(0, 7) || 'unknown')}</code> by ${html(ctx.actor || 'unknown')}, ` +
      `started ${report.startedAt.toISOString()}, took ${Math.round(report.durationMs / 1000)} s` +
      (ctx.runUrl ? ` (<a href="${html(ctx.runUrl)}">run</a>)` : ''),
    true,
  );
  if (report.hosts.length > 0) {
    summary.addTable([
      ['Host', 'Result', 'Images', 'Rolled back', 'Duration'].map((data) => ({
        data,
        header: true,
      })),
      ...report.hosts.map((host) => [
        html(host.host),
        host.status === 'failure' ? `failure at ${html(host.failedStep ?? '?')}` : host.status,
        host.images
          .map(
            (image) =>
              `${html(image.service)}: <code>${html(image.image)}</code>${image.digest ? `<br><code>${html(image.digest.split('@')[1] ?? image.digest)}</code>` : ''}`,
          )
          .join('<br>') || '-',
        host.rolledBack ? 'yes' : 'no',
        `${Math.round(host.durationMs / 1000)} s`,
      ]),
    ]);
  }
  for (const host of report.hosts.filter((h) => h.dryRun)) {
    const dry = host.dryRun!;
    summary.addRaw(
      `<p><b>${html(host.host)}</b>: .env keys added: ${html(dry.added.join(', ') || 'none')}; ` +
        `changed: ${html(dry.changed.join(', ') || 'none')}; removed: ${html(dry.removed.join(', ') || 'none')}</p>`,
      true,
    );
  }
  if (report.error) summary.addCodeBlock(report.error);
  const withHistory = report.hosts.filter((host) => host.history.length > 0);
  if (withHistory.length > 0) {
    summary.addHeading('Recent deploys', 3);
    summary.addTable([
      ['Host', 'Time', 'Commit', 'By', 'Result'].map((data) => ({ data, header: true })),
      ...withHistory.flatMap((host) =>
        [...host.history]
          .reverse()
          .map((entry) => [
            html(host.host),
            html(entry.time),
            `<code>${html(entry.commit.slice(0, 7))}</code>`,
            html(entry.actor),
            `${html(entry.result)}${entry.rolledBack ? ' (rolled back)' : ''}`,
          ]),
      ),
    ]);
  }
  await summary.write();
}
