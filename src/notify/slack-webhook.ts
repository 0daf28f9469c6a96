/**
 * Posting to a Slack incoming webhook with `@slack/webhook`. Its own retry gives up on HTTP 429
 * and would run every attempt under one timeout, so it is turned off and the webhook gets a
 * `fetch` that retries the way the Web API client does.
 */
import { oneLine } from '../remote-text.js';
import {
  IncomingWebhook,
  IncomingWebhookHTTPError,
  IncomingWebhookRequestError,
} from '@slack/webhook';
import { ResponseTooLargeError } from '../http/bounded-body.js';
import {
  RequestTimeoutError,
  describeNetworkError,
  fetchWithRetry,
  type RetryPolicy,
} from './retrying-fetch.js';
import type { SlackMessage } from './slack-message.js';

/** A webhook post that failed; the message says why and what to do, never the URL. */
export class SlackWebhookError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SlackWebhookError';
  }
}

const REPLACE_WEBHOOK =
  "the webhook is wrong or was removed: create a new incoming webhook and update 'slack-webhook-url'";

/** What to do about each error body an incoming webhook may answer with. */
const HINTS: Readonly<Record<string, string>> = {
  invalid_token: REPLACE_WEBHOOK,
  no_service: REPLACE_WEBHOOK,
  no_service_id: REPLACE_WEBHOOK,
  no_team: REPLACE_WEBHOOK,
  team_disabled: 'the Slack workspace is disabled',
  no_active_hooks: REPLACE_WEBHOOK,
  channel_not_found: "the webhook's channel no longer exists: create a new incoming webhook",
  channel_is_archived: "the webhook's channel is archived: unarchive it or create a new webhook",
  action_prohibited: 'a workspace admin has restricted posting to that channel',
  posting_to_general_channel_denied: 'only admins may post to that channel',
  invalid_payload: 'Slack refused the message: please report this to monarch-deploy',
  invalid_blocks: 'Slack refused the message layout: please report this to monarch-deploy',
};

/** Posts `message` to the webhook at `url`; throws `SlackWebhookError` if Slack did not take it. */
export async function sendToWebhook(
  url: string,
  message: SlackMessage,
  policy: RetryPolicy,
): Promise<void> {
  const webhook = new IncomingWebhook(url, {
    timeout: 0,
    retryConfig: { retries: 0 },
    fetch: (input, init) => fetchWithRetry('Slack webhook', input, init ?? {}, policy),
  });
  try {
    await webhook.send({ text: message.text, blocks: [...message.blocks] });
  } catch (error) {
    throw new SlackWebhookError(describe(error));
  }
}

function describe(error: unknown): string {
  if (error instanceof IncomingWebhookHTTPError) {
    const code = oneLine(error.body.trim().slice(0, 100));
    const hint =
      HINTS[code] ??
      (error.statusCode === 429
        ? 'Slack kept rate-limiting the webhook: try again later'
        : error.statusCode >= 500
          ? 'Slack is having trouble, the message was not sent'
          : '');
    return `the Slack webhook answered HTTP ${error.statusCode}${code ? ` (${code})` : ''}${hint ? `: ${hint}` : ''}`;
  }
  if (error instanceof IncomingWebhookRequestError) {
    if (
      error.original instanceof RequestTimeoutError ||
      error.original instanceof ResponseTooLargeError
    )
      return error.original.message;
    return `could not reach the Slack webhook: ${describeNetworkError(error.original)}`;
  }
  return describeNetworkError(error);
}
