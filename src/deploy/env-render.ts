/**
 * Writes variables as a `.env` file that compose v1 (python-dotenv) and compose v2 (compose-go)
 * both read back byte for byte, for the project's interpolation and for `env_file: .env` alike.
 * See README "The env input" for the rules; the reasoning is in the comments below.
 */
import type { EnvVar } from './env-file.js';

/** Renders the `.env` file; throws (naming the variable) for a value no common form can carry. */
export function renderEnvFile(vars: readonly EnvVar[]): string {
  return vars.map((variable) => `${variable.key}=${renderValue(variable)}\n`).join('');
}

function renderValue({ key, value, line }: EnvVar): string {
  // Single quotes: both parsers take the text verbatim up to the closing quote, across lines;
  // python-dotenv still decodes \\ and \' there and expands ${...}, compose-go does neither.
  if (!/'|\\\\|\\$|\$\{/.test(value)) return `'${value}'`;
  // Double quotes: both decode \\ \" \n \r and leave other text alone, but expand `$` differently.
  if (!value.includes('$')) {
    return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n').replace(/\r/g, '\\r')}"`;
  }
  throw new Error(
    `line ${line}: the value of ${key} mixes '$' with a single quote, a backslash pair or '\${', ` +
      'which compose v1 and v2 read differently from a .env file',
  );
}
