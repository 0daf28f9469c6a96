/**
 * A host script is one shell function whose body runs in its own subshell, `name() ( ... )`:
 * nothing it sets leaks into the program that calls it, and what it needs comes in as
 * parameters (baked in, quoted, by the TypeScript that builds it) or as arguments (data only
 * the host knows, such as container IDs, handed on by the program). A program is the
 * definitions of its scripts plus one line per call: each remote command of a deploy is one.
 */
import { ShellCommand, lines, sh } from '../shell/command.js';

/** One shell function, defined by `hostScript`. */
export interface HostScript {
  /** The function's name, as programs call it. */
  readonly name: string;
  /** `name() ( body )`. */
  readonly definition: ShellCommand;
}

const NAME = /^monarch_[a-z_]+$/;

/** Defines the function `name` (`monarch_...`) running `body` in a subshell. */
export function hostScript(name: string, body: ShellCommand): HostScript {
  if (!NAME.test(name)) throw new Error(`not a host script name: ${name}`);
  return { name, definition: new ShellCommand(`${name}() (\n${body.text}\n)`) };
}

/** How a program calls a script. */
export interface StepOptions {
  /** The script's output (one container ID per line) becomes `$ids`, the argument of later steps. */
  readonly intoIds?: boolean;
  /** Pass `$ids` (from an earlier step) as the arguments. */
  readonly withIds?: boolean;
  /** Stop the program with the script's exit code when it fails. */
  readonly orExit?: boolean;
  /** Arguments known when the program is built (quoted), before any `$ids`. */
  readonly args?: readonly string[];
}

/** One call of a script in a program. */
export interface ProgramStep {
  readonly script: HostScript;
  readonly line: string;
}

/** A call of `script`, as `options` say. */
export function step(script: HostScript, options: StepOptions = {}): ProgramStep {
  let line = script.name;
  if (options.args?.length) line += ` ${sh`${options.args}`.text}`;
  if (options.withIds) line += ' $ids';
  if (options.intoIds) line = `ids=$(${line})`;
  if (options.orExit) line += ' || exit';
  return { script, line };
}

/**
 * A remote command: the definitions of the steps' scripts and of the `helpers` they call (such
 * as `monarch_compose`), then the calls in order.
 */
export function program(
  steps: readonly (ProgramStep | undefined | false)[],
  helpers: readonly HostScript[] = [],
): ShellCommand {
  const used = steps.filter((s): s is ProgramStep => Boolean(s));
  const scripts = [...helpers, ...used.map((s) => s.script)];
  const definitions = [...new Map(scripts.map((script) => [script.name, script])).values()];
  return lines([
    ...definitions.map((script) => script.definition),
    new ShellCommand(used.map((s) => s.line).join('\n')),
  ]);
}

/** A program of `script` alone, called with `args` (quoted): a one-step command, and for tests. */
export function call(script: HostScript, args: readonly string[] = []): ShellCommand {
  const quoted = args.length ? ` ${sh`${args}`.text}` : '';
  return program([{ script, line: script.name + quoted }]);
}
