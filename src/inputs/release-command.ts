/**
 * `release-command`, `release-command-service` and `release-command-timeout`: a command (a
 * database migration) run once in a one-off container of the new release before the switch.
 * The command line is split into words here, on the runner, the way compose splits a string
 * `command:` (quotes and backslashes, no shell): what a shell would do and compose would not
 * (`$VAR`, `&&`, `|`, `>`, globs) is refused rather than passed on as a literal word.
 */
import type { ReleaseCommandPlan } from '../types/settings.js';
import { fail, seconds, type InputReader } from './read.js';

/** A command line longer than this is not a command line. */
const MAX_LENGTH = 4096;

/** What the reader needs besides the inputs. */
export interface ReleaseCommandSource {
  readonly composeContent: Buffer;
  readonly commandTimeoutMs: number;
  readonly yaml: typeof import('yaml');
}

/** The release command, or null when `release-command` is empty. */
export function readReleaseCommand(
  read: InputReader,
  source: ReleaseCommandSource,
): ReleaseCommandPlan | null {
  const line = read('release-command');
  if (line === '') {
    for (const name of ['release-command-service', 'release-command-timeout'])
      if (read(name) !== '') fail(name, `nothing unless 'release-command' is set`);
    return null;
  }
  if (read('mode') === 'swarm') {
    fail(
      'release-command',
      `nothing with mode 'swarm': a release command runs only in mode 'compose' (run it as a job of its own before the stack deploy)`,
    );
  }
  if (line.length > MAX_LENGTH)
    fail('release-command', `a command line of at most ${MAX_LENGTH} characters`);
  const words = splitOrFail(line);
  const services = composeServices(source);
  const service = read('release-command-service') || services[0];
  if (!service || !services.includes(service)) {
    fail(
      'release-command-service',
      `a service of the compose file (${services.join(', ') || 'it has none'}), got '${service ?? ''}'`,
    );
  }
  const timeoutMs = seconds(read, 'release-command-timeout', source.commandTimeoutMs / 1000, false);
  return { line, words, service, timeoutMs };
}

function splitOrFail(line: string): string[] {
  try {
    return splitCommandLine(line);
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    return fail(
      'release-command',
      `the words of one command, as compose's 'command:' takes them (no shell runs it): ${why}; for a shell, write sh -c '...'`,
    );
  }
}

/** The service names of the compose file, in the file's order. */
function composeServices(source: ReleaseCommandSource): string[] {
  const parsed: unknown = source.yaml.parse(source.composeContent.toString('utf8'));
  const services = (parsed as { services?: unknown } | null)?.services;
  return services && typeof services === 'object' ? Object.keys(services) : [];
}

/** Characters a shell gives a meaning that compose does not, outside quotes. */
const SHELL_ONLY = new Set(['$', '`', ';', '&', '|', '<', '>', '(', ')', '*', '?']);

/**
 * Splits `line` into words as a POSIX shell would if it expanded nothing: blanks separate
 * words, `'...'` is literal, `"..."` is literal but for `\"`, `\\`, `\$` and `` \` ``, and a
 * backslash outside quotes keeps the next character. Throws (with the reason) on an unclosed
 * quote, a newline outside quotes, and what only a shell would understand.
 */
export function splitCommandLine(line: string): string[] {
  const words: string[] = [];
  let word: string | null = null;
  for (let i = 0; i < line.length; i++) {
    const char = line[i];
    if (char === ' ' || char === '\t') {
      if (word !== null) words.push(word);
      word = null;
    } else if (char === '\n' || char === '\r') {
      throw new Error('a newline outside quotes (it takes one command)');
    } else if (char === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) throw new Error('a single quote that is never closed');
      word = (word ?? '') + line.slice(i + 1, end);
      i = end;
    } else if (char === '"') {
      const [text, end] = doubleQuoted(line, i + 1);
      word = (word ?? '') + text;
      i = end;
    } else if (char === '\\') {
      if (i + 1 >= line.length) throw new Error('a backslash at the end');
      word = (word ?? '') + line[++i];
    } else if (SHELL_ONLY.has(char) || (word === null && (char === '#' || char === '~'))) {
      throw new Error(`'${char}' would mean something only to a shell`);
    } else word = (word ?? '') + char;
  }
  if (word !== null) words.push(word);
  if (words.length === 0) throw new Error('no words');
  return words;
}

/** The text of a `"..."` starting after its quote at `start`, and the index of its end. */
function doubleQuoted(line: string, start: number): [string, number] {
  let text = '';
  for (let i = start; i < line.length; i++) {
    const char = line[i];
    if (char === '"') return [text, i];
    if (char === '\\' && i + 1 < line.length && '"\\$`'.includes(line[i + 1])) text += line[++i];
    else if (char === '$' || char === '`')
      throw new Error(`'${char}' in double quotes would mean something only to a shell`);
    else text += char;
  }
  throw new Error('a double quote that is never closed');
}
