/**
 * Writes variables as a `.env` file that compose v1 (python-dotenv 0.21, docker-compose 1.29) and
 * compose v2 (compose-go) both read back byte for byte, as the project's `.env` and as
 * `env_file: .env` alike. Each value takes the first form that both parsers read the same way:
 *
 * 1. `KEY='value'`: both take the text verbatim, across lines, but v1 still decodes `\\` and
 *    `\'` and expands `${...}`, and a trailing `\` escapes the closing quote in both.
 * 2. `KEY="value"` with `\\ \" \n \r` escapes: both decode exactly these, but expand `$` differently.
 * 3. Otherwise double quotes again, with `$`, `\` and `"` spelled as `${MONARCH_ENV_...}`
 *    references to three helper variables written first: both expand `${NAME}` the same way
 *    and neither re-reads what it substituted. Only files that need them get the helpers.
 */
import type { EnvVar } from '../types/settings.js';

/** The variables the file may define for form 3, as written; the `env` input cannot use them. */
export const HELPERS = {
  MONARCH_ENV_DOLLAR: `'$'`,
  MONARCH_ENV_BACKSLASH: '\\',
  MONARCH_ENV_QUOTE: `'"'`,
} as const;

/** The values the helpers stand for (what compose reads them as). */
export const HELPER_VALUES: Readonly<Record<string, string>> = {
  MONARCH_ENV_DOLLAR: '$',
  MONARCH_ENV_BACKSLASH: '\\',
  MONARCH_ENV_QUOTE: '"',
};

const SINGLE_UNSAFE = /'|\r|\\\\|\\$|\$\{/;

/** Renders the `.env` file. */
export function renderEnvFile(vars: readonly EnvVar[]): string {
  const lines = vars.map(({ key, value }) => `${key}=${renderValue(value)}\n`);
  const needsHelpers = lines.some((line) => line.includes('${MONARCH_ENV_'));
  const helpers = needsHelpers
    ? Object.entries(HELPERS).map(([key, value]) => `${key}=${value}\n`)
    : [];
  return [...helpers, ...lines].join('');
}

function renderValue(value: string): string {
  if (!SINGLE_UNSAFE.test(value)) return `'${value}'`;
  const newlines = (text: string) => text.replace(/\n/g, '\\n').replace(/\r/g, '\\r');
  if (!value.includes('$') && !value.endsWith('\\')) {
    return `"${newlines(value.replace(/\\/g, '\\\\').replace(/"/g, '\\"'))}"`;
  }
  const spelled = value.replace(/[$\\"]/g, (char) =>
    char === '$'
      ? '${MONARCH_ENV_DOLLAR}'
      : char === '\\'
        ? '${MONARCH_ENV_BACKSLASH}'
        : '${MONARCH_ENV_QUOTE}',
  );
  return `"${newlines(spelled)}"`;
}
