/** A local stand-in for a Slack incoming webhook that records what it receives. */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the stub received. */
export interface SlackRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: { text?: string; blocks?: Record<string, unknown>[] } & Record<string, unknown>;
}

/** How the stub answers: `ok` (200), an HTTP status, or `hang` (never answers). */
export type SlackBehaviour = 'ok' | number | 'hang';

export class SlackStub {
  readonly requests: SlackRequest[] = [];
  behaviour: SlackBehaviour = 'ok';
  private server?: Server;
  private readonly hanging: ServerResponse[] = [];

  async start(): Promise<this> {
    this.server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        this.requests.push({
          method: request.method ?? '',
          path: request.url ?? '',
          headers: request.headers,
          body: JSON.parse(body || '{}'),
        });
        if (this.behaviour === 'hang') return void this.hanging.push(response);
        const status = this.behaviour === 'ok' ? 200 : this.behaviour;
        response
          .writeHead(status, { 'content-type': 'text/plain' })
          .end(status === 200 ? 'ok' : 'server_error');
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return this;
  }

  /** The webhook URL to pass as `slack-webhook-url`. */
  get url(): string {
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}/services/T000/B000/XXXX`;
  }

  /** Every text of the last message (fallback text and block texts), for assertions. */
  lastMessageText(): string {
    return JSON.stringify(this.requests.at(-1)?.body ?? {});
  }

  async stop(): Promise<void> {
    for (const response of this.hanging) response.destroy();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }
}
