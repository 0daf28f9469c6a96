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
import type { ShellCommand } from '../../src/remote/shell.js';

/** One command the fake host was asked to run. */
export interface RecordedCommand {
  readonly label: string;
  readonly text: string;
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
    this.commands.push({
      label: options.label,
      text: command.text,
      stdin: options.stdin,
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
    const release = () => {
      this.held = false;
    };
    const ended = this.answers.get(`${options.label}: result`);
    const final = { code: 0, stdout: '', stderr: '', ...(ended instanceof Error ? {} : ended) };
    return {
      ready: true,
      held: { stdout: result.stdout, release, result: Promise.resolve(final) },
    };
  }

  async mkdir(remotePath: string): Promise<void> {
    this.dirs.add(remotePath);
  }

  async writeFile(remotePath: string, data: Buffer | string, mode: number): Promise<void> {
    if (this.files.has(remotePath)) throw new Error(`${remotePath} exists`);
    this.files.set(remotePath, { content: data.toString(), mode });
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
