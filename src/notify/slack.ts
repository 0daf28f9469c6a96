/**
 * Telling Slack about a run, behind one `Notifier` the main step calls twice: `start` before the
 * first host and `finish` with the report. With a bot token the channel gets ONE message per
 * deploy, "Deploying ..." updated in place with the result; with an incoming webhook (which
 * cannot edit what it posted) one message at the end. A failed notification is a warning unless
 * `slack-errors-fatal` is true.
 */
import * as core from '@actions/core';
import { oneLine } from '../remote-text.js';
import type { DeployReport } from '../types/report.js';
import type { SlackSettings } from '../types/settings.js';
import { shouldNotify } from './notify-on.js';
import { DEFAULT_RETRY_POLICY, describeNetworkError, type RetryPolicy } from './retrying-fetch.js';
import { SlackWebApi, type PostedMessage } from './slack-api.js';
import {
  buildDeployingMessage,
  buildSlackMessage,
  type DeployStart,
  type MessageOptions,
  type SlackMessage,
} from './slack-message.js';

export { shouldNotify, type NotifyOn } from './notify-on.js';

export type { SlackSettings } from '../types/settings.js';

/** What tests replace: retry timing and the environment (`MONARCH_SLACK_API_URL`). */
export interface NotifierDependencies {
  readonly retry?: Partial<RetryPolicy>;
  readonly env?: NodeJS.ProcessEnv;
}

/** How the notification went. */
export interface SlackResult {
  /** True when Slack took the result message. */
  readonly sent: boolean;
  /** The bot message's timestamp (the `slack-ts` output); none with a webhook. */
  readonly ts?: string;
  /** The channel ID of the bot message. */
  readonly channel?: string;
}

/** The Slack side of one run. */
export interface Notifier {
  /** Posts "Deploying ..." (bot token and `notify-on: always` only). Never throws. */
  start(deploy: DeployStart): Promise<void>;
  /**
   * Sends the result, as `notify-on` says. Throws `SlackNotificationError` only when
   * `errorsFatal` is set and Slack did not take the message; otherwise a failure is a warning.
   */
  finish(report: DeployReport): Promise<SlackResult>;
}

/** Slack did not take the result message and `slack-errors-fatal` is true. */
export class SlackNotificationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SlackNotificationError';
  }
}

/**
 * The notifier for `settings`. When both a webhook and a bot token are set, only the bot token
 * is used: it can update its "Deploying ..." message in place, and posting the same result
 * through the webhook too would put it in the channel twice.
 */
export function createNotifier(settings: SlackSettings, deps: NotifierDependencies = {}): Notifier {
  const policy: RetryPolicy = { ...DEFAULT_RETRY_POLICY, ...deps.retry };
  if (settings.botToken) {
    if (!settings.channel) {
      throw new Error(
        "Invalid input 'slack-channel': expected a channel ID when 'slack-bot-token' is set",
      );
    }
    const api = new SlackWebApi(settings.botToken, policy, deps.env);
    return new BotNotifier(settings, settings.channel, api);
  }
  if (settings.webhookUrl) return new WebhookNotifier(settings, settings.webhookUrl, policy);
  return { start: async () => undefined, finish: async () => ({ sent: false }) };
}

class WebhookNotifier implements Notifier {
  constructor(
    private readonly settings: SlackSettings,
    private readonly url: string,
    private readonly policy: RetryPolicy,
  ) {}

  async start(): Promise<void> {
    // A webhook cannot edit what it posted: a start message would be a second message.
  }

  async finish(report: DeployReport): Promise<SlackResult> {
    if (!shouldNotify(this.settings.notifyOn, report.status)) return skipped(this.settings);
    const message = buildSlackMessage(report, messageOptions(this.settings));
    return core.group('Notifying Slack', async () => {
      try {
        // @slack/webhook (and its HTTP client) loads only when a webhook message is sent.
        const { sendToWebhook } = await import('./slack-webhook.js');
        await sendToWebhook(this.url, message, this.policy);
        core.info('Slack message sent');
        return { sent: true };
      } catch (error) {
        return failed(this.settings, report, describeNetworkError(error));
      }
    });
  }
}

class BotNotifier implements Notifier {
  private posted?: PostedMessage;

  constructor(
    private readonly settings: SlackSettings,
    private readonly channel: string,
    private readonly api: SlackWebApi,
  ) {}

  async start(deploy: DeployStart): Promise<void> {
    // Only `always` is sure to announce the result; under `failure` or `success` nobody knows
    // yet whether there will be a result message, and a "Deploying ..." left alone is noise.
    if (this.settings.notifyOn !== 'always') return;
    await core.group('Notifying Slack: deploying', async () => {
      try {
        this.posted = await this.api.postMessage(this.channel, buildDeployingMessage(deploy));
        core.info(`Slack message posted to ${this.posted.channel} (ts ${this.posted.ts})`);
      } catch (error) {
        // A warning even with slack-errors-fatal: the result is then posted as a new message,
        // and that is the notification which counts (and fails the step if it fails too).
        core.warning(
          `the Slack "Deploying" message failed, the result will be posted as a new message: ${describeNetworkError(error)}`,
        );
      }
    });
  }

  async finish(report: DeployReport): Promise<SlackResult> {
    if (!shouldNotify(this.settings.notifyOn, report.status)) return skipped(this.settings);
    const message = buildSlackMessage(report, messageOptions(this.settings));
    return core.group('Notifying Slack', async () => {
      try {
        const posted = await this.send(message);
        core.info(
          `Slack message ${this.posted ? 'updated' : 'posted'} in ${posted.channel} (ts ${posted.ts})`,
        );
        return { sent: true, ts: posted.ts, channel: posted.channel };
      } catch (error) {
        return failed(this.settings, report, describeNetworkError(error));
      }
    });
  }

  /** Updates the start message in place; posts anew when there is none or it cannot be updated. */
  private async send(message: SlackMessage): Promise<PostedMessage> {
    if (this.posted) {
      try {
        return await this.api.update(this.posted.channel, this.posted.ts, message);
      } catch (error) {
        // E.g. the message was deleted meanwhile: the result must still reach the channel. After
        // a timeout the update may have landed, but a second message beats a stale "Deploying".
        core.info(
          `could not update the Slack message (${oneLine(describeNetworkError(error))}); posting a new one`,
        );
        this.posted = undefined;
      }
    }
    return this.api.postMessage(this.channel, message);
  }
}

function messageOptions(settings: SlackSettings): MessageOptions {
  return { secrets: settings.secrets };
}

function skipped(settings: SlackSettings): SlackResult {
  core.info(`Slack not notified: notify-on is '${settings.notifyOn}'`);
  return { sent: false };
}

function failed(settings: SlackSettings, report: DeployReport, reason: string): SlackResult {
  if (settings.errorsFatal) {
    throw new SlackNotificationError(
      `the Slack notification failed: ${reason} (the deploy itself ${report.status === 'success' ? 'succeeded' : 'failed'}; 'slack-errors-fatal' is true, so the step fails)`,
    );
  }
  core.warning(`the Slack notification failed (the deploy result is unchanged): ${reason}`);
  return { sent: false };
}
