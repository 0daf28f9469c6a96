/**
 * The two Slack Web API methods the action uses, `chat.postMessage` and `chat.update`, over the
 * global `fetch`. Not `@slack/web-api`: for two POSTs it would add about 214 KB to dist/ (p-queue,
 * eventemitter3, @slack/logger and a client for every method), and its retry policy is not
 * the one the webhook uses; here both share `fetchWithRetry`.
 */
import { oneLine } from '../remote-text.js';
import * as core from '@actions/core';
import { apiBaseUrl } from '../http/api-url-override.js';
import { fetchWithRetry, type RetryPolicy } from './retrying-fetch.js';
import type { SlackMessage } from './slack-message.js';

/** Where the Web API lives. */
export const DEFAULT_SLACK_API_URL = 'https://slack.com/api/';

/**
 * The Web API's base URL. `MONARCH_SLACK_API_URL` exists for tests, to reach a local stand-in;
 * it is deliberately not an input, and only a loopback address is honoured (see `apiBaseUrl`).
 */
export function slackApiUrl(env: NodeJS.ProcessEnv = process.env): string {
  const base = apiBaseUrl('MONARCH_SLACK_API_URL', DEFAULT_SLACK_API_URL, env);
  return base.endsWith('/') ? base : `${base}/`;
}

/** A message Slack holds: the channel ID (not the name it was posted to) and its timestamp. */
export interface PostedMessage {
  readonly channel: string;
  readonly ts: string;
}

/** A Web API call that Slack refused or that got no usable answer. */
export class SlackApiError extends Error {
  constructor(
    readonly method: string,
    /** Slack's error code (`channel_not_found`), or `http_<status>` / `invalid_response`. */
    readonly code: string,
    detail: string,
  ) {
    super(`Slack ${method} failed: ${detail}`);
    this.name = 'SlackApiError';
  }
}

const BOT_TOKEN_HINT =
  "check 'slack-bot-token': it must be the bot token (xoxb-...) of an installed app";

/** What to do about each error Slack may answer with, for the message the user reads. */
const HINTS: Readonly<Record<string, string>> = {
  channel_not_found:
    "check 'slack-channel' (the channel ID, e.g. C0123456789, is safest); for a private channel, invite the bot to the channel",
  not_in_channel: 'invite the bot to the channel (/invite @your-app in Slack)',
  is_archived: "the channel is archived: unarchive it or set another 'slack-channel'",
  invalid_auth: BOT_TOKEN_HINT,
  not_authed: BOT_TOKEN_HINT,
  account_inactive: BOT_TOKEN_HINT,
  token_revoked: "the bot token was revoked: reinstall the app and update 'slack-bot-token'",
  token_expired: "the bot token expired: reinstall the app and update 'slack-bot-token'",
  missing_scope: 'give the app the chat:write scope and reinstall it',
  restricted_action: 'the workspace does not let this bot post in that channel',
  restricted_action_read_only_channel: 'the channel is read-only for this bot',
  ratelimited: 'Slack rate-limited the bot: try again later',
  invalid_blocks: 'Slack refused the message layout: please report this to monarch-deploy',
  msg_too_long: 'Slack refused the message as too long: please report this to monarch-deploy',
};

/** A bot-token client for posting one message and updating it in place. */
export class SlackWebApi {
  private readonly baseUrl: string;

  constructor(
    private readonly token: string,
    private readonly policy: RetryPolicy,
    env: NodeJS.ProcessEnv = process.env,
  ) {
    this.baseUrl = slackApiUrl(env);
  }

  /** Posts `message` to `channel` (an ID or a name); resolves to where it landed. */
  async postMessage(channel: string, message: SlackMessage): Promise<PostedMessage> {
    return posted(
      'chat.postMessage',
      await this.call('chat.postMessage', { channel, text: message.text, blocks: message.blocks }),
    );
  }

  /** Replaces the message `ts` in `channel` (the ID `postMessage` returned) with `message`. */
  async update(channel: string, ts: string, message: SlackMessage): Promise<PostedMessage> {
    return posted(
      'chat.update',
      await this.call('chat.update', { channel, ts, text: message.text, blocks: message.blocks }),
    );
  }

  /** One call: JSON in, JSON out; Slack answers HTTP 200 with `ok: false` when it refuses. */
  private async call(
    method: string,
    body: Record<string, unknown>,
  ): Promise<Record<string, unknown>> {
    const response = await fetchWithRetry(
      `Slack ${method}`,
      new URL(method, this.baseUrl),
      {
        method: 'POST',
        headers: {
          Authorization: `Bearer ${this.token}`,
          'Content-Type': 'application/json; charset=utf-8',
        },
        body: JSON.stringify(body),
        redirect: 'error',
      },
      this.policy,
    );
    const text = await response.text();
    if (!response.ok) {
      const code = response.status === 429 ? 'ratelimited' : `http_${response.status}`;
      throw new SlackApiError(method, code, `HTTP ${response.status}${hint(code)}`);
    }
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch {
      data = undefined;
    }
    if (
      typeof data !== 'object' ||
      data === null ||
      typeof (data as { ok?: unknown }).ok !== 'boolean'
    ) {
      throw new SlackApiError(
        method,
        'invalid_response',
        `HTTP ${response.status} without a Slack API answer (is MONARCH_SLACK_API_URL right?)`,
      );
    }
    const answer = data as Record<string, unknown>;
    if (answer.ok !== true) {
      const code =
        typeof answer.error === 'string' ? oneLine(answer.error.slice(0, 100)) : 'unknown_error';
      const needed =
        typeof answer.needed === 'string' ? ` (needs ${oneLine(answer.needed.slice(0, 100))})` : '';
      throw new SlackApiError(method, code, `${code}${needed}${hint(code)}`);
    }
    if (typeof answer.warning === 'string')
      core.debug(`Slack ${method} warning: ${answer.warning}`);
    return answer;
  }
}

function posted(method: string, answer: Record<string, unknown>): PostedMessage {
  // Checked, not trusted: they are logged, and the ts is an output of the step.
  const { channel, ts } = answer;
  if (
    typeof channel !== 'string' ||
    typeof ts !== 'string' ||
    !/^[A-Z0-9]{1,40}$/.test(channel) ||
    !/^\d{1,20}\.\d{1,10}$/.test(ts)
  ) {
    throw new SlackApiError(method, 'invalid_response', 'the answer has no valid channel and ts');
  }
  return { channel, ts };
}

function hint(code: string): string {
  if (HINTS[code]) return `: ${HINTS[code]}`;
  return /^http_5\d\d$/.test(code) ? ': Slack is having trouble, the message was not sent' : '';
}
