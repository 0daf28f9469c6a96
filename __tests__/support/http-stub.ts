/**
 * A local HTTP stand-in for the APIs the action calls (Slack, GitHub, DigitalOcean). It records
 * every request (method, path, query, headers, JSON body) and answers from a script the test
 * sets: answers queued in order, then a handler, then `200 {}`. An answer can be any status with
 * any headers (`Retry-After`), `'hang'`: never answer, or `'endless'`: a 200 whose body never
 * ends (64 KiB chunks as fast as the client reads them; `sentBytes` counts them).
 */
import {
  createServer,
  type IncomingHttpHeaders,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the stub received. */
export interface RecordedRequest {
  readonly method: string;
  /** The path without the query string, e.g. `/api/chat.postMessage`. */
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  /** Header names in lower case, as Node gives them. */
  readonly headers: IncomingHttpHeaders;
  /** The body parsed as JSON, or undefined when empty or not JSON (see `rawBody`). */
  readonly body: unknown;
  readonly rawBody: string;
}

/** How to answer one request. */
export type StubAnswer =
  | 'hang'
  | 'endless'
  | {
      readonly status?: number;
      readonly headers?: Readonly<Record<string, string>>;
      /** Sent as JSON; wins over `text`. */
      readonly json?: unknown;
      readonly text?: string;
    };

/** Answers a request; undefined falls through to the default `200 {}`. */
export type StubHandler = (request: RecordedRequest) => StubAnswer | undefined;

export class HttpStub {
  readonly requests: RecordedRequest[] = [];
  /** Bytes of `'endless'` bodies sent so far. */
  sentBytes = 0;
  /** Consulted when no queued answer is left. */
  handler?: StubHandler;
  private readonly queue: StubAnswer[] = [];
  private readonly hanging: ServerResponse[] = [];
  private server?: Server;

  /** Listens on a free port of `host` (127.0.0.1 unless a test needs another address). */
  async start(host = '127.0.0.1'): Promise<this> {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const url = new URL(request.url ?? '/', 'http://stub');
        const rawBody = Buffer.concat(chunks).toString('utf8');
        const recorded: RecordedRequest = {
          method: request.method ?? '',
          path: url.pathname,
          query: Object.fromEntries(url.searchParams),
          headers: request.headers,
          body: parseJson(rawBody),
          rawBody,
        };
        this.requests.push(recorded);
        this.answer(response, this.queue.shift() ?? this.handler?.(recorded) ?? { json: {} });
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, host, resolve));
    return this;
  }

  /** Queues answers for the next requests, in order. */
  reply(...answers: StubAnswer[]): this {
    this.queue.push(...answers);
    return this;
  }

  /** `http://<host>:<port>`, without a trailing slash. */
  get url(): string {
    const { address, port } = this.server!.address() as AddressInfo;
    return `http://${address}:${port}`;
  }

  /** Forgets requests and script, between tests. */
  reset(): void {
    this.requests.length = 0;
    this.queue.length = 0;
    this.handler = undefined;
    this.sentBytes = 0;
  }

  async stop(): Promise<void> {
    for (const response of this.hanging) response.destroy();
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) =>
      this.server ? this.server.close(() => resolve()) : resolve(),
    );
  }

  private answer(response: ServerResponse, answer: StubAnswer): void {
    if (answer === 'hang') {
      this.hanging.push(response);
      return;
    }
    if (answer === 'endless') {
      this.hanging.push(response);
      response.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
      const chunk = Buffer.alloc(64 * 1024, ' ');
      const more = () => {
        while (!response.destroyed) {
          this.sentBytes += chunk.length;
          if (!response.write(chunk)) return void response.once('drain', more);
        }
      };
      more();
      return;
    }
    const json = answer.json !== undefined;
    response.writeHead(answer.status ?? 200, {
      'content-type': json ? 'application/json; charset=utf-8' : 'text/plain',
      ...answer.headers,
    });
    response.end(json ? JSON.stringify(answer.json) : (answer.text ?? ''));
  }
}

function parseJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
