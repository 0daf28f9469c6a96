/**
 * The one place where remote command lines are built. Every value that reaches a remote shell
 * goes through `quote`, by way of the `sh` template tag; `RemoteHost.exec` accepts only the
 * `ShellCommand` that `sh` returns, so a plain string cannot be run by mistake.
 *
 * The literal text of an `sh` template is shell exactly as it would be written in a `.sh` file
 * (backslashes included: `printf '%s\n'` means what it says), with one exception JavaScript
 * imposes: a literal `${` is written `\${` and a backquote `` \` ``.
 */

const SAFE_WORD = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** Quote one value as a single POSIX shell word that the shell never expands or splits. */
export function quote(value: string): string {
  if (value.includes('\0')) throw new Error('a shell word cannot contain a NUL byte');
  if (SAFE_WORD.test(value)) return value;
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** A command line for a remote POSIX shell, built only by `sh`. */
export class ShellCommand {
  /** @internal use `sh` to build one. */
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

/** What `sh` accepts between `${}`: a value to quote, a list of values, or another command. */
export type ShellValue = string | number | readonly string[] | ShellCommand;

function render(value: ShellValue): string {
  if (value instanceof ShellCommand) return value.text;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`not a finite number: ${value}`);
    return String(value);
  }
  if (typeof value === 'string') return quote(value);
  return value.map(quote).join(' ');
}

/** The literal part of a template as shell text: raw, but for `\${` and `` \` ``. */
function literal(raw: string): string {
  return raw.replace(/\\(\$\{|`)/g, '$1');
}

/**
 * Template tag for remote commands: the literal parts are trusted shell text written in this
 * code base; every interpolated value is quoted (a nested `ShellCommand` is inserted as built).
 *
 *     sh`mkdir -p ${dir} && printf '%s\n' "\${HOME}"`
 */
export function sh(literals: TemplateStringsArray, ...values: ShellValue[]): ShellCommand {
  let text = literal(literals.raw[0]);
  values.forEach((value, i) => {
    text += render(value) + literal(literals.raw[i + 1]);
  });
  return new ShellCommand(text);
}

/** Joins commands, one per line. */
export function lines(commands: readonly ShellCommand[]): ShellCommand {
  return new ShellCommand(commands.map((command) => command.text).join('\n'));
}
