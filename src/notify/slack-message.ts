/**
 * The Slack message for a finished run: Block Kit blocks plus a plain-text fallback. A pure
 * function of the report, so tests check it without a network.
 */
import type { RunContext } from '../context.js';
import type { DeployReport } from '../report/deploy-report.js';

/** The body posted to an incoming webhook. */
export interface SlackMessage {
  readonly text: string;
  readonly blocks: readonly Record<string, unknown>[];
}

const SECTION_LIMIT = 3000;
const HEADER_LIMIT = 150;

/** Escapes text for Slack mrkdwn (`&`, `<`, `>`). */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function truncate(text: string, limit: number): string {
  return text.length <= limit ? text : text.slice(0, limit - 1) + '…';
}

function headline(report: DeployReport): string {
  const verb =
    report.status === 'success'
      ? 'Deployed'
      : report.rolledBack
        ? 'Deploy failed, rolled back'
        : 'Deploy failed';
  const icon =
    report.status === 'success' ? ':white_check_mark:' : report.rolledBack ? ':rewind:' : ':x:';
  return `${icon} ${verb}: ${report.context.repository || 'monarch-deploy'}`;
}

/** Builds the message for a run's report. */
export function buildSlackMessage(report: DeployReport): SlackMessage {
  const ctx: RunContext = report.context;
  const shortSha = ctx.sha.slice(0, 7);
  const commit = ctx.commitUrl ? `<${ctx.commitUrl}|${shortSha}>` : shortSha || 'unknown';
  const who =
    ctx.triggeringActor && ctx.triggeringActor !== ctx.actor
      ? `${ctx.actor} (run by ${ctx.triggeringActor})`
      : ctx.actor;
  const hosts =
    report.hosts
      .map((host) => `${host.status === 'success' ? '✓' : '✗'} ${host.host}`)
      .join(', ') || report.targets.join(', ');
  const fields = [
    `*Status*\n${report.status}${report.rolledBack ? ' (rolled back)' : ''}`,
    `*Host(s)*\n${escapeMrkdwn(hosts)}`,
    `*Commit*\n${commit}${ctx.commitTitle ? ` ${escapeMrkdwn(truncate(ctx.commitTitle, 200))}` : ''}`,
    `*By*\n${escapeMrkdwn(who || 'unknown')}`,
    `*When*\n<!date^${Math.floor(report.startedAt.getTime() / 1000)}^{date_short_pretty} {time}|${report.startedAt.toISOString()}> (${Math.round(report.durationMs / 1000)} s)`,
    `*Ref*\n${escapeMrkdwn(ctx.ref || 'unknown')}`,
  ];
  const blocks: Record<string, unknown>[] = [
    {
      type: 'header',
      text: { type: 'plain_text', text: truncate(headline(report), HEADER_LIMIT), emoji: true },
    },
    {
      type: 'section',
      fields: fields.map((text) => ({ type: 'mrkdwn', text: truncate(text, 2000) })),
    },
  ];
  if (report.status === 'failure' && report.error) {
    const where = report.failedStep ? `*Failed at:* ${escapeMrkdwn(report.failedStep)}\n` : '';
    blocks.push({
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: truncate(`${where}\`\`\`${escapeMrkdwn(report.error)}\`\`\``, SECTION_LIMIT),
      },
    });
  }
  if (ctx.runUrl) {
    blocks.push({
      type: 'actions',
      elements: [
        {
          type: 'button',
          text: { type: 'plain_text', text: 'View workflow run' },
          url: ctx.runUrl,
        },
      ],
    });
  }
  const text =
    `${headline(report).replace(/^:[a-z_]+: /, '')} (${report.status}) on ${hosts} — ` +
    `commit ${shortSha || 'unknown'} by ${who || 'unknown'}${ctx.runUrl ? ` — ${ctx.runUrl}` : ''}`;
  return { text: truncate(text, SECTION_LIMIT), blocks };
}
