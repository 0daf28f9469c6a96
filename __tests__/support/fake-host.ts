/**
 * An in-memory droplet for unit tests: records every command (with its stdin) and every file,
 * and answers each command by its label from a script the test sets.
 */
import { EXIT } from '../../src/host-scripts/protocol.js';
import {
  type ExecOptions,
  type ExecResult,
  type HoldOutcome,
  type RemoteHost,
} from '../../src/remote/host.js';
import type { ShellCommand } from '../../src/shell/command.js';

/** One command the fake host was asked to run. */
export interface RecordedCommand {
  readonly label: string;
  readonly text: string;
  /** Text sent to its standard input (an archive, for the upload, is unpacked into `files`). */
  readonly stdin?: string;
  readonly timeoutMs: number;
}

/** A file written to the fake host. */
export interface RecordedFile {
  readonly content: string;
  readonly mode: number;
}

export class FakeHost implements RemoteHost {
  readonly commands: RecordedCommand[] = [];
  readonly files = new Map<string, RecordedFile>();
  readonly dirs = new Set<string>();
  /** Whether a command `hold` started is still held. */
  held = false;
  /** What each held command was handed on its release (`HeldCommand.release`), by label. */
  readonly released = new Map<string, Buffer>();
  closed = false;
  /**
   * Answers by label; a label without an answer exits 0 with empty output. A held command's
   * answer is what it printed before its ready line; `<label>: result` is how it ends.
   */
  answers = new Map<string, Partial<ExecResult> | Error>();

  constructor(readonly name = 'fake-droplet') {}

  answer(label: string, result: Partial<ExecResult> | Error): this {
    this.answers.set(label, result);
    return this;
  }

  async exec(command: ShellCommand, options: ExecOptions): Promise<ExecResult> {
    try {
      await options.after;
    } catch {
      // Its `after` failed: on a real host the command stops before doing anything.
      return { code: EXIT.notStarted, stdout: '', stderr: '' };
    }
    const { stdin } = options;
    if (Buffer.isBuffer(stdin)) this.unpack(command.text, stdin);
    this.commands.push({
      label: options.label,
      text: command.text,
      stdin: Buffer.isBuffer(stdin) ? undefined : stdin,
      timeoutMs: options.timeoutMs,
    });
    const answer = this.answers.get(options.label);
    if (answer instanceof Error) throw answer;
    return { code: 0, stdout: '', stderr: '', ...answer };
  }

  async hold(
    command: ShellCommand,
    options: ExecOptions & { readyLine: string },
  ): Promise<HoldOutcome> {
    const result = await this.exec(command, options);
    if (result.code !== 0) return { ready: false, result };
    this.held = true;
    const release = (input?: string | Buffer) => {
      this.held = false;
      if (input !== undefined) this.released.set(options.label, Buffer.from(input));
    };
    const ended = this.answers.get(`${options.label}: result`);
    const final = { code: 0, stdout: '', stderr: '', ...(ended instanceof Error ? {} : ended) };
    return {
      ready: true,
      held: { stdout: result.stdout, release, result: Promise.resolve(final) },
    };
  }

  /**
   * Unpacks an uploaded archive (see src/remote/tar.ts) into `dirs` and `files`, under the
   * folder the command creates (`mkdir -- <staging>`), with the modes its `set_mode`s give.
   */
  private unpack(text: string, archive: Buffer): void {
    const root = /^mkdir -- (\S+) \|\| exit \d+$/m.exec(text)?.[1];
    if (!root) throw new Error('an archive sent to a command that creates no folder');
    this.dirs.add(root);
    const modes = new Map<string, number>();
    for (const [, names, mode] of text.matchAll(
      /^for f in (.*); do set_mode ([0-7]+) "\$f"; done$/gm,
    ))
      for (const name of names.split(' ')) modes.set(name.replace(/^'|'$/g, ''), parseInt(mode, 8));
    for (const entry of untar(archive)) {
      const full = `${root}/${entry.name}`;
      if (entry.content === undefined) this.dirs.add(full);
      else {
        if (this.files.has(full)) throw new Error(`${full} exists`);
        this.files.set(full, {
          content: entry.content.toString(),
          mode: modes.get(entry.name) ?? -1,
        });
      }
    }
  }

  /**
   * What the held command `label` was handed on its release: its first `lines` lines (the `go`
   * line and the ones after it), and the files of the archive that follows them, unpacked.
   */
  releasedRelease(label: string, lines: number): { lines: string[]; files: Map<string, string> } {
    const input = this.released.get(label);
    if (!input) throw new Error(`nothing was released to '${label}'`);
    let at = 0;
    const header: string[] = [];
    while (header.length < lines) {
      const end = input.indexOf(0x0a, at);
      if (end < 0) throw new Error(`'${label}' was handed fewer than ${lines} lines`);
      header.push(input.subarray(at, end).toString());
      at = end + 1;
    }
    const files = new Map<string, string>();
    for (const entry of untar(input.subarray(at)))
      if (entry.content !== undefined) files.set(entry.name, entry.content.toString());
    return { lines: header, files };
  }

  close(): void {
    this.closed = true;
  }

  labels(): string[] {
    return this.commands.map((command) => command.label);
  }

  /** Everything that would have shown in the droplet's process list. */
  commandLines(): string {
    return this.commands.map((command) => command.text).join('\n');
  }
}

/** The entries of a ustar archive: name, and content for a file. */
export function untar(archive: Buffer): { name: string; content?: Buffer }[] {
  const entries: { name: string; content?: Buffer }[] = [];
  const field = (block: Buffer, start: number, length: number) =>
    block
      .subarray(start, start + length)
      .toString('utf8')
      .replace(/\0.*$/s, '');
  for (let at = 0; at + 512 <= archive.length;) {
    const block = archive.subarray(at, at + 512);
    if (block.every((byte) => byte === 0)) break;
    const prefix = field(block, 345, 155);
    const name = (prefix ? `${prefix}/` : '') + field(block, 0, 100);
    const size = parseInt(field(block, 124, 12), 8);
    const type = field(block, 156, 1);
    at += 512;
    if (type === '5') entries.push({ name: name.replace(/\/$/, '') });
    else entries.push({ name, content: archive.subarray(at, at + size) });
    at += Math.ceil(size / 512) * 512;
  }
  return entries;
}
