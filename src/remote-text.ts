/**
 * Text that came from somewhere the action does not control (a host, a container, compose, an
 * SSH server before its key was checked, an HTTP answer), made safe to show. The runner reads a
 * step's stdout and stderr line by line, ending a line at `\n` and at a lone `\r` (.NET's
 * ReadLine), and runs as a workflow command a line that starts with `::` after leading spaces,
 * or holds `##[` anywhere (the older form): remote text must never do either.
 */
import { randomUUID } from 'node:crypto';

/** Control characters other than tab and newline, and the Unicode line separators. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]/g;

function escapeChar(char: string): string {
  if (char === '\r') return '\\r';
  const code = char.charCodeAt(0);
  return code > 0xff
    ? `\\u${code.toString(16).padStart(4, '0')}`
    : `\\x${code.toString(16).padStart(2, '0')}`;
}

/**
 * `text` with CR (but for CRLF line ends) and every other control character shown escaped,
 * and `##[` (a command wherever it is in a line) shown as `#\#[`.
 */
export function escapeControls(text: string): string {
  return text.replace(/\r\n/g, '\n').replace(CONTROL, escapeChar).replace(/##\[/g, '#\\#[');
}

/** `text` on one line: newlines shown as `\n` too. */
export function oneLine(text: string): string {
  return escapeControls(text).replace(/\n/g, '\\n').replace(/\t/g, ' ');
}

/** True when a line of `text` would be a workflow command if printed as it is. */
export function hasCommandLine(text: string): boolean {
  return /^\s*::/m.test(text) || text.includes('##[');
}

/**
 * Lines to print with `print` (core.info), as text whatever they hold: control characters
 * escaped and, when a line looks like a workflow command, the lines framed by
 * `::stop-commands::` and a token nobody can guess, so the runner runs none of them.
 */
export function printUntrusted(text: string, print: (line: string) => void): void {
  const safe = escapeControls(text);
  if (!hasCommandLine(safe)) {
    print(safe);
    return;
  }
  const token = `monarch-${randomUUID()}`;
  print(`::stop-commands::${token}`);
  print(safe);
  print(`::${token}::`);
}

/**
 * The first `count` non-empty lines of command output (and how many more there were), for an
 * error message whose most important lines come first; control characters escaped.
 */
export function firstLines(text: string, count: number): string {
  const lines = escapeControls(text)
    .split('\n')
    .map((line) => line.trimEnd())
    .filter(Boolean);
  const more = lines.length - count;
  return [...lines.slice(0, count), ...(more > 0 ? [`(${more} more lines)`] : [])].join('\n');
}

/** The last few non-empty lines of command output, for an error message, control characters escaped. */
export function lastLines(text: string, count = 5): string {
  return escapeControls(text)
    .split('\n')
    .map((line) => line.trimEnd())
    .filter(Boolean)
    .slice(-count)
    .join('\n');
}

/** `error` with its message (which may quote a server) on one line; its code kept. */
export function untrustedError(error: unknown): Error {
  if (!(error instanceof Error)) return new Error(oneLine(String(error)));
  const safe = new Error(oneLine(error.message)) as Error & Record<string, unknown>;
  for (const key of ['code', 'level'] as const) {
    const value = (error as Error & Record<string, unknown>)[key];
    if (value !== undefined) safe[key] = value;
  }
  return safe;
}
