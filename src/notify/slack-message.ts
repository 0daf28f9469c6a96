/**
 * The Slack messages of a deploy: "Deploying ..." when it starts (bot token only) and the result
 * when it ends, as Block Kit blocks plus a plain-text fallback for notifications. Pure functions
 * of the report, so tests check them without a network.
 */
import type { KnownBlock } from '@slack/types';
import { lastLines } from '../remote-text.js';
import { redact } from '../secrets.js';
import type { DeployReport, HostResult, RunContext } from '../types/report.js';
import {
  SLACK_LIMITS,
  escapeMrkdwn,
  escapedTail,
  fieldSections,
  fitLines,
  headerBlock,
  limitBlocks,
  linkButtons,
  mrkdwnLink,
  textSection,
  truncate,
  type LinkButton,
} from './slack-blocks.js';

export { escapeMrkdwn } from './slack-blocks.js';

/** A message for `chat.postMessage`, `chat.update` or an incoming webhook. */
export interface SlackMessage {
  /** The fallback shown in notifications and by clients that cannot draw blocks. */
  readonly text: string;
  readonly blocks: readonly KnownBlock[];
}

/** What is known when a deploy starts: enough for the "Deploying ..." message. */
export interface DeployStart {
  readonly context: RunContext;
  /** The hosts the run will deploy to, in order. */
  readonly targets: readonly string[];
  readonly startedAt: Date;
  /** The GitHub environment deployed to (the `environment` input), if any. */
  readonly environment?: string;
  /** The environment's URL (the `environment-url` input), shown as a button. */
  readonly environmentUrl?: string;
}

/** Options for the result message. */
export interface MessageOptions {
  /**
   * Values never to show, besides every secret the run registered (see `secrets.ts`). The
   * runner masks secrets in the LOG only, not in what the action sends over HTTP, so an error
   * that quotes one would otherwise reach Slack as it is.
   */
  readonly secrets?: readonly string[];
}

/** How many of the error's last lines the failure section shows. */
const ERROR_LINES = 20;
const TITLE_LIMIT = 200;
const STEP_LIMIT = 300;

/** Builds the "Deploying ..." message posted when a deploy starts. */
export function buildDeployingMessage(start: DeployStart): SlackMessage {
  const ctx = start.context;
  const header = `:rocket: Deploying: ${target(start)}`;
  const fields = [
    ...commonFields(start),
    `*${start.targets.length > 1 ? 'Hosts' : 'Host'}*\n${fitLines(start.targets.map(escapeMrkdwn), SLACK_LIMITS.fieldText - 10) || 'none'}`,
    `*Started*\n${slackDate(start.startedAt)}`,
  ];
  const text =
    `Deploying: ${target(start)} on ${start.targets.join(', ') || 'no host'} — ` +
    `commit ${shortSha(ctx) || 'unknown'} by ${who(ctx)}${ctx.runUrl ? ` — ${ctx.runUrl}` : ''}`;
  return {
    text: truncate(escapeMrkdwn(text), SLACK_LIMITS.sectionText),
    blocks: limitBlocks([
      headerBlock(header),
      ...fieldSections(fields),
      ...linkButtons(links(start)),
    ]),
  };
}

/** Builds the message for a finished run. */
export function buildSlackMessage(
  report: DeployReport,
  options: MessageOptions = {},
): SlackMessage {
  const ctx = report.context;
  const hide = (text: string) => redact(text, secretForms(options.secrets ?? []));
  const failedStep = report.failedStep && truncate(hide(report.failedStep), STEP_LIMIT);
  // A stack's other managers are stand-ins, not targets the run failed to reach.
  const several = (!report.stack && report.targets.length > 1) || report.hosts.length > 1;
  const fields = [
    ...commonFields(report),
    ...(several ? [] : [`*Host*\n${escapeMrkdwn(hostSummary(report))}`]),
    ...(report.stack ? [`*Stack*\n${escapeMrkdwn(stackLine(report, report.stack))}`] : []),
    `*When*\n${slackDate(report.startedAt)} · took ${formatDuration(report.durationMs)}`,
  ];
  const blocks: KnownBlock[] = [
    headerBlock(`${icon(report)} ${headline(report)}`),
    ...fieldSections(fields),
  ];
  if (several) {
    const title = '*Hosts*\n';
    blocks.push(
      textSection(title + fitLines(hostLines(report), SLACK_LIMITS.sectionText - title.length)),
    );
  }
  if (report.status === 'failure' && report.error) {
    const where = failedStep ? `*Failed at:* ${escapeMrkdwn(failedStep)}\n` : '';
    const budget = SLACK_LIMITS.sectionText - where.length - 6;
    // Three backquotes in the error would end the code block early.
    const error = lastLines(hide(report.error), ERROR_LINES).replace(/```/g, "'''");
    blocks.push(textSection(`${where}\`\`\`${escapedTail(error, budget)}\`\`\``));
  }
  blocks.push(...linkButtons(links(report)));
  const failedAt = report.status === 'failure' && failedStep ? ` — failed at ${failedStep}` : '';
  const text =
    `${headline(report)} (${report.status}) on ${hostSummary(report)}${failedAt} — ` +
    `commit ${shortSha(ctx) || 'unknown'} by ${who(ctx)}${ctx.runUrl ? ` — ${ctx.runUrl}` : ''}`;
  return {
    text: truncate(escapeMrkdwn(text), SLACK_LIMITS.sectionText),
    blocks: limitBlocks(blocks),
  };
}

/** "1 min 5 s", "42 s": how long the run took. */
export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  return seconds % 60 === 0 ? `${minutes} min` : `${minutes} min ${seconds % 60} s`;
}

function commonFields(start: DeployStart): string[] {
  const ctx = start.context;
  const repositoryUrl = ctx.repository ? `${ctx.serverUrl}/${ctx.repository}` : undefined;
  const title = ctx.commitTitle ? ` ${escapeMrkdwn(truncate(ctx.commitTitle, TITLE_LIMIT))}` : '';
  return [
    `*Repository*\n${ctx.repository ? mrkdwnLink(repositoryUrl, ctx.repository) : 'unknown'}`,
    ...(start.environment
      ? [`*Environment*\n${mrkdwnLink(start.environmentUrl, start.environment)}`]
      : []),
    `*Commit*\n${shortSha(ctx) ? mrkdwnLink(ctx.commitUrl, shortSha(ctx)) : 'unknown'}${title}`,
    `*Ref*\n${escapeMrkdwn(ctx.ref || 'unknown')}`,
    `*By*\n${escapeMrkdwn(who(ctx))}`,
  ];
}

function links(start: DeployStart): LinkButton[] {
  const buttons: LinkButton[] = [];
  if (start.context.runUrl) buttons.push({ text: 'View workflow run', url: start.context.runUrl });
  if (start.environmentUrl) {
    buttons.push({ text: `Open ${start.environment || 'environment'}`, url: start.environmentUrl });
  }
  return buttons;
}

function target(start: DeployStart): string {
  const repository = start.context.repository || 'monarch-deploy';
  return start.environment ? `${repository} to ${start.environment}` : repository;
}

function headline(report: DeployReport): string {
  let verb: string;
  if (report.dryRun) {
    verb = report.status === 'success' ? 'Dry run passed' : 'Dry run failed';
  } else if (report.status === 'success') verb = 'Deployed';
  else if (report.releaseCommandFailed)
    verb = 'Deploy failed: release command failed, nothing switched';
  else verb = report.rolledBack ? 'Deploy failed, rolled back' : 'Deploy failed';
  return `${verb}: ${target(report)}`;
}

function icon(report: DeployReport): string {
  if (report.status === 'success') return report.dryRun ? ':mag:' : ':white_check_mark:';
  return report.rolledBack ? ':rewind:' : ':x:';
}

const MARKS: Readonly<Record<HostResult['status'], string>> = {
  success: '✓',
  failure: '✗',
  skipped: '–',
};

/** `web · 2 services, 3/3 tasks running`: the stack of `mode: swarm`. */
function stackLine(report: DeployReport, stack: NonNullable<DeployReport['stack']>): string {
  const services = report.hosts.flatMap((host) => host.stack?.services ?? []);
  const running = services.reduce((sum, service) => sum + service.running, 0);
  const desired = services.reduce((sum, service) => sum + service.desired, 0);
  const tasks = services.length > 0 ? `, ${running}/${desired} tasks running` : '';
  return `${stack.name} · ${stack.services} service${stack.services === 1 ? '' : 's'}${tasks}`;
}

/** Each host's mark and name: `✓ 10.0.0.1, ✗ 10.0.0.2`. */
function hostSummary(report: DeployReport): string {
  const marks = report.hosts.map((host) => `${MARKS[host.status]} ${host.host}`);
  return marks.join(', ') || report.targets.join(', ') || 'no host';
}

/** A line per host with its result; targets the run never reached say so. */
function hostLines(report: DeployReport): string[] {
  const reached = new Set(report.hosts.map((host) => host.host));
  return [
    ...report.hosts.map((host) => escapeMrkdwn(hostLine(host, report.dryRun))),
    ...(report.stack ? [] : report.targets)
      .filter((name) => !reached.has(name))
      .map((name) => `– ${escapeMrkdwn(name)}: not deployed`),
  ];
}

function hostLine(host: HostResult, dryRun: boolean): string {
  const took = formatDuration(host.durationMs);
  if (host.status === 'skipped') return `– ${host.host}: skipped (the rolling deploy stopped)`;
  if (host.status === 'success')
    return `✓ ${host.host}: ${dryRun ? 'checked' : 'deployed'} in ${took}`;
  const step = host.failedStep ? ` at ${host.failedStep}` : '';
  if (host.releaseCommandFailed)
    return `✗ ${host.host}: release command failed, nothing switched${step}`;
  return host.rolledBack
    ? `↩ ${host.host}: failed${step}, rolled back`
    : `✗ ${host.host}: failed${step}`;
}

function shortSha(ctx: RunContext): string {
  return ctx.sha.slice(0, 7);
}

function who(ctx: RunContext): string {
  if (!ctx.actor) return 'unknown';
  return ctx.triggeringActor && ctx.triggeringActor !== ctx.actor
    ? `${ctx.actor} (run by ${ctx.triggeringActor})`
    : ctx.actor;
}

/** Slack shows the time in each reader's time zone; the fallback is UTC. */
function slackDate(date: Date): string {
  return `<!date^${Math.floor(date.getTime() / 1000)}^{date_short_pretty} {time}|${date.toISOString()}>`;
}

/** Each secret and each of its lines (as the runner's log masking treats them). */
function secretForms(secrets: readonly string[]): string[] {
  return secrets.flatMap((value) => [value, ...value.split(/\r?\n/).map((line) => line.trim())]);
}
