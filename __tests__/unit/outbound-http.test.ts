/**
 * Where the tokens go and how much of an answer is read: API URL overrides honoured for a
 * loopback address only (any earlier step can set them through GITHUB_ENV), a webhook over
 * plain http refused, and every answer (Slack, the webhook, GitHub, DigitalOcean) bounded.
 */
import { jest } from '@jest/globals';
import { captureStdout } from '../support/capture.js';
import { getRunContext } from '../../src/context.js';
import { createDeploymentTracker } from '../../src/github/deployments.js';
import {
  apiBaseUrl,
  ApiUrlOverrideError,
  isLoopbackHost,
} from '../../src/http/api-url-override.js';
import {
  MAX_RESPONSE_BYTES,
  readBoundedText,
  ResponseTooLargeError,
} from '../../src/http/bounded-body.js';
import { EnvironmentError, getInputs, InputError } from '../../src/inputs/index.js';
import { createNotifier, SlackNotificationError } from '../../src/notify/slack.js';
import { buildReport } from '../../src/report/deploy-report.js';
import {
  DigitalOceanError,
  fetchDigitalOceanRegistryLogin,
} from '../../src/registry/digitalocean.js';
import { HttpStub } from '../support/http-stub.js';
import { makeKey } from '../support/keys.js';
import { makeWorkspace, reader } from '../support/inputs.js';

const context = getRunContext({ GITHUB_REPOSITORY: 'acme/monarch', GITHUB_SHA: 'c0ffee' });
const report = buildReport(context, new Date(), ['10.0.0.1'], []);
/** What any client says of an answer past the bound. */
const TOO_LARGE = 'the answer is larger than 1 MiB; it was not read further';

let stub: HttpStub;
let stdout: string;

beforeAll(async () => {
  stub = await new HttpStub().start();
});
afterAll(() => stub.stop());
beforeEach(() => {
  stub.reset();
  stdout = '';
  captureStdout((text) => (stdout += text));
});
afterEach(() => jest.restoreAllMocks());

const warnings = () =>
  stdout
    .split('\n')
    .filter((line) => line.startsWith('::warning::'))
    .map((line) => line.slice('::warning::'.length));

describe('API URL overrides', () => {
  it.each(['127.0.0.1', '127.10.20.30', 'localhost', 'LOCALHOST', '[::1]'])(
    '%s is loopback',
    (host) => expect(isLoopbackHost(host)).toBe(true),
  );
  it.each([
    '10.210.0.1',
    '127.0.0.1.evil.example',
    '0.0.0.0',
    '[::ffff:7f00:1]',
    'api.slack.com',
    'localhost.evil.example',
    '128.0.0.1',
  ])('%s is not loopback', (host) => expect(isLoopbackHost(host)).toBe(false));

  it('unset: the real API; a loopback URL (however the address is spelt): honoured', () => {
    expect(apiBaseUrl('MONARCH_SLACK_API_URL', 'https://slack.com/api/', {})).toBe(
      'https://slack.com/api/',
    );
    for (const url of [
      'http://127.0.0.1:9/api/',
      'http://127.1:9/',
      'https://localhost/',
      'http://[::1]:80/',
    ])
      expect(apiBaseUrl('MONARCH_SLACK_API_URL', '', { MONARCH_SLACK_API_URL: url })).toBe(url);
  });

  it.each([
    ['https://slack.evil.example/api/', "a URL for host 'slack.evil.example'"],
    ['http://10.210.0.1:8080/', "a URL for host '10.210.0.1'"],
    ['http://127.0.0.1@evil.example/', "a URL for host 'evil.example'"],
    ['file:///etc/passwd', 'a URL for file:'],
    ['slack.com/api', 'something that is not a URL'],
  ])('refuses %s, naming the variable and what is expected', (url, got) => {
    const call = () =>
      apiBaseUrl('MONARCH_DIGITALOCEAN_API_URL', '', { MONARCH_DIGITALOCEAN_API_URL: url });
    expect(call).toThrow(ApiUrlOverrideError);
    expect(call).toThrow(
      `Refused environment variable 'MONARCH_DIGITALOCEAN_API_URL': expected nothing, or a loopback URL such as http://127.0.0.1:8080/ (it exists for tests, to reach a stand-in for the DigitalOcean API), got ${got}. An earlier step of the job may have set it through GITHUB_ENV to send the token elsewhere: unset it`,
    );
  });

  it('a refused override sends no token: the Slack and DigitalOcean clients refuse it too', async () => {
    const env = { MONARCH_SLACK_API_URL: 'http://10.210.0.1:1/api/' };
    expect(() =>
      createNotifier(
        { botToken: 'xoxb-1', channel: 'C1', notifyOn: 'always', errorsFatal: false },
        { env },
      ),
    ).toThrow("Refused environment variable 'MONARCH_SLACK_API_URL'");
    await expect(
      fetchDigitalOceanRegistryLogin('dop_v1_x', 60, {
        env: { MONARCH_DIGITALOCEAN_API_URL: 'https://evil.example' },
      }),
    ).rejects.toThrow("Refused environment variable 'MONARCH_DIGITALOCEAN_API_URL'");
  });
});

describe('the inputs', () => {
  const key = makeKey('ed25519');
  const base = {
    host: '10.0.0.1',
    'ssh-private-key': key.privateKey,
    'host-fingerprint': key.fingerprint,
  };
  const parse = (values: Record<string, string>, env: NodeJS.ProcessEnv = {}) =>
    getInputs(reader({ ...base, ...values }), makeWorkspace(), env);

  it.each(['MONARCH_SLACK_API_URL', 'MONARCH_DIGITALOCEAN_API_URL'])(
    'a non-loopback %s is bad input: the run stops before any host or API',
    async (variable) => {
      const error = await parse({}, { [variable]: 'https://collector.evil.example/' }).catch(
        (caught: unknown) => caught,
      );
      expect(error).toBeInstanceOf(EnvironmentError);
      expect(error).toBeInstanceOf(InputError);
      expect((error as Error).message).toMatch(
        new RegExp(
          `^Refused environment variable '${variable}': expected nothing, or a loopback URL`,
        ),
      );
    },
  );

  it('a loopback override is fine', async () => {
    await expect(
      parse({}, { MONARCH_SLACK_API_URL: 'http://127.0.0.1:9/api/' }),
    ).resolves.toBeDefined();
  });

  it.each([
    'http://hooks.slack.com/services/T/B/X',
    'http://10.210.0.1:8080/services/T/B/X',
    'ftp://hooks.slack.com/services/T/B/X',
  ])('slack-webhook-url %s is refused: https only, without quoting the URL', async (url) => {
    const error = (await parse({ 'slack-webhook-url': url }).catch((e: unknown) => e)) as Error;
    expect(error.message).toBe(
      "Invalid input 'slack-webhook-url': expected an https:// URL (http:// only to a loopback address such as 127.0.0.1, for tests)",
    );
  });

  it.each(['https://hooks.slack.com/services/T/B/X', 'http://127.0.0.1:9/services/T/B/X'])(
    'slack-webhook-url %s is taken',
    async (url) => {
      await expect(parse({ 'slack-webhook-url': url })).resolves.toMatchObject({
        slack: { webhookUrl: url },
      });
    },
  );
});

describe('the bound on answers', () => {
  it('an endless body: refused after 1 MiB, and the server is not read much further', async () => {
    stub.reply('endless');
    const response = await fetch(stub.url);
    await expect(readBoundedText(response, 'the test API')).rejects.toThrow(
      new ResponseTooLargeError('the test API', MAX_RESPONSE_BYTES),
    );
    // What the socket buffers on both sides, not what the server would send.
    expect(stub.sentBytes).toBeLessThan(16 * MAX_RESPONSE_BYTES);
  });

  it('a Content-Length above the bound: refused before the body is read', async () => {
    stub.reply({ text: 'x'.repeat(MAX_RESPONSE_BYTES + 1) });
    const response = await fetch(stub.url);
    await expect(readBoundedText(response, 'the test API')).rejects.toThrow(
      'the test API: the answer is larger than 1 MiB',
    );
  });

  it('a body of exactly the bound is read whole', async () => {
    stub.reply({ text: 'y'.repeat(MAX_RESPONSE_BYTES) });
    const text = await readBoundedText(await fetch(stub.url), 'the test API');
    expect(text).toHaveLength(MAX_RESPONSE_BYTES);
  });

  const settings = { notifyOn: 'always', errorsFatal: true } as const;
  const deps = () => ({
    env: { MONARCH_SLACK_API_URL: `${stub.url}/api/` },
    retry: { timeoutMs: 5_000, sleep: async () => undefined },
  });

  it('the Slack Web API: an endless answer fails the notification clearly, not retried', async () => {
    stub.reply('endless');
    const notifier = createNotifier({ ...settings, botToken: 'xoxb-1', channel: 'C1' }, deps());
    const error = await notifier.finish(report).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SlackNotificationError);
    expect((error as Error).message).toContain(`Slack chat.postMessage: ${TOO_LARGE}`);
    expect(stub.requests).toHaveLength(1);
  });

  it('the Slack webhook: the same', async () => {
    stub.reply('endless');
    const notifier = createNotifier(
      { ...settings, webhookUrl: `${stub.url}/services/T/B/X` },
      deps(),
    );
    const error = await notifier.finish(report).catch((caught: unknown) => caught);
    expect((error as Error).message).toContain(`Slack webhook: ${TOO_LARGE}`);
    expect(stub.requests).toHaveLength(1);
  });

  it('DigitalOcean: a DigitalOceanError that says so', async () => {
    stub.reply('endless');
    const error = await fetchDigitalOceanRegistryLogin('dop_v1_x', 60, {
      env: { MONARCH_DIGITALOCEAN_API_URL: stub.url },
      timeoutMs: 5_000,
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DigitalOceanError);
    expect((error as Error).message).toBe(`the DigitalOcean API: ${TOO_LARGE}`);
  });

  it('GitHub deployments: a warning that says so', async () => {
    stub.reply('endless');
    const deployment = createDeploymentTracker(
      { token: 'ghs_x', environment: 'production' },
      context,
      { env: { GITHUB_API_URL: stub.url }, timeoutMs: 5_000 },
    );
    await expect(deployment.start()).resolves.toBeUndefined();
    expect(warnings()).toEqual([
      `could not create the GitHub deployment for 'production': the GitHub API: ${TOO_LARGE}`,
    ]);
  });
});
