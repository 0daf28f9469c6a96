/**
 * The `env` input: a `.env` file, read by the rules docker compose v2 applies to one
 * (compose-go's dotenv parser), with one extension, `NAME<<DELIMITER`, for a value taken
 * verbatim over any number of lines (the safe way to pass a secret whose content is unknown).
 *
 * Where compose would look in the process environment (`$VAR` of a variable the file did not
 * set earlier, a bare `NAME` line), the action has none to offer: an unset variable reads as
 * an empty string, with a warning naming it, and a bare `NAME` is an error. Names are letters,
 * digits and `_`, not starting with a digit (what compose v1 and v2 both read, and what the
 * compose file can refer to); a name may be set once. No error or warning ever quotes a value.
 */
import type { EnvVar } from '../types/settings.js';
import { decodeEscapes, isKeyChar, isLineSpace, isSpace, trimEnd } from './characters.js';
import { InvalidTemplateError, RequiredVariableError, substitute } from './interpolate.js';
import { HELPER_VALUES } from './render.js';

export type { EnvVar } from '../types/settings.js';

/** Something the rules change that the writer may not expect; never quotes a value. */
export interface EnvNote {
  readonly line: number;
  readonly key: string;
  readonly text: string;
}

/** The variables, in the order given, and the notes about them. */
export interface ParsedEnv {
  readonly vars: EnvVar[];
  readonly notes: EnvNote[];
}

/** Text that is not a `.env` file; the message names the line (and the key when it is one). */
export class EnvSyntaxError extends Error {
  constructor(line: number, message: string) {
    super(`line ${line}: ${message}`);
    this.name = 'EnvSyntaxError';
  }
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const HEREDOC = /^(?:export[ \t]+)?([^\s=:<]+)<<([A-Za-z0-9_-]+)[ \t\r]*$/;
const EXPORT = /^export[\t\n\f\r ]+/;
const NOT_A_NAME =
  "expected a variable name (letters, digits and _, not starting with a digit) before '='; " +
  'a value that goes on over several lines must be quoted, or written as NAME<<EOF ... EOF';
const QUOTE_IT =
  "quote it ('...' keeps it as written) or write it as NAME<<EOF ... EOF to keep it verbatim";

/** Reads `text` as a `.env` file; throws `EnvSyntaxError` for what compose would not read. */
export function parseEnv(text: string): ParsedEnv {
  return new EnvParser(text).parse();
}

class EnvParser {
  private pos: number;
  private line = 1;
  private readonly values = new Map<string, string>();
  private readonly setOn = new Map<string, number>();
  private readonly vars: EnvVar[] = [];
  private readonly notes: EnvNote[] = [];

  constructor(private readonly text: string) {
    this.pos = text.startsWith('\ufeff') ? 1 : 0;
  }

  parse(): ParsedEnv {
    while (this.nextStatement()) {
      const line = this.line;
      if (!this.heredoc(line)) this.assignment(line);
    }
    return { vars: this.vars, notes: this.notes };
  }

  /** Moves to `to`, counting the lines passed. */
  private advance(to: number): void {
    for (let i = this.pos; i < to; i++) if (this.text[i] === '\n') this.line++;
    this.pos = to;
  }

  private lineEnd(from = this.pos): number {
    const end = this.text.indexOf('\n', from);
    return end < 0 ? this.text.length : end;
  }

  /** Skips spaces, blank lines and `#` comments; false at the end of the text. */
  private nextStatement(): boolean {
    for (;;) {
      let at = this.pos;
      while (at < this.text.length && isSpace(this.text[at])) at++;
      this.advance(at);
      if (at >= this.text.length) return false;
      if (this.text[at] !== '#') return true;
      this.advance(this.lineEnd());
    }
  }

  /** `NAME<<DELIMITER`, the lines up to one that is `DELIMITER` alone: the value verbatim. */
  private heredoc(line: number): boolean {
    const match = HEREDOC.exec(this.text.slice(this.pos, this.lineEnd()));
    if (!match) return false;
    const [, key, delimiter] = match;
    if (!NAME.test(key)) throw new EnvSyntaxError(line, NOT_A_NAME);
    const lines: string[] = [];
    let at = this.lineEnd() + 1;
    for (;;) {
      if (at > this.text.length)
        throw new EnvSyntaxError(line, `${key}<<${delimiter} has no closing line ${delimiter}`);
      const end = this.lineEnd(at);
      const content = this.text.slice(at, end);
      at = end + 1;
      if (content.replace(/\r$/, '') === delimiter) break;
      lines.push(content);
    }
    this.advance(Math.min(at, this.text.length));
    this.assign(key, lines.join('\n'), line);
    return true;
  }

  /** `NAME=value` (or `NAME: value`), optionally after `export `. */
  private assignment(line: number): void {
    const key = this.key(line);
    let at = this.pos + 1;
    while (at < this.text.length && isLineSpace(this.text[at])) at++;
    this.advance(at);
    const quote = this.text[at];
    const value =
      quote === "'" || quote === '"' ? this.quoted(key, line) : this.unquoted(key, line);
    this.assign(key, value, line);
  }

  /** The key, up to its `=` or `:` (where it leaves `pos`). */
  private key(line: number): string {
    const exported = EXPORT.exec(this.text.slice(this.pos, this.pos + 16));
    if (exported) {
      let at = this.pos + 'export'.length;
      while (at < this.text.length && isLineSpace(this.text[at])) at++;
      this.advance(at);
    }
    const start = this.pos;
    let at = start;
    while (at < this.text.length) {
      const char = String.fromCodePoint(this.text.codePointAt(at)!);
      if (char === '=' || char === ':') break;
      if (char === '\n') break;
      if (!isLineSpace(char) && !isKeyChar(char)) throw new EnvSyntaxError(line, NOT_A_NAME);
      at += char.length;
    }
    const key = trimEnd(this.text.slice(start, at));
    if (at >= this.text.length || this.text[at] === '\n') throw bareKey(line, key);
    if (!NAME.test(key)) throw new EnvSyntaxError(line, NOT_A_NAME);
    this.pos = at;
    return key;
  }

  private unquoted(key: string, line: number): string {
    const end = this.lineEnd();
    const raw = this.text.slice(this.pos, end);
    this.advance(Math.min(end + 1, this.text.length));
    const comment = raw.indexOf(' #');
    const uncommented = comment >= 0 ? raw.slice(0, comment) : raw;
    const value = trimEnd(uncommented);
    const trimmed = uncommented.slice(value.length).replace(/\r$/, '') !== '';
    if (comment >= 0 || trimmed || value.includes('$')) {
      this.note(
        line,
        key,
        `read as compose reads an unquoted value (an inline comment, $ or trailing spaces change it): ${QUOTE_IT}`,
      );
    }
    return this.substitute(key, value, line);
  }

  /** A quoted value, as compose scans it: a backslash before the quote keeps the quote. */
  private quoted(key: string, line: number): string {
    const quote = this.text[this.pos];
    let chars = '';
    let escaped = false;
    for (let at = this.pos + 1; at < this.text.length; at++) {
      const char = this.text[at];
      if (char !== quote) {
        if (!escaped && char === '\\') {
          escaped = true;
          continue;
        }
        if (escaped) chars += '\\';
        escaped = false;
        chars += char;
        continue;
      }
      if (escaped) {
        escaped = false;
        chars += quote;
        continue;
      }
      this.advance(at + 1);
      this.checkAfterQuote(key, line);
      return quote === "'" ? chars : this.substitute(key, decodeEscapes(chars), line);
    }
    const kind = quote === "'" ? 'single' : 'double';
    throw new EnvSyntaxError(
      line,
      `the ${kind} quote that starts the value of ${key} is never closed`,
    );
  }

  /** Compose reads text after a closing quote as a new statement: say so unless it is a comment. */
  private checkAfterQuote(key: string, line: number): void {
    const rest = this.text.slice(this.pos, this.lineEnd()).trim();
    if (rest !== '' && !rest.startsWith('#')) {
      this.note(
        line,
        key,
        'the text after its closing quote is read as another variable, as compose reads it',
      );
    }
  }

  private substitute(key: string, value: string, line: number): string {
    const unset = new Set<string>();
    try {
      const result = substitute(value, {
        lookup: (name) => this.values.get(name),
        onUnset: (name) => unset.add(name),
      });
      for (const name of unset) {
        this.note(
          line,
          key,
          `$${name} is not set earlier in env (the action has no other environment to take it from): it reads as an empty string`,
        );
      }
      return result;
    } catch (error) {
      if (error instanceof RequiredVariableError) {
        throw new EnvSyntaxError(
          line,
          `${key} requires ${error.variable} (\${${error.variable}:?...}), which is not set, or empty, earlier in env`,
        );
      }
      if (error instanceof InvalidTemplateError) {
        throw new EnvSyntaxError(
          line,
          `the value of ${key} has a \${ that starts no \${NAME}, \${NAME:-default} or the like (write $$ for a literal $)`,
        );
      }
      throw error;
    }
  }

  private assign(key: string, value: string, line: number): void {
    const first = this.setOn.get(key);
    if (first !== undefined)
      throw new EnvSyntaxError(line, `${key} is already set on line ${first}`);
    if (value.includes('\0'))
      throw new EnvSyntaxError(line, `the value of ${key} contains a NUL byte`);
    this.setOn.set(key, line);
    this.values.set(key, value);
    if (key.startsWith('MONARCH_ENV_')) {
      // The helpers a rendered .env defines: accepted with their own value (a file the action
      // wrote, given back), never passed on as variables; any other use is refused.
      if (HELPER_VALUES[key] === value) return;
      throw new EnvSyntaxError(
        line,
        'names starting with MONARCH_ENV_ are reserved for the .env encoding',
      );
    }
    this.vars.push({ key, value, line });
  }

  private note(line: number, key: string, text: string): void {
    this.notes.push({ line, key, text });
  }
}

/** A line without `=`: named only when it looks like a variable's name, not like a secret's line. */
function bareKey(line: number, text: string): EnvSyntaxError {
  const named = /^[A-Z_][A-Z0-9_]{0,63}$/.test(text) ? `${text} ` : '';
  return new EnvSyntaxError(
    line,
    `${named}has no '=': write NAME= for an empty value (the action has no environment to take a bare NAME from); ` +
      'a value that goes on over several lines must be quoted, or written as NAME<<EOF ... EOF',
  );
}
