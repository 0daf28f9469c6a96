/**
 * The job summary of a run: a row per host, what runs there, and the recent deploys. Every
 * text in it that came from a host, a container or an input is escaped for where it goes
 * (see summary-text.ts): a container's log line such as `<img src=x onerror=...>` shows as
 * text, and a history line holding `\n\n[click](https://...)` cannot end the table.
 */
import * as core from '@actions/core';
import type { DeployReport, HostResult } from '../types/report.js';
import { html, inlineHtml as text } from './summary-text.js';

export { html } from './summary-text.js';

/** A list of names (`.env` keys, services) is longer than one value. */
const LIST_LIMIT = 4000;

type Summary = typeof core.summary;

const header = (cells: string[]) => cells.map((data) => ({ data, header: true }));

/** Writes the job summary, when the runner gives a file for it. */
export async function writeSummary(report: DeployReport): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) return;
  const summary = core.summary.addHeading(title(report), 2);
  addFacts(summary, report);
  if (report.hosts.length > 0) addHosts(summary, report.hosts);
  addStacks(summary, report.hosts);
  addRollouts(summary, report.hosts);
  for (const host of report.hosts) {
    if (!host.dryRun) continue;
    const { added, changed, removed } = host.dryRun;
    const list = (keys: readonly string[]) => text(keys.join(', ') || 'none', LIST_LIMIT);
    if (host.dryRun.stack) {
      const plan = host.dryRun.stack;
      summary.addRaw(
        `<p><b>${text(host.host)}</b>: services created: ${list(plan.create)}; updated: ${list(plan.update)}; removed: ${list(plan.remove)}</p>`,
        true,
      );
    }
    summary.addRaw(
      `<p><b>${text(host.host)}</b>: .env keys added: ${list(added)}; changed: ${list(changed)}; removed: ${list(removed)}</p>`,
      true,
    );
  }
  if (report.error) summary.addRaw(`<pre><code>${html(report.error)}</code></pre>`, true);
  addHistory(summary, report.hosts);
  await summary.write();
}

function title(report: DeployReport): string {
  const icon = report.dryRun
    ? '🔍'
    : report.status === 'success'
      ? '✅'
      : report.rolledBack
        ? '↩️'
        : '❌';
  const text = report.dryRun
    ? `dry run: ${report.status === 'success' ? 'every check passed, nothing changed' : 'a check failed'}`
    : report.releaseCommandFailed
      ? `${report.status} (release command failed, nothing switched)`
      : `${report.status}${report.rolledBack ? ' (rolled back)' : ''}`;
  return `${icon} monarch-deploy: ${text}`;
}

function addFacts(summary: Summary, report: DeployReport): void {
  const ctx = report.context;
  summary.addRaw(
    `Commit <code>${text(ctx.sha.slice(0, 7) || 'unknown')}</code> by ${text(ctx.actor || 'unknown')}, ` +
      `started ${report.startedAt.toISOString()}, took ${Math.round(report.durationMs / 1000)} s` +
      (ctx.runUrl ? ` (<a href="${html(ctx.runUrl)}">run</a>)` : ''),
    true,
  );
}

function addHosts(summary: Summary, hosts: readonly HostResult[]): void {
  const images = (host: HostResult) =>
    host.images
      .map((image) => {
        const digest = image.digest
          ? `<br><code>${text(image.digest.split('@')[1] ?? image.digest)}</code>`
          : '';
        return `${text(image.service)}: <code>${text(image.image)}</code>${digest}`;
      })
      .join('<br>') || '-';
  summary.addTable([
    header(['Host', 'Result', 'Images', 'Rolled back', 'Duration']),
    ...hosts.map((host) => [
      text(host.host),
      host.status === 'failure' ? `failure at ${text(host.failedStep ?? '?')}` : host.status,
      images(host),
      host.rolledBack ? 'yes' : host.releaseCommandFailed ? 'no (nothing switched)' : 'no',
      `${Math.round(host.durationMs / 1000)} s`,
    ]),
  ]);
}

/** `mode: swarm`: per service, its replicas, the nodes its tasks run on, its image and digest. */
function addStacks(summary: Summary, hosts: readonly HostResult[]): void {
  for (const host of hosts) {
    if (!host.stack || host.stack.services.length === 0) continue;
    summary.addHeading(`Stack ${text(host.stack.name)} (manager ${text(host.host)})`, 3);
    summary.addTable([
      header(['Service', 'Replicas', 'Nodes', 'Image']),
      ...host.stack.services.map((service) => [
        text(service.name),
        text(`${service.running}/${service.desired}`),
        text(service.nodes.join(', ') || '-', LIST_LIMIT),
        `<code>${text(service.image)}</code>` +
          (service.digest ? `<br><code>${text(service.digest)}</code>` : ''),
      ]),
    ]);
  }
}

/** `mode: compose` with start-first services: how each service was rolled, and the overlap. */
function addRollouts(summary: Summary, hosts: readonly HostResult[]): void {
  const rolled = hosts.filter((host) => host.rollouts?.length);
  if (rolled.length === 0) return;
  summary.addHeading('How services were rolled', 3);
  summary.addTable([
    header(['Host', 'Service', 'Rolled', 'Old and new side by side']),
    ...rolled.flatMap((host) =>
      (host.rollouts ?? []).map((rollout) => [
        html(host.host),
        html(rollout.service),
        rollout.order === 'start-first' ? 'start-first' : 'recreate (up -d)',
        rollout.order === 'recreate'
          ? '-'
          : rollout.overlapSeconds === null
            ? 'first start'
            : `${rollout.overlapSeconds} s`,
      ]),
    ),
  ]);
}

function addHistory(summary: Summary, hosts: readonly HostResult[]): void {
  const withHistory = hosts.filter((host) => host.history.length > 0);
  if (withHistory.length === 0) return;
  summary.addHeading('Recent deploys', 3);
  summary.addTable([
    header(['Host', 'Time', 'Commit', 'By', 'Result']),
    ...withHistory.flatMap((host) =>
      [...host.history]
        .reverse()
        .map((entry) => [
          text(host.host),
          text(String(entry.time)),
          `<code>${text(String(entry.commit).slice(0, 7))}</code>`,
          text(String(entry.actor)),
          `${text(String(entry.result))}${entry.rolledBack === true ? ' (rolled back)' : ''}`,
        ]),
    ),
  ]);
}
