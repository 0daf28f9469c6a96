import { jest } from '@jest/globals';
import { captureStdout } from '../support/capture.js';
import { getRunContext } from '../../src/context.js';
import type { DeployReport, HostResult } from '../../src/types/report.js';
import {
  createNotifier,
  SlackNotificationError,
  type NotifierDependencies,
  type SlackSettings,
} from '../../src/notify/slack.js';
import { slackApiUrl } from '../../src/notify/slack-api.js';
import {
  buildDeployingMessage,
  buildSlackMessage,
  type DeployStart,
} from '../../src/notify/slack-message.js';
import { buildReport } from '../../src/report/deploy-report.js';
import { HttpStub } from '../support/http-stub.js';

const context = getRunContext({
  GITHUB_REPOSITORY: 'acme/monarch',
  GITHUB_SHA: '0123456789abcdef0123456789abcdef01234567',
  GITHUB_ACTOR: 'octocat',
  GITHUB_RUN_ID: '4242',
  GITHUB_REF_NAME: 'main',
});
const startedAt = new Date('2026-11-30T07:00:00Z');
const host: HostResult = {
  host: '10.0.0.1',
  status: 'success',
  rolledBack: false,
  images: [],
  history: [],
  durationMs: 12_000,
};
const start: DeployStart = { context, targets: ['10.0.0.1'], startedAt, environment: 'production' };
const success: DeployReport = {
  ...buildReport(context, startedAt, ['10.0.0.1'], [host]),
  durationMs: 20_000,
  environment: 'production',
};
const failure: DeployReport = {
  ...buildReport(
    context,
    startedAt,
    ['10.0.0.1'],
    [{ ...host, status: 'failure', failedStep: 'Pulling images', error: 'no such tag' }],
  ),
  durationMs: 20_000,
  environment: 'production',
};

const WEBHOOK_PATH = '/services/T000/B000/XXXX';
const TOKEN = 'xoxb-1234-5678-abcdef';
const POSTED = { ok: true, channel: 'C0123456789', ts: '1764486000.000100' };

let stub: HttpStub;
let stdout: string;
let sleeps: number[];

beforeAll(async () => {
  stub = await new HttpStub().start();
});
afterAll(() => stub.stop());
beforeEach(() => {
  stub.reset();
  sleeps = [];
  stdout = '';
  captureStdout((text) => (stdout += text));
});
afterEach(() => jest.restoreAllMocks());

function deps(): NotifierDependencies {
  return {
    env: { MONARCH_SLACK_API_URL: `${stub.url}/api/` },
    retry: {
      timeoutMs: 500,
      sleep: async (ms) => {
        sleeps.push(ms);
      },
    },
  };
}

function webhook(over: Partial<SlackSettings> = {}) {
  return createNotifier(
    { webhookUrl: stub.url + WEBHOOK_PATH, notifyOn: 'always', errorsFatal: false, ...over },
    deps(),
  );
}

function bot(over: Partial<SlackSettings> = {}) {
  return createNotifier(
    { botToken: TOKEN, channel: '#deploys', notifyOn: 'always', errorsFatal: false, ...over },
    deps(),
  );
}

function warnings(): string[] {
  return stdout
    .split('\n')
    .filter((line) => line.startsWith('::warning::'))
    .map((line) => line.slice('::warning::'.length));
}

describe('incoming webhook', () => {
  it('posts the result once, as JSON, at the end only', async () => {
    const notifier = webhook();
    await notifier.start(start);
    expect(stub.requests).toHaveLength(0);
    await expect(notifier.finish(success)).resolves.toEqual({ sent: true });
    expect(stub.requests).toHaveLength(1);
    const [request] = stub.requests;
    expect(request.method).toBe('POST');
    expect(request.path).toBe(WEBHOOK_PATH);
    expect(request.headers['content-type']).toBe('application/json');
    expect(request.headers.authorization).toBeUndefined();
    expect(request.body).toEqual(JSON.parse(JSON.stringify(buildSlackMessage(success))));
    expect(warnings()).toEqual([]);
  });

  it('waits what a 429 Retry-After asks, capped at 30 s, then sends again', async () => {
    stub.reply(
      { status: 429, headers: { 'Retry-After': '7' }, text: 'rate_limited' },
      { status: 429, headers: { 'Retry-After': '600' }, text: 'rate_limited' },
      { text: 'ok' },
    );
    await expect(webhook().finish(success)).resolves.toEqual({ sent: true });
    expect(stub.requests).toHaveLength(3);
    expect(sleeps).toEqual([7_000, 30_000]);
    expect(stub.requests[2].body).toEqual(stub.requests[0].body);
  });

  it('retries a 5xx with backoff, three attempts in all, then warns', async () => {
    stub.handler = () => ({ status: 500, text: 'internal_error' });
    await expect(webhook().finish(success)).resolves.toEqual({ sent: false });
    expect(stub.requests).toHaveLength(3);
    expect(sleeps).toEqual([1_000, 2_000]);
    expect(warnings()).toEqual([
      'the Slack notification failed (the deploy result is unchanged): the Slack webhook answered HTTP 500 (internal_error): Slack is having trouble, the message was not sent',
    ]);
  });

  it('does not retry a 4xx, and says what to do', async () => {
    stub.reply({ status: 404, text: 'no_service' });
    await webhook().finish(success);
    expect(stub.requests).toHaveLength(1);
    expect(warnings()[0]).toContain(
      "HTTP 404 (no_service): the webhook is wrong or was removed: create a new incoming webhook and update 'slack-webhook-url'",
    );
    expect(warnings()[0]).not.toContain(WEBHOOK_PATH);
  });

  it('gives up on a webhook that never answers, without sending twice', async () => {
    stub.reply('hang');
    await expect(webhook().finish(success)).resolves.toEqual({ sent: false });
    expect(stub.requests).toHaveLength(1);
    expect(warnings()[0]).toContain('Slack webhook: no answer within 0.5 s');
  });

  it('throws a clear error with slack-errors-fatal', async () => {
    stub.reply({ status: 403, text: 'invalid_token' });
    const finishing = webhook({ errorsFatal: true }).finish(failure);
    await expect(finishing).rejects.toThrow(SlackNotificationError);
    await expect(finishing).rejects.toThrow(
      "the Slack notification failed: the Slack webhook answered HTTP 403 (invalid_token): the webhook is wrong or was removed: create a new incoming webhook and update 'slack-webhook-url' (the deploy itself failed; 'slack-errors-fatal' is true, so the step fails)",
    );
    expect(warnings()).toEqual([]);
  });
});

describe('bot token', () => {
  it('posts "Deploying ..." and updates that same message with the result', async () => {
    stub.reply({ json: POSTED }, { json: { ...POSTED, text: 'updated' } });
    const notifier = bot();
    await notifier.start(start);
    await expect(notifier.finish(success)).resolves.toEqual({
      sent: true,
      ts: POSTED.ts,
      channel: POSTED.channel,
    });
    expect(stub.requests.map((r) => [r.method, r.path])).toEqual([
      ['POST', '/api/chat.postMessage'],
      ['POST', '/api/chat.update'],
    ]);
    for (const request of stub.requests) {
      expect(request.headers.authorization).toBe(`Bearer ${TOKEN}`);
      expect(request.headers['content-type']).toBe('application/json; charset=utf-8');
    }
    const deploying = buildDeployingMessage(start);
    expect(stub.requests[0].body).toEqual(
      JSON.parse(JSON.stringify({ channel: '#deploys', ...deploying })),
    );
    // chat.update needs the channel ID postMessage answered with, not the name.
    expect(stub.requests[1].body).toEqual(
      JSON.parse(
        JSON.stringify({ channel: POSTED.channel, ts: POSTED.ts, ...buildSlackMessage(success) }),
      ),
    );
    expect(warnings()).toEqual([]);
  });

  it('posts the result as a new message when the start post failed', async () => {
    stub.reply({ json: { ok: false, error: 'not_in_channel' } }, { json: POSTED });
    const notifier = bot();
    await notifier.start(start);
    expect(warnings()).toEqual([
      'the Slack "Deploying" message failed, the result will be posted as a new message: Slack chat.postMessage failed: not_in_channel: invite the bot to the channel (/invite @your-app in Slack)',
    ]);
    await expect(notifier.finish(failure)).resolves.toMatchObject({ sent: true, ts: POSTED.ts });
    expect(stub.requests.map((r) => r.path)).toEqual([
      '/api/chat.postMessage',
      '/api/chat.postMessage',
    ]);
    expect(stub.requests[1].body).toMatchObject({ channel: '#deploys' });
    expect(JSON.stringify(stub.requests[1].body)).toContain('Deploy failed');
  });

  it('posts anew when the message cannot be updated (deleted meanwhile)', async () => {
    stub.reply(
      { json: POSTED },
      { json: { ok: false, error: 'message_not_found' } },
      { json: { ...POSTED, ts: '1764486099.000200' } },
    );
    const notifier = bot();
    await notifier.start(start);
    await expect(notifier.finish(success)).resolves.toMatchObject({ ts: '1764486099.000200' });
    expect(stub.requests.map((r) => r.path)).toEqual([
      '/api/chat.postMessage',
      '/api/chat.update',
      '/api/chat.postMessage',
    ]);
    expect(warnings()).toEqual([]);
  });

  it('without notify-on always posts no start message, and only the results asked for', async () => {
    const onFailure = bot({ notifyOn: 'failure' });
    await onFailure.start(start);
    await expect(onFailure.finish(success)).resolves.toEqual({ sent: false });
    expect(stub.requests).toHaveLength(0);
    stub.reply({ json: POSTED });
    await expect(onFailure.finish(failure)).resolves.toMatchObject({ sent: true });
    expect(stub.requests.map((r) => r.path)).toEqual(['/api/chat.postMessage']);

    stub.reset();
    const onSuccess = bot({ notifyOn: 'success' });
    await onSuccess.start(start);
    await onSuccess.finish(failure);
    const never = bot({ notifyOn: 'never' });
    await never.start(start);
    await never.finish(failure);
    await never.finish(success);
    expect(stub.requests).toHaveLength(0);
  });

  it('uses only the bot token when a webhook is set too', async () => {
    stub.reply({ json: POSTED }, { json: POSTED });
    const notifier = bot({ webhookUrl: stub.url + WEBHOOK_PATH });
    await notifier.start(start);
    await notifier.finish(success);
    expect(stub.requests.map((r) => r.path)).toEqual(['/api/chat.postMessage', '/api/chat.update']);
  });

  it('honours Retry-After on the Web API too', async () => {
    stub.reply(
      { status: 429, headers: { 'Retry-After': '3' }, json: { ok: false, error: 'ratelimited' } },
      { status: 503, text: 'upstream' },
      { json: POSTED },
    );
    await expect(bot().finish(success)).resolves.toMatchObject({ sent: true });
    expect(stub.requests).toHaveLength(3);
    expect(sleeps).toEqual([3_000, 2_000]);
  });

  it('warns after three 5xx answers', async () => {
    stub.handler = () => ({ status: 503, text: 'upstream' });
    await expect(bot().finish(success)).resolves.toEqual({ sent: false });
    expect(stub.requests).toHaveLength(3);
    expect(warnings()).toEqual([
      'the Slack notification failed (the deploy result is unchanged): Slack chat.postMessage failed: HTTP 503: Slack is having trouble, the message was not sent',
    ]);
  });

  it('treats HTTP 200 with ok:false as a failure naming the error, fatal when asked', async () => {
    stub.reply({ json: { ok: false, error: 'channel_not_found' } });
    const finishing = bot({ errorsFatal: true }).finish(failure);
    await expect(finishing).rejects.toThrow(SlackNotificationError);
    await expect(finishing).rejects.toThrow(
      "Slack chat.postMessage failed: channel_not_found: check 'slack-channel' (the channel ID, e.g. C0123456789, is safest); for a private channel, invite the bot to the channel",
    );
    expect(stub.requests).toHaveLength(1);
  });

  it('names the scope Slack says is missing', async () => {
    stub.reply({ json: { ok: false, error: 'missing_scope', needed: 'chat:write' } });
    await bot().finish(success);
    expect(warnings()[0]).toContain(
      'missing_scope (needs chat:write): give the app the chat:write scope and reinstall it',
    );
  });

  it('says so when the answer is not the Slack API', async () => {
    stub.reply({ text: '<html>proxy login</html>' });
    await bot().finish(success);
    expect(warnings()[0]).toContain(
      'Slack chat.postMessage failed: HTTP 200 without a Slack API answer',
    );
  });

  it('never sends the secrets it was given', async () => {
    stub.reply({ json: POSTED });
    const leaky: DeployReport = { ...failure, error: 'docker login: bad password hunter22' };
    await bot({ secrets: ['hunter22'] }).finish(leaky);
    expect(stub.requests[0].rawBody).toContain('bad password ***');
    expect(stub.requests[0].rawBody).not.toContain('hunter22');
  });

  it('refuses a bot token without a channel', () => {
    expect(() =>
      createNotifier({ botToken: TOKEN, notifyOn: 'always', errorsFatal: false }),
    ).toThrow("Invalid input 'slack-channel': expected a channel ID when 'slack-bot-token' is set");
  });
});

describe('neither webhook nor bot token', () => {
  it('does nothing', async () => {
    const notifier = createNotifier({ notifyOn: 'always', errorsFatal: true }, deps());
    await notifier.start(start);
    await expect(notifier.finish(failure)).resolves.toEqual({ sent: false });
    expect(stub.requests).toHaveLength(0);
  });
});

describe('slackApiUrl', () => {
  it('is https://slack.com/api/ unless MONARCH_SLACK_API_URL says otherwise', () => {
    expect(slackApiUrl({})).toBe('https://slack.com/api/');
    expect(slackApiUrl({ MONARCH_SLACK_API_URL: 'http://127.0.0.1:9/api' })).toBe(
      'http://127.0.0.1:9/api/',
    );
  });
});
