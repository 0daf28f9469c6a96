/**
 * What a remote command prints, collected within a bound: a host may print without end (a
 * compromised one, or a container's log), and the runner must neither run out of memory nor
 * spend its time rescanning. Each stream keeps its last `OUTPUT_LIMIT` bytes.
 */
import { StringDecoder } from 'node:string_decoder';
import type { ClientChannel } from 'ssh2';

/** Bytes kept of each stream: more than any reply or error message needs. */
export const OUTPUT_LIMIT = 64 * 1024;

/**
 * The last `limit` bytes of a stream, as text (a character cut in two is dropped). A ring of
 * bytes, grown by doubling up to `limit`: each chunk costs a copy of its bytes, however many
 * chunks came before it (a host may send its output one byte at a time).
 */
export class BoundedBuffer {
  private ring = Buffer.alloc(0);
  /** Where the oldest byte kept is in `ring`, and how many bytes are kept. */
  private start = 0;
  private size = 0;
  /** Bytes dropped from the start. */
  dropped = 0;

  constructor(private readonly limit = OUTPUT_LIMIT) {}

  push(chunk: Buffer): void {
    const kept = chunk.length > this.limit ? chunk.subarray(chunk.length - this.limit) : chunk;
    this.dropped += chunk.length - kept.length;
    if (kept.length === 0) return;
    if (this.size + kept.length > this.ring.length && this.ring.length < this.limit) {
      this.grow(Math.min(this.limit, Math.max(this.size + kept.length, 2 * this.ring.length)));
    }
    const capacity = this.ring.length;
    const end = (this.start + this.size) % capacity;
    const first = Math.min(kept.length, capacity - end);
    kept.copy(this.ring, end, 0, first);
    kept.copy(this.ring, 0, first);
    const over = Math.max(0, this.size + kept.length - capacity);
    this.start = (this.start + over) % capacity;
    this.size += kept.length - over;
    this.dropped += over;
  }

  text(): string {
    const text = this.bytes().toString('utf8');
    return this.dropped > 0 ? text.replace(/^\uFFFD+/, '') : text;
  }

  /** The bytes kept, oldest first. */
  private bytes(): Buffer {
    const end = this.start + this.size;
    if (end <= this.ring.length) return this.ring.subarray(this.start, end);
    return Buffer.concat([
      this.ring.subarray(this.start),
      this.ring.subarray(0, end - this.ring.length),
    ]);
  }

  private grow(capacity: number): void {
    const bytes = this.bytes();
    this.ring = Buffer.alloc(capacity);
    bytes.copy(this.ring);
    this.start = 0;
  }
}

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

/**
 * Watches a stream for the line `line` without rescanning what it has seen: each chunk is
 * searched with only as much of the text before it as the line needs. Resolves `onFound` with
 * what came before the line (its last `OUTPUT_LIMIT` bytes).
 */
export class LineWatcher {
  private readonly decoder = new StringDecoder('utf8');
  private readonly before = new BoundedBuffer();
  private tail = '\n';
  found = false;

  constructor(private readonly line: string) {}

  /** Feeds a chunk; true once the line has been seen. */
  push(chunk: Buffer): boolean {
    if (this.found) return true;
    const text = this.decoder.write(chunk);
    const window = this.tail + text;
    const at = window.indexOf(`\n${this.line}\n`);
    if (at < 0) {
      this.before.push(Buffer.from(text));
      this.tail = window.slice(-(this.line.length + 1));
      return false;
    }
    this.found = true;
    // `at` counts from the start of the window; the line's own `\n` before it is in the text.
    const inText = at - this.tail.length + 1;
    this.before.push(Buffer.from(text.slice(0, Math.max(0, inText))));
    return true;
  }

  /** What the stream printed before the line (or so far). */
  text(): string {
    const text = this.before.text();
    if (!this.found) return text;
    // A line split over two chunks left its start in the text before it.
    for (let length = this.line.length - 1; length > 0; length--) {
      if (text.endsWith(`\n${this.line.slice(0, length)}`)) return text.slice(0, -length);
    }
    return text;
  }
}
