/**
 * Reading an HTTP answer's body with a bound, as the SSH output already is: a server (or
 * whatever answers in its place) that sends a huge or endless body gets a clear error once the
 * bound is passed, and the action never holds more than the bound of it.
 */

/** The most the action reads of any answer: Slack, GitHub and DigitalOcean answer in a few KiB. */
export const MAX_RESPONSE_BYTES = 1024 * 1024;

/** The part of `fetch` the clients use; tests may pass their own. */
export type FetchLike = (input: string | URL, init?: RequestInit) => Promise<Response>;

/** An answer whose body is larger than the bound; it was not read further. */
export class ResponseTooLargeError extends Error {
  constructor(label: string, limit: number) {
    super(`${label}: the answer is larger than ${describeBytes(limit)}; it was not read further`);
    this.name = 'ResponseTooLargeError';
  }
}

function describeBytes(bytes: number): string {
  return bytes % (1024 * 1024) === 0 ? `${bytes / (1024 * 1024)} MiB` : `${bytes} bytes`;
}

/**
 * The body of `response`, read to its end if it is at most `limit` bytes; otherwise the body
 * is cancelled and `ResponseTooLargeError` thrown (at once when `Content-Length` says so).
 */
export async function readBoundedBody(
  response: Response,
  label: string,
  limit = MAX_RESPONSE_BYTES,
): Promise<Uint8Array<ArrayBuffer>> {
  const body = response.body;
  if (body === null) return new Uint8Array(0);
  const declared = Number(response.headers.get('content-length') ?? '');
  if (Number.isFinite(declared) && declared > limit) {
    await body.cancel().catch(() => undefined);
    throw new ResponseTooLargeError(label, limit);
  }
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => undefined);
      throw new ResponseTooLargeError(label, limit);
    }
    chunks.push(value);
  }
  const whole = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    whole.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return whole;
}

/** The body of `response` as UTF-8 text, bounded as `readBoundedBody` says. */
export async function readBoundedText(
  response: Response,
  label: string,
  limit = MAX_RESPONSE_BYTES,
): Promise<string> {
  return new TextDecoder().decode(await readBoundedBody(response, label, limit));
}

/** Statuses whose answer has no body (a `Response` with one cannot be made). */
const NULL_BODY = new Set([101, 103, 204, 205, 304]);

/**
 * `fetch` whose answers are read (bounded) before they are returned: a library that reads the
 * body itself (Octokit, @slack/webhook) gets the whole of it, or a `ResponseTooLargeError`
 * thrown by `fetch` instead of a body it would read without end.
 */
export function boundedFetch(
  fetchImpl: FetchLike,
  label: string,
  limit = MAX_RESPONSE_BYTES,
): FetchLike {
  return async (input, init) => {
    const response = await fetchImpl(input, init);
    const body = await readBoundedBody(response, label, limit);
    const copy = new Response(NULL_BODY.has(response.status) ? null : body, {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
    Object.defineProperty(copy, 'url', { value: response.url });
    return copy;
  };
}
