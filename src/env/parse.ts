/**
 * The `env` input and the `.env` file written from it.
 *
 * Input syntax (documented in the README): `KEY=value` per line, the value being everything after
 * the first `=` exactly as written (no quote removal, no escapes, no `$` expansion); `KEY<<EOF`
 * starts a multi-line value that ends at a line `EOF`; blank lines and `#` lines are skipped.
 */

import type { EnvVar } from '../types/settings.js';

export type { EnvVar } from '../types/settings.js';

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const HEREDOC = /^([^=<\s]+)<<([A-Za-z0-9_-]+)$/;

/** Parses the `env` input; throws an Error that names the line and what was expected. */
export function parseEnvInput(text: string): EnvVar[] {
  const lines = text.split('\n').map((line) => line.replace(/\r$/, ''));
  const vars: EnvVar[] = [];
  const seen = new Map<string, number>();
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i];
    const lineNo = i + 1;
    if (raw.trim() === '' || raw.trimStart().startsWith('#')) continue;
    let key: string;
    let value: string;
    const heredoc = HEREDOC.exec(raw.trim());
    if (heredoc && !raw.includes('=')) {
      key = heredoc[1];
      const end = lines.indexOf(heredoc[2], i + 1);
      if (end < 0)
        throw new Error(
          `line ${lineNo}: '${key}<<${heredoc[2]}' has no closing line '${heredoc[2]}'`,
        );
      value = lines.slice(i + 1, end).join('\n');
      i = end;
    } else {
      const eq = raw.indexOf('=');
      if (eq < 0)
        throw new Error(
          `line ${lineNo}: expected KEY=value or KEY<<DELIMITER, got a line without '='`,
        );
      key = raw.slice(0, eq).trim();
      value = raw.slice(eq + 1);
    }
    if (!NAME.test(key)) {
      if (key.length > 64 || /[^A-Za-z0-9_.-]/.test(key)) {
        // Likely a line of a secret (base64 with '=' padding) pasted without KEY<<EOF: never echo it.
        throw new Error(
          `line ${lineNo}: the text before '=' is not a valid variable name (letters, digits and _); a multi-line value needs KEY<<EOF ... EOF`,
        );
      }
      throw new Error(
        `line ${lineNo}: '${key}' is not a valid variable name (letters, digits and _, not starting with a digit)`,
      );
    }
    if (key.startsWith('MONARCH_ENV_'))
      throw new Error(
        `line ${lineNo}: names starting with MONARCH_ENV_ are reserved for the .env encoding`,
      );
    if (value.includes('\0'))
      throw new Error(`line ${lineNo}: the value of ${key} contains a NUL byte`);
    const first = seen.get(key);
    if (first !== undefined)
      throw new Error(`line ${lineNo}: ${key} is already set on line ${first}`);
    seen.set(key, lineNo);
    vars.push({ key, value, line: lineNo });
  }
  return vars;
}
