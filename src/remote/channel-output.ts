/** What a remote command prints, collected within a bound. */
import type { ClientChannel } from 'ssh2';

/** Bytes kept of each stream: enough for any message, bounded memory. */
const OUTPUT_LIMIT = 1 << 20;

/** Collects a channel's stdout and stderr; `done` gets them with the exit code when it closes. */
export function collect(
  channel: ClientChannel,
  done: (code: number, stdout: string, stderr: string) => void,
): void {
  const out = new BoundedBuffer();
  const err = new BoundedBuffer();
  let code = -1;
  channel.on('data', (chunk: Buffer) => out.push(chunk));
  channel.stderr.on('data', (chunk: Buffer) => err.push(chunk));
  channel.on('exit', (exitCode: number | null, signal?: string) => {
    code = exitCode ?? (signal ? 128 : -1);
  });
  channel.on('close', () => done(code, out.text(), err.text()));
}

/** Keeps the last `OUTPUT_LIMIT` bytes of a stream. */
export class BoundedBuffer {
  private chunks: Buffer[] = [];
  private size = 0;
  push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.size += chunk.length;
    while (this.size > OUTPUT_LIMIT && this.chunks.length > 1)
      this.size -= this.chunks.shift()!.length;
  }
  text(): string {
    return Buffer.concat(this.chunks).toString('utf8');
  }
}
