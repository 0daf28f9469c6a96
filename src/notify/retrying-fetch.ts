/**
 * `fetch` with the retries Slack asks of its clients: on HTTP 429 wait what `Retry-After` says
 * (capped), on a 5xx or a connection that failed back off exponentially; a bounded number of
 * attempts, each with its own timeout. The webhook and the Web API client share it so both
 * behave alike.
 */
import * as core from '@actions/core';
import { boundedFetch, ResponseTooLargeError, type FetchLike } from '../http/bounded-body.js';

export type { FetchLike } from '../http/bounded-body.js';

/** How hard to try. Tests pass a `sleep` that records and returns at once. */
export interface RetryPolicy {
  /** Attempts in all, the first included. */
  readonly attempts: number;
  /** Delay before the 2nd attempt after a 5xx or network error; doubled after each. */
  readonly baseDelayMs: number;
  /** Upper bound on a 429's `Retry-After`, so a long rate limit cannot stall the job. */
  readonly maxRetryAfterMs: number;
  /** Limit for each attempt. */
  readonly timeoutMs: number;
  readonly sleep: (ms: number) => Promise<void>;
  readonly fetch: FetchLike;
}

/** 3 attempts, 1 s then 2 s apart (or what a 429 asks, at most 30 s), 10 s each. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  attempts: 3,
  baseDelayMs: 1_000,
  maxRetryAfterMs: 30_000,
  timeoutMs: 10_000,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  // Looked up at call time, so a fetch replaced after start-up (a proxy agent) is used.
  fetch: (input, init) => fetch(input, init),
};

/** The server did not answer in time; not retried, as the request may have been acted on. */
export class RequestTimeoutError extends Error {
  constructor(label: string, timeoutMs: number) {
    super(`${label}: no answer within ${seconds(timeoutMs)}`);
    this.name = 'RequestTimeoutError';
  }
}

/**
 * Sends the request, retrying as the policy says. Resolves to the last response, whatever its
 * status (the caller turns a 4xx or 5xx into its own error), its body already read (at most
 * `MAX_RESPONSE_BYTES`: a larger one rejects with `ResponseTooLargeError`, not retried);
 * rejects when no response came.
 * `label` names the endpoint in log lines and errors (never the URL: a webhook URL is a secret).
 */
export async function fetchWithRetry(
  label: string,
  url: string | URL,
  init: RequestInit,
  policy: RetryPolicy,
): Promise<Response> {
  const send = boundedFetch(policy.fetch, label);
  for (let attempt = 1; ; attempt += 1) {
    const last = attempt >= policy.attempts;
    const timeout = AbortSignal.timeout(policy.timeoutMs);
    let response: Response;
    try {
      response = await send(url, {
        ...init,
        signal: init.signal ? AbortSignal.any([init.signal, timeout]) : timeout,
      });
    } catch (error) {
      if (timeout.aborted) throw new RequestTimeoutError(label, policy.timeoutMs);
      if (last || init.signal?.aborted || error instanceof ResponseTooLargeError) throw error;
      const delay = backoff(policy, attempt);
      core.info(
        `${label}: ${describeNetworkError(error)}; retrying in ${seconds(delay)} (attempt ${attempt + 1} of ${policy.attempts})`,
      );
      await policy.sleep(delay);
      continue;
    }
    const retryable = response.status === 429 || response.status >= 500;
    if (!retryable || last) return response;
    const delay =
      response.status === 429
        ? Math.min(
            retryAfterMs(response.headers.get('retry-after')) ?? backoff(policy, attempt),
            policy.maxRetryAfterMs,
          )
        : backoff(policy, attempt);
    core.info(
      `${label}: HTTP ${response.status}; retrying in ${seconds(delay)} (attempt ${attempt + 1} of ${policy.attempts})`,
    );
    await policy.sleep(delay);
  }
}

/** `Retry-After` as milliseconds: delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (header === null || header.trim() === '') return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
  // An HTTP date names its month; Date.parse alone would read "-3" as a year.
  if (!/[A-Za-z]/.test(header)) return undefined;
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** What a failed `fetch` says, with its cause (undici hides the reason there). */
export function describeNetworkError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? error.cause.message : '';
  return cause && !error.message.includes(cause) ? `${error.message} (${cause})` : error.message;
}

function backoff(policy: RetryPolicy, attempt: number): number {
  return policy.baseDelayMs * 2 ** (attempt - 1);
}

function seconds(ms: number): string {
  return `${Math.round(ms / 100) / 10} s`;
}
