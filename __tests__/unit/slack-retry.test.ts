import { jest } from '@jest/globals';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import {
  DEFAULT_RETRY_POLICY,
  RequestTimeoutError,
  fetchWithRetry,
  retryAfterMs,
  type RetryPolicy,
} from '../../src/notify/retrying-fetch.js';
import { HttpStub } from '../support/http-stub.js';

let stub: HttpStub;
let sleeps: number[];

beforeAll(async () => {
  stub = await new HttpStub().start();
});
afterAll(() => stub.stop());
beforeEach(() => {
  stub.reset();
  sleeps = [];
  jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
});
afterEach(() => jest.restoreAllMocks());

function policy(over: Partial<RetryPolicy> = {}): RetryPolicy {
  return {
    ...DEFAULT_RETRY_POLICY,
    timeoutMs: 300,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    ...over,
  };
}

const POST = { method: 'POST', body: '{"a":1}', headers: { 'Content-Type': 'application/json' } };

/** A port nothing listens on: taken, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('fetchWithRetry', () => {
  it('returns the first answer that is neither 429 nor 5xx, sending the same request each time', async () => {
    stub.reply({ status: 502 }, { status: 400, text: 'bad' });
    const response = await fetchWithRetry('test', `${stub.url}/x?y=1`, POST, policy());
    expect(response.status).toBe(400);
    expect(await response.text()).toBe('bad');
    expect(stub.requests.map((r) => [r.method, r.path, r.query, r.rawBody])).toEqual([
      ['POST', '/x', { y: '1' }, '{"a":1}'],
      ['POST', '/x', { y: '1' }, '{"a":1}'],
    ]);
    expect(sleeps).toEqual([1_000]);
  });

  it('returns the last 5xx when every attempt fails', async () => {
    stub.handler = () => ({ status: 500 });
    const response = await fetchWithRetry('test', stub.url, POST, policy({ attempts: 4 }));
    expect(response.status).toBe(500);
    expect(stub.requests).toHaveLength(4);
    expect(sleeps).toEqual([1_000, 2_000, 4_000]);
  });

  it('backs off on a 429 without Retry-After', async () => {
    stub.reply({ status: 429 }, {});
    await fetchWithRetry('test', stub.url, POST, policy());
    expect(sleeps).toEqual([1_000]);
  });

  it('retries a refused connection, then gives up with the reason', async () => {
    const url = `http://127.0.0.1:${await closedPort()}/`;
    await expect(fetchWithRetry('test', url, POST, policy())).rejects.toThrow('fetch failed');
    expect(sleeps).toEqual([1_000, 2_000]);
  });

  it('does not send again after a timeout: the first may have been acted on', async () => {
    stub.reply('hang');
    const sending = fetchWithRetry('Slack webhook', stub.url, POST, policy());
    await expect(sending).rejects.toThrow(RequestTimeoutError);
    await expect(sending).rejects.toThrow('Slack webhook: no answer within 0.3 s');
    expect(stub.requests).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });
});

describe('retryAfterMs', () => {
  it('reads seconds and HTTP dates, and nothing else', () => {
    const now = Date.parse('2026-11-30T07:00:00Z');
    expect(retryAfterMs('5', now)).toBe(5_000);
    expect(retryAfterMs(' 0 ', now)).toBe(0);
    expect(retryAfterMs('Mon, 30 Nov 2026 07:00:12 GMT', now)).toBe(12_000);
    expect(retryAfterMs('Mon, 30 Nov 2026 06:00:00 GMT', now)).toBe(0);
    expect(retryAfterMs(null, now)).toBeUndefined();
    expect(retryAfterMs('soon', now)).toBeUndefined();
    expect(retryAfterMs('-3', now)).toBeUndefined();
  });
});
