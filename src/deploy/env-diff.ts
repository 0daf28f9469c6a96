/** Which `.env` keys a deploy adds, changes or removes: what a dry run reports, never values. */
import type { DryRunReport } from '../types/report.js';

/** Which keys differ between two `.env` files written by `renderEnvFile`. */
export function diffEnv(
  current: string | null,
  next: string,
): Pick<DryRunReport, 'added' | 'changed' | 'removed'> {
  const before = parseRenderedEnv(current ?? '');
  const after = parseRenderedEnv(next);
  const keys = (map: Map<string, string>) =>
    [...map.keys()].filter((key) => !key.startsWith('MONARCH_ENV_'));
  return {
    added: keys(after).filter((key) => !before.has(key)),
    changed: keys(after).filter((key) => before.has(key) && before.get(key) !== after.get(key)),
    removed: keys(before).filter((key) => !after.has(key)),
  };
}

/** Reads back a file `renderEnvFile` wrote: each value's written form, by key. */
export function parseRenderedEnv(text: string): Map<string, string> {
  const values = new Map<string, string>();
  const pattern = /^([A-Za-z_][A-Za-z0-9_]*)=('[^']*'|"(?:\\.|[^"\\])*"|[^\n]*)$/gm;
  for (const match of text.matchAll(pattern)) values.set(match[1], match[2]);
  return values;
}
