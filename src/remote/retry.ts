/** Trying again while a droplet is still booting: exponential backoff up to a deadline. */
import { untrustedError } from '../remote-text.js';

/** How long to keep trying, and how fast. Injected so tests run without waiting. */
export interface RetryPolicy {
  /** Epoch milliseconds after which no new attempt starts. */
  readonly deadline: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
}

/** Called after a failed attempt that will be retried. */
export type RetryListener = (attempt: number, error: Error, delayMs: number) => void;

/** A failure that retrying cannot fix (host key, authentication). */
export class SshFatalError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SshFatalError';
  }
}

/** Where connection attempts stop for good. */
export class SshConnectError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SshConnectError';
  }
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Calls `attempt` until it succeeds, an `SshFatalError` is thrown, or the next try would start
 * after the deadline; the delay doubles from `baseDelayMs` up to `maxDelayMs`.
 */
export async function retryUntilDeadline<T>(
  attempt: () => Promise<T>,
  describe: string,
  retry: RetryPolicy,
  onRetry: RetryListener = () => {},
): Promise<T> {
  const now = retry.now ?? Date.now;
  const sleep = retry.sleep ?? defaultSleep;
  const started = now();
  for (let count = 1; ; count++) {
    try {
      return await attempt();
    } catch (error) {
      if (error instanceof SshFatalError) throw error;
      const lastError = untrustedError(error);
      const delay = Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** (count - 1));
      if (now() + delay >= retry.deadline) {
        const seconds = Math.round((now() - started) / 1000);
        throw new SshConnectError(
          `could not connect to ${describe} over SSH: ${count} attempt(s) in ${seconds} s ` +
            `(until 'setup-timeout'), the last failed with: ${lastError.message}`,
        );
      }
      onRetry(count, lastError, delay);
      await sleep(delay);
    }
  }
}
